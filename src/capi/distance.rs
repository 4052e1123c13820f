//! C entry points of the distance transforms, and the metric codes.

use std::ffi::{c_char, CStr};

use super::call::{entry, Call};
use super::types::*;
use super::{guard, ndi_status};
use crate::error::Error;
use crate::morphology::Metric;

/// Distance metric code (`0x400 + k`, a range of its own). Values never change meaning.
pub type ndi_metric = i32;
/// `sqrt(Σ (Δ_a · sampling_a)²)`.
pub const NDI_METRIC_EUCLIDEAN: ndi_metric = 0x400;
/// `Σ |Δ_a|` (scipy's "taxicab", "cityblock" and "manhattan").
pub const NDI_METRIC_TAXICAB: ndi_metric = 0x401;
/// `max_a |Δ_a|`.
pub const NDI_METRIC_CHESSBOARD: ndi_metric = 0x402;

/// The C code of each metric (exhaustive: a new `Metric` must get its constant).
#[cfg_attr(not(test), allow(dead_code))]
const fn metric_code(metric: Metric) -> ndi_metric {
    match metric {
        Metric::Euclidean => NDI_METRIC_EUCLIDEAN,
        Metric::Taxicab => NDI_METRIC_TAXICAB,
        Metric::Chessboard => NDI_METRIC_CHESSBOARD,
    }
}

fn metric_from_code(code: ndi_metric) -> Result<Metric, Error> {
    Metric::try_from(code).map_err(|code| {
        Error::InvalidArgument(format!(
            "unknown metric code {code} (NDI_METRIC_* codes are 0x400 to 0x402)"
        ))
    })
}

/// The `NDI_METRIC_*` code of a metric name as scipy's `distance_transform_bf` reads it
/// ("euclidean", "taxicab", "cityblock", "manhattan", "chessboard", in any case), written to
/// `*metric`. Fails with `NDI_ERR_INVALID_ARGUMENT` for any other name.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string; `metric` is NULL or points to a writable
/// `ndi_metric`.
#[no_mangle]
pub unsafe extern "C" fn ndi_metric_from_string(
    name: *const c_char,
    metric: *mut ndi_metric,
) -> ndi_status {
    guard("ndi_metric_from_string", || {
        if name.is_null() {
            return Err(Error::NullPointer("name".into()));
        }
        if metric.is_null() {
            return Err(Error::NullPointer("metric".into()));
        }
        // SAFETY: the caller passes a NUL-terminated string.
        let text = unsafe { CStr::from_ptr(name) }.to_string_lossy();
        let found = Metric::from_name(&text).ok_or_else(|| {
            Error::InvalidArgument(format!("distance metric {text:?} not supported"))
        })?;
        // SAFETY: `metric` is a writable ndi_metric (caller's contract), checked non-NULL.
        unsafe { metric.write_unaligned(found as ndi_metric) };
        Ok(())
    })
}

impl Call {
    /// An optional output array: NULL for none.
    ///
    /// # Safety
    /// As [`Call::output`].
    unsafe fn optional_output<'a>(
        &self,
        array: *const ndi_array,
        name: &str,
    ) -> Result<Option<crate::ArrayMut<'a>>, Error> {
        if array.is_null() {
            return Ok(None);
        }
        // SAFETY: forwarded caller contract.
        unsafe { self.output(array, name).map(Some) }
    }

    /// `rank` sampling values, or NULL for none.
    ///
    /// # Safety
    /// `sampling` is NULL or points to `rank` readable doubles.
    unsafe fn sampling(
        &self,
        sampling: *const f64,
        rank: usize,
    ) -> Result<Option<Vec<f64>>, Error> {
        if sampling.is_null() {
            return Ok(None);
        }
        // SAFETY: forwarded caller contract.
        unsafe { self.values(sampling, rank, "sampling").map(Some) }
    }
}

