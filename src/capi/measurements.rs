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

/// How a statistic groups the elements (scipy's forms of `labels` and `index`); codes
/// `0x500 + k`. Values never change meaning.
///
/// The one-group forms sum as NumPy's `ndarray.sum()` does (integers exactly, floats by
/// NumPy's pairwise summation in the input's type, over the selected elements in C order);
/// `NDI_SELECT_EACH` sums float64 values sequentially in C order, group by group, as
/// `np.bincount`. Label and index values match exactly as numbers, whatever their types
/// (index 1.5 matches no integer label; NaN matches nothing).
pub type ndi_select = i32;
/// One group: every element (scipy's `labels=None`); `labels` and `index` are not read and
/// may be NULL. The pairwise runs are those of the input as described: trailing axes
/// contiguous in memory make one run (a C-contiguous input is one run), runs are added in C
/// order.
pub const NDI_SELECT_ALL: ndi_select = 0x500;
/// One group: the elements whose label is greater than 0 (`index=None`); `index` is not read.
pub const NDI_SELECT_POSITIVE: ndi_select = 0x501;
/// One group: the elements whose label equals `index`'s one element (a scalar index).
pub const NDI_SELECT_VALUE: ndi_select = 0x502;
/// One group per element of `index` (any shape; results in its C order), each the elements
/// whose label equals that value (an index sequence).
pub const NDI_SELECT_EACH: ndi_select = 0x503;
/// As `NDI_SELECT_ALL`, with the pairwise runs of a sum over the input itself cut into
/// buffers of 8192 elements in C order: NumPy's order for an input it copies into buffers
/// while it sums (negative strides, unaligned elements, byte-swapped data).
pub const NDI_SELECT_ALL_BUFFERED: ndi_select = 0x504;

/// The statistic arguments every function takes: the input, the labels and the selection.
///
/// # Safety
/// The pointers are NULL or valid input descriptors.
unsafe fn selection<'a>(
    call: &Call,
    input: *const ndi_array,
    labels: *const ndi_array,
    select: ndi_select,
    index: *const ndi_array,
) -> Result<
    (
        crate::ArrayRef<'a>,
        Option<crate::ArrayRef<'a>>,
        measurements::Select<'a>,
    ),
    Error,
> {
    use measurements::{Select, SelectKind};
    let kind = SelectKind::try_from(select).map_err(|code| {
        Error::InvalidArgument(format!(
            "unknown selection code {code} (NDI_SELECT_* codes are 0x500 to 0x504)"
        ))
    })?;
    // SAFETY (the conversions below): the caller's contract on each pointer.
    let input = unsafe { call.input(input, "input")? };
    let labels = match kind {
        SelectKind::All | SelectKind::AllBuffered => None,
        _ => Some(unsafe { call.input(labels, "labels")? }),
    };
    let select = match kind {
        SelectKind::All => Select::All,
        SelectKind::AllBuffered => Select::AllBuffered,
        SelectKind::Positive => Select::Positive,
        SelectKind::Value => Select::Value(unsafe { call.input(index, "index")? }),
        SelectKind::Each => Select::Each(unsafe { call.input(index, "index")? }),
    };
    Ok((input, labels, select))
}

/// The number of groups of a selection: 1, or the index's element count.
fn group_count(select: &measurements::Select<'_>) -> usize {
    match select {
        measurements::Select::Each(index) => index.layout().len(),
        _ => 1,
    }
}

/// Writes positions (flat C indices of an array of `shape`) as coordinates, -1 for none.
fn store_positions(
    output: &mut crate::ArrayMut<'_>,
    found: &measurements::Found,
    shape: &[usize],
    what: &str,
) -> Result<(), Error> {
    if output.dtype() != crate::DType::Int64 {
        return Err(Error::InvalidArray(format!(
            "{what}: element type must be int64, not {}",
            output.dtype().name()
        )));
    }
    let rank = shape.len();
    crate::args::count(
        &format!("{what} (groups x rank)"),
        found.len() * rank,
        output.layout().len(),
    )?;
    let mut coords = Vec::with_capacity(found.len() * rank);
    for f in found {
        match f {
            None => coords.extend(std::iter::repeat(-1i64).take(rank)),
            Some((_, p)) => {
                let mut rest = *p as usize;
                let start = coords.len();
                coords.extend(std::iter::repeat(0i64).take(rank));
                for a in (0..rank).rev() {
                    coords[start + a] = (rest % shape[a]) as i64;
                    rest /= shape[a];
                }
            }
        }
    }
    measurements::objects::write_flat(output, &coords);
    Ok(())
}

