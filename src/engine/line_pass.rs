//! The line pass (scipy's line buffer): every line of an array along one axis is read into a
//! buffer, extended by the boundary mode, run through a kernel, and written back.
//!
//! Lines are read and written in blocks of adjacent lines ([`LineBlocks`]), which walks strided
//! memory in order; the work is shared out among threads by [`for_each_part`]; a failing kernel
//! stops the pass, the lines before it stay written and the error names the failing line. Every
//! 1-D filter (`generic_filter1d`, the spline prefilter, correlate1d, uniform, minimum and
//! maximum along an axis, ...) is a kernel on this engine.

#![forbid(unsafe_code)]

use crate::array::dtype::{with_native, Native};
use crate::array::lines::LineBlocks;
use crate::array::{ArrayMut, ArrayRef, StoreRule};
use crate::boundary::{extend_interleaved, extend_line, map_index, Mode};
use crate::error::{ensure_allocatable, try_vec, CallbackError, Error};
use crate::parallel::{for_each_part, run_here, Stop};

/// How a line is extended before its kernel sees it: `before` samples in front and `after`
/// behind, by `mode` (`cval` for the constant modes).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pad {
    pub before: usize,
    pub after: usize,
    pub mode: Mode,
    pub cval: f64,
}

impl Pad {
    /// No extension.
    pub const NONE: Pad = Pad {
        before: 0,
        after: 0,
        mode: Mode::Nearest,
        cval: 0.0,
    };
}

/// One pass over the lines of an array along `axis`.
#[derive(Clone, Copy, Debug)]
pub struct LinePass<'n> {
    pub axis: usize,
    pub pad: Pad,
    /// How results are stored into the output's element type.
    pub store: StoreRule,
    /// Visit the lines in C order of the other axes (on one thread): for callbacks, whose
    /// calls are documented in that order. Otherwise in whatever order reads memory fastest.
    pub c_order: bool,
    /// Lines the kernel wants side by side per block, at least ([`LineBlocks::new`]).
    pub min_lanes: usize,
    /// The function's name, for the error of a failing kernel.
    pub name: &'n str,
}

impl<'n> LinePass<'n> {
    /// A pass along `axis` with `pad`, truncating stores, any line order.
    pub fn new(name: &'n str, axis: usize, pad: Pad) -> Self {
        LinePass {
            axis,
            pad,
            store: StoreRule::Truncate,
            c_order: false,
            min_lanes: 1,
            name,
        }
    }
}

/// A 1-D filter: from one line extended by the pass's [`Pad`] (`line`, of length
/// `n + before + after`; the kernel may overwrite it), the `n` results (`out`, which holds the
/// previous line's results on entry: zeros for the first line of each part of the work).
pub trait LineKernel {
    fn line(&mut self, line: &mut [f64], out: &mut [f64]) -> Result<(), CallbackError>;
}

impl<F> LineKernel for F
where
    F: FnMut(&mut [f64], &mut [f64]) -> Result<(), CallbackError>,
{
    #[inline]
    fn line(&mut self, line: &mut [f64], out: &mut [f64]) -> Result<(), CallbackError> {
        self(line, out)
    }
}

/// A kernel over whole blocks: `lanes` lines of `n` samples held one after another, replaced
/// by their results in place (no padding: for kernels that work on several lines side by side,
/// such as the spline prefilter).
pub trait BlockKernel {
    fn block(&mut self, lines: &mut [f64], n: usize);
}

/// A 1-D filter over a block of `lanes` neighbouring lines held **interleaved** and extended
/// by the pass's [`Pad`]: sample `i` (`0 .. before + n + after`) of lane `l` is
/// `input[i * lanes + l]`, and result `i` (`0 .. n`) of lane `l` goes to `out[i * lanes + l]`.
/// A kernel loops over the lanes innermost, so that it vectorises across lines with each
/// line's (each output's) operations in their own order: the way to make a serial
/// recurrence (a running sum) or a pass along a strided axis fast.
pub trait LanesKernel {
    fn lanes(&mut self, input: &[f64], lanes: usize, out: &mut [f64]);
}

/// Lines per block of an interleaved pass, at least (up to `LineBlocks`' maximum along a
/// strided axis).
pub const INTERLEAVED_LANES: usize = 8;

