//! scipy's grey morphology: `grey_erosion` and `grey_dilation` (its minimum and maximum
//! filters, with an optional structure of additive offsets and dilation's reflection), and
//! the compositions scipy writes in Python (`grey_opening`, `grey_closing`,
//! `morphological_gradient`, `morphological_laplace`, `white_tophat`, `black_tophat`),
//! composed here with NumPy's arithmetic in the output's type, so C callers get them too.

#![forbid(unsafe_code)]

use crate::array::elementwise::{binary, check_binary, BinaryOp, Operand};
use crate::array::{ArrayMut, ArrayRef, AsInput, AsOutput, DType, OwnedArray, Source};
use crate::engine::Footprint;
use crate::error::Error;
use crate::filters::minmax::{footprint_extreme, separable_extreme, Extreme};
use crate::filters::order::{Neighbourhood, OrderOptions, Resolved};

/// A structuring element's values (scipy's `structure=`): one double per element of a box, in
/// C order, added to (dilation) or subtracted from (erosion) the values under it.
#[derive(Clone, Debug, PartialEq)]
pub struct Structure {
    shape: Vec<usize>,
    values: Vec<f64>,
}

impl Structure {
    /// Values in C order over `shape` (every size >= 1).
    pub fn new(shape: &[usize], values: Vec<f64>) -> Result<Self, Error> {
        let count = Footprint::from_size(shape)?.mask().len();
        if values.len() != count {
            return Err(Error::ShapeMismatch(format!(
                "structure has {} values, its shape {shape:?} needs {count}",
                values.len()
            )));
        }
        Ok(Structure {
            shape: shape.to_vec(),
            values,
        })
    }

    /// The values of an array of any real element type, as doubles (scipy reads the structure
    /// as float64).
    pub fn from_array(array: &ArrayRef<'_>) -> Result<Self, Error> {
        crate::args::real(array.dtype(), "structure")?;
        let shape = array.shape().to_vec();
        crate::args::at_least_rank_1(shape.len(), "structure")?;
        let count = Footprint::from_size(&shape)?.mask().len();
        let mut values = Vec::with_capacity(count);
        let last = shape.len() - 1;
        let mut row = vec![0.0; shape[last]];
        let mut index = vec![0usize; shape.len()];
        loop {
            array.read_line(&index, last, &mut row);
            values.extend_from_slice(&row);
            if !crate::array::advance(&mut index, &shape, Some(last)) {
                break;
            }
        }
        Structure::new(&shape, values)
    }

    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The values in C order.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The full footprint over the structure's shape (scipy's default footprint with a
    /// structure).
    pub fn footprint(&self) -> Footprint {
        Footprint::from_size(&self.shape).expect("a structure's shape is a valid box")
    }
}

/// Dilation's reflection (scipy's `grey_dilation`): footprint and structure reversed on every
/// axis, each origin `o` on an axis of extent `fs` turned into `-o - (1 if fs is even)`.
fn reflect(
    neighbourhood: &Neighbourhood,
    structure: Option<&Structure>,
) -> Result<(Neighbourhood, Option<Structure>), Error> {
    let fp = &neighbourhood.footprint;
    let k = fp.rank();
    // One origin per filtered axis: a footprint of another rank is the shape mismatch the
    // erosion reports (not a count of origins, which the caller did not give).
    if !neighbourhood.origins.is_empty() && neighbourhood.origins.len() != k {
        return Err(Error::ShapeMismatch(format!(
            "footprint.ndim ({k}) must match len(axes) ({})",
            neighbourhood.origins.len()
        )));
    }
    let origins = crate::args::origins(&neighbourhood.origins, k)?;
    // (an origin of isize::MIN has no reflection; it is invalid for any footprint)
    let origins: Vec<isize> = origins
        .iter()
        .zip(fp.shape())
        .map(|(&o, &fs)| {
            o.checked_neg()
                .map(|r| r - isize::from(fs % 2 == 0))
                .ok_or_else(|| Error::InvalidArgument(format!("invalid origin {o}")))
        })
        .collect::<Result<_, _>>()?;
    // Reversing every axis of a C-order box reverses its element order.
    let mut mask = fp.mask().to_vec();
    mask.reverse();
    let mut reflected = neighbourhood.clone();
    reflected.footprint = Footprint::from_mask(fp.shape(), mask)?;
    reflected.origins = origins;
    let structure = structure.map(|s| {
        let mut values = s.values.clone();
        values.reverse();
        Structure {
            shape: s.shape.clone(),
            values,
        }
    });
    Ok((reflected, structure))
}

