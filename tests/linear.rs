//! The linear filters through the Rust API: identical numbers for every thread count, inputs
//! sharing memory with the output (in place and overlapping), complex data part by part, and
//! a caller's gaussian kernels.

use ndarray::{Array1, Array2, Array3, ShapeBuilder};
use ndimage::array::{ArrayMut, ArrayRef, Layout};
use ndimage::filters::{KernelRequest, KernelSource};
use ndimage::{
    convolve, correlate, correlate1d, gaussian_filter, gaussian_filter1d,
    gaussian_gradient_magnitude, gaussian_laplace, laplace, prewitt, sobel, uniform_filter,
    uniform_filter1d, CallbackError, DType, Mode, Threads,
};
use num_complex::Complex64;

fn image(d0: usize, d1: usize, d2: usize) -> Array3<f64> {
    Array3::from_shape_fn((d0, d1, d2), |(i, j, k)| {
        ((i * 131 + j * 71 + k * 17) % 97) as f64 * 0.37 - (i as f64 + k as f64).sin() * 3.0
    })
}

fn same<T: PartialEq + std::fmt::Debug>(a: &Array3<T>, b: &Array3<T>) {
    assert_eq!(a.shape(), b.shape());
    assert!(a.iter().zip(b).all(|(x, y)| x == y), "results differ");
}

const COUNTS: [Threads; 4] = [
    Threads::Count(2),
    Threads::Count(3),
    Threads::Count(7),
    Threads::All,
];

/// Every linear filter, on `threads`, into a new float64 array (a Fortran-order input, so
/// that lines are both contiguous and strided).
fn run_all(input: &Array3<f64>, threads: Threads) -> Vec<Array3<f64>> {
    let w1 = Array1::from(vec![0.5, -1.25, 3.0, 0.75]);
    let w3 = Array3::from_shape_fn((3, 2, 3), |(i, j, k)| (i + 2 * j) as f64 - k as f64 * 0.5);
    let shape = input.raw_dim();
    let mut outs = Vec::new();
    let out = || Array3::<f64>::zeros(shape);
    let mut o = out();
    correlate1d(input, &mut o, &w1, 0, 1, Mode::Mirror, 0.0, threads).unwrap();
    outs.push(o);
    let mut o = out();
    correlate(
        input,
        &mut o,
        &w3,
        &[1, 0, -1],
        Mode::Wrap,
        0.0,
        None,
        threads,
    )
    .unwrap();
    outs.push(o);
    let mut o = out();
    convolve(input, &mut o, &w3, &[], Mode::Constant, 2.5, None, threads).unwrap();
    outs.push(o);
    let mut o = out();
    uniform_filter1d(input, &mut o, 5, 1, -1, Mode::Nearest, 0.0, threads).unwrap();
    outs.push(o);
    let mut o = out();
    let modes = [Mode::Reflect, Mode::Constant, Mode::Wrap];
    uniform_filter(input, &mut o, &[4, 3, 2], &[], &modes, None, 1.5, threads).unwrap();
    outs.push(o);
    let mut o = out();
    let source = KernelSource::Library;
    gaussian_filter1d(
        input,
        &mut o,
        1.7,
        2,
        1,
        Mode::Reflect,
        0.0,
        4.0,
        None,
        source,
        threads,
    )
    .unwrap();
    outs.push(o);
    let mut o = out();
    gaussian_filter(
        input,
        &mut o,
        &[1.2, 0.8, 2.0],
        &[0, 2, 0],
        &[Mode::Mirror],
        &[],
        Some(&[2, 0, 1]),
        0.0,
        4.0,
        KernelSource::Library,
        threads,
    )
    .unwrap();
    outs.push(o);
    let mut o = out();
    gaussian_laplace(
        input,
        &mut o,
        &[1.1],
        &[],
        &[],
        None,
        0.0,
        4.0,
        KernelSource::Library,
        threads,
    )
    .unwrap();
    outs.push(o);
    let mut o = out();
    gaussian_gradient_magnitude(
        input,
        &mut o,
        &[0.9],
        &[Mode::Nearest],
        &[],
        None,
        0.0,
        4.0,
        KernelSource::Library,
        threads,
    )
    .unwrap();
    outs.push(o);
    let mut o = out();
    sobel(input, &mut o, 1, &[Mode::Reflect], 0.0, threads).unwrap();
    outs.push(o);
    let mut o = out();
    prewitt(input, &mut o, 0, &[Mode::Wrap], 0.0, threads).unwrap();
    outs.push(o);
    let mut o = out();
    laplace(input, &mut o, &[Mode::Mirror], Some(&[2, 0]), 0.0, threads).unwrap();
    outs.push(o);
    outs
}

