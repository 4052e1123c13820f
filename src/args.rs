//! Argument checks shared by every function: each rule lives here once, with its message.

#![forbid(unsafe_code)]

use crate::array::{ArrayMut, ArrayRef, DType};
use crate::error::Error;

/// Output and input have the same shape, and a rank of at least 1.
pub fn same_shape(input: &ArrayRef<'_>, output: &ArrayMut<'_>) -> Result<(), Error> {
    if input.shape() != output.shape() {
        return Err(Error::ShapeMismatch(format!(
            "output shape {:?} differs from input shape {:?}",
            output.shape(),
            input.shape()
        )));
    }
    at_least_rank_1(input.rank(), "input")
}

/// Output and input have the same rank (at least 1), and each axis of the output is at most
/// the input's.
pub fn within_shape(input: &ArrayRef<'_>, output: &ArrayMut<'_>) -> Result<(), Error> {
    let (i, o) = (input.shape(), output.shape());
    if i.len() != o.len() || i.iter().zip(o).any(|(a, b)| b > a) {
        return Err(Error::ShapeMismatch(format!(
            "output shape {o:?} is not within input shape {i:?}"
        )));
    }
    at_least_rank_1(input.rank(), "input")
}

/// [`same_shape`], and both arrays real.
pub fn same_shape_real(input: &ArrayRef<'_>, output: &ArrayMut<'_>) -> Result<(), Error> {
    same_shape(input, output)?;
    real(input.dtype(), "input")?;
    real(output.dtype(), "output")
}

/// A rank of at least 1 (`what` names the array).
pub fn at_least_rank_1(rank: usize, what: &str) -> Result<(), Error> {
    if rank == 0 {
        return Err(Error::InvalidArray(format!("{what} must have rank >= 1")));
    }
    Ok(())
}

/// Resolves a possibly negative axis against `rank`.
pub fn axis(axis: isize, rank: usize) -> Result<usize, Error> {
    let r = rank as isize;
    if axis < -r || axis >= r {
        return Err(Error::InvalidArgument(format!(
            "axis {axis} is out of range for rank {rank}"
        )));
    }
    Ok(axis.rem_euclid(r.max(1)) as usize)
}

/// Resolves a list of distinct axes (each possibly negative) against `rank`.
pub fn axes(list: &[isize], rank: usize) -> Result<Vec<usize>, Error> {
    let mut out = Vec::with_capacity(list.len());
    for &a in list {
        let a = axis(a, rank)?;
        if out.contains(&a) {
            return Err(Error::InvalidArgument(format!(
                "axis {a} is given more than once"
            )));
        }
        out.push(a);
    }
    Ok(out)
}

/// Number of samples a filter of extent `size` with `origin` reads before the current position.
/// scipy requires `0 <= size/2 + origin < size`.
pub fn samples_before(size: usize, origin: isize, axis: usize) -> Result<usize, Error> {
    // (checked: clamping the origin instead made isize::MIN pass as -(isize::MAX / 2), a
    // valid origin of a filter of isize::MAX samples, and the pass then overflowed)
    let before = ((size / 2) as isize).checked_add(origin).unwrap_or(-1);
    if before < 0 || before >= size as isize {
        return Err(Error::InvalidArgument(format!(
            "invalid origin {origin} on axis {axis} for filter size {size}: need {} <= origin <= {}",
            -((size / 2) as isize),
            (size as isize - 1) / 2
        )));
    }
    Ok(before as usize)
}

/// A filter size of at least 1.
pub fn filter_size(size: usize) -> Result<usize, Error> {
    if size < 1 {
        return Err(Error::InvalidArgument(format!(
            "invalid filter size {size}: must be >= 1"
        )));
    }
    Ok(size)
}

/// One origin per axis from `origins` (empty: all zero).
pub fn origins(origins: &[isize], rank: usize) -> Result<Vec<isize>, Error> {
    per_axis(origins, rank, 0, "origins")
}

/// One value per axis: `values` itself (of length `rank`), or `default` on every axis when it
/// is empty.
pub fn per_axis<T: Clone>(
    values: &[T],
    rank: usize,
    default: T,
    what: &str,
) -> Result<Vec<T>, Error> {
    match values.len() {
        0 => Ok(vec![default; rank]),
        n if n == rank => Ok(values.to_vec()),
        n => Err(Error::InvalidArgument(format!(
            "{n} {what} given for rank {rank}"
        ))),
    }
}

/// One value per entry of a list of `count` (axes, passes): `values` itself (of length
/// `count`), its one value repeated, or `default` everywhere when it is empty.
pub fn per_axis_or_one<T: Clone>(
    values: &[T],
    count: usize,
    default: T,
    what: &str,
) -> Result<Vec<T>, Error> {
    match values.len() {
        0 => Ok(vec![default; count]),
        1 => Ok(vec![values[0].clone(); count]),
        n if n == count => Ok(values.to_vec()),
        n => Err(Error::InvalidArgument(format!(
            "{n} {what} given for {count} axes"
        ))),
    }
}

/// A spline order of at most `max` (and at least `min`).
pub fn spline_order(order: usize, min: usize, max: usize) -> Result<usize, Error> {
    if !(min..=max).contains(&order) {
        return Err(Error::InvalidArgument(format!(
            "spline order {order} not supported: must be {min} to {max}"
        )));
    }
    Ok(order)
}

/// `got` values where `expected` are needed (`what` names them).
pub fn count(what: &str, expected: usize, got: usize) -> Result<(), Error> {
    if expected != got {
        return Err(Error::ShapeMismatch(format!(
            "{what}: expected {expected} values, got {got}"
        )));
    }
    Ok(())
}

/// The array's element type is real (for functions without complex support).
pub fn real(dtype: DType, what: &str) -> Result<(), Error> {
    if dtype.is_complex() {
        return Err(Error::InvalidArray(format!(
            "{what}: complex arrays are not supported by this function"
        )));
    }
    Ok(())
}

/// Input and output are both real or both complex.
pub fn same_kind(input: DType, output: DType) -> Result<(), Error> {
    match (input.is_complex(), output.is_complex()) {
        (true, false) => Err(Error::InvalidArray(
            "output must have a complex dtype for a complex input".into(),
        )),
        (false, true) => Err(Error::InvalidArray(
            "a complex output needs a complex input".into(),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_resolve_from_either_end() {
        assert_eq!(axis(-1, 3).unwrap(), 2);
        assert_eq!(axis(2, 3).unwrap(), 2);
        assert!(axis(3, 3).is_err() && axis(-4, 3).is_err() && axis(0, 0).is_err());
        assert_eq!(axes(&[-1, 0], 3).unwrap(), [2, 0]);
        assert!(axes(&[1, -2], 3).is_err());
    }

    #[test]
    fn origins_stay_inside_the_filter() {
        assert_eq!(samples_before(3, 0, 0).unwrap(), 1);
        assert_eq!(samples_before(3, 1, 0).unwrap(), 2);
        assert_eq!(samples_before(4, -2, 0).unwrap(), 0);
        assert!(samples_before(3, 2, 0).is_err());
        assert!(samples_before(4, -3, 0).is_err());
        assert!(samples_before(5, isize::MIN, 0).is_err());
    }

    #[test]
    fn per_axis_values() {
        assert_eq!(per_axis(&[], 2, 7, "x").unwrap(), [7, 7]);
        assert_eq!(per_axis(&[1, 2], 2, 7, "x").unwrap(), [1, 2]);
        assert!(per_axis(&[1], 2, 7, "x").is_err());
    }
}
