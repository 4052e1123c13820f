//! `label`: connected components of the non-zero elements, numbered 1, 2, … in C order of
//! each component's first element.
//!
//! The algorithm works on runs: each line along the last axis is read once and cut into runs
//! of foreground elements (maximal runs when the structure connects neighbours along that
//! axis, single elements otherwise). Runs get provisional numbers in C order and are joined by
//! union-find with the runs of the earlier neighbour lines the structure connects them to
//! (each union keeps the smaller number as the root, so every link points to an earlier run).
//! A component's smallest run is then its first in C order, and one ascending pass over the
//! runs numbers the components in the order of their first elements, which is scipy's
//! numbering for C-ordered outputs. The output is written last, line by line from the runs:
//! nothing is written before the count is known to fit the output type, and an output that
//! is the input itself is read completely before it is written.
//!
//! Threads: the lines are split into slabs along axis 0; each slab finds and joins its runs on
//! its own, the joins across slab boundaries are made afterwards, and the numbering pass
//! depends only on the partition, so every thread count gives the same labels.

#![forbid(unsafe_code)]

use super::structure::Connectivity;
use crate::array::dtype::{with_native, Native};
use crate::array::{advance, AsInput, AsOutput, DType};
use crate::engine::Footprint;
use crate::error::Error;
use crate::parallel::{for_each_part, map_parts, Threads};

/// The largest label an output element type holds exactly (bool holds 1: a second label would
/// read back as the same `True`).
pub fn label_capacity(dtype: DType) -> Option<u64> {
    Some(match dtype {
        DType::Bool => 1,
        DType::Int8 => i8::MAX as u64,
        DType::UInt8 => u8::MAX as u64,
        DType::Int16 => i16::MAX as u64,
        DType::UInt16 => u16::MAX as u64,
        DType::Int32 => i32::MAX as u64,
        DType::UInt32 => u32::MAX as u64,
        DType::Int64 => i64::MAX as u64,
        DType::UInt64 => u64::MAX,
        DType::Float32 => 1 << f32::MANTISSA_DIGITS,
        DType::Float64 => 1 << f64::MANTISSA_DIGITS,
        DType::Complex64 | DType::Complex128 => return None,
    })
}

/// scipy.ndimage.label: writes to `output` (same shape as `input`, any real element type)
/// the component number of every non-zero element of `input` (0 elsewhere) and returns the
/// number of components. Components are numbered 1, 2, … in C order of their first element.
///
/// `structure` (NULL: scipy's default, the face neighbours) must have the input's rank, an
/// extent of 3 on every axis, and equal its reflection through the centre; its centre is
/// ignored. A non-zero `input` element is any value that is not 0 (NaN included, -0.0
/// excluded).
///
/// Fails without writing anything when the count does not fit `output`'s type (see
/// [`label_capacity`]). `output` may be `input` itself (same memory and type).
///
/// Memory: the runs (two positions and a number per run of foreground, 12 bytes each for
/// arrays below 2^32 elements) and one line buffer per thread.
pub fn label<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    structure: Option<&Footprint>,
    threads: Threads,
) -> Result<usize, Error> {
    let mut count = None;
    label_counting(input, output, structure, threads, &mut count)
}

/// [`label`], recording the count in `count` as soon as it is known (also when it then fails
/// because the count does not fit the output).
pub(crate) fn label_counting<'a>(
    input: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    structure: Option<&Footprint>,
    threads: Threads,
    count: &mut Option<usize>,
) -> Result<usize, Error> {
    let (input, mut output) = (input.into_input(), output.into_output());
    crate::args::same_shape_real(&input, &output)?;
    let rank = input.rank();
    let connectivity = match structure {
        Some(s) => Connectivity::from_footprint(s, rank, true)?,
        None => Connectivity::faces(rank),
    };
    let threads = threads.resolve()?;
    let plan = Plan::new(input.shape(), &connectivity);
    if input.is_empty() {
        *count = Some(0);
        return Ok(0);
    }
    let runs = if input.layout().len() < u32::MAX as usize {
        Runs::<u32>::find(&plan, &input, threads)?
    } else {
        return label_wide(&plan, &input, &mut output, threads, count);
    };
    finish(&plan, runs, &mut output, threads, count)
}

/// The u64 variant for arrays of 2^32 elements or more.
fn label_wide(
    plan: &Plan,
    input: &crate::ArrayRef<'_>,
    output: &mut crate::ArrayMut<'_>,
    threads: usize,
    count: &mut Option<usize>,
) -> Result<usize, Error> {
    let runs = Runs::<u64>::find(plan, input, threads)?;
    finish(plan, runs, output, threads, count)
}

