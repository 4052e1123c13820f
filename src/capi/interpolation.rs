//! C entry points of the interpolation functions.

use std::ffi::{c_int, c_void};

use super::filters::ndi_transform_func;
use super::types::*;
use super::{guard, ndi_status};
use crate::error::{CallbackError, Error};
use crate::interpolation::{self, Spline};

fn spline_order(order: i32) -> Result<usize, Error> {
    usize::try_from(order)
        .ok()
        .filter(|&o| o <= 5)
        .ok_or_else(|| {
            Error::InvalidArgument(format!(
                "spline order {order} not supported: must be 0 to 5"
            ))
        })
}

/// scipy.ndimage.geometric_transform: `output[o] = input interpolated at mapping(o)`.
///
/// - `input`: any rank >= 1; `output`: any rank >= 1 and shape (the output shape), any dtype.
///   Integer outputs receive the value rounded half away from zero and clipped to the type.
/// - `order`: spline order 0 to 5; `mode`, `cval`: boundary handling (interpolation semantics:
///   `NDI_MODE_WRAP` and `NDI_MODE_GRID_WRAP` differ, as do the two constant modes);
///   `prefilter`: non-zero to convert the input to B-spline coefficients first (order > 1).
/// - `mapping`: called once per output element in C order of the output index, with the
///   output index (`output_rank` values; a copy, writing it has no effect) and
///   `input_coordinates` to fill (`input_rank` values; zeroed before the first call and not
///   reset between calls). Returning 0 stops the call with `NDI_ERR_CALLBACK_FAILED`; the
///   elements before the failing one are written.
///
/// Memory: with `prefilter` and order > 1, one float64 array of the input's shape (+24 per
/// axis in the nearest and grid-constant modes). If input and output memory overlap, the
/// input is copied first.
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_geometric_transform(
    input: *const ndi_array,
    output: *const ndi_array,
    order: i32,
    mode: ndi_mode,
    cval: f64,
    prefilter: i32,
    mapping: ndi_transform_func,
    user_data: *mut c_void,
    options: *const ndi_options,
) -> ndi_status {
    guard("ndi_geometric_transform", || {
        // SAFETY (whole block): pointers are checked for NULL and used within the caller's
        // documented contract.
        unsafe {
            read_options(options)?;
            let spline = Spline {
                order: spline_order(order)?,
                mode: mode_from_code(mode)?,
                cval,
                prefilter: prefilter != 0,
            };
            let mapping = mapping.ok_or_else(|| Error::NullPointer("mapping".into()))?;
            let input = input_view(input, "input")?;
            let mut output = output_view(output, "output")?;
            let out_rank = output.shape().len() as c_int;
            let in_rank = input.shape().len() as c_int;
            let mut out_coords: Vec<isize> = vec![0; out_rank as usize];
            let source = Source::new(input, &output);
            interpolation::geometric_transform(
                &source.view(),
                &mut output,
                &spline,
                |index, coords| {
                    for (c, &i) in out_coords.iter_mut().zip(index) {
                        *c = i as isize;
                    }
                    let ok = mapping(
                        out_coords.as_mut_ptr(),
                        coords.as_mut_ptr(),
                        out_rank,
                        in_rank,
                        user_data,
                    );
                    if ok != 0 {
                        Ok(())
                    } else {
                        Err(CallbackError::default())
                    }
                },
            )
        }
    })
}

/// scipy.ndimage.spline_filter1d: B-spline coefficients of `order` (0 to 5; 0 and 1 copy)
/// along `axis` (negative counts from the end) for boundary `mode`. Input and output have the
/// same shape; the output is stored with the filter rule (truncation for integer types).
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_spline_filter1d(
    input: *const ndi_array,
    output: *const ndi_array,
    order: i32,
    axis: i32,
    mode: ndi_mode,
    options: *const ndi_options,
) -> ndi_status {
    guard("ndi_spline_filter1d", || {
        // SAFETY (whole block): as in ndi_geometric_transform.
        unsafe {
            read_options(options)?;
            let order = spline_order(order)?;
            let mode = mode_from_code(mode)?;
            let input = input_view(input, "input")?;
            let mut output = output_view(output, "output")?;
            let source = Source::new(input, &output);
            interpolation::spline_filter1d(&source.view(), &mut output, order, axis as isize, mode)
        }
    })
}

/// scipy.ndimage.spline_filter: `ndi_spline_filter1d` along every axis in turn, intermediate
/// results stored in the output's type as scipy does. `order` 2 to 5.
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_spline_filter(
    input: *const ndi_array,
    output: *const ndi_array,
    order: i32,
    mode: ndi_mode,
    options: *const ndi_options,
) -> ndi_status {
    guard("ndi_spline_filter", || {
        // SAFETY (whole block): as in ndi_geometric_transform.
        unsafe {
            read_options(options)?;
            let order = spline_order(order)?;
            let mode = mode_from_code(mode)?;
            let input = input_view(input, "input")?;
            let mut output = output_view(output, "output")?;
            let source = Source::new(input, &output);
            interpolation::spline_filter(&source.view(), &mut output, order, mode)
        }
    })
}
