//! C descriptors (arrays, options, enum codes) and their validated conversion to core types.

use std::ffi::c_void;

use crate::array::strided::{ranges_overlap, ArrayMut, ArrayRef, Layout, OwnedArray};
use crate::array::DType;
use crate::boundary::Mode;
use crate::error::Error;
use crate::parallel::Threads;

/// Element type code of an `ndi_array`. Values never change meaning.
pub type ndi_dtype = i32;
/// numpy `bool`: one byte, read as its value (0 or 1 for numpy bools; a footprint mask selects
/// where it is non-zero). Outputs receive scipy's raw truncated byte.
pub const NDI_DTYPE_BOOL: ndi_dtype = 0;
pub const NDI_DTYPE_INT8: ndi_dtype = 1;
pub const NDI_DTYPE_UINT8: ndi_dtype = 2;
pub const NDI_DTYPE_INT16: ndi_dtype = 3;
pub const NDI_DTYPE_UINT16: ndi_dtype = 4;
pub const NDI_DTYPE_INT32: ndi_dtype = 5;
pub const NDI_DTYPE_UINT32: ndi_dtype = 6;
pub const NDI_DTYPE_INT64: ndi_dtype = 7;
pub const NDI_DTYPE_UINT64: ndi_dtype = 8;
pub const NDI_DTYPE_FLOAT32: ndi_dtype = 9;
pub const NDI_DTYPE_FLOAT64: ndi_dtype = 10;
/// Two float32 (real, imaginary). Accepted by the interpolation functions only.
pub const NDI_DTYPE_COMPLEX64: ndi_dtype = 11;
/// Two float64 (real, imaginary). Accepted by the interpolation functions only.
pub const NDI_DTYPE_COMPLEX128: ndi_dtype = 12;

/// Boundary mode code (scipy's `mode=` strings). Values never change meaning.
pub type ndi_mode = i32;
/// "reflect": `d c b a | a b c d | d c b a`.
pub const NDI_MODE_REFLECT: ndi_mode = 0;
/// "constant": `cval` outside the input.
pub const NDI_MODE_CONSTANT: ndi_mode = 1;
/// "nearest": `a a a | a b c d | d d d`.
pub const NDI_MODE_NEAREST: ndi_mode = 2;
/// "mirror": `d c b | a b c d | c b a`.
pub const NDI_MODE_MIRROR: ndi_mode = 3;
/// "wrap": `b c d | a b c d | a b c`.
pub const NDI_MODE_WRAP: ndi_mode = 4;
/// "grid-constant" (same as constant for filters).
pub const NDI_MODE_GRID_CONSTANT: ndi_mode = 5;
/// "grid-mirror" (same as reflect for filters).
pub const NDI_MODE_GRID_MIRROR: ndi_mode = 6;
/// "grid-wrap" (same as wrap for filters).
pub const NDI_MODE_GRID_WRAP: ndi_mode = 7;

/// Largest rank of an `ndi_array`.
pub const NDI_MAX_RANK: i32 = 64;

/// Describes caller memory as an n-dimensional array. The library never keeps the pointers
/// after a call returns, and never writes through an input's `data`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ndi_array {
    /// First element (the element at index 0, ...). May be NULL only if the array has no
    /// elements. Need not be aligned.
    pub data: *mut c_void,
    /// Element type, one of `NDI_DTYPE_*`.
    pub dtype: ndi_dtype,
    /// Number of dimensions, 1 to `NDI_MAX_RANK`.
    pub rank: i32,
    /// `rank` sizes, each >= 0.
    pub shape: *const isize,
    /// `rank` strides in **bytes** (negative and non-multiples of the item size allowed), or
    /// NULL for C-contiguous. Every element must lie within memory the caller owns.
    pub strides: *const isize,
}

/// `ndi_options.flags` bit: the callback may be called from several threads at once (it keeps
/// no unsynchronised state, including what `user_data` points to). Without it, callbacks run
/// on the calling thread only, whatever `threads` says.
pub const NDI_FLAG_THREAD_SAFE_CALLBACK: u32 = 1;

/// `ndi_options.threads` value: use the process-wide default (`ndi_set_default_threads`).
pub const NDI_THREADS_DEFAULT: i32 = -1;

/// `ndi_options.threads` value: use every available core.
pub const NDI_THREADS_ALL: i32 = 0;

