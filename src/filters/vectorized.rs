//! `vectorized_filter`: a filter whose arithmetic is a user callback that receives many windows
//! per call (scipy.ndimage.vectorized_filter's batches, for callers that pay a price per
//! call), as a kernel on the neighbourhood walk that gathers each output line's windows into a
//! batch.

#![forbid(unsafe_code)]

use std::sync::Mutex;

use crate::args;
use crate::array::{AsInput, AsOutput, Source, StoreRule};
use crate::boundary::Mode;
use crate::engine::neighbourhood::{self, Walk, Window, WindowKernel};
use crate::engine::Footprint;
use crate::error::{try_vec, CallbackError, Error};
use crate::parallel::Threads;

/// The batch memory used when the caller passes 0: 1 MiB of windows per call.
pub const DEFAULT_BATCH_MEMORY: usize = 1 << 20;

/// Batch buffers, one per thread, allocated before the walk (so that a shortage is an error,
/// not an abort) and lent to the kernels of the parts being worked on.
struct Buffers(Mutex<Vec<Vec<f64>>>);

impl Buffers {
    fn new(count: usize, len: usize) -> Result<Self, Error> {
        let buffers = (0..count)
            .map(|_| try_vec(len, 0.0, "a batch of windows"))
            .collect::<Result<_, _>>()?;
        Ok(Buffers(Mutex::new(buffers)))
    }

    fn take(&self, len: usize) -> Vec<f64> {
        let mut pool = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // No more kernels are alive at once than there are threads, so the pool never runs
        // dry; a fresh buffer is only a fallback.
        pool.pop().unwrap_or_else(|| vec![0.0; len])
    }

    fn give_back(&self, buffer: Vec<f64>) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(buffer);
    }
}

/// The window kernel: the windows of up to `per_call` positions of a line gathered one after
/// another into a batch, and the callback called once per batch.
struct Batches<'b, F> {
    function: F,
    per_call: usize,
    windows: Vec<f64>,
    buffers: &'b Buffers,
}

impl<F> Drop for Batches<'_, F> {
    fn drop(&mut self) {
        self.buffers.give_back(std::mem::take(&mut self.windows));
    }
}

impl<F> WindowKernel<f64> for Batches<'_, F>
where
    F: FnMut(&mut [f64], usize, &mut [f64]) -> Result<(), CallbackError>,
{
    fn line(
        &mut self,
        window: &Window<'_, f64>,
        out: &mut [f64],
    ) -> Result<(), (usize, CallbackError)> {
        let size = window.len();
        let mut start = 0;
        while start < out.len() {
            let count = self.per_call.min(out.len() - start);
            let windows = &mut self.windows[..count * size];
            window.gather_run(start, count, windows);
            let results = &mut out[start..start + count];
            results.fill(0.0);
            (self.function)(windows, size, results).map_err(|e| (start, e))?;
            start += count;
        }
        Ok(())
    }
}

/// The checked arguments of one call: the walk, whether it is `mode='valid'`, and the windows
/// per call.
struct Plan {
    origins: Vec<isize>,
    valid: bool,
    per_call: usize,
    buffer: usize,
}

fn plan(
    input: &crate::ArrayRef<'_>,
    output: &crate::ArrayMut<'_>,
    footprint: &Footprint,
    origins: &[isize],
    batch_memory: usize,
) -> Result<Plan, Error> {
    args::at_least_rank_1(input.rank(), "input")?;
    args::real(input.dtype(), "input")?;
    args::real(output.dtype(), "output")?;
    let rank = input.rank();
    if footprint.rank() != rank {
        return Err(Error::ShapeMismatch(format!(
            "footprint rank {} differs from input rank {rank}",
            footprint.rank()
        )));
    }
    let origins = args::origins(origins, rank)?;
    let fshape = footprint.shape();
    let valid = output.shape() != input.shape();
    let origins = if valid {
        let inside: Option<Vec<usize>> = input
            .shape()
            .iter()
            .zip(fshape)
            .map(|(&n, &f)| n.checked_sub(f - 1))
            .collect();
        if inside.as_deref() != Some(output.shape()) {
            return Err(Error::ShapeMismatch(format!(
                "output shape {:?} is neither the input's {:?} (a window at every element) \
                 nor the input's less the footprint's {:?} minus 1 (windows inside the input \
                 only, scipy's mode='valid')",
                output.shape(),
                input.shape(),
                fshape
            )));
        }
        if origins.iter().any(|&o| o != 0) {
            return Err(Error::InvalidArgument(
                "origins must be 0 for windows inside the input only (scipy's mode='valid')".into(),
            ));
        }
        // Windows start at the output position itself: all inside the input.
        fshape.iter().map(|&f| -((f / 2) as isize)).collect()
    } else {
        origins
    };
    let size = footprint.count();
    let batch_memory = if batch_memory == 0 {
        DEFAULT_BATCH_MEMORY
    } else {
        batch_memory
    };
    let window_bytes = size.saturating_mul(std::mem::size_of::<f64>());
    let fit = batch_memory.checked_div(window_bytes).unwrap_or(usize::MAX);
    if fit == 0 {
        return Err(Error::InvalidArgument(format!(
            "batch_memory of {batch_memory} bytes cannot hold one window of {size} values \
             ({window_bytes} bytes)"
        )));
    }
    let line = output.shape()[rank - 1];
    let per_call = fit.min(line).max(1);
    Ok(Plan {
        origins,
        valid,
        per_call,
        buffer: if output.is_empty() {
            0
        } else {
            per_call * size
        },
    })
}

