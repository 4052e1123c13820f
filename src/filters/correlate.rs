//! `correlate1d`, `convolve1d`, `correlate`, `convolve`: weighted sums over a line (a kernel
//! on the line pass) or over a footprint (a kernel on the neighbourhood walk), with scipy's
//! operation order, and complex data through their real and imaginary parts as scipy's
//! Python layer splits them.

#![forbid(unsafe_code)]

use num_complex::Complex;

use super::numpy_ops;
use crate::args;
use crate::array::{
    advance, ArrayMut, ArrayRef, AsInput, AsOutput, OwnedArray, Parts, Source, StoreRule,
};
use crate::boundary::Mode;
use crate::engine::line_pass::{
    filter_lanes, filter_lines, LanesKernel, LineKernel, LinePass, Pad,
};
use crate::engine::neighbourhood::{self, Walk, Window, WindowKernel};
use crate::engine::Footprint;
use crate::error::{CallbackError, Error};
use crate::parallel::Threads;

/// How scipy's 1-D correlation loop sums a kernel (decided once per call on the float64
/// weights; odd lengths only, within `f64::EPSILON`, absolute). A pair is rejected only when
/// its difference (sum) *exceeds* the tolerance, so a NaN weight passes both tests: a kernel
/// with NaNs counts as symmetric, as in scipy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Symmetry {
    /// `w[c+j] == w[c-j]`: the pair of samples is added first, times the *left* weight.
    Symmetric,
    /// `w[c+j] == -w[c-j]`: the right sample is subtracted from the left, times the left
    /// weight.
    Antisymmetric,
    /// Every tap on its own.
    General,
}

impl Symmetry {
    fn of(w: &[f64]) -> Symmetry {
        let fs = w.len();
        if fs % 2 == 0 {
            return Symmetry::General;
        }
        let c = fs / 2;
        let pairs = || (1..=c).map(|j| (w[c + j], w[c - j]));
        #[allow(clippy::neg_cmp_op_on_partial_ord)] // NaN must pass, as in scipy
        let within = |d: f64| !(d.abs() > f64::EPSILON);
        if pairs().all(|(r, l)| within(r - l)) {
            Symmetry::Symmetric
        } else if pairs().all(|(r, l)| within(r + l)) {
            Symmetry::Antisymmetric
        } else {
            Symmetry::General
        }
    }
}

/// The 1-D correlation of scipy's `NI_Correlate1D`: output `i` of a line extended by
/// `before = fs / 2 + origin` samples is `Σ_k w[k] · e[i + k]`, summed as [`Symmetry`] says:
///
/// - symmetric: `e[i+c]·w[c]`, then for `j = c, c-1, …, 1`: `+ (e[i+c-j] + e[i+c+j])·w[c-j]`;
/// - antisymmetric: the same with `e[i+c-j] - e[i+c+j]`;
/// - general: `e[i+fs-1]·w[fs-1]`, then `+ e[i+k]·w[k]` for `k = 0 … fs-2`.
///
/// The sums run tap by tap over the whole line, so each output keeps that order and the loops
/// vectorise across positions.
#[derive(Clone, Debug)]
pub(crate) struct Correlate1d {
    weights: Vec<f64>,
    symmetry: Symmetry,
}

impl Correlate1d {
    /// The kernel of `weights` (at least one).
    pub(crate) fn new(weights: Vec<f64>) -> Result<Self, Error> {
        if weights.is_empty() {
            return Err(Error::InvalidArgument("no filter weights given".into()));
        }
        let symmetry = Symmetry::of(&weights);
        Ok(Correlate1d { weights, symmetry })
    }

    pub(crate) fn len(&self) -> usize {
        self.weights.len()
    }

    /// The line extension for `origin` (checked as scipy checks it) along `axis`.
    pub(crate) fn pad(
        &self,
        origin: isize,
        axis: usize,
        mode: Mode,
        cval: f64,
    ) -> Result<Pad, Error> {
        let fs = self.len();
        let before = args::samples_before(fs, origin, axis)?;
        Ok(Pad {
            before,
            after: fs - 1 - before,
            mode,
            cval,
        })
    }

