//! NumPy's element-wise arithmetic in an array's own element type: what scipy's Python layer
//! does between its C passes (`output += tmp`, `output *= output`, `np.sqrt(output, output,
//! casting='unsafe')`, `output[...] = input`, the part arithmetic of complex correlations).
//!
//! The compositions (`generic_laplace`, `generic_gradient_magnitude`, the complex
//! correlations, a separable filter whose every axis is dropped) do that arithmetic here, so
//! that C and Rust callers get scipy's numbers without NumPy:
//!
//! - integers wrap (two's complement), floats round in their own type (float32 arithmetic is
//!   float64 arithmetic rounded once, which is exact for `+`, `*` and `sqrt`);
//! - bool arithmetic is logical (`+` is or, `*` is and), whatever bytes the C passes stored;
//! - `sqrt` of an integer array is computed in floating point and truncated back (NumPy uses
//!   float16 for 8-bit and float32 for 16-bit types; the truncated results equal float64's);
//! - assignment casts as NumPy does: integer to integer wraps, exactly; float to integer
//!   truncates like the filter store rule (which is what NumPy's scalar cast loop gives on
//!   x86-64); anything to bool is `!= 0` (NaN is true); integers to floats round once.

#![forbid(unsafe_code)]

use crate::array::dtype::{with_native, BoolByte, Native};
use crate::array::{advance, ArrayMut, ArrayRef, DType, Parts, StoreRule};
use crate::error::Error;

/// A value as NumPy's cast loops see it: exact integers, or floats.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Scalar {
    Int(i128),
    Float(f64),
}

/// An element type with NumPy's arithmetic.
pub(crate) trait NumpyElement: Native {
    /// `a + b` in the element type.
    fn np_add(self, other: Self) -> Self;
    /// `a * a` in the element type.
    fn np_square(self) -> Self;
    /// `np.sqrt(a)` stored back into the element type with `casting='unsafe'`.
    fn np_sqrt(self) -> Self;
    /// The value as a cast loop reads it.
    fn np_scalar(self) -> Scalar;
    /// `value` cast into the element type as NumPy's assignment casts it.
    fn np_from(value: Scalar) -> Self;
}

macro_rules! numpy_int {
    ($($t:ty),*) => {$(
        impl NumpyElement for $t {
            #[inline(always)]
            fn np_add(self, other: Self) -> Self { self.wrapping_add(other) }
            #[inline(always)]
            fn np_square(self) -> Self { self.wrapping_mul(self) }
            #[inline(always)]
            fn np_sqrt(self) -> Self { Self::from_f64((self as f64).sqrt()) }
            #[inline(always)]
            fn np_scalar(self) -> Scalar { Scalar::Int(self as i128) }
            #[inline(always)]
            fn np_from(value: Scalar) -> Self {
                match value {
                    Scalar::Int(i) => i as $t,
                    Scalar::Float(v) => Self::from_f64(v),
                }
            }
        }
    )*};
}
numpy_int!(i8, u8, i16, u16, i32, u32, i64, u64);

macro_rules! numpy_float {
    ($($t:ty),*) => {$(
        impl NumpyElement for $t {
            #[inline(always)]
            fn np_add(self, other: Self) -> Self { self + other }
            #[inline(always)]
            fn np_square(self) -> Self { self * self }
            #[inline(always)]
            fn np_sqrt(self) -> Self { self.sqrt() }
            #[inline(always)]
            fn np_scalar(self) -> Scalar { Scalar::Float(self as f64) }
            #[inline(always)]
            fn np_from(value: Scalar) -> Self {
                match value {
                    Scalar::Int(i) => i as $t,
                    Scalar::Float(v) => v as $t,
                }
            }
        }
    )*};
}
numpy_float!(f32, f64);

impl NumpyElement for BoolByte {
    #[inline(always)]
    fn np_add(self, other: Self) -> Self {
        BoolByte((self.0 != 0 || other.0 != 0) as u8)
    }
    #[inline(always)]
    fn np_square(self) -> Self {
        BoolByte((self.0 != 0) as u8)
    }
    #[inline(always)]
    fn np_sqrt(self) -> Self {
        BoolByte((self.0 != 0) as u8)
    }
    #[inline(always)]
    fn np_scalar(self) -> Scalar {
        Scalar::Int((self.0 != 0) as i128)
    }
    #[inline(always)]
    fn np_from(value: Scalar) -> Self {
        BoolByte(match value {
            Scalar::Int(i) => (i != 0) as u8,
            Scalar::Float(v) => (v != 0.0) as u8,
        })
    }
}

