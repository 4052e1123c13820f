//! scipy.ndimage.rotate: a rotation in the plane of two axes, as an affine transform of each
//! plane, with scipy's exact-degree sine and cosine and its output shape and centring.

#![forbid(unsafe_code)]

use std::borrow::Cow;

use super::tile::Geometry;
use super::{affine_part, each_part, AffineMatrix, Spline, Tile};
use crate::args;
use crate::array::{advance, AsInput, AsOutput};
use crate::error::Error;
use crate::parallel::Threads;

/// Cephes' polynomial coefficients of `sindg`/`cosdg` (scipy.special), as decimal literals.
#[allow(clippy::excessive_precision)] // the literals are the specification
const SIN_COEFFICIENTS: [f64; 6] = [
    1.58962301572218447952E-10,
    -2.50507477628503540135E-8,
    2.75573136213856773549E-6,
    -1.98412698295895384658E-4,
    8.33333333332211858862E-3,
    -1.66666666666666307295E-1,
];
#[allow(clippy::excessive_precision)]
const COS_COEFFICIENTS: [f64; 7] = [
    1.13678171382044553091E-11,
    -2.08758833757683644217E-9,
    2.75573155429816611547E-7,
    -2.48015872936186303776E-5,
    1.38888888888806666760E-3,
    -4.16666666666666348141E-2,
    4.99999999999999999798E-1,
];
#[allow(clippy::excessive_precision)]
const RADIANS_PER_DEGREE: f64 = 1.74532925199432957692E-2;

fn polynomial(x: f64, coefficients: &[f64]) -> f64 {
    coefficients[1..]
        .iter()
        .fold(coefficients[0], |acc, &c| acc * x + c)
}

/// scipy.special's `sindg` (`cosine` false) or `cosdg` (true): the angle is reduced to an
/// octant in degrees first, so multiples of 90 degrees give exact zeros and ones.
fn degrees(x: f64, cosine: bool) -> f64 {
    let negative = x < 0.0;
    let mut sign = if negative && !cosine { -1.0 } else { 1.0 };
    let x = if negative { -x } else { x };
    if x > 1.0e14 {
        return 0.0;
    }
    let mut y = (x / 45.0).floor();
    let z = y - ((y / 16.0).floor() * 16.0);
    // C's (int) of NaN on x86-64 is INT_MIN, an even octant.
    let mut octant = if z.is_nan() { i32::MIN } else { z as i32 };
    if octant & 1 != 0 {
        octant += 1;
        y += 1.0;
    }
    octant &= 7;
    if octant > 3 {
        sign = -sign;
        octant -= 4;
    }
    if cosine && octant > 1 {
        sign = -sign;
    }
    let z = (x - y * 45.0) * RADIANS_PER_DEGREE;
    let zz = z * z;
    let value = if (octant == 1 || octant == 2) != cosine {
        1.0 - zz * polynomial(zz, &COS_COEFFICIENTS)
    } else {
        z + z * (zz * polynomial(zz, &SIN_COEFFICIENTS))
    };
    if sign < 0.0 {
        -value
    } else {
        value
    }
}

/// The rotation's matrix rows `(c, s), (-s, c)` applied to `(a, b)` as numpy's `@` computes
/// it on x86-64 (OpenBLAS with FMA): `fma(c, a, s·b)` and `fma(-s, a, c·b)`.
fn rotate_point(c: f64, s: f64, a: f64, b: f64) -> [f64; 2] {
    [c.mul_add(a, s * b), (-s).mul_add(a, c * b)]
}

/// What a rotation needs: the sorted plane axes, the matrix, the offset and the output shape.
struct Plan {
    axes: [usize; 2],
    matrix: [f64; 4],
    offset: [f64; 2],
    shape: Vec<usize>,
}

