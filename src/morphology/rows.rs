//! The row engine of binary morphology: one pass of an erosion, a dilation or a hit-or-miss
//! over whole rows of bytes.
//!
//! Why not the neighbourhood walk (`engine::neighbourhood`): its kernels produce one `f64` per
//! output position, which the walk then converts and stores, and its rows hold the input's
//! own values. A binary pass wants neither: every value is a truth value, so rows here are
//! bytes (0 or 1) normalised once when read, a result row is combined from whole shifted rows
//! (`acc[j] &= row[j + t]`, which the compiler vectorises) and stored as bytes, and the
//! combination of one source row with the structure's pattern along the row (its *row
//! pattern*) is computed once and reused by every output row that needs it (for a 3×3 box,
//! each source row is combined once, then three such rows per output row: 4 operations per
//! pixel instead of 8).
//!
//! The row axis is the source's most contiguous axis, so every layout reads memory in order.

#![forbid(unsafe_code)]

use crate::array::{advance, ArrayMut, ArrayRef};
use crate::error::{try_vec, Error};
use crate::parallel::{for_each_part, Stop};
use std::sync::atomic::{AtomicBool, Ordering};

/// How the values under a structure combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Combine {
    /// All true (erosion, the hit part of a hit-or-miss).
    All,
    /// Any true (dilation, the miss part of a hit-or-miss).
    Any,
}

/// A neighbourhood read by one output position `i`: the source at `i + offset` for every
/// offset, combined by `combine`; positions outside the array read as `border`.
#[derive(Clone, Debug)]
pub(crate) struct TapSet {
    pub offsets: Vec<Vec<isize>>,
    pub combine: Combine,
    pub border: bool,
}

/// A source of truth values (0 or 1 per element): an array read as `value != 0`, or its
/// complement.
#[derive(Clone, Debug)]
pub(crate) struct Bits<'a> {
    pub view: ArrayRef<'a>,
    pub invert: bool,
}

impl Bits<'_> {
    /// Elements `from .. from + out.len()` of the line through `index` along `axis`.
    #[inline]
    pub fn read(&self, index: &[usize], axis: usize, from: usize, out: &mut [u8]) {
        self.view.read_run_nonzero(index, axis, from, out);
        if self.invert {
            out.iter_mut().for_each(|v| *v ^= 1);
        }
    }
}

/// One pass: `out[i] = first(i)` (and not `second(i)` when there is one); where the mask is
/// false, `out[i]` is the source value `x[i]` instead.
#[derive(Clone, Debug)]
pub(crate) struct Operator {
    pub first: TapSet,
    pub second: Option<TapSet>,
}

/// The most contiguous axis of a view (the smallest stride among axes longer than 1; the last
/// axis when there is none).
pub(crate) fn row_axis(view: &ArrayRef<'_>) -> usize {
    let shape = view.shape();
    let strides = view.layout().strides();
    (0..shape.len())
        .rev()
        .filter(|&a| shape[a] > 1)
        .min_by_key(|&a| strides[a].unsigned_abs())
        .unwrap_or(shape.len() - 1)
}

/// A tap set split into rows along the row axis: each row is a source line (an offset on the
/// other axes) and a pattern (the offsets along the row axis).
#[derive(Debug)]
struct RowTaps {
    combine: Combine,
    border: bool,
    /// (offset on every axis, the row axis' entry 0; pattern index)
    rows: Vec<(Vec<isize>, usize)>,
}

#[derive(Debug)]
struct Plan {
    axis: usize,
    n: usize,
    /// Border samples before and after a row (the reach of the patterns).
    pad_lo: usize,
    pad_hi: usize,
    /// Row patterns: offsets along the row axis, with the combination and the border of their
    /// tap set.
    patterns: Vec<(Vec<isize>, Combine, bool)>,
    first: RowTaps,
    second: Option<RowTaps>,
}