/// Erosion (`Extreme::Min`) or dilation's maximum, after the reflection for dilation.
fn grey_extreme(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    neighbourhood: &Neighbourhood,
    structure: Option<&Structure>,
    extreme: Extreme,
    options: &OrderOptions,
) -> Result<(), Error> {
    crate::args::same_shape(input, output)?;
    if input.dtype().is_complex() || output.dtype().is_complex() {
        return Err(Error::InvalidArray("Complex type not supported".into()));
    }
    let (name, reflected) = match extreme {
        Extreme::Min => ("grey_erosion", None),
        Extreme::Max => ("grey_dilation", Some(reflect(neighbourhood, structure)?)),
    };
    let (nb, structure) = match &reflected {
        Some((nb, s)) => (nb, s.as_ref()),
        None => (neighbourhood, structure),
    };
    let Some(structure) = structure else {
        return match nb.resolve(input.rank())? {
            Resolved::Separable(passes) => {
                separable_extreme(input, output, &passes, nb.cval, extreme, options, name)
            }
            Resolved::Footprint {
                footprint,
                origins,
                mode,
            } => footprint_extreme(
                input, output, &footprint, &origins, mode, nb.cval, None, extreme, options, name,
            ),
        };
    };
    if structure.shape() != nb.footprint.shape() {
        return Err(Error::ShapeMismatch(format!(
            "structure array has incorrect shape: {:?} for a footprint of shape {:?}",
            structure.shape(),
            nb.footprint.shape()
        )));
    }
    let Resolved::Footprint {
        footprint,
        origins,
        mode,
    } = nb.resolve_footprint(input.rank())?
    else {
        unreachable!("resolve_footprint gives a footprint pass")
    };
    // The structure values of the selected elements, in footprint order.
    let values: Vec<f64> = nb
        .footprint
        .mask()
        .iter()
        .zip(structure.values())
        .filter(|(&m, _)| m)
        .map(|(_, &v)| v)
        .collect();
    footprint_extreme(
        input,
        output,
        &footprint,
        &origins,
        mode,
        nb.cval,
        Some(&values),
        extreme,
        options,
        name,
    )
}

/// scipy.ndimage.grey_erosion: [`crate::minimum_filter`] over `neighbourhood`, or with a
/// `structure` (of the footprint's shape) the minimum of `value - structure` over the
/// selected elements, computed as scipy does: the first element in double, every other one in
/// the input's type (`value + (type)(-structure)`, integers wrapping), compared as doubles; a
/// structure always takes the n-dimensional path (one mode for every axis, `cval` cast to the
/// input's type). Any real element types; overlapping memory is handled as by the filters.
pub fn grey_erosion<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    neighbourhood: &Neighbourhood,
    structure: Option<&Structure>,
    options: &OrderOptions,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    grey_extreme(
        &input,
        &mut output,
        neighbourhood,
        structure,
        Extreme::Min,
        options,
    )
}

/// scipy.ndimage.grey_dilation: the maximum of `value + structure` over the footprint and
/// structure reflected on every axis, each origin `o` turned into `-o - 1` on axes of even
/// extent and `-o` on the others (so a window of even size 2 covers `i, i + 1`); otherwise as
/// [`grey_erosion`].
pub fn grey_dilation<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    neighbourhood: &Neighbourhood,
    structure: Option<&Structure>,
    options: &OrderOptions,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    grey_extreme(
        &input,
        &mut output,
        neighbourhood,
        structure,
        Extreme::Max,
        options,
    )
}

