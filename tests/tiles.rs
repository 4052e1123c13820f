//! Tiles: a box of an interpolation's output, computed from a box of its input (or of the
//! whole input's spline coefficients), equals the whole call's values there bit for bit; an
//! input box one sample too small is an error that writes nothing.

use ndarray::{ArrayD, ArrayViewD, ArrayViewMutD, Dimension, IxDyn, Slice};
use ndimage::{
    affine_transform_tile, geometric_transform_tile, map_coordinates_tile, rotate_shape,
    rotate_tile, shift_tile, spline_coefficients, spline_padding, zoom_tile, AffineMatrix, Error,
    Mode, Region, Spline, Threads, Tile,
};

/// A deterministic, irregular test array.
fn data(shape: &[usize]) -> ArrayD<f64> {
    ArrayD::from_shape_fn(IxDyn(shape), |ix| {
        let k = ix
            .slice()
            .iter()
            .fold(0usize, |acc, &i| acc * 131 + i * 71 + 7);
        (k % 97) as f64 * 0.37 - (k as f64).sin() * 3.0
    })
}

fn boxed<'a>(a: &'a ArrayD<f64>, lo: &[usize], hi: &[usize]) -> ArrayViewD<'a, f64> {
    a.slice_each_axis(|ax| Slice::from(lo[ax.axis.index()]..hi[ax.axis.index()]))
}

/// One interpolation of a tile: input (box), output (box), tile.
type Eval<'e> =
    dyn Fn(ArrayViewD<'_, f64>, ArrayViewMutD<'_, f64>, &Tile) -> Result<(), Error> + 'e;

const SENTINEL: f64 = -12345.5;

