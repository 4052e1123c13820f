//! `find_objects` (the bounding box of every label) and `value_indices` (the positions of
//! every distinct value).
//!
//! Both read the input line by line along the last axis in its own element type. Threads:
//! `find_objects` computes partial boxes per slab of lines and merges them (minimum of the
//! starts, maximum of the stops: the same for every split); `value_indices` runs on the
//! calling thread.

#![forbid(unsafe_code)]

use std::collections::HashMap;

use crate::array::dtype::{with_native, Native};
use crate::array::{advance, ArrayMut, ArrayRef, AsInput, DType};
use crate::error::{try_vec, Error};
use crate::parallel::{map_parts, Stop, Threads};

/// The label number of an element of value `v` for labels `1..=max_label`: its value when
/// that is an integer in the range (so 1.5 is no label, and neither is 0 or a negative value).
#[inline(always)]
fn label_number<T: Native>(v: T, max_label: usize) -> Option<usize> {
    let f = v.to_f64();
    if f >= 1.0 && f <= max_label as f64 && f == f.trunc() {
        Some(f as usize)
    } else {
        None
    }
}

/// Calls `line(index, values)` for every line of `input` along its last axis, in C order,
/// for the lines whose index on axis 0 lies in `rows` (every line for rank 1), with the line
/// read in the element's own type `T`; `index` has the line's position (its last entry 0).
fn for_lines<T: Native>(
    input: &ArrayRef<'_>,
    rows: (usize, usize),
    stop: &Stop,
    mut line: impl FnMut(&[usize], &[T]),
) {
    let rank = input.rank();
    let last = rank - 1;
    let shape = input.shape();
    if shape.contains(&0) || rows.0 >= rows.1 {
        return;
    }
    let mut local = shape.to_vec();
    if rank > 1 {
        local[0] = rows.1 - rows.0;
    }
    let mut buffer = vec![T::default(); shape[last]];
    let mut at = vec![0usize; rank];
    let mut index = vec![0usize; rank];
    loop {
        index.copy_from_slice(&at);
        if rank > 1 {
            index[0] += rows.0;
        }
        input.read_run_as(&index, last, 0, &mut buffer);
        line(&index, &buffer);
        if stop.tick(buffer.len() as u64) || !advance(&mut at, &local, Some(last)) {
            return;
        }
    }
}

/// Slabs of rows along axis 0 for `threads` threads (one slab for rank 1).
fn slabs(input: &ArrayRef<'_>, threads: usize, limit: usize) -> Vec<(usize, usize)> {
    let rows = if input.rank() > 1 {
        input.shape()[0]
    } else {
        1
    };
    let count = if input.rank() > 1 {
        threads.min(rows).min(limit).max(1)
    } else {
        1
    };
    (0..count)
        .map(|k| (rows * k / count, rows * (k + 1) / count))
        .collect()
}

/// The largest label in `input`: its largest value that is a positive integer (0 if none).
pub fn largest_label<'a>(input: impl AsInput<'a>, threads: Threads) -> Result<usize, Error> {
    let input = input.into_input();
    crate::args::real(input.dtype(), "input")?;
    crate::args::at_least_rank_1(input.rank(), "input")?;
    let threads = threads.resolve()?;
    let parts = slabs(&input, threads, usize::MAX);
    let total = input.layout().len() as u64;
    let maxima = map_parts(parts.len(), threads, total, |k, stop| {
        let mut best = 0.0f64;
        with_native!(input.dtype(), T => for_lines::<T>(&input, parts[k], stop, |_, values| {
            for &v in values {
                let f = v.to_f64();
                if f > best && f == f.trunc() {
                    best = f;
                }
            }
        }));
        Ok(best)
    })?;
    let best = maxima.into_iter().fold(0.0, f64::max);
    if best >= usize::MAX as f64 {
        return Err(Error::OutOfMemory(format!(
            "the largest label {best} is too large to hold its box"
        )));
    }
    Ok(best as usize)
}

/// A label's bounding box: `(start, stop)` per axis.
pub type BoundingBox = Vec<(usize, usize)>;

