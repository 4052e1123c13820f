//! Element types and the one conversion between stored elements and `f64`.
//!
//! Every computation in the library happens in `f64`, as in scipy.ndimage. Values are read from
//! any supported element type with a plain numeric conversion, and written back with scipy's
//! *filter rule*: truncation toward zero, no clipping, and for values that do not fit the output
//! type the result of x86-64's `cvttsd2si` instruction (which is what scipy's C code produces on
//! the platform it is tested on). The README's "Numbers" section states the rules.

/// The element types the library reads and writes. The discriminants are the C API's
/// `NDI_DTYPE_*` codes: a range of their own (0x100 + k), so that a dtype code passed where a
/// mode, an order or a count is expected (or the reverse) is rejected instead of taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum DType {
    Bool = 0x100,
    Int8 = 0x101,
    UInt8 = 0x102,
    Int16 = 0x103,
    UInt16 = 0x104,
    Int32 = 0x105,
    UInt32 = 0x106,
    Int64 = 0x107,
    UInt64 = 0x108,
    Float32 = 0x109,
    Float64 = 0x10a,
    /// Two float32: real, imaginary.
    Complex64 = 0x10b,
    /// Two float64: real, imaginary.
    Complex128 = 0x10c,
}

impl DType {
    /// The real element types (every type but the complex ones, which come last in
    /// [`DType::ALL`]).
    pub const REAL: &'static [DType] = DType::ALL.split_at(11).0;

    /// Every element type.
    pub const ALL: [DType; 13] = [
        DType::Bool,
        DType::Int8,
        DType::UInt8,
        DType::Int16,
        DType::UInt16,
        DType::Int32,
        DType::UInt32,
        DType::Int64,
        DType::UInt64,
        DType::Float32,
        DType::Float64,
        DType::Complex64,
        DType::Complex128,
    ];

    /// Size of one element in bytes.
    pub const fn item_size(self) -> usize {
        match self {
            DType::Bool | DType::Int8 | DType::UInt8 => 1,
            DType::Int16 | DType::UInt16 => 2,
            DType::Int32 | DType::UInt32 | DType::Float32 => 4,
            DType::Int64 | DType::UInt64 | DType::Float64 | DType::Complex64 => 8,
            DType::Complex128 => 16,
        }
    }

    /// Whether elements are complex numbers.
    pub const fn is_complex(self) -> bool {
        matches!(self, DType::Complex64 | DType::Complex128)
    }

    /// The type of each part (real, imaginary) of a complex type; `None` for real types.
    pub const fn part(self) -> Option<DType> {
        match self {
            DType::Complex64 => Some(DType::Float32),
            DType::Complex128 => Some(DType::Float64),
            _ => None,
        }
    }

    /// Whether the type is a float type (real or complex).
    pub const fn is_float(self) -> bool {
        matches!(
            self,
            DType::Float32 | DType::Float64 | DType::Complex64 | DType::Complex128
        )
    }

    /// Lower-case name, as numpy spells it.
    pub const fn name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::Int8 => "int8",
            DType::UInt8 => "uint8",
            DType::Int16 => "int16",
            DType::UInt16 => "uint16",
            DType::Int32 => "int32",
            DType::UInt32 => "uint32",
            DType::Int64 => "int64",
            DType::UInt64 => "uint64",
            DType::Float32 => "float32",
            DType::Float64 => "float64",
            DType::Complex64 => "complex64",
            DType::Complex128 => "complex128",
        }
    }
}

impl TryFrom<i32> for DType {
    type Error = i32;
    /// The element type of a C `NDI_DTYPE_*` code; the code itself when it is none.
    fn try_from(code: i32) -> Result<Self, i32> {
        DType::ALL
            .into_iter()
            .find(|&d| d as i32 == code)
            .ok_or(code)
    }
}

