//! Timing of the core loops through the Rust API, for profiling (no C API, no Python, no
//! callbacks through function pointers: the filters get Rust closures).
//!
//!     cargo bench --bench core                 # every case
//!     cargo bench --bench core -- shift        # cases whose name contains "shift"
//!     cargo bench --bench core -- --quick      # smaller inputs, 3 repeats
//!
//! Prints the median over the repeats of the wall time per output element (ns), for one
//! thread and for all cores where the API takes a thread count. Plain `std::time`, no
//! harness: run it under `perf record` / `valgrind --tool=callgrind` to see the hot loops
//! (`perf record -g target/release/deps/core-* shift`).

use std::hint::black_box;
use std::time::Instant;

use ndarray::{Array2, Array3, ArrayD, IxDyn};
use ndimage::array::{ArrayMut, ArrayRef};
use ndimage::{Footprint, Mode, Spline, Threads};

/// A deterministic test image in [0, 2): a smooth pattern plus a cheap hash "noise".
fn image(n: usize) -> Array2<f64> {
    Array2::from_shape_fn((n, n), |(i, j)| {
        let h = (i.wrapping_mul(2_654_435_761) ^ j.wrapping_mul(40_503)) % 1000;
        let smooth = (i as f64 * 0.05).sin() + (j as f64 * 0.06).sin();
        (h as f64 / 1000.0 + 1.0 + smooth) * 0.5
    })
}

struct Bench {
    filter: Vec<String>,
    repeats: usize,
}

impl Bench {
    /// Runs `f` `repeats` times (after one warm-up call) and prints the median ns per output
    /// element, if `name` is selected.
    fn run(&self, name: &str, elements: usize, mut f: impl FnMut()) {
        if !self.filter.is_empty() && !self.filter.iter().any(|s| name.contains(s.as_str())) {
            return;
        }
        f();
        let mut times: Vec<f64> = (0..self.repeats)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(|a, b| a.total_cmp(b));
        let median = times[times.len() / 2];
        println!(
            "{name:<52} {:>9.2} ms {:>8.2} ns/element  (min {:.2} ms, max {:.2} ms, {} runs)",
            median * 1e3,
            median * 1e9 / elements as f64,
            times[0] * 1e3,
            times[times.len() - 1] * 1e3,
            times.len()
        );
    }
}