fn finish<I: RunIndex>(
    plan: &Plan,
    mut runs: Runs<I>,
    output: &mut crate::ArrayMut<'_>,
    threads: usize,
    count: &mut Option<usize>,
) -> Result<usize, Error> {
    let n = runs.number();
    *count = Some(n);
    let largest = label_capacity(output.dtype()).expect("a real output");
    if n as u64 > largest {
        return Err(Error::InvalidArray(format!(
            "output: {n} labels do not fit its element type {} (at most {largest})",
            output.dtype().name()
        )));
    }
    runs.write(plan, output, threads)?;
    Ok(n)
}

/// The line structure of one call: lines along the last axis, and which earlier lines (and
/// which shifts along the line) the structure connects a line to.
struct Plan {
    /// Shape of the lines' index space (every axis but the last; `[1]` for rank 1).
    lines_shape: Vec<usize>,
    /// C-order strides of the lines' index space.
    line_strides: Vec<usize>,
    lines: usize,
    /// Length of a line.
    len: usize,
    /// Whether neighbours along the line are connected (runs are then maximal).
    along: bool,
    /// The earlier neighbour lines.
    neighbours: Vec<Neighbour>,
}

/// An earlier line a line is connected to: its offset in the lines' index space, and the
/// shifts `d` (-1, 0, 1) for which element `i` of the line touches element `i + d` of it.
struct Neighbour {
    offset: Vec<isize>,
    /// Offset in line numbers (negative: an earlier line).
    delta: isize,
    shifts: [bool; 3],
    lowest: isize,
    highest: isize,
}

impl Neighbour {
    /// Whether a run `[a0, a1)` touches a run `[b0, b1)` of this neighbour line, given that the
    /// shifts between their elements (`lo..=hi`) reach `lowest..=highest`.
    #[inline]
    fn touches(&self, lo: isize, hi: isize) -> bool {
        (-1..=1).any(|d| self.shifts[(d + 1) as usize] && lo <= d && d <= hi)
    }
}

impl Plan {
    fn new(shape: &[usize], connectivity: &Connectivity) -> Plan {
        let rank = shape.len();
        let last = rank - 1;
        let lines_shape: Vec<usize> = if rank == 1 {
            vec![1]
        } else {
            shape[..last].to_vec()
        };
        let mut line_strides = vec![1usize; lines_shape.len()];
        for a in (0..lines_shape.len().saturating_sub(1)).rev() {
            line_strides[a] = line_strides[a + 1] * lines_shape[a + 1];
        }
        let lines = lines_shape.iter().product();
        let mut offset = vec![0isize; rank];
        offset[last] = 1;
        let along = connectivity.has(&offset);
        let mut neighbours = Vec::new();
        if rank > 1 {
            // The lines before this one in C order: offsets of the other axes whose first
            // non-zero coordinate is -1.
            let perp = 3usize.pow(last as u32);
            for k in 0..perp / 2 {
                let mut o = vec![0isize; last];
                let mut r = k;
                for a in (0..last).rev() {
                    o[a] = (r % 3) as isize - 1;
                    r /= 3;
                }
                let mut shifts = [false; 3];
                for (s, shift) in shifts.iter_mut().enumerate() {
                    let mut full = o.clone();
                    full.push(s as isize - 1);
                    *shift = connectivity.has(&full);
                }
                if !shifts.iter().any(|&s| s) {
                    continue;
                }
                let delta = o
                    .iter()
                    .zip(&line_strides)
                    .map(|(&d, &s)| d * s as isize)
                    .sum();
                let lowest = (-1..=1).find(|&d| shifts[(d + 1) as usize]).unwrap_or(0);
                let highest = (-1..=1)
                    .rev()
                    .find(|&d| shifts[(d + 1) as usize])
                    .unwrap_or(0);
                neighbours.push(Neighbour {
                    offset: o,
                    delta,
                    shifts,
                    lowest,
                    highest,
                });
            }
        }
        Plan {
            lines_shape,
            line_strides,
            lines,
            len: shape[last],
            along,
            neighbours,
        }
    }

    /// The line number of `index` (in the lines' index space).
    fn line_number(&self, index: &[usize]) -> usize {
        index
            .iter()
            .zip(&self.line_strides)
            .map(|(&i, &s)| i * s)
            .sum()
    }

