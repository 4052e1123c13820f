//! Tiles: an interpolation call that computes one box of a larger transform. The output array
//! is a box of a whole output and the input array a box of a whole input (or of its spline
//! coefficients, computed once for the whole input), and every coordinate, boundary mode and
//! support point is the whole call's. This is how chunked (dask), tiled (zarr) and streaming
//! callers get results bit-identical to one call over the whole arrays.

#![forbid(unsafe_code)]

use super::Spline;
use crate::array::{ArrayMut, ArrayRef};
use crate::boundary::Mode;
use crate::error::Error;

/// Padding the prefiltered coefficients carry on every side in the `nearest` and
/// `grid-constant` modes (scipy pads the input by 12 samples there before prefiltering).
pub const SPLINE_PADDING: usize = 12;

/// Samples of padding per side of the coefficient array an interpolation with `order`,
/// `mode` and `prefilter` reads: [`SPLINE_PADDING`] with the prefilter (order > 1) in the
/// `nearest` and `grid-constant` modes, 0 otherwise (where the coefficients have the input's
/// shape, or are the input itself without the prefilter).
pub fn spline_padding(order: usize, mode: Mode, prefilter: bool) -> usize {
    if prefilter && order > 1 && matches!(mode, Mode::Nearest | Mode::GridConstant) {
        SPLINE_PADDING
    } else {
        0
    }
}

/// A box of a larger array: the array a call is given holds the elements of the whole array
/// of shape `shape` from index `origin` on (its own shape is the box's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    /// Index in the whole array of the box's first element, one value per axis.
    pub origin: Vec<usize>,
    /// Shape of the whole array, one value per axis.
    pub shape: Vec<usize>,
}

impl Region {
    /// The box at `origin` of a whole array of `shape`.
    pub fn new(origin: &[usize], shape: &[usize]) -> Region {
        Region {
            origin: origin.to_vec(),
            shape: shape.to_vec(),
        }
    }
}

/// Where the arrays of one interpolation call lie in a larger, whole transform. The default
/// (no regions, not prefiltered) is the ordinary call over whole arrays.
///
/// - `output`: the output array is a box of a whole output; every coordinate is computed from
///   whole-output indices exactly as the whole call computes it (shift; zoom's factors from
///   the whole shapes; affine; rotate's centring and shape; the mapping's index).
/// - `input`: the input array is a box of a whole input; the boundary modes act on the whole
///   input. Every support point the output reads must lie inside the box: a point outside is
///   an error naming it (checked before anything is written, except for
///   `geometric_transform`, whose mapping is only called once per point).
/// - `prefiltered`: the input holds the spline coefficients of the whole input (or a box of
///   them, with `input`) as [`spline_coefficients`](super::spline_coefficients) computes
///   them: float64, [`spline_padding`] samples wider on every side, so `input`'s shape is the
///   coefficient array's. The call reads them as the whole call reads its own and does not
///   prefilter. Without the prefilter (order <= 1 or `prefilter` off) the whole call reads the
///   raw input, and this flag changes nothing.
///
/// An input region with the prefilter on (order > 1) needs `prefiltered`: the prefilter
/// reads whole lines, so it cannot run on a box.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tile {
    /// The whole output the output array is a box of (`None`: the output array is whole).
    pub output: Option<Region>,
    /// The whole input the input array is a box of (`None`: the input array is whole).
    pub input: Option<Region>,
    /// The input holds prefiltered spline coefficients.
    pub prefiltered: bool,
}

/// A call's tile, checked against its arrays: every region known, in the coordinates the
/// engine uses (coefficient indices for the input).
#[derive(Clone, Debug)]
pub(super) struct Geometry {
    /// Whole-output index of the output array's first element.
    pub(super) out_origin: Vec<usize>,
    /// Shape of the whole output.
    pub(super) out_whole: Vec<usize>,
    /// The input box within the whole array the engine interpolates from (`None`: the input
    /// array is that whole array).
    pub(super) input: Option<Region>,
    /// The input holds the coefficients (the call does not prefilter).
    pub(super) prefiltered: bool,
    /// The coefficients' padding per side (`prefiltered` only; otherwise the prefilter adds
    /// its own).
    pub(super) npad: usize,
    /// Shape of the whole input the transform is defined on (without the coefficients'
    /// padding).
    pub(super) whole_input: Vec<usize>,
}