impl Plan {
    fn new(op: &Operator, shape: &[usize], axis: usize) -> Plan {
        let mut patterns: Vec<(Vec<isize>, Combine, bool)> = Vec::new();
        let mut split = |taps: &TapSet| {
            let mut rows: Vec<(Vec<isize>, Vec<isize>)> = Vec::new();
            for o in &taps.offsets {
                let mut other = o.clone();
                other[axis] = 0;
                match rows.iter_mut().find(|(r, _)| *r == other) {
                    Some((_, along)) => along.push(o[axis]),
                    None => rows.push((other, vec![o[axis]])),
                }
            }
            let rows = rows
                .into_iter()
                .map(|(other, mut along)| {
                    along.sort_unstable();
                    let key = (along, taps.combine, taps.border);
                    let p = match patterns.iter().position(|p| *p == key) {
                        Some(p) => p,
                        None => {
                            patterns.push(key);
                            patterns.len() - 1
                        }
                    };
                    (other, p)
                })
                .collect();
            RowTaps {
                combine: taps.combine,
                border: taps.border,
                rows,
            }
        };
        let first = split(&op.first);
        let second = op.second.as_ref().map(&mut split);
        let reach = |f: fn(&isize) -> bool| {
            patterns
                .iter()
                .flat_map(|(p, _, _)| p.iter())
                .filter(|d| f(d))
                .map(|d| d.unsigned_abs())
                .max()
                .unwrap_or(0)
        };
        let (pad_lo, pad_hi) = (reach(|&d| d < 0), reach(|&d| d > 0));
        Plan {
            axis,
            n: shape[axis],
            pad_lo,
            pad_hi,
            patterns,
            first,
            second,
        }
    }
}

/// Runs one pass of `op` from `source` into `output` (same shape) on `threads` threads, with
/// `mask` (where it is false the output is the source value). Returns whether any output value
/// differs from its source value (computed only with `detect_change`; false otherwise).
pub(crate) fn pass(
    source: &Bits<'_>,
    mask: Option<&Bits<'_>>,
    op: &Operator,
    output: &mut ArrayMut<'_>,
    threads: usize,
    detect_change: bool,
) -> Result<bool, Error> {
    let shape = source.view.shape().to_vec();
    debug_assert_eq!(shape, output.shape());
    if output.is_empty() {
        return Ok(false);
    }
    let axis = row_axis(&source.view);
    let plan = Plan::new(op, &shape, axis);
    let changed = AtomicBool::new(false);
    for_each_part(
        output,
        Some(axis),
        threads,
        |part, part_axis, start, stop| {
            let mut worker = Worker::new(source, mask, &plan, &shape, detect_change)?;
            if worker.run(part, part_axis, start, stop)? {
                changed.store(true, Ordering::Relaxed);
            }
            Ok(())
        },
    )?;
    Ok(changed.into_inner())
}

/// Rows kept for reuse by the next output rows: source rows padded with a border value (kind
/// 0: border false, 1: border true), and source rows combined with a pattern (kind 2 + p).
struct RowCache {
    slots: Vec<Slot>,
    clock: u64,
    width: usize,
}

struct Slot {
    line: usize,
    kind: usize,
    used: u64,
    data: Vec<u8>,
}

impl RowCache {
    /// The slot holding `(line, kind)`, marked as used for the current output row.
    #[inline]
    fn find(&mut self, line: usize, kind: usize) -> Option<usize> {
        let k = self
            .slots
            .iter()
            .position(|s| s.line == line && s.kind == kind)?;
        self.slots[k].used = self.clock;
        Some(k)
    }

    /// A slot to overwrite with `(line, kind)`, marked as used: one not used for the current
    /// output row, or a new one.
    fn claim(&mut self, line: usize, kind: usize) -> Result<usize, Error> {
        let clock = self.clock;
        let oldest = self
            .slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.used < clock)
            .min_by_key(|(_, s)| s.used)
            .map(|(k, _)| k);
        let k = match oldest {
            Some(k) => k,
            None => {
                self.slots.push(Slot {
                    line: usize::MAX,
                    kind: usize::MAX,
                    used: 0,
                    data: try_vec(self.width, 0u8, "a row buffer")?,
                });
                self.slots.len() - 1
            }
        };
        let slot = &mut self.slots[k];
        slot.line = line;
        slot.kind = kind;
        slot.used = clock;
        Ok(k)
    }
}

