//! Binary morphology: scipy's `binary_erosion`, `binary_dilation`, their compositions
//! (opening, closing, hit-or-miss, propagation, hole filling), all in the core so that C and
//! Rust callers get them too.
//!
//! The result is scipy's brute-force definition in every case (its change-list path, taken
//! for `iterations != 1`, has the bugs listed in the README; results here never depend on
//! which algorithm runs). Passes run on the row engine ([`super::rows`]); iterating a
//! structure whose centre is true (which converges) runs as a flood fill
//! ([`super::closure`]) when that is cheaper than repeating passes.

#![forbid(unsafe_code)]

use super::closure::flood;
use super::rows::{self, Bits, Combine, Operator, TapSet};
use super::structure::Neighbourhood;
use crate::args;
use crate::array::{advance, ArrayMut, ArrayRef, AsInput, AsOutput, DType, OwnedArray, Source};
use crate::engine::Footprint;
use crate::error::{try_vec, Error};
use crate::parallel::Threads;

/// Iteration counts above which a converging iteration floods instead of repeating passes.
const PASSES_BEFORE_FLOOD: i64 = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Erosion,
    Dilation,
}

/// The arguments every binary function checks before it writes anything.
fn check(
    input: &ArrayRef<'_>,
    output: &ArrayMut<'_>,
    mask: Option<&ArrayRef<'_>>,
) -> Result<(), Error> {
    args::same_shape_real(input, output)?;
    if let Some(mask) = mask {
        args::real(mask.dtype(), "mask")?;
        if mask.shape() != input.shape() {
            return Err(Error::ShapeMismatch(format!(
                "mask shape {:?} differs from input shape {:?}",
                mask.shape(),
                input.shape()
            )));
        }
    }
    Ok(())
}

/// The pass of one erosion or dilation step.
fn operator(kind: Kind, nb: &Neighbourhood, border: bool) -> Operator {
    let first = match kind {
        Kind::Erosion => TapSet {
            offsets: nb.offsets.clone(),
            combine: Combine::All,
            border,
        },
        Kind::Dilation => TapSet {
            offsets: nb.reflected(),
            combine: Combine::Any,
            border,
        },
    };
    Operator {
        first,
        second: None,
    }
}

fn bits<'v>(view: &ArrayRef<'v>) -> Bits<'v> {
    Bits {
        view: view.clone(),
        invert: false,
    }
}

/// Copies truth values (inverted with `invert`) into `to`, row by row.
fn copy_bits(from: &Bits<'_>, to: &mut ArrayMut<'_>, invert: bool) -> Result<(), Error> {
    let shape = to.shape().to_vec();
    if to.is_empty() {
        return Ok(());
    }
    let last = shape.len() - 1;
    let mut row = try_vec(shape[last], 0u8, "a row buffer")?;
    let mut index = vec![0usize; shape.len()];
    loop {
        from.read(&index, last, 0, &mut row);
        if invert {
            row.iter_mut().for_each(|v| *v ^= 1);
        }
        to.store_run_bits(&index, last, 0, &row);
        if !advance(&mut index, &shape, Some(last)) {
            return Ok(());
        }
    }
}

/// Whether two arrays of the same shape hold the same truth values.
fn same_bits(a: &ArrayRef<'_>, b: &ArrayRef<'_>) -> Result<bool, Error> {
    let shape = a.shape().to_vec();
    if a.is_empty() {
        return Ok(true);
    }
    let last = shape.len() - 1;
    let mut ra = try_vec(shape[last], 0u8, "a row buffer")?;
    let mut rb = ra.clone();
    let mut index = vec![0usize; shape.len()];
    loop {
        a.read_run_nonzero(&index, last, 0, &mut ra);
        b.read_run_nonzero(&index, last, 0, &mut rb);
        if ra != rb {
            return Ok(false);
        }
        if !advance(&mut index, &shape, Some(last)) {
            return Ok(true);
        }
    }
}

