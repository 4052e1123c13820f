//! Structure-aware fuzzing of every C entry point, shared by the bounded property tests
//! (`tests/fuzz_entry_points.rs`, stable `cargo test`) and the `cargo fuzz` targets
//! (`fuzz/`, nightly, long runs).
//!
//! A case is drawn for one row of the table ([`table::ROWS`]: a function and the roles of its
//! parameters) from a [`Draw`] (fuzz bytes or a seeded generator): descriptors of random
//! ranks, shapes, byte strides (negative, unaligned, zero, overlapping), dtypes and codes, now
//! and then broken (NULL, out-of-range codes, overflowing sizes, spans beyond the address
//! space), over small real buffers in one arena with guard bytes between them; inputs and
//! argument arrays sometimes placed in the output's memory; options with thread counts, flags
//! and a progress callback that may cancel; callbacks that may fail. The invariants
//! ([`check`]):
//!
//! - no crash, and no `NDI_ERR_INTERNAL` (a caught panic);
//! - the message is empty after `NDI_OK`, and names the function after an error;
//! - an error other than a callback failure or a cancellation leaves every byte of the arena
//!   as it was; any call writes nothing but the elements of its outputs;
//! - progress reports come from the calling thread, non-decreasing in [0, 1], 1.0 last after
//!   a success, none after a cancel, and a cancel gives `NDI_ERR_CANCELLED`;
//! - a successful call gives the same bytes on 1 and on 3 threads, and with every input in
//!   separate memory as with the aliased placement drawn.
//!
//! A new entry point is one row of `table.rs` (its parameters' roles, in order); a new role
//! is a field of [`Call`] and its drawing in [`Case::draw_role`].

#![allow(dead_code)]

pub mod table;

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use ndimage::capi::*;

pub use table::{Row, ROWS};

// ---- choices ------------------------------------------------------------------------------

/// Where a case's choices come from: fuzz input bytes (exhausted: zeros, the first option
/// of every choice), or a seeded generator.
pub struct Draw<'a> {
    bytes: &'a [u8],
    state: Option<u64>,
}

impl<'a> Draw<'a> {
    pub fn from_bytes(bytes: &'a [u8]) -> Self {
        Draw { bytes, state: None }
    }

    pub fn seeded(seed: u64) -> Draw<'static> {
        Draw {
            bytes: &[],
            state: Some(seed ^ 0x9e37_79b9_7f4a_7c15),
        }
    }

    pub fn u64(&mut self) -> u64 {
        match &mut self.state {
            Some(s) => {
                // splitmix64
                *s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = *s;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^ (z >> 31)
            }
            None => {
                let mut v = [0u8; 8];
                let n = self.bytes.len().min(8);
                v[..n].copy_from_slice(&self.bytes[..n]);
                self.bytes = &self.bytes[n..];
                u64::from_le_bytes(v)
            }
        }
    }

    /// A byte (one byte of fuzz input).
    pub fn byte(&mut self) -> u8 {
        match self.state {
            Some(_) => self.u64() as u8,
            None => match self.bytes.split_first() {
                Some((&b, rest)) => {
                    self.bytes = rest;
                    b
                }
                None => 0,
            },
        }
    }

    /// 0 to n - 1.
    pub fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        if n <= 256 {
            self.byte() as usize % n
        } else {
            (self.u64() % n as u64) as usize
        }
    }

    /// true with probability `percent`%.
    pub fn chance(&mut self, percent: usize) -> bool {
        // With fuzz bytes exhausted (0) this is false: the default is the valid value.
        let b = self.byte() as usize;
        b != 0 && b % 100 < percent
    }

    pub fn pick<T: Copy>(&mut self, options: &[T]) -> T {
        options[self.below(options.len())]
    }

    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }
}

// ---- the call -----------------------------------------------------------------------------

/// The arguments of every entry point, by role (the parameter names of `table.rs`).
#[derive(Clone, Copy)]
pub struct Call {
    pub input: *const ndi_array,
    pub output: *const ndi_array,
    /// An output of the input's shape that must be complex (fourier_shift).
    pub output_complex: *const ndi_array,
    pub output_free: *const ndi_array,
    pub output_coords: *const ndi_array,
    pub footprint: *const ndi_array,
    pub coordinates: *const ndi_array,
    pub size: *const isize,
    pub origins: *const isize,
    pub filter_size: isize,
    pub origin: isize,
    pub axis: i32,
    pub axis0: i32,
    pub axis1: i32,
    pub order: i32,
    pub mode: i32,
    pub prefilter: i32,
    pub grid_mode: i32,
    pub reshape: i32,
    pub rank: i32,
    pub thread_count: i32,
    pub cval: f64,
    pub angle: f64,
    pub shift: *const f64,
    pub offset: *const f64,
    pub zoom: *const f64,
    pub matrix: *const f64,
    pub matrix_shape: *const isize,
    pub matrix_ndim: i32,
    pub filter_cb: ndi_filter_func,
    pub filter1d_cb: ndi_filter1d_func,
    pub transform_cb: ndi_transform_func,
    pub user_data: *mut c_void,
    pub shape: *const isize,
    pub out_shape: *mut isize,
    pub identity: *mut i32,
    pub mode_name: *const c_char,
    pub mode_out: *mut i32,
    pub options: *const ndi_options,
    pub status_code: i32,
    pub options_out: *mut ndi_options,
    pub struct_size: usize,
    // The filters' roles (linear, order, morphology, ...).
    /// A 1-D weights array (correlate1d, convolve1d).
    pub weights1d: *const ndi_array,
    /// Weights of the filtered axes' rank (correlate, convolve).
    pub weights: *const ndi_array,
    /// Per-axis box sizes where sizes of 1 or less skip the axis (uniform_filter): one
    /// value per input axis is drawn (at least one per filtered axis), as for every per-axis
    /// role below.
    pub sizes: *const isize,
    /// `n_axes` axes or NULL (every axis); drawn together with `n_axes`.
    pub axes: *const i32,
    pub n_axes: i32,
    /// Per-axis modes, or NULL (then `mode` everywhere).
    pub modes: *const i32,
    /// Per-axis gaussian sigmas (at most 1e-15: the axis is skipped).
    pub sigmas: *const f64,
    /// Per-axis derivative orders, or NULL for zeros.
    pub gauss_orders: *const c_int,
    /// Per-axis radii (negative: from truncate), or NULL.
    pub radii: *const isize,
    pub sigma: f64,
    pub gauss_order: c_int,
    pub truncate: f64,
    /// A gaussian filter's radius (negative: from truncate).
    pub radius: isize,
    /// ndi_gaussian_kernel1d's radius (>= 0) and the length of its output (2 radius + 1).
    pub kernel_radius: isize,
    pub length: isize,
    pub kernel_out: *mut f64,
    pub kernel_cb: ndi_kernel1d_func,
    pub derivative_cb: ndi_derivative_func,
    /// The user data of ndi_derivative_sobel/prewitt: NULL or an ndi_options.
    pub deriv_options: *mut c_void,
    /// The order filters' modes: `n_modes` of them (1, or one per filtered axis), drawn
    /// together with `n_modes`.
    pub mode_list: *const i32,
    pub n_modes: i32,
    /// rank_filter's rank (negative: from the largest).
    pub filter_rank: isize,
    pub percentile: f64,
    /// Grey morphology's additive structure (NULL, or of the filtered axes' rank).
    pub grey_structure: *const ndi_array,
    /// The Fourier filters' per-axis sigmas or sizes (`rank` values, not NULL).
    pub fourier_sizes: *const f64,
    /// The real-FFT length of axis `axis` (negative: a full spectrum).
    pub fourier_n: isize,
    /// Binary morphology: structuring elements of the input's rank (non-zero = true) or
    /// NULL (the default cross), a mask of the input's shape or NULL, iterations (< 1: until
    /// nothing changes), the border value, hit_or_miss's second origins (as `origins`).
    pub structure: *const ndi_array,
    pub structure2: *const ndi_array,
    pub mask: *const ndi_array,
    pub iterations: i64,
    pub border_value: i32,
    pub origins2: *const isize,
    /// generate_binary_structure's output (size 3 on every axis) and connectivity.
    pub structure_output: *const ndi_array,
    pub connectivity: f64,
    /// iterate_structure's structure (not NULL), its iterations (< 2: the structure itself)
    /// and its output (of the iterated shape).
    pub structure_in: *const ndi_array,
    pub structure_iterations: i64,
    pub iterated_output: *const ndi_array,
    /// The distance transforms: `rank` spacings or NULL, the two outputs (either NULL), the
    /// brute-force metric code, the chamfer metric array (NULL: chessboard), and
    /// ndi_metric_from_string's name and result.
    pub sampling: *const f64,
    pub distances: *const ndi_array,
    pub indices: *const ndi_array,
    pub metric: i32,
    pub chamfer_metric: *const ndi_array,
    pub metric_name: *const c_char,
    pub metric_out: *mut i32,
    /// The spline helpers: ndi_spline_padding's result, and ndi_spline_coefficients'
    /// output (the input's shape plus twice the padding on every axis).
    pub npad: *mut isize,
    pub coeff_output: *const ndi_array,
    /// vectorized_filter's batch size in bytes (0: the default) and batched callback.
    pub batch_memory: usize,
    pub vectorized_cb: ndi_vectorized_func,
    /// The statistics: labels of the input's shape (small integers; NULL with
    /// NDI_SELECT_ALL), the selection code, the index values (small integers), the output
    /// of one element per group (center_of_mass: `rank` per group), the positions (int64,
    /// `rank` per group), extrema's four outputs (each may be NULL).
    pub labels: *const ndi_array,
    pub select: i32,
    pub index: *const ndi_array,
    pub stat_output: *const ndi_array,
    pub com_output: *const ndi_array,
    pub positions: *const ndi_array,
    pub extrema_minimum: *const ndi_array,
    pub extrema_maximum: *const ndi_array,
    pub extrema_min_positions: *const ndi_array,
    pub extrema_max_positions: *const ndi_array,
    /// histogram: `n_edges` bin edges (drawn together), the counts (int64, groups x bins),
    /// the group sizes (int64, one per group, or NULL).
    pub edges: *const f64,
    pub n_edges: isize,
    pub hist_counts: *const ndi_array,
    pub group_sizes: *const ndi_array,
    /// labeled_comprehension: the callback, the NDI_PASS_* bits, the default value, the
    /// output (one element per group, or NULL).
    pub label_cb: ndi_label_func,
    pub pass_flags: u32,
    pub default_value: f64,
    pub comp_output: *const ndi_array,
    /// label and watershed_ift: a structure of extent 3 on every axis, symmetric through its
    /// centre (or NULL: the face neighbours); label's and find_objects' count (written, or
    /// NULL).
    pub label_structure: *const ndi_array,
    pub num_labels: *mut isize,
    /// find_objects: the largest label (< 1: the largest present) and the boxes (int64,
    /// labels x rank x 2, or NULL to receive the count).
    pub max_label: isize,
    pub boxes: *const ndi_array,
    /// value_indices: the ignored value (a one-element integer array, or NULL), the three
    /// results (all NULL to receive the sizes) and the two sizes.
    pub ignore_value: *const ndi_array,
    pub vi_values: *const ndi_array,
    pub vi_counts: *const ndi_array,
    pub vi_indices: *const ndi_array,
    pub num_values: *mut isize,
    pub num_positions: *mut isize,
    /// watershed_ift's markers (signed integers of the input's shape).
    pub markers: *const ndi_array,
}

// ---- callbacks ----------------------------------------------------------------------------

/// What the callbacks share through `user_data`.
pub struct CallbackState {
    pub calls: AtomicU64,
    /// Fail at this call (0: never).
    pub fail_at: u64,
    /// A library call made by a callback that failed on its own (its message): the library
    /// handed the callback arguments it rejects.
    pub inner_failure: Mutex<Option<String>>,
    /// A callback declined its arguments (a failure of its own, as `fail_at`).
    pub refused: std::sync::atomic::AtomicBool,
}

fn note(user_data: *mut c_void) -> c_int {
    if user_data.is_null() {
        return 1;
    }
    // SAFETY: the harness passes a CallbackState that outlives the call.
    let s = unsafe { &*(user_data as *const CallbackState) };
    let n = s.calls.fetch_add(1, Ordering::Relaxed) + 1;
    (s.fail_at == 0 || n != s.fail_at) as c_int
}

unsafe extern "C" fn filter_cb(
    buffer: *mut f64,
    size: isize,
    result: *mut f64,
    user_data: *mut c_void,
) -> c_int {
    // SAFETY: the library's contract: `size` values and one result.
    let values = unsafe { std::slice::from_raw_parts(buffer, size as usize) };
    let mut acc = 0.0;
    for (k, v) in values.iter().enumerate() {
        acc += v * (k as f64 + 0.5);
    }
    unsafe { *result = acc };
    note(user_data)
}

unsafe extern "C" fn filter1d_cb(
    input: *mut f64,
    in_len: isize,
    output: *mut f64,
    out_len: isize,
    user_data: *mut c_void,
) -> c_int {
    // SAFETY: the library's contract: the two lines and their lengths.
    let (i, o) = unsafe {
        (
            std::slice::from_raw_parts(input, in_len as usize),
            std::slice::from_raw_parts_mut(output, out_len as usize),
        )
    };
    let fs = in_len - out_len + 1;
    for (j, v) in o.iter_mut().enumerate() {
        *v = i[j] - 0.5 * i[j + fs as usize - 1] + 0.25 * i[j + fs as usize / 2];
    }
    note(user_data)
}

unsafe extern "C" fn transform_cb(
    oc: *mut isize,
    ic: *mut f64,
    orank: c_int,
    irank: c_int,
    user_data: *mut c_void,
) -> c_int {
    // SAFETY: the library's contract: the two coordinate arrays and their ranks.
    let (o, i) = unsafe {
        (
            std::slice::from_raw_parts(oc, orank as usize),
            std::slice::from_raw_parts_mut(ic, irank as usize),
        )
    };
    for (a, c) in i.iter_mut().enumerate() {
        // Every coordinate written (the thread-safe contract).
        *c = o[a % o.len().max(1)] as f64 * 0.75 + a as f64 * 0.5 - 0.25;
    }
    note(user_data)
}

