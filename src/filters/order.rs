//! What the order-statistic filters share: where they look ([`Neighbourhood`]: scipy's
//! `size`/`footprint`, `axes`, `origin`, `mode` and `cval`, resolved as scipy resolves them),
//! how they treat NaN ([`NanPolicy`]), and how they run ([`OrderOptions`]).
//!
//! scipy's minimum, maximum, rank, median and percentile filters and its grey morphology all
//! take their arguments the same way; the rules below are scipy 1.17.1's
//! (`_min_or_max_filter`, `_rank_filter`, `_expand_footprint`, `_expand_origin`).

#![forbid(unsafe_code)]

use crate::args;
use crate::array::dtype::{cast_through, DType, Native};
use crate::boundary::Mode;
use crate::engine::Footprint;
use crate::error::Error;
use crate::parallel::Threads;

/// How the minimum, maximum, rank, median and percentile filters (and grey morphology) treat
/// NaN. The discriminants are the C API's `NDI_NAN_*` codes, a range of their own (0x300 + k).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[repr(i32)]
pub enum NanPolicy {
    /// scipy's result, exactly: which value comes out of a window holding NaN depends on
    /// scipy's algorithm for the path taken (the 1-D deque, the n-D scan, quickselect, the
    /// 1-D double heap), as documented in the README.
    #[default]
    Scipy = 0x300,
    /// NaN wherever the window holds a NaN (as the path reads it: a NaN `cval` counts where
    /// the window reaches outside in the constant modes, except on the paths that cast `cval`
    /// to an integer input's type first).
    Propagate = 0x301,
    /// The order statistic of the window's non-NaN values (ranks, medians and percentiles
    /// computed from their count); NaN when there are none.
    Omit = 0x302,
}

impl NanPolicy {
    pub const ALL: [NanPolicy; 3] = [NanPolicy::Scipy, NanPolicy::Propagate, NanPolicy::Omit];

    /// Lower-case name, as the Python binding's `nan_policy=` spells it (`"scipy"` is the
    /// default, `None` there).
    pub const fn name(self) -> &'static str {
        match self {
            NanPolicy::Scipy => "scipy",
            NanPolicy::Propagate => "propagate",
            NanPolicy::Omit => "omit",
        }
    }
}

impl TryFrom<i32> for NanPolicy {
    type Error = i32;
    /// The policy of a C `NDI_NAN_*` code; the code itself when it is none.
    fn try_from(code: i32) -> Result<Self, i32> {
        NanPolicy::ALL
            .into_iter()
            .find(|&p| p as i32 == code)
            .ok_or(code)
    }
}

/// How an order filter runs: threads and NaN policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OrderOptions {
    pub threads: Threads,
    pub nan_policy: NanPolicy,
}

impl OrderOptions {
    /// The defaults with `threads`.
    pub fn threads(threads: Threads) -> Self {
        OrderOptions {
            threads,
            ..Default::default()
        }
    }
}

/// Where an order filter looks, as scipy's arguments say it: a footprint over the filtered
/// axes, the axes, one origin per filtered axis, the boundary mode(s) and `cval`.
///
/// - `footprint` has one dimension per filtered axis. A full box ([`Footprint::from_size`],
///   or a mask with every element selected) is **separable**: the filter is one 1-D pass per
///   axis of extent > 1, in the order of `axes` (footprint dimension `i`, origin `i` and mode
///   `i` on `axes[i]`), each stored in the output's type. Otherwise the filter runs over the
///   footprint in one n-dimensional pass, with the footprint's dimensions on the filtered axes
///   in **increasing** axis order while origin `i` stays on `axes[i]` (on axis `i` when every
///   axis is listed: scipy's rules).
/// - `axes`: the filtered axes (negative: counted from the end), empty for all in order.
/// - `origins`: one per filtered axis, or empty for zeros. Footprint element `k` on an axis
///   of extent `fs` reads input position `i + k - (fs / 2 + origin)`.
/// - `modes`: one for every axis, or one per filtered axis (separable footprints only, unless
///   all are the same).
#[derive(Clone, Debug, PartialEq)]
pub struct Neighbourhood {
    pub footprint: Footprint,
    pub axes: Vec<isize>,
    pub origins: Vec<isize>,
    pub modes: Vec<Mode>,
    pub cval: f64,
}

impl Neighbourhood {
    /// `footprint` over every axis, origins 0, mode reflect, cval 0 (scipy's defaults).
    pub fn new(footprint: Footprint) -> Self {
        Neighbourhood {
            footprint,
            axes: Vec::new(),
            origins: Vec::new(),
            modes: vec![Mode::Reflect],
            cval: 0.0,
        }
    }

