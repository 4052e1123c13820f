//! The Fourier-domain filters: `fourier_gaussian`, `fourier_uniform`, `fourier_ellipsoid` and
//! `fourier_shift` (scipy's `NI_FourierFilter` and `NI_FourierShift`), one kernel with a kind
//! on the pointwise pass.
//!
//! The input is taken to be a spectrum (an FFT's output); nothing is transformed. Each axis
//! gets a table of one value per position (by the position's frequency index), and each element
//! combines its axes' values in axis order: a product (gaussian, uniform), or a sum that is
//! then turned into the multiplier (ellipsoid) or into the phase of a rotation (shift). Every
//! operation is scipy's, in scipy's order, in `f64`, with the platform's libm `exp`, `sin`,
//! `cos` (and `sqrt`, which is exact): so the results are scipy's bit for bit on the same
//! machine.

#![forbid(unsafe_code)]

use std::f64::consts::PI;

use crate::args;
use crate::array::{AsInput, AsOutput, DType, Parts, Source, StoreRule};
use crate::engine::pointwise::{self, PointKernel, Run};
use crate::error::Error;
use crate::parallel::Threads;

/// Which Fourier filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Gaussian,
    Uniform,
    Ellipsoid,
    Shift,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Gaussian => "fourier_gaussian",
            Kind::Uniform => "fourier_uniform",
            Kind::Ellipsoid => "fourier_ellipsoid",
            Kind::Shift => "fourier_shift",
        }
    }

    /// Whether an element's axis values are added (else multiplied).
    fn sums(self) -> bool {
        matches!(self, Kind::Ellipsoid | Kind::Shift)
    }
}

/// The frequency index of position `p` on an axis of length `d`: `0, 1, …, (d-1)/2` then
/// `-(d/2), …, -1` (numpy's `fftfreq` order), or `p` itself on a half-spectrum axis.
fn frequency(p: usize, d: usize, half: bool) -> f64 {
    if half || p < d.div_ceil(2) {
        p as f64
    } else {
        p as f64 - d as f64
    }
}

/// scipy converts some axis lengths to a C `int` before dividing by them (gaussian and shift;
/// uniform and ellipsoid keep the 64-bit length). Lengths beyond `i32::MAX` wrap as that
/// conversion does on every platform scipy runs on.
fn as_c_int(length: usize) -> f64 {
    length as i32 as f64
}

/// The per-axis tables of one call: for each axis, the value of each position along it, or
/// `None` where the axis contributes nothing (scipy makes no table for axes of length <= 1,
/// except for the ellipsoid).
struct Tables {
    kind: Kind,
    axes: Vec<Option<Vec<f64>>>,
    /// Ellipsoid only, per axis: for each position, the first position holding a bit-identical
    /// table value (its mirror `d - p` in fftfreq order, where `(kτ)²` and `(-kτ)²` agree), or
    /// `None` when no position has a twin. Elements of a line whose values agree have equal
    /// multipliers, so each is computed once per line.
    twins: Vec<Option<Vec<usize>>>,
}

/// Longest axis whose multipliers the ellipsoid caches per line (a line of doubles per
/// thread).
const LINE_CACHE: usize = 1 << 16;

