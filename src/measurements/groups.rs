//! Which elements a statistic is computed over: scipy's four forms of `labels` and `index`,
//! and the mapping of each element to its group.
//!
//! Label values and index values are matched exactly as numbers, whatever their element
//! types: label 3 (any integer type), 3.0 (float) and an index of 3 or 3.0 match; an index of
//! 1.5 matches no integer label (scipy truncates it to 1 on the index-sequence path); NaN
//! matches nothing; -0.0 matches 0.

#![forbid(unsafe_code)]

use crate::array::dtype::{with_native, BoolByte, Native};
use crate::array::{advance, ArrayRef, DType};
use crate::error::Error;
use crate::parallel::Stop;

/// The groups of a statistic (scipy's `labels` / `index` forms).
#[derive(Clone, Debug)]
pub enum Select<'a> {
    /// One group: every element (scipy's `labels=None`).
    All,
    /// [`Select::All`], summed as NumPy sums an input it has to copy into buffers first (one
    /// with negative strides, unaligned or byte-swapped): pairwise over buffers of 8192
    /// elements in C order.
    AllBuffered,
    /// One group: the elements whose label is greater than 0 (`index=None`).
    Positive,
    /// One group: the elements whose label equals the one element of this array (a scalar
    /// `index`).
    Value(ArrayRef<'a>),
    /// One group per element of this array, in its C order (an index sequence).
    Each(ArrayRef<'a>),
}

impl Select<'_> {
    /// Whether the selection has one group (scipy's "scalar" paths, whose sums are NumPy's
    /// pairwise sums in the input's type).
    pub fn is_single(&self) -> bool {
        !matches!(self, Select::Each(_))
    }
}

/// The C API's codes of the four forms of [`Select`] (`NDI_SELECT_*`, a range of their own,
/// 0x500 + k, so that a code of another enumeration passed in its place is rejected).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum SelectKind {
    All = 0x500,
    Positive = 0x501,
    Value = 0x502,
    Each = 0x503,
    AllBuffered = 0x504,
}

impl SelectKind {
    /// Every kind.
    pub const ALL: [SelectKind; 5] = [
        SelectKind::All,
        SelectKind::Positive,
        SelectKind::Value,
        SelectKind::Each,
        SelectKind::AllBuffered,
    ];
}

impl TryFrom<i32> for SelectKind {
    type Error = i32;
    /// The kind of a C `NDI_SELECT_*` code; the code itself when it is none.
    fn try_from(code: i32) -> Result<Self, i32> {
        SelectKind::ALL
            .into_iter()
            .find(|&k| k as i32 == code)
            .ok_or(code)
    }
}

/// No group (the element is not selected).
pub(crate) const NONE: u32 = u32::MAX;

/// A label or index value as an exact number.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub(crate) enum Key {
    Int(i128),
    Float(f64),
}

/// Reads a label element as a [`Key`].
pub(crate) trait LabelValue: Native {
    fn key(self) -> Key;
    /// The value as an i64 when it is an integer that fits (every integer type but large
    /// uint64 values; floats: none), for the table lookup.
    fn small_int(self) -> Option<i64>;
}

macro_rules! int_label {
    ($($t:ty),*) => {$(
        impl LabelValue for $t {
            #[inline(always)]
            fn key(self) -> Key {
                Key::Int(self as i128)
            }
            #[inline(always)]
            fn small_int(self) -> Option<i64> {
                Some(self as i64)
            }
        }
    )*};
}
int_label!(i8, u8, i16, u16, i32, u32, i64);

impl LabelValue for u64 {
    #[inline(always)]
    fn key(self) -> Key {
        Key::Int(self as i128)
    }
    #[inline(always)]
    fn small_int(self) -> Option<i64> {
        i64::try_from(self).ok()
    }
}

impl LabelValue for BoolByte {
    #[inline(always)]
    fn key(self) -> Key {
        Key::Int(self.0 as i128)
    }
    #[inline(always)]
    fn small_int(self) -> Option<i64> {
        Some(self.0 as i64)
    }
}

impl LabelValue for f32 {
    #[inline(always)]
    fn key(self) -> Key {
        Key::Float(self as f64)
    }
    #[inline(always)]
    fn small_int(self) -> Option<i64> {
        None
    }
}

