//! `sum_labels`, `mean`, `variance`, `standard_deviation` and `center_of_mass`, with scipy's
//! two ways of summing:
//!
//! - one group ([`Select::All`], [`Select::Positive`], [`Select::Value`]): NumPy's
//!   `ndarray.sum()` of the selected values in the input's type (integers exactly, in int64 or
//!   uint64 with wrap-around; floats by NumPy's pairwise summation, see [`super::pairwise`]),
//!   the selected values in C order. With [`Select::All`] the runs NumPy sums pairwise are
//!   those of the array as described: the trailing axes that are contiguous in memory make one
//!   run, and the runs are added in C order (the Python binding passes arrays in their memory
//!   order, as NumPy iterates them). Where scipy's computation makes a new array first (the
//!   products of `center_of_mass`, the deviations of `variance`) the run is the whole
//!   selection; where NumPy casts integers to float64 while summing (the mean inside
//!   `variance`), it sums buffers of 8192 values and adds them in order.
//! - one group per index value ([`Select::Each`]): `np.bincount` with weights, float64 sums in
//!   C order, value by value.
//!
//! Threads: integer sums and counts split the rows into slabs and add the partial results
//! (exact); the float64 sums per group split the groups into ranges balanced by their element
//! counts, each thread summing its groups over the whole array in C order (the same additions
//! in the same order as one thread); the pairwise sums run on the calling thread.

#![forbid(unsafe_code)]

use super::groups::{check_labels, Grouping, Lines, Select, NONE};
use super::pairwise::{self, complex_div, complex_mul, complex_sqrt, Complex, Float, Source};
use super::value::Scalar;
use crate::array::dtype::{with_native, Native};
use crate::array::{ArrayRef, AsInput, DType, Parts};
use crate::error::Error;
use crate::parallel::{map_parts, Threads};

/// The statistic's inputs, checked, and the threads to use.
pub(crate) struct Job<'x> {
    pub lines: Lines<'x>,
    pub threads: usize,
    /// [`Select::AllBuffered`]: the sums over the input itself run over buffers of 8192.
    pub buffered: bool,
}

impl<'x> Job<'x> {
    pub(crate) fn new(
        input: ArrayRef<'x>,
        labels: Option<ArrayRef<'x>>,
        select: &Select<'_>,
        threads: Threads,
    ) -> Result<Job<'x>, Error> {
        let all = matches!(select, Select::All | Select::AllBuffered);
        let labels = if all { None } else { labels };
        check_labels(&input, labels.as_ref())?;
        let grouping = Grouping::new(select, labels.as_ref().map(|l| l.dtype()))?;
        let threads = threads.resolve()?;
        let (input, imag) = match input.parts() {
            Parts::Real(r) => (r, None),
            Parts::Complex(r, i) => (r, Some(i)),
        };
        Ok(Job {
            lines: Lines {
                input,
                imag,
                labels,
                grouping,
            },
            threads,
            buffered: matches!(select, Select::AllBuffered),
        })
    }

    pub(crate) fn grouping(&self) -> &Grouping {
        &self.lines.grouping
    }

    pub(crate) fn is_complex(&self) -> bool {
        self.lines.imag.is_some()
    }

    pub(crate) fn dtype(&self) -> DType {
        self.lines.input.dtype()
    }

    /// Elements in all.
    pub(crate) fn len(&self) -> usize {
        self.lines.input.layout().len()
    }

    /// Row slabs for the spatial parts.
    pub(crate) fn slabs(&self) -> Vec<(usize, usize)> {
        let rows = self.lines.rows();
        let count = (self.threads * 2).min(rows).max(1);
        let count = if self.threads == 1 { 1 } else { count };
        (0..count)
            .map(|k| (rows * k / count, rows * (k + 1) / count))
            .collect()
    }

    /// Expands per-group results to per-index-entry results (`absent` for entries that match
    /// no label).
    pub(crate) fn per_entry<V: Clone>(&self, groups: &[V], absent: V) -> Vec<V> {
        self.grouping()
            .entries
            .iter()
            .map(|e| e.map_or(absent.clone(), |g| groups[g].clone()))
            .collect()
    }

    /// Number of elements in each group.
    pub(crate) fn counts(&self) -> Result<Vec<u64>, Error> {
        let groups = self.grouping().groups;
        let slabs = self.slabs();
        let lines = &self.lines;
        let parts = map_parts(slabs.len(), self.threads, self.len() as u64, |k, stop| {
            let mut counts = vec![0u64; groups];
            // The groups only: the labels are read, the values not.
            with_native!(lines.input.dtype(), T => {
                let mut cursor = lines.cursor_reading::<T>(slabs[k], false);
                while cursor.next() {
                    for &g in &cursor.groups {
                        if g != NONE {
                            counts[g as usize] += 1;
                        }
                    }
                    if stop.tick(cursor.groups.len() as u64) {
                        break;
                    }
                }
            });
            Ok(counts)
        })?;
        Ok(sum_parts(parts))
    }

    /// Contiguous group ranges, one per thread, holding about equal numbers of elements.
    pub(crate) fn group_ranges(&self, counts: &[u64]) -> Vec<(u32, u32)> {
        let groups = counts.len();
        let threads = if self.threads == 1 {
            1
        } else {
            self.threads.min(groups).max(1)
        };
        let total: u64 = counts.iter().sum();
        let mut ranges = Vec::with_capacity(threads);
        let mut start = 0usize;
        let mut acc = 0u64;
        for t in 1..=threads {
            let target = total * t as u64 / threads as u64;
            let mut end = start;
            while end < groups && (acc < target || t == threads) {
                acc += counts[end];
                end += 1;
            }
            if t == threads {
                end = groups;
            }
            ranges.push((start as u32, end as u32));
            start = end;
        }
        ranges.retain(|r| r.0 < r.1);
        if ranges.is_empty() {
            ranges.push((0, groups as u32));
        }
        ranges
    }
}

