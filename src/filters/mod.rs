//! Filters: kernels on the engines (`crate::engine`), reading the input through the boundary
//! modes, computing in `f64` (or the input's own type where scipy does), and storing with the
//! filter conversion rule.

#![forbid(unsafe_code)]

pub mod correlate;
pub mod derivatives;
pub mod fourier;
pub mod gaussian;
pub mod generic;
pub mod minmax;
mod network;
pub(crate) mod numpy_ops;
pub mod order;
pub mod rank;
pub mod uniform;
pub mod vectorized;

pub use correlate::{convolve, convolve1d, correlate, correlate1d};
pub use derivatives::{
    generic_gradient_magnitude, generic_laplace, laplace, prewitt, sobel, Derivative,
};
pub use fourier::{fourier_ellipsoid, fourier_gaussian, fourier_shift, fourier_uniform};
pub use gaussian::{
    gaussian_filter, gaussian_filter1d, gaussian_gradient_magnitude, gaussian_kernel1d,
    gaussian_laplace, gaussian_radius, KernelFunction, KernelRequest, KernelSource,
};
pub use generic::{
    generic_filter, generic_filter1d, generic_filter1d_parallel, generic_filter_parallel,
};
pub use minmax::{maximum_filter, maximum_filter1d, minimum_filter, minimum_filter1d};
pub use order::{NanPolicy, Neighbourhood, OrderOptions};
pub use rank::{median_filter, percentile_filter, rank_filter};
pub use uniform::{uniform_filter, uniform_filter1d};
pub use vectorized::{vectorized_filter, vectorized_filter_parallel};