unsafe extern "C" fn vectorized_cb(
    windows: *mut f64,
    n_windows: isize,
    window_size: isize,
    results: *mut f64,
    user_data: *mut c_void,
) -> c_int {
    // SAFETY: the library's contract: the windows (which may be overwritten) and one result
    // per window.
    let (w, r) = unsafe {
        (
            std::slice::from_raw_parts_mut(windows, (n_windows * window_size) as usize),
            std::slice::from_raw_parts_mut(results, n_windows as usize),
        )
    };
    for (k, out) in r.iter_mut().enumerate() {
        let window = &mut w[k * window_size as usize..(k + 1) * window_size as usize];
        let mut acc = 0.0;
        for (j, v) in window.iter_mut().enumerate() {
            acc += *v * (j as f64 + 0.25);
            *v = f64::NAN; // the callback may overwrite its windows
        }
        *out = acc;
    }
    note(user_data)
}

unsafe extern "C" fn label_cb(
    values: *const f64,
    positions: *const isize,
    count: isize,
    entry: isize,
    result: *mut f64,
    user_data: *mut c_void,
) -> c_int {
    let n = count as usize;
    let mut acc = entry as f64 * 0.125;
    if !values.is_null() {
        // SAFETY: the library's contract: `count` values when passed.
        for (k, v) in unsafe { std::slice::from_raw_parts(values, n) }
            .iter()
            .enumerate()
        {
            acc += v * (k as f64 + 1.0);
        }
    }
    if !positions.is_null() {
        // SAFETY: as above, `count` positions.
        for p in unsafe { std::slice::from_raw_parts(positions, n) } {
            acc += *p as f64 * 0.5;
        }
    }
    // SAFETY: one writable result holding the default value.
    unsafe { *result = *result * 0.5 + acc };
    note(user_data)
}

unsafe extern "C" fn kernel_cb(
    axis: c_int,
    sigma: f64,
    order: c_int,
    radius: isize,
    kernel: *mut f64,
    user_data: *mut c_void,
) -> c_int {
    // SAFETY: the library's contract: 2 radius + 1 writable doubles.
    let k = unsafe { std::slice::from_raw_parts_mut(kernel, 2 * radius as usize + 1) };
    let n = k.len() as f64;
    for (i, v) in k.iter_mut().enumerate() {
        *v = 1.0 / n
            + (i as f64 - radius as f64) * 0.01 * (order as f64 + 1.0)
            + sigma * 1e-3
            + axis as f64 * 1e-4;
    }
    note(user_data)
}

unsafe extern "C" fn derivative_cb(
    input: *const ndi_array,
    axis: c_int,
    output: *const ndi_array,
    mode: i32,
    cval: f64,
    user_data: *mut c_void,
) -> c_int {
    // A complex input with a real output (or the reverse) is the derivative's to refuse
    // (scipy's sobel raises); the library passes the caller's output through.
    // SAFETY: the library's contract: two valid arrays of the same shape.
    let complex = |a: *const ndi_array| {
        matches!(
            unsafe { (*a).dtype },
            NDI_DTYPE_COMPLEX64 | NDI_DTYPE_COMPLEX128
        )
    };
    if complex(input) != complex(output) {
        if !user_data.is_null() {
            // SAFETY: as in `note`.
            let s = unsafe { &*(user_data as *const CallbackState) };
            s.refused.store(true, Ordering::Relaxed);
        }
        return 0;
    }
    // SAFETY: the library's contract: two valid arrays of the same shape, a mode.
    let ok = unsafe { ndi_derivative_sobel(input, axis, output, mode, cval, std::ptr::null_mut()) };
    if ok == 0 {
        if !user_data.is_null() {
            // SAFETY: as in `note`.
            let s = unsafe { &*(user_data as *const CallbackState) };
            // SAFETY: never NULL.
            let m = unsafe { CStr::from_ptr(ndi_last_error_message()) };
            *s.inner_failure.lock().unwrap() = Some(m.to_string_lossy().into_owned());
        }
        return 0;
    }
    note(user_data)
}

/// What a progress report saw.
#[derive(Default)]
pub struct ProgressState {
    pub caller: Option<std::thread::ThreadId>,
    pub fractions: Mutex<Vec<f64>>,
    pub off_thread: AtomicU64,
    /// Cancel at this report (0: never); set when it did.
    pub cancel_at: usize,
    pub cancelled: AtomicU64,
    pub after_cancel: AtomicU64,
}

unsafe extern "C" fn progress_cb(fraction: f64, user_data: *mut c_void) -> c_int {
    // SAFETY: the harness passes a ProgressState that outlives the call.
    let p = unsafe { &*(user_data as *const ProgressState) };
    if Some(std::thread::current().id()) != p.caller {
        p.off_thread.fetch_add(1, Ordering::Relaxed);
    }
    if p.cancelled.load(Ordering::Relaxed) != 0 {
        p.after_cancel.fetch_add(1, Ordering::Relaxed);
    }
    let mut f = p.fractions.lock().unwrap();
    f.push(fraction);
    if p.cancel_at != 0 && f.len() >= p.cancel_at {
        p.cancelled.store(1, Ordering::Relaxed);
        return 0;
    }
    1
}

// ---- cases --------------------------------------------------------------------------------

const GUARD: usize = 64;

/// A stretch of the arena.
#[derive(Clone, Copy, Debug)]
struct Region {
    at: usize,
    len: usize,
}

/// Where a descriptor's data points.
#[derive(Clone, Copy, Debug)]
enum Data {
    Null,
    /// Into region `region`, at `offset` bytes from its start.
    In {
        region: usize,
        offset: usize,
    },
    /// An address that no memory backs (the library must reject the descriptor).
    Wild(usize),
}

/// A drawn `ndi_array` descriptor.
#[derive(Clone, Debug)]
struct ArraySpec {
    role: &'static str,
    null: bool,
    dtype: i32,
    rank: i32,
    shape: Vec<isize>,
    shape_null: bool,
    strides: Option<Vec<isize>>,
    data: Data,
    /// The element layout, when the descriptor is valid (for the mask of written bytes).
    valid: Option<(usize, Vec<usize>, Vec<isize>)>,
    output: bool,
}

/// A drawn C array argument: `count` values of `item` bytes in region `region`, or NULL.
#[derive(Clone, Copy, Debug)]
struct ValuesSpec {
    role: &'static str,
    region: Option<usize>,
    /// Written by the function (out_shape, identity, mode_out, options_out).
    written: bool,
}

/// One drawn call of one row.
pub struct Case {
    pub row: &'static Row,
    arena: Vec<u8>,
    regions: Vec<Region>,
    /// Which regions were placed in the output's memory.
    aliased: Vec<bool>,
    arrays: Vec<ArraySpec>,
    values: Vec<ValuesSpec>,
    scalars: Call,
    mode_name: Option<CString>,
    metric_name: Option<CString>,
    options: Option<OptionsSpec>,
    fail_at: u64,
    progress_cancel_at: Option<usize>,
}

#[derive(Clone, Copy, Debug)]
struct OptionsSpec {
    struct_size: usize,
    flags: u32,
    threads: i32,
    cval_imag: f64,
    nan_policy: i32,
}

/// The functions (beyond the interpolation ones) that take complex arrays.
const COMPLEX_ROWS: &[&str] = &[
    "ndi_correlate1d",
    "ndi_convolve1d",
    "ndi_correlate",
    "ndi_convolve",
    "ndi_uniform_filter1d",
    "ndi_uniform_filter",
    "ndi_gaussian_filter1d",
    "ndi_gaussian_filter",
    "ndi_gaussian_laplace",
    "ndi_sobel",
    "ndi_prewitt",
    "ndi_laplace",
    "ndi_generic_laplace",
    "ndi_derivative_sobel",
    "ndi_derivative_prewitt",
    "ndi_fourier_gaussian",
    "ndi_fourier_uniform",
    "ndi_fourier_ellipsoid",
    "ndi_fourier_shift",
    "ndi_spline_coefficients",
    "ndi_sum_labels",
    "ndi_mean",
    "ndi_variance",
    "ndi_standard_deviation",
    "ndi_minimum",
    "ndi_maximum",
    "ndi_median",
    "ndi_minimum_position",
    "ndi_maximum_position",
    "ndi_extrema",
    "ndi_center_of_mass",
    "ndi_histogram",
    "ndi_labeled_comprehension",
];

const DTYPES: [i32; 13] = [
    NDI_DTYPE_BOOL,
    NDI_DTYPE_INT8,
    NDI_DTYPE_UINT8,
    NDI_DTYPE_INT16,
    NDI_DTYPE_UINT16,
    NDI_DTYPE_INT32,
    NDI_DTYPE_UINT32,
    NDI_DTYPE_INT64,
    NDI_DTYPE_UINT64,
    NDI_DTYPE_FLOAT32,
    NDI_DTYPE_FLOAT64,
    NDI_DTYPE_COMPLEX64,
    NDI_DTYPE_COMPLEX128,
];

fn item_size(dtype: i32) -> usize {
    match dtype {
        NDI_DTYPE_BOOL | NDI_DTYPE_INT8 | NDI_DTYPE_UINT8 => 1,
        NDI_DTYPE_INT16 | NDI_DTYPE_UINT16 => 2,
        NDI_DTYPE_INT32 | NDI_DTYPE_UINT32 | NDI_DTYPE_FLOAT32 => 4,
        NDI_DTYPE_COMPLEX128 => 16,
        _ => 8,
    }
}

/// Builds the arena as regions are added.
struct Builder {
    regions: Vec<Region>,
    contents: Vec<Vec<u8>>,
    /// Regions to place in the output's memory: (region, offset from the output region).
    aliased: Vec<Option<isize>>,
    output_region: Option<usize>,
}

impl Builder {
    fn add(&mut self, bytes: Vec<u8>) -> usize {
        self.regions.push(Region {
            at: 0,
            len: bytes.len(),
        });
        self.contents.push(bytes);
        self.aliased.push(None);
        self.regions.len() - 1
    }
}

/// The draws of one case.
struct Drawer<'d, 'a> {
    d: &'d mut Draw<'a>,
    b: Builder,
    /// The input's rank and shape (the primary array: others relate to it).
    rank: usize,
    shape: Vec<usize>,
    /// Output shape (interpolation functions may differ from the input).
    out_shape: Vec<usize>,
    out_dtype: i32,
    /// Whether the function takes complex arrays (the interpolation functions).
    complex_ok: bool,
    alias: bool,
    /// The number of filtered axes (the rank, unless `axes` lists fewer).
    filtered: usize,
    /// The element values (C order) of arrays drawn with small-integer contents, by role.
    recorded: Vec<(&'static str, Vec<i64>)>,
}

impl Drawer<'_, '_> {
    fn random_bytes(&mut self, len: usize) -> Vec<u8> {
        let mut v = Vec::with_capacity(len);
        while v.len() < len {
            v.extend_from_slice(&self.d.u64().to_le_bytes());
        }
        v.truncate(len);
        v
    }

    /// A valid layout of `shape` for elements of `item` bytes: strides (None for C order)
    /// and the span (lo, hi) relative to the first element.
    fn layout(
        &mut self,
        item: usize,
        shape: &[usize],
        output: bool,
    ) -> (Option<Vec<isize>>, isize, isize) {
        let rank = shape.len();
        let contiguous = |order: &[usize], unit: usize| {
            let mut st = vec![0isize; rank];
            let mut s = unit as isize;
            for &a in order.iter().rev() {
                st[a] = s;
                s *= shape[a].max(1) as isize;
            }
            st
        };
        let strides = if self.d.chance(25) {
            None
        } else {
            let mut order: Vec<usize> = (0..rank).collect();
            match self.d.below(3) {
                0 => {}
                1 => order.reverse(),
                _ => {
                    for i in (1..rank).rev() {
                        let j = self.d.below(i + 1);
                        order.swap(i, j);
                    }
                }
            }
            let unit = match self.d.below(6) {
                0 => item + 1, // unaligned
                1 => 2 * item, // gaps
                _ => item,
            };
            let mut st = contiguous(&order, unit);
            for s in st.iter_mut() {
                if self.d.chance(25) {
                    *s = -*s;
                }
            }
            if !output && rank > 0 && self.d.chance(10) {
                let a = self.d.below(rank);
                st[a] = 0; // inputs may repeat elements
            }
            Some(st)
        };
        let st = strides
            .clone()
            .unwrap_or_else(|| contiguous(&(0..rank).collect::<Vec<_>>(), item));
        let (mut lo, mut hi) = (0isize, 0isize);
        if shape.iter().all(|&n| n > 0) {
            for (&n, &s) in shape.iter().zip(&st) {
                let reach = (n as isize - 1) * s;
                if reach < 0 {
                    lo += reach
                } else {
                    hi += reach
                }
            }
            hi += item as isize;
        }
        (strides, lo, hi)
    }

    /// A shape of `rank` axes, each 0 to 5 (rarely 0; at most 2 from rank 4 on, so that
    /// high-order interpolation of high ranks stays quick).
    fn shape(&mut self, rank: usize) -> Vec<usize> {
        let most = if rank > 3 { 2 } else { 5 };
        (0..rank)
            .map(|_| {
                if self.d.chance(4) {
                    0
                } else {
                    1 + self.d.below(most)
                }
            })
            .collect()
    }

    /// A descriptor for an array of `shape`, element type from `dtypes`, valid or (rarely)
    /// broken in one way.
    fn array(
        &mut self,
        role: &'static str,
        shape: Vec<usize>,
        dtype: i32,
        output: bool,
        content: impl FnOnce(&mut Self, usize, &[usize], &[isize], usize) -> Option<Vec<u8>>,
    ) -> ArraySpec {
        let item = item_size(dtype);
        let (strides, lo, hi) = self.layout(item, &shape, output);
        let len = (hi - lo) as usize;
        let st = strides.clone().unwrap_or_else(|| {
            let mut st = vec![0isize; shape.len()];
            let mut s = item as isize;
            for a in (0..shape.len()).rev() {
                st[a] = s;
                s *= shape[a].max(1) as isize;
            }
            st
        });
        let mut bytes = self.random_bytes(len.max(1));
        if let Some(values) = content(self, item, &shape, &st, (-lo) as usize) {
            bytes[..values.len()].copy_from_slice(&values);
        }
        let region = self.b.add(bytes);
        if output {
            self.b.output_region = Some(region);
        } else if self.alias && self.d.chance(40) {
            self.b.aliased[region] = Some(self.alias_offset(len));
        }
        let mut spec = ArraySpec {
            role,
            null: false,
            dtype,
            rank: shape.len() as i32,
            shape: shape.iter().map(|&n| n as isize).collect(),
            shape_null: false,
            strides,
            data: Data::In {
                region,
                offset: (-lo) as usize,
            },
            valid: Some((item, shape.clone(), st)),
            output,
        };
        if self.d.chance(8) {
            self.break_array(&mut spec, output);
            self.cover(&mut spec);
        }
        spec
    }

