//! scipy's minimum and maximum filters: `minimum_filter1d` and `maximum_filter1d` (one line
//! pass), `minimum_filter` and `maximum_filter` (a line pass per axis for a box, the
//! neighbourhood walk over any other footprint), and the footprint pass with a structure that
//! grey morphology is made of.
//!
//! Exactness: scipy computes a line pass with a monotone deque over doubles and stores each
//! pass in the output's type; the footprint pass compares in the input's type with a strict
//! `<` / `>` in footprint order. Both are reproduced as they are (NaN and signed zeros
//! included). The fast native line pass (whole rows or lines in the input's own type, a
//! logarithmic number of vectorised minima per element whatever the size) gives the same
//! values where they are provably equal: the block holds no NaN, no zeros of both signs, and
//! no 64-bit integer that a double does not hold exactly; other blocks take scipy's deque.

#![forbid(unsafe_code)]

use super::order::{
    cval_fits, is_nan, needs_exact_path, NanPolicy, Neighbourhood, OrderOptions, Pass, Resolved,
};
use crate::args;
use crate::array::dtype::Native;
use crate::array::{ArrayMut, ArrayRef, AsInput, AsOutput, Source, StoreRule};
use crate::boundary::Mode;
use crate::engine::line_pass::{
    BlockLayout, LineKernel, LinePass, NativeBlock, NativeLineKernel, NativeLineKernels, NativePass,
};
use crate::engine::neighbourhood::{self, NativeKernels, Walk, Window, WindowKernel};
use crate::engine::separable::{cast_copy, separable, separable_native};
use crate::engine::Footprint;
use crate::error::{CallbackError, Error};

/// Which extreme a filter takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Extreme {
    Min,
    Max,
}

impl Extreme {
    fn name(self, one_d: bool) -> &'static str {
        match (self, one_d) {
            (Extreme::Min, true) => "minimum_filter1d",
            (Extreme::Max, true) => "maximum_filter1d",
            (Extreme::Min, false) => "minimum_filter",
            (Extreme::Max, false) => "maximum_filter",
        }
    }
}

// -----------------------------------------------------------------------------------------
// One line: scipy's deque, and the NaN policies
// -----------------------------------------------------------------------------------------

/// The running minimum (`MIN`) or maximum of `line` over windows of `size` samples, as scipy's
/// `NI_MinOrMaxFilter1D` computes it (Richard Harter's deque of (value, expiry) pairs in a
/// ring of `size` slots): `line` is the extended line (`out.len() + size - 1` values).
///
/// Equal values replace the front (`<=`), so of `0.0` / `-0.0` ties the latest is returned; a
/// NaN never compares, so it neither removes nor is removed by the backward scan, and sticks
/// while it is the front.
fn deque<const MIN: bool>(
    line: &[f64],
    out: &mut [f64],
    size: usize,
    ring: &mut Vec<(f64, usize)>,
) {
    if size == 1 {
        out.copy_from_slice(&line[..out.len()]);
        return;
    }
    ring.clear();
    ring.resize(size, (0.0, 0));
    let (mut front, mut last) = (0usize, 0usize);
    ring[0] = (line[0], size);
    let mut o = 0;
    for (t, &v) in line.iter().enumerate().skip(1) {
        if ring[front].1 == t {
            front = if front + 1 == size { 0 } else { front + 1 };
        }
        let replaces = if MIN {
            v <= ring[front].0
        } else {
            v >= ring[front].0
        };
        if replaces {
            ring[front] = (v, t + size);
            last = front;
        } else {
            // Stops at the front at the latest: the front is not replaced by v.
            while if MIN {
                ring[last].0 >= v
            } else {
                ring[last].0 <= v
            } {
                last = if last == 0 { size - 1 } else { last - 1 };
            }
            last = if last + 1 == size { 0 } else { last + 1 };
            ring[last] = (v, t + size);
        }
        if t >= size - 1 {
            out[o] = ring[front].0;
            o += 1;
        }
    }
}