/// Runs `eval` over whole arrays, then over each output tile of `cuts` (per axis, the tile
/// boundaries) from the smallest input box that works (found by shrinking the whole input
/// box one sample at a time), and checks: every tile equals the whole result bit for bit;
/// the input box one sample smaller on any side is an error naming a point outside the box,
/// with nothing written. `coefficients`: the tiles read the whole input's coefficients
/// (`Tile::prefiltered`) instead of the input. `same`: axes on which the input box is the
/// output tile (rotate's axes outside the plane). Returns the number of tiles checked.
fn check_tiles(
    input: &ArrayD<f64>,
    out_shape: &[usize],
    spline: &Spline,
    coefficients: bool,
    cuts: &[Vec<usize>],
    same: &[usize],
    eval: &Eval<'_>,
) -> usize {
    let mut whole = ArrayD::<f64>::zeros(IxDyn(out_shape));
    eval(input.view(), whole.view_mut(), &Tile::default()).unwrap();
    let source = if coefficients && spline.prefilter && spline.order > 1 {
        let npad = spline_padding(spline.order, spline.mode, true);
        let shape: Vec<usize> = input.shape().iter().map(|&n| n + 2 * npad).collect();
        let mut c = ArrayD::<f64>::zeros(IxDyn(&shape));
        spline_coefficients(input.view(), c.view_mut(), spline, Threads::Count(1)).unwrap();
        c
    } else {
        input.clone()
    };
    let in_whole = source.shape().to_vec();
    let rank = out_shape.len();
    let mut tiles = 0;
    let mut tile_index = vec![0usize; rank];
    loop {
        let lo: Vec<usize> = (0..rank).map(|a| cuts[a][tile_index[a]]).collect();
        let hi: Vec<usize> = (0..rank).map(|a| cuts[a][tile_index[a] + 1]).collect();
        let out_box: Vec<usize> = lo.iter().zip(&hi).map(|(l, h)| h - l).collect();
        let expected =
            whole.slice_each_axis(|ax| Slice::from(lo[ax.axis.index()]..hi[ax.axis.index()]));
        let run = |ilo: &[usize], ihi: &[usize]| {
            let mut out = ArrayD::<f64>::from_elem(IxDyn(&out_box), SENTINEL);
            let tile = Tile {
                output: Some(Region::new(&lo, out_shape)),
                input: Some(Region::new(ilo, &in_whole)),
                prefiltered: coefficients,
            };
            let r = eval(boxed(&source, ilo, ihi), out.view_mut(), &tile);
            (r, out)
        };
        // Shrink the input box side by side while the call works.
        let mut ilo = vec![0usize; in_whole.len()];
        let mut ihi = in_whole.clone();
        for &a in same {
            (ilo[a], ihi[a]) = (lo[a], hi[a]);
        }
        for a in (0..in_whole.len()).filter(|a| !same.contains(a)) {
            while ihi[a] - ilo[a] > 1 {
                ilo[a] += 1;
                if run(&ilo, &ihi).0.is_err() {
                    ilo[a] -= 1;
                    break;
                }
            }
            while ihi[a] - ilo[a] > 1 {
                ihi[a] -= 1;
                if run(&ilo, &ihi).0.is_err() {
                    ihi[a] += 1;
                    break;
                }
            }
        }
        let (r, out) = run(&ilo, &ihi);
        r.unwrap();
        let equal = out
            .iter()
            .zip(expected.iter())
            .all(|(a, b)| a.to_bits() == b.to_bits());
        assert!(
            equal,
            "{spline:?} tile {lo:?}..{hi:?} from input box {ilo:?}..{ihi:?}:\n{out}\nvs\n{expected}"
        );
        // One sample less on a side the tile reads: an error, nothing written.
        for a in (0..in_whole.len()).filter(|a| !same.contains(a)) {
            for side in 0..2 {
                // (A box of one sample may be more than the tile needs.)
                if ihi[a] - ilo[a] < 2 {
                    continue;
                }
                let (mut l, mut h) = (ilo.clone(), ihi.clone());
                if side == 0 {
                    l[a] += 1;
                } else {
                    h[a] -= 1;
                }
                let (r, out) = run(&l, &h);
                match r {
                    Err(Error::InvalidArgument(m)) => {
                        assert!(m.contains("outside the input box"), "{m}")
                    }
                    other => panic!("{spline:?} box {l:?}..{h:?}: {other:?}"),
                }
                assert!(out.iter().all(|&v| v == SENTINEL), "written after an error");
            }
        }
        tiles += 1;
        let mut a = rank;
        loop {
            if a == 0 {
                return tiles;
            }
            a -= 1;
            tile_index[a] += 1;
            if tile_index[a] + 1 < cuts[a].len() {
                break;
            }
            tile_index[a] = 0;
        }
    }
}

fn splines() -> Vec<Spline> {
    let mut v = Vec::new();
    for order in 0..=5 {
        for mode in Mode::ALL {
            v.push(Spline {
                cval: -1.5,
                ..Spline::new(order, mode)
            });
        }
    }
    v
}

#[test]
fn shift_tiles_equal_the_whole_shift() {
    let input = data(&[11, 9]);
    let cuts = vec![vec![0, 4, 5, 11], vec![0, 3, 9]];
    let mut tiles = 0;
    for spline in splines() {
        for coefficients in [true, false] {
            let s = Spline {
                prefilter: coefficients || spline.order < 2,
                ..spline
            };
            let eval = |i: ArrayViewD<'_, f64>, o: ArrayViewMutD<'_, f64>, t: &Tile| {
                let (i, o) = (i.reborrow(), o.reborrow());
                shift_tile(i, o, &[1.75, -2.25], &s, t, Threads::Count(2))
            };
            tiles += check_tiles(&input, &[11, 9], &s, coefficients, &cuts, &[], &eval);
        }
    }
    assert!(tiles > 500);
}

