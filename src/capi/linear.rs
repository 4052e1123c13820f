//! C entry points of the linear filters: correlations and convolutions, the uniform and
//! gaussian filters, and the derivative compositions (sobel, prewitt, laplace, the generic
//! laplace and gradient magnitude).

use std::ffi::{c_int, c_void};

use num_complex::Complex;

use super::call::{entry, Call};
use super::types::*;
use super::{guard, ndi_mode, ndi_status};
use crate::boundary::Mode;
use crate::error::{CallbackError, Error};
use crate::filters::{KernelRequest, KernelSource};

impl Call {
    /// The filtered axes: a copy of `n_axes` values of `axes`, or `None` (every axis, in
    /// order) when `axes` is NULL.
    ///
    /// # Safety
    /// `axes` is NULL or points to `n_axes` readable values.
    pub(crate) unsafe fn axes_list(
        &self,
        axes: *const i32,
        n_axes: i32,
    ) -> Result<Option<Vec<isize>>, Error> {
        if axes.is_null() {
            return Ok(None);
        }
        let n = usize::try_from(n_axes)
            .map_err(|_| Error::InvalidArgument(format!("n_axes is {n_axes}; it must be >= 0")))?;
        // SAFETY: forwarded caller contract.
        let list = unsafe { self.values(axes, n, "axes")? };
        Ok(Some(list.into_iter().map(|a| a as isize).collect()))
    }

    /// One mode per entry of a list of `count`: `modes` (a copy of `count` codes) or, when
    /// NULL, `mode` for every entry.
    ///
    /// # Safety
    /// `modes` is NULL or points to `count` readable values.
    pub(crate) unsafe fn modes_list(
        &self,
        mode: ndi_mode,
        modes: *const ndi_mode,
        count: usize,
    ) -> Result<Vec<Mode>, Error> {
        if modes.is_null() {
            return Ok(vec![self.mode(mode)?; count]);
        }
        // SAFETY: forwarded caller contract.
        let codes = unsafe { self.values(modes, count, "modes")? };
        codes.into_iter().map(|m| self.mode(m)).collect()
    }

    /// `cval` with the options' imaginary part.
    pub(crate) fn cval_complex(&self, cval: f64) -> Complex<f64> {
        Complex::new(cval, self.cval_imag())
    }
}

/// Number of entries of the per-axis arrays: `n_axes` with an `axes` list, the rank without.
fn axis_count(axes: &Option<Vec<isize>>, rank: usize) -> usize {
    axes.as_ref().map_or(rank, |a| a.len())
}

/// scipy.ndimage.correlate1d: each line along `axis` correlated with the 1-D `weights`
/// (`n` taps): `output[i] = Σ_k w[k] · input[i + k - (n / 2 + origin)]`, positions outside
/// the line extended by `mode` (`cval` for the constant modes), summed in scipy's order in
/// double (a symmetric or antisymmetric odd kernel folds the pairs of samples first).
///
/// - `input`, `output`: the same shape; any real dtypes, or complex ones (then `output` is
///   complex; the imaginary part of `cval` is `options.cval_imag`). In place is allowed.
/// - `weights`: a 1-D array of any real dtype (read as double) or complex (conjugated, as
///   scipy does), at least one element; it may lie in the output's memory.
/// - `axis` in `-rank .. rank-1`; `origin` in `-(n / 2) ..= (n - 1) / 2`.
///
/// Results are stored with the filter rule (truncation toward zero; see the README).
/// Nothing is written unless every argument is valid.
///
/// # Safety
/// Every pointer is NULL or valid as documented on `ndi_array` and `ndi_options`; the arrays'
/// memory stays valid and is not modified by other threads during the call.
#[no_mangle]
pub unsafe extern "C" fn ndi_correlate1d(
    input: *const ndi_array,
    output: *const ndi_array,
    weights: *const ndi_array,
    axis: i32,
    origin: isize,
    mode: ndi_mode,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let mode = call.mode(mode)?;
        // SAFETY (the three conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let weights = unsafe { call.input(weights, "weights")? };
        let cval = call.cval_complex(cval);
        crate::correlate1d(
            input,
            output,
            &weights,
            axis as isize,
            origin,
            mode,
            cval,
            call.threads()?,
        )
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_correlate1d", options, body) }
}

/// scipy.ndimage.convolve1d: `ndi_correlate1d` with the weights reversed (complex weights
/// are not conjugated) and the origin mapped as scipy maps it: `-origin`, minus one more for
/// an even number of taps `n`; the mapped origin must be valid for `ndi_correlate1d`, which
/// leaves the same range, `-(n / 2) ..= (n - 1) / 2`.
///
/// # Safety
/// As `ndi_correlate1d`.
#[no_mangle]
pub unsafe extern "C" fn ndi_convolve1d(
    input: *const ndi_array,
    output: *const ndi_array,
    weights: *const ndi_array,
    axis: i32,
    origin: isize,
    mode: ndi_mode,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let mode = call.mode(mode)?;
        // SAFETY (the three conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let weights = unsafe { call.input(weights, "weights")? };
        let cval = call.cval_complex(cval);
        crate::convolve1d(
            input,
            output,
            &weights,
            axis as isize,
            origin,
            mode,
            cval,
            call.threads()?,
        )
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_convolve1d", options, body) }
}

