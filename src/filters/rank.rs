//! scipy's rank, median and percentile filters.
//!
//! scipy turns the selection into a rank of the footprint's `k` selected elements, sends rank
//! 0 to `minimum_filter` and rank `k - 1` to `maximum_filter`, and computes any other rank on
//! one of two paths: for 1-D inputs a double heap around the rank over the line
//! (`_rank_filter_1d.cpp`, in int64, float32 or float64), otherwise a Hoare-partition
//! quickselect per window over doubles (`NI_RankFilter`). Both are reproduced exactly, NaN and
//! signed zeros included, where scipy is correct; where its 1-D path is wrong (footprint
//! holes ignored, reads outside the line, uint64 ranked as int64, other output types written
//! as the input type) the n-dimensional path's correct result is computed instead, and uint64
//! is ranked as uint64.

#![forbid(unsafe_code)]

use super::minmax::{footprint_extreme, separable_extreme, Extreme};
use super::order::{NanPolicy, Neighbourhood, OrderOptions, Resolved};
use crate::args;
use crate::array::dtype::Native;
use crate::array::{ArrayMut, ArrayRef, AsInput, AsOutput, Source, StoreRule};
use crate::boundary::{extend_line, Mode};
use crate::engine::line_pass::{
    filter_native, BlockLayout, NativeBlock, NativeLineKernel, NativeLineKernels, NativePass, Pad,
};
use crate::engine::neighbourhood::{self, NativeKernels, Walk, Window, WindowKernel};
use crate::engine::Footprint;
use crate::error::{CallbackError, Error};

/// Which order statistic a filter takes (scipy's `rank=`, the median, `percentile=`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Selection {
    /// A rank as given: counted from the smallest, or from the largest when negative.
    Rank(isize),
    /// Rank `k / 2`: the upper median for even counts (no averaging).
    Median,
    /// A percentile in `[-100, 100]` (negative: `+ 100`).
    Percentile(f64),
}

impl Selection {
    /// The rank among `k` values, as scipy computes it (errors for ranks outside `0..k`).
    fn rank(self, k: usize) -> Result<usize, Error> {
        let rank = match self {
            Selection::Rank(r) => r,
            Selection::Median => (k / 2) as isize,
            Selection::Percentile(p) => {
                let p = percentile(p)?;
                if p == 100.0 {
                    k as isize - 1
                } else {
                    (k as f64 * p / 100.0) as isize
                }
            }
        };
        let rank = if rank < 0 { rank + k as isize } else { rank };
        if rank < 0 || rank >= k as isize {
            return Err(Error::InvalidArgument(
                "rank not within filter footprint size".into(),
            ));
        }
        Ok(rank as usize)
    }

    /// The rank among the `m` non-NaN values of a window ([`NanPolicy::Omit`]), or `None`
    /// when there is no such value.
    fn rank_among(self, m: usize) -> Option<usize> {
        if m == 0 {
            return None;
        }
        match self {
            Selection::Rank(r) if r >= 0 => Some(r as usize).filter(|&r| r < m),
            Selection::Rank(r) => (m as isize + r).try_into().ok(),
            Selection::Median => Some(m / 2),
            Selection::Percentile(p) => {
                let p = if p < 0.0 { p + 100.0 } else { p };
                Some(if p == 100.0 {
                    m - 1
                } else {
                    ((m as f64 * p / 100.0) as usize).min(m - 1)
                })
            }
        }
    }
}

/// A percentile argument checked as scipy checks it (`p < 0` is `p + 100`).
fn percentile(p: f64) -> Result<f64, Error> {
    let p = if p < 0.0 { p + 100.0 } else { p };
    if !(0.0..=100.0).contains(&p) {
        return Err(Error::InvalidArgument("invalid percentile".into()));
    }
    Ok(p)
}

// -----------------------------------------------------------------------------------------
// Quickselect (NI_Select)
// -----------------------------------------------------------------------------------------

