//! The neighbourhood walk: for every output element, the input values under a footprint placed
//! there (scipy's `NI_InitFilterOffsets` / `NI_FILTER_NEXT`), handed to a [`WindowKernel`] one
//! output line at a time.
//!
//! The footprint is split into rows along the last axis. For each output line, every footprint
//! row is an extended copy of one input line (a *row slot*), and the window of output position
//! `j` is a gather at fixed offsets from those rows. Consecutive output lines share most of
//! their rows, so a row already in a slot is used where it is. Inputs whose last axis is not
//! the contiguous one (a transposed array) take output lines a block at a time along the axis
//! before it and read the rows together, in memory order.
//!
//! Rows hold `f64` (any element type converted: `generic_filter`, correlate) or the input's own
//! element type (scipy compares in the input type for minimum/maximum, rank filters and grey
//! morphology; and uint8 rows are 1 byte per value).

#![forbid(unsafe_code)]

use super::footprint::Footprint;
use crate::args;
use crate::array::dtype::{with_native, Native};
use crate::array::gather::Gather;
use crate::array::{advance, ArrayMut, ArrayRef, StoreRule};
use crate::boundary::{extend_line, map_index, Mode};
use crate::error::{try_vec, CallbackError, Error};
use crate::parallel::{for_each_part, run_here, Stop};

/// The windows of one output line, as the kernel sees them: window value `k` (footprint
/// element `k` among the selected ones, in C order of the footprint) of output position `j` is
/// `rows[base + offsets[k] + j]`.
pub struct Window<'w, T> {
    rows: &'w [T],
    base: usize,
    gather: &'w Gather,
    n: usize,
}

impl<'w, T: Copy> Window<'w, T> {
    /// Number of values in each window.
    pub fn len(&self) -> usize {
        self.gather.len()
    }

    pub fn is_empty(&self) -> bool {
        self.gather.is_empty()
    }

    /// Number of output positions on the line.
    pub fn positions(&self) -> usize {
        self.n
    }

    /// The window of position `j`, gathered into `out` (of [`Window::len`] values).
    #[inline]
    pub fn gather(&self, j: usize, out: &mut [T]) {
        self.gather.gather(self.rows, self.base + j, out)
    }

    /// For each position `j` of the line in order, its window gathered into `buffer` (of
    /// [`Window::len`] values) and `f(j, buffer)`; stops at the first error (bounds checked once
    /// for the line, not per window).
    #[inline]
    pub fn each<E>(
        &self,
        buffer: &mut [T],
        f: impl FnMut(usize, &mut [T]) -> Result<(), E>,
    ) -> Result<(), E> {
        self.gather
            .for_each_window(self.rows, self.base, self.n, buffer, f)
    }

    /// The values window element `k` takes at positions `0 .. len` (`len` may exceed the
    /// number of positions while it stays within that element's extended row: for kernels
    /// that share work between neighbouring windows). Panics beyond the row buffers.
    pub fn tap_run(&self, k: usize, len: usize) -> &'w [T] {
        let start = self.base + self.gather.offsets()[k];
        &self.rows[start..start + len]
    }

    /// Every value the windows of this line can read: the row buffers from the smallest to
    /// the largest offset (for checks on the data before choosing an algorithm).
    pub fn span(&self) -> &'w [T] {
        let offsets = self.gather.offsets();
        let Some(&lo) = offsets.iter().min() else {
            return &[];
        };
        &self.rows[self.base + lo..self.base + self.gather.max() + self.n]
    }

    /// The windows of positions `j .. j + count`, gathered one after another into `out`
    /// (`count` × [`Window::len`] values), with one bounds check for them all.
    #[inline]
    pub fn gather_run(&self, j: usize, count: usize, out: &mut [T]) {
        assert!(j + count <= self.n, "positions beyond the line");
        self.gather.gather_run(self.rows, self.base + j, count, out)
    }

    /// For each window element `k` in order, the values it takes along the line: slice `k`
    /// holds element `k` of the windows of positions `0 .. n`. For kernels that sweep the
    /// line once per footprint element (each output's operations stay in footprint order).
    pub fn taps(&self) -> impl Iterator<Item = &'w [T]> + '_ {
        self.gather
            .offsets()
            .iter()
            .map(move |&o| &self.rows[self.base + o..self.base + o + self.n])
    }
}