/// Runs `make()`'s kernel over every line of `output` along `pass.axis`, reading from `input`
/// (or, with `None`, from `output` itself: each line is read whole before it is written), on
/// `threads` threads. `make` is called once per part of the work.
pub fn filter_lines<M, K>(
    input: Option<&ArrayRef<'_>>,
    output: &mut ArrayMut<'_>,
    pass: &LinePass<'_>,
    threads: usize,
    make: M,
) -> Result<(), Error>
where
    M: Fn() -> K + Sync,
    K: LineKernel,
{
    let n = line_length(output, pass)?;
    for_each_part(
        output,
        Some(pass.axis),
        threads,
        |part, part_axis, start, stop| {
            let mut worker = Padded::new(make(), pass.pad, n)?;
            run_part(input, part, part_axis, start, pass, &mut worker, stop)
        },
    )
}

/// [`filter_lines`] on the calling thread with one kernel (which need not be `Sync`, and is
/// called in the order `pass.c_order` says).
pub fn filter_lines_here<K: LineKernel>(
    input: Option<&ArrayRef<'_>>,
    output: &mut ArrayMut<'_>,
    pass: &LinePass<'_>,
    kernel: K,
) -> Result<(), Error> {
    let n = line_length(output, pass)?;
    let mut worker = Padded::new(kernel, pass.pad, n)?;
    run_here(output.layout().len() as u64, |stop| {
        run_part(input, output, 0, 0, pass, &mut worker, stop)
    })
}

/// Runs `make()`'s block kernel over every line of `output` along `pass.axis` (whose pad must
/// be [`Pad::NONE`]), as [`filter_lines`].
pub fn transform_blocks<M, K>(
    input: Option<&ArrayRef<'_>>,
    output: &mut ArrayMut<'_>,
    pass: &LinePass<'_>,
    threads: usize,
    make: M,
) -> Result<(), Error>
where
    M: Fn() -> K + Sync,
    K: BlockKernel,
{
    assert_eq!(pass.pad, Pad::NONE, "block kernels see unpadded lines");
    line_length(output, pass)?;
    for_each_part(
        output,
        Some(pass.axis),
        threads,
        |part, part_axis, start, stop| {
            let mut worker = Blocks {
                kernel: make(),
                block: Vec::new(),
            };
            run_part(input, part, part_axis, start, pass, &mut worker, stop)
        },
    )
}

/// Runs `make()`'s interleaved kernel over every line of `output` along `pass.axis`, reading
/// from `input` (or, with `None`, from `output` itself, each block read whole before it is
/// written), blocks of at least [`INTERLEAVED_LANES`] neighbouring lines at a time (fewer
/// where the array has fewer), on `threads` threads. `make` is called once per part.
pub fn filter_lanes<M, K>(
    input: Option<&ArrayRef<'_>>,
    output: &mut ArrayMut<'_>,
    pass: &LinePass<'_>,
    threads: usize,
    make: M,
) -> Result<(), Error>
where
    M: Fn() -> K + Sync,
    K: LanesKernel,
{
    line_length(output, pass)?;
    let pass = LinePass {
        min_lanes: pass.min_lanes.max(INTERLEAVED_LANES),
        ..*pass
    };
    for_each_part(
        output,
        Some(pass.axis),
        threads,
        |part, part_axis, start, stop| {
            let mut worker = Interleaved {
                kernel: make(),
                pad: pass.pad,
                extended: Vec::new(),
                out: Vec::new(),
            };
            run_part(input, part, part_axis, start, &pass, &mut worker, stop)
        },
    )
}

/// Checks that the extended lines of a pass along `axis` with `pad` over `output` (`lanes`
/// of them side by side, of `item` bytes per sample) can be had, without allocating them.
/// A composition of passes checks every pass first: a later pass whose buffers cannot be had
/// would otherwise fail after an earlier one wrote the output.
pub fn ensure_pass_buffers(
    output: &ArrayMut<'_>,
    axis: usize,
    pad: Pad,
    lanes: usize,
    item: usize,
) -> Result<(), Error> {
    assert!(axis < output.rank(), "line pass axis");
    let extended = output.shape()[axis]
        .checked_add(pad.before)
        .and_then(|w| w.checked_add(pad.after))
        .filter(|&w| w <= isize::MAX as usize / 8)
        .ok_or_else(|| Error::InvalidArgument("filter size overflows".into()))?;
    let bytes = extended.saturating_mul(lanes.max(1)).saturating_mul(item);
    ensure_allocatable(bytes, "the extended lines of a pass")
}

