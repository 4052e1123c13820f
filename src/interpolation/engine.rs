//! The interpolation engine: samples the spline of a coefficient array at arbitrary
//! coordinates, a segment of an output line at a time, from one of several coordinate sources
//! (a mapping callback, a coordinate array, an affine matrix, per-axis tables).

#![forbid(unsafe_code)]

use super::spline;
use super::tile::{Geometry, Region};
use super::Spline;
use crate::args;
use crate::array::dtype::Native;
use crate::array::view::ElementReader;
use crate::array::{advance, ArrayMut, ArrayRef, StoreRule, MAX_RANK};
use crate::boundary::{remap_outside, support_index, Mode};
use crate::error::{CallbackError, Error};
use crate::parallel::{for_each_part, Stop, Threads};
use std::sync::Mutex;

/// `floor(x)` as an integer and as a double, for |x| < 2^51, without a float-to-integer
/// conversion: adding 1.5 * 2^52 rounds `x` to an integer (exactly, in any rounding mode,
/// to one of the two integers around `x`) held in the low bits of the sum, so the integer is
/// a difference of bit patterns.
#[inline(always)]
fn floor_near(x: f64) -> (i64, f64) {
    const ROUNDER: f64 = 6755399441055744.0;
    let sum = x + ROUNDER;
    let rounded = sum - ROUNDER;
    let above = rounded > x;
    let first = (sum.to_bits() as i64 - ROUNDER.to_bits() as i64) - above as i64;
    (first, rounded - if above { 1.0 } else { 0.0 })
}

/// The support of one coordinate along one axis: where its `order + 1` coefficients lie and
/// their weights.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct AxisSupport {
    /// Byte offsets of the support points along the axis.
    offsets: [isize; 6],
    weights: [f64; 6],
    /// `grid-constant` only: bit `l` set when support point `l` lies outside (reads `cval`).
    outside: u8,
    /// Every support point lies inside the input box (always, for a whole input). Points
    /// outside it have offset 0 and must not be summed.
    covered: bool,
}

/// The interpolation engine over one coefficient array of element type `T`.
pub(super) struct Engine<'c, T> {
    reader: ElementReader<'c, T>,
    axes: Vec<EngineAxis>,
    spline: Spline,
    npad: f64,
    /// The coefficient array is a box of the array interpolated from (an input region):
    /// supports must be checked to lie inside it.
    boxed: bool,
}

/// One axis of the coefficient array, with the conversions the per-point code needs.
#[derive(Clone, Copy, Debug)]
struct EngineAxis {
    /// Length of the whole axis the coordinates and boundary modes refer to.
    n: usize,
    /// `n - 1` as a double: the last in-range coordinate.
    last: f64,
    stride: isize,
    /// The box the coefficient array holds: whole indices `lo..hi` (`0..n` for a whole
    /// array); element `lo` is the array's first.
    lo: isize,
    hi: isize,
}

impl<'c, T: Native> Engine<'c, T> {
    /// The engine over `coeffs`, which holds the box `region` of the array interpolated from
    /// (`None`: the whole array), padded by `npad` samples per side.
    pub(super) fn new(
        coeffs: &'c ArrayRef<'c>,
        spline: Spline,
        npad: usize,
        region: Option<&Region>,
    ) -> Self {
        let mut boxed = false;
        let axes = coeffs
            .shape()
            .iter()
            .zip(coeffs.layout().strides())
            .enumerate()
            .map(|(a, (&len, &stride))| {
                let (lo, n) = region.map_or((0, len), |r| (r.origin[a], r.shape[a]));
                boxed |= lo != 0 || len != n;
                EngineAxis {
                    n,
                    last: n as f64 - 1.0,
                    stride,
                    lo: lo as isize,
                    hi: (lo + len) as isize,
                }
            })
            .collect();
        Engine {
            reader: coeffs.reader::<T>(),
            axes,
            spline,
            npad: npad as f64,
            boxed,
        }
    }

    /// The support of input coordinate `c` along `axis`, written into `s`; `false` when the
    /// point takes `cval` (outside in the `constant` mode, or a NaN coordinate in a remapping
    /// mode). Only the first `order + 1` entries of `s` are meaningful.
    #[inline(always)]
    pub(super) fn support_into(&self, axis: usize, c: f64, s: &mut AxisSupport) -> bool {
        // One copy per order, so that the loops over the support are unrolled (the branch
        // is the same for every point of a call).
        match self.spline.order {
            0 => self.support_of::<0>(axis, c, s),
            1 => self.support_of::<1>(axis, c, s),
            2 => self.support_of::<2>(axis, c, s),
            3 => self.support_of::<3>(axis, c, s),
            4 => self.support_of::<4>(axis, c, s),
            _ => self.support_of::<5>(axis, c, s),
        }
    }

    /// [`Engine::support_into`] for spline order `K`.
    #[inline(always)]
    fn support_of<const K: usize>(&self, axis: usize, c: f64, s: &mut AxisSupport) -> bool {
        let x = c + self.npad;
        if !(0.0..=self.axes[axis].last).contains(&x) {
            return self.support_beyond::<K>(axis, x, s);
        }
        // Inside the axis: the floor below is exact (|centre| <= n, far below 2^51).
        let centre = if K % 2 == 1 { x } else { x + 0.5 };
        let (first, first_f) = floor_near(centre);
        self.place::<K>(axis, x, first, first_f, s);
        true
    }

