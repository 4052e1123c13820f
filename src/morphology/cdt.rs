//! scipy's `distance_transform_cdt`: the chamfer distance transform, two raster passes with
//! the causal half of a 3×…×3 metric structure (the first half in C order), the second pass
//! on the array reversed along every axis.
//!
//! Per element, scipy takes the offsets in C order of the metric and keeps a neighbour's
//! distance plus one when it is strictly smaller (ties keep the earlier offset and the
//! element's own value). Every causal offset but one reaches into an earlier row, whose values
//! are final for the pass; the one left, the previous element of the row, is the last in C
//! order. So a row is computed as: the earlier rows' offsets for the whole row at once (no
//! dependency between the row's elements: loops the compiler vectorises), then one sequential
//! sweep for the previous element: the same comparisons in the same order.

#![forbid(unsafe_code)]

use super::edt::check_indices;
use crate::args;
use crate::array::{advance, ArrayMut, ArrayRef, AsInput, DType, Source};
use crate::engine::Footprint;
use crate::error::{try_vec, Error};
use crate::parallel::{run_here, Stop, Threads};

/// An element not reached yet (scipy's -1); adding 1 saturates, so it never wins a comparison.
const UNKNOWN: i32 = i32::MAX;

/// The causal offsets of a metric: per offset, the row offset (flat, in rows) and the offset
/// along the row, and the coordinates' offsets on the axes before the last (to check rows).
struct Offsets {
    up: Vec<(Vec<isize>, isize)>,
    left: bool,
}

fn offsets(metric: &Footprint) -> Offsets {
    let shape = metric.shape();
    let rank = shape.len();
    let half = metric.mask().len() / 2;
    let mut up = Vec::new();
    let mut left = false;
    let mut index = vec![0usize; rank];
    for &m in &metric.mask()[..half] {
        if m {
            let o: Vec<isize> = index.iter().map(|&k| k as isize - 1).collect();
            if o[..rank - 1].iter().all(|&d| d == 0) {
                // The only causal offset within the row: the previous element (last in C order).
                left = true;
            } else {
                up.push((o[..rank - 1].to_vec(), o[rank - 1]));
            }
        }
        advance(&mut index, shape, None);
    }
    Offsets { up, left }
}

/// A flat feature index: u32 where the array allows, to halve the memory.
trait Flat: Copy + Default + Send + Sync {
    fn from_usize(k: usize) -> Self;
    fn to_usize(self) -> usize;
}
impl Flat for u32 {
    fn from_usize(k: usize) -> Self {
        k as u32
    }
    fn to_usize(self) -> usize {
        self as usize
    }
}
impl Flat for usize {
    fn from_usize(k: usize) -> Self {
        k
    }
    fn to_usize(self) -> usize {
        self
    }
}