impl LabelValue for f64 {
    #[inline(always)]
    fn key(self) -> Key {
        Key::Float(self)
    }
    #[inline(always)]
    fn small_int(self) -> Option<i64> {
        None
    }
}

/// The key of an index value for labels of integer (`int_labels`) or float type: `None` when
/// no label of that kind can equal it.
fn index_key(k: Key, int_labels: bool) -> Option<Key> {
    match (k, int_labels) {
        (Key::Int(i), true) => Some(Key::Int(i)),
        (Key::Float(f), true) => {
            (f.is_finite() && f == f.trunc() && f.abs() < 1.7e38).then_some(Key::Int(f as i128))
        }
        (Key::Int(i), false) => {
            let f = i as f64;
            (f as i128 == i && f.abs() < 1.7e38).then_some(Key::Float(f))
        }
        // -0.0 and 0.0 are one key; NaN is none.
        (Key::Float(f), false) => (!f.is_nan()).then_some(Key::Float(f + 0.0)),
    }
}

/// The values of an index array, as keys, in C order.
fn read_keys(index: &ArrayRef<'_>) -> Result<Vec<Key>, Error> {
    crate::args::real(index.dtype(), "index")?;
    let mut keys = Vec::with_capacity(index.layout().len());
    if index.is_empty() {
        return Ok(keys);
    }
    let rank = index.rank();
    let last = rank - 1;
    let mut at = vec![0usize; rank];
    with_native!(index.dtype(), T => {
        let mut line = vec![T::default(); index.shape()[last]];
        loop {
            index.read_run_as(&at, last, 0, &mut line);
            keys.extend(line.iter().map(|v| v.key()));
            if !advance(&mut at, index.shape(), Some(last)) {
                break;
            }
        }
    });
    Ok(keys)
}

/// How the label of an element finds its group among the distinct index values.
#[derive(Clone, Debug)]
enum Lookup {
    /// Every element is in group 0.
    All,
    /// Group 0 when the label is greater than 0.
    Positive,
    /// Group 0 when the label equals the key.
    Equal(Option<Key>),
    /// Integer keys `min ..`: `table[k - min]` is the group + 1 (0: none).
    Table { min: i128, table: Vec<u32> },
    /// Sorted distinct keys; the group is the position.
    Sorted(Vec<Key>),
}

/// The groups of one call: how many, which group each index entry is, and how to find the
/// group of a label.
#[derive(Clone, Debug)]
pub struct Grouping {
    /// Number of distinct groups.
    pub groups: usize,
    /// The group of each index entry (for [`Select::Each`]; `[0]` otherwise); `None` for an
    /// entry no label can match.
    pub entries: Vec<Option<usize>>,
    lookup: Lookup,
}

impl Grouping {
    /// The groups of `select` for labels of `labels_dtype` (`None`: no labels, only
    /// [`Select::All`] is possible).
    pub fn new(select: &Select<'_>, labels_dtype: Option<DType>) -> Result<Grouping, Error> {
        let int_labels = match labels_dtype {
            None => {
                if !matches!(select, Select::All | Select::AllBuffered) {
                    return Err(Error::NullPointer(
                        "labels (needed unless every element is selected)".into(),
                    ));
                }
                true
            }
            Some(d) => {
                crate::args::real(d, "labels")?;
                !d.is_float()
            }
        };
        let single = |lookup| Grouping {
            groups: 1,
            entries: vec![Some(0)],
            lookup,
        };
        Ok(match select {
            Select::All | Select::AllBuffered => single(Lookup::All),
            Select::Positive => single(Lookup::Positive),
            Select::Value(v) => {
                let keys = read_keys(v)?;
                if keys.len() != 1 {
                    return Err(Error::ShapeMismatch(format!(
                        "index: one value expected for a single label, got {}",
                        keys.len()
                    )));
                }
                single(Lookup::Equal(index_key(keys[0], int_labels)))
            }
            Select::Each(index) => {
                let keys: Vec<Option<Key>> = read_keys(index)?
                    .into_iter()
                    .map(|k| index_key(k, int_labels))
                    .collect();
                let mut distinct: Vec<Key> = keys.iter().flatten().copied().collect();
                distinct.sort_by(|a, b| a.partial_cmp(b).expect("no NaN keys"));
                distinct.dedup();
                let position = |k: &Key| {
                    distinct
                        .binary_search_by(|d| d.partial_cmp(k).unwrap())
                        .ok()
                };
                let entries = keys.iter().map(|k| k.and_then(|k| position(&k))).collect();
                let groups = distinct.len();
                if groups >= NONE as usize {
                    return Err(Error::InvalidArgument(format!(
                        "index: {groups} distinct labels are too many"
                    )));
                }
                Grouping {
                    groups,
                    entries,
                    lookup: Self::table_or_sorted(distinct),
                }
            }
        })
    }