/// The value of rank `rank` in `buf` by scipy's Hoare-partition quickselect (`NI_Select`),
/// which leaves `buf` permuted. For values with a total order (no NaN, no zeros of both
/// signs) this is the rank-th order statistic; otherwise which value comes out depends on
/// this exact scheme, which is why it is kept.
// The loop conditions are scipy's `do ... while (buf[j] > x)`: negated, they stop at a NaN.
#[allow(clippy::neg_cmp_op_on_partial_ord)]
pub(crate) fn select<V: PartialOrd + Copy>(buf: &mut [V], mut rank: usize) -> V {
    let (mut lo, mut hi) = (0isize, buf.len() as isize - 1);
    loop {
        if lo == hi {
            return buf[lo as usize];
        }
        let x = buf[lo as usize];
        let (mut i, mut j) = (lo - 1, hi + 1);
        loop {
            loop {
                j -= 1;
                if !(buf[j as usize] > x) {
                    break;
                }
            }
            loop {
                i += 1;
                if !(buf[i as usize] < x) {
                    break;
                }
            }
            if i < j {
                buf.swap(i as usize, j as usize);
            } else {
                break;
            }
        }
        let m = (j - lo + 1) as usize;
        if rank < m {
            hi = j;
        } else {
            lo = j + 1;
            rank -= m;
        }
    }
}

/// The kernels of the n-dimensional path: each window gathered in footprint order (values in
/// the input's type, `cval` cast to it, as doubles), the rank selected by [`select`], the
/// result cast to the input's type (scipy's `(type)NI_Select(...)`).
#[derive(Clone, Copy)]
struct SelectKernels {
    selection: Selection,
    rank: usize,
    nan: NanPolicy,
}

impl SelectKernels {
    fn make_kernel<T: Native>(&self) -> SelectKernel<T> {
        SelectKernel::<T> {
            selection: self.selection,
            rank: self.rank,
            nan: self.nan,
            values: Vec::new(),
            buffer: Vec::new(),
        }
    }
}

impl NativeKernels for SelectKernels {
    fn make<T: Native>(&self) -> impl WindowKernel<T> {
        self.make_kernel::<T>()
    }
}

struct SelectKernel<T> {
    selection: Selection,
    rank: usize,
    nan: NanPolicy,
    values: Vec<T>,
    buffer: Vec<f64>,
}

impl<T: Native> WindowKernel<T> for SelectKernel<T> {
    fn line(
        &mut self,
        window: &Window<'_, T>,
        out: &mut [f64],
    ) -> Result<(), (usize, CallbackError)> {
        let k = window.len();
        self.values.resize(k, T::default());
        self.buffer.resize(k, 0.0);
        for (j, o) in out.iter_mut().enumerate() {
            window.gather(j, &mut self.values);
            for (b, &v) in self.buffer.iter_mut().zip(&self.values) {
                *b = v.to_f64();
            }
            let value = match self.nan {
                NanPolicy::Scipy => select(&mut self.buffer, self.rank),
                NanPolicy::Propagate => match self.buffer.iter().find(|v| v.is_nan()) {
                    Some(&nan) => nan,
                    None => select(&mut self.buffer, self.rank),
                },
                NanPolicy::Omit => select_omitting_nan(&mut self.buffer, self.selection),
            };
            *o = T::from_f64(value).to_f64();
        }
        Ok(())
    }
}

/// The selection among the non-NaN values of `buf` (moved to its front), NaN if none.
fn select_omitting_nan<V: Native>(buf: &mut [V], selection: Selection) -> V {
    let mut m = 0;
    for i in 0..buf.len() {
        if !super::order::is_nan(buf[i]) {
            buf.swap(m, i);
            m += 1;
        }
    }
    match selection.rank_among(m) {
        Some(r) => select(&mut buf[..m], r),
        None => V::from_f64(f64::NAN),
    }
}

// Wire chunks of a network kernel are 128 bytes (so that each compare-exchange works on a
// few vectors whatever the element size): 128 / size_of::<T>() positions.

/// The largest windows the network kernels take (beyond, the quickselect is faster).
const MAX_NETWORK_BOX: usize = 64;
const MAX_NETWORK_VALUES: usize = 32;

/// How a network kernel reads a window: sorted columns of a box (`rows` footprint rows of
/// `columns` elements), or the selected elements one by one.
#[derive(Clone, Copy, Debug)]
enum Shape {
    Box { rows: usize, columns: usize },
    Values(usize),
}

/// The fast n-dimensional path: selection networks over chunks of positions where the line's
/// values are totally ordered, scipy's quickselect (exactly as [`SelectKernels`]) elsewhere.
struct NetworkKernels {
    shape: Shape,
    network: super::network::Network,
    column_steps: Vec<(usize, usize)>,
    exact: SelectKernels,
}