#[test]
fn linear_filters_are_identical_for_every_thread_count() {
    let c = image(23, 17, 9);
    let mut f = Array3::<f64>::zeros((23, 17, 9).f());
    f.assign(&c);
    for input in [&c, &f] {
        let expected = run_all(input, Threads::Count(1));
        for threads in COUNTS {
            for (e, g) in expected.iter().zip(run_all(input, threads)) {
                same(e, &g);
            }
        }
    }
}

/// Views of one buffer of float64: the input at element `from`, the output at `to`, both of
/// shape `shape` (C order).
fn overlapping(
    memory: &mut [f64],
    shape: &[usize],
    from: usize,
    to: usize,
) -> (ArrayRef<'static>, ArrayMut<'static>) {
    let layout = Layout::new(DType::Float64, shape, None).unwrap();
    let n: usize = shape.iter().product();
    assert!(from + n <= memory.len() && to + n <= memory.len());
    let base = memory.as_mut_ptr();
    // SAFETY: both views lie within `memory`, which the tests keep alive (and do not touch)
    // while the views are used; the library copies an input that overlaps its output.
    unsafe {
        (
            ArrayRef::from_raw(base.add(from) as *const u8, layout.clone()),
            ArrayMut::from_raw(base.add(to) as *mut u8, layout),
        )
    }
}

#[test]
fn inputs_sharing_memory_with_the_output_give_the_separate_result() {
    let shape = [6, 7];
    let values: Vec<f64> = (0..80).map(|k| ((k * 37) % 23) as f64 - 9.5).collect();
    let w2 = Array2::from_shape_fn((3, 2), |(i, j)| i as f64 - 0.5 * j as f64 + 0.25);
    let w1 = Array1::from(vec![1.0, -3.0, 0.5]);
    type Run = fn(ArrayRef<'_>, ArrayMut<'_>, &Array2<f64>, &Array1<f64>);
    let runs: [(&str, Run); 6] = [
        ("correlate1d", |i, o, _, w| {
            correlate1d(i, o, w, 0, 0, Mode::Reflect, 0.0, Threads::Count(2)).unwrap()
        }),
        ("correlate", |i, o, w, _| {
            correlate(i, o, w, &[], Mode::Nearest, 0.0, None, Threads::Count(2)).unwrap()
        }),
        ("uniform_filter", |i, o, _, _| {
            uniform_filter(i, o, &[3], &[], &[], None, 0.0, Threads::Count(2)).unwrap()
        }),
        ("gaussian_filter", |i, o, _, _| {
            let k = KernelSource::Library;
            gaussian_filter(
                i,
                o,
                &[1.0],
                &[],
                &[],
                &[],
                None,
                0.0,
                4.0,
                k,
                Threads::Count(2),
            )
            .unwrap()
        }),
        ("sobel", |i, o, _, _| {
            sobel(i, o, 0, &[Mode::Mirror], 0.0, Threads::Count(1)).unwrap()
        }),
        ("laplace", |i, o, _, _| {
            laplace(i, o, &[], None, 0.0, Threads::Count(1)).unwrap()
        }),
    ];
    let layout = Layout::new(DType::Float64, &shape, None).unwrap();
    for (name, run) in runs {
        // In place, and outputs overlapping the input from either side.
        for (from, to) in [(0, 0), (0, 5), (9, 0)] {
            // The reference: the same input values in separate memory.
            let copy: Vec<f64> = values[from..from + 42].to_vec();
            let mut expected = vec![0.0f64; 42];
            // SAFETY: `copy` and `expected` are distinct buffers of 42 elements, alive for
            // the call.
            let (i, o) = unsafe {
                (
                    ArrayRef::from_raw(copy.as_ptr() as *const u8, layout.clone()),
                    ArrayMut::from_raw(expected.as_mut_ptr() as *mut u8, layout.clone()),
                )
            };
            run(i, o, &w2, &w1);
            let mut memory = values.clone();
            let (input, output) = overlapping(&mut memory, &shape, from, to);
            run(input, output, &w2, &w1);
            assert_eq!(&memory[to..to + 42], &expected[..], "{name} ({from}, {to})");
        }
    }
}