/// `cvttsd2si` with a 32-bit destination: truncation, or `i32::MIN` when the truncated value is
/// not representable (also for NaN and infinities).
#[inline]
pub fn cvt32(v: f64) -> i32 {
    // trunc(v) is representable exactly when -2^31 - 1 < v < 2^31 (NaN fails both); the
    // test on v itself spares a call of trunc (no SSE2 instruction), and `as` truncates.
    if v > -2147483649.0 && v < 2147483648.0 {
        v as i32
    } else {
        i32::MIN
    }
}

/// `cvttsd2si` with a 64-bit destination: truncation, or `i64::MIN` when not representable.
#[inline]
pub fn cvt64(v: f64) -> i64 {
    // 2^63 itself is not representable; no double lies strictly between -2^63 - 1 and
    // -2^63, so trunc(v) is representable exactly when -2^63 <= v < 2^63 (NaN fails both).
    if (-9223372036854775808.0..9223372036854775808.0).contains(&v) {
        v as i64
    } else {
        i64::MIN
    }
}

/// A stored element type: how it becomes an `f64` and how an `f64` is stored into it.
///
/// This is the library's one conversion; the strided layer dispatches on [`DType`] once per
/// line and then runs a loop monomorphised over one `Native` type.
pub trait Native: Copy + Default + PartialOrd + Send + Sync + 'static {
    /// The element type this is.
    const DTYPE: DType;
    /// Plain numeric conversion (int64 beyond 2^53 rounds, as a C cast does).
    fn to_f64(self) -> f64;
    /// The filter rule: truncation toward zero, out-of-range values as `cvttsd2si` gives them.
    fn from_f64(v: f64) -> Self;
    /// The interpolation rule: integers round half away from zero (unsigned: half up, negatives
    /// to 0) and clip to the type's range before the filter rule's truncation; bool and floats
    /// store as the filter rule does.
    #[inline(always)]
    fn from_f64_rounded(v: f64) -> Self {
        Self::from_f64(v)
    }
    /// The filter rule as scipy's n-dimensional filters compile it: a negative value stores the
    /// two's-complement negation of its magnitude's conversion. It differs from
    /// [`Native::from_f64`] only for uint64 at or below -2^63 (-1e19 stores 2^64 - 1e19, not 0).
    #[inline(always)]
    fn from_f64_negating(v: f64) -> Self {
        Self::from_f64(v)
    }
    /// The value as NumPy's casting sees it (exact: a bool, a 64-bit integer or a double).
    fn to_scalar(self) -> Scalar;
    /// NumPy's `astype` (unsafe casting) into this type: integers wrap to the type's width
    /// (two's complement), anything non-zero (NaN included) becomes `true` in a bool, integers
    /// round to the nearest float. Floats into integers truncate toward zero; for values out
    /// of the integer type's range (and NaN) this uses the filter rule ([`Native::from_f64`]),
    /// where NumPy's own result depends on the machine's conversion instructions.
    fn from_scalar(value: Scalar) -> Self;
    /// `self + other` as C computes it in the type: integers (bool bytes included) wrap,
    /// floats round (scipy's grey morphology adds structure values this way).
    fn c_add(self, other: Self) -> Self;
    /// The 64-bit type of the same kind that holds every value of this one exactly: int64 for
    /// bool and the integers of 32 bits or fewer, uint64, float32 and float64 themselves (the
    /// types scipy's 1-D rank filter computes in, uint64 aside).
    type Wide: Native;
    /// The value in [`Native::Wide`] (a bool byte as 0 or 1).
    fn widen(self) -> Self::Wide;
    /// Whether the value is a float zero with the sign bit set (from the bits, so that scans
    /// over many values vectorise; never for integer types).
    #[inline(always)]
    fn is_negative_zero(self) -> bool {
        false
    }
}

/// One element's value for NumPy's casting between element types ([`Native::to_scalar`],
/// [`Native::from_scalar`]): every element type's values are exact in one of these.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
}

impl Scalar {
    /// Whether NumPy reads the value as `true`.
    #[inline(always)]
    pub fn is_nonzero(self) -> bool {
        match self {
            Scalar::Bool(b) => b,
            Scalar::Int(i) => i != 0,
            Scalar::UInt(u) => u != 0,
            // NaN is non-zero, as in NumPy.
            Scalar::Float(f) => f != 0.0,
        }
    }
}