/// The running extreme of the non-NaN values of each window (NaN where there are none): a
/// monotone deque that NaN samples never enter. Ties resolve as in [`deque`] (the latest).
fn deque_omitting_nan<const MIN: bool>(
    line: &[f64],
    out: &mut [f64],
    size: usize,
    ring: &mut Vec<(f64, usize)>,
) {
    ring.clear();
    let mut head = 0;
    for (t, &v) in line.iter().enumerate() {
        // Entries of positions before t - size + 1 have left the window.
        while head < ring.len() && ring[head].1 + size <= t {
            head += 1;
        }
        if !v.is_nan() {
            while ring.len() > head {
                let back = ring[ring.len() - 1].0;
                let dominated = if MIN { back >= v } else { back <= v };
                if !dominated {
                    break;
                }
                ring.pop();
            }
            ring.push((v, t));
        }
        if t + 1 >= size {
            out[t + 1 - size] = if head < ring.len() {
                ring[head].0
            } else {
                f64::NAN
            };
        }
        if head > 4 * size {
            // Keep the ring short: drop what has left the window.
            ring.drain(..head);
            head = 0;
        }
    }
}

/// The running extreme of one extended line under `nan` (see [`NanPolicy`]).
pub(crate) fn extreme_line(
    line: &[f64],
    out: &mut [f64],
    size: usize,
    extreme: Extreme,
    nan: NanPolicy,
    ring: &mut Vec<(f64, usize)>,
) {
    // scipy's deque is not only wrong in windows holding a NaN: a NaN behind the front lets
    // a later collapse drop a smaller value that arrived after it, so windows after the NaN
    // can be wrong too. The policies therefore run the deque that NaN never enters.
    match (extreme, nan) {
        (Extreme::Min, NanPolicy::Scipy) => deque::<true>(line, out, size, ring),
        (Extreme::Max, NanPolicy::Scipy) => deque::<false>(line, out, size, ring),
        (Extreme::Min, _) => deque_omitting_nan::<true>(line, out, size, ring),
        (Extreme::Max, _) => deque_omitting_nan::<false>(line, out, size, ring),
    }
    if nan == NanPolicy::Propagate {
        // NaN-free windows hold their extreme; the others, their (latest) NaN.
        let mut last_nan: Option<(usize, f64)> = None;
        for (t, &v) in line.iter().enumerate() {
            if v.is_nan() {
                last_nan = Some((t, v));
            }
            if t + 1 >= size {
                if let Some((at, value)) = last_nan {
                    if at + size > t {
                        out[t + 1 - size] = value;
                    }
                }
            }
        }
    }
}

/// The exact (scipy) kernel of one line pass, over doubles.
struct DequeKernel {
    size: usize,
    extreme: Extreme,
    nan: NanPolicy,
    ring: Vec<(f64, usize)>,
}

impl LineKernel for DequeKernel {
    fn line(&mut self, line: &mut [f64], out: &mut [f64]) -> Result<(), CallbackError> {
        extreme_line(line, out, self.size, self.extreme, self.nan, &mut self.ring);
        Ok(())
    }
}

// -----------------------------------------------------------------------------------------
// The fast native line pass
// -----------------------------------------------------------------------------------------

/// The kernels of a native pass of a running extreme, in the input's own type.
struct FastExtremes {
    size: usize,
    extreme: Extreme,
    nan: NanPolicy,
}

impl NativeLineKernels for FastExtremes {
    type Out<T: Native> = T;
    fn make<T: Native>(&self) -> impl NativeLineKernel<T, T> {
        FastExtremeKernel::<T> {
            size: self.size,
            extreme: self.extreme,
            nan: self.nan,
            buffers: [Vec::new(), Vec::new()],
            line: Vec::new(),
            out: Vec::new(),
            ring: Vec::new(),
        }
    }
}

struct FastExtremeKernel<T> {
    size: usize,
    extreme: Extreme,
    nan: NanPolicy,
    buffers: [Vec<T>; 2],
    line: Vec<f64>,
    out: Vec<f64>,
    ring: Vec<(f64, usize)>,
}

