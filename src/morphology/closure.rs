//! Iterated dilation as a flood fill: the fixed point (or the first `n` steps) of
//! `X ← X ∪ (mask ∩ {i : some X[i + e] true})`, the dilation whose structure has its centre
//! true, which only adds pixels, so iterating it converges. Iterated erosion with a true
//! centre is the same on the complement (`NOT erosion(X) = dilation(NOT X)` with the offsets
//! negated and the border inverted).
//!
//! Each pass of a brute-force iteration reads every pixel; the flood visits each pixel that
//! changes once, from the pixels that changed in the step before (breadth first, so the
//! `n`-step result is the first `n` layers), which is what makes iterating until nothing
//! changes cost one pass instead of one pass per step.

#![forbid(unsafe_code)]

use super::rows::Bits;
use crate::array::{advance, ArrayMut};
use crate::error::{try_vec, Error};
use crate::parallel::run_here;

/// Not reached yet, and may be (inside the mask).
const CANDIDATE: u8 = 0;
/// True from the start (a source, kept).
const TRUE: u8 = 1;
/// False and never changes (outside the mask), or outside the array with a false border.
const BLOCKED: u8 = 2;
/// Outside the array with a true border: a source that is never written.
const OUTSIDE_TRUE: u8 = 3;
/// Reached by the flood.
const REACHED: u8 = 4;

