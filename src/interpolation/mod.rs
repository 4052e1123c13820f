//! Spline interpolation: geometric_transform, map_coordinates, affine_transform, shift, zoom,
//! rotate and the spline prefilter. Every function is one coordinate source on the one
//! interpolation engine (`engine`), which reads the prefiltered coefficients (`prefilter`).
//!
//! Complex arrays are interpolated part by part (real, then imaginary, with `cval`'s parts), as
//! scipy does, and an input sharing memory with the output is copied first.

#![forbid(unsafe_code)]

mod engine;
mod prefilter;
pub mod rotate;
pub mod spline;
pub mod tile;

pub use prefilter::{spline_coefficients, spline_filter, spline_filter1d};
pub use rotate::{rotate, rotate_shape, rotate_tile};
pub use tile::{spline_padding, Region, Tile, SPLINE_PADDING};

use std::borrow::Cow;

use crate::args;
use crate::array::MAX_RANK;
use crate::array::{for_parts, ArrayMut, ArrayRef, AsInput, AsOutput, Source};
use crate::boundary::Mode;
use crate::error::{CallbackError, Error};
use crate::parallel::{run_here, Threads};
use engine::{
    check_transform, transform, transform_part, transform_separable, with_engine, Coordinates,
    NoMapping, Pass,
};
use tile::Geometry;

/// Interpolation settings shared by every interpolation function.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spline {
    /// Spline order, 0 to 5.
    pub order: usize,
    /// Boundary mode (interpolation semantics: `wrap` != `grid-wrap`, `constant` !=
    /// `grid-constant`).
    pub mode: Mode,
    /// Value outside the input in the constant modes (its real part for complex arrays).
    pub cval: f64,
    /// The imaginary part of `cval`, for complex arrays.
    pub cval_imag: f64,
    /// Whether to convert the input to spline coefficients first (order > 1 only).
    pub prefilter: bool,
}

impl Spline {
    /// Order `order` in `mode`, with `cval` 0 and the prefilter on (scipy's defaults).
    pub fn new(order: usize, mode: Mode) -> Self {
        Spline {
            order,
            mode,
            cval: 0.0,
            cval_imag: 0.0,
            prefilter: true,
        }
    }

    /// `cval`'s two parts.
    fn cvals(&self) -> (f64, f64) {
        (self.cval, self.cval_imag)
    }

    /// These settings for one part of a complex array (or a real one): `cval` is that part's.
    fn for_part(&self, cval: f64) -> Spline {
        Spline {
            cval,
            cval_imag: 0.0,
            ..*self
        }
    }
}

/// Runs `run(input, output, spline)` for a real array, or for the real then the imaginary parts
/// of a complex one with `spline`'s cval for that part ([`for_parts`]).
fn each_part<F>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    spline: &Spline,
    mut run: F,
) -> Result<(), Error>
where
    F: FnMut(&ArrayRef<'_>, &mut ArrayMut<'_>, &Spline) -> Result<(), Error>,
{
    for_parts(input, output, spline.cvals(), |input, output, cval| {
        run(input, output, &spline.for_part(cval))
    })
}

/// scipy.ndimage.geometric_transform: for every output index (C order), `mapping` writes the
/// input coordinates to sample (`input.rank()` values; the buffer starts zeroed and keeps the
/// previous call's values), and the spline interpolation of the input there is stored in the
/// output, rounded for integer types. Runs on the calling thread (see
/// [`geometric_transform_parallel`]). Complex arrays call `mapping` twice per element (real
/// part, then imaginary part), as scipy does.
///
/// Memory beyond input and output: with `prefilter` and order > 1, one float64 coefficient
/// array of the input's shape (plus 24 per axis in the `nearest` and `grid-constant` modes).
///
/// ```
/// use ndarray::array;
/// use ndimage::{geometric_transform, Mode, Spline};
/// let input = array![10.0, 20.0, 30.0, 40.0];
/// let mut out = ndarray::Array1::<f64>::zeros(3);
/// let spline = Spline { prefilter: false, ..Spline::new(1, Mode::Nearest) };
/// geometric_transform(&input, &mut out, &spline, |o, c| {
///     c[0] = o[0] as f64 + 0.5;
///     Ok(())
/// })
/// .unwrap();
/// assert_eq!(out, array![15.0, 25.0, 35.0]);
/// ```
pub fn geometric_transform<'a, F>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    spline: &Spline,
    mapping: F,
) -> Result<(), Error>
where
    F: FnMut(&[usize], &mut [f64]) -> Result<(), CallbackError>,
{
    geometric_transform_tile(input, output, spline, &Tile::default(), mapping)
}