fn walk<'w>(footprint: &'w Footprint, origins: &'w [isize], mode: Mode, cval: f64) -> Walk<'w> {
    Walk {
        footprint,
        origins,
        mode,
        cval,
        store: StoreRule::TruncateNegating,
        name: "vectorized_filter",
    }
}

/// scipy.ndimage.vectorized_filter with a batched callback: `function(windows, window_size,
/// results)` receives the windows of up to a batch of consecutive output elements of one line
/// along the last axis, one after another (`windows` holds `results.len()` windows of
/// `window_size` values: the input values under the footprint's selected elements in C order
/// of the footprint, positions outside the input extended by `mode`), and fills `results`
/// (zeros on entry), one value per window, which are stored in `output`. Batches come in C
/// order of the output; a batch holds at most `batch_memory` bytes of windows (0: the default
/// [`DEFAULT_BATCH_MEMORY`]; scipy's `batch_memory`), and never spans two lines.
///
/// The output's shape says where windows go: the input's shape, a window at every element
/// (footprint element `k` on an axis of extent `fs` reads input position
/// `i + k - (fs / 2 + origin)`); or the input's shape less `fs - 1` on every axis, scipy's
/// `mode='valid'`: output element `i` is the window over input `i .. i + fs`, every window
/// inside the input (origins must then be 0, and `mode`, `cval` are not used).
///
/// Results are stored with truncation toward zero for integer outputs. On a callback error
/// the call stops; the batches before it stay written. An input sharing memory with the
/// output is copied first. `window_size` may be 0 (an all-false footprint).
///
/// Memory: the footprint's row buffers and one batch of windows.
#[allow(clippy::too_many_arguments)]
pub fn vectorized_filter<'a, F>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    footprint: &Footprint,
    origins: &[isize],
    mode: Mode,
    cval: f64,
    batch_memory: usize,
    function: F,
) -> Result<(), Error>
where
    F: FnMut(&mut [f64], usize, &mut [f64]) -> Result<(), CallbackError>,
{
    let (input, mut output) = (input.into_input(), output.into_output());
    let plan = plan(&input, &output, footprint, origins, batch_memory)?;
    let buffers = Buffers::new(1, plan.buffer)?;
    let source = Source::new(input, output.byte_range())?;
    let walk = walk(footprint, &plan.origins, mode, cval);
    let kernel = Batches {
        function,
        per_call: plan.per_call,
        windows: buffers.take(plan.buffer),
        buffers: &buffers,
    };
    if plan.valid {
        neighbourhood::walk_leading_here(&source.view(), &mut output, &walk, kernel)
    } else {
        neighbourhood::walk_here(&source.view(), &mut output, &walk, kernel)
    }
}

