//! Unit tests of the raw strided layer's memory accesses (what Miri checks in
//! `scripts/sanitize.sh miri`): line, run and block reads and stores, complex parts, splits,
//! planes, the element reader, copies and the aliasing `Source`, over C, Fortran, negative,
//! gapped, unaligned and zero strides, each against an index-computed reference.

use super::dtype::DType;
use super::*;

/// A buffer holding a `shape` array of float64 in `layout` (0: C, 1: Fortran, 2: reversed,
/// 3: every other element, 4: unaligned, 5: a zero stride on axis 0), and its byte strides
/// and the offset of element 0.
fn strided(shape: &[usize], layout: usize, item: usize) -> (Vec<u8>, Vec<isize>, usize) {
    let rank = shape.len();
    let unit = match layout {
        3 => 2 * item,
        4 => item + 1,
        _ => item,
    } as isize;
    let mut strides = vec![0isize; rank];
    let mut s = unit;
    let order: Vec<usize> = if layout == 1 {
        (0..rank).collect()
    } else {
        (0..rank).rev().collect()
    };
    for &a in &order {
        strides[a] = if layout == 2 { -s } else { s };
        s *= shape[a].max(1) as isize;
    }
    if layout == 5 {
        strides[0] = 0;
    }
    let (mut lo, mut hi) = (0isize, 0isize);
    for (&n, &st) in shape.iter().zip(&strides) {
        let reach = (n.max(1) as isize - 1) * st;
        if reach < 0 {
            lo += reach
        } else {
            hi += reach
        }
    }
    let offset = (-lo) as usize + if layout == 4 { 1 } else { 0 };
    let bytes = vec![0xA5u8; offset + hi as usize + item + 3];
    (bytes, strides, offset)
}

fn offset_of(index: &[usize], strides: &[isize]) -> isize {
    index
        .iter()
        .zip(strides)
        .map(|(&i, &s)| i as isize * s)
        .sum()
}

fn value(index: &[usize]) -> f64 {
    index.iter().fold(0.5, |acc, &i| acc * 7.0 + i as f64)
}

/// Every index of `shape` in C order.
fn indices(shape: &[usize]) -> Vec<Vec<usize>> {
    let mut out = vec![vec![]];
    for &n in shape {
        out = out
            .into_iter()
            .flat_map(|p| {
                (0..n).map(move |i| {
                    let mut q = p.clone();
                    q.push(i);
                    q
                })
            })
            .collect();
    }
    out
}