/// [`geometric_transform`] of one [`Tile`]: `mapping` receives whole-output indices. With an
/// input region, a point whose support leaves the input box stops the call with an error
/// naming it, the points before it written (the mapping is called once per point, so this
/// cannot be checked first).
pub fn geometric_transform_tile<'a, F>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    spline: &Spline,
    tile: &Tile,
    mut mapping: F,
) -> Result<(), Error>
where
    F: FnMut(&[usize], &mut [f64]) -> Result<(), CallbackError>,
{
    let (input, mut output) = (input.into_input(), output.into_output());
    let geometry = Geometry::new(tile, &input, &output, spline, &[true; MAX_RANK])?;
    each_part(&input, &mut output, spline, |input, output, spline| {
        if !check_transform(input, output, spline)? {
            return Ok(());
        }
        let mut coordinates = Coordinates::Mapping(&mut mapping);
        with_engine!(input, spline, Threads::Count(1), &geometry, |engine| {
            let pass = Pass {
                origin: &geometry.out_origin,
                check: None,
            };
            run_here(output.layout().len() as u64, |stop| {
                transform_part(&engine, output, 0, 0, &mut coordinates, stop, &pass)
            })
        })
    })
}

/// [`geometric_transform`] on `threads` threads, `mapping` called from all of them. Each
/// thread's coordinate buffer starts zeroed, so `mapping` must write every coordinate.
pub fn geometric_transform_parallel<'a, F>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    spline: &Spline,
    threads: Threads,
    mapping: F,
) -> Result<(), Error>
where
    F: Fn(&[usize], &mut [f64]) -> Result<(), CallbackError> + Sync,
{
    geometric_transform_parallel_tile(input, output, spline, &Tile::default(), threads, mapping)
}

/// [`geometric_transform_parallel`] of one [`Tile`] (see [`geometric_transform_tile`]).
pub fn geometric_transform_parallel_tile<'a, F>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    spline: &Spline,
    tile: &Tile,
    threads: Threads,
    mapping: F,
) -> Result<(), Error>
where
    F: Fn(&[usize], &mut [f64]) -> Result<(), CallbackError> + Sync,
{
    let (input, mut output) = (input.into_input(), output.into_output());
    let threads = threads.resolve()?;
    let geometry = Geometry::new(tile, &input, &output, spline, &[true; MAX_RANK])?;
    each_part(&input, &mut output, spline, |input, output, spline| {
        transform(input, output, spline, &geometry, threads, || {
            Coordinates::Mapping(&mapping)
        })
    })
}

/// scipy.ndimage.map_coordinates: `output[i] = input at (coordinates[0][i], ...)`.
/// `coordinates` has shape `[input rank, output shape...]`, any real dtype. Coordinates that
/// share memory with the output are copied before anything is written.
pub fn map_coordinates<'a>(
    input: impl AsInput<'a>,
    coordinates: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    spline: &Spline,
    threads: Threads,
) -> Result<(), Error> {
    map_coordinates_tile(
        input,
        coordinates,
        output,
        spline,
        &Tile::default(),
        threads,
    )
}