    /// [`Engine::support_of`] for a coordinate `x` (padding added) outside the axis, or NaN:
    /// remapped into it by the mode (`false`: the point takes cval), or left where it is in
    /// the `nearest` and `grid-constant` modes.
    #[inline(never)]
    fn support_beyond<const K: usize>(&self, axis: usize, x: f64, s: &mut AxisSupport) -> bool {
        match self.locate_beyond::<K>(axis, x) {
            Some((x, first, first_f)) => {
                self.place::<K>(axis, x, first, first_f, s);
                true
            }
            None => false,
        }
    }

    /// Where the support of a coordinate `x` (padding added) outside the axis lies: the
    /// remapped coordinate and the support's centre sample (as an integer and a double), or
    /// `None` when the point takes cval.
    #[inline(always)]
    fn locate_beyond<const K: usize>(&self, axis: usize, x: f64) -> Option<(f64, i64, f64)> {
        let mode = self.spline.mode;
        let mut x = x;
        if !matches!(mode, Mode::Nearest | Mode::GridConstant) {
            x = remap_outside(x, self.axes[axis].n, mode);
            // NaN coordinates and the constant sentinel give cval.
            if x.partial_cmp(&-1.0) != Some(std::cmp::Ordering::Greater) {
                return None;
            }
        }
        // Far-away coordinates (nearest, grid-constant) are clamped so index arithmetic cannot
        // overflow; every support point is then beyond the edge either way.
        const FAR: f64 = (1u64 << 40) as f64;
        let centre = if K % 2 == 1 { x } else { x + 0.5 };
        let (first, first_f) = if centre.abs() < FAR {
            floor_near(centre)
        } else {
            // Far away or infinite.
            let first = spline::floor(centre);
            (first.clamp(-FAR, FAR) as i64, first)
        };
        Some((x, first, first_f))
    }

    /// The first support point of coordinate `c` along `axis` (`None`: the point takes cval),
    /// as [`Engine::support_of`] places it.
    #[cold]
    fn support_start(&self, axis: usize, c: f64) -> Option<isize> {
        fn start<T: Native, const K: usize>(
            e: &Engine<'_, T>,
            axis: usize,
            c: f64,
        ) -> Option<isize> {
            let x = c + e.npad;
            let first = if (0.0..=e.axes[axis].last).contains(&x) {
                floor_near(if K % 2 == 1 { x } else { x + 0.5 }).0
            } else {
                e.locate_beyond::<K>(axis, x)?.1
            };
            Some(first as isize - (K / 2) as isize)
        }
        match self.spline.order {
            0 => start::<T, 0>(self, axis, c),
            1 => start::<T, 1>(self, axis, c),
            2 => start::<T, 2>(self, axis, c),
            3 => start::<T, 3>(self, axis, c),
            4 => start::<T, 4>(self, axis, c),
            _ => start::<T, 5>(self, axis, c),
        }
    }

    /// Fills `s` for coordinate `x` whose support's centre sample is `first` (`first_f` as a
    /// double): the support's offsets, mapped by the mode where they leave the axis, and the
    /// weights.
    #[inline(always)]
    fn place<const K: usize>(
        &self,
        axis: usize,
        x: f64,
        first: i64,
        first_f: f64,
        s: &mut AxisSupport,
    ) {
        let EngineAxis { stride, lo, hi, .. } = self.axes[axis];
        let start = first as isize - (K / 2) as isize;
        if start >= lo && start + (K as isize) < hi {
            // The whole support lies inside the box, so inside the axis (the common case).
            s.outside = 0;
            s.covered = true;
            for (l, o) in s.offsets[..=K].iter_mut().enumerate() {
                *o = (start - lo + l as isize) * stride;
            }
        } else {
            self.place_beyond::<K>(axis, start, s);
        }
        if K > 0 {
            // The same `x - floor(..)` as spline::weights computes.
            spline::weights_at(x - first_f, K, &mut s.weights);
        }
    }

    /// The offsets of a support starting at `start` that leaves the box (or the axis): each
    /// point mapped by the mode, `cval` points (grid-constant) and points outside the box
    /// marked. Out of line, so that the common case stays small.
    #[inline(never)]
    fn place_beyond<const K: usize>(&self, axis: usize, start: isize, s: &mut AxisSupport) {
        let EngineAxis { stride, lo, hi, .. } = self.axes[axis];
        s.outside = 0;
        s.covered = true;
        for l in 0..=K {
            let offset = match self.support_point(axis, start + l as isize) {
                // grid-constant, outside the axis: reads cval.
                None => {
                    s.outside |= 1 << l;
                    0
                }
                Some(index) if index < lo || index >= hi => {
                    s.covered = false;
                    0
                }
                Some(index) => (index - lo) * stride,
            };
            s.offsets[l] = offset;
        }
    }

    /// The whole-array index support point `j` reads along `axis`, mapped by the mode where
    /// `j` lies outside the axis; `None` in `grid-constant` outside the axis (reads cval).
    #[inline(always)]
    fn support_point(&self, axis: usize, j: isize) -> Option<isize> {
        let n = self.axes[axis].n;
        if (0..n as isize).contains(&j) {
            return Some(j);
        }
        if self.spline.mode == Mode::GridConstant {
            return None;
        }
        Some(support_index(j, n, self.spline.mode) as isize)
    }