/// scipy.ndimage.distance_transform_edt: the exact Euclidean distance of every element of
/// `input` (any real dtype, rank >= 1) to the nearest zero element, and/or that element's
/// coordinates.
///
/// - `sampling`: NULL, or `rank` spacings (any values, as scipy).
/// - `distances`: NULL, or float64 of the input's shape.
/// - `indices`: NULL, or int32 of shape `[rank, input shape...]`: `indices[a, i...]` is
///   coordinate `a` of the nearest zero element (ties as scipy's).
/// - At least one of `distances` and `indices`. An input with no zero element gives +inf
///   distances and -1 indices (scipy returns meaningless numbers there).
///
/// Results are scipy's bit for bit (its envelope test and distance formula). No memory
/// beyond the outputs.
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_distance_transform_edt(
    input: *const ndi_array,
    sampling: *const f64,
    distances: *const ndi_array,
    indices: *const ndi_array,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let threads = call.threads()?;
        // SAFETY (the four conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let sampling = unsafe { call.sampling(sampling, input.rank())? };
        let distances = unsafe { call.optional_output(distances, "distances")? };
        let indices = unsafe { call.optional_output(indices, "indices")? };
        crate::distance_transform_edt(input, sampling.as_deref(), distances, indices, threads)
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_distance_transform_edt", options, body) }
}

/// scipy.ndimage.distance_transform_bf: the distance under `metric` (`NDI_METRIC_*`) of every
/// element to the nearest zero element, by brute force, and/or that element's coordinates.
///
/// - `sampling`: NULL or `rank` spacings, used by `NDI_METRIC_EUCLIDEAN` only (as scipy).
/// - `distances`: NULL, or the input's shape: float64 for `NDI_METRIC_EUCLIDEAN`, uint32 for
///   the others.
/// - `indices`: NULL, or int32 of shape `[rank, input shape...]`; ties go to the candidate last
///   in C order, as in scipy.
/// - An input with no zero element gives +inf (uint32: 4294967295) and -1 indices.
///
/// Time grows as (foreground elements) × (background elements next to the foreground).
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_distance_transform_bf(
    input: *const ndi_array,
    metric: ndi_metric,
    sampling: *const f64,
    distances: *const ndi_array,
    indices: *const ndi_array,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let threads = call.threads()?;
        let metric = metric_from_code(metric)?;
        // SAFETY (the four conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let sampling = unsafe { call.sampling(sampling, input.rank())? };
        let distances = unsafe { call.optional_output(distances, "distances")? };
        let indices = unsafe { call.optional_output(indices, "indices")? };
        crate::distance_transform_bf(
            input,
            metric,
            sampling.as_deref(),
            distances,
            indices,
            threads,
        )
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_distance_transform_bf", options, body) }
}

/// scipy.ndimage.distance_transform_cdt: the chamfer distance of every element to the nearest
/// zero element, in steps between the neighbours `metric` selects, and/or that element's
/// coordinates.
///
/// - `metric`: NULL for scipy's default "chessboard" (every neighbour); otherwise an array of
///   the input's rank with size 3 on every axis (non-zero = a neighbour; scipy's "taxicab" is
///   `ndi_generate_binary_structure` with connectivity 1). Only its first half in C order is
///   used, as given.
/// - `distances`: NULL, or int32 of the input's shape (-1 where no zero element is reachable,
///   as scipy).
/// - `indices`: NULL, or int32 of shape `[rank, input shape...]`.
///
/// Runs on the calling thread (each row depends on the ones before it).
///
/// # Safety
/// As `ndi_generic_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_distance_transform_cdt(
    input: *const ndi_array,
    metric: *const ndi_array,
    distances: *const ndi_array,
    indices: *const ndi_array,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let threads = call.threads()?;
        // SAFETY (the four conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let metric = match unsafe { call.structure(metric, "metric")? } {
            Some(m) => m,
            None => crate::generate_binary_structure(input.rank(), input.rank() as f64)?,
        };
        let distances = unsafe { call.optional_output(distances, "distances")? };
        let indices = unsafe { call.optional_output(indices, "indices")? };
        crate::distance_transform_cdt(input, &metric, distances, indices, threads)
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_distance_transform_cdt", options, body) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_codes_are_the_enum_discriminants() {
        for m in Metric::ALL {
            assert_eq!(metric_code(m), m as i32);
            assert_eq!(metric_from_code(m as i32).unwrap(), m);
        }
        assert!(metric_from_code(0x200).is_err());
        assert_eq!(Metric::from_name("CityBlock"), Some(Metric::Taxicab));
        assert_eq!(Metric::from_name("chess"), None);
    }
}
