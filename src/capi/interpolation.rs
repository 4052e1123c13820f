//! C entry points of the interpolation functions.

use std::ffi::{c_int, c_void};

use super::call::{entry, entry_tile, Call};
use super::types::*;
use super::{guard, ndi_mode, ndi_status};
use crate::error::{CallbackError, Error};
use crate::interpolation::{self, AffineMatrix};
use crate::Threads;

/// scipy's `geometric_transform` LowLevelCallable prototype:
/// `int callback(intptr_t *output_coordinates, double *input_coordinates, int output_rank,
/// int input_rank, void *user_data)`, used by `ndi_geometric_transform`.
pub type ndi_transform_func = Option<
    unsafe extern "C" fn(
        output_coordinates: *mut isize,
        input_coordinates: *mut f64,
        output_rank: c_int,
        input_rank: c_int,
        user_data: *mut c_void,
    ) -> c_int,
>;

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
/// - Complex arrays run the real, then the imaginary part (with `cval` and
///   `options.cval_imag`): `mapping` is called twice per element, as in scipy.
/// - Tiles: takes the options' regions and `NDI_FLAG_PREFILTERED` (see `ndi_options`); the
///   mapping then receives whole-output indices.
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
    let body = |call: &Call| {
        let threads = call.callback_threads()?;
        let mapping = mapping.ok_or_else(|| Error::NullPointer("mapping".into()))?;
        let user_data = UserData::new(user_data);
        let spline = call.spline(order, mode, cval, prefilter)?;
        // SAFETY (both conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let (out_rank, in_rank) = (output.rank(), input.rank() as c_int);
        // SAFETY: the options' region pointers (the caller's contract).
        let tile = unsafe { call.tile(input.rank(), out_rank)? };
        // The callback gets its own copy of the index (it may write to it).
        let call_with = |out_coords: &mut [isize], coords: &mut [f64]| {
            let (index, coords) = (out_coords.as_mut_ptr(), coords.as_mut_ptr());
            // SAFETY: the mapping's documented contract: the two coordinate arrays and ranks.
            let ok = unsafe { mapping(index, coords, out_rank as c_int, in_rank, user_data.get()) };
            if ok != 0 {
                Ok(())
            } else {
                Err(CallbackError::default())
            }
        };
        // Small, so that it is inlined into the interpolation loop.
        let function = |index: &[usize], coords: &mut [f64]| {
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
            crate::interpolation::geometric_transform_tile(input, output, &spline, &tile, function)
        } else {
            crate::interpolation::geometric_transform_parallel_tile(
                input, output, &spline, &tile, threads, function,
            )
        }
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry_tile("ndi_geometric_transform", options, body) }
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
    let body = |call: &Call| {
        let order = call.order(order)?;
        let mode = call.mode(mode)?;
        // SAFETY (both conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        crate::spline_filter1d(input, output, order, axis as isize, mode, call.threads()?)
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_spline_filter1d", options, body) }
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
    let body = |call: &Call| {
        let order = call.order(order)?;
        let mode = call.mode(mode)?;
        // SAFETY (both conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        crate::spline_filter(input, output, order, mode, call.threads()?)
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_spline_filter", options, body) }
}

/// scipy.ndimage.map_coordinates: `output[i] = input interpolated at (coordinates[0, i], ...,
/// coordinates[rank-1, i])`. `coordinates` has rank `1 + output rank`, shape
/// `[input rank, output shape...]`, and any real dtype. `order`, `mode`, `cval`, `prefilter` as
/// in `ndi_geometric_transform`. Takes the options' regions and `NDI_FLAG_PREFILTERED` (see
/// `ndi_options`): the coordinates are in the whole input.
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
    let body = |call: &Call| {
        let spline = call.spline(order, mode, cval, prefilter)?;
        // SAFETY (the three conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let coordinates = unsafe { call.input(coordinates, "coordinates")? };
        let output = unsafe { call.output(output, "output")? };
        // SAFETY: the options' region pointers (the caller's contract).
        let tile = unsafe { call.tile(input.rank(), output.rank())? };
        crate::interpolation::map_coordinates_tile(
            input,
            coordinates,
            output,
            &spline,
            &tile,
            call.threads()?,
        )
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry_tile("ndi_map_coordinates", options, body) }
}

