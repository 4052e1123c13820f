//! Filters: kernels on the engines (`crate::engine`), reading the input through the boundary
//! modes, computing in `f64` (or the input's own type where scipy does), and storing with the
//! filter conversion rule.

#![forbid(unsafe_code)]

pub mod fourier;
pub mod generic;
pub mod vectorized;

pub use fourier::{fourier_ellipsoid, fourier_gaussian, fourier_shift, fourier_uniform};
pub use generic::{
    generic_filter, generic_filter1d, generic_filter1d_parallel, generic_filter_parallel,
};
pub use vectorized::{vectorized_filter, vectorized_filter_parallel};