/// Checks an output's element count for `groups` results before anything is computed.
fn check_output(output: &crate::ArrayMut<'_>, groups: usize, what: &str) -> Result<(), Error> {
    crate::args::count(what, groups, output.layout().len())
}

/// The common body of the statistics with one value per group.
///
/// # Safety
/// As the entry points.
unsafe fn per_group(
    call: &Call,
    input: *const ndi_array,
    labels: *const ndi_array,
    select: ndi_select,
    index: *const ndi_array,
    output: *const ndi_array,
    compute: impl FnOnce(
        crate::ArrayRef<'_>,
        Option<crate::ArrayRef<'_>>,
        &measurements::Select<'_>,
        crate::Threads,
    ) -> Result<Vec<measurements::Scalar>, Error>,
) -> Result<(), Error> {
    let threads = call.threads()?;
    // SAFETY: the caller's contract.
    let (input, labels, select) = unsafe { selection(call, input, labels, select, index)? };
    let mut output = unsafe { call.output(output, "output")? };
    check_output(&output, group_count(&select), "output")?;
    let values = compute(input, labels, &select, threads)?;
    measurements::value::store(&mut output, &values, "output")
}

/// scipy.ndimage.sum_labels (and `sum`): the sum of each group.
///
/// - `input`: any dtype, complex included (complex only with the one-group selections, as
///   scipy); `labels`: the input's shape, any real dtype (not read with `NDI_SELECT_ALL`);
///   `select`, `index`: see `ndi_select`.
/// - `output`: one element per group (1 for the one-group selections, else as many as
///   `index` has; any shape, filled in C order), any dtype. The results are scipy's values in
///   scipy's types (one group: int64 for signed integers and bool, uint64 for unsigned, the
///   float or complex type itself; per index value: float64), converted to the output's
///   dtype as a C cast (complex results need a complex output).
///
/// Threads: integer sums split across row slabs, float64 sums per index value across group
/// ranges; the one-group float sums run on the calling thread; the results are the same for
/// every thread count.
///
/// # Safety
/// Every pointer is NULL or valid as documented on `ndi_array`; the arrays' memory stays
/// valid and is not modified by other threads during the call.
#[no_mangle]
pub unsafe extern "C" fn ndi_sum_labels(
    input: *const ndi_array,
    labels: *const ndi_array,
    select: ndi_select,
    index: *const ndi_array,
    output: *const ndi_array,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        // SAFETY: the caller's contract on every pointer.
        unsafe {
            per_group(call, input, labels, select, index, output, |i, l, s, t| {
                measurements::sum_labels(i, l, s, t)
            })
        }
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_sum_labels", options, body) }
}

/// scipy.ndimage.mean: the mean of each group (float64, complex128 for complex input; NaN
/// for a group without elements). Arguments, output and threads as `ndi_sum_labels`.
///
/// # Safety
/// Every pointer is NULL or valid as documented on `ndi_array`; the arrays' memory stays
/// valid and is not modified by other threads during the call.
#[no_mangle]
pub unsafe extern "C" fn ndi_mean(
    input: *const ndi_array,
    labels: *const ndi_array,
    select: ndi_select,
    index: *const ndi_array,
    output: *const ndi_array,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        // SAFETY: the caller's contract on every pointer.
        unsafe {
            per_group(call, input, labels, select, index, output, |i, l, s, t| {
                measurements::mean(i, l, s, t)
            })
        }
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_mean", options, body) }
}

/// scipy.ndimage.variance: the variance of each group by scipy's two passes (the mean, then
/// the sum of squared deviations; float64, complex128 for complex input with one group; NaN
/// for a group without elements). Arguments, output and threads as `ndi_sum_labels`.
///
/// # Safety
/// Every pointer is NULL or valid as documented on `ndi_array`; the arrays' memory stays
/// valid and is not modified by other threads during the call.
#[no_mangle]
pub unsafe extern "C" fn ndi_variance(
    input: *const ndi_array,
    labels: *const ndi_array,
    select: ndi_select,
    index: *const ndi_array,
    output: *const ndi_array,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        // SAFETY: the caller's contract on every pointer.
        unsafe {
            per_group(call, input, labels, select, index, output, |i, l, s, t| {
                measurements::variance(i, l, s, t)
            })
        }
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_variance", options, body) }
}

