//! Walking the lines of an array along one axis, a block of adjacent lines at a time.
//!
//! A line along a strided axis is scattered in memory; reading 4 to 32 lines that are neighbours
//! along the most contiguous other axis together ([`super::ArrayRef::read_lines`]) walks memory
//! in order instead. The line pass engine (`crate::engine::line_pass`) iterates with
//! [`LineBlocks`].

#![forbid(unsafe_code)]

/// Most lines per block when blocking helps, and the fewest.
const MAX_LANES: usize = 32;
const MIN_LANES: usize = 4;

/// Values per block that set the lane count between those bounds: 64 Ki values (512 KiB of
/// float64), so that a pass's block buffers stay small and cached whatever the line length.
const BLOCK_VALUES: usize = 1 << 16;

/// The lines along `axis` of an array of shape `shape`, in blocks of up to `lanes` lines at
/// consecutive indices of `lane_axis` (one line per block when there is no such axis).
#[derive(Clone, Debug)]
pub struct LineBlocks {
    shape: Vec<usize>,
    blocks: Vec<usize>,
    block: Vec<usize>,
    axis: usize,
    lane_axis: Option<usize>,
    lanes: usize,
    done: bool,
}

impl LineBlocks {
    /// Blocks for lines along `axis` of an array with `shape` and byte `strides`: lanes run
    /// along the other axis with the smallest stride, when it is smaller than `axis`'s. Where
    /// lines along `axis` are the contiguous ones, blocks still hold up to `min_lanes` lines
    /// along that other axis, for passes that work on several lines side by side (the spline
    /// prefilter).
    ///
    /// With `c_order`, the lines come in C order of the other axes (for callbacks, whose calls
    /// are documented in that order): lanes then run only along the last of the other axes.
    pub fn new(
        shape: &[usize],
        strides: &[isize],
        axis: usize,
        min_lanes: usize,
        c_order: bool,
    ) -> Self {
        let mut others = (0..shape.len()).filter(|&a| a != axis);
        let nearest = if c_order {
            others.next_back()
        } else {
            others.min_by_key(|&a| strides[a].unsigned_abs())
        };
        let (lane_axis, lanes) = match nearest {
            Some(a) if strides[a].unsigned_abs() < strides[axis].unsigned_abs() => {
                // Longer runs along the lane axis read memory faster; the budget bounds them.
                let lanes = (BLOCK_VALUES / shape[axis].max(1)).clamp(MIN_LANES, MAX_LANES);
                (Some(a), lanes.max(min_lanes))
            }
            Some(a) if min_lanes > 1 => (Some(a), min_lanes),
            _ => (None, 1),
        };
        let mut blocks = shape.to_vec();
        if let Some(l) = lane_axis {
            blocks[l] = shape[l].div_ceil(lanes);
        }
        LineBlocks {
            done: shape.contains(&0),
            shape: shape.to_vec(),
            block: vec![0; shape.len()],
            blocks,
            axis,
            lane_axis,
            lanes,
        }
    }

    /// The axis the lanes of a block run along (`None`: blocks of one line).
    pub fn lane_axis(&self) -> Option<usize> {
        self.lane_axis
    }

    /// Most lines in one block.
    pub fn max_lanes(&self) -> usize {
        self.lanes
    }

    /// Writes the index of the next block's first line into `index` (`index[axis]` is 0) and
    /// returns its number of lines, or `None` after the last block.
    pub fn next_block(&mut self, index: &mut [usize]) -> Option<usize> {
        if self.done {
            return None;
        }
        index.copy_from_slice(&self.block);
        let mut lanes = 1;
        if let Some(l) = self.lane_axis {
            index[l] = self.block[l] * self.lanes;
            lanes = self.lanes.min(self.shape[l] - index[l]);
        }
        self.done = !super::layout::advance(&mut self.block, &self.blocks, Some(self.axis));
        Some(lanes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cover_every_line_once() {
        // Lines along axis 0 of a C-order 5x37x3 array: lanes along axis 2 (stride 8).
        let shape = [5, 37, 3];
        let strides = [37 * 3 * 8, 3 * 8, 8];
        let mut seen = vec![0; 37 * 3];
        let mut walk = LineBlocks::new(&shape, &strides, 0, 1, false);
        assert_eq!(walk.lane_axis(), Some(2));
        let mut index = [0; 3];
        while let Some(lanes) = walk.next_block(&mut index) {
            assert_eq!(index[0], 0);
            for b in 0..lanes {
                seen[index[1] * 3 + index[2] + b] += 1;
            }
        }
        assert!(seen.iter().all(|&c| c == 1));
        // Lines along the contiguous axis: one line per block.
        let walk = LineBlocks::new(&shape, &strides, 2, 1, false);
        assert_eq!((walk.lane_axis(), walk.max_lanes()), (None, 1));
    }

    #[test]
    fn c_order_blocks_keep_the_lines_in_c_order() {
        // A Fortran-order 2x3x4 array, lines along axis 1: C order of the other axes is
        // (0,0), (0,1), ..., (1,3), whatever the strides.
        let shape = [2, 3, 4];
        let strides = [8, 16, 48];
        let mut walk = LineBlocks::new(&shape, &strides, 1, 1, true);
        let mut index = [0; 3];
        let mut order = Vec::new();
        while let Some(lanes) = walk.next_block(&mut index) {
            for b in 0..lanes {
                order.push((index[0], index[2] + b));
            }
        }
        let c_order: Vec<_> = (0..2).flat_map(|i| (0..4).map(move |k| (i, k))).collect();
        assert_eq!(order, c_order);
        // Unordered, the lanes run along axis 0 (the smallest stride) and the order differs.
        let walk = LineBlocks::new(&shape, &strides, 1, 1, false);
        assert_eq!(walk.lane_axis(), Some(0));
    }

    #[test]
    fn block_buffers_stay_bounded() {
        // Short lines: the most lanes; long ones: fewer, down to the minimum.
        for (n, lanes) in [(100, MAX_LANES), (4096, 16), (1 << 24, MIN_LANES)] {
            let walk = LineBlocks::new(&[n, 64], &[64 * 8, 8], 0, 1, false);
            assert_eq!(walk.max_lanes(), lanes, "n = {n}");
        }
    }
}
