//! Structuring elements of `label` and `watershed_ift`: a 3 × … × 3 mask, point-symmetric for
//! `label`, whose centre is ignored; the neighbours it selects, in C order of the mask.

#![forbid(unsafe_code)]

use crate::engine::Footprint;
use crate::error::Error;

/// Which neighbours are connected: a 3 × … × 3 mask over offsets -1..=1 per axis (centre
/// ignored), stored in C order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connectivity {
    rank: usize,
    mask: Vec<bool>,
}

impl Connectivity {
    /// scipy's default, `generate_binary_structure(rank, 1)`: the 2·rank face neighbours.
    pub fn faces(rank: usize) -> Connectivity {
        Self::within(rank, 1)
    }

    /// `generate_binary_structure(rank, connectivity)`: every offset with at most
    /// `connectivity` non-zero coordinates (`rank` for all 3^rank - 1 neighbours).
    pub fn within(rank: usize, connectivity: usize) -> Connectivity {
        let len = 3usize.pow(rank as u32);
        let mask = (0..len)
            .map(|k| {
                let mut k = k;
                let mut nonzero = 0;
                for _ in 0..rank {
                    nonzero += usize::from(k % 3 != 1);
                    k /= 3;
                }
                nonzero <= connectivity
            })
            .collect();
        Connectivity { rank, mask }
    }

    /// A structuring element given as a footprint of `rank` axes: every extent must be 3
    /// (`what` names the function in messages). With `symmetric`, the mask must equal its
    /// reflection through the centre (as `label` requires).
    pub fn from_footprint(
        footprint: &Footprint,
        rank: usize,
        symmetric: bool,
    ) -> Result<Connectivity, Error> {
        if footprint.rank() != rank {
            return Err(Error::InvalidArgument(format!(
                "structure and input must have equal rank (structure rank {}, input rank {rank})",
                footprint.rank()
            )));
        }
        if footprint.shape().iter().any(|&n| n != 3) {
            return Err(Error::InvalidArgument(format!(
                "structure dimensions must be equal to 3 (structure shape {:?})",
                footprint.shape()
            )));
        }
        let mask = footprint.mask().to_vec();
        if symmetric && mask.iter().ne(mask.iter().rev()) {
            return Err(Error::InvalidArgument(
                "structuring element is not symmetric (it must equal its reflection through \
                 the centre)"
                    .into(),
            ));
        }
        Ok(Connectivity { rank, mask })
    }

    pub fn rank(&self) -> usize {
        self.rank
    }

    /// Whether the neighbour at `offset` (each coordinate -1, 0 or 1) is connected. The centre
    /// is never a neighbour.
    pub fn has(&self, offset: &[isize]) -> bool {
        assert_eq!(offset.len(), self.rank, "offset rank");
        if offset.iter().all(|&o| o == 0) {
            return false;
        }
        let k = offset.iter().fold(0usize, |k, &o| k * 3 + (o + 1) as usize);
        self.mask[k]
    }

    /// The connected neighbours' offsets, in C order of the mask (centre excluded).
    pub fn offsets(&self) -> Vec<Vec<isize>> {
        let centre = self.mask.len() / 2;
        (0..self.mask.len())
            .filter(|&k| k != centre && self.mask[k])
            .map(|k| {
                let mut offset = vec![0isize; self.rank];
                let mut k = k;
                for a in (0..self.rank).rev() {
                    offset[a] = (k % 3) as isize - 1;
                    k /= 3;
                }
                offset
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_structures_count_their_neighbours() {
        assert_eq!(Connectivity::faces(2).offsets().len(), 4);
        assert_eq!(Connectivity::within(2, 2).offsets().len(), 8);
        assert_eq!(Connectivity::within(3, 3).offsets().len(), 26);
        assert_eq!(Connectivity::within(3, 2).offsets().len(), 18);
        assert_eq!(
            Connectivity::faces(2).offsets(),
            vec![vec![-1, 0], vec![0, -1], vec![0, 1], vec![1, 0]]
        );
        assert!(Connectivity::faces(1).has(&[1]) && !Connectivity::faces(1).has(&[0]));
    }

    #[test]
    fn footprints_are_checked() {
        let square = Footprint::from_size(&[3, 3]).unwrap();
        assert!(Connectivity::from_footprint(&square, 2, true).is_ok());
        assert!(Connectivity::from_footprint(&square, 3, true).is_err());
        let wide = Footprint::from_size(&[3, 5]).unwrap();
        assert!(Connectivity::from_footprint(&wide, 2, true).is_err());
        let mut mask = vec![false; 9];
        mask[0] = true;
        let skew = Footprint::from_mask(&[3, 3], mask).unwrap();
        assert!(Connectivity::from_footprint(&skew, 2, true).is_err());
        assert!(Connectivity::from_footprint(&skew, 2, false).is_ok());
    }
}