/// Element-wise sum of the parts' vectors.
fn sum_parts(mut parts: Vec<Vec<u64>>) -> Vec<u64> {
    let mut total = parts.remove(0);
    for p in parts {
        for (t, v) in total.iter_mut().zip(p) {
            *t += v;
        }
    }
    total
}

/// Per-group float64 sums in C order: `k` sums per group, `add(sums, coords, value, i)` adds
/// element `i` of the line whose index is `coords` (with value `value`) into the group's `k`
/// sums. Groups split across threads by ranges (see the module documentation).
fn each_sums<T, F>(job: &Job<'_>, counts: &[u64], k: usize, add: F) -> Result<Vec<f64>, Error>
where
    T: Native,
    F: Fn(&mut [f64], &[usize], T, usize) + Sync,
{
    let groups = job.grouping().groups;
    let ranges = job.group_ranges(counts);
    let rows = job.lines.rows();
    let parts = map_parts(ranges.len(), job.threads, job.len() as u64, |p, stop| {
        let (lo, hi) = ranges[p];
        let mut sums = vec![0.0f64; (hi - lo) as usize * k];
        job.lines.visit::<T>((0, rows), stop, |index, values, g| {
            for (i, (&v, &g)) in values.iter().zip(g).enumerate() {
                let local = g.wrapping_sub(lo);
                if local < hi - lo {
                    let at = local as usize * k;
                    add(&mut sums[at..at + k], index, v, i);
                }
            }
        });
        Ok(sums)
    })?;
    let mut sums = Vec::with_capacity(groups * k);
    for p in parts {
        sums.extend(p);
    }
    Ok(sums)
}

/// The float64 sum and the element count of each group, in C order: the common case of
/// [`each_sums`], with the running sum of a run of equal groups kept in a register. On one
/// thread this is the only pass; on several the counts are taken first (to balance the group
/// ranges), then the sums.
fn each_plain_sums<T: Native>(job: &Job<'_>) -> Result<(Vec<f64>, Vec<u64>), Error> {
    let groups = job.grouping().groups;
    let counted = if job.threads > 1 {
        Some(job.counts()?)
    } else {
        None
    };
    let ranges = match &counted {
        Some(c) => job.group_ranges(c),
        None => vec![(0, groups as u32)],
    };
    let rows = job.lines.rows();
    let parts = map_parts(ranges.len(), job.threads, job.len() as u64, |p, stop| {
        let (lo, hi) = ranges[p];
        let width = hi - lo;
        let mut sums = vec![0.0f64; width as usize];
        let mut counts = vec![0u64; width as usize];
        job.lines.visit::<T>((0, rows), stop, |_, values, g| {
            let mut current = NONE;
            let mut acc = 0.0f64;
            let mut run = 0u64;
            for (&v, &g) in values.iter().zip(g) {
                let local = g.wrapping_sub(lo);
                if local >= width {
                    continue;
                }
                if local != current {
                    if current != NONE {
                        sums[current as usize] = acc;
                        counts[current as usize] += run;
                    }
                    current = local;
                    acc = sums[local as usize];
                    run = 0;
                }
                acc += v.to_f64();
                run += 1;
            }
            if current != NONE {
                sums[current as usize] = acc;
                counts[current as usize] += run;
            }
        });
        Ok((sums, counts))
    })?;
    let mut sums = Vec::with_capacity(groups);
    let mut counts = Vec::with_capacity(groups);
    for (s, c) in parts {
        sums.extend(s);
        counts.extend(c);
    }
    Ok((sums, counts))
}

/// The selected values of one group (group 0), in C order, converted by `map(value, imag,
/// coords, i)`: the source of a pairwise sum.
struct Selected<'l, 'x, T: Native, V, M> {
    cursor: super::groups::Cursor<'l, 'x, T>,
    map: M,
    buffer: Vec<V>,
    taken: usize,
}

impl<'l, 'x, T: Native, V: Copy, M: FnMut(T, T, &[usize], usize) -> V> Selected<'l, 'x, T, V, M> {
    fn new(lines: &'l Lines<'x>, map: M) -> Self {
        Selected {
            cursor: lines.cursor::<T>((0, lines.rows())),
            map,
            buffer: Vec::new(),
            taken: 0,
        }
    }
}

impl<T: Native, V: Copy, M: FnMut(T, T, &[usize], usize) -> V> Source<V>
    for Selected<'_, '_, T, V, M>
{
    fn fill(&mut self, out: &mut [V]) {
        let mut k = 0;
        while k < out.len() {
            if self.taken == self.buffer.len() {
                self.buffer.clear();
                self.taken = 0;
                assert!(self.cursor.next(), "fewer selected values than counted");
                let c = &self.cursor;
                let complex = !c.imag.is_empty();
                for (i, (&v, &g)) in c.values.iter().zip(&c.groups).enumerate() {
                    if g == 0 {
                        let im = if complex { c.imag[i] } else { T::default() };
                        self.buffer.push((self.map)(v, im, &c.index, i));
                    }
                }
                continue;
            }
            let take = (out.len() - k).min(self.buffer.len() - self.taken);
            out[k..k + take].copy_from_slice(&self.buffer[self.taken..self.taken + take]);
            self.taken += take;
            k += take;
        }
    }
}

/// How the one-group pairwise sums are cut into runs (see the module documentation).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Runs {
    /// The array's contiguous trailing axes (`ndarray.sum()` of the input itself).
    AsGiven,
    /// NumPy casting integers to float64 while it sums (into buffers of 8192).
    Cast,
}