/// `Native::from_scalar` for an integer type `$t`.
macro_rules! int_from_scalar {
    ($t:ty) => {
        #[inline(always)]
        fn from_scalar(value: Scalar) -> Self {
            match value {
                Scalar::Bool(b) => b as $t,
                Scalar::Int(i) => i as $t,
                Scalar::UInt(u) => u as $t,
                Scalar::Float(f) => Self::from_f64(f),
            }
        }
    };
}

/// `Native::from_scalar` for a float type `$t`.
macro_rules! float_from_scalar {
    ($t:ty) => {
        #[inline(always)]
        fn from_scalar(value: Scalar) -> Self {
            match value {
                Scalar::Bool(b) => b as u8 as $t,
                Scalar::Int(i) => i as $t,
                Scalar::UInt(u) => u as $t,
                Scalar::Float(f) => f as $t,
            }
        }
    };
}

/// Rounds and clips as scipy's interpolation stores do, for a type with range `[min, max]`.
#[inline(always)]
fn round_clip(v: f64, min: f64, max: f64) -> f64 {
    let t = if min == 0.0 {
        if v > 0.0 {
            v + 0.5
        } else {
            0.0
        }
    } else if v > 0.0 {
        v + 0.5
    } else {
        v - 0.5
    };
    // NaN passes both comparisons unchanged, as in scipy.
    let t = if t > max { max } else { t };
    if t < min {
        min
    } else {
        t
    }
}

/// The raw byte of a numpy bool. It reads as its byte value and stores scipy's raw truncated
/// byte (a sum of 3 stores byte 3), as scipy's C code does.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
#[repr(transparent)]
pub struct BoolByte(pub u8);

macro_rules! native_via_cvt32 {
    ($($t:ty => $d:ident, $kind:ident),*) => {$(
        impl Native for $t {
            const DTYPE: DType = DType::$d;
            #[inline(always)]
            fn to_f64(self) -> f64 { self as f64 }
            #[inline(always)]
            fn from_f64(v: f64) -> Self { cvt32(v) as $t }
            #[inline(always)]
            fn from_f64_rounded(v: f64) -> Self {
                Self::from_f64(round_clip(v, <$t>::MIN as f64, <$t>::MAX as f64))
            }
            #[inline(always)]
            fn to_scalar(self) -> Scalar { Scalar::$kind(self as _) }
            int_from_scalar!($t);
            #[inline(always)]
            fn c_add(self, other: Self) -> Self { self.wrapping_add(other) }
            type Wide = i64;
            #[inline(always)]
            fn widen(self) -> i64 { self as i64 }
        }
    )*};
}
// Narrow integers keep the low bits of the 32-bit conversion (two's-complement wrap).
native_via_cvt32!(i8 => Int8, Int, u8 => UInt8, UInt, i16 => Int16, Int, u16 => UInt16, UInt,
                  i32 => Int32, Int);

