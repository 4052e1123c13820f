//! B-spline weights and the B-spline prefilter (scipy's `spline_filter1d` on one line).
//!
//! Operation order follows scipy exactly (ndimage-semantics.md §5): every expression is
//! evaluated left to right as written, with no fused multiply-add, so results are bit-identical.

use crate::boundary::Mode;

/// Poles of the B-spline prefilter per order, as decimal literals (their closed forms evaluated
/// in double differ by an ulp).
#[allow(clippy::excessive_precision)] // the literals are the specification
pub fn poles(order: usize) -> &'static [f64] {
    match order {
        2 => &[-0.171572875253809902396622551580603843],
        3 => &[-0.267949192431122706472553658494127633],
        4 => &[
            -0.361341225900220177092212841325675255,
            -0.013725429297339121360331226939128204,
        ],
        5 => &[
            -0.430575347099973791851434783493520110,
            -0.043096288203264653822712376822550182,
        ],
        _ => &[],
    }
}

/// `x.floor()`, without the libm call that baseline x86-64 (no SSE4.1) makes for it.
#[inline(always)]
pub fn floor(x: f64) -> f64 {
    // Below 2^52 in magnitude the truncation through i64 is exact; above it every double is
    // already integral (as are the infinities), and NaN stays NaN.
    if x.abs() < 4503599627370496.0 {
        let t = x as i64 as f64;
        if t > x {
            t - 1.0
        } else {
            t.copysign(x)
        }
    } else {
        x
    }
}

/// Fills `w[0..=order]` with the spline weights for coordinate `x` (order >= 1).
/// The support starts at `floor(x) - order/2` (odd orders) or `floor(x + 0.5) - order/2` (even).
#[inline]
pub fn weights(x: f64, order: usize, w: &mut [f64; 6]) {
    let first = if order % 2 == 1 {
        floor(x)
    } else {
        floor(x + 0.5)
    };
    weights_at(x - first, order, w)
}

/// [`weights`] from `u = x - first`, where `first` is the support's centre sample.
#[inline(always)]
pub fn weights_at(u: f64, order: usize, w: &mut [f64; 6]) {
    match order {
        1 => {
            w[0] = 1.0 - u;
        }
        2 => {
            w[1] = 0.75 - u * u;
            let t = 0.5 - u;
            w[0] = 0.5 * t * t;
        }
        3 => {
            let (y, z) = (u, 1.0 - u);
            w[1] = (y * y * (y - 2.0) * 3.0 + 4.0) / 6.0;
            w[2] = (z * z * (z - 2.0) * 3.0 + 4.0) / 6.0;
            w[0] = z * z * z / 6.0;
        }
        4 => {
            let t = u * u;
            w[2] = t * (t * 0.25 - 0.625) + 115.0 / 192.0;
            let quartic =
                |y: f64| y * (y * (y * (5.0 - y) / 6.0 - 1.25) + 5.0 / 24.0) + 55.0 / 96.0;
            w[1] = quartic(1.0 + u);
            w[3] = quartic(1.0 - u);
            let t = (0.5 - u) * (0.5 - u);
            w[0] = t * t / 24.0;
        }
        5 => {
            let (y, z) = (u, 1.0 - u);
            let centre = |y: f64| {
                let t = y * y;
                t * (t * (0.25 - y / 12.0) - 0.5) + 0.55
            };
            let side =
                |y: f64| y * (y * (y * (y * (y / 24.0 - 0.375) + 1.25) - 1.75) + 0.625) + 0.425;
            w[2] = centre(y);
            w[3] = centre(z);
            w[1] = side(y + 1.0);
            w[4] = side(z + 1.0);
            let t = z * z;
            w[0] = z * t * t / 120.0;
        }
        _ => unreachable!("spline order {order}"),
    }
    // The last weight is always one minus the others, subtracted in order.
    let mut last = 1.0;
    for &v in &w[..order] {
        last -= v;
    }
    w[order] = last;
}

/// How the prefilter initialises its recursions at the line ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Init {
    Mirror,
    Reflect,
    Wrap,
}

