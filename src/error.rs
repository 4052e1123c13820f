//! The library's error type.

#![forbid(unsafe_code)]

use std::fmt;

/// What went wrong in a call. Each variant maps to one C status code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// A required pointer was NULL (C API only); names the argument.
    NullPointer(String),
    /// An argument other than an array is invalid (mode, origin, axis, filter size, ...).
    InvalidArgument(String),
    /// An array descriptor is invalid (rank, shape, strides, element type, overlap).
    InvalidArray(String),
    /// Array shapes do not agree with each other.
    ShapeMismatch(String),
    /// A user callback reported failure; the call stopped there.
    CallbackFailed(String),
    /// Memory for a temporary could not be allocated.
    OutOfMemory(String),
    /// The caller's progress callback asked to stop; the call stopped there.
    Cancelled(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NullPointer(m) => write!(f, "{m} is NULL"),
            Error::InvalidArgument(m)
            | Error::InvalidArray(m)
            | Error::ShapeMismatch(m)
            | Error::CallbackFailed(m)
            | Error::OutOfMemory(m)
            | Error::Cancelled(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// A callback of function `what` failed while computing the element (or line) at `index`.
    pub(crate) fn callback(what: &str, index: &[usize], e: CallbackError) -> Error {
        let mut msg = format!("{what} callback reported failure at index {index:?}");
        if !e.0.is_empty() {
            msg.push_str(": ");
            msg.push_str(&e.0);
        }
        Error::CallbackFailed(msg)
    }
}

/// Failure reported by a callback passed to the Rust API. Its message becomes part of the
/// [`Error::CallbackFailed`] message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallbackError(pub String);

impl<T: Into<String>> From<T> for CallbackError {
    fn from(m: T) -> Self {
        CallbackError(m.into())
    }
}

/// A vector of `len` copies of `value`, or [`Error::OutOfMemory`] (naming `what`) instead of
/// aborting the process when it cannot be allocated.
pub(crate) fn try_vec<T: Clone>(len: usize, value: T, what: &str) -> Result<Vec<T>, Error> {
    let mut v = Vec::new();
    v.try_reserve_exact(len)
        .map_err(|_| Error::OutOfMemory(format!("cannot allocate {what} of {len} elements")))?;
    v.resize(len, value);
    Ok(v)
}

/// Checks that `bytes` of memory can be had now, without touching it: a reservation that is
/// released at once. For temporaries that are allocated in several pieces (a footprint's
/// mask, taps and gather offsets), so that a request the machine cannot satisfy fails with
/// [`Error::OutOfMemory`] before the first piece is allocated and filled.
pub(crate) fn ensure_allocatable(bytes: usize, what: &str) -> Result<(), Error> {
    let mut probe: Vec<u8> = Vec::new();
    probe
        .try_reserve_exact(bytes)
        .map_err(|_| Error::OutOfMemory(format!("cannot allocate {what} ({bytes} bytes)")))
}
