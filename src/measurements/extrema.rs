//! `minimum`, `maximum`, `minimum_position`, `maximum_position`, `extrema` and `median`.
//!
//! The extreme of a group is its first extreme element in C order: the smallest (largest)
//! value, NaN counting as the extreme (so a group holding NaN has NaN as its minimum and
//! maximum, at its first NaN), complex values ordered by real then imaginary part. That is
//! NumPy's `min`/`max` and first position on scipy's one-group paths; on scipy's index-sequence
//! path NumPy's unstable `argsort` decides ties and NaN sorts last (see the README).
//!
//! Threads: partial extremes per slab of rows, merged in slab order (a later slab wins only
//! with a strictly better value), so every thread count gives the first element in C order.
//! The median gathers each group's values (in C order) and selects the middle ones.

#![forbid(unsafe_code)]

use super::groups::{Select, NONE};
use super::pairwise::{complex_div, Complex, Float};
use super::stats::Job;
use super::value::Scalar;
use crate::array::dtype::{with_native, BoolByte, Native};
use crate::array::{ArrayRef, AsInput, DType};
use crate::error::Error;
use crate::parallel::{map_parts, Threads};

/// An element value with the order of NumPy's `min` / `max`: NaN is the extreme.
trait Ordered: Copy + Send + Sync {
    fn nan(self) -> bool;
    fn lt(self, other: Self) -> bool;
    fn to_scalar(self) -> Scalar;
    /// Whether `self` replaces `current` as the minimum (`max`: the maximum).
    #[inline(always)]
    fn better(self, current: Self, max: bool) -> bool {
        if self.nan() {
            return !current.nan();
        }
        if current.nan() {
            return false;
        }
        if max {
            current.lt(self)
        } else {
            self.lt(current)
        }
    }
}

macro_rules! ordered_int {
    ($($t:ty => $v:ident),*) => {$(
        impl Ordered for $t {
            #[inline(always)]
            fn nan(self) -> bool { false }
            #[inline(always)]
            fn lt(self, other: Self) -> bool { self < other }
            fn to_scalar(self) -> Scalar { Scalar::$v(self as _) }
        }
    )*};
}
ordered_int!(i8 => I64, i16 => I64, i32 => I64, i64 => I64, u8 => U64, u16 => U64, u32 => U64,
             u64 => U64);

impl Ordered for BoolByte {
    #[inline(always)]
    fn nan(self) -> bool {
        false
    }
    #[inline(always)]
    fn lt(self, other: Self) -> bool {
        self.0 < other.0
    }
    fn to_scalar(self) -> Scalar {
        Scalar::U64(self.0 as u64)
    }
}

impl Ordered for f32 {
    #[inline(always)]
    fn nan(self) -> bool {
        self.is_nan()
    }
    #[inline(always)]
    fn lt(self, other: Self) -> bool {
        self < other
    }
    fn to_scalar(self) -> Scalar {
        Scalar::F32(self)
    }
}

impl Ordered for f64 {
    #[inline(always)]
    fn nan(self) -> bool {
        self.is_nan()
    }
    #[inline(always)]
    fn lt(self, other: Self) -> bool {
        self < other
    }
    fn to_scalar(self) -> Scalar {
        Scalar::F64(self)
    }
}

/// A complex element (real, imaginary part).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Cx<S>(S, S);

impl Ordered for Cx<f32> {
    fn nan(self) -> bool {
        self.0.is_nan() || self.1.is_nan()
    }
    fn lt(self, o: Self) -> bool {
        self.0 < o.0 || (self.0 == o.0 && self.1 < o.1)
    }
    fn to_scalar(self) -> Scalar {
        Scalar::C64(self.0, self.1)
    }
}

impl Ordered for Cx<f64> {
    fn nan(self) -> bool {
        self.0.is_nan() || self.1.is_nan()
    }
    fn lt(self, o: Self) -> bool {
        self.0 < o.0 || (self.0 == o.0 && self.1 < o.1)
    }
    fn to_scalar(self) -> Scalar {
        Scalar::C128(self.0, self.1)
    }
}

/// The extreme found so far: value and flat C-order position.
#[derive(Clone, Copy)]
struct Best<V> {
    value: V,
    position: u64,
}

/// What [`extremes`] finds per group.
pub struct Extremes {
    /// Minimum and its position, maximum and its position, per group (`None`: no element).
    pub min: Vec<Option<(Scalar, u64)>>,
    pub max: Vec<Option<(Scalar, u64)>>,
}

