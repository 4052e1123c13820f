//! scipy's `distance_transform_edt`: the exact Euclidean feature transform of Maurer et al.,
//! one pass per axis, with scipy's envelope test and distance formula operation for operation.
//!
//! scipy keeps the full feature vector of every element and recomputes, on each line, the
//! squared distance of a site to its feature over the axes already processed (`R`, summed in
//! axis order). That sum is exactly what the previous pass computed at the site (the squared
//! distance of its chosen feature, summed in the same order), so without indices a pass only
//! needs the `R` of each element, not its features: the passes then run on `f64` lines held in
//! the distances output itself (the line pass engine), and the last pass stores `sqrt(R)`,
//! which equals scipy's distance computed from the features. With indices the features are
//! kept in the caller's indices array and `R` is recomputed per line, as scipy does.

#![forbid(unsafe_code)]

use crate::args;
use crate::array::lines::LineBlocks;
use crate::array::{advance, ArrayMut, ArrayRef, AsInput, DType, Source};
use crate::engine::line_pass::{LinePass, Pad};
use crate::engine::separable::separable;
use crate::error::{try_vec, CallbackError, Error};
use crate::parallel::{for_each_part, for_each_part_keeping, Threads};

/// `R` of an element that is not a site (no background element found on the axes so far).
const NO_SITE: f64 = -1.0;

/// The lower envelope of one line's sites and the nearest site of every position.
#[derive(Default)]
struct Envelope {
    /// Positions (as doubles, as scipy computes with them) and `R` of the sites kept, in
    /// increasing position: the first `len` entries.
    pos: Vec<f64>,
    r: Vec<f64>,
    len: usize,
    /// The next site at or after each position (first passes).
    next: Vec<f64>,
}

/// Whether an element with this `R` is a site: `R >= 0`, or NaN (a NaN sampling makes every
/// `R` NaN; scipy tests the feature index, which is not negative there).
#[inline]
fn is_site(r: f64) -> bool {
    r >= 0.0 || r.is_nan()
}

/// Whether a first pass (every site's `R` is 0) can take the nearest site directly: with a
/// positive spacing scipy's envelope keeps every site, and when `((p − x)·s)²` neither
/// underflows nor overflows over the line it strictly grows with `|p − x|`, so scipy's
/// scan stops at the nearest site, the left one of two at the same distance.
fn plain_first_pass(s: f64, n: usize) -> bool {
    s > 0.0 && s.is_finite() && s >= 1e-100 && n as f64 * s <= 1e100
}

impl Envelope {
    /// For every position `x` of the line whose sites are the elements with `r[x] >= 0` (or
    /// NaN; negative: no site), calls `emit(x, site, R)` with its nearest site (scipy's scan:
    /// ties keep the earlier site) and the squared distance to that site's feature. `s` is
    /// the sampling along the line; `first`: every site's `R` is 0 (the first pass). Returns
    /// false, calling nothing, if the line has no site.
    #[inline]
    fn solve(
        &mut self,
        r: &[f64],
        s: f64,
        first: bool,
        emit: impl FnMut(usize, usize, f64),
    ) -> bool {
        if first && plain_first_pass(s, r.len()) {
            return self.nearest(r, s, emit);
        }
        if !self.build(r, s) {
            return false;
        }
        self.query(r.len(), s, emit);
        true
    }

    /// The first pass's nearest site, from the last site before and the next one after.
    #[inline]
    fn nearest(&mut self, r: &[f64], s: f64, mut emit: impl FnMut(usize, usize, f64)) -> bool {
        let n = r.len();
        self.next.resize(n, 0.0);
        let mut next = -1.0;
        for x in (0..n).rev() {
            if is_site(r[x]) {
                next = x as f64;
            }
            self.next[x] = next;
        }
        if next < 0.0 {
            return false;
        }
        let mut last = -1.0;
        let mut xf = 0.0;
        for (x, (&rx, &nx)) in r.iter().zip(&self.next).enumerate() {
            if is_site(rx) {
                last = xf;
            }
            let (p, d) = if last < 0.0 {
                let t = (nx - xf) * s;
                (nx, t * t)
            } else if nx < 0.0 {
                let t = (last - xf) * s;
                (last, t * t)
            } else {
                let (tl, tr) = ((last - xf) * s, (nx - xf) * s);
                let (dl, dr) = (tl * tl, tr * tr);
                if dl <= dr {
                    (last, dl)
                } else {
                    (nx, dr)
                }
            };
            emit(x, p as usize, d);
            xf += 1.0;
        }
        true
    }

