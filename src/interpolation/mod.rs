//! Spline interpolation: the prefilter and the one engine that samples an input at arbitrary
//! coordinates. `geometric_transform` feeds it coordinates from a callback; the other
//! interpolation functions will differ only in their coordinate source.

pub mod spline;

use std::borrow::Cow;

use crate::array::dtype::cast_through;
use crate::array::strided::{advance, ArrayMut, ArrayRef, OwnedArray, StoreRule};
use crate::array::DType;
use crate::boundary::Mode;
use crate::error::{CallbackError, Error};

/// Padding added on every side before prefiltering in the `nearest` and `grid-constant` modes,
/// as scipy does, so that the spline sees the mode's values beyond the edge.
const NPAD: usize = 12;

/// Interpolation settings shared by every interpolation function.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spline {
    /// Spline order, 0 to 5.
    pub order: usize,
    /// Boundary mode (interpolation semantics: `wrap` != `grid-wrap`, `constant` !=
    /// `grid-constant`).
    pub mode: Mode,
    /// Value outside the input in the constant modes.
    pub cval: f64,
    /// Whether to convert the input to spline coefficients first (order > 1 only).
    pub prefilter: bool,
}

impl Spline {
    fn validate(&self) -> Result<(), Error> {
        if self.order > 5 {
            return Err(Error::InvalidArgument(format!(
                "spline order {} not supported: must be 0 to 5",
                self.order
            )));
        }
        Ok(())
    }
}

/// scipy.ndimage.spline_filter1d: B-spline coefficients of `order` along `axis` (orders 0 and 1
/// copy). Computed in `f64` per line, stored with the filter rule.
pub fn spline_filter1d(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    order: usize,
    axis: isize,
    mode: Mode,
) -> Result<(), Error> {
    if order > 5 {
        return Err(Error::InvalidArgument(format!(
            "spline order {order} not supported: must be 0 to 5"
        )));
    }
    if input.shape() != output.shape() {
        return Err(Error::ShapeMismatch(format!(
            "output shape {:?} differs from input shape {:?}",
            output.shape(),
            input.shape()
        )));
    }
    let axis = crate::filters::generic::normalize_axis(axis, input.shape().len())?;
    filter_axis(Some(input), output, order, axis, mode);
    Ok(())
}

/// scipy.ndimage.spline_filter: [`spline_filter1d`] along every axis in turn; intermediate
/// results are stored in the output's type, as scipy does. Orders 2 to 5.
pub fn spline_filter(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    order: usize,
    mode: Mode,
) -> Result<(), Error> {
    if !(2..=5).contains(&order) {
        return Err(Error::InvalidArgument(format!(
            "spline order {order} not supported: must be 2 to 5"
        )));
    }
    if input.shape() != output.shape() {
        return Err(Error::ShapeMismatch(format!(
            "output shape {:?} differs from input shape {:?}",
            output.shape(),
            input.shape()
        )));
    }
    for axis in 0..input.shape().len() {
        filter_axis((axis == 0).then_some(input), output, order, axis, mode);
    }
    Ok(())
}

/// One prefilter pass along `axis`, from `input` (or in place when `None`) into `output`.
fn filter_axis(
    input: Option<&ArrayRef<'_>>,
    output: &mut ArrayMut<'_>,
    order: usize,
    axis: usize,
    mode: Mode,
) {
    let shape = output.shape().to_vec();
    if shape.contains(&0) {
        return;
    }
    let mut line = vec![0.0; shape[axis]];
    let mut index = vec![0usize; shape.len()];
    loop {
        match input {
            Some(src) => src.read_line(&index, axis, &mut line),
            None => output.read_line(&index, axis, &mut line),
        }
        spline::prefilter_line(&mut line, order, mode);
        output.write_line(&index, axis, &line);
        if !advance(&mut index, &shape, Some(axis)) {
            break;
        }
    }
}

/// The array the interpolation reads: the raw input, or float64 coefficients (padded by
/// `npad` on every side).
struct Coefficients<'a> {
    raw: Option<ArrayRef<'a>>,
    owned: Option<OwnedArray>,
    npad: usize,
}