impl Native for BoolByte {
    const DTYPE: DType = DType::Bool;
    #[inline(always)]
    fn to_f64(self) -> f64 {
        // The byte's value, as scipy's C code reads it: numpy bools are 0 or 1, but a bool
        // output filled by an earlier pass (spline_filter's in-place passes) may hold any byte.
        self.0 as f64
    }
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        BoolByte(cvt32(v) as u8)
    }
    #[inline(always)]
    fn to_scalar(self) -> Scalar {
        Scalar::Bool(self.0 != 0)
    }
    #[inline(always)]
    fn from_scalar(value: Scalar) -> Self {
        BoolByte(value.is_nonzero() as u8)
    }
    #[inline(always)]
    fn c_add(self, other: Self) -> Self {
        BoolByte(self.0.wrapping_add(other.0))
    }
    type Wide = i64;
    #[inline(always)]
    fn widen(self) -> i64 {
        (self.0 != 0) as i64
    }
}
impl Native for u32 {
    const DTYPE: DType = DType::UInt32;
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        cvt64(v) as u32
    }
    #[inline(always)]
    fn from_f64_rounded(v: f64) -> Self {
        Self::from_f64(round_clip(v, 0.0, u32::MAX as f64))
    }
    #[inline(always)]
    fn to_scalar(self) -> Scalar {
        Scalar::UInt(self as u64)
    }
    int_from_scalar!(u32);
    #[inline(always)]
    fn c_add(self, other: Self) -> Self {
        self.wrapping_add(other)
    }
    type Wide = i64;
    #[inline(always)]
    fn widen(self) -> i64 {
        self as i64
    }
}
impl Native for i64 {
    const DTYPE: DType = DType::Int64;
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        cvt64(v)
    }
    #[inline(always)]
    fn from_f64_rounded(v: f64) -> Self {
        // scipy's clip stores the integer maximum itself for values above 2^63 (the compiler
        // folds that branch), while exactly 2^63 goes through the out-of-range conversion.
        let rounded = if v > 0.0 { v + 0.5 } else { v - 0.5 };
        if rounded > i64::MAX as f64 {
            i64::MAX
        } else {
            Self::from_f64(round_clip(v, i64::MIN as f64, i64::MAX as f64))
        }
    }
    #[inline(always)]
    fn to_scalar(self) -> Scalar {
        Scalar::Int(self)
    }
    int_from_scalar!(i64);
    #[inline(always)]
    fn c_add(self, other: Self) -> Self {
        self.wrapping_add(other)
    }
    type Wide = i64;
    #[inline(always)]
    fn widen(self) -> i64 {
        self
    }
}
impl Native for u64 {
    const DTYPE: DType = DType::UInt64;
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        const TWO63: f64 = 9223372036854775808.0;
        if v >= TWO63 {
            (cvt64(v - TWO63) as u64) ^ (1u64 << 63)
        } else {
            cvt64(v) as u64
        }
    }
    #[inline(always)]
    fn from_f64_rounded(v: f64) -> Self {
        Self::from_f64(round_clip(v, 0.0, u64::MAX as f64))
    }
    #[inline(always)]
    fn from_f64_negating(v: f64) -> Self {
        if v < 0.0 {
            Self::from_f64(-v).wrapping_neg()
        } else {
            Self::from_f64(v)
        }
    }
    #[inline(always)]
    fn to_scalar(self) -> Scalar {
        Scalar::UInt(self)
    }
    int_from_scalar!(u64);
    #[inline(always)]
    fn c_add(self, other: Self) -> Self {
        self.wrapping_add(other)
    }
    type Wide = u64;
    #[inline(always)]
    fn widen(self) -> u64 {
        self
    }
}
impl Native for f32 {
    const DTYPE: DType = DType::Float32;
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        v as f32
    }
    #[inline(always)]
    fn to_scalar(self) -> Scalar {
        Scalar::Float(self as f64)
    }
    float_from_scalar!(f32);
    #[inline(always)]
    fn c_add(self, other: Self) -> Self {
        self + other
    }
    type Wide = f32;
    #[inline(always)]
    fn widen(self) -> f32 {
        self
    }
    #[inline(always)]
    fn is_negative_zero(self) -> bool {
        self.to_bits() == 0x8000_0000
    }
}
impl Native for f64 {
    const DTYPE: DType = DType::Float64;
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        v
    }
    #[inline(always)]
    fn to_scalar(self) -> Scalar {
        Scalar::Float(self)
    }
    float_from_scalar!(f64);
    #[inline(always)]
    fn c_add(self, other: Self) -> Self {
        self + other
    }
    type Wide = f64;
    #[inline(always)]
    fn widen(self) -> f64 {
        self
    }
    #[inline(always)]
    fn is_negative_zero(self) -> bool {
        self.to_bits() == 0x8000_0000_0000_0000
    }
}