/// `iterations` steps of an erosion or dilation of `source` into `output` (all arguments
/// checked). `iterations < 1`: until a step changes nothing.
#[allow(clippy::too_many_arguments)]
fn iterate(
    kind: Kind,
    source: &Bits<'_>,
    mask: Option<&Bits<'_>>,
    nb: &Neighbourhood,
    iterations: i64,
    border: bool,
    output: &mut ArrayMut<'_>,
    threads: usize,
) -> Result<(), Error> {
    let op = operator(kind, nb, border);
    if iterations == 1 {
        rows::pass(source, mask, &op, output, threads, false)?;
        return Ok(());
    }
    if nb.centre_true && !(1..=PASSES_BEFORE_FLOOD).contains(&iterations) {
        let steps = (iterations >= 1).then_some(iterations as u64);
        return match kind {
            Kind::Dilation => flood(
                Some(source),
                mask,
                &nb.reflected(),
                border,
                steps,
                output,
                false,
            ),
            // Erosion is the complement of the dilation of the complement, with the offsets
            // negated (those of the erosion itself) and the border inverted.
            Kind::Erosion => {
                let complement = Bits {
                    view: source.view.clone(),
                    invert: !source.invert,
                };
                flood(
                    Some(&complement),
                    mask,
                    &nb.offsets,
                    !border,
                    steps,
                    output,
                    true,
                )
            }
        };
    }
    let shape = output.shape().to_vec();
    let mut temp = OwnedArray::for_overwrite(DType::UInt8, &shape)?;
    if iterations >= 1 {
        // Passes alternate between the output and a temporary so that the last one writes
        // the output; a pass that changes nothing ends the iteration early (the next ones
        // would not change anything either).
        for k in 1..=iterations {
            let to_output = (iterations - k) % 2 == 0;
            let changed = match (k == 1, to_output) {
                (true, true) => rows::pass(source, mask, &op, output, threads, true)?,
                (true, false) => {
                    rows::pass(source, mask, &op, &mut temp.view_mut(), threads, true)?
                }
                (false, true) => rows::pass(&bits(&temp.view()), mask, &op, output, threads, true)?,
                (false, false) => {
                    let from = output.view();
                    rows::pass(&bits(&from), mask, &op, &mut temp.view_mut(), threads, true)?
                }
            };
            if !changed {
                if !to_output {
                    copy_bits(&bits(&temp.view()), output, false)?;
                }
                return Ok(());
            }
        }
        return Ok(());
    }
    // Until nothing changes, for a structure whose centre is false: the steps need not
    // converge (scipy then never returns). Brent's cycle detection compares each state with
    // one saved at power-of-two steps; meeting it again means the states repeat forever.
    let mut other = OwnedArray::for_overwrite(DType::UInt8, &shape)?;
    let mut saved = OwnedArray::for_overwrite(DType::UInt8, &shape)?;
    let mut changed = rows::pass(source, mask, &op, &mut temp.view_mut(), threads, true)?;
    copy_bits(&bits(&temp.view()), &mut saved.view_mut(), false)?;
    let (mut power, mut length) = (1u64, 0u64);
    let mut current_is_temp = true;
    while changed {
        let (from, to) = if current_is_temp {
            (&temp, &mut other)
        } else {
            (&other, &mut temp)
        };
        changed = rows::pass(
            &bits(&from.view()),
            mask,
            &op,
            &mut to.view_mut(),
            threads,
            true,
        )?;
        current_is_temp = !current_is_temp;
        if !changed {
            break;
        }
        length += 1;
        let current = if current_is_temp { &temp } else { &other };
        if same_bits(&current.view(), &saved.view())? {
            return Err(Error::InvalidArgument(format!(
                "iterations < 1 repeats until nothing changes, but with this structure (its \
                 centre is false) the result cycles with period {length} and never settles"
            )));
        }
        if length == power {
            copy_bits(&bits(&current.view()), &mut saved.view_mut(), false)?;
            power *= 2;
            length = 0;
        }
    }
    let result = if current_is_temp { &temp } else { &other };
    copy_bits(&bits(&result.view()), output, false)
}

/// The input (and mask) to compute from: private copies where they share memory with the
/// output.
struct Inputs<'a> {
    input: Source<'a>,
    mask: Option<Source<'a>>,
}

impl<'a> Inputs<'a> {
    fn new(
        input: ArrayRef<'a>,
        mask: Option<&ArrayRef<'a>>,
        output: &ArrayMut<'_>,
    ) -> Result<Self, Error> {
        let written = output.byte_range();
        Ok(Inputs {
            input: Source::new(input, written)?,
            mask: mask.map(|m| Source::new(m.clone(), written)).transpose()?,
        })
    }
}

#[allow(clippy::too_many_arguments)]
fn erode_or_dilate<'a>(
    kind: Kind,
    input: ArrayRef<'a>,
    mut output: ArrayMut<'a>,
    structure: Option<&Footprint>,
    iterations: i64,
    mask: Option<&ArrayRef<'a>>,
    border_value: bool,
    origins: &[isize],
    threads: Threads,
) -> Result<(), Error> {
    check(&input, &output, mask)?;
    let nb = Neighbourhood::new(structure, input.rank(), origins)?;
    let threads = threads.resolve()?;
    if output.is_empty() {
        return Ok(());
    }
    let inputs = Inputs::new(input, mask, &output)?;
    let mask = inputs.mask.as_ref().map(|m| m.view());
    iterate(
        kind,
        &bits(&inputs.input.view()),
        mask.as_ref().map(bits).as_ref(),
        &nb,
        iterations,
        border_value,
        &mut output,
        threads,
    )
}