/// The values NumPy's buffered reduction hands its inner loop at once: whole inner runs
/// (`inner`: the elements its iterator walks with one stride) up to its buffer of 8192
/// elements, or one inner run when that is longer, except that an input it must copy
/// (`forced`: cast, unaligned, byte-swapped) is cut into buffers of 8192.
fn batch(inner: usize, forced: bool) -> usize {
    const BUFFER: usize = 8192;
    match inner {
        0 => 1,
        n if n >= BUFFER => {
            if forced {
                BUFFER
            } else {
                n
            }
        }
        n => BUFFER / n * n,
    }
}

/// The length of the runs a one-group sum is cut into (see the module documentation).
fn run_length(job: &Job<'_>, runs: Runs, selected: usize) -> usize {
    let lines = &job.lines;
    // With labels, scipy sums a new contiguous array of the selected values.
    let inner = if lines.labels.is_some() {
        selected
    } else {
        let layout = lines.input.layout();
        // Axes of length 1 do not count; trailing axes merge while contiguous.
        let axes: Vec<(usize, isize)> = layout
            .shape()
            .iter()
            .zip(layout.strides())
            .filter(|(&n, _)| n != 1)
            .map(|(&n, &s)| (n, s))
            .collect();
        match axes.last() {
            None => selected,
            Some(&(mut run, _)) => {
                for w in (1..axes.len()).rev() {
                    let (n, s) = axes[w];
                    // (checked: an empty array's strides are unconstrained)
                    if s.checked_mul(n as isize) == Some(axes[w - 1].1) {
                        run *= axes[w - 1].0;
                    } else {
                        break;
                    }
                }
                run
            }
        }
    };
    let forced = runs == Runs::Cast || (lines.labels.is_none() && job.buffered);
    batch(inner, forced)
}