impl<T: Native> NativeLineKernel<T, T> for FastExtremeKernel<T> {
    fn block(&mut self, block: NativeBlock<'_, T, T>) {
        let NativeBlock {
            input,
            output,
            n,
            lanes,
            layout,
        } = block;
        let size = self.size;
        let ext = n + size - 1;
        if needs_exact_path(input) {
            // scipy's deque over doubles, line by line (the values convert back exactly:
            // they are the block's own, or a cval that fits the type).
            self.line.resize(ext, 0.0);
            self.out.resize(n, 0.0);
            for b in 0..lanes {
                let (at, step) = match layout {
                    BlockLayout::Lines => (b * ext, 1),
                    BlockLayout::Interleaved => (b, lanes),
                };
                for (p, v) in self.line.iter_mut().enumerate() {
                    *v = input[at + p * step].to_f64();
                }
                extreme_line(
                    &self.line,
                    &mut self.out,
                    size,
                    self.extreme,
                    self.nan,
                    &mut self.ring,
                );
                let (at, step) = match layout {
                    BlockLayout::Lines => (b * n, 1),
                    BlockLayout::Interleaved => (b, lanes),
                };
                for (p, &v) in self.out.iter().enumerate() {
                    output[at + p * step] = T::from_f64(v);
                }
            }
            return;
        }
        let min = self.extreme == Extreme::Min;
        match layout {
            BlockLayout::Lines => {
                for b in 0..lanes {
                    let line = &input[b * ext..(b + 1) * ext];
                    let out = &mut output[b * n..(b + 1) * n];
                    if min {
                        sliding::<T, true>(line, out, size, 1, &mut self.buffers);
                    } else {
                        sliding::<T, false>(line, out, size, 1, &mut self.buffers);
                    }
                }
            }
            BlockLayout::Interleaved => {
                if min {
                    sliding::<T, true>(input, output, size, lanes, &mut self.buffers);
                } else {
                    sliding::<T, false>(input, output, size, lanes, &mut self.buffers);
                }
            }
        }
    }
}

/// The smaller (`MIN`) or larger of two values (either when equal: callers only use it where
/// equal values are the same bits).
#[inline(always)]
fn pick<T: PartialOrd, const MIN: bool>(a: T, b: T) -> T {
    if MIN {
        if b < a {
            b
        } else {
            a
        }
    } else if b > a {
        b
    } else {
        a
    }
}

/// `out[q] = extreme of ext[q + t * stride] for t in 0..size`, for every `q` of `out` (so
/// `ext` holds `size - 1` more positions of `stride` values): windows doubled in width by one
/// vectorised pass each, then two overlapping ones combined, `1 + log2(size)` passes in all.
fn sliding<T: Native, const MIN: bool>(
    ext: &[T],
    out: &mut [T],
    size: usize,
    stride: usize,
    buffers: &mut [Vec<T>; 2],
) {
    let m = out.len();
    debug_assert_eq!(ext.len(), m + (size - 1) * stride);
    if size == 1 {
        out.copy_from_slice(&ext[..m]);
        return;
    }
    if size <= 3 {
        let (a, rest) = (&ext[..m], &ext[stride..]);
        if size == 2 {
            for ((o, &x), &y) in out.iter_mut().zip(a).zip(&rest[..m]) {
                *o = pick::<T, MIN>(x, y);
            }
        } else {
            let (b, c) = (&rest[..m], &rest[stride..stride + m]);
            for (((o, &x), &y), &z) in out.iter_mut().zip(a).zip(b).zip(c) {
                *o = pick::<T, MIN>(pick::<T, MIN>(x, y), z);
            }
        }
        return;
    }
    // buffers[0] / [1] take turns as source and destination; `span` is the window width the
    // source holds, `len` its valid length.
    for b in buffers.iter_mut() {
        if b.len() < ext.len() {
            b.resize(ext.len(), T::default());
        }
    }
    let [first, second] = buffers;
    let mut span = 1;
    let mut len = ext.len();
    let mut from_ext = true;
    let mut into_first = true;
    while 2 * span <= size {
        let offset = span * stride;
        let valid = len - offset;
        let (src, dst): (&[T], &mut [T]) = match (from_ext, into_first) {
            (true, _) => (ext, &mut first[..]),
            (false, true) => (&second[..], &mut first[..]),
            (false, false) => (&first[..], &mut second[..]),
        };
        for ((d, &x), &y) in dst[..valid]
            .iter_mut()
            .zip(&src[..valid])
            .zip(&src[offset..offset + valid])
        {
            *d = pick::<T, MIN>(x, y);
        }
        len = valid;
        span *= 2;
        from_ext = false;
        into_first = !into_first;
    }
    // The last pass wrote `first` when `into_first` is now false.
    let src: &[T] = if into_first { &second[..] } else { &first[..] };
    let offset = (size - span) * stride;
    for ((o, &x), &y) in out.iter_mut().zip(&src[..m]).zip(&src[offset..offset + m]) {
        *o = pick::<T, MIN>(x, y);
    }
}