impl NetworkKernels {
    /// The network kernels for `footprint` (of the input's rank) and `rank`, if a network
    /// suits it.
    fn new(footprint: &Footprint, exact: SelectKernels) -> Option<Self> {
        let k = footprint.count();
        let last = *footprint.shape().last()?;
        let shape = if k == footprint.mask().len() && k <= MAX_NETWORK_BOX {
            Shape::Box {
                rows: k / last,
                columns: last,
            }
        } else if k <= MAX_NETWORK_VALUES {
            Shape::Values(k)
        } else {
            return None;
        };
        let (network, column_steps) = match shape {
            Shape::Box { rows, columns } => (
                super::network::Network::new(rows, columns, exact.rank),
                super::network::sorting_steps(rows),
            ),
            Shape::Values(k) => (super::network::Network::new(1, k, exact.rank), Vec::new()),
        };
        Some(NetworkKernels {
            shape,
            network,
            column_steps,
            exact,
        })
    }
}

impl NativeKernels for NetworkKernels {
    fn make<T: Native>(&self) -> impl WindowKernel<T> {
        NetworkKernel::<T> {
            shape: self.shape,
            network: self.network.clone(),
            column_steps: self.column_steps.clone(),
            exact: self.exact.make_kernel::<T>(),
            columns: Vec::new(),
        }
    }
}

struct NetworkKernel<T> {
    shape: Shape,
    network: super::network::Network,
    column_steps: Vec<(usize, usize)>,
    exact: SelectKernel<T>,
    /// The sorted columns: one buffer per footprint row.
    columns: Vec<Vec<T>>,
}

impl<T: Native> WindowKernel<T> for NetworkKernel<T> {
    fn line(
        &mut self,
        window: &Window<'_, T>,
        out: &mut [f64],
    ) -> Result<(), (usize, CallbackError)> {
        if super::order::needs_exact_path(window.span()) {
            return self.exact.line(window, out);
        }
        let n = window.positions();
        if let Shape::Box { rows, columns } = self.shape {
            let len = n + columns - 1;
            self.columns.resize_with(rows, Vec::new);
            if rows == 3 {
                // Read and sort in one pass.
                let [a, b, c] = [0, 1, 2].map(|t| window.tap_run(t * columns, len));
                sort3(a, b, c, &mut self.columns);
            } else {
                for (t, column) in self.columns.iter_mut().enumerate() {
                    column.clear();
                    column.extend_from_slice(window.tap_run(t * columns, len));
                }
                super::network::sort_rows(&self.column_steps, &mut self.columns);
            }
        }
        if let (
            Shape::Box {
                rows: 3,
                columns: 3,
            },
            4,
        ) = (self.shape, self.exact.rank)
        {
            median9(&self.columns, out);
            return Ok(());
        }
        match std::mem::size_of::<T>() {
            1 => self.chunks::<128>(window, out),
            2 => self.chunks::<64>(window, out),
            4 => self.chunks::<32>(window, out),
            _ => self.chunks::<16>(window, out),
        }
        Ok(())
    }
}

impl<T: Native> NetworkKernel<T> {
    /// The windows of a line, `C` positions at a time (`C` elements: 128 bytes).
    fn chunks<const C: usize>(&mut self, window: &Window<'_, T>, out: &mut [f64]) {
        let n = window.positions();
        let mut wires = vec![[T::default(); C]; self.network.wires];
        let wires = &mut wires[..];
        for j0 in (0..n).step_by(C) {
            let m = C.min(n - j0);
            match self.shape {
                Shape::Box { rows, columns } => {
                    for u in 0..columns {
                        for t in 0..rows {
                            fill_wire(
                                &mut wires[u * rows + t],
                                &self.columns[t][j0 + u..j0 + u + m],
                            );
                        }
                    }
                }
                Shape::Values(k) => {
                    for (e, wire) in wires[..k].iter_mut().enumerate() {
                        fill_wire(wire, &window.tap_run(e, n)[j0..j0 + m]);
                    }
                }
            }
            self.network.run(wires);
            for (o, &v) in out[j0..j0 + m].iter_mut().zip(&wires[self.network.output]) {
                // scipy's `(type)NI_Select(...)`.
                *o = T::from_f64(v.to_f64()).to_f64();
            }
        }
    }
}

/// `out[t][c]` = the t-th smallest of `a[c], b[c], c[c]`, for every position.
fn sort3<T: Native>(a: &[T], b: &[T], c: &[T], out: &mut [Vec<T>]) {
    let len = a.len();
    for o in out.iter_mut() {
        o.resize(len, T::default());
    }
    let [lo, mid, hi] = out else { return };
    for (((((&x, &y), &z), l), m), h) in a
        .iter()
        .zip(b)
        .zip(c)
        .zip(lo.iter_mut())
        .zip(mid.iter_mut())
        .zip(hi.iter_mut())
    {
        let (p, q) = if y < x { (y, x) } else { (x, y) };
        let (q, r) = if z < q { (z, q) } else { (q, z) };
        let (p, q) = if q < p { (q, p) } else { (p, q) };
        *l = p;
        *m = q;
        *h = r;
    }
}

