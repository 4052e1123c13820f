"""label, find_objects and value_indices against scipy 1.17.1: generated cases (ranks 1-4,
every real dtype, layouts, structures, output forms, thread counts), scipy's argument
errors, and the places where libndimage is deliberately right where scipy is not (label
numbering for non-C-ordered outputs, bool outputs, fractional labels in find_objects), each
tested on its own and kept out of the comparison."""

import warnings

import numpy as np
import pytest
import scipy.ndimage as sndi

import _labels as G
import _support as S
import libndimage as lndi

N_BATCHES = 12
BATCH = 150
WORKERS = [None, 1, 2, 3]


def _fail(failures):
    assert not failures, f"{len(failures)} mismatches:\n" + "\n\n".join(failures[:5])


# --------------------------------------------------------------------------------------
# label
# --------------------------------------------------------------------------------------

def label_case(rng, seed):
    rank = int(rng.integers(1, 5))
    shp = G.shape(rng, rank)
    in_dtype = str(rng.choice(G.REAL_DTYPES))
    out = str(rng.choice(["none", "none", "dtype", "array"]))
    out_dtype = str(rng.choice(["int32", "int64", "uint8", "int8", "int16", "uint16",
                                "uint32", "uint64", "float32", "float64"]))
    return dict(seed=seed, shape=shp, in_dtype=in_dtype, out=out, out_dtype=out_dtype,
                structure=G.symmetric_structure(rng, rank),
                workers=WORKERS[int(rng.integers(len(WORKERS)))])


def run_label(p):
    rng = np.random.default_rng(p["seed"] + 1)
    m = G.mask(rng, p["shape"])
    data = G.nonzero_values(rng, m, p["in_dtype"])
    x, layout = G.layouts_of(data, rng)
    kwargs = {} if p["structure"] is None else {"structure": p["structure"]}
    outcome = []
    for lib in (sndi, lndi):
        if lib is sndi and layout == "bigendian":
            # scipy's label rejects byte-swapped input (test_label_byte_swapped_input)
            x = x.astype(x.dtype.newbyteorder("="))
        extra = {} if lib is sndi else {"workers": p["workers"]}
        if p["out"] == "array":
            output = np.full(p["shape"], 7, dtype=p["out_dtype"])
        elif p["out"] == "dtype":
            output = np.dtype(p["out_dtype"])
        else:
            output = None
        try:
            result = lib.label(x, output=output, **kwargs, **extra)
        except RuntimeError as e:
            outcome.append(("error", str(e)))
            continue
        if p["out"] == "array":
            outcome.append((output, result))
        else:
            outcome.append(result)
    return outcome


@pytest.mark.parametrize("batch", range(N_BATCHES))
def test_label_generated(batch, tally):
    failures = []
    for k in range(BATCH):
        seed = 40_000_000 + batch * 10_000 + k * 10
        p = label_case(np.random.default_rng(seed), seed)
        expected, got = run_label(p)
        if isinstance(expected[0], str) or isinstance(got[0], str):
            matched = expected == got
        else:
            matched = S.same_bits(expected[0], got[0]) and expected[1] == got[1]
            matched = matched and type(expected[1]) is type(got[1])
        tally.add("label", matched)
        if not matched:
            failures.append(f"case {p}\nscipy {expected}\nours  {got}")
    _fail(failures)


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_label_every_structure(rank, tally):
    """Every point-symmetric structure of ranks 1 and 2 (and a sample of rank 3) on masks
    of every density: the connectivity rules, centre ignored."""
    rng = np.random.default_rng(rank)
    structures = list(G.all_structures(rank))
    if rank == 3:
        structures = [structures[i] for i in rng.choice(len(structures), 60, replace=False)]
    failures = []
    for s in structures:
        for density in (0.3, 0.5, 0.7):
            x = rng.random((7,) * rank if rank < 3 else (5, 6, 7)) < density
            expected = sndi.label(x, s)
            got = lndi.label(x, s)
            matched = S.same_bits(expected[0], got[0]) and expected[1] == got[1]
            tally.add("label", matched)
            if not matched:
                failures.append(f"structure {s.astype(int).tolist()} x {x.astype(int)}")
    _fail(failures)