    /// For a point at input coordinates `coords` whose support leaves the input box: the
    /// first support point outside it, as "index i on axis a (...)", for the error message.
    #[cold]
    fn uncovered(&self, coords: &[f64]) -> String {
        for (a, &c) in coords.iter().enumerate() {
            let Some(start) = self.support_start(a, c) else {
                continue;
            };
            let EngineAxis { lo, hi, .. } = self.axes[a];
            for j in start..=start + self.spline.order as isize {
                if let Some(i) = self.support_point(a, j).filter(|&i| i < lo || i >= hi) {
                    return format!(
                        "input index {i} on axis {a}, outside the input box {lo}..{hi}"
                    );
                }
            }
        }
        "an input index outside the input box".into()
    }

    /// The first of the first `count` points (coordinates along axis `a` at
    /// `lines[a * len..]`) that reads the input outside the box, if any: what the supports
    /// [`Engine::line_supports`] places would read, without their weights. A point taking cval
    /// reads nothing.
    fn first_uncovered(&self, lines: &[f64], len: usize, count: usize) -> Option<usize> {
        match self.spline.order {
            0 => self.first_uncovered_of::<0>(lines, len, count),
            1 => self.first_uncovered_of::<1>(lines, len, count),
            2 => self.first_uncovered_of::<2>(lines, len, count),
            3 => self.first_uncovered_of::<3>(lines, len, count),
            4 => self.first_uncovered_of::<4>(lines, len, count),
            _ => self.first_uncovered_of::<5>(lines, len, count),
        }
    }

    /// [`Engine::first_uncovered`] for spline order `K`.
    fn first_uncovered_of<const K: usize>(
        &self,
        lines: &[f64],
        len: usize,
        count: usize,
    ) -> Option<usize> {
        // Most segments lie inside the axes and the box whole: their coordinates' range says
        // so, without a look at each point.
        let inside = self.axes.iter().enumerate().all(|(a, axis)| {
            let line = &lines[a * len..a * len + count];
            let (mut low, mut high, mut nan) = (f64::INFINITY, f64::NEG_INFINITY, false);
            for &c in line {
                low = low.min(c);
                high = high.max(c);
                nan |= c.is_nan();
            }
            let (low, high) = (low + self.npad, high + self.npad);
            if nan || !(low >= 0.0 && high <= axis.last) {
                return false;
            }
            let centre = |x: f64| if K % 2 == 1 { x } else { x + 0.5 };
            let start = floor_near(centre(low)).0 as isize - (K / 2) as isize;
            let end = floor_near(centre(high)).0 as isize - (K / 2) as isize + K as isize;
            start >= axis.lo && end < axis.hi
        });
        if inside {
            return None;
        }
        (0..count).find(|&j| {
            let mut covered = true;
            for (a, axis) in self.axes.iter().enumerate() {
                let x = lines[a * len + j] + self.npad;
                let first = if (0.0..=axis.last).contains(&x) {
                    floor_near(if K % 2 == 1 { x } else { x + 0.5 }).0
                } else {
                    match self.locate_beyond::<K>(a, x) {
                        Some((_, first, _)) => first,
                        // The point takes cval: it reads nothing.
                        None => return false,
                    }
                };
                let start = first as isize - (K / 2) as isize;
                if !(start >= axis.lo && start + (K as isize) < axis.hi) {
                    covered &= (start..=start + K as isize).all(|j| {
                        match self.support_point(a, j) {
                            None => true, // grid-constant outside: reads cval
                            Some(i) => (axis.lo..axis.hi).contains(&i),
                        }
                    });
                }
            }
            !covered
        })
    }

    /// The supports of a line of coordinates along `axis`: point `j`'s support goes to
    /// `supports[j * rank + axis]`, and `ok[j]` is cleared when the point takes `cval`.
    fn line_supports(
        &self,
        axis: usize,
        coords: &[f64],
        supports: &mut [AxisSupport],
        ok: &mut [bool],
    ) {
        // The order's branch once per line, not per point.
        match self.spline.order {
            0 => self.line_supports_of::<0>(axis, coords, supports, ok),
            1 => self.line_supports_of::<1>(axis, coords, supports, ok),
            2 => self.line_supports_of::<2>(axis, coords, supports, ok),
            3 => self.line_supports_of::<3>(axis, coords, supports, ok),
            4 => self.line_supports_of::<4>(axis, coords, supports, ok),
            _ => self.line_supports_of::<5>(axis, coords, supports, ok),
        }
    }

    /// [`Engine::line_supports`] for spline order `K`.
    fn line_supports_of<const K: usize>(
        &self,
        axis: usize,
        coords: &[f64],
        supports: &mut [AxisSupport],
        ok: &mut [bool],
    ) {
        let rank = self.axes.len();
        for ((&c, point), ok) in coords
            .iter()
            .zip(supports.chunks_exact_mut(rank))
            .zip(ok.iter_mut())
        {
            *ok &= self.support_of::<K>(axis, c, &mut point[axis]);
        }
    }

