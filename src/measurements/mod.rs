//! Measurements (scipy's `_measurements`): labelling, object search, statistics over labels,
//! and the watershed. Whole-array algorithms over the array layer's line reads, with
//! per-label accumulators; see each module for its algorithm and what it splits across
//! threads.

#![forbid(unsafe_code)]

pub mod label;
pub mod objects;
pub mod structure;

pub use label::label;
pub use objects::{
    find_objects, largest_label, value_indices_into, value_indices_sizes, BoundingBox,
};
pub use structure::Connectivity;