/// scipy.ndimage.affine_transform: `output[o] = input interpolated at matrix · o + offset`.
///
/// `matrix` holds `matrix_shape[0]` (× `matrix_shape[1]`) doubles, row-major, for
/// `matrix_ndim` 1 or 2, as scipy accepts it: 1-D of length `in_rank` (a diagonal, computed as
/// scipy does: `(o + offset / m) · m`; one holding a zero as the full matrix `diag(m)`, which
/// samples that axis at its offset, where scipy divides by zero); `[in_rank, out_rank]`; or the homogeneous forms
/// `[in_rank, out_rank + 1]` and `[in_rank + 1, out_rank + 1]` (bottom row `0 … 0 1`), whose
/// last column is the offset (the `offset` argument is then ignored). `offset`: `in_rank`
/// values, or NULL for zeros. The output array gives the output shape. Takes the options'
/// regions and `NDI_FLAG_PREFILTERED` (see `ndi_options`): `o` is then the whole-output index.
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
    let body = |call: &Call| {
        let spline = call.spline(order, mode, cval, prefilter)?;
        if !(1..=2).contains(&matrix_ndim) {
            return Err(Error::InvalidArgument(format!(
                "matrix_ndim {matrix_ndim}: must be 1 or 2"
            )));
        }
        // SAFETY: the caller's contract on `matrix_shape`.
        let shape = unsafe { call.values(matrix_shape, matrix_ndim as usize, "matrix_shape")? };
        let mut dims = Vec::with_capacity(shape.len());
        for &d in &shape {
            let d = usize::try_from(d)
                .ok()
                .filter(|&d| d <= 1 << 16)
                .ok_or_else(|| Error::InvalidArgument(format!("matrix dimension {d}")))?;
            dims.push(d);
        }
        let len = dims.iter().product();
        // SAFETY (the four conversions): the caller's contract on each pointer. The matrix and
        // offset are copies: they may lie in the output's memory, which the call writes.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        // The shape is checked against the ranks before the matrix is read: a shape that
        // does not fit them says nothing about how many doubles the caller has.
        AffineMatrix::check_shape(&dims, input.rank(), output.rank())?;
        let matrix = unsafe { call.values(matrix, len, "matrix")? };
        let (linear, homogeneous_offset) =
            AffineMatrix::from_scipy(&matrix, &dims, input.rank(), output.rank())?;
        let offset = match homogeneous_offset {
            Some(o) => o,
            None => unsafe { call.values_or(offset, input.rank(), 0.0, "offset")? },
        };
        // SAFETY: the options' region pointers (the caller's contract).
        let tile = unsafe { call.tile(input.rank(), output.rank())? };
        crate::interpolation::affine_transform_tile(
            input,
            output,
            linear,
            &offset,
            &spline,
            &tile,
            call.threads()?,
        )
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry_tile("ndi_affine_transform", options, body) }
}

/// scipy.ndimage.shift: `output[i] = input interpolated at i - shift` (`shift`: one value per
/// axis; input and output have the same rank). Takes the options' regions and
/// `NDI_FLAG_PREFILTERED` (see `ndi_options`): `i` is then the whole-output index.
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
    let body = |call: &Call| {
        let spline = call.spline(order, mode, cval, prefilter)?;
        // SAFETY (the three conversions): the caller's contract on each pointer. The shifts
        // are a copy: they may lie in the output's memory.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let shift = unsafe { call.values(shift, input.rank(), "shift")? };
        // SAFETY: the options' region pointers (the caller's contract).
        let tile = unsafe { call.tile(input.rank(), output.rank())? };
        crate::interpolation::shift_tile(input, output, &shift, &spline, &tile, call.threads()?)
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry_tile("ndi_shift", options, body) }
}