    /// A table over the key range when the keys are integers in a range not much wider than
    /// their number, else a sorted list.
    fn table_or_sorted(distinct: Vec<Key>) -> Lookup {
        let ints: Option<Vec<i128>> = distinct
            .iter()
            .map(|k| match k {
                Key::Int(i) => Some(*i),
                Key::Float(f) if *f == f.trunc() && f.abs() < 1e18 => Some(*f as i128),
                _ => None,
            })
            .collect();
        if let Some(ints) = ints {
            if let (Some(&min), Some(&max)) = (ints.first(), ints.last()) {
                let range = max - min + 1;
                if range <= (4 * ints.len() as i128).max(1 << 16) && range <= 1 << 28 {
                    let mut table = vec![0u32; range as usize];
                    for (g, &k) in ints.iter().enumerate() {
                        table[(k - min) as usize] = g as u32 + 1;
                    }
                    return Lookup::Table { min, table };
                }
            }
        }
        Lookup::Sorted(distinct)
    }

    /// The group of a label value (`NONE` if it is in none).
    #[inline(always)]
    fn group_of<L: LabelValue>(&self, v: L) -> u32 {
        match &self.lookup {
            Lookup::All => 0,
            Lookup::Positive => {
                if v.to_f64() > 0.0 {
                    0
                } else {
                    NONE
                }
            }
            Lookup::Equal(k) => match k {
                Some(k) if v.key() == *k => 0,
                _ => NONE,
            },
            Lookup::Table { min, table } => {
                let i = match v.key() {
                    Key::Int(i) => i,
                    Key::Float(f) if f == f.trunc() && f.abs() < 1e18 => f as i128,
                    _ => return NONE,
                };
                let off = i.wrapping_sub(*min);
                if (0..table.len() as i128).contains(&off) {
                    table[off as usize].wrapping_sub(1)
                } else {
                    NONE
                }
            }
            Lookup::Sorted(keys) => {
                let k = match v.key() {
                    Key::Float(f) => Key::Float(f + 0.0),
                    k => k,
                };
                match keys
                    .binary_search_by(|d| d.partial_cmp(&k).unwrap_or(std::cmp::Ordering::Less))
                {
                    Ok(g) => g as u32,
                    Err(_) => NONE,
                }
            }
        }
    }

    /// Fills `groups` with the group of each label of `labels`.
    #[inline]
    pub(crate) fn classify<L: LabelValue>(&self, labels: &[L], groups: &mut [u32]) {
        match &self.lookup {
            Lookup::All => groups.fill(0),
            Lookup::Table { min, table }
                if *min >= i64::MIN as i128 && *min + table.len() as i128 <= i64::MAX as i128 =>
            {
                // The common case (integer labels, a table): no 128-bit arithmetic.
                let min = *min as i64;
                let len = table.len() as u64;
                for (g, &v) in groups.iter_mut().zip(labels) {
                    *g = match v.small_int() {
                        Some(i) => {
                            let off = i.wrapping_sub(min) as u64;
                            if off < len {
                                table[off as usize].wrapping_sub(1)
                            } else {
                                NONE
                            }
                        }
                        None => self.group_of(v),
                    };
                }
            }
            _ => {
                for (g, &v) in groups.iter_mut().zip(labels) {
                    *g = self.group_of(v);
                }
            }
        }
    }
}

/// A line of labels in their own element type.
enum LabelLine {
    Bool(Vec<BoolByte>),
    I8(Vec<i8>),
    U8(Vec<u8>),
    I16(Vec<i16>),
    U16(Vec<u16>),
    I32(Vec<i32>),
    U32(Vec<u32>),
    I64(Vec<i64>),
    U64(Vec<u64>),
    F32(Vec<f32>),
    F64(Vec<f64>),
}