    /// Interpolates a line of points from their supports (`rank` per point, point-major) into
    /// `values`; points with `ok[j]` false take `cval`. Two points' sums run side by side:
    /// each is a chain of dependent additions, so interleaving them keeps the processor busy
    /// (the arithmetic of each point is unchanged).
    fn sum_line(&self, supports: &[AxisSupport], ok: &[bool], values: &mut [f64]) {
        let rank = self.axes.len();
        let cval = self.spline.cval;
        if self.spline.order == 0 && self.spline.mode != Mode::GridConstant {
            // Order 0: one coefficient per point ([`Engine::sum`] without its branches).
            for ((v, s), &ok) in values.iter_mut().zip(supports.chunks_exact(rank)).zip(ok) {
                *v = if ok { self.nearest(s) } else { cval };
            }
            return;
        }
        const P: usize = 2;
        let mut groups = values.chunks_exact_mut(P);
        let mut points = supports.chunks_exact(rank * P);
        let mut oks = ok.chunks_exact(P);
        for ((v, s), ok) in (&mut groups).zip(&mut points).zip(&mut oks) {
            let s: [&[AxisSupport]; P] = std::array::from_fn(|p| &s[p * rank..(p + 1) * rank]);
            if ok.iter().all(|&ok| ok) {
                if let Some(sums) = self.sum_fixed(s) {
                    v.copy_from_slice(&sums);
                    continue;
                }
            }
            for ((v, s), &ok) in v.iter_mut().zip(s).zip(ok) {
                *v = if ok { self.sum(s) } else { cval };
            }
        }
        let rest = groups.into_remainder();
        let rest_points = points.remainder().chunks_exact(rank);
        for ((v, s), &ok) in rest.iter_mut().zip(rest_points).zip(oks.remainder()) {
            *v = if ok { self.sum(s) } else { cval };
        }
    }

    /// The values along a line of a separable transform: `s1` and `s2` hold the outer axes'
    /// supports (their last entry is scratch), `inner` the last axis' support of each point
    /// (`None`: cval). Two points at a time, as [`Engine::sum_line`].
    #[inline(never)]
    fn sum_separable_line(
        &self,
        s1: &mut [AxisSupport],
        s2: &mut [AxisSupport],
        inner: &[Option<AxisSupport>],
        values: &mut [f64],
    ) {
        let last = s1.len() - 1;
        let cval = self.spline.cval;
        for (v, s) in values.chunks_mut(2).zip(inner.chunks(2)) {
            match (s, &mut *v) {
                ([Some(t1), Some(t2)], [v1, v2]) => {
                    (s1[last], s2[last]) = (*t1, *t2);
                    (*v1, *v2) = self.sum_pair(s1, s2);
                }
                _ => {
                    for (v, s) in v.iter_mut().zip(s) {
                        *v = match s {
                            Some(s) => {
                                s1[last] = *s;
                                self.sum(s1)
                            }
                            None => cval,
                        };
                    }
                }
            }
        }
    }

    /// [`Engine::sum`] of two supports, interleaved where [`Engine::sum_fixed`] applies.
    #[inline(always)]
    fn sum_pair(&self, s: &[AxisSupport], t: &[AxisSupport]) -> (f64, f64) {
        match self.sum_fixed([s, t]) {
            Some([x, y]) => (x, y),
            None => (self.sum(s), self.sum(t)),
        }
    }

    /// The sums of `P` points' supports side by side, for ranks 1 to 3, order > 0 and no
    /// point of `grid-constant` outside (`None` otherwise): the products and additions of the
    /// general loop in [`Engine::sum`], in the same order, with fixed loops.
    #[inline(always)]
    fn sum_fixed<const P: usize>(&self, s: [&[AxisSupport]; P]) -> Option<[f64; P]> {
        // One copy per order, so that the loops over the support are unrolled.
        match self.spline.order {
            1 => self.sum_fixed_of::<P, 2>(s),
            2 => self.sum_fixed_of::<P, 3>(s),
            3 => self.sum_fixed_of::<P, 4>(s),
            4 => self.sum_fixed_of::<P, 5>(s),
            5 => self.sum_fixed_of::<P, 6>(s),
            _ => None,
        }
    }

    /// [`Engine::sum_fixed`] for `K1` (order + 1) support points per axis.
    #[inline(always)]
    fn sum_fixed_of<const P: usize, const K1: usize>(
        &self,
        s: [&[AxisSupport]; P],
    ) -> Option<[f64; P]> {
        let k1 = K1;
        let outside = self.spline.mode == Mode::GridConstant
            && s.iter().any(|p| p.iter().any(|sa| sa.outside != 0));
        let rank = s[0].len();
        if self.spline.order == 0 || outside || s.iter().any(|p| p.len() != rank) {
            return None;
        }
        let at = |offset| self.reader.at(offset);
        let mut acc = [0.0; P];
        match rank {
            1 => {
                for l in 0..k1 {
                    for (acc, p) in acc.iter_mut().zip(&s) {
                        let a = &p[0];
                        *acc += at(a.offsets[l]) * a.weights[l];
                    }
                }
            }
            2 => {
                for la in 0..k1 {
                    for lb in 0..k1 {
                        for (acc, p) in acc.iter_mut().zip(&s) {
                            let (a, b) = (&p[0], &p[1]);
                            *acc +=
                                at(a.offsets[la] + b.offsets[lb]) * a.weights[la] * b.weights[lb];
                        }
                    }
                }
            }
            3 => {
                for la in 0..k1 {
                    for lb in 0..k1 {
                        for lc in 0..k1 {
                            for (acc, p) in acc.iter_mut().zip(&s) {
                                let (a, b, c) = (&p[0], &p[1], &p[2]);
                                *acc += at(a.offsets[la] + b.offsets[lb] + c.offsets[lc])
                                    * a.weights[la]
                                    * b.weights[lb]
                                    * c.weights[lc];
                            }
                        }
                    }
                }
            }
            _ => return None,
        }
        Some(acc)
    }