    /// Whether the neighbour line at `offset` from the line at `index` exists.
    fn inside(&self, index: &[usize], offset: &[isize]) -> bool {
        index
            .iter()
            .zip(offset)
            .zip(&self.lines_shape)
            .all(|((&i, &o), &n)| {
                let j = i as isize + o;
                j >= 0 && (j as usize) < n
            })
    }
}

/// Run positions and numbers: u32 for arrays below 2^32 elements, u64 beyond.
trait RunIndex: Copy + Eq + Ord + Send + Sync + 'static {
    fn of(v: usize) -> Self;
    fn get(self) -> usize;
}

impl RunIndex for u32 {
    #[inline(always)]
    fn of(v: usize) -> Self {
        v as u32
    }
    #[inline(always)]
    fn get(self) -> usize {
        self as usize
    }
}

impl RunIndex for u64 {
    #[inline(always)]
    fn of(v: usize) -> Self {
        v as u64
    }
    #[inline(always)]
    fn get(self) -> usize {
        self as usize
    }
}

/// The foreground runs of every line in C order, with their union-find links (and, after
/// [`Runs::number`], their labels).
struct Runs<I> {
    /// `first[l] .. first[l + 1]` are the runs of line `l`.
    first: Vec<I>,
    start: Vec<I>,
    end: Vec<I>,
    /// Union-find links, each to a run at or before the run itself; labels after numbering.
    parent: Vec<I>,
}

/// The runs of a slab of lines, numbered from 0 within the slab.
struct Slab<I> {
    first: Vec<I>,
    start: Vec<I>,
    end: Vec<I>,
    parent: Vec<I>,
}

impl<I: RunIndex> Runs<I> {
    /// Finds the runs of every line and joins those the structure connects.
    fn find(plan: &Plan, input: &crate::ArrayRef<'_>, threads: usize) -> Result<Self, Error> {
        // Slabs along axis 0 of the lines (a single line for rank 1).
        let rows = plan.lines_shape[0];
        let slabs = if input.rank() == 1 {
            1
        } else {
            (threads * 2).min(rows).max(1)
        };
        let bounds: Vec<usize> = (0..=slabs).map(|k| rows * k / slabs).collect();
        let total = input.layout().len() as u64;
        let parts = map_parts(
            slabs,
            threads,
            total,
            |k, stop| with_native!(input.dtype(), T => Slab::<I>::find::<T>(plan, input, bounds[k], bounds[k + 1], stop)),
        )?;
        // Concatenate the slabs, their numbers offset by the runs before them.
        let runs_total: usize = parts.iter().map(|p| p.start.len()).sum();
        let mut runs = Runs {
            first: Vec::with_capacity(plan.lines + 1),
            start: Vec::with_capacity(runs_total),
            end: Vec::with_capacity(runs_total),
            parent: Vec::with_capacity(runs_total),
        };
        for part in parts {
            let base = runs.start.len();
            runs.first.extend(
                part.first[..part.first.len() - 1]
                    .iter()
                    .map(|&f| I::of(f.get() + base)),
            );
            runs.start.extend_from_slice(&part.start);
            runs.end.extend_from_slice(&part.end);
            runs.parent
                .extend(part.parent.iter().map(|&p| I::of(p.get() + base)));
        }
        runs.first.push(I::of(runs.start.len()));
        // The joins across slab boundaries: the first row of each slab with the last rows of
        // the slab before.
        let stride0 = plan.line_strides[0];
        for &row in &bounds[1..slabs] {
            let mut index = vec![0usize; plan.lines_shape.len()];
            index[0] = row;
            loop {
                let line = plan.line_number(&index);
                for n in plan.neighbours.iter().filter(|n| n.offset[0] < 0) {
                    if plan.inside(&index, &n.offset) {
                        let other = (line as isize + n.delta) as usize;
                        debug_assert!(other < row * stride0);
                        let f = &runs.first;
                        let current = (f[line].get(), f[line + 1].get());
                        let earlier = (f[other].get(), f[other + 1].get());
                        join(
                            &runs.start,
                            &runs.end,
                            &mut runs.parent,
                            current,
                            earlier,
                            n,
                        );
                    }
                }
                if !advance(&mut index[1..], &plan.lines_shape[1..], None) {
                    break;
                }
            }
        }
        Ok(runs)
    }

