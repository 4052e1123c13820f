//! # libndimage
//!
//! scipy.ndimage's multidimensional image processing in Rust, with a stable C API (`ndi_*`,
//! header `include/ndimage.h`).
//!
//! The crate is layered:
//! - [`array`]: element types, the one `f64` conversion, and the raw strided layer that holds
//!   caller memory (the only place, with [`capi`], where `unsafe` code lives);
//! - [`boundary`]: the boundary modes;
//! - [`filters`]: the numeric core, safe Rust over the strided layer;
//! - the functions at the crate root: the idiomatic API over ndarray views;
//! - [`capi`]: the C API, which validates, converts and reports, and nothing else.
//!
//! Results match scipy.ndimage 1.17.1 bit for bit (see the README for the documented
//! divergences).

pub mod array;
pub mod boundary;
pub mod capi;
pub mod error;
pub mod filters;
pub mod interpolation;

pub use array::{DType, Element, OutputElement};
pub use boundary::Mode;
pub use error::{CallbackError, Error};
pub use filters::Footprint;

use array::{ArrayMut, ArrayRef};
use ndarray::{ArrayView, ArrayViewMut, Dimension};

/// [`filters::generic_filter`] over ndarray views; see there for the semantics.
///
/// ```
/// use ndarray::array;
/// use ndimage::{generic_filter, Footprint, Mode};
/// let input = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
/// let mut out = ndarray::Array2::<f64>::zeros((2, 3));
/// let fp = Footprint::from_size(&[1, 3]).unwrap();
/// generic_filter(input.view(), out.view_mut(), &fp, &[], Mode::Nearest, 0.0,
///                |w| Ok(w.iter().sum::<f64>())).unwrap();
/// assert_eq!(out, array![[4.0, 6.0, 8.0], [13.0, 15.0, 17.0]]);
/// ```
pub fn generic_filter<T, U, D, F>(
    input: ArrayView<'_, T, D>,
    output: ArrayViewMut<'_, U, D>,
    footprint: &Footprint,
    origins: &[isize],
    mode: Mode,
    cval: f64,
    function: F,
) -> Result<(), Error>
where
    T: Element,
    U: OutputElement,
    D: Dimension,
    F: FnMut(&mut [f64]) -> Result<f64, CallbackError>,
{
    filters::generic_filter(
        &ArrayRef::from_ndarray(input),
        &mut ArrayMut::from_ndarray(output),
        footprint,
        origins,
        mode,
        cval,
        function,
    )
}

/// [`filters::generic_filter1d`] over ndarray views; see there for the semantics.
pub fn generic_filter1d<T, U, D, F>(
    input: ArrayView<'_, T, D>,
    output: ArrayViewMut<'_, U, D>,
    filter_size: usize,
    axis: isize,
    origin: isize,
    mode: Mode,
    cval: f64,
    function: F,
) -> Result<(), Error>
where
    T: Element,
    U: OutputElement,
    D: Dimension,
    F: FnMut(&mut [f64], &mut [f64]) -> Result<(), CallbackError>,
{
    filters::generic_filter1d(
        &ArrayRef::from_ndarray(input),
        &mut ArrayMut::from_ndarray(output),
        filter_size,
        axis,
        origin,
        mode,
        cval,
        function,
    )
}
