//! Selection networks: the rank-th smallest of a window's values by a fixed sequence of
//! compare-exchanges, run side by side for many output positions (so that each one is a
//! vectorised minimum and maximum over a chunk of positions).
//!
//! A network is Batcher's odd-even merge sort over the window's values padded to a power of
//! two with +infinity (the type's maximum), simplified for the padding and pruned to what
//! the one output needs. For a box footprint the values are taken column by column, each
//! column sorted first (one small network over whole rows, shared by every window that
//! contains the column): the merge stages of the big network then only merge sorted columns.
//!
//! For values with a total order (no NaN, no zeros of both signs) the result is the rank-th
//! order statistic, which is what any correct selection returns, scipy's quickselect
//! included; the callers check the data and take the quickselect elsewhere.

#![forbid(unsafe_code)]

use crate::array::dtype::Native;

/// What a compare-exchange of wires `a < b` keeps: both outputs, or only the one needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Keep {
    Both,
    Min,
    Max,
}

/// A pruned selection network over `wires` physical inputs.
#[derive(Clone, Debug)]
pub(crate) struct Network {
    steps: Vec<(u16, u16, Keep)>,
    /// The wire holding the result.
    pub output: usize,
    pub wires: usize,
}

/// Batcher's odd-even merge sort of `n` (a power of two) wires, leaving out the stages that
/// sort aligned blocks of `presorted` wires (a power of two: the blocks are sorted already).
fn batcher(n: usize, presorted: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut p = presorted.max(1);
    while p < n {
        let mut k = p;
        while k >= 1 {
            let mut j = k % p;
            while j + k < n {
                for i in 0..k.min(n - j - k) {
                    if (i + j) / (2 * p) == (i + j + k) / (2 * p) {
                        out.push((i + j, i + j + k));
                    }
                }
                j += 2 * k;
            }
            k /= 2;
        }
        p *= 2;
    }
    out
}

impl Network {
    /// The network selecting rank `rank` of `columns` sorted columns of `rows` values each
    /// (`columns == 1` and unsorted input: pass `rows = 1`, `columns = k` for `k` plain
    /// values). Physical wire `u * rows + t` is value `t` of column `u`.
    pub fn new(rows: usize, columns: usize, rank: usize) -> Network {
        let p = rows.next_power_of_two();
        let q = columns.next_power_of_two();
        let n = p * q;
        // Logical wire u * p + t; real when t < rows and u < columns.
        let real = |w: usize| w % p < rows && w / p < columns;
        let mut phys: Vec<Option<usize>> = (0..n)
            .map(|w| real(w).then(|| (w / p) * rows + w % p))
            .collect();
        let mut steps = Vec::new();
        for (i, j) in batcher(n, p) {
            match (phys[i], phys[j]) {
                // j holds +inf: min stays in i, the max is +inf again.
                (_, None) => {}
                // i holds +inf: the value moves to i, +inf to j.
                (None, Some(_)) => phys.swap(i, j),
                (Some(a), Some(b)) => steps.push((a, b)),
            }
        }
        let output = phys[rank].expect("the rank is among the real values");
        // Backward: keep what the output depends on, and only the needed side of each.
        let wires = rows * columns;
        let mut needed = vec![false; wires];
        needed[output] = true;
        let mut kept = Vec::new();
        for &(a, b) in steps.iter().rev() {
            let keep = match (needed[a], needed[b]) {
                (true, true) => Keep::Both,
                (true, false) => Keep::Min,
                (false, true) => Keep::Max,
                (false, false) => continue,
            };
            needed[a] = true;
            needed[b] = true;
            kept.push((a as u16, b as u16, keep));
        }
        kept.reverse();
        Network {
            steps: kept,
            output,
            wires,
        }
    }