impl Coefficients<'_> {
    fn view(&self) -> ArrayRef<'_> {
        match (&self.raw, &self.owned) {
            (Some(r), _) => r.clone(),
            (None, Some(o)) => o.view(),
            (None, None) => unreachable!(),
        }
    }
}

/// Builds the prefiltered coefficients scipy interpolates from, or borrows the input.
fn coefficients<'a>(input: &ArrayRef<'a>, spline: &Spline) -> Result<Coefficients<'a>, Error> {
    if !(spline.prefilter && spline.order > 1) {
        return Ok(Coefficients {
            raw: Some(input.clone()),
            owned: None,
            npad: 0,
        });
    }
    let npad = match spline.mode {
        Mode::Nearest | Mode::GridConstant => NPAD,
        _ => 0,
    };
    let shape: Vec<usize> = input.shape().iter().map(|&n| n + 2 * npad).collect();
    let mut owned = OwnedArray::zeros(DType::Float64, &shape)?;
    {
        let mut view = owned.view_mut();
        let rank = shape.len();
        let last = rank - 1;
        let n_last = input.shape()[last];
        // The pad value scipy writes: cval stored into the input's type and read back.
        let pad_value = cast_through(input.dtype(), spline.cval);
        let mut line = vec![0.0; shape[last]];
        let mut index = vec![0usize; rank];
        let mut source = vec![0usize; rank];
        loop {
            let mut inside = true;
            for a in 0..last {
                let p = index[a] as isize - npad as isize;
                let n = input.shape()[a] as isize;
                if spline.mode == Mode::GridConstant && !(0..n).contains(&p) {
                    inside = false;
                }
                source[a] = p.clamp(0, n - 1) as usize;
            }
            if inside {
                input.read_line(&source, last, &mut line[npad..npad + n_last]);
                for p in (0..npad).chain(npad + n_last..shape[last]) {
                    line[p] = if spline.mode == Mode::GridConstant {
                        pad_value
                    } else if p < npad {
                        line[npad]
                    } else {
                        line[npad + n_last - 1]
                    };
                }
            } else {
                line.fill(pad_value);
            }
            view.write_line(&index, last, &line);
            if !advance(&mut index, &shape, Some(last)) {
                break;
            }
        }
        for axis in 0..rank {
            filter_axis(None, &mut view, spline.order, axis, spline.mode);
        }
    }
    Ok(Coefficients {
        raw: None,
        owned: Some(owned),
        npad,
    })
}

/// Maps a coordinate outside `[0, n-1]` back inside for `mode` (ndimage-semantics.md §3.2);
/// `constant` gives the sentinel -1, `nearest` and `grid-constant` are left unchanged.
fn remap(x: f64, n: usize, mode: Mode) -> f64 {
    let len = n as f64;
    if (0.0..=len - 1.0).contains(&x) {
        return x;
    }
    match mode {
        Mode::Nearest | Mode::GridConstant => x,
        Mode::Constant => -1.0,
        _ if n == 1 => 0.0,
        Mode::Mirror => {
            let p = 2.0 * len - 2.0;
            if x < 0.0 {
                let x = x + p * (-x / p).trunc();
                if x <= 1.0 - len {
                    x + p
                } else {
                    -x
                }
            } else {
                let x = x - p * (x / p).trunc();
                if x >= len {
                    p - x
                } else {
                    x
                }
            }
        }
        Mode::Reflect | Mode::GridMirror => {
            let p = 2.0 * len;
            if x < 0.0 {
                let x = if x < -p { x + p * (-x / p).trunc() } else { x };
                if x < -len {
                    x + p
                } else {
                    (if x > -1e-15 { 1e-15 } else { -x }) - 1.0
                }
            } else {
                let x = x - p * (x / p).trunc();
                if x >= len {
                    p - x - 1.0
                } else {
                    x
                }
            }
        }
        Mode::Wrap => {
            let p = len - 1.0;
            if x < 0.0 {
                x + p * ((-x / p).trunc() + 1.0)
            } else {
                x - p * (x / p).trunc()
            }
        }
        Mode::GridWrap => {
            if x < 0.0 {
                x + len * (((-1.0 - x) / len).trunc() + 1.0)
            } else {
                x - len * (x / len).trunc()
            }
        }
    }
}