#[test]
fn zoom_tiles_use_the_whole_shapes() {
    let input = data(&[7, 10]);
    let cuts = vec![vec![0, 1, 9, 12], vec![0, 2, 6, 7]];
    for spline in splines().into_iter().filter(|s| s.order % 2 == 1) {
        for grid_mode in [false, true] {
            let eval = |i: ArrayViewD<'_, f64>, o: ArrayViewMutD<'_, f64>, t: &Tile| {
                let (i, o) = (i.reborrow(), o.reborrow());
                zoom_tile(i, o, grid_mode, &spline, t, Threads::Count(1))
            };
            check_tiles(&input, &[12, 7], &spline, true, &cuts, &[], &eval);
        }
    }
}

#[test]
fn affine_tiles_compute_coordinates_from_whole_indices() {
    let input = data(&[9, 8]);
    let m = [0.9, 0.31, -0.27, 1.1];
    let offset = [0.6, -1.3];
    let cuts = vec![vec![0, 5, 10], vec![0, 1, 4, 8]];
    for spline in splines().into_iter().filter(|s| s.order != 2) {
        let eval = |i: ArrayViewD<'_, f64>, o: ArrayViewMutD<'_, f64>, t: &Tile| {
            let (i, o) = (i.reborrow(), o.reborrow());
            let matrix = AffineMatrix::Full(std::borrow::Cow::Borrowed(&m[..]));
            affine_transform_tile(i, o, matrix, &offset, &spline, t, Threads::Count(3))
        };
        check_tiles(&input, &[10, 8], &spline, true, &cuts, &[], &eval);
        // The diagonal form is separable.
        let eval = |i: ArrayViewD<'_, f64>, o: ArrayViewMutD<'_, f64>, t: &Tile| {
            let (i, o) = (i.reborrow(), o.reborrow());
            let d = [0.8, 1.3];
            affine_transform_tile(
                i,
                o,
                AffineMatrix::Diagonal(&d),
                &offset,
                &spline,
                t,
                Threads::Count(1),
            )
        };
        check_tiles(&input, &[10, 8], &spline, true, &cuts, &[], &eval);
    }
}

#[test]
fn rotate_tiles_of_planes() {
    // Rank 3 (each plane on its own) without the prefilter, rank 2 from coefficients.
    let input = data(&[3, 8, 7]);
    let shape = rotate_shape(&[3, 8, 7], 23.0, [2, 1], true).unwrap();
    let cuts = vec![vec![0, 1, 3], vec![0, 4, shape[1]], vec![0, 3, shape[2]]];
    let flat = data(&[8, 7]);
    let flat_shape = rotate_shape(&[8, 7], -41.0, [0, 1], false).unwrap();
    let flat_cuts = vec![vec![0, 3, 8], vec![0, 5, 7]];
    for spline in splines()
        .into_iter()
        .filter(|s| s.order == 1 || s.order == 3)
    {
        let raw = Spline {
            prefilter: false,
            ..spline
        };
        let eval = |i: ArrayViewD<'_, f64>, o: ArrayViewMutD<'_, f64>, t: &Tile| {
            let (i, o) = (i.reborrow(), o.reborrow());
            rotate_tile(i, o, 23.0, [2, 1], true, &raw, t, Threads::Count(2))
        };
        check_tiles(&input, &shape, &raw, false, &cuts, &[0], &eval);
        let eval = |i: ArrayViewD<'_, f64>, o: ArrayViewMutD<'_, f64>, t: &Tile| {
            let (i, o) = (i.reborrow(), o.reborrow());
            rotate_tile(i, o, -41.0, [0, 1], false, &spline, t, Threads::Count(1))
        };
        check_tiles(&flat, &flat_shape, &spline, true, &flat_cuts, &[], &eval);
    }
}