/// scipy.ndimage.find_objects: the bounding box of each label `1..=max_label` of `input` (any
/// real element type), `None` for labels without elements. An element belongs to label `L`
/// when its value is exactly `L`: fractional values, 0 and negative values belong to none.
/// `max_label` `None` means [`largest_label`].
///
/// Memory: `2 · rank · max_label` positions per thread.
pub fn find_objects<'a>(
    input: impl AsInput<'a>,
    max_label: Option<usize>,
    threads: Threads,
) -> Result<Vec<Option<BoundingBox>>, Error> {
    let input = input.into_input();
    let max_label = match max_label {
        Some(m) => m,
        None => largest_label(&input, threads)?,
    };
    let rank = input.rank();
    let flat = bounding_boxes(&input, max_label, threads)?;
    Ok(flat
        .chunks(2 * rank.max(1))
        .map(|b| {
            (b[0] != usize::MAX).then(|| (0..rank).map(|a| (b[2 * a], b[2 * a + 1])).collect())
        })
        .collect())
}

/// The boxes of labels `1..=max_label` as `[start_0, stop_0, start_1, …]` per label; a label
/// without elements has `usize::MAX` as its first start.
pub(crate) fn bounding_boxes(
    input: &ArrayRef<'_>,
    max_label: usize,
    threads: Threads,
) -> Result<Vec<usize>, Error> {
    crate::args::real(input.dtype(), "input")?;
    crate::args::at_least_rank_1(input.rank(), "input")?;
    let threads = threads.resolve()?;
    let rank = input.rank();
    let last = rank - 1;
    let width = 2 * rank;
    let len = max_label.checked_mul(width).ok_or_else(|| {
        Error::OutOfMemory(format!(
            "{max_label} boxes of rank {rank} overflow the memory"
        ))
    })?;
    // A box array per thread, as long as they stay small beside the input.
    let limit = (input.layout().len() / len.max(1)).max(1);
    let parts = slabs(input, threads, limit);
    let total = input.layout().len() as u64;
    let empty = |len| -> Result<Vec<usize>, Error> {
        let mut boxes = try_vec(len, 0usize, "the bounding boxes")?;
        for b in boxes.chunks_mut(width) {
            b[0] = usize::MAX;
        }
        Ok(boxes)
    };
    let mut partial = map_parts(parts.len(), threads, total, |k, stop| {
        let mut boxes = empty(len)?;
        with_native!(input.dtype(), T => for_lines::<T>(input, parts[k], stop, |index, values| {
            let n = values.len();
            let mut i = 0;
            while i < n {
                let v = values[i];
                let from = i;
                i += 1;
                while i < n && values[i] == v {
                    i += 1;
                }
                let Some(l) = label_number(v, max_label) else { continue };
                let b = &mut boxes[(l - 1) * width..l * width];
                if b[0] == usize::MAX {
                    for a in 0..last {
                        b[2 * a] = index[a];
                        b[2 * a + 1] = index[a] + 1;
                    }
                    b[2 * last] = from;
                    b[2 * last + 1] = i;
                } else {
                    for a in 0..last {
                        b[2 * a] = b[2 * a].min(index[a]);
                        b[2 * a + 1] = b[2 * a + 1].max(index[a] + 1);
                    }
                    b[2 * last] = b[2 * last].min(from);
                    b[2 * last + 1] = b[2 * last + 1].max(i);
                }
            }
        }));
        Ok(boxes)
    })?;
    let mut boxes = partial.remove(0);
    for other in partial {
        for (b, o) in boxes.chunks_mut(width).zip(other.chunks(width)) {
            if o[0] == usize::MAX {
                continue;
            }
            if b[0] == usize::MAX {
                b.copy_from_slice(o);
                continue;
            }
            for a in 0..rank {
                b[2 * a] = b[2 * a].min(o[2 * a]);
                b[2 * a + 1] = b[2 * a + 1].max(o[2 * a + 1]);
            }
        }
    }
    Ok(boxes)
}

/// An integer element as a 128-bit key (every integer type's values fit).
trait IntegerKey: Native {
    fn key(self) -> i128;
}

macro_rules! integer_key {
    ($($t:ty),*) => {$(
        impl IntegerKey for $t {
            #[inline(always)]
            fn key(self) -> i128 {
                self as i128
            }
        }
    )*};
}
integer_key!(i8, u8, i16, u16, i32, u32, i64, u64);

