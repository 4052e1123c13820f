//! # libndimage
//!
//! scipy.ndimage's multidimensional image processing in Rust, with a stable C API (`ndi_*`,
//! header `include/ndimage.h`).
//!
//! The crate is layered:
//! - [`array`](mod@array): element types, the one `f64` conversion, and the raw strided layer
//!   that holds caller memory (the only place, with [`capi`], where `unsafe` code lives);
//! - [`boundary`]: the boundary modes;
//! - [`filters`], [`interpolation`]: the numeric core, safe Rust over the strided layer;
//! - [`parallel`]: thread counts, and running a kernel over disjoint parts of the output;
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
pub mod parallel;

pub use array::{DType, Element, OutputElement};
pub use boundary::Mode;
pub use error::{CallbackError, Error};
pub use filters::Footprint;
pub use parallel::Threads;

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

pub use interpolation::{AffineMatrix, Spline};

/// [`filters::generic_filter_parallel`] over ndarray views: [`generic_filter`] with `function`
/// called from `threads` threads; the numbers are the same for every thread count.
#[allow(clippy::too_many_arguments)]
pub fn generic_filter_parallel<T, U, D, F>(
    input: ArrayView<'_, T, D>,
    output: ArrayViewMut<'_, U, D>,
    footprint: &Footprint,
    origins: &[isize],
    mode: Mode,
    cval: f64,
    threads: Threads,
    function: F,
) -> Result<(), Error>
where
    T: Element,
    U: OutputElement,
    D: Dimension,
    F: Fn(&mut [f64]) -> Result<f64, CallbackError> + Sync,
{
    filters::generic_filter_parallel(
        &ArrayRef::from_ndarray(input),
        &mut ArrayMut::from_ndarray(output),
        footprint,
        origins,
        mode,
        cval,
        threads,
        function,
    )
}

/// [`filters::generic_filter1d_parallel`] over ndarray views.
#[allow(clippy::too_many_arguments)]
pub fn generic_filter1d_parallel<T, U, D, F>(
    input: ArrayView<'_, T, D>,
    output: ArrayViewMut<'_, U, D>,
    filter_size: usize,
    axis: isize,
    origin: isize,
    mode: Mode,
    cval: f64,
    threads: Threads,
    function: F,
) -> Result<(), Error>
where
    T: Element,
    U: OutputElement,
    D: Dimension,
    F: Fn(&mut [f64], &mut [f64]) -> Result<(), CallbackError> + Sync,
{
    filters::generic_filter1d_parallel(
        &ArrayRef::from_ndarray(input),
        &mut ArrayMut::from_ndarray(output),
        filter_size,
        axis,
        origin,
        mode,
        cval,
        threads,
        function,
    )
}

/// [`interpolation::geometric_transform_parallel`] over ndarray views.
pub fn geometric_transform_parallel<T, U, D, E, F>(
    input: ArrayView<'_, T, D>,
    output: ArrayViewMut<'_, U, E>,
    spline: &Spline,
    threads: Threads,
    mapping: F,
) -> Result<(), Error>
where
    T: Element,
    U: OutputElement,
    D: Dimension,
    E: Dimension,
    F: Fn(&[usize], &mut [f64]) -> Result<(), CallbackError> + Sync,
{
    interpolation::geometric_transform_parallel(
        &ArrayRef::from_ndarray(input),
        &mut ArrayMut::from_ndarray(output),
        spline,
        threads,
        mapping,
    )
}

/// [`interpolation::geometric_transform`] over ndarray views: `mapping(output_index,
/// input_coordinates)` fills the coordinates to sample for each output element.
///
/// ```
/// use ndarray::array;
/// use ndimage::{geometric_transform, Mode, Spline};
/// let input = array![10.0, 20.0, 30.0, 40.0];
/// let mut out = ndarray::Array1::<f64>::zeros(3);
/// let spline = Spline { order: 1, mode: Mode::Nearest, cval: 0.0, prefilter: true };
/// geometric_transform(input.view(), out.view_mut(), &spline, |o, c| {
///     c[0] = o[0] as f64 + 0.5;
///     Ok(())
/// })
/// .unwrap();
/// assert_eq!(out, array![15.0, 25.0, 35.0]);
/// ```
pub fn geometric_transform<T, U, D, E, F>(
    input: ArrayView<'_, T, D>,
    output: ArrayViewMut<'_, U, E>,
    spline: &Spline,
    mapping: F,
) -> Result<(), Error>
where
    T: Element,
    U: OutputElement,
    D: Dimension,
    E: Dimension,
    F: FnMut(&[usize], &mut [f64]) -> Result<(), CallbackError>,
{
    interpolation::geometric_transform(
        &ArrayRef::from_ndarray(input),
        &mut ArrayMut::from_ndarray(output),
        spline,
        mapping,
    )
}