impl Tables {
    /// `params`: one value per axis (sigma, size or shift); `half`: the axis holding a real
    /// FFT's half spectrum and the length `n` of the signal before the transform.
    fn new(kind: Kind, shape: &[usize], params: &[f64], half: Option<(usize, usize)>) -> Self {
        let rank = shape.len();
        let axes = (0..rank)
            .map(|a| {
                let d = shape[a];
                let real_n = half.filter(|&(axis, _)| axis == a).map(|(_, n)| n);
                if d <= 1 && kind != Kind::Ellipsoid {
                    return None;
                }
                let is_half = real_n.is_some();
                let wide = real_n.unwrap_or(d) as f64;
                let narrow = as_c_int(real_n.unwrap_or(d));
                let s = params[a];
                let freq = |p| frequency(p, d, is_half);
                let table: Vec<f64> = match kind {
                    Kind::Gaussian => {
                        let b = s * PI / narrow;
                        let b = -2.0 * b * b;
                        (0..d)
                            .map(|p| {
                                let k = freq(p);
                                let t = b * k * k;
                                if t.abs() > 50.0 {
                                    0.0
                                } else {
                                    t.exp()
                                }
                            })
                            .collect()
                    }
                    Kind::Uniform => {
                        let tau = PI * s / wide;
                        (0..d)
                            .map(|p| match p {
                                0 => 1.0,
                                _ => uniform_factor(tau, freq(p)),
                            })
                            .collect()
                    }
                    Kind::Ellipsoid => {
                        let tau = PI * s / wide;
                        (0..d)
                            .map(|p| {
                                let e = freq(p) * tau;
                                // Squared for the radius of an ellipse or an ellipsoid.
                                if rank > 1 {
                                    e * e
                                } else {
                                    e
                                }
                            })
                            .collect()
                    }
                    Kind::Shift => {
                        // scipy's `-2.0 * M_PI * shift / n`, the first product folded.
                        let phi = -2.0 * PI * s / narrow;
                        (0..d).map(|p| phi * freq(p)).collect()
                    }
                };
                Some(table)
            })
            .collect::<Vec<_>>();
        let twins = axes
            .iter()
            .map(|table| {
                let t = table
                    .as_ref()
                    .filter(|t| kind == Kind::Ellipsoid && t.len() <= LINE_CACHE)?;
                let d = t.len();
                let first: Vec<usize> = (0..d)
                    .map(|p| match d - p {
                        q if p > 0 && q < p && t[q].to_bits() == t[p].to_bits() => q,
                        _ => p,
                    })
                    .collect();
                first
                    .iter()
                    .enumerate()
                    .any(|(p, &q)| p != q)
                    .then_some(first)
            })
            .collect();
        Tables { kind, axes, twins }
    }

    /// `out[j]` = the axis values of the element at `index` with position `from + j` on
    /// `axis`, combined in axis order from 1.0 (products) or 0.0 (sums), skipping axes without
    /// a table: scipy's per-element loop, with the axes before `axis` folded once (the same
    /// operations in the same order).
    fn combine(&self, index: &[usize], axis: usize, from: usize, out: &mut [f64]) {
        let sums = self.kind.sums();
        let op = |a: f64, b: f64| if sums { a + b } else { a * b };
        let mut prefix = if sums { 0.0 } else { 1.0 };
        for (a, table) in self.axes.iter().enumerate().take(axis) {
            if let Some(t) = table {
                prefix = op(prefix, t[index[a]]);
            }
        }
        match &self.axes[axis] {
            Some(t) => {
                let t = &t[from..from + out.len()];
                if sums {
                    out.iter_mut().zip(t).for_each(|(v, &e)| *v = prefix + e);
                } else {
                    out.iter_mut().zip(t).for_each(|(v, &e)| *v = prefix * e);
                }
            }
            None => out.fill(prefix),
        }
        for (a, table) in self.axes.iter().enumerate().skip(axis + 1) {
            if let Some(t) = table {
                let e = t[index[a]];
                if sums {
                    out.iter_mut().for_each(|v| *v += e);
                } else {
                    out.iter_mut().for_each(|v| *v *= e);
                }
            }
        }
    }
}

/// The uniform filter's factor at frequency index `k != 0` for `tau = π·size/n`: the
/// transform of a box, `sin(τk)/(τk)`. scipy computes it for `tau > 0` and uses 0.0
/// otherwise, which zeroes every non-DC coefficient for `size <= 0` (§11 of the semantics).
/// Here `tau == 0` (a box of width 0, or one too narrow to register) is the factor's limit,
/// 1.0 (the identity), and a negative size gives the factor of its magnitude (the function is
/// even); for `tau > 0` this is scipy's expression exactly.
fn uniform_factor(tau: f64, k: f64) -> f64 {
    if tau == 0.0 {
        1.0
    } else {
        (tau * k).sin() / (tau * k)
    }
}

/// The multiplier of the ellipsoid filter from the sum of its axis values.
#[inline]
fn ellipsoid_factor(rank: usize, sum: f64) -> f64 {
    match rank {
        // The sum is `0.0 + e`, which differs from `e` only for -0.0: 1.0 either way.
        1 => {
            if sum != 0.0 {
                sum.sin() / sum
            } else {
                1.0
            }
        }
        2 => {
            let r = sum.sqrt();
            if r > 0.0 {
                2.0 * bessel_j1(r) / r
            } else {
                1.0
            }
        }
        _ => {
            let r = sum.sqrt();
            if r > 0.0 {
                let t = 3.0 * (r.sin() - r * r.cos());
                t / (r * r * r)
            } else {
                1.0
            }
        }
    }
}

