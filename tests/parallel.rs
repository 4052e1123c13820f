//! Parallel execution gives the sequential numbers for every thread count, and a failing
//! callback stops every thread.

use std::sync::atomic::{AtomicUsize, Ordering};

use ndarray::{Array2, Array3, ShapeBuilder};
use ndimage::{
    generic_filter, generic_filter1d, generic_filter1d_parallel, generic_filter_parallel,
    geometric_transform, geometric_transform_parallel, map_coordinates, shift, spline_filter, zoom,
    CallbackError, Error, Footprint, Mode, Spline, Threads,
};

/// A deterministic, irregular test image.
fn image(rows: usize, cols: usize) -> Array2<f64> {
    Array2::from_shape_fn((rows, cols), |(i, j)| {
        ((i * 131 + j * 71) % 97) as f64 * 0.37 - (i as f64).sin() * 3.0
    })
}

fn same_bits(a: &Array2<f64>, b: &Array2<f64>) -> bool {
    a.shape() == b.shape() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

const COUNTS: [Threads; 5] = [
    Threads::Count(1),
    Threads::Count(2),
    Threads::Count(3),
    Threads::Count(7),
    Threads::All,
];

#[test]
fn generic_filters_are_identical_for_every_thread_count() {
    // A Fortran-order input and a transposed output: parts split along the longest axis.
    let input = image(37, 23);
    let input_f = {
        let mut f = Array2::<f64>::zeros((37, 23).f());
        f.assign(&input);
        f
    };
    let fp = Footprint::from_mask(
        &[3, 4],
        vec![
            true, false, true, true, true, true, false, true, true, false, true, true,
        ],
    )
    .unwrap();
    // A callback whose result depends on the order of the buffer.
    let weighted = |w: &mut [f64]| {
        Ok::<f64, CallbackError>(
            w.iter()
                .enumerate()
                .map(|(k, v)| v * (k as f64 + 0.5))
                .sum(),
        )
    };
    let mut expected = Array2::<f64>::zeros((37, 23));
    generic_filter(
        input.view(),
        expected.view_mut(),
        &fp,
        &[1, -1],
        Mode::Mirror,
        0.0,
        weighted,
    )
    .unwrap();
    let mut expected1d = Array2::<f64>::zeros((37, 23));
    let moving = |line: &mut [f64], out: &mut [f64]| {
        for (i, o) in out.iter_mut().enumerate() {
            *o = line[i] - 2.0 * line[i + 1] + line[i + 3];
        }
        Ok::<(), CallbackError>(())
    };
    generic_filter1d(
        input.view(),
        expected1d.view_mut(),
        4,
        0,
        0,
        Mode::Wrap,
        0.0,
        moving,
    )
    .unwrap();
    for threads in COUNTS {
        let mut got = Array2::<f64>::zeros((23, 37));
        generic_filter_parallel(
            input_f.view(),
            got.view_mut().reversed_axes(),
            &fp,
            &[1, -1],
            Mode::Mirror,
            0.0,
            threads,
            weighted,
        )
        .unwrap();
        assert!(same_bits(&expected, &got.t().to_owned()), "{threads:?}");
        let mut got = Array2::<f64>::zeros((37, 23));
        generic_filter1d_parallel(
            input.view(),
            got.view_mut(),
            4,
            0,
            0,
            Mode::Wrap,
            0.0,
            threads,
            moving,
        )
        .unwrap();
        assert!(same_bits(&expected1d, &got), "{threads:?}");
    }
}

#[test]
fn interpolation_is_identical_for_every_thread_count() {
    let input = image(41, 29);
    for order in [0, 1, 3, 5] {
        for mode in [Mode::Reflect, Mode::GridConstant, Mode::Nearest, Mode::Wrap] {
            let spline = Spline {
                order,
                mode,
                cval: 1.5,
                cval_imag: 0.0,
                prefilter: true,
            };
            let run = |threads| {
                let mut s = Array2::<f64>::zeros((41, 29));
                shift(input.view(), s.view_mut(), &[0.3, -2.5], &spline, threads).unwrap();
                let mut z = Array2::<f64>::zeros((60, 17));
                zoom(input.view(), z.view_mut(), false, &spline, threads).unwrap();
                let coords = Array3::from_shape_fn((2, 13, 51), |(a, i, j)| {
                    if a == 0 {
                        i as f64 * 3.3 - 2.0
                    } else {
                        j as f64 * 0.61 - 1.0
                    }
                });
                let mut m = Array2::<f64>::zeros((13, 51));
                map_coordinates(input.view(), coords.view(), m.view_mut(), &spline, threads)
                    .unwrap();
                let mut g = Array2::<f64>::zeros((19, 44));
                geometric_transform_parallel(
                    input.view(),
                    g.view_mut(),
                    &spline,
                    threads,
                    |o, c| {
                        c[0] = o[0] as f64 * 2.1 - 0.5;
                        c[1] = o[1] as f64 * 0.7 + o[0] as f64 * 0.1;
                        Ok(())
                    },
                )
                .unwrap();
                let mut f = Array2::<f64>::zeros((41, 29));
                if order >= 2 {
                    spline_filter(input.view(), f.view_mut(), order, mode, threads).unwrap();
                }
                (s, z, m, g, f)
            };
            let expected = run(Threads::Count(1));
            // The sequential geometric_transform agrees with the parallel one on one thread.
            let mut g = Array2::<f64>::zeros((19, 44));
            geometric_transform(input.view(), g.view_mut(), &spline, |o, c| {
                c[0] = o[0] as f64 * 2.1 - 0.5;
                c[1] = o[1] as f64 * 0.7 + o[0] as f64 * 0.1;
                Ok(())
            })
            .unwrap();
            assert!(same_bits(&expected.3, &g));
            for threads in COUNTS {
                let got = run(threads);
                assert!(
                    same_bits(&expected.0, &got.0),
                    "shift {order} {mode:?} {threads:?}"
                );
                assert!(
                    same_bits(&expected.1, &got.1),
                    "zoom {order} {mode:?} {threads:?}"
                );
                assert!(
                    same_bits(&expected.2, &got.2),
                    "map {order} {mode:?} {threads:?}"
                );
                assert!(
                    same_bits(&expected.3, &got.3),
                    "geometric {order} {mode:?} {threads:?}"
                );
                assert!(
                    same_bits(&expected.4, &got.4),
                    "spline_filter {order} {mode:?} {threads:?}"
                );
            }
        }
    }
}

#[test]
fn a_failing_callback_stops_every_thread() {
    let input = image(400, 50);
    let fp = Footprint::from_size(&[3, 3]).unwrap();
    let calls = AtomicUsize::new(0);
    let mut out = Array2::<f64>::zeros((400, 50));
    let result = generic_filter_parallel(
        input.view(),
        out.view_mut(),
        &fp,
        &[],
        Mode::Reflect,
        0.0,
        Threads::Count(4),
        |w| {
            // Fails from the 100th call on, whichever thread makes it.
            if calls.fetch_add(1, Ordering::Relaxed) >= 100 {
                Err(CallbackError::from("enough"))
            } else {
                Ok(w[0])
            }
        },
    );
    assert!(
        matches!(result, Err(Error::CallbackFailed(ref m)) if m.contains("enough")),
        "{result:?}"
    );
    // Each thread stops at its next line once any failed: far fewer than the 20,000 elements.
    let made = calls.load(Ordering::Relaxed);
    assert!(made < 100 + 4 * 2 * 50, "{made} calls after the failure");

    let calls = AtomicUsize::new(0);
    let spline = Spline {
        order: 1,
        mode: Mode::Nearest,
        cval: 0.0,
        cval_imag: 0.0,
        prefilter: true,
    };
    let result = geometric_transform_parallel(
        input.view(),
        out.view_mut(),
        &spline,
        Threads::Count(3),
        |o, c| {
            calls.fetch_add(1, Ordering::Relaxed);
            if o[0] == 250 && o[1] == 7 {
                return Err(CallbackError::from("bad point"));
            }
            c[0] = o[0] as f64;
            c[1] = o[1] as f64;
            Ok(())
        },
    );
    assert!(
        matches!(result, Err(Error::CallbackFailed(ref m)) if m.contains("bad point") && m.contains("[250, 7]")),
        "{result:?}"
    );
    assert!(calls.load(Ordering::Relaxed) < 20_000);
}

#[test]
fn bad_thread_counts_are_errors() {
    let input = image(4, 4);
    let mut out = Array2::<f64>::zeros((4, 4));
    let spline = Spline {
        order: 1,
        mode: Mode::Nearest,
        cval: 0.0,
        cval_imag: 0.0,
        prefilter: true,
    };
    let r = shift(
        input.view(),
        out.view_mut(),
        &[0.5, 0.5],
        &spline,
        Threads::Count(0),
    );
    assert!(matches!(r, Err(Error::InvalidArgument(_))));
    let r = shift(
        input.view(),
        out.view_mut(),
        &[0.5, 0.5],
        &spline,
        Threads::Count(5000),
    );
    assert!(matches!(r, Err(Error::InvalidArgument(_))));
}