/// The minimum and maximum (and their first positions in C order) of each group.
fn extremes(job: &Job<'_>, want_min: bool, want_max: bool) -> Result<Extremes, Error> {
    macro_rules! run {
        ($V:ty, $read:expr) => {
            extremes_of::<_, $V>(job, want_min, want_max, $read)
        };
    }
    match (job.dtype(), job.is_complex()) {
        (DType::Float32, true) => run!(Cx<f32>, |re: f32, im: f32| Cx(re, im)),
        (DType::Float64, true) => run!(Cx<f64>, |re: f64, im: f64| Cx(re, im)),
        (d, _) => with_native!(d, T => run!(T, |re: T, _im: T| re)),
    }
}

fn extremes_of<T, V>(
    job: &Job<'_>,
    want_min: bool,
    want_max: bool,
    read: impl Fn(T, T) -> V + Sync,
) -> Result<Extremes, Error>
where
    T: Native,
    V: Ordered,
{
    let groups = job.grouping().groups;
    let slabs = job.slabs();
    let rank = job.lines.input.rank();
    let shape = job.lines.input.shape().to_vec();
    let mut strides = vec![1u64; rank];
    for a in (0..rank.saturating_sub(1)).rev() {
        strides[a] = strides[a + 1] * shape[a + 1] as u64;
    }
    type Part<V> = (Vec<Option<Best<V>>>, Vec<Option<Best<V>>>);
    let parts: Vec<Part<V>> = map_parts(slabs.len(), job.threads, job.len() as u64, |k, stop| {
        let mut mins: Vec<Option<Best<V>>> = vec![None; if want_min { groups } else { 0 }];
        let mut maxs: Vec<Option<Best<V>>> = vec![None; if want_max { groups } else { 0 }];
        let mut cursor = job.lines.cursor::<T>(slabs[k]);
        while cursor.next() {
            let base: u64 = cursor
                .index
                .iter()
                .zip(&strides)
                .map(|(&i, &s)| i as u64 * s)
                .sum();
            let complex = !cursor.imag.is_empty();
            for (i, (&re, &g)) in cursor.values.iter().zip(&cursor.groups).enumerate() {
                if g == NONE {
                    continue;
                }
                let im = if complex {
                    cursor.imag[i]
                } else {
                    T::default()
                };
                let v = read(re, im);
                let position = base + i as u64;
                if want_min {
                    let slot = &mut mins[g as usize];
                    match slot {
                        Some(b) if !v.better(b.value, false) => {}
                        _ => *slot = Some(Best { value: v, position }),
                    }
                }
                if want_max {
                    let slot = &mut maxs[g as usize];
                    match slot {
                        Some(b) if !v.better(b.value, true) => {}
                        _ => *slot = Some(Best { value: v, position }),
                    }
                }
            }
            if stop.tick(cursor.values.len() as u64) {
                break;
            }
        }
        Ok((mins, maxs))
    })?;
    let mut parts = parts.into_iter();
    let (mut mins, mut maxs) = parts.next().expect("one part at least");
    for (pmin, pmax) in parts {
        for (slot, other) in mins.iter_mut().zip(pmin) {
            if let Some(o) = other {
                match slot {
                    Some(b) if !o.value.better(b.value, false) => {}
                    _ => *slot = Some(o),
                }
            }
        }
        for (slot, other) in maxs.iter_mut().zip(pmax) {
            if let Some(o) = other {
                match slot {
                    Some(b) if !o.value.better(b.value, true) => {}
                    _ => *slot = Some(o),
                }
            }
        }
    }
    let finish = |v: Vec<Option<Best<V>>>| {
        v.into_iter()
            .map(|b| b.map(|b| (b.value.to_scalar(), b.position)))
            .collect()
    };
    Ok(Extremes {
        min: finish(mins),
        max: finish(maxs),
    })
}

/// The value scipy gives a group without elements on the index-sequence path: NaN for float
/// and complex inputs, 0 for integers and bool (which cannot hold NaN).
fn absent(dtype: DType, complex: bool) -> Scalar {
    match (dtype, complex) {
        (DType::Float32, false) => Scalar::F32(f32::NAN),
        (DType::Float64, false) => Scalar::F64(f64::NAN),
        (DType::Float32, true) => Scalar::C64(f32::NAN, 0.0),
        (DType::Float64, true) => Scalar::C128(f64::NAN, 0.0),
        (DType::UInt8 | DType::UInt16 | DType::UInt32 | DType::UInt64 | DType::Bool, _) => {
            Scalar::U64(0)
        }
        _ => Scalar::I64(0),
    }
}

