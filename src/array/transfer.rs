//! Moving elements between views and line buffers: lines, runs of a line, and blocks of
//! adjacent lines, read as `f64` (the one conversion of [`super::dtype`]) or in the element's
//! own type, and written back with a [`StoreRule`].
//!
//! Every transfer checks its bounds once, through [`Layout`], before touching memory; the loops
//! inside then run without checks. This is the only place besides [`super::view`] where the
//! library dereferences caller memory.

use super::dtype::{with_native, Native};
use super::layout::{block, Layout};
use super::view::{ArrayMut, ArrayRef};

/// How computed values are converted to integer element types (scipy's filters and its
/// interpolation store differently; see the variants).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreRule {
    /// Filters working line by line (`generic_filter1d`, `spline_filter`): truncation toward zero.
    Truncate,
    /// `generic_filter`: truncation toward zero, negative values converted through their
    /// magnitude (differs from `Truncate` only for uint64 at or below -2^63, see
    /// `Native::from_f64_negating`).
    TruncateNegating,
    /// Interpolation: rounding half away from zero with clipping.
    Round,
}

impl ArrayRef<'_> {
    /// Reads the first `out.len()` elements of the line through `index` along `axis`
    /// (`index[axis]` is ignored), converted to `f64`.
    pub fn read_line(&self, index: &[usize], axis: usize, out: &mut [f64]) {
        self.read_run(index, axis, 0, out)
    }

    /// Reads elements `from .. from + out.len()` of the line through `index` along `axis`.
    pub fn read_run(&self, index: &[usize], axis: usize, from: usize, out: &mut [f64]) {
        let (start, stride) = self.layout.run(index, axis, from, out.len());
        with_native!(self.dtype(), T => {
            // SAFETY: `run` bounds-checked the elements; in-bounds elements are readable.
            unsafe { read_elements::<T, f64>(self.base, start, stride, out, T::to_f64) }
        })
    }

    /// Reads elements `from .. from + re.len()` of the line through `index` along `axis` of a
    /// complex array in one pass: the real parts into `re`, the imaginary parts into `im`
    /// (as long as `re`), converted to `f64`.
    pub fn read_run_complex(
        &self,
        index: &[usize],
        axis: usize,
        from: usize,
        re: &mut [f64],
        im: &mut [f64],
    ) {
        assert_eq!(re.len(), im.len(), "part buffers of different lengths");
        let (start, stride) = self.layout.run(index, axis, from, re.len());
        match self.dtype() {
            // SAFETY (both): `run` bounds-checked the elements; in-bounds elements are
            // readable complex elements, two parts of the named type each.
            super::DType::Complex64 => unsafe {
                read_pairs::<f32>(self.base, start, stride, re, im)
            },
            super::DType::Complex128 => unsafe {
                read_pairs::<f64>(self.base, start, stride, re, im)
            },
            other => panic!("read_run_complex of a {} array", other.name()),
        }
    }

    /// [`ArrayRef::read_run`] in the element's own type `T` (which must be the view's).
    pub(crate) fn read_run_as<T: Native>(
        &self,
        index: &[usize],
        axis: usize,
        from: usize,
        out: &mut [T],
    ) {
        assert_eq!(
            T::DTYPE,
            self.dtype(),
            "native read of another element type"
        );
        let (start, stride) = self.layout.run(index, axis, from, out.len());
        if stride == std::mem::size_of::<T>() as isize && !out.is_empty() {
            // SAFETY: `run` bounds-checked the contiguous run of `out.len()` readable elements
            // of type T at `base + start`; `out` is a distinct Rust buffer of that many.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    self.base.offset(start),
                    out.as_mut_ptr() as *mut u8,
                    std::mem::size_of_val(out),
                )
            };
            return;
        }
        // SAFETY: `run` bounds-checked the elements, which are readable elements of type T.
        unsafe { read_elements::<T, T>(self.base, start, stride, out, |v| v) }
    }

    /// Reads elements `from .. from + out.len()` of the line through `index` along `axis` as
    /// truth values: `out[k]` is 1 where the element is non-zero (NaN included, -0.0 not; a
    /// bool byte other than 0 is true), else 0. This is scipy's `value ? 1 : 0` of binary
    /// morphology and the distance transforms.
    pub fn read_run_nonzero(&self, index: &[usize], axis: usize, from: usize, out: &mut [u8]) {
        let (start, stride) = self.layout.run(index, axis, from, out.len());
        with_native!(self.dtype(), T => {
            let zero = T::default();
            // SAFETY: `run` bounds-checked the elements; in-bounds elements are readable.
            // (Not read_elements: its contiguous same-type copy would keep a uint8 2 as 2.)
            unsafe { read_converted::<T, u8>(self.base, start, stride, out, |v| u8::from(v != zero)) }
        })
    }

    /// Reads `lanes` whole lines along `axis` (those at `lanes` consecutive indices of
    /// `lane_axis` from `index[lane_axis]`) into `out`, one after another (`out.len()` is
    /// lanes × the axis length). Walking the lanes together reads memory in order when
    /// `lane_axis` is the contiguous one, which reading a strided line alone does not.
    /// `lane_axis = None` reads one line.
    pub fn read_lines(
        &self,
        index: &[usize],
        axis: usize,
        lane_axis: Option<usize>,
        out: &mut [f64],
    ) {
        let Some(lane_axis) = lane_axis else {
            return self.read_line(index, axis, out);
        };
        with_native!(self.dtype(), T => {
            // SAFETY: the view's invariant makes every in-bounds element readable.
            unsafe { read_block::<T, f64>(self.base, &self.layout, index, axis, lane_axis, out, T::to_f64) }
        })
    }

    /// Reads `lanes` whole lines along `axis` (those at consecutive indices of `lane_axis`
    /// from `index[lane_axis]`) into `out` **interleaved**: sample `i` of lane `l` goes to
    /// `out[i * lanes + l]` (`out.len()` is lanes × the axis length). For kernels that work
    /// across neighbouring lines; `lane_axis = None` reads one line.
    pub fn read_lines_interleaved(
        &self,
        index: &[usize],
        axis: usize,
        lane_axis: Option<usize>,
        out: &mut [f64],
    ) {
        let Some(lane_axis) = lane_axis else {
            return self.read_line(index, axis, out);
        };
        with_native!(self.dtype(), T => {
            // SAFETY: the view's invariant makes every in-bounds element readable.
            unsafe { read_interleaved::<T>(self.base, &self.layout, index, axis, lane_axis, out) }
        })
    }

    /// [`ArrayRef::read_lines`] in the element's own type `T` (which must be the view's).
    pub(crate) fn read_lines_as<T: Native>(
        &self,
        index: &[usize],
        axis: usize,
        lane_axis: Option<usize>,
        out: &mut [T],
    ) {
        assert_eq!(
            T::DTYPE,
            self.dtype(),
            "native read of another element type"
        );
        match lane_axis {
            // SAFETY: the view's invariant makes every in-bounds element readable, and they
            // are elements of type T.
            Some(l) => unsafe {
                read_block::<T, T>(self.base, &self.layout, index, axis, l, out, |v| v)
            },
            None => self.read_run_as(index, axis, 0, out),
        }
    }
}