/// `coef[0]·x^N + … + coef[N]` by Horner's rule, as Cephes' `polevl`.
#[inline]
fn polevl(x: f64, coef: &[f64]) -> f64 {
    coef[1..].iter().fold(coef[0], |acc, &c| acc * x + c)
}

/// `x^N + coef[0]·x^(N-1) + … + coef[N-1]`, as Cephes' `p1evl` (the leading 1 implied).
#[inline]
fn p1evl(x: f64, coef: &[f64]) -> f64 {
    coef[1..].iter().fold(x + coef[0], |acc, &c| acc * x + c)
}

/// The Bessel function of the first kind of order 1, by the Cephes rational approximations
/// scipy's `ni_fourier.c` uses (one for |x| <= 5, an asymptotic form beyond), operation for
/// operation. The coefficients are Cephes' decimal literals as scipy spells them; they round
/// to the same doubles in Rust as in C.
#[allow(clippy::excessive_precision)]
fn bessel_j1(x: f64) -> f64 {
    const RP: [f64; 4] = [
        -8.99971225705559398224E8,
        4.52228297998194034323E11,
        -7.27494245221818276015E13,
        3.68295732863852883286E15,
    ];
    const RQ: [f64; 8] = [
        6.20836478118054335476E2,
        2.56987256757748830383E5,
        8.35146791431949253037E7,
        2.21511595479792499675E10,
        4.74914122079991414898E12,
        7.84369607876235854894E14,
        8.95222336184627338078E16,
        5.32278620332680085395E18,
    ];
    const PP: [f64; 7] = [
        7.62125616208173112003E-4,
        7.31397056940917570436E-2,
        1.12719608129684925192E0,
        5.11207951146807644818E0,
        8.42404590141772420927E0,
        5.21451598682361504063E0,
        1.00000000000000000254E0,
    ];
    const PQ: [f64; 7] = [
        5.71323128072548699714E-4,
        6.88455908754495404082E-2,
        1.10514232634061696926E0,
        5.07386386128601488557E0,
        8.39985554327604159757E0,
        5.20982848682361821619E0,
        9.99999999999999997461E-1,
    ];
    const QP: [f64; 8] = [
        5.10862594750176621635E-2,
        4.98213872951233449420E0,
        7.58238284132545283818E1,
        3.66779609360150777800E2,
        7.10856304998926107277E2,
        5.97489612400613639965E2,
        2.11688757100572135698E2,
        2.52070205858023719784E1,
    ];
    const QQ: [f64; 7] = [
        7.42373277035675149943E1,
        1.05644886038262816351E3,
        4.98641058337653607651E3,
        9.56231892404756170795E3,
        7.99704160447350683650E3,
        2.82619278517639096600E3,
        3.36093607810698293419E2,
    ];
    // 3π/4, sqrt(2/π), and the squares of the first two zeros of J1.
    const THPIO4: f64 = 2.35619449019234492885;
    const SQ2OPI: f64 = 0.79788456080286535588;
    const Z1: f64 = 1.46819706421238932572E1;
    const Z2: f64 = 4.92184563216946036703E1;

    if x.abs() <= 5.0 {
        let z = x * x;
        let w = polevl(z, &RP) / p1evl(z, &RQ);
        return w * x * (z - Z1) * (z - Z2);
    }
    let w = 5.0 / x;
    let z = w * w;
    let p = polevl(z, &PP) / polevl(z, &PQ);
    let q = polevl(z, &QP) / p1evl(z, &QQ);
    let xn = x - THPIO4;
    let p = p * xn.cos() - w * q * xn.sin();
    p * SQ2OPI / x.sqrt()
}

/// The kernel: each run's combined axis values (`acc`), then the output from them and the
/// input.
struct Kernel<'t> {
    tables: &'t Tables,
    acc: Vec<f64>,
    /// The ellipsoid's multipliers along the current line (at the positions that have no
    /// earlier twin), and the line: its index with the run axis' entry 0, and that axis.
    line: Vec<f64>,
    line_at: Option<(Vec<usize>, usize)>,
}

