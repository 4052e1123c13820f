//! The pointwise pass: every output element computed from the input element at the same index
//! and from the index itself (the Fourier filters multiply each element by a factor of its
//! position), for real and complex arrays (both parts of a complex element at once).
//!
//! The work goes in short runs ([`RUN`] elements) along one axis, the input's most
//! contiguous one, so the buffers stay small whatever the shape and reads walk memory in
//! order. The output is split among threads along any axis (a 1-D array too); since each
//! element depends on its own index and value only, results are identical for every thread
//! count.

#![forbid(unsafe_code)]

use crate::args;
use crate::array::{advance, ArrayMut, ArrayRef, Parts, StoreRule};
use crate::error::{try_vec, Error};
use crate::parallel::{for_each_part, Stop};

/// Most elements per run: few enough that a run's buffers (input, output and the kernel's,
/// complex parts included) stay in the L1 cache between the reads and the stores. Runs of
/// 2048 were measured 2x slower on arrays larger than the caches.
pub const RUN: usize = 128;

/// Where a run of elements lies.
#[derive(Clone, Copy, Debug)]
pub struct Run<'r> {
    /// Index of the run's first element in the whole array (its entry on `axis` included).
    pub index: &'r [usize],
    /// The axis the run goes along.
    pub axis: usize,
    /// Number of elements.
    pub len: usize,
}

/// What a pointwise pass computes: a run of output elements from the same run of input
/// elements and where the run lies. Values come as the array's parts: one slice for a real
/// array, the real and the imaginary parts for a complex one (each converted to `f64`).
pub trait PointKernel {
    /// Fills every value of `output` (each slice of `run.len` values).
    fn run(&mut self, run: &Run<'_>, input: Parts<&[f64]>, output: Parts<&mut [f64]>);
}

/// The axis runs go along: the input's axis of smallest stride among those longer than 1
/// (the last one on ties, and for arrays without such an axis).
fn run_axis(input: &ArrayRef<'_>) -> usize {
    let (shape, strides) = (input.shape(), input.layout().strides());
    (0..shape.len())
        .rev()
        .filter(|&a| shape[a] > 1)
        .min_by_key(|&a| strides[a].unsigned_abs())
        .unwrap_or(shape.len() - 1)
}

/// Runs `make()`'s kernel over every element of `output` (the shape of `input`, rank >= 1),
/// on `threads` threads (`make` is called once per part of the work), storing results with
/// `store` (complex outputs round each part to its float type). Either array may be real or complex; the kernel sees their parts. `input` must
/// not share memory with `output` unless it is the same array (same address, layout and
/// element type): every run is read before it is written.
pub fn map<M, K>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    store: StoreRule,
    threads: usize,
    make: M,
) -> Result<(), Error>
where
    M: Fn() -> K + Sync,
    K: PointKernel,
{
    args::same_shape(input, output)?;
    let axis = run_axis(input);
    for_each_part(output, None, threads, |part, part_axis, start, stop| {
        run_part(
            input,
            part,
            part_axis,
            start,
            axis,
            store,
            &mut make(),
            stop,
        )
    })
}