/// [`vectorized_filter`] on `threads` threads (`Threads::Count(1)`: the calling thread):
/// `function` is called from all of them, each batch as in the sequential call (batches never
/// span lines, and lines are never split, so they are the same for every thread count). A
/// failing call stops the others promptly; which elements were written before is then
/// unspecified.
///
/// Memory: the buffers of [`vectorized_filter`], once per thread.
#[allow(clippy::too_many_arguments)]
pub fn vectorized_filter_parallel<'a, F>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    footprint: &Footprint,
    origins: &[isize],
    mode: Mode,
    cval: f64,
    batch_memory: usize,
    threads: Threads,
    function: F,
) -> Result<(), Error>
where
    F: Fn(&mut [f64], usize, &mut [f64]) -> Result<(), CallbackError> + Sync,
{
    let (input, mut output) = (input.into_input(), output.into_output());
    let threads = threads.resolve()?;
    let plan = plan(&input, &output, footprint, origins, batch_memory)?;
    let buffers = Buffers::new(threads, plan.buffer)?;
    let source = Source::new(input, output.byte_range())?;
    let walk = walk(footprint, &plan.origins, mode, cval);
    let make = || Batches {
        function: &function,
        per_call: plan.per_call,
        windows: buffers.take(plan.buffer),
        buffers: &buffers,
    };
    if plan.valid {
        neighbourhood::walk_leading(&source.view(), &mut output, &walk, threads, make)
    } else {
        neighbourhood::walk(&source.view(), &mut output, &walk, threads, make)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2};

    fn sums(windows: &mut [f64], size: usize, results: &mut [f64]) -> Result<(), CallbackError> {
        for (r, w) in results.iter_mut().zip(windows.chunks_exact(size)) {
            *r = w.iter().sum();
        }
        Ok(())
    }

    #[test]
    fn batches_equal_one_window_at_a_time() {
        let input = Array2::from_shape_fn((5, 9), |(i, j)| ((i * 9 + j) * 7 % 11) as f64);
        let fp = Footprint::from_mask(&[2, 3], vec![true, false, true, true, true, false]).unwrap();
        let mut expected = Array2::<f64>::zeros((5, 9));
        crate::generic_filter(
            &input,
            &mut expected,
            &fp,
            &[0, 1],
            Mode::Mirror,
            0.0,
            |w| Ok(w.iter().sum()),
        )
        .unwrap();
        // 8 bytes per value: 1, 2 and 9+ windows per call.
        for memory in [32, 64, 1 << 20] {
            let mut calls = 0;
            let mut out = Array2::<f64>::zeros((5, 9));
            vectorized_filter(
                &input,
                &mut out,
                &fp,
                &[0, 1],
                Mode::Mirror,
                0.0,
                memory,
                |w, s, r| {
                    calls += 1;
                    sums(w, s, r)
                },
            )
            .unwrap();
            assert_eq!(out, expected);
            let per_call = (memory / 32).min(9);
            assert_eq!(calls, 5 * 9usize.div_ceil(per_call));
            for threads in [1, 2, 3] {
                let mut par = Array2::<f64>::zeros((5, 9));
                vectorized_filter_parallel(
                    &input,
                    &mut par,
                    &fp,
                    &[0, 1],
                    Mode::Mirror,
                    0.0,
                    memory,
                    Threads::Count(threads),
                    sums,
                )
                .unwrap();
                assert_eq!(par, expected);
            }
        }
    }

    #[test]
    fn valid_windows_lie_inside_the_input() {
        let input = array![
            [1.0, 2.0, 3.0, 4.0],
            [5.0, 6.0, 7.0, 8.0],
            [9.0, 10.0, 11.0, 12.0]
        ];
        let fp = Footprint::from_size(&[2, 3]).unwrap();
        let mut out = Array2::<f64>::zeros((2, 2));
        vectorized_filter(&input, &mut out, &fp, &[], Mode::Constant, 1e9, 0, sums).unwrap();
        assert_eq!(out, array![[24.0, 30.0], [48.0, 54.0]]);
        let mut bad = Array2::<f64>::zeros((2, 3));
        let r = vectorized_filter(&input, &mut bad, &fp, &[], Mode::Constant, 0.0, 0, sums);
        assert!(matches!(r, Err(Error::ShapeMismatch(_))));
        let r = vectorized_filter(&input, &mut out, &fp, &[1, 0], Mode::Constant, 0.0, 0, sums);
        assert!(matches!(r, Err(Error::InvalidArgument(_))));
    }

    #[test]
    fn batch_memory_must_hold_a_window() {
        let input = Array2::<f64>::zeros((3, 3));
        let mut out = input.clone();
        let fp = Footprint::from_size(&[3, 3]).unwrap();
        let r = vectorized_filter(&input, &mut out, &fp, &[], Mode::Reflect, 0.0, 71, sums);
        assert!(matches!(r, Err(Error::InvalidArgument(_))));
        assert!(
            vectorized_filter(&input, &mut out, &fp, &[], Mode::Reflect, 0.0, 72, sums).is_ok()
        );
    }

    #[test]
    fn a_failing_batch_stops_the_call() {
        let input = Array2::<f64>::ones((4, 6));
        let mut out = Array2::<f64>::from_elem((4, 6), -1.0);
        let fp = Footprint::from_size(&[1, 2]).unwrap();
        let mut calls = 0;
        let r = vectorized_filter(
            &input,
            &mut out,
            &fp,
            &[],
            Mode::Nearest,
            0.0,
            48,
            |w, s, r| {
                calls += 1;
                if calls == 4 {
                    return Err("no".into());
                }
                sums(w, s, r)
            },
        );
        assert!(matches!(r, Err(Error::CallbackFailed(m)) if m.contains("[1, 3]")));
        // Three windows per call: line 0 and the first batch of line 1 written.
        assert!(out.row(0).iter().all(|&v| v == 2.0));
        assert_eq!(out.row(1).to_vec(), [2.0, 2.0, 2.0, -1.0, -1.0, -1.0]);
    }
}
