//! The gaussian filters: scipy's 1-D kernel (`gaussian_kernel1d`), `gaussian_filter1d` and
//! `gaussian_filter` (correlations on the line pass and the separable driver), and the
//! compositions `gaussian_laplace` and `gaussian_gradient_magnitude`.
//!
//! scipy builds its kernels with NumPy, whose float64 `exp` is its own vectorised code on
//! AVX-512 machines (differing from libm's in the last bit for about 4% of arguments), and
//! whose order-2 polynomial goes through an OpenBLAS product with a fused multiply-add. The
//! library's own kernels ([`gaussian_kernel1d`]) use libm's `exp`, NumPy's pairwise sum and
//! that FMA, so they equal scipy's wherever NumPy's `exp` is libm's (no AVX-512 dispatch);
//! callers who need scipy's exact kernels on any machine supply them
//! ([`KernelSource::Custom`]), as the Python binding does.

#![forbid(unsafe_code)]

use std::collections::HashMap;

use num_complex::Complex;

use super::correlate::{correlate1d_pass, Correlate1d};
use super::derivatives::{compose_gradient_magnitude, compose_laplace};
use super::uniform::{copy_dropped, resolve_axes};
use crate::args;
use crate::array::{for_parts, ArrayMut, ArrayRef, AsInput, AsOutput, Source};
use crate::boundary::Mode;
use crate::engine::line_pass::LinePass;
use crate::error::{ensure_allocatable, try_vec, CallbackError, Error};
use crate::parallel::Threads;

/// Axes whose sigma is at most this are skipped by `gaussian_filter`, with their order
/// (scipy's rule).
const SIGMA_SKIPPED: f64 = 1e-15;

/// NumPy's float64 sum of a contiguous array: `0.0 +` its pairwise sum (blocks of fewer than
/// 8 summed left to right from 0.0; blocks of up to 128 with eight interleaved partial sums
/// combined as `((p0+p1)+(p2+p3)) + ((p4+p5)+(p6+p7))` and the rest added in order; longer
/// blocks split at `n/2` rounded down to a multiple of 8).
pub(crate) fn numpy_sum(values: &[f64]) -> f64 {
    fn pairwise(a: &[f64]) -> f64 {
        let n = a.len();
        if n < 8 {
            let mut res = 0.0;
            for &v in a {
                res += v;
            }
            res
        } else if n <= 128 {
            let mut r = [0.0; 8];
            r.copy_from_slice(&a[..8]);
            let whole = n - n % 8;
            let mut i = 8;
            while i < whole {
                for j in 0..8 {
                    r[j] += a[i + j];
                }
                i += 8;
            }
            let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for &v in &a[whole..] {
                res += v;
            }
            res
        } else {
            let half = n / 2;
            let half = half - half % 8;
            pairwise(&a[..half]) + pairwise(&a[half..])
        }
    }
    0.0 + pairwise(values)
}