    /// The results of one extended line (`e.len() == out.len() + fs - 1`): chunks of
    /// [`CHUNK`] outputs summed in registers over every tap, then the rest one by one (the
    /// same operations per output either way).
    #[inline]
    pub(crate) fn apply(&self, e: &[f64], out: &mut [f64]) {
        let n = out.len();
        debug_assert_eq!(e.len(), n + self.weights.len() - 1);
        let mut i = 0;
        while i + CHUNK <= n {
            let mut acc = [0.0f64; CHUNK];
            self.sum(&e[i..i + CHUNK + self.weights.len() - 1], &mut acc);
            out[i..i + CHUNK].copy_from_slice(&acc);
            i += CHUNK;
        }
        if i < n {
            self.sum(&e[i..], &mut out[i..]);
        }
    }

    /// The sums of `out.len()` consecutive outputs from their extended samples `e`, tap by
    /// tap in scipy's order (see the type's documentation).
    #[inline(always)]
    fn sum(&self, e: &[f64], out: &mut [f64]) {
        let w = &self.weights;
        let n = out.len();
        let fs = w.len();
        let c = fs / 2;
        match self.symmetry {
            Symmetry::Symmetric | Symmetry::Antisymmetric => {
                let wc = w[c];
                for (o, &x) in out.iter_mut().zip(&e[c..c + n]) {
                    *o = x * wc;
                }
                let symmetric = self.symmetry == Symmetry::Symmetric;
                for j in (1..=c).rev() {
                    let wl = w[c - j];
                    let left = &e[c - j..c - j + n];
                    let right = &e[c + j..c + j + n];
                    if symmetric {
                        for ((o, &l), &r) in out.iter_mut().zip(left).zip(right) {
                            *o += (l + r) * wl;
                        }
                    } else {
                        for ((o, &l), &r) in out.iter_mut().zip(left).zip(right) {
                            *o += (l - r) * wl;
                        }
                    }
                }
            }
            Symmetry::General => {
                let wl = w[fs - 1];
                for (o, &x) in out.iter_mut().zip(&e[fs - 1..fs - 1 + n]) {
                    *o = x * wl;
                }
                for (k, &wk) in w[..fs - 1].iter().enumerate() {
                    for (o, &x) in out.iter_mut().zip(&e[k..k + n]) {
                        *o += x * wk;
                    }
                }
            }
        }
    }

    /// The results of `lanes` interleaved extended lines ([`LanesKernel`]): position by
    /// position, in chunks of [`CHUNK`] lanes summed in registers over every tap.
    #[inline]
    fn apply_lanes(&self, e: &[f64], lanes: usize, out: &mut [f64]) {
        let fs = self.weights.len();
        let n = out.len() / lanes.max(1);
        for i in 0..n {
            let window = &e[i * lanes..(i + fs) * lanes];
            let o = &mut out[i * lanes..(i + 1) * lanes];
            let mut l0 = 0;
            while l0 + CHUNK <= lanes {
                let mut acc = [0.0f64; CHUNK];
                self.sum_lanes(window, lanes, l0, &mut acc);
                o[l0..l0 + CHUNK].copy_from_slice(&acc);
                l0 += CHUNK;
            }
            if l0 < lanes {
                self.sum_lanes(window, lanes, l0, &mut o[l0..]);
            }
        }
    }

    /// The sums of lanes `l0 .. l0 + out.len()` at one position, from the `fs` rows of
    /// `window` (row `k` is `window[k * lanes ..]`), tap by tap in scipy's order.
    #[inline(always)]
    fn sum_lanes(&self, window: &[f64], lanes: usize, l0: usize, out: &mut [f64]) {
        let w = &self.weights;
        let m = out.len();
        let fs = w.len();
        let c = fs / 2;
        let row = |k: usize| &window[k * lanes + l0..k * lanes + l0 + m];
        match self.symmetry {
            Symmetry::Symmetric | Symmetry::Antisymmetric => {
                let wc = w[c];
                for (o, &x) in out.iter_mut().zip(row(c)) {
                    *o = x * wc;
                }
                let symmetric = self.symmetry == Symmetry::Symmetric;
                for j in (1..=c).rev() {
                    let wl = w[c - j];
                    let (left, right) = (row(c - j), row(c + j));
                    if symmetric {
                        for ((o, &l), &r) in out.iter_mut().zip(left).zip(right) {
                            *o += (l + r) * wl;
                        }
                    } else {
                        for ((o, &l), &r) in out.iter_mut().zip(left).zip(right) {
                            *o += (l - r) * wl;
                        }
                    }
                }
            }
            Symmetry::General => {
                let wl = w[fs - 1];
                for (o, &x) in out.iter_mut().zip(row(fs - 1)) {
                    *o = x * wl;
                }
                for (k, &wk) in w[..fs - 1].iter().enumerate() {
                    for (o, &x) in out.iter_mut().zip(row(k)) {
                        *o += x * wk;
                    }
                }
            }
        }
    }
}