/// Calls `$body` with `$T` bound to the integer `Native` type of `$dtype`, or returns an error
/// for other types.
macro_rules! with_integer {
    ($dtype:expr, $what:expr, $T:ident => $body:expr) => {
        match $dtype {
            DType::Int8 => {
                type $T = i8;
                $body
            }
            DType::UInt8 => {
                type $T = u8;
                $body
            }
            DType::Int16 => {
                type $T = i16;
                $body
            }
            DType::UInt16 => {
                type $T = u16;
                $body
            }
            DType::Int32 => {
                type $T = i32;
                $body
            }
            DType::UInt32 => {
                type $T = u32;
                $body
            }
            DType::Int64 => {
                type $T = i64;
                $body
            }
            DType::UInt64 => {
                type $T = u64;
                $body
            }
            other => {
                return Err(Error::InvalidArray(format!(
                    "{}: element type {} is not an integer type",
                    $what,
                    other.name()
                )))
            }
        }
    };
}

/// Checks that `dtype` is an integer type (bool is not).
fn integer(dtype: DType, what: &str) -> Result<(), Error> {
    with_integer!(dtype, what, T => { let _ = std::marker::PhantomData::<T>; Ok(()) })
}

/// The distinct values of an integer array and how often each occurs, ascending.
struct Histogram {
    values: Vec<i128>,
    counts: Vec<usize>,
}

/// Counts the distinct values of `input` other than `ignore`, with a table over the value
/// range when it is narrow and a hash map otherwise.
fn histogram<T: IntegerKey>(input: &ArrayRef<'_>, ignore: Option<i128>) -> Histogram {
    let stop = Stop::new(input.layout().len() as u64);
    let (mut lo, mut hi) = (i128::MAX, i128::MIN);
    for_lines::<T>(input, (0, input.shape()[0]), &stop, |_, values| {
        for &v in values {
            let k = v.key();
            if Some(k) != ignore {
                lo = lo.min(k);
                hi = hi.max(k);
            }
        }
    });
    if lo > hi {
        return Histogram {
            values: Vec::new(),
            counts: Vec::new(),
        };
    }
    let range = hi - lo + 1;
    let narrow = range <= (input.layout().len() as i128).saturating_mul(2) + 4096;
    if narrow {
        let mut table = vec![0usize; range as usize];
        for_lines::<T>(input, (0, input.shape()[0]), &stop, |_, values| {
            for &v in values {
                let k = v.key();
                if Some(k) != ignore {
                    table[(k - lo) as usize] += 1;
                }
            }
        });
        let (values, counts) = table
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(k, &c)| (lo + k as i128, c))
            .unzip();
        Histogram { values, counts }
    } else {
        let mut map: HashMap<i128, usize> = HashMap::new();
        for_lines::<T>(input, (0, input.shape()[0]), &stop, |_, values| {
            for &v in values {
                let k = v.key();
                if Some(k) != ignore {
                    *map.entry(k).or_insert(0) += 1;
                }
            }
        });
        let mut pairs: Vec<(i128, usize)> = map.into_iter().collect();
        pairs.sort_unstable();
        let (values, counts) = pairs.into_iter().unzip();
        Histogram { values, counts }
    }
}

/// The value `ignore` (a one-element integer array) as a key, checked.
fn ignore_key(ignore: Option<&ArrayRef<'_>>) -> Result<Option<i128>, Error> {
    let Some(ignore) = ignore else {
        return Ok(None);
    };
    if ignore.layout().len() != 1 {
        return Err(Error::ShapeMismatch(format!(
            "ignore_value: one element expected, got {}",
            ignore.layout().len()
        )));
    }
    let index = vec![0usize; ignore.rank()];
    with_integer!(ignore.dtype(), "ignore_value", T => {
        let mut v = [T::default()];
        ignore.read_run_as(&index, 0, 0, &mut v);
        Ok(Some(v[0].key()))
    })
}

