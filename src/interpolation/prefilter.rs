//! The B-spline prefilter: `spline_filter1d`, `spline_filter`, and the coefficients the
//! interpolation engine reads (the input converted by the prefilter, padded in the `nearest`
//! and `grid-constant` modes as scipy pads it).

#![forbid(unsafe_code)]

use super::spline;
use super::tile::spline_padding;
use super::Spline;
use crate::args;
use crate::array::dtype::cast_through;
use crate::array::{advance, for_parts, ArrayMut, ArrayRef, AsInput, AsOutput, DType, OwnedArray};
use crate::boundary::Mode;
use crate::engine::line_pass::{transform_blocks, BlockKernel, LinePass, Pad};
use crate::error::Error;
use crate::parallel::Threads;

/// scipy.ndimage.spline_filter1d: B-spline coefficients of `order` (0 to 5; orders 0 and 1
/// copy) along `axis` (negative counts from the end) for boundary `mode`. Computed in `f64`
/// per line, stored with the filter rule (truncation for integer types). Complex arrays are
/// filtered part by part.
pub fn spline_filter1d<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    order: usize,
    axis: isize,
    mode: Mode,
    threads: Threads,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    args::spline_order(order, 0, 5)?;
    args::same_shape(&input, &output)?;
    let axis = args::axis(axis, input.rank())?;
    let threads = threads.resolve()?;
    for_parts(&input, &mut output, (0.0, 0.0), |input, output, _| {
        filter_axis(Some(input), output, order, axis, mode, threads)
    })
}

/// scipy.ndimage.spline_filter: [`spline_filter1d`] along every axis in turn; intermediate
/// results are stored in the output's type, as scipy does. Orders 2 to 5.
pub fn spline_filter<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    order: usize,
    mode: Mode,
    threads: Threads,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    args::spline_order(order, 2, 5)?;
    args::same_shape(&input, &output)?;
    let threads = threads.resolve()?;
    for_parts(&input, &mut output, (0.0, 0.0), |input, output, _| {
        for axis in 0..input.rank() {
            let from = (axis == 0).then_some(input);
            filter_axis(from, output, order, axis, mode, threads)?;
        }
        Ok(())
    })
}

/// The prefilter of one block of lines, four side by side.
struct Prefilter {
    order: usize,
    mode: Mode,
}

impl BlockKernel for Prefilter {
    fn block(&mut self, lines: &mut [f64], n: usize) {
        spline::prefilter_lines(lines, n, self.order, self.mode);
    }
}

/// One prefilter pass along `axis`, from `input` (or in place when `None`) into `output`, on
/// `threads` threads (lines are independent, so the result does not depend on the count).
fn filter_axis(
    input: Option<&ArrayRef<'_>>,
    output: &mut ArrayMut<'_>,
    order: usize,
    axis: usize,
    mode: Mode,
    threads: usize,
) -> Result<(), Error> {
    let pass = LinePass {
        min_lanes: spline::INTERLEAVED_LINES,
        ..LinePass::new("spline_filter1d", axis, Pad::NONE)
    };
    transform_blocks(input, output, &pass, threads, || Prefilter { order, mode })
}

/// The array the interpolation reads: the raw input, or float64 coefficients (padded by
/// `npad` on every side).
pub(super) struct Coefficients<'a> {
    raw: Option<ArrayRef<'a>>,
    owned: Option<OwnedArray>,
    pub(super) npad: usize,
}

impl<'a> Coefficients<'a> {
    /// The input itself, which holds coefficients padded by `npad` per side.
    pub(super) fn given(input: &ArrayRef<'a>, npad: usize) -> Coefficients<'a> {
        Coefficients {
            raw: Some(input.clone()),
            owned: None,
            npad,
        }
    }

    pub(super) fn view(&self) -> ArrayRef<'_> {
        match (&self.raw, &self.owned) {
            (Some(r), _) => r.clone(),
            (None, Some(o)) => o.view(),
            (None, None) => unreachable!(),
        }
    }
}