/// Outputs per register-blocked chunk of a line.
const CHUNK: usize = 8;

impl LanesKernel for &Correlate1d {
    #[inline]
    fn lanes(&mut self, input: &[f64], lanes: usize, out: &mut [f64]) {
        self.apply_lanes(input, lanes, out);
    }
}

/// Whether the lines along `axis` of a layout with `strides` (and `shape`) are the
/// contiguous ones: then a line kernel reads them in order; otherwise an interleaved kernel
/// reads neighbouring lines side by side.
pub(crate) fn lines_are_contiguous(shape: &[usize], strides: &[isize], axis: usize) -> bool {
    let own = strides[axis].unsigned_abs();
    shape
        .iter()
        .zip(strides)
        .enumerate()
        .all(|(a, (&n, &s))| a == axis || n <= 1 || own <= s.unsigned_abs())
}

impl LineKernel for &Correlate1d {
    #[inline]
    fn line(&mut self, line: &mut [f64], out: &mut [f64]) -> Result<(), CallbackError> {
        self.apply(line, out);
        Ok(())
    }
}

/// One pass of a 1-D correlation from `input` (or, with `None`, in place from `output`)
/// into `output`, along `axis`; the caller has checked the arrays (same shape, real).
pub(crate) fn correlate1d_pass(
    input: Option<&ArrayRef<'_>>,
    output: &mut ArrayMut<'_>,
    kernel: &Correlate1d,
    axis: usize,
    pad: Pad,
    name: &str,
    threads: usize,
) -> Result<(), Error> {
    let pass = LinePass::new(name, axis, pad);
    let source = match input {
        Some(input) => Some(Source::for_line_pass(input.clone(), output)?),
        None => None,
    };
    let source = source.as_ref().map(|s| s.view());
    let read = source.as_ref().map_or(output.layout(), |s| s.layout());
    if lines_are_contiguous(read.shape(), read.strides(), axis) {
        filter_lines(source.as_ref(), output, &pass, threads, || kernel)
    } else {
        filter_lanes(source.as_ref(), output, &pass, threads, || kernel)
    }
}

/// A filter's weights as scipy converts them (`np.asarray(weights, float64)`, complex
/// weights to complex128): their shape and real and imaginary parts in C order.
#[derive(Clone, Debug)]
pub(crate) struct Weights {
    pub(crate) shape: Vec<usize>,
    pub(crate) re: Vec<f64>,
    pub(crate) im: Option<Vec<f64>>,
}

/// Every element of a real array as `f64`, in C order.
fn values_of(array: &ArrayRef<'_>) -> Vec<f64> {
    let shape = array.shape();
    let mut values = Vec::with_capacity(array.layout().len());
    if array.is_empty() {
        return values;
    }
    let last = shape.len() - 1;
    let mut row = vec![0.0; shape[last]];
    let mut index = vec![0usize; shape.len()];
    loop {
        array.read_line(&index, last, &mut row);
        values.extend_from_slice(&row);
        if !advance(&mut index, shape, Some(last)) {
            return values;
        }
    }
}

impl Weights {
    /// Reads `weights` (any element type; complex ones keep their imaginary parts); none
    /// may be empty.
    pub(crate) fn read(weights: &ArrayRef<'_>) -> Result<Weights, Error> {
        if weights.is_empty() {
            return Err(Error::InvalidArgument(
                "no filter weights given (weights are empty)".into(),
            ));
        }
        let shape = weights.shape().to_vec();
        Ok(match weights.parts() {
            Parts::Real(w) => Weights {
                shape,
                re: values_of(&w),
                im: None,
            },
            Parts::Complex(re, im) => Weights {
                shape,
                re: values_of(&re),
                im: Some(values_of(&im)),
            },
        })
    }

    /// The weights in reverse C order (flipped along every axis), for convolutions.
    fn reversed(mut self) -> Weights {
        self.re.reverse();
        if let Some(im) = &mut self.im {
            im.reverse();
        }
        self
    }