/// Calls `$body` with `$T` bound to the [`NumpyElement`] type of a real `$dtype`.
macro_rules! with_numpy {
    ($dtype:expr, $T:ident => $body:expr) => {
        with_native!($dtype, $T => $body)
    };
}

/// Visits the lines along the last axis of `shape` (nothing for an empty shape).
fn for_each_row(shape: &[usize], mut visit: impl FnMut(&[usize], usize)) {
    if shape.contains(&0) {
        return;
    }
    let last = shape.len() - 1;
    let mut index = vec![0usize; shape.len()];
    loop {
        visit(&index, last);
        if !advance(&mut index, shape, Some(last)) {
            return;
        }
    }
}

/// `target = op(target, other)` element by element in `T` (same shapes).
fn combine<T: NumpyElement>(
    target: &mut ArrayMut<'_>,
    other: Option<&ArrayRef<'_>>,
    op: impl Fn(T, T) -> T,
) {
    let shape = target.shape().to_vec();
    let n = *shape.last().unwrap_or(&0);
    let mut a = vec![T::default(); n];
    let mut b = vec![T::default(); n];
    for_each_row(&shape, |index, last| {
        target.view().read_run_as(index, last, 0, &mut a);
        if let Some(other) = other {
            other.read_run_as(index, last, 0, &mut b);
        }
        for (x, &y) in a.iter_mut().zip(&b) {
            *x = op(*x, y);
        }
        target.store_run_as(index, last, 0, &a);
    });
}

fn same(target: &ArrayMut<'_>, other: &ArrayRef<'_>) -> Result<(), Error> {
    if target.shape() != other.shape() || target.dtype() != other.dtype() {
        return Err(Error::ShapeMismatch(format!(
            "element-wise operands differ: {:?} {} and {:?} {}",
            target.shape(),
            target.dtype().name(),
            other.shape(),
            other.dtype().name()
        )));
    }
    Ok(())
}

/// `target += other` (NumPy, the arrays' common element type; complex arrays part by part).
pub(crate) fn add_assign(target: &mut ArrayMut<'_>, other: &ArrayRef<'_>) -> Result<(), Error> {
    same(target, other)?;
    match (target.parts(), other.parts()) {
        (Parts::Real(mut t), Parts::Real(o)) => {
            with_numpy!(t.dtype(), T => combine::<T>(&mut t, Some(&o), T::np_add));
        }
        (Parts::Complex(mut tr, mut ti), Parts::Complex(or, oi)) => {
            with_numpy!(tr.dtype(), T => {
                combine::<T>(&mut tr, Some(&or), T::np_add);
                combine::<T>(&mut ti, Some(&oi), T::np_add);
            });
        }
        _ => unreachable!("same element types"),
    }
    Ok(())
}

/// `target *= target` (NumPy, real element types).
pub(crate) fn square(target: &mut ArrayMut<'_>) -> Result<(), Error> {
    crate::args::real(target.dtype(), "output")?;
    with_numpy!(target.dtype(), T => combine::<T>(target, None, |a: T, _| a.np_square()));
    Ok(())
}

/// `np.sqrt(target, out=target, casting='unsafe')` (real element types).
pub(crate) fn sqrt(target: &mut ArrayMut<'_>) -> Result<(), Error> {
    crate::args::real(target.dtype(), "output")?;
    with_numpy!(target.dtype(), T => combine::<T>(target, None, |a: T, _| a.np_sqrt()));
    Ok(())
}

/// `target = target + other` or `target - other` for float parts of complex arrays whose
/// float types may differ (float32 and float64): NumPy computes in the wider type and rounds
/// to the target's, which equals rounding the exact float64 result once.
pub(crate) fn float_combine(
    target: &mut ArrayMut<'_>,
    other: &ArrayRef<'_>,
    subtract: bool,
) -> Result<(), Error> {
    let floats = |d: DType| matches!(d, DType::Float32 | DType::Float64);
    assert!(
        floats(target.dtype()) && floats(other.dtype()),
        "float parts"
    );
    if target.shape() != other.shape() {
        return Err(Error::ShapeMismatch("element-wise operands differ".into()));
    }
    let shape = target.shape().to_vec();
    let n = *shape.last().unwrap_or(&0);
    let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
    for_each_row(&shape, |index, last| {
        target.read_line(index, last, &mut a);
        other.read_line(index, last, &mut b);
        for (x, &y) in a.iter_mut().zip(&b) {
            *x = if subtract { *x - y } else { *x + y };
        }
        target.store_line(index, last, &a, StoreRule::Truncate);
    });
    Ok(())
}

