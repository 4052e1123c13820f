//! C entry points of the measurements: labelling, object search, statistics over labels and
//! the watershed.
//!
//! Results whose size depends on the data (the boxes of `ndi_find_objects` when the label
//! count is not given, the values and positions of `ndi_value_indices`) follow one pattern,
//! documented on `ndi_find_objects`: a first call with the result arrays NULL reports the
//! sizes, a second call with caller arrays of exactly those sizes fills them. A caller that
//! already knows the sizes (the count `ndi_label` returned) makes only the second call.

use super::call::{entry, Call};
use super::ndi_status;
use super::types::*;
use crate::engine::Footprint;
use crate::error::Error;
use crate::measurements;

/// Writes `value` to `*out` if `out` is not NULL.
///
/// # Safety
/// `out` is NULL or points to a writable `intptr_t`.
unsafe fn report(out: *mut isize, value: usize) {
    if !out.is_null() {
        // SAFETY: the caller's contract on `out`.
        unsafe { out.write_unaligned(value as isize) };
    }
}

/// A structuring element argument: NULL, or a mask array (non-zero = connected).
///
/// # Safety
/// `structure` is NULL or a valid input descriptor.
unsafe fn structure_of(
    call: &Call,
    structure: *const ndi_array,
) -> Result<Option<Footprint>, Error> {
    if structure.is_null() {
        return Ok(None);
    }
    // SAFETY: the caller's contract.
    let mask = unsafe { call.input(structure, "structure")? };
    Footprint::from_array(&mask).map(Some)
}

/// scipy.ndimage.label: numbers the connected components of the non-zero elements of `input`
/// 1, 2, … in C order of their first element (the numbering scipy gives a C-ordered output,
/// whatever the output's memory order), writes them to `output` (0 elsewhere) and the count
/// to `*num_labels`.
///
/// - `input`: any real dtype; non-zero means `!= 0` (NaN included, -0.0 not).
/// - `output`: the input's shape, any real dtype whose range holds the count: bool holds 1
///   label, int8 127, uint8 255, …, float32 2^24, float64 2^53. If the count does not fit,
///   the call fails with `NDI_ERR_INVALID_ARRAY`, writes the count to `*num_labels` (so that
///   the caller can retry with a wider type) and nothing to `output`. `output` may be the
///   input itself.
/// - `structure`: NULL for the face neighbours (scipy's default), or a mask of the input's
///   rank with extent 3 on every axis, equal to its reflection through the centre (else
///   `NDI_ERR_INVALID_ARGUMENT`); non-zero elements are connected, the centre is ignored.
/// - `num_labels`: receives the count; may be NULL.
///
/// Threads: the lines are joined in slabs and the slabs across their boundaries; the labels
/// are the same for every thread count. Memory: 12 bytes per foreground run (24 beyond 2^32
/// elements) and a line buffer per thread.
///
/// # Safety
/// Every pointer is NULL or valid as documented on `ndi_array`; the arrays' memory stays valid
/// and is not modified by other threads during the call.
#[no_mangle]
pub unsafe extern "C" fn ndi_label(
    input: *const ndi_array,
    output: *const ndi_array,
    structure: *const ndi_array,
    num_labels: *mut isize,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let threads = call.threads()?;
        // SAFETY (the three conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let structure = unsafe { structure_of(call, structure)? };
        let mut count = None;
        let result = measurements::label::label_counting(
            input,
            output,
            structure.as_ref(),
            threads,
            &mut count,
        );
        if let Some(n) = count {
            // SAFETY: `num_labels` is NULL or writable (the caller's contract).
            unsafe { report(num_labels, n) };
        }
        result.map(|_| ())
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_label", options, body) }
}