impl ArrayMut<'_> {
    /// Reads a line as [`ArrayRef::read_line`] does.
    pub fn read_line(&self, index: &[usize], axis: usize, out: &mut [f64]) {
        self.view().read_line(index, axis, out)
    }

    /// Reads lines as [`ArrayRef::read_lines`] does.
    pub fn read_lines(
        &self,
        index: &[usize],
        axis: usize,
        lane_axis: Option<usize>,
        out: &mut [f64],
    ) {
        self.view().read_lines(index, axis, lane_axis, out)
    }

    /// Writes `values` into the first `values.len()` elements of the line through `index` along
    /// `axis`, converted with the filter rule (truncation).
    pub fn write_line(&mut self, index: &[usize], axis: usize, values: &[f64]) {
        self.store_line(index, axis, values, StoreRule::Truncate)
    }

    /// Writes lines laid out as [`ArrayRef::read_lines`] reads them, with the filter rule
    /// (`lane_axis = None`: one line).
    pub fn write_lines(
        &mut self,
        index: &[usize],
        axis: usize,
        lane_axis: Option<usize>,
        values: &[f64],
    ) {
        self.store_lines(index, axis, lane_axis, values, StoreRule::Truncate)
    }

    /// As [`ArrayMut::write_lines`], converting with `rule`.
    pub fn store_lines(
        &mut self,
        index: &[usize],
        axis: usize,
        lane_axis: Option<usize>,
        values: &[f64],
        rule: StoreRule,
    ) {
        self.store_block_of_lines(index, axis, lane_axis, values, rule, false)
    }

    /// Reads lines interleaved as [`ArrayRef::read_lines_interleaved`] does.
    pub fn read_lines_interleaved(
        &self,
        index: &[usize],
        axis: usize,
        lane_axis: Option<usize>,
        out: &mut [f64],
    ) {
        self.view()
            .read_lines_interleaved(index, axis, lane_axis, out)
    }

    /// Writes lines laid out interleaved, as [`ArrayRef::read_lines_interleaved`] reads
    /// them, converting with `rule` (`lane_axis = None`: one line).
    pub fn store_lines_interleaved(
        &mut self,
        index: &[usize],
        axis: usize,
        lane_axis: Option<usize>,
        values: &[f64],
        rule: StoreRule,
    ) {
        self.store_block_of_lines(index, axis, lane_axis, values, rule, true)
    }

    /// The body of [`ArrayMut::store_lines`] (`interleaved` false) and
    /// [`ArrayMut::store_lines_interleaved`].
    fn store_block_of_lines(
        &mut self,
        index: &[usize],
        axis: usize,
        lane_axis: Option<usize>,
        values: &[f64],
        rule: StoreRule,
        interleaved: bool,
    ) {
        let Some(lane_axis) = lane_axis else {
            return self.store_line(index, axis, values, rule);
        };
        let Some(at) = BlockAt::new(&self.layout, index, axis, lane_axis, values.len()) else {
            return;
        };
        /// One loop per layout and rule, so that the conversion is inlined into it.
        ///
        /// # Safety
        /// As [`store_block`].
        #[inline(always)]
        unsafe fn store<T>(
            base: *mut u8,
            at: BlockAt,
            values: &[f64],
            interleaved: bool,
            convert: impl Fn(f64) -> T,
        ) {
            // SAFETY: the caller's contract, which both functions share.
            unsafe {
                if interleaved {
                    store_interleaved(base, at, values, convert)
                } else {
                    store_block(base, at, values, convert)
                }
            }
        }
        let base = self.base;
        with_native!(self.dtype(), T => {
            // SAFETY (all three): `BlockAt::new` checked the first and last lines of the block,
            // every element between is in bounds, and in-bounds elements are writable.
            match rule {
                StoreRule::Truncate => unsafe { store(base, at, values, interleaved, T::from_f64) },
                StoreRule::Round => unsafe { store(base, at, values, interleaved, T::from_f64_rounded) },
                StoreRule::TruncateNegating => unsafe {
                    store(base, at, values, interleaved, T::from_f64_negating)
                },
            }
        })
    }

    /// As [`ArrayMut::write_line`], converting with `rule`.
    pub fn store_line(&mut self, index: &[usize], axis: usize, values: &[f64], rule: StoreRule) {
        self.store_run(index, axis, 0, values, rule)
    }

    /// Writes `values` into elements `from .. from + values.len()` of the line through
    /// `index` along `axis`, converted with `rule`.
    pub fn store_run(
        &mut self,
        index: &[usize],
        axis: usize,
        from: usize,
        values: &[f64],
        rule: StoreRule,
    ) {
        let (start, stride) = self.layout.run(index, axis, from, values.len());
        let base = self.base;
        with_native!(self.dtype(), T => {
            // SAFETY (all three): `run` checked that these elements are in bounds, and the
            // view's invariant makes every in-bounds element writable. One loop per rule, so
            // that the conversion is inlined into it.
            match rule {
                StoreRule::Truncate => unsafe {
                    store_elements(base, start, stride, values, T::from_f64)
                },
                StoreRule::Round => unsafe {
                    store_elements(base, start, stride, values, T::from_f64_rounded)
                },
                StoreRule::TruncateNegating => unsafe {
                    store_elements(base, start, stride, values, T::from_f64_negating)
                },
            }
        })
    }

    /// Writes truth values (`values[k]` 0 or non-zero) into elements
    /// `from .. from + values.len()` of the line through `index` along `axis`, as 0 and 1 of
    /// the view's element type (binary morphology's outputs).
    pub fn store_run_bits(&mut self, index: &[usize], axis: usize, from: usize, values: &[u8]) {
        let (start, stride) = self.layout.run(index, axis, from, values.len());
        let base = self.base;
        with_native!(self.dtype(), T => {
            let (zero, one) = (T::default(), T::from_f64(1.0));
            // SAFETY: `run` checked that these elements are in bounds, and the view's
            // invariant makes every in-bounds element writable.
            unsafe {
                store_elements(base, start, stride, values, |v: u8| if v != 0 { one } else { zero })
            }
        })
    }

    /// Reads a run as [`ArrayRef::read_run_as`] does (`T` must be the view's element type).
    pub(crate) fn read_run_as<T: Native>(
        &self,
        index: &[usize],
        axis: usize,
        from: usize,
        out: &mut [T],
    ) {
        self.view().read_run_as(index, axis, from, out)
    }

    /// Reads lines as [`ArrayRef::read_lines_as`] does (`T` must be the view's element type).
    pub(crate) fn read_lines_as<T: Native>(
        &self,
        index: &[usize],
        axis: usize,
        lane_axis: Option<usize>,
        out: &mut [T],
    ) {
        self.view().read_lines_as(index, axis, lane_axis, out)
    }

    /// Writes `values` (of any element type `W`) into elements `from .. from + values.len()`
    /// of the line through `index` along `axis`, converted by NumPy's casting
    /// ([`Native::from_scalar`]; a plain copy when `W` is the view's own type).
    pub(crate) fn store_run_as<W: Native>(
        &mut self,
        index: &[usize],
        axis: usize,
        from: usize,
        values: &[W],
    ) {
        let (start, stride) = self.layout.run(index, axis, from, values.len());
        let base = self.base;
        if W::DTYPE == self.dtype() && stride == std::mem::size_of::<W>() as isize {
            if !values.is_empty() {
                // SAFETY: `run` checked that this contiguous run of `values.len()` elements
                // of the view's type (W's) is in bounds and writable; `values` is a distinct
                // Rust buffer.
                unsafe {
                    std::ptr::copy_nonoverlapping(
                        values.as_ptr() as *const u8,
                        base.offset(start),
                        std::mem::size_of_val(values),
                    )
                };
            }
            return;
        }
        if W::DTYPE == self.dtype() {
            // The view's own type: stored as it is (a bool byte keeps its value).
            // SAFETY: `run` checked that these elements are in bounds, and the view's
            // invariant makes every in-bounds element writable; they are elements of W's
            // type.
            unsafe { store_elements(base, start, stride, values, |w: W| w) };
            return;
        }
        with_native!(self.dtype(), T => {
            // SAFETY: `run` checked that these elements are in bounds, and the view's
            // invariant makes every in-bounds element writable.
            unsafe { store_elements(base, start, stride, values, |w: W| T::from_scalar(w.to_scalar())) }
        })
    }

    /// Writes lines laid out as [`ArrayRef::read_lines`] reads them (`lane_axis = None`: one
    /// line), from values of any element type `W` converted as [`ArrayMut::store_run_as`]
    /// converts them.
    pub(crate) fn store_lines_as<W: Native>(
        &mut self,
        index: &[usize],
        axis: usize,
        lane_axis: Option<usize>,
        values: &[W],
    ) {
        let Some(lane_axis) = lane_axis else {
            return self.store_run_as(index, axis, 0, values);
        };
        let Some(at) = BlockAt::new(&self.layout, index, axis, lane_axis, values.len()) else {
            return;
        };
        let base = self.base;
        if W::DTYPE == self.dtype() {
            // SAFETY: as below; the elements are of W's type, stored as they are.
            unsafe { store_block(base, at, values, |w: W| w) };
            return;
        }
        with_native!(self.dtype(), T => {
            // SAFETY: `block` checked the first and last lines of the block, every element
            // between is in bounds, and in-bounds elements are writable.
            unsafe { store_block(base, at, values, |w: W| T::from_scalar(w.to_scalar())) }
        })
    }

    /// Writes elements `from .. from + re.len()` of the line through `index` along `axis` of a
    /// complex array in one pass, real parts from `re` and imaginary parts from `im`, each
    /// rounded to the part type.
    pub fn store_run_complex(
        &mut self,
        index: &[usize],
        axis: usize,
        from: usize,
        re: &[f64],
        im: &[f64],
    ) {
        assert_eq!(re.len(), im.len(), "part buffers of different lengths");
        let (start, stride) = self.layout.run(index, axis, from, re.len());
        match self.dtype() {
            // SAFETY (both): `run` checked that these elements are in bounds, and the view's
            // invariant makes every in-bounds element writable: two parts of the named type.
            super::DType::Complex64 => unsafe {
                store_pairs::<f32>(self.base, start, stride, re, im)
            },
            super::DType::Complex128 => unsafe {
                store_pairs::<f64>(self.base, start, stride, re, im)
            },
            other => panic!("store_run_complex of a {} array", other.name()),
        }
    }

    /// Copies every element of `source` (same shape and element type) into this view, byte
    /// for byte.
    pub(crate) fn copy_from(&mut self, source: &ArrayRef<'_>) {
        assert_eq!(
            source.shape(),
            self.shape(),
            "copy between different shapes"
        );
        assert_eq!(source.dtype(), self.dtype(), "copy between element types");
        if self.layout.is_empty() {
            return;
        }
        let item = self.dtype().item_size();
        let mut index = vec![0usize; self.rank()];
        loop {
            let (from, to) = (source.layout.offset(&index), self.layout.offset(&index));
            // SAFETY: `offset` bounds-checked the index in both layouts; in-bounds elements of
            // `source` are readable and of `self` writable, `item` bytes each.
            unsafe {
                std::ptr::copy(source.base.offset(from), self.base.offset(to), item);
            }
            if !super::layout::advance(&mut index, self.shape(), None) {
                return;
            }
        }
    }
}