def test_label_numbering_ignores_the_output_order():
    """scipy numbers components in the scan order of the output's memory layout; libndimage
    always in C order. The partition is scipy's."""
    rng = np.random.default_rng(5)
    differed = 0
    for _ in range(50):
        x = rng.random((6, 9)) < 0.5
        reference, n = sndi.label(x)
        for order in ("F", "C"):
            theirs = np.zeros(x.shape, np.int32, order=order)
            ours = np.zeros(x.shape, np.int32, order=order)
            assert sndi.label(x, output=theirs) == n
            assert lndi.label(x, output=ours) == n
            assert np.array_equal(ours, reference)
            assert G.relabel_partition(theirs, ours)
            differed += not np.array_equal(theirs, ours)
    assert differed > 10  # the F-ordered outputs do differ from scipy's numbering


def test_label_bool_output_holds_one_label():
    x = np.array([[1, 0, 1], [0, 0, 0], [1, 1, 0]])
    for output in (bool, np.zeros(x.shape, bool)):
        with pytest.raises(RuntimeError, match="insufficient bit-depth"):
            lndi.label(x, output=output)
    # scipy stores raw label bytes (3 reads as True) until they exceed 255.
    raw = sndi.label(x, output=bool)[0]
    assert raw.view(np.uint8).max() == 3
    one = np.array([[0, 1], [1, 1]])
    expected, got = sndi.label(one, output=bool), lndi.label(one, output=bool)
    assert S.same_bits(expected[0], got[0]) and expected[1] == got[1] == 1


def test_label_overflow_is_scipys_error_and_nothing_is_written():
    x = np.zeros((2, 600), bool)
    x[0, ::2] = True  # 300 components
    for dtype in (np.int8, np.uint8):
        with pytest.raises(RuntimeError, match="insufficient bit-depth"):
            sndi.label(x, output=dtype)
        out = np.full(x.shape, 5, dtype)
        with pytest.raises(RuntimeError, match="insufficient bit-depth"):
            lndi.label(x, output=out)
        assert (out == 5).all()
    for dtype in (np.int16, np.uint16, np.float32):
        expected, got = sndi.label(x, output=dtype), lndi.label(x, output=dtype)
        assert S.same_bits(expected[0], got[0]) and expected[1] == got[1] == 300


def test_label_byte_swapped_input():
    x = (np.random.default_rng(2).random((9, 8)) < 0.5).astype(">i4")
    with pytest.raises(ValueError, match="Big-endian"):
        sndi.label(x)
    expected, got = sndi.label(x.astype("<i4")), lndi.label(x)
    assert S.same_bits(expected[0], got[0]) and expected[1] == got[1]


def test_label_in_place():
    rng = np.random.default_rng(11)
    for dtype in (np.int32, np.int64, np.uint16, np.float64):
        x = (rng.random((13, 17)) < 0.5).astype(dtype)
        expected = sndi.label(x.copy())[0].astype(dtype)
        n = lndi.label(x, output=x)
        assert np.array_equal(x, expected) and n == expected.max()


@pytest.mark.parametrize("workers", WORKERS + [-1])
def test_label_thread_counts(workers):
    rng = np.random.default_rng(3)
    for shp in [(97, 61), (31, 17, 23), (5, 6, 7, 8), (2, 500), (500, 2)]:
        x = G.mask(rng, shp)
        s = G.generate_binary_structure(len(shp), len(shp))
        for structure in (None, s):
            expected = sndi.label(x, structure)
            got = lndi.label(x, structure, workers=workers)
            assert S.same_bits(expected[0], got[0]) and expected[1] == got[1]