/// The median of each 3x3 window from the sorted columns `s[0] <= s[1] <= s[2]` (of
/// `out.len() + 2` positions): the median of (the largest column minimum, the median of the
/// column medians, the smallest column maximum), an identity of the median of nine. Every
/// step is an elementwise minimum or maximum over whole rows.
fn median9<T: Native>(s: &[Vec<T>], out: &mut [f64]) {
    #[inline(always)]
    fn min<T: PartialOrd>(a: T, b: T) -> T {
        if b < a {
            b
        } else {
            a
        }
    }
    #[inline(always)]
    fn max<T: PartialOrd>(a: T, b: T) -> T {
        if b > a {
            b
        } else {
            a
        }
    }
    #[inline(always)]
    fn med3<T: PartialOrd + Copy>(a: T, b: T, c: T) -> T {
        max(min(a, b), min(max(a, b), c))
    }
    let n = out.len();
    let (lo, mid, hi) = (&s[0][..n + 2], &s[1][..n + 2], &s[2][..n + 2]);
    for (j, o) in out.iter_mut().enumerate() {
        let a = max(max(lo[j], lo[j + 1]), lo[j + 2]);
        let b = med3(mid[j], mid[j + 1], mid[j + 2]);
        let c = min(min(hi[j], hi[j + 1]), hi[j + 2]);
        // scipy's `(type)NI_Select(...)`.
        *o = T::from_f64(med3(a, b, c).to_f64()).to_f64();
    }
}

/// Loads one wire of a network chunk from `from` (a whole chunk, or the last part of a line:
/// then the rest repeats its last value).
#[inline(always)]
fn fill_wire<T: Copy, const C: usize>(wire: &mut [T; C], from: &[T]) {
    if let Ok(full) = <&[T; C]>::try_from(from) {
        *wire = *full;
    } else {
        wire[..from.len()].copy_from_slice(from);
        wire[from.len()..].fill(from[from.len() - 1]);
    }
}

/// The n-dimensional path over a footprint of the input's rank.
#[allow(clippy::too_many_arguments)]
fn select_nd(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    footprint: &Footprint,
    origins: &[isize],
    mode: Mode,
    cval: f64,
    selection: Selection,
    rank: usize,
    options: &OrderOptions,
    name: &str,
) -> Result<(), Error> {
    let threads = options.threads.resolve()?;
    let source = Source::new(input.clone(), output.byte_range())?;
    let walk = Walk {
        footprint,
        origins,
        mode,
        cval,
        store: StoreRule::TruncateNegating,
        name,
    };
    let kernels = SelectKernels {
        selection,
        rank,
        nan: options.nan_policy,
    };
    match NetworkKernels::new(footprint, kernels) {
        Some(fast) => neighbourhood::walk_native(&source.view(), output, &walk, threads, &fast),
        None => neighbourhood::walk_native(&source.view(), output, &walk, threads, &kernels),
    }
}

// -----------------------------------------------------------------------------------------
// The 1-D path: scipy's double heap (the "Mediator")
// -----------------------------------------------------------------------------------------

/// scipy's `Mediator`: `w` values in a circular buffer, kept as a max-heap (slots `-rank ..
/// -1`), the rank slot 0, and a min-heap (slots `1 .. w - rank - 1`) of buffer indices. The
/// value at slot 0 is the rank-th smallest (for values with a total order).
struct Mediator<W> {
    data: Vec<W>,
    /// Slot of each buffer index.
    pos: Vec<isize>,
    /// Buffer index at slot `s`, stored at `s + rank`.
    heap: Vec<usize>,
    rank: isize,
    next: usize,
    min_count: isize,
    max_count: isize,
}

impl<W: Native> Mediator<W> {
    fn new(w: usize, rank: usize) -> Self {
        let mut m = Mediator {
            data: vec![W::default(); w],
            pos: vec![0; w],
            heap: vec![0; w],
            rank: rank as isize,
            next: 0,
            min_count: w as isize - rank as isize - 1,
            max_count: rank as isize,
        };
        for b in 0..w {
            let slot = b as isize - m.rank;
            m.pos[b] = slot;
            m.heap[(slot + m.rank) as usize] = b;
        }
        m
    }

