//! `uniform_filter1d` and `uniform_filter`: scipy's running mean, a kernel on the line pass,
//! and its separable composition.

#![forbid(unsafe_code)]

use num_complex::Complex;

use super::numpy_ops;
use crate::args;
use crate::array::{for_parts, ArrayMut, ArrayRef, AsInput, AsOutput, Source};
use crate::boundary::Mode;
use crate::engine::line_pass::{filter_lanes, LanesKernel, LineKernel, LinePass, Pad};
use crate::engine::separable::separable_lanes;
use crate::error::{CallbackError, Error};
use crate::parallel::Threads;

/// scipy's `NI_UniformFilter1D` on one line extended by `size - 1` samples: the first
/// window summed left to right from `0.0`, then `t = t + (incoming - outgoing)` (the
/// difference first), each output `t / size`. No re-summation: the drift of the running sum
/// is part of scipy's result.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Uniform {
    size: usize,
}

impl Uniform {
    pub(crate) fn new(size: usize) -> Result<Self, Error> {
        Ok(Uniform {
            size: args::filter_size(size)?,
        })
    }

    /// The line extension for `origin` along `axis`.
    pub(crate) fn pad(
        &self,
        origin: isize,
        axis: usize,
        mode: Mode,
        cval: f64,
    ) -> Result<Pad, Error> {
        let before = args::samples_before(self.size, origin, axis)?;
        Ok(Pad {
            before,
            after: self.size - 1 - before,
            mode,
            cval,
        })
    }

    #[inline]
    pub(crate) fn apply(&self, e: &[f64], out: &mut [f64]) {
        let n = out.len();
        if n == 0 {
            return;
        }
        let fs = self.size;
        let div = fs as f64;
        let mut t = 0.0;
        for &v in &e[..fs] {
            t += v;
        }
        out[0] = t / div;
        for i in 1..n {
            t += e[i - 1 + fs] - e[i - 1];
            out[i] = t / div;
        }
    }
}

impl LineKernel for &Uniform {
    #[inline]
    fn line(&mut self, line: &mut [f64], out: &mut [f64]) -> Result<(), CallbackError> {
        self.apply(line, out);
        Ok(())
    }
}

/// The running sums of neighbouring lines side by side: each lane's sum is its own line's,
/// in the same order as [`Uniform::apply`], vectorised across lanes.
pub(crate) struct UniformLanes {
    size: usize,
    sums: Vec<f64>,
}

impl Uniform {
    pub(crate) fn lanes(&self) -> UniformLanes {
        UniformLanes {
            size: self.size,
            sums: Vec::new(),
        }
    }
}

/// Lanes per register-held chunk of running sums.
const SUM_CHUNK: usize = 8;

impl UniformLanes {
    /// The running sums of lanes `l0 .. l0 + sums.len()` over every position, the sums held
    /// in `sums` (registers for a full chunk).
    #[inline(always)]
    fn chunk(&self, e: &[f64], lanes: usize, l0: usize, sums: &mut [f64], out: &mut [f64]) {
        let m = sums.len();
        let n = out.len() / lanes;
        let fs = self.size;
        let div = fs as f64;
        let row = |p: usize| &e[p * lanes + l0..p * lanes + l0 + m];
        for k in 0..fs {
            for (s, &v) in sums.iter_mut().zip(row(k)) {
                *s += v;
            }
        }
        for (o, &s) in out[l0..l0 + m].iter_mut().zip(sums.iter()) {
            *o = s / div;
        }
        for i in 1..n {
            let (incoming, outgoing) = (row(i - 1 + fs), row(i - 1));
            let o = &mut out[i * lanes + l0..i * lanes + l0 + m];
            for (((o, s), &a), &b) in o
                .iter_mut()
                .zip(sums.iter_mut())
                .zip(incoming)
                .zip(outgoing)
            {
                *s += a - b;
                *o = *s / div;
            }
        }
    }
}

impl LanesKernel for UniformLanes {
    #[inline]
    fn lanes(&mut self, e: &[f64], lanes: usize, out: &mut [f64]) {
        if lanes == 0 || out.is_empty() {
            return;
        }
        let mut l0 = 0;
        while l0 + SUM_CHUNK <= lanes {
            let mut sums = [0.0f64; SUM_CHUNK];
            self.chunk(e, lanes, l0, &mut sums, out);
            l0 += SUM_CHUNK;
        }
        if l0 < lanes {
            self.sums.clear();
            self.sums.resize(lanes - l0, 0.0);
            let mut sums = std::mem::take(&mut self.sums);
            self.chunk(e, lanes, l0, &mut sums, out);
            self.sums = sums;
        }
    }
}