/// The axis length, checked against the padding's size.
fn line_length(output: &ArrayMut<'_>, pass: &LinePass<'_>) -> Result<usize, Error> {
    assert!(pass.axis < output.rank(), "line pass axis");
    let n = output.shape()[pass.axis];
    // The extended line is a buffer of doubles: a size beyond any buffer is an argument
    // error, found before any work starts.
    n.checked_add(pass.pad.before)
        .and_then(|w| w.checked_add(pass.pad.after))
        .filter(|&w| w <= isize::MAX as usize / 8)
        .ok_or_else(|| Error::InvalidArgument("filter size overflows".into()))?;
    Ok(n)
}

/// What a part of the pass does with each block of lines.
trait Worker {
    /// Whether blocks are read and written interleaved (sample `i` of lane `l` at
    /// `i * lanes + l`) rather than line after line.
    const INTERLEAVED: bool = false;
    /// The buffer the next block of `lanes` lines of `n` samples is read into.
    fn input(&mut self, n: usize, lanes: usize) -> Result<&mut [f64], Error>;
    /// Computes the block just read; returns the results (`lanes × n` values, line after line)
    /// and, on failure, the failing lane and its error (the lanes before it hold results).
    fn compute(&mut self, n: usize, lanes: usize) -> (&[f64], Result<(), (usize, CallbackError)>);
}

/// A [`LineKernel`] with the buffers of its pass: the extended line, the result line, and a
/// block of lines (not needed when blocks are single lines).
struct Padded<K> {
    kernel: K,
    pad: Pad,
    extended: Vec<f64>,
    out: Vec<f64>,
    block: Vec<f64>,
}

impl<K: LineKernel> Padded<K> {
    fn new(kernel: K, pad: Pad, n: usize) -> Result<Self, Error> {
        Ok(Padded {
            kernel,
            pad,
            extended: try_vec(n + pad.before + pad.after, 0.0, "the extended line")?,
            out: try_vec(n, 0.0, "the output line")?,
            block: Vec::new(),
        })
    }

    /// Extends the line in `extended` and runs the kernel on it.
    #[inline]
    fn filter(&mut self, n: usize) -> Result<(), CallbackError> {
        let Pad {
            before, mode, cval, ..
        } = self.pad;
        if n > 0 {
            extend_line(&mut self.extended, before, n, mode, cval);
        }
        self.kernel.line(&mut self.extended, &mut self.out)
    }
}

impl<K: LineKernel> Worker for Padded<K> {
    fn input(&mut self, n: usize, lanes: usize) -> Result<&mut [f64], Error> {
        if lanes == 1 {
            // One line: read straight into the extended buffer.
            let before = self.pad.before;
            return Ok(&mut self.extended[before..before + n]);
        }
        let len = lanes * n;
        if self.block.len() < len {
            self.block = try_vec(len, 0.0, "the line block")?;
        }
        Ok(&mut self.block[..len])
    }

    fn compute(&mut self, n: usize, lanes: usize) -> (&[f64], Result<(), (usize, CallbackError)>) {
        if lanes == 1 {
            let result = self.filter(n).map_err(|e| (0, e));
            return (&self.out, result);
        }
        let before = self.pad.before;
        for b in 0..lanes {
            self.extended[before..before + n].copy_from_slice(&self.block[b * n..(b + 1) * n]);
            if let Err(e) = self.filter(n) {
                return (&self.block[..b * n], Err((b, e)));
            }
            // Each line is replaced by its result once filtered.
            self.block[b * n..(b + 1) * n].copy_from_slice(&self.out);
        }
        (&self.block[..lanes * n], Ok(()))
    }
}

/// A [`LanesKernel`] with its buffers: the interleaved extended block and its results.
struct Interleaved<K> {
    kernel: K,
    pad: Pad,
    extended: Vec<f64>,
    out: Vec<f64>,
}

impl<K: LanesKernel> Worker for Interleaved<K> {
    const INTERLEAVED: bool = true;

    fn input(&mut self, n: usize, lanes: usize) -> Result<&mut [f64], Error> {
        let len = (n + self.pad.before + self.pad.after) * lanes;
        if self.extended.len() != len {
            self.extended = try_vec(len, 0.0, "the interleaved line block")?;
            self.out = try_vec(n * lanes, 0.0, "the interleaved results")?;
        }
        let before = self.pad.before * lanes;
        Ok(&mut self.extended[before..before + n * lanes])
    }

