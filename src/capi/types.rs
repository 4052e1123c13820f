//! C descriptors (arrays, options) and their validated conversion to core views.

use std::ffi::{c_int, c_void};

use super::codes::dtype_from_code;
use crate::array::{ArrayMut, ArrayRef, Layout};
use crate::error::Error;
use crate::parallel::Threads;

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
    pub dtype: super::ndi_dtype,
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

/// `ndi_options.flags` bit (interpolation functions only): the input holds the spline
/// coefficients the call would compute, as `ndi_spline_coefficients` computes them with the
/// call's `order`, `mode`, `cval` and `prefilter` (float64, `ndi_spline_padding` samples
/// wider on every side), so the call reads them as they are instead of prefiltering. The
/// result is the one the call gives the original input. With `prefilter` 0 or order <= 1
/// the call reads its input unfiltered anyway, and the flag changes nothing. For
/// `ndi_rotate` of rank > 2 the coefficients are those of each plane (padded on the plane's
/// axes only), as it prefilters each plane.
pub const NDI_FLAG_PREFILTERED: u32 = 2;

/// `ndi_options.threads` value: use the process-wide default (`ndi_set_default_threads`).
pub const NDI_THREADS_DEFAULT: i32 = -1;

/// `ndi_options.threads` value: use every available core.
pub const NDI_THREADS_ALL: i32 = 0;

/// A progress callback (`ndi_options.progress`): `fraction` of the call's work done so far
/// (0 to 1, non-decreasing, 1.0 last when the call succeeds), and the options'
/// `progress_user_data`. Called from the calling thread only, every few milliseconds of work
/// (at the latest between two output lines, or two points of a costly interpolation), while
/// the call runs on any number of threads. Return 1 to go on, 0 to cancel: the call then
/// stops promptly with `NDI_ERR_CANCELLED` and the callback is not called again. A function
/// with a callback leaves what a failing callback leaves (on one thread, the elements or
/// lines before the point of cancellation); other functions leave their output partly
/// written. Calls made from inside a callback (or from the progress callback) report to
/// their own options' progress callback only.
pub type ndi_progress_func =
    Option<unsafe extern "C" fn(fraction: f64, user_data: *mut c_void) -> c_int>;

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
    /// Imaginary part of `cval` for complex arrays; default 0.
    pub cval_imag: f64,
    /// Threads to run on: `NDI_THREADS_DEFAULT` (the default, -1), `NDI_THREADS_ALL` (0), or a
    /// count from 1 (the calling thread only; no thread is started) to 1024. Functions that
    /// take a callback use more than the calling thread only with
    /// `NDI_FLAG_THREAD_SAFE_CALLBACK`. Results are identical for every thread count.
    pub threads: i32,
    /// Called from the calling thread every few milliseconds while the call runs (on any
    /// number of threads), or NULL (the default) for none.
    pub progress: ndi_progress_func,
    /// Passed to `progress` unchanged.
    pub progress_user_data: *mut c_void,
    /// How the minimum, maximum, rank, median and percentile filters and grey morphology
    /// treat NaN: `NDI_NAN_SCIPY` (the default: scipy's result exactly), `NDI_NAN_PROPAGATE`
    /// or `NDI_NAN_OMIT`. 0 (what a zeroed struct holds) means `NDI_NAN_SCIPY`. Other
    /// functions ignore it.
    pub nan_policy: super::rank::ndi_nan_policy,
    /// Output region (interpolation functions only; NULL elsewhere): with `output_shape`,
    /// output-rank values, both NULL (the default) or both set. The output array is the box
    /// of a whole output of shape `output_shape` whose first element is at index
    /// `output_origin` (each >= 0, the box inside the whole). Every coordinate is computed
    /// from whole-output indices exactly as the call over the whole output computes it
    /// (shift's and affine_transform's `o`, zoom's factors from the whole shapes, rotate's
    /// shape and centring, the mapping's output index), so the box holds the whole output's
    /// values there. For `ndi_map_coordinates` the coordinates array is the box's and the
    /// region only has its bounds checked.
    pub output_origin: *const isize,
    /// Shape of the whole output; see `output_origin`.
    pub output_shape: *const isize,
    /// Input region (interpolation functions only; NULL elsewhere): with `input_shape`,
    /// input-rank values, both NULL (the default) or both set. The input array is the box of
    /// a whole input of shape `input_shape` (with `NDI_FLAG_PREFILTERED`: of the whole
    /// coefficient array, padding included) whose first element is at index `input_origin`.
    /// The boundary modes act on the whole input. Every support point the output reads must
    /// lie inside the box: a point that leaves it is `NDI_ERR_INVALID_ARGUMENT`, the message
    /// naming the output index and the input index (in the whole array), found before
    /// anything is written (except by `ndi_geometric_transform`, which calls the mapping
    /// once per point: the elements before that point are written). With the prefilter on
    /// (order > 1) an input region needs `NDI_FLAG_PREFILTERED`: the prefilter reads whole
    /// lines. This is how tile-based callers (zarr, dask, streaming) evaluate a box of a
    /// large transform from a box of its input: prefilter once with
    /// `ndi_spline_coefficients` (or line by line with `ndi_spline_filter1d` on the padded
    /// input), then read for each output box the input box its supports need.
    pub input_origin: *const isize,
    /// Shape of the whole input (or coefficient array); see `input_origin`.
    pub input_shape: *const isize,
}

