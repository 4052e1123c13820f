//! Regression tests of the defects the fuzz rows of tests/harness found (issue 13): each
//! test is the smallest form of a case that broke an invariant of `harness::check`.

use ndarray::Array2;
use ndimage::filters::{KernelRequest, KernelSource};
use ndimage::{gaussian_filter, uniform_filter, CallbackError, Mode, Threads};

/// A separable filter whose second pass needs line buffers the machine cannot give used to
/// fail with the output already written by the first pass. Every pass's buffers are checked
/// before the first one runs.
#[test]
fn a_later_pass_out_of_memory_writes_nothing() {
    let input = Array2::from_shape_fn((4, 4), |(i, j)| (i * 4 + j) as f64);
    let mut output = Array2::from_elem((4, 4), -7.0);
    let huge = 1usize << 40; // 8 TiB of extended lines
    for threads in [Threads::Count(1), Threads::Count(3)] {
        let r = uniform_filter(
            &input,
            &mut output,
            &[3, huge],
            &[],
            &[Mode::Reflect],
            None,
            0.0,
            threads,
        );
        assert!(r.is_err(), "{r:?}");
        assert!(
            output.iter().all(|&v| v == -7.0),
            "output written: {output:?}"
        );
    }
}

/// A gaussian filter whose second axis has a radius beyond any kernel used to call the
/// caller's kernel provider for the first axis before failing. Every radius is checked first.
#[test]
fn a_bad_later_radius_calls_no_kernel_provider() {
    let input = Array2::from_shape_fn((4, 5), |(i, j)| (i * 5 + j) as f64);
    let mut output = Array2::from_elem((4, 5), -7.0);
    for (sigmas, radii) in [
        ([1.0, 1.0], [Some(1), Some(usize::MAX / 2)]),
        ([1.0, 1e300], [None, None]),
        ([1.0, 1.0], [Some(1), Some(1 << 60)]),
    ] {
        let mut calls = 0;
        let mut kernel = |_: KernelRequest, k: &mut [f64]| -> Result<(), CallbackError> {
            calls += 1;
            k.iter_mut().for_each(|v| *v = 0.5);
            Ok(())
        };
        let r = gaussian_filter(
            &input,
            &mut output,
            &sigmas,
            &[],
            &[Mode::Reflect],
            &radii,
            None,
            0.0,
            4.0,
            KernelSource::Custom(&mut kernel),
            Threads::Count(1),
        );
        assert!(r.is_err(), "{r:?}");
        assert_eq!(calls, 0, "the provider was called by a failing call");
        assert!(output.iter().all(|&v| v == -7.0));
    }
}

/// Order filters of `isize::MAX` samples: an origin of `isize::MIN` was accepted (the origin
/// check clamped it to a valid one) and the pass overflowed (a panic, NDI_ERR_INTERNAL); with
/// a valid origin the extended line's size in bytes overflowed. Both are argument errors.
#[test]
fn huge_order_filters_are_argument_errors() {
    use ndimage::{maximum_filter1d, minimum_filter1d, OrderOptions};
    let input = Array2::from_shape_fn((4, 3), |(i, j)| (i * 3 + j) as f64);
    let mut output = Array2::from_elem((4, 3), -7.0);
    let options = OrderOptions::threads(Threads::Count(1));
    let huge = isize::MAX as usize;
    for (origin, mode) in [
        (isize::MIN, Mode::Mirror),
        (1, Mode::Wrap),
        (0, Mode::Reflect),
    ] {
        for minimum in [true, false] {
            let f = if minimum {
                minimum_filter1d
            } else {
                maximum_filter1d
            };
            let r = f(&input, &mut output, huge, 0, origin, mode, 1.5, &options);
            assert!(
                matches!(r, Err(ndimage::Error::InvalidArgument(_))),
                "{origin}: {r:?}"
            );
        }
    }
    assert!(output.iter().all(|&v| v == -7.0));
}

/// grey_dilation reflects its origins before checking them: an origin of `isize::MIN` has no
/// reflection (the negation overflowed, a panic).
#[test]
fn grey_dilation_of_the_smallest_origin_is_an_argument_error() {
    use ndimage::{grey_dilation, Footprint, Neighbourhood, OrderOptions};
    let input = Array2::from_shape_fn((4, 3), |(i, j)| (i * 3 + j) as f64);
    let mut output = Array2::from_elem((4, 3), -7.0);
    let footprint = Footprint::from_size(&[3, 2]).unwrap();
    let n = Neighbourhood::new(footprint).with_origins(&[isize::MIN, 0]);
    let r = grey_dilation(&input, &mut output, &n, None, &OrderOptions::default());
    assert!(
        matches!(r, Err(ndimage::Error::InvalidArgument(_))),
        "{r:?}"
    );
    assert!(output.iter().all(|&v| v == -7.0));
}