fn plan(shape: &[usize], angle: f64, axes: [isize; 2], reshape: bool) -> Result<Plan, Error> {
    let rank = shape.len();
    if rank < 2 {
        return Err(Error::InvalidArgument(
            "input array should be at least 2D".into(),
        ));
    }
    let mut plane = [args::axis(axes[0], rank)?, args::axis(axes[1], rank)?];
    if plane[0] == plane[1] {
        return Err(Error::InvalidArgument(format!(
            "the rotation plane needs two different axes, got {axes:?}"
        )));
    }
    plane.sort_unstable();
    let (c, s) = (degrees(angle, true), degrees(angle, false));
    let input_plane = [shape[plane[0]] as f64, shape[plane[1]] as f64];
    let output_plane = if reshape {
        // The bounding box of the rotated input plane's corners.
        let [iy, ix] = input_plane;
        let corners =
            [[0.0, 0.0], [0.0, ix], [iy, 0.0], [iy, ix]].map(|[a, b]| rotate_point(c, s, a, b));
        let extent = |k: usize| {
            let values = corners.map(|p| p[k]);
            let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let min = values.iter().copied().fold(f64::INFINITY, f64::min);
            // numpy's astype(int) of (ptp + 0.5): truncation.
            (max - min + 0.5) as usize
        };
        [extent(0), extent(1)]
    } else {
        [shape[plane[0]], shape[plane[1]]]
    };
    let out_centre = rotate_point(
        c,
        s,
        (output_plane[0] as f64 - 1.0) / 2.0,
        (output_plane[1] as f64 - 1.0) / 2.0,
    );
    let offset = [
        (input_plane[0] - 1.0) / 2.0 - out_centre[0],
        (input_plane[1] - 1.0) / 2.0 - out_centre[1],
    ];
    let mut out_shape = shape.to_vec();
    out_shape[plane[0]] = output_plane[0];
    out_shape[plane[1]] = output_plane[1];
    Ok(Plan {
        axes: plane,
        matrix: [c, s, -s, c],
        offset,
        shape: out_shape,
    })
}

/// The output shape of scipy.ndimage.rotate for an input of `shape`: with `reshape`, the
/// rotated plane's bounding box; otherwise the input's shape.
pub fn rotate_shape(
    shape: &[usize],
    angle: f64,
    axes: [isize; 2],
    reshape: bool,
) -> Result<Vec<usize>, Error> {
    Ok(plan(shape, angle, axes, reshape)?.shape)
}

/// scipy.ndimage.rotate: rotates `input` by `angle` degrees in the plane of `axes` (any
/// order, negative counted from the end) about the plane's centre, into `output`, whose shape
/// must be [`rotate_shape`]'s. Each plane of a rank > 2 input is transformed on its own, as in
/// scipy (so the prefilter sees one plane at a time).
///
/// The matrix-vector products of the centring are computed as numpy does on x86-64 with FMA
/// (`fma(c, a, s·b)`), so the numbers equal scipy's there; elsewhere numpy may round them
/// differently, by an ulp of the offset.
pub fn rotate<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    angle: f64,
    axes: [isize; 2],
    reshape: bool,
    spline: &Spline,
    threads: Threads,
) -> Result<(), Error> {
    rotate_tile(
        input,
        output,
        angle,
        axes,
        reshape,
        spline,
        &Tile::default(),
        threads,
    )
}