impl Kernel<'_> {
    /// The ellipsoid's multipliers of the run into `acc`, from the line's cache (filled when
    /// the run starts a new line). Returns false if the run's axis has no twins.
    fn cached_ellipsoid(&mut self, run: &Run<'_>) -> bool {
        let Some(twins) = &self.tables.twins[run.axis] else {
            return false;
        };
        let same_line = self.line_at.as_ref().is_some_and(|(index, axis)| {
            *axis == run.axis
                && index
                    .iter()
                    .zip(run.index)
                    .enumerate()
                    .all(|(a, (&i, &j))| a == run.axis || i == j)
        });
        if !same_line {
            let d = twins.len();
            self.line.resize(d, 0.0);
            self.tables.combine(run.index, run.axis, 0, &mut self.line);
            let rank = self.tables.axes.len();
            for (p, v) in self.line.iter_mut().enumerate() {
                if twins[p] == p {
                    *v = ellipsoid_factor(rank, *v);
                }
            }
            let mut index = run.index.to_vec();
            index[run.axis] = 0;
            self.line_at = Some((index, run.axis));
        }
        let from = run.index[run.axis];
        let twins = &twins[from..from + run.len];
        for (m, &q) in self.acc[..run.len].iter_mut().zip(twins) {
            *m = self.line[q];
        }
        true
    }
}

impl PointKernel for Kernel<'_> {
    fn run(&mut self, run: &Run<'_>, input: Parts<&[f64]>, output: Parts<&mut [f64]>) {
        let kind = self.tables.kind;
        let cached = kind == Kind::Ellipsoid && self.cached_ellipsoid(run);
        if !cached {
            let from = run.index[run.axis];
            self.tables
                .combine(run.index, run.axis, from, &mut self.acc[..run.len]);
        }
        let acc = &mut self.acc[..run.len];
        if kind == Kind::Shift {
            // The element times exp(iθ), θ the sum of the axis phases.
            match (input, output) {
                (Parts::Real(x), Parts::Complex(re, im)) => {
                    for j in 0..acc.len() {
                        let (s, c) = (acc[j].sin(), acc[j].cos());
                        re[j] = x[j] * c;
                        im[j] = x[j] * s;
                    }
                }
                (Parts::Complex(xr, xi), Parts::Complex(re, im)) => {
                    for j in 0..acc.len() {
                        let (s, c) = (acc[j].sin(), acc[j].cos());
                        re[j] = xr[j] * c - xi[j] * s;
                        im[j] = xr[j] * s + xi[j] * c;
                    }
                }
                _ => unreachable!("fourier_shift writes complex output (checked)"),
            }
            return;
        }
        if kind == Kind::Ellipsoid && !cached {
            let rank = self.tables.axes.len();
            acc.iter_mut().for_each(|v| *v = ellipsoid_factor(rank, *v));
        }
        let scale = |out: &mut [f64], x: &[f64]| {
            out.iter_mut()
                .zip(x)
                .zip(acc.iter())
                .for_each(|((o, &x), &m)| *o = m * x)
        };
        match (input, output) {
            (Parts::Real(x), Parts::Real(o)) => scale(o, x),
            (Parts::Real(x), Parts::Complex(re, im)) => {
                scale(re, x);
                im.fill(0.0);
            }
            (Parts::Complex(xr, xi), Parts::Complex(re, im)) => {
                scale(re, xr);
                scale(im, xi);
            }
            (Parts::Complex(..), Parts::Real(_)) => {
                unreachable!("complex input needs complex output (checked)")
            }
        }
    }
}

/// The checks and the pass every Fourier filter shares.
fn fourier<'a>(
    kind: Kind,
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    params: &[f64],
    what: &str,
    n: Option<usize>,
    axis: isize,
    threads: Threads,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    args::same_shape(&input, &output)?;
    let rank = input.rank();
    let axis = args::axis(axis, rank)?;
    args::count(what, rank, params.len())?;
    let (id, od) = (input.dtype(), output.dtype());
    let allowed: &[DType] = match kind {
        Kind::Shift => &[DType::Complex64, DType::Complex128],
        _ => &[
            DType::Float32,
            DType::Float64,
            DType::Complex64,
            DType::Complex128,
        ],
    };
    if !allowed.contains(&od) {
        let names: Vec<&str> = allowed.iter().map(|d| d.name()).collect();
        return Err(Error::InvalidArray(format!(
            "output: {} writes {} arrays, not {}",
            kind.name(),
            names.join(", "),
            od.name()
        )));
    }
    if id.is_complex() && !od.is_complex() {
        return Err(Error::InvalidArray(
            "output must have a complex dtype for a complex input".into(),
        ));
    }
    if kind == Kind::Ellipsoid && rank > 3 {
        return Err(Error::InvalidArray(format!(
            "fourier_ellipsoid supports inputs of rank 1, 2 and 3, not {rank}"
        )));
    }
    let threads = threads.resolve()?;
    let tables = Tables::new(kind, input.shape(), params, n.map(|n| (axis, n)));
    let source = Source::for_line_pass(input, &output)?;
    pointwise::map(
        &source.view(),
        &mut output,
        StoreRule::Truncate,
        threads,
        || Kernel {
            tables: &tables,
            acc: vec![0.0; pointwise::RUN],
            line: Vec::new(),
            line_at: None,
        },
    )
}