    /// A broken descriptor the library may still accept (one whose strides changed on axes
    /// of one element, say) gets memory for all of its elements: the caller's side of the
    /// contract holds in every case drawn.
    fn cover(&mut self, spec: &mut ArraySpec) {
        let (Some((item, shape, strides)), Data::In { region, .. }) = (&spec.valid, spec.data)
        else {
            return;
        };
        if shape.contains(&0) {
            return;
        }
        let offsets = element_offsets(shape, strides);
        let (Some(&lo), Some(&hi)) = (offsets.iter().min(), offsets.iter().max()) else {
            return;
        };
        let (lo, hi) = (lo.min(0) as i128, hi.max(0) as i128 + *item as i128);
        if hi - lo > 1 << 20 {
            return; // beyond any address space: rejected
        }
        let (lo, hi) = (lo as isize, hi as isize);
        let bytes = self.random_bytes((hi - lo) as usize);
        self.b.regions[region].len = bytes.len();
        self.b.contents[region] = bytes;
        spec.data = Data::In {
            region,
            offset: (-lo) as usize,
        };
    }

    /// Where in the output's memory an aliased region of `len` bytes starts (relative to the
    /// output region; 8-aligned, so that C arrays of 8-byte values stay aligned).
    fn alias_offset(&mut self, len: usize) -> isize {
        let span = 64 + len;
        ((self.d.below(span) as isize - len as isize) / 8) * 8
    }

    /// Breaks a descriptor in one of the ways the library must reject (or, for empty arrays,
    /// may accept without touching memory).
    fn break_array(&mut self, s: &mut ArraySpec, output: bool) {
        let nonempty = s.shape.iter().all(|&n| n > 0);
        match self.d.below(if output { 12 } else { 10 }) {
            0 => s.null = true,
            1 => s.data = Data::Null,
            2 => s.shape_null = true,
            3 => s.dtype = self.d.pick(&[-1, 0, 13, 0x10d, NDI_MODE_REFLECT, i32::MAX]),
            4 => s.rank = 0,
            5 => {
                s.rank = NDI_MAX_RANK + 1;
                s.shape = vec![1; s.rank as usize];
                s.strides = None;
            }
            6 => {
                let a = self.d.below(s.shape.len());
                s.shape[a] = self.d.pick(&[-1, isize::MIN]);
            }
            7 => {
                // the element count overflows
                let a = self.d.below(s.shape.len());
                s.shape[a] = isize::MAX / 2;
                s.shape.push(4);
                s.rank += 1;
                s.strides = None;
            }
            8 => {
                // steps of isize::MAX: any axis longer than 1 leaves the address space
                let sign = if self.d.chance(50) { -1 } else { 1 };
                s.strides = Some(vec![sign * isize::MAX; s.shape.len()]);
            }
            9 => {
                if nonempty {
                    s.data =
                        Data::Wild(
                            self.d
                                .pick(&[1usize << 63, (1 << 63) + 4096, usize::MAX - 64]),
                        );
                } else {
                    s.data = Data::Null;
                }
            }
            10 => {
                // an output whose elements overlap: a zero stride, or half-item steps
                let st = s.valid.as_ref().unwrap().2.clone();
                let mut st = st;
                if let Some(a) = s.shape.iter().position(|&n| n > 1) {
                    st[a] = if self.d.chance(50) {
                        0
                    } else {
                        (st[a].signum() * (item_size(s.dtype) as isize / 2)).max(0)
                    };
                }
                s.strides = Some(st);
            }
            _ => {
                // an output with one axis reversed onto another (interleaved)
                let mut st = s.valid.as_ref().unwrap().2.clone();
                if st.len() >= 2 {
                    st[0] = st[st.len() - 1];
                }
                s.strides = Some(st);
            }
        }
        // The bytes a call may write if the library accepts the descriptor anyway (an empty
        // array, axes of one element, ...): its elements, when there are few enough to list.
        s.valid = valid_layout(s);
    }

    /// `count` values of 8 bytes in a region of their own (sometimes in the output's memory),
    /// or NULL (`null_percent`).
    fn values8(
        &mut self,
        role: &'static str,
        values: Vec<[u8; 8]>,
        null_percent: usize,
        written: bool,
    ) -> ValuesSpec {
        let bytes: Vec<u8> = values.iter().flatten().copied().collect();
        self.values_raw(role, bytes, null_percent, written)
    }

    /// `count` values of 4 bytes, as `values8`.
    fn values4(
        &mut self,
        role: &'static str,
        values: Vec<i32>,
        null_percent: usize,
        written: bool,
    ) -> ValuesSpec {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        self.values_raw(role, bytes, null_percent, written)
    }

    /// Raw bytes as a C array argument, as `values8`.
    fn values_raw(
        &mut self,
        role: &'static str,
        bytes: Vec<u8>,
        null_percent: usize,
        written: bool,
    ) -> ValuesSpec {
        if self.d.chance(null_percent) {
            return ValuesSpec {
                role,
                region: None,
                written,
            };
        }
        let len = bytes.len();
        let region = self
            .b
            .add(if bytes.is_empty() { vec![0; 8] } else { bytes });
        if !written && self.alias && self.d.chance(30) {
            self.b.aliased[region] = Some(self.alias_offset(len.max(8)));
        }
        ValuesSpec {
            role,
            region: Some(region),
            written,
        }
    }

    fn dtype(&mut self, real_only: bool) -> i32 {
        if real_only || self.d.chance(80) {
            DTYPES[self.d.below(11)]
        } else {
            self.d.pick(&DTYPES[11..])
        }
    }
}

/// The element layout of a descriptor the library could accept, if its elements are few
/// enough to list.
fn valid_layout(s: &ArraySpec) -> Option<(usize, Vec<usize>, Vec<isize>)> {
    if s.null || s.shape_null || !DTYPES.contains(&s.dtype) || !(1..=NDI_MAX_RANK).contains(&s.rank)
    {
        return None;
    }
    let shape: Vec<usize> = s
        .shape
        .iter()
        .map(|&n| usize::try_from(n).ok())
        .collect::<Option<_>>()?;
    let count = shape
        .iter()
        .try_fold(1usize, |acc, &n| acc.checked_mul(n))?;
    if count > 100_000 {
        return None;
    }
    let item = item_size(s.dtype);
    let strides = match &s.strides {
        Some(st) => st.clone(),
        None => {
            let mut st = vec![0isize; shape.len()];
            let mut step = item as isize;
            for a in (0..shape.len()).rev() {
                st[a] = step;
                step = step.checked_mul(shape[a].max(1) as isize)?;
            }
            st
        }
    };
    Some((item, shape, strides))
}

/// A NULL array argument of `role`.
fn null_array(role: &'static str, output: bool) -> ArraySpec {
    ArraySpec {
        role,
        null: true,
        dtype: 0,
        rank: 0,
        shape: vec![],
        shape_null: false,
        strides: None,
        data: Data::Null,
        valid: None,
        output,
    }
}

/// Contents of small integers `lo ..= hi` (bool: 0 and 1) in `dtype`, for label images,
/// index values, markers.
fn small_ints(
    dtype: i32,
    lo: i64,
    hi: i64,
) -> impl FnOnce(&mut Drawer<'_, '_>, usize, &[usize], &[isize], usize) -> Option<Vec<u8>> {
    small_ints_recorded(dtype, lo, hi, None)
}

/// As `small_ints`, recording the element values (C order, repeated elements as stored) as
/// those of `record`.
fn small_ints_recorded(
    dtype: i32,
    lo: i64,
    hi: i64,
    record: Option<&'static str>,
) -> impl FnOnce(&mut Drawer<'_, '_>, usize, &[usize], &[isize], usize) -> Option<Vec<u8>> {
    move |dr, item, shape, strides, origin| {
        let mut stored = std::collections::HashMap::new();
        let offsets = element_offsets(shape, strides);
        let span = offsets
            .iter()
            .map(|&o| o + origin as isize)
            .max()
            .map_or(0, |m| m as usize + item);
        let mut bytes = dr.random_bytes(span);
        let unsigned = matches!(
            dtype,
            NDI_DTYPE_UINT8 | NDI_DTYPE_UINT16 | NDI_DTYPE_UINT32 | NDI_DTYPE_UINT64
        );
        for &o in &offsets {
            let mut v = dr.d.range(lo, hi);
            if dtype == NDI_DTYPE_BOOL {
                v = v.clamp(0, 1);
            } else if unsigned {
                v = v.max(0);
            }
            let at = (o + origin as isize) as usize;
            stored.insert(o, v);
            let value = match dtype {
                // the real part, and an imaginary part of zero
                NDI_DTYPE_COMPLEX64 => [(v as f32).to_le_bytes(), 0f32.to_le_bytes()].concat(),
                NDI_DTYPE_COMPLEX128 => [(v as f64).to_le_bytes(), 0f64.to_le_bytes()].concat(),
                _ => encode(dtype, v as f64),
            };
            bytes[at..at + item].copy_from_slice(&value[..item]);
        }
        if let Some(role) = record {
            let values = offsets.iter().map(|o| stored[o]).collect();
            dr.recorded.push((role, values));
        }
        Some(bytes)
    }
}

/// A gaussian sigma: mostly 0.3 to 3 (per-axis ones sometimes 0, a skipped axis), now and
/// then broken.
fn draw_sigma(d: &mut Draw<'_>, per_axis: bool) -> f64 {
    if d.chance(5) {
        d.pick(&[f64::NAN, f64::INFINITY, -1.0, 1e300, 0.0, 1e-300])
    } else if per_axis && d.chance(10) {
        0.0
    } else {
        d.range(1, 10) as f64 * 0.3
    }
}

fn draw_gauss_order(d: &mut Draw<'_>) -> c_int {
    if d.chance(5) {
        d.pick(&[-1, 9, i32::MIN])
    } else {
        d.below(3) as c_int
    }
}

/// A gaussian radius: negative (from truncate) or 0 to 3, now and then huge.
fn draw_radius(d: &mut Draw<'_>) -> isize {
    if d.chance(5) {
        d.pick(&[1 << 40, isize::MAX, isize::MIN])
    } else if d.chance(40) {
        -1
    } else {
        d.below(4) as isize
    }
}

fn isize_bytes(v: isize) -> [u8; 8] {
    v.to_le_bytes()
}
fn f64_bytes(v: f64) -> [u8; 8] {
    v.to_le_bytes()
}

/// Encodes `v` as element type `dtype` (for coordinates: float types).
fn encode(dtype: i32, v: f64) -> Vec<u8> {
    match dtype {
        NDI_DTYPE_FLOAT32 => (v as f32).to_le_bytes().to_vec(),
        NDI_DTYPE_FLOAT64 => v.to_le_bytes().to_vec(),
        NDI_DTYPE_INT8 | NDI_DTYPE_UINT8 | NDI_DTYPE_BOOL => vec![v as i8 as u8],
        NDI_DTYPE_INT16 | NDI_DTYPE_UINT16 => (v as i16).to_le_bytes().to_vec(),
        NDI_DTYPE_INT32 | NDI_DTYPE_UINT32 => (v as i32).to_le_bytes().to_vec(),
        _ => (v as i64).to_le_bytes().to_vec(),
    }
}

/// Every element offset (relative to the first element) of a layout.
fn element_offsets(shape: &[usize], strides: &[isize]) -> Vec<isize> {
    let mut out = vec![0isize];
    for (&n, &s) in shape.iter().zip(strides) {
        let mut next = Vec::with_capacity(out.len() * n);
        for &o in &out {
            for i in 0..n {
                // (offsets that overflow belong to descriptors the library must reject)
                if let Some(v) = (i as isize).checked_mul(s).and_then(|d| o.checked_add(d)) {
                    next.push(v);
                }
            }
        }
        out = next;
    }
    out
}

impl Case {
    /// Draws a case of `row`.
    pub fn draw(row: &'static Row, d: &mut Draw<'_>) -> Case {
        let rank = if d.chance(5) {
            1 + d.below(5)
        } else {
            1 + d.below(3)
        };
        let mut dr = Drawer {
            d,
            b: Builder {
                regions: Vec::new(),
                contents: Vec::new(),
                aliased: Vec::new(),
                output_region: None,
            },
            rank,
            shape: Vec::new(),
            out_shape: Vec::new(),
            out_dtype: NDI_DTYPE_FLOAT64,
            complex_ok: row
                .roles
                .iter()
                .any(|r| *r == "output_free" || *r == "output_coords")
                || COMPLEX_ROWS.contains(&row.name),
            alias: false,
            filtered: rank,
            recorded: Vec::new(),
        };
        dr.shape = dr.shape(rank);
        dr.alias = dr.d.chance(35);
        let mut case = Case {
            row,
            arena: Vec::new(),
            regions: Vec::new(),
            aliased: Vec::new(),
            arrays: Vec::new(),
            values: Vec::new(),
            scalars: blank_call(),
            mode_name: None,
            metric_name: None,
            options: None,
            fail_at: 0,
            progress_cancel_at: None,
        };
        // Outputs first: aliased inputs are placed relative to the output region.
        // Outputs first (aliased inputs are placed in their memory), then the scalars that
        // size other arguments (rank, struct_size), then the rest in order.
        let mut roles: Vec<&'static str> = row.roles.to_vec();
        roles.sort_by_key(|r| match *r {
            "output" | "output_free" | "output_coords" | "output_complex" | "structure_output"
            | "distances" | "indices" => 0,
            "rank" | "struct_size" | "n_axes" | "kernel_radius" | "n_edges" => 1,
            "length" | "n_modes" => 2,
            // of the shape its structure and iterations give (an output all the same: the
            // regions aliased into it are placed when the arena is laid out)
            "iterated_output"
            | "coeff_output"
            | "stat_output"
            | "com_output"
            | "positions"
            | "extrema_minimum"
            | "extrema_maximum"
            | "extrema_min_positions"
            | "extrema_max_positions"
            | "hist_counts"
            | "group_sizes"
            | "comp_output"
            | "boxes"
            | "vi_values"
            | "vi_counts"
            | "vi_indices" => 4,
            _ => 3,
        });
        for role in roles {
            case.draw_role(role, &mut dr);
        }
        case.layout_arena(dr.b);
        case
    }