impl LabelLine {
    fn new(dtype: DType, n: usize) -> LabelLine {
        match dtype {
            DType::Bool => LabelLine::Bool(vec![BoolByte(0); n]),
            DType::Int8 => LabelLine::I8(vec![0; n]),
            DType::UInt8 => LabelLine::U8(vec![0; n]),
            DType::Int16 => LabelLine::I16(vec![0; n]),
            DType::UInt16 => LabelLine::U16(vec![0; n]),
            DType::Int32 => LabelLine::I32(vec![0; n]),
            DType::UInt32 => LabelLine::U32(vec![0; n]),
            DType::Int64 => LabelLine::I64(vec![0; n]),
            DType::UInt64 => LabelLine::U64(vec![0; n]),
            DType::Float32 => LabelLine::F32(vec![0.0; n]),
            DType::Float64 => LabelLine::F64(vec![0.0; n]),
            DType::Complex64 | DType::Complex128 => unreachable!("labels are checked real"),
        }
    }

    /// Reads the labels of the line at `index` and classifies them into `groups`.
    fn read(
        &mut self,
        labels: &ArrayRef<'_>,
        index: &[usize],
        grouping: &Grouping,
        groups: &mut [u32],
    ) {
        let last = index.len() - 1;
        macro_rules! go {
            ($($v:ident),*) => {
                match self {
                    $(LabelLine::$v(line) => {
                        labels.read_run_as(index, last, 0, line);
                        grouping.classify(line, groups);
                    })*
                }
            };
        }
        go!(Bool, I8, U8, I16, U16, I32, U32, I64, U64, F32, F64)
    }
}

/// What a statistic reads: the input (its real part, and its imaginary part for complex
/// inputs), the labels, and the groups.
pub(crate) struct Lines<'x> {
    pub input: ArrayRef<'x>,
    pub imag: Option<ArrayRef<'x>>,
    pub labels: Option<ArrayRef<'x>>,
    pub grouping: Grouping,
}

impl<'x> Lines<'x> {
    /// Rows of axis 0 (1 for rank 1): the unit the spatial parts are made of.
    pub fn rows(&self) -> usize {
        if self.input.rank() > 1 {
            self.input.shape()[0]
        } else {
            1
        }
    }

    /// A cursor over the lines of rows `rows`, in C order.
    pub fn cursor<T: Native>(&self, rows: (usize, usize)) -> Cursor<'_, 'x, T> {
        self.cursor_reading::<T>(rows, true)
    }

    /// As [`Lines::cursor`]; without `values`, only the groups are read (the values stay
    /// zero).
    pub fn cursor_reading<T: Native>(
        &self,
        rows: (usize, usize),
        values: bool,
    ) -> Cursor<'_, 'x, T> {
        let input = &self.input;
        let rank = input.rank();
        let n = input.shape()[rank - 1];
        let mut local = input.shape().to_vec();
        if rank > 1 {
            local[0] = rows.1.saturating_sub(rows.0);
        }
        let empty = local.contains(&0) || rows.0 >= rows.1;
        Cursor {
            lines: self,
            first_row: rows.0,
            local,
            at: vec![0; rank],
            index: vec![0; rank],
            started: false,
            done: empty,
            read_values: values,
            values: vec![T::default(); if empty { 0 } else { n }],
            imag: vec![T::default(); if empty || self.imag.is_none() { 0 } else { n }],
            groups: vec![0; if empty { 0 } else { n }],
            label_line: match &self.labels {
                Some(l) if !empty => Some(LabelLine::new(l.dtype(), n)),
                _ => None,
            },
        }
    }

    /// Visits the lines of rows `rows` in C order with their index (last entry 0), values
    /// and groups; returns false if `stop` was set on the way.
    pub fn visit<T: Native>(
        &self,
        rows: (usize, usize),
        stop: &Stop,
        mut visit: impl FnMut(&[usize], &[T], &[u32]),
    ) -> bool {
        let mut cursor = self.cursor::<T>(rows);
        while cursor.next() {
            visit(&cursor.index, &cursor.values, &cursor.groups);
            if stop.tick(cursor.values.len() as u64) {
                return false;
            }
        }
        true
    }
}

