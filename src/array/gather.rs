//! Gathering values at fixed offsets from a buffer, the inner loop of `generic_filter`.

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

    /// Number of values a gather produces.
    pub fn len(&self) -> usize {
        self.offsets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }

    /// `out[k] = src[base + offsets[k]]` for every offset; panics if any is out of `src`.
    #[inline]
    pub fn gather(&self, src: &[f64], base: usize, out: &mut [f64]) {
        assert_eq!(out.len(), self.offsets.len(), "gather buffer length");
        if self.offsets.is_empty() {
            return;
        }
        let end = base.checked_add(self.max).expect("gather offset overflows");
        assert!(end < src.len(), "gather beyond the source buffer");
        for (o, &offset) in out.iter_mut().zip(&self.offsets) {
            // SAFETY: offset <= self.max, and base + self.max < src.len() was checked above.
            *o = unsafe { *src.get_unchecked(base + offset) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
