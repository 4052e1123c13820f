//! C entry points of the interpolation functions.

use std::ffi::{c_int, c_void};

use super::filters::ndi_transform_func;
use super::types::*;
use super::{guard, ndi_status};
use crate::array::{ArrayMut, ArrayRef};
use crate::error::{CallbackError, Error};
use crate::interpolation::{self, AffineMatrix, Spline};
use crate::parallel::Threads;

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

fn spline(order: i32, mode: ndi_mode, cval: f64, prefilter: i32) -> Result<Spline, Error> {
    Ok(Spline {
        order: spline_order(order)?,
        mode: mode_from_code(mode)?,
        cval,
        prefilter: prefilter != 0,
    })
}

/// Runs `run(input part, output part, cval part)` once for real arrays, or for the real and
/// then the imaginary parts of complex ones (as scipy does, with `cval`'s parts).
///
/// # Safety
/// As `ndi_generic_filter`.
unsafe fn for_parts<F>(
    input: *const ndi_array,
    output: *const ndi_array,
    cval: (f64, f64),
    mut run: F,
) -> Result<(), Error>
where
    F: FnMut(&ArrayRef<'_>, &mut ArrayMut<'_>, f64, (usize, usize)) -> Result<(), Error>,
{
    // SAFETY: forwarded caller contract.
    let (input, mut output) = unsafe {
        (
            input_parts(input, "input")?,
            output_parts(output, "output")?,
        )
    };
    let written = output.byte_range();
    match (input, &mut output) {
        (Parts::Real(i), Parts::Real(o)) => {
            run(&Source::new(i, written).view(), o, cval.0, written)
        }
        (Parts::Complex(ir, ii), Parts::Complex(or, oi)) => {
            // Both parts are copied before anything is written if they overlap the output.
            let (re, im) = (Source::new(ir, written), Source::new(ii, written));
            run(&re.view(), or, cval.0, written)?;
            run(&im.view(), oi, cval.1, written)
        }
        (Parts::Complex(..), Parts::Real(_)) => Err(Error::InvalidArray(
            "output must have a complex dtype for a complex input".into(),
        )),
        (Parts::Real(_), Parts::Complex(..)) => Err(Error::InvalidArray(
            "a complex output needs a complex input".into(),
        )),
    }
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
///   elements before the failing one are written. With `NDI_FLAG_THREAD_SAFE_CALLBACK` and
///   more than one thread, it is called from several threads at once in no fixed order, each
///   thread's `input_coordinates` starting zeroed, so it must write every coordinate; a
///   failure stops the other threads promptly.
/// - Complex arrays run the real, then the imaginary part: `mapping` is called twice per
///   element, as in scipy.
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
            let options = read_options(options)?;
            let threads = Threads::Count(options.threads_for(true)?);
            let mapping = mapping.ok_or_else(|| Error::NullPointer("mapping".into()))?;
            let user_data = UserData::new(user_data);
            let spline = spline(order, mode, cval, prefilter)?;
            for_parts(
                input,
                output,
                (cval, options.cval_imag),
                |input, output, cval, _| {
                    let out_rank = output.shape().len();
                    let in_rank = input.shape().len() as c_int;
                    let spline = Spline { cval, ..spline };
                    // The callback gets its own copy of the index (it may write to it).
                    let call_with = |out_coords: &mut [isize], coords: &mut [f64]| {
                        let ok = mapping(
                            out_coords.as_mut_ptr(),
                            coords.as_mut_ptr(),
                            out_rank as c_int,
                            in_rank,
                            user_data.get(),
                        );
                        if ok != 0 {
                            Ok(())
                        } else {
                            Err(CallbackError::default())
                        }
                    };
                    // Small, so that it is inlined into the interpolation loop.
                    let call = |index: &[usize], coords: &mut [f64]| {
                        if out_rank > SMALL_RANK {
                            return call_large(index, coords, call_with);
                        }
                        let mut small = [0isize; SMALL_RANK];
                        for (c, &i) in small.iter_mut().zip(index) {
                            *c = index_entry(i);
                        }
                        call_with(&mut small[..out_rank], coords)
                    };
                    if threads == Threads::Count(1) {
                        // The calling thread, and scipy's exact buffer semantics.
                        interpolation::geometric_transform(input, output, &spline, call)
                    } else {
                        interpolation::geometric_transform_parallel(
                            input, output, &spline, threads, call,
                        )
                    }
                },
            )
        }
    })
}