    #[inline(always)]
    fn item(&self, slot: isize) -> usize {
        self.heap[(slot + self.rank) as usize]
    }

    #[inline(always)]
    fn less(&self, i: isize, j: isize) -> bool {
        self.data[self.item(i)] < self.data[self.item(j)]
    }

    #[inline(always)]
    fn exchange(&mut self, i: isize, j: isize) {
        let (a, b) = ((i + self.rank) as usize, (j + self.rank) as usize);
        self.heap.swap(a, b);
        let (hi, hj) = (self.heap[a], self.heap[b]);
        self.pos[hi] = i;
        self.pos[hj] = j;
    }

    /// Swaps the items of slots `i` and `j` if `i`'s is less; whether it did.
    #[inline(always)]
    fn compare_exchange(&mut self, i: isize, j: isize) -> bool {
        if self.less(i, j) {
            self.exchange(i, j);
            true
        } else {
            false
        }
    }

    fn min_sort_down(&mut self, i: isize) {
        let mut i = i * 2;
        while i <= self.min_count {
            if i < self.min_count && self.less(i + 1, i) {
                i += 1;
            }
            if !self.compare_exchange(i, i / 2) {
                break;
            }
            i *= 2;
        }
    }

    fn max_sort_down(&mut self, i: isize) {
        let mut i = i * 2;
        while i >= -self.max_count {
            if i > -self.max_count && self.less(i, i - 1) {
                i -= 1;
            }
            if !self.compare_exchange(i / 2, i) {
                break;
            }
            i *= 2;
        }
    }

    fn min_sort_up(&mut self, mut i: isize) -> bool {
        while i > 0 && self.compare_exchange(i, i / 2) {
            i /= 2;
        }
        i == 0
    }

    fn max_sort_up(&mut self, mut i: isize) -> bool {
        while i < 0 && self.compare_exchange(i / 2, i) {
            i /= 2;
        }
        i == 0
    }

    /// Replaces the oldest value by `v` (scipy's `MediatorInsert`).
    fn insert(&mut self, v: W) {
        let p = self.pos[self.next];
        let old = self.data[self.next];
        self.data[self.next] = v;
        self.next += 1;
        if self.next == self.data.len() {
            self.next = 0;
        }
        if p > 0 {
            if v > old {
                self.min_sort_down(p);
                return;
            }
            if self.min_sort_up(p) && self.compare_exchange(0, -1) {
                self.max_sort_down(-1);
            }
        } else if p < 0 {
            if v < old {
                self.max_sort_down(p);
                return;
            }
            if self.max_sort_up(p) && self.compare_exchange(1, 0) {
                self.min_sort_down(1);
            }
        } else {
            if self.max_sort_up(-1) {
                self.max_sort_down(-1);
            }
            if self.min_sort_up(1) {
                self.min_sort_down(1);
            }
        }
    }

    fn value(&self) -> W {
        self.data[self.item(0)]
    }
}

/// The geometry of scipy's 1-D path for a line of `n` samples and a window of `w`: `lim`
/// samples after each element, and where its stream of values starts.
#[derive(Clone, Copy, Debug)]
struct Stream {
    w: usize,
    lim: usize,
    /// Samples of the extended line before position 0 (`w - lim`, one more than the window
    /// reaches: scipy's stream starts one sample early, except for `wrap` with odd `w`).
    before: usize,
    /// Where the stream starts in the extended line (0 or 1).
    skip: usize,
}

impl Stream {
    /// scipy's 1-D path, when it reads only inside the line (`None` otherwise: scipy reads
    /// out of bounds there, and the n-dimensional path computes the correct result). `n == 1`
    /// with the window reaching past the line is its special case, handled by the caller.
    fn new(n: usize, w: usize, origin: isize, mode: Mode) -> Option<Stream> {
        let lim = (w as isize - 1) / 2 - origin;
        if lim < 0 || lim as usize > n {
            return None;
        }
        let lim = lim as usize;
        let before = w - lim;
        let wrap = matches!(mode, Mode::Wrap | Mode::GridWrap);
        let skip = usize::from(wrap && w % 2 == 1);
        let fits = match mode {
            Mode::Reflect | Mode::GridMirror => before <= n,
            Mode::Mirror => before < n && lim < n,
            Mode::Wrap | Mode::GridWrap => before - skip <= n,
            Mode::Nearest | Mode::Constant | Mode::GridConstant => true,
        };
        fits.then_some(Stream {
            w,
            lim,
            before,
            skip,
        })
    }
}