/// Casts one real array into another as `output[...] = input` does.
fn assign_real(input: &ArrayRef<'_>, output: &mut ArrayMut<'_>) {
    let shape = output.shape().to_vec();
    let n = *shape.last().unwrap_or(&0);
    with_numpy!(input.dtype(), S => {
        with_numpy!(output.dtype(), T => {
            let mut from = vec![S::default(); n];
            let mut to = vec![T::default(); n];
            for_each_row(&shape, |index, last| {
                input.read_run_as(index, last, 0, &mut from);
                for (t, &s) in to.iter_mut().zip(&from) {
                    *t = T::np_from(s.np_scalar());
                }
                output.store_run_as(index, last, 0, &to);
            });
        })
    })
}

/// Sets every element of a real array to zero.
fn zero_real(output: &mut ArrayMut<'_>) {
    let shape = output.shape().to_vec();
    let n = *shape.last().unwrap_or(&0);
    let zeros = vec![0.0; n];
    for_each_row(&shape, |index, last| {
        output.store_line(index, last, &zeros, StoreRule::Truncate)
    });
}

/// Sets every element (both parts of complex ones) to zero.
pub(crate) fn fill_zero(output: &mut ArrayMut<'_>) {
    match output.parts() {
        Parts::Real(mut o) => zero_real(&mut o),
        Parts::Complex(mut re, mut im) => {
            zero_real(&mut re);
            zero_real(&mut im);
        }
    }
}

/// `output[...] = input` with NumPy's casting (same shapes): a complex input gives its real
/// part to a real output (NumPy warns and discards the imaginary part), a real input gives a
/// complex output a zero imaginary part. The input must not share memory with the output
/// unless it is the output itself.
pub(crate) fn assign(input: &ArrayRef<'_>, output: &mut ArrayMut<'_>) -> Result<(), Error> {
    if input.shape() != output.shape() {
        return Err(Error::ShapeMismatch(format!(
            "output shape {:?} differs from input shape {:?}",
            output.shape(),
            input.shape()
        )));
    }
    match (input.parts(), output.parts()) {
        (Parts::Real(i), Parts::Real(mut o)) => assign_real(&i, &mut o),
        (Parts::Complex(ir, ii), Parts::Complex(mut or, mut oi)) => {
            assign_real(&ir, &mut or);
            assign_real(&ii, &mut oi);
        }
        (Parts::Complex(ir, _), Parts::Real(mut o)) => assign_real(&ir, &mut o),
        (Parts::Real(i), Parts::Complex(mut or, mut oi)) => {
            assign_real(&i, &mut or);
            zero_real(&mut oi);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values from NumPy's definitions (two's-complement wrap, logical bool ops,
    // truncating casts); the Python tests compare with NumPy itself.
    #[test]
    fn integer_arithmetic_wraps() {
        assert_eq!(200u8.np_add(100), 44);
        assert_eq!(12i8.np_square(), -112);
        assert_eq!((-4i16).np_sqrt(), 0); // NaN -> 0 for the 16-bit types
        assert_eq!((-4i32).np_sqrt(), i32::MIN);
        assert_eq!(255u8.np_sqrt(), 15);
        assert_eq!(u64::MAX.np_sqrt(), 1 << 32);
    }

    #[test]
    fn bool_arithmetic_is_logical() {
        assert_eq!(BoolByte(2).np_add(BoolByte(0)).0, 1);
        assert_eq!(BoolByte(0).np_add(BoolByte(0)).0, 0);
        assert_eq!(BoolByte(212).np_square().0, 1);
        assert_eq!(BoolByte::np_from(Scalar::Float(f64::NAN)).0, 1);
        assert_eq!(BoolByte::np_from(Scalar::Float(-0.0)).0, 0);
    }

    #[test]
    fn casts_are_numpys() {
        assert_eq!(i8::np_from(Scalar::Int(300)), 44);
        assert_eq!(i64::np_from(Scalar::Int((1 << 60) + 1)), (1 << 60) + 1);
        assert_eq!(u8::np_from(Scalar::Float(-3.7)), 253);
        assert_eq!(
            f32::np_from(Scalar::Int((1 << 40) + 1)),
            (1u64 << 40) as f32
        );
        assert_eq!(u64::np_from(Scalar::Float(f64::NAN)), 1 << 63);
    }
}