/// scipy.ndimage.find_objects: the bounding box of every label `1 .. K` of `input`.
///
/// - `input`: label image, any real dtype. An element belongs to label L when its value is
///   exactly the integer L (so 1.5 belongs to none; scipy truncates it to 1).
/// - `max_label`: K; 0 (or less) means the largest label present.
/// - `boxes`: NULL, or an int64 array of K × rank × 2 elements (any shape; C order): for label
///   L, at `((L - 1) * rank + a) * 2`, the start and stop of its box on axis `a` (a slice
///   `start:stop`). A label without elements gets 0, 0 on every axis (a present label always
///   has stop > start).
/// - `num_labels`: receives K; may be NULL when `boxes` is given.
///
/// **Results of unknown size** (the same for `ndi_value_indices`): call once with the result
/// arrays NULL to receive the sizes (here K, which costs a pass over the input when
/// `max_label` is 0), allocate arrays of exactly those sizes, and call again with them. An
/// array of another size fails with `NDI_ERR_SHAPE_MISMATCH` (the message says the size
/// needed) and nothing is written. A caller that knows the sizes (K from `ndi_label`) calls
/// once.
///
/// Threads: partial boxes per slab of lines, merged; the same result for every count.
/// Memory: 2 · rank · K positions per thread (fewer threads when that is large beside the
/// input).
///
/// # Safety
/// As `ndi_label`.
#[no_mangle]
pub unsafe extern "C" fn ndi_find_objects(
    input: *const ndi_array,
    max_label: isize,
    boxes: *const ndi_array,
    num_labels: *mut isize,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let threads = call.threads()?;
        // SAFETY: the caller's contract.
        let input = unsafe { call.input(input, "input")? };
        crate::args::real(input.dtype(), "input")?;
        let k = if max_label > 0 {
            max_label as usize
        } else {
            measurements::largest_label(&input, threads)?
        };
        if boxes.is_null() {
            if num_labels.is_null() {
                return Err(Error::NullPointer("boxes and num_labels".into()));
            }
            // SAFETY: non-NULL, writable (the caller's contract).
            unsafe { report(num_labels, k) };
            return Ok(());
        }
        // SAFETY: the caller's contract.
        let mut out = unsafe { call.output(boxes, "boxes")? };
        if out.dtype() != crate::DType::Int64 {
            return Err(Error::InvalidArray(format!(
                "boxes: element type must be int64, not {}",
                out.dtype().name()
            )));
        }
        let rank = input.rank();
        let needed = k.checked_mul(2 * rank).ok_or_else(|| {
            Error::InvalidArgument(format!("max_label {k}: the boxes overflow the memory"))
        })?;
        crate::args::count("boxes (K x rank x 2)", needed, out.layout().len())?;
        let flat = measurements::objects::bounding_boxes(&input, k, threads)?;
        let values: Vec<i64> = flat
            .chunks(2 * rank)
            .flat_map(|b| {
                let absent = b[0] == usize::MAX;
                b.iter().map(move |&v| if absent { 0 } else { v as i64 })
            })
            .collect();
        measurements::objects::write_flat(&mut out, &values);
        // SAFETY: NULL or writable (the caller's contract).
        unsafe { report(num_labels, k) };
        Ok(())
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_find_objects", options, body) }
}

/// scipy.ndimage.value_indices: the positions of every distinct value of an integer array.
///
/// - `input`: any integer dtype (not bool, not float: `NDI_ERR_INVALID_ARRAY`).
/// - `ignore_value`: NULL, or a one-element array of any integer dtype: elements equal to it
///   are left out.
/// - Results, of sizes K (distinct values) and M (elements not ignored), following the
///   pattern of `ndi_find_objects`: all three NULL to receive K in `*num_values` and M in
///   `*num_positions`; then `values` (K elements of the input's dtype: the values,
///   ascending), `counts` (K int64: how many elements have each value) and `indices` (int64,
///   rank × M elements in C order: row `a` holds coordinate `a` of every position, grouped by
///   value in the order of `values`, in C order within a value).
/// - `num_values`, `num_positions`: receive K and M; may be NULL when the arrays are given.
///
/// Runs on the calling thread. Memory: a table over the value range when it is at most twice
/// the element count (else a hash map of the values), and 8 bytes per position.
///
/// # Safety
/// As `ndi_label`.
#[no_mangle]
pub unsafe extern "C" fn ndi_value_indices(
    input: *const ndi_array,
    ignore_value: *const ndi_array,
    values: *const ndi_array,
    counts: *const ndi_array,
    indices: *const ndi_array,
    num_values: *mut isize,
    num_positions: *mut isize,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        call.threads()?;
        // SAFETY (both conversions): the caller's contract.
        let input = unsafe { call.input(input, "input")? };
        let ignore = if ignore_value.is_null() {
            None
        } else {
            Some(unsafe { call.input(ignore_value, "ignore_value")? })
        };
        let given = [values, counts, indices]
            .iter()
            .filter(|p| !p.is_null())
            .count();
        if given == 0 {
            if num_values.is_null() || num_positions.is_null() {
                return Err(Error::NullPointer(
                    "values, counts, indices and num_values or num_positions".into(),
                ));
            }
            let (k, m) = measurements::value_indices_sizes(&input, ignore.as_ref())?;
            // SAFETY: both non-NULL and writable (the caller's contract).
            unsafe {
                report(num_values, k);
                report(num_positions, m);
            }
            return Ok(());
        }
        if given < 3 {
            return Err(Error::NullPointer(
                "values, counts or indices (give all three, or none to query the sizes)".into(),
            ));
        }
        // SAFETY (the three conversions): the caller's contract.
        let mut values = unsafe { call.output(values, "values")? };
        let mut counts = unsafe { call.output(counts, "counts")? };
        let mut indices = unsafe { call.output(indices, "indices")? };
        let (k, m) = measurements::value_indices_into(
            &input,
            ignore.as_ref(),
            &mut values,
            &mut counts,
            &mut indices,
        )?;
        // SAFETY: NULL or writable (the caller's contract).
        unsafe {
            report(num_values, k);
            report(num_positions, m);
        }
        Ok(())
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_value_indices", options, body) }
}