    /// Sums coefficient × weights over the support, in C order of the support with the weights
    /// multiplied in axis order (scipy's exact operation order).
    #[inline(always)]
    fn sum(&self, s: &[AxisSupport]) -> f64 {
        if self.spline.order == 0 {
            // Order 0: the one nearest coefficient.
            if self.spline.mode == Mode::GridConstant && s.iter().any(|sa| sa.outside & 1 != 0) {
                return self.spline.cval;
            }
            return self.nearest(s);
        }
        if let Some([acc]) = self.sum_fixed([s]) {
            return acc;
        }
        self.sum_general(s)
    }

    /// The order-0 value of a support inside the input: its one coefficient.
    #[inline(always)]
    fn nearest(&self, s: &[AxisSupport]) -> f64 {
        // 0.0 + v, as the general sum does: scipy stores -0.0 as +0.0.
        0.0 + self.reader.at(s.iter().map(|sa| sa.offsets[0]).sum())
    }

    /// [`Engine::sum`] for any rank and `grid-constant` points reading `cval` (order > 0).
    #[inline(never)]
    fn sum_general(&self, s: &[AxisSupport]) -> f64 {
        match self.sum_general_pausing(s, || false) {
            Some(v) => v,
            None => unreachable!("never paused"),
        }
    }

    /// [`Engine::sum_general`] of a point with a costly support (`(order + 1)^rank` in the
    /// millions for high ranks), calling `pause` every few thousand coefficients: `None` when
    /// it returns `true` (the pass is being stopped). The same sum in the same order.
    fn sum_costly(&self, s: &[AxisSupport], pause: impl FnMut() -> bool) -> Option<f64> {
        if self.spline.order == 0 {
            return Some(self.sum(s));
        }
        self.sum_general_pausing(s, pause)
    }

    #[inline(always)]
    fn sum_general_pausing(
        &self,
        s: &[AxisSupport],
        mut pause: impl FnMut() -> bool,
    ) -> Option<f64> {
        /// Outer combinations between calls of `pause`.
        const PAUSE_EVERY: u32 = 1 << 12;
        let mut until_pause = PAUSE_EVERY;
        let k1 = self.spline.order + 1;
        let grid_constant = self.spline.mode == Mode::GridConstant;
        let cval = self.spline.cval;
        let last = s.len() - 1;
        let (outer, inner) = s.split_at(last);
        let inner = &inner[0];
        let mut combo = [0u8; MAX_RANK];
        let mut acc = 0.0;
        loop {
            let mut base = 0isize;
            let mut outer_outside = false;
            for (a, sa) in outer.iter().enumerate() {
                let l = combo[a] as usize;
                base += sa.offsets[l];
                outer_outside |= sa.outside >> l & 1 != 0;
            }
            for l in 0..k1 {
                let mut v = if grid_constant && (outer_outside || inner.outside >> l & 1 != 0) {
                    cval
                } else {
                    self.reader.at(base + inner.offsets[l])
                };
                for (a, sa) in outer.iter().enumerate() {
                    v *= sa.weights[combo[a] as usize];
                }
                v *= inner.weights[l];
                acc += v;
            }
            let mut a = last;
            loop {
                if a == 0 {
                    return Some(acc);
                }
                a -= 1;
                combo[a] += 1;
                if (combo[a] as usize) < k1 {
                    break;
                }
                combo[a] = 0;
            }
            until_pause -= 1;
            if until_pause == 0 {
                until_pause = PAUSE_EVERY;
                if pause() {
                    return None;
                }
            }
        }
    }
}

/// Where the engine's coordinates come from.
pub(super) enum Coordinates<'t, F> {
    /// Per output index, a function writing the input coordinates (a callback's failure stops
    /// the call).
    Mapping(F),
    /// Separable transforms (shift, zoom, diagonal affine): per output axis, the support of
    /// every index along it, computed once per call.
    Separable(&'t [Vec<Option<AxisSupport>>]),
    /// map_coordinates: an array of shape `[input rank, output shape...]`, read a line at a time.
    Array(&'t ArrayRef<'t>),
    /// affine_transform with a full matrix: `c[h] = offset[h] + Σ_k index[k]·matrix[h][k]`
    /// (row-major, output rank columns), summed in order from `offset[h]`. Along a line only
    /// the last term changes, so the sum of the others is computed once per line: the same
    /// additions in the same order.
    Affine {
        matrix: &'t [f64],
        offset: &'t [f64],
    },
}

impl<F> Coordinates<'_, F> {
    /// Whether the source is the caller's mapping, called once per point (it cannot be read
    /// twice, so a box is checked as its points come).
    fn calls_back(&self) -> bool {
        matches!(self, Coordinates::Mapping(_))
    }
}