/// Index of support point `j` (outside the axis) under `mode` (§3.3).
fn support_index(j: isize, n: usize, mode: Mode) -> usize {
    let m = match mode {
        Mode::Constant | Mode::Wrap => Mode::Mirror,
        Mode::Nearest => return j.clamp(0, n as isize - 1) as usize,
        m => m,
    };
    remap(j as f64, n, m).trunc() as usize
}

/// Samples coefficients at coordinates, one point at a time.
struct Sampler<'c> {
    coeffs: ArrayRef<'c>,
    shape: Vec<usize>,
    spline: Spline,
    npad: f64,
    // Per-axis scratch: support indices, grid-constant out-of-range flags, weights.
    index: Vec<[usize; 6]>,
    outside: Vec<[bool; 6]>,
    weights: Vec<[f64; 6]>,
    combo: Vec<usize>,
    position: Vec<usize>,
}

impl<'c> Sampler<'c> {
    fn new(coeffs: ArrayRef<'c>, spline: Spline, npad: usize) -> Self {
        let rank = coeffs.shape().len();
        Sampler {
            shape: coeffs.shape().to_vec(),
            coeffs,
            spline,
            npad: npad as f64,
            index: vec![[0; 6]; rank],
            outside: vec![[false; 6]; rank],
            weights: vec![[0.0; 6]; rank],
            combo: vec![0; rank],
            position: vec![0; rank],
        }
    }

    /// The interpolated value at `coords` (input index units).
    fn sample(&mut self, coords: &[f64]) -> f64 {
        let k = self.spline.order;
        let mode = self.spline.mode;
        let remapped = !matches!(mode, Mode::Nearest | Mode::GridConstant);
        for (a, &c) in coords.iter().enumerate() {
            let n = self.shape[a];
            let mut x = c + self.npad;
            if remapped {
                x = remap(x, n, mode);
                // NaN coordinates and the constant sentinel give cval.
                if x.partial_cmp(&-1.0) != Some(std::cmp::Ordering::Greater) {
                    return self.spline.cval;
                }
            }
            let start = if k % 2 == 1 {
                x.floor() as i64 as isize
            } else {
                (x + 0.5).floor() as i64 as isize
            } - (k / 2) as isize;
            let edge = start < 0 || start + k as isize >= n as isize;
            for l in 0..=k {
                let j = start + l as isize;
                if mode == Mode::GridConstant {
                    let out = j < 0 || j >= n as isize;
                    self.outside[a][l] = out;
                    self.index[a][l] = if out { 0 } else { j as usize };
                } else if edge {
                    self.index[a][l] = support_index(j, n, mode);
                } else {
                    self.index[a][l] = j as usize;
                }
            }
            if k > 0 {
                spline::weights(x, k, &mut self.weights[a]);
            }
        }
        // Sum over the support in C order, weights multiplied in axis order.
        let rank = coords.len();
        self.combo.fill(0);
        let mut acc = 0.0;
        loop {
            let mut outside = false;
            for a in 0..rank {
                let l = self.combo[a];
                outside |= mode == Mode::GridConstant && self.outside[a][l];
                self.position[a] = self.index[a][l];
            }
            let mut v = if outside {
                self.spline.cval
            } else {
                self.coeffs.get(&self.position)
            };
            if k > 0 {
                for a in 0..rank {
                    v *= self.weights[a][self.combo[a]];
                }
            }
            acc += v;
            let mut a = rank;
            loop {
                if a == 0 {
                    return acc;
                }
                a -= 1;
                self.combo[a] += 1;
                if self.combo[a] <= k {
                    break;
                }
                self.combo[a] = 0;
            }
        }
    }
}