/// scipy's `_gaussian_kernel1d(sigma, order, radius)`: `2 radius + 1` values for positions
/// `-radius ..= radius` (index 0 is `-radius`), computed as scipy computes them with
/// float64 NumPy arithmetic:
///
/// 1. `c = -0.5 / (sigma·sigma)`, `e_k = exp(c · k²)` (libm's `exp`: NumPy's on machines
///    without AVX-512 dispatch; on others NumPy's own `exp` differs in the last bit for a few
///    percent of arguments),
/// 2. `phi_k = e_k / S` with `S` NumPy's pairwise sum of the `e_k`;
/// 3. order `m >= 1`: the polynomial `q` of the m-th derivative (`p = 1 / -(sigma²)`,
///    `q'[j] = p·q[j-1] + (j+1)·q[j+1]`, m times from `[1, 0, …]`), evaluated per position
///    as `Σ_j k^j·q[j]` in order of `j` — with the last term fused for `m = 2`
///    (`fma(k², p², p)`), as OpenBLAS' product does on FMA machines — and multiplied by
///    `phi_k`. Orders 1 to 3 equal scipy's (on the machines above); higher orders follow the
///    same formula, unfused.
///
/// Errors: sigma 0 (scipy divides by zero), a non-finite sigma, a radius whose kernel would
/// not fit in memory.
pub fn gaussian_kernel1d(sigma: f64, order: usize, radius: usize) -> Result<Vec<f64>, Error> {
    if sigma == 0.0 || !sigma.is_finite() {
        return Err(Error::InvalidArgument(format!(
            "gaussian kernel: sigma {sigma} must be finite and non-zero"
        )));
    }
    let len = radius
        .checked_mul(2)
        .and_then(|l| l.checked_add(1))
        .filter(|&l| l <= isize::MAX as usize / 8 && radius < (1 << 26))
        .ok_or_else(|| {
            Error::InvalidArgument(format!("gaussian kernel radius {radius} is too large"))
        })?;
    let s2 = sigma * sigma;
    let c = -0.5 / s2;
    let r = radius as i64;
    let mut phi = try_vec(len, 0.0, "a gaussian kernel")?;
    for (slot, k) in phi.iter_mut().zip(-r..=r) {
        *slot = (c * (k * k) as f64).exp();
    }
    let total = numpy_sum(&phi);
    for v in phi.iter_mut() {
        *v /= total;
    }
    if order == 0 {
        return Ok(phi);
    }
    let p = 1.0 / -s2;
    let mut q = vec![0.0; order + 1];
    q[0] = 1.0;
    let mut next = vec![0.0; order + 1];
    for _ in 0..order {
        for j in 0..=order {
            // Row j of (D + P): p at column j-1, j+1 at column j+1, summed in column order.
            let low = if j >= 1 { p * q[j - 1] } else { 0.0 };
            let high = if j < order {
                (j + 1) as f64 * q[j + 1]
            } else {
                0.0
            };
            next[j] = low + high;
        }
        std::mem::swap(&mut q, &mut next);
    }
    for (v, k) in phi.iter_mut().zip(-r..=r) {
        let x = k as f64;
        let mut power = 1.0f64;
        let mut value = 0.0;
        for (j, &qj) in q.iter().enumerate() {
            if order == 2 && j == 2 {
                value = power.mul_add(qj, value);
            } else {
                value += power * qj;
            }
            power *= x;
        }
        *v *= value;
    }
    Ok(phi)
}

/// The radius scipy gives a gaussian of `sigma`: `int(truncate · sigma + 0.5)` (truncated
/// toward zero), which must be a non-negative integer.
pub fn gaussian_radius(sigma: f64, truncate: f64) -> Result<usize, Error> {
    let t = truncate * sigma + 0.5;
    if !t.is_finite() || t.trunc() < 0.0 || t >= (1u64 << 53) as f64 {
        return Err(Error::InvalidArgument(format!(
            "gaussian radius int({truncate} * {sigma} + 0.5) must be a nonnegative integer"
        )));
    }
    Ok(t.trunc() as usize)
}

/// What a kernel request asks for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KernelRequest {
    /// The axis the kernel filters (of the input).
    pub axis: usize,
    pub sigma: f64,
    pub order: usize,
    pub radius: usize,
}

/// A caller's kernel function: fills the `2 radius + 1` values of the kernel of a request
/// (scipy's orientation: index 0 is position `-radius`).
pub type KernelFunction<'k> =
    dyn FnMut(KernelRequest, &mut [f64]) -> Result<(), CallbackError> + 'k;

/// Where the gaussian filters get their 1-D kernels. Kernels are obtained on the calling
/// thread before anything is written, once per distinct request.
pub enum KernelSource<'k> {
    /// [`gaussian_kernel1d`].
    Library,
    /// The caller's kernels (for instance scipy's own, from NumPy).
    Custom(&'k mut KernelFunction<'k>),
}

/// The kernels of one call, each obtained once.
struct Kernels<'s, 'k> {
    source: &'s mut KernelSource<'k>,
    cache: HashMap<(usize, usize, usize, u64), Correlate1d>,
}

impl<'s, 'k> Kernels<'s, 'k> {
    fn new(source: &'s mut KernelSource<'k>) -> Self {
        Kernels {
            source,
            cache: HashMap::new(),
        }
    }