/// What a neighbourhood filter computes: the results of one output line from its windows.
pub trait WindowKernel<T> {
    /// Fills `out` (one value per position of the line). On failure at position `j`, returns
    /// `j` and the error with `out[..j]` filled.
    fn line(
        &mut self,
        window: &Window<'_, T>,
        out: &mut [f64],
    ) -> Result<(), (usize, CallbackError)>;
}

/// The footprint, origins and boundary handling of one neighbourhood walk.
#[derive(Clone, Copy, Debug)]
pub struct Walk<'w> {
    pub footprint: &'w Footprint,
    /// One per axis (empty: all zero). Footprint element `k` on an axis of extent `fs` reads
    /// input position `i + k - (fs / 2 + origin)`.
    pub origins: &'w [isize],
    pub mode: Mode,
    /// The value outside the input in the constant modes. Native rows hold it converted to
    /// the input's type as a C cast would (scipy's `(type)cval`).
    pub cval: f64,
    pub store: StoreRule,
    /// The function's name, for the error of a failing kernel.
    pub name: &'w str,
}

/// Runs `make()`'s kernel, over rows of `f64`, for every line of `output` on `threads`
/// threads (`make` is called once per part of the work).
pub fn walk<M, K>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    walk: &Walk<'_>,
    threads: usize,
    make: M,
) -> Result<(), Error>
where
    M: Fn() -> K + Sync,
    K: WindowKernel<f64>,
{
    let plan = Plan::new(input, output, walk, false)?;
    plan.run_f64(input, output, threads, make)
}

/// [`walk`] on the calling thread with one kernel (which need not be `Sync`); the kernel sees
/// the output lines in C order.
pub fn walk_here<K: WindowKernel<f64>>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    walk: &Walk<'_>,
    kernel: K,
) -> Result<(), Error> {
    let plan = Plan::new(input, output, walk, false)?;
    plan.run_f64_here(input, output, kernel)
}

/// [`walk`] for an output smaller than the input (each axis at most the input's, the same
/// rank): output element `i` is the window placed at input position `i`, so only the windows
/// of the input's leading box `0 .. output.shape()` are computed. With origins that put every
/// such window inside the input (`fs / 2 + origin = 0` and an output of `n - fs + 1`), this is
/// scipy's `vectorized_filter(mode='valid')`: the boundary mode is never consulted.
pub fn walk_leading<M, K>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    walk: &Walk<'_>,
    threads: usize,
    make: M,
) -> Result<(), Error>
where
    M: Fn() -> K + Sync,
    K: WindowKernel<f64>,
{
    let plan = Plan::new(input, output, walk, true)?;
    plan.run_f64(input, output, threads, make)
}

/// [`walk_leading`] on the calling thread with one kernel, output lines in C order.
pub fn walk_leading_here<K: WindowKernel<f64>>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    walk: &Walk<'_>,
    kernel: K,
) -> Result<(), Error> {
    let plan = Plan::new(input, output, walk, true)?;
    plan.run_f64_here(input, output, kernel)
}

/// A kernel for every element type, made for each part of the work: what [`walk_native`] runs.
pub trait NativeKernels: Sync {
    /// The kernel for rows of element type `T`.
    fn make<T: Native>(&self) -> impl WindowKernel<T>;
}

/// [`walk`] over rows of the input's own element type (`make.make::<T>()` for input type `T`).
pub fn walk_native<M: NativeKernels>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    walk: &Walk<'_>,
    threads: usize,
    make: &M,
) -> Result<(), Error> {
    let plan = Plan::new(input, output, walk, false)?;
    with_native!(input.dtype(), T => {
        let rows = AsNative(input);
        let cval = T::from_f64(walk.cval);
        for_each_part(output, Some(plan.last), threads, |part, axis, start, stop| {
            plan.run_part(&rows, cval, part, axis, start, &mut make.make::<T>(), stop)
        })
    })
}

/// How rows are read from the input: converted to `f64`, or in the element's own type.
trait RowReader<T> {
    fn shape(&self) -> &[usize];
    fn strides(&self) -> &[isize];
    /// Elements `from .. from + out.len()` of the line through `index` along `axis`.
    fn run(&self, index: &[usize], axis: usize, from: usize, out: &mut [T]);
    /// Whole lines along `axis` at consecutive indices of `lane_axis`, one after another.
    fn lines(&self, index: &[usize], axis: usize, lane_axis: usize, out: &mut [T]);
}