/// Writes `convert(values[k])` to the element at `base + start + k·stride`.
///
/// # Safety
/// Those `values.len()` elements are writable elements of type `T`.
#[inline(always)]
unsafe fn store_elements<T, V: Copy>(
    base: *mut u8,
    start: isize,
    stride: isize,
    values: &[V],
    convert: impl Fn(V) -> T,
) {
    // Unit strides get copies of the loop with a constant stride, which the compiler
    // vectorises.
    let size = std::mem::size_of::<T>() as isize;
    let store = |stride: isize| {
        for (k, &v) in values.iter().enumerate() {
            // SAFETY: the caller's contract.
            unsafe {
                std::ptr::write_unaligned(
                    base.offset(start + k as isize * stride) as *mut T,
                    convert(v),
                )
            };
        }
    };
    match stride {
        s if s == size => store(size),
        s if s == -size => store(-size),
        _ => store(stride),
    }
}

/// `out[k] = convert(element at base + start + k·stride)`. `convert` must be the identity when
/// `O` is `T` (the native reads, and `f64::to_f64`): such a contiguous run is copied as bytes.
///
/// # Safety
/// The `out.len()` elements at `base + start + k·stride` are readable elements of type `T`.
#[inline(always)]
unsafe fn read_elements<T: Native, O: 'static>(
    base: *const u8,
    start: isize,
    stride: isize,
    out: &mut [O],
    convert: impl Fn(T) -> O,
) {
    // Unit strides get copies of the loop with a constant stride, which the compiler
    // vectorises; a contiguous run of the buffer's own type is one copy.
    let size = std::mem::size_of::<T>() as isize;
    if stride == size && std::any::TypeId::of::<T>() == std::any::TypeId::of::<O>() {
        // SAFETY: the caller's contract makes the `out.len()` elements from `base + start`
        // readable; they are `O` values (O is T), and `out` is a distinct, writable buffer of
        // as many. Copied as bytes: the source need not be aligned.
        unsafe {
            std::ptr::copy_nonoverlapping(
                base.offset(start),
                out.as_mut_ptr() as *mut u8,
                std::mem::size_of_val(out),
            )
        };
        return;
    }
    // SAFETY: the caller's contract.
    unsafe { read_converted(base, start, stride, out, convert) }
}