    /// A full box of `size` per filtered axis (scipy's `size=`).
    pub fn size(size: &[usize]) -> Result<Self, Error> {
        Ok(Self::new(Footprint::from_size(size)?))
    }

    pub fn with_axes(mut self, axes: &[isize]) -> Self {
        self.axes = axes.to_vec();
        self
    }

    pub fn with_origins(mut self, origins: &[isize]) -> Self {
        self.origins = origins.to_vec();
        self
    }

    /// One mode for every axis.
    pub fn with_mode(mut self, mode: Mode) -> Self {
        self.modes = vec![mode];
        self
    }

    /// One mode per filtered axis.
    pub fn with_modes(mut self, modes: &[Mode]) -> Self {
        self.modes = modes.to_vec();
        self
    }

    pub fn with_cval(mut self, cval: f64) -> Self {
        self.cval = cval;
        self
    }

    /// The filter for an input of rank `rank`, arguments checked as scipy checks them.
    pub(crate) fn resolve(&self, rank: usize) -> Result<Resolved, Error> {
        args::at_least_rank_1(rank, "input")?;
        let axes: Vec<usize> = if self.axes.is_empty() {
            (0..rank).collect()
        } else {
            args::axes(&self.axes, rank)?
        };
        let k = axes.len();
        let fp = &self.footprint;
        if fp.rank() != k {
            return Err(Error::ShapeMismatch(format!(
                "footprint.ndim ({}) must match len(axes) ({k})",
                fp.rank()
            )));
        }
        if fp.count() == 0 {
            return Err(Error::InvalidArgument(
                "All-zero footprint is not supported.".into(),
            ));
        }
        let origins = args::origins(&self.origins, k)?;
        let modes = match self.modes.len() {
            1 => vec![self.modes[0]; k],
            n if n == k => self.modes.clone(),
            n => {
                return Err(Error::InvalidArgument(format!(
                    "{n} modes given for {k} filtered axes"
                )))
            }
        };
        if fp.count() == fp.mask().len() {
            // A full box: one pass per axis of extent > 1, in the order of `axes`.
            let mut passes = Vec::new();
            for (i, &axis) in axes.iter().enumerate() {
                let size = fp.shape()[i];
                if size > 1 {
                    args::samples_before(size, origins[i], axis)?;
                    passes.push(Pass {
                        axis,
                        size,
                        origin: origins[i],
                        mode: modes[i],
                    });
                }
            }
            return Ok(Resolved::Separable(passes));
        }
        self.footprint_pass(rank, &axes, &origins, &modes)
    }

    /// The filter as one n-dimensional pass over its footprint, whatever its shape (grey
    /// morphology with a structure).
    pub(crate) fn resolve_footprint(&self, rank: usize) -> Result<Resolved, Error> {
        args::at_least_rank_1(rank, "input")?;
        let axes: Vec<usize> = if self.axes.is_empty() {
            (0..rank).collect()
        } else {
            args::axes(&self.axes, rank)?
        };
        let k = axes.len();
        if self.footprint.rank() != k {
            return Err(Error::ShapeMismatch(format!(
                "footprint.ndim ({}) must match len(axes) ({k})",
                self.footprint.rank()
            )));
        }
        if self.footprint.count() == 0 {
            return Err(Error::InvalidArgument(
                "All-zero footprint is not supported.".into(),
            ));
        }
        let origins = args::origins(&self.origins, k)?;
        let modes = match self.modes.len() {
            1 => vec![self.modes[0]; k],
            n if n == k => self.modes.clone(),
            n => {
                return Err(Error::InvalidArgument(format!(
                    "{n} modes given for {k} filtered axes"
                )))
            }
        };
        self.footprint_pass(rank, &axes, &origins, &modes)
    }

    fn footprint_pass(
        &self,
        rank: usize,
        axes: &[usize],
        origins: &[isize],
        modes: &[Mode],
    ) -> Result<Resolved, Error> {
        let mode = single_mode(modes)?;
        let (footprint, origins) = expand(&self.footprint, axes, origins, rank)?;
        Ok(Resolved::Footprint {
            footprint,
            origins,
            mode,
        })
    }