    /// Builds the envelope of the sites of `r`, with scipy's test. Returns false if there are
    /// none.
    #[inline]
    fn build(&mut self, r: &[f64], s: f64) -> bool {
        let n = r.len();
        if self.pos.len() < n {
            self.pos.resize(n, 0.0);
            self.r.resize(n, 0.0);
        }
        let (pos, rs) = (&mut self.pos[..n], &mut self.r[..n]);
        let mut len = 0usize;
        // The top two entries, kept in registers: `v` on top, `u` below it (when len >= 2).
        let (mut u, mut ur, mut v, mut vr) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
        let mut wf = 0.0f64;
        for &wr in r {
            if is_site(wr) {
                while len >= 2 {
                    // scipy's test, evaluated left to right as it writes it.
                    let a = (v - u) * s;
                    let b = (wf - v) * s;
                    let c = a + b;
                    if c * vr - b * ur - a * wr - a * b * c <= 0.0 {
                        break;
                    }
                    len -= 1;
                    (v, vr) = (u, ur);
                    if len >= 2 {
                        (u, ur) = (pos[len - 2], rs[len - 2]);
                    }
                }
                pos[len] = wf;
                rs[len] = wr;
                len += 1;
                (u, ur) = (v, vr);
                (v, vr) = (wf, wr);
            }
            wf += 1.0;
        }
        self.len = len;
        len > 0
    }

    /// scipy's scan along the envelope: a pointer that only moves forward, past a site while
    /// the next one is strictly nearer.
    #[inline]
    fn query(&self, n: usize, s: f64, mut emit: impl FnMut(usize, usize, f64)) {
        let (pos, rs) = (&self.pos[..self.len], &self.r[..self.len]);
        let last = self.len - 1;
        let mut l = 0;
        let (mut pl, mut rl) = (pos[0], rs[0]);
        let (mut pn, mut rn) = if last > 0 {
            (pos[1], rs[1])
        } else {
            (0.0, 0.0)
        };
        let mut xf = 0.0f64;
        for x in 0..n {
            let t = (pl - xf) * s;
            let mut d1 = rl + t * t;
            while l < last {
                let t2 = (pn - xf) * s;
                let d2 = rn + t2 * t2;
                if d1 <= d2 {
                    break;
                }
                d1 = d2;
                l += 1;
                (pl, rl) = (pn, rn);
                if l < last {
                    (pn, rn) = (pos[l + 1], rs[l + 1]);
                }
            }
            emit(x, pl as usize, d1);
            xf += 1.0;
        }
    }
}