/// scipy.ndimage.correlate: `output[i] = Σ_k w[k] · input[i + k - (shape / 2 + origin)]` over
/// the elements `k` of `weights` whose magnitude exceeds DBL_EPSILON (scipy skips the others),
/// summed from +0.0 in C order of the weights, positions outside the input extended by
/// `mode`.
///
/// - `input`, `output`: the same shape; real or complex as in `ndi_correlate1d`. If their
///   memory overlaps, the input is copied first.
/// - `weights`: any real dtype (read as double) or complex (conjugated); no empty axis. Its
///   rank is the input's, or with `axes` the number of axes listed: its axes then go to the
///   listed axes in increasing order (scipy's rule), the other axes get extent 1.
/// - `origins`: NULL for zeros, or one per filtered axis (in the order of `axes`, or of the
///   axes when `axes` is NULL or lists every axis, as scipy), each in
///   `-(n / 2) ..= (n - 1) / 2` for the weights' extent
///   `n` on that axis.
/// - `axes`: NULL (every axis) or `n_axes` distinct axes (negative counts from the end).
///
/// Results are stored with scipy's n-dimensional filter rule (see the README). Unlike
/// scipy 1.17, `reflect` is exact for weights reaching 4n or more past the left edge.
///
/// # Safety
/// As `ndi_correlate1d`; `origins` is NULL or holds one value per filtered axis, `axes` NULL
/// or `n_axes` values.
#[no_mangle]
pub unsafe extern "C" fn ndi_correlate(
    input: *const ndi_array,
    output: *const ndi_array,
    weights: *const ndi_array,
    origins: *const isize,
    axes: *const i32,
    n_axes: i32,
    mode: ndi_mode,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract, forwarded.
    unsafe {
        correlate_entry(
            "ndi_correlate",
            false,
            input,
            output,
            weights,
            origins,
            axes,
            n_axes,
            mode,
            cval,
            options,
        )
    }
}

/// scipy.ndimage.convolve: `ndi_correlate` with the weights flipped along every axis (complex
/// weights not conjugated) and each origin mapped as in `ndi_convolve1d`.
///
/// # Safety
/// As `ndi_correlate`.
#[no_mangle]
pub unsafe extern "C" fn ndi_convolve(
    input: *const ndi_array,
    output: *const ndi_array,
    weights: *const ndi_array,
    origins: *const isize,
    axes: *const i32,
    n_axes: i32,
    mode: ndi_mode,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract, forwarded.
    unsafe {
        correlate_entry(
            "ndi_convolve",
            true,
            input,
            output,
            weights,
            origins,
            axes,
            n_axes,
            mode,
            cval,
            options,
        )
    }
}

/// The body of `ndi_correlate` and `ndi_convolve`.
///
/// # Safety
/// As `ndi_correlate`.
#[allow(clippy::too_many_arguments)]
unsafe fn correlate_entry(
    name: &str,
    convolution: bool,
    input: *const ndi_array,
    output: *const ndi_array,
    weights: *const ndi_array,
    origins: *const isize,
    axes: *const i32,
    n_axes: i32,
    mode: ndi_mode,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let mode = call.mode(mode)?;
        // SAFETY (the five conversions): the caller's contract on each pointer; the small
        // arrays are copies (they may lie in the output's memory).
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let weights = unsafe { call.input(weights, "weights")? };
        let axes = unsafe { call.axes_list(axes, n_axes)? };
        let count = axis_count(&axes, input.rank());
        let origins = unsafe { call.values_or(origins, count, 0, "origins")? };
        let cval = call.cval_complex(cval);
        let threads = call.threads()?;
        let axes = axes.as_deref();
        if convolution {
            crate::convolve(input, output, &weights, &origins, mode, cval, axes, threads)
        } else {
            crate::correlate(input, output, &weights, &origins, mode, cval, axes, threads)
        }
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry(name, options, body) }
}

/// scipy.ndimage.uniform_filter1d: the mean of `size` samples along `axis`, the window of
/// output `i` starting at `i - (size / 2 + origin)`, positions outside the line extended by
/// `mode`; computed with scipy's running sum (the first window summed, then each step adds the
/// difference of the incoming and outgoing samples), so its rounding is scipy's.
///
/// - `input`, `output`: the same shape, any real dtypes, or both complex (filtered part by
///   part; `options.cval_imag` is the imaginary part of `cval`). In place is allowed.
/// - `size` >= 1; `axis` in `-rank .. rank-1`; `0 <= size / 2 + origin < size`.
///
/// # Safety
/// As `ndi_correlate1d`.
#[no_mangle]
pub unsafe extern "C" fn ndi_uniform_filter1d(
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
        let mode = call.mode(mode)?;
        let size = usize::try_from(size).map_err(|_| {
            Error::InvalidArgument(format!("invalid filter size {size}: must be >= 1"))
        })?;
        // SAFETY (both conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let cval = call.cval_complex(cval);
        crate::uniform_filter1d(
            input,
            output,
            size,
            axis as isize,
            origin,
            mode,
            cval,
            call.threads()?,
        )
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_uniform_filter1d", options, body) }
}