/// A row of a combination: a constant (every value the border value: a row outside the
/// array), or `n` values of a cache slot from an offset.
#[derive(Clone, Copy)]
enum RowRef {
    Constant,
    Slot(usize, usize),
    /// Not in the cache yet: the row of the tap set with this index.
    Missing(usize),
}

/// `out[j] = rows[0][j] op rows[1][j] op …` (at least one row), four rows per sweep.
#[inline]
fn combine_into(out: &mut [u8], rows: &[&[u8]], combine: Combine) {
    let n = out.len();
    let mut first = true;
    for group in rows.chunks(4) {
        macro_rules! sweep {
            ($op:tt, $assign:tt) => {
                match (first, group) {
                    (true, [a]) => out.copy_from_slice(&a[..n]),
                    (true, [a, b]) => {
                        for (o, (&a, &b)) in out.iter_mut().zip(a.iter().zip(b.iter())) {
                            *o = a $op b;
                        }
                    }
                    (true, [a, b, c]) => {
                        for (o, ((&a, &b), &c)) in
                            out.iter_mut().zip(a.iter().zip(b.iter()).zip(c.iter()))
                        {
                            *o = a $op b $op c;
                        }
                    }
                    (true, [a, b, c, d]) => {
                        for (o, (((&a, &b), &c), &d)) in out
                            .iter_mut()
                            .zip(a.iter().zip(b.iter()).zip(c.iter()).zip(d.iter()))
                        {
                            *o = a $op b $op c $op d;
                        }
                    }
                    (false, [a]) => {
                        for (o, &a) in out.iter_mut().zip(a.iter()) {
                            *o $assign a;
                        }
                    }
                    (false, [a, b]) => {
                        for (o, (&a, &b)) in out.iter_mut().zip(a.iter().zip(b.iter())) {
                            *o = *o $op a $op b;
                        }
                    }
                    (false, [a, b, c]) => {
                        for (o, ((&a, &b), &c)) in
                            out.iter_mut().zip(a.iter().zip(b.iter()).zip(c.iter()))
                        {
                            *o = *o $op a $op b $op c;
                        }
                    }
                    (false, [a, b, c, d]) => {
                        for (o, (((&a, &b), &c), &d)) in out
                            .iter_mut()
                            .zip(a.iter().zip(b.iter()).zip(c.iter()).zip(d.iter()))
                        {
                            *o = *o $op a $op b $op c $op d;
                        }
                    }
                    _ => unreachable!("groups of 1 to 4 rows"),
                }
            };
        }
        match combine {
            Combine::All => sweep!(&, &=),
            Combine::Any => sweep!(|, |=),
        }
        first = false;
    }
}

/// One part's state: the row cache and the buffers of a pass.
struct Worker<'p, 's> {
    source: &'p Bits<'s>,
    mask: Option<&'p Bits<'s>>,
    plan: &'p Plan,
    shape: &'p [usize],
    detect_change: bool,
    cache: RowCache,
    line_stride: Vec<usize>,
    src: Vec<usize>,
    refs: Vec<RowRef>,
    acc2: Vec<u8>,
    mask_row: Vec<u8>,
    out: Vec<u8>,
}

impl<'p, 's> Worker<'p, 's> {
    fn new(
        source: &'p Bits<'s>,
        mask: Option<&'p Bits<'s>>,
        plan: &'p Plan,
        shape: &'p [usize],
        detect_change: bool,
    ) -> Result<Self, Error> {
        let rank = shape.len();
        let n = plan.n;
        // Line numbers: the flat index over the axes other than the row axis.
        let mut line_stride = vec![0usize; rank];
        let mut m = 1usize;
        for a in (0..rank).rev() {
            if a != plan.axis {
                line_stride[a] = m;
                m = m.saturating_mul(shape[a]);
            }
        }
        Ok(Worker {
            source,
            mask,
            plan,
            shape,
            detect_change,
            cache: RowCache {
                slots: Vec::new(),
                clock: 0,
                width: plan.pad_lo + n + plan.pad_hi,
            },
            line_stride,
            src: vec![0; rank],
            refs: Vec::new(),
            acc2: try_vec(
                if plan.second.is_some() { n } else { 0 },
                0u8,
                "a row buffer",
            )?,
            mask_row: try_vec(if mask.is_some() { n } else { 0 }, 0u8, "a row buffer")?,
            out: try_vec(n, 0u8, "a row buffer")?,
        })
    }

