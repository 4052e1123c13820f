//! C entry points of the minimum, maximum, rank, median and percentile filters.

use super::call::{entry, Call};
use super::types::*;
use super::{ndi_mode, ndi_status};
use crate::boundary::Mode;
use crate::error::Error;
use crate::filters::{NanPolicy, Neighbourhood};

/// `ndi_options.nan_policy` code (`0x300 + k`). Values never change meaning.
pub type ndi_nan_policy = i32;
/// scipy's result exactly (the default): which value a window holding NaN gives depends on
/// scipy's algorithm for the path taken (see the README).
pub const NDI_NAN_SCIPY: ndi_nan_policy = 0x300;
/// NaN wherever the window holds a NaN.
pub const NDI_NAN_PROPAGATE: ndi_nan_policy = 0x301;
/// The order statistic of the window's non-NaN values (ranks, medians and percentiles from
/// their count); NaN when there are none.
pub const NDI_NAN_OMIT: ndi_nan_policy = 0x302;

/// The C code of each policy (exhaustive: a new policy must get its constant).
#[cfg_attr(not(test), allow(dead_code))]
const fn nan_policy_code(policy: NanPolicy) -> ndi_nan_policy {
    match policy {
        NanPolicy::Scipy => NDI_NAN_SCIPY,
        NanPolicy::Propagate => NDI_NAN_PROPAGATE,
        NanPolicy::Omit => NDI_NAN_OMIT,
    }
}

impl Call {
    /// The neighbourhood of an order filter from its C arguments (see `ndi_minimum_filter`).
    ///
    /// # Safety
    /// Each pointer is NULL or valid for the values documented there.
    #[allow(clippy::too_many_arguments)]
    pub(crate) unsafe fn neighbourhood(
        &self,
        rank: usize,
        footprint: *const ndi_array,
        size: *const isize,
        axes: *const i32,
        n_axes: i32,
        origins: *const isize,
        modes: *const ndi_mode,
        n_modes: i32,
        cval: f64,
        default_footprint: Option<crate::engine::Footprint>,
    ) -> Result<Neighbourhood, Error> {
        let axes: Vec<isize> = if axes.is_null() {
            if n_axes != 0 {
                return Err(Error::InvalidArgument(format!(
                    "axes is NULL (every axis) but n_axes is {n_axes}, not 0"
                )));
            }
            Vec::new()
        } else {
            let n = usize::try_from(n_axes)
                .map_err(|_| Error::InvalidArgument(format!("n_axes is {n_axes}: must be >= 0")))?;
            if n > rank {
                return Err(Error::InvalidArgument(format!(
                    "n_axes is {n_axes}, more than the input's rank {rank}"
                )));
            }
            // SAFETY: the caller's contract: `n_axes` readable values.
            let axes = unsafe { self.values(axes, n, "axes")? };
            axes.into_iter().map(|a| a as isize).collect()
        };
        let k = if axes.is_empty() && n_axes == 0 {
            rank
        } else {
            axes.len()
        };
        if k == 0 {
            return Err(Error::InvalidArgument(
                "no axes to filter: n_axes must be >= 1".into(),
            ));
        }
        let n_modes = usize::try_from(n_modes)
            .ok()
            .filter(|&n| n == 1 || n == k)
            .ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "n_modes is {n_modes}: must be 1 or the number of filtered axes ({k})"
                ))
            })?;
        // SAFETY (the three copies): the caller's contract on each pointer.
        let modes = unsafe { self.values(modes, n_modes, "modes")? };
        let modes = modes
            .into_iter()
            .map(|m| self.mode(m))
            .collect::<Result<Vec<Mode>, _>>()?;
        let origins = unsafe { self.origins(origins, k)? };
        let footprint = match default_footprint {
            Some(f) if footprint.is_null() && size.is_null() => f,
            _ => unsafe { self.footprint(footprint, size, k, &origins)? },
        };
        Ok(Neighbourhood::new(footprint)
            .with_axes(&axes)
            .with_origins(&origins)
            .with_modes(&modes)
            .with_cval(cval))
    }
}