def test_label_errors_are_scipys():
    x = np.ones((3, 4))
    cases = [
        (dict(input=x + 1j), TypeError, "Complex type not supported"),
        (dict(input=x, structure=np.ones((3, 3, 3))), RuntimeError, "equal rank"),
        (dict(input=x, structure=np.ones((3, 4))), ValueError, "must be equal to 3"),
        (dict(input=x, output=np.zeros((3, 5), np.int32)), ValueError, "output shape"),
        (dict(input=x.astype(np.float16)), TypeError, "No matching signature"),
        (dict(input=x, output=np.complex128), TypeError, "No matching signature"),
    ]
    skew = np.zeros((3, 3), bool)
    skew[0, 0] = skew[1, 1] = True
    cases.append((dict(input=x, structure=skew), AssertionError, "not symmetric"))
    for kwargs, exc, message in cases:
        for lib in (sndi, lndi):
            with pytest.raises(exc, match=message):
                lib.label(**kwargs)


def test_label_0d_and_empty():
    for x in (np.array(3.0), np.array(0), np.zeros((0, 3)), np.zeros((2, 0, 4), bool)):
        for output in (None, np.int16, np.zeros(x.shape, np.uint8)):
            expected = sndi.label(x, output=output)
            got = lndi.label(x, output=output)
            if isinstance(output, np.ndarray):
                assert expected == got
            else:
                assert S.same_bits(expected[0], got[0]) and expected[1] == got[1]


# --------------------------------------------------------------------------------------
# find_objects
# --------------------------------------------------------------------------------------

def objects_case(rng, seed):
    rank = int(rng.integers(1, 5))
    shp = G.shape(rng, rank)
    dtype = str(rng.choice(G.INT_DTYPES + ["float32", "float64"]))
    infer = rng.random() < 0.5
    if np.dtype(dtype).kind == "f" or int(np.prod(shp)) == 0:
        infer = False  # scipy cannot infer max_label of float labels or empty input
    max_label = 0 if infer else int(rng.choice([1, 3, 7, 25, 70]))
    return dict(seed=seed, shape=shp, dtype=dtype, max_label=max_label,
                workers=WORKERS[int(rng.integers(len(WORKERS)))])


@pytest.mark.parametrize("batch", range(N_BATCHES))
def test_find_objects_generated(batch, tally):
    failures = []
    for k in range(BATCH):
        seed = 41_000_000 + batch * 10_000 + k * 10
        p = objects_case(np.random.default_rng(seed), seed)
        rng = np.random.default_rng(seed + 1)
        values = G.label_image(rng, p["shape"], p["dtype"])
        x, _ = G.layouts_of(values, rng)
        if p["max_label"] == 0 and x.max() > 1000:
            p["max_label"] = 30  # a huge inferred max_label: a huge result list
        expected = sndi.find_objects(x, p["max_label"])
        got = lndi.find_objects(x, p["max_label"], workers=p["workers"])
        matched = expected == got
        tally.add("find_objects", matched)
        if not matched:
            failures.append(f"case {p}\nscipy {expected}\nours  {got}")
    _fail(failures)


def test_find_objects_0d_and_errors():
    for v in (0, 1, 3):
        x = np.array(v, np.int32)
        for m in (0, 1, 3, 5):
            if m == 0 and v == 0:
                continue
            assert sndi.find_objects(x, m) == lndi.find_objects(x, m)
    for lib in (sndi, lndi):
        with pytest.raises(TypeError, match="Complex"):
            lib.find_objects(np.ones(3, complex))
        with pytest.raises(ValueError):
            lib.find_objects(np.zeros((0, 3), np.int32))
        with pytest.raises(TypeError):
            lib.find_objects(np.ones(3, np.int32), 2.5)
        assert lib.find_objects(np.zeros(3, np.int32)) == []


def test_find_objects_exact_labels_only():
    """scipy truncates float labels (0.5 and 1.7 count as label 1) and cannot infer the
    label count of float or bool inputs; libndimage counts exact label values only and
    finds the largest label."""
    x = np.array([[0.5, 1.0, 0.0], [1.7, 2.0, -0.5], [2.0, np.nan, 3.5]])
    assert sndi.find_objects(x, 3)[0] == (slice(0, 2), slice(0, 2))
    assert lndi.find_objects(x, 3) == [(slice(0, 1), slice(1, 2)),
                                       (slice(1, 3), slice(0, 2)), None]
    assert lndi.find_objects(x) == lndi.find_objects(x, 2)
    b = np.array([[False, True], [True, False]])
    with pytest.raises(TypeError):
        sndi.find_objects(b)
    assert lndi.find_objects(b) == sndi.find_objects(b, 1) == [(slice(0, 2), slice(0, 2))]


