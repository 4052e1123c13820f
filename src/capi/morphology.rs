//! C entry points of binary morphology and the structuring elements.

use super::call::{entry, Call};
use super::interpolation::{c_rank, sizes, write_sizes};
use super::types::*;
use super::{guard, ndi_status};
use crate::engine::Footprint;
use crate::error::Error;

impl Call {
    /// A structuring element: the non-zero elements of `structure`, or `None` (scipy's
    /// default) for NULL.
    ///
    /// # Safety
    /// `structure` is NULL or a valid input descriptor.
    pub(crate) unsafe fn structure(
        &self,
        structure: *const ndi_array,
        name: &str,
    ) -> Result<Option<Footprint>, Error> {
        if structure.is_null() {
            return Ok(None);
        }
        // SAFETY: forwarded caller contract.
        let array = unsafe { self.input(structure, name)? };
        // The argument's name before the message, and the status of what failed (a complex
        // structure is an invalid array, as a complex footprint; a mask that cannot be
        // allocated is out of memory).
        Footprint::from_array(&array)
            .map(Some)
            .map_err(|e| match e {
                Error::InvalidArgument(m) => Error::InvalidArgument(format!("{name}: {m}")),
                Error::InvalidArray(m) => Error::InvalidArray(format!("{name}: {m}")),
                Error::OutOfMemory(m) => Error::OutOfMemory(format!("{name}: {m}")),
                other => other,
            })
    }
}

/// scipy.ndimage.generate_binary_structure: fills `output` (rank >= 1, every size 3, any real
/// dtype) with 1 where `Σ_a |k_a − 1| <= connectivity` and 0 elsewhere. A connectivity below
/// 1 counts as 1; a non-integer one is only compared (1.5 acts as 1).
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_generate_binary_structure(
    output: *const ndi_array,
    connectivity: f64,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        // SAFETY: the caller's contract on the pointer.
        let mut output = unsafe { call.output(output, "output")? };
        if output.shape().iter().any(|&n| n != 3) {
            return Err(Error::ShapeMismatch(format!(
                "output shape {:?}: a binary structure has size 3 on every axis",
                output.shape()
            )));
        }
        let structure = crate::generate_binary_structure(output.rank(), connectivity)?;
        crate::morphology::store_structure(&structure, &mut output)
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_generate_binary_structure", options, body) }
}

/// The shape `ndi_iterate_structure` gives a structure of `rank` sizes `shape`
/// (`s + (iterations − 1)(s − 1)` per axis; the shape itself for `iterations < 2`), written to
/// `out_shape` (`rank` values).
///
/// # Safety
/// `shape` points to `rank` readable values and `out_shape` to `rank` writable ones (or NULL).
#[no_mangle]
pub unsafe extern "C" fn ndi_iterate_structure_shape(
    shape: *const isize,
    rank: i32,
    iterations: i64,
    out_shape: *mut isize,
) -> ndi_status {
    guard("ndi_iterate_structure_shape", || {
        let rank = c_rank(rank)?;
        if out_shape.is_null() {
            return Err(Error::NullPointer("out_shape".into()));
        }
        // SAFETY: the caller's contract; NULL checked by c_slice.
        let sizes = sizes(unsafe { c_slice(shape, rank, "shape")? })?;
        let result = crate::iterate_structure_shape(&sizes, iterations)?;
        // SAFETY: out_shape holds `rank` writable values (the caller's contract).
        unsafe { write_sizes(&result, out_shape) }
    })
}

/// scipy.ndimage.iterate_structure: `structure` (non-zero = true) dilated by itself
/// `iterations − 1` times, stored into `output` (shape from `ndi_iterate_structure_shape`,
/// any real dtype) as 0 and 1. For `iterations < 2` the output is the structure as 0 and 1
/// (scipy returns an unconverted copy). scipy's `origin` result is `iterations · origin`.
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_iterate_structure(
    structure: *const ndi_array,
    iterations: i64,
    output: *const ndi_array,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        // SAFETY (both conversions): the caller's contract on each pointer.
        let structure = unsafe { call.structure(structure, "structure")? }
            .ok_or_else(|| Error::NullPointer("structure".into()))?;
        let mut output = unsafe { call.output(output, "output")? };
        let shape = crate::iterate_structure_shape(structure.shape(), iterations)?;
        if output.shape() != shape.as_slice() {
            return Err(Error::ShapeMismatch(format!(
                "output shape {:?} differs from the iterated structure's shape {shape:?}",
                output.shape()
            )));
        }
        let iterated = crate::iterate_structure(&structure, iterations)?;
        crate::morphology::store_structure(&iterated, &mut output)
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_iterate_structure", options, body) }
}