    /// Replaces the links by labels (1, 2, … in order of each component's first run) and
    /// returns the number of components.
    fn number(&mut self) -> usize {
        let mut next = 0usize;
        for r in 0..self.parent.len() {
            let p = self.parent[r].get();
            self.parent[r] = if p == r {
                next += 1;
                I::of(next)
            } else {
                // `p < r`: already replaced by its component's label.
                self.parent[p]
            };
        }
        next
    }

    /// Writes every line of `output`: 0, and each run's label over its elements.
    fn write(
        &self,
        plan: &Plan,
        output: &mut crate::ArrayMut<'_>,
        threads: usize,
    ) -> Result<(), Error> {
        let rank = output.rank();
        let last = rank - 1;
        with_native!(output.dtype(), T => {
            for_each_part(output, Some(last), threads, |part, axis, start, stop| {
                let shape = part.shape().to_vec();
                if shape.contains(&0) {
                    return Ok(());
                }
                let mut buffer = vec![T::default(); plan.len];
                let mut index = vec![0usize; rank];
                loop {
                    let line = if rank == 1 {
                        0
                    } else {
                        let mut global = index[..last].to_vec();
                        if axis < last {
                            global[axis] += start;
                        }
                        plan.line_number(&global)
                    };
                    buffer.fill(T::default());
                    let (a, b) = (self.first[line].get(), self.first[line + 1].get());
                    for r in a..b {
                        let value = T::from_f64(self.parent[r].get() as f64);
                        buffer[self.start[r].get()..self.end[r].get()].fill(value);
                    }
                    part.store_run_as(&index, last, 0, &buffer);
                    if stop.tick(plan.len as u64) {
                        return Ok(());
                    }
                    if !advance(&mut index, &shape, Some(last)) {
                        return Ok(());
                    }
                }
            })
        })
    }
}

impl<I: RunIndex> Slab<I> {
    /// The runs of the lines of rows `from..to` (of the lines' axis 0), joined within the slab.
    fn find<T: Native>(
        plan: &Plan,
        input: &crate::ArrayRef<'_>,
        from: usize,
        to: usize,
        stop: &crate::parallel::Stop,
    ) -> Result<Self, Error> {
        let rank = input.rank();
        let last = rank - 1;
        let stride0 = plan.line_strides[0];
        let lines = (to - from) * stride0;
        let first_line = from * stride0;
        let mut slab = Slab {
            first: Vec::with_capacity(lines + 1),
            start: Vec::new(),
            end: Vec::new(),
            parent: Vec::new(),
        };
        let mut buffer = vec![T::default(); plan.len];
        let zero = T::default();
        let mut lines_index = vec![0usize; plan.lines_shape.len()];
        lines_index[0] = from;
        let mut index = vec![0usize; rank];
        for local in 0..lines {
            let line = first_line + local;
            slab.first.push(I::of(slab.start.len()));
            if rank > 1 {
                index[..last].copy_from_slice(&lines_index);
            }
            input.read_run_as(&index, last, 0, &mut buffer);
            let own = slab.start.len();
            // Runs: maximal when neighbours along the line are connected, else single
            // elements.
            let mut i = 0;
            let n = buffer.len();
            while i < n {
                while i < n && buffer[i] == zero {
                    i += 1;
                }
                if i == n {
                    break;
                }
                let s = i;
                i += 1;
                if plan.along {
                    while i < n && buffer[i] != zero {
                        i += 1;
                    }
                }
                let r = slab.start.len();
                slab.start.push(I::of(s));
                slab.end.push(I::of(i));
                slab.parent.push(I::of(r));
            }
            if slab.start.len() > own {
                for nb in &plan.neighbours {
                    if !plan.inside(&lines_index, &nb.offset) {
                        continue;
                    }
                    let other = line as isize + nb.delta;
                    if other < first_line as isize {
                        continue; // joined after the slabs, across the boundary
                    }
                    let o = other as usize - first_line;
                    let earlier = (slab.first[o].get(), slab.first[o + 1].get());
                    let current = (own, slab.start.len());
                    join(
                        &slab.start,
                        &slab.end,
                        &mut slab.parent,
                        current,
                        earlier,
                        nb,
                    );
                }
            }
            if stop.tick(plan.len as u64) {
                break;
            }
            if rank > 1 {
                advance(&mut lines_index, &plan.lines_shape, None);
            }
        }
        slab.first.push(I::of(slab.start.len()));
        Ok(slab)
    }
}