    /// The footprint and origins over every axis of an input of rank `rank` (scipy's
    /// `_expand_footprint`, `_expand_origin`), and the modes, one per axis (`Constant` on the
    /// axes not filtered, as scipy's `_expand_mode` has them): what `rank_filter` hands on to
    /// `minimum_filter` and `maximum_filter`.
    pub(crate) fn expanded(&self, rank: usize) -> Result<Neighbourhood, Error> {
        args::at_least_rank_1(rank, "input")?;
        let axes: Vec<usize> = if self.axes.is_empty() {
            (0..rank).collect()
        } else {
            args::axes(&self.axes, rank)?
        };
        let k = axes.len();
        if self.footprint.rank() != k {
            return Err(Error::ShapeMismatch(format!(
                "footprint.ndim ({}) must match len(axes) ({k})",
                self.footprint.rank()
            )));
        }
        let origins = args::origins(&self.origins, k)?;
        let modes = match self.modes.len() {
            1 => vec![self.modes[0]; rank],
            n if n == k => {
                let mut full = vec![Mode::Constant; rank];
                for (m, &a) in self.modes.iter().zip(&axes) {
                    full[a] = *m;
                }
                full
            }
            n => {
                return Err(Error::InvalidArgument(format!(
                    "{n} modes given for {k} filtered axes"
                )))
            }
        };
        let (footprint, origins) = expand(&self.footprint, &axes, &origins, rank)?;
        Ok(Neighbourhood {
            footprint,
            axes: Vec::new(),
            origins,
            modes,
            cval: self.cval,
        })
    }
}

/// One 1-D pass of a separable filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pass {
    pub axis: usize,
    pub size: usize,
    pub origin: isize,
    pub mode: Mode,
}

impl Pass {
    /// The extension of a line for this pass.
    pub fn pad(&self, cval: f64) -> crate::engine::line_pass::Pad {
        let before = (self.size / 2) as isize + self.origin;
        crate::engine::line_pass::Pad {
            before: before as usize,
            after: self.size - 1 - before as usize,
            mode: self.mode,
            cval,
        }
    }
}

/// A neighbourhood resolved for an input's rank.
#[derive(Clone, Debug)]
pub(crate) enum Resolved {
    /// 1-D passes in order (none: every axis dropped).
    Separable(Vec<Pass>),
    /// One n-dimensional pass over a footprint of the input's rank.
    Footprint {
        footprint: Footprint,
        origins: Vec<isize>,
        mode: Mode,
    },
}

/// The one mode of a non-separable filter.
fn single_mode(modes: &[Mode]) -> Result<Mode, Error> {
    match modes.split_first() {
        Some((&first, rest)) if rest.iter().all(|&m| m == first) => Ok(first),
        Some(_) => Err(Error::InvalidArgument(
            "A sequence of modes is not supported for non-separable footprints".into(),
        )),
        None => Ok(Mode::Reflect),
    }
}

/// `footprint` (over `axes`) and `origins` (one per entry of `axes`) over all `rank` axes:
/// the footprint's dimensions on the filtered axes in increasing order, length 1 elsewhere;
/// origin `i` on `axes[i]`, 0 elsewhere (on axis `i` when every axis is filtered, as scipy has
/// it). Every origin is checked against its axis' extent.
pub(crate) fn expand(
    footprint: &Footprint,
    axes: &[usize],
    origins: &[isize],
    rank: usize,
) -> Result<(Footprint, Vec<isize>), Error> {
    let mut sorted = axes.to_vec();
    sorted.sort_unstable();
    let mut shape = vec![1usize; rank];
    for (d, &a) in sorted.iter().enumerate() {
        shape[a] = footprint.shape()[d];
    }
    // scipy expands origins only when fewer axes than the rank are filtered: with every axis
    // listed (in any order), origin i stays on axis i.
    let mut full = vec![0isize; rank];
    if axes.len() == rank {
        full.copy_from_slice(origins);
    } else {
        for (&o, &a) in origins.iter().zip(axes) {
            full[a] = o;
        }
    }
    for (a, (&fs, &o)) in shape.iter().zip(&full).enumerate() {
        args::samples_before(fs, o, a)?;
    }
    // Length-1 axes inserted anywhere keep the C order of the elements.
    let footprint = Footprint::from_mask(&shape, footprint.mask().to_vec())?;
    Ok((footprint, full))
}

/// Whether `cval` converts to element type `dtype` and back unchanged (bit for bit), so that a
/// filter can pad lines of that type with it instead of with the double.
pub(crate) fn cval_fits(dtype: DType, cval: f64) -> bool {
    cast_through(dtype, cval).to_bits() == cval.to_bits()
}

/// Whether `v` is NaN (never for integer types).
#[inline(always)]
pub(crate) fn is_nan<T: Native>(v: T) -> bool {
    T::DTYPE.is_float() && v.to_f64().is_nan()
}

