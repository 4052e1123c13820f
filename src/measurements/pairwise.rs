//! NumPy's pairwise summation, which scipy's one-group statistics inherit from
//! `ndarray.sum()`: blocks of up to 128 values summed with 8 running partial sums, larger
//! runs split in two (the first part a multiple of 8) and the halves added; complex values
//! the same over their interleaved parts. A reduction adds each run's pairwise sum to a
//! running total that starts at 0.
//!
//! The sums here pull their values from a [`Source`] in order, block by block, so that no
//! copy of the data is needed.

#![forbid(unsafe_code)]

use std::ops::{Add, Mul, Sub};

/// The float types NumPy sums in.
pub(crate) trait Float:
    Copy + Default + PartialOrd + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self>
{
    const NEG_ZERO: Self;
    const ZERO: Self;
    fn fma(self, a: Self, b: Self) -> Self;
}

impl Float for f32 {
    const NEG_ZERO: Self = -0.0;
    const ZERO: Self = 0.0;
    #[inline(always)]
    fn fma(self, a: Self, b: Self) -> Self {
        self.mul_add(a, b)
    }
}

impl Float for f64 {
    const NEG_ZERO: Self = -0.0;
    const ZERO: Self = 0.0;
    #[inline(always)]
    fn fma(self, a: Self, b: Self) -> Self {
        self.mul_add(a, b)
    }
}

/// Values in summation order: `fill(out)` writes the next `out.len()` of them.
pub(crate) trait Source<V> {
    fn fill(&mut self, out: &mut [V]);
}

/// The largest block NumPy sums without splitting.
const BLOCK: usize = 128;

/// NumPy's pairwise sum of one block of at most 128 values.
#[inline]
pub(crate) fn leaf<S: Float>(a: &[S]) -> S {
    let n = a.len();
    if n < 8 {
        let mut res = S::NEG_ZERO;
        for &v in a {
            res = res + v;
        }
        return res;
    }
    let mut r = [S::ZERO; 8];
    r.copy_from_slice(&a[..8]);
    let full = n - n % 8;
    let mut i = 8;
    while i < full {
        for j in 0..8 {
            r[j] = r[j] + a[i + j];
        }
        i += 8;
    }
    let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for &v in &a[full..] {
        res = res + v;
    }
    res
}

/// NumPy's pairwise sum of the next `n` values of `source` (no initial 0 added).
pub(crate) fn pairwise<S: Float>(n: usize, source: &mut impl Source<S>) -> S {
    if n <= BLOCK {
        let mut block = [S::ZERO; BLOCK];
        source.fill(&mut block[..n]);
        return leaf(&block[..n]);
    }
    let mut n2 = n / 2;
    n2 -= n2 % 8;
    let a = pairwise(n2, source);
    let b = pairwise(n - n2, source);
    a + b
}

/// NumPy's pairwise sum of a slice.
#[cfg(test)]
pub(crate) fn pairwise_slice<S: Float>(a: &[S]) -> S {
    struct Slice<'s, S>(&'s [S]);
    impl<S: Copy> Source<S> for Slice<'_, S> {
        fn fill(&mut self, out: &mut [S]) {
            let (head, tail) = self.0.split_at(out.len());
            out.copy_from_slice(head);
            self.0 = tail;
        }
    }
    pairwise(a.len(), &mut Slice(a))
}

/// A complex value as (real, imaginary).
pub(crate) type Complex<S> = (S, S);

/// NumPy's pairwise sum of the next `n` complex values of `source` (no initial 0 added): the
/// real algorithm over the `2n` interleaved parts, with 4 complex partial sums per block.
pub(crate) fn pairwise_complex<S: Float>(
    n: usize,
    source: &mut impl Source<Complex<S>>,
) -> Complex<S> {
    let reals = 2 * n;
    if reals <= BLOCK {
        let mut block = [(S::ZERO, S::ZERO); BLOCK / 2];
        let a = &mut block[..n];
        source.fill(a);
        if reals < 8 {
            let (mut rr, mut ri) = (S::NEG_ZERO, S::NEG_ZERO);
            for &(re, im) in a.iter() {
                rr = rr + re;
                ri = ri + im;
            }
            return (rr, ri);
        }
        let mut r = [(S::ZERO, S::ZERO); 4];
        r.copy_from_slice(&a[..4]);
        let full = n - n % 4;
        let mut i = 4;
        while i < full {
            for j in 0..4 {
                r[j] = (r[j].0 + a[i + j].0, r[j].1 + a[i + j].1);
            }
            i += 4;
        }
        let mut rr = (r[0].0 + r[1].0) + (r[2].0 + r[3].0);
        let mut ri = (r[0].1 + r[1].1) + (r[2].1 + r[3].1);
        for &(re, im) in &a[full..] {
            rr = rr + re;
            ri = ri + im;
        }
        return (rr, ri);
    }
    let mut n2 = reals / 2;
    n2 -= n2 % 8;
    let a = pairwise_complex(n2 / 2, source);
    let b = pairwise_complex(n - n2 / 2, source);
    (a.0 + b.0, a.1 + b.1)
}

/// NumPy's complex multiplication on this machine's SIMD path (fused multiply-add):
/// `re = fma(a.re, b.re, -(a.im * b.im))`, `im = fma(a.re, b.im, a.im * b.re)`.
#[inline]
pub(crate) fn complex_mul<S: Float>(a: Complex<S>, b: Complex<S>) -> Complex<S> {
    let (ii, ir) = (a.1 * b.1, a.1 * b.0);
    (a.0.fma(b.0, S::ZERO - ii), a.0.fma(b.1, ir))
}

