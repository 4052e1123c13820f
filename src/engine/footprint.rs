//! Footprints (which neighbours a filter or a structuring element covers), validated once for
//! every neighbourhood function.

#![forbid(unsafe_code)]

use crate::array::{advance, ArrayRef};
use crate::error::{try_vec, Error};

/// Bytes per footprint element that a neighbourhood walk allocates beside the mask: its tap
/// (two indices), its gather offset and its window value.
pub const WALK_BYTES_PER_ELEMENT: usize = 16 + 8 + 8;

/// Which neighbours a filter sees: a boolean mask over a box, stored in C order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Footprint {
    shape: Vec<usize>,
    mask: Vec<bool>,
}

impl Footprint {
    /// A full box of the given size per axis (scipy's `size=`).
    pub fn from_size(size: &[usize]) -> Result<Self, Error> {
        let len = checked_len(size)?;
        // What a walk over the box needs besides the mask: a tap, a gather offset and a
        // window value per element. Checked before the mask is allocated and filled, so that
        // a box too large for memory fails at once.
        let walk_bytes = len
            .checked_mul(1 + WALK_BYTES_PER_ELEMENT)
            .filter(|&b| b <= isize::MAX as usize)
            .ok_or_else(|| {
                Error::InvalidArgument(format!("footprint size {size:?} is too large"))
            })?;
        crate::error::ensure_allocatable(walk_bytes, "the footprint's box and its walk")?;
        Ok(Footprint {
            shape: size.to_vec(),
            mask: try_vec(len, true, "a footprint")?,
        })
    }

    /// A mask in C order over `shape` (scipy's `footprint=`).
    pub fn from_mask(shape: &[usize], mask: Vec<bool>) -> Result<Self, Error> {
        let len = checked_len(shape)?;
        if mask.len() != len {
            return Err(Error::ShapeMismatch(format!(
                "footprint mask has {} elements, its shape {:?} needs {len}",
                mask.len(),
                shape
            )));
        }
        Ok(Footprint {
            shape: shape.to_vec(),
            mask,
        })
    }

    /// A footprint from an array of any element type: non-zero elements are selected.
    pub fn from_array(array: &ArrayRef<'_>) -> Result<Self, Error> {
        crate::args::real(array.dtype(), "footprint")?;
        let shape = array.shape().to_vec();
        let len = checked_len(&shape)?;
        let mut mask = Vec::new();
        mask.try_reserve_exact(len).map_err(|_| {
            Error::OutOfMemory(format!(
                "cannot allocate a footprint mask of {len} elements"
            ))
        })?;
        let rank = shape.len();
        if rank == 0 {
            return Err(Error::InvalidArgument(
                "footprint must have rank >= 1".into(),
            ));
        }
        let last = rank - 1;
        let mut row = vec![0.0; shape[last]];
        let mut index = vec![0usize; rank];
        loop {
            array.read_line(&index, last, &mut row);
            mask.extend(row.iter().map(|&v| v != 0.0));
            if !advance(&mut index, &shape, Some(last)) {
                break;
            }
        }
        Footprint::from_mask(&shape, mask)
    }

    pub fn shape(&self) -> &[usize] {
        &self.shape
    }
    pub fn rank(&self) -> usize {
        self.shape.len()
    }
    /// The mask in C order.
    pub fn mask(&self) -> &[bool] {
        &self.mask
    }
    /// Number of selected elements.
    pub fn count(&self) -> usize {
        self.mask.iter().filter(|&&b| b).count()
    }
}

fn checked_len(shape: &[usize]) -> Result<usize, Error> {
    if shape.is_empty() {
        return Err(Error::InvalidArgument(
            "footprint must have rank >= 1".into(),
        ));
    }
    let mut len: usize = 1;
    for &n in shape {
        if n == 0 {
            return Err(Error::InvalidArgument(format!(
                "footprint shape {shape:?} is empty: every size must be >= 1"
            )));
        }
        len = len
            .checked_mul(n)
            .filter(|&l| l <= isize::MAX as usize / 8)
            .ok_or_else(|| Error::InvalidArgument("footprint size overflows".into()))?;
    }
    Ok(len)
}