/// Output ranks up to which the mapping's index copy lives on the stack.
const SMALL_RANK: usize = 8;

/// The mapping call of [`ndi_geometric_transform`] for output ranks above [`SMALL_RANK`]:
/// the index copy on the heap.
#[cold]
fn call_large(
    index: &[usize],
    coords: &mut [f64],
    call_with: impl Fn(&mut [isize], &mut [f64]) -> Result<(), CallbackError>,
) -> Result<(), CallbackError> {
    let mut copy: Vec<isize> = index.iter().map(|&i| index_entry(i)).collect();
    call_with(&mut copy, coords)
}

/// An output index entry as the mapping receives it. The conversion is checked (indices fit
/// `isize`), which also keeps the short copy from becoming a call to memcpy.
#[inline(always)]
fn index_entry(i: usize) -> isize {
    isize::try_from(i).unwrap_or(isize::MAX)
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
            let threads = Threads::Count(read_options(options)?.threads_for(false)?);
            let order = spline_order(order)?;
            let mode = mode_from_code(mode)?;
            for_parts(input, output, (0.0, 0.0), |input, output, _, _| {
                interpolation::spline_filter1d(input, output, order, axis as isize, mode, threads)
            })
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
            let threads = Threads::Count(read_options(options)?.threads_for(false)?);
            let order = spline_order(order)?;
            let mode = mode_from_code(mode)?;
            for_parts(input, output, (0.0, 0.0), |input, output, _, _| {
                interpolation::spline_filter(input, output, order, mode, threads)
            })
        }
    })
}

/// scipy.ndimage.map_coordinates: `output[i] = input interpolated at (coordinates[0, i], ...,
/// coordinates[rank-1, i])`. `coordinates` has rank `1 + output rank`, shape
/// `[input rank, output shape...]`, and any real dtype. `order`, `mode`, `cval`, `prefilter` as
/// in `ndi_geometric_transform`.
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_map_coordinates(
    input: *const ndi_array,
    coordinates: *const ndi_array,
    output: *const ndi_array,
    order: i32,
    mode: ndi_mode,
    cval: f64,
    prefilter: i32,
    options: *const ndi_options,
) -> ndi_status {
    guard("ndi_map_coordinates", || {
        // SAFETY (whole block): as in ndi_geometric_transform.
        unsafe {
            let options = read_options(options)?;
            let threads = Threads::Count(options.threads_for(false)?);
            let spline = spline(order, mode, cval, prefilter)?;
            let coordinates = input_view(coordinates, "coordinates")?;
            for_parts(
                input,
                output,
                (cval, options.cval_imag),
                |input, output, cval, written| {
                    let coordinates = Source::new(coordinates.clone(), written);
                    let spline = Spline { cval, ..spline };
                    interpolation::map_coordinates(
                        input,
                        &coordinates.view(),
                        output,
                        &spline,
                        threads,
                    )
                },
            )
        }
    })
}