/// scipy.ndimage.geometric_transform: for every output index (C order), `mapping` writes the
/// input coordinates to sample (`input.rank()` values; the buffer starts zeroed and keeps the
/// previous call's values), and the spline interpolation of the input there is stored in the
/// output, rounded for integer types.
///
/// Memory beyond input and output: with `prefilter` and order > 1, one float64 coefficient
/// array of the input's shape (plus 24 per axis in the `nearest` and `grid-constant` modes).
pub fn geometric_transform<F>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    spline: &Spline,
    mut mapping: F,
) -> Result<(), Error>
where
    F: FnMut(&[usize], &mut [f64]) -> Result<(), CallbackError>,
{
    spline.validate()?;
    if input.shape().is_empty() || output.shape().is_empty() {
        return Err(Error::InvalidArray(
            "input and output rank must be > 0".into(),
        ));
    }
    if output.layout().is_empty() {
        return Ok(());
    }
    if input.layout().is_empty() {
        return Err(Error::InvalidArray(
            "input has no elements to interpolate from".into(),
        ));
    }
    let coeffs = coefficients(input, spline)?;
    let mut sampler = Sampler::new(coeffs.view(), *spline, coeffs.npad);
    let shape = output.shape().to_vec();
    let last = shape.len() - 1;
    let mut coords = vec![0.0; input.shape().len()];
    let mut values = vec![0.0; shape[last]];
    let mut index = vec![0usize; shape.len()];
    loop {
        for j in 0..shape[last] {
            index[last] = j;
            if let Err(e) = mapping(&index, &mut coords) {
                output.store_line(&index, last, &values[..j], StoreRule::Round);
                let mut msg = format!("mapping callback reported failure at index {index:?}");
                if !e.0.is_empty() {
                    msg = format!("{msg}: {}", e.0);
                }
                return Err(Error::CallbackFailed(msg));
            }
            values[j] = sampler.sample(&coords);
        }
        index[last] = 0;
        output.store_line(&index, last, &values, StoreRule::Round);
        if !advance(&mut index, &shape, Some(last)) {
            return Ok(());
        }
    }
}

/// Rejects an output rank that differs from what the coordinate source produces.
fn check_rank(what: &str, expected: usize, got: usize) -> Result<(), Error> {
    if expected != got {
        return Err(Error::ShapeMismatch(format!(
            "{what}: expected {expected} values for rank {got}"
        )));
    }
    Ok(())
}

/// Runs the engine with a coordinate source that cannot fail.
fn transform_with<F>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    spline: &Spline,
    mut coordinates: F,
) -> Result<(), Error>
where
    F: FnMut(&[usize], &mut [f64]),
{
    geometric_transform(input, output, spline, |index, coords| {
        coordinates(index, coords);
        Ok(())
    })
}

/// scipy.ndimage.map_coordinates: `output[i] = input at (coordinates[0][i], ...)`.
/// `coordinates` has shape `[input rank, output shape...]`, any real dtype.
pub fn map_coordinates(
    input: &ArrayRef<'_>,
    coordinates: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    spline: &Spline,
) -> Result<(), Error> {
    let cshape = coordinates.shape();
    if cshape.first() != Some(&input.shape().len()) || cshape[1..] != *output.shape() {
        return Err(Error::ShapeMismatch(format!(
            "coordinates shape {cshape:?} must be [{}] + output shape {:?}",
            input.shape().len(),
            output.shape()
        )));
    }
    let mut position = vec![0usize; cshape.len()];
    transform_with(input, output, spline, |index, coords| {
        position[1..].copy_from_slice(index);
        for (a, c) in coords.iter_mut().enumerate() {
            position[0] = a;
            *c = coordinates.get(&position);
        }
    })
}

