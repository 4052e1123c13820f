//! Views of caller memory: [`ArrayRef`] (read-only) and [`ArrayMut`] (writable), dtype-erased
//! over a validated [`Layout`] with byte strides.
//!
//! The invariant every view keeps (stated once for the raw layer, see [`super`]): for every
//! in-bounds index `i`, the bytes `base + Σ i[a]·strides[a] .. + item_size` are valid for reads
//! (and, for [`ArrayMut`], writes) for the lifetime `'a`. Views built from ndarray get it from
//! ndarray; views built from raw pointers get it from their (unsafe) constructor's caller.

use std::marker::PhantomData;

use super::dtype::{DType, Native};
use super::layout::Layout;

/// A read-only view of caller memory.
#[derive(Clone, Debug)]
pub struct ArrayRef<'a> {
    pub(super) base: *const u8,
    pub(super) layout: Layout,
    _life: PhantomData<&'a [u8]>,
}

/// A writable view of caller memory.
#[derive(Debug)]
pub struct ArrayMut<'a> {
    pub(super) base: *mut u8,
    pub(super) layout: Layout,
    _life: PhantomData<&'a mut [u8]>,
}

// SAFETY: views are plain pointers plus layout; sharing an ArrayRef across threads only reads,
// and an ArrayMut is moved to (not shared with) the thread that writes through it.
unsafe impl Send for ArrayRef<'_> {}
unsafe impl Sync for ArrayRef<'_> {}
unsafe impl Send for ArrayMut<'_> {}

/// A real array, or the real and imaginary parts of a complex one as two real views (scipy
/// transforms and filters complex data part by part).
#[derive(Debug)]
pub enum Parts<V> {
    Real(V),
    Complex(V, V),
}

/// Address range `[lo, hi)` of the bytes a layout at `base` touches (empty for no elements).
fn byte_range(base: usize, layout: &Layout) -> (usize, usize) {
    if layout.is_empty() {
        return (base, base);
    }
    let (lo, hi) = layout.span();
    (base.wrapping_add_signed(lo), base.wrapping_add_signed(hi))
}

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
    pub fn rank(&self) -> usize {
        self.layout.rank()
    }
    pub fn dtype(&self) -> DType {
        self.layout.dtype()
    }
    /// Whether the array has no elements.
    pub fn is_empty(&self) -> bool {
        self.layout.is_empty()
    }

    /// Address range `[lo, hi)` of the bytes this view can touch (empty for no elements).
    pub fn byte_range(&self) -> (usize, usize) {
        byte_range(self.base as usize, &self.layout)
    }

    /// The view itself for a real array, or views of the real and imaginary parts of each
    /// element of a complex one.
    pub fn parts(&self) -> Parts<ArrayRef<'a>> {
        match self.dtype().part() {
            None => Parts::Real(self.clone()),
            Some(part) => {
                let layout = self.layout.with_dtype(part);
                // SAFETY: each part is the first or second half of every element of this view.
                unsafe {
                    Parts::Complex(
                        ArrayRef::from_raw(self.base, layout.clone()),
                        ArrayRef::from_raw(self.base.wrapping_add(part.item_size()), layout),
                    )
                }
            }
        }
    }

    /// The 2-D view of the plane spanned by `axes` through `index` (whose entries on `axes`
    /// are ignored).
    pub fn plane(&self, axes: [usize; 2], index: &[usize]) -> ArrayRef<'_> {
        let (offset, layout) = self.layout.plane(axes, index);
        // SAFETY: the plane's elements are elements of this view (`plane` checked the index).
        unsafe { ArrayRef::from_raw(self.base.offset(offset), layout) }
    }

    /// The address of the element at index 0 (for describing the view to C code, which
    /// must respect the view's layout and read-only access).
    pub fn as_ptr(&self) -> *const u8 {
        self.base
    }

    /// A reader of this view's elements as `T`; panics if `T` is not the view's element type
    /// or the view is empty.
    pub(crate) fn reader<T: Native>(&self) -> ElementReader<'_, T> {
        assert_eq!(T::DTYPE, self.dtype(), "reader element type");
        assert!(!self.layout.is_empty(), "reader of an empty array");
        let (lo, hi) = self.layout.span();
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
    pub fn rank(&self) -> usize {
        self.layout.rank()
    }
    pub fn dtype(&self) -> DType {
        self.layout.dtype()
    }
    /// Whether the array has no elements.
    pub fn is_empty(&self) -> bool {
        self.layout.is_empty()
    }
    pub fn byte_range(&self) -> (usize, usize) {
        byte_range(self.base as usize, &self.layout)
    }

    /// The address of the element at index 0 (for describing the view to C code, which
    /// must respect the view's layout).
    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.base
    }

    /// The same view, borrowed for a shorter time (to pass it on by value).
    pub fn reborrow(&mut self) -> ArrayMut<'_> {
        // SAFETY: the new view addresses the same elements, exclusively borrowed from `self`.
        unsafe { ArrayMut::from_raw(self.base, self.layout.clone()) }
    }

    /// A read-only view of the same elements, for passes that work in place (it borrows
    /// `self`, so nothing is written while it lives).
    pub fn view(&self) -> ArrayRef<'_> {
        // SAFETY: the elements are readable for as long as `self` is borrowed.
        unsafe { ArrayRef::from_raw(self.base, self.layout.clone()) }
    }

    /// As [`ArrayRef::parts`]: the two parts of a complex array address disjoint bytes, so
    /// both may be written.
    pub fn parts(&mut self) -> Parts<ArrayMut<'_>> {
        match self.dtype().part() {
            None => Parts::Real(self.reborrow()),
            Some(part) => {
                let layout = self.layout.with_dtype(part);
                // SAFETY: each part is the first or second half of every element of this
                // exclusively borrowed view; the halves do not overlap.
                unsafe {
                    Parts::Complex(
                        ArrayMut::from_raw(self.base, layout.clone()),
                        ArrayMut::from_raw(self.base.wrapping_add(part.item_size()), layout),
                    )
                }
            }
        }
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
        let n = self.layout.shape()[axis];
        let count = count.clamp(1, n.max(1));
        let stride = self.layout.strides()[axis];
        let mut parts = Vec::with_capacity(count);
        for k in 0..count {
            let (start, end) = (n * k / count, n * (k + 1) / count);
            let mut shape = self.layout.shape().to_vec();
            shape[axis] = end - start;
            let layout = Layout::new(self.layout.dtype(), &shape, Some(self.layout.strides()))
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