    /// The complex conjugate (NumPy's `correlate` convention for complex weights).
    fn conjugated(mut self) -> Weights {
        if let Some(im) = &mut self.im {
            for v in im.iter_mut() {
                *v = -*v;
            }
        }
        self
    }
}

/// Runs a real linear filter `run(input, output, weights, cval)` on real or complex data as
/// scipy's `_complex_via_real_components` does:
///
/// - real input, real weights: one run (the output must be real, `cval` real);
/// - complex input, real weights: the real part with `cval.re`, the imaginary with `cval.im`;
/// - real input, complex weights: `out.re = run(x, w.re)`, `out.im = run(x, w.im)` (a
///   complex output, a real `cval`);
/// - both complex: `out.re = run(re, w.re) - run(im, w.im)` and `out.im = run(re, w.im) +
///   run(im, w.re)`, each second run computed into a temporary of the *input's* part type and
///   combined in NumPy's arithmetic.
///
/// Inputs sharing memory with the output are copied before anything is written.
pub(crate) fn linear_parts<F>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    weights: &Weights,
    cval: Complex<f64>,
    run: F,
) -> Result<(), Error>
where
    F: Fn(&ArrayRef<'_>, &mut ArrayMut<'_>, &[f64], f64) -> Result<(), Error>,
{
    args::same_shape(input, output)?;
    let written = output.byte_range();
    match (input.dtype().is_complex(), &weights.im) {
        (false, None) => {
            args::real(output.dtype(), "output (for a real input and real weights)")?;
            real_cval(cval)?;
            run(input, output, &weights.re, cval.re)
        }
        (true, None) => {
            args::same_kind(input.dtype(), output.dtype())?;
            crate::array::for_parts(input, output, (cval.re, cval.im), |i, o, c| {
                run(i, o, &weights.re, c)
            })
        }
        (false, Some(wi)) => {
            complex_output(output)?;
            real_cval(cval)?;
            let source = Source::new(input.clone(), written)?;
            let source = source.view();
            let Parts::Complex(mut or, mut oi) = output.parts() else {
                unreachable!("checked complex")
            };
            run(&source, &mut or, &weights.re, cval.re)?;
            run(&source, &mut oi, wi, cval.re)
        }
        (true, Some(wi)) => {
            complex_output(output)?;
            let Parts::Complex(ir, ii) = input.parts() else {
                unreachable!("checked complex")
            };
            let (re, im) = (Source::new(ir, written)?, Source::new(ii, written)?);
            let (re, im) = (re.view(), im.view());
            let mut temp = OwnedArray::for_overwrite(im.dtype(), im.shape())?;
            let Parts::Complex(mut or, mut oi) = output.parts() else {
                unreachable!("checked complex")
            };
            run(&re, &mut or, &weights.re, cval.re)?;
            run(&im, &mut temp.view_mut(), wi, cval.im)?;
            numpy_ops::float_combine(&mut or, &temp.view(), true)?;
            run(&re, &mut oi, wi, cval.re)?;
            run(&im, &mut temp.view_mut(), &weights.re, cval.im)?;
            numpy_ops::float_combine(&mut oi, &temp.view(), false)
        }
    }
}

fn real_cval(cval: Complex<f64>) -> Result<(), Error> {
    if cval.im != 0.0 {
        return Err(Error::InvalidArgument(
            "a complex cval needs a complex input".into(),
        ));
    }
    Ok(())
}

fn complex_output(output: &ArrayMut<'_>) -> Result<(), Error> {
    if !output.dtype().is_complex() {
        return Err(Error::InvalidArray(
            "output must have a complex dtype for complex weights or input".into(),
        ));
    }
    Ok(())
}

