//! Structuring elements: scipy's `generate_binary_structure` and `iterate_structure`, and the
//! neighbour offsets a structure and its origins give a binary operator.

#![forbid(unsafe_code)]

use crate::args;
use crate::array::advance;
use crate::engine::Footprint;
use crate::error::Error;

/// scipy.ndimage.generate_binary_structure: the `3 × … × 3` structure (`rank` axes) whose
/// element at index `k` is true when `Σ_a |k_a − 1| ≤ connectivity`. A connectivity below 1
/// counts as 1; a non-integer one is only compared (1.5 gives the same structure as 1, NaN an
/// all-false one, as in scipy). `rank` must be at least 1 (scipy returns a 0-d `True` for
/// rank 0, which a [`Footprint`] cannot hold).
pub fn generate_binary_structure(rank: usize, connectivity: f64) -> Result<Footprint, Error> {
    args::at_least_rank_1(rank, "the structure")?;
    if rank > crate::array::MAX_RANK {
        return Err(Error::InvalidArgument(format!(
            "structure rank {rank} exceeds the maximum of {}",
            crate::array::MAX_RANK
        )));
    }
    let connectivity = if connectivity < 1.0 {
        1.0
    } else {
        connectivity
    };
    let shape = vec![3usize; rank];
    let len = 3usize
        .checked_pow(rank as u32)
        .filter(|&l| l <= isize::MAX as usize / 8)
        .ok_or_else(|| {
            Error::InvalidArgument(format!("a structure of rank {rank} is too large"))
        })?;
    let mut mask = crate::error::try_vec(len, false, "a structure")?;
    let mut index = vec![0usize; rank];
    for m in mask.iter_mut() {
        // scipy sums |k - 1| as floats; the sums are small integers, exact either way.
        let distance: usize = index.iter().map(|&k| k.abs_diff(1)).sum();
        *m = distance as f64 <= connectivity;
        advance(&mut index, &shape, None);
    }
    Footprint::from_mask(&shape, mask)
}

/// The shape [`iterate_structure`] gives a structure of `shape` for `iterations`:
/// `s + (iterations − 1)·(s − 1)` per axis (the shape itself for `iterations < 2`).
pub fn iterate_structure_shape(shape: &[usize], iterations: i64) -> Result<Vec<usize>, Error> {
    if iterations < 2 {
        return Ok(shape.to_vec());
    }
    let ni = usize::try_from(iterations - 1)
        .map_err(|_| Error::InvalidArgument("iterations overflow".into()))?;
    shape
        .iter()
        .map(|&s| {
            // (no array has an axis beyond isize::MAX elements: such a size overflows too)
            ni.checked_mul(s.saturating_sub(1))
                .and_then(|g| g.checked_add(s))
                .filter(|&n| n <= isize::MAX as usize)
                .ok_or_else(|| {
                    Error::InvalidArgument(format!(
                        "the iterated structure's size overflows ({iterations} iterations)"
                    ))
                })
        })
        .collect()
}

/// scipy.ndimage.iterate_structure: `structure` dilated by itself `iterations − 1` times (the
/// Minkowski sum of `iterations` copies, each centred at index `s // 2`), of shape
/// [`iterate_structure_shape`]; the structure itself for `iterations < 2`. (scipy also returns
/// the origins multiplied by `iterations` when given some.)
pub fn iterate_structure(structure: &Footprint, iterations: i64) -> Result<Footprint, Error> {
    if iterations < 2 {
        return Ok(structure.clone());
    }
    let shape = iterate_structure_shape(structure.shape(), iterations)?;
    let len = shape
        .iter()
        .try_fold(1usize, |acc, &n| acc.checked_mul(n))
        .filter(|&l| l <= isize::MAX as usize / 8)
        .ok_or_else(|| Error::InvalidArgument("the iterated structure is too large".into()))?;
    let ni = (iterations - 1) as usize;
    let s = structure.shape();
    // The structure placed at `ni · (s // 2)`, then dilated `ni` times by itself, as scipy
    // computes it (its even-sized placement included).
    let mut start = crate::error::try_vec(len, 0u8, "the iterated structure")?;
    let rank = s.len();
    let mut index = vec![0usize; rank];
    for &m in structure.mask() {
        if m {
            let flat = (0..rank).fold(0usize, |acc, a| acc * shape[a] + index[a] + ni * (s[a] / 2));
            start[flat] = 1;
        }
        advance(&mut index, s, None);
    }
    let mut result = crate::error::try_vec(len, 0u8, "the iterated structure")?;
    {
        let input = ndarray::ArrayViewD::from_shape(shape.as_slice(), &start)
            .expect("the shape holds the buffer");
        let output = ndarray::ArrayViewMutD::from_shape(shape.as_slice(), &mut result)
            .expect("the shape holds the buffer");
        super::binary::binary_dilation(
            input,
            output,
            Some(structure),
            ni as i64,
            None,
            false,
            &[],
            crate::Threads::Count(1),
        )?;
    }
    Footprint::from_mask(&shape, result.iter().map(|&v| v != 0).collect())
}