// -----------------------------------------------------------------------------------------
// Separable filters
// -----------------------------------------------------------------------------------------

fn is_constant(mode: Mode) -> bool {
    matches!(mode, Mode::Constant | Mode::GridConstant)
}

/// A running extreme along each pass's axis in turn (scipy's separable minimum/maximum):
/// pass 1 reads the input, later passes the output; every pass is stored in the output's
/// type. No passes: `output[...] = input` (NumPy's casting).
pub(crate) fn separable_extreme(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    passes: &[Pass],
    cval: f64,
    extreme: Extreme,
    options: &OrderOptions,
    name: &str,
) -> Result<(), Error> {
    let threads = options.threads.resolve()?;
    if passes.is_empty() {
        return cast_copy(input, output, threads);
    }
    let nan = options.nan_policy;
    let cval_ok = passes.iter().all(|p| !is_constant(p.mode)) || cval_fits(input.dtype(), cval);
    if input.dtype() == output.dtype() && !input.dtype().is_complex() && cval_ok {
        let passes: Vec<_> = passes
            .iter()
            .map(|p| {
                let pass = NativePass {
                    axis: p.axis,
                    pad: p.pad(cval),
                    interleaved: true,
                };
                let kernels = FastExtremes {
                    size: p.size,
                    extreme,
                    nan,
                };
                (pass, kernels)
            })
            .collect();
        return separable_native(input, output, &passes, threads);
    }
    let line_passes: Vec<LinePass<'_>> = passes
        .iter()
        .map(|p| LinePass::new(name, p.axis, p.pad(cval)))
        .collect();
    separable(input, output, &line_passes, threads, |i| DequeKernel {
        size: passes[i].size,
        extreme,
        nan,
        ring: Vec::new(),
    })
}

// -----------------------------------------------------------------------------------------
// The footprint pass (scipy's NI_MinOrMaxFilter)
// -----------------------------------------------------------------------------------------

/// The kernels of the footprint pass: a strict `<` (minimum) or `>` scan in footprint order,
/// in the input's type; with a structure (grey morphology), the first value plus its
/// structure value in double, every other value plus its structure value cast to the input's
/// type and added in that type (scipy's mixed arithmetic).
pub(crate) struct FootprintExtremes<'s> {
    pub extreme: Extreme,
    pub nan: NanPolicy,
    /// One value per selected footprint element, in footprint order, already negated for a
    /// minimum (scipy's `ss`).
    pub structure: Option<&'s [f64]>,
}

impl NativeKernels for FootprintExtremes<'_> {
    fn make<T: Native>(&self) -> impl WindowKernel<T> {
        FootprintExtremeKernel::<T> {
            extreme: self.extreme,
            nan: self.nan,
            structure: self
                .structure
                .map(|s| (s.to_vec(), s.iter().map(|&v| T::from_f64(v)).collect())),
            best: Vec::new(),
            value: Vec::new(),
            flags: Vec::new(),
        }
    }
}

struct FootprintExtremeKernel<T> {
    extreme: Extreme,
    nan: NanPolicy,
    /// The structure values as doubles and cast to the input's type.
    structure: Option<(Vec<f64>, Vec<T>)>,
    best: Vec<T>,
    value: Vec<f64>,
    flags: Vec<bool>,
}