/// scipy.ndimage.standard_deviation: the square root of `ndi_variance`'s result. Arguments,
/// output and threads as `ndi_sum_labels`.
///
/// # Safety
/// Every pointer is NULL or valid as documented on `ndi_array`; the arrays' memory stays
/// valid and is not modified by other threads during the call.
#[no_mangle]
pub unsafe extern "C" fn ndi_standard_deviation(
    input: *const ndi_array,
    labels: *const ndi_array,
    select: ndi_select,
    index: *const ndi_array,
    output: *const ndi_array,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        // SAFETY: the caller's contract on every pointer.
        unsafe {
            per_group(call, input, labels, select, index, output, |i, l, s, t| {
                measurements::standard_deviation(i, l, s, t)
            })
        }
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_standard_deviation", options, body) }
}

/// scipy.ndimage.minimum: the smallest value of each group, in the input's type. NaN is the
/// smallest value when present (NumPy's `min`); complex values order by real, then
/// imaginary part. A group without elements gets NaN (float and complex inputs) or 0
/// (integers and bool, as scipy); a one-group selection without elements fails with
/// `NDI_ERR_INVALID_ARGUMENT` (NumPy's reduction of an empty array). Arguments and output as
/// `ndi_sum_labels`; threads: partial results per row slab, merged in order.
///
/// # Safety
/// Every pointer is NULL or valid as documented on `ndi_array`; the arrays' memory stays
/// valid and is not modified by other threads during the call.
#[no_mangle]
pub unsafe extern "C" fn ndi_minimum(
    input: *const ndi_array,
    labels: *const ndi_array,
    select: ndi_select,
    index: *const ndi_array,
    output: *const ndi_array,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        // SAFETY: the caller's contract on every pointer.
        unsafe {
            per_group(call, input, labels, select, index, output, |i, l, s, t| {
                let (dtype, complex) = real_part(&i);
                let found = measurements::extreme(i, l, s, false, t)?;
                Ok(measurements::extrema::values_of(&found, dtype, complex))
            })
        }
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_minimum", options, body) }
}

/// scipy.ndimage.maximum: the largest value of each group (NaN when present), as
/// `ndi_minimum`.
///
/// # Safety
/// Every pointer is NULL or valid as documented on `ndi_array`; the arrays' memory stays
/// valid and is not modified by other threads during the call.
#[no_mangle]
pub unsafe extern "C" fn ndi_maximum(
    input: *const ndi_array,
    labels: *const ndi_array,
    select: ndi_select,
    index: *const ndi_array,
    output: *const ndi_array,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        // SAFETY: the caller's contract on every pointer.
        unsafe {
            per_group(call, input, labels, select, index, output, |i, l, s, t| {
                let (dtype, complex) = real_part(&i);
                let found = measurements::extreme(i, l, s, true, t)?;
                Ok(measurements::extrema::values_of(&found, dtype, complex))
            })
        }
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_maximum", options, body) }
}

/// scipy.ndimage.median of each group. One group: `np.median` (float64 for integer and bool
/// input, the float or complex type otherwise; NaN when a value is NaN or no element is
/// selected). Per index value: `(a[lo] + a[hi]) / 2` over the group's sorted values, equal
/// values in C order (float64 for integers, the input's float type otherwise); NaN for a
/// group holding NaN or no element (scipy sorts NaN last and gives an unrelated value for an
/// absent label). Memory: a copy of the selected values. Arguments and output as
/// `ndi_sum_labels`.
///
/// # Safety
/// Every pointer is NULL or valid as documented on `ndi_array`; the arrays' memory stays
/// valid and is not modified by other threads during the call.
#[no_mangle]
pub unsafe extern "C" fn ndi_median(
    input: *const ndi_array,
    labels: *const ndi_array,
    select: ndi_select,
    index: *const ndi_array,
    output: *const ndi_array,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        // SAFETY: the caller's contract on every pointer.
        unsafe {
            per_group(call, input, labels, select, index, output, |i, l, s, t| {
                measurements::median(i, l, s, t)
            })
        }
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_median", options, body) }
}