#[test]
fn lines_runs_and_blocks_read_and_store_every_layout() {
    let shape = [3usize, 4, 2];
    for layout in 0..6 {
        let (mut bytes, strides, offset) = strided(&shape, layout, 8);
        for ix in indices(&shape) {
            let at = (offset as isize + offset_of(&ix, &strides)) as usize;
            bytes[at..at + 8].copy_from_slice(&value(&ix).to_le_bytes());
        }
        // With a zero stride on axis 0 every index along it holds what was written last.
        let value = |ix: &[usize]| {
            if layout == 5 {
                value(&[2, ix[1], ix[2]])
            } else {
                value(ix)
            }
        };
        let layout_ = Layout::new(DType::Float64, &shape, Some(&strides)).unwrap();
        // SAFETY: `bytes` holds every element of the layout from `offset` on, and outlives
        // the views; the mutable view is the only one used while it writes.
        let input = unsafe { ArrayRef::from_raw(bytes.as_ptr().add(offset), layout_.clone()) };
        for axis in 0..3 {
            let mut line = vec![0.0; shape[axis]];
            let mut index = [1usize, 2, 1];
            index[axis] = 0;
            input.read_line(&index, axis, &mut line);
            for (i, v) in line.iter().enumerate() {
                let mut ix = index;
                ix[axis] = i;
                assert_eq!(*v, value(&ix), "layout {layout} axis {axis}");
            }
            // a run from the middle
            let mut run = vec![0.0; shape[axis] - 1];
            input.read_run(&index, axis, 1, &mut run);
            assert_eq!(run, line[1..]);
        }
        // blocks of lines: along axis 2, lanes along axis 1
        let mut block = vec![0.0; 4 * 2];
        input.read_lines(&[2, 0, 0], 2, Some(1), &mut block);
        for lane in 0..4 {
            for i in 0..2 {
                assert_eq!(block[lane * 2 + i], value(&[2, lane, i]));
            }
        }
        let reader = input.reader::<f64>();
        for ix in indices(&shape) {
            assert_eq!(reader.at(offset_of(&ix, &strides)), value(&ix));
        }
        if layout == 5 {
            continue; // a zero stride: not an output
        }
        // stores: a line, then lines, then a copy into an unaligned, reversed output
        let (mut out_bytes, out_strides, out_offset) = strided(&shape, (layout + 2) % 5, 8);
        let out_layout = Layout::new(DType::Float64, &shape, Some(&out_strides)).unwrap();
        // SAFETY: as above, for the output buffer.
        let mut output =
            unsafe { ArrayMut::from_raw(out_bytes.as_mut_ptr().add(out_offset), out_layout) };
        output.copy_from(&input);
        // lines along axis 0 side by side along axis 2, then one line along axis 1
        let lines: Vec<f64> = (0..6).map(|k| k as f64 + 0.25).collect();
        output.store_lines(&[0, 0, 0], 0, Some(2), &lines, StoreRule::Round);
        output.store_line(&[0, 0, 0], 1, &[9.0, 8.0, 7.0, 6.0], StoreRule::Truncate);
        let view = output.view();
        for ix in indices(&shape) {
            let mut line = [0.0; 2];
            view.read_line(&[ix[0], ix[1], 0], 2, &mut line);
            let want = if ix[0] == 0 && ix[2] == 0 {
                [9.0, 8.0, 7.0, 6.0][ix[1]]
            } else if ix[1] == 0 {
                lines[ix[2] * 3 + ix[0]] // (float outputs are not rounded)
            } else {
                value(&ix)
            };
            assert_eq!(line[ix[2]], want, "layout {layout} at {ix:?}");
        }
        // nothing outside the elements was written
        let mut touched = vec![false; out_bytes.len()];
        for ix in indices(&shape) {
            let at = (out_offset as isize + offset_of(&ix, &out_strides)) as usize;
            touched[at..at + 8].iter_mut().for_each(|t| *t = true);
        }
        for (k, &b) in out_bytes.iter().enumerate() {
            if !touched[k] {
                assert_eq!(
                    b, 0xA5,
                    "layout {layout}: byte {k} outside the elements written"
                );
            }
        }
    }
}

#[test]
fn complex_parts_splits_and_planes_address_their_elements() {
    let shape = [4usize, 3];
    let (mut bytes, strides, offset) = strided(&shape, 2, 16);
    for ix in indices(&shape) {
        let at = (offset as isize + offset_of(&ix, &strides)) as usize;
        bytes[at..at + 8].copy_from_slice(&value(&ix).to_le_bytes());
        bytes[at + 8..at + 16].copy_from_slice(&(-value(&ix)).to_le_bytes());
    }
    let layout = Layout::new(DType::Complex128, &shape, Some(&strides)).unwrap();
    // SAFETY: `bytes` holds the layout's elements from `offset` on and outlives the view.
    let mut array = unsafe { ArrayMut::from_raw(bytes.as_mut_ptr().add(offset), layout) };
    {
        let Parts::Complex(re, im) = array.view().parts() else {
            panic!("complex")
        };
        let mut line = [0.0; 3];
        re.read_line(&[2, 0], 1, &mut line);
        assert_eq!(line, [value(&[2, 0]), value(&[2, 1]), value(&[2, 2])]);
        im.read_line(&[2, 0], 1, &mut line);
        assert_eq!(line, [-value(&[2, 0]), -value(&[2, 1]), -value(&[2, 2])]);
    }
    if let Parts::Complex(mut re, _) = array.parts() {
        // splits along axis 0: disjoint parts, written each
        let parts = re.split(0, 3).unwrap();
        let mut covered = 0;
        for (start, mut part) in parts {
            let rows = part.shape()[0];
            for r in 0..rows {
                part.write_line(&[r, 0], 1, &[start as f64; 3]);
            }
            covered += rows;
        }
        assert_eq!(covered, 4);
    }
    let view = array.view();
    let Parts::Complex(re, im) = view.parts() else {
        panic!("complex")
    };
    for ix in indices(&shape) {
        let mut v = [0.0];
        re.read_run(&ix, 1, ix[1], &mut v);
        let mut w = [0.0];
        im.read_run(&ix, 1, ix[1], &mut w);
        assert!(v[0] <= ix[0] as f64, "split start written at {ix:?}");
        assert_eq!(w[0], -value(&ix), "imaginary part untouched at {ix:?}");
    }
    // a plane of a 3-D array
    let shape3 = [2usize, 3, 2];
    let (mut b3, s3, o3) = strided(&shape3, 1, 8);
    for ix in indices(&shape3) {
        let at = (o3 as isize + offset_of(&ix, &s3)) as usize;
        b3[at..at + 8].copy_from_slice(&value(&ix).to_le_bytes());
    }
    let l3 = Layout::new(DType::Float64, &shape3, Some(&s3)).unwrap();
    // SAFETY: as above.
    let a3 = unsafe { ArrayRef::from_raw(b3.as_ptr().add(o3), l3) };
    let plane = a3.plane([0, 2], &[0, 1, 0]);
    let mut line = [0.0; 2];
    plane.read_line(&[1, 0], 1, &mut line);
    assert_eq!(line, [value(&[1, 1, 0]), value(&[1, 1, 1])]);
}