/// The checks of [`distance_transform_edt`], in one place.
fn check(
    input: &ArrayRef<'_>,
    sampling: Option<&[f64]>,
    distances: Option<&ArrayMut<'_>>,
    indices: Option<&ArrayMut<'_>>,
) -> Result<(), Error> {
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
    if let Some(d) = distances {
        if d.dtype() != DType::Float64 {
            return Err(Error::InvalidArray(format!(
                "distances must be float64, not {}",
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
    if let Some(i) = indices {
        check_indices(i, input.shape())?;
    }
    if let (Some(d), Some(i)) = (distances, indices) {
        if crate::array::owned::ranges_overlap(d.byte_range(), i.byte_range()) {
            return Err(Error::InvalidArray(
                "distances and indices share memory".into(),
            ));
        }
    }
    Ok(())
}

/// An indices output: int32 of shape `(rank,) + shape`, every coordinate representable.
pub(super) fn check_indices(indices: &ArrayMut<'_>, shape: &[usize]) -> Result<(), Error> {
    if indices.dtype() != DType::Int32 {
        return Err(Error::InvalidArray(format!(
            "indices must be int32, not {}",
            indices.dtype().name()
        )));
    }
    let mut expected = vec![shape.len()];
    expected.extend_from_slice(shape);
    if indices.shape() != expected.as_slice() {
        return Err(Error::ShapeMismatch(format!(
            "indices shape {:?} differs from (rank,) + input shape {expected:?}",
            indices.shape()
        )));
    }
    if shape.iter().any(|&n| n > i32::MAX as usize) {
        return Err(Error::InvalidArgument(
            "an axis is longer than int32 indices can address".into(),
        ));
    }
    Ok(())
}

/// scipy.ndimage.distance_transform_edt: for every element, the Euclidean distance to the
/// nearest zero ("background") element of `input` (0 on the background), with `sampling` the
/// spacing along each axis (`None`: 1), and/or that element's coordinates.
///
/// - `distances`: `None`, or float64 of the input's shape.
/// - `indices`: `None`, or int32 of shape `(rank,) + input shape`: `indices[a][i]` is
///   coordinate `a` of the background element nearest to `i` (ties as scipy: the lower
///   coordinate along the last axis first, then the earlier axes).
/// - At least one of them. An input without any background element gives `+inf` distances
///   and `-1` indices (scipy returns meaningless numbers there).
///
/// Memory: with distances only, none beyond the output (a few lines per thread); with indices,
/// none beyond the outputs either (the features are computed in `indices`). An input sharing
/// memory with an output is copied first.
pub fn distance_transform_edt<'a>(
    input: impl AsInput<'a>,
    sampling: Option<&[f64]>,
    mut distances: Option<ArrayMut<'a>>,
    mut indices: Option<ArrayMut<'a>>,
    threads: Threads,
) -> Result<(), Error> {
    let input = input.into_input();
    check(&input, sampling, distances.as_ref(), indices.as_ref())?;
    let threads = threads.resolve()?;
    if input.is_empty() {
        return Ok(());
    }
    let rank = input.rank();
    let sampling: Vec<f64> = match sampling {
        Some(s) => s.to_vec(),
        // Multiplying by 1 changes nothing, as skipping the multiplication does in scipy.
        None => vec![1.0; rank],
    };
    match indices.as_mut() {
        None => {
            let distances = distances.as_mut().expect("checked: one output requested");
            distances_only(&input, &sampling, distances, threads)
        }
        Some(features) => {
            let source = match distances.as_ref() {
                Some(d) => {
                    let mut written = features.byte_range();
                    let other = d.byte_range();
                    // One range covering both outputs is enough to decide on a copy.
                    written = (written.0.min(other.0), written.1.max(other.1));
                    Source::new(input, written)?
                }
                None => Source::new(input, features.byte_range())?,
            };
            feature_transform(&source.view(), &sampling, features, threads)?;
            if let Some(d) = distances.as_mut() {
                distances_from_features(features, &sampling, d, threads)?;
            }
            Ok(())
        }
    }
}

/// The passes on `R` alone, in the distances array.
fn distances_only(
    input: &ArrayRef<'_>,
    sampling: &[f64],
    distances: &mut ArrayMut<'_>,
    threads: usize,
) -> Result<(), Error> {
    let rank = input.rank();
    let passes: Vec<LinePass<'_>> = (0..rank)
        .map(|a| LinePass::new("distance_transform_edt", a, Pad::NONE))
        .collect();
    separable(input, distances, &passes, threads, |p| {
        let s = sampling[p];
        let last = p + 1 == rank;
        let mut envelope = Envelope::default();
        move |line: &mut [f64], out: &mut [f64]| -> Result<(), CallbackError> {
            if p == 0 {
                // The input: background elements are the sites, at distance 0.
                for v in line.iter_mut() {
                    *v = if *v != 0.0 { NO_SITE } else { 0.0 };
                }
            }
            let found = if last {
                envelope.solve(line, s, p == 0, |x, _, r| out[x] = r.sqrt())
            } else {
                envelope.solve(line, s, p == 0, |x, _, r| out[x] = r)
            };
            if !found {
                // No site on this line yet (on the last pass: none in the whole input).
                out.fill(if last { f64::INFINITY } else { NO_SITE });
            }
            Ok(())
        }
    })
}

/// The feature transform in `features` (int32, `(rank,) + shape`): after pass `d`,
/// components `0 ..= d` of every element that has a site hold its feature's coordinates
/// (the later components are the element's own); components of an element without a site
/// are not meaningful, except that component 0 is -1.
fn feature_transform(
    input: &ArrayRef<'_>,
    sampling: &[f64],
    features: &mut ArrayMut<'_>,
    threads: usize,
) -> Result<(), Error> {
    let rank = input.rank();
    for d in 0..rank {
        let line_axis = d + 1;
        for_each_part_keeping(
            features,
            &[0, line_axis],
            threads,
            |part, axis, start, stop| feature_pass(input, sampling, d, part, axis, start, stop),
        )?;
    }
    Ok(())
}

/// Pass `d` of the feature transform over a part of the features (all components, whole
/// lines along `d`), whose indices along `axis` start at `start`.
fn feature_pass(
    input: &ArrayRef<'_>,
    sampling: &[f64],
    d: usize,
    part: &mut ArrayMut<'_>,
    axis: usize,
    start: usize,
    stop: &crate::parallel::Stop,
) -> Result<(), Error> {
    let rank = input.rank();
    let line_axis = d + 1;
    let n = part.shape()[line_axis];
    let last = d + 1 == rank;
    // Blocks of lines of component 0 only: each block is read for every component.
    let mut lines_shape = part.shape().to_vec();
    lines_shape[0] = 1;
    let strides = part.layout().strides().to_vec();
    let mut blocks = LineBlocks::new(&lines_shape, &strides, line_axis, 1, false);
    let lane_axis = blocks.lane_axis();
    let mut index = vec![0usize; rank + 1];
    let mut at = vec![0usize; rank + 1];
    let mut comps: Vec<Vec<i32>> = vec![Vec::new(); d + 1];
    let mut bits = try_vec(n, 0u8, "a line buffer")?;
    let mut r = try_vec(n, 0.0f64, "a line buffer")?;
    let mut sites = try_vec(n, 0usize, "a line buffer")?;
    let mut old = try_vec(n, 0i32, "a line buffer")?;
    let mut coords = vec![0usize; rank];
    let mut envelope = Envelope::default();
    while let Some(lanes) = blocks.next_block(&mut index) {
        if stop.tick((lanes * n) as u64) {
            return Ok(());
        }
        let len = lanes * n;
        for c in comps.iter_mut() {
            c.resize(len, 0);
        }
        at.copy_from_slice(&index);
        for (c, comp) in comps.iter_mut().enumerate().take(d) {
            at[0] = c;
            part.view().read_lines_as(&at, line_axis, lane_axis, comp);
        }
        for b in 0..lanes {
            // The line's coordinates in the whole array (the one along `d` varies).
            coords.copy_from_slice(&index[1..]);
            // (A lane axis 0, the components' axis of length 1 here, holds one lane.)
            if let Some(l) = lane_axis.filter(|&l| l > 0) {
                coords[l - 1] += b;
            }
            if axis > 0 {
                coords[axis - 1] += start;
            }
            let base = b * n;
            if d == 0 {
                // The input: background elements are the sites, at distance 0.
                input.read_run_nonzero(&coords, 0, 0, &mut bits);
                for (rv, &bit) in r.iter_mut().zip(&bits) {
                    *rv = if bit != 0 { NO_SITE } else { 0.0 };
                }
            } else {
                // scipy's R: the squared distance of each site to its feature over the axes
                // before `d`, summed in axis order.
                for (x, rv) in r.iter_mut().enumerate() {
                    let k = base + x;
                    if comps[0][k] < 0 {
                        *rv = NO_SITE;
                        continue;
                    }
                    let mut sum = 0.0;
                    for j in 0..d {
                        let t = (comps[j][k] as i64 - coords[j] as i64) as f64 * sampling[j];
                        sum += t * t;
                    }
                    *rv = sum;
                }
            }
            if !envelope.solve(&r, sampling[d], d == 0, |x, p, _| sites[x] = p) {
                // No site on this line: scipy leaves it as it is (component 0 is -1); on the
                // last pass there is no background anywhere: the documented sentinel, -1.
                let line = base..base + n;
                comps[0][line.clone()].fill(-1);
                if last {
                    for c in comps.iter_mut() {
                        c[line.clone()].fill(-1);
                    }
                }
                continue;
            }
            for comp in comps.iter_mut().take(d) {
                old.copy_from_slice(&comp[base..base + n]);
                for (c, &p) in comp[base..base + n].iter_mut().zip(&sites) {
                    *c = old[p];
                }
            }
            for (c, &p) in comps[d][base..base + n].iter_mut().zip(&sites) {
                *c = p as i32;
            }
        }
        for (c, comp) in comps.iter().enumerate() {
            at[0] = c;
            part.store_lines_as(&at, line_axis, lane_axis, comp);
        }
    }
    Ok(())
}

/// scipy's distances from the features: `sqrt(Σ_a ((F_a − i_a) · s_a)²)`, summed in axis
/// order (`+inf` where the features are the no-background sentinel).
fn distances_from_features(
    features: &ArrayMut<'_>,
    sampling: &[f64],
    distances: &mut ArrayMut<'_>,
    threads: usize,
) -> Result<(), Error> {
    let features = features.view();
    let rank = sampling.len();
    let last = rank - 1;
    for_each_part(distances, Some(last), threads, |part, axis, start, stop| {
        let n = part.shape()[last];
        let shape = part.shape().to_vec();
        let mut comps = vec![try_vec(n, 0i32, "a line buffer")?; rank];
        let mut out = try_vec(n, 0.0f64, "a line buffer")?;
        let mut index = vec![0usize; rank];
        let mut at = vec![0usize; rank + 1];
        loop {
            if stop.tick(n as u64) {
                return Ok(());
            }
            at[1..].copy_from_slice(&index);
            at[axis + 1] += start;
            for (c, comp) in comps.iter_mut().enumerate() {
                at[0] = c;
                features.read_run_as(&at, last + 1, 0, comp);
            }
            for (x, o) in out.iter_mut().enumerate() {
                if comps[0][x] < 0 {
                    *o = f64::INFINITY;
                    continue;
                }
                let mut sum = 0.0;
                for a in 0..rank {
                    let i = if a == last { x } else { at[a + 1] };
                    let t = comps[a][x].wrapping_sub(i as i32) as f64 * sampling[a];
                    let t = t * t;
                    sum = if a == 0 { t } else { sum + t };
                }
                *o = sum.sqrt();
            }
            part.store_run_as(&index, last, 0, &out);
            if !advance(&mut index, &shape, Some(last)) {
                return Ok(());
            }
        }
    })
}