/// scipy.ndimage.uniform_filter: `ndi_uniform_filter1d` along each axis of `axes`, in the
/// order listed, each with its own size, origin and mode. The first pass reads the input and
/// every later one rewrites the output, so intermediates are stored in the output's dtype
/// (truncated for integer outputs), as in scipy.
///
/// - `sizes`: one per axis of `axes`; an axis whose size is 1 or less is skipped (scipy's
///   rule). With every axis skipped the input is assigned to the output with NumPy's casting
///   rules, as scipy's `output[...] = input`: integers wrap exactly, floats truncate toward
///   zero, bool outputs get 0 or 1, and a complex output of a real input a zero imaginary part.
/// - `origins`: NULL for zeros, or one per axis of `axes`.
/// - `axes`: NULL (every axis, in order) or `n_axes` distinct axes (negative counts from the
///   end); the per-axis arrays then hold `n_axes` values, else `rank`.
/// - `mode`, `modes`: `modes` NULL uses `mode` on every axis, else one mode per axis of `axes`.
///
/// # Safety
/// As `ndi_correlate1d`; `sizes`, `origins` and `modes` are NULL or hold one value per
/// filtered axis, `axes` NULL or `n_axes` values.
#[no_mangle]
pub unsafe extern "C" fn ndi_uniform_filter(
    input: *const ndi_array,
    output: *const ndi_array,
    sizes: *const isize,
    origins: *const isize,
    axes: *const i32,
    n_axes: i32,
    mode: ndi_mode,
    modes: *const ndi_mode,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        // SAFETY (the six conversions): the caller's contract on each pointer; the small
        // arrays are copies (they may lie in the output's memory).
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let axes = unsafe { call.axes_list(axes, n_axes)? };
        let count = axis_count(&axes, input.rank());
        let sizes = unsafe { call.values(sizes, count, "sizes")? };
        let origins = unsafe { call.values_or(origins, count, 0, "origins")? };
        let modes = unsafe { call.modes_list(mode, modes, count)? };
        // Sizes below 1 are skipped like 1 (scipy's `size > 1` test).
        let sizes: Vec<usize> = sizes.iter().map(|&s| s.max(0) as usize).collect();
        let cval = call.cval_complex(cval);
        crate::uniform_filter(
            input,
            output,
            &sizes,
            &origins,
            &modes,
            axes.as_deref(),
            cval,
            call.threads()?,
        )
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_uniform_filter", options, body) }
}

// ------------------------------------------------------------------------------------------
// Gaussian filters
// ------------------------------------------------------------------------------------------

/// A gaussian kernel provider for the gaussian filters: fills `kernel` with the
/// `2 * radius + 1` values of the 1-D kernel of `sigma` and derivative `order` for the
/// filtered `axis`, in scipy's orientation (`kernel[0]` is position `-radius`, as scipy's
/// `_gaussian_kernel1d` returns it; the filters correlate with it reversed, as scipy does).
/// Returns 1, or 0 to stop the call with `NDI_ERR_CALLBACK_FAILED`. Called on the calling
/// thread, once per distinct (axis, sigma, order, radius), before anything is written.
///
/// Pass NULL to use the library's kernels (`ndi_gaussian_kernel1d`). A provider lets a caller
/// use kernels computed elsewhere, for instance by NumPy as scipy computes them (the Python
/// binding does), so that results equal scipy's on machines where NumPy's `exp` differs from
/// libm's.
pub type ndi_kernel1d_func = Option<
    unsafe extern "C" fn(
        axis: c_int,
        sigma: f64,
        order: c_int,
        radius: isize,
        kernel: *mut f64,
        user_data: *mut c_void,
    ) -> c_int,
>;