/// Calls `$body` with the type alias `$T` bound to the [`Native`] type of `$dtype` (a real
/// type: complex arrays are handled as their two real parts, see `ArrayRef::parts`).
macro_rules! with_native {
    ($dtype:expr, $T:ident => $body:expr) => {
        match $dtype {
            $crate::array::dtype::DType::Bool => {
                type $T = $crate::array::dtype::BoolByte;
                $body
            }
            $crate::array::dtype::DType::Int8 => {
                type $T = i8;
                $body
            }
            $crate::array::dtype::DType::UInt8 => {
                type $T = u8;
                $body
            }
            $crate::array::dtype::DType::Int16 => {
                type $T = i16;
                $body
            }
            $crate::array::dtype::DType::UInt16 => {
                type $T = u16;
                $body
            }
            $crate::array::dtype::DType::Int32 => {
                type $T = i32;
                $body
            }
            $crate::array::dtype::DType::UInt32 => {
                type $T = u32;
                $body
            }
            $crate::array::dtype::DType::Int64 => {
                type $T = i64;
                $body
            }
            $crate::array::dtype::DType::UInt64 => {
                type $T = u64;
                $body
            }
            $crate::array::dtype::DType::Float32 => {
                type $T = f32;
                $body
            }
            $crate::array::dtype::DType::Float64 => {
                type $T = f64;
                $body
            }
            $crate::array::dtype::DType::Complex64 | $crate::array::dtype::DType::Complex128 => {
                panic!("a complex array read as real: split it into parts first")
            }
        }
    };
}
pub(crate) use with_native;

/// `v` stored into an element of `dtype` by the filter rule and read back (a C cast's round
/// trip, as numpy does when it writes a float into an integer array).
pub fn cast_through(dtype: DType, v: f64) -> f64 {
    with_native!(dtype, T => T::from_f64(v).to_f64())
}

/// Element types usable in the typed (ndarray) Rust API.
///
/// Sealed: implemented for the primitive types matching [`DType`] and `num_complex::Complex`
/// of `f32` and `f64`. `bool` is an input type only,
/// because the filter rule can store bytes other than 0 and 1, which a Rust `bool` may not hold.
pub trait Element: Copy + sealed::Sealed + 'static {
    /// The element type's code.
    const DTYPE: DType;
}

/// Element types the typed Rust API can write.
pub trait OutputElement: Element {}

mod sealed {
    pub trait Sealed {}
}

macro_rules! element {
    ($($t:ty => $d:ident),*) => {$(
        impl sealed::Sealed for $t {}
        impl Element for $t { const DTYPE: DType = DType::$d; }
    )*};
}
element!(bool => Bool, i8 => Int8, u8 => UInt8, i16 => Int16, u16 => UInt16, i32 => Int32,
         u32 => UInt32, i64 => Int64, u64 => UInt64, f32 => Float32, f64 => Float64,
         num_complex::Complex<f32> => Complex64, num_complex::Complex<f64> => Complex128);
macro_rules! output_element {
    ($($t:ty),*) => {$( impl OutputElement for $t {} )*};
}
output_element!(
    i8,
    u8,
    i16,
    u16,
    i32,
    u32,
    i64,
    u64,
    f32,
    f64,
    num_complex::Complex<f32>,
    num_complex::Complex<f64>
);

#[cfg(test)]
mod tests {
    use super::*;

    fn bits<T: Native + Into<u64>>(v: f64) -> u64 {
        T::from_f64(v).into()
    }

    // Expected values follow from the x86-64 definition of cvttsd2si (out of range gives the
    // "integer indefinite" 0x80..0) and two's-complement truncation; scipy's own outputs for the
    // same inputs are compared in the Python differential suite.
    #[test]
    fn narrow_types_wrap_low_bits_of_cvt32() {
        assert_eq!(bits::<u8>(-300.0), 212);
        assert_eq!(bits::<u8>(-3.7), 253);
        assert_eq!(bits::<u8>(-0.7), 0);
        assert_eq!(bits::<u8>(256.0), 0);
        assert_eq!(bits::<u8>(300.0), 44);
        assert_eq!(bits::<u8>(70000.5), 112);
        assert_eq!(bits::<u8>(3e9), 0);
        assert_eq!(bits::<u8>(f64::NAN), 0);
        assert_eq!(BoolByte::from_f64(3.0).0, 3);
        assert_eq!(BoolByte::from_f64(0.9).0, 0);
        assert_eq!(bits::<u16>(-1.5), 0xffff);
        assert_eq!(i8::from_f64(200.0), -56);
    }