impl Geometry {
    /// The geometry of a whole call.
    pub(super) fn whole(input: &ArrayRef<'_>, output: &ArrayMut<'_>) -> Geometry {
        Geometry {
            out_origin: vec![0; output.rank()],
            out_whole: output.shape().to_vec(),
            input: None,
            prefiltered: false,
            npad: 0,
            whole_input: input.shape().to_vec(),
        }
    }

    /// Checks `tile` against the call's arrays and settings. `padded` lists the input axes
    /// the coefficients are padded on (every axis, except for rotate's planes).
    pub(super) fn new(
        tile: &Tile,
        input: &ArrayRef<'_>,
        output: &ArrayMut<'_>,
        spline: &Spline,
        padded: &[bool],
    ) -> Result<Geometry, Error> {
        let mut g = Geometry::whole(input, output);
        if let Some(region) = &tile.output {
            check_region(region, output.shape(), "output")?;
            g.out_origin.clone_from(&region.origin);
            g.out_whole.clone_from(&region.shape);
        }
        let needs_prefilter = spline.prefilter && spline.order > 1;
        g.prefiltered = tile.prefiltered && needs_prefilter;
        if let Some(region) = &tile.input {
            check_region(region, input.shape(), "input")?;
            if needs_prefilter && !tile.prefiltered {
                return Err(Error::InvalidArgument(
                    "an input region with the prefilter on (order > 1) needs prefiltered \
                     coefficients (NDI_FLAG_PREFILTERED): the prefilter reads whole lines"
                        .into(),
                ));
            }
            g.whole_input.clone_from(&region.shape);
            g.input = Some(region.clone());
        }
        if g.prefiltered {
            g.npad = spline_padding(spline.order, spline.mode, true);
            for (a, n) in g.whole_input.iter_mut().enumerate() {
                if !padded[a] {
                    continue;
                }
                if *n < 2 * g.npad + 1 {
                    return Err(Error::ShapeMismatch(format!(
                        "prefiltered coefficients: {n} samples on axis {a} is fewer than the \
                         {} the padding of {} per side needs",
                        2 * g.npad + 1,
                        g.npad
                    )));
                }
                *n -= 2 * g.npad;
            }
        }
        Ok(g)
    }

    /// The same geometry restricted to two axes (a plane of rotate).
    pub(super) fn plane(&self, axes: [usize; 2]) -> Geometry {
        let pick = |v: &[usize]| vec![v[axes[0]], v[axes[1]]];
        Geometry {
            out_origin: pick(&self.out_origin),
            out_whole: pick(&self.out_whole),
            input: self.input.as_ref().map(|r| Region {
                origin: pick(&r.origin),
                shape: pick(&r.shape),
            }),
            prefiltered: self.prefiltered,
            npad: self.npad,
            whole_input: pick(&self.whole_input),
        }
    }
}

/// A region's ranks and bounds: the box of `box_shape` at `origin` lies inside the whole.
fn check_region(region: &Region, box_shape: &[usize], what: &str) -> Result<(), Error> {
    let rank = box_shape.len();
    if region.origin.len() != rank || region.shape.len() != rank {
        return Err(Error::InvalidArgument(format!(
            "{what} region: origin has {} values and shape {}, the {what} rank is {rank}",
            region.origin.len(),
            region.shape.len()
        )));
    }
    for (a, ((&o, &n), &b)) in region
        .origin
        .iter()
        .zip(&region.shape)
        .zip(box_shape)
        .enumerate()
    {
        if !o.checked_add(b).is_some_and(|end| end <= n) {
            return Err(Error::ShapeMismatch(format!(
                "{what} region: the {what} array's {b} elements from index {o} on axis {a} \
                 reach beyond the whole {what}'s {n}"
            )));
        }
    }
    Ok(())
}