/// scipy.ndimage.binary_erosion: `out[i] = AND over the structure's true elements k of
/// X[i + d_k]`, where `X = input != 0`, `d_k = k − (fs / 2 + origin)` per axis, and positions
/// outside the input read as `border_value`. `structure`: `None` for scipy's default (the
/// cross of connectivity 1); its rank must be the input's. `mask`: where it is zero the output
/// is the input value. `iterations` steps (`< 1`: until nothing changes; a structure with a
/// false centre whose steps cycle is an error here, where scipy never returns). `origins`:
/// one per axis or empty, each with `0 <= fs / 2 + origin < fs`. The output (any real type,
/// the input's shape) receives 0 and 1. Input or mask sharing memory with the output are
/// copied first.
///
/// Memory: a few rows per thread for one step; one byte per element for several steps (two
/// more for iterating until nothing changes with a false centre); a converging iteration with
/// many steps floods a byte array of the input's shape padded by the structure's reach.
#[allow(clippy::too_many_arguments)]
pub fn binary_erosion<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    structure: Option<&Footprint>,
    iterations: i64,
    mask: Option<&ArrayRef<'a>>,
    border_value: bool,
    origins: &[isize],
    threads: Threads,
) -> Result<(), Error> {
    erode_or_dilate(
        Kind::Erosion,
        input.into_input(),
        output.into_output(),
        structure,
        iterations,
        mask,
        border_value,
        origins,
        threads,
    )
}

/// scipy.ndimage.binary_dilation: `out[i] = OR over the structure's true elements k of
/// X[i − d_k]` (the offsets of [`binary_erosion`], reflected), positions outside the input
/// reading as `border_value`. Arguments, iteration and memory as [`binary_erosion`].
#[allow(clippy::too_many_arguments)]
pub fn binary_dilation<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    structure: Option<&Footprint>,
    iterations: i64,
    mask: Option<&ArrayRef<'a>>,
    border_value: bool,
    origins: &[isize],
    threads: Threads,
) -> Result<(), Error> {
    erode_or_dilate(
        Kind::Dilation,
        input.into_input(),
        output.into_output(),
        structure,
        iterations,
        mask,
        border_value,
        origins,
        threads,
    )
}

/// An erosion then a dilation (`opening`) or the reverse (`closing`), with the same
/// arguments each time, through a byte temporary of the input's shape.
#[allow(clippy::too_many_arguments)]
fn composed<'a>(
    kinds: [Kind; 2],
    input: ArrayRef<'a>,
    mut output: ArrayMut<'a>,
    structure: Option<&Footprint>,
    iterations: i64,
    mask: Option<&ArrayRef<'a>>,
    border_value: bool,
    origins: &[isize],
    threads: Threads,
) -> Result<(), Error> {
    check(&input, &output, mask)?;
    let nb = Neighbourhood::new(structure, input.rank(), origins)?;
    let threads = threads.resolve()?;
    if output.is_empty() {
        return Ok(());
    }
    let inputs = Inputs::new(input, mask, &output)?;
    let mask = inputs.mask.as_ref().map(|m| m.view());
    let mask = mask.as_ref().map(bits);
    let mut temp = OwnedArray::for_overwrite(DType::UInt8, output.shape())?;
    let source = bits(&inputs.input.view());
    iterate(
        kinds[0],
        &source,
        mask.as_ref(),
        &nb,
        iterations,
        border_value,
        &mut temp.view_mut(),
        threads,
    )?;
    iterate(
        kinds[1],
        &bits(&temp.view()),
        mask.as_ref(),
        &nb,
        iterations,
        border_value,
        &mut output,
        threads,
    )
}

/// scipy.ndimage.binary_opening: [`binary_dilation`] of [`binary_erosion`], both with these
/// arguments. Memory: one byte per element more than [`binary_erosion`].
#[allow(clippy::too_many_arguments)]
pub fn binary_opening<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    structure: Option<&Footprint>,
    iterations: i64,
    mask: Option<&ArrayRef<'a>>,
    border_value: bool,
    origins: &[isize],
    threads: Threads,
) -> Result<(), Error> {
    composed(
        [Kind::Erosion, Kind::Dilation],
        input.into_input(),
        output.into_output(),
        structure,
        iterations,
        mask,
        border_value,
        origins,
        threads,
    )
}