#[test]
fn map_coordinates_and_mapping_tiles() {
    let input = data(&[8, 9]);
    let coords = ArrayD::from_shape_fn(IxDyn(&[2, 6, 5]), |ix| {
        let (a, i, j) = (ix[0], ix[1] as f64, ix[2] as f64);
        if a == 0 {
            i * 1.3 - 0.7 + j * 0.1
        } else {
            j * 1.9 + 0.4 - i * 0.2
        }
    });
    let cuts = vec![vec![0, 2, 6], vec![0, 4, 5]];
    for spline in splines()
        .into_iter()
        .filter(|s| s.order == 0 || s.order >= 3)
    {
        let eval = |i: ArrayViewD<'_, f64>, o: ArrayViewMutD<'_, f64>, t: &Tile| {
            let (i, o) = (i.reborrow(), o.reborrow());
            // The coordinates of the output box.
            let (lo, shape) = match &t.output {
                Some(r) => (r.origin.clone(), o.shape().to_vec()),
                None => (vec![0, 0], o.shape().to_vec()),
            };
            let c = coords.slice_each_axis(|ax| {
                let a = ax.axis.index();
                if a == 0 {
                    Slice::from(..)
                } else {
                    Slice::from(lo[a - 1]..lo[a - 1] + shape[a - 1])
                }
            });
            map_coordinates_tile(i, c, o, &spline, t, Threads::Count(2))
        };
        check_tiles(&input, &[6, 5], &spline, true, &cuts, &[], &eval);
        // The same coordinates from a mapping, which receives whole-output indices.
        let eval = |i: ArrayViewD<'_, f64>, o: ArrayViewMutD<'_, f64>, t: &Tile| {
            let (i, o) = (i.reborrow(), o.reborrow());
            geometric_transform_tile(i, o, &spline, t, |index, c| {
                c[0] = coords[[0, index[0], index[1]]];
                c[1] = coords[[1, index[0], index[1]]];
                Ok(())
            })
        };
        let mut whole = ArrayD::<f64>::zeros(IxDyn(&[6, 5]));
        eval(input.view(), whole.view_mut(), &Tile::default()).unwrap();
        let mut tile_out = ArrayD::<f64>::zeros(IxDyn(&[2, 3]));
        let tile = Tile {
            output: Some(Region::new(&[4, 2], &[6, 5])),
            ..Tile::default()
        };
        eval(input.view(), tile_out.view_mut(), &tile).unwrap();
        let expected =
            whole.slice_each_axis(|ax| Slice::from(if ax.axis.index() == 0 { 4..6 } else { 2..5 }));
        assert!(tile_out
            .iter()
            .zip(expected.iter())
            .all(|(a, b)| a.to_bits() == b.to_bits()));
    }
}

#[test]
fn bad_tiles_are_errors() {
    let input = data(&[6, 5]);
    let spline = Spline::new(3, Mode::Mirror);
    let mut out = ArrayD::<f64>::zeros(IxDyn(&[3, 3]));
    let run = |tile: &Tile, out: &mut ArrayD<f64>| {
        shift_tile(
            input.view(),
            out.view_mut(),
            &[0.5, 0.5],
            &spline,
            tile,
            Threads::Count(1),
        )
    };
    // The output box reaches beyond the whole output.
    let tile = Tile {
        output: Some(Region::new(&[4, 0], &[6, 5])),
        ..Tile::default()
    };
    assert!(matches!(run(&tile, &mut out), Err(Error::ShapeMismatch(_))));
    // Wrong rank.
    let tile = Tile {
        output: Some(Region::new(&[0], &[6])),
        ..Tile::default()
    };
    assert!(matches!(
        run(&tile, &mut out),
        Err(Error::InvalidArgument(_))
    ));
    // An input region with the prefilter on needs coefficients.
    let tile = Tile {
        input: Some(Region::new(&[0, 0], &[6, 5])),
        ..Tile::default()
    };
    let e = run(&tile, &mut out).unwrap_err().to_string();
    assert!(e.contains("prefiltered"), "{e}");
    // Prefiltered coefficients too small for their padding.
    let nearest = Spline::new(3, Mode::Nearest);
    let tile = Tile {
        prefiltered: true,
        ..Tile::default()
    };
    let r = shift_tile(
        input.view(),
        out.view_mut(),
        &[0.5, 0.5],
        &nearest,
        &tile,
        Threads::Count(1),
    );
    assert!(matches!(r, Err(Error::ShapeMismatch(_))), "{r:?}");
}