/// scipy.ndimage.correlate1d: the correlation of the lines along `axis` with `weights` (a
/// 1-D array of any element type, read as float64; complex weights are conjugated, NumPy's
/// convention), output `i` summing `w[k] · x[i + k - (len / 2 + origin)]` with positions
/// outside the line extended by `mode` (`cval` for the constant modes). The sum runs in
/// scipy's order (see [`Correlate1d`]), in `f64`, stored with the filter rule.
///
/// `origin` must satisfy `-(len / 2) <= origin <= (len - 1) / 2`; `axis` may be negative.
/// Complex input or weights need a complex output; `cval`'s imaginary part applies to the
/// imaginary part of a complex input. In place (`output` the input itself) is supported.
///
/// Memory: one extended line and one result line per thread (plus a part-sized temporary
/// for complex input with complex weights, as scipy).
#[allow(clippy::too_many_arguments)]
pub fn correlate1d<'a, 'w>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    weights: impl AsInput<'w>,
    axis: isize,
    origin: isize,
    mode: Mode,
    cval: impl Into<Complex<f64>>,
    threads: Threads,
) -> Result<(), Error> {
    let weights = Weights::read(&weights.into_input())?.conjugated();
    correlate1d_weights(
        input,
        output,
        weights,
        axis,
        origin,
        mode,
        cval.into(),
        threads,
    )
}

/// scipy.ndimage.convolve1d: [`correlate1d`] with the weights reversed (and not conjugated)
/// and the origin mapped as scipy maps it (`-origin`, minus one more for an even length; the
/// mapped origin must be valid for [`correlate1d`], which leaves the same range of origins).
#[allow(clippy::too_many_arguments)]
pub fn convolve1d<'a, 'w>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    weights: impl AsInput<'w>,
    axis: isize,
    origin: isize,
    mode: Mode,
    cval: impl Into<Complex<f64>>,
    threads: Threads,
) -> Result<(), Error> {
    let weights = Weights::read(&weights.into_input())?.reversed();
    let origin = convolve_origin(origin, weights.re.len());
    correlate1d_weights(
        input,
        output,
        weights,
        axis,
        origin,
        mode,
        cval.into(),
        threads,
    )
}

/// The correlation origin of a convolution's `origin` for a kernel of `len` taps.
fn convolve_origin(origin: isize, len: usize) -> isize {
    origin.saturating_neg() - (len % 2 == 0) as isize
}

#[allow(clippy::too_many_arguments)]
fn correlate1d_weights<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    weights: Weights,
    axis: isize,
    origin: isize,
    mode: Mode,
    cval: Complex<f64>,
    threads: Threads,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    args::same_shape(&input, &output)?;
    if weights.shape.len() != 1 {
        return Err(Error::InvalidArgument(format!(
            "weights must be 1-D, not of rank {}",
            weights.shape.len()
        )));
    }
    let axis = args::axis(axis, input.rank())?;
    let threads = threads.resolve()?;
    // Checked once here, before anything is written.
    let kernel = Correlate1d::new(weights.re.clone())?;
    kernel.pad(origin, axis, mode, 0.0)?;
    linear_parts(&input, &mut output, &weights, cval, |i, o, w, c| {
        let kernel = Correlate1d::new(w.to_vec())?;
        let pad = kernel.pad(origin, axis, mode, c)?;
        correlate1d_pass(Some(i), o, &kernel, axis, pad, "correlate1d", threads)
    })
}

/// The window kernel of the n-D correlation: `acc = +0.0`, then `acc += w · v` over the
/// active taps in C order of the weights (one sweep of the line per tap).
struct Taps<'w> {
    weights: &'w [f64],
}

impl WindowKernel<f64> for Taps<'_> {
    #[inline]
    fn line(
        &mut self,
        window: &Window<'_, f64>,
        out: &mut [f64],
    ) -> Result<(), (usize, CallbackError)> {
        // Chunks of CHUNK outputs accumulated in registers over every tap (each output's
        // sum in tap order either way).
        let taps: Vec<&[f64]> = window.taps().collect();
        let n = out.len();
        let mut start = 0;
        while start < n {
            let len = CHUNK.min(n - start);
            let mut acc = [0.0f64; CHUNK];
            if len == CHUNK {
                for (tap, &w) in taps.iter().zip(self.weights) {
                    for (a, &v) in acc.iter_mut().zip(&tap[start..start + CHUNK]) {
                        *a += w * v;
                    }
                }
            } else {
                for (tap, &w) in taps.iter().zip(self.weights) {
                    for (a, &v) in acc[..len].iter_mut().zip(&tap[start..start + len]) {
                        *a += w * v;
                    }
                }
            }
            out[start..start + len].copy_from_slice(&acc[..len]);
            start += len;
        }
        Ok(())
    }
}