fn init_for(mode: Mode) -> Init {
    match mode {
        Mode::Mirror | Mode::Constant | Mode::Wrap | Mode::GridConstant => Init::Mirror,
        Mode::Reflect | Mode::GridMirror | Mode::Nearest => Init::Reflect,
        Mode::GridWrap => Init::Wrap,
    }
}

/// Turns the samples in `c` into B-spline coefficients of `order` (2..=5; other orders leave
/// `c` unchanged) for boundary `mode`.
///
/// The reflect initialisation is the corrected one of scipy >= 1.18: scipy 1.17 sums a value it
/// has already overwritten, which changes results on axes shorter than about 25 samples.
pub fn prefilter_line(c: &mut [f64], order: usize, mode: Mode) {
    let n = c.len();
    prefilter_group::<1>(c, n, order, mode);
}

/// How many lines [`prefilter_lines`] filters side by side.
pub(crate) const INTERLEAVED_LINES: usize = 4;

/// [`prefilter_line`] on every line of `lines` (lines of `n` samples one after another).
///
/// Each recursion is a chain of dependent multiply-adds, so a line alone leaves the processor
/// waiting on each step; four lines are filtered side by side, each with exactly the
/// arithmetic of [`prefilter_line`].
pub fn prefilter_lines(lines: &mut [f64], n: usize, order: usize, mode: Mode) {
    const L: usize = INTERLEAVED_LINES;
    if n == 0 {
        return;
    }
    let mut groups = lines.chunks_exact_mut(L * n);
    for group in &mut groups {
        prefilter_group::<L>(group, n, order, mode);
    }
    for line in groups.into_remainder().chunks_exact_mut(n) {
        prefilter_group::<1>(line, n, order, mode);
    }
}

/// The prefilter of `L` lines of `n` samples held one after another in `c`, interleaved.
fn prefilter_group<const L: usize>(c: &mut [f64], n: usize, order: usize, mode: Mode) {
    let poles = poles(order);
    if n <= 1 || poles.is_empty() {
        return;
    }
    let mut rest = c.chunks_exact_mut(n);
    let mut c: [&mut [f64]; L] = std::array::from_fn(|_| rest.next().expect("L lines"));
    let mut gain = 1.0;
    for &z in poles {
        gain *= (1.0 - z) * (1.0 - 1.0 / z);
    }
    for line in c.iter_mut() {
        for v in line.iter_mut() {
            *v *= gain;
        }
    }
    let init = init_for(mode);
    for &z in poles {
        causal_init(&mut c, z, init);
        for i in 1..n {
            for line in c.iter_mut() {
                line[i] += z * line[i - 1];
            }
        }
        anticausal_init(&mut c, z, init);
        for i in (0..n - 1).rev() {
            for line in c.iter_mut() {
                line[i] = z * (line[i + 1] - line[i]);
            }
        }
    }
}

/// The first coefficient of the causal recursion, for each of `L` lines of `n >= 2` samples.
fn causal_init<const L: usize>(c: &mut [&mut [f64]; L], z: f64, init: Init) {
    let n = c[0].len();
    match init {
        Init::Mirror => {
            let q = z.powf((n - 1) as f64);
            let mut zi = z;
            let mut sum: [f64; L] = std::array::from_fn(|l| c[l][0] + q * c[l][n - 1]);
            for i in 1..n - 1 {
                for (sum, line) in sum.iter_mut().zip(c.iter()) {
                    *sum += zi * (line[i] + q * line[n - 1 - i]);
                }
                zi *= z;
            }
            for (sum, line) in sum.iter().zip(c.iter_mut()) {
                line[0] = sum / (1.0 - q * q);
            }
        }
        Init::Reflect => {
            let zn = z.powf(n as f64);
            let c0: [f64; L] = std::array::from_fn(|l| c[l][0]);
            let mut sum: [f64; L] = std::array::from_fn(|l| c0[l] + zn * c[l][n - 1]);
            let mut zi = z;
            for i in 1..n {
                for (sum, line) in sum.iter_mut().zip(c.iter()) {
                    *sum += zi * (line[i] + zn * line[n - 1 - i]);
                }
                zi *= z;
            }
            for ((sum, c0), line) in sum.iter().zip(c0).zip(c.iter_mut()) {
                line[0] = sum * (z / (1.0 - zn * zn)) + c0;
            }
        }
        Init::Wrap => {
            let mut zi = z;
            for i in 1..n {
                for line in c.iter_mut() {
                    line[0] += zi * line[n - i];
                }
                zi *= z;
            }
            for line in c.iter_mut() {
                line[0] /= 1.0 - zi;
            }
        }
    }
}

