//! scipy's `distance_transform_bf`: for every foreground element, the nearest of the
//! background elements that touch the foreground (full connectivity), by trying them all.
//! scipy keeps its candidates in reverse C order and the first strictly smaller distance, so
//! ties go to the candidate last in C order; distances and metrics are computed as scipy
//! computes them (squared Euclidean sums in axis order, unsigned 32-bit city block and
//! chessboard).

#![forbid(unsafe_code)]

use super::edt::check_indices;
use super::rows::{self, Bits, Combine, Operator, TapSet};
use crate::args;
use crate::array::{advance, ArrayMut, AsInput, DType, OwnedArray, Source};
use crate::error::{try_vec, Error};
use crate::parallel::{for_each_task, Threads};
use std::sync::Mutex;

/// A distance metric (the C API's `NDI_METRIC_*` codes are its discriminants: a range of their
/// own, 0x400 + k).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum Metric {
    /// `sqrt(Σ (Δ_a · sampling_a)²)`.
    Euclidean = 0x400,
    /// `Σ |Δ_a|` (scipy's "taxicab", "cityblock", "manhattan").
    Taxicab = 0x401,
    /// `max |Δ_a|`.
    Chessboard = 0x402,
}

impl Metric {
    /// Every metric.
    pub const ALL: [Metric; 3] = [Metric::Euclidean, Metric::Taxicab, Metric::Chessboard];

    /// scipy's `distance_transform_bf` names, case-insensitive as it reads them.
    pub fn from_name(name: &str) -> Option<Metric> {
        match name.to_lowercase().as_str() {
            "euclidean" => Some(Metric::Euclidean),
            "taxicab" | "cityblock" | "manhattan" => Some(Metric::Taxicab),
            "chessboard" => Some(Metric::Chessboard),
            _ => None,
        }
    }
}

impl TryFrom<i32> for Metric {
    type Error = i32;
    /// The metric of a C `NDI_METRIC_*` code; the code itself when it is none.
    fn try_from(code: i32) -> Result<Self, i32> {
        Metric::ALL
            .into_iter()
            .find(|&m| m as i32 == code)
            .ok_or(code)
    }
}

/// Candidate found for an element: its index in the candidate list, or one of these.
const BACKGROUND: usize = usize::MAX;
const NONE_FOUND: usize = usize::MAX - 1;

