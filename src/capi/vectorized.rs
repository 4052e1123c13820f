//! C entry point of `vectorized_filter`: a filter whose callback receives many windows per call.

use std::ffi::{c_int, c_void};

use super::call::{entry, Call};
use super::types::*;
use super::{ndi_mode, ndi_status};
use crate::error::{CallbackError, Error};

/// `ndi_vectorized_filter`'s `batch_memory` value for the default: 1 MiB of windows per call.
pub const NDI_BATCH_MEMORY_DEFAULT: usize = 0;

/// The batched callback of `ndi_vectorized_filter`:
/// `int callback(double *windows, intptr_t n_windows, intptr_t window_size, double *results,
/// void *user_data)`.
///
/// `windows` holds `n_windows` windows one after another, `window_size` values each (window
/// `w` is `windows[w * window_size .. (w + 1) * window_size]`: the input values under the
/// footprint's selected elements, in C order of the footprint, for consecutive output elements
/// of one line along the last axis); the callback may overwrite them. It stores one value per
/// window in `results` (`n_windows` doubles, 0.0 on entry) and returns 1, or returns 0 to stop
/// the call with `NDI_ERR_CALLBACK_FAILED`. Calls come from the calling thread, batches in C
/// order of the output, unless the options set `NDI_FLAG_THREAD_SAFE_CALLBACK` and more than
/// one thread; then from several threads at once, in no fixed order (the batches themselves
/// are the same for every thread count).
pub type ndi_vectorized_func = Option<
    unsafe extern "C" fn(
        windows: *mut f64,
        n_windows: isize,
        window_size: isize,
        results: *mut f64,
        user_data: *mut c_void,
    ) -> c_int,
>;

/// scipy.ndimage.vectorized_filter for C callers: `output[i] = f(window at i)`, with the
/// callback computing many windows per call (one per output element in `ndi_generic_filter`).
///
/// - `input`, `output`: any real dtypes (independent). `output` has the input's shape (a window
///   at every element, positions outside the input extended by `mode`), or the input's shape
///   less `fs - 1` on every axis for a footprint extent `fs` (scipy's `mode='valid'`: output
///   element `i` is the window over input `i .. i + fs`, all inside the input; `origins` must
///   then be NULL or zeros, and `mode`, `cval` are unused but `mode` must still be a valid
///   code). Overlapping input memory is copied first.
/// - `footprint`: mask array of the input's rank (non-zero = selected), or NULL to use `size`
///   (`rank` sizes, each >= 1). An all-zero mask gives `window_size` 0.
/// - `origins`: `rank` origins or NULL, as in `ndi_generic_filter`.
/// - `batch_memory`: the most bytes of windows one call receives (scipy's `batch_memory`), at
///   least `8 * window_size`; `NDI_BATCH_MEMORY_DEFAULT` (0) for 1 MiB. A call never receives
///   windows of two output lines, so lines shorter than the batch give one call each.
/// - `callback`, `user_data`: see `ndi_vectorized_func`.
/// - `options`: NULL or initialised with `ndi_options_init`; threads only with
///   `NDI_FLAG_THREAD_SAFE_CALLBACK`.
///
/// Results are converted to the output dtype by truncation toward zero. Nothing is written
/// unless all arguments are valid; on a callback failure (or a cancellation) the batches
/// before the failing one are written.
///
/// # Safety
/// Every pointer is NULL or valid as documented on `ndi_array`; the arrays' memory stays valid
/// and is not modified by other threads during the call.
#[no_mangle]
pub unsafe extern "C" fn ndi_vectorized_filter(
    input: *const ndi_array,
    output: *const ndi_array,
    footprint: *const ndi_array,
    size: *const isize,
    origins: *const isize,
    mode: ndi_mode,
    cval: f64,
    batch_memory: usize,
    callback: ndi_vectorized_func,
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
        let origins = unsafe { call.origins(origins, input.rank())? };
        let footprint = unsafe { call.footprint(footprint, size, input.rank(), &origins)? };
        let function = |windows: &mut [f64], window_size: usize, results: &mut [f64]| {
            let (n, data, out) = (results.len(), windows.as_mut_ptr(), results.as_mut_ptr());
            // SAFETY: the callback's documented contract: `n` windows of `window_size`
            // values, `n` results.
            let ok =
                unsafe { callback(data, n as isize, window_size as isize, out, user_data.get()) };
            if ok != 0 {
                Ok(())
            } else {
                Err(CallbackError::default())
            }
        };
        let origins = &origins;
        crate::vectorized_filter_parallel(
            input,
            output,
            &footprint,
            origins,
            mode,
            cval,
            batch_memory,
            threads,
            function,
        )
    };
    // SAFETY: `options` is NULL or valid (the caller's contract); every other pointer is
    // converted in its own block above, under the same contract.
    unsafe { entry("ndi_vectorized_filter", options, body) }
}