/// A coordinate source that never fails, for the separable variant's unused type parameter.
pub(super) type NoMapping = fn(&[usize], &mut [f64]) -> Result<(), CallbackError>;

/// Output points per segment of a line: the per-thread buffers (coordinates, supports,
/// values) hold one segment, so their size does not grow with the output's shape.
const SEGMENT: usize = 64;

/// The first point (C order of the whole output) whose support leaves the input box, and the
/// error naming it, as a checking pass records it.
pub(super) type FirstUncovered = Mutex<Option<(Vec<usize>, Error)>>;

/// How [`transform_part`] runs over a part of the output.
pub(super) struct Pass<'p> {
    /// Whole-output index of the output array's first element (zeros for a whole output).
    pub(super) origin: &'p [usize],
    /// `Some`: only check that every point's support lies inside the input box, writing
    /// nothing, and record the first point that does not here (each part checks all of its
    /// points, so the point recorded does not depend on the thread count).
    pub(super) check: Option<&'p FirstUncovered>,
}

/// Interpolates the part of the output whose indices along `axis` start at `start`.
///
/// Each line along the last axis is done a segment at a time: the segment's coordinates
/// (in order, for a mapping), then the supports of its points one axis after another, then
/// their sums, which are stored. With an input box, a point whose support leaves it stops the
/// call with an error naming it (the points before it are stored).
pub(super) fn transform_part<T, F>(
    engine: &Engine<'_, T>,
    part: &mut ArrayMut<'_>,
    axis: usize,
    start: usize,
    coordinates: &mut Coordinates<'_, F>,
    stop: &Stop,
    pass: &Pass<'_>,
) -> Result<(), Error>
where
    T: Native,
    F: FnMut(&[usize], &mut [f64]) -> Result<(), CallbackError>,
{
    if part.layout().is_empty() {
        return Ok(());
    }
    let shape = part.shape().to_vec();
    let last = shape.len() - 1;
    let n = shape[last];
    let last_start = if axis == last { start } else { 0 };
    let cval = engine.spline.cval;
    let in_rank = engine.axes.len();
    let checking = pass.check.is_some();
    // Costly points (high ranks and orders: (order + 1)^rank coefficients each) come in
    // segments of at most 2^16 coefficients, so that a stop or a cancellation is seen within a
    // few milliseconds.
    let cost = (engine.spline.order + 1).saturating_pow(in_rank as u32);
    let segment = n.min(SEGMENT).min((1 << 16) / cost.max(1)).max(1);
    // Points costlier still (ranks from about 16 at order 1) are summed one at a time,
    // ticking within each point's sum.
    let costly = cost > 1 << 16;
    let pause = || stop.tick(0);
    let mut values = vec![0.0; segment];
    // One line of coordinates per input axis; the mapping's own buffer, which keeps the
    // previous call's values; the array index of map_coordinates' coordinates.
    let mut coord_lines = vec![0.0; in_rank * segment];
    let mut coords = vec![0.0; in_rank];
    let mut coord_index = vec![0usize; shape.len() + 1];
    // The supports of the segment's points (point-major), and which points take cval.
    let mut supports = vec![AxisSupport::default(); in_rank * segment.max(2)];
    let mut ok = vec![true; segment];
    let mut index = vec![0usize; shape.len()];
    // The index in the output array, and in the whole output.
    let mut global = index.clone();
    let mut whole = index.clone();
    // Points of the previous segment, ticked at the next one's start.
    let mut done = 0;
    loop {
        global.copy_from_slice(&index);
        global[axis] += start;
        for ((w, &g), &o) in whole.iter_mut().zip(&global).zip(pass.origin) {
            *w = g + o;
        }
        for from in (0..n).step_by(segment) {
            // The previous segment's points are done.
            if stop.tick(done) {
                return Ok(());
            }
            let len = segment.min(n - from);
            done = len as u64;
            let values = &mut values[..len];
            // The output index along the last axis of the segment's first point, in the
            // output array and in the whole output.
            let first = last_start + from;
            let whole_first = first + pass.origin[last];
            let mut failure = None;
            if let Coordinates::Separable(tables) = coordinates {
                // The outer axes' supports are fixed along the line; two points at a time.
                let (s1, s2) = supports.split_at_mut(in_rank);
                let s2 = &mut s2[..in_rank];
                let mut outer_cval = false;
                for a in 0..last {
                    match tables[a][global[a]] {
                        Some(t) => (s1[a], s2[a]) = (t, t),
                        None => outer_cval = true,
                    }
                }
                if outer_cval {
                    values.fill(cval);
                } else if costly {
                    let inner = &tables[last][first..first + len];
                    for (v, s) in values.iter_mut().zip(inner) {
                        *v = match s {
                            Some(s) => {
                                s1[last] = *s;
                                match engine.sum_costly(s1, pause) {
                                    Some(v) => v,
                                    None => return Ok(()),
                                }
                            }
                            None => cval,
                        };
                    }
                } else {
                    let inner = &tables[last][first..first + len];
                    engine.sum_separable_line(s1, s2, inner, values);
                }
            } else {
                let lines = &mut coord_lines[..in_rank * len];
                let mut done = len;
                match coordinates {
                    Coordinates::Array(array) => {
                        coord_index[1..].copy_from_slice(&global);
                        for (a, line) in lines.chunks_exact_mut(len).enumerate() {
                            coord_index[0] = a;
                            array.read_run(&coord_index, last + 1, first, line);
                        }
                    }
                    Coordinates::Affine { matrix, offset } => {
                        let out_rank = last + 1;
                        for ((line, row), &start_value) in lines
                            .chunks_exact_mut(len)
                            .zip(matrix.chunks_exact(out_rank))
                            .zip(offset.iter())
                        {
                            let mut outer = start_value;
                            for (&i, &w) in whole[..last].iter().zip(row) {
                                // Through i64: one instruction, and exact (indices are far
                                // below 2^53).
                                outer += i as i64 as f64 * w;
                            }
                            let w = row[last];
                            for (j, c) in line.iter_mut().enumerate() {
                                *c = outer + (whole_first + j) as i64 as f64 * w;
                            }
                        }
                    }
                    Coordinates::Mapping(mapping) => {
                        // One call per point, in order; a failure ends the segment there.
                        for j in 0..len {
                            whole[last] = whole_first + j;
                            if let Err(e) = mapping(&whole, &mut coords) {
                                let mut msg =
                                    format!("mapping callback reported failure at index {whole:?}");
                                if !e.0.is_empty() {
                                    msg = format!("{msg}: {}", e.0);
                                }
                                failure = Some(Error::CallbackFailed(msg));
                                done = j;
                                break;
                            }
                            for (a, &c) in coords.iter().enumerate() {
                                lines[a * len + j] = c;
                            }
                        }
                    }
                    Coordinates::Separable(_) => unreachable!("handled above"),
                }
                if let Some(record) = pass.check {
                    // The supports' places only, without their weights (the coordinate
                    // sources of a checking pass cannot fail).
                    if let Some(j) = engine.first_uncovered(lines, len, done) {
                        whole[last] = whole_first + j;
                        let point: Vec<f64> = (0..in_rank).map(|a| lines[a * len + j]).collect();
                        let e = Error::InvalidArgument(format!(
                            "output index {whole:?} reads {}",
                            engine.uncovered(&point)
                        ));
                        let mut first = record.lock().unwrap_or_else(|e| e.into_inner());
                        if !first.as_ref().is_some_and(|(w, _)| *w <= whole) {
                            *first = Some((whole.clone(), e));
                        }
                        return Ok(());
                    }
                    // (The next segment ticks this one's points.)
                    continue;
                }
                let ok = &mut ok[..done];
                let supports = &mut supports[..in_rank * done];
                ok.fill(true);
                for (a, line) in lines.chunks_exact(len).enumerate() {
                    engine.line_supports(a, &line[..done], supports, ok);
                }
                if engine.boxed {
                    // A point that takes cval reads nothing; the others must read inside.
                    let outside = supports
                        .chunks_exact(in_rank)
                        .zip(ok.iter())
                        .position(|(s, &ok)| ok && s.iter().any(|s| !s.covered));
                    if let Some(j) = outside {
                        whole[last] = whole_first + j;
                        let point: Vec<f64> = (0..in_rank).map(|a| lines[a * len + j]).collect();
                        failure = Some(Error::InvalidArgument(format!(
                            "output index {whole:?} reads {}",
                            engine.uncovered(&point)
                        )));
                        done = j;
                    }
                }
                let ok = &ok[..done];
                let supports = &supports[..in_rank * done];
                if costly {
                    let points = supports.chunks_exact(in_rank).zip(ok.iter());
                    for (v, (s, &ok)) in values[..done].iter_mut().zip(points) {
                        *v = if ok {
                            match engine.sum_costly(s, pause) {
                                Some(v) => v,
                                None => return Ok(()),
                            }
                        } else {
                            cval
                        };
                    }
                } else {
                    engine.sum_line(supports, ok, &mut values[..done]);
                }
                if let Some(e) = failure {
                    part.store_run(&index, last, from, &values[..done], StoreRule::Round);
                    return Err(e);
                }
            }
            if !checking {
                part.store_run(&index, last, from, values, StoreRule::Round);
            }
        }
        if !advance(&mut index, &shape, Some(last)) {
            return Ok(());
        }
    }
}

