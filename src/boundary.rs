//! Boundary modes: how positions outside an axis are mapped back into it.
//!
//! The library's one implementation of boundary handling: filters read positions outside the
//! input through [`map_index`] or [`extend_line`], interpolation maps coordinates through
//! [`remap`] and support points through [`support_index`].

#![forbid(unsafe_code)]

/// How values beyond the edges of the input are obtained (scipy's `mode` argument). The
/// discriminants are the C API's `NDI_MODE_*` codes, a range of their own (0x200 + k) so that
/// a mode passed as an order, an axis or a dtype (or the reverse) is rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum Mode {
    /// `d c b a | a b c d | d c b a` (half-sample symmetric).
    Reflect = 0x200,
    /// `k k k | a b c d | k k k` with `k = cval`.
    Constant = 0x201,
    /// `a a a | a b c d | d d d`.
    Nearest = 0x202,
    /// `d c b | a b c d | c b a` (whole-sample symmetric).
    Mirror = 0x203,
    /// `b c d | a b c d | a b c` (periodic).
    Wrap = 0x204,
    /// As `Constant` for filters; differs only in interpolation.
    GridConstant = 0x205,
    /// As `Reflect` for filters.
    GridMirror = 0x206,
    /// As `Wrap` for filters; differs only in interpolation.
    GridWrap = 0x207,
}

impl Mode {
    /// All modes, in the order of their C codes.
    pub const ALL: [Mode; 8] = [
        Mode::Reflect,
        Mode::Constant,
        Mode::Nearest,
        Mode::Mirror,
        Mode::Wrap,
        Mode::GridConstant,
        Mode::GridMirror,
        Mode::GridWrap,
    ];

    /// scipy's name of the mode.
    pub const fn name(self) -> &'static str {
        match self {
            Mode::Reflect => "reflect",
            Mode::Constant => "constant",
            Mode::Nearest => "nearest",
            Mode::Mirror => "mirror",
            Mode::Wrap => "wrap",
            Mode::GridConstant => "grid-constant",
            Mode::GridMirror => "grid-mirror",
            Mode::GridWrap => "grid-wrap",
        }
    }

    /// Parses scipy's mode name (case-sensitive, as scipy).
    pub fn from_name(name: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.name() == name)
    }
}

impl TryFrom<i32> for Mode {
    type Error = i32;
    /// The mode of a C `NDI_MODE_*` code; the code itself when it is none.
    fn try_from(code: i32) -> Result<Self, i32> {
        Mode::ALL
            .into_iter()
            .find(|&m| m as i32 == code)
            .ok_or(code)
    }
}

/// Maps position `i` on an axis of length `n >= 1` to the index whose value it takes under
/// `mode` for filters, or `None` where the value is `cval`.
///
/// Exact for any distance from the axis (filters wider than the axis included). In particular
/// reflect maps `-2kn` to 0 for every k, where scipy 1.17's offset-table filters read before the
/// line start for k >= 2.
#[inline]
pub fn map_index(i: isize, n: usize, mode: Mode) -> Option<usize> {
    debug_assert!(n >= 1);
    let ni = n as isize;
    if (0..ni).contains(&i) {
        return Some(i as usize);
    }
    let j = match mode {
        Mode::Constant | Mode::GridConstant => return None,
        Mode::Nearest => i.clamp(0, ni - 1),
        Mode::Wrap | Mode::GridWrap => i.rem_euclid(ni),
        Mode::Reflect | Mode::GridMirror => {
            let j = i.rem_euclid(2 * ni);
            if j >= ni {
                2 * ni - 1 - j
            } else {
                j
            }
        }
        Mode::Mirror => {
            if n == 1 {
                0
            } else {
                let j = i.rem_euclid(2 * ni - 2);
                if j >= ni {
                    2 * ni - 2 - j
                } else {
                    j
                }
            }
        }
    };
    Some(j as usize)
}

/// Fills the padding of `line`, whose samples occupy `line[before..before + n]`, by `mode`.
pub fn extend_line<T: Copy>(line: &mut [T], before: usize, n: usize, mode: Mode, cval: T) {
    debug_assert!(before + n <= line.len() && n >= 1);
    let len = line.len();
    for p in (0..before).chain(before + n..len) {
        line[p] = match map_index(p as isize - before as isize, n, mode) {
            Some(j) => line[before + j],
            None => cval,
        };
    }
}

/// [`extend_line`] for `lanes` lines stored interleaved (sample `i` of lane `l` at
/// `buffer[i * lanes + l]`, the lines' samples at rows `before .. before + n`): each padding
/// row is a copy of the row `mode` maps it to, or `cval`.
pub fn extend_interleaved<T: Copy>(
    buffer: &mut [T],
    lanes: usize,
    before: usize,
    n: usize,
    mode: Mode,
    cval: T,
) {
    debug_assert!((before + n) * lanes <= buffer.len() && n >= 1);
    let rows = buffer.len() / lanes.max(1);
    for p in (0..before).chain(before + n..rows) {
        let (at, to) = (p * lanes, (p + 1) * lanes);
        match map_index(p as isize - before as isize, n, mode) {
            Some(j) => buffer.copy_within((before + j) * lanes..(before + j + 1) * lanes, at),
            None => buffer[at..to].fill(cval),
        }
    }
}