/// The sizes of [`value_indices`]' result: the number of distinct values and the number of
/// positions (elements not equal to `ignore_value`).
pub fn value_indices_sizes<'a>(
    input: impl AsInput<'a>,
    ignore_value: Option<&ArrayRef<'_>>,
) -> Result<(usize, usize), Error> {
    let input = input.into_input();
    crate::args::at_least_rank_1(input.rank(), "input")?;
    let ignore = ignore_key(ignore_value)?;
    integer(input.dtype(), "input")?;
    if input.is_empty() {
        return Ok((0, 0));
    }
    let h = with_integer!(input.dtype(), "input", T => histogram::<T>(&input, ignore));
    Ok((h.values.len(), h.counts.iter().sum()))
}

/// scipy.ndimage.value_indices into caller arrays: the distinct values of `input` (an integer
/// array) other than `ignore_value`, ascending, into `values` (of the input's element type);
/// how many elements have each into `counts` (int64); and their coordinates into `indices`
/// (int64, `rank × positions` elements in C order: row `a` holds coordinate `a`), grouped by
/// value in the order of `values` and in C order within a value. The sizes are those of
/// [`value_indices_sizes`] (returned); arrays of other sizes are an error (nothing is
/// written).
///
/// Memory: the histogram of the values (a table over their range when it is at most twice
/// the element count, else a hash map) and one position per element.
pub fn value_indices_into<'a>(
    input: impl AsInput<'a>,
    ignore_value: Option<&ArrayRef<'_>>,
    values: &mut ArrayMut<'_>,
    counts: &mut ArrayMut<'_>,
    indices: &mut ArrayMut<'_>,
) -> Result<(usize, usize), Error> {
    let input = input.into_input();
    crate::args::at_least_rank_1(input.rank(), "input")?;
    let ignore = ignore_key(ignore_value)?;
    let rank = input.rank();
    if values.dtype() != input.dtype() {
        return Err(Error::InvalidArray(format!(
            "values: element type {} differs from the input's {}",
            values.dtype().name(),
            input.dtype().name()
        )));
    }
    for (array, name) in [(&*counts, "counts"), (&*indices, "indices")] {
        if array.dtype() != DType::Int64 {
            return Err(Error::InvalidArray(format!(
                "{name}: element type must be int64, not {}",
                array.dtype().name()
            )));
        }
    }
    integer(input.dtype(), "input")?;
    let h = if input.is_empty() {
        Histogram {
            values: Vec::new(),
            counts: Vec::new(),
        }
    } else {
        with_integer!(input.dtype(), "input", T => histogram::<T>(&input, ignore))
    };
    let total: usize = h.counts.iter().sum();
    crate::args::count("values", h.values.len(), values.layout().len())?;
    crate::args::count("counts", h.values.len(), counts.layout().len())?;
    crate::args::count("indices", rank * total, indices.layout().len())?;
    let sizes = (h.values.len(), total);
    if total == 0 {
        return Ok(sizes);
    }
    // The flat C-order positions, grouped by value.
    let mut cursor: Vec<usize> = Vec::with_capacity(h.counts.len());
    let mut acc = 0;
    for &c in &h.counts {
        cursor.push(acc);
        acc += c;
    }
    let mut positions = try_vec(total, 0u64, "the positions")?;
    let last = rank - 1;
    let mut strides = vec![1usize; rank];
    for a in (0..last).rev() {
        strides[a] = strides[a + 1] * input.shape()[a + 1];
    }
    let stop = Stop::new(input.layout().len() as u64);
    with_integer!(input.dtype(), "input", T => {
        let lo = h.values[0];
        let narrow = h.values.len() == (h.values[h.values.len() - 1] - lo + 1) as usize;
        for_lines::<T>(&input, (0, input.shape()[0]), &stop, |index, line| {
            let base: usize = index.iter().zip(&strides).map(|(&i, &s)| i * s).sum();
            for (i, &v) in line.iter().enumerate() {
                let k = v.key();
                if Some(k) == ignore {
                    continue;
                }
                let slot = if narrow {
                    (k - lo) as usize
                } else {
                    h.values.binary_search(&k).expect("a counted value")
                };
                positions[cursor[slot]] = (base + i) as u64;
                cursor[slot] += 1;
            }
        });
    });
    // Write the results: values, counts, and the coordinates axis by axis.
    with_integer!(values.dtype(), "values", T => {
        let v: Vec<T> = h.values.iter().map(|&k| T::from_key(k)).collect();
        write_flat(values, &v);
    });
    let c: Vec<i64> = h.counts.iter().map(|&c| c as i64).collect();
    write_flat(counts, &c);
    let mut row = vec![0i64; total.min(1 << 14)];
    for (a, (&stride, &n)) in strides.iter().zip(input.shape()).enumerate() {
        for (chunk, from) in positions.chunks(row.len()).zip((0..).step_by(row.len())) {
            for (r, &p) in row.iter_mut().zip(chunk) {
                *r = ((p as usize / stride) % n) as i64;
            }
            write_flat_at(indices, a * total + from, &row[..chunk.len()]);
        }
    }
    Ok(sizes)
}