/// The kernels of the 1-D path: lines in scipy's work type ([`Native::Wide`]: int64 for
/// bool and narrow integers, uint64 ranked natively), fed through the [`Mediator`].
struct MediatorKernels {
    stream: Stream,
    rank: usize,
    selection: Selection,
    mode: Mode,
    cval: f64,
    nan: NanPolicy,
}

impl NativeLineKernels for MediatorKernels {
    type Out<T: Native> = T::Wide;
    fn make<T: Native>(&self) -> impl NativeLineKernel<T, T::Wide> {
        MediatorKernel::<T::Wide> {
            stream: self.stream,
            rank: self.rank,
            selection: self.selection,
            mode: self.mode,
            // scipy's `input_type(cval)` for the work type: int64 truncates toward zero.
            cval: <T::Wide as Native>::from_f64(self.cval),
            nan: self.nan,
            line: Vec::new(),
            window: Vec::new(),
        }
    }
}

struct MediatorKernel<W> {
    stream: Stream,
    rank: usize,
    selection: Selection,
    mode: Mode,
    cval: W,
    nan: NanPolicy,
    line: Vec<W>,
    window: Vec<W>,
}

impl<T: Native> NativeLineKernel<T, T::Wide> for MediatorKernel<T::Wide> {
    fn block(&mut self, block: NativeBlock<'_, T, T::Wide>) {
        let NativeBlock {
            input,
            output,
            n,
            lanes,
            layout,
        } = block;
        debug_assert_eq!(layout, BlockLayout::Lines);
        let Stream {
            w,
            lim,
            before,
            skip,
        } = self.stream;
        let ext = n + w;
        self.line.resize(ext, Default::default());
        for b in 0..lanes {
            let (line, out) = (&input[b * n..(b + 1) * n], &mut output[b * n..(b + 1) * n]);
            for (e, &v) in self.line[before..before + n].iter_mut().zip(line) {
                *e = v.widen();
            }
            extend_line(&mut self.line, before, n, self.mode, self.cval);
            let exact =
                self.nan == NanPolicy::Scipy || !self.line.iter().any(|&v| super::order::is_nan(v));
            if exact {
                let mut m = Mediator::new(w, self.rank);
                let mut o = 0;
                for (p, &v) in self.line.iter().enumerate().skip(skip) {
                    m.insert(v);
                    // Position p - before of the line; output i follows position i + lim.
                    if p >= before + lim {
                        out[o] = m.value();
                        o += 1;
                    }
                }
                debug_assert_eq!(o, n);
                continue;
            }
            // A NaN under a NaN policy: each window on its own.
            for (i, o) in out.iter_mut().enumerate() {
                self.window.clear();
                self.window.extend_from_slice(&self.line[i + 1..i + 1 + w]);
                *o = match self.nan {
                    NanPolicy::Propagate => {
                        match self.window.iter().find(|&&v| super::order::is_nan(v)) {
                            Some(&nan) => nan,
                            None => select(&mut self.window, self.rank),
                        }
                    }
                    _ => select_omitting_nan(&mut self.window, self.selection),
                };
            }
        }
    }
}

/// scipy's 1-D path, run when `Stream::new` accepts the line (or for the one-element line):
/// results in the work type, stored into the output by NumPy's casting (as scipy's `copyto`).
#[allow(clippy::too_many_arguments)]
fn select_1d(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    stream: Option<Stream>,
    mode: Mode,
    cval: f64,
    selection: Selection,
    rank: usize,
    w: usize,
    options: &OrderOptions,
) -> Result<(), Error> {
    let threads = options.threads.resolve()?;
    let source = Source::new(input.clone(), output.byte_range())?;
    let stream = match stream {
        Some(s) => s,
        None => {
            // One sample and a window reaching past it: every window value is the sample,
            // or cval but for one (constant); the rank lies strictly inside the window.
            let constant = matches!(mode, Mode::Constant | Mode::GridConstant) && w > 1;
            return copy_or_fill(&source.view(), output, constant.then_some(cval), threads);
        }
    };
    let kernels = MediatorKernels {
        stream,
        rank,
        selection,
        mode,
        cval,
        nan: options.nan_policy,
    };
    let pass = NativePass {
        axis: 0,
        pad: Pad::NONE,
        interleaved: false,
    };
    filter_native(Some(&source.view()), output, &pass, threads, &kernels)
}

