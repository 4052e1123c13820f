//! Statistic results in scipy's result types, and how they are stored into an output array
//! of any element type.

#![forbid(unsafe_code)]

use crate::array::dtype::{with_native, BoolByte, Native};
use crate::array::{ArrayMut, DType, Parts};
use crate::error::Error;

/// One result, in the type scipy's computation gives it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    I64(i64),
    U64(u64),
    F32(f32),
    F64(f64),
    C64(f32, f32),
    C128(f64, f64),
}

impl Scalar {
    /// The element type of the value.
    pub fn dtype(self) -> DType {
        match self {
            Scalar::I64(_) => DType::Int64,
            Scalar::U64(_) => DType::UInt64,
            Scalar::F32(_) => DType::Float32,
            Scalar::F64(_) => DType::Float64,
            Scalar::C64(..) => DType::Complex64,
            Scalar::C128(..) => DType::Complex128,
        }
    }

    /// The real and imaginary parts as float64 (exact for every type but 64-bit integers
    /// beyond 2^53).
    pub fn parts(self) -> (f64, f64) {
        match self {
            Scalar::I64(v) => (v as f64, 0.0),
            Scalar::U64(v) => (v as f64, 0.0),
            Scalar::F32(v) => (v as f64, 0.0),
            Scalar::F64(v) => (v, 0.0),
            Scalar::C64(r, i) => (r as f64, i as f64),
            Scalar::C128(r, i) => (r, i),
        }
    }
}

/// Conversion of a real result to a stored element type, as a C cast: integers wrap, floats
/// become integers by the filter rule (truncation).
pub(crate) trait FromScalar: Native {
    fn from_i64(v: i64) -> Self;
    fn from_u64(v: u64) -> Self;
    #[inline(always)]
    fn from_real(s: Scalar) -> Self {
        match s {
            Scalar::I64(v) => Self::from_i64(v),
            Scalar::U64(v) => Self::from_u64(v),
            other => Self::from_f64(other.parts().0),
        }
    }
}

macro_rules! from_scalar_int {
    ($($t:ty),*) => {$(
        impl FromScalar for $t {
            #[inline(always)]
            fn from_i64(v: i64) -> Self { v as $t }
            #[inline(always)]
            fn from_u64(v: u64) -> Self { v as $t }
        }
    )*};
}
from_scalar_int!(i8, u8, i16, u16, i32, u32, i64, u64);

impl FromScalar for BoolByte {
    fn from_i64(v: i64) -> Self {
        BoolByte(v as u8)
    }
    fn from_u64(v: u64) -> Self {
        BoolByte(v as u8)
    }
}

impl FromScalar for f32 {
    fn from_i64(v: i64) -> Self {
        v as f32
    }
    fn from_u64(v: u64) -> Self {
        v as f32
    }
}

impl FromScalar for f64 {
    fn from_i64(v: i64) -> Self {
        v as f64
    }
    fn from_u64(v: u64) -> Self {
        v as f64
    }
}

/// Writes `values` into `output` in C order (`output` has exactly that many elements).
/// Complex results need a complex output; real results into a complex output get a zero
/// imaginary part.
pub(crate) fn store(output: &mut ArrayMut<'_>, values: &[Scalar], what: &str) -> Result<(), Error> {
    crate::args::count(what, values.len(), output.layout().len())?;
    let complex = values.iter().any(|v| v.dtype().is_complex());
    if complex && !output.dtype().is_complex() {
        return Err(Error::InvalidArray(format!(
            "{what}: complex results need a complex output"
        )));
    }
    match output.parts() {
        Parts::Real(mut o) => store_real(&mut o, values, |s| s),
        Parts::Complex(mut re, mut im) => {
            store_real(&mut re, values, |s| Scalar::F64(s.parts().0));
            store_real(&mut im, values, |s| Scalar::F64(s.parts().1));
        }
    }
    Ok(())
}

fn store_real(output: &mut ArrayMut<'_>, values: &[Scalar], part: impl Fn(Scalar) -> Scalar) {
    with_native!(output.dtype(), T => {
        let v: Vec<T> = values.iter().map(|&s| T::from_real(part(s))).collect();
        super::objects::write_flat(output, &v);
    })
}