/// The geometry of an n-D correlation: weights expanded to the input's rank, their active
/// taps (`|w| > f64::EPSILON`, as scipy), and one origin per axis.
struct Plan {
    footprint: Footprint,
    origins: Vec<isize>,
}

/// Expands `weights` (of rank `len(axes)`) to `rank` axes, as scipy does: the weights' axes
/// go to the filtered axes in increasing order, `origins` (one per entry of `axes`, or one
/// for all) follow the order of `axes` (unless every axis is listed: then they are in axis
/// order, as the weights); convolutions map the origins after the expansion.
fn plan(
    weights: &Weights,
    rank: usize,
    axes: Option<&[isize]>,
    origins: &[isize],
    convolution: bool,
) -> Result<Plan, Error> {
    let axes = match axes {
        Some(list) => args::axes(list, rank)?,
        None => (0..rank).collect(),
    };
    if weights.shape.len() != axes.len() {
        return Err(Error::ShapeMismatch(format!(
            "weights have rank {}, the filtered axes are {}",
            weights.shape.len(),
            axes.len()
        )));
    }
    let given = args::per_axis_or_one(origins, axes.len(), 0, "origins")?;
    let mut sorted = axes.clone();
    sorted.sort_unstable();
    let mut shape = vec![1usize; rank];
    for (k, &a) in sorted.iter().enumerate() {
        shape[a] = weights.shape[k];
    }
    // scipy places the origins by `axes` only when some axis is left out: with every axis
    // listed, weights and origins are in axis order whatever the order of `axes`.
    let mut full = vec![0isize; rank];
    if axes.len() == rank {
        full.copy_from_slice(&given);
    } else {
        for (&o, &a) in given.iter().zip(&axes) {
            full[a] = o;
        }
    }
    if convolution {
        for (o, &n) in full.iter_mut().zip(&shape) {
            *o = convolve_origin(*o, n);
        }
    }
    for (a, (&o, &n)) in full.iter().zip(&shape).enumerate() {
        args::samples_before(n, o, a)?;
    }
    let mask = weights.re.iter().map(|w| w.abs() > f64::EPSILON).collect();
    let footprint = Footprint::from_mask(&shape, mask)?;
    Ok(Plan {
        footprint,
        origins: full,
    })
}

/// The weights of the active taps of `footprint` (C order).
fn active(values: &[f64]) -> Vec<f64> {
    values
        .iter()
        .copied()
        .filter(|w| w.abs() > f64::EPSILON)
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn correlate_weights<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    weights: Weights,
    origins: &[isize],
    mode: Mode,
    cval: Complex<f64>,
    axes: Option<&[isize]>,
    convolution: bool,
    threads: Threads,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    args::same_shape(&input, &output)?;
    let threads = threads.resolve()?;
    let weights = if convolution {
        weights.reversed()
    } else {
        weights.conjugated()
    };
    let plan = plan(&weights, input.rank(), axes, origins, convolution)?;
    let name = if convolution { "convolve" } else { "correlate" };
    linear_parts(&input, &mut output, &weights, cval, |i, o, w, c| {
        // Each run's footprint is its own weights' (the real and imaginary parts of complex
        // weights have different active taps).
        let mask: Vec<bool> = w.iter().map(|w| w.abs() > f64::EPSILON).collect();
        let footprint = Footprint::from_mask(plan.footprint.shape(), mask)?;
        let taps = active(w);
        let source = Source::new(i.clone(), o.byte_range())?;
        let walk = Walk {
            footprint: &footprint,
            origins: &plan.origins,
            mode,
            cval: c,
            store: StoreRule::TruncateNegating,
            name,
        };
        neighbourhood::walk(&source.view(), o, &walk, threads, || Taps {
            weights: &taps,
        })
    })
}