/// [`interpolation::map_coordinates`] over ndarray views.
pub fn map_coordinates<T, C, U, D, E, G>(
    input: ArrayView<'_, T, D>,
    coordinates: ArrayView<'_, C, G>,
    output: ArrayViewMut<'_, U, E>,
    spline: &Spline,
    threads: Threads,
) -> Result<(), Error>
where
    T: Element,
    C: Element,
    U: OutputElement,
    D: Dimension,
    E: Dimension,
    G: Dimension,
{
    interpolation::map_coordinates(
        &ArrayRef::from_ndarray(input),
        &ArrayRef::from_ndarray(coordinates),
        &mut ArrayMut::from_ndarray(output),
        spline,
        threads,
    )
}

/// [`interpolation::affine_transform`] over ndarray views.
pub fn affine_transform<T, U, D, E>(
    input: ArrayView<'_, T, D>,
    output: ArrayViewMut<'_, U, E>,
    matrix: AffineMatrix<'_>,
    offset: &[f64],
    spline: &Spline,
    threads: Threads,
) -> Result<(), Error>
where
    T: Element,
    U: OutputElement,
    D: Dimension,
    E: Dimension,
{
    interpolation::affine_transform(
        &ArrayRef::from_ndarray(input),
        &mut ArrayMut::from_ndarray(output),
        matrix,
        offset,
        spline,
        threads,
    )
}

/// [`interpolation::shift`] over ndarray views.
pub fn shift<T, U, D>(
    input: ArrayView<'_, T, D>,
    output: ArrayViewMut<'_, U, D>,
    shift: &[f64],
    spline: &Spline,
    threads: Threads,
) -> Result<(), Error>
where
    T: Element,
    U: OutputElement,
    D: Dimension,
{
    interpolation::shift(
        &ArrayRef::from_ndarray(input),
        &mut ArrayMut::from_ndarray(output),
        shift,
        spline,
        threads,
    )
}

/// [`interpolation::zoom`] over ndarray views (the output's shape sets the zoom).
pub fn zoom<T, U, D>(
    input: ArrayView<'_, T, D>,
    output: ArrayViewMut<'_, U, D>,
    grid_mode: bool,
    spline: &Spline,
    threads: Threads,
) -> Result<(), Error>
where
    T: Element,
    U: OutputElement,
    D: Dimension,
{
    interpolation::zoom(
        &ArrayRef::from_ndarray(input),
        &mut ArrayMut::from_ndarray(output),
        grid_mode,
        spline,
        threads,
    )
}

/// [`interpolation::rotate()`] over ndarray views: `angle` degrees in the plane of `axes`;
/// `output` must have [`interpolation::rotate_shape`]'s shape.
#[allow(clippy::too_many_arguments)]
pub fn rotate<T, U, D>(
    input: ArrayView<'_, T, D>,
    output: ArrayViewMut<'_, U, D>,
    angle: f64,
    axes: [isize; 2],
    reshape: bool,
    spline: &Spline,
    threads: Threads,
) -> Result<(), Error>
where
    T: Element,
    U: OutputElement,
    D: Dimension,
{
    interpolation::rotate(
        &ArrayRef::from_ndarray(input),
        &mut ArrayMut::from_ndarray(output),
        angle,
        axes,
        reshape,
        spline,
        threads,
    )
}

/// [`interpolation::spline_filter1d`] over ndarray views.
pub fn spline_filter1d<T, U, D>(
    input: ArrayView<'_, T, D>,
    output: ArrayViewMut<'_, U, D>,
    order: usize,
    axis: isize,
    mode: Mode,
    threads: Threads,
) -> Result<(), Error>
where
    T: Element,
    U: OutputElement,
    D: Dimension,
{
    interpolation::spline_filter1d(
        &ArrayRef::from_ndarray(input),
        &mut ArrayMut::from_ndarray(output),
        order,
        axis,
        mode,
        threads,
    )
}

/// [`interpolation::spline_filter`] over ndarray views.
pub fn spline_filter<T, U, D>(
    input: ArrayView<'_, T, D>,
    output: ArrayViewMut<'_, U, D>,
    order: usize,
    mode: Mode,
    threads: Threads,
) -> Result<(), Error>
where
    T: Element,
    U: OutputElement,
    D: Dimension,
{
    interpolation::spline_filter(
        &ArrayRef::from_ndarray(input),
        &mut ArrayMut::from_ndarray(output),
        order,
        mode,
        threads,
    )
}
