//! Arrays the library owns: temporaries (from the scratch pool), and private copies of an input
//! that shares memory with the output.

use super::dtype::DType;
use super::layout::Layout;
use super::view::{ArrayMut, ArrayRef, Parts};
use crate::error::Error;
use crate::scratch::Scratch;

/// An owned C-contiguous array, viewed through [`OwnedArray::view`] and
/// [`OwnedArray::view_mut`]. Its memory comes from the scratch pool and goes back there.
#[derive(Debug)]
pub struct OwnedArray {
    storage: Scratch,
    layout: Layout,
}

impl OwnedArray {
    /// A zero-filled C-contiguous array; an error rather than an abort when memory is short.
    pub fn zeros(dtype: DType, shape: &[usize]) -> Result<Self, Error> {
        Self::new(dtype, shape, true)
    }

    /// A C-contiguous array whose elements hold unspecified values, for a caller that writes
    /// every element before it reads any (no zero-filling pass over memory about to be
    /// overwritten).
    pub fn for_overwrite(dtype: DType, shape: &[usize]) -> Result<Self, Error> {
        Self::new(dtype, shape, false)
    }

    fn new(dtype: DType, shape: &[usize], zeroed: bool) -> Result<Self, Error> {
        let layout = Layout::new(dtype, shape, None)?;
        // u64 storage keeps the array aligned for every element type.
        let words = (layout.len() * dtype.item_size()).div_ceil(8);
        let storage = Scratch::words(words, zeroed, "a temporary array")?;
        Ok(OwnedArray { storage, layout })
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    pub fn view_mut(&mut self) -> ArrayMut<'_> {
        let base = self.storage.as_mut_slice().as_mut_ptr() as *mut u8;
        // SAFETY: the storage holds the whole contiguous layout and is exclusively borrowed.
        unsafe { ArrayMut::from_raw(base, self.layout.clone()) }
    }

    pub fn view(&self) -> ArrayRef<'_> {
        let base = self.storage.as_slice().as_ptr() as *const u8;
        // SAFETY: the storage holds the whole contiguous layout and lives as long as the view.
        unsafe { ArrayRef::from_raw(base, self.layout.clone()) }
    }
}

impl ArrayRef<'_> {
    /// Copies the elements into new C-contiguous memory owned by the result. Used when the
    /// input shares memory with the output.
    pub fn to_owned_copy(&self) -> Result<OwnedArray, Error> {
        let mut copy = OwnedArray::for_overwrite(self.dtype(), self.shape())?;
        copy.view_mut().copy_from(self);
        Ok(copy)
    }
}

/// Whether two byte ranges intersect.
pub fn ranges_overlap(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < a.1 && b.0 < b.1 && a.0 < b.1 && b.0 < a.1
}

/// An input to compute from: the caller's view, or a private copy when it shares memory with
/// what the call writes (so that writing never changes what is read). Every function that
/// reads an input after it has started writing its output reads it through a `Source`.
pub enum Source<'a> {
    Borrowed(ArrayRef<'a>),
    Copied(OwnedArray),
}

impl<'a> Source<'a> {
    /// `written` is the address range the call writes ([`ArrayMut::byte_range`]).
    pub fn new(input: ArrayRef<'a>, written: (usize, usize)) -> Result<Source<'a>, Error> {
        Ok(if ranges_overlap(input.byte_range(), written) {
            Source::Copied(input.to_owned_copy()?)
        } else {
            Source::Borrowed(input)
        })
    }

    /// As [`Source::new`] for passes that read every line whole before writing it back: an
    /// input that is exactly the output (same address and layout) is read in place.
    pub fn for_line_pass(input: ArrayRef<'a>, output: &ArrayMut<'_>) -> Result<Source<'a>, Error> {
        let same = input.byte_range() == output.byte_range()
            && input.layout().strides() == output.layout().strides()
            && input.shape() == output.shape()
            && input.dtype() == output.dtype();
        if same {
            Ok(Source::Borrowed(input))
        } else {
            Source::new(input, output.byte_range())
        }
    }

    pub fn view(&self) -> ArrayRef<'_> {
        match self {
            Source::Borrowed(v) => v.clone(),
            Source::Copied(o) => o.view(),
        }
    }
}

/// Runs `run(input, output, cval)` once for real arrays, or for the real and then the
/// imaginary parts of complex ones with `cval`'s parts (as scipy transforms and filters complex
/// data). The input is read through [`Source`]s taken before anything is written, so an input
/// sharing memory with the output gives the result of separate memory.
pub fn for_parts<F>(
    input: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    cval: (f64, f64),
    mut run: F,
) -> Result<(), Error>
where
    F: FnMut(&ArrayRef<'_>, &mut ArrayMut<'_>, f64) -> Result<(), Error>,
{
    crate::args::same_kind(input.dtype(), output.dtype())?;
    let written = output.byte_range();
    match (input.parts(), output.parts()) {
        (Parts::Real(i), Parts::Real(mut o)) => {
            run(&Source::new(i, written)?.view(), &mut o, cval.0)
        }
        (Parts::Complex(ir, ii), Parts::Complex(mut or, mut oi)) => {
            // Both parts are copied before anything is written if they overlap the output.
            let (re, im) = (Source::new(ir, written)?, Source::new(ii, written)?);
            run(&re.view(), &mut or, cval.0)?;
            run(&im.view(), &mut oi, cval.1)
        }
        _ => unreachable!("same_kind checked the element types"),
    }
}
