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
pub mod parallel;
pub mod scratch;

pub use array::{ArrayMut, ArrayRef, AsInput, AsOutput, DType, Element, OutputElement};
pub use boundary::Mode;
pub use engine::Footprint;
pub use error::{CallbackError, Error};
pub use filters::{
    generic_filter, generic_filter1d, generic_filter1d_parallel, generic_filter_parallel,
};
pub use interpolation::{
    affine_transform, geometric_transform, geometric_transform_parallel, map_coordinates, rotate,
    rotate_shape, shift, spline_filter, spline_filter1d, zoom, zoom_shape, AffineMatrix, Spline,
};
// Tiles: one box of a larger transform, from a box of its input or its coefficients.
pub use interpolation::{
    affine_transform_tile, geometric_transform_parallel_tile, geometric_transform_tile,
    map_coordinates_tile, rotate_tile, shift_tile, spline_coefficients, spline_padding, zoom_tile,
    Region, Tile,
};
pub use parallel::Threads;
