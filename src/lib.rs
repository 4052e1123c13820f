//! # libndimage
//!
//! scipy.ndimage's multidimensional image processing in Rust, with a stable C API (`ndi_*`,
//! header `include/ndimage.h`).
//!
//! The crate is layered (see `ARCHITECTURE.md`):
//! - [`array`](mod@array): element types, the one `f64` conversion, and the raw strided layer
//!   that holds caller memory (the only place, with [`capi`], where `unsafe` code lives);
//! - [`boundary`], [`args`], [`parallel`], [`scratch`]: boundary modes, argument checks,
//!   threads, and reused temporary memory;
//! - [`engine`]: the line pass, the separable driver and the neighbourhood walk that every
//!   function is built from;
//! - [`filters`], [`interpolation`]: the functions, kernels on the engines, safe Rust;
//! - [`capi`]: the C API, which validates, converts and reports, and nothing else.
//!
//! The functions re-exported here *are* the Rust API: they take ndarray arrays and views (or
//! the raw layer's [`ArrayRef`]/[`ArrayMut`]) through [`AsInput`]/[`AsOutput`], complex arrays
//! included where scipy accepts them. Results match scipy.ndimage 1.17.1 bit for bit (see the
//! README for the documented divergences).

#![deny(unsafe_op_in_unsafe_fn)]

pub mod args;
pub mod array;
pub mod boundary;
pub mod capi;
pub mod engine;
pub mod error;
pub mod filters;
pub mod interpolation;
pub mod measurements;
pub mod morphology;
pub mod parallel;
pub mod scratch;

pub use array::{ArrayMut, ArrayRef, AsInput, AsOutput, DType, Element, OutputElement};
pub use boundary::Mode;
pub use engine::Footprint;
pub use error::{CallbackError, Error};
pub use filters::{
    convolve, convolve1d, correlate, correlate1d, gaussian_filter, gaussian_filter1d,
    gaussian_gradient_magnitude, gaussian_kernel1d, gaussian_laplace, generic_gradient_magnitude,
    generic_laplace, laplace, prewitt, sobel, uniform_filter, uniform_filter1d, KernelSource,
};
pub use filters::{fourier_ellipsoid, fourier_gaussian, fourier_shift, fourier_uniform};
pub use filters::{
    generic_filter, generic_filter1d, generic_filter1d_parallel, generic_filter_parallel,
};
pub use filters::{
    maximum_filter, maximum_filter1d, minimum_filter, minimum_filter1d, NanPolicy, Neighbourhood,
    OrderOptions,
};
pub use filters::{median_filter, percentile_filter, rank_filter};
pub use filters::{vectorized_filter, vectorized_filter_parallel};
pub use interpolation::{
    affine_transform, geometric_transform, geometric_transform_parallel, map_coordinates, rotate,
    rotate_shape, shift, spline_filter, spline_filter1d, zoom, zoom_shape, AffineMatrix, Spline,
};
pub use measurements::{label, Connectivity};
pub use morphology::{
    binary_closing, binary_dilation, binary_erosion, binary_fill_holes, binary_hit_or_miss,
    binary_opening, binary_propagation, black_tophat, distance_transform_bf,
    distance_transform_cdt, distance_transform_edt, generate_binary_structure, grey_closing,
    grey_dilation, grey_erosion, grey_opening, iterate_structure, iterate_structure_shape,
    morphological_gradient, morphological_laplace, white_tophat, Metric, Structure,
};
// Tiles: one box of a larger transform, from a box of its input or its coefficients.
pub use interpolation::{
    affine_transform_tile, geometric_transform_parallel_tile, geometric_transform_tile,
    map_coordinates_tile, rotate_tile, shift_tile, spline_coefficients, spline_padding, zoom_tile,
    Region, Tile,
};
pub use parallel::Threads;