#[test]
fn complex_data_is_filtered_part_by_part() {
    let re = image(5, 6, 4);
    let im = image(4, 6, 5).permuted_axes([2, 1, 0]).to_owned();
    let z = Array3::from_shape_fn((5, 6, 4), |(i, j, k)| {
        Complex64::new(re[[i, j, k]], im[[i, j, k]])
    });
    let mut out = Array3::<Complex64>::zeros((5, 6, 4));
    let cval = Complex64::new(1.5, -2.0);
    uniform_filter(
        &z,
        &mut out,
        &[3, 2, 4],
        &[],
        &[Mode::Constant],
        None,
        cval,
        Threads::All,
    )
    .unwrap();
    let (mut r, mut i) = (
        Array3::<f64>::zeros((5, 6, 4)),
        Array3::<f64>::zeros((5, 6, 4)),
    );
    uniform_filter(
        &re,
        &mut r,
        &[3, 2, 4],
        &[],
        &[Mode::Constant],
        None,
        1.5,
        Threads::All,
    )
    .unwrap();
    uniform_filter(
        &im,
        &mut i,
        &[3, 2, 4],
        &[],
        &[Mode::Constant],
        None,
        -2.0,
        Threads::All,
    )
    .unwrap();
    same(&out.mapv(|c| c.re), &r);
    same(&out.mapv(|c| c.im), &i);
    // complex weights on real data: the real and imaginary parts of the conjugated weights
    let w = Array1::from(vec![
        Complex64::new(1.0, 2.0),
        Complex64::new(-0.5, 0.0),
        Complex64::new(0.0, 3.0),
    ]);
    correlate1d(&re, &mut out, &w, 2, 0, Mode::Wrap, 0.0, Threads::Count(1)).unwrap();
    let wr = Array1::from(vec![1.0, -0.5, 0.0]);
    let wi = Array1::from(vec![-2.0, 0.0, -3.0]);
    correlate1d(&re, &mut r, &wr, 2, 0, Mode::Wrap, 0.0, Threads::Count(1)).unwrap();
    correlate1d(&re, &mut i, &wi, 2, 0, Mode::Wrap, 0.0, Threads::Count(1)).unwrap();
    same(&out.mapv(|c| c.re), &r);
    same(&out.mapv(|c| c.im), &i);
}

#[test]
fn a_callers_kernels_are_used_reversed_once_per_request() {
    let x = image(4, 9, 1).into_shape_with_order((4, 9)).unwrap();
    let mut calls = Vec::new();
    let mut kernel = |r: KernelRequest, k: &mut [f64]| -> Result<(), CallbackError> {
        calls.push((r.axis, r.order, r.radius));
        for (j, v) in k.iter_mut().enumerate() {
            *v = (j + 1) as f64; // 1, 2, 3: asymmetric
        }
        Ok(())
    };
    let mut out = Array2::<f64>::zeros((4, 9));
    gaussian_filter(
        &x,
        &mut out,
        &[0.3, 0.3],
        &[],
        &[Mode::Nearest],
        &[Some(1)],
        None,
        0.0,
        4.0,
        KernelSource::Custom(&mut kernel),
        Threads::Count(1),
    )
    .unwrap();
    assert_eq!(calls, [(0, 0, 1), (1, 0, 1)]);
    // The expected values: correlation with [3, 2, 1] along axis 0, then along axis 1.
    let mut mid = Array2::<f64>::zeros((4, 9));
    let w = Array1::from(vec![3.0, 2.0, 1.0]);
    correlate1d(
        &x,
        &mut mid,
        &w,
        0,
        0,
        Mode::Nearest,
        0.0,
        Threads::Count(1),
    )
    .unwrap();
    let mut expected = Array2::<f64>::zeros((4, 9));
    correlate1d(
        &mid,
        &mut expected,
        &w,
        1,
        0,
        Mode::Nearest,
        0.0,
        Threads::Count(1),
    )
    .unwrap();
    assert_eq!(out, expected);
    // A failing kernel writes nothing.
    let mut failing =
        |_: KernelRequest, _: &mut [f64]| -> Result<(), CallbackError> { Err("no kernel".into()) };
    let mut untouched = Array2::<f64>::from_elem((4, 9), 7.0);
    let e = gaussian_filter1d(
        &x,
        &mut untouched,
        1.0,
        0,
        0,
        Mode::Nearest,
        0.0,
        4.0,
        None,
        KernelSource::Custom(&mut failing),
        Threads::Count(1),
    )
    .unwrap_err();
    assert!(e.to_string().contains("no kernel"), "{e}");
    assert!(untouched.iter().all(|&v| v == 7.0));
}