/// Per index entry: the extreme value and its flat position, `None` for a group without
/// elements. A one-group selection without elements is an error (NumPy's reduction of an
/// empty array).
pub type Found = Vec<Option<(Scalar, u64)>>;

fn finish_extreme(
    job: &Job<'_>,
    select: &Select<'_>,
    found: Vec<Option<(Scalar, u64)>>,
) -> Result<Found, Error> {
    if select.is_single() && found[0].is_none() {
        return Err(Error::InvalidArgument(
            "no element is selected: the minimum and maximum of an empty selection are \
             undefined"
                .into(),
        ));
    }
    Ok(job.per_entry(&found, None))
}

/// scipy.ndimage.minimum / minimum_position (and with `max`, maximum / maximum_position):
/// each group's extreme value (in the input's type) and its first position in C order.
pub fn extreme<'a>(
    input: impl AsInput<'a>,
    labels: Option<ArrayRef<'a>>,
    select: &Select<'_>,
    max: bool,
    threads: Threads,
) -> Result<Found, Error> {
    let job = Job::new(input.into_input(), labels, select, threads)?;
    let e = extremes(&job, !max, max)?;
    finish_extreme(&job, select, if max { e.max } else { e.min })
}

/// scipy.ndimage.extrema: minimum, maximum and their positions together.
pub fn extrema<'a>(
    input: impl AsInput<'a>,
    labels: Option<ArrayRef<'a>>,
    select: &Select<'_>,
    threads: Threads,
) -> Result<(Found, Found), Error> {
    let job = Job::new(input.into_input(), labels, select, threads)?;
    let e = extremes(&job, true, true)?;
    Ok((
        finish_extreme(&job, select, e.min)?,
        finish_extreme(&job, select, e.max)?,
    ))
}

/// The extreme values without positions, with scipy's value for groups without elements.
pub fn values_of(found: &Found, dtype: DType, complex: bool) -> Vec<Scalar> {
    found
        .iter()
        .map(|f| f.map_or(absent(dtype, complex), |(v, _)| v))
        .collect()
}

/// scipy.ndimage.median of each group. One group: `np.median` of the selected values (float64
/// for integer input, the float or complex type otherwise; NaN if a value is NaN; NaN for no
/// element). Per index value: `(a[lo] + a[hi]) / 2` of the group's sorted values (float64 for
/// integers, the input's float type otherwise), NaN for a group holding NaN or no element.
pub fn median<'a>(
    input: impl AsInput<'a>,
    labels: Option<ArrayRef<'a>>,
    select: &Select<'_>,
    threads: Threads,
) -> Result<Vec<Scalar>, Error> {
    let job = Job::new(input.into_input(), labels, select, threads)?;
    let single = select.is_single();
    let medians = match (job.dtype(), job.is_complex()) {
        (DType::Float32, true) => medians_of::<f32, Cx<f32>>(&job, single, Cx, complex_median_f32)?,
        (DType::Float64, true) => medians_of::<f64, Cx<f64>>(&job, single, Cx, complex_median_f64)?,
        (DType::Float32, false) => medians_of::<f32, f32>(&job, single, |r, _| r, float_median)?,
        (DType::Float64, false) => medians_of::<f64, f64>(&job, single, |r, _| r, float_median)?,
        (d, _) => with_native!(d, T => medians_of::<T, T>(&job, single, |r, _| r, integer_median)?),
    };
    // No element: the mean of nothing, 0 / 0 (the platform's NaN, as NumPy's).
    let (nan, nan32) = (zero_by_zero(), zero_by_zero() as f32);
    let nan = match (job.dtype(), job.is_complex()) {
        (DType::Float32, false) => Scalar::F32(nan32),
        (DType::Float32, true) => Scalar::C64(nan32, nan32),
        (DType::Float64, true) => Scalar::C128(nan, nan),
        _ => Scalar::F64(nan),
    };
    let medians: Vec<Scalar> = medians.into_iter().map(|m| m.unwrap_or(nan)).collect();
    Ok(job.per_entry(&medians, nan))
}

/// `0 / 0` computed when the call runs, so that it is the processor's NaN (what NumPy's
/// division gives), not the compiler's constant.
fn zero_by_zero() -> f64 {
    let zero = std::hint::black_box(0.0f64);
    zero / std::hint::black_box(zero)
}