/// Joins the runs `current` (a range of run numbers, one line) with the touching runs
/// `earlier` of the neighbour line `n`.
#[inline]
fn join<I: RunIndex>(
    start: &[I],
    end: &[I],
    parent: &mut [I],
    current: (usize, usize),
    earlier: (usize, usize),
    n: &Neighbour,
) {
    let (ca, cb) = current;
    let (na, nb) = earlier;
    let mut j = na;
    for i in ca..cb {
        let (a0, a1) = (start[i].get() as isize, end[i].get() as isize);
        // Neighbour runs entirely before this one (and so before every later one) are done.
        while j < nb && (end[j].get() as isize) <= a0 + n.lowest {
            j += 1;
        }
        let mut k = j;
        while k < nb && (start[k].get() as isize) <= a1 - 1 + n.highest {
            let (b0, b1) = (start[k].get() as isize, end[k].get() as isize);
            if n.touches(b0 - a1 + 1, b1 - 1 - a0) {
                union(parent, i, k);
            }
            k += 1;
        }
    }
}

/// The root of `x` (path halving: every link stays at or before its run).
#[inline]
fn find<I: RunIndex>(parent: &mut [I], mut x: usize) -> usize {
    loop {
        let p = parent[x].get();
        if p == x {
            return x;
        }
        let g = parent[p].get();
        parent[x] = I::of(g);
        x = g;
    }
}

/// Joins the components of runs `a` and `b`, the smaller root becoming the root.
#[inline]
fn union<I: RunIndex>(parent: &mut [I], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra < rb {
        parent[rb] = I::of(ra);
    } else if rb < ra {
        parent[ra] = I::of(rb);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2, Array3};

    fn labels2(
        input: &Array2<u8>,
        structure: Option<&Footprint>,
        threads: usize,
    ) -> (Array2<i32>, usize) {
        let mut out = Array2::<i32>::zeros(input.raw_dim());
        let n = label(input, &mut out, structure, Threads::Count(threads)).unwrap();
        (out, n)
    }

    #[test]
    fn components_are_numbered_in_c_order_of_their_first_element() {
        let input = array![
            [0u8, 0, 1, 1, 0, 0],
            [1, 0, 0, 1, 0, 1],
            [1, 1, 0, 0, 0, 1],
            [0, 1, 1, 1, 1, 1],
        ];
        let (out, n) = labels2(&input, None, 1);
        assert_eq!(n, 2);
        assert_eq!(
            out,
            array![
                [0, 0, 1, 1, 0, 0],
                [2, 0, 0, 1, 0, 2],
                [2, 2, 0, 0, 0, 2],
                [0, 2, 2, 2, 2, 2],
            ]
        );
        // 8-connectivity joins nothing more here; a diagonal-only structure does.
        let diagonal = Footprint::from_mask(
            &[3, 3],
            vec![true, false, true, false, true, false, true, false, true],
        )
        .unwrap();
        let (out, n) = labels2(&array![[1u8, 0], [0, 1]], Some(&diagonal), 1);
        assert_eq!((n, out), (1, array![[1, 0], [0, 1]]));
        let (out, n) = labels2(&array![[1u8, 1], [0, 0]], Some(&diagonal), 1);
        assert_eq!((n, out), (2, array![[1, 2], [0, 0]]));
    }

    #[test]
    fn thread_counts_agree() {
        let mut input = Array3::<u8>::zeros((23, 17, 19));
        let mut state = 12345u64;
        for v in input.iter_mut() {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            *v = u8::from((state >> 33) % 3 == 0);
        }
        let full = Footprint::from_size(&[3, 3, 3]).unwrap();
        for structure in [None, Some(&full)] {
            let mut reference = Array3::<i64>::zeros(input.raw_dim());
            let n1 = label(&input, &mut reference, structure, Threads::Count(1)).unwrap();
            for threads in [2, 3, 5, 8] {
                let mut out = Array3::<i64>::zeros(input.raw_dim());
                let n = label(&input, &mut out, structure, Threads::Count(threads)).unwrap();
                assert_eq!((n, &out), (n1, &reference), "threads {threads}");
            }
        }
    }

    #[test]
    fn counts_that_do_not_fit_fail_before_writing() {
        let input = Array2::<u8>::from_shape_fn((2, 600), |(_, j)| u8::from(j % 2 == 0));
        let mut out = Array2::<u8>::from_elem((2, 600), 7);
        let mut count = None;
        let r = label_counting(&input, &mut out, None, Threads::Count(1), &mut count);
        assert!(matches!(r, Err(Error::InvalidArray(_))));
        assert_eq!(count, Some(300));
        assert!(out.iter().all(|&v| v == 7));
    }
}
