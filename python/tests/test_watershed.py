"""watershed_ift against scipy 1.17.1 and against the documented algorithm.

Every generated case is also run through an emulation of scipy's C code (``_watershed``),
which is checked against scipy itself and tells whether scipy's bugs (neighbours wrapping
across the ends of the axes, elements lost from its queues) changed the result. Cases where
they did not are compared with scipy bit for bit; the others are not compared with scipy
(counted as such) and, like every case, are compared with the correct algorithm."""

import numpy as np
import pytest
import scipy.ndimage as sndi

import _labels as G
import _support as S
import _watershed as W
import libndimage as lndi

N_BATCHES = 8
BATCH = 80
MARKER_TYPES = ["int8", "int16", "int32", "int64"]


def case(rng):
    rank = int(rng.integers(1, 5))
    while True:
        shp = tuple(int(rng.integers(1, 9 if rank < 3 else 5)) for _ in range(rank))
        if int(np.prod(shp)) <= 160:
            break
    dtype = str(rng.choice(["uint8", "uint16"]))
    top = int(rng.choice([3, 10, 255])) if dtype == "uint8" else int(rng.choice([5, 300]))
    image = rng.integers(0, top + 1, size=shp).astype(dtype)
    markers = np.zeros(shp, str(rng.choice(MARKER_TYPES)))
    count = int(rng.integers(0, 5))
    for k in range(count):
        where = tuple(int(rng.integers(0, n)) for n in shp)
        markers[where] = int(rng.choice([1, 2, 3, -1, -2, 7, 100]))
    if rng.random() < 0.5 and rank > 1:
        # Markers all round the border: scipy's wrapped neighbours then change nothing.
        border = np.zeros(shp, bool)
        for a in range(rank):
            index = [slice(None)] * rank
            index[a] = [0, shp[a] - 1]
            border[tuple(index)] = True
        markers[border] = rng.choice([1, 2, -1], size=int(border.sum()))
    r = rng.random()
    if r < 0.4:
        structure = None
    elif r < 0.7:
        structure = G.generate_binary_structure(rank, int(rng.integers(1, rank + 1)))
    else:
        structure = rng.random((3,) * rank) < 0.6
    out = str(rng.choice(["none", "same", "array"]))
    out_dtype = str(rng.choice(MARKER_TYPES)) if out == "array" else str(markers.dtype)
    return image, markers, structure, out, out_dtype


@pytest.mark.parametrize("batch", range(N_BATCHES))
def test_watershed_generated(batch, tally):
    failures = []
    for k in range(BATCH):
        seed = 46_000_000 + batch * 10_000 + k * 10
        rng = np.random.default_rng(seed)
        image, markers, structure, out, out_dtype = case(rng)
        x, _ = G.layouts_of(image, rng, ["C", "F", "neg", "sliced", "bigendian"])
        m, _ = G.layouts_of(markers, rng, ["C", "F", "neg"])
        s = structure if structure is not None else G.generate_binary_structure(image.ndim, 1)
        emulated, bugged = W.scipy_ift(image, markers, out_dtype, s)
        correct = W.correct_ift(image, markers, out_dtype, s)
        outputs = [np.zeros(image.shape, out_dtype) if out == "array" else None
                   for _ in range(2)]
        expected = sndi.watershed_ift(x, m, structure=structure, output=outputs[0])
        got = lndi.watershed_ift(x, m, structure=structure, output=outputs[1])
        if out == "array":
            assert expected is outputs[0] and got is outputs[1]
        if not np.array_equal(expected, emulated):
            failures.append(f"seed {seed}: the emulation of scipy is wrong")
        if not S.same_bits(got, correct):
            failures.append(f"seed {seed}: not the correct transform\n{correct}\n{got}")
        if bugged:
            tally.skip("watershed_ift")
            continue
        matched = S.same_bits(expected, got)
        tally.add("watershed_ift", matched)
        if not matched:
            failures.append(f"seed {seed}: scipy\n{expected}\nours\n{got}")
    assert not failures, "\n\n".join(failures[:5])


def test_scipy_bugs_are_not_copied():
    # Neighbours wrap across row ends in scipy: (1, 0) gets label 2 past the wall of 9s.
    image = np.array([[3, 9, 0], [0, 9, 0]], np.uint8)
    markers = np.array([[1, 0, 2], [0, 0, 0]], np.int32)
    assert sndi.watershed_ift(image, markers)[1, 0] == 2
    assert lndi.watershed_ift(image, markers).tolist() == [[1, 1, 2], [1, 1, 2]]
    # scipy's queue loses elements: an 8x4 uint16 image, one marker -1, 8-connectivity.
    rng = np.random.default_rng(0)
    for _ in range(200):
        image = rng.integers(0, 6, (8, 4)).astype(np.uint16)
        markers = np.zeros((8, 4), np.int16)
        markers[0, 0] = -1
        theirs = sndi.watershed_ift(image, markers, structure=np.ones((3, 3)))
        if (theirs == 0).any():
            break
    assert (theirs == 0).any()
    ours = lndi.watershed_ift(image, markers, structure=np.ones((3, 3)))
    assert (ours == -1).all()


def test_markers_keep_their_full_value_and_any_rank_works():
    image = np.zeros((2, 3), np.uint8)
    markers = np.zeros((2, 3), np.int64)
    markers[0, 0] = 2**32 + 5  # scipy reads it as the C int 5
    assert sndi.watershed_ift(image, markers)[1, 2] == 5
    assert lndi.watershed_ift(image, markers)[1, 2] == 2**32 + 5
    image = np.zeros((2,) * 8, np.uint8)
    markers = np.zeros((2,) * 8, np.int8)
    markers[(0,) * 8] = 3
    with pytest.raises(RuntimeError, match="too many dimensions"):
        sndi.watershed_ift(image, markers)
    assert (lndi.watershed_ift(image, markers) == 3).all()


def test_errors_are_scipys():
    image = np.zeros((3, 4), np.uint8)
    markers = np.zeros((3, 4), np.int32)
    cases = [
        (dict(input=image.astype(np.int16), markers=markers), TypeError, "only 8 and 16"),
        (dict(input=image, markers=markers, structure=np.ones((3, 3, 3))), RuntimeError,
         "equal rank"),
        (dict(input=image, markers=markers, structure=np.ones((3, 4))), RuntimeError,
         "must be equal to 3"),
        (dict(input=image, markers=markers[:2]), RuntimeError, "equal shape"),
        (dict(input=image, markers=markers.astype(np.uint8)), RuntimeError,
         "marker should be of integer type"),
        (dict(input=image, markers=markers, output=np.zeros((3, 4), np.uint16)), RuntimeError,
         "output should be of integer type"),
        (dict(input=image, markers=markers, output=np.zeros((3, 5), np.int32)), RuntimeError,
         "output shape not correct"),
    ]
    for kwargs, exc, message in cases:
        for lib in (sndi, lndi):
            with pytest.raises(exc, match=message):
                lib.watershed_ift(**kwargs)
    for shape in [(), (0, 3)]:
        image, markers = np.zeros(shape, np.uint8), np.full(shape, 4, np.int16)
        assert S.same_bits(sndi.watershed_ift(image, markers),
                           lndi.watershed_ift(image, markers))