    fn compute(&mut self, n: usize, lanes: usize) -> (&[f64], Result<(), (usize, CallbackError)>) {
        let Pad {
            before, mode, cval, ..
        } = self.pad;
        if n > 0 {
            extend_interleaved(&mut self.extended, lanes, before, n, mode, cval);
        }
        self.kernel.lanes(&self.extended, lanes, &mut self.out);
        (&self.out, Ok(()))
    }
}

/// A [`BlockKernel`] with its block buffer.
struct Blocks<K> {
    kernel: K,
    block: Vec<f64>,
}

impl<K: BlockKernel> Worker for Blocks<K> {
    fn input(&mut self, n: usize, lanes: usize) -> Result<&mut [f64], Error> {
        let len = lanes * n;
        if self.block.len() < len {
            self.block = try_vec(len, 0.0, "the line block")?;
        }
        Ok(&mut self.block[..len])
    }

    fn compute(&mut self, n: usize, lanes: usize) -> (&[f64], Result<(), (usize, CallbackError)>) {
        let lines = &mut self.block[..lanes * n];
        self.kernel.block(lines, n);
        (lines, Ok(()))
    }
}

/// The pass over the part of the output whose indices along `part_axis` start at `start`
/// (never the pass's axis: its lines are whole).
fn run_part<W: Worker>(
    input: Option<&ArrayRef<'_>>,
    part: &mut ArrayMut<'_>,
    part_axis: usize,
    start: usize,
    pass: &LinePass<'_>,
    worker: &mut W,
    stop: &Stop,
) -> Result<(), Error> {
    if part.is_empty() {
        return Ok(());
    }
    let axis = pass.axis;
    let n = part.shape()[axis];
    // Blocks along the most contiguous axis of the memory the pass reads.
    let strides = match input {
        Some(input) => input.layout().strides().to_vec(),
        None => part.layout().strides().to_vec(),
    };
    let mut blocks = LineBlocks::new(part.shape(), &strides, axis, pass.min_lanes, pass.c_order);
    let lane_axis = blocks.lane_axis();
    let mut index = vec![0usize; part.rank()];
    let mut global = index.clone();
    let mut done = 0;
    while let Some(lanes) = blocks.next_block(&mut index) {
        if stop.tick(done) {
            return Ok(());
        }
        done = (lanes * n) as u64;
        global.copy_from_slice(&index);
        global[part_axis] += start;
        let buffer = worker.input(n, lanes)?;
        match (input, W::INTERLEAVED) {
            (Some(input), false) => input.read_lines(&global, axis, lane_axis, buffer),
            (None, false) => part.read_lines(&index, axis, lane_axis, buffer),
            (Some(input), true) => input.read_lines_interleaved(&global, axis, lane_axis, buffer),
            (None, true) => part.read_lines_interleaved(&index, axis, lane_axis, buffer),
        }
        let (results, outcome) = worker.compute(n, lanes);
        if let Err((lane, e)) = outcome {
            // The lines before the failing one stay written.
            if lane > 0 {
                part.store_lines(&index, axis, lane_axis, results, pass.store);
            }
            if let Some(l) = lane_axis {
                global[l] += lane;
            }
            return Err(Error::callback(pass.name, &global, e));
        }
        if W::INTERLEAVED {
            part.store_lines_interleaved(&index, axis, lane_axis, results, pass.store);
        } else {
            part.store_lines(&index, axis, lane_axis, results, pass.store);
        }
    }
    Ok(())
}

// -----------------------------------------------------------------------------------------
// Native passes: lines in the input's own element type
// -----------------------------------------------------------------------------------------

/// How the lines of a block lie in a native kernel's buffers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockLayout {
    /// Line `b` is `values[b * len .. (b + 1) * len]`, `len` being the line's length in that
    /// buffer (extended in the input, `n` in the output).
    Lines,
    /// Position `p` of line `b` is `values[p * lanes + b]`: for each position along the
    /// lines, the block's `lanes` values side by side, as rows of the lane axis lie in memory.
    /// Kernels that compute every line alike can then work on whole rows at once.
    Interleaved,
}