/// [`map_coordinates`] of one [`Tile`]: `coordinates` has the output array's shape (after its
/// first axis) and holds coordinates in the whole input; an output region only has its
/// bounds checked.
pub fn map_coordinates_tile<'a>(
    input: impl AsInput<'a>,
    coordinates: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    spline: &Spline,
    tile: &Tile,
    threads: Threads,
) -> Result<(), Error> {
    let (input, coordinates, mut output) = (
        input.into_input(),
        coordinates.into_input(),
        output.into_output(),
    );
    let cshape = coordinates.shape();
    if cshape.first() != Some(&input.rank()) || cshape[1..] != *output.shape() {
        return Err(Error::ShapeMismatch(format!(
            "coordinates shape {cshape:?} must be [{}] + output shape {:?}",
            input.rank(),
            output.shape()
        )));
    }
    args::real(coordinates.dtype(), "coordinates")?;
    let threads = threads.resolve()?;
    // Once for both parts of a complex output: the imaginary pass must read what the real
    // pass read.
    let coordinates = Source::new(coordinates, output.byte_range())?;
    let coordinates = coordinates.view();
    let geometry = Geometry::new(tile, &input, &output, spline, &[true; MAX_RANK])?;
    each_part(&input, &mut output, spline, |input, output, spline| {
        transform(input, output, spline, &geometry, threads, || {
            Coordinates::<'_, NoMapping>::Array(&coordinates)
        })
    })
}