/// scipy.ndimage.fourier_gaussian: multiplies the spectrum `input` by the Fourier transform
/// of a Gaussian of standard deviation `sigma[a]` on each axis `a` (one value per axis).
///
/// On an axis of length `d` the factor at frequency index `k` is `exp(b·k·k)` with
/// `b = -2·(σπ/d)²` (0 where the exponent is below -50). `n` is scipy's real-FFT convention:
/// `None` for a full (complex) spectrum; `Some(n)` when the axis `axis` holds the half spectrum
/// of a real FFT of a signal of length `n` (its positions are frequencies `0, 1, …` and its
/// length in the formula is `n`). `axis` may be negative; it is checked even with `n` `None`,
/// as scipy does.
///
/// `input`: any element type, real or complex; `output`: float32, float64, complex64 or
/// complex128 (complex for a complex input; a real input gives imaginary parts 0), the same
/// shape. Values are computed in `f64` and rounded once to the output type. `input` may be
/// `output` itself; other overlapping memory is copied first.
///
/// Memory: one table of `d` doubles per axis, and run buffers of a few hundred values per
/// thread.
pub fn fourier_gaussian<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    sigma: &[f64],
    n: Option<usize>,
    axis: isize,
    threads: Threads,
) -> Result<(), Error> {
    fourier(
        Kind::Gaussian,
        input,
        output,
        sigma,
        "sigma",
        n,
        axis,
        threads,
    )
}

/// scipy.ndimage.fourier_uniform: multiplies the spectrum `input` by the Fourier transform of
/// a box of width `size[a]` on each axis: `sin(τk)/(τk)` at frequency index `k != 0`, with
/// `τ = π·size/d`, and 1 at `k = 0`.
///
/// `size` 0 is the identity (scipy 1.17.1 instead zeroes every coefficient but the DC one), and
/// a negative size filters as its magnitude (scipy zeroes those too); for positive sizes the
/// values are scipy's. `n`, `axis`, the arrays and memory as [`fourier_gaussian`].
pub fn fourier_uniform<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    size: &[f64],
    n: Option<usize>,
    axis: isize,
    threads: Threads,
) -> Result<(), Error> {
    fourier(Kind::Uniform, input, output, size, "size", n, axis, threads)
}

/// scipy.ndimage.fourier_ellipsoid: multiplies the spectrum `input` (rank 1, 2 or 3) by the
/// Fourier transform of an ellipsoid (an interval, an ellipse) with axis lengths `size[a]`.
///
/// With `e_a = k_a·π·size_a/d_a` per axis: rank 1 `sin(e)/e`; rank 2 `2·J1(r)/r` with
/// `r = sqrt(e_0² + e_1²)` and J1 the Cephes rational approximation scipy uses; rank 3
/// `3·(sin r − r·cos r)/r³`; 1 where the argument is 0. `n`, `axis` and the arrays as
/// [`fourier_gaussian`].
///
/// Elements of a line whose frequencies are opposite (`k` and `-k`) have the same multiplier,
/// which is computed once per line (the same operations, so the same value).
///
/// Memory: the tables, run buffers, and one line of multipliers per thread (at most 2^16
/// doubles).
pub fn fourier_ellipsoid<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    size: &[f64],
    n: Option<usize>,
    axis: isize,
    threads: Threads,
) -> Result<(), Error> {
    fourier(
        Kind::Ellipsoid,
        input,
        output,
        size,
        "size",
        n,
        axis,
        threads,
    )
}