/// One raster pass in C order over `dist` (and `feat`, when kept), both C-ordered.
fn pass<F: Flat>(
    dist: &mut [i32],
    mut feat: Option<&mut [F]>,
    shape: &[usize],
    offsets: &Offsets,
    stop: &Stop,
) {
    let rank = shape.len();
    let n = shape[rank - 1];
    let rows_shape = &shape[..rank - 1];
    let mut row = vec![0usize; rank - 1];
    // Flat row offset of each up offset.
    let row_delta: Vec<isize> = offsets
        .up
        .iter()
        .map(|(du, _)| {
            let mut flat = 0isize;
            let mut m = 1isize;
            for a in (0..rank - 1).rev() {
                flat += du[a] * m;
                m *= shape[a] as isize;
            }
            flat
        })
        .collect();
    let rows: usize = rows_shape.iter().product();
    for r in 0..rows {
        if r % 64 == 0 && stop.tick((64 * n) as u64) {
            return;
        }
        let start = r * n;
        let (before, rest) = dist.split_at_mut(start);
        let cur = &mut rest[..n];
        let (fbefore, fcur) = match feat.as_deref_mut() {
            Some(f) => {
                let (b, rest) = f.split_at_mut(start);
                (Some(&*b), Some(&mut rest[..n]))
            }
            None => (None, None),
        };
        let mut fcur = fcur;
        for ((du, dx), &delta) in offsets.up.iter().zip(&row_delta) {
            let inside = (0..rank - 1).all(|a| {
                let p = row[a] as isize + du[a];
                p >= 0 && (p as usize) < shape[a]
            });
            if !inside {
                continue;
            }
            let src = (r as isize + delta) as usize * n;
            // Positions x whose neighbour x + dx lies in the row.
            let (lo, hi) = match dx {
                -1 => (1, n),
                1 => (0, n.saturating_sub(1)),
                _ => (0, n),
            };
            if lo >= hi {
                continue;
            }
            let s0 = (src as isize + lo as isize + dx) as usize;
            let srow = &before[s0..s0 + (hi - lo)];
            match (fbefore, fcur.as_deref_mut()) {
                (Some(fb), Some(fc)) => {
                    let fsrc = &fb[s0..s0 + (hi - lo)];
                    for ((c, f), (&t, &ft)) in cur[lo..hi]
                        .iter_mut()
                        .zip(fc[lo..hi].iter_mut())
                        .zip(srow.iter().zip(fsrc))
                    {
                        let cand = t.saturating_add(1);
                        if cand < *c {
                            *c = cand;
                            *f = ft;
                        }
                    }
                }
                _ => {
                    for (c, &t) in cur[lo..hi].iter_mut().zip(srow) {
                        *c = (*c).min(t.saturating_add(1));
                    }
                }
            }
        }
        if offsets.left {
            match fcur {
                Some(fc) => {
                    for x in 1..n {
                        let cand = cur[x - 1].saturating_add(1);
                        if cand < cur[x] {
                            cur[x] = cand;
                            fc[x] = fc[x - 1];
                        }
                    }
                }
                None => {
                    for x in 1..n {
                        let cand = cur[x - 1].saturating_add(1);
                        if cand < cur[x] {
                            cur[x] = cand;
                        }
                    }
                }
            }
        }
        advance(&mut row, rows_shape, None);
    }
}

/// scipy.ndimage.distance_transform_cdt: the chamfer distance (in steps of `metric`'s
/// neighbours) of every element to the nearest zero element of `input`, and/or that
/// element's coordinates. `metric`: a structure of `3` along every one of the input's axes
/// (scipy's `'chessboard'` is [`super::generate_binary_structure`]`(rank, rank)`,
/// `'taxicab'` `(rank, 1)`); only its first half in C order is used, as given (asymmetric
/// metrics included).
///
/// - `distances`: `None`, or int32 of the input's shape; elements the passes do not reach
///   (no zero element reachable) get -1, as in scipy.
/// - `indices`: `None`, or int32 of shape `(rank,) + input shape` (an unreached element's own
///   coordinates).
///
/// Memory: 4 bytes per element for the distances and, with indices, 4 more (8 for arrays of
/// more than 2³² elements). The passes run on the calling thread (each row depends on the
/// previous ones).
pub fn distance_transform_cdt<'a>(
    input: impl AsInput<'a>,
    metric: &Footprint,
    mut distances: Option<ArrayMut<'a>>,
    mut indices: Option<ArrayMut<'a>>,
    threads: Threads,
) -> Result<(), Error> {
    let input = input.into_input();
    args::at_least_rank_1(input.rank(), "input")?;
    args::real(input.dtype(), "input")?;
    let rank = input.rank();
    if metric.rank() != rank || metric.shape().iter().any(|&s| s != 3) {
        return Err(Error::ShapeMismatch(format!(
            "metric shape {:?}: it must have size 3 along each of the input's {rank} axes",
            metric.shape()
        )));
    }
    if distances.is_none() && indices.is_none() {
        return Err(Error::InvalidArgument(
            "at least one of distances and indices must be requested".into(),
        ));
    }
    if let Some(d) = distances.as_ref() {
        if d.dtype() != DType::Int32 {
            return Err(Error::InvalidArray(format!(
                "distances must be int32, not {}",
                d.dtype().name()
            )));
        }
        if d.shape() != input.shape() {
            return Err(Error::ShapeMismatch(format!(
                "distances shape {:?} differs from input shape {:?}",
                d.shape(),
                input.shape()
            )));
        }
    }
    if let Some(i) = indices.as_ref() {
        check_indices(i, input.shape())?;
    }
    if let (Some(d), Some(i)) = (distances.as_ref(), indices.as_ref()) {
        if crate::array::owned::ranges_overlap(d.byte_range(), i.byte_range()) {
            return Err(Error::InvalidArray(
                "distances and indices share memory".into(),
            ));
        }
    }
    threads.resolve()?;
    if input.is_empty() {
        return Ok(());
    }
    // The input is read before anything is written, so it needs no copy.
    let source = Source::Borrowed(input);
    let input = source.view();
    let offsets = offsets(metric);
    if indices.is_some() && input.layout().len() <= u32::MAX as usize {
        run::<u32>(&input, &offsets, distances.as_mut(), indices.as_mut())
    } else {
        run::<usize>(&input, &offsets, distances.as_mut(), indices.as_mut())
    }
}