/// The element type of a (possibly complex) input's parts, and whether it is complex.
fn real_part(input: &crate::ArrayRef<'_>) -> (crate::DType, bool) {
    let d = input.dtype();
    (d.part().unwrap_or(d), d.is_complex())
}

/// Positions of the extremes, as coordinates.
///
/// # Safety
/// As the entry points.
unsafe fn positions(
    call: &Call,
    input: *const ndi_array,
    labels: *const ndi_array,
    select: ndi_select,
    index: *const ndi_array,
    positions: *const ndi_array,
    max: bool,
) -> Result<(), Error> {
    let threads = call.threads()?;
    // SAFETY: the caller's contract.
    let (input, labels, select) = unsafe { selection(call, input, labels, select, index)? };
    let mut out = unsafe { call.output(positions, "positions")? };
    let shape = input.shape().to_vec();
    crate::args::count(
        "positions (groups x rank)",
        group_count(&select) * shape.len(),
        out.layout().len(),
    )?;
    let found = measurements::extreme(input, labels, &select, max, threads)?;
    store_positions(&mut out, &found, &shape, "positions")
}

/// scipy.ndimage.minimum_position: the coordinates of each group's minimum (`ndi_minimum`'s
/// element): the first in C order among equal values (scipy's index-sequence path breaks ties
/// by NumPy's unstable sort), the first NaN when there is one (scipy raises).
///
/// - `positions`: int64, groups × rank elements in C order (group g's coordinates at
///   `g * rank`); -1 in every coordinate for a group without elements (scipy gives 0). A
///   one-group selection without elements fails with `NDI_ERR_INVALID_ARGUMENT`.
/// - Other arguments and threads as `ndi_minimum`.
///
/// # Safety
/// As `ndi_sum_labels`.
#[no_mangle]
pub unsafe extern "C" fn ndi_minimum_position(
    input: *const ndi_array,
    labels: *const ndi_array,
    select: ndi_select,
    index: *const ndi_array,
    positions: *const ndi_array,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract on every pointer.
    let body = |call: &Call| unsafe {
        self::positions(call, input, labels, select, index, positions, false)
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_minimum_position", options, body) }
}

/// scipy.ndimage.maximum_position: the coordinates of each group's maximum, as
/// `ndi_minimum_position`.
///
/// # Safety
/// As `ndi_sum_labels`.
#[no_mangle]
pub unsafe extern "C" fn ndi_maximum_position(
    input: *const ndi_array,
    labels: *const ndi_array,
    select: ndi_select,
    index: *const ndi_array,
    positions: *const ndi_array,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract on every pointer.
    let body = |call: &Call| unsafe {
        self::positions(call, input, labels, select, index, positions, true)
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_maximum_position", options, body) }
}

/// scipy.ndimage.extrema: `ndi_minimum`, `ndi_maximum`, `ndi_minimum_position` and
/// `ndi_maximum_position` in one pass. Each of the four outputs may be NULL (not computed
/// into); the others are as in those functions.
///
/// # Safety
/// As `ndi_sum_labels`.
#[no_mangle]
pub unsafe extern "C" fn ndi_extrema(
    input: *const ndi_array,
    labels: *const ndi_array,
    select: ndi_select,
    index: *const ndi_array,
    minimum: *const ndi_array,
    maximum: *const ndi_array,
    minimum_positions: *const ndi_array,
    maximum_positions: *const ndi_array,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let threads = call.threads()?;
        // SAFETY (the conversions): the caller's contract on every pointer.
        let (input, labels, select) = unsafe { selection(call, input, labels, select, index)? };
        let out = |p: *const ndi_array, name: &str| -> Result<Option<crate::ArrayMut<'_>>, Error> {
            if p.is_null() {
                Ok(None)
            } else {
                Some(unsafe { call.output(p, name) }).transpose()
            }
        };
        let mut min = out(minimum, "minimum")?;
        let mut max = out(maximum, "maximum")?;
        let mut min_pos = out(minimum_positions, "minimum_positions")?;
        let mut max_pos = out(maximum_positions, "maximum_positions")?;
        let groups = group_count(&select);
        let shape = input.shape().to_vec();
        let (dtype, complex) = real_part(&input);
        for (o, name) in [(&min, "minimum"), (&max, "maximum")] {
            if let Some(o) = o {
                check_output(o, groups, name)?;
                // (checked for both before either is stored: a store that fails on the
                // maximum would leave the minimum written)
                if complex && groups > 0 && !o.dtype().is_complex() {
                    return Err(Error::InvalidArray(format!(
                        "{name}: complex results need a complex output"
                    )));
                }
            }
        }
        for (o, name) in [
            (&min_pos, "minimum_positions"),
            (&max_pos, "maximum_positions"),
        ] {
            if let Some(o) = o {
                crate::args::count(name, groups * shape.len(), o.layout().len())?;
                if o.dtype() != crate::DType::Int64 {
                    return Err(Error::InvalidArray(format!(
                        "{name}: element type must be int64"
                    )));
                }
            }
        }
        let (lo, hi) = measurements::extrema(input, labels, &select, threads)?;
        if let Some(o) = &mut min {
            measurements::value::store(
                o,
                &measurements::extrema::values_of(&lo, dtype, complex),
                "minimum",
            )?;
        }
        if let Some(o) = &mut max {
            measurements::value::store(
                o,
                &measurements::extrema::values_of(&hi, dtype, complex),
                "maximum",
            )?;
        }
        if let Some(o) = &mut min_pos {
            store_positions(o, &lo, &shape, "minimum_positions")?;
        }
        if let Some(o) = &mut max_pos {
            store_positions(o, &hi, &shape, "maximum_positions")?;
        }
        Ok(())
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_extrema", options, body) }
}

/// scipy.ndimage.center_of_mass: per group, the `rank` coordinates `Σ x·c / Σ x`.
///
/// - `output`: groups × rank elements in C order (group g's coordinates at `g * rank`), any
///   dtype; scipy's values are float64 (complex128 for complex input with one group).
/// - One group: the numerators are NumPy's pairwise float64 sums of the products over the
///   selection, the denominator `ndi_sum_labels`' typed sum; per index value: float64 sums
///   in C order. NaN for a group without elements.
/// - Other arguments and threads as `ndi_sum_labels`.
///
/// # Safety
/// As `ndi_sum_labels`.
#[no_mangle]
pub unsafe extern "C" fn ndi_center_of_mass(
    input: *const ndi_array,
    labels: *const ndi_array,
    select: ndi_select,
    index: *const ndi_array,
    output: *const ndi_array,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let threads = call.threads()?;
        // SAFETY (both conversions): the caller's contract.
        let (input, labels, select) = unsafe { selection(call, input, labels, select, index)? };
        let mut out = unsafe { call.output(output, "output")? };
        let rank = input.rank();
        crate::args::count(
            "output (groups x rank)",
            group_count(&select) * rank,
            out.layout().len(),
        )?;
        let centres = measurements::center_of_mass(input, labels, &select, threads)?;
        let flat: Vec<measurements::Scalar> = centres.into_iter().flatten().collect();
        measurements::value::store(&mut out, &flat, "output")
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_center_of_mass", options, body) }
}

/// `ndi_labeled_comprehension`'s `pass` bit: give the callback the group's values.
pub const NDI_PASS_VALUES: u32 = 1;
/// `ndi_labeled_comprehension`'s `pass` bit: give the callback the group's positions.
pub const NDI_PASS_POSITIONS: u32 = 2;

/// The callback of `ndi_labeled_comprehension`:
/// `int callback(const double *values, const intptr_t *positions, intptr_t count,
/// intptr_t entry, double *result, void *user_data)`.
///
/// `values` (NULL unless `NDI_PASS_VALUES`) holds the group's `count` input values as double
/// and `positions` (NULL unless `NDI_PASS_POSITIONS`) their flat C-order indices, both in C
/// order; `entry` is the index entry computed (its C-order position in `index`; 0 for the
/// one-group selections). `*result` holds the default value on entry; the callback stores the
/// entry's result there and returns 1, or returns 0 to stop the call with
/// `NDI_ERR_CALLBACK_FAILED`.
pub type ndi_label_func = Option<
    unsafe extern "C" fn(
        values: *const f64,
        positions: *const isize,
        count: isize,
        entry: isize,
        result: *mut f64,
        user_data: *mut std::ffi::c_void,
    ) -> std::ffi::c_int,
>;

/// scipy.ndimage.labeled_comprehension: `callback` over each group's values (and positions).
///
/// - `input`, `labels`, `select`, `index`: as `ndi_sum_labels`; complex input only without
///   `NDI_PASS_VALUES`.
/// - `callback`: called once per entry of `index` whose label has elements (`NDI_SELECT_EACH`;
///   entries without elements keep `default_value`), or once for the one-group selections (also
///   with no element), in increasing order of label value, entries with equal values in index
///   order (scipy's order; scipy's unstable argsort passes each group's values in an
///   unspecified order, here they come in C order). With `NDI_FLAG_THREAD_SAFE_CALLBACK` and
///   more than one thread it is called from several threads at once, in no fixed order.
/// - `pass`: bit set of `NDI_PASS_VALUES`, `NDI_PASS_POSITIONS`.
/// - `output`: NULL, or one element per entry (any real dtype): the results, converted to its
///   dtype by the filter rule (truncation), `default_value` where the callback was not called.
///   Written after the last call; nothing is written when a call fails (the call stops there
///   with `NDI_ERR_CALLBACK_FAILED`) or is cancelled.
///
/// Memory: the values and positions asked for, 8 bytes each per selected element.
///
/// # Safety
/// As `ndi_sum_labels`; `callback` is a valid function pointer called with `user_data` as
/// documented.
#[no_mangle]
pub unsafe extern "C" fn ndi_labeled_comprehension(
    input: *const ndi_array,
    labels: *const ndi_array,
    select: ndi_select,
    index: *const ndi_array,
    callback: ndi_label_func,
    user_data: *mut std::ffi::c_void,
    pass: u32,
    default_value: f64,
    output: *const ndi_array,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let threads = call.callback_threads()?;
        let callback = callback.ok_or_else(|| Error::NullPointer("callback".into()))?;
        if pass & !(NDI_PASS_VALUES | NDI_PASS_POSITIONS) != 0 {
            return Err(Error::InvalidArgument(format!(
                "pass {pass:#x} has unknown bits set (NDI_PASS_VALUES, NDI_PASS_POSITIONS)"
            )));
        }
        let (values, positions) = (pass & NDI_PASS_VALUES != 0, pass & NDI_PASS_POSITIONS != 0);
        let user_data = UserData::new(user_data);
        // SAFETY (the conversions): the caller's contract on each pointer.
        let (input, labels, select) = unsafe { selection(call, input, labels, select, index)? };
        let mut output = if output.is_null() {
            None
        } else {
            Some(unsafe { call.output(output, "output")? })
        };
        let groups = group_count(&select);
        if let Some(o) = &output {
            check_output(o, groups, "output")?;
            crate::args::real(o.dtype(), "output")?;
        }
        let function = |g: &measurements::Group<'_>| {
            let mut result = default_value;
            let v = if values {
                g.values.as_ptr()
            } else {
                std::ptr::null()
            };
            let p = if positions {
                // usize and isize have one layout; positions are below isize::MAX.
                g.positions.as_ptr() as *const isize
            } else {
                std::ptr::null()
            };
            let count = if values {
                g.values.len()
            } else {
                g.positions.len()
            };
            let count = if values || positions { count } else { 0 };
            // SAFETY: the callback's documented contract: `count` values and positions (or
            // NULL), one result.
            let ok = unsafe {
                callback(
                    v,
                    p,
                    count as isize,
                    g.entry as isize,
                    &mut result,
                    user_data.get(),
                )
            };
            if ok != 0 {
                Ok(result)
            } else {
                Err(crate::error::CallbackError::default())
            }
        };
        let results = if threads == crate::Threads::Count(1) {
            measurements::labeled_comprehension(
                input, labels, &select, values, positions, function,
            )?
        } else {
            measurements::labeled_comprehension_parallel(
                input, labels, &select, values, positions, threads, function,
            )?
        };
        if let Some(o) = &mut output {
            let values: Vec<measurements::Scalar> = results
                .iter()
                .map(|r| measurements::Scalar::F64(r.unwrap_or(default_value)))
                .collect();
            measurements::value::store(o, &values, "output")?;
        }
        Ok(())
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_labeled_comprehension", options, body) }
}