// Interpolation (ndimage-semantics.md §3): coordinates, then support points.

/// Maps a coordinate outside `[0, n-1]` back inside for `mode` (ndimage-semantics.md §3.2);
/// `constant` gives the sentinel -1, `nearest` and `grid-constant` are left unchanged.
#[inline(always)]
pub(crate) fn remap(x: f64, n: usize, mode: Mode) -> f64 {
    if (0.0..=n as f64 - 1.0).contains(&x) {
        return x;
    }
    remap_outside(x, n, mode)
}

/// [`remap`] for coordinates outside `[0, n-1]` (and NaN).
#[inline(never)]
pub(crate) fn remap_outside(x: f64, n: usize, mode: Mode) -> f64 {
    if x.is_nan() {
        // Stays NaN, which the caller turns into cval in every remapping mode.
        return x;
    }
    let len = n as f64;
    match mode {
        Mode::Nearest | Mode::GridConstant => x,
        Mode::Constant => -1.0,
        _ if n == 1 => 0.0,
        Mode::Mirror => {
            let p = 2.0 * len - 2.0;
            if x < 0.0 {
                let x = x + p * (-x / p).trunc();
                if x <= 1.0 - len {
                    x + p
                } else {
                    -x
                }
            } else {
                let x = x - p * (x / p).trunc();
                if x >= len {
                    p - x
                } else {
                    x
                }
            }
        }
        Mode::Reflect | Mode::GridMirror => {
            let p = 2.0 * len;
            if x < 0.0 {
                let x = if x < -p { x + p * (-x / p).trunc() } else { x };
                if x < -len {
                    x + p
                } else {
                    (if x > -1e-15 { 1e-15 } else { -x }) - 1.0
                }
            } else {
                let x = x - p * (x / p).trunc();
                if x >= len {
                    p - x - 1.0
                } else {
                    x
                }
            }
        }
        Mode::Wrap => {
            let p = len - 1.0;
            if x < 0.0 {
                x + p * ((-x / p).trunc() + 1.0)
            } else {
                x - p * (x / p).trunc()
            }
        }
        Mode::GridWrap => {
            if x < 0.0 {
                x + len * (((-1.0 - x) / len).trunc() + 1.0)
            } else {
                x - len * (x / len).trunc()
            }
        }
    }
}

/// Index of support point `j` (outside the axis) under `mode` (§3.3).
pub(crate) fn support_index(j: isize, n: usize, mode: Mode) -> usize {
    let m = match mode {
        Mode::Constant | Mode::Wrap => Mode::Mirror,
        Mode::Nearest => return j.clamp(0, n as isize - 1) as usize,
        m => m,
    };
    remap(j as f64, n, m).trunc() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ext(mode: Mode, data: &[f64], before: usize, after: usize) -> Vec<f64> {
        let mut line = vec![f64::NAN; before + data.len() + after];
        line[before..before + data.len()].copy_from_slice(data);
        extend_line(&mut line, before, data.len(), mode, -1.0);
        line
    }

    // The pictures in scipy's documentation of the modes.
    #[test]
    fn documented_patterns() {
        let d = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(
            ext(Mode::Reflect, &d, 4, 4),
            [4., 3., 2., 1., 1., 2., 3., 4., 4., 3., 2., 1.]
        );
        assert_eq!(
            ext(Mode::Mirror, &d, 3, 3),
            [4., 3., 2., 1., 2., 3., 4., 3., 2., 1.]
        );
        assert_eq!(
            ext(Mode::Nearest, &d, 2, 2),
            [1., 1., 1., 2., 3., 4., 4., 4.]
        );
        assert_eq!(
            ext(Mode::Wrap, &d, 3, 3),
            [2., 3., 4., 1., 2., 3., 4., 1., 2., 3.]
        );
        assert_eq!(
            ext(Mode::Constant, &d, 2, 1),
            [-1., -1., 1., 2., 3., 4., -1.]
        );
    }

    // scipy 1.17 maps -4n (and every -2kn, k >= 2) to -1 in reflect mode (reading before the
    // line); the correct half-sample reflection is periodic with period 2n.
    #[test]
    fn reflect_is_periodic_far_to_the_left() {
        for n in 1..6usize {
            for k in 1..5isize {
                let i = -2 * k * n as isize;
                assert_eq!(map_index(i, n, Mode::Reflect), Some(0), "n={n} i={i}");
                assert_eq!(map_index(i - 1, n, Mode::GridMirror), Some(0));
                assert_eq!(map_index(i + n as isize, n, Mode::Reflect), Some(n - 1));
            }
        }
    }

    #[test]
    fn length_one_axes_repeat_the_value() {
        for m in [
            Mode::Reflect,
            Mode::Mirror,
            Mode::Nearest,
            Mode::Wrap,
            Mode::GridWrap,
        ] {
            for i in -7..7 {
                assert_eq!(map_index(i, 1, m), Some(0));
            }
        }
    }
}
