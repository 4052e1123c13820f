//! Filters. Each reads the input through the line layer and the boundary modes, computes in
//! `f64`, and stores with the filter conversion rule.

pub mod footprint;
pub mod generic;

pub use footprint::Footprint;
pub use generic::{
    generic_filter, generic_filter1d, generic_filter1d_parallel, generic_filter_parallel,
};