struct AsF64<'r, 'a>(&'r ArrayRef<'a>);
struct AsNative<'r, 'a>(&'r ArrayRef<'a>);

impl RowReader<f64> for AsF64<'_, '_> {
    fn shape(&self) -> &[usize] {
        self.0.shape()
    }
    fn strides(&self) -> &[isize] {
        self.0.layout().strides()
    }
    fn run(&self, index: &[usize], axis: usize, from: usize, out: &mut [f64]) {
        self.0.read_run(index, axis, from, out)
    }
    fn lines(&self, index: &[usize], axis: usize, lane_axis: usize, out: &mut [f64]) {
        self.0.read_lines(index, axis, Some(lane_axis), out)
    }
}

impl<T: Native> RowReader<T> for AsNative<'_, '_> {
    fn shape(&self) -> &[usize] {
        self.0.shape()
    }
    fn strides(&self) -> &[isize] {
        self.0.layout().strides()
    }
    fn run(&self, index: &[usize], axis: usize, from: usize, out: &mut [T]) {
        self.0.read_run_as(index, axis, from, out)
    }
    fn lines(&self, index: &[usize], axis: usize, lane_axis: usize, out: &mut [T]) {
        self.0.read_lines_as(index, axis, Some(lane_axis), out)
    }
}

/// Maps `index + offsets` (on the first `offsets.len()` axes) into the input through `mode`,
/// writing `source`; `false` when the position is outside (the constant modes).
fn source_index(
    index: &[usize],
    offsets: &[isize],
    shape: &[usize],
    mode: Mode,
    source: &mut [usize],
) -> bool {
    offsets.iter().enumerate().all(|(a, &o)| {
        match map_index(index[a] as isize + o, shape[a], mode) {
            Some(j) => {
                source[a] = j;
                true
            }
            None => false,
        }
    })
}

/// What a row buffer holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Empty,
    /// An extended input row.
    Row,
    /// cval everywhere (a row outside the input in the constant modes).
    Cval,
}

/// What the walk precomputes from its arguments: the footprint split into rows along the last
/// axis, and where each window value is gathered from.
struct Plan<'w> {
    walk: Walk<'w>,
    last: usize,
    /// Samples of the extended line before position 0, per axis.
    before: Vec<usize>,
    /// Per footprint row with selected elements: its offset on the axes before the last.
    row_offsets: Vec<Vec<isize>>,
    /// Per window value: its footprint row and its position in that row's extended line.
    taps: Vec<(usize, usize)>,
    /// Length of one extended row line.
    width: usize,
}

impl<'w> Plan<'w> {
    /// `leading`: the output may be smaller than the input (see [`walk_leading`]).
    fn new(
        input: &ArrayRef<'_>,
        output: &ArrayMut<'_>,
        walk: &Walk<'w>,
        leading: bool,
    ) -> Result<Self, Error> {
        if leading {
            args::within_shape(input, output)?;
        } else {
            args::same_shape(input, output)?;
        }
        args::real(input.dtype(), "input")?;
        args::real(output.dtype(), "output")?;
        let shape = input.shape();
        let rank = shape.len();
        let footprint = walk.footprint;
        if footprint.rank() != rank {
            return Err(Error::ShapeMismatch(format!(
                "footprint rank {} differs from input rank {rank}",
                footprint.rank()
            )));
        }
        let origins = args::origins(walk.origins, rank)?;
        let fshape = footprint.shape();
        let before: Vec<usize> = (0..rank)
            .map(|a| args::samples_before(fshape[a], origins[a], a))
            .collect::<Result<_, _>>()?;
        let last = rank - 1;
        let width = shape[last]
            .checked_add(fshape[last] - 1)
            .ok_or_else(|| Error::InvalidArgument("footprint size overflows".into()))?;
        let mut row_offsets: Vec<Vec<isize>> = Vec::new();
        let mut taps: Vec<(usize, usize)> = Vec::new();
        taps.try_reserve_exact(footprint.count()).map_err(|_| {
            Error::OutOfMemory(format!(
                "cannot allocate the taps of a footprint of {} elements",
                footprint.count()
            ))
        })?;
        let mut fidx = vec![0usize; rank];
        for row in footprint.mask().chunks(fshape[last]) {
            if row.iter().any(|&b| b) {
                let r = row_offsets.len();
                row_offsets.push(
                    (0..last)
                        .map(|a| fidx[a] as isize - before[a] as isize)
                        .collect(),
                );
                taps.extend(
                    row.iter()
                        .enumerate()
                        .filter(|(_, &b)| b)
                        .map(|(k, _)| (r, k)),
                );
            }
            advance(&mut fidx, fshape, Some(last));
        }
        Ok(Plan {
            walk: *walk,
            last,
            before,
            row_offsets,
            taps,
            width,
        })
    }

