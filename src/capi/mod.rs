//! The C API. It validates and converts C arguments into the core's types, calls the core, and
//! turns the outcome into a status code plus a per-thread message. Nothing numeric lives here.
//!
//! Every exported function runs its body through `guard`, which catches panics so that none
//! crosses the FFI boundary.

#![allow(non_camel_case_types)]

use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::Error;

mod call;
pub mod codes;
pub mod distance;
pub mod filters;
pub mod fourier;
pub mod grey;
pub mod interpolation;
pub mod linear;
pub mod measurements;
pub mod morphology;
pub mod rank;
pub mod types;
pub mod vectorized;

pub use codes::*;
pub use distance::*;
pub use filters::*;
pub use fourier::*;
pub use grey::*;
pub use interpolation::*;
pub use linear::*;
pub use measurements::*;
pub use morphology::*;
pub use rank::*;
pub use types::*;
pub use vectorized::*;

/// Major version of the library (the soname's number).
pub const NDI_VERSION_MAJOR: u32 = 0;
/// Minor version of the library.
pub const NDI_VERSION_MINOR: u32 = 2;
/// Patch version of the library.
pub const NDI_VERSION_PATCH: u32 = 0;

/// Result of every `ndi_*` function that can fail. Values never change meaning.
pub type ndi_status = i32;
/// Success.
pub const NDI_OK: ndi_status = 0;
/// A required pointer argument was NULL.
pub const NDI_ERR_NULL_POINTER: ndi_status = 1;
/// An argument other than an array is invalid (mode, origin, axis, filter size, options, ...).
pub const NDI_ERR_INVALID_ARGUMENT: ndi_status = 2;
/// An array descriptor is invalid: rank, negative or overflowing shape, strides, element type,
/// or output elements that overlap each other.
pub const NDI_ERR_INVALID_ARRAY: ndi_status = 3;
/// Array shapes do not agree with each other or with the other arguments.
pub const NDI_ERR_SHAPE_MISMATCH: ndi_status = 4;
/// A callback returned 0 (failure); the call stopped at that point.
pub const NDI_ERR_CALLBACK_FAILED: ndi_status = 5;
/// A temporary buffer could not be allocated.
pub const NDI_ERR_OUT_OF_MEMORY: ndi_status = 6;
/// A bug in the library was caught (a Rust panic); the message says where.
pub const NDI_ERR_INTERNAL: ndi_status = 7;
/// The progress callback asked to stop (`ndi_options.progress` returned 0); the call stopped
/// there.
pub const NDI_ERR_CANCELLED: ndi_status = 8;

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

fn set_last_error(message: &str) {
    let c = CString::new(message.replace('\0', " ")).unwrap_or_default();
    LAST_ERROR.with(|e| *e.borrow_mut() = c);
}

fn status_of(error: &Error) -> ndi_status {
    match error {
        Error::NullPointer(_) => NDI_ERR_NULL_POINTER,
        Error::InvalidArgument(_) => NDI_ERR_INVALID_ARGUMENT,
        Error::InvalidArray(_) => NDI_ERR_INVALID_ARRAY,
        Error::ShapeMismatch(_) => NDI_ERR_SHAPE_MISMATCH,
        Error::CallbackFailed(_) => NDI_ERR_CALLBACK_FAILED,
        Error::OutOfMemory(_) => NDI_ERR_OUT_OF_MEMORY,
        Error::Cancelled(_) => NDI_ERR_CANCELLED,
    }
}

/// Runs the body of an exported function named `function`: catches panics, records the error
/// message for [`ndi_last_error_message`], and returns the status.
pub(crate) fn guard<F>(function: &str, body: F) -> ndi_status
where
    F: FnOnce() -> Result<(), Error>,
{
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => {
            set_last_error("");
            NDI_OK
        }
        Ok(Err(e)) => {
            set_last_error(&format!("{function}: {e}"));
            status_of(&e)
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            set_last_error(&format!("{function}: internal error: {what}"));
            NDI_ERR_INTERNAL
        }
    }
}