    /// The pass over the part of the output whose indices along `part_axis` start at `start`.
    fn run(
        &mut self,
        part: &mut ArrayMut<'_>,
        part_axis: usize,
        start: usize,
        stop: &Stop,
    ) -> Result<bool, Error> {
        let (axis, n) = (self.plan.axis, self.plan.n);
        let rank = self.shape.len();
        let mut index = vec![0usize; rank];
        let mut global = vec![0usize; rank];
        let part_shape = part.shape().to_vec();
        let mut changed = false;
        loop {
            if stop.tick(n as u64) {
                return Ok(changed);
            }
            global.copy_from_slice(&index);
            global[part_axis] += start;
            self.cache.clock += 1;
            // The source row itself first (what masked-out positions keep, and what a change
            // is measured against), so that it stays in the cache for this row.
            let own = self.raw_row(&global, false)?;
            let plan = self.plan;
            let mut out = std::mem::take(&mut self.out);
            self.combine(&plan.first, &global, &mut out)?;
            if let Some(second) = &plan.second {
                let mut acc2 = std::mem::take(&mut self.acc2);
                self.combine(second, &global, &mut acc2)?;
                for (a, &b) in out.iter_mut().zip(acc2.iter()) {
                    *a &= b ^ 1;
                }
                self.acc2 = acc2;
            }
            let lo = plan.pad_lo;
            let x = &self.cache.slots[own].data[lo..lo + n];
            if let Some(mask) = self.mask {
                mask.read(&global, axis, 0, &mut self.mask_row);
                for ((o, &x), &m) in out.iter_mut().zip(x).zip(&self.mask_row) {
                    *o = x ^ ((x ^ *o) & m);
                }
            }
            if self.detect_change && !changed {
                changed = out.iter().zip(x).fold(0u8, |d, (&o, &x)| d | (o ^ x)) != 0;
            }
            part.store_run_bits(&index, axis, 0, &out);
            self.out = out;
            if !advance(&mut index, &part_shape, Some(axis)) {
                return Ok(changed);
            }
        }
    }

    /// `out` = the combination, for the output row through `global`, of every row of `taps`.
    fn combine(&mut self, taps: &RowTaps, global: &[usize], out: &mut [u8]) -> Result<(), Error> {
        let (identity, absorbing) = match taps.combine {
            Combine::All => (1u8, 0u8),
            Combine::Any => (0u8, 1u8),
        };
        let border = u8::from(taps.border);
        let axis = self.plan.axis;
        let mut refs = std::mem::take(&mut self.refs);
        refs.clear();
        // The rows already cached first (marking them used), so that computing the others
        // never evicts one this output row needs.
        for (r, (offset, pattern)) in taps.rows.iter().enumerate() {
            let Some(line) = self.source_line(global, offset) else {
                // A row outside the array: every value is the border value.
                if border == absorbing {
                    out.fill(absorbing);
                    self.refs = refs;
                    return Ok(());
                }
                refs.push(RowRef::Constant);
                continue;
            };
            let (along, _, pattern_border) = &self.plan.patterns[*pattern];
            let found = if along.len() == 1 {
                let at = (self.plan.pad_lo as isize + along[0]) as usize;
                self.cache
                    .find(line, usize::from(*pattern_border))
                    .map(|k| RowRef::Slot(k, at))
            } else {
                self.cache
                    .find(line, 2 + pattern)
                    .map(|k| RowRef::Slot(k, 0))
            };
            refs.push(found.unwrap_or(RowRef::Missing(r)));
        }
        for slot in refs.iter_mut() {
            let RowRef::Missing(r) = *slot else {
                continue;
            };
            let (offset, pattern) = &taps.rows[r];
            for a in 0..self.shape.len() {
                self.src[a] = (global[a] as isize + offset[a]) as usize;
            }
            self.src[axis] = 0;
            let src = std::mem::take(&mut self.src);
            let row = self.pattern_row(*pattern, &src);
            self.src = src;
            *slot = row?;
        }
        let mut buffer: [&[u8]; 32] = [&[]; 32];
        let mut count = 0;
        let mut more: Vec<&[u8]> = Vec::new();
        for r in &refs {
            if let RowRef::Slot(k, at) = *r {
                let row = &self.cache.slots[k].data[at..];
                if count < buffer.len() {
                    buffer[count] = row;
                } else {
                    more.push(row);
                }
                count += 1;
            }
        }
        let slices: &[&[u8]] = if count <= buffer.len() {
            &buffer[..count]
        } else {
            more.splice(0..0, buffer.iter().copied());
            &more
        };
        if slices.is_empty() {
            // No row inside the array (the non-absorbing border value), or no rows at all:
            // the empty combination.
            out.fill(identity);
        } else {
            combine_into(out, slices, taps.combine);
        }
        self.refs = refs;
        Ok(())
    }