/// The linear part of an affine transform.
#[derive(Clone, Debug)]
pub enum AffineMatrix<'m> {
    /// Row-major `input rank × output rank` matrix:
    /// `c[h] = offset[h] + Σ_k index[k]·m[h][k]`, summed in order from `offset[h]`.
    Full(Cow<'m, [f64]>),
    /// Diagonal (input rank == output rank): `c[h] = (index[h] + offset[h] / m[h]) · m[h]`,
    /// scipy's exact expression.
    Diagonal(&'m [f64]),
}

impl<'m> AffineMatrix<'m> {
    /// Interprets a matrix the way scipy.ndimage.affine_transform does: 1-D `shape = [n]` is
    /// a diagonal; 2-D `[in_rank, out_rank]` a full matrix; `[in_rank, out_rank + 1]` and
    /// `[in_rank + 1, out_rank + 1]` homogeneous forms whose last column replaces `offset`
    /// (the bottom row of the square form must be `0 … 0 1`). Returns the matrix and the
    /// offset to use (`None`: the caller's).
    pub fn from_scipy(
        matrix: &'m [f64],
        shape: &[usize],
        in_rank: usize,
        out_rank: usize,
    ) -> Result<(AffineMatrix<'m>, Option<Vec<f64>>), Error> {
        let bad = |m: &str| Err(Error::InvalidArgument(m.to_string()));
        match *shape {
            [n] if n >= 1 => {
                if n != matrix.len() {
                    return bad("affine matrix size does not match its shape");
                }
                if n != in_rank {
                    return bad("affine matrix has wrong number of rows");
                }
                Ok((AffineMatrix::Diagonal(matrix), None))
            }
            [rows, cols] if rows >= 1 && cols >= 1 => {
                if rows * cols != matrix.len() {
                    return bad("affine matrix size does not match its shape");
                }
                let homogeneous_square = rows == in_rank + 1 && cols == out_rank + 1;
                let homogeneous = homogeneous_square || (rows == in_rank && cols == out_rank + 1);
                if rows != in_rank && !homogeneous_square {
                    return bad("affine matrix has wrong number of rows");
                }
                if !homogeneous {
                    if cols != out_rank {
                        return bad("affine matrix has wrong number of columns");
                    }
                    return Ok((AffineMatrix::Full(Cow::Borrowed(matrix)), None));
                }
                if homogeneous_square {
                    let bottom = &matrix[in_rank * cols..];
                    let ok =
                        bottom[..out_rank].iter().all(|&v| v == 0.0) && bottom[out_rank] == 1.0;
                    if !ok {
                        return bad("expected homogeneous transformation matrix with last row [0, ..., 0, 1]");
                    }
                }
                // Split the homogeneous form into its linear block and its last column.
                let linear: Vec<f64> = (0..in_rank)
                    .flat_map(|h| matrix[h * cols..h * cols + out_rank].iter().copied())
                    .collect();
                let offset: Vec<f64> = (0..in_rank).map(|h| matrix[h * cols + out_rank]).collect();
                Ok((AffineMatrix::Full(Cow::Owned(linear)), Some(offset)))
            }
            _ => bad("no proper affine matrix provided"),
        }
    }
}

/// scipy.ndimage.affine_transform with the matrix already split from any homogeneous form.
pub fn affine_transform(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    matrix: AffineMatrix<'_>,
    offset: &[f64],
    spline: &Spline,
) -> Result<(), Error> {
    let in_rank = input.shape().len();
    let out_rank = output.shape().len();
    check_rank("offset", in_rank, offset.len())?;
    match matrix {
        AffineMatrix::Full(m) => {
            let m = &m[..];
            check_rank("matrix", in_rank * out_rank, m.len())?;
            transform_with(input, output, spline, |index, coords| {
                for (h, c) in coords.iter_mut().enumerate() {
                    let row = &m[h * out_rank..(h + 1) * out_rank];
                    let mut v = offset[h];
                    for (&i, &w) in index.iter().zip(row) {
                        v += i as f64 * w;
                    }
                    *c = v;
                }
            })
        }
        AffineMatrix::Diagonal(d) => {
            check_rank("diagonal matrix", in_rank, d.len())?;
            check_rank("output", in_rank, out_rank)?;
            let shift: Vec<f64> = offset.iter().zip(d).map(|(&o, &m)| o / m).collect();
            transform_with(input, output, spline, |index, coords| {
                for (h, c) in coords.iter_mut().enumerate() {
                    *c = (index[h] as f64 + shift[h]) * d[h];
                }
            })
        }
    }
}

/// scipy.ndimage.shift: `output[i] = input at i - shift` (computed as `i + (-shift)`).
pub fn shift(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    shift: &[f64],
    spline: &Spline,
) -> Result<(), Error> {
    check_rank("shift", input.shape().len(), shift.len())?;
    check_rank("output", input.shape().len(), output.shape().len())?;
    let negated: Vec<f64> = shift.iter().map(|&s| -s).collect();
    transform_with(input, output, spline, |index, coords| {
        for (h, c) in coords.iter_mut().enumerate() {
            *c = index[h] as f64 + negated[h];
        }
    })
}

/// scipy.ndimage.zoom onto the output's shape. Each axis maps output index `i` to
/// `i · (n_in - 1) / (n_out - 1)`, or with `grid_mode` to `(i + 0.5) · n_in / n_out - 0.5`
/// (a zero denominator gives factor 1).
pub fn zoom(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    grid_mode: bool,
    spline: &Spline,
) -> Result<(), Error> {
    check_rank("output", input.shape().len(), output.shape().len())?;
    let factors: Vec<f64> = input
        .shape()
        .iter()
        .zip(output.shape())
        .map(|(&n_in, &n_out)| {
            let (num, den) = if grid_mode {
                (n_in as f64, n_out as f64)
            } else {
                (n_in as f64 - 1.0, n_out as f64 - 1.0)
            };
            if den == 0.0 {
                1.0
            } else {
                num / den
            }
        })
        .collect();
    transform_with(input, output, spline, |index, coords| {
        for (h, c) in coords.iter_mut().enumerate() {
            *c = if grid_mode {
                (index[h] as f64 + 0.5) * factors[h] - 0.5
            } else {
                index[h] as f64 * factors[h]
            };
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array1, Array2};

    fn identity_resample(data: &Array1<f64>, order: usize, mode: Mode) -> Array1<f64> {
        let mut out = Array1::<f64>::zeros(data.len());
        let spline = Spline {
            order,
            mode,
            cval: 0.0,
            prefilter: true,
        };
        let input = ArrayRef::from_ndarray(data.view());
        let mut output = ArrayMut::from_ndarray(out.view_mut());
        shift(&input, &mut output, &[0.0], &spline).unwrap();
        out
    }

    // The interpolation property on short axes, where scipy 1.17's reflect prefilter is wrong
    // (scipy 1.18's test_spline_filter_reflect_small_n checks the same with atol 1e-12):
    // with prefilter, sampling at the integer positions gives the samples back.
    #[test]
    fn prefiltered_splines_reproduce_samples_on_short_axes() {
        for n in 1..=7 {
            let data = Array1::from_iter((0..n).map(|i| ((i * 7 % 5) as f64) - 1.5 * i as f64));
            for order in 2..=5 {
                for mode in Mode::ALL {
                    let got = identity_resample(&data, order, mode);
                    for (g, d) in got.iter().zip(&data) {
                        assert!(
                            (g - d).abs() <= 1e-12 * (1.0 + d.abs()),
                            "n={n} order={order} {mode:?}: {got} vs {data}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn homogeneous_matrices_are_split() {
        let m = [2.0, 0.0, 5.0, 0.0, 3.0, 7.0, 0.0, 0.0, 1.0];
        let (lin, off) = AffineMatrix::from_scipy(&m, &[3, 3], 2, 2).unwrap();
        assert!(matches!(lin, AffineMatrix::Full(ref v) if v[..] == [2.0, 0.0, 0.0, 3.0]));
        assert_eq!(off.unwrap(), [5.0, 7.0]);
        let bad = [2.0, 0.0, 5.0, 0.0, 3.0, 7.0, 0.0, 0.5, 1.0];
        assert!(AffineMatrix::from_scipy(&bad, &[3, 3], 2, 2).is_err());
        assert!(AffineMatrix::from_scipy(&m[..4], &[2, 2], 3, 2).is_err());
    }

    #[test]
    fn order_zero_rounds_half_up() {
        let data = Array2::from_shape_vec((1, 4), vec![10.0, 20.0, 30.0, 40.0]).unwrap();
        let mut out = Array2::<f64>::zeros((1, 4));
        let spline = Spline {
            order: 0,
            mode: Mode::Nearest,
            cval: 0.0,
            prefilter: false,
        };
        let input = ArrayRef::from_ndarray(data.view());
        let mut output = ArrayMut::from_ndarray(out.view_mut());
        shift(&input, &mut output, &[0.0, -0.5], &spline).unwrap();
        // Coordinates 0.5, 1.5, 2.5, 3.5 round up: samples 1, 2, 3, 3 (clamped).
        assert_eq!(out.row(0).to_vec(), [20.0, 30.0, 40.0, 40.0]);
    }
}