/// grey_dilation (and the compositions that dilate) reported a footprint of another rank than
/// the filtered axes as "2 origins given for rank 1", an invalid argument, where the erosion
/// reports the shape mismatch.
#[test]
fn grey_dilation_reports_a_footprint_of_another_rank_as_the_erosion_does() {
    use ndimage::{grey_dilation, grey_erosion, Footprint, Neighbourhood, OrderOptions};
    let input = Array2::from_shape_fn((4, 3), |(i, j)| (i * 3 + j) as f64);
    let mut output = Array2::from_elem((4, 3), -7.0);
    let n = Neighbourhood::new(Footprint::from_size(&[3]).unwrap()).with_origins(&[0, 0]);
    let o = OrderOptions::default();
    let e = grey_erosion(&input, &mut output, &n, None, &o);
    let d = grey_dilation(&input, &mut output, &n, None, &o);
    assert!(matches!(e, Err(ndimage::Error::ShapeMismatch(_))), "{e:?}");
    assert!(matches!(d, Err(ndimage::Error::ShapeMismatch(_))), "{d:?}");
}

/// The C structure arguments (binary morphology's structures, the chamfer metric) reported
/// every failure of their conversion as an invalid argument: a complex structure (an invalid
/// array, as a complex footprint or mask is) and a structure whose mask cannot be allocated
/// (out of memory) included; found by the C error matrix rows.
#[test]
fn a_complex_structure_is_an_invalid_array() {
    use ndimage::capi::*;
    let shape = [3isize, 4];
    let mut input = [1.0f64; 12];
    let mut output = [-7.0f64; 12];
    let mut structure = [
        1.0f64, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0,
    ];
    let desc = |data: *mut f64, dtype, shape: &[isize; 2]| ndi_array {
        data: data as *mut std::ffi::c_void,
        dtype,
        rank: 2,
        shape: shape.as_ptr(),
        strides: std::ptr::null(),
    };
    let s3 = [3isize, 2];
    let a = desc(input.as_mut_ptr(), NDI_DTYPE_FLOAT64, &shape);
    let o = desc(output.as_mut_ptr(), NDI_DTYPE_FLOAT64, &shape);
    let st = desc(structure.as_mut_ptr(), NDI_DTYPE_COMPLEX128, &s3);
    use std::ptr::null;
    // SAFETY: valid descriptors of live buffers (the structure: 6 complex128 = 12 doubles).
    let statuses = unsafe {
        [
            ndi_binary_erosion(&a, &o, &st, null(), 1, 0, null(), null()),
            ndi_binary_dilation(&a, &o, &st, null(), 1, 0, null(), null()),
            ndi_binary_hit_or_miss(&a, &o, null(), &st, null(), null(), null()),
            ndi_binary_fill_holes(&a, &o, &st, null(), null()),
        ]
    };
    assert_eq!(statuses, [NDI_ERR_INVALID_ARRAY; 4]);
    // SAFETY: a NUL-terminated thread-local string.
    let message = unsafe { std::ffi::CStr::from_ptr(ndi_last_error_message()) };
    assert!(
        message.to_string_lossy().contains("structure"),
        "{message:?}"
    );
    assert!(output.iter().all(|&v| v == -7.0));
}

/// ndi_iterate_structure with iterations whose structure has sizes beyond any array
/// (`isize::MAX` iterations of a 3 x 3 structure: 2^64 - 1 per axis, which still fits a
/// usize) reported a shape mismatch against that shape, where ndi_iterate_structure_shape
/// rejects the same iterations as an overflow; found by the C error matrix rows.
#[test]
fn iterations_beyond_any_array_overflow() {
    use ndimage::capi::*;
    assert!(matches!(
        ndimage::iterate_structure_shape(&[3, 3], i64::MAX),
        Err(ndimage::Error::InvalidArgument(_))
    ));
    let shape = [3isize, 3];
    let mut structure = [1u8; 9];
    let mut output = [7u8; 25];
    let oshape = [5isize, 5];
    let st = ndi_array {
        data: structure.as_mut_ptr() as *mut std::ffi::c_void,
        dtype: NDI_DTYPE_UINT8,
        rank: 2,
        shape: shape.as_ptr(),
        strides: std::ptr::null(),
    };
    let out = ndi_array {
        data: output.as_mut_ptr() as *mut std::ffi::c_void,
        dtype: NDI_DTYPE_UINT8,
        rank: 2,
        shape: oshape.as_ptr(),
        strides: std::ptr::null(),
    };
    let mut sizes = [-7isize; 2];
    // SAFETY: valid descriptors of live buffers; `sizes` holds 2 values.
    let (a, b) = unsafe {
        (
            ndi_iterate_structure(&st, i64::MAX, &out, std::ptr::null()),
            ndi_iterate_structure_shape(shape.as_ptr(), 2, i64::MAX, sizes.as_mut_ptr()),
        )
    };
    assert_eq!((a, b), (NDI_ERR_INVALID_ARGUMENT, NDI_ERR_INVALID_ARGUMENT));
    assert_eq!(sizes, [-7, -7]);
    assert!(output.iter().all(|&v| v == 7));
}