/// What the compositions share: the input (copied first if it shares memory with the
/// output: every step then reads the original values), and temporaries of its type.
struct Composition<'s> {
    source: Source<'s>,
    dtype: DType,
    shape: Vec<usize>,
}

impl<'s> Composition<'s> {
    fn new(input: ArrayRef<'s>, output: &ArrayMut<'_>) -> Result<Self, Error> {
        crate::args::same_shape(&input, output)?;
        if input.dtype().is_complex() || output.dtype().is_complex() {
            return Err(Error::InvalidArray("Complex type not supported".into()));
        }
        Ok(Composition {
            dtype: input.dtype(),
            shape: input.shape().to_vec(),
            source: Source::new(input, output.byte_range())?,
        })
    }

    /// A temporary of the input's type and shape (from the scratch pool).
    fn temporary(&self) -> Result<OwnedArray, Error> {
        OwnedArray::for_overwrite(self.dtype, &self.shape)
    }
}

/// scipy's `grey_opening`, `grey_closing` and tophats: `first` into a temporary of the input's
/// type, `second` from it into the output, then the arithmetic `finish` (if any).
#[allow(clippy::too_many_arguments)]
fn open_or_close(
    input: ArrayRef<'_>,
    mut output: ArrayMut<'_>,
    neighbourhood: &Neighbourhood,
    structure: Option<&Structure>,
    first: Extreme,
    finish: Option<(BinaryOp, bool)>,
    options: &OrderOptions,
) -> Result<(), Error> {
    let c = Composition::new(input, &output)?;
    if let Some((op, _)) = finish {
        check_binary(op, c.dtype, output.dtype(), output.dtype())?;
    }
    let second = match first {
        Extreme::Min => Extreme::Max,
        Extreme::Max => Extreme::Min,
    };
    let source = c.source.view();
    let mut tmp = c.temporary()?;
    grey_extreme(
        &source,
        &mut tmp.view_mut(),
        neighbourhood,
        structure,
        first,
        options,
    )?;
    grey_extreme(
        &tmp.view(),
        &mut output,
        neighbourhood,
        structure,
        second,
        options,
    )?;
    if let Some((op, input_first)) = finish {
        let threads = options.threads.resolve()?;
        let (a, b) = if input_first {
            (Operand::Array(&source), Operand::Output)
        } else {
            (Operand::Output, Operand::Array(&source))
        };
        binary(op, a, b, &mut output, threads)?;
    }
    Ok(())
}

/// The operation of a tophat: xor for a bool input and output, subtraction otherwise.
fn tophat_op(input: DType, output: DType) -> BinaryOp {
    if input == DType::Bool && output == DType::Bool {
        BinaryOp::Xor
    } else {
        BinaryOp::Subtract
    }
}

/// scipy.ndimage.grey_opening: [`grey_dilation`] of the [`grey_erosion`] (kept in the input's
/// type) into the output. Memory: one temporary of the input's size.
pub fn grey_opening<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    neighbourhood: &Neighbourhood,
    structure: Option<&Structure>,
    options: &OrderOptions,
) -> Result<(), Error> {
    let (input, output) = (input.into_input(), output.into_output());
    open_or_close(
        input,
        output,
        neighbourhood,
        structure,
        Extreme::Min,
        None,
        options,
    )
}

/// scipy.ndimage.grey_closing: [`grey_erosion`] of the [`grey_dilation`] (kept in the input's
/// type) into the output. Memory: one temporary of the input's size.
pub fn grey_closing<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    neighbourhood: &Neighbourhood,
    structure: Option<&Structure>,
    options: &OrderOptions,
) -> Result<(), Error> {
    let (input, output) = (input.into_input(), output.into_output());
    open_or_close(
        input,
        output,
        neighbourhood,
        structure,
        Extreme::Max,
        None,
        options,
    )
}