/// `out[k] = convert(element at base + start + k·stride)`, element by element, for any
/// `convert`.
///
/// # Safety
/// As [`read_elements`].
#[inline(always)]
unsafe fn read_converted<T: Native, O>(
    base: *const u8,
    start: isize,
    stride: isize,
    out: &mut [O],
    convert: impl Fn(T) -> O,
) {
    let size = std::mem::size_of::<T>() as isize;
    // SAFETY (all three): the caller's contract.
    match stride {
        s if s == size => unsafe { read_strided(base, start, size, out, convert) },
        s if s == -size => unsafe { read_strided(base, start, -size, out, convert) },
        _ => unsafe { read_strided(base, start, stride, out, convert) },
    }
}

/// The loop of [`read_elements`], inlined into each of its cases.
///
/// # Safety
/// As [`read_elements`].
#[inline(always)]
unsafe fn read_strided<T: Native, O>(
    base: *const u8,
    start: isize,
    stride: isize,
    out: &mut [O],
    convert: impl Fn(T) -> O,
) {
    for (k, o) in out.iter_mut().enumerate() {
        // SAFETY: the caller's contract.
        let v: T = unsafe {
            std::ptr::read_unaligned(base.offset(start + k as isize * stride) as *const T)
        };
        *o = convert(v);
    }
}