/// scipy.ndimage.zoom onto the output array's shape (scipy's output size is
/// `round(n · zoom)` with round-half-even: `ndi_zoom_shape` computes it). `grid_mode` non-zero
/// maps pixel edges instead of centres. scipy's shortcut for a zoom of exactly 1 (a plain copy
/// that truncates to integer outputs, which `ndi_zoom_shape` reports) is the caller's to take.
/// Takes the options' regions and `NDI_FLAG_PREFILTERED` (see `ndi_options`): the factors
/// then come from the whole input's and the whole output's shapes.
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
    let body = |call: &Call| {
        let spline = call.spline(order, mode, cval, prefilter)?;
        // SAFETY (both conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        // SAFETY: the options' region pointers (the caller's contract).
        let tile = unsafe { call.tile(input.rank(), output.rank())? };
        let grid_mode = grid_mode != 0;
        let threads = call.threads()?;
        crate::interpolation::zoom_tile(input, output, grid_mode, &spline, &tile, threads)
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry_tile("ndi_zoom", options, body) }
}

/// scipy.ndimage.zoom's output shape for an input of `rank` sizes `shape` and `rank` zoom
/// factors `zoom`: per axis `round(n · zoom)`, rounding halves to even as Python's `round`
/// does, written to `out_shape`. `*identity` (if not NULL) is set to 1 when every factor is
/// exactly 1, where scipy returns a plain copy of the input (numpy's conversion) instead of
/// interpolating, and to 0 otherwise.
///
/// # Safety
/// `shape` and `zoom` hold `rank` readable values, `out_shape` `rank` writable ones;
/// `identity` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn ndi_zoom_shape(
    shape: *const isize,
    rank: i32,
    zoom: *const f64,
    out_shape: *mut isize,
    identity: *mut i32,
) -> ndi_status {
    guard("ndi_zoom_shape", || {
        let rank = c_rank(rank)?;
        if out_shape.is_null() {
            return Err(Error::NullPointer("out_shape".into()));
        }
        // SAFETY (both reads): the caller's contract; NULL checked by c_slice.
        let sizes = sizes(unsafe { c_slice(shape, rank, "shape")? })?;
        let zoom = unsafe { c_slice(zoom, rank, "zoom")? };
        let mut result = vec![0usize; rank];
        let all_one = interpolation::zoom_shape(&sizes, zoom, &mut result)?;
        // SAFETY: out_shape holds `rank` writable values and `identity` is NULL or writable
        // (the caller's contract).
        unsafe { write_sizes(&result, out_shape)? };
        if !identity.is_null() {
            // SAFETY: as above.
            unsafe { identity.write_unaligned(all_one as i32) };
        }
        Ok(())
    })
}

/// A rank argument, 1 to `NDI_MAX_RANK`.
pub(super) fn c_rank(rank: i32) -> Result<usize, Error> {
    if !(1..=NDI_MAX_RANK).contains(&rank) {
        return Err(Error::InvalidArray(format!(
            "rank {rank} is outside 1..={NDI_MAX_RANK}"
        )));
    }
    Ok(rank as usize)
}

/// Sizes from C: each >= 0.
pub(super) fn sizes(values: &[isize]) -> Result<Vec<usize>, Error> {
    values
        .iter()
        .map(|&n| usize::try_from(n).map_err(|_| Error::InvalidArray(format!("negative size {n}"))))
        .collect()
}