/// The library's gaussian kernel, scipy's `_gaussian_kernel1d(sigma, order, radius)`:
/// `length = 2 * radius + 1` values for positions `-radius ..= radius`, computed in double as
/// scipy computes them with NumPy: `exp(-0.5 / sigma² · k²)` with libm's `exp`, normalised by
/// NumPy's pairwise sum, times the derivative polynomial for `order` >= 1 (for order 2 with
/// the fused multiply-add of OpenBLAS' product, `fma(k², p², p)` with `p = -1 / sigma²`).
///
/// It equals scipy's kernel bit for bit where NumPy's `exp` is libm's (machines without
/// AVX-512, or NumPy with AVX-512 dispatch disabled); on AVX-512 machines NumPy's own `exp`
/// differs in the last bit for a few percent of arguments, so kernel values may differ from
/// scipy's there by a few units in the last place (the README states the measured bound).
/// Orders above 3 follow the same formula without fusion and were not compared with scipy.
///
/// - `sigma`: finite and non-zero (negative sigmas give the kernel of `-sigma`);
/// - `order` >= 0; `radius` >= 0; `kernel`: `length` writable doubles, `length` must be
///   `2 * radius + 1`.
///
/// # Safety
/// `kernel` is NULL or points to `length` writable doubles.
#[no_mangle]
pub unsafe extern "C" fn ndi_gaussian_kernel1d(
    sigma: f64,
    order: c_int,
    radius: isize,
    kernel: *mut f64,
    length: isize,
) -> ndi_status {
    guard("ndi_gaussian_kernel1d", || {
        let order = kernel_order(order)?;
        let radius = usize::try_from(radius).map_err(|_| {
            Error::InvalidArgument(format!("radius {radius} must be a nonnegative integer"))
        })?;
        let expected = radius.checked_mul(2).and_then(|l| l.checked_add(1));
        if expected != usize::try_from(length).ok() {
            return Err(Error::ShapeMismatch(format!(
                "length {length} must be 2 * radius + 1 for radius {radius}"
            )));
        }
        if kernel.is_null() {
            return Err(Error::NullPointer("kernel".into()));
        }
        let values = crate::gaussian_kernel1d(sigma, order, radius)?;
        // SAFETY: the caller provides `length` writable doubles at `kernel` (non-NULL,
        // `length` checked to equal the number of values).
        let out = unsafe { std::slice::from_raw_parts_mut(kernel, values.len()) };
        out.copy_from_slice(&values);
        Ok(())
    })
}

fn kernel_order(order: c_int) -> Result<usize, Error> {
    usize::try_from(order)
        .map_err(|_| Error::InvalidArgument(format!("order {order} must be non-negative")))
}

/// A C kernel provider as the core's kernel function.
fn kernel_function(
    kernel: unsafe extern "C" fn(c_int, f64, c_int, isize, *mut f64, *mut c_void) -> c_int,
    user_data: *mut c_void,
) -> impl FnMut(KernelRequest, &mut [f64]) -> Result<(), CallbackError> {
    move |request: KernelRequest, values: &mut [f64]| {
        let (axis, order, radius) = (
            request.axis as c_int,
            request.order as c_int,
            request.radius as isize,
        );
        // SAFETY: the provider's documented contract: `2 * radius + 1` writable doubles.
        let ok = unsafe {
            kernel(
                axis,
                request.sigma,
                order,
                radius,
                values.as_mut_ptr(),
                user_data,
            )
        };
        if ok != 0 {
            Ok(())
        } else {
            Err(CallbackError::default())
        }
    }
}

