//! The raw strided-array layer: dtype-erased views over caller memory with byte strides.
//!
//! ndarray cannot express every layout a C caller (or numpy) hands us: byte strides that are not
//! a multiple of the item size, unaligned data, memory that may alias another argument. This
//! layer holds such arrays and offers the numeric core a *safe* interface: whole lines are read
//! into `f64` buffers and written back from them, by index, with bounds checked per line.
//!
//! All `unsafe` memory access of the library lives here. The invariant every view keeps:
//! for every in-bounds index `i`, the bytes `base + Σ i[a]·strides[a] .. + item_size` are valid
//! for reads (and, for [`ArrayMut`], writes) for the lifetime `'a`. Views built from ndarray get
//! it from ndarray; views built from raw pointers get it from their (unsafe) constructor's caller.

use std::marker::PhantomData;

use super::dtype::{with_native, DType, Native};
use crate::error::Error;

/// Largest rank accepted (numpy's limit).
pub const MAX_RANK: usize = 64;

/// Shape, byte strides and element type of an array; validated on construction.
#[derive(Clone, Debug)]
pub struct Layout {
    dtype: DType,
    shape: Vec<usize>,
    strides: Vec<isize>,
    /// Lowest and one-past-highest byte offset touched, relative to the base pointer.
    span: (isize, isize),
    len: usize,
}

impl Layout {
    /// Validates a layout: rank, sizes that overflow, and byte extents that do not fit `isize`.
    /// `strides = None` means C-contiguous.
    pub fn new(dtype: DType, shape: &[usize], strides: Option<&[isize]>) -> Result<Self, Error> {
        let what = "array";
        Self::named(what, dtype, shape, strides)
    }

    /// As [`Layout::new`], naming the argument in error messages.
    pub fn named(
        name: &str,
        dtype: DType,
        shape: &[usize],
        strides: Option<&[isize]>,
    ) -> Result<Self, Error> {
        if shape.len() > MAX_RANK {
            return Err(Error::InvalidArray(format!(
                "{name}: rank {} exceeds the maximum of {MAX_RANK}",
                shape.len()
            )));
        }
        let item = dtype.item_size() as isize;
        let overflow = || Error::InvalidArray(format!("{name}: size overflows the address space"));
        let mut len: usize = 1;
        for &n in shape {
            if n > isize::MAX as usize {
                return Err(overflow());
            }
            len = len.checked_mul(n).ok_or_else(overflow)?;
        }
        if len > isize::MAX as usize {
            return Err(overflow());
        }
        let strides: Vec<isize> = match strides {
            Some(s) => {
                if s.len() != shape.len() {
                    return Err(Error::InvalidArray(format!(
                        "{name}: {} strides given for rank {}",
                        s.len(),
                        shape.len()
                    )));
                }
                s.to_vec()
            }
            None => {
                let mut s = vec![0isize; shape.len()];
                let mut acc: isize = item;
                for a in (0..shape.len()).rev() {
                    s[a] = acc;
                    acc = acc
                        .checked_mul(shape[a].max(1) as isize)
                        .ok_or_else(overflow)?;
                }
                s
            }
        };
        // Byte span: the lowest and highest offsets reached; both must fit isize and, with the
        // item size added, the total must too.
        let (mut lo, mut hi) = (0isize, 0isize);
        if len > 0 {
            for (&n, &st) in shape.iter().zip(&strides) {
                let reach = (n as isize - 1).checked_mul(st).ok_or_else(overflow)?;
                if reach < 0 {
                    lo = lo.checked_add(reach).ok_or_else(overflow)?;
                } else {
                    hi = hi.checked_add(reach).ok_or_else(overflow)?;
                }
            }
            hi = hi.checked_add(item).ok_or_else(overflow)?;
            hi.checked_sub(lo).ok_or_else(overflow)?;
        }
        Ok(Layout {
            dtype,
            shape: shape.to_vec(),
            strides,
            span: (lo, hi),
            len,
        })
    }

