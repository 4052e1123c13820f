//! `labeled_comprehension` (a function of each group's values and positions) and `histogram`.
//!
//! Both gather what they need per group: `labeled_comprehension` the values (as float64) and
//! flat C-order positions of each group, in C order, then calls the function once per index
//! entry that has elements, in increasing order of label value (entries with equal values in
//! index order), which is the order scipy calls it; `histogram` counts per group and bin in
//! one pass (partial counts per slab of rows, added: exact for every thread count).

#![forbid(unsafe_code)]

use super::groups::{Select, NONE};
use super::stats::Job;
use crate::array::dtype::{with_native, Native};
use crate::array::{ArrayRef, AsInput};
use crate::error::{try_vec, CallbackError, Error};
use crate::parallel::{map_parts, Stop, Threads};

/// What `labeled_comprehension`'s function gets for one index entry.
pub struct Group<'v> {
    /// The entry's position in the index (C order; 0 for a one-group selection).
    pub entry: usize,
    /// The group's values as float64, in C order (empty unless asked for).
    pub values: &'v [f64],
    /// The group's flat C-order positions (empty unless asked for).
    pub positions: &'v [usize],
}

/// Every group's values and positions, gathered in C order into contiguous segments.
struct Gathered {
    offsets: Vec<usize>,
    values: Vec<f64>,
    positions: Vec<usize>,
}

fn gather(job: &Job<'_>, want_values: bool, want_positions: bool) -> Result<Gathered, Error> {
    let groups = job.grouping().groups;
    let counts = job.counts()?;
    let mut offsets = Vec::with_capacity(groups + 1);
    let mut total = 0usize;
    for &c in &counts {
        offsets.push(total);
        total += c as usize;
    }
    offsets.push(total);
    let mut values = try_vec(
        if want_values { total } else { 0 },
        0.0,
        "the values of the groups",
    )?;
    let mut positions = try_vec(
        if want_positions { total } else { 0 },
        0usize,
        "the positions of the groups",
    )?;
    let mut at = offsets[..groups].to_vec();
    let rank = job.lines.input.rank();
    let shape = job.lines.input.shape().to_vec();
    let mut strides = vec![1usize; rank];
    for a in (0..rank.saturating_sub(1)).rev() {
        strides[a] = strides[a + 1] * shape[a + 1];
    }
    let stop = Stop::new(job.len() as u64);
    with_native!(job.dtype(), T => {
        let mut cursor = job.lines.cursor::<T>((0, job.lines.rows()));
        while cursor.next() {
            let base: usize = cursor.index.iter().zip(&strides).map(|(&i, &s)| i * s).sum();
            for (i, (&v, &g)) in cursor.values.iter().zip(&cursor.groups).enumerate() {
                if g == NONE {
                    continue;
                }
                let k = &mut at[g as usize];
                if want_values {
                    values[*k] = v.to_f64();
                }
                if want_positions {
                    positions[*k] = base + i;
                }
                *k += 1;
            }
            if stop.tick(cursor.values.len() as u64) {
                break;
            }
        }
    });
    Ok(Gathered {
        offsets,
        values,
        positions,
    })
}

/// The index entries in the order the function is called: by group (the groups are the
/// distinct label values in increasing order), then by entry; entries whose group has no
/// element are left out unless `call_empty` (the one-group selections always call).
fn call_order(job: &Job<'_>, gathered: &Gathered, call_empty: bool) -> Vec<(usize, usize)> {
    let mut order: Vec<(usize, usize)> = job
        .grouping()
        .entries
        .iter()
        .enumerate()
        .filter_map(|(entry, g)| g.map(|g| (g, entry)))
        .filter(|&(g, _)| call_empty || gathered.offsets[g + 1] > gathered.offsets[g])
        .collect();
    order.sort_unstable();
    order
}

fn prepare<'x>(
    input: ArrayRef<'x>,
    labels: Option<ArrayRef<'x>>,
    select: &Select<'_>,
    values: bool,
    threads: Threads,
) -> Result<Job<'x>, Error> {
    if values && input.dtype().is_complex() {
        return Err(Error::InvalidArray(
            "input: complex values cannot be passed as float64 (ask for positions only)".into(),
        ));
    }
    Job::new(input, labels, select, threads)
}