/// scipy.ndimage.distance_transform_bf: the distance of every element to the nearest zero
/// element of `input` under `metric` (0 on the background), and/or that element's
/// coordinates, by brute force.
///
/// - `sampling`: spacing per axis (`None`: 1), used by the Euclidean metric only (as scipy).
/// - `distances`: `None`, or the input's shape, float64 for the Euclidean metric and uint32
///   for the others.
/// - `indices`: `None`, or int32 of shape `(rank,) + input shape`. Ties go to the candidate
///   last in C order (scipy's order).
/// - An input without background gives `+inf` (uint32 metrics: 4294967295, as scipy) and
///   indices -1 (scipy: 0).
///
/// Time: (foreground elements) × (background elements touching the foreground). Memory: 10
/// bytes per element and the candidates' coordinates.
pub fn distance_transform_bf<'a>(
    input: impl AsInput<'a>,
    metric: Metric,
    sampling: Option<&[f64]>,
    mut distances: Option<ArrayMut<'a>>,
    mut indices: Option<ArrayMut<'a>>,
    threads: Threads,
) -> Result<(), Error> {
    let input = input.into_input();
    args::at_least_rank_1(input.rank(), "input")?;
    args::real(input.dtype(), "input")?;
    let rank = input.rank();
    if distances.is_none() && indices.is_none() {
        return Err(Error::InvalidArgument(
            "at least one of distances and indices must be requested".into(),
        ));
    }
    if let Some(s) = sampling {
        args::count("sampling", rank, s.len())?;
    }
    if let Some(d) = distances.as_ref() {
        let want = if metric == Metric::Euclidean {
            DType::Float64
        } else {
            DType::UInt32
        };
        if d.dtype() != want {
            return Err(Error::InvalidArray(format!(
                "distances must be {} for this metric, not {}",
                want.name(),
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
    let threads = threads.resolve()?;
    if input.is_empty() {
        return Ok(());
    }
    let shape = input.shape().to_vec();
    let len = input.layout().len();
    let last = rank - 1;
    let n = shape[last];
    // The input is read before anything is written, so it needs no copy.
    let source = Source::Borrowed(input);
    let bits = Bits {
        view: source.view(),
        invert: false,
    };
    // Candidates: background elements next to the foreground (a dilation by the full 3^n
    // box, border 0).
    let mut grown = OwnedArray::for_overwrite(DType::UInt8, &shape)?;
    let box3 = vec![3usize; rank];
    let mut all = Vec::new();
    let mut k = vec![0usize; rank];
    loop {
        all.push(k.iter().map(|&v| v as isize - 1).collect());
        if !advance(&mut k, &box3, None) {
            break;
        }
    }
    let op = Operator {
        first: TapSet {
            offsets: all,
            combine: Combine::Any,
            border: false,
        },
        second: None,
    };
    rows::pass(&bits, None, &op, &mut grown.view_mut(), threads, false)?;
    let mut foreground = try_vec(len, 0u8, "the foreground")?;
    let mut candidates: Vec<isize> = Vec::new();
    {
        let grown = grown.view();
        let mut row = try_vec(n, 0u8, "a row buffer")?;
        let mut index = vec![0usize; rank];
        for chunk in foreground.chunks_mut(n) {
            bits.read(&index, last, 0, chunk);
            grown.read_run_nonzero(&index, last, 0, &mut row);
            for x in 0..n {
                if chunk[x] == 0 && row[x] != 0 {
                    index[last] = x;
                    candidates.extend(index.iter().map(|&v| v as isize));
                }
            }
            index[last] = 0;
            advance(&mut index, &shape, Some(last));
        }
    }
    drop(grown);
    // scipy's list is in reverse C order.
    let count = candidates.len() / rank;
    let candidates: Vec<&[isize]> = candidates.chunks(rank).rev().collect();
    let scale: Vec<f64> = match sampling {
        Some(s) => s.to_vec(),
        None => vec![1.0; rank],
    };
    // The nearest candidate of every element, in parallel over chunks of elements.
    let chunk = 4096.max(len.div_ceil(threads * 16));
    let tasks = len.div_ceil(chunk);
    let results: Mutex<Vec<Option<Vec<usize>>>> = Mutex::new(vec![None; tasks]);
    let strides = {
        let mut s = vec![1usize; rank];
        for a in (0..last).rev() {
            s[a] = s[a + 1] * shape[a + 1];
        }
        s
    };
    for_each_task(tasks, threads, (len * count.max(1)) as u64, |t, stop| {
        let (lo, hi) = (t * chunk, ((t + 1) * chunk).min(len));
        let mut best = Vec::with_capacity(hi - lo);
        let mut coords = vec![0isize; rank];
        for (e, &fg) in foreground[lo..hi].iter().enumerate() {
            let flat = lo + e;
            if fg == 0 {
                best.push(BACKGROUND);
                continue;
            }
            for a in 0..rank {
                coords[a] = ((flat / strides[a]) % shape[a]) as isize;
            }
            best.push(nearest(metric, &coords, &candidates, &scale));
            if e % 64 == 0 && stop.tick(64 * count as u64) {
                return Ok(());
            }
        }
        results.lock().unwrap_or_else(|e| e.into_inner())[t] = Some(best);
        Ok(())
    })?;
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    let best: Vec<usize> = results.into_iter().flatten().flatten().collect();
    debug_assert_eq!(
        best.len(),
        len,
        "every task ran (a failed one returned above)"
    );
    if let Some(out) = distances.as_mut() {
        let mut index = vec![0usize; rank];
        let mut coords = vec![0isize; rank];
        let mut f64_row = try_vec(n, 0.0f64, "a row buffer")?;
        let mut u32_row = try_vec(n, 0u32, "a row buffer")?;
        for (r, chunk) in best.chunks(n).enumerate() {
            for (x, &b) in chunk.iter().enumerate() {
                let flat = r * n + x;
                for a in 0..rank {
                    coords[a] = ((flat / strides[a]) % shape[a]) as isize;
                }
                match metric {
                    Metric::Euclidean => {
                        f64_row[x] = match b {
                            BACKGROUND => 0.0,
                            NONE_FOUND => f64::INFINITY,
                            c => euclidean(&coords, candidates[c], &scale).sqrt(),
                        }
                    }
                    _ => {
                        u32_row[x] = match b {
                            BACKGROUND => 0,
                            NONE_FOUND => u32::MAX,
                            c => steps(metric, &coords, candidates[c]),
                        }
                    }
                }
            }
            if metric == Metric::Euclidean {
                out.store_run_as(&index, last, 0, &f64_row);
            } else {
                out.store_run_as(&index, last, 0, &u32_row);
            }
            advance(&mut index, &shape, Some(last));
        }
    }
    if let Some(out) = indices.as_mut() {
        let mut row = try_vec(n, 0i32, "a row buffer")?;
        for a in 0..rank {
            let mut index = vec![0usize; rank + 1];
            index[0] = a;
            for (r, chunk) in best.chunks(n).enumerate() {
                for (x, &b) in chunk.iter().enumerate() {
                    let flat = r * n + x;
                    row[x] = match b {
                        BACKGROUND => ((flat / strides[a]) % shape[a]) as i32,
                        NONE_FOUND => -1,
                        c => candidates[c][a] as i32,
                    };
                }
                out.store_run_as(&index, last + 1, 0, &row);
                advance(&mut index[1..], &shape, Some(last));
            }
        }
    }
    Ok(())
}

/// scipy's squared Euclidean distance: `Σ ((i_a − q_a) · s_a)²` in axis order from 0.
#[inline]
fn euclidean(i: &[isize], q: &[isize], s: &[f64]) -> f64 {
    let mut d = 0.0;
    for a in 0..i.len() {
        let t = (i[a] - q[a]) as f64 * s[a];
        d += t * t;
    }
    d
}

/// scipy's unsigned 32-bit city block or chessboard distance.
#[inline]
fn steps(metric: Metric, i: &[isize], q: &[isize]) -> u32 {
    let mut d = 0u32;
    for a in 0..i.len() {
        let t = (i[a] - q[a]).unsigned_abs() as u32;
        if metric == Metric::Taxicab {
            d = d.wrapping_add(t);
        } else if t > d {
            d = t;
        }
    }
    d
}

/// The first candidate (in list order) at the smallest distance, as scipy's scan keeps it:
/// starting from `DBL_MAX` / `UINT_MAX` and replacing only on a strictly smaller distance.
fn nearest(metric: Metric, i: &[isize], candidates: &[&[isize]], s: &[f64]) -> usize {
    let mut best = NONE_FOUND;
    match metric {
        Metric::Euclidean => {
            let mut distance = f64::MAX;
            for (c, q) in candidates.iter().enumerate() {
                let d = euclidean(i, q, s);
                if d < distance {
                    distance = d;
                    best = c;
                }
            }
        }
        _ => {
            let mut distance = u32::MAX;
            for (c, q) in candidates.iter().enumerate() {
                let d = steps(metric, i, q);
                if d < distance {
                    distance = d;
                    best = c;
                }
            }
        }
    }
    best
}