impl<T: Native> FootprintExtremeKernel<T> {
    /// Without a structure: the extreme kept in the input's type (its conversion to double is
    /// the double scan's result: the conversion is monotone).
    fn plain<const MIN: bool>(&mut self, window: &Window<'_, T>, out: &mut [f64]) {
        let n = window.positions();
        let mut taps = window.taps();
        let Some(first) = taps.next() else { return };
        self.best.clear();
        self.best.extend_from_slice(first);
        let nan = self.nan;
        let float = T::DTYPE.is_float();
        if nan == NanPolicy::Scipy || !float {
            for tap in taps {
                for (r, &u) in self.best.iter_mut().zip(tap) {
                    let better = if MIN { u < *r } else { u > *r };
                    if better {
                        *r = u;
                    }
                }
            }
            for (o, &r) in out.iter_mut().zip(&self.best) {
                *o = r.to_f64();
            }
            return;
        }
        self.flags.clear();
        self.flags.resize(n, false);
        if nan == NanPolicy::Propagate {
            for (f, &r) in self.flags.iter_mut().zip(&self.best) {
                *f = is_nan(r);
            }
        }
        for tap in taps {
            for ((r, f), &u) in self.best.iter_mut().zip(self.flags.iter_mut()).zip(tap) {
                let better = if MIN { u < *r } else { u > *r };
                match nan {
                    NanPolicy::Omit => {
                        if better || (is_nan(*r) && !is_nan(u)) {
                            *r = u;
                        }
                    }
                    _ => {
                        *f |= is_nan(u);
                        if better {
                            *r = u;
                        }
                    }
                }
            }
        }
        for ((o, &r), &f) in out.iter_mut().zip(&self.best).zip(&self.flags) {
            *o = if f { f64::NAN } else { r.to_f64() };
        }
    }

    /// With a structure: scipy's mixed double / input-type arithmetic.
    fn structured<const MIN: bool>(&mut self, window: &Window<'_, T>, out: &mut [f64]) {
        let Some((in_double, in_type)) = &self.structure else {
            return;
        };
        let n = window.positions();
        let nan = self.nan;
        let mut taps = window.taps();
        let Some(first) = taps.next() else { return };
        self.value.clear();
        self.value
            .extend(first.iter().map(|&v| v.to_f64() + in_double[0]));
        self.flags.clear();
        self.flags.resize(n, false);
        if nan == NanPolicy::Propagate {
            for (f, &r) in self.flags.iter_mut().zip(&self.value) {
                *f = r.is_nan();
            }
        }
        for (tap, &s) in taps.zip(&in_type[1..]) {
            for ((r, f), &v) in self.value.iter_mut().zip(self.flags.iter_mut()).zip(tap) {
                let u = v.c_add(s).to_f64();
                let better = if MIN { u < *r } else { u > *r };
                match nan {
                    NanPolicy::Scipy => {
                        if better {
                            *r = u;
                        }
                    }
                    NanPolicy::Omit => {
                        if better || (r.is_nan() && !u.is_nan()) {
                            *r = u;
                        }
                    }
                    NanPolicy::Propagate => {
                        *f |= u.is_nan();
                        if better {
                            *r = u;
                        }
                    }
                }
            }
        }
        for ((o, &r), &f) in out.iter_mut().zip(&self.value).zip(&self.flags) {
            *o = if f { f64::NAN } else { r };
        }
    }
}

impl<T: Native> WindowKernel<T> for FootprintExtremeKernel<T> {
    fn line(
        &mut self,
        window: &Window<'_, T>,
        out: &mut [f64],
    ) -> Result<(), (usize, CallbackError)> {
        match (self.structure.is_some(), self.extreme) {
            (false, Extreme::Min) => self.plain::<true>(window, out),
            (false, Extreme::Max) => self.plain::<false>(window, out),
            (true, Extreme::Min) => self.structured::<true>(window, out),
            (true, Extreme::Max) => self.structured::<false>(window, out),
        }
        Ok(())
    }
}

/// The footprint pass over a footprint of the input's rank (scipy's `NI_MinOrMaxFilter`):
/// values in the input's type, `cval` cast to it, results stored with the n-dimensional
/// filter rule. `structure` (grey morphology) as [`FootprintExtremes::structure`], before the
/// negation for a minimum.
#[allow(clippy::too_many_arguments)]
pub(crate) fn footprint_extreme(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    footprint: &Footprint,
    origins: &[isize],
    mode: Mode,
    cval: f64,
    structure: Option<&[f64]>,
    extreme: Extreme,
    options: &OrderOptions,
    name: &str,
) -> Result<(), Error> {
    let threads = options.threads.resolve()?;
    let negated: Option<Vec<f64>> = structure.map(|s| match extreme {
        Extreme::Min => s.iter().map(|&v| -v).collect(),
        Extreme::Max => s.to_vec(),
    });
    let source = Source::new(input.clone(), output.byte_range())?;
    let walk = Walk {
        footprint,
        origins,
        mode,
        cval,
        store: StoreRule::TruncateNegating,
        name,
    };
    let kernels = FootprintExtremes {
        extreme,
        nan: options.nan_policy,
        structure: negated.as_deref(),
    };
    neighbourhood::walk_native(&source.view(), output, &walk, threads, &kernels)
}

