//! How the Rust API takes its arrays: ndarray arrays and views, or the raw layer's own views,
//! through [`AsInput`] and [`AsOutput`].

use ndarray::{ArrayBase, ArrayView, ArrayViewMut, Data, DataMut, Dimension};

use super::dtype::{Element, OutputElement};
use super::layout::Layout;
use super::view::{ArrayMut, ArrayRef};

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

/// An array a function reads: an ndarray array or view of any [`Element`] type, an
/// [`ArrayRef`], or a reference to one.
pub trait AsInput<'a> {
    /// The array as a view of the raw layer.
    fn into_input(self) -> ArrayRef<'a>;
}

/// An array a function writes: a mutable ndarray view or a `&mut` array of any
/// [`OutputElement`] type, an [`ArrayMut`], or a `&mut` to one.
pub trait AsOutput<'a> {
    /// The array as a writable view of the raw layer.
    fn into_output(self) -> ArrayMut<'a>;
}

impl<'a> AsInput<'a> for ArrayRef<'a> {
    fn into_input(self) -> ArrayRef<'a> {
        self
    }
}

impl<'a> AsInput<'a> for &ArrayRef<'a> {
    fn into_input(self) -> ArrayRef<'a> {
        self.clone()
    }
}

impl<'a, T: Element, D: Dimension> AsInput<'a> for ArrayView<'a, T, D> {
    fn into_input(self) -> ArrayRef<'a> {
        ArrayRef::from_ndarray(self)
    }
}

impl<'a, S, T, D> AsInput<'a> for &'a ArrayBase<S, D>
where
    S: Data<Elem = T>,
    T: Element,
    D: Dimension,
{
    fn into_input(self) -> ArrayRef<'a> {
        ArrayRef::from_ndarray(self.view())
    }
}

impl<'a> AsOutput<'a> for ArrayMut<'a> {
    fn into_output(self) -> ArrayMut<'a> {
        self
    }
}

impl<'a> AsOutput<'a> for &'a mut ArrayMut<'_> {
    fn into_output(self) -> ArrayMut<'a> {
        self.reborrow()
    }
}

impl<'a, T: OutputElement, D: Dimension> AsOutput<'a> for ArrayViewMut<'a, T, D> {
    fn into_output(self) -> ArrayMut<'a> {
        ArrayMut::from_ndarray(self)
    }
}

impl<'a, S, T, D> AsOutput<'a> for &'a mut ArrayBase<S, D>
where
    S: DataMut<Elem = T>,
    T: OutputElement,
    D: Dimension,
{
    fn into_output(self) -> ArrayMut<'a> {
        ArrayMut::from_ndarray(self.view_mut())
    }
}