/// The linear part of an affine transform.
#[derive(Clone, Debug)]
pub enum AffineMatrix<'m> {
    /// Row-major `input rank × output rank` matrix:
    /// `c[h] = offset[h] + Σ_k index[k]·m[h][k]`, summed in order from `offset[h]`.
    Full(Cow<'m, [f64]>),
    /// Diagonal (input rank == output rank): `c[h] = (index[h] + offset[h] / m[h]) · m[h]`,
    /// scipy's exact expression; a diagonal holding a zero is computed as the full matrix
    /// `np.diag(m)` (scipy divides by the zero: NaN coordinates, or a crash).
    Diagonal(&'m [f64]),
}

impl<'m> AffineMatrix<'m> {
    /// Interprets a matrix the way scipy.ndimage.affine_transform does: 1-D `shape = [n]` is
    /// a diagonal; 2-D `[in_rank, out_rank]` a full matrix; `[in_rank, out_rank + 1]` and
    /// `[in_rank + 1, out_rank + 1]` homogeneous forms whose last column replaces `offset`
    /// (the bottom row of the square form must be `0 … 0 1`). Returns the matrix and the
    /// offset to use (`None`: the caller's).
    /// Checks a matrix shape against the ranks as [`AffineMatrix::from_scipy`] does, before
    /// the matrix is read.
    pub fn check_shape(shape: &[usize], in_rank: usize, out_rank: usize) -> Result<(), Error> {
        let len = shape
            .iter()
            .try_fold(1usize, |a, &d| a.checked_mul(d))
            .filter(|&l| l <= (in_rank + 1) * (out_rank + 1))
            .unwrap_or(0);
        // Any values of the right count: the shape's own checks are what matter here.
        let zeros = vec![0.0; len];
        Self::shape_errors(&zeros, shape, in_rank, out_rank)
    }

    pub fn from_scipy(
        matrix: &'m [f64],
        shape: &[usize],
        in_rank: usize,
        out_rank: usize,
    ) -> Result<(AffineMatrix<'m>, Option<Vec<f64>>), Error> {
        Self::shape_errors(matrix, shape, in_rank, out_rank)?;
        Self::split(matrix, shape, in_rank, out_rank)
    }

    /// The errors of [`AffineMatrix::from_scipy`] that its shape alone decides (the bottom
    /// row of the square homogeneous form is checked in `split`).
    fn shape_errors(
        matrix: &[f64],
        shape: &[usize],
        in_rank: usize,
        out_rank: usize,
    ) -> Result<(), Error> {
        let bad = |m: &str| Err(Error::InvalidArgument(m.to_string()));
        match *shape {
            [n] if n >= 1 => {
                if n != in_rank {
                    return bad("affine matrix has wrong number of rows");
                }
                if n != matrix.len() {
                    return bad("affine matrix size does not match its shape");
                }
                Ok(())
            }
            [rows, cols] if rows >= 1 && cols >= 1 => {
                let homogeneous_square = rows == in_rank + 1 && cols == out_rank + 1;
                let homogeneous = homogeneous_square || (rows == in_rank && cols == out_rank + 1);
                if rows != in_rank && !homogeneous_square {
                    return bad("affine matrix has wrong number of rows");
                }
                if !homogeneous && cols != out_rank {
                    return bad("affine matrix has wrong number of columns");
                }
                if rows.checked_mul(cols) != Some(matrix.len()) {
                    return bad("affine matrix size does not match its shape");
                }
                Ok(())
            }
            _ => bad("no proper affine matrix provided"),
        }
    }

    fn split(
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

/// scipy.ndimage.affine_transform: `output[o] = input at matrix · o + offset`, with the matrix
/// already split from any homogeneous form ([`AffineMatrix::from_scipy`]). `offset` has one
/// value per input axis.
pub fn affine_transform<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    matrix: AffineMatrix<'_>,
    offset: &[f64],
    spline: &Spline,
    threads: Threads,
) -> Result<(), Error> {
    affine_transform_tile(
        input,
        output,
        matrix,
        offset,
        spline,
        &Tile::default(),
        threads,
    )
}

/// [`affine_transform`] of one [`Tile`]: `o` is the whole-output index.
pub fn affine_transform_tile<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    matrix: AffineMatrix<'_>,
    offset: &[f64],
    spline: &Spline,
    tile: &Tile,
    threads: Threads,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    let threads = threads.resolve()?;
    let geometry = Geometry::new(tile, &input, &output, spline, &[true; MAX_RANK])?;
    each_part(&input, &mut output, spline, |input, output, spline| {
        affine_part(input, output, &matrix, offset, spline, &geometry, threads)
    })
}

/// [`affine_transform`] of a real array.
fn affine_part(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    matrix: &AffineMatrix<'_>,
    offset: &[f64],
    spline: &Spline,
    geometry: &Geometry,
    threads: usize,
) -> Result<(), Error> {
    let in_rank = input.rank();
    let out_rank = output.rank();
    args::count("offset", in_rank, offset.len())?;
    // A diagonal holding a zero: scipy's `(i + offset / m) · m` is NaN there (0/0, or inf · 0)
    // and scipy gives cval or crashes; the transform's meaning is the full matrix
    // `np.diag(m)`, which samples that axis at `offset[h]`: computed as that full matrix, so
    // the two forms give the same bits.
    let diagonal_as_full;
    let matrix = match matrix {
        AffineMatrix::Diagonal(d)
            if d.len() == in_rank && in_rank == out_rank && d.contains(&0.0) =>
        {
            let mut full = vec![0.0; in_rank * in_rank];
            for (h, &m) in d.iter().enumerate() {
                full[h * in_rank + h] = m;
            }
            diagonal_as_full = AffineMatrix::Full(Cow::Owned(full));
            &diagonal_as_full
        }
        other => other,
    };
    match matrix {
        AffineMatrix::Full(m) => {
            let m = &m[..];
            args::count("matrix", in_rank * out_rank, m.len())?;
            transform(input, output, spline, geometry, threads, || {
                let affine: Coordinates<NoMapping> = Coordinates::Affine { matrix: m, offset };
                affine
            })
        }
        AffineMatrix::Diagonal(d) => {
            args::count("diagonal matrix", in_rank, d.len())?;
            args::count("output rank", in_rank, out_rank)?;
            let shift: Vec<f64> = offset.iter().zip(d.iter()).map(|(&o, &m)| o / m).collect();
            transform_separable(input, output, spline, geometry, threads, |h, i| {
                (i as f64 + shift[h]) * d[h]
            })
        }
    }
}

/// scipy.ndimage.shift: `output[i] = input at i - shift` (computed as `i + (-shift)`).
pub fn shift<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    shift: &[f64],
    spline: &Spline,
    threads: Threads,
) -> Result<(), Error> {
    shift_tile(input, output, shift, spline, &Tile::default(), threads)
}

/// [`shift`] of one [`Tile`]: `i` is the whole-output index.
pub fn shift_tile<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    shift: &[f64],
    spline: &Spline,
    tile: &Tile,
    threads: Threads,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    args::count("shift", input.rank(), shift.len())?;
    args::count("output rank", input.rank(), output.rank())?;
    let threads = threads.resolve()?;
    let negated: Vec<f64> = shift.iter().map(|&s| -s).collect();
    let geometry = Geometry::new(tile, &input, &output, spline, &[true; MAX_RANK])?;
    each_part(&input, &mut output, spline, |input, output, spline| {
        transform_separable(input, output, spline, &geometry, threads, |h, i| {
            i as f64 + negated[h]
        })
    })
}