    pub fn dtype(&self) -> DType {
        self.dtype
    }
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }
    pub fn strides(&self) -> &[isize] {
        &self.strides
    }
    pub fn rank(&self) -> usize {
        self.shape.len()
    }
    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// Lowest and one-past-highest byte offset addressed, relative to the first element.
    pub fn span(&self) -> (isize, isize) {
        self.span
    }

    /// Whether distinct indices can address overlapping bytes. Checked by a sufficient
    /// condition: sorted by stride magnitude, each stride steps over the whole extent of the
    /// smaller ones. Every layout numpy creates without `as_strided` passes.
    pub fn elements_may_overlap(&self) -> bool {
        self.elements_may_overlap_as(self.dtype.item_size())
    }

    /// As [`Layout::elements_may_overlap`] for elements of `item_size` bytes (a complex
    /// element viewed through its real part is twice the part's size).
    pub fn elements_may_overlap_as(&self, item_size: usize) -> bool {
        if self.len == 0 {
            // numpy gives empty arrays zero strides; there is nothing to overlap.
            return false;
        }
        let mut axes: Vec<(usize, usize)> = self
            .shape
            .iter()
            .zip(&self.strides)
            .filter(|(&n, _)| n > 1)
            .map(|(&n, &s)| (s.unsigned_abs(), n))
            .collect();
        axes.sort_unstable();
        let mut extent = item_size;
        for (stride, n) in axes {
            if stride < extent {
                return true;
            }
            extent += stride * (n - 1);
        }
        false
    }

    /// Byte offset of `index`, with bounds checked (a panic here is a bug in the core, caught at
    /// the FFI boundary; it never reaches memory).
    #[inline]
    fn offset(&self, index: &[usize]) -> isize {
        self.offset_with(index, None)
    }

    /// [`Layout::offset`] of `index` with its entry on one axis replaced: `Some((axis, i))`.
    #[inline]
    fn offset_with(&self, index: &[usize], replace: Option<(usize, usize)>) -> isize {
        assert_eq!(index.len(), self.shape.len(), "index rank");
        let mut off = 0isize;
        for (a, ((&i, &n), &s)) in index.iter().zip(&self.shape).zip(&self.strides).enumerate() {
            let i = match replace {
                Some((axis, at)) if axis == a => at,
                _ => i,
            };
            assert!(i < n, "index out of bounds");
            off += i as isize * s;
        }
        off
    }

    /// The byte offset and layout of the plane spanned by `axes` through `index`.
    fn plane(&self, axes: [usize; 2], index: &[usize]) -> (isize, Layout) {
        assert!(axes[0] < self.rank() && axes[1] < self.rank(), "plane axes");
        let mut start = index.to_vec();
        start[axes[0]] = 0;
        start[axes[1]] = 0;
        let offset = if self.is_empty() {
            0
        } else {
            self.offset(&start)
        };
        let shape = [self.shape[axes[0]], self.shape[axes[1]]];
        let strides = [self.strides[axes[0]], self.strides[axes[1]]];
        let layout = Layout::new(self.dtype, &shape, Some(&strides))
            .expect("a plane of a valid layout is valid");
        (offset, layout)
    }

    /// Checks that the line through `index` along `axis` has `len` elements; returns the byte
    /// offset of its first element and its stride.
    #[inline]
    fn line(&self, index: &[usize], axis: usize, len: usize) -> (isize, isize) {
        self.run(index, axis, 0, len)
    }

    /// Checks that the line through `index` along `axis` has elements `from .. from + len`;
    /// returns the byte offset of element `from` and the stride.
    #[inline]
    fn run(&self, index: &[usize], axis: usize, from: usize, len: usize) -> (isize, isize) {
        assert!(axis < self.shape.len(), "axis out of range");
        assert!(
            from <= self.shape[axis] && len <= self.shape[axis] - from,
            "run beyond the end of the axis"
        );
        if len == 0 {
            return (0, self.strides[axis]);
        }
        (
            self.offset_with(index, Some((axis, from))),
            self.strides[axis],
        )
    }
}

/// Where a block of `lanes` whole lines along `axis` starts, for lines at consecutive
/// indices `index[lane_axis] ..` of `lane_axis`: (first element's offset, stride along
/// `axis`, stride between lanes). Bounds are checked.
fn block(
    layout: &Layout,
    index: &[usize],
    axis: usize,
    lane_axis: usize,
    lanes: usize,
    len: usize,
) -> (isize, isize, isize) {
    assert!(axis != lane_axis && lane_axis < layout.rank(), "lane axis");
    assert!(
        lanes >= 1 && index[lane_axis] + lanes <= layout.shape[lane_axis],
        "lanes beyond the end of the axis"
    );
    let (start, stride) = layout.line(index, axis, len);
    let lane_stride = layout.strides[lane_axis];
    // The last lane's line is in bounds too (the first is checked by `line`).
    let mut last = index.to_vec();
    last[lane_axis] += lanes - 1;
    layout.line(&last, axis, len);
    (start, stride, lane_stride)
}