/// scipy.ndimage.fourier_shift: multiplies the spectrum `input` by the Fourier transform of a
/// shift by `shift[a]` samples on each axis: `exp(iθ)` with `θ = Σ_a -2π·shift_a·k_a/d_a`.
///
/// `output` must be complex64 or complex128 (a real input is a spectrum with imaginary parts
/// 0). `n`, `axis`, the input and memory as [`fourier_gaussian`].
pub fn fourier_shift<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    shift: &[f64],
    n: Option<usize>,
    axis: isize,
    threads: Threads,
) -> Result<(), Error> {
    fourier(Kind::Shift, input, output, shift, "shift", n, axis, threads)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array1, Array2};
    use num_complex::Complex64;

    #[test]
    fn frequencies_follow_fft_order() {
        let f: Vec<f64> = (0..5).map(|p| frequency(p, 5, false)).collect();
        assert_eq!(f, [0.0, 1.0, 2.0, -2.0, -1.0]);
        let f: Vec<f64> = (0..4).map(|p| frequency(p, 4, false)).collect();
        assert_eq!(f, [0.0, 1.0, -2.0, -1.0]);
        let f: Vec<f64> = (0..4).map(|p| frequency(p, 4, true)).collect();
        assert_eq!(f, [0.0, 1.0, 2.0, 3.0]);
    }

    #[test]
    fn j1_matches_reference_values() {
        // Values of J1 from Abramowitz & Stegun, table 9.1 (10 digits).
        for (x, j1) in [
            (1.0, 0.4400505857),
            (2.5, 0.4970941025),
            (5.0, -0.3275791376),
            (7.5, 0.1352484276),
            (12.0, -0.2234471045),
        ] {
            assert!((bessel_j1(x) - j1).abs() < 1e-9, "J1({x})");
        }
    }

    #[test]
    fn gaussian_of_a_constant_spectrum_is_the_table() {
        let input = Array1::<f64>::ones(6);
        let mut out = Array1::<f64>::zeros(6);
        fourier_gaussian(&input, &mut out, &[1.0], None, -1, Threads::Count(1)).unwrap();
        for (p, &v) in out.iter().enumerate() {
            let k = frequency(p, 6, false);
            let b = -2.0 * (PI / 6.0) * (PI / 6.0);
            assert_eq!(v, (b * k * k).exp());
        }
    }

    #[test]
    fn uniform_size_zero_is_the_identity() {
        let input = Array2::from_shape_fn((3, 4), |(i, j)| (i * 4 + j) as f64 - 2.5);
        let mut out = Array2::<f64>::zeros((3, 4));
        fourier_uniform(&input, &mut out, &[0.0, 0.0], None, -1, Threads::Count(1)).unwrap();
        assert_eq!(out, input);
        let mut neg = Array2::<f64>::zeros((3, 4));
        let mut pos = Array2::<f64>::zeros((3, 4));
        fourier_uniform(&input, &mut neg, &[-2.0, -3.0], None, 0, Threads::Count(1)).unwrap();
        fourier_uniform(&input, &mut pos, &[2.0, 3.0], None, 0, Threads::Count(1)).unwrap();
        assert_eq!(neg, pos);
    }

    #[test]
    fn shift_by_a_whole_period_keeps_the_spectrum() {
        // Shifting by the axis length multiplies by exp(-2πik): 1 up to rounding.
        let input = Array1::from_shape_fn(8, |p| Complex64::new(p as f64, 1.0));
        let mut out = Array1::<Complex64>::zeros(8);
        fourier_shift(&input, &mut out, &[8.0], None, 0, Threads::Count(1)).unwrap();
        for (a, b) in input.iter().zip(&out) {
            assert!((a - b).norm() < 1e-12);
        }
    }

    #[test]
    fn arguments_are_checked() {
        let input = Array2::<f64>::ones((2, 3));
        let mut out = Array2::<f64>::zeros((2, 3));
        let mut ints = Array2::<i32>::zeros((2, 3));
        let t = Threads::Count(1);
        assert!(fourier_gaussian(&input, &mut ints, &[1.0, 1.0], None, 0, t).is_err());
        assert!(fourier_gaussian(&input, &mut out, &[1.0], None, 0, t).is_err());
        assert!(fourier_gaussian(&input, &mut out, &[1.0, 1.0], None, 2, t).is_err());
        assert!(fourier_shift(&input, &mut out, &[1.0, 1.0], None, 0, t).is_err());
        let c = Array2::<Complex64>::zeros((2, 3));
        assert!(fourier_uniform(&c, &mut out, &[1.0, 1.0], None, 0, t).is_err());
        let big = ndarray::Array4::<f64>::zeros((1, 1, 1, 2));
        let mut big_out = big.clone();
        let r = fourier_ellipsoid(&big, &mut big_out, &[1.0; 4], None, 0, t);
        assert!(r.is_err());
        assert!(fourier_gaussian(&input, &mut out, &[1.0, 1.0], Some(3), -2, t).is_ok());
    }
}
