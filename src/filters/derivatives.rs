//! Derivative filters and their compositions, as scipy's Python layer composes them:
//! `sobel`, `prewitt` (a correlation along one axis, smoothings along the others, in place),
//! `laplace`, `generic_laplace` (a sum of second derivatives) and
//! `generic_gradient_magnitude` (the root of a sum of squared first derivatives), with
//! NumPy's arithmetic in the output's element type between the passes.

#![forbid(unsafe_code)]

use num_complex::Complex;

use super::correlate::Correlate1d;
use super::gaussian::{run_passes, Pass};
use super::numpy_ops;
use super::uniform::{copy_dropped, resolve_axes};
use crate::args;
use crate::array::{ArrayMut, ArrayRef, AsInput, AsOutput, OwnedArray, Source};
use crate::boundary::Mode;
use crate::error::Error;
use crate::parallel::Threads;

/// scipy's `generic_laplace` arithmetic: term 0 computed into `output`, each further term
/// into a temporary of the output's element type and added with NumPy's `output += tmp`
/// (integers wrap, bools or); with no term, `output[...] = input` (NumPy's casting).
/// `fresh`: zero the temporary before each term (for callers' derivatives, which scipy hands
/// a new zeroed array each time).
pub(crate) fn compose_laplace<F>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    count: usize,
    fresh: bool,
    mut term: F,
) -> Result<(), Error>
where
    F: FnMut(usize, &mut ArrayMut<'_>) -> Result<(), Error>,
{
    if count == 0 {
        return copy_dropped(input, output);
    }
    term(0, output)?;
    if count > 1 {
        let mut temp = OwnedArray::zeros(output.dtype(), output.shape())?;
        for k in 1..count {
            if fresh && k > 1 {
                numpy_ops::fill_zero(&mut temp.view_mut());
            }
            term(k, &mut temp.view_mut())?;
            numpy_ops::add_assign(output, &temp.view())?;
        }
    }
    Ok(())
}

/// scipy's `generic_gradient_magnitude` arithmetic: term 0 into `output`, `output *=
/// output`; each further term into a temporary, squared, added; then `np.sqrt(output,
/// output, casting='unsafe')`. With no term, `output[...] = input`.
pub(crate) fn compose_gradient_magnitude<F>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    count: usize,
    fresh: bool,
    mut term: F,
) -> Result<(), Error>
where
    F: FnMut(usize, &mut ArrayMut<'_>) -> Result<(), Error>,
{
    if count == 0 {
        return copy_dropped(input, output);
    }
    term(0, output)?;
    numpy_ops::square(output)?;
    if count > 1 {
        let mut temp = OwnedArray::zeros(output.dtype(), output.shape())?;
        for k in 1..count {
            if fresh && k > 1 {
                numpy_ops::fill_zero(&mut temp.view_mut());
            }
            term(k, &mut temp.view_mut())?;
            numpy_ops::square(&mut temp.view_mut())?;
            numpy_ops::add_assign(output, &temp.view())?;
        }
    }
    numpy_ops::sqrt(output)
}

/// A derivative for [`generic_laplace`] and [`generic_gradient_magnitude`]: writes the
/// derivative of `input` along `axis` into `output` (every element: a temporary given to it
/// holds zeros on entry), with boundary `mode` and `cval`.
pub type Derivative<'d> = dyn FnMut(&ArrayRef<'_>, usize, &mut ArrayMut<'_>, Mode, Complex<f64>) -> Result<(), Error>
    + 'd;

/// Resolved axes and one mode per axis.
fn axes_and_modes(
    rank: usize,
    axes: Option<&[isize]>,
    modes: &[Mode],
) -> Result<(Vec<usize>, Vec<Mode>), Error> {
    let axes = resolve_axes(axes, rank)?;
    let modes = args::per_axis_or_one(modes, axes.len(), Mode::Reflect, "modes")?;
    Ok((axes, modes))
}

/// scipy.ndimage.generic_laplace: `derivative2` along each axis of `axes` (every axis when
/// `None`) with that axis's mode (`modes`: one per axis of `axes`, or one for all), summed
/// as scipy sums them (see the module documentation). The input is copied first if it
/// shares memory with the output.
///
/// Memory: one temporary of the output's shape and type when more than one axis is
/// filtered.
pub fn generic_laplace<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    derivative2: &mut Derivative<'_>,
    modes: &[Mode],
    axes: Option<&[isize]>,
    cval: impl Into<Complex<f64>>,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    args::same_shape(&input, &output)?;
    let (axes, modes) = axes_and_modes(input.rank(), axes, modes)?;
    let cval = cval.into();
    let source = Source::new(input.clone(), output.byte_range())?;
    let view = source.view();
    compose_laplace(&view, &mut output, axes.len(), true, |k, out| {
        derivative2(&view, axes[k], out, modes[k], cval)
    })
}