/// The one-element 1-D case: the sample, or `cval` in the work type.
fn copy_or_fill(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    fill: Option<f64>,
    threads: usize,
) -> Result<(), Error> {
    struct Fill(Option<f64>);
    impl NativeLineKernels for Fill {
        type Out<T: Native> = T::Wide;
        fn make<T: Native>(&self) -> impl NativeLineKernel<T, T::Wide> {
            let fill = self.0.map(<T::Wide as Native>::from_f64);
            move |block: NativeBlock<'_, T, T::Wide>| {
                for (o, &v) in block.output.iter_mut().zip(block.input) {
                    *o = fill.unwrap_or(v.widen());
                }
            }
        }
    }
    let pass = NativePass {
        axis: 0,
        pad: Pad::NONE,
        interleaved: false,
    };
    filter_native(Some(input), output, &pass, threads, &Fill(fill))
}

// -----------------------------------------------------------------------------------------
// The functions
// -----------------------------------------------------------------------------------------

fn rank_nd<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    neighbourhood: &Neighbourhood,
    selection: Selection,
    options: &OrderOptions,
    name: &str,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    args::same_shape(&input, &output)?;
    if input.dtype().is_complex() || output.dtype().is_complex() {
        return Err(Error::InvalidArray("Complex type not supported".into()));
    }
    let full = neighbourhood.expanded(input.rank())?;
    let k = full.footprint.count();
    let rank = selection.rank(k)?;
    if rank == 0 || rank == k - 1 {
        // scipy's rank_filter hands these to minimum_filter / maximum_filter, with the
        // expanded footprint over every axis (separable when it is a box).
        let extreme = if rank == 0 {
            Extreme::Min
        } else {
            Extreme::Max
        };
        let name = if rank == 0 {
            "minimum_filter"
        } else {
            "maximum_filter"
        };
        return match full.resolve(input.rank())? {
            Resolved::Separable(passes) => separable_extreme(
                &input,
                &mut output,
                &passes,
                full.cval,
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
                full.cval,
                None,
                extreme,
                options,
                name,
            ),
        };
    }
    let mode = match full.modes.split_first() {
        Some((&m, rest)) if rest.iter().all(|&r| r == m) => m,
        _ => {
            return Err(Error::InvalidArgument(
                "A sequence of modes is not supported by non-separable rank filters".into(),
            ))
        }
    };
    if output.is_empty() {
        return Ok(());
    }
    let fp = &full.footprint;
    if input.rank() == 1 {
        let (n, w, origin) = (input.shape()[0], fp.shape()[0], full.origins[0]);
        let holes = fp.count() != w;
        let lim2 = n as isize - ((w as isize - 1) / 2 - origin);
        if !holes && (lim2 >= 0 || n == 1) {
            let stream = Stream::new(n, w, origin, mode);
            // (Under a NaN policy the one-sample case is the n-dimensional path's.)
            let special = lim2 < 0 && options.nan_policy == NanPolicy::Scipy;
            if stream.is_some() || special {
                return select_1d(
                    &input,
                    &mut output,
                    stream,
                    mode,
                    full.cval,
                    selection,
                    rank,
                    w,
                    options,
                );
            }
        }
    }
    select_nd(
        &input,
        &mut output,
        fp,
        &full.origins,
        mode,
        full.cval,
        selection,
        rank,
        options,
        name,
    )
}

/// scipy.ndimage.rank_filter: the `rank`-th smallest value (negative: counted from the
/// largest, `-1` the largest) of the input under `neighbourhood`'s footprint.
///
/// As scipy: rank 0 is [`crate::minimum_filter`] and the largest rank
/// [`crate::maximum_filter`] (with the footprint over every axis: separable when it is a
/// box). Other ranks take one mode for every axis; 1-D inputs take scipy's double-heap path
/// where it reads only inside the line and the footprint has no holes (in int64 for bool and
/// integers, uint64 for uint64, float32, float64; results converted to the output's type by
/// NumPy's casting), every other case scipy's quickselect over the footprint's values (in
/// the input's type, `cval` cast to it; results stored with the n-dimensional filter rule).
/// Any real element types; an input sharing memory with the output is copied first.
///
/// Memory: per thread, one row buffer per footprint row and one window.
pub fn rank_filter<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    rank: isize,
    neighbourhood: &Neighbourhood,
    options: &OrderOptions,
) -> Result<(), Error> {
    rank_nd(
        input,
        output,
        neighbourhood,
        Selection::Rank(rank),
        options,
        "rank_filter",
    )
}