/// Builds the prefiltered coefficients scipy interpolates from, or borrows the input.
pub(super) fn coefficients<'a>(
    input: &ArrayRef<'a>,
    spline: &Spline,
    threads: Threads,
) -> Result<Coefficients<'a>, Error> {
    if !(spline.prefilter && spline.order > 1) {
        return Ok(Coefficients {
            raw: Some(input.clone()),
            owned: None,
            npad: 0,
        });
    }
    let npad = spline_padding(spline.order, spline.mode, true);
    let shape: Vec<usize> = input.shape().iter().map(|&n| n + 2 * npad).collect();
    // Every element is written by fill_coefficients.
    let mut owned = OwnedArray::for_overwrite(DType::Float64, &shape)?;
    let mut view = owned.view_mut();
    fill_coefficients(input, &mut view, spline, npad, threads.resolve()?)?;
    drop(view);
    Ok(Coefficients {
        raw: None,
        owned: Some(owned),
        npad,
    })
}

/// scipy.ndimage's spline coefficients of `input` as its interpolation functions compute them
/// before interpolating (with `prefilter` and order > 1): padded by
/// [`spline_padding`] samples per side in the `nearest` and `grid-constant` modes (edge
/// values, or `cval` stored into the input's type), then [`spline_filter1d`] along every
/// axis in turn in float64. Without the prefilter, the input converted to float64. `output`
/// is float64 (complex128 for a complex input, part by part with `cval`'s parts) of the
/// input's shape plus twice the padding on every axis.
///
/// An interpolation reading these with [`Tile::prefiltered`](super::Tile) gives the same
/// numbers as one computing its own, which lets a caller prefilter once and evaluate tiles.
pub fn spline_coefficients<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    spline: &Spline,
    threads: Threads,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    args::spline_order(spline.order, 0, 5)?;
    let npad = spline_padding(spline.order, spline.mode, spline.prefilter);
    let expected: Vec<usize> = input.shape().iter().map(|&n| n + 2 * npad).collect();
    if output.shape() != expected.as_slice() {
        return Err(Error::ShapeMismatch(format!(
            "spline coefficients of an input of shape {:?} have shape {expected:?} \
             ({npad} samples of padding per side), the output has {:?}",
            input.shape(),
            output.shape()
        )));
    }
    let wanted = if input.dtype().is_complex() {
        DType::Complex128
    } else {
        DType::Float64
    };
    if output.dtype() != wanted {
        return Err(Error::InvalidArray(format!(
            "spline coefficients are {wanted:?}; the output is {:?}",
            output.dtype()
        )));
    }
    if output.is_empty() {
        return Ok(());
    }
    if input.is_empty() {
        // (scipy's edge padding of an empty axis fails too.)
        return Err(Error::InvalidArray(
            "input has no elements to compute coefficients from".into(),
        ));
    }
    let threads = threads.resolve()?;
    for_parts(
        &input,
        &mut output,
        spline.cvals(),
        |input, output, cval| {
            let spline = spline.for_part(cval);
            if spline.prefilter && spline.order > 1 {
                fill_coefficients(input, output, &spline, npad, threads)
            } else {
                // Orders 0 and 1 of the line pass copy (converted to float64).
                filter_axis(Some(input), output, 1, 0, spline.mode, threads)
            }
        },
    )
}

/// Writes the coefficients of `input` into `view` (float64, `npad` wider on every side).
fn fill_coefficients(
    input: &ArrayRef<'_>,
    view: &mut ArrayMut<'_>,
    spline: &Spline,
    npad: usize,
    threads: usize,
) -> Result<(), Error> {
    let shape = view.shape().to_vec();
    let rank = shape.len();
    if npad == 0 {
        // The first pass reads the input itself (in parallel, with the same values a copy
        // would hold); the others work in place.
        filter_axis(Some(input), view, spline.order, 0, spline.mode, threads)?;
        for axis in 1..rank {
            filter_axis(None, view, spline.order, axis, spline.mode, threads)?;
        }
    } else {
        // Padded copy of the input (the nearest and grid-constant modes), then every pass in
        // place.
        let last = rank - 1;
        let n_last = input.shape()[last];
        // The pad value scipy writes: cval stored into the input's type and read back.
        let pad_value = if input.dtype() == DType::Bool {
            // numpy's float-to-bool assignment: any non-zero value, NaN included, is true.
            (spline.cval != 0.0) as u8 as f64
        } else {
            cast_through(input.dtype(), spline.cval)
        };
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
            filter_axis(None, view, spline.order, axis, spline.mode, threads)?;
        }
    }
    Ok(())
}