/// The conversions shared by erosion, dilation, opening and closing.
///
/// # Safety
/// As `ndi_binary_erosion`.
#[allow(clippy::too_many_arguments)]
unsafe fn binary_op(
    name: &str,
    function: BinaryFn,
    input: *const ndi_array,
    output: *const ndi_array,
    structure: *const ndi_array,
    mask: *const ndi_array,
    iterations: i64,
    border_value: i32,
    origins: *const isize,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let threads = call.threads()?;
        // SAFETY (the five conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let structure = unsafe { call.structure(structure, "structure")? };
        let mask = if mask.is_null() {
            None
        } else {
            Some(unsafe { call.input(mask, "mask")? })
        };
        let origins = unsafe { call.origins(origins, input.rank())? };
        function(
            input,
            output,
            structure.as_ref(),
            iterations,
            mask.as_ref(),
            border_value != 0,
            &origins,
            threads,
        )
    };
    // SAFETY: `options` is NULL or valid (the caller's contract); every other pointer is
    // converted in its own block above, under the same contract.
    unsafe { entry(name, options, body) }
}

type BinaryFn = for<'a> fn(
    crate::ArrayRef<'a>,
    crate::ArrayMut<'a>,
    Option<&Footprint>,
    i64,
    Option<&crate::ArrayRef<'a>>,
    bool,
    &[isize],
    crate::Threads,
) -> Result<(), Error>;

/// scipy.ndimage.binary_erosion: `output[i] = 1` where every true element `k` of the
/// structure sees a non-zero input at `i + k − (fs / 2 + origin)` (per axis), else 0.
///
/// - `input`: any real dtype (non-zero = true); `output`: the input's shape, any real dtype
///   (receives 0 and 1). Memory shared with the output is copied first.
/// - `structure`: the input's rank, any real dtype (non-zero = true), or NULL for the cross of
///   connectivity 1 (scipy's default).
/// - `mask`: NULL, or the input's shape (any real dtype): where it is zero, the output is the
///   input's truth value.
/// - `iterations`: steps (each reads the previous one's result); `< 1` repeats until nothing
///   changes. A structure whose centre is false can make the steps cycle forever: that is
///   `NDI_ERR_INVALID_ARGUMENT` here (scipy never returns).
/// - `border_value`: non-zero makes positions outside the input true.
/// - `origins`: `rank` values or NULL for zeros, each with `0 <= fs / 2 + origin < fs`
///   (scipy does not check binary origins).
///
/// scipy's `brute_force` has no counterpart: it only selects scipy's algorithm, and results
/// here are the brute-force definition whatever the algorithm. Nothing is written unless all
/// arguments are valid.
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_binary_erosion(
    input: *const ndi_array,
    output: *const ndi_array,
    structure: *const ndi_array,
    mask: *const ndi_array,
    iterations: i64,
    border_value: i32,
    origins: *const isize,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: forwarded caller contract.
    unsafe {
        binary_op(
            "ndi_binary_erosion",
            |i, o, s, n, m, b, org, t| crate::binary_erosion(i, o, s, n, m, b, org, t),
            input,
            output,
            structure,
            mask,
            iterations,
            border_value,
            origins,
            options,
        )
    }
}

/// scipy.ndimage.binary_dilation: `output[i] = 1` where some true element `k` of the
/// structure sees a non-zero input at `i − (k − (fs / 2 + origin))` (the erosion's offsets
/// reflected), else 0. Arguments as `ndi_binary_erosion`.
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_binary_dilation(
    input: *const ndi_array,
    output: *const ndi_array,
    structure: *const ndi_array,
    mask: *const ndi_array,
    iterations: i64,
    border_value: i32,
    origins: *const isize,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: forwarded caller contract.
    unsafe {
        binary_op(
            "ndi_binary_dilation",
            |i, o, s, n, m, b, org, t| crate::binary_dilation(i, o, s, n, m, b, org, t),
            input,
            output,
            structure,
            mask,
            iterations,
            border_value,
            origins,
            options,
        )
    }
}

