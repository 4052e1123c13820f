//! `watershed_ift`: the image foresting transform with the max-arc path cost, by scipy's
//! bucket queue (one queue per grey level) and its order, made correct.
//!
//! Markers have cost 0 and are queued in C order, positive ones at the front, negative ones at
//! the back; every other element starts at `max + 1` (the image maximum plus one). Levels are
//! processed in increasing order; the front element of the current level is taken, marked done,
//! and each neighbour it is connected to (the structure's offsets in C order) that is not done
//! and whose cost `max(cost, |I[p] - I[v]|)` it lowers takes its label and moves to the queue
//! of its new cost: at the back if the label is negative, at the front otherwise.
//!
//! scipy's version of this has two bugs, which this one does not copy: neighbours are found by
//! flat index, so they wrap across the ends of rows (and the other axes); and an element that
//! is the only one of its queue is never unlinked from it, which corrupts the queues (elements
//! processed twice or never reached). Here the neighbours are checked axis by axis (or lie
//! in a border of done elements) and the queues are linked lists with proper removal; an
//! element never reached keeps its marker value, 0.
//!
//! The transform is sequential: it runs on the calling thread.

#![forbid(unsafe_code)]

use super::structure::Connectivity;
use crate::array::dtype::Native;
use crate::array::{advance, ArrayMut, ArrayRef, AsInput, AsOutput, DType};
use crate::engine::Footprint;
use crate::error::{try_vec, Error};
use crate::parallel::Stop;

/// No element (end of a list).
const NIL: u32 = u32::MAX;

/// The grey levels watershed reads (scipy: uint8 and uint16 only).
trait Grey: Native {
    fn level(self) -> u32;
}

impl Grey for u8 {
    #[inline(always)]
    fn level(self) -> u32 {
        self as u32
    }
}

impl Grey for u16 {
    #[inline(always)]
    fn level(self) -> u32 {
        self as u32
    }
}

/// The signed integer types of markers and outputs.
trait Marker: Native {
    fn from_i64(v: i64) -> Self;
    fn is_negative(self) -> bool;
    fn value(self) -> i64;
}

macro_rules! marker {
    ($($t:ty),*) => {$(
        impl Marker for $t {
            #[inline(always)]
            fn from_i64(v: i64) -> Self { v as $t }
            #[inline(always)]
            fn is_negative(self) -> bool { self < 0 }
                    #[inline(always)]
            fn value(self) -> i64 { self as i64 }
        }
    )*};
}
marker!(i8, i16, i32, i64);

macro_rules! with_signed {
    ($dtype:expr, $what:expr, $T:ident => $body:expr) => {
        match $dtype {
            DType::Int8 => {
                type $T = i8;
                $body
            }
            DType::Int16 => {
                type $T = i16;
                $body
            }
            DType::Int32 => {
                type $T = i32;
                $body
            }
            DType::Int64 => {
                type $T = i64;
                $body
            }
            other => {
                return Err(Error::InvalidArray(format!(
                    "{}: element type must be a signed integer type (int8 to int64), not {}",
                    $what,
                    other.name()
                )))
            }
        }
    };
}

