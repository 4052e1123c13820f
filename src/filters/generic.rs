//! `generic_filter` and `generic_filter1d`: filters whose arithmetic is a user callback, as
//! kernels on the neighbourhood walk and the line pass.

#![forbid(unsafe_code)]

use crate::args;
use crate::array::{AsInput, AsOutput, Source, StoreRule};
use crate::boundary::Mode;
use crate::engine::line_pass::{self, LinePass, Pad};
use crate::engine::neighbourhood::{self, Walk, Window, WindowKernel};
use crate::engine::Footprint;
use crate::error::{CallbackError, Error};
use crate::parallel::Threads;

/// The window kernel of `generic_filter`: the callback on each window, gathered into a buffer
/// the callback may modify.
struct Callback<F> {
    function: F,
    buffer: Vec<f64>,
}

impl<F> WindowKernel<f64> for Callback<F>
where
    F: FnMut(&mut [f64]) -> Result<f64, CallbackError>,
{
    fn line(
        &mut self,
        window: &Window<'_, f64>,
        out: &mut [f64],
    ) -> Result<(), (usize, CallbackError)> {
        self.buffer.resize(window.len(), 0.0);
        let function = &mut self.function;
        window.each(&mut self.buffer, |j, values| {
            out[j] = function(values).map_err(|e| (j, e))?;
            Ok(())
        })
    }
}

fn walk<'w>(footprint: &'w Footprint, origins: &'w [isize], mode: Mode, cval: f64) -> Walk<'w> {
    Walk {
        footprint,
        origins,
        mode,
        cval,
        store: StoreRule::TruncateNegating,
        name: "generic_filter",
    }
}

/// scipy.ndimage.generic_filter: calls `function` once per input element, in C order of the
/// index, with the values under the footprint's selected elements (in C order of the
/// footprint, positions outside the input extended by `mode`), and stores what it returns in
/// `output` (same shape, any real element types).
///
/// `origins` has one entry per axis (empty means all zero); footprint element `k` on an axis of
/// extent `fs` reads input position `i + k - (fs / 2 + origin)`. The buffer may be modified by
/// the callback. On a callback error the call stops; the elements before it stay written. An
/// input sharing memory with the output is copied first.
///
/// Memory: one line buffer per footprint row (`rows × (n_last + fs_last - 1)` doubles).
///
/// ```
/// use ndarray::array;
/// use ndimage::{generic_filter, Footprint, Mode};
/// let input = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
/// let mut out = ndarray::Array2::<f64>::zeros((2, 3));
/// let fp = Footprint::from_size(&[1, 3]).unwrap();
/// generic_filter(&input, &mut out, &fp, &[], Mode::Nearest, 0.0,
///                |w| Ok(w.iter().sum::<f64>())).unwrap();
/// assert_eq!(out, array![[4.0, 6.0, 8.0], [13.0, 15.0, 17.0]]);
/// ```
pub fn generic_filter<'a, F>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    footprint: &Footprint,
    origins: &[isize],
    mode: Mode,
    cval: f64,
    function: F,
) -> Result<(), Error>
where
    F: FnMut(&mut [f64]) -> Result<f64, CallbackError>,
{
    let (input, mut output) = (input.into_input(), output.into_output());
    let source = Source::new(input, output.byte_range())?;
    let kernel = Callback {
        function,
        buffer: Vec::new(),
    };
    let walk = walk(footprint, origins, mode, cval);
    neighbourhood::walk_here(&source.view(), &mut output, &walk, kernel)
}

/// [`generic_filter`] on `threads` threads (`Threads::Count(1)`: the calling thread):
/// `function` is called from all of them, each element's value exactly as in the sequential
/// call. A failing call stops the others promptly; which elements were written before is then
/// unspecified.
///
/// Memory: the line buffers of [`generic_filter`], once per thread.
#[allow(clippy::too_many_arguments)]
pub fn generic_filter_parallel<'a, F>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    footprint: &Footprint,
    origins: &[isize],
    mode: Mode,
    cval: f64,
    threads: Threads,
    function: F,
) -> Result<(), Error>
where
    F: Fn(&mut [f64]) -> Result<f64, CallbackError> + Sync,
{
    let (input, mut output) = (input.into_input(), output.into_output());
    let threads = threads.resolve()?;
    let source = Source::new(input, output.byte_range())?;
    let walk = walk(footprint, origins, mode, cval);
    neighbourhood::walk(&source.view(), &mut output, &walk, threads, || Callback {
        function: &function,
        buffer: Vec::new(),
    })
}

/// The pass of `generic_filter1d`, its arguments checked.
fn pass(
    rank: usize,
    filter_size: usize,
    axis: isize,
    origin: isize,
    mode: Mode,
    cval: f64,
) -> Result<LinePass<'static>, Error> {
    args::at_least_rank_1(rank, "input")?;
    let axis = args::axis(axis, rank)?;
    let size = args::filter_size(filter_size)?;
    let before = args::samples_before(size, origin, axis)?;
    let pad = Pad {
        before,
        after: size - 1 - before,
        mode,
        cval,
    };
    Ok(LinePass::new("generic_filter1d", axis, pad))
}

/// scipy.ndimage.generic_filter1d: calls `function` once per line along `axis` (lines in C
/// order of the other axes) with the line extended by `mode` — `filter_size / 2 + origin`
/// samples before it and `filter_size - 1 - (filter_size / 2 + origin)` after — and an output
/// line of the axis length, which is then stored in `output` (truncating to integer types).
///
/// `axis` may be negative (counted from the end). The output line buffer is reused between
/// lines and starts zeroed. On a callback error the call stops; earlier lines stay written.
#[allow(clippy::too_many_arguments)]
pub fn generic_filter1d<'a, F>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    filter_size: usize,
    axis: isize,
    origin: isize,
    mode: Mode,
    cval: f64,
    function: F,
) -> Result<(), Error>
where
    F: FnMut(&mut [f64], &mut [f64]) -> Result<(), CallbackError>,
{
    let (input, mut output) = (input.into_input(), output.into_output());
    args::same_shape_real(&input, &output)?;
    let mut pass = pass(input.rank(), filter_size, axis, origin, mode, cval)?;
    pass.c_order = true;
    let source = Source::for_line_pass(input, &output)?;
    line_pass::filter_lines_here(Some(&source.view()), &mut output, &pass, function)
}

/// [`generic_filter1d`] on `threads` threads (`Threads::Count(1)`: the calling thread), lines
/// shared out among them; each part of the work's output line buffer starts zeroed. A failing
/// call stops the others promptly; which lines were written before is then unspecified.
#[allow(clippy::too_many_arguments)]
pub fn generic_filter1d_parallel<'a, F>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    filter_size: usize,
    axis: isize,
    origin: isize,
    mode: Mode,
    cval: f64,
    threads: Threads,
    function: F,
) -> Result<(), Error>
where
    F: Fn(&mut [f64], &mut [f64]) -> Result<(), CallbackError> + Sync,
{
    let (input, mut output) = (input.into_input(), output.into_output());
    args::same_shape_real(&input, &output)?;
    let pass = pass(input.rank(), filter_size, axis, origin, mode, cval)?;
    let threads = threads.resolve()?;
    let source = Source::for_line_pass(input, &output)?;
    line_pass::filter_lines(Some(&source.view()), &mut output, &pass, threads, || {
        &function
    })
}
