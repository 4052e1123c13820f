//! Array layouts: shape, byte strides and element type, validated once, with the
//! bounds-checked offset computations every transfer relies on.

use super::dtype::DType;
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
    /// The same shape and strides over elements of `dtype` (a complex array's parts).
    pub(crate) fn with_dtype(&self, dtype: DType) -> Layout {
        Layout::new(dtype, &self.shape, Some(&self.strides))
            .expect("a layout with a smaller element type is valid")
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
    pub(crate) fn offset(&self, index: &[usize]) -> isize {
        self.offset_with(index, None)
    }

    /// [`Layout::offset`] of `index` with its entry on one axis replaced: `Some((axis, i))`.
    #[inline]
    pub(crate) fn offset_with(&self, index: &[usize], replace: Option<(usize, usize)>) -> isize {
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
    pub(crate) fn plane(&self, axes: [usize; 2], index: &[usize]) -> (isize, Layout) {
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
    pub(crate) fn line(&self, index: &[usize], axis: usize, len: usize) -> (isize, isize) {
        self.run(index, axis, 0, len)
    }

    /// Checks that the line through `index` along `axis` has elements `from .. from + len`;
    /// returns the byte offset of element `from` and the stride.
    #[inline]
    pub(crate) fn run(
        &self,
        index: &[usize],
        axis: usize,
        from: usize,
        len: usize,
    ) -> (isize, isize) {
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
pub(crate) fn block(
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
