//! Regression tests of the defects the fuzz rows of tests/harness found (issue 13): each
//! test is the smallest form of a case that broke an invariant of `harness::check`.

use ndarray::Array2;
use ndimage::{uniform_filter, Mode, Threads};

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