impl Default for ndi_options {
    fn default() -> Self {
        ndi_options {
            struct_size: std::mem::size_of::<ndi_options>(),
            flags: 0,
            cval_imag: 0.0,
            threads: NDI_THREADS_DEFAULT,
            progress: None,
            progress_user_data: std::ptr::null_mut(),
            nan_policy: crate::filters::NanPolicy::Scipy as i32,
            output_origin: std::ptr::null(),
            output_shape: std::ptr::null(),
            input_origin: std::ptr::null(),
            input_shape: std::ptr::null(),
        }
    }
}

impl ndi_options {
    /// The NaN policy (`nan_policy`; 0 is the default).
    pub(crate) fn nan_policy(&self) -> Result<crate::filters::NanPolicy, Error> {
        if self.nan_policy == 0 {
            return Ok(crate::filters::NanPolicy::Scipy);
        }
        crate::filters::NanPolicy::try_from(self.nan_policy).map_err(|code| {
            Error::InvalidArgument(format!(
                "options.nan_policy {code:#x} is not an NDI_NAN_* code"
            ))
        })
    }

    /// Whether any field of a tile (regions, prefiltered coefficients) is set.
    pub(crate) fn has_tile(&self) -> bool {
        self.flags & NDI_FLAG_PREFILTERED != 0
            || !self.output_origin.is_null()
            || !self.output_shape.is_null()
            || !self.input_origin.is_null()
            || !self.input_shape.is_null()
    }