/// Runs `body` with the kernel source of a C call's `kernel` and `kernel_data`.
fn with_kernels<R>(
    kernel: ndi_kernel1d_func,
    kernel_data: *mut c_void,
    body: impl FnOnce(KernelSource<'_>) -> R,
) -> R {
    match kernel {
        None => body(KernelSource::Library),
        Some(k) => {
            let mut function = kernel_function(k, kernel_data);
            body(KernelSource::Custom(&mut function))
        }
    }
}

/// A radius argument: negative means "from truncate".
fn radius_of(radius: isize) -> Option<usize> {
    usize::try_from(radius).ok()
}

/// scipy.ndimage.gaussian_filter1d: the correlation along `axis` with the reversed gaussian
/// kernel of `sigma` and derivative `order`, of radius `radius` (>= 0), or with `radius`
/// negative `int(truncate * sigma + 0.5)` (which must not be negative), as scipy computes it.
///
/// - `input`, `output`: the same shape, any real dtypes, or both complex (part by part,
///   `options.cval_imag` the imaginary part of `cval`). In place is allowed.
/// - `sigma` non-zero and finite; `order` >= 0; `axis` in `-rank .. rank-1`.
/// - `kernel`, `kernel_data`: NULL for the library's kernels (`ndi_gaussian_kernel1d`), or a
///   provider (see `ndi_kernel1d_func`).
///
/// # Safety
/// As `ndi_correlate1d`; `kernel` is NULL or a function that keeps its documented contract.
#[no_mangle]
pub unsafe extern "C" fn ndi_gaussian_filter1d(
    input: *const ndi_array,
    output: *const ndi_array,
    sigma: f64,
    axis: i32,
    order: c_int,
    mode: ndi_mode,
    cval: f64,
    truncate: f64,
    radius: isize,
    kernel: ndi_kernel1d_func,
    kernel_data: *mut c_void,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let mode = call.mode(mode)?;
        let order = kernel_order(order)?;
        // SAFETY (both conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let cval = call.cval_complex(cval);
        let threads = call.threads()?;
        with_kernels(kernel, kernel_data, |kernels| {
            crate::gaussian_filter1d(
                input,
                output,
                sigma,
                axis as isize,
                order,
                mode,
                cval,
                truncate,
                radius_of(radius),
                kernels,
                threads,
            )
        })
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_gaussian_filter1d", options, body) }
}

/// scipy.ndimage.gaussian_filter: `ndi_gaussian_filter1d` along each axis of `axes`, in the
/// order listed, each with its sigma, order, radius and mode; intermediates are stored in the
/// output's dtype, as in scipy.
///
/// - `sigmas`: one per axis of `axes`. Axes whose sigma is at most 1e-15 (zero, negative or
///   NaN) are skipped together with their order, as scipy skips them; with every axis skipped
///   the input is assigned to the output with NumPy's casting rules (see
///   `ndi_uniform_filter`; then a complex input may also go to a real output, which gets the
///   real part, as NumPy does).
/// - `orders`: NULL for zeros, or one per axis of `axes`, each >= 0.
/// - `radii`: NULL (every radius from `truncate`), or one per axis of `axes`, a negative
///   entry meaning "from `truncate`".
/// - `axes`, `n_axes`, `mode`, `modes`: as in `ndi_uniform_filter`.
/// - `kernel`, `kernel_data`: as in `ndi_gaussian_filter1d`.
///
/// # Safety
/// As `ndi_gaussian_filter1d`; `sigmas`, `orders`, `radii` and `modes` are NULL or hold one
/// value per filtered axis, `axes` NULL or `n_axes` values.
#[no_mangle]
pub unsafe extern "C" fn ndi_gaussian_filter(
    input: *const ndi_array,
    output: *const ndi_array,
    sigmas: *const f64,
    orders: *const c_int,
    radii: *const isize,
    axes: *const i32,
    n_axes: i32,
    mode: ndi_mode,
    modes: *const ndi_mode,
    cval: f64,
    truncate: f64,
    kernel: ndi_kernel1d_func,
    kernel_data: *mut c_void,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        // SAFETY (every conversion): the caller's contract on each pointer; the small arrays
        // are copies (they may lie in the output's memory).
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let axes = unsafe { call.axes_list(axes, n_axes)? };
        let count = axis_count(&axes, input.rank());
        let sigmas = unsafe { call.values(sigmas, count, "sigmas")? };
        let orders = unsafe { call.values_or(orders, count, 0, "orders")? };
        let orders = orders
            .into_iter()
            .map(kernel_order)
            .collect::<Result<Vec<_>, _>>()?;
        let radii = unsafe { call.values_or(radii, count, -1, "radii")? };
        let radii: Vec<Option<usize>> = radii.into_iter().map(radius_of).collect();
        let modes = unsafe { call.modes_list(mode, modes, count)? };
        let cval = call.cval_complex(cval);
        let threads = call.threads()?;
        with_kernels(kernel, kernel_data, |kernels| {
            crate::gaussian_filter(
                input,
                output,
                &sigmas,
                &orders,
                &modes,
                &radii,
                axes.as_deref(),
                cval,
                truncate,
                kernels,
                threads,
            )
        })
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_gaussian_filter", options, body) }
}

/// scipy.ndimage.gaussian_laplace: the sum over the axes `a` of `axes` of the second
/// gaussian derivative along `a`; each term is scipy's `gaussian_filter` over every axis of
/// the input with order 2 on `a`, sigma `sigmas[k]` on the listed axes and 0 (skipped) on the
/// others, and the terms are added in the output's dtype as NumPy adds (integers wrap).
///
/// - `sigmas`: one per axis of `axes`; `radii`: NULL, or one per axis **of the input** (scipy
///   forwards `radius` to `gaussian_filter` over every axis), negative meaning "from
///   `truncate`".
/// - `mode`, `modes`: one mode per axis of `axes`; as in scipy, the mode of term k is used on
///   every axis of that term (scipy's behaviour, kept for compatibility: see the README).
/// - the rest as in `ndi_gaussian_filter`. A temporary of the output's shape and dtype is
///   used when more than one axis is listed.
///
/// # Safety
/// As `ndi_gaussian_filter`; `radii` is NULL or holds `rank` values.
#[no_mangle]
pub unsafe extern "C" fn ndi_gaussian_laplace(
    input: *const ndi_array,
    output: *const ndi_array,
    sigmas: *const f64,
    radii: *const isize,
    axes: *const i32,
    n_axes: i32,
    mode: ndi_mode,
    modes: *const ndi_mode,
    cval: f64,
    truncate: f64,
    kernel: ndi_kernel1d_func,
    kernel_data: *mut c_void,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract, forwarded.
    unsafe {
        gaussian_derivative_entry(
            "ndi_gaussian_laplace",
            false,
            input,
            output,
            sigmas,
            radii,
            axes,
            n_axes,
            mode,
            modes,
            cval,
            truncate,
            kernel,
            kernel_data,
            options,
        )
    }
}

/// scipy.ndimage.gaussian_gradient_magnitude: the square root of the sum of squares of the
/// first gaussian derivatives along the axes of `axes` (each term as in
/// `ndi_gaussian_laplace`, with order 1), with NumPy's arithmetic in the output's dtype
/// (squares of integers wrap; the root is computed in floating point and truncated back).
/// Real arrays only (with no axis, any arrays: the input is assigned). Arguments as in
/// `ndi_gaussian_laplace`, except `sigmas`: one per axis **of the input**, as scipy passes
/// them on to `gaussian_filter` unchanged (so axes not in `axes` are smoothed too).
///
/// # Safety
/// As `ndi_gaussian_laplace`, with `rank` sigmas.
#[no_mangle]
pub unsafe extern "C" fn ndi_gaussian_gradient_magnitude(
    input: *const ndi_array,
    output: *const ndi_array,
    sigmas: *const f64,
    radii: *const isize,
    axes: *const i32,
    n_axes: i32,
    mode: ndi_mode,
    modes: *const ndi_mode,
    cval: f64,
    truncate: f64,
    kernel: ndi_kernel1d_func,
    kernel_data: *mut c_void,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract, forwarded.
    unsafe {
        gaussian_derivative_entry(
            "ndi_gaussian_gradient_magnitude",
            true,
            input,
            output,
            sigmas,
            radii,
            axes,
            n_axes,
            mode,
            modes,
            cval,
            truncate,
            kernel,
            kernel_data,
            options,
        )
    }
}

/// The body of `ndi_gaussian_laplace` and `ndi_gaussian_gradient_magnitude`.
///
/// # Safety
/// As `ndi_gaussian_laplace`.
#[allow(clippy::too_many_arguments)]
unsafe fn gaussian_derivative_entry(
    name: &str,
    gradient: bool,
    input: *const ndi_array,
    output: *const ndi_array,
    sigmas: *const f64,
    radii: *const isize,
    axes: *const i32,
    n_axes: i32,
    mode: ndi_mode,
    modes: *const ndi_mode,
    cval: f64,
    truncate: f64,
    kernel: ndi_kernel1d_func,
    kernel_data: *mut c_void,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        // SAFETY (every conversion): the caller's contract on each pointer; the small arrays
        // are copies.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let rank = input.rank();
        let axes = unsafe { call.axes_list(axes, n_axes)? };
        let count = axis_count(&axes, rank);
        let sigma_count = if gradient { rank } else { count };
        let sigmas = unsafe { call.values(sigmas, sigma_count, "sigmas")? };
        let radii = unsafe { call.values_or(radii, rank, -1, "radii")? };
        let radii: Vec<Option<usize>> = radii.into_iter().map(radius_of).collect();
        let modes = unsafe { call.modes_list(mode, modes, count)? };
        let threads = call.threads()?;
        let axes = axes.as_deref();
        if gradient {
            if call.cval_imag() != 0.0 {
                return Err(Error::InvalidArgument(
                    "gaussian_gradient_magnitude takes real arrays: cval_imag must be 0".into(),
                ));
            }
            with_kernels(kernel, kernel_data, |kernels| {
                crate::gaussian_gradient_magnitude(
                    input, output, &sigmas, &modes, &radii, axes, cval, truncate, kernels, threads,
                )
            })
        } else {
            let cval = call.cval_complex(cval);
            with_kernels(kernel, kernel_data, |kernels| {
                crate::gaussian_laplace(
                    input, output, &sigmas, &modes, &radii, axes, cval, truncate, kernels, threads,
                )
            })
        }
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry(name, options, body) }
}