/// The message of the last `ndi_*` call on the calling thread that returned a status: empty
/// after a success, a description after a failure. The pointer stays valid until the next
/// `ndi_*` call on the same thread; it is never NULL.
#[no_mangle]
pub extern "C" fn ndi_last_error_message() -> *const c_char {
    LAST_ERROR.with(|e| e.borrow().as_ptr())
}

/// A static description of a status code (never NULL; unknown codes give "unknown status").
#[no_mangle]
pub extern "C" fn ndi_status_string(status: ndi_status) -> *const c_char {
    let s: &'static CStr = match status {
        NDI_OK => c"success",
        NDI_ERR_NULL_POINTER => c"null pointer argument",
        NDI_ERR_INVALID_ARGUMENT => c"invalid argument",
        NDI_ERR_INVALID_ARRAY => c"invalid array",
        NDI_ERR_SHAPE_MISMATCH => c"shape mismatch",
        NDI_ERR_CALLBACK_FAILED => c"callback failed",
        NDI_ERR_OUT_OF_MEMORY => c"out of memory",
        NDI_ERR_INTERNAL => c"internal error",
        NDI_ERR_CANCELLED => c"cancelled",
        _ => c"unknown status",
    };
    s.as_ptr()
}

/// Sets the process-wide thread count used by calls whose options say `NDI_THREADS_DEFAULT`
/// (and by calls with NULL options): `NDI_THREADS_ALL` (0, the initial value) or 1 to 1024.
/// Safe to call from any thread; calls already running keep their count.
#[no_mangle]
pub extern "C" fn ndi_set_default_threads(threads: i32) -> ndi_status {
    guard("ndi_set_default_threads", || {
        let n = usize::try_from(threads).map_err(|_| {
            Error::InvalidArgument(format!(
                "thread count {threads}: use NDI_THREADS_ALL (0) or a count >= 1"
            ))
        })?;
        crate::parallel::set_default_threads(n)
    })
}

/// The process-wide default thread count (`NDI_THREADS_ALL`, 0, unless changed).
#[no_mangle]
pub extern "C" fn ndi_get_default_threads() -> i32 {
    crate::parallel::default_threads() as i32
}

/// The library's version as `MAJOR * 10000 + MINOR * 100 + PATCH`, to compare with the
/// `NDI_VERSION_*` macros the program was compiled with.
#[no_mangle]
pub extern "C" fn ndi_version() -> u32 {
    NDI_VERSION_MAJOR * 10000 + NDI_VERSION_MINOR * 100 + NDI_VERSION_PATCH
}

/// The library's version as a string, e.g. "0.1.0" (static, never NULL).
#[no_mangle]
pub extern "C" fn ndi_version_string() -> *const c_char {
    static VERSION: &CStr =
        match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
            Ok(s) => s,
            Err(_) => c"unknown",
        };
    VERSION.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn last() -> String {
        // SAFETY: the function returns a valid NUL-terminated string.
        unsafe { CStr::from_ptr(ndi_last_error_message()) }
            .to_string_lossy()
            .into_owned()
    }

    #[test]
    fn panics_become_internal_errors() {
        let status = guard("ndi_test", || panic!("boom"));
        assert_eq!(status, NDI_ERR_INTERNAL);
        assert_eq!(last(), "ndi_test: internal error: boom");
        assert_eq!(guard("ndi_test", || Ok(())), NDI_OK);
        assert_eq!(last(), "");
    }

    #[test]
    fn version_macros_agree_with_the_package_version() {
        let v: Vec<u32> = env!("CARGO_PKG_VERSION")
            .split('.')
            .map(|p| p.parse().unwrap())
            .collect();
        assert_eq!(v, [NDI_VERSION_MAJOR, NDI_VERSION_MINOR, NDI_VERSION_PATCH]);
        // SAFETY: static NUL-terminated string.
        let s = unsafe { CStr::from_ptr(ndi_version_string()) };
        assert_eq!(s.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
        assert_eq!(ndi_version(), v[0] * 10000 + v[1] * 100 + v[2]);
    }

    #[test]
    fn every_status_has_a_description() {
        for s in NDI_OK..=NDI_ERR_CANCELLED {
            // SAFETY: static NUL-terminated string.
            let d = unsafe { CStr::from_ptr(ndi_status_string(s)) };
            assert_ne!(d.to_str().unwrap(), "unknown status");
        }
    }
}