/// A read-only view of caller memory.
#[derive(Clone, Debug)]
pub struct ArrayRef<'a> {
    base: *const u8,
    layout: Layout,
    _life: PhantomData<&'a [u8]>,
}

/// A writable view of caller memory.
#[derive(Debug)]
pub struct ArrayMut<'a> {
    base: *mut u8,
    layout: Layout,
    _life: PhantomData<&'a mut [u8]>,
}

// SAFETY: views are plain pointers plus layout; sharing an ArrayRef across threads only reads.
unsafe impl Send for ArrayRef<'_> {}
unsafe impl Sync for ArrayRef<'_> {}
unsafe impl Send for ArrayMut<'_> {}

impl<'a> ArrayRef<'a> {
    /// # Safety
    /// `base` must be valid for reads of every element the layout addresses, for `'a`
    /// (it may be dangling when the layout has no elements).
    pub unsafe fn from_raw(base: *const u8, layout: Layout) -> Self {
        ArrayRef {
            base,
            layout,
            _life: PhantomData,
        }
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }
    pub fn shape(&self) -> &[usize] {
        self.layout.shape()
    }
    pub fn dtype(&self) -> DType {
        self.layout.dtype
    }

    /// Address range `[lo, hi)` of the bytes this view can touch (empty for no elements).
    pub fn byte_range(&self) -> (usize, usize) {
        byte_range(self.base as usize, &self.layout)
    }

    /// Reads the first `out.len()` elements of the line through `index` along `axis`
    /// (`index[axis]` is ignored), converted to `f64`.
    pub fn read_line(&self, index: &[usize], axis: usize, out: &mut [f64]) {
        // SAFETY: the view's invariant makes every in-bounds element readable.
        unsafe { read_line_raw(self.base, &self.layout, index, axis, out) }
    }

    /// The 2-D view of the plane spanned by `axes` through `index` (whose entries on `axes`
    /// are ignored).
    pub fn plane(&self, axes: [usize; 2], index: &[usize]) -> ArrayRef<'_> {
        let (offset, layout) = self.layout.plane(axes, index);
        // SAFETY: the plane's elements are elements of this view (`plane` checked the index).
        unsafe { ArrayRef::from_raw(self.base.offset(offset), layout) }
    }

    /// Reads elements `from .. from + out.len()` of the line through `index` along `axis`.
    pub fn read_run(&self, index: &[usize], axis: usize, from: usize, out: &mut [f64]) {
        let (start, stride) = self.layout.run(index, axis, from, out.len());
        // SAFETY: `run` bounds-checked the elements; in-bounds elements are readable.
        unsafe { read_elements(self.base, self.layout.dtype, start, stride, out) }
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
        // SAFETY: the view's invariant makes every in-bounds element readable.
        unsafe {
            match lane_axis {
                Some(l) => read_lines_raw(self.base, &self.layout, index, axis, l, out),
                None => read_line_raw(self.base, &self.layout, index, axis, out),
            }
        }
    }

    /// Copies the elements into new C-contiguous memory owned by the result. Used when the
    /// input shares memory with the output.
    pub fn to_owned_copy(&self) -> OwnedArray {
        let layout = Layout::new(self.layout.dtype, self.shape(), None)
            .expect("a contiguous copy of a valid layout is valid");
        let item = self.layout.dtype.item_size();
        // u64 storage keeps the copy aligned for every element type.
        let mut storage = vec![0u64; (layout.len() * item).div_ceil(8)];
        if !layout.is_empty() {
            let dst = storage.as_mut_ptr() as *mut u8;
            let mut index = vec![0usize; layout.rank()];
            let mut k = 0usize;
            loop {
                let off = self.layout.offset(&index);
                // SAFETY: `offset` bounds-checked the index; the destination holds len*item
                // bytes and k < len.
                unsafe {
                    std::ptr::copy_nonoverlapping(self.base.offset(off), dst.add(k * item), item)
                };
                k += 1;
                if !advance(&mut index, self.shape(), None) {
                    break;
                }
            }
        }
        OwnedArray { storage, layout }
    }
}

