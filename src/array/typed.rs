//! Views of ndarray arrays as strided arrays: how the idiomatic Rust API reaches the core.

use ndarray::{ArrayView, ArrayViewMut, Dimension};

use super::dtype::{Element, OutputElement};
use super::strided::{ArrayMut, ArrayRef, Layout};

fn layout_of<T: Element>(shape: &[usize], strides: &[isize]) -> Layout {
    let item = std::mem::size_of::<T>() as isize;
    let bytes: Vec<isize> = strides.iter().map(|&s| s * item).collect();
    Layout::new(T::DTYPE, shape, Some(&bytes)).expect("ndarray views have valid layouts")
}

impl<'a> ArrayRef<'a> {
    /// Views an ndarray array.
    pub fn from_ndarray<T: Element, D: Dimension>(view: ArrayView<'a, T, D>) -> Self {
        let layout = layout_of::<T>(view.shape(), view.strides());
        // SAFETY: ndarray guarantees every in-bounds element of the view is readable for 'a.
        unsafe { ArrayRef::from_raw(view.as_ptr() as *const u8, layout) }
    }
}

impl<'a> ArrayMut<'a> {
    /// Views a mutable ndarray array.
    pub fn from_ndarray<T: OutputElement, D: Dimension>(mut view: ArrayViewMut<'a, T, D>) -> Self {
        let layout = layout_of::<T>(view.shape(), view.strides());
        // SAFETY: the exclusive borrow makes every element writable for 'a, and no element of an
        // ndarray view overlaps another; `OutputElement` types accept every bit pattern.
        unsafe { ArrayMut::from_raw(view.as_mut_ptr() as *mut u8, layout) }
    }
}
