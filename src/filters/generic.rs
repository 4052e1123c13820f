//! `generic_filter` and `generic_filter1d`: filters whose arithmetic is a user callback.

use super::footprint::{samples_before, Footprint};
use crate::array::gather::Gather;
use crate::array::lines::LineBlocks;
use crate::array::strided::{advance, ArrayMut, ArrayRef, StoreRule};
use crate::boundary::{extend_line, map_index, Mode};
use crate::error::{try_vec, CallbackError, Error};
use crate::parallel::{for_each_part, Stop, Threads};

fn check_same_shape(input: &ArrayRef<'_>, output: &ArrayMut<'_>) -> Result<(), Error> {
    if input.shape() != output.shape() {
        return Err(Error::ShapeMismatch(format!(
            "output shape {:?} differs from input shape {:?}",
            output.shape(),
            input.shape()
        )));
    }
    if input.shape().is_empty() {
        return Err(Error::InvalidArray("input must have rank >= 1".into()));
    }
    Ok(())
}

fn callback_failed(what: &str, index: &[usize], e: CallbackError) -> Error {
    let mut msg = format!("{what} callback reported failure at index {index:?}");
    if !e.0.is_empty() {
        msg.push_str(": ");
        msg.push_str(&e.0);
    }
    Error::CallbackFailed(msg)
}

/// Calls `function` once per input element, in C order of the index, with the values under the
/// footprint's selected elements (in C order of the footprint, positions outside the input
/// extended by `mode`), and stores what it returns in `output`.
///
/// `origins` has one entry per axis (empty means all zero); footprint element `k` on an axis of
/// extent `fs` reads input position `i + k - (fs / 2 + origin)`. The buffer may be modified by
/// the callback. On a callback error the call stops; the elements before it stay written.
///
/// Memory: one line buffer per footprint row (`rows × (n_last + fs_last - 1)` doubles).
pub fn generic_filter<F>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    footprint: &Footprint,
    origins: &[isize],
    mode: Mode,
    cval: f64,
    mut function: F,
) -> Result<(), Error>
where
    F: FnMut(&mut [f64]) -> Result<f64, CallbackError>,
{
    let plan = FilterPlan::new(input, output, footprint, origins, mode, cval)?;
    plan.run_part(input, output, 0, 0, &mut function, &Stop::default())
}

/// [`generic_filter`] on `threads` threads (`Threads::Count(1)`: the calling thread): `function` is called from
/// all of them, each element's value exactly as in the sequential call. A failing call stops
/// the others promptly; which elements were written before is then unspecified.
///
/// Memory: the line buffers of [`generic_filter`], once per thread.
#[allow(clippy::too_many_arguments)]
pub fn generic_filter_parallel<F>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    footprint: &Footprint,
    origins: &[isize],
    mode: Mode,
    cval: f64,
    threads: Threads,
    function: F,
) -> Result<(), Error>
where
    F: Fn(&mut [f64]) -> Result<f64, CallbackError> + Sync,
{
    let plan = FilterPlan::new(input, output, footprint, origins, mode, cval)?;
    let last = input.shape().len() - 1;
    let threads = threads.resolve()?;
    for_each_part(output, Some(last), threads, |part, axis, start, stop| {
        plan.run_part(input, part, axis, start, &mut &function, stop)
    })
}