/// Stores `structure` into `output` (of the structure's shape, any real element type) as 0 and 1.
pub fn store_structure(
    structure: &Footprint,
    output: &mut crate::ArrayMut<'_>,
) -> Result<(), Error> {
    args::real(output.dtype(), "output")?;
    if output.shape() != structure.shape() {
        return Err(Error::ShapeMismatch(format!(
            "output shape {:?} differs from the structure's shape {:?}",
            output.shape(),
            structure.shape()
        )));
    }
    let shape = structure.shape();
    let last = shape.len() - 1;
    let mut index = vec![0usize; shape.len()];
    for row in structure.mask().chunks(shape[last]) {
        let bits: Vec<u8> = row.iter().map(|&b| u8::from(b)).collect();
        output.store_run_bits(&index, last, 0, &bits);
        advance(&mut index, shape, Some(last));
    }
    Ok(())
}

/// A structure's true elements as neighbour offsets: element `k` of a structure of extent
/// `fs` on an axis, with origin `o`, is offset `k − (fs / 2 + o)` (scipy's origin convention:
/// a positive origin moves the neighbourhood toward lower indices).
#[derive(Clone, Debug)]
pub(crate) struct Neighbourhood {
    /// One offset vector per true element, in C order of the structure.
    pub offsets: Vec<Vec<isize>>,
    /// Whether the element at offset 0 (the structure's centre, moved by the origins) is true:
    /// then erosion only removes and dilation only adds, and iterating converges.
    pub centre_true: bool,
}

impl Neighbourhood {
    /// The offsets of `structure` (`None`: [`generate_binary_structure`] of connectivity 1)
    /// placed with `origins` (empty: all 0) for an input of `rank` axes. Each origin must keep
    /// the centre inside the structure (`0 ≤ fs / 2 + o < fs`), which scipy's binary functions
    /// do not check.
    pub fn new(
        structure: Option<&Footprint>,
        rank: usize,
        origins: &[isize],
    ) -> Result<Neighbourhood, Error> {
        let default;
        let structure = match structure {
            Some(s) => s,
            None => {
                default = generate_binary_structure(rank, 1.0)?;
                &default
            }
        };
        if structure.rank() != rank {
            return Err(Error::ShapeMismatch(format!(
                "structure rank {} differs from input rank {rank}",
                structure.rank()
            )));
        }
        let origins = args::origins(origins, rank)?;
        let fs = structure.shape();
        let before: Vec<isize> = (0..rank)
            .map(|a| args::samples_before(fs[a], origins[a], a).map(|b| b as isize))
            .collect::<Result<_, _>>()?;
        let mut offsets = Vec::with_capacity(structure.count());
        let mut index = vec![0usize; rank];
        let mut centre_true = false;
        for &m in structure.mask() {
            if m {
                let offset: Vec<isize> = (0..rank).map(|a| index[a] as isize - before[a]).collect();
                centre_true |= offset.iter().all(|&d| d == 0);
                offsets.push(offset);
            }
            advance(&mut index, fs, None);
        }
        Ok(Neighbourhood {
            offsets,
            centre_true,
        })
    }

    /// The offsets negated (a dilation reads `X[i − d]` where an erosion reads `X[i + d]`).
    pub fn reflected(&self) -> Vec<Vec<isize>> {
        self.offsets
            .iter()
            .map(|o| o.iter().map(|&d| -d).collect())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connectivity_one_is_a_cross() {
        let s = generate_binary_structure(2, 1.0).unwrap();
        let expect = [false, true, false, true, true, true, false, true, false];
        assert_eq!(s.mask(), expect);
        let s = generate_binary_structure(2, 0.0).unwrap();
        assert_eq!(s.mask(), expect);
        let s = generate_binary_structure(2, 1.5).unwrap();
        assert_eq!(s.mask(), expect);
        assert!(generate_binary_structure(3, 3.0)
            .unwrap()
            .mask()
            .iter()
            .all(|&b| b));
        assert!(!generate_binary_structure(2, f64::NAN)
            .unwrap()
            .mask()
            .iter()
            .any(|&b| b));
        assert!(generate_binary_structure(0, 1.0).is_err());
    }

    #[test]
    fn iterated_cross_is_a_diamond() {
        let s = generate_binary_structure(2, 1.0).unwrap();
        let it = iterate_structure(&s, 2).unwrap();
        assert_eq!(it.shape(), [5, 5]);
        let expect: Vec<bool> = (0..25)
            .map(|k| (k / 5usize).abs_diff(2) + (k % 5usize).abs_diff(2) <= 2)
            .collect();
        assert_eq!(it.mask(), expect.as_slice());
        assert_eq!(iterate_structure(&s, 1).unwrap(), s);
        assert_eq!(iterate_structure_shape(&[3, 2], 4).unwrap(), [9, 5]);
    }

    #[test]
    fn offsets_follow_the_origin() {
        let s = Footprint::from_size(&[3]).unwrap();
        let n = Neighbourhood::new(Some(&s), 1, &[1]).unwrap();
        assert_eq!(n.offsets, vec![vec![-2], vec![-1], vec![0]]);
        assert!(n.centre_true);
        assert!(Neighbourhood::new(Some(&s), 1, &[2]).is_err());
        assert!(Neighbourhood::new(Some(&s), 1, &[-2]).is_err());
        assert!(Neighbourhood::new(Some(&s), 2, &[]).is_err());
    }
}