/// scipy.ndimage.binary_closing: [`binary_erosion`] of [`binary_dilation`], both with these
/// arguments. Memory as [`binary_opening`].
#[allow(clippy::too_many_arguments)]
pub fn binary_closing<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    structure: Option<&Footprint>,
    iterations: i64,
    mask: Option<&ArrayRef<'a>>,
    border_value: bool,
    origins: &[isize],
    threads: Threads,
) -> Result<(), Error> {
    composed(
        [Kind::Dilation, Kind::Erosion],
        input.into_input(),
        output.into_output(),
        structure,
        iterations,
        mask,
        border_value,
        origins,
        threads,
    )
}

/// scipy.ndimage.binary_hit_or_miss: `out[i] = (AND over k in structure1 of X[i + d1_k]) AND
/// NOT (OR over k in structure2 of X[i + d2_k])`, positions outside the input false for both
/// (structure2 is not reflected). `structure1`: `None` for the cross of connectivity 1;
/// `structure2`: `None` for the complement of structure1. `origins2`: `None` for `origins1`
/// (checked against structure2's shape, which scipy does not do).
#[allow(clippy::too_many_arguments)]
pub fn binary_hit_or_miss<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    structure1: Option<&Footprint>,
    structure2: Option<&Footprint>,
    origins1: &[isize],
    origins2: Option<&[isize]>,
    threads: Threads,
) -> Result<(), Error> {
    let input = input.into_input();
    let mut output = output.into_output();
    check(&input, &output, None)?;
    let rank = input.rank();
    let default;
    let structure1 = match structure1 {
        Some(s) => s,
        None => {
            default = super::generate_binary_structure(rank, 1.0)?;
            &default
        }
    };
    let complement;
    let structure2 = match structure2 {
        Some(s) => s,
        None => {
            let mask = structure1.mask().iter().map(|&b| !b).collect();
            complement = Footprint::from_mask(structure1.shape(), mask)?;
            &complement
        }
    };
    let hit = Neighbourhood::new(Some(structure1), rank, origins1)?;
    let miss = Neighbourhood::new(Some(structure2), rank, origins2.unwrap_or(origins1))?;
    let threads = threads.resolve()?;
    if output.is_empty() {
        return Ok(());
    }
    let source = Source::new(input, output.byte_range())?;
    let op = Operator {
        first: TapSet {
            offsets: hit.offsets,
            combine: Combine::All,
            border: false,
        },
        second: Some(TapSet {
            offsets: miss.offsets,
            combine: Combine::Any,
            border: false,
        }),
    };
    rows::pass(
        &bits(&source.view()),
        None,
        &op,
        &mut output,
        threads,
        false,
    )?;
    Ok(())
}

/// scipy.ndimage.binary_propagation: [`binary_dilation`] repeated until nothing changes
/// (`iterations` -1), with `mask` and `border_value`.
#[allow(clippy::too_many_arguments)]
pub fn binary_propagation<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    structure: Option<&Footprint>,
    mask: Option<&ArrayRef<'a>>,
    border_value: bool,
    origins: &[isize],
    threads: Threads,
) -> Result<(), Error> {
    binary_dilation(
        input,
        output,
        structure,
        -1,
        mask,
        border_value,
        origins,
        threads,
    )
}

/// scipy.ndimage.binary_fill_holes: the complement of the background reachable from outside
/// the input (a dilation of nothing repeated until it stops, within `input == 0`, from a true
/// border). The output receives 1 on the input's true elements and on the holes.
///
/// Memory: with the structure's centre true (always so for scipy's default), a byte array of
/// the input's shape padded by the structure's reach; otherwise four byte arrays.
pub fn binary_fill_holes<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    structure: Option<&Footprint>,
    origins: &[isize],
    threads: Threads,
) -> Result<(), Error> {
    let input = input.into_input();
    let mut output = output.into_output();
    check(&input, &output, None)?;
    let nb = Neighbourhood::new(structure, input.rank(), origins)?;
    let threads = threads.resolve()?;
    if output.is_empty() {
        return Ok(());
    }
    let source = Source::new(input, output.byte_range())?;
    let background = Bits {
        view: source.view(),
        invert: true,
    };
    if nb.centre_true {
        return flood(
            None,
            Some(&background),
            &nb.reflected(),
            true,
            None,
            &mut output,
            true,
        );
    }
    let zeros = OwnedArray::zeros(DType::UInt8, output.shape())?;
    let mut reached = OwnedArray::for_overwrite(DType::UInt8, output.shape())?;
    iterate(
        Kind::Dilation,
        &bits(&zeros.view()),
        Some(&background),
        &nb,
        -1,
        true,
        &mut reached.view_mut(),
        threads,
    )?;
    copy_bits(&bits(&reached.view()), &mut output, true)
}