/// scipy.ndimage.watershed_ift: labels every element of `input` (uint8 or uint16) from the
/// `markers` (a signed integer array of the same shape; 0 = no marker) by the image foresting
/// transform, into `output` (a signed integer array of the same shape; the marker values are
/// converted to its type as a C cast, and the converted values propagate).
///
/// `structure` (NULL: the face neighbours) must have the input's rank and an extent of 3 on
/// every axis; its centre is ignored. Any rank works (scipy stops at 7).
///
/// Memory: 16 bytes per element (queue links, cost, grey level) and the labels in the output's
/// type, over the array with a border of one element per side when that adds little; two
/// words per grey level.
pub fn watershed_ift<'a>(
    input: impl AsInput<'a>,
    markers: impl AsInput<'a>,
    output: impl AsOutput<'a>,
    structure: Option<&Footprint>,
) -> Result<(), Error> {
    let (input, markers, mut output) = (
        input.into_input(),
        markers.into_input(),
        output.into_output(),
    );
    crate::args::at_least_rank_1(input.rank(), "input")?;
    if !matches!(input.dtype(), DType::UInt8 | DType::UInt16) {
        return Err(Error::InvalidArray(format!(
            "input: element type must be uint8 or uint16, not {}",
            input.dtype().name()
        )));
    }
    if markers.shape() != input.shape() {
        return Err(Error::ShapeMismatch(format!(
            "markers shape {:?} differs from input shape {:?}",
            markers.shape(),
            input.shape()
        )));
    }
    if output.shape() != input.shape() {
        return Err(Error::ShapeMismatch(format!(
            "output shape {:?} differs from input shape {:?}",
            output.shape(),
            input.shape()
        )));
    }
    with_signed!(markers.dtype(), "markers", M => { let _ = M::default(); });
    let rank = input.rank();
    let connectivity = match structure {
        Some(s) => Connectivity::from_footprint(s, rank, false)?,
        None => Connectivity::faces(rank),
    };
    if input.layout().len() >= NIL as usize {
        return Err(Error::InvalidArray(format!(
            "input: {} elements are too many for watershed_ift (at most {})",
            input.layout().len(),
            NIL - 1
        )));
    }
    with_signed!(output.dtype(), "output", T => {
        match input.dtype() {
            DType::UInt8 => transform::<u8, T>(&input, &markers, &mut output, &connectivity),
            _ => transform::<u16, T>(&input, &markers, &mut output, &connectivity),
        }
    })
}

/// One element of the working space, packed so that processing it and testing it as a
/// neighbour read one place: its queue links, its cost (`DONE` once processed) and its
/// label, as the number of its distinct value (labels are marker values; there are few).
#[derive(Clone, Copy)]
struct Node {
    next: u32,
    prev: u32,
    cost: u32,
    label: u32,
}

/// The cost of an element that has been processed (or lies in the border).
const DONE: u32 = u32::MAX;

/// The bucket queue: a doubly linked list per level through the nodes (scipy's structure,
/// with the removal that scipy gets wrong for an element alone in its list).
struct Queues {
    head: Vec<u32>,
    tail: Vec<u32>,
}

impl Queues {
    #[inline(always)]
    fn push_front(&mut self, nodes: &mut [Node], level: usize, p: u32) {
        let h = self.head[level];
        let node = &mut nodes[p as usize];
        node.prev = NIL;
        node.next = h;
        if h == NIL {
            self.tail[level] = p;
        } else {
            nodes[h as usize].prev = p;
        }
        self.head[level] = p;
    }

    #[inline(always)]
    fn push_back(&mut self, nodes: &mut [Node], level: usize, p: u32) {
        let t = self.tail[level];
        let node = &mut nodes[p as usize];
        node.next = NIL;
        node.prev = t;
        if t == NIL {
            self.head[level] = p;
        } else {
            nodes[t as usize].next = p;
        }
        self.tail[level] = p;
    }

    #[inline(always)]
    fn pop_front(&mut self, nodes: &mut [Node], level: usize) -> Option<u32> {
        let h = self.head[level];
        if h == NIL {
            return None;
        }
        let n = nodes[h as usize].next;
        self.head[level] = n;
        if n == NIL {
            self.tail[level] = NIL;
        } else {
            nodes[n as usize].prev = NIL;
        }
        Some(h)
    }

    #[inline(always)]
    fn remove(&mut self, nodes: &mut [Node], level: usize, p: u32) {
        let Node {
            prev: pr, next: nx, ..
        } = nodes[p as usize];
        if pr == NIL {
            self.head[level] = nx;
        } else {
            nodes[pr as usize].next = nx;
        }
        if nx == NIL {
            self.tail[level] = pr;
        } else {
            nodes[nx as usize].prev = pr;
        }
    }
}

/// The index space the transform works in: the array itself, or (when that costs little
/// memory) the array with a border of one element on every side, so that no neighbour of an
/// element that is processed lies outside and no bounds need checking; border elements are
/// marked done and never change.
struct Grid {
    shape: Vec<usize>,
    /// C-order strides of the working space.
    strides: Vec<usize>,
    padded: bool,
    len: usize,
}