/// `0 + Σ pairwise(run)` over `selected` values of `source`, cut into runs of `run`.
fn sum_runs<S: Float>(selected: usize, run: usize, source: &mut impl Source<S>) -> S {
    let mut total = S::ZERO;
    let mut left = selected;
    while left > 0 {
        let n = left.min(run.max(1));
        total = total + pairwise::pairwise(n, source);
        left -= n;
    }
    total
}

fn sum_runs_complex<S: Float>(
    selected: usize,
    run: usize,
    source: &mut impl Source<Complex<S>>,
) -> Complex<S> {
    let mut total = (S::ZERO, S::ZERO);
    let mut left = selected;
    while left > 0 {
        let n = left.min(run.max(1));
        let s = pairwise::pairwise_complex(n, source);
        total = (total.0 + s.0, total.1 + s.1);
        left -= n;
    }
    total
}

/// The typed one-group sum of the selected values (scipy's `vals.sum()`): int64 / uint64
/// (wrapping) for integers and bool, pairwise in the input's float type.
fn single_sum(job: &Job<'_>, count: u64, runs: Runs) -> Result<Scalar, Error> {
    let lines = &job.lines;
    let n = count as usize;
    let run = run_length(job, runs, n);
    Ok(match (job.dtype(), job.is_complex()) {
        (DType::Float32, false) => {
            let mut src = Selected::new(lines, |v: f32, _, _, _| v);
            Scalar::F32(sum_runs(n, run, &mut src))
        }
        (DType::Float64, false) => {
            let mut src = Selected::new(lines, |v: f64, _, _, _| v);
            Scalar::F64(sum_runs(n, run, &mut src))
        }
        (DType::Float32, true) => {
            let mut src = Selected::new(lines, |v: f32, i: f32, _, _| (v, i));
            let (r, i) = sum_runs_complex(n, run, &mut src);
            Scalar::C64(r, i)
        }
        (DType::Float64, true) => {
            let mut src = Selected::new(lines, |v: f64, i: f64, _, _| (v, i));
            let (r, i) = sum_runs_complex(n, run, &mut src);
            Scalar::C128(r, i)
        }
        (d, _) => integer_sum(job, d)?,
    })
}

/// Exact integer sum of group 0 (wrapping in 64 bits), split across slabs.
fn integer_sum(job: &Job<'_>, dtype: DType) -> Result<Scalar, Error> {
    let slabs = job.slabs();
    let unsigned = matches!(
        dtype,
        DType::UInt8 | DType::UInt16 | DType::UInt32 | DType::UInt64
    );
    let parts = map_parts(slabs.len(), job.threads, job.len() as u64, |k, stop| {
        let mut acc = 0u64;
        with_native!(dtype, T => {
            job.lines.visit::<T>(slabs[k], stop, |_, values, g| {
                for (&v, &g) in values.iter().zip(g) {
                    if g == 0 {
                        acc = acc.wrapping_add(IntValue::bits(v));
                    }
                }
            })
        });
        Ok(acc)
    })?;
    let total = parts.into_iter().fold(0u64, u64::wrapping_add);
    Ok(if unsigned {
        Scalar::U64(total)
    } else {
        Scalar::I64(total as i64)
    })
}

/// An element as 64 wrapping bits (two's complement for signed values), for exact sums.
trait IntValue {
    fn bits(self) -> u64;
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl IntValue for $t {
            #[inline(always)]
            fn bits(self) -> u64 { self as i64 as u64 }
        }
    )*};
}
int_value!(i8, u8, i16, u16, i32, u32, i64);

impl IntValue for u64 {
    #[inline(always)]
    fn bits(self) -> u64 {
        self
    }
}

impl IntValue for crate::array::dtype::BoolByte {
    #[inline(always)]
    fn bits(self) -> u64 {
        self.0 as u64
    }
}

impl IntValue for f32 {
    fn bits(self) -> u64 {
        unreachable!("float sums are pairwise")
    }
}

