//! Filters: kernels on the engines (`crate::engine`), reading the input through the boundary
//! modes, computing in `f64` (or the input's own type where scipy does), and storing with the
//! filter conversion rule.

#![forbid(unsafe_code)]

pub mod generic;
pub mod minmax;
mod network;
pub mod order;
pub mod rank;

pub use generic::{
    generic_filter, generic_filter1d, generic_filter1d_parallel, generic_filter_parallel,
};
pub use minmax::{maximum_filter, maximum_filter1d, minimum_filter, minimum_filter1d};
pub use order::{NanPolicy, Neighbourhood, OrderOptions};
pub use rank::{median_filter, percentile_filter, rank_filter};