/// Checks the arguments every interpolation shares; `Ok(false)` when there is nothing to do.
pub(super) fn check_transform(
    input: &ArrayRef<'_>,
    output: &ArrayMut<'_>,
    spline: &Spline,
) -> Result<bool, Error> {
    args::spline_order(spline.order, 0, 5)?;
    args::real(input.dtype(), "input")?;
    args::real(output.dtype(), "output")?;
    if input.shape().is_empty() || output.shape().is_empty() {
        return Err(Error::InvalidArray(
            "input and output rank must be > 0".into(),
        ));
    }
    if output.layout().is_empty() {
        return Ok(false);
    }
    if input.layout().is_empty() {
        return Err(Error::InvalidArray(
            "input has no elements to interpolate from".into(),
        ));
    }
    Ok(true)
}

/// Runs the engine over the output: the coefficients (prefiltered on `threads` threads, or
/// the input itself when it holds them: `geometry`), then `run(engine, output)`
/// monomorphised for the coefficients' element type.
macro_rules! with_engine {
    ($input:expr, $spline:expr, $threads:expr, $geometry:expr, |$engine:ident| $body:expr) => {{
        let geometry: &$crate::interpolation::tile::Geometry = $geometry;
        let coeffs = if geometry.prefiltered {
            $crate::interpolation::prefilter::Coefficients::given($input, geometry.npad)
        } else {
            $crate::interpolation::prefilter::coefficients($input, $spline, $threads)?
        };
        let view = coeffs.view();
        $crate::array::dtype::with_native!(view.dtype(), T => {
            let $engine = $crate::interpolation::engine::Engine::<T>::new(
                &view,
                *$spline,
                coeffs.npad,
                geometry.input.as_ref(),
            );
            $body
        })
    }};
}
pub(super) use with_engine;