impl Grid {
    fn new(shape: &[usize]) -> Grid {
        let n: usize = shape.iter().product();
        let padded_len = shape
            .iter()
            .try_fold(1usize, |acc, &s| acc.checked_mul(s + 2))
            .filter(|&p| p <= 2 * n + 64 && p < NIL as usize);
        let padded = padded_len.is_some();
        let space: Vec<usize> = shape
            .iter()
            .map(|&s| if padded { s + 2 } else { s })
            .collect();
        let mut strides = vec![1usize; shape.len()];
        for a in (0..shape.len().saturating_sub(1)).rev() {
            strides[a] = strides[a + 1] * space[a + 1];
        }
        Grid {
            shape: shape.to_vec(),
            len: padded_len.unwrap_or(n),
            strides,
            padded,
        }
    }

    /// The working index of the first element of the line at `index` (original coordinates,
    /// last one 0).
    fn line_start(&self, index: &[usize]) -> usize {
        let shift = usize::from(self.padded);
        index
            .iter()
            .zip(&self.strides)
            .map(|(&i, &s)| (i + shift) * s)
            .sum()
    }
}

fn transform<I: Grey, T: Marker>(
    input: &ArrayRef<'_>,
    markers: &ArrayRef<'_>,
    output: &mut ArrayMut<'_>,
    connectivity: &Connectivity,
) -> Result<(), Error> {
    let shape = input.shape().to_vec();
    let rank = shape.len();
    let last = rank - 1;
    if input.layout().is_empty() {
        return Ok(());
    }
    let grid = Grid::new(&shape);
    let len = grid.len;
    let line = shape[last];
    // The grey levels, line by line into the working space; the border (when padded) is
    // done from the start.
    let border = Node {
        next: NIL,
        prev: NIL,
        cost: DONE,
        label: 0,
    };
    let mut nodes = try_vec(len, border, "the queue nodes")?;
    let mut grey = try_vec(len, I::default(), "the grey levels")?;
    let mut maxval = 0u32;
    {
        let mut buffer = vec![I::default(); line];
        let mut index = vec![0usize; rank];
        loop {
            input.read_run_as(&index, last, 0, &mut buffer);
            let start = grid.line_start(&index);
            grey[start..start + line].copy_from_slice(&buffer);
            maxval = buffer.iter().fold(maxval, |m, g| m.max(g.level()));
            if !advance(&mut index, &shape, Some(last)) {
                break;
            }
        }
    }
    let levels = maxval as usize + 1;
    // The distinct label values (the markers' values in the output's type; 0 first).
    let mut table: Vec<T> = vec![T::from_i64(0)];
    let mut ids: std::collections::HashMap<i64, u32> = std::collections::HashMap::new();
    let mut queues = Queues {
        head: try_vec(levels, NIL, "the queue heads")?,
        tail: try_vec(levels, NIL, "the queue tails")?,
    };
    // Markers: cost 0, queued in C order (positive at the front, negative at the back), their
    // value converted to the output's type as the label.
    with_signed!(markers.dtype(), "markers", M => {
        let mut buffer = vec![M::default(); line];
        let mut index = vec![0usize; rank];
        loop {
            markers.read_run_as(&index, last, 0, &mut buffer);
            let start = grid.line_start(&index);
            for (k, &m) in buffer.iter().enumerate() {
                let p = start + k;
                let v = m.value();
                let node = &mut nodes[p];
                if v == 0 {
                    node.cost = levels as u32;
                    node.label = 0;
                    continue;
                }
                node.cost = 0;
                let value = T::from_i64(v);
                node.label = *ids.entry(value.value()).or_insert_with(|| {
                    table.push(value);
                    (table.len() - 1) as u32
                });
                if v > 0 {
                    queues.push_front(&mut nodes, 0, p as u32);
                } else if v < 0 {
                    queues.push_back(&mut nodes, 0, p as u32);
                }
            }
            if !advance(&mut index, &shape, Some(last)) {
                break;
            }
        }
    });
    let offsets = connectivity.offsets();
    let steps: Vec<isize> = offsets
        .iter()
        .map(|o| {
            o.iter()
                .zip(&grid.strides)
                .map(|(&d, &s)| d * s as isize)
                .sum()
        })
        .collect();
    if table.len() >= NIL as usize {
        return Err(Error::InvalidArgument("too many distinct markers".into()));
    }
    let negative: Vec<bool> = table.iter().map(|t| t.is_negative()).collect();
    let state = Flood {
        nodes: &mut nodes,
        grey: &grey,
        negative: &negative,
        queues: &mut queues,
    };
    if grid.padded {
        state.run::<true>(&grid, &offsets, &steps, levels)?;
    } else {
        state.run::<false>(&grid, &offsets, &steps, levels)?;
    }
    // The labels, line by line.
    let mut index = vec![0usize; rank];
    let mut values = vec![T::default(); line];
    loop {
        let start = grid.line_start(&index);
        for (v, node) in values.iter_mut().zip(&nodes[start..start + line]) {
            *v = table[node.label as usize];
        }
        output.store_run_as(&index, last, 0, &values);
        if !advance(&mut index, &shape, Some(last)) {
            break;
        }
    }
    Ok(())
}