/// scipy.ndimage.minimum_filter1d: the minimum over windows of `size` samples along `axis`.
///
/// - `input`, `output`: arrays of the same shape, any real dtypes (independent). Overlapping
///   memory is handled as in `ndi_generic_filter` (an input that *is* the output is filtered
///   in place).
/// - `size` >= 1; `axis` in `-rank .. rank-1` (negative counts from the end); `origin` in
///   `-(size / 2) ..= (size - 1) / 2`: element `i` sees `i - (size / 2 + origin)` to
///   `i - (size / 2 + origin) + size - 1`.
/// - `mode`, `cval`: boundary handling (`cval` as a double).
/// - `options`: NULL or initialised with `ndi_options_init`; `nan_policy` applies.
///
/// Results equal scipy 1.17.1's bit for bit (its running deque over doubles, stored by
/// truncation as `ndi_generic_filter1d` stores). Nothing is written unless all arguments are
/// valid.
///
/// # Safety
/// Every pointer is NULL or valid as documented on `ndi_array`; the arrays' memory stays valid
/// and is not modified by other threads during the call.
#[no_mangle]
pub unsafe extern "C" fn ndi_minimum_filter1d(
    input: *const ndi_array,
    output: *const ndi_array,
    size: isize,
    axis: i32,
    origin: isize,
    mode: ndi_mode,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract.
    unsafe {
        extreme_1d(
            "ndi_minimum_filter1d",
            true,
            input,
            output,
            size,
            axis,
            origin,
            mode,
            cval,
            options,
        )
    }
}

/// scipy.ndimage.maximum_filter1d: as `ndi_minimum_filter1d`, the maximum.
///
/// # Safety
/// As `ndi_minimum_filter1d`.
#[no_mangle]
pub unsafe extern "C" fn ndi_maximum_filter1d(
    input: *const ndi_array,
    output: *const ndi_array,
    size: isize,
    axis: i32,
    origin: isize,
    mode: ndi_mode,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract.
    unsafe {
        extreme_1d(
            "ndi_maximum_filter1d",
            false,
            input,
            output,
            size,
            axis,
            origin,
            mode,
            cval,
            options,
        )
    }
}

/// The body of the two 1-D entry points.
///
/// # Safety
/// As `ndi_minimum_filter1d`.
#[allow(clippy::too_many_arguments)]
unsafe fn extreme_1d(
    name: &str,
    minimum: bool,
    input: *const ndi_array,
    output: *const ndi_array,
    size: isize,
    axis: i32,
    origin: isize,
    mode: ndi_mode,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let settings = call.order_options()?;
        let mode = call.mode(mode)?;
        let size = usize::try_from(size).map_err(|_| {
            Error::InvalidArgument(format!("invalid filter size {size}: must be >= 1"))
        })?;
        // SAFETY (both conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let f = if minimum {
            crate::minimum_filter1d
        } else {
            crate::maximum_filter1d
        };
        f(
            input,
            output,
            size,
            axis as isize,
            origin,
            mode,
            cval,
            &settings,
        )
    };
    // SAFETY: `options` is NULL or valid (the caller's contract); every other pointer is
    // converted in its own block above, under the same contract.
    unsafe { entry(name, options, body) }
}

/// scipy.ndimage.minimum_filter: the minimum over a footprint (or a box of `size`).
///
/// - `input`, `output`: arrays of the same shape, any real dtypes (independent); overlapping
///   memory is handled as in `ndi_generic_filter`.
/// - `axes`: `n_axes` distinct axes to filter (negative: counted from the end), or NULL (with
///   `n_axes` 0) for every axis in order. Call `k` the number of filtered axes.
/// - `footprint`: a mask of rank `k` (non-zero = selected, any dtype, at least one selected),
///   or NULL to use `size`: `k` box sizes, each >= 1.
/// - `origins`: `k` origins (origin `i` on filtered axis `i`), or NULL for zeros; each within
///   `-(fs / 2) ..= (fs - 1) / 2` of its footprint extent `fs`.
/// - `modes`: `n_modes` boundary modes, 1 (for every axis) or `k` (one per filtered axis);
///   `cval` for the constant modes.
/// - `options`: NULL or initialised with `ndi_options_init`; `nan_policy` applies.
///
/// As scipy: a box (`size`, or a footprint with every element selected) is separable, one
/// `ndi_minimum_filter1d` pass per axis of extent > 1 in the order of `axes` (footprint
/// dimension `i` on `axes[i]`), each stored in the output's type; with every extent 1 the
/// input is copied with NumPy's casting. Any other footprint is one n-dimensional pass with
/// its dimensions on the filtered axes in increasing order, values compared in the input's
/// type (`cval` cast to it first), one mode (all `modes` equal). Results equal scipy 1.17.1's
/// bit for bit except where the README says otherwise. Nothing is written unless all
/// arguments are valid.
///
/// # Safety
/// As `ndi_generic_filter`; `axes`, `size`, `origins` and `modes` are NULL or point to the
/// documented number of values.
#[no_mangle]
pub unsafe extern "C" fn ndi_minimum_filter(
    input: *const ndi_array,
    output: *const ndi_array,
    footprint: *const ndi_array,
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
        // SAFETY (the three conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let nb = unsafe {
            call.neighbourhood(
                input.rank(),
                footprint,
                size,
                axes,
                n_axes,
                origins,
                modes,
                n_modes,
                cval,
                None,
            )?
        };
        crate::minimum_filter(input, output, &nb, &settings)
    };
    // SAFETY: `options` is NULL or valid (the caller's contract); every other pointer is
    // converted in its own block above, under the same contract.
    unsafe { entry("ndi_minimum_filter", options, body) }
}