/// Reads elements of one type by byte offset from the first element, for kernels that
/// precompute offsets (interpolation). Each read is checked against the view's byte span, so a
/// wrong offset panics instead of reading outside the caller's memory.
#[derive(Clone, Copy)]
pub(crate) struct ElementReader<'a, T> {
    base: *const u8,
    /// Lowest byte offset an element may start at, and how far above it the highest one is.
    first: isize,
    span: usize,
    _life: PhantomData<(&'a [u8], T)>,
}

// SAFETY: a reader only reads, like the ArrayRef it comes from.
unsafe impl<T> Send for ElementReader<'_, T> {}
unsafe impl<T> Sync for ElementReader<'_, T> {}

impl<T: Native> ElementReader<'_, T> {
    /// The element starting `offset` bytes from the first element, converted to `f64`.
    #[inline(always)]
    pub(crate) fn at(&self, offset: isize) -> f64 {
        // One unsigned comparison: offsets below `first` wrap around to large values.
        assert!(
            offset.wrapping_sub(self.first) as usize <= self.span,
            "element offset outside the array"
        );
        // SAFETY: the offset lies within the view's span, and the span lies within the memory
        // the view's invariant makes readable (the caller's allocation holds every byte
        // between its first and last element).
        let v: T = unsafe { std::ptr::read_unaligned(self.base.offset(offset) as *const T) };
        v.to_f64()
    }
}

impl<'a> ArrayRef<'a> {
    /// A reader of this view's elements as `T`; panics if `T` is not the view's element type
    /// or the view is empty.
    pub(crate) fn reader<T: Native>(&self) -> ElementReader<'_, T> {
        assert_eq!(
            std::mem::size_of::<T>(),
            self.layout.dtype.item_size(),
            "reader element type"
        );
        assert!(!self.layout.is_empty(), "reader of an empty array");
        let (lo, hi) = self.layout.span;
        ElementReader {
            base: self.base,
            first: lo,
            span: (hi - std::mem::size_of::<T>() as isize - lo) as usize,
            _life: PhantomData,
        }
    }
}

impl<'a> ArrayMut<'a> {
    /// # Safety
    /// `base` must be valid for reads and writes of every element the layout addresses, for
    /// `'a`, and no other live reference may use that memory meanwhile except `ArrayRef`s over
    /// it (which the caller must then not read after writing, or copy first).
    pub unsafe fn from_raw(base: *mut u8, layout: Layout) -> Self {
        ArrayMut {
            base,
            layout,
            _life: PhantomData,
        }
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }
    pub fn shape(&self) -> &[usize] {
        self.layout.shape()
    }
    pub fn dtype(&self) -> DType {
        self.layout.dtype
    }
    pub fn byte_range(&self) -> (usize, usize) {
        byte_range(self.base as usize, &self.layout)
    }

    /// Splits the view along `axis` into at most `count` views over consecutive index ranges,
    /// each returned with its first index along `axis`. The parts are disjoint, so they can be
    /// written from different threads. Returns `None` when distinct indices of this layout may
    /// address overlapping bytes (then a split would alias).
    pub fn split(&mut self, axis: usize, count: usize) -> Option<Vec<(usize, ArrayMut<'_>)>> {
        assert!(axis < self.layout.rank(), "axis out of range");
        if self.layout.elements_may_overlap() {
            return None;
        }
        let n = self.layout.shape[axis];
        let count = count.clamp(1, n.max(1));
        let stride = self.layout.strides[axis];
        let mut parts = Vec::with_capacity(count);
        for k in 0..count {
            let (start, end) = (n * k / count, n * (k + 1) / count);
            let mut shape = self.layout.shape.clone();
            shape[axis] = end - start;
            let layout = Layout::new(self.layout.dtype, &shape, Some(&self.layout.strides))
                .expect("a sub-range of a valid layout is valid");
            let base = if start < n {
                // SAFETY: `start` is an in-bounds index along `axis`, so the offset stays
                // within the span of the original view.
                unsafe { self.base.offset(start as isize * stride) }
            } else {
                self.base
            };
            // The parts cover disjoint index ranges of a layout without self-overlap, so they
            // address disjoint bytes; each inherits the parent's validity for the borrow.
            parts.push((
                start,
                ArrayMut {
                    base,
                    layout,
                    _life: PhantomData,
                },
            ));
        }
        Some(parts)
    }