/// scipy.ndimage.median_filter: [`rank_filter`] with rank `k / 2` of the footprint's `k`
/// selected elements (the upper median when `k` is even; no averaging).
pub fn median_filter<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    neighbourhood: &Neighbourhood,
    options: &OrderOptions,
) -> Result<(), Error> {
    rank_nd(
        input,
        output,
        neighbourhood,
        Selection::Median,
        options,
        "median_filter",
    )
}

/// scipy.ndimage.percentile_filter: [`rank_filter`] with the rank of `percentile` in
/// `[-100, 100]` (negative: `+ 100`): `k - 1` at 100, else `trunc(k * p / 100)`.
pub fn percentile_filter<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    percentile: f64,
    neighbourhood: &Neighbourhood,
    options: &OrderOptions,
) -> Result<(), Error> {
    if percentile.is_nan() {
        return Err(Error::InvalidArgument("invalid percentile".into()));
    }
    rank_nd(
        input,
        output,
        neighbourhood,
        Selection::Percentile(percentile),
        options,
        "percentile_filter",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_ranks() {
        assert_eq!(Selection::Median.rank(9).unwrap(), 4);
        assert_eq!(Selection::Median.rank(4).unwrap(), 2);
        assert_eq!(Selection::Rank(-1).rank(5).unwrap(), 4);
        assert!(Selection::Rank(5).rank(5).is_err());
        assert_eq!(Selection::Percentile(20.0).rank(25).unwrap(), 5);
        assert_eq!(Selection::Percentile(100.0).rank(25).unwrap(), 24);
        assert_eq!(Selection::Percentile(-50.0).rank(10).unwrap(), 5);
        assert!(Selection::Percentile(100.5).rank(10).is_err());
        assert_eq!(Selection::Median.rank_among(3), Some(1));
        assert_eq!(Selection::Rank(3).rank_among(3), None);
        assert_eq!(Selection::Rank(-1).rank_among(2), Some(1));
        assert_eq!(Selection::Rank(-3).rank_among(2), None);
    }

    #[test]
    fn quickselect_finds_order_statistics() {
        let values = [5.0, 1.0, 4.0, 1.0, 3.0, 9.0, 2.0, 6.0];
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        for (r, &want) in sorted.iter().enumerate() {
            assert_eq!(select(&mut values.to_vec(), r), want);
        }
        // With NaN it terminates and returns some value of the buffer.
        let mut buf = [f64::NAN, 1.0, f64::NAN, 0.5];
        let v = select(&mut buf, 2);
        assert!(v.is_nan() || v == 1.0 || v == 0.5);
    }

    #[test]
    fn median_of_nine_from_sorted_columns() {
        let mut seed = 3u64;
        for _ in 0..2000 {
            let v: Vec<i32> = (0..9)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                    ((seed >> 33) % 6) as i32
                })
                .collect();
            // Columns u = 0..3 of rows t = 0..3, each sorted.
            let mut s = vec![vec![0i32; 3]; 3];
            for u in 0..3 {
                let mut col = [v[u], v[3 + u], v[6 + u]];
                col.sort();
                for t in 0..3 {
                    s[t][u] = col[t];
                }
            }
            let mut out = [0.0];
            median9(&s, &mut out);
            let mut sorted = v.clone();
            sorted.sort();
            assert_eq!(out[0], sorted[4] as f64, "{v:?}");
        }
    }

    #[test]
    fn mediator_tracks_the_rank() {
        // Rank 2 of windows of 5 over a stream: the median of the last five values.
        let stream = [3i64, 9, 1, 7, 5, 2, 8, 6, 4, 0];
        let mut m = Mediator::new(5, 2);
        for (t, &v) in stream.iter().enumerate() {
            m.insert(v);
            if t >= 4 {
                let mut w = stream[t - 4..=t].to_vec();
                w.sort();
                assert_eq!(m.value(), w[2], "at {t}");
            }
        }
    }

    #[test]
    fn stream_geometry_is_scipys() {
        // n = 3, w = 7, origin 2 reflect: the left extension is longer than the line.
        assert!(Stream::new(3, 7, 2, Mode::Reflect).is_none());
        let s = Stream::new(10, 5, 0, Mode::Wrap).unwrap();
        assert_eq!((s.lim, s.before, s.skip), (2, 3, 1));
        let s = Stream::new(10, 4, 0, Mode::Wrap).unwrap();
        assert_eq!((s.lim, s.before, s.skip), (1, 3, 0));
        assert!(Stream::new(1, 4, 0, Mode::Mirror).is_none());
    }
}