/// scipy.ndimage.correlate: output `i` is `Σ w[k] · x[i + k - (shape / 2 + origin)]` over
/// the weights' elements `k` (positions outside the input extended by `mode`), summed from
/// `+0.0` in C order of the weights over the weights with `|w| > f64::EPSILON` (scipy skips
/// the others, so NaN or inf under a tiny weight does not propagate), in `f64`, stored with
/// scipy's n-D filter rule.
///
/// `weights` (any element type, read as float64; complex weights conjugated) has the
/// input's rank, or with `axes` (distinct, possibly negative) one axis per entry: its axes go
/// to the filtered axes in increasing order, the others get extent 1. `origins`: one per
/// filtered axis (in the order of `axes`; in axis order when `axes` lists every axis, as
/// scipy), or one for all, or empty for zeros; each within `-(n / 2) ..= (n - 1) / 2` for
/// the weights' extent `n` on its axis. Complex input or weights need a complex output. An
/// input sharing memory with the output is copied first.
///
/// Memory: one extended row per weights row per thread; scipy's `reflect` bug for
/// footprints reaching 4n past the left edge is not reproduced (the exact reflection is).
#[allow(clippy::too_many_arguments)]
pub fn correlate<'a, 'w>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    weights: impl AsInput<'w>,
    origins: &[isize],
    mode: Mode,
    cval: impl Into<Complex<f64>>,
    axes: Option<&[isize]>,
    threads: Threads,
) -> Result<(), Error> {
    let weights = Weights::read(&weights.into_input())?;
    correlate_weights(
        input,
        output,
        weights,
        origins,
        mode,
        cval.into(),
        axes,
        false,
        threads,
    )
}

/// scipy.ndimage.convolve: [`correlate`] with the weights flipped along every axis (not
/// conjugated) and each origin mapped as in [`convolve1d`].
#[allow(clippy::too_many_arguments)]
pub fn convolve<'a, 'w>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    weights: impl AsInput<'w>,
    origins: &[isize],
    mode: Mode,
    cval: impl Into<Complex<f64>>,
    axes: Option<&[isize]>,
    threads: Threads,
) -> Result<(), Error> {
    let weights = Weights::read(&weights.into_input())?;
    correlate_weights(
        input,
        output,
        weights,
        origins,
        mode,
        cval.into(),
        axes,
        true,
        threads,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array1, Array2};

    #[test]
    fn symmetry_classes() {
        assert_eq!(Symmetry::of(&[1.0, 2.0, 1.0]), Symmetry::Symmetric);
        assert_eq!(Symmetry::of(&[-1.0, 0.0, 1.0]), Symmetry::Antisymmetric);
        assert_eq!(Symmetry::of(&[1.0, 2.0]), Symmetry::General);
        assert_eq!(Symmetry::of(&[1.0, 2.0, 3.0]), Symmetry::General);
        assert_eq!(Symmetry::of(&[1.0 + 1e-17, 5.0, 1.0]), Symmetry::Symmetric);
        // scipy's test is "difference > eps rejects", which NaN never is.
        assert_eq!(Symmetry::of(&[f64::NAN, 5.0, 1.0]), Symmetry::Symmetric);
    }

    // Expected values worked by hand from the definition of the correlation.
    #[test]
    fn correlate1d_by_hand() {
        let x = array![1.0, 2.0, 4.0, 8.0];
        let mut out = Array1::<f64>::zeros(4);
        correlate1d(
            &x,
            &mut out,
            &array![1.0, 10.0, 100.0],
            0,
            0,
            Mode::Nearest,
            0.0,
            Threads::Count(1),
        )
        .unwrap();
        assert_eq!(out, array![211.0, 421.0, 842.0, 884.0]);
        correlate1d(
            &x,
            &mut out,
            &array![1.0, 10.0],
            0,
            0,
            Mode::Constant,
            0.0,
            Threads::Count(1),
        )
        .unwrap();
        // Even length: taps at i-1 and i.
        assert_eq!(out, array![10.0, 21.0, 42.0, 84.0]);
        convolve1d(
            &x,
            &mut out,
            &array![1.0, 10.0],
            0,
            0,
            Mode::Constant,
            0.0,
            Threads::Count(1),
        )
        .unwrap();
        // Reversed weights [10, 1] at i and i+1.
        assert_eq!(out, array![12.0, 24.0, 48.0, 80.0]);
    }

    #[test]
    fn correlate_by_hand() {
        let x = array![[1.0, 2.0], [3.0, 4.0]];
        let mut out = Array2::<f64>::zeros((2, 2));
        let w = array![[0.0, 1.0], [2.0, 0.0]];
        correlate(
            &x,
            &mut out,
            &w,
            &[],
            Mode::Constant,
            0.0,
            None,
            Threads::Count(1),
        )
        .unwrap();
        // Taps (i-1, j) with weight 1 and (i, j-1) with weight 2.
        assert_eq!(out, array![[0.0, 2.0], [1.0, 2.0 + 6.0]]);
    }
}