// -----------------------------------------------------------------------------------------
// The functions
// -----------------------------------------------------------------------------------------

/// Checks shared by every min/max entry: same shapes, real element types.
fn check_arrays(input: &ArrayRef<'_>, output: &ArrayMut<'_>) -> Result<(), Error> {
    args::same_shape(input, output)?;
    if input.dtype().is_complex() || output.dtype().is_complex() {
        return Err(Error::InvalidArray("Complex type not supported".into()));
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn extreme_1d<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    size: usize,
    axis: isize,
    origin: isize,
    mode: Mode,
    cval: f64,
    options: &OrderOptions,
    extreme: Extreme,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    check_arrays(&input, &output)?;
    let axis = args::axis(axis, input.rank())?;
    let size = args::filter_size(size)?;
    args::samples_before(size, origin, axis)?;
    let pass = Pass {
        axis,
        size,
        origin,
        mode,
    };
    separable_extreme(
        &input,
        &mut output,
        &[pass],
        cval,
        extreme,
        options,
        extreme.name(true),
    )
}

/// scipy.ndimage.minimum_filter1d: the minimum over windows of `size` samples along `axis`
/// (negative: counted from the end), `size / 2 + origin` samples before each element and the
/// rest after, the line extended by `mode` (`cval` as a double in the constant modes).
///
/// scipy's running deque over doubles, stored with the line filter rule (truncation; int64
/// and uint64 beyond 2^53 round through the double as in scipy). NaN and signed zeros as
/// scipy's deque leaves them under [`NanPolicy::Scipy`]. Any real element types; an input
/// sharing memory with the output is copied first unless it is the output itself.
///
/// Memory: per thread, a block of lines (at most about 1 MiB) and its results.
#[allow(clippy::too_many_arguments)]
pub fn minimum_filter1d<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    size: usize,
    axis: isize,
    origin: isize,
    mode: Mode,
    cval: f64,
    options: &OrderOptions,
) -> Result<(), Error> {
    extreme_1d(
        input,
        output,
        size,
        axis,
        origin,
        mode,
        cval,
        options,
        Extreme::Min,
    )
}

/// scipy.ndimage.maximum_filter1d: as [`minimum_filter1d`], the maximum.
#[allow(clippy::too_many_arguments)]
pub fn maximum_filter1d<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    size: usize,
    axis: isize,
    origin: isize,
    mode: Mode,
    cval: f64,
    options: &OrderOptions,
) -> Result<(), Error> {
    extreme_1d(
        input,
        output,
        size,
        axis,
        origin,
        mode,
        cval,
        options,
        Extreme::Max,
    )
}

fn extreme_nd<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    neighbourhood: &Neighbourhood,
    options: &OrderOptions,
    extreme: Extreme,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    check_arrays(&input, &output)?;
    let name = extreme.name(false);
    match neighbourhood.resolve(input.rank())? {
        Resolved::Separable(passes) => separable_extreme(
            &input,
            &mut output,
            &passes,
            neighbourhood.cval,
            extreme,
            options,
            name,
        ),
        Resolved::Footprint {
            footprint,
            origins,
            mode,
        } => footprint_extreme(
            &input,
            &mut output,
            &footprint,
            &origins,
            mode,
            neighbourhood.cval,
            None,
            extreme,
            options,
            name,
        ),
    }
}

/// scipy.ndimage.minimum_filter: the minimum over `neighbourhood` (see [`Neighbourhood`]).
///
/// A full box is separable: one [`minimum_filter1d`] pass per axis of extent > 1 in the order
/// of the axes, each stored in the output's type; `output[...] = input` (NumPy's casting)
/// when every axis has extent 1. Any other footprint: scipy's n-dimensional scan in the
/// input's type (`cval` cast to it first), one mode for all axes, results stored with the
/// n-dimensional filter rule. Any real element types; an input sharing memory with the
/// output is copied first.
///
/// Memory: the line pass's blocks (separable) or one row buffer per footprint row, per
/// thread.
pub fn minimum_filter<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    neighbourhood: &Neighbourhood,
    options: &OrderOptions,
) -> Result<(), Error> {
    extreme_nd(input, output, neighbourhood, options, Extreme::Min)
}