    fn draw_role(&mut self, role: &'static str, dr: &mut Drawer<'_, '_>) {
        let rank = dr.rank;
        let c = &mut self.scalars;
        match role {
            "input" => {
                let complex_out =
                    matches!(dr.out_dtype, NDI_DTYPE_COMPLEX64 | NDI_DTYPE_COMPLEX128);
                let integers = [
                    NDI_DTYPE_INT8,
                    NDI_DTYPE_UINT8,
                    NDI_DTYPE_INT16,
                    NDI_DTYPE_UINT16,
                    NDI_DTYPE_INT32,
                    NDI_DTYPE_UINT32,
                    NDI_DTYPE_INT64,
                    NDI_DTYPE_UINT64,
                ];
                let dtype = if complex_out && dr.d.chance(80) {
                    dr.d.pick(&[NDI_DTYPE_COMPLEX64, NDI_DTYPE_COMPLEX128])
                } else if self.row.name == "ndi_value_indices" && dr.d.chance(85) {
                    dr.d.pick(&integers)
                } else if self.row.name == "ndi_watershed_ift" && dr.d.chance(85) {
                    dr.d.pick(&[NDI_DTYPE_UINT8, NDI_DTYPE_UINT16])
                } else {
                    dr.dtype(!dr.complex_ok)
                };
                let shape = dr.shape.clone();
                // Complex inputs go with complex outputs (interpolation). Label images,
                // integer values and grey levels of small integers (mostly).
                let range = match self.row.name {
                    "ndi_find_objects" => Some((-1, 4)),
                    "ndi_value_indices" => Some((-2, 3)),
                    "ndi_watershed_ift" => Some((0, 5)),
                    "ndi_label" => Some((0, 1)),
                    _ => None,
                };
                let spec = match range {
                    Some((lo, hi)) if dr.d.chance(85) => dr.array(
                        role,
                        shape,
                        dtype,
                        false,
                        small_ints_recorded(dtype, lo, hi, Some("input")),
                    ),
                    _ => dr.array(role, shape, dtype, false, |_, _, _, _, _| None),
                };
                self.arrays.push(spec);
            }
            "output" | "output_free" | "output_coords" | "output_complex" => {
                let shape = match role {
                    "output" | "output_complex" if !dr.d.chance(10) => dr.shape.clone(),
                    "output_free" if !dr.d.chance(35) => dr.shape.clone(),
                    _ => {
                        let r = if role == "output_coords" {
                            1 + dr.d.below(3)
                        } else if dr.d.chance(80) {
                            dr.rank
                        } else {
                            1 + dr.d.below(4)
                        };
                        dr.shape(r)
                    }
                };
                dr.out_shape = shape.clone();
                let fourier = self.row.name.starts_with("ndi_fourier_");
                let dtype = if role == "output_complex" && dr.d.chance(85) {
                    dr.d.pick(&[NDI_DTYPE_COMPLEX64, NDI_DTYPE_COMPLEX128])
                } else if self.row.name == "ndi_watershed_ift" && dr.d.chance(85) {
                    dr.d.pick(&[
                        NDI_DTYPE_INT8,
                        NDI_DTYPE_INT16,
                        NDI_DTYPE_INT32,
                        NDI_DTYPE_INT64,
                    ])
                } else if fourier && dr.d.chance(80) {
                    dr.d.pick(&[
                        NDI_DTYPE_FLOAT32,
                        NDI_DTYPE_FLOAT64,
                        NDI_DTYPE_COMPLEX64,
                        NDI_DTYPE_COMPLEX128,
                    ])
                } else {
                    dr.dtype(!dr.complex_ok)
                };
                dr.out_dtype = dtype;
                let spec = dr.array(role, shape, dtype, true, |_, _, _, _, _| None);
                self.arrays.push(spec);
            }
            "footprint" => {
                if dr.d.chance(50) {
                    self.arrays.push(ArraySpec {
                        role,
                        null: true,
                        dtype: 0,
                        rank: 0,
                        shape: vec![],
                        shape_null: false,
                        strides: None,
                        data: Data::Null,
                        valid: None,
                        output: false,
                    });
                    return;
                }
                let r = if dr.d.chance(90) {
                    dr.filtered.max(1)
                } else {
                    1 + dr.d.below(4)
                };
                let shape: Vec<usize> = (0..r)
                    .map(|_| if dr.d.chance(3) { 0 } else { 1 + dr.d.below(3) })
                    .collect();
                let real = dr.d.chance(90);
                let dtype = dr.dtype(real);
                let spec = dr.array(role, shape, dtype, false, |_, _, _, _, _| None);
                self.arrays.push(spec);
            }
            "coordinates" => {
                let out = dr.out_shape.clone();
                let mut shape = vec![rank];
                shape.extend_from_slice(&out);
                if dr.d.chance(8) {
                    shape[0] = 1 + dr.d.below(4);
                }
                let dtype = if dr.d.chance(85) {
                    dr.d.pick(&[NDI_DTYPE_FLOAT64, NDI_DTYPE_FLOAT32])
                } else {
                    dr.dtype(false)
                };
                let in_shape = dr.shape.clone();
                let spec = dr.array(
                    role,
                    shape,
                    dtype,
                    false,
                    move |dr, item, shape, strides, origin| {
                        // In-range coordinates mostly (random bits otherwise: NaN, huge values).
                        if dtype != NDI_DTYPE_FLOAT64 && dtype != NDI_DTYPE_FLOAT32
                            || dr.d.chance(20)
                        {
                            return None;
                        }
                        let offsets = element_offsets(shape, strides);
                        let span = offsets
                            .iter()
                            .map(|&o| o + origin as isize)
                            .max()
                            .map_or(0, |m| m as usize + item);
                        let mut bytes = dr.random_bytes(span);
                        for (k, &o) in offsets.iter().enumerate() {
                            let axis = k * shape[0] / offsets.len();
                            let n = in_shape.get(axis).copied().unwrap_or(3) as f64;
                            let v = -1.5 + (dr.d.below(1000) as f64 / 1000.0) * (n + 2.0);
                            let at = (o + origin as isize) as usize;
                            bytes[at..at + item].copy_from_slice(&encode(dtype, v));
                        }
                        Some(bytes)
                    },
                );
                self.arrays.push(spec);
            }
            "size" => {
                let v = (0..rank)
                    .map(|_| {
                        isize_bytes(if dr.d.chance(5) {
                            dr.d.pick(&[0, -1, isize::MAX, 1 << 31])
                        } else {
                            1 + dr.d.below(4) as isize
                        })
                    })
                    .collect();
                let null = if self.arrays.iter().any(|a| a.role == "footprint" && !a.null) {
                    30
                } else {
                    3
                };
                self.values.push(dr.values8(role, v, null, false));
            }
            "origins" => {
                let v = (0..rank)
                    .map(|_| {
                        isize_bytes(if dr.d.chance(5) {
                            dr.d.pick(&[3, -3, isize::MIN, isize::MAX])
                        } else {
                            dr.d.range(-1, 1) as isize
                        })
                    })
                    .collect();
                self.values.push(dr.values8(role, v, 30, false));
            }
            "shift" | "offset" => {
                let v = (0..rank)
                    .map(|_| {
                        f64_bytes(if dr.d.chance(5) {
                            dr.d.pick(&[f64::NAN, f64::INFINITY, 1e300, -0.0])
                        } else {
                            dr.d.range(-8, 8) as f64 * 0.375
                        })
                    })
                    .collect();
                self.values
                    .push(dr.values8(role, v, if role == "offset" { 25 } else { 3 }, false));
            }
            "zoom" => {
                let n = usize::try_from(c.rank).unwrap_or(0).min(64);
                let v = (0..n)
                    .map(|_| {
                        f64_bytes(if dr.d.chance(5) {
                            dr.d.pick(&[f64::NAN, -1.0, 0.0, 1e300])
                        } else {
                            dr.d.range(1, 12) as f64 * 0.25
                        })
                    })
                    .collect();
                self.values.push(dr.values8(role, v, 3, false));
            }
            "shape" => {
                let n = usize::try_from(c.rank).unwrap_or(0).min(64);
                let v = (0..n)
                    .map(|_| {
                        isize_bytes(if dr.d.chance(5) {
                            dr.d.pick(&[-1, isize::MAX, 1 << 40])
                        } else {
                            dr.d.below(6) as isize
                        })
                    })
                    .collect();
                self.values.push(dr.values8(role, v, 3, false));
            }
            "out_shape" => {
                let n = usize::try_from(c.rank).unwrap_or(0).min(64);
                let v = (0..n).map(|_| isize_bytes(-7)).collect();
                self.values.push(dr.values8(role, v, 3, true));
            }
            "identity" | "mode_out" => {
                self.values
                    .push(dr.values8(role, vec![isize_bytes(-7)], 20, true));
            }
            "options_out" => {
                let len = c.struct_size.clamp(8, 256);
                let v = (0..len.div_ceil(8)).map(|_| isize_bytes(-7)).collect();
                // (struct_size is drawn first: the region holds what the call may write)
                self.values.push(dr.values8(role, v, 10, true));
            }
            "matrix_shape" => {
                // drawn together with matrix and matrix_ndim (which come after it)
            }
            "matrix_ndim" => {
                let out_rank = dr.out_shape.len();
                let (ndim, dims): (i32, Vec<isize>) = match dr.d.below(6) {
                    0 => (1, vec![rank as isize]),
                    1 => (2, vec![rank as isize + 1, out_rank as isize + 1]),
                    2 => (2, vec![rank as isize, out_rank as isize + 1]),
                    3 if dr.d.chance(50) => (dr.d.pick(&[0, 3, -1]), vec![2, 2]),
                    3 => (
                        2,
                        vec![
                            dr.d.range(0, 5) as isize,
                            dr.d.pick(&[-2, 1 << 16, 1 << 40, 3]),
                        ],
                    ),
                    _ => (2, vec![rank as isize, out_rank as isize]),
                };
                c.matrix_ndim = ndim;
                let shape_values = dims.iter().map(|&v| isize_bytes(v)).collect();
                let len: usize = dims
                    .iter()
                    .map(|&v| usize::try_from(v).unwrap_or(0).min(8))
                    .product();
                let homogeneous = ndim == 2 && dims[0] == rank as isize + 1;
                let m = (0..len)
                    .map(|k| {
                        let cols = dims.get(1).copied().unwrap_or(1).max(1) as usize;
                        let (r, col) = (k / cols, k % cols);
                        let v = if homogeneous && r == rank {
                            if col + 1 == cols {
                                1.0
                            } else {
                                0.0
                            }
                        } else if dr.d.chance(10) {
                            dr.d.pick(&[0.0, f64::NAN, -1e300])
                        } else {
                            dr.d.range(-6, 6) as f64 * 0.25
                        };
                        f64_bytes(v)
                    })
                    .collect();
                self.values
                    .push(dr.values8("matrix_shape", shape_values, 3, false));
                self.values.push(dr.values8("matrix", m, 3, false));
            }
            "matrix" => {}
            "filter_size" => {
                c.filter_size = if dr.d.chance(5) {
                    dr.d.pick(&[0, -1, isize::MIN, isize::MAX, 1 << 50])
                } else {
                    1 + dr.d.below(5) as isize
                }
            }
            "origin" => {
                c.origin = if dr.d.chance(5) {
                    dr.d.pick(&[3, -3, isize::MIN])
                } else {
                    dr.d.range(-1, 1) as isize
                }
            }
            "axis" | "axis0" | "axis1" => {
                let v = if dr.d.chance(5) {
                    dr.d.pick(&[rank as i32, -(rank as i32) - 1, i32::MIN, i32::MAX])
                } else {
                    dr.d.range(-(rank as i64), rank as i64 - 1) as i32
                };
                match role {
                    "axis" => c.axis = v,
                    "axis0" => c.axis0 = v,
                    _ => c.axis1 = v,
                }
            }
            "order" => {
                c.order = if dr.d.chance(5) {
                    dr.d.pick(&[-1, 6, NDI_MODE_NEAREST, i32::MIN])
                } else {
                    dr.d.below(6) as i32
                }
            }
            "mode" => {
                c.mode = if dr.d.chance(5) {
                    dr.d.pick(&[
                        -1,
                        0,
                        3,
                        NDI_MODE_GRID_WRAP + 1,
                        NDI_DTYPE_FLOAT64,
                        i32::MAX,
                    ])
                } else {
                    NDI_MODE_REFLECT + dr.d.below(8) as i32
                }
            }
            "cval" => {
                c.cval =
                    dr.d.pick(&[0.0, 1.5, -3.25, f64::NAN, f64::INFINITY, 1e300])
            }
            "angle" => {
                c.angle =
                    dr.d.pick(&[0.0, 30.0, 90.0, -45.5, 180.0, 1e300, f64::NAN, 270.0])
            }
            "prefilter" | "grid_mode" | "reshape" => {
                let v = dr.d.pick(&[0, 1, 0, 1, -5, i32::MAX]);
                match role {
                    "prefilter" => c.prefilter = v,
                    "grid_mode" => c.grid_mode = v,
                    _ => c.reshape = v,
                }
            }
            "rank" => {
                c.rank = if dr.d.chance(8) {
                    dr.d.pick(&[0, -1, NDI_MAX_RANK + 1])
                } else {
                    1 + dr.d.below(4) as i32
                }
            }
            "thread_count" => c.thread_count = dr.d.pick(&[0, 1, 2, 3, 0, -1, 1025]),
            "status_code" => c.status_code = dr.d.pick(&[0, 1, 5, 8, 9, -1, i32::MIN]),
            "struct_size" => {
                c.struct_size = dr.d.pick(&[
                    0,
                    4,
                    8,
                    std::mem::size_of::<ndi_options>(),
                    16,
                    std::mem::size_of::<ndi_options>() + 24,
                ])
            }
            "filter_cb" | "filter1d_cb" | "transform_cb" => {
                let null = dr.d.chance(3);
                c.filter_cb = if null { None } else { Some(filter_cb) };
                c.filter1d_cb = if null { None } else { Some(filter1d_cb) };
                c.transform_cb = if null { None } else { Some(transform_cb) };
                if dr.d.chance(15) {
                    self.fail_at = 1 + dr.d.below(20) as u64;
                }
            }
            "user_data" => {}
            "mode_name" => {
                let name = dr.d.pick(&[
                    "reflect",
                    "constant",
                    "nearest",
                    "mirror",
                    "wrap",
                    "grid-constant",
                    "grid-mirror",
                    "grid-wrap",
                    "Reflect",
                    "",
                    "reflect ",
                    "nope",
                ]);
                self.mode_name = if dr.d.chance(5) {
                    None
                } else {
                    Some(CString::new(name).unwrap())
                };
            }
            "options" => {
                if dr.d.chance(15) {
                    self.options = None;
                } else {
                    let size = std::mem::size_of::<ndi_options>();
                    let struct_size = if dr.d.chance(5) {
                        dr.d.pick(&[0, 1, 1 << 20, size + 8, 24])
                    } else {
                        size
                    };
                    let flags = if dr.d.chance(5) {
                        // Unknown bits, and the tile flag (the interpolations read their
                        // input as coefficients; every other function rejects it).
                        dr.d.pick(&[4u32, 0x8000_0000, NDI_FLAG_PREFILTERED])
                    } else if dr.d.chance(30) {
                        NDI_FLAG_THREAD_SAFE_CALLBACK
                    } else {
                        0
                    };
                    let threads = if dr.d.chance(5) {
                        dr.d.pick(&[-2, 1025, i32::MIN])
                    } else {
                        dr.d.pick(&[1, 1, 2, 3, NDI_THREADS_ALL, NDI_THREADS_DEFAULT])
                    };
                    let cval_imag = dr.d.pick(&[0.0, 2.5, f64::NAN]);
                    let nan_policy = if dr.d.chance(3) {
                        dr.d.pick(&[-1, NDI_MODE_REFLECT, NDI_NAN_OMIT + 1])
                    } else {
                        dr.d.pick(&[0, 0, NDI_NAN_SCIPY, NDI_NAN_PROPAGATE, NDI_NAN_OMIT])
                    };
                    self.options = Some(OptionsSpec {
                        struct_size,
                        flags,
                        threads,
                        cval_imag,
                        nan_policy,
                    });
                    if dr.d.chance(30) {
                        self.progress_cancel_at = Some(if dr.d.chance(40) {
                            1 + dr.d.below(4)
                        } else {
                            0
                        });
                    }
                }
            }
            "weights1d" | "weights" => {
                let r = if role == "weights1d" {
                    1
                } else if dr.d.chance(90) {
                    dr.filtered.max(1)
                } else {
                    1 + dr.d.below(4)
                };
                let most = if role == "weights1d" { 5 } else { 3 };
                let shape: Vec<usize> = (0..r)
                    .map(|_| {
                        if dr.d.chance(3) {
                            0
                        } else {
                            1 + dr.d.below(most)
                        }
                    })
                    .collect();
                let real = !dr.complex_ok || dr.d.chance(70);
                let dtype = dr.dtype(real);
                let spec = dr.array(role, shape, dtype, false, |_, _, _, _, _| None);
                self.arrays.push(spec);
            }
            "n_axes" => {
                // axes and n_axes together; `filtered` for the per-axis roles drawn later
                let (list, n): (Option<Vec<i32>>, i32) = if dr.d.chance(35) {
                    let n = if dr.d.chance(10) {
                        1 + dr.d.below(rank) as i32
                    } else {
                        0
                    };
                    (None, n)
                } else {
                    let k = if dr.d.chance(5) {
                        0
                    } else {
                        1 + dr.d.below(rank)
                    };
                    let mut all: Vec<i32> = (0..rank as i32).collect();
                    for i in (1..rank).rev() {
                        let j = dr.d.below(i + 1);
                        all.swap(i, j);
                    }
                    let mut list: Vec<i32> = all[..k].to_vec();
                    for a in list.iter_mut() {
                        if dr.d.chance(30) {
                            *a -= rank as i32;
                        }
                    }
                    dr.filtered = k;
                    let mut n = k as i32;
                    if dr.d.chance(8) {
                        dr.filtered = rank;
                        match dr.d.below(4) {
                            0 if k > 0 => list.push(list[0]),
                            1 => list.push(dr.d.pick(&[rank as i32, -(rank as i32) - 1, i32::MIN])),
                            2 => n = -1,
                            _ => {
                                list.push(list.first().copied().unwrap_or(0));
                                list.push(0);
                            }
                        }
                        if n >= 0 {
                            n = list.len() as i32;
                        }
                    }
                    (Some(list), n)
                };
                c.n_axes = n;
                let spec = match list {
                    None => ValuesSpec {
                        role: "axes",
                        region: None,
                        written: false,
                    },
                    Some(list) => dr.values4("axes", list, 0, false),
                };
                self.values.push(spec);
            }
            "axes" => {}
            "sizes" => {
                let v = (0..rank)
                    .map(|_| {
                        isize_bytes(if dr.d.chance(5) {
                            dr.d.pick(&[-1, isize::MAX, 1 << 40, isize::MIN])
                        } else {
                            dr.d.below(5) as isize
                        })
                    })
                    .collect();
                self.values.push(dr.values8(role, v, 3, false));
            }
            "modes" => {
                let v = (0..rank)
                    .map(|_| {
                        if dr.d.chance(5) {
                            dr.d.pick(&[-1, 0, 3, NDI_MODE_GRID_WRAP + 1, NDI_DTYPE_FLOAT64])
                        } else {
                            NDI_MODE_REFLECT + dr.d.below(8) as i32
                        }
                    })
                    .collect();
                self.values.push(dr.values4(role, v, 50, false));
            }
            "sigmas" => {
                let v = (0..rank)
                    .map(|_| f64_bytes(draw_sigma(dr.d, true)))
                    .collect();
                self.values.push(dr.values8(role, v, 3, false));
            }
            "gauss_orders" => {
                let v = (0..rank).map(|_| draw_gauss_order(dr.d)).collect();
                self.values.push(dr.values4(role, v, 30, false));
            }
            "radii" => {
                let v = (0..rank).map(|_| isize_bytes(draw_radius(dr.d))).collect();
                self.values.push(dr.values8(role, v, 40, false));
            }
            "sigma" => c.sigma = draw_sigma(dr.d, false),
            "gauss_order" => c.gauss_order = draw_gauss_order(dr.d),
            "truncate" => {
                c.truncate = if dr.d.chance(8) {
                    dr.d.pick(&[0.0, -1.0, f64::NAN, f64::INFINITY, 1e300])
                } else {
                    dr.d.pick(&[4.0, 1.0, 2.5, 0.5])
                }
            }
            "radius" => c.radius = draw_radius(dr.d),
            "kernel_radius" => {
                c.kernel_radius = if dr.d.chance(5) {
                    dr.d.pick(&[-1, 1 << 40, isize::MAX])
                } else {
                    dr.d.below(6) as isize
                }
            }
            "length" => {
                let r = c.kernel_radius;
                c.length = if (0..=5).contains(&r) && !dr.d.chance(10) {
                    2 * r + 1
                } else {
                    dr.d.pick(&[0, -1, 2, 7])
                };
            }
            "kernel_out" => {
                let n = usize::try_from(c.length).unwrap_or(0).clamp(1, 16);
                let v = (0..n).map(|_| isize_bytes(-7)).collect();
                self.values.push(dr.values8(role, v, 5, true));
            }
            "kernel_cb" | "derivative_cb" => {
                let none = dr.d.chance(if role == "kernel_cb" { 40 } else { 3 });
                c.kernel_cb = if none { None } else { Some(kernel_cb) };
                c.derivative_cb = if none { None } else { Some(derivative_cb) };
                if dr.d.chance(15) {
                    self.fail_at = 1 + dr.d.below(3) as u64;
                }
            }
            "deriv_options" => {
                // options without progress: the derivatives return 0 or 1, not a status
                self.draw_role("options", dr);
                self.progress_cancel_at = None;
            }
            "n_modes" => {
                let k = dr.filtered.max(1);
                let n = if dr.d.chance(8) {
                    dr.d.pick(&[0, -1, k as i32 + 1])
                } else if dr.d.chance(50) {
                    1
                } else {
                    k as i32
                };
                c.n_modes = n;
                let first = NDI_MODE_REFLECT + dr.d.below(8) as i32;
                let same = dr.d.chance(60);
                let v = (0..usize::try_from(n).unwrap_or(0).max(1))
                    .map(|_| {
                        if dr.d.chance(4) {
                            dr.d.pick(&[-1, 3, NDI_DTYPE_FLOAT64])
                        } else if same {
                            first
                        } else {
                            NDI_MODE_REFLECT + dr.d.below(8) as i32
                        }
                    })
                    .collect();
                self.values.push(dr.values4("mode_list", v, 3, false));
            }
            "mode_list" => {}
            "filter_rank" => {
                c.filter_rank = if dr.d.chance(5) {
                    dr.d.pick(&[isize::MIN, isize::MAX, 100])
                } else {
                    dr.d.range(-3, 3) as isize
                }
            }
            "percentile" => {
                c.percentile = dr.d.pick(&[
                    0.0,
                    50.0,
                    100.0,
                    -50.0,
                    37.5,
                    -100.0,
                    12.5,
                    100.5,
                    f64::NAN,
                    -1e300,
                ])
            }
            "grey_structure" => {
                if dr.d.chance(55) {
                    self.arrays.push(ArraySpec {
                        role,
                        null: true,
                        dtype: 0,
                        rank: 0,
                        shape: vec![],
                        shape_null: false,
                        strides: None,
                        data: Data::Null,
                        valid: None,
                        output: false,
                    });
                    return;
                }
                // the footprint's shape when there is one (they must agree)
                let footprint = self
                    .arrays
                    .iter()
                    .find(|a| a.role == "footprint" && !a.null)
                    .and_then(|a| a.valid.as_ref().map(|v| v.1.clone()))
                    .filter(|f: &Vec<usize>| f.len() <= 8 && f.iter().all(|&n| n <= 8));
                let shape: Vec<usize> = match footprint {
                    Some(f) if dr.d.chance(80) => f,
                    _ => {
                        let r = if dr.d.chance(90) {
                            dr.filtered.max(1)
                        } else {
                            1 + dr.d.below(4)
                        };
                        (0..r)
                            .map(|_| if dr.d.chance(3) { 0 } else { 1 + dr.d.below(3) })
                            .collect()
                    }
                };
                let dtype = dr.dtype(true);
                let spec = dr.array(role, shape, dtype, false, |_, _, _, _, _| None);
                self.arrays.push(spec);
            }
            "fourier_sizes" => {
                let v = (0..rank)
                    .map(|_| {
                        f64_bytes(if dr.d.chance(5) {
                            dr.d.pick(&[f64::NAN, f64::INFINITY, -1.0, 1e300, -0.0])
                        } else {
                            dr.d.range(0, 12) as f64 * 0.375
                        })
                    })
                    .collect();
                self.values.push(dr.values8(role, v, 3, false));
            }
            "fourier_n" => {
                c.fourier_n = if dr.d.chance(5) {
                    dr.d.pick(&[0, isize::MIN, isize::MAX, 1 << 40])
                } else if dr.d.chance(50) {
                    -1
                } else {
                    1 + dr.d.below(10) as isize
                }
            }
            "structure" | "structure2" | "mask" | "structure_in" | "chamfer_metric" => {
                let null = match role {
                    "structure2" => 50,
                    "structure_in" => 4,
                    "chamfer_metric" => 30,
                    _ => 40,
                };
                if dr.d.chance(null) {
                    self.arrays.push(ArraySpec {
                        role,
                        null: true,
                        dtype: 0,
                        rank: 0,
                        shape: vec![],
                        shape_null: false,
                        strides: None,
                        data: Data::Null,
                        valid: None,
                        output: false,
                    });
                    return;
                }
                let shape: Vec<usize> = if role == "mask" && dr.d.chance(90) {
                    dr.shape.clone()
                } else if role == "chamfer_metric" && dr.d.chance(85) {
                    vec![3; rank]
                } else {
                    let r = if dr.d.chance(90) {
                        rank
                    } else {
                        1 + dr.d.below(4)
                    };
                    (0..r)
                        .map(|_| {
                            if dr.d.chance(3) {
                                0
                            } else {
                                dr.d.pick(&[1, 3, 3, 2])
                            }
                        })
                        .collect()
                };
                let dtype = dr.dtype(true);
                // 0/1 values (true two times in three), the centre mostly true
                let spec = dr.array(
                    role,
                    shape,
                    dtype,
                    false,
                    move |dr, item, shape, strides, origin| {
                        let offsets = element_offsets(shape, strides);
                        let span = offsets
                            .iter()
                            .map(|&o| o + origin as isize)
                            .max()
                            .map_or(0, |m| m as usize + item);
                        let mut bytes = vec![0u8; span];
                        for &o in &offsets {
                            let v = if dr.d.below(3) == 0 { 0.0 } else { 1.0 };
                            let at = (o + origin as isize) as usize;
                            bytes[at..at + item].copy_from_slice(&encode(dtype, v)[..item]);
                        }
                        Some(bytes)
                    },
                );
                self.arrays.push(spec);
            }
            "iterations" => {
                c.iterations = if dr.d.chance(5) {
                    dr.d.pick(&[i64::MIN, 1 << 40, -7])
                } else {
                    dr.d.pick(&[1, 1, 2, 3, 0, -1])
                }
            }
            "border_value" => c.border_value = dr.d.pick(&[0, 1, 0, 1, -3, i32::MAX]),
            "origins2" => {
                let v = (0..rank)
                    .map(|_| {
                        isize_bytes(if dr.d.chance(5) {
                            dr.d.pick(&[3, -3, isize::MIN, isize::MAX])
                        } else {
                            dr.d.range(-1, 1) as isize
                        })
                    })
                    .collect();
                self.values.push(dr.values8(role, v, 30, false));
            }
            "structure_output" => {
                let shape = if dr.d.chance(90) {
                    vec![3; rank]
                } else {
                    dr.shape(rank)
                };
                let complex = dr.d.chance(5);
                let dtype = dr.dtype(!complex);
                dr.out_shape = shape.clone();
                dr.out_dtype = dtype;
                let spec = dr.array(role, shape, dtype, true, |_, _, _, _, _| None);
                self.arrays.push(spec);
            }
            "connectivity" => {
                c.connectivity = dr.d.pick(&[
                    1.0,
                    2.0,
                    3.0,
                    0.0,
                    -1.0,
                    1.5,
                    100.0,
                    f64::NAN,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                ])
            }
            "structure_iterations" => {
                c.structure_iterations = if dr.d.chance(8) {
                    dr.d.pick(&[i64::MIN, i64::MAX, 1 << 40, 1 << 62])
                } else {
                    dr.d.pick(&[1, 2, 2, 3, 0, -1])
                }
            }
            "iterated_output" => {
                // the shape ndi_iterate_structure_shape gives, mostly
                let structure = self
                    .arrays
                    .iter()
                    .find(|a| a.role == "structure_in")
                    .and_then(|a| a.valid.as_ref().map(|v| v.1.clone()));
                let n = c.structure_iterations;
                let iterated = structure.and_then(|s| {
                    let shape: Option<Vec<usize>> = s
                        .iter()
                        .map(|&k| {
                            if n < 2 {
                                Some(k)
                            } else {
                                let steps = usize::try_from(n - 1).ok()?;
                                k.checked_sub(1)?.checked_mul(steps)?.checked_add(k)
                            }
                        })
                        .collect();
                    shape.filter(|v| {
                        v.iter()
                            .try_fold(1usize, |acc, &k| acc.checked_mul(k))
                            .is_some_and(|n| n <= 4096)
                    })
                });
                let shape = match iterated {
                    Some(s) if !dr.d.chance(10) => s,
                    _ => dr.shape(rank),
                };
                let complex = dr.d.chance(5);
                let dtype = dr.dtype(!complex);
                let spec = dr.array(role, shape, dtype, true, |_, _, _, _, _| None);
                self.arrays.push(spec);
            }
            "distances" | "indices" => {
                if dr.d.chance(if role == "distances" { 25 } else { 35 }) {
                    self.arrays.push(ArraySpec {
                        role,
                        null: true,
                        dtype: 0,
                        rank: 0,
                        shape: vec![],
                        shape_null: false,
                        strides: None,
                        data: Data::Null,
                        valid: None,
                        output: true,
                    });
                    return;
                }
                let mut shape = if role == "indices" {
                    vec![rank]
                } else {
                    vec![]
                };
                shape.extend_from_slice(&dr.shape);
                if dr.d.chance(8) {
                    let r = 1 + dr.d.below(4);
                    shape = dr.shape(r);
                }
                let dtype = if dr.d.chance(15) {
                    dr.dtype(false)
                } else if role == "indices" {
                    NDI_DTYPE_INT32
                } else {
                    // edt: float64; bf: float64 (euclidean) or uint32; cdt: int32
                    match self.row.name {
                        "ndi_distance_transform_edt" => NDI_DTYPE_FLOAT64,
                        "ndi_distance_transform_cdt" => NDI_DTYPE_INT32,
                        _ => dr.d.pick(&[NDI_DTYPE_FLOAT64, NDI_DTYPE_UINT32]),
                    }
                };
                if role == "distances" {
                    dr.out_dtype = dtype;
                }
                let spec = dr.array(role, shape, dtype, true, |_, _, _, _, _| None);
                self.arrays.push(spec);
            }
            "sampling" => {
                let v = (0..rank)
                    .map(|_| {
                        f64_bytes(if dr.d.chance(5) {
                            dr.d.pick(&[f64::NAN, f64::INFINITY, 0.0, -1.5, 1e300, 1e-300])
                        } else {
                            dr.d.range(1, 8) as f64 * 0.5
                        })
                    })
                    .collect();
                self.values.push(dr.values8(role, v, 40, false));
            }
            "metric" => {
                // mostly the one that suits the distances drawn (float64: euclidean)
                let euclidean = dr.out_dtype == NDI_DTYPE_FLOAT64;
                c.metric = if dr.d.chance(5) {
                    dr.d.pick(&[-1, 0, NDI_MODE_REFLECT, NDI_METRIC_CHESSBOARD + 1, i32::MAX])
                } else if euclidean && dr.d.chance(85) {
                    NDI_METRIC_EUCLIDEAN
                } else {
                    dr.d.pick(&[
                        NDI_METRIC_TAXICAB,
                        NDI_METRIC_CHESSBOARD,
                        NDI_METRIC_EUCLIDEAN,
                    ])
                }
            }
            "metric_name" => {
                let name = dr.d.pick(&[
                    "euclidean",
                    "taxicab",
                    "cityblock",
                    "manhattan",
                    "chessboard",
                    "EUCLIDEAN",
                    "CityBlock",
                    "",
                    "chess",
                    "taxicab ",
                    "reflect",
                ]);
                self.metric_name = if dr.d.chance(5) {
                    None
                } else {
                    Some(CString::new(name).unwrap())
                };
            }
            "metric_out" => {
                self.values
                    .push(dr.values8(role, vec![isize_bytes(-7)], 10, true));
            }
            "labels" | "index" => {
                let null = if role == "labels" { 12 } else { 8 };
                if dr.d.chance(null) {
                    self.arrays.push(null_array(role, false));
                    return;
                }
                let shape = if role == "labels" {
                    if dr.d.chance(90) {
                        dr.shape.clone()
                    } else {
                        dr.shape(rank)
                    }
                } else if c.select == NDI_SELECT_VALUE && dr.d.chance(85) {
                    vec![1]
                } else if dr.d.chance(85) {
                    vec![dr.d.below(5)]
                } else {
                    let r = 1 + dr.d.below(3);
                    dr.shape(r)
                };
                let real = dr.d.chance(95);
                let dtype = dr.dtype(real);
                let spec = dr.array(role, shape, dtype, false, small_ints(dtype, -1, 4));
                self.arrays.push(spec);
            }
            "select" => {
                c.select = if dr.d.chance(5) {
                    dr.d.pick(&[-1, 0, NDI_MODE_REFLECT, NDI_SELECT_ALL_BUFFERED + 1])
                } else {
                    dr.d.pick(&[
                        NDI_SELECT_ALL,
                        NDI_SELECT_POSITIVE,
                        NDI_SELECT_VALUE,
                        NDI_SELECT_EACH,
                        NDI_SELECT_EACH,
                        NDI_SELECT_ALL_BUFFERED,
                    ])
                }
            }
            "stat_output"
            | "com_output"
            | "positions"
            | "extrema_minimum"
            | "extrema_maximum"
            | "extrema_min_positions"
            | "extrema_max_positions"
            | "hist_counts"
            | "group_sizes"
            | "comp_output" => {
                let nullable = role.starts_with("extrema_") || role == "group_sizes";
                if (nullable && dr.d.chance(25)) || (role == "comp_output" && dr.d.chance(15)) {
                    self.arrays.push(null_array(role, true));
                    return;
                }
                // one element per group (`rank` for coordinates), mostly
                let groups = match c.select {
                    NDI_SELECT_EACH => self
                        .arrays
                        .iter()
                        .find(|a| a.role == "index" && !a.null)
                        .and_then(|a| a.valid.as_ref())
                        .map_or(3, |v| v.1.iter().product::<usize>()),
                    _ => 1,
                };
                let coordinates = matches!(
                    role,
                    "com_output" | "positions" | "extrema_min_positions" | "extrema_max_positions"
                );
                let bins = usize::try_from(c.n_edges.saturating_sub(1))
                    .unwrap_or(1)
                    .min(64);
                let n = groups
                    * match role {
                        _ if coordinates => rank,
                        "hist_counts" => bins,
                        _ => 1,
                    };
                let shape = match dr.d.below(10) {
                    0 => vec![1, n],
                    1 => {
                        let r = 1 + dr.d.below(3);
                        dr.shape(r)
                    }
                    _ => vec![n],
                };
                let positions =
                    role.contains("positions") || role == "hist_counts" || role == "group_sizes";
                let dtype = if positions && dr.d.chance(85) {
                    NDI_DTYPE_INT64
                } else {
                    dr.dtype(false)
                };
                let spec = dr.array(role, shape, dtype, true, |_, _, _, _, _| None);
                self.arrays.push(spec);
            }
            "label_structure" => {
                if dr.d.chance(40) {
                    self.arrays.push(null_array(role, false));
                    return;
                }
                let odd = dr.d.chance(10);
                let shape: Vec<usize> = if odd {
                    let r = if dr.d.chance(50) {
                        rank
                    } else {
                        1 + dr.d.below(4)
                    };
                    (0..r).map(|_| dr.d.pick(&[1, 2, 3, 3, 0])).collect()
                } else {
                    vec![3; rank]
                };
                let complex = dr.d.chance(4);
                let dtype = dr.dtype(!complex);
                // symmetric through the centre (C order reversed), asymmetric when odd
                let spec = dr.array(
                    role,
                    shape,
                    dtype,
                    false,
                    move |dr, item, shape, strides, origin| {
                        let offsets = element_offsets(shape, strides);
                        let n = offsets.len();
                        let mut v: Vec<f64> =
                            (0..n).map(|_| (dr.d.below(3) != 0) as u8 as f64).collect();
                        if !odd {
                            for k in 0..n / 2 {
                                v[n - 1 - k] = v[k];
                            }
                        }
                        let span = offsets
                            .iter()
                            .map(|&o| o + origin as isize)
                            .max()
                            .map_or(0, |m| m as usize + item);
                        let mut bytes = vec![0u8; span];
                        for (k, &o) in offsets.iter().enumerate() {
                            let at = (o + origin as isize) as usize;
                            let value = match dtype {
                                NDI_DTYPE_COMPLEX64 => {
                                    [(v[k] as f32).to_le_bytes(), 0f32.to_le_bytes()].concat()
                                }
                                NDI_DTYPE_COMPLEX128 => {
                                    [v[k].to_le_bytes(), 0f64.to_le_bytes()].concat()
                                }
                                _ => encode(dtype, v[k]),
                            };
                            bytes[at..at + item].copy_from_slice(&value[..item]);
                        }
                        Some(bytes)
                    },
                );
                self.arrays.push(spec);
            }
            "num_labels" | "num_values" | "num_positions" => {
                self.values
                    .push(dr.values8(role, vec![isize_bytes(-7)], 20, true));
            }
            "max_label" => {
                c.max_label = if dr.d.chance(6) {
                    dr.d.pick(&[isize::MAX, isize::MIN, 1 << 40])
                } else if dr.d.chance(45) {
                    0
                } else {
                    dr.d.range(-1, 5) as isize
                }
            }
            "markers" => {
                let shape = if dr.d.chance(92) {
                    dr.shape.clone()
                } else {
                    dr.shape(rank)
                };
                let dtype = if dr.d.chance(85) {
                    dr.d.pick(&[
                        NDI_DTYPE_INT8,
                        NDI_DTYPE_INT16,
                        NDI_DTYPE_INT32,
                        NDI_DTYPE_INT64,
                    ])
                } else {
                    dr.dtype(false)
                };
                // mostly no marker; a few positive and negative ones
                let spec = dr.array(
                    role,
                    shape,
                    dtype,
                    false,
                    move |dr, item, shape, strides, origin| {
                        let offsets = element_offsets(shape, strides);
                        let span = offsets
                            .iter()
                            .map(|&o| o + origin as isize)
                            .max()
                            .map_or(0, |m| m as usize + item);
                        let mut bytes = vec![0u8; span];
                        if matches!(dtype, NDI_DTYPE_COMPLEX64 | NDI_DTYPE_COMPLEX128) {
                            return Some(bytes);
                        }
                        for &o in &offsets {
                            let v = if dr.d.chance(75) {
                                0
                            } else {
                                dr.d.range(-2, 3)
                            };
                            let at = (o + origin as isize) as usize;
                            bytes[at..at + item].copy_from_slice(&encode(dtype, v as f64)[..item]);
                        }
                        Some(bytes)
                    },
                );
                self.arrays.push(spec);
            }
            "ignore_value" => {
                if dr.d.chance(40) {
                    self.arrays.push(null_array(role, false));
                    return;
                }
                let shape = if dr.d.chance(90) {
                    vec![1]
                } else {
                    dr.shape(1)
                };
                let dtype = if dr.d.chance(85) {
                    dr.d.pick(&[
                        NDI_DTYPE_INT8,
                        NDI_DTYPE_UINT8,
                        NDI_DTYPE_INT32,
                        NDI_DTYPE_INT64,
                    ])
                } else {
                    dr.dtype(false)
                };
                let spec = dr.array(
                    role,
                    shape,
                    dtype,
                    false,
                    small_ints_recorded(dtype, -2, 3, Some("ignore_value")),
                );
                self.arrays.push(spec);
            }
            "boxes" | "vi_values" | "vi_counts" | "vi_indices" => {
                // NULL (to receive the sizes) for the three results alike, mostly
                let null =
                    if role == "boxes" || !self.arrays.iter().any(|a| a.role.starts_with("vi_")) {
                        dr.d.chance(30)
                    } else {
                        let others_null = self
                            .arrays
                            .iter()
                            .any(|a| a.role.starts_with("vi_") && a.null);
                        others_null != dr.d.chance(10)
                    };
                if null {
                    self.arrays.push(null_array(role, true));
                    return;
                }
                let recorded = |name: &str| {
                    dr.recorded
                        .iter()
                        .rev()
                        .find(|(r, _)| *r == name)
                        .map(|(_, v)| v.clone())
                };
                let input = recorded("input").unwrap_or_default();
                let n = if role == "boxes" {
                    let k = if c.max_label > 0 {
                        usize::try_from(c.max_label).unwrap_or(0)
                    } else {
                        input.iter().copied().max().unwrap_or(0).max(0) as usize
                    };
                    k.saturating_mul(2 * rank)
                } else {
                    let ignore = self
                        .arrays
                        .iter()
                        .find(|a| a.role == "ignore_value" && !a.null)
                        .and_then(|_| recorded("ignore_value"))
                        .and_then(|v| v.first().copied());
                    let kept: Vec<i64> = input
                        .iter()
                        .copied()
                        .filter(|&v| Some(v) != ignore)
                        .collect();
                    let mut distinct = kept.clone();
                    distinct.sort_unstable();
                    distinct.dedup();
                    match role {
                        "vi_indices" => rank * kept.len(),
                        _ => distinct.len(),
                    }
                };
                let n = if n > 4096 || dr.d.chance(8) {
                    dr.d.below(6)
                } else {
                    n
                };
                let shape = if dr.d.chance(85) { vec![n] } else { vec![1, n] };
                let input_dtype = self
                    .arrays
                    .iter()
                    .find(|a| a.role == "input")
                    .map_or(NDI_DTYPE_INT32, |a| a.dtype);
                let dtype = if dr.d.chance(10) {
                    dr.dtype(false)
                } else if role == "vi_values" {
                    input_dtype
                } else {
                    NDI_DTYPE_INT64
                };
                let spec = dr.array(role, shape, dtype, true, |_, _, _, _, _| None);
                self.arrays.push(spec);
            }
            "n_edges" => {
                // n_edges and the edges together (never more edges claimed than given, but
                // for counts the library must reject from the count alone)
                let n = if dr.d.chance(6) {
                    dr.d.pick(&[0, 1, -1, isize::MIN, isize::MAX])
                } else {
                    2 + dr.d.below(5) as isize
                };
                c.n_edges = n;
                let k = usize::try_from(n).unwrap_or(0).min(8);
                let mut v: Vec<f64> = (0..k).map(|_| dr.d.range(-4, 10) as f64 * 0.5).collect();
                if !dr.d.chance(10) {
                    v.sort_by(f64::total_cmp);
                } else if k > 0 && dr.d.chance(50) {
                    v[k / 2] = f64::NAN;
                }
                let v = v.into_iter().map(f64_bytes).collect();
                self.values.push(dr.values8("edges", v, 3, false));
            }
            "edges" => {}
            "label_cb" => {
                c.label_cb = if dr.d.chance(3) { None } else { Some(label_cb) };
                if dr.d.chance(15) {
                    self.fail_at = 1 + dr.d.below(4) as u64;
                }
            }
            "pass_flags" => {
                c.pass_flags = if dr.d.chance(5) {
                    dr.d.pick(&[4, 0x8000_0000])
                } else {
                    dr.d.pick(&[0, 1, 2, 3, 3])
                }
            }
            "default_value" => c.default_value = dr.d.pick(&[0.0, -1.5, f64::NAN, 1e300, 7.0]),
            "npad" => {
                self.values
                    .push(dr.values8(role, vec![isize_bytes(-7)], 10, true));
            }
            "coeff_output" => {
                // the input's shape padded as ndi_spline_padding says, mostly
                let pad = if c.prefilter != 0
                    && c.order > 1
                    && (c.mode == NDI_MODE_NEAREST || c.mode == NDI_MODE_GRID_CONSTANT)
                {
                    12
                } else {
                    0
                };
                let shape = if dr.d.chance(90) {
                    dr.shape.iter().map(|&n| n + 2 * pad).collect()
                } else {
                    dr.shape(rank)
                };
                let input_complex = self.arrays.iter().any(|a| {
                    a.role == "input"
                        && matches!(a.dtype, NDI_DTYPE_COMPLEX64 | NDI_DTYPE_COMPLEX128)
                });
                let dtype = if dr.d.chance(15) {
                    dr.dtype(false)
                } else if input_complex {
                    NDI_DTYPE_COMPLEX128
                } else {
                    NDI_DTYPE_FLOAT64
                };
                let spec = dr.array(role, shape, dtype, true, |_, _, _, _, _| None);
                self.arrays.push(spec);
            }
            "batch_memory" => {
                c.batch_memory = if dr.d.chance(8) {
                    dr.d.pick(&[1, 7, usize::MAX, 1 << 62])
                } else {
                    dr.d.pick(&[0, 0, 8, 64, 200, 1 << 20])
                }
            }
            "vectorized_cb" => {
                c.vectorized_cb = if dr.d.chance(3) {
                    None
                } else {
                    Some(vectorized_cb)
                };
                if dr.d.chance(15) {
                    self.fail_at = 1 + dr.d.below(6) as u64;
                }
            }
            other => panic!(
                "{}: role {other:?} has no generator in tests/harness/mod.rs",
                self.row.name
            ),
        }
    }