#[test]
fn sources_copy_inputs_that_share_the_output_memory() {
    let mut words = vec![0u64; 16];
    let base = words.as_mut_ptr() as *mut u8;
    for k in 0..16 {
        // SAFETY: within `words`.
        unsafe { (base as *mut f64).add(k).write(k as f64) };
    }
    let out_layout = Layout::new(DType::Float64, &[8], None).unwrap();
    let in_layout = Layout::new(DType::Float64, &[8], Some(&[-8])).unwrap();
    // SAFETY: the output covers words 0..8; the input words 4..12 (from 11 down): both inside
    // `words`, which outlives them; the input is read through its copy once the output is
    // written.
    let (input, mut output) = unsafe {
        (
            ArrayRef::from_raw(base.add(11 * 8), in_layout),
            ArrayMut::from_raw(base, out_layout),
        )
    };
    let source = Source::new(input, output.byte_range()).unwrap();
    assert!(matches!(source, Source::Copied(_)));
    let view = source.view();
    output.write_line(&[0], 0, &[-1.0; 8]);
    let mut line = [0.0; 8];
    view.read_line(&[0], 0, &mut line);
    assert_eq!(line, [11.0, 10.0, 9.0, 8.0, 7.0, 6.0, 5.0, 4.0]);
    let owned = OwnedArray::zeros(DType::Int16, &[3, 5]).unwrap();
    let mut row = [1.0; 5];
    owned.view().read_line(&[2, 0], 1, &mut row);
    assert_eq!(row, [0.0; 5]);
}

// A regression: reading truth values of a contiguous uint8 run once took the same-type byte
// copy, which kept 2 as 2 (binary morphology's row engine then read it as false).
#[test]
fn nonzero_runs_are_zero_or_one_in_every_layout() {
    let bytes: Vec<u8> = vec![0, 1, 2, 255, 0, 128, 7, 0];
    let expect: Vec<u8> = bytes.iter().map(|&b| u8::from(b != 0)).collect();
    for strides in [None, Some(vec![-1isize])] {
        let layout = Layout::new(DType::UInt8, &[8], strides.as_deref()).unwrap();
        let start = if strides.is_some() { 7 } else { 0 };
        // SAFETY: the eight elements lie inside `bytes`, which outlives the view.
        let view = unsafe { ArrayRef::from_raw(bytes.as_ptr().add(start), layout) };
        let mut out = [9u8; 8];
        view.read_run_nonzero(&[0], 0, 0, &mut out);
        let mut want = expect.clone();
        if strides.is_some() {
            want.reverse();
        }
        assert_eq!(out.to_vec(), want, "strides {strides:?}");
    }
}
