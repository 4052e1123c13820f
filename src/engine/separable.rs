//! The separable driver: a filter over several axes as one 1-D line pass per axis, as scipy
//! runs them. The first pass reads the input and writes the output; every later pass reads the
//! output and rewrites it in place. So every intermediate is stored in the **output's** element
//! type with the pass's store rule, which is scipy's rule (a uint8 `gaussian_filter` truncates
//! after each axis, a float32 one rounds after each axis).

#![forbid(unsafe_code)]

use super::line_pass::{
    ensure_pass_buffers, filter_lanes, filter_lines, filter_native, LanesKernel, LineKernel,
    LinePass, NativeBlock, NativeLineKernel, NativeLineKernels, NativePass, Pad, INTERLEAVED_LANES,
};
use crate::args;
use crate::array::dtype::Native;
use crate::array::{ArrayMut, ArrayRef, Source};
use crate::error::Error;

/// What every separable driver does before its passes: the argument checks; `None` for an
/// empty output; then a check that every later pass's line buffers (`(axis, pad, lanes,
/// item size)` each) can be allocated, so that no pass writes before another fails; and the
/// input to read, copied first where it shares memory with the output.
fn begin<'a>(
    input: &ArrayRef<'a>,
    output: &ArrayMut<'_>,
    later: impl Iterator<Item = (usize, Pad, usize, usize)>,
) -> Result<Option<Source<'a>>, Error> {
    args::same_shape(input, output)?;
    args::real(input.dtype(), "input")?;
    args::real(output.dtype(), "output")?;
    if output.is_empty() {
        return Ok(None);
    }
    for (axis, pad, lanes, item) in later {
        ensure_pass_buffers(output, axis, pad, lanes, item)?;
    }
    Source::for_line_pass(input.clone(), output).map(Some)
}

/// Runs the passes in order, pass `p`'s kernels made by `make(p)` (once per part of the work),
/// on `threads` threads. With no passes, the input is stored into the output through the first
/// pass rule (truncation), element by element.
///
/// An input that shares memory with the output is copied first, unless it is exactly the
/// output (then the first pass runs in place, which reads every line before writing it).
pub fn separable<M, K>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    passes: &[LinePass<'_>],
    threads: usize,
    make: M,
) -> Result<(), Error>
where
    M: Fn(usize) -> K + Sync,
    K: LineKernel,
{
    let later = passes.iter().skip(1);
    let Some(source) = begin(
        input,
        output,
        later.map(|p| (p.axis, p.pad, p.min_lanes, 8)),
    )?
    else {
        return Ok(());
    };
    let source = source.view();
    if passes.is_empty() {
        let copy = LinePass::new("copy", output.rank() - 1, Pad::NONE);
        return filter_lines(Some(&source), output, &copy, threads, || {
            |line: &mut [f64], out: &mut [f64]| {
                out.copy_from_slice(line);
                Ok(())
            }
        });
    }
    for (p, pass) in passes.iter().enumerate() {
        let from = (p == 0).then_some(&source);
        filter_lines(from, output, pass, threads, || make(p))?;
    }
    Ok(())
}

/// [`separable`] with interleaved kernels ([`LanesKernel`], pass `p`'s made by `make(p)`):
/// the same passes, the same intermediates in the output's element type. There must be at
/// least one pass.
pub fn separable_lanes<M, K>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    passes: &[LinePass<'_>],
    threads: usize,
    make: M,
) -> Result<(), Error>
where
    M: Fn(usize) -> K + Sync,
    K: LanesKernel,
{
    assert!(!passes.is_empty(), "a separable filter with no pass");
    let later = passes.iter().skip(1);
    let lanes = |p: &LinePass<'_>| p.min_lanes.max(INTERLEAVED_LANES);
    let Some(source) = begin(input, output, later.map(|p| (p.axis, p.pad, lanes(p), 8)))? else {
        return Ok(());
    };
    let source = source.view();
    for (p, pass) in passes.iter().enumerate() {
        let from = (p == 0).then_some(&source);
        filter_lanes(from, output, pass, threads, || make(p))?;
    }
    Ok(())
}

/// The native form of [`separable`]: pass `p` runs `passes[p].1`'s kernels over lines in the
/// element type of what it reads (the input for the first pass, the output after), on
/// `threads` threads; every pass stores its results into the output (by NumPy's casting, a
/// plain copy when the kernels compute in the output's type). With no passes the input is
/// cast into the output by NumPy's rules, element by element: what scipy's
/// `output[...] = input` does when every axis of a separable filter is dropped.
///
/// Aliasing is handled as in [`separable`].
pub fn separable_native<M: NativeLineKernels>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    passes: &[(NativePass, M)],
    threads: usize,
) -> Result<(), Error> {
    let later = passes.iter().skip(1);
    let Some(source) = begin(input, output, later.map(|(p, _)| (p.axis, p.pad, 1, 1)))? else {
        return Ok(());
    };
    let source = source.view();
    if passes.is_empty() {
        return cast_copy(&source, output, threads);
    }
    for (p, (pass, kernels)) in passes.iter().enumerate() {
        let from = (p == 0).then_some(&source);
        filter_native(from, output, pass, threads, kernels)?;
    }
    Ok(())
}

/// `output[...] = input` with NumPy's casting (same shapes, real types; an input sharing
/// memory with the output is copied first).
pub fn cast_copy(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    threads: usize,
) -> Result<(), Error> {
    let Some(source) = begin(input, output, std::iter::empty())? else {
        return Ok(());
    };
    let copy = NativePass {
        axis: output.rank() - 1,
        pad: Pad::NONE,
        interleaved: true,
    };
    filter_native(Some(&source.view()), output, &copy, threads, &CastCopy)
}

/// The kernels of [`cast_copy`]: results are the input values, in the input's type.
struct CastCopy;

impl NativeLineKernels for CastCopy {
    type Out<T: Native> = T;
    fn make<T: Native>(&self) -> impl NativeLineKernel<T, T> {
        |block: NativeBlock<'_, T, T>| block.output.copy_from_slice(block.input)
    }
}