    /// Places the regions: the output region after room for regions aliased before it, every
    /// other region after it with guards between, aliased ones inside the output's memory.
    fn layout_arena(&mut self, b: Builder) {
        let longest = b.regions.iter().map(|r| r.len).max().unwrap_or(0);
        let mut at = GUARD + longest.div_ceil(8) * 8 + 64;
        let out_at = at;
        let mut regions = b.regions.clone();
        let mut aliased = vec![false; regions.len()];
        if let Some(o) = b.output_region {
            regions[o].at = out_at;
            at = out_at + regions[o].len + GUARD + 64;
        }
        for (k, r) in regions.iter_mut().enumerate() {
            if Some(k) == b.output_region {
                continue;
            }
            match (b.aliased[k], b.output_region) {
                (Some(offset), Some(_)) => {
                    r.at = (out_at as isize + offset).max(8) as usize;
                    aliased[k] = true;
                }
                _ => {
                    at = at.div_ceil(8) * 8;
                    r.at = at;
                    at += r.len + GUARD;
                }
            }
        }
        let total = regions.iter().map(|r| r.at + r.len).max().unwrap_or(0) + GUARD;
        let mut arena = vec![0xA5u8; total];
        // Contents: the output first, then the others (aliased ones over it: what they read).
        let mut order: Vec<usize> = (0..regions.len()).collect();
        order.sort_by_key(|&k| Some(k) != b.output_region);
        for k in order {
            let r = regions[k];
            arena[r.at..r.at + r.len].copy_from_slice(&b.contents[k]);
        }
        self.arena = arena;
        self.regions = regions;
        self.aliased = aliased;
    }

