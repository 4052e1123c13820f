//! C entry points of the filters.

use std::ffi::{c_int, c_void};

use super::call::{entry, Call};
use super::types::*;
use super::{ndi_mode, ndi_status};
use crate::error::{CallbackError, Error};

/// scipy's `generic_filter` LowLevelCallable prototype:
/// `int callback(double *buffer, intptr_t filter_size, double *return_value, void *user_data)`.
///
/// `buffer` holds the `filter_size` input values under the footprint's selected elements, in C
/// order of the footprint; the callback may overwrite them. `*return_value` is 0.0 on entry; the
/// callback stores the filter's value there and returns 1, or returns 0 to stop the call with
/// `NDI_ERR_CALLBACK_FAILED`. It is called once per element: from the calling thread, in C
/// order of the element index, unless the options set `NDI_FLAG_THREAD_SAFE_CALLBACK` and
/// more than one thread; then from several threads at once, in no fixed order, and a failure
/// on one thread stops the others promptly.
pub type ndi_filter_func = Option<
    unsafe extern "C" fn(
        buffer: *mut f64,
        filter_size: isize,
        return_value: *mut f64,
        user_data: *mut c_void,
    ) -> c_int,
>;

/// scipy's `generic_filter1d` LowLevelCallable prototype:
/// `int callback(double *input_line, intptr_t input_length, double *output_line,
/// intptr_t output_length, void *user_data)`.
///
/// `input_line` is one line of the input extended by the boundary mode
/// (`input_length = output_length + filter_size - 1`; `input_line[i .. i + filter_size]` is the
/// window of output `i`). The callback writes all `output_length` values of `output_line`
/// (which holds the previous line's values on entry, zeros for the first) and returns 1, or
/// returns 0 to stop the call with `NDI_ERR_CALLBACK_FAILED`. Called once per line: from the
/// calling thread, lines in C order of the other axes, unless the options set
/// `NDI_FLAG_THREAD_SAFE_CALLBACK` and more than one thread; then from several threads at
/// once, in no fixed order (each thread's `output_line` buffer starts zeroed).
pub type ndi_filter1d_func = Option<
    unsafe extern "C" fn(
        input_line: *mut f64,
        input_length: isize,
        output_line: *mut f64,
        output_length: isize,
        user_data: *mut c_void,
    ) -> c_int,
>;

/// The outcome of a callback's return value.
fn succeeded(ok: c_int) -> Result<(), CallbackError> {
    if ok != 0 {
        Ok(())
    } else {
        Err(CallbackError::default())
    }
}

/// scipy.ndimage.generic_filter: `output[i] = callback(values of input under the footprint
/// placed at i)`.
///
/// - `input`, `output`: arrays of the same shape, any real dtypes (independent). If their
///   memory overlaps, the input is copied first, so the result equals that of separate memory.
/// - `footprint`: mask array of the input's rank (non-zero = selected, any dtype), or NULL to
///   use `size`. An all-zero mask is allowed: the callback then gets `filter_size` 0.
/// - `size`: `rank` box sizes (each >= 1), used when `footprint` is NULL.
/// - `origins`: `rank` origins, or NULL for zeros; each must satisfy
///   `-(fs / 2) <= origin <= (fs - 1) / 2` for the footprint extent `fs` on that axis.
/// - `mode`, `cval`: boundary handling (`cval` for the constant modes).
/// - `options`: NULL or initialised with `ndi_options_init`.
///
/// Results are converted to the output dtype by truncation toward zero (see the README's
/// conversion table). Nothing is written unless all arguments are valid; on a callback
/// failure (or a cancellation) the elements before the failing one are written.
///
/// # Safety
/// Every pointer is NULL or valid as documented on `ndi_array`; the arrays' memory stays valid
/// and is not modified by other threads during the call.
#[no_mangle]
pub unsafe extern "C" fn ndi_generic_filter(
    input: *const ndi_array,
    output: *const ndi_array,
    footprint: *const ndi_array,
    size: *const isize,
    origins: *const isize,
    mode: ndi_mode,
    cval: f64,
    callback: ndi_filter_func,
    user_data: *mut c_void,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let threads = call.callback_threads()?;
        let mode = call.mode(mode)?;
        let callback = callback.ok_or_else(|| Error::NullPointer("callback".into()))?;
        let user_data = UserData::new(user_data);
        // SAFETY (the four conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        // Everything the footprint does not depend on is checked before it is made.
        crate::args::same_shape_real(&input, &output)?;
        let origins = unsafe { call.origins(origins, input.rank())? };
        let footprint = unsafe { call.footprint(footprint, size, input.rank(), &origins)? };
        let function = |buffer: &mut [f64]| {
            let mut value = 0.0f64;
            let (data, n) = (buffer.as_mut_ptr(), buffer.len() as isize);
            // SAFETY: the callback's documented contract: `n` values, one result.
            let ok = unsafe { callback(data, n, &mut value, user_data.get()) };
            succeeded(ok).map(|()| value)
        };
        let origins = &origins;
        crate::generic_filter_parallel(
            input, output, &footprint, origins, mode, cval, threads, function,
        )
    };
    // SAFETY: `options` is NULL or valid (the caller's contract); every other pointer is
    // converted in its own block above, under the same contract.
    unsafe { entry("ndi_generic_filter", options, body) }
}

/// scipy.ndimage.generic_filter1d: the callback maps each extended input line along `axis` to
/// an output line.
///
/// - `input`, `output`: arrays of the same shape, any real dtypes; overlapping memory is
///   handled as in `ndi_generic_filter`.
/// - `filter_size` >= 1; `axis` in `-rank .. rank-1` (negative counts from the end);
///   `origin` in `-(filter_size / 2) ..= (filter_size - 1) / 2`.
/// - `mode`, `cval`, `options`: as in `ndi_generic_filter`. On a callback failure (or a
///   cancellation) the lines before the failing one are written.
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_generic_filter1d(
    input: *const ndi_array,
    output: *const ndi_array,
    filter_size: isize,
    axis: i32,
    origin: isize,
    mode: ndi_mode,
    cval: f64,
    callback: ndi_filter1d_func,
    user_data: *mut c_void,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let threads = call.callback_threads()?;
        let mode = call.mode(mode)?;
        let callback = callback.ok_or_else(|| Error::NullPointer("callback".into()))?;
        let user_data = UserData::new(user_data);
        let filter_size = usize::try_from(filter_size).map_err(|_| {
            Error::InvalidArgument(format!("invalid filter size {filter_size}: must be >= 1"))
        })?;
        // SAFETY (both conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let function = |line: &mut [f64], result: &mut [f64]| {
            let (n_in, n_out) = (line.len() as isize, result.len() as isize);
            let (line, result, data) = (line.as_mut_ptr(), result.as_mut_ptr(), user_data.get());
            // SAFETY: the callback's documented contract: the two lines and their lengths.
            succeeded(unsafe { callback(line, n_in, result, n_out, data) })
        };
        let (axis, origin) = (axis as isize, origin);
        if threads == crate::Threads::Count(1) {
            // The calling thread, lines in C order as documented.
            crate::generic_filter1d(
                input,
                output,
                filter_size,
                axis,
                origin,
                mode,
                cval,
                function,
            )
        } else {
            crate::generic_filter1d_parallel(
                input,
                output,
                filter_size,
                axis,
                origin,
                mode,
                cval,
                threads,
                function,
            )
        }
    };
    // SAFETY: `options` is NULL or valid (the caller's contract); every other pointer is
    // converted in its own block above, under the same contract.
    unsafe { entry("ndi_generic_filter1d", options, body) }
}