/// Options shared by every function. Fill with `ndi_options_init`, then change fields; pass
/// NULL for defaults. New fields are only ever appended, and `struct_size` tells the library
/// which fields the caller's version of the struct has.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ndi_options {
    /// `sizeof(ndi_options)` as the caller compiled it.
    pub struct_size: usize,
    /// Bit set of `NDI_FLAG_*`; other bits must be 0.
    pub flags: u32,
    /// Imaginary part of `cval` for complex arrays (interpolation functions); default 0.
    pub cval_imag: f64,
    /// Threads to run on: `NDI_THREADS_DEFAULT` (the default, -1), `NDI_THREADS_ALL` (0), or a
    /// count from 1 (the calling thread only; no thread is started) to 1024. Functions that
    /// take a callback use more than the calling thread only with
    /// `NDI_FLAG_THREAD_SAFE_CALLBACK`. Results are identical for every thread count.
    pub threads: i32,
}

impl Default for ndi_options {
    fn default() -> Self {
        ndi_options {
            struct_size: std::mem::size_of::<ndi_options>(),
            flags: 0,
            cval_imag: 0.0,
            threads: NDI_THREADS_DEFAULT,
        }
    }
}

impl ndi_options {
    /// The thread count a call runs on. Calls with a callback (`has_callback`) run on the
    /// calling thread unless the callback was declared thread-safe.
    pub(crate) fn threads_for(&self, has_callback: bool) -> Result<usize, Error> {
        if has_callback && self.flags & NDI_FLAG_THREAD_SAFE_CALLBACK == 0 {
            return Ok(1);
        }
        let threads = match self.threads {
            NDI_THREADS_DEFAULT => Threads::Default,
            NDI_THREADS_ALL => Threads::All,
            n if n > 0 => Threads::Count(n as usize),
            n => {
                return Err(Error::InvalidArgument(format!(
                "options.threads is {n}; use NDI_THREADS_DEFAULT, NDI_THREADS_ALL or a count >= 1"
            )))
            }
        };
        threads.resolve()
    }
}

/// Fills `options` with the defaults of this library version (does nothing if NULL).
///
/// # Safety
/// `options` must be NULL or point to writable memory of `sizeof(ndi_options)` bytes.
#[no_mangle]
pub unsafe extern "C" fn ndi_options_init(options: *mut ndi_options) {
    if !options.is_null() {
        // SAFETY: the caller provides a writable ndi_options (possibly unaligned-safe write).
        unsafe { options.write_unaligned(ndi_options::default()) };
    }
}

/// Reads the caller's options, accepting older (shorter) and newer (longer, unknown tail
/// zero) versions of the struct.
///
/// # Safety
/// `options` is NULL or points to `struct_size` readable bytes.
pub(crate) unsafe fn read_options(options: *const ndi_options) -> Result<ndi_options, Error> {
    let mut result = ndi_options::default();
    if options.is_null() {
        return Ok(result);
    }
    // SAFETY: a non-NULL options pointer starts with struct_size (caller's contract).
    let size = unsafe { std::ptr::read_unaligned(options as *const usize) };
    let ours = std::mem::size_of::<ndi_options>();
    if size < std::mem::size_of::<usize>() || size > 1 << 16 {
        return Err(Error::InvalidArgument(format!(
            "options.struct_size is {size}; initialise options with ndi_options_init"
        )));
    }
    let bytes = options as *const u8;
    // SAFETY: the caller's struct has `size` readable bytes; we copy at most that many into
    // our own struct and read the rest only to check it is zero.
    unsafe {
        std::ptr::copy_nonoverlapping(bytes, &mut result as *mut _ as *mut u8, size.min(ours));
        for k in ours..size {
            if *bytes.add(k) != 0 {
                return Err(Error::InvalidArgument(
                    "options has fields unknown to this library version set to non-zero".into(),
                ));
            }
        }
    }
    result.struct_size = size;
    if result.flags & !NDI_FLAG_THREAD_SAFE_CALLBACK != 0 {
        return Err(Error::InvalidArgument(format!(
            "options.flags {:#x} has unknown bits set",
            result.flags
        )));
    }
    result.threads_for(false)?;
    Ok(result)
}

pub(crate) fn dtype_from_code(code: ndi_dtype, name: &str) -> Result<DType, Error> {
    usize::try_from(code)
        .ok()
        .and_then(|c| DType::ALL.get(c).copied())
        .ok_or_else(|| Error::InvalidArray(format!("{name}: unknown dtype code {code}")))
}

pub(crate) fn mode_from_code(code: ndi_mode) -> Result<Mode, Error> {
    usize::try_from(code)
        .ok()
        .and_then(|c| Mode::ALL.get(c).copied())
        .ok_or_else(|| Error::InvalidArgument(format!("unknown boundary mode code {code}")))
}

/// Reads `len` values from a C array argument; NULL is an error unless `len` is 0.
///
/// # Safety
/// `ptr` is NULL or points to `len` readable values.
pub(crate) unsafe fn c_slice<'a, T>(
    ptr: *const T,
    len: usize,
    name: &str,
) -> Result<&'a [T], Error> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Error::NullPointer(name.to_string()));
    }
    // SAFETY: caller's contract; non-NULL, `len` elements. Alignment is the C type's own.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Validates a descriptor and returns its layout and data pointer.