    #[test]
    fn wide_types() {
        assert_eq!(i32::from_f64(3e9), i32::MIN);
        assert_eq!(bits::<u32>(-300.0), 4294966996);
        assert_eq!(bits::<u32>(1e19), 0);
        assert_eq!(bits::<u64>(1e19), 10_000_000_000_000_000_000);
        assert_eq!(bits::<u64>(2e19), 0);
        assert_eq!(bits::<u64>(f64::INFINITY), 0);
        assert_eq!(bits::<u64>(f64::NAN), 1 << 63);
        // The n-D filters' rule for uint64 negates the magnitude's conversion.
        let negating = |v: f64| u64::from_f64_negating(v);
        assert_eq!(negating(-1.5), u64::MAX);
        assert_eq!(negating(-1e19), 8_446_744_073_709_551_616); // 2^64 - 1e19
        assert_eq!(negating(-1e20), 0);
        assert_eq!(negating(-18_446_744_073_709_551_616.0), 0);
        assert_eq!(negating(f64::NEG_INFINITY), 0);
        assert_eq!(negating(f64::NAN), 1 << 63);
        assert_eq!(negating(1e19), 10_000_000_000_000_000_000);
        assert_eq!(i32::from_f64_negating(-3e9), i32::MIN);
        assert_eq!(i64::from_f64(f64::INFINITY), i64::MIN);
        assert_eq!(i64::from_f64(-2.9), -2);
        assert_eq!(f32::from_f64(0.1), 0.1f32);
    }

    // The interpolation store rule (ndimage-semantics.md §6.1).
    #[test]
    fn rounded_stores() {
        assert_eq!(u8::from_f64_rounded(2.5), 3);
        assert_eq!(u8::from_f64_rounded(-2.5), 0);
        assert_eq!(u8::from_f64_rounded(300.0), 255);
        assert_eq!(u8::from_f64_rounded(f64::NAN), 0);
        assert_eq!(i8::from_f64_rounded(-2.5), -3);
        assert_eq!(i8::from_f64_rounded(-200.0), -128);
        assert_eq!(i8::from_f64_rounded(f64::NAN), 0);
        assert_eq!(i16::from_f64_rounded(1e9), i16::MAX);
        assert_eq!(i32::from_f64_rounded(f64::NAN), i32::MIN);
        assert_eq!(u32::from_f64_rounded(1e12), u32::MAX);
        assert_eq!(i64::from_f64_rounded(1e30), i64::MAX);
        assert_eq!(i64::from_f64_rounded(f64::INFINITY), i64::MAX);
        assert_eq!(i64::from_f64_rounded(f64::NEG_INFINITY), i64::MIN);
        assert_eq!(i64::from_f64_rounded(f64::NAN), i64::MIN);
        assert_eq!(u64::from_f64_rounded(1e30), 0);
        assert_eq!(u64::from_f64_rounded(f64::INFINITY), 0);
        assert_eq!(BoolByte::from_f64_rounded(0.5).0, 0);
        assert_eq!(BoolByte::from_f64_rounded(2.5).0, 2);
    }

    #[test]
    fn bool_reads_its_byte_value() {
        // scipy reads a bool element as its byte: what an earlier pass stored into a bool
        // output comes back as that number.
        assert_eq!(BoolByte(0).to_f64(), 0.0);
        assert_eq!(BoolByte(1).to_f64(), 1.0);
        assert_eq!(BoolByte(216).to_f64(), 216.0);
    }
}
