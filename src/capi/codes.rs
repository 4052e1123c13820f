//! The C API's enumeration codes: element types and boundary modes, with their conversion to
//! the core's enums. The values are the enums' discriminants, each family in a range of its
//! own, so that a code passed in the wrong argument is rejected instead of taken.

use std::ffi::{c_char, CStr};

use super::{guard, ndi_status};
use crate::array::DType;
use crate::boundary::Mode;
use crate::error::Error;

/// Element type code of an `ndi_array` (`0x100 + k`). Values never change meaning.
pub type ndi_dtype = i32;
/// numpy `bool`: one byte, read as its value (0 or 1 for numpy bools; a footprint mask selects
/// where it is non-zero). Outputs receive scipy's raw truncated byte.
pub const NDI_DTYPE_BOOL: ndi_dtype = 0x100;
pub const NDI_DTYPE_INT8: ndi_dtype = 0x101;
pub const NDI_DTYPE_UINT8: ndi_dtype = 0x102;
pub const NDI_DTYPE_INT16: ndi_dtype = 0x103;
pub const NDI_DTYPE_UINT16: ndi_dtype = 0x104;
pub const NDI_DTYPE_INT32: ndi_dtype = 0x105;
pub const NDI_DTYPE_UINT32: ndi_dtype = 0x106;
pub const NDI_DTYPE_INT64: ndi_dtype = 0x107;
pub const NDI_DTYPE_UINT64: ndi_dtype = 0x108;
pub const NDI_DTYPE_FLOAT32: ndi_dtype = 0x109;
pub const NDI_DTYPE_FLOAT64: ndi_dtype = 0x10a;
/// Two float32 (real, imaginary), accepted where scipy accepts complex data.
pub const NDI_DTYPE_COMPLEX64: ndi_dtype = 0x10b;
/// Two float64 (real, imaginary), accepted where scipy accepts complex data.
pub const NDI_DTYPE_COMPLEX128: ndi_dtype = 0x10c;

/// Boundary mode code (scipy's `mode=` strings, `0x200 + k`). Values never change meaning.
pub type ndi_mode = i32;
/// "reflect": `d c b a | a b c d | d c b a`.
pub const NDI_MODE_REFLECT: ndi_mode = 0x200;
/// "constant": `cval` outside the input.
pub const NDI_MODE_CONSTANT: ndi_mode = 0x201;
/// "nearest": `a a a | a b c d | d d d`.
pub const NDI_MODE_NEAREST: ndi_mode = 0x202;
/// "mirror": `d c b | a b c d | c b a`.
pub const NDI_MODE_MIRROR: ndi_mode = 0x203;
/// "wrap": `b c d | a b c d | a b c`.
pub const NDI_MODE_WRAP: ndi_mode = 0x204;
/// "grid-constant" (same as constant for filters).
pub const NDI_MODE_GRID_CONSTANT: ndi_mode = 0x205;
/// "grid-mirror" (same as reflect, for filters and interpolation).
pub const NDI_MODE_GRID_MIRROR: ndi_mode = 0x206;
/// "grid-wrap" (same as wrap for filters).
pub const NDI_MODE_GRID_WRAP: ndi_mode = 0x207;

/// The C code of each element type (exhaustive: a new `DType` must get its constant).
#[cfg_attr(not(test), allow(dead_code))]
const fn dtype_code(dtype: DType) -> ndi_dtype {
    match dtype {
        DType::Bool => NDI_DTYPE_BOOL,
        DType::Int8 => NDI_DTYPE_INT8,
        DType::UInt8 => NDI_DTYPE_UINT8,
        DType::Int16 => NDI_DTYPE_INT16,
        DType::UInt16 => NDI_DTYPE_UINT16,
        DType::Int32 => NDI_DTYPE_INT32,
        DType::UInt32 => NDI_DTYPE_UINT32,
        DType::Int64 => NDI_DTYPE_INT64,
        DType::UInt64 => NDI_DTYPE_UINT64,
        DType::Float32 => NDI_DTYPE_FLOAT32,
        DType::Float64 => NDI_DTYPE_FLOAT64,
        DType::Complex64 => NDI_DTYPE_COMPLEX64,
        DType::Complex128 => NDI_DTYPE_COMPLEX128,
    }
}