    /// The correlation kernel of a request: the gaussian kernel reversed (scipy's
    /// `gaussian_filter1d` correlates with `_gaussian_kernel1d(...)[::-1]`).
    fn get(&mut self, request: KernelRequest) -> Result<Correlate1d, Error> {
        let key = (
            request.axis,
            request.order,
            request.radius,
            request.sigma.to_bits(),
        );
        if let Some(k) = self.cache.get(&key) {
            return Ok(k.clone());
        }
        let mut values = match &mut self.source {
            KernelSource::Library => {
                gaussian_kernel1d(request.sigma, request.order, request.radius)?
            }
            KernelSource::Custom(function) => {
                let len = request
                    .radius
                    .checked_mul(2)
                    .and_then(|l| l.checked_add(1))
                    .ok_or_else(|| Error::InvalidArgument("gaussian radius overflows".into()))?;
                let mut buffer = try_vec(len, 0.0, "a gaussian kernel")?;
                function(request, &mut buffer).map_err(|e| {
                    let mut msg = format!(
                        "the kernel callback failed for axis {}, sigma {}, order {}, radius {}",
                        request.axis, request.sigma, request.order, request.radius
                    );
                    if !e.0.is_empty() {
                        msg.push_str(": ");
                        msg.push_str(&e.0);
                    }
                    Error::CallbackFailed(msg)
                })?;
                buffer
            }
        };
        values.reverse();
        let kernel = Correlate1d::new(values)?;
        self.cache.insert(key, kernel.clone());
        Ok(kernel)
    }
}

/// One pass of a separable gaussian filter: its axis, correlation kernel and mode.
pub(crate) type Pass = (usize, Correlate1d, Mode);

/// One axis of a gaussian filter as the caller specifies it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GaussianAxis {
    pub(crate) axis: usize,
    pub(crate) sigma: f64,
    pub(crate) order: usize,
    pub(crate) mode: Mode,
    pub(crate) radius: Option<usize>,
}

/// The passes of a `gaussian_filter`: (axis, kernel, mode) of every axis whose sigma
/// exceeds 1e-15, in order (the others are dropped with their order, as scipy drops them).
fn gaussian_passes(
    axes: &[GaussianAxis],
    truncate: f64,
    kernels: &mut Kernels<'_, '_>,
) -> Result<Vec<Pass>, Error> {
    // Every radius and kernel length is checked before the first kernel is requested, so
    // that a caller's provider is not called by a call that then fails on a later axis.
    let mut radii = Vec::new();
    for a in axes.iter().filter(|a| a.sigma > SIGMA_SKIPPED) {
        let radius = match a.radius {
            Some(r) => r,
            None => gaussian_radius(a.sigma, truncate)?,
        };
        let len = radius
            .checked_mul(2)
            .and_then(|l| l.checked_add(1))
            .filter(|&l| l <= isize::MAX as usize / 8)
            .ok_or_else(|| Error::InvalidArgument("gaussian radius overflows".into()))?;
        ensure_allocatable(len * 8, "a gaussian kernel")?;
        radii.push((a, radius));
    }
    let mut passes = Vec::new();
    for (a, radius) in radii {
        let kernel = kernels.get(KernelRequest {
            axis: a.axis,
            sigma: a.sigma,
            order: a.order,
            radius,
        })?;
        passes.push((a.axis, kernel, a.mode));
    }
    Ok(passes)
}