    /// The thread count a call runs on. Calls with a callback (`has_callback`) run on the
    /// calling thread unless the callback was declared thread-safe.
    pub(crate) fn threads_for(&self, has_callback: bool) -> Result<Threads, Error> {
        if has_callback && self.flags & NDI_FLAG_THREAD_SAFE_CALLBACK == 0 {
            return Ok(Threads::Count(1));
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
        Ok(Threads::Count(threads.resolve()?))
    }
}

/// Fills `options`, a struct of `struct_size` bytes as the caller compiled it
/// (`sizeof(ndi_options)`), with the defaults of this library version, and sets its
/// `struct_size`. Writes at most `struct_size` bytes, so a program built against an older or
/// newer header is safe; fields beyond what this library knows are zeroed. Does nothing if
/// `options` is NULL or `struct_size` is smaller than the `struct_size` field.
///
/// # Safety
/// `options` must be NULL or point to `struct_size` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn ndi_options_init(options: *mut ndi_options, struct_size: usize) {
    if options.is_null() || struct_size < std::mem::size_of::<usize>() {
        return;
    }
    let defaults = ndi_options {
        struct_size,
        ..ndi_options::default()
    };
    let ours = std::mem::size_of::<ndi_options>();
    let bytes = options as *mut u8;
    // SAFETY: the caller provides `struct_size` writable bytes; we write at most that many,
    // copying from our own (fully initialised, padding included through the zeroing below)
    // defaults and zeroing any tail beyond our struct.
    unsafe {
        let mut zeroed = std::mem::MaybeUninit::<ndi_options>::zeroed();
        zeroed.as_mut_ptr().write(defaults);
        std::ptr::copy_nonoverlapping(zeroed.as_ptr() as *const u8, bytes, struct_size.min(ours));
        if struct_size > ours {
            std::ptr::write_bytes(bytes.add(ours), 0, struct_size - ours);
        }
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
    // our own struct (whose fields accept any bit pattern: integers, a double, and nullable
    // pointers) and read the rest only to check it is zero.
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
    if result.flags & !(NDI_FLAG_THREAD_SAFE_CALLBACK | NDI_FLAG_PREFILTERED) != 0 {
        return Err(Error::InvalidArgument(format!(
            "options.flags {:#x} has unknown bits set",
            result.flags
        )));
    }
    result.threads_for(false)?;
    result.nan_policy()?;
    Ok(result)
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
    // No C array holds more than isize::MAX bytes: a longer count is a bad argument (and
    // beyond what a slice may span).
    if !matches!(len.checked_mul(std::mem::size_of::<T>()), Some(bytes) if bytes <= isize::MAX as usize)
    {
        return Err(Error::InvalidArgument(format!(
            "{name}: {len} values exceed the address space"
        )));
    }
    // SAFETY: caller's contract; non-NULL, `len` elements (at most isize::MAX bytes, checked
    // above). Alignment is the C type's own.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Validates a descriptor and returns its layout and data pointer.
///
/// # Safety
/// `array` is NULL or points to a readable `ndi_array` whose `shape`/`strides` pointers hold
/// `rank` values.
unsafe fn layout_of(array: *const ndi_array, name: &str) -> Result<(Layout, *mut u8), Error> {
    if array.is_null() {
        return Err(Error::NullPointer(name.to_string()));
    }
    // SAFETY: non-NULL descriptor from the caller.
    let a = unsafe { std::ptr::read_unaligned(array) };
    let dtype = dtype_from_code(a.dtype, name)?;
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
    let strides = if a.strides.is_null() {
        None
    } else {
        // SAFETY: caller's contract.
        Some(unsafe { c_slice(a.strides, rank, &format!("{name}.strides"))? })
    };
    let layout = Layout::named(name, dtype, &shape, strides)?;
    let data = a.data as *mut u8;
    if !layout.is_empty() {
        if data.is_null() {
            return Err(Error::NullPointer(format!("{name}.data")));
        }
        // The addressed bytes lie within the address space a process can have: no wrapping
        // below 0, nothing at or beyond 2^63.
        let (lo, hi) = layout.span();
        let base = data as usize;
        let inside = |end: Option<usize>| end.is_some_and(|e| e <= isize::MAX as usize);
        if !inside(base.checked_add_signed(lo)) || !inside(base.checked_add_signed(hi)) {
            return Err(Error::InvalidArray(format!(
                "{name}: strides reach outside the address space"
            )));
        }
    }
    Ok((layout, data))
}

/// An input descriptor as a read-only view (a complex array stays one view of complex
/// elements; the core splits it into parts where it supports complex data).
///
/// # Safety
/// As [`layout_of`], and the described memory is readable for `'a`.
pub(crate) unsafe fn input_view<'a>(
    array: *const ndi_array,
    name: &str,
) -> Result<ArrayRef<'a>, Error> {
    // SAFETY: forwarded caller contract.
    let (layout, data) = unsafe { layout_of(array, name)? };
    // SAFETY: validated descriptor of caller memory readable for 'a.
    Ok(unsafe { ArrayRef::from_raw(data, layout) })
}

/// An output descriptor as a writable view; rejects layouts whose elements overlap.
///
/// # Safety
/// As [`layout_of`], and the described memory is writable for `'a`.
pub(crate) unsafe fn output_view<'a>(
    array: *const ndi_array,
    name: &str,
) -> Result<ArrayMut<'a>, Error> {
    // SAFETY: forwarded caller contract.
    let (layout, data) = unsafe { layout_of(array, name)? };
    if layout.elements_may_overlap() {
        return Err(Error::InvalidArray(format!(
            "{name}: strides make distinct elements overlap in memory"
        )));
    }
    // SAFETY: validated, non-self-overlapping descriptor of caller memory writable for 'a.
    Ok(unsafe { ArrayMut::from_raw(data, layout) })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::MAX_RANK;

    #[test]
    fn c_max_rank_is_the_core_limit() {
        assert_eq!(NDI_MAX_RANK as usize, MAX_RANK);
    }
}