    /// Number of compare-exchanges.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Runs the network on `wires` (one chunk of `CHUNK` positions per wire): the result is
    /// left in `wires[self.output]`.
    #[inline]
    pub fn run<T: Native, const CHUNK: usize>(&self, wires: &mut [[T; CHUNK]]) {
        for &(a, b, keep) in &self.steps {
            let (a, b) = (a as usize, b as usize);
            let (x, y) = pair_mut(wires, a, b);
            match keep {
                Keep::Both => {
                    for (u, v) in x.iter_mut().zip(y.iter_mut()) {
                        let (p, q) = (*u, *v);
                        *u = if q < p { q } else { p };
                        *v = if q < p { p } else { q };
                    }
                }
                // Unconditional stores of a selection: the loops vectorise.
                Keep::Min => {
                    for (u, &q) in x.iter_mut().zip(y.iter()) {
                        let p = *u;
                        *u = if q < p { q } else { p };
                    }
                }
                Keep::Max => {
                    for (&p, v) in x.iter().zip(y.iter_mut()) {
                        let q = *v;
                        *v = if q < p { p } else { q };
                    }
                }
            }
        }
    }
}

/// Two distinct elements of `items` as mutable borrows (`a != b`).
#[inline(always)]
fn pair_mut<W>(items: &mut [W], a: usize, b: usize) -> (&mut W, &mut W) {
    if a < b {
        let (head, tail) = items.split_at_mut(b);
        (&mut head[a], &mut tail[0])
    } else {
        let (head, tail) = items.split_at_mut(a);
        (&mut tail[0], &mut head[b])
    }
}

/// Sorts `rows` (equal-length slices, one per network wire) elementwise with `network` (a
/// full sort: every step keeps both sides), in place, a chunk of positions at a time.
pub(crate) fn sort_rows<T: Native>(steps: &[(usize, usize)], rows: &mut [Vec<T>]) {
    for &(a, b) in steps {
        let (lo, hi) = pair_mut(rows, a, b);
        for (u, v) in lo.iter_mut().zip(hi.iter_mut()) {
            let (x, y) = (*u, *v);
            *u = if y < x { y } else { x };
            *v = if y < x { x } else { y };
        }
    }
}

/// A sorting network for `n` values (any `n`): Batcher's over the next power of two with
/// the padding wires dropped (a comparator with a padding wire is a no-op when the padding
/// holds +infinity at the top).
pub(crate) fn sorting_steps(n: usize) -> Vec<(usize, usize)> {
    let m = n.next_power_of_two();
    batcher(m, 1)
        .into_iter()
        .filter(|&(a, b)| a < n && b < n)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *seed >> 33
    }

    #[test]
    fn networks_select_the_order_statistic() {
        let mut seed = 1u64;
        for (rows, columns) in [
            (1, 9),
            (3, 3),
            (5, 5),
            (3, 1),
            (1, 1),
            (2, 3),
            (9, 3),
            (1, 25),
        ] {
            let k = rows * columns;
            for rank in 0..k {
                let net = Network::new(rows, columns, rank);
                for _ in 0..30 {
                    let values: Vec<i32> = (0..k).map(|_| (lcg(&mut seed) % 7) as i32).collect();
                    // Columns sorted, as the box kernels give them.
                    let mut wires: Vec<[i32; 4]> = vec![[0; 4]; k];
                    for u in 0..columns {
                        let mut col: Vec<i32> = (0..rows).map(|t| values[u * rows + t]).collect();
                        col.sort();
                        for t in 0..rows {
                            wires[u * rows + t] = [col[t]; 4];
                        }
                    }
                    net.run(&mut wires);
                    let mut sorted = values.clone();
                    sorted.sort();
                    assert_eq!(
                        wires[net.output][2], sorted[rank],
                        "{rows}x{columns} r{rank}"
                    );
                }
            }
        }
        // Pruning keeps the 3x3 median small.
        assert!(Network::new(3, 3, 4).len() <= 16);
    }

    #[test]
    fn sorting_steps_sort() {
        let mut seed = 7u64;
        for n in 1..12 {
            let steps = sorting_steps(n);
            for _ in 0..50 {
                let mut rows: Vec<Vec<i32>> =
                    (0..n).map(|_| vec![(lcg(&mut seed) % 9) as i32]).collect();
                let mut want: Vec<i32> = rows.iter().map(|r| r[0]).collect();
                want.sort();
                sort_rows(&steps, &mut rows);
                assert_eq!(rows.iter().map(|r| r[0]).collect::<Vec<_>>(), want);
            }
        }
    }
}