/// Runs the passes of a gaussian filter (the all-dropped copy when there are none),
/// complex arrays part by part.
pub(crate) fn run_passes(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    passes: &[Pass],
    cval: Complex<f64>,
    name: &str,
    threads: usize,
) -> Result<(), Error> {
    if passes.is_empty() {
        return copy_dropped(input, output);
    }
    args::same_kind(input.dtype(), output.dtype())?;
    for_parts(input, output, (cval.re, cval.im), |i, o, c| {
        let lines = passes
            .iter()
            .map(|(axis, kernel, mode)| {
                Ok(LinePass::new(name, *axis, kernel.pad(0, *axis, *mode, c)?))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        // The separable rule: the first pass reads the input, the later ones the output.
        for (p, ((axis, kernel, _), line)) in passes.iter().zip(&lines).enumerate() {
            let from = (p == 0).then_some(i);
            correlate1d_pass(from, o, kernel, *axis, line.pad, name, threads)?;
        }
        Ok(())
    })
}

/// scipy.ndimage.gaussian_filter1d: the correlation along `axis` with the reversed
/// gaussian kernel of `sigma` and `order` (0 to 3 as scipy; higher orders are computed the
/// same way), of radius `radius` or `int(truncate · sigma + 0.5)`, with `mode` and `cval`
/// (complex arrays part by part). The kernel comes from `kernels`.
///
/// Errors as scipy: a radius below 0, sigma 0.
#[allow(clippy::too_many_arguments)]
pub fn gaussian_filter1d<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    sigma: f64,
    axis: isize,
    order: usize,
    mode: Mode,
    cval: impl Into<Complex<f64>>,
    truncate: f64,
    radius: Option<usize>,
    mut kernels: KernelSource<'_>,
    threads: Threads,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    args::same_shape(&input, &output)?;
    let axis = args::axis(axis, input.rank())?;
    let threads = threads.resolve()?;
    let radius = match radius {
        Some(r) => r,
        None => gaussian_radius(sigma, truncate)?,
    };
    args::same_kind(input.dtype(), output.dtype())?;
    let kernel = Kernels::new(&mut kernels).get(KernelRequest {
        axis,
        sigma,
        order,
        radius,
    })?;
    let passes = [(axis, kernel, mode)];
    run_passes(
        &input,
        &mut output,
        &passes,
        cval.into(),
        "gaussian_filter1d",
        threads,
    )
}

/// The per-axis settings of a gaussian filter over `axes` (one value per axis, or one for
/// all; empty orders are 0, empty radii come from `truncate`).
fn gaussian_axes(
    axes: &[usize],
    sigmas: &[f64],
    orders: &[usize],
    modes: &[Mode],
    radii: &[Option<usize>],
) -> Result<Vec<GaussianAxis>, Error> {
    let count = axes.len();
    if sigmas.is_empty() && count > 0 {
        return Err(Error::InvalidArgument("no sigmas given".into()));
    }
    let sigmas = args::per_axis_or_one(sigmas, count, 0.0, "sigmas")?;
    let orders = args::per_axis_or_one(orders, count, 0, "orders")?;
    let modes = args::per_axis_or_one(modes, count, Mode::Reflect, "modes")?;
    let radii = args::per_axis_or_one(radii, count, None, "radii")?;
    Ok((0..count)
        .map(|k| GaussianAxis {
            axis: axes[k],
            sigma: sigmas[k],
            order: orders[k],
            mode: modes[k],
            radius: radii[k],
        })
        .collect())
}

/// scipy.ndimage.gaussian_filter: [`gaussian_filter1d`] along each axis of `axes` (every
/// axis when `None`) in the order given, each with its sigma, order, mode and radius
/// (`sigmas`, `orders`, `modes`, `radii`: one per axis of `axes`, or one for all; empty
/// orders are 0, empty radii or `None` come from `truncate`). Axes whose sigma is at most
/// 1e-15 (negative and NaN sigmas included) are skipped together with their order, as
/// scipy skips them. Intermediates are stored in the output's element type. With every
/// axis skipped the input is assigned to the output with NumPy's casting rules (scipy's
/// `output[...] = input`: a complex input then gives a real output its real part).
///
/// Memory: one extended line and one result line per thread.
#[allow(clippy::too_many_arguments)]
pub fn gaussian_filter<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    sigmas: &[f64],
    orders: &[usize],
    modes: &[Mode],
    radii: &[Option<usize>],
    axes: Option<&[isize]>,
    cval: impl Into<Complex<f64>>,
    truncate: f64,
    mut kernels: KernelSource<'_>,
    threads: Threads,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    args::same_shape(&input, &output)?;
    let axes = resolve_axes(axes, input.rank())?;
    let settings = gaussian_axes(&axes, sigmas, orders, modes, radii)?;
    let threads = threads.resolve()?;
    let passes = gaussian_passes(&settings, truncate, &mut Kernels::new(&mut kernels))?;
    if !passes.is_empty() {
        args::same_kind(input.dtype(), output.dtype())?;
    }
    run_passes(
        &input,
        &mut output,
        &passes,
        cval.into(),
        "gaussian_filter",
        threads,
    )
}