/// Gathers each group's values in C order and reduces each with `reduce(values, single)`.
fn medians_of<T, V>(
    job: &Job<'_>,
    single: bool,
    read: impl Fn(T, T) -> V + Sync,
    reduce: impl Fn(&mut [V], bool) -> Scalar + Sync,
) -> Result<Vec<Option<Scalar>>, Error>
where
    T: Native,
    V: Ordered + Default,
{
    let groups = job.grouping().groups;
    let counts = job.counts()?;
    let mut offsets = Vec::with_capacity(groups + 1);
    let mut acc = 0usize;
    for &c in &counts {
        offsets.push(acc);
        acc += c as usize;
    }
    offsets.push(acc);
    let mut values = crate::error::try_vec(acc, V::default(), "the values of the groups")?;
    let mut cursor_at = offsets[..groups].to_vec();
    let stop = crate::parallel::Stop::new(job.len() as u64);
    let mut cursor = job.lines.cursor::<T>((0, job.lines.rows()));
    while cursor.next() {
        let complex = !cursor.imag.is_empty();
        for (i, (&re, &g)) in cursor.values.iter().zip(&cursor.groups).enumerate() {
            if g != NONE {
                let im = if complex {
                    cursor.imag[i]
                } else {
                    T::default()
                };
                let at = &mut cursor_at[g as usize];
                values[*at] = read(re, im);
                *at += 1;
            }
        }
        if stop.tick(cursor.values.len() as u64) {
            break;
        }
    }
    // Each group's segment, reduced (in parallel over contiguous group ranges).
    let ranges = job.group_ranges(&counts);
    let mut segments: Vec<&mut [V]> = Vec::with_capacity(groups);
    let mut rest = values.as_mut_slice();
    for g in 0..groups {
        let (head, tail) = rest.split_at_mut(offsets[g + 1] - offsets[g]);
        segments.push(head);
        rest = tail;
    }
    let segments: Vec<std::sync::Mutex<&mut [V]>> =
        segments.into_iter().map(std::sync::Mutex::new).collect();
    let parts = map_parts(ranges.len(), job.threads, acc as u64, |p, _| {
        let (lo, hi) = ranges[p];
        Ok((lo..hi)
            .map(|g| {
                let mut seg = segments[g as usize]
                    .lock()
                    .unwrap_or_else(|e| e.into_inner());
                if seg.is_empty() {
                    None
                } else {
                    Some(reduce(&mut seg, single))
                }
            })
            .collect::<Vec<_>>())
    })?;
    Ok(parts.into_iter().flatten().collect())
}

