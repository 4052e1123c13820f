//! C entry points of grey morphology.

use super::call::{entry, Call};
use super::types::*;
use super::{ndi_mode, ndi_status};
use crate::error::Error;
use crate::filters::{Neighbourhood, OrderOptions};
use crate::morphology::Structure;

/// A core grey-morphology function.
type GreyFunction = fn(
    crate::ArrayRef<'_>,
    crate::ArrayMut<'_>,
    &Neighbourhood,
    Option<&Structure>,
    &OrderOptions,
) -> Result<(), Error>;

/// The body every grey-morphology entry point shares.
///
/// # Safety
/// As `ndi_grey_erosion`.
#[allow(clippy::too_many_arguments)]
unsafe fn grey(
    name: &str,
    function: GreyFunction,
    input: *const ndi_array,
    output: *const ndi_array,
    footprint: *const ndi_array,
    structure: *const ndi_array,
    size: *const isize,
    axes: *const i32,
    n_axes: i32,
    origins: *const isize,
    modes: *const ndi_mode,
    n_modes: i32,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let settings = call.order_options()?;
        if footprint.is_null() && structure.is_null() && size.is_null() {
            return Err(Error::InvalidArgument(
                "size, footprint, or structure must be specified".into(),
            ));
        }
        // SAFETY (the four conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let structure = if structure.is_null() {
            None
        } else {
            let array = unsafe { call.input(structure, "structure")? };
            Some(Structure::from_array(&array)?)
        };
        let default = structure.as_ref().map(Structure::footprint);
        let nb = unsafe {
            call.neighbourhood(
                input.rank(),
                footprint,
                if structure.is_some() {
                    std::ptr::null()
                } else {
                    size
                },
                axes,
                n_axes,
                origins,
                modes,
                n_modes,
                cval,
                default,
            )?
        };
        if let Some(s) = &structure {
            if s.shape().len() != nb.footprint.rank() {
                return Err(Error::ShapeMismatch(
                    "structure array has incorrect shape".into(),
                ));
            }
        }
        function(input, output, &nb, structure.as_ref(), &settings)
    };
    // SAFETY: `options` is NULL or valid (the caller's contract); every other pointer is
    // converted in its own block above, under the same contract.
    unsafe { entry(name, options, body) }
}

/// scipy.ndimage.grey_erosion: the minimum over the footprint (or box of `size`), or with a
/// `structure` the minimum of `value - structure` (scipy's mixed double / input-type
/// arithmetic: the first selected element in double, the others in the input's type).
///
/// - `input`, `output`: arrays of the same shape, any real dtypes (independent); overlapping
///   memory is handled by copying the input first.
/// - `footprint`: a mask of rank `k` (the number of filtered axes), or NULL; `structure`: an
///   array of rank `k` (any real dtype, read as doubles), or NULL; `size`: `k` box sizes, used
///   when both are NULL. With a structure and no footprint, the footprint is every element of
///   the structure's box; with both, they have the same shape. At least one of the three.
/// - `axes`, `n_axes`, `origins`, `modes`, `n_modes`, `cval`, `options`: as in
///   `ndi_minimum_filter` (a structure, or a footprint with holes, takes one mode for every
///   axis and casts `cval` to the input's type first; a box takes per-axis modes and `cval`
///   as a double). `options.nan_policy` applies to every minimum and maximum.
///
/// Results equal scipy 1.17.1's bit for bit. Nothing is written unless all arguments are
/// valid.
///
/// # Safety
/// As `ndi_minimum_filter`; `structure` is NULL or a valid input descriptor.
#[no_mangle]
pub unsafe extern "C" fn ndi_grey_erosion(
    input: *const ndi_array,
    output: *const ndi_array,
    footprint: *const ndi_array,
    structure: *const ndi_array,
    size: *const isize,
    axes: *const i32,
    n_axes: i32,
    origins: *const isize,
    modes: *const ndi_mode,
    n_modes: i32,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract.
    unsafe {
        grey(
            "ndi_grey_erosion",
            |i, o, n, s, opt| crate::grey_erosion(i, o, n, s, opt),
            input,
            output,
            footprint,
            structure,
            size,
            axes,
            n_axes,
            origins,
            modes,
            n_modes,
            cval,
            options,
        )
    }
}

/// scipy.ndimage.grey_dilation: the maximum of `value + structure` over the footprint and
/// structure reflected on every axis, each origin `o` becoming `-o - 1` on axes of even extent
/// and `-o` elsewhere (scipy's rule).
///
/// Arguments as `ndi_grey_erosion`.
///
/// # Safety
/// As `ndi_grey_erosion`.
#[no_mangle]
pub unsafe extern "C" fn ndi_grey_dilation(
    input: *const ndi_array,
    output: *const ndi_array,
    footprint: *const ndi_array,
    structure: *const ndi_array,
    size: *const isize,
    axes: *const i32,
    n_axes: i32,
    origins: *const isize,
    modes: *const ndi_mode,
    n_modes: i32,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract.
    unsafe {
        grey(
            "ndi_grey_dilation",
            |i, o, n, s, opt| crate::grey_dilation(i, o, n, s, opt),
            input,
            output,
            footprint,
            structure,
            size,
            axes,
            n_axes,
            origins,
            modes,
            n_modes,
            cval,
            options,
        )
    }
}