/// NumPy's complex division (Smith's method).
#[inline]
pub(crate) fn complex_div(a: Complex<f64>, b: Complex<f64>) -> Complex<f64> {
    let (in1r, in1i, in2r, in2i) = (a.0, a.1, b.0, b.1);
    let (in2r_abs, in2i_abs) = (in2r.abs(), in2i.abs());
    if in2r_abs >= in2i_abs {
        if in2r_abs == 0.0 && in2i_abs == 0.0 {
            (in1r / in2r_abs, in1i / in2i_abs)
        } else {
            let rat = in2i / in2r;
            let scl = 1.0 / (in2r + in2i * rat);
            ((in1r + in1i * rat) * scl, (in1i - in1r * rat) * scl)
        }
    } else {
        let rat = in2r / in2i;
        let scl = 1.0 / (in2i + in2r * rat);
        ((in1r * rat + in1i) * scl, (in1i * rat - in1r) * scl)
    }
}

/// The complex square root as glibc's `csqrt` computes it (what NumPy's `sqrt` calls).
pub(crate) fn complex_sqrt(z: Complex<f64>) -> Complex<f64> {
    let (re, im) = z;
    if re.is_nan() || im.is_nan() || re.is_infinite() || im.is_infinite() {
        if im.is_infinite() {
            return (f64::INFINITY, im);
        }
        if re.is_infinite() {
            if re < 0.0 {
                let r = if im.is_nan() { f64::NAN } else { 0.0 };
                return (r, f64::INFINITY.copysign(im));
            }
            let i = if im.is_nan() {
                f64::NAN
            } else {
                0.0f64.copysign(im)
            };
            return (re, i);
        }
        return (f64::NAN, f64::NAN);
    }
    if im == 0.0 {
        if re < 0.0 {
            return (0.0, (-re).sqrt().copysign(im));
        }
        return (re.sqrt().abs(), 0.0f64.copysign(im));
    }
    if re == 0.0 {
        let r = if im.abs() >= 2.0 * f64::MIN_POSITIVE {
            (0.5 * im.abs()).sqrt()
        } else {
            0.5 * (2.0 * im.abs()).sqrt()
        };
        return (r, r.copysign(im));
    }
    let (mut x, mut y) = (re, im);
    let mut scale = 0i32;
    if x.abs() > f64::MAX / 4.0 {
        scale = 1;
        x *= 0.25;
        y *= 0.25;
    } else if y.abs() > f64::MAX / 4.0 {
        scale = 1;
        if x.abs() >= 4.0 * f64::MIN_POSITIVE {
            x *= 0.25;
        } else {
            x = 0.0;
        }
        y *= 0.25;
    } else if x.abs() < 2.0 * f64::MIN_POSITIVE && y.abs() < 2.0 * f64::MIN_POSITIVE {
        scale = -((f64::MANTISSA_DIGITS as i32 + 1) / 2);
        x *= 2f64.powi(-2 * scale);
        y *= 2f64.powi(-2 * scale);
    }
    let d = x.hypot(y);
    let (mut r, mut s);
    if x > 0.0 {
        r = (0.5 * (d + x)).sqrt();
        if scale == 1 && y.abs() < 1.0 {
            s = y / r;
            r *= 2f64.powi(scale);
            scale = 0;
        } else {
            s = 0.5 * (y / r);
        }
    } else {
        s = (0.5 * (d - x)).sqrt();
        if scale == 1 && y.abs() < 1.0 {
            r = (y / s).abs();
            s *= 2f64.powi(scale);
            scale = 0;
        } else {
            r = (0.5 * (y / s)).abs();
        }
    }
    if scale != 0 {
        r *= 2f64.powi(scale);
        s *= 2f64.powi(scale);
    }
    (r, s.copysign(im))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The recursion written out plainly, as NumPy's C code has it.
    fn reference(a: &[f64]) -> f64 {
        let n = a.len();
        if n < 8 {
            return a.iter().fold(-0.0, |s, &v| s + v);
        }
        if n <= 128 {
            return leaf(a);
        }
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        reference(&a[..n2]) + reference(&a[n2..])
    }

    #[test]
    fn streamed_sums_follow_the_recursion() {
        let values: Vec<f64> = (0..5000)
            .map(|k| ((k * 7919) % 1013) as f64 * 0.1 - 40.3)
            .collect();
        for n in [0, 1, 7, 8, 9, 127, 128, 129, 1000, 4999] {
            assert_eq!(
                pairwise_slice(&values[..n]).to_bits(),
                reference(&values[..n]).to_bits()
            );
        }
        assert_eq!(
            pairwise_slice::<f64>(&[-0.0]).to_bits(),
            (-0.0f64).to_bits()
        );
    }

    #[test]
    fn complex_arithmetic() {
        assert_eq!(complex_div((1.0, 2.0), (4.0, 0.0)), (0.25, 0.5));
        assert_eq!(complex_sqrt((-4.0, 0.0)), (0.0, 2.0));
        assert_eq!(complex_sqrt((4.0, 0.0)), (2.0, 0.0));
        let (r, i) = complex_sqrt((3.0, 4.0));
        assert_eq!((r, i), (2.0, 1.0));
    }
}
