//! Inputs that share memory with the output, through the Rust API's raw views: the result is
//! that of separate memory.

use ndarray::Array1;
use ndimage::array::{ArrayMut, ArrayRef};
use ndimage::{map_coordinates, Mode, Spline, Threads};

// A complex array whose output shares memory with the coordinates: the imaginary pass
// reads the coordinates the real pass read (issue 13's first defect, in the core).
#[test]
fn complex_map_coordinates_reads_coordinates_before_writing() {
    use num_complex::Complex64;
    let input = Array1::from(vec![
        Complex64::new(1.0, 10.0),
        Complex64::new(2.0, 20.0),
        Complex64::new(3.0, 30.0),
        Complex64::new(4.0, 40.0),
    ]);
    let spline = Spline {
        prefilter: false,
        ..Spline::new(1, Mode::Nearest)
    };
    let mut memory = [0.0f64, 2.0, 0.0, 0.0];
    let base = memory.as_mut_ptr() as *mut u8;
    let coords = ndimage::array::Layout::new(ndimage::DType::Float64, &[1, 2], None).unwrap();
    let out = ndimage::array::Layout::new(ndimage::DType::Complex128, &[2], None).unwrap();
    // SAFETY: both views lie within `memory` (32 bytes), which outlives them; the read-only
    // view is not read after the call returns.
    let (coords, out) = unsafe {
        (
            ArrayRef::from_raw(base, coords),
            ArrayMut::from_raw(base, out),
        )
    };
    map_coordinates(&input, coords, out, &spline, Threads::Count(1)).unwrap();
    assert_eq!(memory, [1.0, 10.0, 3.0, 30.0]);
}