// ------------------------------------------------------------------------------------------
// Derivatives and their compositions
// ------------------------------------------------------------------------------------------

/// scipy.ndimage.sobel: `correlate1d(input, [-1, 0, 1], axis)` into `output`, then
/// `correlate1d(output, [1, 2, 1], a)` in place along every other axis `a` in increasing
/// order. Intermediates are stored in the output's dtype (uint8 wraps after each pass), as in
/// scipy. `modes`: NULL to use `mode` on every axis, else one mode per axis of the input.
/// Complex arrays are filtered part by part.
///
/// # Safety
/// As `ndi_correlate1d`; `modes` is NULL or holds `rank` values.
#[no_mangle]
pub unsafe extern "C" fn ndi_sobel(
    input: *const ndi_array,
    output: *const ndi_array,
    axis: i32,
    mode: ndi_mode,
    modes: *const ndi_mode,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract, forwarded.
    unsafe {
        edge_entry(
            "ndi_sobel",
            false,
            input,
            output,
            axis,
            mode,
            modes,
            cval,
            options,
        )
    }
}

/// scipy.ndimage.prewitt: as `ndi_sobel` with the smoothing `[1, 1, 1]`.
///
/// # Safety
/// As `ndi_sobel`.
#[no_mangle]
pub unsafe extern "C" fn ndi_prewitt(
    input: *const ndi_array,
    output: *const ndi_array,
    axis: i32,
    mode: ndi_mode,
    modes: *const ndi_mode,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract, forwarded.
    unsafe {
        edge_entry(
            "ndi_prewitt",
            true,
            input,
            output,
            axis,
            mode,
            modes,
            cval,
            options,
        )
    }
}

/// The body of `ndi_sobel` and `ndi_prewitt`.
///
/// # Safety
/// As `ndi_sobel`.
#[allow(clippy::too_many_arguments)]
unsafe fn edge_entry(
    name: &str,
    prewitt: bool,
    input: *const ndi_array,
    output: *const ndi_array,
    axis: i32,
    mode: ndi_mode,
    modes: *const ndi_mode,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        // SAFETY (the three conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let modes = unsafe { call.modes_list(mode, modes, input.rank())? };
        let cval = call.cval_complex(cval);
        let threads = call.threads()?;
        if prewitt {
            crate::prewitt(input, output, axis as isize, &modes, cval, threads)
        } else {
            crate::sobel(input, output, axis as isize, &modes, cval, threads)
        }
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry(name, options, body) }
}