impl IntValue for f64 {
    fn bits(self) -> u64 {
        unreachable!("float sums are pairwise")
    }
}

/// The input as a view of its own type, for the public functions.
fn job<'x>(
    input: ArrayRef<'x>,
    labels: Option<ArrayRef<'x>>,
    select: &Select<'_>,
    threads: Threads,
) -> Result<Job<'x>, Error> {
    Job::new(input, labels, select, threads)
}

/// scipy's TypeError for complex input with an index sequence (np.bincount cannot take
/// complex weights).
fn no_complex_each(job: &Job<'_>, what: &str) -> Result<(), Error> {
    if job.is_complex() && !job.grouping().entries.is_empty() && job.lines.labels.is_some() {
        return Err(Error::InvalidArray(format!(
            "{what}: complex input with an index sequence is not supported (scipy raises \
             TypeError there)"
        )));
    }
    Ok(())
}

fn each(select: &Select<'_>) -> bool {
    !select.is_single()
}

/// scipy.ndimage.sum_labels (and `sum`): the sum of each group. One group: the value in the
/// input's sum type (int64 for signed integers and bool, uint64 for unsigned, the float or
/// complex type itself). Per index value: float64.
///
/// `labels` must have the input's shape (ignored for [`Select::All`]). Memory: one line
/// buffer per thread, the per-group sums.
pub fn sum_labels<'a>(
    input: impl AsInput<'a>,
    labels: Option<ArrayRef<'a>>,
    select: &Select<'_>,
    threads: Threads,
) -> Result<Vec<Scalar>, Error> {
    let job = job(input.into_input(), labels, select, threads)?;
    if each(select) {
        no_complex_each(&job, "sum_labels")?;
        let (sums, _) = with_native!(job.dtype(), T => each_plain_sums::<T>(&job))?;
        let sums: Vec<Scalar> = sums.into_iter().map(Scalar::F64).collect();
        return Ok(job.per_entry(&sums, Scalar::F64(0.0)));
    }
    let count = single_count(&job)?;
    Ok(vec![single_sum(&job, count, Runs::AsGiven)?])
}

/// The number of selected elements of a one-group selection.
fn single_count(job: &Job<'_>) -> Result<u64, Error> {
    if job.lines.labels.is_none() {
        return Ok(job.len() as u64);
    }
    Ok(job.counts()?[0])
}

/// `sum / float64(count)` as NumPy divides scipy's one-group sum.
fn divide(sum: Scalar, count: u64) -> Scalar {
    let n = count as f64;
    match sum {
        Scalar::C64(r, i) => {
            let (r, i) = complex_div((r as f64, i as f64), (n, 0.0));
            Scalar::C128(r, i)
        }
        Scalar::C128(r, i) => {
            let (r, i) = complex_div((r, i), (n, 0.0));
            Scalar::C128(r, i)
        }
        other => Scalar::F64(other.parts().0 / n),
    }
}

/// scipy.ndimage.mean: the mean of each group (float64; complex128 for complex input; NaN
/// for a group without elements).
pub fn mean<'a>(
    input: impl AsInput<'a>,
    labels: Option<ArrayRef<'a>>,
    select: &Select<'_>,
    threads: Threads,
) -> Result<Vec<Scalar>, Error> {
    let job = job(input.into_input(), labels, select, threads)?;
    if each(select) {
        no_complex_each(&job, "mean")?;
        let (sums, counts) = with_native!(job.dtype(), T => each_plain_sums::<T>(&job))?;
        let means: Vec<Scalar> = sums
            .iter()
            .zip(&counts)
            .map(|(&s, &c)| Scalar::F64(s / c as f64))
            .collect();
        return Ok(job.per_entry(&means, Scalar::F64(f64::NAN)));
    }
    let count = single_count(&job)?;
    let sum = single_sum(&job, count, Runs::AsGiven)?;
    Ok(vec![divide(sum, count)])
}

