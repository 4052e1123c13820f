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
//! processed twice or never reached). Here the neighbours are checked axis by axis and the
//! queues are proper doubly linked lists; an element never reached keeps its marker value, 0.
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
/// Memory: about 13 bytes per element (queue links, costs, flags), the input's grey levels and
/// the labels in the output's type, and two pointers per grey level.
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

/// Reads a whole array in C order, natively.
fn read_all<T: Native>(array: &ArrayRef<'_>, out: &mut Vec<T>) {
    let rank = array.rank();
    let last = rank - 1;
    let n = array.shape()[last];
    let mut line = vec![T::default(); n];
    let mut index = vec![0usize; rank];
    loop {
        array.read_run_as(&index, last, 0, &mut line);
        out.extend_from_slice(&line);
        if !advance(&mut index, array.shape(), Some(last)) {
            break;
        }
    }
}

/// The bucket queue: a doubly linked list per level over the elements.
struct Queues {
    next: Vec<u32>,
    prev: Vec<u32>,
    head: Vec<u32>,
    tail: Vec<u32>,
}

impl Queues {
    #[inline(always)]
    fn push_front(&mut self, level: usize, p: u32) {
        let h = self.head[level];
        self.prev[p as usize] = NIL;
        self.next[p as usize] = h;
        if h == NIL {
            self.tail[level] = p;
        } else {
            self.prev[h as usize] = p;
        }
        self.head[level] = p;
    }

    #[inline(always)]
    fn push_back(&mut self, level: usize, p: u32) {
        let t = self.tail[level];
        self.next[p as usize] = NIL;
        self.prev[p as usize] = t;
        if t == NIL {
            self.head[level] = p;
        } else {
            self.next[t as usize] = p;
        }
        self.tail[level] = p;
    }

    #[inline(always)]
    fn pop_front(&mut self, level: usize) -> Option<u32> {
        let h = self.head[level];
        if h == NIL {
            return None;
        }
        let n = self.next[h as usize];
        self.head[level] = n;
        if n == NIL {
            self.tail[level] = NIL;
        } else {
            self.prev[n as usize] = NIL;
        }
        Some(h)
    }

    #[inline(always)]
    fn remove(&mut self, level: usize, p: u32) {
        let (pr, nx) = (self.prev[p as usize], self.next[p as usize]);
        if pr == NIL {
            self.head[level] = nx;
        } else {
            self.next[pr as usize] = nx;
        }
        if nx == NIL {
            self.tail[level] = pr;
        } else {
            self.prev[nx as usize] = pr;
        }
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
    let n = input.layout().len();
    if n == 0 {
        return Ok(());
    }
    let mut grey: Vec<I> = Vec::new();
    grey.try_reserve_exact(n)
        .map_err(|_| Error::OutOfMemory("cannot allocate the grey levels".into()))?;
    read_all(input, &mut grey);
    let maxval = grey.iter().map(|g| g.level()).max().unwrap_or(0) as usize;
    let levels = maxval + 1;
    let mut labels: Vec<T> = Vec::new();
    labels
        .try_reserve_exact(n)
        .map_err(|_| Error::OutOfMemory("cannot allocate the labels".into()))?;
    let mut cost = try_vec(n, levels as u32, "the costs")?;
    let mut done = try_vec(n, false, "the done flags")?;
    let mut queues = Queues {
        next: try_vec(n, NIL, "the queue links")?,
        prev: try_vec(n, NIL, "the queue links")?,
        head: try_vec(levels, NIL, "the queue heads")?,
        tail: try_vec(levels, NIL, "the queue tails")?,
    };
    // Markers: cost 0, queued in C order (positive at the front, negative at the back), their
    // value converted to the output's type as the label.
    with_signed!(markers.dtype(), "markers", M => {
        let mut marks: Vec<M> = Vec::new();
        marks.try_reserve_exact(n).map_err(|_| Error::OutOfMemory("cannot read the markers".into()))?;
        read_all(markers, &mut marks);
        for (p, &m) in marks.iter().enumerate() {
            let v = m.value();
            labels.push(T::from_i64(v));
            if v != 0 {
                cost[p] = 0;
                if v > 0 {
                    queues.push_front(0, p as u32);
                } else {
                    queues.push_back(0, p as u32);
                }
            }
        }
    });
    // The neighbours: offsets per axis and as flat C-order steps.
    let offsets = connectivity.offsets();
    let mut strides = vec![1isize; rank];
    for a in (0..rank.saturating_sub(1)).rev() {
        strides[a] = strides[a + 1] * shape[a + 1] as isize;
    }
    let steps: Vec<isize> = offsets
        .iter()
        .map(|o| o.iter().zip(&strides).map(|(&d, &s)| d * s).sum())
        .collect();
    let stop = Stop::new(n as u64);
    let mut coords = vec![0usize; rank];
    let mut popped = 0u64;
    for level in 0..levels {
        while let Some(v) = queues.pop_front(level) {
            let vi = v as usize;
            done[vi] = true;
            // The element's coordinates, for the bounds of its neighbours.
            let mut rest = vi;
            for a in (0..rank).rev() {
                coords[a] = rest % shape[a];
                rest /= shape[a];
            }
            let (vcost, vgrey, vlabel) = (cost[vi], grey[vi].level(), labels[vi]);
            for (o, &step) in offsets.iter().zip(&steps) {
                let inside = o.iter().zip(&coords).zip(&shape).all(|((&d, &c), &len)| {
                    let c = c as isize + d;
                    c >= 0 && (c as usize) < len
                });
                if !inside {
                    continue;
                }
                let p = (vi as isize + step) as usize;
                if done[p] {
                    continue;
                }
                let w = vgrey.abs_diff(grey[p].level());
                let m = vcost.max(w);
                let pcost = cost[p];
                if m < pcost {
                    cost[p] = m;
                    labels[p] = vlabel;
                    if (pcost as usize) < levels {
                        queues.remove(pcost as usize, p as u32);
                    }
                    if vlabel.is_negative() {
                        queues.push_back(m as usize, p as u32);
                    } else {
                        queues.push_front(m as usize, p as u32);
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
    // The labels, line by line.
    let last = rank - 1;
    let len = shape[last];
    let mut index = vec![0usize; rank];
    for line in labels.chunks(len) {
        output.store_run_as(&index, last, 0, line);
        if !advance(&mut index, &shape, Some(last)) {
            break;
        }
    }
    Ok(())
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