/// The flood of `seeds` through `mask` along `offsets` (pixel `i` is reached when the pixel at
/// `i + e` is true or reached, for an offset `e`), `steps` steps (`None`: until nothing
/// changes); positions outside the array are true when `outside_true`. Stores the result, or
/// its complement with `invert_output`, into `output` (the seeds' shape).
pub(crate) fn flood(
    seeds: Option<&Bits<'_>>,
    mask: Option<&Bits<'_>>,
    offsets: &[Vec<isize>],
    outside_true: bool,
    steps: Option<u64>,
    output: &mut ArrayMut<'_>,
    invert_output: bool,
) -> Result<(), Error> {
    let shape = output.shape().to_vec();
    if output.is_empty() {
        return Ok(());
    }
    let rank = shape.len();
    let offsets: Vec<&Vec<isize>> = offsets
        .iter()
        .filter(|o| o.iter().any(|&d| d != 0))
        .collect();
    // A border as wide as the reach of the offsets on each axis, so that no neighbour needs a
    // bounds check.
    let pad: Vec<usize> = (0..rank)
        .map(|a| {
            offsets
                .iter()
                .map(|o| o[a].unsigned_abs())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let padded: Vec<usize> = shape.iter().zip(&pad).map(|(&n, &p)| n + 2 * p).collect();
    let too_large = || Error::OutOfMemory("the flood's padded state is too large".into());
    let len = padded
        .iter()
        .try_fold(1usize, |acc, &n| acc.checked_mul(n))
        .filter(|&l| l <= isize::MAX as usize)
        .ok_or_else(too_large)?;
    let mut strides = vec![1isize; rank];
    for a in (0..rank.saturating_sub(1)).rev() {
        strides[a] = strides[a + 1] * padded[a + 1] as isize;
    }
    // Stepping from a reached pixel j to the pixels it reaches: i = j − e.
    let steps_back: Vec<isize> = offsets
        .iter()
        .map(|o| -(0..rank).map(|a| o[a] * strides[a]).sum::<isize>())
        .collect();
    let outside = if outside_true { OUTSIDE_TRUE } else { BLOCKED };
    let mut state = try_vec(len, outside, "the flood's state")?;
    let last = rank - 1;
    let n = shape[last];
    let mut row = try_vec(n, 0u8, "a row buffer")?;
    let mut mrow = try_vec(if mask.is_some() { n } else { 0 }, 0u8, "a row buffer")?;
    let origin: usize = (0..rank).map(|a| pad[a] * strides[a] as usize).sum();
    let at = |index: &[usize]| -> usize {
        origin
            + (0..rank)
                .map(|a| index[a] * strides[a] as usize)
                .sum::<usize>()
    };
    let mut index = vec![0usize; rank];
    loop {
        match seeds {
            Some(s) => s.read(&index, last, 0, &mut row),
            None => row.fill(0),
        }
        if let Some(m) = mask {
            m.read(&index, last, 0, &mut mrow);
        }
        let base = at(&index);
        let cells = &mut state[base..base + n];
        // With x and m 0 or 1: TRUE (1) where x, else CANDIDATE (0) where m, else BLOCKED (2).
        match mask {
            Some(_) => {
                for ((c, &x), &m) in cells.iter_mut().zip(&row).zip(&mrow) {
                    *c = x | (((x | m) ^ 1) << 1);
                }
            }
            None => cells.copy_from_slice(&row),
        }
        if !advance(&mut index, &shape, Some(last)) {
            break;
        }
    }
    let total = output.layout().len() as u64;
    run_here(total, |stop| {
        // Step 1: the candidates next to a source (a true pixel or a true outside).
        let mut layer: Vec<usize> = Vec::new();
        for j in 0..len {
            let v = state[j];
            if v != TRUE && v != OUTSIDE_TRUE {
                continue;
            }
            for &s in &steps_back {
                let i = j.wrapping_add_signed(s);
                if let Some(c) = state.get_mut(i) {
                    if *c == CANDIDATE {
                        *c = REACHED;
                        layer.push(i);
                    }
                }
            }
        }
        if steps.is_none() {
            if let Some(groups) = span_groups(offsets.iter().copied(), &strides, rank) {
                return spans(&mut state, &layer, &groups, stop);
            }
        }
        let mut next: Vec<usize> = Vec::new();
        let mut step = 1u64;
        while !layer.is_empty() && steps.map_or(true, |s| step < s) {
            if stop.tick(layer.len() as u64) {
                return Ok(());
            }
            for &j in &layer {
                for &s in &steps_back {
                    let i = j.wrapping_add_signed(s);
                    // Reached pixels are inside the array, and the padding keeps every
                    // neighbour of an inside pixel in the state.
                    let c = &mut state[i];
                    if *c == CANDIDATE {
                        *c = REACHED;
                        next.push(i);
                    }
                }
            }
            std::mem::swap(&mut layer, &mut next);
            next.clear();
            step += 1;
        }
        Ok(())
    })?;
    let flip = u8::from(invert_output);
    let mut index = vec![0usize; rank];
    loop {
        let base = at(&index);
        for (r, &c) in row.iter_mut().zip(&state[base..base + n]) {
            *r = (u8::from(c == TRUE) | u8::from(c == REACHED)) ^ flip;
        }
        output.store_run_bits(&index, last, 0, &row);
        if !advance(&mut index, &shape, Some(last)) {
            return Ok(());
        }
    }
}

/// The offsets grouped by the row they reach (a flat row offset, from a reached pixel's row to
/// the row of the pixels it reaches) with the offsets along the row (from a reached pixel at
/// `x` to those at `x + dx`), for the span flood; `None` unless the offsets within a row
/// include both neighbours (then a reached pixel reaches its whole run of candidates).
fn span_groups<'o>(
    offsets: impl Iterator<Item = &'o Vec<isize>>,
    strides: &[isize],
    rank: usize,
) -> Option<Vec<(isize, Vec<isize>)>> {
    let last = rank - 1;
    let mut groups: Vec<(isize, Vec<isize>)> = Vec::new();
    for o in offsets {
        // From j, the reached pixel is i = j − e.
        let row: isize = -(0..last).map(|a| o[a] * strides[a]).sum::<isize>();
        let dx = -o[last];
        match groups.iter_mut().find(|(r, _)| *r == row) {
            Some((_, d)) => d.push(dx),
            None => groups.push((row, vec![dx])),
        }
    }
    for (_, d) in groups.iter_mut() {
        d.sort_unstable();
        d.dedup();
    }
    let in_row = groups.iter().find(|(r, _)| *r == 0)?;
    (in_row.1.contains(&-1) && in_row.1.contains(&1)).then_some(groups)
}

/// The flood to its end by runs: every reached pixel reaches the whole run of candidates it
/// lies in (its row neighbours are among the offsets), so the flood marks runs and, from each
/// new run, scans the rows it reaches for candidates. `seeds`: the pixels reached by the first
/// step.
fn spans(
    state: &mut [u8],
    seeds: &[usize],
    groups: &[(isize, Vec<isize>)],
    stop: &crate::parallel::Stop,
) -> Result<(), Error> {
    let mut stack: Vec<(usize, usize)> = Vec::new();
    // The padding keeps every neighbour of an inside pixel in the state, and runs of
    // candidates never leave the inside (the padding is never a candidate).
    let run = |state: &mut [u8], i: usize| -> (usize, usize) {
        let (mut lo, mut hi) = (i, i);
        while state[lo - 1] == CANDIDATE {
            lo -= 1;
        }
        while state[hi + 1] == CANDIDATE {
            hi += 1;
        }
        state[lo..=hi].fill(REACHED);
        (lo, hi)
    };
    // The first step marked single pixels: make them candidates again, then take each one's
    // run (once: a run may hold several).
    for &i in seeds {
        state[i] = CANDIDATE;
    }
    for &i in seeds {
        if state[i] == CANDIDATE {
            stack.push(run(state, i));
        }
    }
    let mut work = 0u64;
    while let Some((lo, hi)) = stack.pop() {
        work += (hi - lo + 1) as u64;
        if work > 1 << 16 {
            if stop.tick(work) {
                return Ok(());
            }
            work = 0;
        }
        let len = (hi - lo + 1) as isize;
        for (row, dxs) in groups {
            let mut k = 0;
            while k < dxs.len() {
                // Consecutive offsets whose shifted runs overlap or touch scan as one range.
                let first = dxs[k];
                let mut end = first;
                while k + 1 < dxs.len() && dxs[k + 1] - end <= len {
                    k += 1;
                    end = dxs[k];
                }
                k += 1;
                let from = (lo as isize + row + first) as usize;
                let to = (hi as isize + row + end) as usize;
                let mut x = from;
                while x <= to {
                    if state[x] == CANDIDATE {
                        let (a, b) = run(state, x);
                        stack.push((a, b));
                        x = b + 2;
                    } else {
                        x += 1;
                    }
                }
            }
        }
    }
    Ok(())
}