/// The one-group mean as `vals.mean()` computes it: in float32 for float32 input (divided in
/// float64 and rounded back), float64 otherwise (integers summed through NumPy's cast
/// buffers), complex likewise.
fn numpy_mean(job: &Job<'_>, count: u64) -> Result<Scalar, Error> {
    let n = count as f64;
    Ok(match (job.dtype(), job.is_complex()) {
        (DType::Float32, false) => {
            let s = single_sum(job, count, Runs::AsGiven)?.parts().0;
            Scalar::F32((s / n) as f32)
        }
        (DType::Float64, false) => {
            Scalar::F64(single_sum(job, count, Runs::AsGiven)?.parts().0 / n)
        }
        (DType::Float32, true) => {
            let (r, i) = single_sum(job, count, Runs::AsGiven)?.parts();
            let (r, i) = complex_div((r, i), (n, 0.0));
            Scalar::C64(r as f32, i as f32)
        }
        (DType::Float64, true) => {
            let (r, i) = single_sum(job, count, Runs::AsGiven)?.parts();
            let (r, i) = complex_div((r, i), (n, 0.0));
            Scalar::C128(r, i)
        }
        (d, _) => {
            let lines = &job.lines;
            let run = run_length(job, Runs::Cast, count as usize);
            let s = with_native!(d, T => {
                let mut src = Selected::new(lines, |v: T, _, _, _| v.to_f64());
                sum_runs(count as usize, run, &mut src)
            });
            Scalar::F64(s / n)
        }
    })
}

/// The one-group sum of squared deviations from `m` (scipy's `(c * c.conjugate()).sum()`),
/// in the mean's type.
fn squared_deviations(job: &Job<'_>, count: u64, m: Scalar) -> Scalar {
    let n = count as usize;
    let lines = &job.lines;
    match m {
        Scalar::F32(m) => {
            let mut src = Selected::new(lines, |v: f32, _, _, _| {
                let c = v - m;
                c * c
            });
            Scalar::F32(sum_runs(n, n, &mut src))
        }
        Scalar::C64(mr, mi) => {
            let mut src = Selected::new(lines, |v: f32, i: f32, _, _| {
                let c = (v - mr, i - mi);
                complex_mul(c, (c.0, -c.1))
            });
            let (r, i) = sum_runs_complex(n, n, &mut src);
            Scalar::C64(r, i)
        }
        Scalar::C128(mr, mi) => {
            let mut src = Selected::new(lines, |v: f64, i: f64, _, _| {
                let c = (v - mr, i - mi);
                complex_mul(c, (c.0, -c.1))
            });
            let (r, i) = sum_runs_complex(n, n, &mut src);
            Scalar::C128(r, i)
        }
        other => {
            let m = other.parts().0;
            let q = with_native!(job.dtype(), T => {
                let mut src = Selected::new(lines, |v: T, _, _, _| {
                    let c = v.to_f64() - m;
                    c * c
                });
                sum_runs(n, n, &mut src)
            });
            Scalar::F64(q)
        }
    }
}

/// Per-group variances (two passes), as scipy computes them.
fn variances(job: &Job<'_>, select: &Select<'_>) -> Result<Vec<Scalar>, Error> {
    if each(select) {
        no_complex_each(job, "variance")?;
        let (sums, counts) = with_native!(job.dtype(), T => each_plain_sums::<T>(job))?;
        let means: Vec<f64> = sums
            .iter()
            .zip(&counts)
            .map(|(&s, &c)| s / c as f64)
            .collect();
        let dev = with_native!(job.dtype(), T => deviation_sums::<T>(job, &counts, &means))?;
        let vars: Vec<Scalar> = dev
            .iter()
            .zip(&counts)
            .map(|(&q, &c)| Scalar::F64(q / c as f64))
            .collect();
        return Ok(job.per_entry(&vars, Scalar::F64(f64::NAN)));
    }
    let count = single_count(job)?;
    let m = numpy_mean(job, count)?;
    let q = squared_deviations(job, count, m);
    Ok(vec![divide(q, count)])
}

/// Per-group float64 sums of `(x - mean[g])²` in C order.
fn deviation_sums<T: Native>(
    job: &Job<'_>,
    counts: &[u64],
    means: &[f64],
) -> Result<Vec<f64>, Error> {
    let groups = job.grouping().groups;
    let ranges = job.group_ranges(counts);
    let rows = job.lines.rows();
    let parts = map_parts(ranges.len(), job.threads, job.len() as u64, |p, stop| {
        let (lo, hi) = ranges[p];
        let width = hi - lo;
        let mut sums = vec![0.0f64; width as usize];
        job.lines.visit::<T>((0, rows), stop, |_, values, g| {
            for (&v, &g) in values.iter().zip(g) {
                let local = g.wrapping_sub(lo);
                if local < width {
                    let c = v.to_f64() - means[g as usize];
                    sums[local as usize] += c * c;
                }
            }
        });
        Ok(sums)
    })?;
    let mut sums = Vec::with_capacity(groups);
    for p in parts {
        sums.extend(p);
    }
    Ok(sums)
}