/// scipy.ndimage.zoom onto the output's shape. Each axis maps output index `i` to
/// `i · (n_in - 1) / (n_out - 1)`, or with `grid_mode` to `(i + 0.5) · n_in / n_out - 0.5`
/// (a zero denominator gives factor 1). scipy's output size is `round(n · zoom)`
/// ([`zoom_shape`]).
pub fn zoom<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    grid_mode: bool,
    spline: &Spline,
    threads: Threads,
) -> Result<(), Error> {
    zoom_tile(input, output, grid_mode, spline, &Tile::default(), threads)
}

/// [`zoom`] of one [`Tile`]: the factors come from the whole input's and the whole output's
/// shapes, and `i` is the whole-output index.
pub fn zoom_tile<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    grid_mode: bool,
    spline: &Spline,
    tile: &Tile,
    threads: Threads,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    args::count("output rank", input.rank(), output.rank())?;
    let threads = threads.resolve()?;
    let geometry = Geometry::new(tile, &input, &output, spline, &[true; MAX_RANK])?;
    // From the whole input's and the whole output's shapes.
    let factors: Vec<f64> = geometry
        .whole_input
        .iter()
        .zip(&geometry.out_whole)
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
    each_part(&input, &mut output, spline, |input, output, spline| {
        transform_separable(input, output, spline, &geometry, threads, |h, i| {
            if grid_mode {
                (i as f64 + 0.5) * factors[h] - 0.5
            } else {
                i as f64 * factors[h]
            }
        })
    })
}

/// scipy.ndimage.zoom's output shape: per axis `round(n · zoom)` with round-half-to-even
/// (Python's `round`), written into `out`. With every zoom exactly 1 scipy returns a copy of
/// the input instead of interpolating (`Ok(true)`), which the caller may reproduce.
pub fn zoom_shape(shape: &[usize], zoom: &[f64], out: &mut [usize]) -> Result<bool, Error> {
    args::count("zoom", shape.len(), zoom.len())?;
    args::count("output shape", shape.len(), out.len())?;
    for ((o, &n), &z) in out.iter_mut().zip(shape).zip(zoom) {
        let size = (n as f64 * z).round_ties_even();
        if !(size >= 0.0 && size < isize::MAX as f64) {
            return Err(Error::InvalidArgument(format!(
                "zoom {z} on an axis of {n} gives an output size out of range"
            )));
        }
        *o = size as usize;
    }
    Ok(zoom.iter().all(|&z| z == 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array1, Array2};

    fn identity_resample(data: &Array1<f64>, order: usize, mode: Mode) -> Array1<f64> {
        let mut out = Array1::<f64>::zeros(data.len());
        let spline = Spline::new(order, mode);
        shift(data, &mut out, &[0.0], &spline, Threads::Count(1)).unwrap();
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
    fn zoom_shapes_round_half_to_even() {
        let mut out = [0usize; 3];
        // 5 * 0.5 = 2.5 rounds to 2, 7 * 0.5 = 3.5 to 4, as Python's round does.
        assert!(!zoom_shape(&[5, 7, 4], &[0.5, 0.5, 1.0], &mut out).unwrap());
        assert_eq!(out, [2, 4, 4]);
        assert!(zoom_shape(&[5, 7, 4], &[1.0; 3], &mut out).unwrap());
        assert!(zoom_shape(&[5], &[-1.0], &mut out[..1]).is_err());
        assert!(zoom_shape(&[5], &[f64::NAN], &mut out[..1]).is_err());
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
            prefilter: false,
            ..Spline::new(0, Mode::Nearest)
        };
        shift(&data, &mut out, &[0.0, -0.5], &spline, Threads::Count(1)).unwrap();
        // Coordinates 0.5, 1.5, 2.5, 3.5 round up: samples 1, 2, 3, 3 (clamped).
        assert_eq!(out.row(0).to_vec(), [20.0, 30.0, 40.0, 40.0]);
    }
}