/// Reads the lines of some rows one after the other.
pub(crate) struct Cursor<'l, 'x, T> {
    lines: &'l Lines<'x>,
    first_row: usize,
    local: Vec<usize>,
    at: Vec<usize>,
    /// The current line's index (last entry 0).
    pub index: Vec<usize>,
    started: bool,
    done: bool,
    read_values: bool,
    /// The current line's values (real parts for complex input), imaginary parts, groups.
    pub values: Vec<T>,
    pub imag: Vec<T>,
    pub groups: Vec<u32>,
    label_line: Option<LabelLine>,
}

impl<T: Native> Cursor<'_, '_, T> {
    /// Reads the next line; false after the last.
    pub fn next(&mut self) -> bool {
        if self.done {
            return false;
        }
        let rank = self.at.len();
        let last = rank - 1;
        if self.started && !advance(&mut self.at, &self.local, Some(last)) {
            self.done = true;
            return false;
        }
        self.started = true;
        self.index.copy_from_slice(&self.at);
        if rank > 1 {
            self.index[0] += self.first_row;
        }
        let lines = self.lines;
        if self.read_values {
            lines
                .input
                .read_run_as(&self.index, last, 0, &mut self.values);
            if let Some(imag) = &lines.imag {
                imag.read_run_as(&self.index, last, 0, &mut self.imag);
            }
        }
        match (&lines.labels, &mut self.label_line) {
            (Some(labels), Some(line)) => {
                line.read(labels, &self.index, &lines.grouping, &mut self.groups)
            }
            _ => self.groups.fill(0),
        }
        true
    }
}

/// Checks the labels against the input: same shape, real.
pub(crate) fn check_labels(
    input: &ArrayRef<'_>,
    labels: Option<&ArrayRef<'_>>,
) -> Result<(), Error> {
    crate::args::at_least_rank_1(input.rank(), "input")?;
    if let Some(labels) = labels {
        crate::args::real(labels.dtype(), "labels")?;
        if labels.shape() != input.shape() {
            return Err(Error::ShapeMismatch(format!(
                "labels shape {:?} differs from input shape {:?}",
                labels.shape(),
                input.shape()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn groups_of<L: LabelValue>(g: &Grouping, labels: &[L]) -> Vec<u32> {
        let mut out = vec![0; labels.len()];
        g.classify(labels, &mut out);
        out
    }

    #[test]
    fn index_values_match_label_values_exactly() {
        let index = array![3.0f64, 1.5, 1.0, -2.0, 3.0];
        let g = Grouping::new(
            &Select::Each(ArrayRef::from_ndarray(index.view())),
            Some(DType::Int32),
        )
        .unwrap();
        assert_eq!(g.groups, 3);
        assert_eq!(g.entries, vec![Some(2), None, Some(1), Some(0), Some(2)]);
        assert_eq!(
            groups_of(&g, &[3i32, 1, 0, -2, 2]),
            vec![2, 1, NONE, 0, NONE]
        );
        let g = Grouping::new(
            &Select::Each(ArrayRef::from_ndarray(index.view())),
            Some(DType::Float32),
        )
        .unwrap();
        assert_eq!(g.groups, 4);
        assert_eq!(
            groups_of(&g, &[1.5f32, -0.0, 3.0, f32::NAN]),
            vec![2, NONE, 3, NONE]
        );
        let top = array![u64::MAX];
        let g = Grouping::new(
            &Select::Each(ArrayRef::from_ndarray(top.view())),
            Some(DType::UInt64),
        )
        .unwrap();
        assert_eq!(
            groups_of(&g, &[u64::MAX, 0, u64::MAX - 1]),
            vec![0, NONE, NONE]
        );
        let wide = array![0i64, 1 << 40, -(1 << 50)];
        let g = Grouping::new(
            &Select::Each(ArrayRef::from_ndarray(wide.view())),
            Some(DType::Int64),
        )
        .unwrap();
        assert_eq!(
            groups_of(&g, &[1i64 << 40, 0, 5, -(1 << 50)]),
            vec![2, 1, NONE, 0]
        );
        let g = Grouping::new(&Select::Positive, Some(DType::UInt8)).unwrap();
        assert_eq!(groups_of(&g, &[0u8, 3]), vec![NONE, 0]);
    }
}