/// One block of a native pass, as its kernel sees it.
pub struct NativeBlock<'b, T, W> {
    /// The block's lines, each extended by the pass's [`Pad`]: `n + before + after`
    /// positions per line.
    pub input: &'b [T],
    /// Where the results go: `n` positions per line, in the same layout.
    pub output: &'b mut [W],
    /// Positions per line (the axis length).
    pub n: usize,
    /// Lines in the block.
    pub lanes: usize,
    pub layout: BlockLayout,
}

/// A 1-D filter over blocks of lines of element type `T`, computing results of type `W`
/// (stored into the output by NumPy's casting, `Native::from_scalar`: a plain copy when `W`
/// is the output's type).
pub trait NativeLineKernel<T, W> {
    fn block(&mut self, block: NativeBlock<'_, T, W>);
}

impl<T, W, F: FnMut(NativeBlock<'_, T, W>)> NativeLineKernel<T, W> for F {
    #[inline]
    fn block(&mut self, block: NativeBlock<'_, T, W>) {
        self(block)
    }
}

/// The kernels of a native pass, made for the input's element type once per part of the work.
pub trait NativeLineKernels: Sync {
    /// The kernels' result type for input type `T`.
    type Out<T: Native>: Native;
    fn make<T: Native>(&self) -> impl NativeLineKernel<T, Self::Out<T>>;
}

/// One native pass over the lines of an array along `axis`.
#[derive(Clone, Copy, Debug)]
pub struct NativePass {
    pub axis: usize,
    /// The extension of every line; `cval` is converted to the element type by
    /// `Native::from_f64` (a caller that needs it exactly checks that it is representable).
    pub pad: Pad,
    /// Whether the kernels take [`BlockLayout::Interleaved`] blocks. They get them when the
    /// lines are strided and their neighbours along another axis are the nearer ones in
    /// memory (each position of a block is then one contiguous run); otherwise, and always
    /// without this, blocks are [`BlockLayout::Lines`].
    pub interleaved: bool,
}

/// Runs `make`'s kernels over every line of `output` along `pass.axis`, reading from `input`
/// (or, with `None`, from `output` itself: each block is read whole before it is written), on
/// `threads` threads. Lines are read in the element type of what is read.
pub fn filter_native<M: NativeLineKernels>(
    input: Option<&ArrayRef<'_>>,
    output: &mut ArrayMut<'_>,
    pass: &NativePass,
    threads: usize,
    make: &M,
) -> Result<(), Error> {
    assert!(pass.axis < output.rank(), "line pass axis");
    let n = output.shape()[pass.axis];
    // The extended line is a buffer of elements of up to 8 bytes: a size beyond any buffer
    // is an argument error (as in `line_length`).
    n.checked_add(pass.pad.before)
        .and_then(|w| w.checked_add(pass.pad.after))
        .filter(|&w| w <= isize::MAX as usize / 8)
        .ok_or_else(|| Error::InvalidArgument("filter size overflows".into()))?;
    let dtype = input.map_or(output.dtype(), |i| i.dtype());
    with_native!(dtype, T => {
        for_each_part(output, Some(pass.axis), threads, |part, part_axis, start, stop| {
            let mut kernel = make.make::<T>();
            run_native_part::<T, M::Out<T>, _>(input, part, part_axis, start, pass, &mut kernel, stop)
        })
    })
}

/// Bytes of one interleaved position (a row of the block), and of a whole block: rows long
/// enough that reading one is a plain copy, blocks small enough to stay in cache.
const ROW_BYTES: usize = 2048;
const INTERLEAVED_BLOCK_BYTES: usize = 1 << 20;

/// [`filter_native`] over the part of the output whose indices along `part_axis` start at
/// `start`.
fn run_native_part<T: Native, W: Native, K: NativeLineKernel<T, W>>(
    input: Option<&ArrayRef<'_>>,
    part: &mut ArrayMut<'_>,
    part_axis: usize,
    start: usize,
    pass: &NativePass,
    kernel: &mut K,
    stop: &Stop,
) -> Result<(), Error> {
    if part.is_empty() {
        return Ok(());
    }
    let axis = pass.axis;
    let Pad {
        before,
        after,
        mode,
        cval,
    } = pass.pad;
    let cval = T::from_f64(cval);
    let n = part.shape()[axis];
    let ext = n + before + after;
    let strides = match input {
        Some(input) => input.layout().strides().to_vec(),
        None => part.layout().strides().to_vec(),
    };
    let nearer = (0..strides.len())
        .filter(|&a| a != axis)
        .min_by_key(|&a| strides[a].unsigned_abs())
        .is_some_and(|a| strides[a].unsigned_abs() < strides[axis].unsigned_abs());
    let interleave = pass.interleaved && nearer;
    let item = std::mem::size_of::<T>().max(1);
    let min_lanes = if interleave {
        (ROW_BYTES / item)
            .min(INTERLEAVED_BLOCK_BYTES / (ext * item))
            .max(16)
    } else {
        1
    };
    let mut blocks = LineBlocks::new(part.shape(), &strides, axis, min_lanes, false);
    let lane_axis = blocks.lane_axis();
    let interleave = interleave && lane_axis.is_some();
    let layout = if interleave {
        BlockLayout::Interleaved
    } else {
        BlockLayout::Lines
    };
    let max_lanes = blocks.max_lanes();
    let len = |what: &str, count: usize| {
        max_lanes
            .checked_mul(count)
            .ok_or_else(|| Error::OutOfMemory(format!("{what} overflows")))
    };
    let mut extended = try_vec(len("the line block", ext)?, T::default(), "the line block")?;
    // Lines read a block at a time through a buffer of their own when they come several
    // to a block (a transposing read); a single line is read straight into place.
    let mut lines = if interleave || (before == 0 && after == 0) || lane_axis.is_none() {
        Vec::new()
    } else {
        try_vec(len("the line block", n)?, T::default(), "the line block")?
    };
    let mut results = try_vec(
        len("the result block", n)?,
        W::default(),
        "the result block",
    )?;
    let mut index = vec![0usize; part.rank()];
    let mut global = index.clone();
    let mut row = index.clone();
    let mut done = 0;
    while let Some(lanes) = blocks.next_block(&mut index) {
        if stop.tick(done) {
            return Ok(());
        }
        done = (lanes * n) as u64;
        global.copy_from_slice(&index);
        global[part_axis] += start;
        let input_block = &mut extended[..lanes * ext];
        if let (true, Some(l)) = (interleave, lane_axis) {
            // Position p of every line of the block: one run along the lane axis.
            row.copy_from_slice(if input.is_some() { &global } else { &index });
            for p in 0..n {
                row[axis] = p;
                let to = &mut input_block[(before + p) * lanes..(before + p + 1) * lanes];
                match input {
                    Some(input) => input.read_run_as(&row, l, row[l], to),
                    None => part.read_run_as(&row, l, row[l], to),
                }
            }
            for p in (0..before).chain(before + n..ext) {
                match map_index(p as isize - before as isize, n, mode) {
                    Some(j) => input_block
                        .copy_within((before + j) * lanes..(before + j + 1) * lanes, p * lanes),
                    None => input_block[p * lanes..(p + 1) * lanes].fill(cval),
                }
            }
        } else {
            let target: &mut [T] = if !lines.is_empty() {
                &mut lines[..lanes * n]
            } else if lane_axis.is_none() {
                &mut input_block[before..before + n]
            } else {
                &mut input_block[..]
            };
            match input {
                Some(input) => input.read_lines_as(&global, axis, lane_axis, target),
                None => part.read_lines_as(&index, axis, lane_axis, target),
            }
            if !lines.is_empty() {
                for b in 0..lanes {
                    let line = &mut input_block[b * ext..(b + 1) * ext];
                    line[before..before + n].copy_from_slice(&lines[b * n..(b + 1) * n]);
                    extend_line(line, before, n, mode, cval);
                }
            } else if lane_axis.is_none() && ext > n {
                extend_line(input_block, before, n, mode, cval);
            }
        }
        kernel.block(NativeBlock {
            input: input_block,
            output: &mut results[..lanes * n],
            n,
            lanes,
            layout,
        });
        let values = &results[..lanes * n];
        match (interleave, lane_axis) {
            (true, Some(l)) => {
                row.copy_from_slice(&index);
                for p in 0..n {
                    row[axis] = p;
                    part.store_run_as(&row, l, index[l], &values[p * lanes..(p + 1) * lanes]);
                }
            }
            _ => part.store_lines_as(&index, axis, lane_axis, values),
        }
    }
    Ok(())
}