/// scipy.ndimage.affine_transform: `output[o] = input interpolated at matrix · o + offset`.
///
/// `matrix` holds `matrix_shape[0]` (× `matrix_shape[1]`) doubles, row-major, for
/// `matrix_ndim` 1 or 2, as scipy accepts it: 1-D of length `in_rank` (a diagonal, computed as
/// scipy does: `(o + offset / m) · m`); `[in_rank, out_rank]`; or the homogeneous forms
/// `[in_rank, out_rank + 1]` and `[in_rank + 1, out_rank + 1]` (bottom row `0 … 0 1`), whose
/// last column is the offset (the `offset` argument is then ignored). `offset`: `in_rank`
/// values, or NULL for zeros. The output array gives the output shape.
///
/// # Safety
/// As `ndi_generic_filter`; `matrix` holds the number of doubles its shape says.
#[no_mangle]
pub unsafe extern "C" fn ndi_affine_transform(
    input: *const ndi_array,
    output: *const ndi_array,
    matrix: *const f64,
    matrix_shape: *const isize,
    matrix_ndim: i32,
    offset: *const f64,
    order: i32,
    mode: ndi_mode,
    cval: f64,
    prefilter: i32,
    options: *const ndi_options,
) -> ndi_status {
    guard("ndi_affine_transform", || {
        // SAFETY (whole block): as in ndi_geometric_transform.
        unsafe {
            let options = read_options(options)?;
            let threads = Threads::Count(options.threads_for(false)?);
            let spline = spline(order, mode, cval, prefilter)?;
            if !(1..=2).contains(&matrix_ndim) {
                return Err(Error::InvalidArgument(format!(
                    "matrix_ndim {matrix_ndim}: must be 1 or 2"
                )));
            }
            let shape = c_slice(matrix_shape, matrix_ndim as usize, "matrix_shape")?;
            let mut dims = Vec::with_capacity(shape.len());
            let mut len: usize = 1;
            for &d in shape {
                let d = usize::try_from(d)
                    .ok()
                    .filter(|&d| d <= 1 << 16)
                    .ok_or_else(|| Error::InvalidArgument(format!("matrix dimension {d}")))?;
                dims.push(d);
                len *= d;
            }
            // Copied: the matrix may lie in the output's memory, which the call writes.
            let matrix = c_slice(matrix, len, "matrix")?.to_vec();
            let mut offset_copy: Option<Vec<f64>> = None;
            for_parts(
                input,
                output,
                (cval, options.cval_imag),
                |input, output, cval, _| {
                    let in_rank = input.shape().len();
                    let (linear, homogeneous_offset) =
                        AffineMatrix::from_scipy(&matrix, &dims, in_rank, output.shape().len())?;
                    let offset = match homogeneous_offset {
                        Some(o) => o,
                        None if offset.is_null() => vec![0.0; in_rank],
                        None => {
                            // Copied once, before any part is written, as the matrix is.
                            if offset_copy.is_none() {
                                offset_copy = Some(c_slice(offset, in_rank, "offset")?.to_vec());
                            }
                            offset_copy.clone().unwrap_or_default()
                        }
                    };
                    let spline = Spline { cval, ..spline };
                    interpolation::affine_transform(
                        input, output, linear, &offset, &spline, threads,
                    )
                },
            )
        }
    })
}

/// scipy.ndimage.shift: `output[i] = input interpolated at i - shift` (`shift`: one value per
/// axis; input and output have the same rank).
///
/// # Safety
/// As `ndi_generic_filter`; `shift` holds `rank` doubles.
#[no_mangle]
pub unsafe extern "C" fn ndi_shift(
    input: *const ndi_array,
    output: *const ndi_array,
    shift: *const f64,
    order: i32,
    mode: ndi_mode,
    cval: f64,
    prefilter: i32,
    options: *const ndi_options,
) -> ndi_status {
    guard("ndi_shift", || {
        // SAFETY (whole block): as in ndi_geometric_transform.
        unsafe {
            let options = read_options(options)?;
            let threads = Threads::Count(options.threads_for(false)?);
            let spline = spline(order, mode, cval, prefilter)?;
            let mut shift_copy: Option<Vec<f64>> = None;
            for_parts(
                input,
                output,
                (cval, options.cval_imag),
                |input, output, cval, _| {
                    // Copied once, before any part is written: the shifts may lie in the
                    // output's memory.
                    if shift_copy.is_none() {
                        shift_copy = Some(c_slice(shift, input.shape().len(), "shift")?.to_vec());
                    }
                    let shift = shift_copy.clone().unwrap_or_default();
                    let spline = Spline { cval, ..spline };
                    interpolation::shift(input, output, &shift, &spline, threads)
                },
            )
        }
    })
}