    /// The same case with every region in memory of its own (the bytes each region held in
    /// this case's arena).
    pub fn separated(&self) -> Option<Case> {
        if !self.aliased.iter().any(|&a| a) {
            return None;
        }
        let mut regions = self.regions.clone();
        let mut at = self.arena.len() + GUARD;
        let mut extra = Vec::new();
        for (k, r) in regions.iter_mut().enumerate() {
            if self.aliased[k] {
                at = at.div_ceil(8) * 8;
                extra.push((at, self.arena[r.at..r.at + r.len].to_vec()));
                r.at = at;
                at += r.len + GUARD;
            }
        }
        let mut arena = self.arena.clone();
        arena.resize(at + GUARD, 0xA5);
        for (at, bytes) in extra {
            arena[at..at + bytes.len()].copy_from_slice(&bytes);
        }
        Some(Case {
            row: self.row,
            arena,
            regions,
            aliased: vec![false; self.aliased.len()],
            arrays: self.arrays.clone(),
            values: self.values.clone(),
            scalars: self.scalars,
            mode_name: self.mode_name.clone(),
            metric_name: self.metric_name.clone(),
            options: self.options,
            fail_at: self.fail_at,
            progress_cancel_at: self.progress_cancel_at,
        })
    }

    /// The drawn arguments, for a failure's report.
    pub fn describe(&self) -> String {
        let mut out = format!("{}: arena {} bytes\n", self.row.name, self.arena.len());
        for a in &self.arrays {
            out += &format!(
                "  {} null={} dtype={:#x} rank={} shape={:?} strides={:?} data={:?}{}\n",
                a.role,
                a.null,
                a.dtype,
                a.rank,
                a.shape,
                a.strides,
                a.data,
                match a.data {
                    Data::In { region, .. } => format!(
                        " region {:?} aliased={} bytes={:?}",
                        self.regions[region],
                        self.aliased[region],
                        &self.arena[self.regions[region].at
                            ..self.regions[region].at + self.regions[region].len.min(160)]
                    ),
                    _ => String::new(),
                }
            );
        }
        for v in &self.values {
            out += &format!(
                "  {} region={:?} bytes={:?}\n",
                v.role,
                v.region.map(|r| self.regions[r]),
                v.region.map(|r| {
                    let g = self.regions[r];
                    &self.arena[g.at..g.at + g.len.min(64)]
                })
            );
        }
        let c = &self.scalars;
        out += &format!(
            "  iterations={} border_value={} filter_size={} origin={} axis={} order={} mode={:#x} cval={} options={:?} progress={:?} fail_at={}\n",
            c.iterations, c.border_value,
            c.filter_size, c.origin, c.axis, c.order, c.mode, c.cval, self.options, self.progress_cancel_at, self.fail_at
        );
        out
    }

