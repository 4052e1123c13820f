//! Gathering values at fixed offsets from a buffer: the window of one output element of a
//! neighbourhood filter, from the rows its footprint covers.

/// Offsets into a buffer, checked once per gather rather than once per value.
#[derive(Clone, Debug)]
pub struct Gather {
    offsets: Vec<usize>,
    /// The largest offset (0 when there are none).
    max: usize,
}

impl Gather {
    pub fn new(offsets: Vec<usize>) -> Self {
        let max = offsets.iter().copied().max().unwrap_or(0);
        Gather { offsets, max }
    }

    /// Replaces the offsets (as many as before), keeping the allocation.
    pub fn assign(&mut self, offsets: impl Iterator<Item = usize>) {
        let mut max = 0;
        let mut count = 0;
        for (slot, offset) in self.offsets.iter_mut().zip(offsets) {
            *slot = offset;
            max = max.max(offset);
            count += 1;
        }
        assert_eq!(count, self.offsets.len(), "gather offset count");
        self.max = max;
    }

    /// Number of values a gather produces.
    pub fn len(&self) -> usize {
        self.offsets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }

    /// The offsets.
    pub fn offsets(&self) -> &[usize] {
        &self.offsets
    }

    /// The largest offset (0 when there are none).
    pub fn max(&self) -> usize {
        self.max
    }

    /// `out[k] = src[base + offsets[k]]` for every offset; panics if any is out of `src`.
    #[inline]
    pub fn gather<T: Copy>(&self, src: &[T], base: usize, out: &mut [T]) {
        assert_eq!(out.len(), self.offsets.len(), "gather buffer length");
        if self.offsets.is_empty() {
            return;
        }
        let end = base.checked_add(self.max).expect("gather offset overflows");
        assert!(end < src.len(), "gather beyond the source buffer");
        // Fixed-size copies for the common footprints (3x3, 3x3x3, 5x5): fully unrolled.
        match out.len() {
            9 => gather_fixed::<9, T>(&self.offsets, src, base, out),
            25 => gather_fixed::<25, T>(&self.offsets, src, base, out),
            27 => gather_fixed::<27, T>(&self.offsets, src, base, out),
            _ => {
                for (o, &offset) in out.iter_mut().zip(&self.offsets) {
                    // SAFETY: offset <= self.max, and base + self.max < src.len() was checked
                    // above.
                    *o = unsafe { *src.get_unchecked(base + offset) };
                }
            }
        }
    }
    /// [`Gather::gather`] at the `count` consecutive bases `base, base + 1, …`, one gather
    /// after another in `out` (`count` × [`Gather::len`] values); the bounds are checked once.
    #[inline]
    pub fn gather_run<T: Copy>(&self, src: &[T], base: usize, count: usize, out: &mut [T]) {
        let n = self.offsets.len();
        assert_eq!(out.len(), n * count, "gather run buffer length");
        if n == 0 || count == 0 {
            return;
        }
        let end = base
            .checked_add(count - 1)
            .and_then(|b| b.checked_add(self.max))
            .expect("gather offset overflows");
        assert!(end < src.len(), "gather beyond the source buffer");
        match n {
            9 => gather_run_fixed::<9, T>(&self.offsets, src, base, out),
            25 => gather_run_fixed::<25, T>(&self.offsets, src, base, out),
            27 => gather_run_fixed::<27, T>(&self.offsets, src, base, out),
            _ => {
                for (w, values) in out.chunks_exact_mut(n).enumerate() {
                    for (o, &offset) in values.iter_mut().zip(&self.offsets) {
                        // SAFETY: offset <= self.max and w < count, so base + w + offset <=
                        // end < src.len() (checked above).
                        *o = unsafe { *src.get_unchecked(base + w + offset) };
                    }
                }
            }
        }
    }
}

/// [`Gather::gather_run`] for `N` offsets (bounds checked by the caller).
#[inline(always)]
fn gather_run_fixed<const N: usize, T: Copy>(
    offsets: &[usize],
    src: &[T],
    base: usize,
    out: &mut [T],
) {
    let offsets: &[usize; N] = offsets.try_into().expect("N offsets");
    for (w, values) in out.chunks_exact_mut(N).enumerate() {
        for (o, &offset) in values.iter_mut().zip(offsets) {
            // SAFETY: as in Gather::gather_run, whose check covers every window of the run.
            *o = unsafe { *src.get_unchecked(base + w + offset) };
        }
    }
}

impl Gather {
    /// For each position `j` in `0..n`, gathers the window at `base + j` of `src` into `buffer`
    /// (of [`Gather::len`] values) and calls `f(j, buffer)`, stopping at the first error. The
    /// bounds are checked once for the whole run of windows; panics if any lies outside `src`.
    #[inline]
    pub fn for_each_window<T: Copy, E>(
        &self,
        src: &[T],
        base: usize,
        n: usize,
        buffer: &mut [T],
        f: impl FnMut(usize, &mut [T]) -> Result<(), E>,
    ) -> Result<(), E> {
        assert_eq!(buffer.len(), self.offsets.len(), "gather buffer length");
        if n == 0 {
            return Ok(());
        }
        if !self.offsets.is_empty() {
            let end = base
                .checked_add(self.max)
                .and_then(|e| e.checked_add(n - 1))
                .expect("gather offset overflows");
            assert!(end < src.len(), "gather beyond the source buffer");
        }
        // One loop per common footprint size (3x3, 3x3x3, 5x5), fully unrolled.
        match buffer.len() {
            9 => windows_fixed::<9, T, E>(&self.offsets, src, base, n, buffer, f),
            25 => windows_fixed::<25, T, E>(&self.offsets, src, base, n, buffer, f),
            27 => windows_fixed::<27, T, E>(&self.offsets, src, base, n, buffer, f),
            _ => windows_any(&self.offsets, src, base, n, buffer, f),
        }
    }
}