/// The `k`-th smallest value (order of `Ordered::lt`, NaN excluded by the callers).
fn select<V: Ordered>(values: &mut [V], k: usize) -> V {
    *values
        .select_nth_unstable_by(k, |a, b| {
            if a.lt(*b) {
                std::cmp::Ordering::Less
            } else if b.lt(*a) {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .1
}

/// The middle positions of `n` sorted values.
fn middle(n: usize) -> (usize, usize) {
    ((n - 1) / 2, n / 2)
}

/// The value at sorted position `k` of a float group in scipy's stable order: equal values
/// keep their C order, which decides the sign of a zero.
fn stable_at<S: Float + Ordered>(values: &mut [S], original: &[S], k: usize) -> S {
    let v = select(values, k);
    if v != S::ZERO {
        return v;
    }
    let below = original.iter().filter(|&&x| x < S::ZERO).count();
    original
        .iter()
        .filter(|&&x| x == S::ZERO)
        .nth(k - below)
        .copied()
        .unwrap_or(v)
}

fn float_median<S>(values: &mut [S], single: bool) -> Scalar
where
    S: FloatScalar + Ordered,
{
    // With NaN present, np.median returns the value its partition puts last: a NaN.
    if let Some(&nan) = values.iter().find(|v| v.nan()) {
        return S::scalar(nan, single);
    }
    let (lo, hi) = middle(values.len());
    if single {
        // np.median: the mean of the middle values (which adds 0.0: no -0.0).
        let a = select(values, lo);
        let b = select(values, hi);
        let sum = if lo == hi {
            S::ZERO + (S::NEG_ZERO + a)
        } else {
            S::ZERO + ((S::NEG_ZERO + a) + b)
        };
        let n = if lo == hi { 1.0 } else { 2.0 };
        return S::scalar(S::from_mean(sum, n), true);
    }
    let original = values.to_vec();
    let a = stable_at(values, &original, lo);
    let b = stable_at(values, &original, hi);
    S::scalar(S::halve(a + b), false)
}

/// The float types' median results.
trait FloatScalar: Float {
    /// `(a + b) / 2.0` in the type.
    fn halve(s: Self) -> Self;
    /// `np.mean`'s division of the sum by the count.
    fn from_mean(s: Self, n: f64) -> Self;
    fn scalar(v: Self, single: bool) -> Scalar;
}

impl FloatScalar for f32 {
    fn halve(s: Self) -> Self {
        s / 2.0
    }
    fn from_mean(s: Self, n: f64) -> Self {
        (s as f64 / n) as f32
    }
    fn scalar(v: Self, _single: bool) -> Scalar {
        Scalar::F32(v)
    }
}

impl FloatScalar for f64 {
    fn halve(s: Self) -> Self {
        s / 2.0
    }
    fn from_mean(s: Self, n: f64) -> Self {
        s / n
    }
    fn scalar(v: Self, _single: bool) -> Scalar {
        Scalar::F64(v)
    }
}

fn integer_median<T: Ordered + Native>(values: &mut [T], _single: bool) -> Scalar {
    let (lo, hi) = middle(values.len());
    let a = select(values, lo).to_f64();
    let b = select(values, hi).to_f64();
    // Both of scipy's forms give (a + b) / 2 here (no -0.0, no overflow in float64).
    Scalar::F64((a + b) / 2.0)
}

/// NumPy's sort order of complex values, NaN parts included (`CDOUBLE_LT` of its sorts):
/// lexicographic, then values with a NaN imaginary part, then with a NaN real part.
fn numpy_complex_lt<S: Float>(a: Cx<S>, b: Cx<S>) -> bool {
    let nan = |v: S| v.partial_cmp(&v).is_none();
    if a.0 < b.0 {
        !nan(a.1) || nan(b.1)
    } else if a.0 > b.0 {
        nan(b.1) && !nan(a.1)
    } else if a.0 == b.0 || (nan(a.0) && nan(b.0)) {
        a.1 < b.1 || (nan(b.1) && !nan(a.1))
    } else {
        nan(b.0)
    }
}

/// The last of `values` in NumPy's sort order (what np.median returns when a value is NaN).
fn numpy_complex_max<S: Float>(values: &[Cx<S>]) -> Cx<S> {
    let mut best = values[0];
    for &v in &values[1..] {
        if numpy_complex_lt(best, v) {
            best = v;
        }
    }
    best
}

fn complex_median_f32(values: &mut [Cx<f32>], single: bool) -> Scalar {
    if values.iter().any(|v| v.nan()) {
        let m = numpy_complex_max(values);
        return Scalar::C64(m.0, m.1);
    }
    let (lo, hi) = middle(values.len());
    let a = select(values, lo);
    let b = select(values, hi);
    let (r, i) = complex_middle(
        (a.0 as f64, a.1 as f64),
        (b.0 as f64, b.1 as f64),
        lo == hi,
        single,
        true,
    );
    Scalar::C64(r as f32, i as f32)
}

fn complex_median_f64(values: &mut [Cx<f64>], single: bool) -> Scalar {
    if values.iter().any(|v| v.nan()) {
        let m = numpy_complex_max(values);
        return Scalar::C128(m.0, m.1);
    }
    let (lo, hi) = middle(values.len());
    let a = select(values, lo);
    let b = select(values, hi);
    let (r, i) = complex_middle((a.0, a.1), (b.0, b.1), lo == hi, single, false);
    Scalar::C128(r, i)
}

/// The complex median of the middle values `a`, `b` (equal positions when `one`).
fn complex_middle(
    a: Complex<f64>,
    b: Complex<f64>,
    one: bool,
    single: bool,
    float32: bool,
) -> Complex<f64> {
    let round = |v: f64| if float32 { v as f32 as f64 } else { v };
    if single {
        let (sr, si) = if one {
            (round(0.0 + (-0.0 + a.0)), round(0.0 + (-0.0 + a.1)))
        } else {
            (
                round(0.0 + round(round(-0.0 + a.0) + b.0)),
                round(0.0 + round(round(-0.0 + a.1) + b.1)),
            )
        };
        let (r, i) = complex_div((sr, si), (if one { 1.0 } else { 2.0 }, 0.0));
        return (round(r), round(i));
    }
    let s = (round(a.0 + b.0), round(a.1 + b.1));
    let (r, i) = complex_div(s, (2.0, 0.0));
    (round(r), round(i))
}