/// scipy.ndimage.laplace: the sum over the axes of `axes` of `correlate1d(input, [1, -2, 1],
/// axis)`, added in the output's dtype as NumPy adds (integers wrap). Arguments as in
/// `ndi_uniform_filter`; with no axis the input is assigned to the output (NumPy's casting).
///
/// # Safety
/// As `ndi_uniform_filter`.
#[no_mangle]
pub unsafe extern "C" fn ndi_laplace(
    input: *const ndi_array,
    output: *const ndi_array,
    axes: *const i32,
    n_axes: i32,
    mode: ndi_mode,
    modes: *const ndi_mode,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        // SAFETY (the four conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let axes = unsafe { call.axes_list(axes, n_axes)? };
        let count = axis_count(&axes, input.rank());
        let modes = unsafe { call.modes_list(mode, modes, count)? };
        let cval = call.cval_complex(cval);
        crate::laplace(
            input,
            output,
            &modes,
            axes.as_deref(),
            cval,
            call.threads()?,
        )
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry("ndi_laplace", options, body) }
}

/// A derivative for `ndi_generic_laplace` and `ndi_generic_gradient_magnitude` (scipy's
/// `derivative(input, axis, output, mode, cval)`): writes the derivative of `input` along
/// `axis` (0 to rank - 1) into every element of `output` (same shape; the caller's output for
/// the first axis, else a temporary of the output's dtype that holds zeros on entry), with
/// boundary `mode` and `cval` (for complex arrays its real part; the imaginary part is not
/// passed). Returns 1, or 0 to stop the call with `NDI_ERR_CALLBACK_FAILED`. Called on the
/// calling thread, once per axis, in the order of `axes`.
///
/// `ndi_derivative_sobel` and `ndi_derivative_prewitt` are derivatives of this type.
pub type ndi_derivative_func = Option<
    unsafe extern "C" fn(
        input: *const ndi_array,
        axis: c_int,
        output: *const ndi_array,
        mode: ndi_mode,
        cval: f64,
        user_data: *mut c_void,
    ) -> c_int,
>;

/// An `ndi_array` describing a view, with the shape and strides it points to.
struct Described {
    array: ndi_array,
    _shape: Vec<isize>,
    _strides: Vec<isize>,
}

fn describe(data: *const u8, layout: &crate::array::Layout) -> Described {
    let shape: Vec<isize> = layout.shape().iter().map(|&n| n as isize).collect();
    let strides = layout.strides().to_vec();
    Described {
        array: ndi_array {
            data: data as *mut c_void,
            dtype: layout.dtype() as i32,
            rank: layout.rank() as i32,
            shape: shape.as_ptr(),
            strides: strides.as_ptr(),
        },
        _shape: shape,
        _strides: strides,
    }
}

/// A C derivative as the core's derivative.
fn derivative_function(
    name: &'static str,
    derivative: unsafe extern "C" fn(
        *const ndi_array,
        c_int,
        *const ndi_array,
        ndi_mode,
        f64,
        *mut c_void,
    ) -> c_int,
    user_data: *mut c_void,
) -> impl FnMut(
    &crate::ArrayRef<'_>,
    usize,
    &mut crate::ArrayMut<'_>,
    Mode,
    Complex<f64>,
) -> Result<(), Error> {
    move |input, axis, output, mode, cval| {
        let i = describe(input.as_ptr(), input.layout());
        let layout = output.layout().clone();
        let o = describe(output.as_mut_ptr(), &layout);
        // A library derivative (ndi_derivative_sobel, ...) leaves its message here.
        super::set_last_error("");
        // SAFETY: the derivative's documented contract; both descriptors describe valid
        // views (the output writable, borrowed exclusively for the call).
        let ok = unsafe {
            derivative(
                &i.array,
                axis as c_int,
                &o.array,
                mode as i32,
                cval.re,
                user_data,
            )
        };
        if ok != 0 {
            return Ok(());
        }
        // SAFETY: the function returns a valid NUL-terminated string.
        let inner = unsafe { std::ffi::CStr::from_ptr(super::ndi_last_error_message()) }
            .to_string_lossy()
            .into_owned();
        let mut msg = format!("{name}: the derivative callback failed for axis {axis}");
        if !inner.is_empty() {
            msg.push_str(" (");
            msg.push_str(&inner);
            msg.push(')');
        }
        Err(Error::CallbackFailed(msg))
    }
}

