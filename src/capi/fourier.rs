//! C entry points of the Fourier-domain filters.

use super::call::{entry, Call};
use super::ndi_status;
use super::types::*;
use crate::error::Error;

/// scipy's `n`: negative for a full (complex) spectrum, else the signal length of a real FFT's
/// half spectrum.
fn half_spectrum(n: isize) -> Option<usize> {
    usize::try_from(n).ok()
}

/// A core Fourier filter, as the entry points call it.
type FourierFn = fn(
    crate::ArrayRef<'_>,
    crate::ArrayMut<'_>,
    &[f64],
    Option<usize>,
    isize,
    crate::Threads,
) -> Result<(), Error>;

/// One of the four entry points: the conversions, then `filter`.
///
/// # Safety
/// As each entry point's contract.
#[allow(clippy::too_many_arguments)]
unsafe fn fourier_entry(
    name: &str,
    what: &str,
    input: *const ndi_array,
    output: *const ndi_array,
    params: *const f64,
    n: isize,
    axis: i32,
    options: *const ndi_options,
    filter: FourierFn,
) -> ndi_status {
    let body = |call: &Call| {
        let threads = call.threads()?;
        // SAFETY (the three conversions): the caller's contract on each pointer.
        let input = unsafe { call.input(input, "input")? };
        let output = unsafe { call.output(output, "output")? };
        let params = unsafe { call.values(params, input.rank(), what)? };
        filter(
            input,
            output,
            &params,
            half_spectrum(n),
            axis as isize,
            threads,
        )
    };
    // SAFETY: `options` is NULL or valid (the caller's contract); every other pointer is
    // converted in its own block above, under the same contract.
    unsafe { entry(name, options, body) }
}

/// scipy.ndimage.fourier_gaussian: multiplies the spectrum `input` by the Fourier transform of
/// a Gaussian with standard deviation `sigma[a]` on each axis `a`.
///
/// - `input`: any dtype, real or complex (taken to be an FFT's output; nothing is transformed).
/// - `output`: the input's shape, `NDI_DTYPE_FLOAT32`, `FLOAT64`, `COMPLEX64` or `COMPLEX128`
///   (complex for a complex input; a real input gives imaginary parts 0). It may be the input
///   itself; other overlapping memory is copied first.
/// - `sigma`: `rank` values.
/// - `n`: negative for a full (complex) spectrum; otherwise axis `axis` holds the half spectrum
///   of a real FFT of a signal of `n` samples (scipy's convention).
/// - `axis`: `-rank .. rank-1` (negative counts from the end), checked even when `n` < 0.
/// - `options`: NULL or initialised with `ndi_options_init`; the work is shared among its
///   threads, with identical results for every count.
///
/// Values are scipy 1.17.1's bit for bit (computed in double with the platform's libm `exp`,
/// rounded once to the output type). Nothing is written unless all arguments are valid.
///
/// # Safety
/// Every pointer is NULL or valid as documented on `ndi_array`; `sigma` points to `rank`
/// doubles; the arrays' memory stays valid and is not modified by other threads during the
/// call.
#[no_mangle]
pub unsafe extern "C" fn ndi_fourier_gaussian(
    input: *const ndi_array,
    output: *const ndi_array,
    sigma: *const f64,
    n: isize,
    axis: i32,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract, forwarded.
    unsafe {
        fourier_entry(
            "ndi_fourier_gaussian",
            "sigma",
            input,
            output,
            sigma,
            n,
            axis,
            options,
            |i, o, p, n, a, t| crate::fourier_gaussian(i, o, p, n, a, t),
        )
    }
}

/// scipy.ndimage.fourier_uniform: multiplies the spectrum `input` by the Fourier transform of a
/// box of width `size[a]` on each axis (`sin(τk)/(τk)` at frequency index `k`, `τ = π·size/d`).
///
/// Arguments as `ndi_fourier_gaussian`, with `size` (`rank` values) for `sigma`. A size of 0 is
/// the identity and a negative size filters as its magnitude; scipy 1.17.1 instead zeroes every
/// coefficient but the DC one for sizes <= 0 (see the README's differences).
///
/// # Safety
/// As `ndi_fourier_gaussian`.
#[no_mangle]
pub unsafe extern "C" fn ndi_fourier_uniform(
    input: *const ndi_array,
    output: *const ndi_array,
    size: *const f64,
    n: isize,
    axis: i32,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract, forwarded.
    unsafe {
        fourier_entry(
            "ndi_fourier_uniform",
            "size",
            input,
            output,
            size,
            n,
            axis,
            options,
            |i, o, p, n, a, t| crate::fourier_uniform(i, o, p, n, a, t),
        )
    }
}

/// scipy.ndimage.fourier_ellipsoid: multiplies the spectrum `input` (rank 1, 2 or 3) by the
/// Fourier transform of an ellipsoid with axis lengths `size[a]`.
///
/// Arguments as `ndi_fourier_gaussian`, with `size` (`rank` values) for `sigma`; an input of
/// rank above 3 is `NDI_ERR_INVALID_ARRAY`.
///
/// # Safety
/// As `ndi_fourier_gaussian`.
#[no_mangle]
pub unsafe extern "C" fn ndi_fourier_ellipsoid(
    input: *const ndi_array,
    output: *const ndi_array,
    size: *const f64,
    n: isize,
    axis: i32,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract, forwarded.
    unsafe {
        fourier_entry(
            "ndi_fourier_ellipsoid",
            "size",
            input,
            output,
            size,
            n,
            axis,
            options,
            |i, o, p, n, a, t| crate::fourier_ellipsoid(i, o, p, n, a, t),
        )
    }
}

/// scipy.ndimage.fourier_shift: multiplies the spectrum `input` by the Fourier transform of a
/// shift by `shift[a]` samples on each axis (`exp(iθ)`, `θ = Σ -2π·shift_a·k_a/d_a`).
///
/// Arguments as `ndi_fourier_gaussian`, with `shift` (`rank` values) for `sigma`, except that
/// `output` must be `NDI_DTYPE_COMPLEX64` or `NDI_DTYPE_COMPLEX128`.
///
/// # Safety
/// As `ndi_fourier_gaussian`.
#[no_mangle]
pub unsafe extern "C" fn ndi_fourier_shift(
    input: *const ndi_array,
    output: *const ndi_array,
    shift: *const f64,
    n: isize,
    axis: i32,
    options: *const ndi_options,
) -> ndi_status {
    // SAFETY: the caller's contract, forwarded.
    unsafe {
        fourier_entry(
            "ndi_fourier_shift",
            "shift",
            input,
            output,
            shift,
            n,
            axis,
            options,
            |i, o, p, n, a, t| crate::fourier_shift(i, o, p, n, a, t),
        )
    }
}