/// The transform's state over the working space.
struct Flood<'s, I> {
    nodes: &'s mut [Node],
    grey: &'s [I],
    /// Whether each distinct label is negative (its elements queue at the back).
    negative: &'s [bool],
    queues: &'s mut Queues,
}

impl<I: Grey> Flood<'_, I> {
    /// Processes the levels in order. `PADDED`: the working space has a done border, so every
    /// neighbour exists; otherwise each is checked axis by axis.
    fn run<const PADDED: bool>(
        self,
        grid: &Grid,
        offsets: &[Vec<isize>],
        steps: &[isize],
        levels: usize,
    ) -> Result<(), Error> {
        let Flood {
            nodes,
            grey,
            negative,
            queues,
        } = self;
        let rank = grid.shape.len();
        let stop = Stop::new(grid.len as u64);
        let mut coords = vec![0usize; rank];
        let mut popped = 0u64;
        for level in 0..levels {
            while let Some(v) = queues.pop_front(nodes, level) {
                let vi = v as usize;
                let node = &mut nodes[vi];
                let (vcost, vlabel) = (node.cost, node.label);
                node.cost = DONE;
                let vgrey = grey[vi].level();
                let back = negative[vlabel as usize];
                if !PADDED {
                    let mut rest = vi;
                    for a in (0..rank).rev() {
                        coords[a] = rest % grid.shape[a];
                        rest /= grid.shape[a];
                    }
                }
                for (k, &step) in steps.iter().enumerate() {
                    if !PADDED {
                        let inside = offsets[k].iter().zip(&coords).zip(&grid.shape).all(
                            |((&d, &c), &n)| {
                                let c = c as isize + d;
                                c >= 0 && (c as usize) < n
                            },
                        );
                        if !inside {
                            continue;
                        }
                    }
                    let p = vi.wrapping_add_signed(step);
                    let pcost = nodes[p].cost;
                    if pcost == DONE {
                        continue;
                    }
                    let m = vcost.max(vgrey.abs_diff(grey[p].level()));
                    if m < pcost {
                        let node = &mut nodes[p];
                        node.cost = m;
                        node.label = vlabel;
                        if (pcost as usize) < levels {
                            queues.remove(nodes, pcost as usize, p as u32);
                        }
                        if back {
                            queues.push_back(nodes, m as usize, p as u32);
                        } else {
                            queues.push_front(nodes, m as usize, p as u32);
                        }
                    }
                }
                popped += 1;
                if popped % 4096 == 0 && stop.tick(4096) {
                    return Err(Error::Cancelled(
                        "cancelled by the progress callback".into(),
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2};

    #[test]
    fn neighbours_do_not_wrap_across_rows() {
        // scipy's wrap-around gives (1, 0) label 2 through the row end; the wall of 9s keeps
        // it 1 here.
        let input = array![[3u8, 9, 0], [0, 9, 0]];
        let markers = array![[1i32, 0, 2], [0, 0, 0]];
        let mut out = Array2::<i32>::zeros((2, 3));
        watershed_ift(&input, &markers, &mut out, None).unwrap();
        assert_eq!(out, array![[1, 1, 2], [1, 1, 2]]);
    }

    #[test]
    fn every_element_is_reached() {
        let input = Array2::<u16>::from_shape_fn((8, 4), |(i, j)| ((i * 7 + j * 3) % 5) as u16);
        let mut markers = Array2::<i8>::zeros((8, 4));
        markers[[0, 0]] = -1;
        let full = Footprint::from_size(&[3, 3]).unwrap();
        let mut out = Array2::<i8>::zeros((8, 4));
        watershed_ift(&input, &markers, &mut out, Some(&full)).unwrap();
        assert!(out.iter().all(|&v| v == -1));
    }
}