/// scipy.ndimage.labeled_comprehension: `function(group)` for each index entry whose group
/// has elements (one-group selections: once, whatever the count), on the calling thread, in
/// increasing order of label value (equal values in index order). `values` and `positions`
/// say what the groups carry. Returns each entry's result (`None` where the function was not
/// called). A failing call stops the others: its error is returned.
///
/// Memory: the gathered values (8 bytes each) and positions (8 bytes each) of every selected
/// element.
pub fn labeled_comprehension<'a, F>(
    input: impl AsInput<'a>,
    labels: Option<ArrayRef<'a>>,
    select: &Select<'_>,
    values: bool,
    positions: bool,
    mut function: F,
) -> Result<Vec<Option<f64>>, Error>
where
    F: FnMut(&Group<'_>) -> Result<f64, CallbackError>,
{
    let job = prepare(
        input.into_input(),
        labels,
        select,
        values,
        Threads::Count(1),
    )?;
    let gathered = gather(&job, values, positions)?;
    let order = call_order(&job, &gathered, select.is_single());
    let mut results = vec![None; job.grouping().entries.len()];
    let stop = Stop::new(order.len() as u64);
    for &(g, entry) in &order {
        let group = segment(&gathered, g, entry, values, positions);
        results[entry] = Some(function(&group).map_err(|e| entry_error(entry, e))?);
        if stop.tick(1) {
            break;
        }
    }
    stop.tick(0);
    Ok(results)
}

/// [`labeled_comprehension`] on `threads` threads: the entries are shared out in contiguous
/// runs of the call order, so `function` is called from several threads at once; each entry's
/// result is the same as in the sequential call.
pub fn labeled_comprehension_parallel<'a, F>(
    input: impl AsInput<'a>,
    labels: Option<ArrayRef<'a>>,
    select: &Select<'_>,
    values: bool,
    positions: bool,
    threads: Threads,
    function: F,
) -> Result<Vec<Option<f64>>, Error>
where
    F: Fn(&Group<'_>) -> Result<f64, CallbackError> + Sync,
{
    let job = prepare(input.into_input(), labels, select, values, threads)?;
    let gathered = gather(&job, values, positions)?;
    let order = call_order(&job, &gathered, select.is_single());
    let parts = (job.threads * 4).min(order.len()).max(1);
    let chunks: Vec<&[(usize, usize)]> = (0..parts)
        .map(|k| &order[order.len() * k / parts..order.len() * (k + 1) / parts])
        .collect();
    let done = map_parts(parts, job.threads, order.len() as u64, |k, stop| {
        let mut out = Vec::with_capacity(chunks[k].len());
        for &(g, entry) in chunks[k] {
            let group = segment(&gathered, g, entry, values, positions);
            out.push((entry, function(&group).map_err(|e| entry_error(entry, e))?));
            if stop.tick(1) {
                break;
            }
        }
        Ok(out)
    })?;
    let mut results = vec![None; job.grouping().entries.len()];
    for (entry, r) in done.into_iter().flatten() {
        results[entry] = Some(r);
    }
    Ok(results)
}

fn segment<'g>(
    gathered: &'g Gathered,
    g: usize,
    entry: usize,
    values: bool,
    positions: bool,
) -> Group<'g> {
    let (a, b) = (gathered.offsets[g], gathered.offsets[g + 1]);
    Group {
        entry,
        values: if values { &gathered.values[a..b] } else { &[] },
        positions: if positions {
            &gathered.positions[a..b]
        } else {
            &[]
        },
    }
}

fn entry_error(entry: usize, e: CallbackError) -> Error {
    Error::callback("labeled_comprehension", &[entry], e)
}

/// The bin of a real value: `edges[i] <= v < edges[i + 1]`, the last bin closed.
#[inline]
fn real_bin(v: f64, edges: &[f64]) -> Option<usize> {
    let bins = edges.len() - 1;
    let inside = v >= edges[0] && v <= edges[bins];
    if !inside {
        return None;
    }
    if v == edges[bins] {
        return Some(bins - 1);
    }
    // The first edge above v.
    let above = edges.partition_point(|&e| e <= v);
    Some(above - 1)
}

/// Bin edges: at least 2, non-decreasing.
pub(crate) fn check_edges(edges: &[f64]) -> Result<(), Error> {
    if edges.len() < 2 {
        return Err(Error::InvalidArgument(format!(
            "histogram: {} bin edges given, at least 2 are needed",
            edges.len()
        )));
    }
    if edges
        .windows(2)
        .any(|w| w[0] > w[1] || w[0].is_nan() || w[1].is_nan())
    {
        return Err(Error::InvalidArgument(
            "histogram: the bin edges must increase monotonically".into(),
        ));
    }
    Ok(())
}