/// scipy.ndimage.maximum_filter: as `ndi_minimum_filter`, the maximum.
///
/// # Safety
/// As `ndi_minimum_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_maximum_filter(
    input: *const ndi_array,
    output: *const ndi_array,
    footprint: *const ndi_array,
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
        // SAFETY (the three conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let nb = unsafe {
            call.neighbourhood(
                input.rank(),
                footprint,
                size,
                axes,
                n_axes,
                origins,
                modes,
                n_modes,
                cval,
                None,
            )?
        };
        crate::maximum_filter(input, output, &nb, &settings)
    };
    // SAFETY: `options` is NULL or valid (the caller's contract); every other pointer is
    // converted in its own block above, under the same contract.
    unsafe { entry("ndi_maximum_filter", options, body) }
}

/// scipy.ndimage.rank_filter: the `rank`-th smallest value under the footprint (negative:
/// counted from the largest, -1 the largest).
///
/// Arguments as `ndi_minimum_filter`. As scipy: rank 0 is `ndi_minimum_filter` and the largest
/// rank `ndi_maximum_filter` (with the footprint over every axis); other ranks take one mode
/// for every axis (`n_modes` 1, or all equal). 1-D inputs take scipy's double-heap path where
/// it is correct, others its quickselect over the footprint's values; each gives scipy's
/// result bit for bit, NaN and signed zeros included (README: where scipy's 1-D path is
/// wrong, the quickselect's result is given). `options.nan_policy` applies.
///
/// # Safety
/// As `ndi_minimum_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_rank_filter(
    input: *const ndi_array,
    output: *const ndi_array,
    rank: isize,
    footprint: *const ndi_array,
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
        // SAFETY (the three conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let nb = unsafe {
            call.neighbourhood(
                input.rank(),
                footprint,
                size,
                axes,
                n_axes,
                origins,
                modes,
                n_modes,
                cval,
                None,
            )?
        };
        crate::rank_filter(input, output, rank, &nb, &settings)
    };
    // SAFETY: `options` is NULL or valid (the caller's contract); every other pointer is
    // converted in its own block above, under the same contract.
    unsafe { entry("ndi_rank_filter", options, body) }
}

/// scipy.ndimage.median_filter: `ndi_rank_filter` with rank `k / 2` of the footprint's `k`
/// selected elements (the upper median for even `k`; no averaging).
///
/// # Safety
/// As `ndi_minimum_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_median_filter(
    input: *const ndi_array,
    output: *const ndi_array,
    footprint: *const ndi_array,
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
        // SAFETY (the three conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let nb = unsafe {
            call.neighbourhood(
                input.rank(),
                footprint,
                size,
                axes,
                n_axes,
                origins,
                modes,
                n_modes,
                cval,
                None,
            )?
        };
        crate::median_filter(input, output, &nb, &settings)
    };
    // SAFETY: `options` is NULL or valid (the caller's contract); every other pointer is
    // converted in its own block above, under the same contract.
    unsafe { entry("ndi_median_filter", options, body) }
}

/// scipy.ndimage.percentile_filter: `ndi_rank_filter` with the rank of `percentile` in
/// `[-100, 100]` (negative: `+ 100`): `k - 1` at 100, else `trunc(k * percentile / 100)`.
///
/// # Safety
/// As `ndi_minimum_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_percentile_filter(
    input: *const ndi_array,
    output: *const ndi_array,
    percentile: f64,
    footprint: *const ndi_array,
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
        // SAFETY (the three conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let nb = unsafe {
            call.neighbourhood(
                input.rank(),
                footprint,
                size,
                axes,
                n_axes,
                origins,
                modes,
                n_modes,
                cval,
                None,
            )?
        };
        crate::percentile_filter(input, output, percentile, &nb, &settings)
    };
    // SAFETY: `options` is NULL or valid (the caller's contract); every other pointer is
    // converted in its own block above, under the same contract.
    unsafe { entry("ndi_percentile_filter", options, body) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_policy_codes_are_the_enum_discriminants() {
        for p in NanPolicy::ALL {
            assert_eq!(nan_policy_code(p), p as i32);
            assert_eq!(NanPolicy::try_from(p as i32), Ok(p));
        }
        // Disjoint from the dtype (0x100) and mode (0x200) ranges.
        assert!(NanPolicy::try_from(0x200).is_err() && NanPolicy::try_from(0x100).is_err());
    }
}