    /// Whether the case has anything placed in the output's memory.
    pub fn is_aliased(&self) -> bool {
        self.aliased.iter().any(|&a| a)
    }

    /// The bytes an error may leave written: ndi_label's count.
    fn written_on_error(&self) -> Vec<bool> {
        let mut mask = vec![false; self.arena.len()];
        if self.row.name == "ndi_label" {
            for v in self.values.iter().filter(|v| v.role == "num_labels") {
                if let Some(r) = v.region {
                    let r = self.regions[r];
                    mask[r.at..r.at + r.len].iter_mut().for_each(|m| *m = true);
                }
            }
        }
        mask
    }

    /// The bytes the call may write: the elements of valid output descriptors and the
    /// written value arrays.
    fn writable(&self) -> Vec<bool> {
        let mut mask = vec![false; self.arena.len()];
        for a in &self.arrays {
            if !a.output || a.null {
                continue;
            }
            let Data::In { region, offset } = a.data else {
                continue;
            };
            let base = self.regions[region].at + offset;
            if let Some((item, shape, strides)) = &a.valid {
                if shape.iter().all(|&n| n > 0) {
                    for o in element_offsets(shape, strides) {
                        let Some(at) = (base as isize).checked_add(o) else {
                            continue;
                        };
                        if at < 0 || at as usize + item > mask.len() {
                            continue;
                        }
                        let at = at as usize;
                        mask[at..at + item].iter_mut().for_each(|m| *m = true);
                    }
                }
            }
        }
        for v in &self.values {
            if let (true, Some(r)) = (v.written, v.region) {
                let r = self.regions[r];
                mask[r.at..r.at + r.len].iter_mut().for_each(|m| *m = true);
            }
        }
        mask
    }
}

fn blank_call() -> Call {
    Call {
        input: std::ptr::null(),
        output: std::ptr::null(),
        output_complex: std::ptr::null(),
        output_free: std::ptr::null(),
        output_coords: std::ptr::null(),
        footprint: std::ptr::null(),
        coordinates: std::ptr::null(),
        size: std::ptr::null(),
        origins: std::ptr::null(),
        filter_size: 3,
        origin: 0,
        axis: 0,
        axis0: 0,
        axis1: 1,
        order: 1,
        mode: NDI_MODE_REFLECT,
        prefilter: 1,
        grid_mode: 0,
        reshape: 0,
        rank: 2,
        thread_count: 0,
        cval: 0.0,
        angle: 0.0,
        shift: std::ptr::null(),
        offset: std::ptr::null(),
        zoom: std::ptr::null(),
        matrix: std::ptr::null(),
        matrix_shape: std::ptr::null(),
        matrix_ndim: 2,
        filter_cb: None,
        filter1d_cb: None,
        transform_cb: None,
        user_data: std::ptr::null_mut(),
        shape: std::ptr::null(),
        out_shape: std::ptr::null_mut(),
        identity: std::ptr::null_mut(),
        mode_name: std::ptr::null(),
        mode_out: std::ptr::null_mut(),
        options: std::ptr::null(),
        status_code: 0,
        options_out: std::ptr::null_mut(),
        struct_size: 0,
        weights1d: std::ptr::null(),
        weights: std::ptr::null(),
        sizes: std::ptr::null(),
        axes: std::ptr::null(),
        n_axes: 0,
        modes: std::ptr::null(),
        sigmas: std::ptr::null(),
        gauss_orders: std::ptr::null(),
        radii: std::ptr::null(),
        sigma: 1.0,
        gauss_order: 0,
        truncate: 4.0,
        radius: -1,
        kernel_radius: 1,
        length: 3,
        kernel_out: std::ptr::null_mut(),
        kernel_cb: None,
        derivative_cb: None,
        deriv_options: std::ptr::null_mut(),
        mode_list: std::ptr::null(),
        n_modes: 1,
        filter_rank: 0,
        percentile: 50.0,
        grey_structure: std::ptr::null(),
        fourier_sizes: std::ptr::null(),
        fourier_n: -1,
        structure: std::ptr::null(),
        structure2: std::ptr::null(),
        mask: std::ptr::null(),
        iterations: 1,
        border_value: 0,
        origins2: std::ptr::null(),
        structure_output: std::ptr::null(),
        connectivity: 1.0,
        structure_in: std::ptr::null(),
        structure_iterations: 2,
        iterated_output: std::ptr::null(),
        sampling: std::ptr::null(),
        distances: std::ptr::null(),
        indices: std::ptr::null(),
        metric: NDI_METRIC_EUCLIDEAN,
        chamfer_metric: std::ptr::null(),
        metric_name: std::ptr::null(),
        metric_out: std::ptr::null_mut(),
        npad: std::ptr::null_mut(),
        coeff_output: std::ptr::null(),
        batch_memory: 0,
        vectorized_cb: None,
        labels: std::ptr::null(),
        select: NDI_SELECT_ALL,
        index: std::ptr::null(),
        stat_output: std::ptr::null(),
        com_output: std::ptr::null(),
        positions: std::ptr::null(),
        extrema_minimum: std::ptr::null(),
        extrema_maximum: std::ptr::null(),
        extrema_min_positions: std::ptr::null(),
        extrema_max_positions: std::ptr::null(),
        edges: std::ptr::null(),
        n_edges: 2,
        hist_counts: std::ptr::null(),
        group_sizes: std::ptr::null(),
        label_cb: None,
        pass_flags: 0,
        default_value: 0.0,
        comp_output: std::ptr::null(),
        label_structure: std::ptr::null(),
        num_labels: std::ptr::null_mut(),
        max_label: 0,
        boxes: std::ptr::null(),
        ignore_value: std::ptr::null(),
        vi_values: std::ptr::null(),
        vi_counts: std::ptr::null(),
        vi_indices: std::ptr::null(),
        num_values: std::ptr::null_mut(),
        num_positions: std::ptr::null_mut(),
        markers: std::ptr::null(),
    }
}

// ---- running ------------------------------------------------------------------------------

/// How a case is run.
#[derive(Clone, Copy, Debug)]
pub struct RunAs {
    /// Replace the options' thread count (and allow threads for the callbacks).
    pub threads: Option<i32>,
    /// Callback failures and progress as drawn (false: neither, for comparisons).
    pub as_drawn: bool,
}

/// What a run gave.
pub struct Outcome {
    /// A library call of a callback that failed by itself (its message).
    pub inner_failure: Option<String>,
    pub status: ndi_status,
    pub message: String,
    pub arena: Vec<u8>,
    pub callback_calls: u64,
    pub callback_failed: bool,
    pub fractions: Vec<f64>,
    pub progress_off_thread: u64,
    pub progress_after_cancel: u64,
    pub cancelled: bool,
}

impl Case {
    pub fn run(&self, how: RunAs) -> Outcome {
        // The arena in 8-aligned memory.
        let mut words = vec![0u64; self.arena.len().div_ceil(8)];
        // SAFETY: u64 storage viewed as bytes.
        let arena: &mut [u8] = unsafe {
            std::slice::from_raw_parts_mut(words.as_mut_ptr() as *mut u8, self.arena.len())
        };
        arena.copy_from_slice(&self.arena);
        let base = arena.as_mut_ptr();
        let ptr = |region: usize| unsafe { base.add(self.regions[region].at) };
        // Descriptors (outside the arena).
        let shapes: Vec<Vec<isize>> = self.arrays.iter().map(|a| a.shape.clone()).collect();
        let strides: Vec<Option<Vec<isize>>> =
            self.arrays.iter().map(|a| a.strides.clone()).collect();
        let descs: Vec<ndi_array> = self
            .arrays
            .iter()
            .enumerate()
            .map(|(k, a)| ndi_array {
                data: match a.data {
                    Data::Null => std::ptr::null_mut(),
                    Data::In { region, offset } => unsafe {
                        ptr(region).add(offset) as *mut c_void
                    },
                    Data::Wild(addr) => addr as *mut c_void,
                },
                dtype: a.dtype,
                rank: a.rank,
                shape: if a.shape_null {
                    std::ptr::null()
                } else {
                    shapes[k].as_ptr()
                },
                strides: strides[k].as_ref().map_or(std::ptr::null(), |s| s.as_ptr()),
            })
            .collect();
        let mut c = self.scalars;
        for (k, a) in self.arrays.iter().enumerate() {
            let p: *const ndi_array = if a.null { std::ptr::null() } else { &descs[k] };
            match a.role {
                "input" => c.input = p,
                "output" => c.output = p,
                "output_complex" => c.output_complex = p,
                "output_free" => c.output_free = p,
                "output_coords" => c.output_coords = p,
                "footprint" => c.footprint = p,
                "coordinates" => c.coordinates = p,
                "weights1d" => c.weights1d = p,
                "weights" => c.weights = p,
                "grey_structure" => c.grey_structure = p,
                "structure" => c.structure = p,
                "structure2" => c.structure2 = p,
                "mask" => c.mask = p,
                "structure_output" => c.structure_output = p,
                "structure_in" => c.structure_in = p,
                "iterated_output" => c.iterated_output = p,
                "distances" => c.distances = p,
                "indices" => c.indices = p,
                "chamfer_metric" => c.chamfer_metric = p,
                "coeff_output" => c.coeff_output = p,
                "labels" => c.labels = p,
                "index" => c.index = p,
                "stat_output" => c.stat_output = p,
                "com_output" => c.com_output = p,
                "positions" => c.positions = p,
                "extrema_minimum" => c.extrema_minimum = p,
                "extrema_maximum" => c.extrema_maximum = p,
                "extrema_min_positions" => c.extrema_min_positions = p,
                "extrema_max_positions" => c.extrema_max_positions = p,
                "hist_counts" => c.hist_counts = p,
                "group_sizes" => c.group_sizes = p,
                "comp_output" => c.comp_output = p,
                "label_structure" => c.label_structure = p,
                "boxes" => c.boxes = p,
                "ignore_value" => c.ignore_value = p,
                "vi_values" => c.vi_values = p,
                "vi_counts" => c.vi_counts = p,
                "vi_indices" => c.vi_indices = p,
                "markers" => c.markers = p,
                other => unreachable!("{other}"),
            }
        }
        for v in &self.values {
            let p = v.region.map_or(std::ptr::null_mut(), ptr);
            match v.role {
                "size" => c.size = p as *const isize,
                "origins" => c.origins = p as *const isize,
                "shift" => c.shift = p as *const f64,
                "offset" => c.offset = p as *const f64,
                "zoom" => c.zoom = p as *const f64,
                "matrix" => c.matrix = p as *const f64,
                "matrix_shape" => c.matrix_shape = p as *const isize,
                "shape" => c.shape = p as *const isize,
                "out_shape" => c.out_shape = p as *mut isize,
                "identity" => c.identity = p as *mut i32,
                "mode_out" => c.mode_out = p as *mut i32,
                "options_out" => c.options_out = p as *mut ndi_options,
                "sizes" => c.sizes = p as *const isize,
                "axes" => c.axes = p as *const i32,
                "modes" => c.modes = p as *const i32,
                "sigmas" => c.sigmas = p as *const f64,
                "gauss_orders" => c.gauss_orders = p as *const c_int,
                "radii" => c.radii = p as *const isize,
                "kernel_out" => c.kernel_out = p as *mut f64,
                "mode_list" => c.mode_list = p as *const i32,
                "fourier_sizes" => c.fourier_sizes = p as *const f64,
                "origins2" => c.origins2 = p as *const isize,
                "sampling" => c.sampling = p as *const f64,
                "metric_out" => c.metric_out = p as *mut i32,
                "npad" => c.npad = p as *mut isize,
                "edges" => c.edges = p as *const f64,
                "num_labels" => c.num_labels = p as *mut isize,
                "num_values" => c.num_values = p as *mut isize,
                "num_positions" => c.num_positions = p as *mut isize,
                other => unreachable!("{other}"),
            }
        }
        if let Some(name) = &self.mode_name {
            c.mode_name = name.as_ptr();
        }
        if let Some(name) = &self.metric_name {
            c.metric_name = name.as_ptr();
        }
        let state = CallbackState {
            calls: AtomicU64::new(0),
            fail_at: if how.as_drawn { self.fail_at } else { 0 },
            inner_failure: Mutex::new(None),
            refused: Default::default(),
        };
        c.user_data = &state as *const CallbackState as *mut c_void;
        let progress = ProgressState {
            caller: Some(std::thread::current().id()),
            cancel_at: self.progress_cancel_at.unwrap_or(0),
            ..Default::default()
        };
        // Options: a buffer as large as the struct_size claims (newer callers' tails zero).
        let mut options_buf = vec![0u64; 1 << 15];
        let mut spec = self.options;
        if let Some(threads) = how.threads {
            let s = spec.get_or_insert(OptionsSpec {
                struct_size: std::mem::size_of::<ndi_options>(),
                flags: 0,
                threads,
                cval_imag: 0.0,
                nan_policy: 0,
            });
            s.threads = threads;
            s.flags |= NDI_FLAG_THREAD_SAFE_CALLBACK;
        }
        if let Some(o) = spec {
            let opt = options_buf.as_mut_ptr() as *mut ndi_options;
            // SAFETY: the buffer holds 256 KiB, more than any struct_size drawn but 1 MiB,
            // which the library rejects from the first field alone.
            unsafe {
                ndi_options_init(opt, std::mem::size_of::<ndi_options>());
                (*opt).struct_size = o.struct_size;
                (*opt).flags = o.flags;
                (*opt).threads = o.threads;
                (*opt).cval_imag = o.cval_imag;
                (*opt).nan_policy = o.nan_policy;
                if how.as_drawn && self.progress_cancel_at.is_some() {
                    (*opt).progress = Some(progress_cb);
                    (*opt).progress_user_data = &progress as *const ProgressState as *mut c_void;
                }
            }
            c.options = opt;
        }
        c.deriv_options = c.options as *mut c_void;
        // SAFETY: every pointer of `c` is NULL, wild (rejected by the descriptor checks), or
        // points into the arena, the descriptors or the option buffer, all alive here, with
        // the extents the drawn shapes say.
        let status = unsafe { (self.row.call)(&c) };
        // SAFETY: never NULL; valid until the next call on this thread.
        let message = unsafe { CStr::from_ptr(ndi_last_error_message()) }
            .to_string_lossy()
            .into_owned();
        let calls = state.calls.load(Ordering::Relaxed);
        let inner_failure = state.inner_failure.lock().unwrap().take();
        Outcome {
            inner_failure,
            status,
            message,
            arena: arena.to_vec(),
            callback_calls: calls,
            callback_failed: (state.fail_at != 0 && calls >= state.fail_at)
                || state.refused.load(Ordering::Relaxed),
            fractions: progress.fractions.into_inner().unwrap(),
            progress_off_thread: progress.off_thread.load(Ordering::Relaxed),
            progress_after_cancel: progress.after_cancel.load(Ordering::Relaxed),
            cancelled: progress.cancelled.load(Ordering::Relaxed) != 0,
        }
    }
}

// ---- invariants ---------------------------------------------------------------------------

/// The statuses a call may return.
const STATUSES: [ndi_status; 8] = [
    NDI_OK,
    NDI_ERR_NULL_POINTER,
    NDI_ERR_INVALID_ARGUMENT,
    NDI_ERR_INVALID_ARRAY,
    NDI_ERR_SHAPE_MISMATCH,
    NDI_ERR_CALLBACK_FAILED,
    NDI_ERR_OUT_OF_MEMORY,
    NDI_ERR_CANCELLED,
];

/// Counts of what the cases of a run gave.
#[derive(Default, Debug, Clone)]
pub struct Tally {
    pub cases: u64,
    pub ok: u64,
    pub errors: u64,
    pub compared_threads: u64,
    pub compared_aliasing: u64,
    pub cancelled: u64,
    pub callback_failed: u64,
}

/// Runs a case and checks every invariant; `Err` says which failed.
pub fn check(case: &Case, tally: &mut Tally) -> Result<(), String> {
    let name = case.row.name;
    let first = case.run(RunAs {
        threads: None,
        as_drawn: true,
    });
    tally.cases += 1;
    let s = first.status;
    if let Some(m) = &first.inner_failure {
        return Err(format!(
            "the library gave a callback arguments a library call rejects: {m}"
        ));
    }
    if s == NDI_ERR_INTERNAL {
        return Err(format!("internal error (a panic): {}", first.message));
    }
    if !STATUSES.contains(&s) {
        return Err(format!("unknown status {s}"));
    }
    if case.row.status && (s == NDI_OK) != first.message.is_empty() {
        return Err(format!("status {s} with message {:?}", first.message));
    }
    if s != NDI_OK && !first.message.contains(name) {
        return Err(format!("message {:?} does not name {name}", first.message));
    }
    // Writes: only output elements, and nothing at all after an argument error.
    let writable = case.writable();
    let partial = s == NDI_OK || s == NDI_ERR_CALLBACK_FAILED || s == NDI_ERR_CANCELLED;
    // ndi_label writes the count when it does not fit the output's type (so that the caller
    // can retry with a wider one): the one value written on an error.
    let on_error = case.written_on_error();
    for (k, (&before, &after)) in case.arena.iter().zip(&first.arena).enumerate() {
        if before != after && !(partial && writable[k]) && !on_error[k] {
            return Err(format!(
                "status {s} ({}): byte {k} of the arena written ({before:#x} -> {after:#x}){}",
                first.message,
                if writable[k] {
                    " (an output element, after an error)"
                } else {
                    " outside the outputs"
                }
            ));
        }
    }
    // Progress (an options struct too short for the progress fields has none).
    let with_progress = case.progress_cancel_at.is_some()
        && case
            .options
            .is_some_and(|o| o.struct_size >= std::mem::size_of::<ndi_options>());
    if with_progress {
        let f = &first.fractions;
        if first.progress_off_thread != 0 {
            return Err("progress reported from another thread".into());
        }
        if first.progress_after_cancel != 0 {
            return Err("progress reported after it cancelled".into());
        }
        if f.iter().any(|x| !(0.0..=1.0).contains(x)) || f.windows(2).any(|w| w[1] < w[0]) {
            return Err(format!("progress fractions {f:?}"));
        }
        if s == NDI_OK && f.last() != Some(&1.0) {
            return Err(format!("success without a final report of 1.0: {f:?}"));
        }
        // (a part of the work on another thread may fail with its own error meanwhile)
        let other_failure = first.callback_failed || s == NDI_ERR_OUT_OF_MEMORY;
        if first.cancelled && s != NDI_ERR_CANCELLED && !other_failure {
            return Err(format!("cancelled, but status {s} ({})", first.message));
        }
        if s == NDI_ERR_CANCELLED && !first.cancelled {
            return Err("NDI_ERR_CANCELLED without a cancel".into());
        }
    }
    if !case.row.status {
        tally.ok += 1;
        return Ok(());
    }
    if s == NDI_ERR_CANCELLED {
        tally.cancelled += 1;
    }
    if s == NDI_ERR_CALLBACK_FAILED {
        tally.callback_failed += 1;
        if !first.callback_failed {
            return Err("NDI_ERR_CALLBACK_FAILED without a failing callback".into());
        }
    }
    if s != NDI_OK {
        tally.errors += 1;
        return Ok(());
    }
    tally.ok += 1;
    if first.callback_failed || name == "ndi_set_default_threads" {
        return Ok(());
    }
    // The same bytes on 1 and on 3 threads, and with separate memory.
    let one = case.run(RunAs {
        threads: Some(1),
        as_drawn: false,
    });
    let three = case.run(RunAs {
        threads: Some(3),
        as_drawn: false,
    });
    if one.status != NDI_OK || three.status != NDI_OK {
        return Err(format!(
            "OK as drawn, but {} on 1 thread and {} on 3 ({} / {})",
            one.status, three.status, one.message, three.message
        ));
    }
    if one.arena != first.arena || three.arena != first.arena {
        let which = if one.arena != first.arena {
            "1 thread"
        } else {
            "3 threads"
        };
        let k = first
            .arena
            .iter()
            .zip(if one.arena != first.arena {
                &one.arena
            } else {
                &three.arena
            })
            .position(|(a, b)| a != b)
            .unwrap();
        return Err(format!(
            "{which} gives other bytes (first at arena byte {k})"
        ));
    }
    tally.compared_threads += 1;
    if let Some(separate) = case.separated() {
        let sep = separate.run(RunAs {
            threads: Some(1),
            as_drawn: false,
        });
        if sep.status != NDI_OK {
            return Err(format!(
                "aliased OK, separate memory {} ({})",
                sep.status, sep.message
            ));
        }
        // The output's region (and every region not aliased) holds the same bytes.
        for (k, r) in case.regions.iter().enumerate() {
            if case.aliased[k] {
                continue;
            }
            if first.arena[r.at..r.at + r.len] != sep.arena[r.at..r.at + r.len] {
                let at = (r.at..r.at + r.len)
                    .find(|&b| first.arena[b] != sep.arena[b])
                    .unwrap();
                return Err(format!(
                    "aliased memory gives other bytes than separate memory (region {k}, first at arena byte {at}: {:#x} aliased, {:#x} separate, {:#x} before))",
                    first.arena[at], sep.arena[at], case.arena[at]
                ));
            }
        }
        tally.compared_aliasing += 1;
    }
    Ok(())
}

/// Runs one fuzz input: the first byte picks the row (or `only`, a function name).
pub fn run_bytes(data: &[u8], only: Option<&str>) {
    let rows: Vec<&'static Row> = ROWS
        .iter()
        .filter(|r| only.map_or(true, |o| r.name == o))
        .collect();
    if rows.is_empty() || data.is_empty() {
        return;
    }
    let row = rows[data[0] as usize % rows.len()];
    let mut draw = Draw::from_bytes(&data[1..]);
    let case = Case::draw(row, &mut draw);
    let mut tally = Tally::default();
    if let Err(e) = check(&case, &mut tally) {
        panic!("{}: {e}", row.name);
    }
}