/// The histogram of each group: `bins = edges.len() - 1` counts per group (`edges`
/// non-decreasing, at least 2), and each group's element count. scipy.ndimage.histogram
/// passes `np.linspace(min, max, bins + 1)` as the edges.
pub fn histogram<'a>(
    input: impl AsInput<'a>,
    labels: Option<ArrayRef<'a>>,
    select: &Select<'_>,
    edges: &[f64],
    threads: Threads,
) -> Result<(Vec<Vec<u64>>, Vec<u64>), Error> {
    check_edges(edges)?;
    let job = Job::new(input.into_input(), labels, select, threads)?;
    let groups = job.grouping().groups;
    let bins = edges.len() - 1;
    let width = bins + 1; // the bins, then the element count
    let slabs = job.slabs();
    let lines = &job.lines;
    let parts = map_parts(slabs.len(), job.threads, job.len() as u64, |k, stop| {
        let mut counts = try_vec(groups * width, 0u64, "the histogram counts")?;
        let complex = lines.imag.is_some();
        with_native!(lines.input.dtype(), T => {
            let mut cursor = lines.cursor::<T>(slabs[k]);
            while cursor.next() {
                for (i, (&v, &g)) in cursor.values.iter().zip(&cursor.groups).enumerate() {
                    if g == NONE {
                        continue;
                    }
                    let row = &mut counts[g as usize * width..(g as usize + 1) * width];
                    row[bins] += 1;
                    let bin = if complex {
                        complex_bin(v.to_f64(), cursor.imag[i].to_f64(), edges)
                    } else {
                        real_bin(v.to_f64(), edges)
                    };
                    if let Some(b) = bin {
                        row[b] += 1;
                    }
                }
                if stop.tick(cursor.values.len() as u64) {
                    break;
                }
            }
        });
        Ok(counts)
    })?;
    let mut total = vec![0u64; groups * width];
    for p in parts {
        for (t, v) in total.iter_mut().zip(p) {
            *t += v;
        }
    }
    let per_group: Vec<(Vec<u64>, u64)> = total
        .chunks(width)
        .map(|c| (c[..bins].to_vec(), c[bins]))
        .collect();
    let entries = job.per_entry(&per_group, (vec![0; bins], 0));
    Ok(entries.into_iter().unzip())
}

/// The bin of a complex value: NumPy orders complex values by real, then imaginary part (the
/// edges have imaginary part 0), and puts values with NaN parts after all others.
fn complex_bin(re: f64, im: f64, edges: &[f64]) -> Option<usize> {
    if re.is_nan() || im.is_nan() {
        return None;
    }
    // v >= (e, 0) and v < (e, 0) lexicographically.
    let ge = |e: f64| re > e || (re == e && im >= 0.0);
    let le = |e: f64| re < e || (re == e && im <= 0.0);
    let bins = edges.len() - 1;
    if !ge(edges[0]) || !le(edges[bins]) {
        return None;
    }
    if re == edges[bins] && im == 0.0 {
        return Some(bins - 1);
    }
    let above = edges.partition_point(|&e| ge(e));
    Some(above - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn bins_are_half_open_but_the_last() {
        let edges = [0.0, 1.0, 1.0, 2.0];
        assert_eq!(real_bin(-0.0, &edges), Some(0));
        assert_eq!(real_bin(0.5, &edges), Some(0));
        assert_eq!(real_bin(1.0, &edges), Some(2));
        assert_eq!(real_bin(2.0, &edges), Some(2));
        assert_eq!(real_bin(2.5, &edges), None);
        assert_eq!(real_bin(f64::NAN, &edges), None);
        assert_eq!(complex_bin(2.0, 0.5, &edges), None);
        assert_eq!(complex_bin(2.0, -0.5, &edges), Some(2));
    }

    #[test]
    fn the_function_is_called_in_label_order() {
        let x = array![1.0, 2.0, 3.0, 4.0, 5.0];
        let lab = array![3, 1, 3, 2, 1];
        let index = array![3, 1, 9, 1];
        let select = Select::Each(ArrayRef::from_ndarray(index.view()));
        let mut calls = Vec::new();
        let r = labeled_comprehension(
            &x,
            Some(ArrayRef::from_ndarray(lab.view())),
            &select,
            true,
            true,
            |g| {
                calls.push((g.entry, g.values.to_vec(), g.positions.to_vec()));
                Ok(g.values.iter().sum())
            },
        )
        .unwrap();
        assert_eq!(r, vec![Some(4.0), Some(7.0), None, Some(7.0)]);
        assert_eq!(
            calls,
            vec![
                (1, vec![2.0, 5.0], vec![1, 4]),
                (3, vec![2.0, 5.0], vec![1, 4]),
                (0, vec![1.0, 3.0], vec![0, 2]),
            ]
        );
    }
}