    /// The writable 2-D view of the plane spanned by `axes` through `index`, as
    /// [`ArrayRef::plane`].
    pub fn plane_mut(&mut self, axes: [usize; 2], index: &[usize]) -> ArrayMut<'_> {
        let (offset, layout) = self.layout.plane(axes, index);
        // SAFETY: the plane's elements are elements of this view (`plane` checked the index),
        // borrowed exclusively through `self`.
        unsafe { ArrayMut::from_raw(self.base.offset(offset), layout) }
    }

    /// A read-only view of the same elements, for passes that work in place (it borrows
    /// `self`, so nothing is written while it lives).
    pub fn view(&self) -> ArrayRef<'_> {
        // SAFETY: the elements are readable for as long as `self` is borrowed.
        unsafe { ArrayRef::from_raw(self.base, self.layout.clone()) }
    }

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
        let Some(lane_axis) = lane_axis else {
            return self.write_line(index, axis, values);
        };
        let n = self.layout.shape[axis];
        let lanes = values.len().checked_div(n).unwrap_or(0);
        assert_eq!(lanes * n, values.len(), "values are not whole lines");
        if n == 0 {
            return;
        }
        let (start, stride, lane_stride) = block(&self.layout, index, axis, lane_axis, lanes, n);
        with_native!(self.layout.dtype, T => {
            // In tiles, as `read_lines_raw` reads.
            let span = (lanes as isize - 1) * lane_stride;
            for i0 in (0..n).step_by(TILE) {
                prefetch_tile(self.base, start, stride, span, i0 + 2 * TILE, n);
                for b in 0..lanes {
                    for i in i0..n.min(i0 + TILE) {
                        // SAFETY: `block` checked the first and last lines of the block, and
                        // every element between is in bounds; in-bounds elements are writable.
                        unsafe {
                            std::ptr::write_unaligned(
                                self.base
                                    .offset(start + i as isize * stride + b as isize * lane_stride)
                                    as *mut T,
                                T::from_f64(values[b * n + i]),
                            )
                        };
                    }
                }
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
        with_native!(self.layout.dtype, T => {
            // SAFETY (all three): `line` checked that elements 0..values.len() of this line
            // are in bounds, and the view's invariant makes every in-bounds element writable.
            // One loop per rule, so that the conversion is inlined into it.
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
}

/// Writes `convert(values[k])` to the element at `base + start + k·stride`.
///
/// # Safety
/// Those `values.len()` elements are writable elements of type `T`.
#[inline(always)]
unsafe fn store_elements<T>(
    base: *mut u8,
    start: isize,
    stride: isize,
    values: &[f64],
    convert: impl Fn(f64) -> T,
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

/// # Safety
/// Every in-bounds element of `layout` at `base` is readable.
unsafe fn read_line_raw(
    base: *const u8,
    layout: &Layout,
    index: &[usize],
    axis: usize,
    out: &mut [f64],
) {
    let (start, stride) = layout.line(index, axis, out.len());
    // SAFETY: `line` checked that elements 0..out.len() of this line are in bounds.
    unsafe { read_elements(base, layout.dtype, start, stride, out) }
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

/// Prefetches the tile of a block transfer starting at position `i0` (if `i0 < n`): the
/// block's elements at positions `i0 .. i0 + TILE`, which lie between `start + i·stride` and
/// that plus `span` (the offset of the last lane). Only when the lanes are the nearer
/// neighbours in memory: then consecutive positions are far apart (often a page or more)
/// and the hardware does not see them coming; otherwise each lane is a sequential stream it
/// does see.
#[inline(always)]
fn prefetch_tile(base: *const u8, start: isize, stride: isize, span: isize, i0: usize, n: usize) {
    if span.unsigned_abs() >= stride.unsigned_abs() {
        return;
    }
    for i in i0..n.min(i0 + TILE) {
        let row = start + i as isize * stride;
        let (lo, hi) = (row.min(row + span), row.max(row + span));
        let mut at = lo;
        while at <= hi {
            prefetch(base.wrapping_offset(at));
            at += 64;
        }
    }
}

/// Positions along the line per tile of a block transfer: one cache line of float64.
const TILE: usize = 8;

/// # Safety
/// Every in-bounds element of `layout` at `base` is readable.
unsafe fn read_lines_raw(
    base: *const u8,
    layout: &Layout,
    index: &[usize],
    axis: usize,
    lane_axis: usize,
    out: &mut [f64],
) {
    let n = layout.shape[axis];
    let lanes = out.len().checked_div(n).unwrap_or(0);
    assert_eq!(lanes * n, out.len(), "buffer is not whole lines");
    if n == 0 {
        return;
    }
    let (start, stride, lane_stride) = block(layout, index, axis, lane_axis, lanes, n);
    with_native!(layout.dtype, T => {
        // Tiles of TILE positions along the line: each lane's values of a tile fill a cache
        // line of `out` at once (a position at a time would write `lanes` lines whose
        // addresses differ by a multiple of the page size, which evict one another).
        let span = (lanes as isize - 1) * lane_stride;
        for i0 in (0..n).step_by(TILE) {
            prefetch_tile(base, start, stride, span, i0 + 2 * TILE, n);
            for b in 0..lanes {
                for i in i0..n.min(i0 + TILE) {
                    // SAFETY: `block` checked the block's first and last lines; all between
                    // are in bounds.
                    let v: T = unsafe {
                        std::ptr::read_unaligned(
                            base.offset(start + i as isize * stride + b as isize * lane_stride)
                                as *const T,
                        )
                    };
                    out[b * n + i] = v.to_f64();
                }
            }
        }
    })
}

/// # Safety
/// The `out.len()` elements at `base + start + k·stride` are readable elements of `dtype`.
unsafe fn read_elements(
    base: *const u8,
    dtype: DType,
    start: isize,
    stride: isize,
    out: &mut [f64],
) {
    with_native!(dtype, T => {
        // SAFETY (all three): the caller's contract. Unit strides get copies of the loop with
        // a constant stride, which the compiler vectorises.
        let size = std::mem::size_of::<T>() as isize;
        match stride {
            s if s == size => unsafe { read_strided::<T>(base, start, size, out) },
            s if s == -size => unsafe { read_strided::<T>(base, start, -size, out) },
            _ => unsafe { read_strided::<T>(base, start, stride, out) },
        }
    })
}

/// `out[k] = element at base + start + k·stride`, converted.
///
/// # Safety
/// As [`read_elements`].
#[inline(always)]
unsafe fn read_strided<T: Native>(base: *const u8, start: isize, stride: isize, out: &mut [f64]) {
    for (k, o) in out.iter_mut().enumerate() {
        // SAFETY: the caller's contract.
        let v: T = unsafe {
            std::ptr::read_unaligned(base.offset(start + k as isize * stride) as *const T)
        };
        *o = v.to_f64();
    }
}

/// An owned C-contiguous array, viewed through [`OwnedArray::view`].
#[derive(Debug)]
pub struct OwnedArray {
    storage: Vec<u64>,
    layout: Layout,
}

impl OwnedArray {
    /// A zero-filled C-contiguous array; an error rather than an abort when memory is short.
    pub fn zeros(dtype: DType, shape: &[usize]) -> Result<Self, Error> {
        let layout = Layout::new(dtype, shape, None)?;
        let words = (layout.len() * dtype.item_size()).div_ceil(8);
        let mut storage = Vec::new();
        storage.try_reserve_exact(words).map_err(|_| {
            Error::OutOfMemory(format!(
                "cannot allocate a temporary of {} bytes",
                words * 8
            ))
        })?;
        storage.resize(words, 0);
        Ok(OwnedArray { storage, layout })
    }

    pub fn view_mut(&mut self) -> ArrayMut<'_> {
        // SAFETY: the storage holds the whole contiguous layout and is exclusively borrowed.
        unsafe { ArrayMut::from_raw(self.storage.as_mut_ptr() as *mut u8, self.layout.clone()) }
    }

    pub fn view(&self) -> ArrayRef<'_> {
        // SAFETY: the storage holds the whole contiguous layout and lives as long as the view.
        unsafe { ArrayRef::from_raw(self.storage.as_ptr() as *const u8, self.layout.clone()) }
    }
}

fn byte_range(base: usize, layout: &Layout) -> (usize, usize) {
    if layout.is_empty() {
        return (base, base);
    }
    let (lo, hi) = layout.span;
    (base.wrapping_add_signed(lo), base.wrapping_add_signed(hi))
}

/// Whether two byte ranges intersect.
pub fn ranges_overlap(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < a.1 && b.0 < b.1 && a.0 < b.1 && b.0 < a.1
}

/// Steps `index` to the next position in C order over `shape`, leaving axis `skip` at 0.
/// Returns false after the last position.
#[inline]
pub fn advance(index: &mut [usize], shape: &[usize], skip: Option<usize>) -> bool {
    for a in (0..index.len()).rev() {
        if Some(a) == skip {
            continue;
        }
        index[a] += 1;
        if index[a] < shape[a] {
            return true;
        }
        index[a] = 0;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_contiguous_strides() {
        let l = Layout::new(DType::Int16, &[2, 3, 4], None).unwrap();
        assert_eq!(l.strides(), &[24, 8, 2]);
        assert!(!l.elements_may_overlap());
    }

    #[test]
    fn overflowing_shapes_are_rejected() {
        assert!(Layout::new(DType::Float64, &[1 << 62, 4], None).is_err());
        assert!(Layout::new(DType::Float64, &[3], Some(&[isize::MAX / 2])).is_err());
        assert!(Layout::new(DType::Float64, &[0, 1 << 62], Some(&[8, 8])).is_ok());
    }

    #[test]
    fn overlapping_elements_detected() {
        let l = Layout::new(DType::Float64, &[3], Some(&[0])).unwrap();
        assert!(l.elements_may_overlap());
        let l = Layout::new(DType::Float64, &[3, 2], Some(&[8, 16])).unwrap();
        assert!(l.elements_may_overlap());
        let l = Layout::new(DType::Float64, &[3, 2], Some(&[-16, 8])).unwrap();
        assert!(!l.elements_may_overlap());
        let l = Layout::new(DType::Float64, &[0, 3], Some(&[0, 0])).unwrap();
        assert!(!l.elements_may_overlap());
    }

    #[test]
    fn lines_round_trip_through_negative_strides() {
        let mut data = [0.0f64; 6];
        let base = data.as_mut_ptr() as *mut u8;
        // A 2x3 view read backwards along both axes.
        let l = Layout::new(DType::Float64, &[2, 3], Some(&[-24, -8])).unwrap();
        // SAFETY: the view spans exactly `data`, starting at its last element.
        let mut m = unsafe { ArrayMut::from_raw(base.add(40), l.clone()) };
        m.write_line(&[1, 0], 1, &[1.0, 2.0, 3.0]);
        assert_eq!(data, [3.0, 2.0, 1.0, 0.0, 0.0, 0.0]);
        let r = unsafe { ArrayRef::from_raw(data.as_ptr().add(5) as *const u8, l) };
        let mut out = [0.0; 2];
        r.read_line(&[0, 2], 0, &mut out);
        assert_eq!(out, [0.0, 3.0]);
        let owned = r.to_owned_copy();
        let mut row = [0.0; 3];
        owned.view().read_line(&[1, 0], 1, &mut row);
        assert_eq!(row, [1.0, 2.0, 3.0]);
    }

    #[test]
    fn element_reader_accepts_exactly_the_span() {
        let data = [1.0f64, 2.0, 3.0, 4.0, 5.0, 6.0];
        // A 2x3 view with negative strides: its span is -40..=0 bytes from the base.
        let l = Layout::new(DType::Float64, &[2, 3], Some(&[-24, -8])).unwrap();
        // SAFETY: the view spans exactly `data`, starting at its last element.
        let r = unsafe { ArrayRef::from_raw(data.as_ptr().add(5) as *const u8, l) };
        let reader = r.reader::<f64>();
        assert_eq!(reader.at(0), 6.0);
        assert_eq!(reader.at(-40), 1.0);
        for bad in [-48, -41, 1, 8, isize::MIN, isize::MAX] {
            let read = std::panic::catch_unwind(|| reader.at(bad));
            assert!(read.is_err(), "offset {bad} was read");
        }
    }
}