/// [`Gather::for_each_window`] for `N` offsets; every `base + j + offset` (`j < n`) is within
/// `src` (checked by the caller).
#[inline(always)]
fn windows_fixed<const N: usize, T: Copy, E>(
    offsets: &[usize],
    src: &[T],
    base: usize,
    n: usize,
    buffer: &mut [T],
    mut f: impl FnMut(usize, &mut [T]) -> Result<(), E>,
) -> Result<(), E> {
    let offsets: &[usize; N] = offsets.try_into().expect("N offsets");
    let buffer: &mut [T; N] = buffer.try_into().expect("N values");
    for j in 0..n {
        for (o, &offset) in buffer.iter_mut().zip(offsets) {
            // SAFETY: offset <= max, and base + max + n - 1 < src.len() was checked by
            // for_each_window.
            *o = unsafe { *src.get_unchecked(base + j + offset) };
        }
        f(j, buffer)?;
    }
    Ok(())
}

/// [`windows_fixed`] for any number of offsets.
#[inline(always)]
fn windows_any<T: Copy, E>(
    offsets: &[usize],
    src: &[T],
    base: usize,
    n: usize,
    buffer: &mut [T],
    mut f: impl FnMut(usize, &mut [T]) -> Result<(), E>,
) -> Result<(), E> {
    for j in 0..n {
        for (o, &offset) in buffer.iter_mut().zip(offsets) {
            // SAFETY: as in windows_fixed.
            *o = unsafe { *src.get_unchecked(base + j + offset) };
        }
        f(j, buffer)?;
    }
    Ok(())
}

/// [`Gather::gather`] for `N` offsets, each at most `src.len() - 1 - base` (checked by the
/// caller).
#[inline(always)]
fn gather_fixed<const N: usize, T: Copy>(offsets: &[usize], src: &[T], base: usize, out: &mut [T]) {
    let offsets: &[usize; N] = offsets.try_into().expect("N offsets");
    let out: &mut [T; N] = out.try_into().expect("N values");
    for (o, &offset) in out.iter_mut().zip(offsets) {
        // SAFETY: as in Gather::gather, whose check covers every offset.
        *o = unsafe { *src.get_unchecked(base + offset) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_follow_the_line_and_check_the_last() {
        let g = Gather::new(vec![0, 3]);
        let src: Vec<f64> = (0..10).map(|v| v as f64).collect();
        let mut seen = Vec::new();
        let mut buf = [0.0; 2];
        g.for_each_window(&src, 1, 6, &mut buf, |j, w| {
            seen.push((j, w[0], w[1]));
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(
            seen,
            (0..6)
                .map(|j| (j, 1.0 + j as f64, 4.0 + j as f64))
                .collect::<Vec<_>>()
        );
        // The first error stops the run.
        let r = g.for_each_window(
            &src,
            0,
            6,
            &mut buf,
            |j, _| if j == 2 { Err(j) } else { Ok(()) },
        );
        assert_eq!(r, Err(2));
        // The last window (base 1 + 6 + offset 3 = 10) would be beyond the source.
        let beyond = std::panic::catch_unwind(move || {
            let mut buf = [0.0; 2];
            g.for_each_window(&src, 1, 7, &mut buf, |_, _| Ok::<(), ()>(()))
        });
        assert!(beyond.is_err());
    }

    #[test]
    fn gathers_and_checks_bounds() {
        let g = Gather::new(vec![0, 2, 5]);
        let src: Vec<f64> = (0..8).map(|v| v as f64).collect();
        let mut out = [0.0; 3];
        g.gather(&src, 2, &mut out);
        assert_eq!(out, [2.0, 4.0, 7.0]);
        let beyond = std::panic::catch_unwind(move || {
            let mut out = [0.0; 3];
            g.gather(&src, 3, &mut out)
        });
        assert!(beyond.is_err());
    }

    #[test]
    fn gathers_runs_of_consecutive_bases() {
        let src: Vec<f64> = (0..40).map(|v| v as f64).collect();
        for offsets in [vec![0, 2, 5], (0..9).map(|k| k * 3).collect::<Vec<_>>()] {
            let g = Gather::new(offsets.clone());
            let mut run = vec![0.0; 4 * offsets.len()];
            g.gather_run(&src, 3, 4, &mut run);
            let mut one = vec![0.0; offsets.len()];
            for w in 0..4 {
                g.gather(&src, 3 + w, &mut one);
                assert_eq!(&run[w * offsets.len()..(w + 1) * offsets.len()], &one[..]);
            }
            let max = *offsets.iter().max().unwrap();
            let fits = 40 - max - 3;
            let mut run = vec![0.0; fits * offsets.len()];
            g.gather_run(&src, 3, fits, &mut run);
            let beyond = std::panic::catch_unwind(|| {
                let mut run = vec![0.0; (fits + 1) * offsets.len()];
                g.gather_run(&src, 3, fits + 1, &mut run)
            });
            assert!(beyond.is_err());
        }
    }
}
