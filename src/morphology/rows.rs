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
/// differs from its source value.
pub(crate) fn pass(
    source: &Bits<'_>,
    mask: Option<&Bits<'_>>,
    op: &Operator,
    output: &mut ArrayMut<'_>,
    threads: usize,
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
            let c = run_part(source, mask, &plan, &shape, part, part_axis, start, stop)?;
            if c {
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
}

struct Slot {
    line: usize,
    kind: usize,
    used: u64,
    data: Vec<u8>,
}

impl RowCache {
    fn find(&self, line: usize, kind: usize) -> Option<usize> {
        self.slots
            .iter()
            .position(|s| s.line == line && s.kind == kind)
    }

    /// A slot to overwrite: one not used for the current output row, or a new one.
    fn victim(&mut self, len: usize) -> Result<usize, Error> {
        let clock = self.clock;
        let oldest = self
            .slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.used < clock)
            .min_by_key(|(_, s)| s.used)
            .map(|(k, _)| k);
        Ok(match oldest {
            Some(k) => k,
            None => {
                self.slots.push(Slot {
                    line: usize::MAX,
                    kind: usize::MAX,
                    used: 0,
                    data: try_vec(len, 0u8, "a row buffer")?,
                });
                self.slots.len() - 1
            }
        })
    }
}

/// The pass over the part of the output whose indices along `part_axis` start at `start`.
#[allow(clippy::too_many_arguments)]
fn run_part(
    source: &Bits<'_>,
    mask: Option<&Bits<'_>>,
    plan: &Plan,
    shape: &[usize],
    part: &mut ArrayMut<'_>,
    part_axis: usize,
    start: usize,
    stop: &Stop,
) -> Result<bool, Error> {
    let (axis, n) = (plan.axis, plan.n);
    let width = plan.pad_lo + n + plan.pad_hi;
    let rank = shape.len();
    // Line numbers: the flat index over the axes other than the row axis.
    let mut line_stride = vec![0usize; rank];
    let mut m = 1usize;
    for a in (0..rank).rev() {
        if a != axis {
            line_stride[a] = m;
            m = m.saturating_mul(shape[a]);
        }
    }
    let line_of =
        |coords: &[usize]| -> usize { (0..rank).map(|a| coords[a] * line_stride[a]).sum() };
    let mut cache = RowCache {
        slots: Vec::new(),
        clock: 0,
    };
    let mut acc = try_vec(n, 0u8, "a row buffer")?;
    let mut acc2 = try_vec(
        if plan.second.is_some() { n } else { 0 },
        0u8,
        "a row buffer",
    )?;
    let mut mask_row = try_vec(if mask.is_some() { n } else { 0 }, 0u8, "a row buffer")?;
    let mut out = try_vec(n, 0u8, "a row buffer")?;
    let mut index = vec![0usize; rank];
    let mut global = vec![0usize; rank];
    let mut src = vec![0usize; rank];
    let part_shape = part.shape().to_vec();
    let mut changed = false;
    loop {
        if stop.tick(n as u64) {
            return Ok(changed);
        }
        global.copy_from_slice(&index);
        global[part_axis] += start;
        cache.clock += 1;
        combine_rows(
            source,
            plan,
            &plan.first,
            &global,
            &mut src,
            &mut cache,
            &line_of,
            width,
            &mut acc,
        )?;
        if let Some(second) = &plan.second {
            combine_rows(
                source, plan, second, &global, &mut src, &mut cache, &line_of, width, &mut acc2,
            )?;
            for (a, &b) in acc.iter_mut().zip(acc2.iter()) {
                *a &= b ^ 1;
            }
        }
        // The source row itself: what masked-out positions keep, and what `changed` compares.
        let own = raw_row(source, plan, &global, false, &mut cache, &line_of, width)?;
        let x = &cache.slots[own].data[plan.pad_lo..plan.pad_lo + n];
        match mask {
            Some(mask) => {
                mask.read(&global, axis, 0, &mut mask_row);
                for (((o, &a), &x), &m) in out.iter_mut().zip(&acc).zip(x).zip(&mask_row) {
                    *o = x ^ ((x ^ a) & m);
                }
            }
            None => out.copy_from_slice(&acc),
        }
        if !changed {
            changed = out.iter().zip(x).fold(0u8, |d, (&o, &x)| d | (o ^ x)) != 0;
        }
        part.store_run_bits(&index, axis, 0, &out);
        if !advance(&mut index, &part_shape, Some(axis)) {
            return Ok(changed);
        }
    }
}