/// scipy.ndimage.histogram: per group, the counts of its values in the bins between
/// consecutive `edges`.
///
/// - `input` (any dtype; complex values compare by real, then imaginary part, as NumPy's),
///   `labels`, `select`, `index`: as `ndi_sum_labels`.
/// - `edges`: `n_edges` (>= 2) non-decreasing values (scipy: `np.linspace(min, max, bins + 1)`).
///   Bin `i` counts `edges[i] <= x < edges[i + 1]`, the last bin also `x == edges[n_edges - 1]`;
///   values outside the edges and NaN are not counted; integers compare as float64.
/// - `counts`: int64, groups × (n_edges - 1) elements in C order.
/// - `sizes`: NULL, or int64 with one element per group: its element count (scipy gives None
///   for an absent label, whose counts are all 0).
///
/// Threads: partial counts per row slab, added. Memory: groups × n_edges counts per thread.
///
/// # Safety
/// As `ndi_sum_labels`; `edges` points to `n_edges` readable doubles.
#[no_mangle]
pub unsafe extern "C" fn ndi_histogram(
    input: *const ndi_array,
    labels: *const ndi_array,
    select: ndi_select,
    index: *const ndi_array,
    edges: *const f64,
    n_edges: isize,
    counts: *const ndi_array,
    sizes: *const ndi_array,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let threads = call.threads()?;
        let n_edges = usize::try_from(n_edges).map_err(|_| {
            Error::InvalidArgument(format!("n_edges {n_edges}: at least 2 are needed"))
        })?;
        // SAFETY (the conversions): the caller's contract on each pointer.
        let edges = unsafe { call.values(edges, n_edges, "edges")? };
        measurements::comprehension::check_edges(&edges)?;
        let (input, labels, select) = unsafe { selection(call, input, labels, select, index)? };
        let mut counts_out = unsafe { call.output(counts, "counts")? };
        let mut sizes_out = if sizes.is_null() {
            None
        } else {
            Some(unsafe { call.output(sizes, "sizes")? })
        };
        let groups = group_count(&select);
        let bins = n_edges.saturating_sub(1);
        for (o, name, n) in [
            (Some(&counts_out), "counts", groups * bins),
            (sizes_out.as_ref(), "sizes", groups),
        ] {
            if let Some(o) = o {
                crate::args::count(name, n, o.layout().len())?;
                if o.dtype() != crate::DType::Int64 {
                    return Err(Error::InvalidArray(format!(
                        "{name}: element type must be int64"
                    )));
                }
            }
        }
        let (per_bin, per_group) =
            measurements::histogram(input, labels, &select, &edges, threads)?;
        let flat: Vec<i64> = per_bin.into_iter().flatten().map(|c| c as i64).collect();
        measurements::objects::write_flat(&mut counts_out, &flat);
        if let Some(o) = &mut sizes_out {
            let s: Vec<i64> = per_group.iter().map(|&c| c as i64).collect();
            measurements::objects::write_flat(o, &s);
        }
        Ok(())
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_histogram", options, body) }
}