/// scipy.ndimage.variance: the variance of each group (float64; complex128 for complex input
/// with one group; NaN for a group without elements).
pub fn variance<'a>(
    input: impl AsInput<'a>,
    labels: Option<ArrayRef<'a>>,
    select: &Select<'_>,
    threads: Threads,
) -> Result<Vec<Scalar>, Error> {
    let job = job(input.into_input(), labels, select, threads)?;
    variances(&job, select)
}

/// scipy.ndimage.standard_deviation: the square root of [`variance`] (glibc's `csqrt` for
/// complex values, as NumPy).
pub fn standard_deviation<'a>(
    input: impl AsInput<'a>,
    labels: Option<ArrayRef<'a>>,
    select: &Select<'_>,
    threads: Threads,
) -> Result<Vec<Scalar>, Error> {
    let job = job(input.into_input(), labels, select, threads)?;
    Ok(variances(&job, select)?
        .into_iter()
        .map(|v| match v {
            Scalar::C128(r, i) => {
                let (r, i) = complex_sqrt((r, i));
                Scalar::C128(r, i)
            }
            other => Scalar::F64(other.parts().0.sqrt()),
        })
        .collect())
}

/// scipy.ndimage.center_of_mass: per group, `rank` coordinates `Σ x·c_a / Σ x` (float64;
/// complex128 for complex input with one group). One group: the numerators are pairwise
/// float64 sums of the products over the whole selection, the denominator the group's typed
/// sum. Per index value: float64 sums in C order.
pub fn center_of_mass<'a>(
    input: impl AsInput<'a>,
    labels: Option<ArrayRef<'a>>,
    select: &Select<'_>,
    threads: Threads,
) -> Result<Vec<Vec<Scalar>>, Error> {
    let job = job(input.into_input(), labels, select, threads)?;
    let rank = job.lines.input.rank();
    let last = rank - 1;
    if each(select) {
        no_complex_each(&job, "center_of_mass")?;
        let counts = if job.threads > 1 {
            job.counts()?
        } else {
            vec![1; job.grouping().groups]
        };
        let k = rank + 1;
        let sums = with_native!(job.dtype(), T => each_sums::<T, _>(&job, &counts, k, |s, index, v, i| {
            let x = v.to_f64();
            s[0] += x;
            for a in 0..last {
                s[a + 1] += x * index[a] as f64;
            }
            s[rank] += x * i as f64;
        }))?;
        let centres: Vec<Vec<Scalar>> = sums
            .chunks(k)
            .map(|s| (1..k).map(|a| Scalar::F64(s[a] / s[0])).collect())
            .collect();
        return Ok(job.per_entry(&centres, vec![Scalar::F64(f64::NAN); rank]));
    }
    let count = single_count(&job)?;
    let norm = single_sum(&job, count, Runs::AsGiven)?;
    let n = count as usize;
    let mut centre = Vec::with_capacity(rank);
    for axis in 0..rank {
        let coord = move |index: &[usize], i: usize| {
            if axis == last {
                i as f64
            } else {
                index[axis] as f64
            }
        };
        let value = if job.is_complex() {
            let s = with_native!(job.dtype(), T => {
                let mut src = Selected::new(&job.lines, |v: T, im: T, index: &[usize], i| {
                    complex_mul((v.to_f64(), im.to_f64()), (coord(index, i), 0.0))
                });
                sum_runs_complex(n, n, &mut src)
            });
            let (r, i) = complex_div(s, norm.parts());
            Scalar::C128(r, i)
        } else {
            let s = with_native!(job.dtype(), T => {
                let mut src = Selected::new(&job.lines, |v: T, _, index: &[usize], i| {
                    v.to_f64() * coord(index, i)
                });
                sum_runs(n, n, &mut src)
            });
            Scalar::F64(s / norm.parts().0)
        };
        centre.push(value);
    }
    Ok(vec![centre])
}