/// Computes and stores one output line of `generic_filter`: element `j` is the callback of the
/// buffer gathered at `base + j` from the extended rows `lines`. `index` is the line's index in
/// `part` and `global` in the whole array (its last entry is overwritten). On a callback
/// failure the elements before it are stored.
#[allow(clippy::too_many_arguments)]
#[inline]
fn filter_line<F>(
    gather: &Gather,
    lines: &[f64],
    base: usize,
    buffer: &mut [f64],
    results: &mut [f64],
    function: &mut F,
    part: &mut ArrayMut<'_>,
    index: &[usize],
    global: &mut [usize],
) -> Result<(), Error>
where
    F: FnMut(&mut [f64]) -> Result<f64, CallbackError>,
{
    let last = index.len() - 1;
    for j in 0..results.len() {
        gather.gather(lines, base + j, buffer);
        match function(buffer) {
            Ok(v) => results[j] = v,
            Err(e) => {
                part.store_line(index, last, &results[..j], StoreRule::TruncateNegating);
                global[last] = j;
                return Err(callback_failed("generic_filter", global, e));
            }
        }
    }
    part.store_line(index, last, results, StoreRule::TruncateNegating);
    Ok(())
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

/// What a row buffer of `generic_filter` holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Empty,
    /// An extended input row.
    Row,
    /// cval everywhere (a row outside the input in the constant modes).
    Cval,
}

/// What `generic_filter` precomputes from its arguments: the footprint split into rows along
/// the last axis, and where each buffer value is gathered from.
struct FilterPlan {
    mode: Mode,
    cval: f64,
    /// Samples of the extended line before position 0, per axis.
    before: Vec<usize>,
    /// Per footprint row with selected elements: its offset on the axes before the last.
    row_offsets: Vec<Vec<isize>>,
    /// Per buffer value: its position in the concatenated extended row lines.
    gather: Gather,
    /// Per buffer value: its footprint row and its position in that row's extended line.
    taps: Vec<(usize, usize)>,
    /// Length of one extended row line.
    width: usize,
}

impl FilterPlan {
    fn new(
        input: &ArrayRef<'_>,
        output: &ArrayMut<'_>,
        footprint: &Footprint,
        origins: &[isize],
        mode: Mode,
        cval: f64,
    ) -> Result<Self, Error> {
        check_same_shape(input, output)?;
        let shape = input.shape();
        let rank = shape.len();
        if footprint.rank() != rank {
            return Err(Error::ShapeMismatch(format!(
                "footprint rank {} differs from input rank {rank}",
                footprint.rank()
            )));
        }
        if !origins.is_empty() && origins.len() != rank {
            return Err(Error::InvalidArgument(format!(
                "{} origins given for rank {rank}",
                origins.len()
            )));
        }
        let fshape = footprint.shape();
        let before: Vec<usize> = (0..rank)
            .map(|a| samples_before(fshape[a], origins.get(a).copied().unwrap_or(0), a))
            .collect::<Result<_, _>>()?;
        // Each footprint row with selected elements gets an extended copy of one input line;
        // the callback's buffer is then a plain gather from them.
        let last = rank - 1;
        let width = shape[last]
            .checked_add(fshape[last] - 1)
            .ok_or_else(|| Error::InvalidArgument("footprint size overflows".into()))?;
        let mut row_offsets: Vec<Vec<isize>> = Vec::new();
        let mut taps: Vec<(usize, usize)> = Vec::with_capacity(footprint.count());
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
        let gather = Gather::new(taps.iter().map(|&(r, k)| r * width + k).collect());
        Ok(FilterPlan {
            mode,
            cval,
            before,
            row_offsets,
            gather,
            taps,
            width,
        })
    }