/// The one-group statistics merge contiguous trailing axes into NumPy's pairwise runs by
/// multiplying strides by sizes; an empty input (whose strides are unconstrained) with
/// strides of isize::MAX overflowed there, a panic (NDI_ERR_INTERNAL); found by the fuzz
/// rows of the statistics.
#[test]
fn an_empty_input_with_huge_strides_sums_to_nothing() {
    use ndimage::capi::*;
    let shape = [0isize, 2, 1];
    let strides = [isize::MAX; 3];
    let mut byte = [0u8; 8];
    let mut out = [-7.0f64; 3];
    let one = [1isize];
    let three = [3isize];
    let input = ndi_array {
        data: byte.as_mut_ptr() as *mut std::ffi::c_void,
        dtype: NDI_DTYPE_FLOAT64,
        rank: 3,
        shape: shape.as_ptr(),
        strides: strides.as_ptr(),
    };
    let out_ptr = out.as_mut_ptr() as *mut std::ffi::c_void;
    let output = |n: &[isize; 1]| ndi_array {
        data: out_ptr,
        dtype: NDI_DTYPE_FLOAT64,
        rank: 1,
        shape: n.as_ptr(),
        strides: std::ptr::null(),
    };
    let (o1, o3) = (output(&one), output(&three));
    let null = std::ptr::null();
    // SAFETY: valid descriptors (the input has no element); the outputs hold 1 and 3 doubles.
    let statuses = unsafe {
        [
            ndi_sum_labels(&input, null, NDI_SELECT_ALL, null, &o1, std::ptr::null()),
            ndi_mean(&input, null, NDI_SELECT_ALL, null, &o1, std::ptr::null()),
            ndi_standard_deviation(&input, null, NDI_SELECT_ALL, null, &o1, std::ptr::null()),
            ndi_center_of_mass(&input, null, NDI_SELECT_ALL, null, &o3, std::ptr::null()),
        ]
    };
    assert_eq!(statuses, [NDI_OK; 4]);
    // (the mean of nothing is NaN; the sum 0)
    assert!(out.iter().all(|v| v.is_nan() || *v == 0.0), "{out:?}");
}

/// ndi_extrema stored the minimum before it found that the maximum's output cannot hold the
/// complex results of a complex input, so the call failed with the minimum written; both
/// outputs are checked first now. Found by the fuzz rows of the statistics.
#[test]
fn extrema_checks_both_outputs_before_storing() {
    use ndimage::capi::*;
    let shape = [2isize];
    let one = [1isize];
    let mut input = [1.0f64, 2.0, -3.0, 0.5];
    let mut min = [-7.0f64; 2];
    let mut max = [-7.0f64; 1];
    let desc = |data: *mut f64, dtype, shape: &[isize; 1]| ndi_array {
        data: data as *mut std::ffi::c_void,
        dtype,
        rank: 1,
        shape: shape.as_ptr(),
        strides: std::ptr::null(),
    };
    let a = desc(input.as_mut_ptr(), NDI_DTYPE_COMPLEX128, &shape);
    let lo = desc(min.as_mut_ptr(), NDI_DTYPE_COMPLEX128, &one);
    let hi = desc(max.as_mut_ptr(), NDI_DTYPE_FLOAT64, &one);
    use std::ptr::null;
    // SAFETY: valid descriptors of live buffers.
    let status = unsafe {
        ndi_extrema(
            &a,
            null(),
            NDI_SELECT_ALL,
            null(),
            &lo,
            &hi,
            null(),
            null(),
            null(),
        )
    };
    assert_eq!(status, NDI_ERR_INVALID_ARRAY);
    assert_eq!((min, max), ([-7.0; 2], [-7.0]));
}

/// A C array argument's count beyond the address space (ndi_histogram's `n_edges` of
/// isize::MAX) reached `slice::from_raw_parts` with more than isize::MAX bytes: undefined
/// behaviour (an abort in debug builds). Every C array argument's byte size is checked now;
/// found by the histogram's fuzz rows.
#[test]
fn a_count_beyond_the_address_space_is_an_argument_error() {
    use ndimage::capi::*;
    let shape = [4isize];
    let mut input = [1.0f64, 2.0, 3.0, 4.0];
    let edges = [0.0f64, 5.0];
    let mut counts = [-7i64; 4];
    let desc = |data: *mut std::ffi::c_void, dtype| ndi_array {
        data,
        dtype,
        rank: 1,
        shape: shape.as_ptr(),
        strides: std::ptr::null(),
    };
    let a = desc(input.as_mut_ptr().cast(), NDI_DTYPE_FLOAT64);
    let c = desc(counts.as_mut_ptr().cast(), NDI_DTYPE_INT64);
    use std::ptr::null;
    for n in [isize::MAX, isize::MAX / 4] {
        // SAFETY: valid descriptors; the count is what is under test (rejected unread).
        let status = unsafe {
            ndi_histogram(
                &a,
                null(),
                NDI_SELECT_ALL,
                null(),
                edges.as_ptr(),
                n,
                &c,
                null(),
                null(),
            )
        };
        assert_eq!(status, NDI_ERR_INVALID_ARGUMENT, "n_edges {n}");
    }
    assert_eq!(counts, [-7; 4]);
}