/// scipy.ndimage.uniform_filter1d: the mean over `size` samples along `axis` (negative
/// counts from the end), the window of output `i` starting at `i - (size / 2 + origin)`,
/// positions outside the line extended by `mode` (`cval` for the constant modes), with
/// scipy's running sum. `size >= 1`; `0 <= size / 2 + origin < size`. Complex arrays are
/// filtered part by part (`cval`'s parts for each). In place is supported.
///
/// Memory: one extended line and one result line per thread.
#[allow(clippy::too_many_arguments)]
pub fn uniform_filter1d<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    size: usize,
    axis: isize,
    origin: isize,
    mode: Mode,
    cval: impl Into<Complex<f64>>,
    threads: Threads,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    let cval = cval.into();
    args::same_shape(&input, &output)?;
    let axis = args::axis(axis, input.rank())?;
    let kernel = Uniform::new(size)?;
    kernel.pad(origin, axis, mode, 0.0)?;
    let threads = threads.resolve()?;
    args::same_kind(input.dtype(), output.dtype())?;
    for_parts(&input, &mut output, (cval.re, cval.im), |i, o, c| {
        let pass = LinePass::new("uniform_filter1d", axis, kernel.pad(origin, axis, mode, c)?);
        let source = Source::for_line_pass(i.clone(), o)?;
        filter_lanes(Some(&source.view()), o, &pass, threads, || kernel.lanes())
    })
}

/// The axes a separable filter runs along: `axes` resolved (negative counted from the end,
/// duplicates rejected), in the given order, or every axis in order for `None`.
pub(crate) fn resolve_axes(axes: Option<&[isize]>, rank: usize) -> Result<Vec<usize>, Error> {
    match axes {
        Some(list) => args::axes(list, rank),
        None => Ok((0..rank).collect()),
    }
}

/// `output[...] = input` for a separable filter whose every axis is dropped: NumPy's
/// assignment casting (not the filter store rule), as scipy's Python layer does it. An
/// input that is the output itself is left as it is; one that overlaps it is copied first.
pub(crate) fn copy_dropped(input: &ArrayRef<'_>, output: &mut ArrayMut<'_>) -> Result<(), Error> {
    args::same_shape(input, output)?;
    let source = Source::for_line_pass(input.clone(), output)?;
    numpy_ops::assign(&source.view(), output)
}

/// scipy.ndimage.uniform_filter: [`uniform_filter1d`] along each axis of `axes` (every axis
/// when `None`), in the order given, each with its size, origin and mode (`sizes`, `origins`,
/// `modes`: one per axis of `axes`, or one for all; empty origins are zeros). Axes of size
/// 0 or 1 are skipped, as scipy skips them; the first pass reads the input, the later ones
/// rewrite the output, so every intermediate is stored in the output's element type. With
/// every axis skipped the input is assigned to the output with NumPy's casting rules (as
/// scipy's `output[...] = input`; a complex output of a real input gets a zero imaginary
/// part). Complex arrays are filtered part by part.
///
/// Memory: one extended line and one result line per thread.
#[allow(clippy::too_many_arguments)]
pub fn uniform_filter<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    sizes: &[usize],
    origins: &[isize],
    modes: &[Mode],
    axes: Option<&[isize]>,
    cval: impl Into<Complex<f64>>,
    threads: Threads,
) -> Result<(), Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    let cval = cval.into();
    args::same_shape(&input, &output)?;
    let axes = resolve_axes(axes, input.rank())?;
    let count = axes.len();
    if sizes.is_empty() && count > 0 {
        return Err(Error::InvalidArgument("no filter sizes given".into()));
    }
    let sizes = args::per_axis_or_one(sizes, count, 0, "sizes")?;
    let origins = args::per_axis_or_one(origins, count, 0, "origins")?;
    let modes = args::per_axis_or_one(modes, count, Mode::Reflect, "modes")?;
    let threads = threads.resolve()?;
    // (axis, kernel, origin, mode) of each pass, checked before anything is written.
    let mut passes = Vec::new();
    for k in 0..count {
        if sizes[k] > 1 {
            let kernel = Uniform::new(sizes[k])?;
            kernel.pad(origins[k], axes[k], modes[k], 0.0)?;
            passes.push((axes[k], kernel, origins[k], modes[k]));
        }
    }
    if passes.is_empty() {
        return copy_dropped(&input, &mut output);
    }
    args::same_kind(input.dtype(), output.dtype())?;
    for_parts(&input, &mut output, (cval.re, cval.im), |i, o, c| {
        let lines = passes
            .iter()
            .map(|&(axis, kernel, origin, mode)| {
                Ok(LinePass::new(
                    "uniform_filter",
                    axis,
                    kernel.pad(origin, axis, mode, c)?,
                ))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        separable_lanes(i, o, &lines, threads, |p| passes[p].1.lanes())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array1};

    // Expected values worked by hand: means of three samples, the line extended by
    // `nearest`.
    #[test]
    fn running_mean_by_hand() {
        let x = array![3.0, 6.0, 9.0, 12.0];
        let mut out = Array1::<f64>::zeros(4);
        uniform_filter1d(&x, &mut out, 3, 0, 0, Mode::Nearest, 0.0, Threads::Count(1)).unwrap();
        assert_eq!(out, array![4.0, 6.0, 9.0, 11.0]);
        // Size 2, origin -1: windows [i, i+1].
        uniform_filter1d(
            &x,
            &mut out,
            2,
            0,
            -1,
            Mode::Constant,
            1.0,
            Threads::Count(1),
        )
        .unwrap();
        assert_eq!(out, array![4.5, 7.5, 10.5, 6.5]);
    }

    #[test]
    fn dropped_axes_cast_as_numpy() {
        let x = array![1.5, -2.7, 300.0];
        let mut out = Array1::<u8>::zeros(3);
        uniform_filter(&x, &mut out, &[1], &[], &[], None, 0.0, Threads::Count(1)).unwrap();
        assert_eq!(out, array![1, 254, 44]);
    }
}