/// The last coefficient of the anticausal recursion, for each of `L` lines of `n >= 2`
/// samples.
fn anticausal_init<const L: usize>(c: &mut [&mut [f64]; L], z: f64, init: Init) {
    let n = c[0].len();
    match init {
        Init::Mirror => {
            for line in c.iter_mut() {
                line[n - 1] = ((z * line[n - 2] + line[n - 1]) * z) / (z * z - 1.0);
            }
        }
        Init::Reflect => {
            for line in c.iter_mut() {
                line[n - 1] *= z / (z - 1.0);
            }
        }
        Init::Wrap => {
            let mut zi = z;
            for i in 0..n - 1 {
                for line in c.iter_mut() {
                    line[n - 1] += zi * line[i];
                }
                zi *= z;
            }
            for line in c.iter_mut() {
                line[n - 1] *= z / (zi - 1.0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Evaluates the spline with coefficients `c` at integer position `i` for an interior point:
    /// sum of c[j] * B(i - j), using the same weights routine.
    fn eval_at(c: &[f64], order: usize, i: usize) -> f64 {
        let mut w = [0.0; 6];
        weights(i as f64, order, &mut w);
        let s = i as isize - (order / 2) as isize;
        (0..=order)
            .map(|l| {
                let j = (s + l as isize).clamp(0, c.len() as isize - 1) as usize;
                c[j] * w[l]
            })
            .sum()
    }

    #[test]
    fn floor_is_exact() {
        for x in [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.0,
            -1.0,
            2.5,
            -2.5,
            1e-300,
            -1e-300,
            4503599627370495.5,
            -4503599627370495.5,
            4503599627370496.0,
            1e300,
            -1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.49999999999999994,
            -0.49999999999999994,
        ] {
            assert_eq!(floor(x).to_bits(), x.floor().to_bits(), "{x}");
        }
        assert!(floor(f64::NAN).is_nan());
    }

    #[test]
    fn weights_sum_to_one_and_match_the_bspline() {
        let mut w = [0.0; 6];
        for order in 1..=5 {
            for k in 0..40 {
                let x = -3.0 + k as f64 * 0.173;
                weights(x, order, &mut w);
                let s: f64 = w[..=order].iter().sum();
                assert!((s - 1.0).abs() < 1e-14);
            }
        }
        // Cubic B-spline at integer points: 1/6, 2/3, 1/6.
        weights(2.0, 3, &mut w);
        assert!((w[0] - 1.0 / 6.0).abs() < 1e-16 && (w[1] - 2.0 / 3.0).abs() < 1e-16);
    }

    // Interpolation property: coefficients evaluated at the samples reproduce them.
    #[test]
    fn prefilter_reproduces_samples_in_the_interior() {
        let data: Vec<f64> = (0..60)
            .map(|i| ((i * 37 % 11) as f64).sin() * 10.0)
            .collect();
        for order in 2..=5 {
            for mode in [Mode::Mirror, Mode::Reflect, Mode::GridWrap] {
                let mut c = data.clone();
                prefilter_line(&mut c, order, mode);
                for (i, &d) in data.iter().enumerate().take(50).skip(10) {
                    let v = eval_at(&c, order, i);
                    assert!((v - d).abs() < 1e-12, "{order} {mode:?} {i}");
                }
            }
        }
    }

    #[test]
    fn reflect_reproduces_a_constant_line() {
        // scipy 1.17's aliasing bug gives [1.00063, 0.99987] here.
        for n in 2..8 {
            for order in 2..=5 {
                let mut c = vec![1.0; n];
                prefilter_line(&mut c, order, Mode::Reflect);
                for v in c {
                    assert!((v - 1.0).abs() < 1e-14, "n={n} order={order} v={v}");
                }
            }
        }
    }
}