/// scipy.ndimage.generic_laplace: `derivative2` along each axis of `axes` with that axis's
/// mode, the first into `output`, the others into a temporary of the output's dtype added to
/// it as NumPy adds (integers wrap, bools or). With no axis the input is assigned to the
/// output (NumPy's casting). If the input shares memory with the output it is copied first.
///
/// - `derivative2` (required), `user_data`: see `ndi_derivative_func`.
/// - the rest as in `ndi_laplace`.
///
/// On a callback failure the output holds what was computed before.
///
/// # Safety
/// As `ndi_laplace`; `derivative2` keeps its documented contract.
#[no_mangle]
pub unsafe extern "C" fn ndi_generic_laplace(
    input: *const ndi_array,
    output: *const ndi_array,
    derivative2: ndi_derivative_func,
    user_data: *mut c_void,
    axes: *const i32,
    n_axes: i32,
    mode: ndi_mode,
    modes: *const ndi_mode,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract, forwarded.
    unsafe {
        generic_entry(
            "ndi_generic_laplace",
            false,
            input,
            output,
            derivative2,
            user_data,
            axes,
            n_axes,
            mode,
            modes,
            cval,
            options,
        )
    }
}

/// scipy.ndimage.generic_gradient_magnitude: the square root of the sum of squares of
/// `derivative` along the axes of `axes`, with NumPy's arithmetic in the output's dtype
/// (`output *= output`, `tmp *= tmp`, `output += tmp`, then the square root cast back with
/// truncation). Real arrays only (with no axis, any arrays: the input is assigned).
/// Arguments as in `ndi_generic_laplace`.
///
/// # Safety
/// As `ndi_generic_laplace`.
#[no_mangle]
pub unsafe extern "C" fn ndi_generic_gradient_magnitude(
    input: *const ndi_array,
    output: *const ndi_array,
    derivative: ndi_derivative_func,
    user_data: *mut c_void,
    axes: *const i32,
    n_axes: i32,
    mode: ndi_mode,
    modes: *const ndi_mode,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract, forwarded.
    unsafe {
        generic_entry(
            "ndi_generic_gradient_magnitude",
            true,
            input,
            output,
            derivative,
            user_data,
            axes,
            n_axes,
            mode,
            modes,
            cval,
            options,
        )
    }
}

/// The body of `ndi_generic_laplace` and `ndi_generic_gradient_magnitude`.
///
/// # Safety
/// As `ndi_generic_laplace`.
#[allow(clippy::too_many_arguments)]
unsafe fn generic_entry(
    name: &'static str,
    gradient: bool,
    input: *const ndi_array,
    output: *const ndi_array,
    derivative: ndi_derivative_func,
    user_data: *mut c_void,
    axes: *const i32,
    n_axes: i32,
    mode: ndi_mode,
    modes: *const ndi_mode,
    cval: f64,
    options: *const ndi_options,
) -> ndi_status {
    let body = |call: &Call| {
        let derivative = derivative.ok_or_else(|| Error::NullPointer("derivative".into()))?;
        // SAFETY (the four conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let axes = unsafe { call.axes_list(axes, n_axes)? };
        let count = axis_count(&axes, input.rank());
        let modes = unsafe { call.modes_list(mode, modes, count)? };
        let mut function = derivative_function(name, derivative, user_data);
        let axes = axes.as_deref();
        if gradient {
            crate::generic_gradient_magnitude(input, output, &mut function, &modes, axes, cval)
        } else {
            let cval = call.cval_complex(cval);
            crate::generic_laplace(input, output, &mut function, &modes, axes, cval)
        }
    };
    // SAFETY: `options` is NULL or valid (the caller's contract).
    unsafe { entry(name, options, body) }
}

/// The sobel derivative as an `ndi_derivative_func`: `ndi_sobel(input, output, axis, mode,
/// NULL, cval, user_data)`, so `user_data` is NULL or the `ndi_options` of that call (its
/// threads, and for complex arrays the imaginary part of `cval`, which the derivative's
/// signature does not carry). Returns 1 on success; on failure 0, with the message of the
/// failing call.
///
/// # Safety
/// As `ndi_sobel`; `user_data` is NULL or points to a valid `ndi_options`.
#[no_mangle]
pub unsafe extern "C" fn ndi_derivative_sobel(
    input: *const ndi_array,
    axis: c_int,
    output: *const ndi_array,
    mode: ndi_mode,
    cval: f64,
    user_data: *mut c_void,
) -> c_int {
    let options = user_data as *const ndi_options;
    // SAFETY: the caller's contract, forwarded.
    let status = unsafe { ndi_sobel(input, output, axis, mode, std::ptr::null(), cval, options) };
    (status == super::NDI_OK) as c_int
}

/// The prewitt derivative as an `ndi_derivative_func`, as `ndi_derivative_sobel`.
///
/// # Safety
/// As `ndi_derivative_sobel`.
#[no_mangle]
pub unsafe extern "C" fn ndi_derivative_prewitt(
    input: *const ndi_array,
    axis: c_int,
    output: *const ndi_array,
    mode: ndi_mode,
    cval: f64,
    user_data: *mut c_void,
) -> c_int {
    let options = user_data as *const ndi_options;
    // SAFETY: the caller's contract, forwarded.
    let status = unsafe { ndi_prewitt(input, output, axis, mode, std::ptr::null(), cval, options) };
    (status == super::NDI_OK) as c_int
}