fn run<F: Flat>(
    input: &ArrayRef<'_>,
    offsets: &Offsets,
    distances: Option<&mut ArrayMut<'_>>,
    indices: Option<&mut ArrayMut<'_>>,
) -> Result<(), Error> {
    let shape = input.shape().to_vec();
    let rank = shape.len();
    let last = rank - 1;
    let n = shape[last];
    let len = input.layout().len();
    let mut dist = try_vec(len, 0i32, "the distances")?;
    let mut bits = try_vec(n, 0u8, "a row buffer")?;
    let mut index = vec![0usize; rank];
    for row in dist.chunks_mut(n) {
        input.read_run_nonzero(&index, last, 0, &mut bits);
        for (d, &b) in row.iter_mut().zip(&bits) {
            *d = if b != 0 { UNKNOWN } else { 0 };
        }
        advance(&mut index, &shape, Some(last));
    }
    let mut feat: Option<Vec<F>> = match indices {
        Some(_) => {
            let mut f = try_vec(len, F::default(), "the feature indices")?;
            for (k, v) in f.iter_mut().enumerate() {
                *v = F::from_usize(k);
            }
            Some(f)
        }
        None => None,
    };
    run_here(2 * len as u64, |stop| {
        pass(&mut dist, feat.as_deref_mut(), &shape, offsets, stop);
        // The second pass is the first on the array reversed along every axis, which is the
        // reversed C order.
        dist.reverse();
        if let Some(f) = feat.as_mut() {
            f.reverse();
        }
        pass(&mut dist, feat.as_deref_mut(), &shape, offsets, stop);
        dist.reverse();
        if let Some(f) = feat.as_mut() {
            f.reverse();
        }
        Ok(())
    })?;
    if let Some(out) = distances {
        let mut row = try_vec(n, 0i32, "a row buffer")?;
        let mut index = vec![0usize; rank];
        for chunk in dist.chunks(n) {
            for (o, &d) in row.iter_mut().zip(chunk) {
                *o = if d == UNKNOWN { -1 } else { d };
            }
            out.store_run_as(&index, last, 0, &row);
            advance(&mut index, &shape, Some(last));
        }
    }
    if let (Some(out), Some(feat)) = (indices, feat) {
        store_flat_indices(&feat, &shape, out)?;
    }
    Ok(())
}

/// Stores flat C-order indices as coordinates: `out[a][i]` = coordinate `a` of `flat[i]`.
fn store_flat_indices<F: Flat>(
    flat: &[F],
    shape: &[usize],
    out: &mut ArrayMut<'_>,
) -> Result<(), Error> {
    let rank = shape.len();
    let last = rank - 1;
    let n = shape[last];
    let mut strides = vec![1usize; rank];
    for a in (0..last).rev() {
        strides[a] = strides[a + 1] * shape[a + 1];
    }
    let mut row = try_vec(n, 0i32, "a row buffer")?;
    for a in 0..rank {
        let mut index = vec![0usize; rank + 1];
        index[0] = a;
        for chunk in flat.chunks(n) {
            for (o, &f) in row.iter_mut().zip(chunk) {
                *o = ((f.to_usize() / strides[a]) % shape[a]) as i32;
            }
            out.store_run_as(&index, last + 1, 0, &row);
            advance(&mut index[1..], shape, Some(last));
        }
    }
    Ok(())
}