/// Writes sizes to a C array.
///
/// # Safety
/// `out` holds `sizes.len()` writable values.
pub(super) unsafe fn write_sizes(sizes: &[usize], out: *mut isize) -> Result<(), Error> {
    let converted = sizes
        .iter()
        .map(|&n| {
            isize::try_from(n).map_err(|_| Error::InvalidArgument("output size overflows".into()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    for (k, &n) in converted.iter().enumerate() {
        // SAFETY: the caller's contract.
        unsafe { out.add(k).write_unaligned(n) };
    }
    Ok(())
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
        let rank = c_rank(rank)?;
        if out_shape.is_null() {
            return Err(Error::NullPointer("out_shape".into()));
        }
        // SAFETY: the caller's contract; NULL checked by c_slice.
        let sizes = sizes(unsafe { c_slice(shape, rank, "shape")? })?;
        let axes = [axis0 as isize, axis1 as isize];
        let result = interpolation::rotate_shape(&sizes, angle, axes, reshape != 0)?;
        // SAFETY: out_shape holds `rank` writable values (the caller's contract).
        unsafe { write_sizes(&result, out_shape) }
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
/// Takes the options' regions and `NDI_FLAG_PREFILTERED` (see `ndi_options`): the rotation's
/// shape and centring then come from the whole input's shape, and the whole output must have
/// `ndi_rotate_shape`'s shape. For rank > 2 the input and output boxes must be the same on
/// the axes outside the plane, and prefiltered coefficients are padded on the plane's axes
/// only (each plane is prefiltered on its own).
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
    let body = |call: &Call| {
        let spline = call.spline(order, mode, cval, prefilter)?;
        // SAFETY (both conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let axes = [axis0 as isize, axis1 as isize];
        // SAFETY: the options' region pointers (the caller's contract).
        let tile = unsafe { call.tile(input.rank(), output.rank())? };
        crate::interpolation::rotate_tile(
            input,
            output,
            angle,
            axes,
            reshape != 0,
            &spline,
            &tile,
            call.threads()?,
        )
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry_tile("ndi_rotate", options, body) }
}

/// The padding per side, in samples, of the spline coefficients an interpolation with
/// `order`, `mode` and `prefilter` reads, written to `*npad`: 12 with the prefilter (order > 1)
/// in `NDI_MODE_NEAREST` and `NDI_MODE_GRID_CONSTANT` (scipy pads the input before
/// prefiltering there), 0 otherwise. `ndi_spline_coefficients` makes arrays that much wider
/// on every side.
///
/// # Safety
/// `npad` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn ndi_spline_padding(
    order: i32,
    mode: ndi_mode,
    prefilter: i32,
    npad: *mut isize,
) -> ndi_status {
    guard("ndi_spline_padding", || {
        if npad.is_null() {
            return Err(Error::NullPointer("npad".into()));
        }
        let order = usize::try_from(order)
            .ok()
            .filter(|&o| o <= 5)
            .ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "spline order {order} not supported: must be 0 to 5"
                ))
            })?;
        let mode = super::codes::mode_from_code(mode)?;
        let pad = interpolation::spline_padding(order, mode, prefilter != 0);
        // SAFETY: `npad` is writable (the caller's contract), non-NULL.
        unsafe { npad.write_unaligned(pad as isize) };
        Ok(())
    })
}

/// The spline coefficients an interpolation with `order`, `mode`, `cval` and `prefilter`
/// computes from `input` before interpolating, written to `output`: with the prefilter
/// (order > 1), the input padded by `ndi_spline_padding` samples per side in the nearest and
/// grid-constant modes (edge values, or `cval` stored into the input's type, as scipy pads),
/// then prefiltered along every axis in turn in float64; otherwise the input converted to
/// float64. `output` is float64 (complex128 for a complex input, part by part with `cval`
/// and `options.cval_imag`), its shape the input's plus twice the padding on every axis.
///
/// An interpolation given these with `NDI_FLAG_PREFILTERED` (and the same order, mode,
/// cval and prefilter) gives the numbers it gives for `input`; with the options' input region
/// it can read a box of them, so a large input is prefiltered once and its tiles evaluated
/// separately.
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_spline_coefficients(
    input: *const ndi_array,
    output: *const ndi_array,
    order: i32,
    mode: ndi_mode,
    cval: f64,
    prefilter: i32,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let spline = call.spline(order, mode, cval, prefilter)?;
        // SAFETY (both conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        interpolation::spline_coefficients(input, output, &spline, call.threads()?)
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_spline_coefficients", options, body) }
}