/// The C code of each mode (exhaustive, as [`dtype_code`]).
const fn mode_code(mode: Mode) -> ndi_mode {
    match mode {
        Mode::Reflect => NDI_MODE_REFLECT,
        Mode::Constant => NDI_MODE_CONSTANT,
        Mode::Nearest => NDI_MODE_NEAREST,
        Mode::Mirror => NDI_MODE_MIRROR,
        Mode::Wrap => NDI_MODE_WRAP,
        Mode::GridConstant => NDI_MODE_GRID_CONSTANT,
        Mode::GridMirror => NDI_MODE_GRID_MIRROR,
        Mode::GridWrap => NDI_MODE_GRID_WRAP,
    }
}

/// The element type of a code, or an error naming the argument `name`.
pub(crate) fn dtype_from_code(code: ndi_dtype, name: &str) -> Result<DType, Error> {
    DType::try_from(code).map_err(|code| {
        Error::InvalidArray(format!(
            "{name}: unknown dtype code {code} (NDI_DTYPE_* codes are 0x100 to 0x10c)"
        ))
    })
}

/// The mode of a code, or an error.
pub(crate) fn mode_from_code(code: ndi_mode) -> Result<Mode, Error> {
    Mode::try_from(code).map_err(|code| {
        Error::InvalidArgument(format!(
            "unknown boundary mode code {code} (NDI_MODE_* codes are 0x200 to 0x207)"
        ))
    })
}

/// The `NDI_MODE_*` code of scipy's mode name `name` (a NUL-terminated string: "reflect",
/// "constant", "nearest", "mirror", "wrap", "grid-constant", "grid-mirror", "grid-wrap";
/// case-sensitive, as scipy), written to `*mode`. Fails with `NDI_ERR_INVALID_ARGUMENT` for
/// any other name.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string; `mode` is NULL or points to a writable
/// `ndi_mode`.
#[no_mangle]
pub unsafe extern "C" fn ndi_mode_from_string(
    name: *const c_char,
    mode: *mut ndi_mode,
) -> ndi_status {
    guard("ndi_mode_from_string", || {
        if name.is_null() {
            return Err(Error::NullPointer("name".into()));
        }
        if mode.is_null() {
            return Err(Error::NullPointer("mode".into()));
        }
        // SAFETY: the caller passes a NUL-terminated string.
        let text = unsafe { CStr::from_ptr(name) }.to_string_lossy();
        let found = Mode::from_name(&text).ok_or_else(|| {
            Error::InvalidArgument(format!("boundary mode {text:?} not supported"))
        })?;
        // SAFETY: `mode` is a writable ndi_mode (caller's contract), checked non-NULL.
        unsafe { mode.write_unaligned(mode_code(found)) };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_enum_discriminants() {
        for d in DType::ALL {
            assert_eq!(dtype_code(d), d as i32, "{d:?}");
            assert_eq!(dtype_from_code(dtype_code(d), "x").unwrap(), d);
        }
        for m in Mode::ALL {
            assert_eq!(mode_code(m), m as i32, "{m:?}");
            assert_eq!(mode_from_code(mode_code(m)).unwrap(), m);
        }
    }

    #[test]
    fn codes_of_one_family_are_rejected_in_another() {
        for d in DType::ALL {
            assert!(mode_from_code(d as i32).is_err());
        }
        for m in Mode::ALL {
            assert!(dtype_from_code(m as i32, "x").is_err());
        }
        // Small integers (orders, axes, booleans, the codes before version 0.2) are neither.
        for small in -8..=64 {
            assert!(mode_from_code(small).is_err() && dtype_from_code(small, "x").is_err());
        }
    }

    #[test]
    fn mode_names_parse_to_their_codes() {
        let mut code = 0;
        for m in Mode::ALL {
            let name = std::ffi::CString::new(m.name()).unwrap();
            // SAFETY: a NUL-terminated string and a writable code.
            assert_eq!(unsafe { ndi_mode_from_string(name.as_ptr(), &mut code) }, 0);
            assert_eq!(code, mode_code(m));
        }
        // SAFETY: as above.
        let status = unsafe { ndi_mode_from_string(c"Reflect".as_ptr(), &mut code) };
        assert_eq!(status, super::super::NDI_ERR_INVALID_ARGUMENT);
        // SAFETY: NULL is rejected before any read.
        let status = unsafe { ndi_mode_from_string(std::ptr::null(), &mut code) };
        assert_eq!(status, super::super::NDI_ERR_NULL_POINTER);
    }
}