/// scipy.ndimage.generic_gradient_magnitude: the root of the sum of squares of `derivative`
/// along each axis of `axes`, as scipy computes it (see the module documentation). Real
/// arrays only, except that with no axis the input is assigned to the output.
///
/// Memory: as [`generic_laplace`].
pub fn generic_gradient_magnitude<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    derivative: &mut Derivative<'_>,
    modes: &[Mode],
    axes: Option<&[isize]>,
    cval: f64,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    args::same_shape(&input, &output)?;
    let (axes, modes) = axes_and_modes(input.rank(), axes, modes)?;
    if !axes.is_empty() {
        args::real(input.dtype(), "input")?;
        args::real(output.dtype(), "output")?;
    }
    let source = Source::new(input.clone(), output.byte_range())?;
    let view = source.view();
    let cval = Complex::new(cval, 0.0);
    compose_gradient_magnitude(&view, &mut output, axes.len(), true, |k, out| {
        derivative(&view, axes[k], out, modes[k], cval)
    })
}

/// scipy.ndimage.laplace: [`generic_laplace`] with the derivative `correlate1d(input,
/// [1, -2, 1])` (scipy's symmetric loop: `-2·x[i] + (x[i-1] + x[i+1])`).
pub fn laplace<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    modes: &[Mode],
    axes: Option<&[isize]>,
    cval: impl Into<Complex<f64>>,
    threads: Threads,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    args::same_shape(&input, &output)?;
    let (axes, modes) = axes_and_modes(input.rank(), axes, modes)?;
    let threads = threads.resolve()?;
    let cval = cval.into();
    if !axes.is_empty() {
        args::same_kind(input.dtype(), output.dtype())?;
    }
    let kernel = Correlate1d::new(vec![1.0, -2.0, 1.0])?;
    let source = Source::new(input.clone(), output.byte_range())?;
    let view = source.view();
    compose_laplace(&view, &mut output, axes.len(), false, |k, out| {
        let pass = [(axes[k], kernel.clone(), modes[k])];
        run_passes(&view, out, &pass, cval, "laplace", threads)
    })
}

/// The passes of sobel or prewitt: `[-1, 0, 1]` along `axis`, then `smooth` along every
/// other axis in increasing order, each with its own mode.
fn edge_passes(
    rank: usize,
    axis: isize,
    modes: &[Mode],
    smooth: [f64; 3],
) -> Result<Vec<Pass>, Error> {
    args::at_least_rank_1(rank, "input")?;
    let axis = args::axis(axis, rank)?;
    let modes = args::per_axis_or_one(modes, rank, Mode::Reflect, "modes (one per axis)")?;
    let mut passes = vec![(axis, Correlate1d::new(vec![-1.0, 0.0, 1.0])?, modes[axis])];
    for other in (0..rank).filter(|&a| a != axis) {
        passes.push((other, Correlate1d::new(smooth.to_vec())?, modes[other]));
    }
    Ok(passes)
}

/// scipy.ndimage.sobel: `correlate1d(input, [-1, 0, 1], axis)` into the output, then
/// `correlate1d(output, [1, 2, 1], a)` in place along every other axis `a` in increasing
/// order (intermediates in the output's type: uint8 wraps after each pass). `modes`: one
/// per axis of the input, or one for all. Complex arrays part by part.
pub fn sobel<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    axis: isize,
    modes: &[Mode],
    cval: impl Into<Complex<f64>>,
    threads: Threads,
) -> Result<(), Error> {
    edge(
        input,
        output,
        axis,
        modes,
        cval.into(),
        threads,
        [1.0, 2.0, 1.0],
        "sobel",
    )
}

/// scipy.ndimage.prewitt: as [`sobel`] with the smoothing `[1, 1, 1]`.
pub fn prewitt<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    axis: isize,
    modes: &[Mode],
    cval: impl Into<Complex<f64>>,
    threads: Threads,
) -> Result<(), Error> {
    edge(
        input,
        output,
        axis,
        modes,
        cval.into(),
        threads,
        [1.0, 1.0, 1.0],
        "prewitt",
    )
}

#[allow(clippy::too_many_arguments)]
fn edge<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    axis: isize,
    modes: &[Mode],
    cval: Complex<f64>,
    threads: Threads,
    smooth: [f64; 3],
    name: &str,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    args::same_shape(&input, &output)?;
    let passes = edge_passes(input.rank(), axis, modes, smooth)?;
    let threads = threads.resolve()?;
    run_passes(&input, &mut output, &passes, cval, name, threads)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2};

    // Worked by hand: the x-derivative [-1, 0, 1] (x[i+1] - x[i-1]) smoothed by [1, 2, 1]
    // along the other axis, `nearest` at the edges.
    #[test]
    fn sobel_by_hand() {
        let x = array![[0.0, 1.0, 3.0], [0.0, 2.0, 6.0]];
        let mut out = Array2::<f64>::zeros((2, 3));
        sobel(&x, &mut out, 1, &[Mode::Nearest], 0.0, Threads::Count(1)).unwrap();
        // Derivative rows: [1, 3, 2] and [2, 6, 4]; smoothing: 3a + b and a + 3b.
        assert_eq!(out, array![[5.0, 15.0, 10.0], [7.0, 21.0, 14.0]]);
    }

    #[test]
    fn laplace_by_hand() {
        let x = array![[1.0, 2.0, 4.0]];
        let mut out = Array2::<f64>::zeros((1, 3));
        laplace(&x, &mut out, &[Mode::Nearest], None, 0.0, Threads::Count(1)).unwrap();
        // Axis 0 (length 1) gives 0; axis 1: [1, 1, -2].
        assert_eq!(out, array![[1.0, 1.0, -2.0]]);
    }
}