///
/// # Safety
/// `array` is NULL or points to a readable `ndi_array` whose `shape`/`strides` pointers hold
/// `rank` values.
unsafe fn layout_of(array: *const ndi_array, name: &str) -> Result<(Layout, *mut u8, bool), Error> {
    if array.is_null() {
        return Err(Error::NullPointer(name.to_string()));
    }
    // SAFETY: non-NULL descriptor from the caller.
    let a = unsafe { std::ptr::read_unaligned(array) };
    // A complex array is described by its real parts' layout; the imaginary parts follow each
    // real part at the part's size.
    let (dtype, complex) = match a.dtype {
        NDI_DTYPE_COMPLEX64 => (DType::Float32, true),
        NDI_DTYPE_COMPLEX128 => (DType::Float64, true),
        code => (dtype_from_code(code, name)?, false),
    };
    if a.rank < 1 || a.rank > NDI_MAX_RANK {
        return Err(Error::InvalidArray(format!(
            "{name}: rank {} is outside 1..={NDI_MAX_RANK}",
            a.rank
        )));
    }
    let rank = a.rank as usize;
    // SAFETY: caller's contract on shape/strides.
    let shape_c = unsafe { c_slice(a.shape, rank, &format!("{name}.shape"))? };
    let mut shape = Vec::with_capacity(rank);
    for (axis, &n) in shape_c.iter().enumerate() {
        if n < 0 {
            return Err(Error::InvalidArray(format!(
                "{name}: negative size {n} on axis {axis}"
            )));
        }
        shape.push(n as usize);
    }
    let contiguous_complex;
    let strides = if !a.strides.is_null() {
        // SAFETY: caller's contract.
        Some(unsafe { c_slice(a.strides, rank, "strides")? })
    } else if complex {
        // C order of whole complex elements (the parts' layout alone would be half as wide).
        let mut strides = vec![0isize; rank];
        let mut step = 2 * dtype.item_size() as isize;
        for axis in (0..rank).rev() {
            strides[axis] = step;
            step = step
                .checked_mul(shape[axis].max(1) as isize)
                .ok_or_else(|| {
                    Error::InvalidArray(format!("{name}: size overflows the address space"))
                })?;
        }
        contiguous_complex = strides;
        Some(&contiguous_complex[..])
    } else {
        None
    };
    let layout = Layout::named(name, dtype, &shape, strides)?;
    let data = a.data as *mut u8;
    if !layout.is_empty() {
        if data.is_null() {
            return Err(Error::NullPointer(format!("{name}.data")));
        }
        // The addressed bytes must not wrap around the address space.
        let (lo, mut hi) = layout.span();
        if complex {
            hi = hi.checked_add(dtype.item_size() as isize).ok_or_else(|| {
                Error::InvalidArray(format!("{name}: size overflows the address space"))
            })?;
        }
        let base = data as usize;
        if base.checked_add_signed(lo).is_none() || base.checked_add_signed(hi).is_none() {
            return Err(Error::InvalidArray(format!(
                "{name}: strides reach outside the address space"
            )));
        }
    }
    Ok((layout, data, complex))
}

fn no_complex(name: &str) -> Error {
    Error::InvalidArray(format!(
        "{name}: complex arrays are not supported by this function"
    ))
}

/// An input descriptor as a read-only view.
///
/// # Safety
/// As [`layout_of`], and the described memory is readable for `'a`.
pub(crate) unsafe fn input_view<'a>(
    array: *const ndi_array,
    name: &str,
) -> Result<ArrayRef<'a>, Error> {
    match unsafe { input_parts(array, name)? } {
        Parts::Real(view) => Ok(view),
        Parts::Complex(..) => Err(no_complex(name)),
    }
}

/// An output descriptor as a writable view; rejects layouts whose elements overlap.
///
/// # Safety
/// As [`layout_of`], and the described memory is writable for `'a`.
pub(crate) unsafe fn output_view<'a>(
    array: *const ndi_array,
    name: &str,
) -> Result<ArrayMut<'a>, Error> {
    match unsafe { output_parts(array, name)? } {
        Parts::Real(view) => Ok(view),
        Parts::Complex(..) => Err(no_complex(name)),
    }
}

/// A real array, or the real and imaginary parts of a complex one as two real views.
pub(crate) enum Parts<V> {
    Real(V),
    Complex(V, V),
}