    /// The walk over rows of `f64` on `threads` threads.
    fn run_f64<M, K>(
        &self,
        input: &ArrayRef<'_>,
        output: &mut ArrayMut<'_>,
        threads: usize,
        make: M,
    ) -> Result<(), Error>
    where
        M: Fn() -> K + Sync,
        K: WindowKernel<f64>,
    {
        let rows = AsF64(input);
        let cval = self.walk.cval;
        for_each_part(
            output,
            Some(self.last),
            threads,
            |part, axis, start, stop| {
                self.run_part(&rows, cval, part, axis, start, &mut make(), stop)
            },
        )
    }

    /// The walk over rows of `f64` on the calling thread, output lines in C order.
    fn run_f64_here<K: WindowKernel<f64>>(
        &self,
        input: &ArrayRef<'_>,
        output: &mut ArrayMut<'_>,
        mut kernel: K,
    ) -> Result<(), Error> {
        run_here(output.layout().len() as u64, |stop| {
            self.run_part(
                &AsF64(input),
                self.walk.cval,
                output,
                0,
                0,
                &mut kernel,
                stop,
            )
        })
    }

    /// Filters the part of the output whose indices along `axis` start at `start` (never the
    /// last axis: its lines are whole).
    #[allow(clippy::too_many_arguments)]
    fn run_part<T, R, K>(
        &self,
        input: &R,
        cval: T,
        part: &mut ArrayMut<'_>,
        axis: usize,
        start: usize,
        kernel: &mut K,
        stop: &Stop,
    ) -> Result<(), Error>
    where
        T: Copy + Default,
        R: RowReader<T>,
        K: WindowKernel<T>,
    {
        if part.is_empty() {
            return Ok(());
        }
        let strides = input.strides();
        let rank = strides.len();
        if rank >= 2 && strides[rank - 2].unsigned_abs() < strides[rank - 1].unsigned_abs() {
            // Rows along the last axis are scattered in memory (a transposed input, say):
            // read them in blocks along the axis before it.
            return self.run_part_blocked(input, cval, part, axis, start, kernel, stop);
        }
        let shape = input.shape();
        let mode = self.walk.mode;
        let part_shape = part.shape().to_vec();
        let last = self.last;
        // Input samples per row, and output positions per line (fewer in a leading walk).
        let (n, n_out) = (shape[last], part_shape[last]);
        let (before, width) = (self.before[last], self.width);
        let rows = self.row_offsets.len();
        let rows_len = rows
            .checked_mul(width)
            .ok_or_else(|| Error::OutOfMemory("footprint rows overflow".into()))?;
        let mut lines = try_vec(rows_len, T::default(), "the footprint's row buffers")?;
        let mut results = try_vec(n_out, 0.0f64, "a line buffer")?;
        let mut index = vec![0usize; rank];
        let mut global = vec![0usize; rank];
        let mut source = vec![0usize; rank];
        // The row buffers are slots: consecutive output lines share most of their source
        // rows, so a row already in a slot is used where it is instead of read again. A
        // slot holds nothing, the extended input row at `slot_source`, or cval everywhere.
        let mut slot_state = vec![Slot::Empty; rows];
        let mut slot_source = vec![0usize; rows * last];
        let mut row_slot = vec![usize::MAX; rows];
        let mut slot_used = vec![false; rows];
        let mut gather = Gather::new(self.taps.iter().map(|&(r, k)| r * width + k).collect());
        loop {
            if stop.tick(n_out as u64) {
                return Ok(());
            }
            global.copy_from_slice(&index);
            global[axis] += start;
            // Rows already in a slot: usually where the previous line had the next row.
            slot_used.fill(false);
            for (r, offsets) in self.row_offsets.iter().enumerate() {
                let inside = source_index(&global, offsets, shape, mode, &mut source);
                let holds = |s: usize| match slot_state[s] {
                    Slot::Empty => false,
                    Slot::Cval => !inside,
                    Slot::Row => inside && slot_source[s * last..(s + 1) * last] == source[..last],
                };
                let likely = row_slot.get(r + 1).copied().filter(|&s| s < rows);
                let found = likely
                    .filter(|&s| !slot_used[s] && holds(s))
                    .or_else(|| (0..rows).find(|&s| !slot_used[s] && holds(s)));
                row_slot[r] = found.unwrap_or(usize::MAX);
                if let Some(s) = found {
                    slot_used[s] = true;
                }
            }
            // The others, read into the slots left.
            for (r, offsets) in self.row_offsets.iter().enumerate() {
                if row_slot[r] != usize::MAX {
                    continue;
                }
                let s = (0..rows)
                    .find(|&s| !slot_used[s])
                    .expect("a free slot per row");
                slot_used[s] = true;
                row_slot[r] = s;
                let line = &mut lines[s * width..(s + 1) * width];
                if source_index(&global, offsets, shape, mode, &mut source) {
                    input.run(&source, last, 0, &mut line[before..before + n]);
                    extend_line(line, before, n, mode, cval);
                    slot_state[s] = Slot::Row;
                    slot_source[s * last..(s + 1) * last].copy_from_slice(&source[..last]);
                } else {
                    line.fill(cval);
                    slot_state[s] = Slot::Cval;
                }
            }
            gather.assign(self.taps.iter().map(|&(r, k)| row_slot[r] * width + k));
            self.filter_line(
                &lines,
                0,
                &gather,
                &mut results,
                kernel,
                part,
                &index,
                &mut global,
            )?;
            if !advance(&mut index, &part_shape, Some(last)) {
                return Ok(());
            }
        }
    }