/// Whether a block of values must take scipy's exact algorithm rather than a fast one: it
/// holds a NaN or a negative zero (floats: where equal values can differ in their bits and
/// NaN breaks the order, a correct selection may return other bits than scipy's; `-0.0`
/// alone is a conservative stand-in for zeros of both signs, and rare), or a 64-bit
/// integer that a double does not hold exactly (scipy compares and stores those through
/// the double).
pub(crate) fn needs_exact_path<T: Native>(values: &[T]) -> bool {
    match T::DTYPE {
        DType::Int64 | DType::UInt64 => values.iter().any(|&v| T::from_f64(v.to_f64()) != v),
        _ if T::DTYPE.is_float() => has_nan_or_negative_zero(values),
        _ => false,
    }
}

/// Whether `values` hold a NaN or a negative zero (from comparisons and bits only: the scan
/// vectorises; early exit per chunk).
pub(crate) fn has_nan_or_negative_zero<T: Native>(values: &[T]) -> bool {
    #[allow(clippy::eq_op)] // v != v: NaN
    let special = |v: T| (v != v) | v.is_negative_zero();
    values
        .chunks(512)
        .any(|chunk| chunk.iter().fold(false, |acc, &v| acc | special(v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separable_boxes_drop_axes_of_extent_one() {
        let nb = Neighbourhood::size(&[3, 1, 2]).unwrap();
        let Resolved::Separable(passes) = nb.resolve(3).unwrap() else {
            panic!("a box is separable")
        };
        assert_eq!(
            passes.iter().map(|p| (p.axis, p.size)).collect::<Vec<_>>(),
            [(0, 3), (2, 2)]
        );
        // Passes follow the order of `axes`, footprint dimension i on axes[i].
        let nb = Neighbourhood::size(&[2, 4]).unwrap().with_axes(&[2, 0]);
        let Resolved::Separable(passes) = nb.resolve(3).unwrap() else {
            panic!("a box is separable")
        };
        assert_eq!(
            passes.iter().map(|p| (p.axis, p.size)).collect::<Vec<_>>(),
            [(2, 2), (0, 4)]
        );
    }

    #[test]
    fn footprints_go_to_the_axes_in_increasing_order() {
        let fp = Footprint::from_mask(&[2, 3], vec![true, false, true, true, true, false]).unwrap();
        let nb = Neighbourhood::new(fp)
            .with_axes(&[2, 0])
            .with_origins(&[1, 0]);
        let Resolved::Footprint {
            footprint, origins, ..
        } = nb.resolve(3).unwrap()
        else {
            panic!("holes make a footprint")
        };
        assert_eq!(footprint.shape(), [2, 1, 3]);
        assert_eq!(origins, [0, 0, 1]);
        // Mode lists are for separable footprints only.
        let fp = Footprint::from_mask(&[3], vec![true, false, true]).unwrap();
        let nb = Neighbourhood::new(fp).with_modes(&[Mode::Wrap]);
        assert!(nb.resolve(1).is_ok());
    }

    #[test]
    fn argument_errors() {
        let nb = Neighbourhood::size(&[3]).unwrap();
        assert!(matches!(nb.resolve(2), Err(Error::ShapeMismatch(_))));
        let empty = Footprint::from_mask(&[2], vec![false, false]).unwrap();
        assert!(Neighbourhood::new(empty).resolve(1).is_err());
        let nb = Neighbourhood::size(&[3]).unwrap().with_origins(&[2]);
        assert!(nb.resolve(1).is_err());
        // An origin on a dropped axis is not checked (scipy never passes it on).
        let nb = Neighbourhood::size(&[1]).unwrap().with_origins(&[5]);
        assert!(nb.resolve(1).is_ok());
    }

    #[test]
    fn cval_fits_only_exact_values() {
        assert!(cval_fits(DType::UInt8, 255.0));
        assert!(!cval_fits(DType::UInt8, -1.0));
        assert!(!cval_fits(DType::Float32, 0.1));
        assert!(cval_fits(DType::Float32, -0.0));
        assert!(cval_fits(DType::Float64, f64::NAN));
    }

    #[test]
    fn fast_path_checks() {
        assert!(!needs_exact_path(&[0u8, 255]));
        assert!(has_nan_or_negative_zero(&[1.0f32, -0.0]));
        assert!(has_nan_or_negative_zero(&[f64::NAN]));
        assert!(!has_nan_or_negative_zero(&[1.0f32, 0.0, -2.0]));
        assert!(needs_exact_path(&[i64::MAX]) && !needs_exact_path(&[1i64 << 52]));
    }
}