/// `re[k]`, `im[k]` = the two parts of the complex element at `base + start + k·stride`, each
/// a `T`, converted to `f64`.
///
/// # Safety
/// Those `re.len()` elements are readable, each two consecutive `T`s.
#[inline(always)]
unsafe fn read_pairs<T: Native>(
    base: *const u8,
    start: isize,
    stride: isize,
    re: &mut [f64],
    im: &mut [f64],
) {
    let part = std::mem::size_of::<T>() as isize;
    let mut read = |stride: isize| {
        for (k, (r, i)) in re.iter_mut().zip(im.iter_mut()).enumerate() {
            let at = start + k as isize * stride;
            // SAFETY: the caller's contract.
            unsafe {
                *r = std::ptr::read_unaligned(base.offset(at) as *const T).to_f64();
                *i = std::ptr::read_unaligned(base.offset(at + part) as *const T).to_f64();
            }
        }
    };
    // Contiguous elements get a copy of the loop with a constant stride, which the compiler
    // vectorises.
    match stride {
        s if s == 2 * part => read(2 * part),
        _ => read(stride),
    }
}

/// Writes `re[k]`, `im[k]` (rounded to `T`) as the complex element at `base + start + k·stride`.
///
/// # Safety
/// Those `re.len()` elements are writable, each two consecutive `T`s.
#[inline(always)]
unsafe fn store_pairs<T: Native>(
    base: *mut u8,
    start: isize,
    stride: isize,
    re: &[f64],
    im: &[f64],
) {
    let part = std::mem::size_of::<T>() as isize;
    let store = |stride: isize| {
        for (k, (&r, &i)) in re.iter().zip(im).enumerate() {
            let at = start + k as isize * stride;
            // SAFETY: the caller's contract.
            unsafe {
                std::ptr::write_unaligned(base.offset(at) as *mut T, T::from_f64(r));
                std::ptr::write_unaligned(base.offset(at + part) as *mut T, T::from_f64(i));
            }
        }
    };
    match stride {
        s if s == 2 * part => store(2 * part),
        _ => store(stride),
    }
}