    /// Computes and stores one output line: the kernel's results for the windows gathered at
    /// `base` from `lines`. `index` is the line's index in `part` and `global` in the whole
    /// array (its last entry is overwritten). On a kernel failure the elements before it are
    /// stored.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn filter_line<T: Copy, K: WindowKernel<T>>(
        &self,
        lines: &[T],
        base: usize,
        gather: &Gather,
        results: &mut [f64],
        kernel: &mut K,
        part: &mut ArrayMut<'_>,
        index: &[usize],
        global: &mut [usize],
    ) -> Result<(), Error> {
        let n = results.len();
        // Every window of the line lies within `lines` (checked once here, not per value).
        assert!(
            n == 0 || gather.is_empty() || base + gather.max() + n <= lines.len(),
            "windows beyond the row buffers"
        );
        let window = Window {
            rows: lines,
            base,
            gather,
            n,
        };
        let last = self.last;
        match kernel.line(&window, results) {
            Ok(()) => {
                part.store_line(index, last, results, self.walk.store);
                Ok(())
            }
            Err((j, e)) => {
                part.store_line(index, last, &results[..j], self.walk.store);
                global[last] = j;
                Err(Error::callback(self.walk.name, global, e))
            }
        }
    }

    /// [`Plan::run_part`] for inputs whose axis before the last has the smaller stride:
    /// output lines (along the last axis) are taken `LANES` at a time along that axis, which
    /// keeps the C order of the lines, and the source rows they need are read together, in
    /// memory order.
    #[allow(clippy::too_many_arguments)]
    fn run_part_blocked<T, R, K>(
        &self,
        input: &R,
        cval: T,
        part: &mut ArrayMut<'_>,
        axis: usize,
        start: usize,
        kernel: &mut K,
        stop: &Stop,
    ) -> Result<(), Error>
    where
        T: Copy + Default,
        R: RowReader<T>,
        K: WindowKernel<T>,
    {
        const LANES: usize = 16;
        let shape = input.shape();
        let mode = self.walk.mode;
        let part_shape = part.shape().to_vec();
        let rank = shape.len();
        let (last, lane) = (rank - 1, rank - 2);
        let (n, n_out) = (shape[last], part_shape[last]);
        let (before, width) = (self.before[last], self.width);
        // Rows grouped by their offsets on the axes before `lane`; a group's rows differ only
        // in their `lane` offset, so for a block of lines they need one run of source lines.
        let mut groups: Vec<(Vec<isize>, isize, isize)> = Vec::new(); // (outer, min, max)
        let mut row_group = Vec::with_capacity(self.row_offsets.len());
        for offsets in &self.row_offsets {
            let (outer, o) = (&offsets[..lane], offsets[lane]);
            let g = match groups.iter().position(|(go, _, _)| go == outer) {
                Some(g) => g,
                None => {
                    groups.push((outer.to_vec(), o, o));
                    groups.len() - 1
                }
            };
            groups[g].1 = groups[g].1.min(o);
            groups[g].2 = groups[g].2.max(o);
            row_group.push(g);
        }
        // Each group's run of extended lines, one after another.
        let mut group_start = Vec::with_capacity(groups.len());
        let mut total = 0usize;
        for (_, min, max) in &groups {
            group_start.push(total);
            total += LANES + (max - min) as usize;
        }
        let lines_len = total
            .checked_mul(width)
            .ok_or_else(|| Error::OutOfMemory("footprint rows overflow".into()))?;
        let mut lines = try_vec(lines_len, T::default(), "the footprint's row buffers")?;
        let longest = groups.iter().map(|(_, a, b)| (b - a) as usize).max();
        let mut block = try_vec(
            (LANES + longest.unwrap_or(0)) * n,
            T::default(),
            "a block of rows",
        )?;
        // The windows of line b of a block gather at `b * width` plus these offsets.
        let gather = {
            let row_base: Vec<usize> = self
                .row_offsets
                .iter()
                .zip(&row_group)
                .map(|(offsets, &g)| {
                    (group_start[g] + (offsets[lane] - groups[g].1) as usize) * width
                })
                .collect();
            Gather::new(self.taps.iter().map(|&(r, k)| row_base[r] + k).collect())
        };
        let mut results = try_vec(n_out, 0.0f64, "a line buffer")?;
        let mut blocks_shape = part_shape.clone();
        blocks_shape[lane] = part_shape[lane].div_ceil(LANES);
        let mut bidx = vec![0usize; rank];
        let mut index = vec![0usize; rank];
        let mut global = vec![0usize; rank];
        let mut source = vec![0usize; rank];
        loop {
            if stop.tick((LANES * n_out) as u64) {
                return Ok(());
            }
            index.copy_from_slice(&bidx);
            index[lane] = bidx[lane] * LANES;
            let lanes = LANES.min(part_shape[lane] - index[lane]);
            global.copy_from_slice(&index);
            global[axis] += start;
            for (g, (outer, min, max)) in groups.iter().enumerate() {
                let count = lanes + (max - min) as usize;
                let run = &mut lines[group_start[g] * width..(group_start[g] + count) * width];
                let inside = source_index(&global, outer, shape, mode, &mut source);
                if !inside {
                    run.fill(cval);
                    continue;
                }
                // Source positions along `lane`: the in-range stretch is read as one block.
                let first = global[lane] as isize + min;
                let lo = first.max(0);
                let hi = (first + count as isize).min(shape[lane] as isize);
                if lo < hi {
                    source[lane] = lo as usize;
                    let k = (hi - lo) as usize;
                    input.lines(&source, last, lane, &mut block[..k * n]);
                    for (p, values) in block[..k * n].chunks_exact(n).enumerate() {
                        let q = (lo - first) as usize + p;
                        let line = &mut run[q * width..(q + 1) * width];
                        line[before..before + n].copy_from_slice(values);
                        extend_line(line, before, n, mode, cval);
                    }
                }
                // Positions outside the axis go through the boundary mode one by one.
                for q in 0..count {
                    let position = first + q as isize;
                    if (lo..hi).contains(&position) {
                        continue;
                    }
                    let line = &mut run[q * width..(q + 1) * width];
                    match map_index(position, shape[lane], mode) {
                        Some(j) => {
                            source[lane] = j;
                            input.run(&source, last, 0, &mut line[before..before + n]);
                            extend_line(line, before, n, mode, cval);
                        }
                        None => line.fill(cval),
                    }
                }
            }
            let (first_index, first_global) = (index[lane], global[lane]);
            for b in 0..lanes {
                index[lane] = first_index + b;
                global[lane] = first_global + b;
                self.filter_line(
                    &lines,
                    b * width,
                    &gather,
                    &mut results,
                    kernel,
                    part,
                    &index,
                    &mut global,
                )?;
            }
            if !advance(&mut bidx, &blocks_shape, Some(last)) {
                return Ok(());
            }
        }
    }
}