/// scipy.ndimage.white_tophat: `input - opening` (`input ^ opening` for a bool input and
/// output), NumPy's `np.subtract(input, opening, out=output)`: in the promoted type of the
/// two, cast into the output's type (an error where NumPy's `same_kind` rule refuses).
pub fn white_tophat<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    neighbourhood: &Neighbourhood,
    structure: Option<&Structure>,
    options: &OrderOptions,
) -> Result<(), Error> {
    let (input, output) = (input.into_input(), output.into_output());
    let op = tophat_op(input.dtype(), output.dtype());
    open_or_close(
        input,
        output,
        neighbourhood,
        structure,
        Extreme::Min,
        Some((op, true)),
        options,
    )
}

/// scipy.ndimage.black_tophat: `closing - input` (`closing ^ input` for bools), as
/// [`white_tophat`].
pub fn black_tophat<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    neighbourhood: &Neighbourhood,
    structure: Option<&Structure>,
    options: &OrderOptions,
) -> Result<(), Error> {
    let (input, output) = (input.into_input(), output.into_output());
    let op = tophat_op(input.dtype(), output.dtype());
    open_or_close(
        input,
        output,
        neighbourhood,
        structure,
        Extreme::Max,
        Some((op, false)),
        options,
    )
}

/// scipy.ndimage.morphological_gradient: `dilation - erosion`, the dilation kept in the
/// input's type, the erosion written into the output, then `np.subtract(dilation, output,
/// out=output)` (NumPy's arithmetic, see [`white_tophat`]; bools are an error, as in NumPy).
/// Memory: one temporary of the input's size.
pub fn morphological_gradient<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    neighbourhood: &Neighbourhood,
    structure: Option<&Structure>,
    options: &OrderOptions,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    let c = Composition::new(input, &output)?;
    check_binary(BinaryOp::Subtract, c.dtype, output.dtype(), output.dtype())?;
    let source = c.source.view();
    let mut tmp = c.temporary()?;
    grey_extreme(
        &source,
        &mut tmp.view_mut(),
        neighbourhood,
        structure,
        Extreme::Max,
        options,
    )?;
    grey_extreme(
        &source,
        &mut output,
        neighbourhood,
        structure,
        Extreme::Min,
        options,
    )?;
    let threads = options.threads.resolve()?;
    let dilation = tmp.view();
    binary(
        BinaryOp::Subtract,
        Operand::Array(&dilation),
        Operand::Output,
        &mut output,
        threads,
    )
}

/// scipy.ndimage.morphological_laplace: `((dilation + erosion) - input) - input`, each step
/// NumPy's arithmetic into the output (the dilation kept in the input's type, the erosion
/// written into the output). Memory: one temporary of the input's size.
pub fn morphological_laplace<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    neighbourhood: &Neighbourhood,
    structure: Option<&Structure>,
    options: &OrderOptions,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    let c = Composition::new(input, &output)?;
    let out = output.dtype();
    check_binary(BinaryOp::Add, c.dtype, out, out)?;
    check_binary(BinaryOp::Subtract, out, c.dtype, out)?;
    let source = c.source.view();
    let mut tmp = c.temporary()?;
    grey_extreme(
        &source,
        &mut tmp.view_mut(),
        neighbourhood,
        structure,
        Extreme::Max,
        options,
    )?;
    grey_extreme(
        &source,
        &mut output,
        neighbourhood,
        structure,
        Extreme::Min,
        options,
    )?;
    let threads = options.threads.resolve()?;
    let dilation = tmp.view();
    binary(
        BinaryOp::Add,
        Operand::Array(&dilation),
        Operand::Output,
        &mut output,
        threads,
    )?;
    for _ in 0..2 {
        binary(
            BinaryOp::Subtract,
            Operand::Output,
            Operand::Array(&source),
            &mut output,
            threads,
        )?;
    }
    Ok(())
}