    /// Filters the part of the output whose indices along `axis` start at `start` (never the
    /// last axis: its lines are whole).
    fn run_part<F>(
        &self,
        input: &ArrayRef<'_>,
        part: &mut ArrayMut<'_>,
        axis: usize,
        start: usize,
        function: &mut F,
        stop: &Stop,
    ) -> Result<(), Error>
    where
        F: FnMut(&mut [f64]) -> Result<f64, CallbackError>,
    {
        if part.layout().is_empty() {
            return Ok(());
        }
        let shape = input.shape();
        let rank = shape.len();
        let strides = input.layout().strides();
        if rank >= 2 && strides[rank - 2].unsigned_abs() < strides[rank - 1].unsigned_abs() {
            // Rows along the last axis are scattered in memory (a transposed input, say):
            // read them in blocks along the axis before it.
            return self.run_part_blocked(input, part, axis, start, function, stop);
        }
        let part_shape = part.shape().to_vec();
        let last = rank - 1;
        let n = shape[last];
        let (before, width) = (self.before[last], self.width);
        let rows_len = self
            .row_offsets
            .len()
            .checked_mul(width)
            .ok_or_else(|| Error::OutOfMemory("footprint rows overflow".into()))?;
        let mut lines = try_vec(rows_len, 0.0f64, "the footprint's row buffers")?;
        let mut buffer = try_vec(self.gather.len(), 0.0f64, "the filter buffer")?;
        let mut results = try_vec(n, 0.0f64, "a line buffer")?;
        let mut index = vec![0usize; rank];
        let mut global = vec![0usize; rank];
        let mut source = vec![0usize; rank];
        // The row buffers are slots: consecutive output lines share most of their source
        // rows, so a row already in a slot is used where it is instead of read again. A
        // slot holds nothing, the extended input row at `slot_source`, or cval everywhere.
        let rows = self.row_offsets.len();
        let mut slot_state = vec![Slot::Empty; rows];
        let mut slot_source = vec![0usize; rows * last];
        let mut row_slot = vec![usize::MAX; rows];
        let mut slot_used = vec![false; rows];
        let mut gather = self.gather.clone();
        loop {
            if stop.is_set() {
                return Ok(());
            }
            global.copy_from_slice(&index);
            global[axis] += start;
            // Rows already in a slot: usually where the previous line had the next row.
            slot_used.fill(false);
            for (r, offsets) in self.row_offsets.iter().enumerate() {
                let inside = source_index(&global, offsets, shape, self.mode, &mut source);
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
                if source_index(&global, offsets, shape, self.mode, &mut source) {
                    input.read_line(&source, last, &mut line[before..before + n]);
                    extend_line(line, before, n, self.mode, self.cval);
                    slot_state[s] = Slot::Row;
                    slot_source[s * last..(s + 1) * last].copy_from_slice(&source[..last]);
                } else {
                    line.fill(self.cval);
                    slot_state[s] = Slot::Cval;
                }
            }
            gather.assign(self.taps.iter().map(|&(r, k)| row_slot[r] * width + k));
            filter_line(
                &gather,
                &lines,
                0,
                &mut buffer,
                &mut results,
                function,
                part,
                &index,
                &mut global,
            )?;
            if !advance(&mut index, &part_shape, Some(last)) {
                return Ok(());
            }
        }
    }

