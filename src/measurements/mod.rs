//! Measurements (scipy's `_measurements`): labelling, object search, statistics over labels,
//! and the watershed. Whole-array algorithms over the array layer's line reads, with
//! per-label accumulators; see each module for its algorithm and what it splits across
//! threads.

#![forbid(unsafe_code)]

pub mod comprehension;
pub mod extrema;
pub mod groups;
pub mod label;
pub mod objects;
pub(crate) mod pairwise;
pub mod stats;
pub mod structure;
pub mod value;
pub mod watershed;

pub use comprehension::{histogram, labeled_comprehension, labeled_comprehension_parallel, Group};
pub use extrema::{extrema, extreme, median, Found};
pub use groups::{Grouping, Select, SelectKind};
pub use label::label;
pub use objects::{
    find_objects, largest_label, value_indices_into, value_indices_sizes, BoundingBox,
};
pub use stats::{center_of_mass, mean, standard_deviation, sum_labels, variance};
pub use structure::Connectivity;
pub use value::Scalar;
pub use watershed::watershed_ift;
