//! Boundary modes: how positions outside an axis are mapped back into it.
//!
//! This is the library's one implementation of boundary extension for filters; every filter
//! reads positions outside the input through [`map_index`] or [`extend_line`].

/// How values beyond the edges of the input are obtained (scipy's `mode` argument).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// `d c b a | a b c d | d c b a` (half-sample symmetric).
    Reflect,
    /// `k k k | a b c d | k k k` with `k = cval`.
    Constant,
    /// `a a a | a b c d | d d d`.
    Nearest,
    /// `d c b | a b c d | c b a` (whole-sample symmetric).
    Mirror,
    /// `b c d | a b c d | a b c` (periodic).
    Wrap,
    /// As `Constant` for filters; differs only in interpolation.
    GridConstant,
    /// As `Reflect` for filters.
    GridMirror,
    /// As `Wrap` for filters; differs only in interpolation.
    GridWrap,
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
pub fn extend_line(line: &mut [f64], before: usize, n: usize, mode: Mode, cval: f64) {
    debug_assert!(before + n <= line.len() && n >= 1);
    let len = line.len();
    for p in (0..before).chain(before + n..len) {
        line[p] = match map_index(p as isize - before as isize, n, mode) {
            Some(j) => line[before + j],
            None => cval,
        };
    }
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