    /// Source line `src` (its row-axis entry 0) combined with row pattern `p`: a slot of its
    /// own, or, for a single-tap pattern, the padded source row at the tap's offset.
    fn pattern_row(&mut self, p: usize, src: &[usize]) -> Result<RowRef, Error> {
        let plan = self.plan;
        let (along, combine, border) = &plan.patterns[p];
        let at = |t: isize| (plan.pad_lo as isize + t) as usize;
        if along.len() == 1 {
            let raw = self.raw_row(src, *border)?;
            return Ok(RowRef::Slot(raw, at(along[0])));
        }
        let line = self.line_of(src);
        let kind = 2 + p;
        if let Some(k) = self.cache.find(line, kind) {
            return Ok(RowRef::Slot(k, 0));
        }
        let raw = self.raw_row(src, *border)?;
        let k = self.cache.claim(line, kind)?;
        let mut data = std::mem::take(&mut self.cache.slots[k].data);
        {
            let row = &self.cache.slots[raw].data;
            let mut buffer: [&[u8]; 32] = [&[]; 32];
            if along.len() <= buffer.len() {
                for (b, &t) in buffer.iter_mut().zip(along) {
                    *b = &row[at(t)..];
                }
                combine_into(&mut data[..plan.n], &buffer[..along.len()], *combine);
            } else {
                let shifted: Vec<&[u8]> = along.iter().map(|&t| &row[at(t)..]).collect();
                combine_into(&mut data[..plan.n], &shifted, *combine);
            }
        }
        self.cache.slots[k].data = data;
        Ok(RowRef::Slot(k, 0))
    }

    /// The line number of the source row at `offset` from the output row through `global`,
    /// or None outside the array.
    #[inline]
    fn source_line(&self, global: &[usize], offset: &[isize]) -> Option<usize> {
        let mut line = 0usize;
        for a in 0..self.shape.len() {
            if a == self.plan.axis {
                continue;
            }
            let p = global[a] as isize + offset[a];
            if p < 0 || p as usize >= self.shape[a] {
                return None;
            }
            line += p as usize * self.line_stride[a];
        }
        Some(line)
    }

    fn line_of(&self, coords: &[usize]) -> usize {
        coords
            .iter()
            .zip(&self.line_stride)
            .map(|(&c, &m)| c * m)
            .sum()
    }

    /// The slot holding source line `coords` (its row-axis entry ignored) padded with
    /// `border`.
    fn raw_row(&mut self, coords: &[usize], border: bool) -> Result<usize, Error> {
        let line = self.line_of(coords);
        let kind = usize::from(border);
        if let Some(k) = self.cache.find(line, kind) {
            return Ok(k);
        }
        let k = self.cache.claim(line, kind)?;
        let (lo, n) = (self.plan.pad_lo, self.plan.n);
        let axis = self.plan.axis;
        let slot = &mut self.cache.slots[k];
        slot.data[..lo].fill(u8::from(border));
        slot.data[lo + n..].fill(u8::from(border));
        self.source
            .read(coords, axis, 0, &mut slot.data[lo..lo + n]);
        Ok(k)
    }
}