/// scipy.ndimage.zoom onto the output array's shape (scipy's output size is
/// `round(n · zoom)` with round-half-even; the caller chooses it). `grid_mode` non-zero maps
/// pixel edges instead of centres. scipy's shortcut for a zoom of exactly 1 (a plain copy that
/// truncates to integer outputs) is the caller's to take.
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_zoom(
    input: *const ndi_array,
    output: *const ndi_array,
    grid_mode: i32,
    order: i32,
    mode: ndi_mode,
    cval: f64,
    prefilter: i32,
    options: *const ndi_options,
) -> ndi_status {
    guard("ndi_zoom", || {
        // SAFETY (whole block): as in ndi_geometric_transform.
        unsafe {
            let options = read_options(options)?;
            let threads = Threads::Count(options.threads_for(false)?);
            let spline = spline(order, mode, cval, prefilter)?;
            for_parts(
                input,
                output,
                (cval, options.cval_imag),
                |input, output, cval, _| {
                    let spline = Spline { cval, ..spline };
                    interpolation::zoom(input, output, grid_mode != 0, &spline, threads)
                },
            )
        }
    })
}

/// The output shape of `ndi_rotate` for an input of `rank` sizes `shape`: with `reshape`
/// non-zero, the rotated plane's bounding box (scipy's `reshape=True`); otherwise the input's
/// shape. Writes `rank` sizes to `out_shape`.
///
/// # Safety
/// `shape` holds `rank` readable values and `out_shape` `rank` writable ones.
#[no_mangle]
pub unsafe extern "C" fn ndi_rotate_shape(
    shape: *const isize,
    rank: i32,
    angle: f64,
    axis0: i32,
    axis1: i32,
    reshape: i32,
    out_shape: *mut isize,
) -> ndi_status {
    guard("ndi_rotate_shape", || {
        if !(1..=NDI_MAX_RANK).contains(&rank) {
            return Err(Error::InvalidArray(format!(
                "rank {rank} is outside 1..={NDI_MAX_RANK}"
            )));
        }
        if out_shape.is_null() {
            return Err(Error::NullPointer("out_shape".into()));
        }
        // SAFETY: the caller's contract; NULL checked by c_slice.
        let sizes = unsafe { c_slice(shape, rank as usize, "shape")? };
        let sizes = sizes
            .iter()
            .map(|&n| {
                usize::try_from(n).map_err(|_| Error::InvalidArray(format!("negative size {n}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let result = interpolation::rotate_shape(
            &sizes,
            angle,
            [axis0 as isize, axis1 as isize],
            reshape != 0,
        )?;
        for (k, &n) in result.iter().enumerate() {
            let n = isize::try_from(n)
                .map_err(|_| Error::InvalidArgument("output size overflows".into()))?;
            // SAFETY: out_shape holds `rank` writable values (caller's contract).
            unsafe { out_shape.add(k).write(n) };
        }
        Ok(())
    })
}

/// scipy.ndimage.rotate: rotates `input` by `angle` degrees in the plane of axes `axis0`,
/// `axis1` (in any order, negative counted from the end, different) about the plane's centre.
/// `output` must have `ndi_rotate_shape`'s shape for the same `reshape`. For rank > 2 each
/// plane is transformed on its own, as in scipy. `order`, `mode`, `cval`, `prefilter`,
/// `options`: as in `ndi_affine_transform`.
///
/// The sine and cosine are scipy.special's `sindg`/`cosdg` (exact at multiples of 90
/// degrees); the centring is computed as numpy does on x86-64 with FMA, so the numbers equal
/// scipy's there.
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_rotate(
    input: *const ndi_array,
    output: *const ndi_array,
    angle: f64,
    axis0: i32,
    axis1: i32,
    reshape: i32,
    order: i32,
    mode: ndi_mode,
    cval: f64,
    prefilter: i32,
    options: *const ndi_options,
) -> ndi_status {
    guard("ndi_rotate", || {
        // SAFETY (whole block): as in ndi_geometric_transform.
        unsafe {
            let options = read_options(options)?;
            let threads = Threads::Count(options.threads_for(false)?);
            let spline = spline(order, mode, cval, prefilter)?;
            for_parts(
                input,
                output,
                (cval, options.cval_imag),
                |input, output, cval, _| {
                    let spline = Spline { cval, ..spline };
                    interpolation::rotate(
                        input,
                        output,
                        angle,
                        [axis0 as isize, axis1 as isize],
                        reshape != 0,
                        &spline,
                        threads,
                    )
                },
            )
        }
    })
}