    /// [`FilterPlan::run_part`] for inputs whose axis before the last has the smaller stride:
    /// output lines (along the last axis) are taken `LANES` at a time along that axis, which
    /// keeps scipy's C order of the callback calls, and the source rows they need are read
    /// together, in memory order.
    fn run_part_blocked<F>(
        &self,
        input: &ArrayRef<'_>,
        part: &mut ArrayMut<'_>,
        axis: usize,
        start: usize,
        function: &mut F,
        stop: &Stop,
    ) -> Result<(), Error>
    where
        F: FnMut(&mut [f64]) -> Result<f64, CallbackError>,
    {
        const LANES: usize = 16;
        let shape = input.shape();
        let part_shape = part.shape().to_vec();
        let rank = shape.len();
        let (last, lane) = (rank - 1, rank - 2);
        let n = shape[last];
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
        let mut lines = try_vec(lines_len, 0.0f64, "the footprint's row buffers")?;
        let mut block = try_vec(
            (LANES
                + groups
                    .iter()
                    .map(|(_, a, b)| (b - a) as usize)
                    .max()
                    .unwrap_or(0))
                * n,
            0.0f64,
            "a block of rows",
        )?;
        // The buffer of line b of a block gathers at `b * width` plus these offsets.
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
        let mut buffer = try_vec(gather.len(), 0.0f64, "the filter buffer")?;
        let mut results = try_vec(n, 0.0f64, "a line buffer")?;
        let mut blocks_shape = part_shape.clone();
        blocks_shape[lane] = part_shape[lane].div_ceil(LANES);
        let mut bidx = vec![0usize; rank];
        let mut index = vec![0usize; rank];
        let mut global = vec![0usize; rank];
        let mut source = vec![0usize; rank];
        loop {
            if stop.is_set() {
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
                let inside = source_index(&global, outer, shape, self.mode, &mut source);
                if !inside {
                    run.fill(self.cval);
                    continue;
                }
                // Source positions along `lane`: the in-range stretch is read as one block.
                let first = global[lane] as isize + min;
                let lo = first.max(0);
                let hi = (first + count as isize).min(shape[lane] as isize);
                if lo < hi {
                    source[lane] = lo as usize;
                    let k = (hi - lo) as usize;
                    input.read_lines(&source, last, Some(lane), &mut block[..k * n]);
                    for (p, values) in block[..k * n].chunks_exact(n).enumerate() {
                        let q = (lo - first) as usize + p;
                        let line = &mut run[q * width..(q + 1) * width];
                        line[before..before + n].copy_from_slice(values);
                        extend_line(line, before, n, self.mode, self.cval);
                    }
                }
                // Positions outside the axis go through the boundary mode one by one.
                for q in 0..count {
                    let position = first + q as isize;
                    if (lo..hi).contains(&position) {
                        continue;
                    }
                    let line = &mut run[q * width..(q + 1) * width];
                    match map_index(position, shape[lane], self.mode) {
                        Some(j) => {
                            source[lane] = j;
                            input.read_line(&source, last, &mut line[before..before + n]);
                            extend_line(line, before, n, self.mode, self.cval);
                        }
                        None => line.fill(self.cval),
                    }
                }
            }
            let (first_index, first_global) = (index[lane], global[lane]);
            for b in 0..lanes {
                index[lane] = first_index + b;
                global[lane] = first_global + b;
                filter_line(
                    &gather,
                    &lines,
                    b * width,
                    &mut buffer,
                    &mut results,
                    function,
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

/// Calls `function` once per line along `axis` (lines in C order of the other axes) with the
/// line extended by `mode` — `filter_size / 2 + origin` samples before it and
/// `filter_size - 1 - (filter_size / 2 + origin)` after — and an output line of the axis length,
/// which is then stored in `output`.
///
/// `axis` may be negative (counted from the end). The output line buffer is reused between
/// lines and starts zeroed. On a callback error the call stops; earlier lines stay written.
#[allow(clippy::too_many_arguments)]
pub fn generic_filter1d<F>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    filter_size: usize,
    axis: isize,
    origin: isize,
    mode: Mode,
    cval: f64,
    mut function: F,
) -> Result<(), Error>
where
    F: FnMut(&mut [f64], &mut [f64]) -> Result<(), CallbackError>,
{
    let plan = LinePlan::new(input, output, filter_size, axis, origin, mode, cval)?;
    plan.run_part(input, output, 0, 0, &mut function, &Stop::default())
}

/// [`generic_filter1d`] on `threads` threads (`Threads::Count(1)`: the calling thread), lines shared out among
/// them; each thread's output line buffer starts zeroed. A failing call stops the others
/// promptly; which lines were written before is then unspecified.
#[allow(clippy::too_many_arguments)]
pub fn generic_filter1d_parallel<F>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    filter_size: usize,
    axis: isize,
    origin: isize,
    mode: Mode,
    cval: f64,
    threads: Threads,
    function: F,
) -> Result<(), Error>
where
    F: Fn(&mut [f64], &mut [f64]) -> Result<(), CallbackError> + Sync,
{
    let plan = LinePlan::new(input, output, filter_size, axis, origin, mode, cval)?;
    let threads = threads.resolve()?;
    for_each_part(
        output,
        Some(plan.axis),
        threads,
        |part, axis, start, stop| plan.run_part(input, part, axis, start, &mut &function, stop),
    )
}

/// `generic_filter1d`'s validated arguments.
struct LinePlan {
    axis: usize,
    before: usize,
    width: usize,
    mode: Mode,
    cval: f64,
}

impl LinePlan {
    fn new(
        input: &ArrayRef<'_>,
        output: &ArrayMut<'_>,
        filter_size: usize,
        axis: isize,
        origin: isize,
        mode: Mode,
        cval: f64,
    ) -> Result<Self, Error> {
        check_same_shape(input, output)?;
        let axis = normalize_axis(axis, input.shape().len())?;
        if filter_size < 1 {
            return Err(Error::InvalidArgument(format!(
                "invalid filter size {filter_size}: must be >= 1"
            )));
        }
        let before = samples_before(filter_size, origin, axis)?;
        let width = input.shape()[axis]
            .checked_add(filter_size - 1)
            .ok_or_else(|| Error::InvalidArgument("filter size overflows".into()))?;
        Ok(LinePlan {
            axis,
            before,
            width,
            mode,
            cval,
        })
    }

    /// Filters the lines of the part whose indices along `part_axis` start at `start` (never
    /// the filtered axis).
    fn run_part<F>(
        &self,
        input: &ArrayRef<'_>,
        part: &mut ArrayMut<'_>,
        part_axis: usize,
        start: usize,
        function: &mut F,
        stop: &Stop,
    ) -> Result<(), Error>
    where
        F: FnMut(&mut [f64], &mut [f64]) -> Result<(), CallbackError>,
    {
        if part.layout().is_empty() {
            return Ok(());
        }
        let axis = self.axis;
        let n = input.shape()[axis];
        // Lines are read in blocks along the input's most contiguous axis and written in the
        // same blocks (each callback call still sees one line).
        let mut blocks = LineBlocks::new(part.shape(), input.layout().strides(), axis);
        let lane_axis = blocks.lane_axis();
        let block_len = blocks
            .max_lanes()
            .checked_mul(n)
            .ok_or_else(|| Error::OutOfMemory("line block overflows".into()))?;
        // The block's input lines; each is replaced by its result once filtered.
        let mut block = try_vec(block_len, 0.0, "the line block")?;
        let mut line = try_vec(self.width, 0.0, "the extended line")?;
        let mut result = try_vec(n, 0.0, "the output line")?;
        let mut index = vec![0usize; part.shape().len()];
        let mut global = index.clone();
        while let Some(lanes) = blocks.next_block(&mut index) {
            if stop.is_set() {
                return Ok(());
            }
            global.copy_from_slice(&index);
            global[part_axis] += start;
            if lane_axis.is_none() {
                // One line (a contiguous axis): no block buffers in between.
                input.read_line(&global, axis, &mut line[self.before..self.before + n]);
                extend_line(&mut line, self.before, n, self.mode, self.cval);
                if let Err(e) = function(&mut line, &mut result) {
                    return Err(callback_failed("generic_filter1d", &global, e));
                }
                part.write_line(&index, axis, &result);
                continue;
            }
            input.read_lines(&global, axis, lane_axis, &mut block[..lanes * n]);
            for b in 0..lanes {
                let lane = &mut block[b * n..(b + 1) * n];
                line[self.before..self.before + n].copy_from_slice(lane);
                extend_line(&mut line, self.before, n, self.mode, self.cval);
                if let Err(e) = function(&mut line, &mut result) {
                    // The lines before the failing one stay written.
                    if b > 0 {
                        part.write_lines(&index, axis, lane_axis, &block[..b * n]);
                    }
                    if let Some(l) = lane_axis {
                        global[l] += b;
                    }
                    return Err(callback_failed("generic_filter1d", &global, e));
                }
                lane.copy_from_slice(&result);
            }
            part.write_lines(&index, axis, lane_axis, &block[..lanes * n]);
        }
        Ok(())
    }
}

/// Resolves a possibly negative axis against `rank`.
pub fn normalize_axis(axis: isize, rank: usize) -> Result<usize, Error> {
    let r = rank as isize;
    if axis < -r || axis >= r {
        return Err(Error::InvalidArgument(format!(
            "axis {axis} is out of range for rank {rank}"
        )));
    }
    Ok(axis.rem_euclid(r.max(1)) as usize)
}