/// scipy.ndimage.grey_opening: `ndi_grey_dilation` of the `ndi_grey_erosion` (kept in the
/// input's type: one temporary of the input's size).
///
/// Arguments as `ndi_grey_erosion`.
///
/// # Safety
/// As `ndi_grey_erosion`.
#[no_mangle]
pub unsafe extern "C" fn ndi_grey_opening(
    input: *const ndi_array,
    output: *const ndi_array,
    footprint: *const ndi_array,
    structure: *const ndi_array,
    size: *const isize,
    axes: *const i32,
    n_axes: i32,
    origins: *const isize,
    modes: *const ndi_mode,
    n_modes: i32,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract.
    unsafe {
        grey(
            "ndi_grey_opening",
            |i, o, n, s, opt| crate::grey_opening(i, o, n, s, opt),
            input,
            output,
            footprint,
            structure,
            size,
            axes,
            n_axes,
            origins,
            modes,
            n_modes,
            cval,
            options,
        )
    }
}

/// scipy.ndimage.grey_closing: `ndi_grey_erosion` of the `ndi_grey_dilation` (kept in the
/// input's type).
///
/// Arguments as `ndi_grey_erosion`.
///
/// # Safety
/// As `ndi_grey_erosion`.
#[no_mangle]
pub unsafe extern "C" fn ndi_grey_closing(
    input: *const ndi_array,
    output: *const ndi_array,
    footprint: *const ndi_array,
    structure: *const ndi_array,
    size: *const isize,
    axes: *const i32,
    n_axes: i32,
    origins: *const isize,
    modes: *const ndi_mode,
    n_modes: i32,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract.
    unsafe {
        grey(
            "ndi_grey_closing",
            |i, o, n, s, opt| crate::grey_closing(i, o, n, s, opt),
            input,
            output,
            footprint,
            structure,
            size,
            axes,
            n_axes,
            origins,
            modes,
            n_modes,
            cval,
            options,
        )
    }
}

/// scipy.ndimage.morphological_gradient: `dilation - erosion` with NumPy's arithmetic
/// (`np.subtract(dilation, erosion_in_output, out=output)`: the promoted type of the input's
/// and output's, cast into the output's under NumPy's `same_kind` rule, else an error; bool
/// input and output are an error).
///
/// Arguments as `ndi_grey_erosion`.
///
/// # Safety
/// As `ndi_grey_erosion`.
#[no_mangle]
pub unsafe extern "C" fn ndi_morphological_gradient(
    input: *const ndi_array,
    output: *const ndi_array,
    footprint: *const ndi_array,
    structure: *const ndi_array,
    size: *const isize,
    axes: *const i32,
    n_axes: i32,
    origins: *const isize,
    modes: *const ndi_mode,
    n_modes: i32,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract.
    unsafe {
        grey(
            "ndi_morphological_gradient",
            |i, o, n, s, opt| crate::morphological_gradient(i, o, n, s, opt),
            input,
            output,
            footprint,
            structure,
            size,
            axes,
            n_axes,
            origins,
            modes,
            n_modes,
            cval,
            options,
        )
    }
}

/// scipy.ndimage.morphological_laplace: `((dilation + erosion) - input) - input`, each step
/// with NumPy's arithmetic into the output (as `ndi_morphological_gradient`).
///
/// Arguments as `ndi_grey_erosion`.
///
/// # Safety
/// As `ndi_grey_erosion`.
#[no_mangle]
pub unsafe extern "C" fn ndi_morphological_laplace(
    input: *const ndi_array,
    output: *const ndi_array,
    footprint: *const ndi_array,
    structure: *const ndi_array,
    size: *const isize,
    axes: *const i32,
    n_axes: i32,
    origins: *const isize,
    modes: *const ndi_mode,
    n_modes: i32,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract.
    unsafe {
        grey(
            "ndi_morphological_laplace",
            |i, o, n, s, opt| crate::morphological_laplace(i, o, n, s, opt),
            input,
            output,
            footprint,
            structure,
            size,
            axes,
            n_axes,
            origins,
            modes,
            n_modes,
            cval,
            options,
        )
    }
}

/// scipy.ndimage.white_tophat: `input - opening` (xor for a bool input and output) with NumPy's
/// arithmetic into the output (as `ndi_morphological_gradient`).
///
/// Arguments as `ndi_grey_erosion`.
///
/// # Safety
/// As `ndi_grey_erosion`.
#[no_mangle]
pub unsafe extern "C" fn ndi_white_tophat(
    input: *const ndi_array,
    output: *const ndi_array,
    footprint: *const ndi_array,
    structure: *const ndi_array,
    size: *const isize,
    axes: *const i32,
    n_axes: i32,
    origins: *const isize,
    modes: *const ndi_mode,
    n_modes: i32,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract.
    unsafe {
        grey(
            "ndi_white_tophat",
            |i, o, n, s, opt| crate::white_tophat(i, o, n, s, opt),
            input,
            output,
            footprint,
            structure,
            size,
            axes,
            n_axes,
            origins,
            modes,
            n_modes,
            cval,
            options,
        )
    }
}

/// scipy.ndimage.black_tophat: `closing - input` (xor for a bool input and output) with NumPy's
/// arithmetic into the output (as `ndi_morphological_gradient`).
///
/// Arguments as `ndi_grey_erosion`.
///
/// # Safety
/// As `ndi_grey_erosion`.
#[no_mangle]
pub unsafe extern "C" fn ndi_black_tophat(
    input: *const ndi_array,
    output: *const ndi_array,
    footprint: *const ndi_array,
    structure: *const ndi_array,
    size: *const isize,
    axes: *const i32,
    n_axes: i32,
    origins: *const isize,
    modes: *const ndi_mode,
    n_modes: i32,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract.
    unsafe {
        grey(
            "ndi_black_tophat",
            |i, o, n, s, opt| crate::black_tophat(i, o, n, s, opt),
            input,
            output,
            footprint,
            structure,
            size,
            axes,
            n_axes,
            origins,
            modes,
            n_modes,
            cval,
            options,
        )
    }
}