# --------------------------------------------------------------------------------------
# value_indices
# --------------------------------------------------------------------------------------

def same_indices(expected, got):
    if list(expected) != list(got):
        return False
    for k in expected:
        if type(k) is not type(list(got)[list(expected).index(k)]):
            return False
        e, g = expected[k], got[k]
        if len(e) != len(g):
            return False
        for a, b in zip(e, g):
            if a.dtype != b.dtype or not np.array_equal(a, b):
                return False
    return True


def numpy_value_indices(values, ignore):
    result = {}
    for v in np.unique(values):
        if ignore is not None and v == values.dtype.type(ignore):
            continue
        result[values.dtype.type(v)] = np.nonzero(values == v)
    return result


@pytest.mark.parametrize("batch", range(N_BATCHES // 2))
def test_value_indices_generated(batch, tally):
    failures = []
    for k in range(BATCH):
        seed = 42_000_000 + batch * 10_000 + k * 10
        rng = np.random.default_rng(seed)
        rank = int(rng.integers(1, 5))
        shp = G.shape(rng, rank)
        dtype = str(rng.choice(G.INT_DTYPES))
        values = G.label_image(rng, shp, dtype)
        if rng.random() < 0.2 and values.size and np.dtype(dtype).itemsize >= 4:
            values = values.copy()
            values.flat[0] = np.iinfo(dtype).max // 3  # a wide value range
        x, layout = G.layouts_of(values, rng)
        ignore = None if rng.random() < 0.5 else int(rng.choice([0, 1, 2, 99]))
        kwargs = {} if ignore is None else {"ignore_value": ignore}
        got = lndi.value_indices(x, **kwargs)
        kept = values if ignore is None else values[values != values.dtype.type(ignore)]
        if kept.size and int(kept.max()) - int(kept.min()) > 2**20:
            # scipy allocates a histogram over the value range, whose arithmetic overflows
            # for wide ranges (MemoryError or a crash): compared with numpy instead.
            matched = same_indices(numpy_value_indices(values, ignore), got)
            assert matched, f"seed {seed}"
            continue
        if layout == "bigendian":
            # scipy reads byte-swapped values wrongly (test_value_indices_byte_swapped)
            x = x.astype(x.dtype.newbyteorder("="))
        expected = sndi.value_indices(x, **kwargs)
        matched = same_indices(expected, got)
        tally.add("value_indices", matched)
        if not matched:
            failures.append(f"seed {seed} {dtype} {shp} ignore {ignore}")
    _fail(failures)


def test_value_indices_byte_swapped():
    x = np.array([[3, 1], [3, 7]], ">u8")
    with pytest.raises(MemoryError):
        sndi.value_indices(x)  # it reads the byte-swapped minimum and maximum as native
    assert same_indices(lndi.value_indices(x), sndi.value_indices(x.astype("<u8")))


def test_value_indices_wide_range_and_errors():
    x = np.array([[0, 2**40], [-(2**50), 2**40]], np.int64)
    got = lndi.value_indices(x)  # scipy's histogram over the range fails here
    assert list(got) == [-(2**50), 0, 2**40]
    assert [tuple(a.tolist() for a in got[k]) for k in got] == [
        ([1], [0]), ([0], [0]), ([0, 1], [1, 1])]
    for lib in (sndi, lndi):
        with pytest.raises(ValueError, match="integer array"):
            lib.value_indices(np.ones(3))
        with pytest.raises(ValueError, match="integer array"):
            lib.value_indices(np.ones(3, bool))
        with pytest.raises(OverflowError):
            lib.value_indices(np.ones(3, np.uint8), ignore_value=300)
    for x in (np.array(5, np.int16), np.zeros((0, 2), np.int32)):
        for kwargs in ({}, {"ignore_value": 5}):
            assert same_indices(sndi.value_indices(x, **kwargs),
                                lndi.value_indices(x, **kwargs))