/// The pass over the part of the output whose indices along `part_axis` start at `start`.
#[allow(clippy::too_many_arguments)]
fn run_part<K: PointKernel>(
    input: &ArrayRef<'_>,
    part: &mut ArrayMut<'_>,
    part_axis: usize,
    start: usize,
    axis: usize,
    store: StoreRule,
    kernel: &mut K,
    stop: &Stop,
) -> Result<(), Error> {
    if part.is_empty() {
        return Ok(());
    }
    let shape = part.shape().to_vec();
    let n = shape[axis];
    let longest = n.min(RUN);
    let parts = |complex: bool| if complex { 2 } else { 1 };
    let in_len = longest * parts(input.dtype().is_complex());
    let out_len = longest * parts(part.dtype().is_complex());
    let mut in_buf = try_vec(in_len, 0.0, "an input run")?;
    let mut out_buf = try_vec(out_len, 0.0, "an output run")?;
    let (complex_in, complex_out) = (input.dtype().is_complex(), part.dtype().is_complex());
    let mut index = vec![0usize; shape.len()];
    let mut global = index.clone();
    loop {
        let mut from = 0;
        while from < n {
            let len = RUN.min(n - from);
            global.copy_from_slice(&index);
            global[part_axis] += start;
            global[axis] += from;
            let at = global[axis];
            let (a, b) = in_buf.split_at_mut(longest);
            let blen = b.len();
            let (a, b) = (&mut a[..len], &mut b[..len.min(blen)]);
            let values = if complex_in {
                input.read_run_complex(&global, axis, at, a, b);
                Parts::Complex(&*a, &*b)
            } else {
                input.read_run(&global, axis, at, a);
                Parts::Real(&*a)
            };
            let run = Run {
                index: &global,
                axis,
                len,
            };
            let (a, b) = out_buf.split_at_mut(longest);
            let blen = b.len();
            let (a, b) = (&mut a[..len], &mut b[..len.min(blen)]);
            if complex_out {
                kernel.run(&run, values, Parts::Complex(&mut *a, &mut *b));
                part.store_run_complex(&index, axis, from, a, b);
            } else {
                kernel.run(&run, values, Parts::Real(&mut *a));
                part.store_run(&index, axis, from, a, store);
            }
            if stop.tick(len as u64) {
                return Ok(());
            }
            from += len;
        }
        if !advance(&mut index, &shape, Some(axis)) {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::{DType, OwnedArray};

    /// Writes each element's flat C-order position (plus its value) to check placement.
    struct Positions {
        shape: Vec<usize>,
    }

    impl PointKernel for Positions {
        fn run(&mut self, run: &Run<'_>, input: Parts<&[f64]>, output: Parts<&mut [f64]>) {
            let flat = |j: usize| {
                let mut f = 0;
                for (a, &n) in self.shape.iter().enumerate() {
                    let i = if a == run.axis {
                        run.index[a] + j
                    } else {
                        run.index[a]
                    };
                    f = f * n + i;
                }
                f as f64
            };
            match (input, output) {
                (Parts::Real(x), Parts::Complex(re, im)) => {
                    for j in 0..run.len {
                        re[j] = flat(j);
                        im[j] = x[j];
                    }
                }
                _ => unreachable!(),
            }
        }
    }

    #[test]
    fn every_element_gets_its_own_position() {
        let shape = [3, 2 * RUN + 5];
        let mut input = OwnedArray::zeros(DType::Float32, &shape).unwrap();
        {
            let mut v = input.view_mut();
            for i in 0..shape[0] {
                let line: Vec<f64> = (0..shape[1]).map(|j| (i * 7 + j) as f64).collect();
                v.write_line(&[i, 0], 1, &line);
            }
        }
        for threads in [1, 2, 5] {
            let mut out = OwnedArray::zeros(DType::Complex128, &shape).unwrap();
            let shape_v = shape.to_vec();
            map(
                &input.view(),
                &mut out.view_mut(),
                StoreRule::Truncate,
                threads,
                || Positions {
                    shape: shape_v.clone(),
                },
            )
            .unwrap();
            let view = out.view();
            let Parts::Complex(re, im) = view.parts() else {
                panic!()
            };
            let mut line = vec![0.0; shape[1]];
            for i in 0..shape[0] {
                re.read_line(&[i, 0], 1, &mut line);
                assert!(line
                    .iter()
                    .enumerate()
                    .all(|(j, &v)| v == (i * shape[1] + j) as f64));
                im.read_line(&[i, 0], 1, &mut line);
                assert!(line
                    .iter()
                    .enumerate()
                    .all(|(j, &v)| v == (i * 7 + j) as f64));
            }
        }
    }
}