/// [`rotate`] of one [`Tile`]: the rotation's shape and centring come from the whole input's
/// shape, and the whole output must have the rotation's shape. For rank > 2 the boxes must
/// agree on the axes outside the plane (the same origin and size: each plane is transformed
/// on its own), and prefiltered coefficients are those of each plane (padded on the plane's
/// two axes only).
#[allow(clippy::too_many_arguments)] // rotate's own arguments, plus the tile and threads
pub fn rotate_tile<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    angle: f64,
    axes: [isize; 2],
    reshape: bool,
    spline: &Spline,
    tile: &Tile,
    threads: Threads,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    let rank = input.rank();
    // The plane's axes, checked; the coefficients are padded on them only.
    let plane_axes = plan(input.shape(), angle, axes, reshape)?.axes;
    let padded: Vec<bool> = (0..rank).map(|a| plane_axes.contains(&a)).collect();
    if output.rank() != rank {
        return Err(Error::ShapeMismatch(format!(
            "output rank {} is not the input's {rank}",
            output.rank()
        )));
    }
    let geometry = Geometry::new(tile, &input, &output, spline, &padded)?;
    let plan = plan(&geometry.whole_input, angle, axes, reshape)?;
    if geometry.out_whole != plan.shape {
        return Err(Error::ShapeMismatch(format!(
            "output shape {:?} is not the rotation's {:?}",
            geometry.out_whole, plan.shape
        )));
    }
    let input_origin = geometry.input.as_ref().map(|r| r.origin.clone());
    for a in (0..rank).filter(|a| !plan.axes.contains(a)) {
        let in_origin = input_origin.as_ref().map_or(0, |o| o[a]);
        if input.shape()[a] != output.shape()[a] || in_origin != geometry.out_origin[a] {
            return Err(Error::ShapeMismatch(format!(
                "axis {a} is outside the rotation plane: the input box ({} from {in_origin}) \
                 and the output box ({} from {}) must be the same there",
                input.shape()[a],
                output.shape()[a],
                geometry.out_origin[a]
            )));
        }
    }
    let threads = threads.resolve()?;
    let matrix = AffineMatrix::Full(Cow::Borrowed(&plan.matrix[..]));
    let plane_geometry = geometry.plane(plan.axes);
    each_part(&input, &mut output, spline, |input, output, spline| {
        if input.rank() == 2 {
            return affine_part(
                input,
                output,
                &matrix,
                &plan.offset,
                spline,
                &geometry,
                threads,
            );
        }
        // Every plane: the index of the other axes runs over the input's shape (equal to the
        // output's there); the plane's own axes stay at 0.
        let mut outer = input.shape().to_vec();
        if (0..outer.len()).any(|a| !plan.axes.contains(&a) && outer[a] == 0) {
            return Ok(()); // no planes
        }
        for &a in &plan.axes {
            outer[a] = 1;
        }
        let mut index = vec![0usize; outer.len()];
        loop {
            let plane_in = input.plane(plan.axes, &index);
            let mut plane_out = output.plane_mut(plan.axes, &index);
            // Every plane has the same coordinates, so a support outside the input box is
            // found in the first plane, before anything is written.
            affine_part(
                &plane_in,
                &mut plane_out,
                &matrix,
                &plan.offset,
                spline,
                &plane_geometry,
                threads,
            )?;
            if !advance(&mut index, &outer, None) {
                return Ok(());
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiples_of_90_degrees_are_exact() {
        for (angle, c, s) in [
            (0.0, 1.0, 0.0),
            (90.0, 0.0, 1.0),
            (180.0, -1.0, 0.0),
            (270.0, 0.0, -1.0),
            (-90.0, 0.0, -1.0),
            (450.0, 0.0, 1.0),
        ] {
            assert_eq!(degrees(angle, true), c, "cos {angle}");
            assert_eq!(degrees(angle, false), s, "sin {angle}");
        }
        assert!((degrees(30.0, false) - 0.5).abs() < 1e-16);
        assert!((degrees(60.0, true) - 0.5).abs() < 1e-16);
    }

    #[test]
    fn reshaped_output_holds_the_rotated_plane() {
        assert_eq!(
            rotate_shape(&[10, 20], 90.0, [1, 0], true).unwrap(),
            [20, 10]
        );
        assert_eq!(
            rotate_shape(&[10, 20], 90.0, [1, 0], false).unwrap(),
            [10, 20]
        );
        assert_eq!(
            rotate_shape(&[4, 10, 10], 45.0, [1, 2], true).unwrap(),
            [4, 14, 14]
        );
        assert!(rotate_shape(&[10], 5.0, [0, 0], true).is_err());
        assert!(rotate_shape(&[10, 10], 5.0, [1, 1], true).is_err());
        assert!(rotate_shape(&[10, 10], 5.0, [0, 2], true).is_err());
    }
}