fn main() {
    let mut quick = false;
    let mut filter = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--quick" => quick = true,
            "--bench" => {} // passed by `cargo bench`
            s if s.starts_with("--") => {}
            s => filter.push(s.to_string()),
        }
    }
    let b = Bench {
        filter,
        repeats: if quick { 3 } else { 7 },
    };
    let n = if quick { 256 } else { 1024 };
    let n1d = if quick { 512 } else { 2048 };
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    println!("# ndimage core loops, {n}x{n} (1-D filter {n1d}x{n1d}), {cores} cores");

    let x = image(n);
    let mut out = Array2::<f64>::zeros((n, n));
    let elements = n * n;

    // generic_filter, 3x3 mean, reflect.
    let fp = Footprint::from_size(&[3, 3]).unwrap();
    let mean = |w: &mut [f64]| Ok(w.iter().sum::<f64>() / w.len() as f64);
    b.run(
        "generic_filter mean 3x3 reflect, 1 thread",
        elements,
        || {
            ndimage::generic_filter(x.view(), out.view_mut(), &fp, &[], Mode::Reflect, 0.0, mean)
                .unwrap();
            black_box(&out);
        },
    );
    b.run(
        "generic_filter mean 3x3 reflect, all cores",
        elements,
        || {
            ndimage::filters::generic_filter_parallel(
                ArrayRef::from_ndarray(x.view()),
                ArrayMut::from_ndarray(out.view_mut()),
                &fp,
                &[],
                Mode::Reflect,
                0.0,
                Threads::All,
                mean,
            )
            .unwrap();
            black_box(&out);
        },
    );

    // generic_filter1d, moving average of 7, along each axis.
    let x1 = image(n1d);
    let mut out1 = Array2::<f64>::zeros((n1d, n1d));
    let avg7 = |line: &mut [f64], o: &mut [f64]| {
        for (i, v) in o.iter_mut().enumerate() {
            *v = line[i..i + 7].iter().sum::<f64>() * (1.0 / 7.0);
        }
        Ok(())
    };
    for (axis, label) in [(-1isize, "last"), (0, "first")] {
        b.run(
            &format!("generic_filter1d avg7 axis {label}, 1 thread"),
            n1d * n1d,
            || {
                ndimage::generic_filter1d(
                    x1.view(),
                    out1.view_mut(),
                    7,
                    axis,
                    0,
                    Mode::Reflect,
                    0.0,
                    avg7,
                )
                .unwrap();
                black_box(&out1);
            },
        );
        b.run(
            &format!("generic_filter1d avg7 axis {label}, all cores"),
            n1d * n1d,
            || {
                ndimage::filters::generic_filter1d_parallel(
                    ArrayRef::from_ndarray(x1.view()),
                    ArrayMut::from_ndarray(out1.view_mut()),
                    7,
                    axis,
                    0,
                    Mode::Reflect,
                    0.0,
                    Threads::All,
                    avg7,
                )
                .unwrap();
                black_box(&out1);
            },
        );
    }
    drop((x1, out1));

    // shift by (0.5, -1.25), orders 1 and 3 (order 3 includes the spline prefilter).
    for order in [1usize, 3] {
        let spline = Spline {
            order,
            mode: Mode::Constant,
            cval: 0.0,
            cval_imag: 0.0,
            prefilter: true,
        };
        for (threads, label) in [(Threads::Count(1), "1 thread"), (Threads::All, "all cores")] {
            b.run(
                &format!("shift order {order} constant, {label}"),
                elements,
                || {
                    ndimage::shift(x.view(), out.view_mut(), &[0.5, -1.25], &spline, threads)
                        .unwrap();
                    black_box(&out);
                },
            );
        }
    }

    // map_coordinates order 3 on a smooth warp of the grid.
    let coords = Array3::from_shape_fn((2, n, n), |(k, i, j)| {
        let (y, x) = (i as f64, j as f64);
        if k == 0 {
            y + 2.5 * (2.0 * std::f64::consts::PI * x / 173.0).sin() + 0.75 * (y / 37.0).cos()
        } else {
            x + 2.0 * (2.0 * std::f64::consts::PI * y / 211.0).cos() - 0.5 * (x / 29.0).sin()
        }
    });
    let spline = Spline {
        order: 3,
        mode: Mode::Constant,
        cval: 0.0,
        cval_imag: 0.0,
        prefilter: true,
    };
    let mut out_d = ArrayD::<f64>::zeros(IxDyn(&[n, n]));
    for (threads, label) in [(Threads::Count(1), "1 thread"), (Threads::All, "all cores")] {
        b.run(
            &format!("map_coordinates order 3 constant, {label}"),
            elements,
            || {
                ndimage::map_coordinates(
                    x.view(),
                    coords.view(),
                    out_d.view_mut(),
                    &spline,
                    threads,
                )
                .unwrap();
                black_box(&out_d);
            },
        );
    }

    // affine_transform order 1: rotation by 5 degrees around the centre (the workload).
    let (sin, cos) = 5f64.to_radians().sin_cos();
    let centre = (n as f64 - 1.0) / 2.0;
    let matrix = [cos, -sin, sin, cos];
    let offset = [
        centre - (cos * centre - sin * centre),
        centre - (sin * centre + cos * centre),
    ];
    let spline = Spline {
        order: 1,
        mode: Mode::Constant,
        cval: 0.0,
        cval_imag: 0.0,
        prefilter: true,
    };
    for (threads, label) in [(Threads::Count(1), "1 thread"), (Threads::All, "all cores")] {
        b.run(
            &format!("affine_transform order 1 constant, {label}"),
            elements,
            || {
                let m = ndimage::AffineMatrix::Full(matrix[..].into());
                ndimage::affine_transform(x.view(), out.view_mut(), m, &offset, &spline, threads)
                    .unwrap();
                black_box(&out);
            },
        );
    }

    // geometric_transform with a Rust closure shifting by 0.5, orders 0, 1 and 3.
    for order in [0usize, 1, 3] {
        let spline = Spline {
            order,
            mode: Mode::Constant,
            cval: 0.0,
            cval_imag: 0.0,
            prefilter: true,
        };
        b.run(
            &format!("geometric_transform shift order {order}, 1 thread"),
            elements,
            || {
                ndimage::geometric_transform(x.view(), out.view_mut(), &spline, |o, c| {
                    c[0] = o[0] as f64 - 0.5;
                    c[1] = o[1] as f64 - 0.5;
                    Ok(())
                })
                .unwrap();
                black_box(&out);
            },
        );
    }
}