/// The gaussian derivative terms of `gaussian_laplace` (`derivative_order` 2) or
/// `gaussian_gradient_magnitude` (1): for each axis `a` of `axes`, the passes of scipy's
/// `gaussian_filter(input, sigma_full, order = (derivative_order on a, 0 elsewhere),
/// mode = modes[k])` over every axis. For `gaussian_laplace` (`sigmas_per_input_axis`
/// false) `sigma_full` holds the sigmas of `axes` and 0 on the other axes; scipy's
/// `gaussian_gradient_magnitude` passes its sigmas on unchanged, one per axis of the input
/// (so axes not in `axes` are smoothed too). As in scipy, term k's mode applies to every
/// axis of that term.
#[allow(clippy::too_many_arguments)]
fn derivative_terms(
    rank: usize,
    axes: &[usize],
    sigmas: &[f64],
    modes: &[Mode],
    radii: &[Option<usize>],
    truncate: f64,
    derivative_order: usize,
    sigmas_per_input_axis: bool,
    kernels: &mut KernelSource<'_>,
) -> Result<Vec<Vec<Pass>>, Error> {
    let count = axes.len();
    if sigmas.is_empty() && count > 0 {
        return Err(Error::InvalidArgument("no sigmas given".into()));
    }
    let modes = args::per_axis_or_one(modes, count, Mode::Reflect, "modes")?;
    // The radius is forwarded to gaussian_filter over every axis: one per axis of the input.
    let radii = args::per_axis_or_one(radii, rank, None, "radii (one per axis of the input)")?;
    let full = if sigmas_per_input_axis {
        args::per_axis_or_one(sigmas, rank, 0.0, "sigmas (one per axis of the input)")?
    } else {
        let sigmas = args::per_axis_or_one(sigmas, count, 0.0, "sigmas")?;
        let mut full = vec![0.0; rank];
        if count < rank {
            for (&s, &a) in sigmas.iter().zip(axes) {
                full[a] = s;
            }
        } else {
            full.copy_from_slice(&sigmas);
        }
        full
    };
    let mut cache = Kernels::new(kernels);
    (0..count)
        .map(|k| {
            let settings: Vec<GaussianAxis> = (0..rank)
                .map(|b| GaussianAxis {
                    axis: b,
                    sigma: full[b],
                    order: if b == axes[k] { derivative_order } else { 0 },
                    mode: modes[k],
                    radius: radii[b],
                })
                .collect();
            gaussian_passes(&settings, truncate, &mut cache)
        })
        .collect()
}

/// scipy.ndimage.gaussian_laplace: the sum over the axes `a` of `axes` (every axis when
/// `None`) of second gaussian derivatives along `a` — each term scipy's `gaussian_filter`
/// over every axis with order 2 on `a` (sigmas of `axes`, 0 on the other axes, which are
/// then skipped) — added in the output's element type as NumPy adds (integers wrap).
///
/// `sigmas` and `modes`: one per axis of `axes`, or one for all. As in scipy, the mode of
/// term k is used on every axis of that term (not per axis). `radii`: one per axis *of the
/// input* (scipy forwards them to `gaussian_filter`), or one for all, or empty.
///
/// Memory: one temporary of the output's shape and type when more than one axis is
/// filtered (scipy makes one per axis).
#[allow(clippy::too_many_arguments)]
pub fn gaussian_laplace<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    sigmas: &[f64],
    modes: &[Mode],
    radii: &[Option<usize>],
    axes: Option<&[isize]>,
    cval: impl Into<Complex<f64>>,
    truncate: f64,
    mut kernels: KernelSource<'_>,
    threads: Threads,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    args::same_shape(&input, &output)?;
    let axes = resolve_axes(axes, input.rank())?;
    let threads = threads.resolve()?;
    let cval = cval.into();
    let terms = derivative_terms(
        input.rank(),
        &axes,
        sigmas,
        modes,
        radii,
        truncate,
        2,
        false,
        &mut kernels,
    )?;
    check_terms_kinds(&input, &output, &terms)?;
    let source = Source::new(input.clone(), output.byte_range())?;
    compose_laplace(&source.view(), &mut output, axes.len(), false, |k, out| {
        run_passes(
            &source.view(),
            out,
            &terms[k],
            cval,
            "gaussian_laplace",
            threads,
        )
    })
}