/// scipy.ndimage.maximum_filter: as [`minimum_filter`], the maximum.
pub fn maximum_filter<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    neighbourhood: &Neighbourhood,
    options: &OrderOptions,
) -> Result<(), Error> {
    extreme_nd(input, output, neighbourhood, options, Extreme::Max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &[f64], size: usize, extreme: Extreme, nan: NanPolicy) -> Vec<f64> {
        let mut out = vec![0.0; line.len() + 1 - size];
        extreme_line(line, &mut out, size, extreme, nan, &mut Vec::new());
        out
    }

    #[test]
    fn deque_keeps_scipys_nan_order() {
        // minimum_filter1d([nan, 1, 2, nan, 3], 3), reflect: scipy gives [nan, nan, 1, 2, nan]
        // (semantics §7.2); the extended line is [nan | nan, 1, 2, nan, 3 | 3].
        let nan = f64::NAN;
        let line = [nan, nan, 1.0, 2.0, nan, 3.0, 3.0];
        let got = run(&line, 3, Extreme::Min, NanPolicy::Scipy);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&got), bits(&[nan, nan, 1.0, 2.0, nan]));
        let got = run(&line, 3, Extreme::Min, NanPolicy::Propagate);
        assert!(got.iter().all(|v| v.is_nan()));
        let got = run(&line, 3, Extreme::Min, NanPolicy::Omit);
        assert_eq!(bits(&got), bits(&[1.0, 1.0, 1.0, 2.0, 3.0]));
        // After a NaN, scipy's deque collapses onto a value newer than the NaN and loses a
        // smaller one that arrived after the NaN: the NaN-free last window is wrong there.
        let line = [nan, 0.25, nan, 0.75, -1.5, -0.25, -0.25, -0.25];
        let got = run(&line, 5, Extreme::Min, NanPolicy::Scipy);
        assert_eq!(bits(&got), bits(&[nan, -0.25, -0.25, -0.25]));
        let got = run(&line, 5, Extreme::Min, NanPolicy::Propagate);
        assert_eq!(bits(&got), bits(&[nan, nan, nan, -1.5]));
        let got = run(&[nan, nan, 5.0], 2, Extreme::Max, NanPolicy::Omit);
        assert!(got[0].is_nan() && got[1] == 5.0);
    }

    #[test]
    fn deque_returns_the_latest_of_equal_values() {
        let got = run(&[0.0, -0.0, 1.0], 2, Extreme::Min, NanPolicy::Scipy);
        assert!(got[0].is_sign_negative() && got[1].is_sign_negative());
        let got = run(&[-0.0, 0.0, -1.0], 2, Extreme::Max, NanPolicy::Scipy);
        assert!(got[0].is_sign_positive() && got[1].is_sign_positive());
    }

    #[test]
    fn sliding_extremes_equal_the_definition() {
        let values: Vec<i32> = (0..97).map(|i| (i * 7919 % 101) - 50).collect();
        for size in 1..20 {
            for stride in [1, 3] {
                let m = (values.len() / stride - (size - 1)) * stride;
                let ext = &values[..m + (size - 1) * stride];
                let mut out = vec![0; m];
                let mut buffers = [Vec::new(), Vec::new()];
                sliding::<i32, true>(ext, &mut out, size, stride, &mut buffers);
                for (q, &o) in out.iter().enumerate() {
                    let want = (0..size).map(|t| ext[q + t * stride]).min().unwrap();
                    assert_eq!(o, want, "size {size} stride {stride} q {q}");
                }
                sliding::<i32, false>(ext, &mut out, size, stride, &mut buffers);
                for (q, &o) in out.iter().enumerate() {
                    let want = (0..size).map(|t| ext[q + t * stride]).max().unwrap();
                    assert_eq!(o, want, "size {size} stride {stride} q {q}");
                }
            }
        }
    }
}