/// Interpolates a real `output` from `input` on `threads` threads: the prefilter (when the
/// spline asks for it and the input does not hold the coefficients: `geometry`), then the
/// engine over every part of the output, each part reading its coordinates from the source
/// `make()` returns. With an input box and a source that can be read twice (not a mapping,
/// which is called once per point), a first pass only checks that every point's support lies
/// inside the box, so that an uncovered point is an error before anything is written.
pub(super) fn transform<'c, F, M>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    spline: &Spline,
    geometry: &Geometry,
    threads: usize,
    make: M,
) -> Result<(), Error>
where
    F: FnMut(&[usize], &mut [f64]) -> Result<(), CallbackError>,
    M: Fn() -> Coordinates<'c, F> + Sync,
{
    if !check_transform(input, output, spline)? {
        return Ok(());
    }
    with_engine!(input, spline, Threads::Count(threads), geometry, |engine| {
        let origin = &geometry.out_origin;
        if engine.boxed && !make().calls_back() {
            let first = FirstUncovered::default();
            let pass = Pass {
                origin,
                check: Some(&first),
            };
            for_each_part(output, None, threads, |part, axis, start, stop| {
                transform_part(&engine, part, axis, start, &mut make(), stop, &pass)
            })?;
            if let Some((_, e)) = first.into_inner().unwrap_or_else(|e| e.into_inner()) {
                return Err(e);
            }
        }
        let pass = Pass {
            origin,
            check: None,
        };
        for_each_part(output, None, threads, |part, axis, start, stop| {
            transform_part(&engine, part, axis, start, &mut make(), stop, &pass)
        })
    })
}

/// Runs the engine for a separable transform: `coordinate(axis, i)` is the input coordinate
/// of whole-output index `i` along `axis` (input rank == output rank).
pub(super) fn transform_separable<C>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    spline: &Spline,
    geometry: &Geometry,
    threads: usize,
    coordinate: C,
) -> Result<(), Error>
where
    C: Fn(usize, usize) -> f64,
{
    if !check_transform(input, output, spline)? {
        return Ok(());
    }
    with_engine!(input, spline, Threads::Count(threads), geometry, |engine| {
        let origin = &geometry.out_origin;
        // About 100 bytes per output index along each axis: fallible, as for a long axis
        // they are no small allocation.
        let mut tables: Vec<Vec<Option<AxisSupport>>> = Vec::with_capacity(output.rank());
        for (a, &n) in output.shape().iter().enumerate() {
            let mut table = Vec::new();
            table.try_reserve_exact(n).map_err(|_| {
                Error::OutOfMemory(format!(
                    "cannot allocate the supports of {n} output indices"
                ))
            })?;
            table.extend((0..n).map(|i| {
                let mut s = AxisSupport::default();
                engine
                    .support_into(a, coordinate(a, origin[a] + i), &mut s)
                    .then_some(s)
            }));
            tables.push(table);
        }
        if engine.boxed {
            check_tables(&engine, &tables, origin, &coordinate)?;
        }
        let pass = Pass {
            origin,
            check: None,
        };
        for_each_part(output, None, threads, |part, axis, start, stop| {
            let mut coordinates = Coordinates::<NoMapping>::Separable(&tables);
            transform_part(&engine, part, axis, start, &mut coordinates, stop, &pass)
        })
    })
}

/// With an input box: the error naming a point of a separable transform whose support leaves
/// the box, if there is one. A point reads the input when every axis' support exists (none
/// takes cval), so the supports of the axes combine freely: the point named takes the first
/// uncovered support of the lowest axis that has one, and the first support of the others.
fn check_tables<T: Native>(
    engine: &Engine<'_, T>,
    tables: &[Vec<Option<AxisSupport>>],
    origin: &[usize],
    coordinate: impl Fn(usize, usize) -> f64,
) -> Result<(), Error> {
    let mut point = Vec::with_capacity(tables.len());
    for table in tables {
        match table.iter().position(Option::is_some) {
            Some(i) => point.push(i),
            // No point reads the input.
            None => return Ok(()),
        }
    }
    for (a, table) in tables.iter().enumerate() {
        if let Some(i) = table.iter().position(|s| s.is_some_and(|s| !s.covered)) {
            point[a] = i;
            let whole: Vec<usize> = point.iter().zip(origin).map(|(&i, &o)| i + o).collect();
            let coords: Vec<f64> = whole
                .iter()
                .enumerate()
                .map(|(b, &i)| coordinate(b, i))
                .collect();
            return Err(Error::InvalidArgument(format!(
                "output index {whole:?} reads {}",
                engine.uncovered(&coords)
            )));
        }
    }
    Ok(())
}