/// scipy.ndimage.watershed_ift: labels every element from `markers` by the image foresting
/// transform of `input` (max-arc path cost, scipy's bucket-queue order).
///
/// - `input`: uint8 or uint16 (else `NDI_ERR_INVALID_ARRAY`).
/// - `markers`: a signed integer array (int8 to int64) of the input's shape; 0 means no marker.
///   Markers are queued in C order, positive ones first (LIFO), negative ones last (FIFO), as in
///   scipy; their full values are used (scipy reads them as C `int`).
/// - `structure`: NULL for the face neighbours, or a mask of the input's rank with extent 3 on
///   every axis (centre ignored; neighbours taken in its C order).
/// - `output`: a signed integer array of the input's shape; marker values are converted to its
///   type (C cast) and propagate. It may be `markers` itself. An element no path reaches keeps
///   0.
///
/// Unlike scipy, neighbours never wrap across the ends of the axes and every reachable element
/// is reached (scipy's queue loses elements that are alone in their queue when they move).
/// Runs on the calling thread. Memory: about 13 bytes per element plus the grey levels and the
/// labels, and two words per grey level.
///
/// # Safety
/// As `ndi_label`.
#[no_mangle]
pub unsafe extern "C" fn ndi_watershed_ift(
    input: *const ndi_array,
    markers: *const ndi_array,
    structure: *const ndi_array,
    output: *const ndi_array,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        call.threads()?;
        // SAFETY (the four conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let markers = unsafe { call.input(markers, "markers")? };
        let structure = unsafe { structure_of(call, structure)? };
        let output = unsafe { call.output(output, "output")? };
        measurements::watershed_ift(input, markers, output, structure.as_ref())
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_watershed_ift", options, body) }
}