/// Asks the processor to bring the cache line holding `at` closer (a hint: no memory is
/// accessed, so `at` need not be valid).
#[inline(always)]
fn prefetch(at: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch never faults, whatever the address; SSE is part of x86-64's baseline.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(at as *const i8)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

/// Where a block of whole lines lies: the first element, the stride along the lines, the
/// stride between lanes, and how many lanes of how many positions.
#[derive(Clone, Copy)]
struct BlockAt {
    start: isize,
    stride: isize,
    lane_stride: isize,
    lanes: usize,
    n: usize,
}

impl BlockAt {
    /// The block of `len / n` whole lines along `axis` (`n` its length) at consecutive
    /// indices of `lane_axis` from `index`, bounds-checked (its first and last lines); `None`
    /// when the lines are empty.
    fn new(
        layout: &Layout,
        index: &[usize],
        axis: usize,
        lane_axis: usize,
        len: usize,
    ) -> Option<Self> {
        let n = layout.shape()[axis];
        let lanes = len.checked_div(n).unwrap_or(0);
        assert_eq!(lanes * n, len, "buffer is not whole lines");
        if n == 0 {
            return None;
        }
        let (start, stride, lane_stride) = block(layout, index, axis, lane_axis, lanes, n);
        Some(BlockAt {
            start,
            stride,
            lane_stride,
            lanes,
            n,
        })
    }

    /// Prefetches the tile starting at position `i0` (if `i0 < n`): the block's elements at
    /// positions `i0 .. i0 + TILE`. Only when the lanes are the nearer neighbours in memory:
    /// then consecutive positions are far apart (often a page or more) and the hardware does
    /// not see them coming; otherwise each lane is a sequential stream it does see.
    #[inline(always)]
    fn prefetch_tile(&self, base: *const u8, i0: usize) {
        let span = (self.lanes as isize - 1) * self.lane_stride;
        if span.unsigned_abs() >= self.stride.unsigned_abs() {
            return;
        }
        for i in i0..self.n.min(i0 + TILE) {
            let row = self.start + i as isize * self.stride;
            let (lo, hi) = (row.min(row + span), row.max(row + span));
            let mut at = lo;
            while at <= hi {
                prefetch(base.wrapping_offset(at));
                at += 64;
            }
        }
    }

    /// Byte offset of position `i` of lane `b`.
    #[inline(always)]
    fn at(&self, b: usize, i: usize) -> isize {
        self.start + i as isize * self.stride + b as isize * self.lane_stride
    }
}

/// Positions along the line per tile of a block transfer: one cache line of float64.
const TILE: usize = 8;

/// Reads a block of lines (as [`ArrayRef::read_lines`]) converted by `convert`.
///
/// # Safety
/// Every in-bounds element of `layout` at `base` is a readable element of type `T`.
unsafe fn read_block<T: Native, O>(
    base: *const u8,
    layout: &Layout,
    index: &[usize],
    axis: usize,
    lane_axis: usize,
    out: &mut [O],
    convert: impl Fn(T) -> O,
) {
    let Some(at) = BlockAt::new(layout, index, axis, lane_axis, out.len()) else {
        return;
    };
    let (n, lanes) = (at.n, at.lanes);
    // Tiles of TILE positions along the line: each lane's values of a tile fill a cache line
    // of `out` at once (a position at a time would write `lanes` lines whose addresses differ
    // by a multiple of the page size, which evict one another).
    for i0 in (0..n).step_by(TILE) {
        at.prefetch_tile(base, i0 + 2 * TILE);
        for b in 0..lanes {
            for i in i0..n.min(i0 + TILE) {
                // SAFETY: `block` checked the block's first and last lines; all between are in
                // bounds.
                let v: T =
                    unsafe { std::ptr::read_unaligned(base.offset(at.at(b, i)) as *const T) };
                out[b * n + i] = convert(v);
            }
        }
    }
}

/// Writes a block of lines (laid out as [`read_block`] reads them) converted by `convert`.
///
/// # Safety
/// The block's elements (checked in bounds by the caller through `block`) are writable
/// elements of type `T`.
#[inline(always)]
unsafe fn store_block<T, V: Copy>(
    base: *mut u8,
    at: BlockAt,
    values: &[V],
    convert: impl Fn(V) -> T,
) {
    for i0 in (0..at.n).step_by(TILE) {
        at.prefetch_tile(base, i0 + 2 * TILE);
        for b in 0..at.lanes {
            for i in i0..at.n.min(i0 + TILE) {
                // SAFETY: the caller's contract.
                unsafe {
                    std::ptr::write_unaligned(
                        base.offset(at.at(b, i)) as *mut T,
                        convert(values[b * at.n + i]),
                    )
                };
            }
        }
    }
}

/// Reads a block of lines interleaved (as [`ArrayRef::read_lines_interleaved`]).
///
/// # Safety
/// Every in-bounds element of `layout` at `base` is a readable element of type `T`.
unsafe fn read_interleaved<T: Native>(
    base: *const u8,
    layout: &Layout,
    index: &[usize],
    axis: usize,
    lane_axis: usize,
    out: &mut [f64],
) {
    let Some(at) = BlockAt::new(layout, index, axis, lane_axis, out.len()) else {
        return;
    };
    let (n, lanes, start, stride, lane_stride) =
        (at.n, at.lanes, at.start, at.stride, at.lane_stride);
    let size = std::mem::size_of::<T>() as isize;
    // SAFETY (every read below): `block` checked the block's first and last lines; every
    // element between is in bounds.
    let read = |b: usize, i: usize| unsafe {
        std::ptr::read_unaligned(base.offset(at.at(b, i)) as *const T).to_f64()
    };
    if lane_stride.unsigned_abs() <= stride.unsigned_abs() {
        // The lanes of one position are the nearer neighbours: a row at a time, with a
        // constant unit stride where it is one, which the compiler vectorises.
        for i in 0..n {
            let row = &mut out[i * lanes..(i + 1) * lanes];
            if lane_stride == size {
                // SAFETY: as above; `lane_stride` is the item size here.
                let first = start + i as isize * stride;
                for (b, o) in row.iter_mut().enumerate() {
                    *o = unsafe {
                        std::ptr::read_unaligned(base.offset(first + b as isize * size) as *const T)
                    }
                    .to_f64();
                }
            } else {
                for (b, o) in row.iter_mut().enumerate() {
                    *o = read(b, i);
                }
            }
        }
    } else {
        // Each lane's line is the nearer: tiles of TILE positions, lane by lane.
        for i0 in (0..n).step_by(TILE) {
            at.prefetch_tile(base, i0 + 2 * TILE);
            for b in 0..lanes {
                for i in i0..n.min(i0 + TILE) {
                    out[i * lanes + b] = read(b, i);
                }
            }
        }
    }
}

/// Writes a block of interleaved lines (laid out as [`read_interleaved`] reads them).
///
/// # Safety
/// The block's elements (checked in bounds by the caller through `block`) are writable
/// elements of type `T`.
#[inline(always)]
unsafe fn store_interleaved<T>(
    base: *mut u8,
    at: BlockAt,
    values: &[f64],
    convert: impl Fn(f64) -> T,
) {
    let size = std::mem::size_of::<T>() as isize;
    // SAFETY (every write below): the caller's contract.
    let write = |b: usize, i: usize, v: f64| unsafe {
        std::ptr::write_unaligned(base.offset(at.at(b, i)) as *mut T, convert(v))
    };
    if at.lane_stride.unsigned_abs() <= at.stride.unsigned_abs() {
        for i in 0..at.n {
            let row = &values[i * at.lanes..(i + 1) * at.lanes];
            if at.lane_stride == size {
                let first = at.start + i as isize * at.stride;
                for (b, &v) in row.iter().enumerate() {
                    // SAFETY: the caller's contract; the lane stride is the item size.
                    unsafe {
                        std::ptr::write_unaligned(
                            base.offset(first + b as isize * size) as *mut T,
                            convert(v),
                        )
                    };
                }
            } else {
                for (b, &v) in row.iter().enumerate() {
                    write(b, i, v);
                }
            }
        }
    } else {
        for i0 in (0..at.n).step_by(TILE) {
            at.prefetch_tile(base, i0 + 2 * TILE);
            for b in 0..at.lanes {
                for i in i0..at.n.min(i0 + TILE) {
                    write(b, i, values[i * at.lanes + b]);
                }
            }
        }
    }
}