/// Integers back from keys.
trait FromKey {
    fn from_key(k: i128) -> Self;
}

macro_rules! from_key {
    ($($t:ty),*) => {$( impl FromKey for $t { fn from_key(k: i128) -> Self { k as $t } } )*};
}
from_key!(i8, u8, i16, u16, i32, u32, i64, u64);

/// Writes `values` into the first elements of `array` in C order.
pub(crate) fn write_flat<T: Native>(array: &mut ArrayMut<'_>, values: &[T]) {
    write_flat_at(array, 0, values)
}

/// Writes `values` into elements `from ..` of `array` in C order.
pub(crate) fn write_flat_at<T: Native>(array: &mut ArrayMut<'_>, from: usize, values: &[T]) {
    let rank = array.rank();
    let last = rank - 1;
    let n = array.shape()[last];
    if n == 0 {
        return;
    }
    let mut k = 0;
    while k < values.len() {
        let flat = from + k;
        let mut index = vec![0usize; rank];
        let mut rest = flat / n;
        for a in (0..last).rev() {
            index[a] = rest % array.shape()[a];
            rest /= array.shape()[a];
        }
        let i = flat % n;
        let take = (n - i).min(values.len() - k);
        array.store_run_as(&index, last, i, &values[k..k + take]);
        k += take;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array1, Array2};

    #[test]
    fn boxes_of_present_labels() {
        let input = array![[0i32, 1, 1], [2, 0, 1], [2, 2, 0], [0, 0, 4]];
        let boxes = find_objects(&input, None, Threads::Count(1)).unwrap();
        assert_eq!(
            boxes,
            vec![
                Some(vec![(0, 2), (1, 3)]),
                Some(vec![(1, 3), (0, 2)]),
                None,
                Some(vec![(3, 4), (2, 3)])
            ]
        );
        for threads in [2, 3, 4] {
            assert_eq!(
                find_objects(&input, None, Threads::Count(threads)).unwrap(),
                boxes
            );
        }
        assert_eq!(
            find_objects(&input, Some(1), Threads::Count(1)).unwrap(),
            boxes[..1]
        );
        // Fractional values are no labels.
        let f = array![1.0f64, 1.5, 2.0, -1.0, 0.5];
        assert_eq!(
            find_objects(&f, None, Threads::Count(1)).unwrap(),
            vec![Some(vec![(0, 1)]), Some(vec![(2, 3)])]
        );
    }

    #[test]
    fn value_indices_group_positions_by_value() {
        let input = array![[3i16, -1, 3], [7, 3, -1]];
        let (k, m) = value_indices_sizes(&input, None).unwrap();
        assert_eq!((k, m), (3, 6));
        let mut values = Array1::<i16>::zeros(3);
        let mut counts = Array1::<i64>::zeros(3);
        let mut indices = Array2::<i64>::zeros((2, 6));
        value_indices_into(
            &input,
            None,
            &mut ArrayMut::from_ndarray(values.view_mut()),
            &mut ArrayMut::from_ndarray(counts.view_mut()),
            &mut ArrayMut::from_ndarray(indices.view_mut()),
        )
        .unwrap();
        assert_eq!(values, array![-1, 3, 7]);
        assert_eq!(counts, array![2, 3, 1]);
        assert_eq!(indices, array![[0, 1, 0, 0, 1, 1], [1, 2, 0, 2, 1, 0]]);
    }
}