/// An input descriptor as views of its parts.
///
/// # Safety
/// As [`layout_of`], and the described memory is readable for `'a`.
pub(crate) unsafe fn input_parts<'a>(
    array: *const ndi_array,
    name: &str,
) -> Result<Parts<ArrayRef<'a>>, Error> {
    // SAFETY: forwarded caller contract.
    let (layout, data, complex) = unsafe { layout_of(array, name)? };
    let part = layout.dtype().item_size();
    // SAFETY: validated descriptor of caller memory readable for 'a; the imaginary parts lie
    // `part` bytes after the real ones, inside each complex element.
    unsafe {
        Ok(if complex {
            Parts::Complex(
                ArrayRef::from_raw(data, layout.clone()),
                ArrayRef::from_raw(data.wrapping_add(part), layout),
            )
        } else {
            Parts::Real(ArrayRef::from_raw(data, layout))
        })
    }
}

/// An output descriptor as writable views of its parts; rejects layouts whose elements
/// overlap.
///
/// # Safety
/// As [`layout_of`], and the described memory is writable for `'a`.
pub(crate) unsafe fn output_parts<'a>(
    array: *const ndi_array,
    name: &str,
) -> Result<Parts<ArrayMut<'a>>, Error> {
    // SAFETY: forwarded caller contract.
    let (layout, data, complex) = unsafe { layout_of(array, name)? };
    let part = layout.dtype().item_size();
    let item = if complex { 2 * part } else { part };
    if layout.elements_may_overlap_as(item) {
        return Err(Error::InvalidArray(format!(
            "{name}: strides make distinct elements overlap in memory"
        )));
    }
    // SAFETY: validated, non-self-overlapping descriptor of caller memory writable for 'a;
    // the real and imaginary views address disjoint bytes.
    unsafe {
        Ok(if complex {
            Parts::Complex(
                ArrayMut::from_raw(data, layout.clone()),
                ArrayMut::from_raw(data.wrapping_add(part), layout),
            )
        } else {
            Parts::Real(ArrayMut::from_raw(data, layout))
        })
    }
}

impl Parts<ArrayMut<'_>> {
    /// Address range of every byte the output can be written at.
    pub(crate) fn byte_range(&self) -> (usize, usize) {
        match self {
            Parts::Real(v) => v.byte_range(),
            Parts::Complex(re, im) => {
                let (a, b) = (re.byte_range(), im.byte_range());
                (a.0.min(b.0), a.1.max(b.1))
            }
        }
    }
}

/// The input to compute from: the caller's view, or a private copy when it shares memory with
/// the output (so that writing never changes what is read).
pub(crate) enum Source<'a> {
    Borrowed(ArrayRef<'a>),
    Copied(OwnedArray),
}

impl<'a> Source<'a> {
    /// `output` is the address range the call writes (`ArrayMut::byte_range`).
    pub(crate) fn new(input: ArrayRef<'a>, output: (usize, usize)) -> Source<'a> {
        if ranges_overlap(input.byte_range(), output) {
            Source::Copied(input.to_owned_copy())
        } else {
            Source::Borrowed(input)
        }
    }

    pub(crate) fn view(&self) -> ArrayRef<'_> {
        match self {
            Source::Borrowed(v) => v.clone(),
            Source::Copied(o) => o.view(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::MAX_RANK;

    #[test]
    fn c_max_rank_is_the_core_limit() {
        assert_eq!(NDI_MAX_RANK as usize, MAX_RANK);
    }

    #[test]
    fn codes_follow_the_core_enums() {
        assert_eq!(mode_from_code(NDI_MODE_GRID_WRAP).unwrap(), Mode::GridWrap);
        assert_eq!(mode_from_code(NDI_MODE_REFLECT).unwrap(), Mode::Reflect);
        assert!(mode_from_code(8).is_err() && mode_from_code(-1).is_err());
        assert_eq!(
            dtype_from_code(NDI_DTYPE_FLOAT64, "x").unwrap(),
            DType::Float64
        );
        assert_eq!(dtype_from_code(NDI_DTYPE_BOOL, "x").unwrap(), DType::Bool);
        assert!(dtype_from_code(11, "x").is_err());
    }
}

/// A callback's `user_data`, shareable with worker threads.
#[derive(Clone, Copy)]
pub(crate) struct UserData(*mut c_void);

impl UserData {
    pub(crate) fn new(ptr: *mut c_void) -> Self {
        UserData(ptr)
    }
    /// The pointer (a method, so that closures capture the `Sync` wrapper, not the field).
    pub(crate) fn get(self) -> *mut c_void {
        self.0
    }
}

// SAFETY: the library only hands user_data to other threads when the call runs on more than
// one thread, which `ndi_options::threads_for` allows for callback functions only when the
// caller set NDI_FLAG_THREAD_SAFE_CALLBACK, promising the callback may use it concurrently.
unsafe impl Send for UserData {}
unsafe impl Sync for UserData {}