/// scipy.ndimage.gaussian_gradient_magnitude: the square root of the sum of squares of the
/// first gaussian derivatives along each axis of `axes` (every axis when `None`), with
/// NumPy's arithmetic in the output's element type (`output *= output`, `tmp *= tmp`,
/// `output += tmp`, then `np.sqrt` cast back: squares of integers wrap, the root of an
/// integer is truncated). Real arrays only (scipy's complex version uses NumPy's complex
/// arithmetic), except that with no axis the input is assigned.
///
/// Each term is scipy's `gaussian_filter` over every axis with order 1 on its axis, with
/// `sigmas` one per axis *of the input* (or one for all): unlike `gaussian_laplace`, scipy
/// passes them on unchanged, so axes left out of `axes` are smoothed as well (scipy's
/// behaviour, kept). `modes`: one per axis of `axes` (term k's mode on every axis of that
/// term); `radii` one per axis of the input.
///
/// Memory: as [`gaussian_laplace`].
#[allow(clippy::too_many_arguments)]
pub fn gaussian_gradient_magnitude<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    sigmas: &[f64],
    modes: &[Mode],
    radii: &[Option<usize>],
    axes: Option<&[isize]>,
    cval: f64,
    truncate: f64,
    mut kernels: KernelSource<'_>,
    threads: Threads,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    args::same_shape(&input, &output)?;
    let axes = resolve_axes(axes, input.rank())?;
    let threads = threads.resolve()?;
    let terms = derivative_terms(
        input.rank(),
        &axes,
        sigmas,
        modes,
        radii,
        truncate,
        1,
        true,
        &mut kernels,
    )?;
    if !axes.is_empty() {
        args::real(input.dtype(), "input")?;
        args::real(output.dtype(), "output")?;
    }
    check_terms_kinds(&input, &output, &terms)?;
    let source = Source::new(input.clone(), output.byte_range())?;
    let cval = Complex::new(cval, 0.0);
    compose_gradient_magnitude(&source.view(), &mut output, axes.len(), false, |k, out| {
        run_passes(
            &source.view(),
            out,
            &terms[k],
            cval,
            "gaussian_gradient_magnitude",
            threads,
        )
    })
}

/// Input and output kinds agree wherever a term filters (a term with every axis skipped is
/// a NumPy assignment, which accepts any kinds).
fn check_terms_kinds(
    input: &ArrayRef<'_>,
    output: &ArrayMut<'_>,
    terms: &[Vec<Pass>],
) -> Result<(), Error> {
    if terms.iter().any(|t| !t.is_empty()) {
        args::same_kind(input.dtype(), output.dtype())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numpy_sum_blocks() {
        // Exact sums of small integers whatever the blocking.
        let v: Vec<f64> = (1..=300).map(|k| k as f64).collect();
        assert_eq!(numpy_sum(&v), 45150.0);
        assert_eq!(numpy_sum(&v[..7]), 28.0);
        assert_eq!(numpy_sum(&[-0.0]), 0.0);
        assert!(numpy_sum(&[-0.0]).is_sign_positive());
    }

    // Properties of the definition: order 0 sums to ~1 and is symmetric; odd orders are
    // antisymmetric with an exact zero centre; scipy's radius rule.
    #[test]
    fn kernel_properties() {
        let k = gaussian_kernel1d(1.5, 0, 6).unwrap();
        assert_eq!(k.len(), 13);
        assert!((k.iter().sum::<f64>() - 1.0).abs() < 1e-15);
        for j in 0..6 {
            assert_eq!(k[j], k[12 - j]);
        }
        let d1 = gaussian_kernel1d(1.5, 1, 6).unwrap();
        assert_eq!(d1[6], 0.0);
        for j in 0..6 {
            assert_eq!(d1[j], -d1[12 - j]);
        }
        // d/dx of a gaussian is positive left of the centre.
        assert!(d1[5] > 0.0);
        let d3 = gaussian_kernel1d(2.0, 3, 8).unwrap();
        assert_eq!(d3[8], 0.0);
        assert_eq!(gaussian_radius(2.0, 4.0).unwrap(), 8);
        assert_eq!(gaussian_radius(0.1, 4.0).unwrap(), 0);
        assert_eq!(gaussian_radius(-0.1, 4.0).unwrap(), 0);
        assert!(gaussian_radius(-1.0, 4.0).is_err());
        assert!(gaussian_radius(f64::NAN, 4.0).is_err());
        assert!(gaussian_kernel1d(0.0, 0, 1).is_err());
    }
}