/// scipy.ndimage.binary_opening: `ndi_binary_dilation` of `ndi_binary_erosion`, both with
/// these arguments (through a temporary of one byte per element). Arguments as
/// `ndi_binary_erosion`.
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_binary_opening(
    input: *const ndi_array,
    output: *const ndi_array,
    structure: *const ndi_array,
    mask: *const ndi_array,
    iterations: i64,
    border_value: i32,
    origins: *const isize,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: forwarded caller contract.
    unsafe {
        binary_op(
            "ndi_binary_opening",
            |i, o, s, n, m, b, org, t| crate::binary_opening(i, o, s, n, m, b, org, t),
            input,
            output,
            structure,
            mask,
            iterations,
            border_value,
            origins,
            options,
        )
    }
}

/// scipy.ndimage.binary_closing: `ndi_binary_erosion` of `ndi_binary_dilation`, both with
/// these arguments. Arguments as `ndi_binary_erosion`.
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_binary_closing(
    input: *const ndi_array,
    output: *const ndi_array,
    structure: *const ndi_array,
    mask: *const ndi_array,
    iterations: i64,
    border_value: i32,
    origins: *const isize,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: forwarded caller contract.
    unsafe {
        binary_op(
            "ndi_binary_closing",
            |i, o, s, n, m, b, org, t| crate::binary_closing(i, o, s, n, m, b, org, t),
            input,
            output,
            structure,
            mask,
            iterations,
            border_value,
            origins,
            options,
        )
    }
}

/// scipy.ndimage.binary_hit_or_miss: `output[i] = 1` where every true element of
/// `structure1` sees a non-zero input (as in `ndi_binary_erosion`) and no true element of
/// `structure2` does (with the same, unreflected, offsets); positions outside the input are
/// zero for both.
///
/// - `structure1`: NULL for the cross of connectivity 1; `structure2`: NULL for the
///   complement of `structure1`.
/// - `origins1`: `rank` values or NULL for zeros; `origins2`: NULL for `origins1`. Each is
///   checked against its own structure.
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_binary_hit_or_miss(
    input: *const ndi_array,
    output: *const ndi_array,
    structure1: *const ndi_array,
    structure2: *const ndi_array,
    origins1: *const isize,
    origins2: *const isize,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let threads = call.threads()?;
        // SAFETY (the six conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let structure1 = unsafe { call.structure(structure1, "structure1")? };
        let structure2 = unsafe { call.structure(structure2, "structure2")? };
        let rank = input.rank();
        let origins1 = unsafe { call.origins(origins1, rank)? };
        let origins2 = if origins2.is_null() {
            None
        } else {
            Some(unsafe { call.origins(origins2, rank)? })
        };
        crate::binary_hit_or_miss(
            input,
            output,
            structure1.as_ref(),
            structure2.as_ref(),
            &origins1,
            origins2.as_deref(),
            threads,
        )
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_binary_hit_or_miss", options, body) }
}

/// scipy.ndimage.binary_propagation: `ndi_binary_dilation` repeated until nothing changes,
/// within `mask`. Arguments as `ndi_binary_erosion`.
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_binary_propagation(
    input: *const ndi_array,
    output: *const ndi_array,
    structure: *const ndi_array,
    mask: *const ndi_array,
    border_value: i32,
    origins: *const isize,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: forwarded caller contract.
    unsafe {
        binary_op(
            "ndi_binary_propagation",
            |i, o, s, _, m, b, org, t| crate::binary_propagation(i, o, s, m, b, org, t),
            input,
            output,
            structure,
            mask,
            -1,
            border_value,
            origins,
            options,
        )
    }
}

/// scipy.ndimage.binary_fill_holes: 1 on the input's non-zero elements and on the zero
/// elements not connected (through zero elements, by the structure's offsets) to the outside
/// of the array; 0 elsewhere. `structure` and `origins` as in `ndi_binary_erosion`.
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_binary_fill_holes(
    input: *const ndi_array,
    output: *const ndi_array,
    structure: *const ndi_array,
    origins: *const isize,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let threads = call.threads()?;
        // SAFETY (the four conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let structure = unsafe { call.structure(structure, "structure")? };
        let origins = unsafe { call.origins(origins, input.rank())? };
        crate::binary_fill_holes(input, output, structure.as_ref(), &origins, threads)
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_binary_fill_holes", options, body) }
}