/// `acc` = the combination, for the output row through `global`, of every row of `taps`.
#[allow(clippy::too_many_arguments)]
fn combine_rows(
    source: &Bits<'_>,
    plan: &Plan,
    taps: &RowTaps,
    global: &[usize],
    src: &mut [usize],
    cache: &mut RowCache,
    line_of: &impl Fn(&[usize]) -> usize,
    width: usize,
    acc: &mut [u8],
) -> Result<(), Error> {
    let shape = source.view.shape();
    let (identity, absorbing) = match taps.combine {
        Combine::All => (1u8, 0u8),
        Combine::Any => (0u8, 1u8),
    };
    let border = u8::from(taps.border);
    let mut first = true;
    for (offset, pattern) in &taps.rows {
        let inside = (0..shape.len()).all(|a| {
            let p = global[a] as isize + offset[a];
            src[a] = p as usize;
            a == plan.axis || (p >= 0 && (p as usize) < shape[a])
        });
        if !inside {
            // A row outside the array: every value is the border value.
            if border == absorbing {
                acc.fill(absorbing);
                return Ok(());
            }
            continue;
        }
        src[plan.axis] = 0;
        let slot = combined_row(source, plan, *pattern, src, cache, line_of, width)?;
        let row = &cache.slots[slot].data[..acc.len()];
        if first {
            acc.copy_from_slice(row);
            first = false;
        } else {
            match taps.combine {
                Combine::All => acc.iter_mut().zip(row).for_each(|(a, &r)| *a &= r),
                Combine::Any => acc.iter_mut().zip(row).for_each(|(a, &r)| *a |= r),
            }
        }
    }
    if first {
        // No row inside (or no rows at all): the empty combination.
        acc.fill(identity);
    }
    Ok(())
}

/// The slot holding source line `src` combined with row pattern `p`.
#[allow(clippy::too_many_arguments)]
fn combined_row(
    source: &Bits<'_>,
    plan: &Plan,
    p: usize,
    src: &[usize],
    cache: &mut RowCache,
    line_of: &impl Fn(&[usize]) -> usize,
    width: usize,
) -> Result<usize, Error> {
    let line = line_of(src);
    let kind = 2 + p;
    if let Some(k) = cache.find(line, kind) {
        cache.slots[k].used = cache.clock;
        return Ok(k);
    }
    let (along, combine, border) = &plan.patterns[p];
    let raw = raw_row(source, plan, src, *border, cache, line_of, width)?;
    let k = cache.victim(width)?;
    let mut data = std::mem::take(&mut cache.slots[k].data);
    {
        let row = &cache.slots[raw].data;
        let n = plan.n;
        let at = |t: isize| (plan.pad_lo as isize + t) as usize;
        data[..n].copy_from_slice(&row[at(along[0])..at(along[0]) + n]);
        for &t in &along[1..] {
            let shifted = &row[at(t)..at(t) + n];
            match combine {
                Combine::All => data[..n]
                    .iter_mut()
                    .zip(shifted)
                    .for_each(|(a, &r)| *a &= r),
                Combine::Any => data[..n]
                    .iter_mut()
                    .zip(shifted)
                    .for_each(|(a, &r)| *a |= r),
            }
        }
    }
    let slot = &mut cache.slots[k];
    slot.data = data;
    slot.line = line;
    slot.kind = kind;
    slot.used = cache.clock;
    Ok(k)
}

/// The slot holding source line `src` (its row-axis entry ignored) padded with `border`.
fn raw_row(
    source: &Bits<'_>,
    plan: &Plan,
    src: &[usize],
    border: bool,
    cache: &mut RowCache,
    line_of: &impl Fn(&[usize]) -> usize,
    width: usize,
) -> Result<usize, Error> {
    let mut coords = src.to_vec();
    coords[plan.axis] = 0;
    let line = line_of(&coords);
    let kind = usize::from(border);
    if let Some(k) = cache.find(line, kind) {
        cache.slots[k].used = cache.clock;
        return Ok(k);
    }
    let k = cache.victim(width)?;
    let slot = &mut cache.slots[k];
    let (lo, n) = (plan.pad_lo, plan.n);
    slot.data[..lo].fill(u8::from(border));
    slot.data[lo + n..].fill(u8::from(border));
    source.read(&coords, plan.axis, 0, &mut slot.data[lo..lo + n]);
    slot.line = line;
    slot.kind = kind;
    slot.used = cache.clock;
    Ok(k)
}
