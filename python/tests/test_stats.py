"""The statistics over labels against scipy 1.17.1: sum_labels/sum, mean, variance,
standard_deviation, minimum, maximum, median, minimum_position, maximum_position, extrema and
center_of_mass, on generated cases (every index form, label images with gaps, absent and
negative labels, every real and complex dtype scipy accepts, ranks 1-4, layouts, NaN, ±0,
infinities, broadcasting labels, thread counts).

Where libndimage is deliberately different (a group without elements on the
index-sequence path, a group holding NaN there, ties that scipy's unstable argsort breaks,
fractional index values), the entry is checked against libndimage's documented rule
(computed here with numpy's argmin/argmax/median on the group's values in C order) and
counted as a known divergence when scipy's differs; those cases are also tested on their
own below."""

import warnings

import numpy as np
import pytest
import scipy.ndimage as sndi

import _labels as G
import _support as S
import libndimage as lndi

N_BATCHES = 24
BATCH = 120
WORKERS = [None, 1, 2, 3]
VALUE_FUNCTIONS = ["sum_labels", "sum", "mean", "variance", "standard_deviation", "minimum",
                   "maximum", "median"]
POSITION_FUNCTIONS = ["minimum_position", "maximum_position"]
ALL_FUNCTIONS = VALUE_FUNCTIONS + POSITION_FUNCTIONS + ["extrema", "center_of_mass"]
COMPLEX_ONE_GROUP = {"sum_labels", "sum", "mean", "variance", "standard_deviation",
                     "center_of_mass"}


def _fail(failures):
    assert not failures, f"{len(failures)} mismatches:\n" + "\n\n".join(failures[:5])


def stats_case(rng, seed):
    rank = int(rng.integers(1, 5))
    shp = G.shape(rng, rank)
    in_dtype = str(rng.choice(G.REAL_DTYPES + ["complex64", "complex128"]))
    label_dtype = str(rng.choice(G.INT_DTYPES + ["int32", "int64", "float64", "float32",
                                                 "bool"]))
    form = str(rng.choice(["none", "positive", "scalar", "scalar", "list", "array", "array",
                           "tuple", "2d"]))
    return dict(seed=seed, shape=shp, in_dtype=in_dtype, label_dtype=label_dtype, form=form,
                special=float(rng.choice([0.0, 0.0, 0.02, 0.3])),
                broadcast=bool(rng.random() < 0.1),
                workers=WORKERS[int(rng.integers(len(WORKERS)))])


def make_index(rng, form, labels):
    present = np.unique(labels[labels > 0]) if labels.size else np.array([], labels.dtype)
    pool = list(present.tolist()) + [0, 1, 2, 3, 5, 8, 13, 100]
    if labels.dtype.kind == "i":
        pool += [-1, -3]
    if labels.dtype.kind == "b":
        pool = [0, 1, True, False]
    pick = lambda k: [pool[int(i)] for i in rng.integers(0, len(pool), k)]  # noqa: E731
    if form == "scalar":
        v = pick(1)[0]
        kind = rng.random()
        if kind < 0.3:
            return np.dtype(labels.dtype).type(v) if labels.dtype.kind != "b" else bool(v)
        if kind < 0.45:
            return float(v)
        return v
    k = int(rng.integers(0, 9))
    values = pick(k)
    if form == "list":
        return values
    if form == "tuple":
        return tuple(values)
    if form == "2d":
        values = pick(6)
        return np.array(values).reshape(2, 3)
    dtype = rng.choice(["int64", "int32", "uint8", "float64", "label"])
    if dtype == "label":
        dtype = labels.dtype
    arr = np.array(values)
    with np.errstate(all="ignore"):
        if np.dtype(dtype).kind == "u" and (arr < 0).any():
            return arr
        return arr.astype(dtype)


def case_data(p):
    rng = np.random.default_rng(p["seed"] + 1)
    values = S.random_data(rng, p["shape"], p["in_dtype"] if "complex" not in p["in_dtype"]
                           else "float64", p["special"])
    if "complex" in p["in_dtype"]:
        im = S.random_data(rng, p["shape"], "float64", p["special"])
        values = (values + 1j * im).astype(p["in_dtype"])
    x, _ = G.layouts_of(values, rng)
    labels = G.label_image(rng, p["shape"], p["label_dtype"])
    if p["broadcast"] and len(p["shape"]) > 1 and labels.size:
        labels = labels[(slice(0, 1),) + (slice(None),) * (len(p["shape"]) - 1)]
    lab, _ = G.layouts_of(labels, rng)
    if p["form"] == "none":
        return x, None, None, labels
    if p["form"] == "positive":
        return x, lab, None, labels
    return x, lab, make_index(rng, p["form"], labels), labels


def call(lib, name, x, lab, index, workers):
    extra = {} if lib is sndi else {"workers": workers}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            if lab is None:
                return getattr(lib, name)(x, **extra)
            if index is None:
                return getattr(lib, name)(x, lab, **extra)
            return getattr(lib, name)(x, lab, index, **extra)
        except (ValueError, TypeError, IndexError) as e:
            return ("error", type(e).__name__)


# --------------------------------------------------------------------------------------
# libndimage's rules where it deliberately differs (numpy on each group's C-order values)
# --------------------------------------------------------------------------------------

def group_values(x, lab, value):
    x, lab = np.broadcast_arrays(np.asarray(x), np.asarray(lab))
    flat, labels = x.reshape(-1), lab.reshape(-1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mask = labels == value
        if isinstance(value, float) and labels.dtype.kind in "iub" and value != int(value):
            mask = np.zeros_like(mask)
    return flat[mask], np.flatnonzero(mask)


def rule_extreme(values, positions, maximum):
    """libndimage's extreme of a group: numpy's argmin/argmax (first in C order, NaN
    first), or None for no element."""
    if values.size == 0:
        return None
    k = int(np.argmax(values) if maximum else np.argmin(values))
    return values[k], int(positions[k])


def rule_median(values):
    if values.size == 0:
        with np.errstate(all="ignore"):
            return np.divide(0.0, 0.0)  # the platform's 0 / 0
    if np.isnan(values).any():
        return np.sort(values)[-1] if values.dtype.kind == "c" else values[np.isnan(values)][0]
    s = np.sort(values, kind="stable")
    lo, hi = (s.size - 1) // 2, s.size // 2
    if s.dtype.kind in "iub":
        return (s[lo].astype("d") + s[hi].astype("d")) / 2.0
    return (s[lo] + s[hi]) / 2.0


def entries(index):
    return np.asarray(index).reshape(-1).tolist()


def check_each(name, x, lab, index, expected, got):
    """Compares an index-sequence result entry by entry: bit for bit with scipy, or with
    libndimage's rule where it deliberately differs. Returns (matched, known, problem)."""
    shape = np.asarray(x).shape
    values = entries(index)
    known = False
    if name in ("minimum", "maximum", "median"):
        e, g = np.asarray(expected).reshape(-1), np.asarray(got).reshape(-1)
        if e.dtype != g.dtype or e.shape != g.shape:
            return False, False, "dtype/shape"
        nd = native_dtype(g.dtype)
        for k, v in enumerate(values):
            if S.same_bits(e[k], g[k]):
                continue
            vals, pos = group_values(x, lab, v)
            if name == "median":
                want = np.asarray(rule_median(vals), dtype=nd)
                ok = S.same_bits(want, np.asarray(g[k], nd))
            else:
                r = rule_extreme(vals, pos, name == "maximum")
                if r is None:
                    want = np.zeros((), nd) if nd.kind in "iub" else np.asarray(np.nan, nd)
                    ok = S.same_bits(want, np.asarray(g[k], nd)) or (
                        nd.kind == "c" and np.isnan(g[k]))
                else:
                    ok = S.same_bits(np.asarray(r[0], nd), np.asarray(g[k], nd))
            if not ok:
                return False, False, f"entry {k} (label {v}): scipy {e[k]!r}, ours {g[k]!r}"
            known = True
        return not known, known, None
    if name in POSITION_FUNCTIONS:
        if len(expected) != len(got):
            return False, False, "length"
        for k, v in enumerate(values):
            if expected[k] is not None and expected[k] == got[k]:
                continue
            vals, pos = group_values(x, lab, v)
            r = rule_extreme(vals, pos, name == "maximum_position")
            want = None if r is None else tuple(np.unravel_index(r[1], shape))
            if got[k] != want:
                return False, False, f"entry {k} (label {v}): scipy {expected[k]}, ours {got[k]}"
            known = True
        return not known, known, None
    raise AssertionError(name)


def native_dtype(dtype):
    return dtype if dtype.isnative else dtype.newbyteorder("=")


def nan_canonical(a):
    """A copy of ``a`` (float or complex) with the sign bit of every NaN cleared."""
    a = np.atleast_1d(np.array(a, copy=True))
    if a.dtype.kind == "c":
        parts = a.view(a.real.dtype if a.dtype.isnative else native_dtype(a.real.dtype))
        return nan_canonical(parts)
    if a.dtype.kind == "f":
        a[np.isnan(a)] = np.abs(a[np.isnan(a)])
    return a


def is_error(r):
    return isinstance(r, tuple) and len(r) == 2 and isinstance(r[0], str) and r[0] == "error"


def compare(name, p, x, lab, index, expected, got):
    """(matched, known, problem) for one case of one function."""
    each = p["form"] in ("list", "array", "tuple", "2d")
    if (each and is_error(expected) and expected[1] == "IndexError" and not is_error(got)
            and name in ("minimum", "maximum", "median") + tuple(POSITION_FUNCTIONS)):
        # scipy's index path overflows with uint8 labels holding 255 (labels.max() + 2):
        # libndimage's answer is checked against its rule entry by entry.
        n = len(entries(index))
        nothing = [None] * n if name in POSITION_FUNCTIONS else np.full(n, 123, got.dtype)
        matched, known, problem = check_each(name, x, lab, index, nothing, got)
        return False, problem is None, problem
    if is_error(expected) or is_error(got):
        same = is_error(expected) and is_error(got) and expected == got
        return same, False, None if same else f"{expected} vs {got}"
    if name == "extrema":
        if not each:
            matched = all(S.same_bits(a, b) if i < 2 else a == b
                          for i, (a, b) in enumerate(zip(expected, got)))
            return matched, False, None if matched else f"{expected} vs {got}"
        results = [check_each(n, x, lab, index, e, g) for n, e, g in
                   zip(["minimum", "maximum", "minimum_position", "maximum_position"],
                       expected, got)]
        problem = next((r[2] for r in results if r[2]), None)
        if problem:
            return False, False, problem
        known = any(r[1] for r in results)
        return not known, known, None
    if name == "center_of_mass":
        if each:
            matched = len(expected) == len(got) and all(
                S.same_bits(np.array(a), np.array(b)) for a, b in zip(expected, got))
            if not matched and len(expected) == len(got) and all(
                    S.same_bits(nan_canonical(np.array(a)), nan_canonical(np.array(b)))
                    for a, b in zip(expected, got)):
                return False, True, None
        else:
            matched = (len(expected) == len(got)
                       and all(S.same_bits(a, b) for a, b in zip(expected, got)))
            if not matched and len(expected) == len(got) and all(
                    S.same_bits(nan_canonical(a), nan_canonical(b))
                    for a, b in zip(expected, got)):
                return False, True, None
        return matched, False, None if matched else f"{expected} vs {got}"
    if each and name in ("minimum", "maximum", "median") + tuple(POSITION_FUNCTIONS):
        return check_each(name, x, lab, index, expected, got)
    if name in POSITION_FUNCTIONS:
        if expected == got:
            return True, False, None
        # one group: ties of ±0 or NaN (scipy raises IndexError on NaN)
        return False, False, f"{expected} vs {got}"
    matched = S.same_bits(np.asarray(expected), np.asarray(got)) and (
        type(expected) is type(got))
    if not matched and type(expected) is type(got) and S.same_bits(
            nan_canonical(expected), nan_canonical(got)):
        return False, True, None  # only NaN sign bits differ (README: NaN sign bits)
    if not matched and name in ("minimum", "maximum") and not each:
        # ±0 ties: libndimage gives the first in C order
        e, g = np.asarray(expected), np.asarray(got)
        if e.dtype == g.dtype and e == g and not np.isnan(e):
            return False, True, None
    return matched, False, None if matched else f"{expected!r} vs {got!r}"


def skip_reason(name, p, x, lab, index):
    """Cases scipy answers in ways libndimage deliberately does not, kept out of the
    comparison (each tested on its own below)."""
    complex_input = np.asarray(x).dtype.kind == "c"
    each = p["form"] in ("list", "array", "tuple", "2d")
    if complex_input and (each or name not in COMPLEX_ONE_GROUP | {"minimum", "maximum",
                                                                   "median", "extrema"}
                          | set(POSITION_FUNCTIONS)):
        return "complex"
    if index is not None and lab is not None:
        idx, labs = np.asarray(index), np.asarray(lab)
        if (idx.dtype.kind == "f" and labs.dtype.kind in "iu" and labs.size
                and np.abs(labs.astype(float)).max() > 2.0**53):
            return "inexact comparison"  # numpy compares 64-bit labels as float64 there
    if each and np.size(x) == 0:
        return "empty input with an index sequence"  # scipy raises (tested on its own)
    if index is not None and each:
        idx = np.asarray(index)
        if idx.dtype.kind == "f" and (idx != np.round(idx)).any():
            return "fractional index"
        if idx.ndim == 0:
            return "0-d index"
    if np.isscalar(index) and isinstance(index, float) and index != int(index):
        return "fractional index"
    if name in POSITION_FUNCTIONS + ["extrema"] and not each:
        # one group holding NaN: scipy raises IndexError (tested on its own)
        vals = np.asarray(x) if lab is None else None
        if vals is None:
            ref = np.broadcast_arrays(np.asarray(x), np.asarray(lab))
            sel = ref[1] > 0 if index is None else ref[1] == index
            vals = ref[0][sel]
        if np.isnan(vals).any() if vals.dtype.kind in "fc" else False:
            return "NaN position"
    if name in POSITION_FUNCTIONS + ["extrema", "center_of_mass"] and lab is not None:
        if np.broadcast_shapes(np.shape(x), np.shape(lab)) != np.shape(x):
            return "broadcast positions"
    if name == "center_of_mass" and np.ndim(x) == 0:
        return "0-d center"
    return None


@pytest.mark.parametrize("batch", range(N_BATCHES))
def test_statistics_generated(batch, tally):
    failures = []
    for k in range(BATCH):
        seed = 43_000_000 + batch * 10_000 + k * 10
        p = stats_case(np.random.default_rng(seed), seed)
        x, lab, index, _ = case_data(p)
        names = [ALL_FUNCTIONS[(k + j) % len(ALL_FUNCTIONS)] for j in range(4)]
        for name in names:
            reason = skip_reason(name, p, x, lab, index)
            if reason:
                continue
            expected = call(sndi, name, x, lab, index, None)
            got = call(lndi, name, x, lab, index, p["workers"])
            matched, known, problem = compare(name, p, x, lab, index, expected, got)
            tally.add(name, matched, known=known)
            if problem:
                failures.append(f"{name} case {p} index {index!r}\n{problem}")
    _fail(failures)


# --------------------------------------------------------------------------------------
# Where libndimage is deliberately right (each on its own)
# --------------------------------------------------------------------------------------

def test_absent_labels_on_the_index_path():
    """scipy gives 0 (and position (0, 0)) for labels without elements, and an unrelated
    value for their median; libndimage gives NaN for float inputs (0 for integers, which
    cannot hold NaN), None for positions and NaN for the median."""
    x = np.array([[1.5, 2.5, 0.5], [4.0, 3.0, 9.0]])
    lab = np.array([[1, 1, 0], [2, 2, 0]])
    idx = [2, 7, 1]
    assert sndi.minimum(x, lab, idx).tolist() == [3.0, 0.0, 1.5]
    assert sndi.median(x, lab, idx)[1] == 0.5  # (s0 + s0) / 2 of the smallest label (0)
    got = lndi.minimum(x, lab, idx)
    assert got[0] == 3.0 and np.isnan(got[1]) and got[2] == 1.5
    assert np.isnan(lndi.maximum(x, lab, idx)[1])
    assert np.isnan(lndi.median(x, lab, idx)[1])
    assert sndi.minimum_position(x, lab, idx)[1] == (0, 0)
    assert lndi.minimum_position(x, lab, idx) == [(1, 1), None, (0, 0)]
    assert lndi.extrema(x, lab, idx)[3] == [(1, 0), None, (0, 1)]
    ints = x.astype(np.int16)
    assert lndi.minimum(ints, lab, idx).tolist() == [3, 0, 1]
    assert lndi.minimum(ints, lab, idx).dtype == np.int16
    # mean, variance, sum, center_of_mass already agree with scipy there (NaN / 0)
    for name in ("sum_labels", "mean", "variance", "center_of_mass"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            e, g = getattr(sndi, name)(x, lab, idx), getattr(lndi, name)(x, lab, idx)
        assert S.same_bits(np.array(e), np.array(g)), name


def test_nan_in_a_group_propagates_on_every_path():
    """NaN is the minimum and maximum (at its first position) and the median of a group
    holding it, as NumPy's min/max/median give on scipy's one-group paths; scipy's index
    path sorts NaN last (ignored by minimum, returned by maximum) and its one-group
    positions raise IndexError."""
    x = np.array([3.0, np.nan, 1.0, 2.0, np.nan, 5.0])
    lab = np.array([1, 1, 1, 2, 2, 2])
    assert sndi.minimum(x, lab, [1, 2]).tolist() == [1.0, 2.0]
    with pytest.raises(IndexError):
        sndi.minimum_position(x, lab, 1)
    for index in (1, [1], [1, 2]):
        lo, hi = lndi.minimum(x, lab, index), lndi.maximum(x, lab, index)
        assert np.isnan(lo).all() and np.isnan(hi).all()
        assert np.isnan(lndi.median(x, lab, index)).all()
    assert lndi.minimum_position(x, lab, 1) == (1,)
    assert lndi.maximum_position(x, lab, [1, 2]) == [(1,), (4,)]
    assert lndi.minimum_position(x) == (1,)
    assert np.isnan(lndi.minimum(x)) and np.isnan(sndi.minimum(x))


def test_ties_resolve_to_the_first_element_in_c_order():
    """scipy's index path finds positions through NumPy's unstable argsort (40 equal
    values: maximum_position gives the last); libndimage gives the first in C order on
    every path, as scipy's one-group path does."""
    x = np.zeros((5, 8))
    lab = np.ones((5, 8), int)
    assert sndi.maximum_position(x, lab, [1]) == [(4, 7)]
    assert sndi.maximum_position(x, lab, 1) == (0, 0)
    for index in (1, [1], None):
        expected = (0, 0) if index != [1] else [(0, 0)]
        assert lndi.maximum_position(x, lab, index) == expected
        assert lndi.minimum_position(x, lab, index) == expected
    rng = np.random.default_rng(4)
    for _ in range(50):
        x = rng.integers(0, 3, (6, 7)).astype(float)
        lab = rng.integers(0, 4, (6, 7))
        got = lndi.extrema(x, lab, [1, 2, 3])
        for k, v in enumerate([1, 2, 3]):
            flat = np.flatnonzero(lab == v)
            if flat.size == 0:
                assert got[2][k] is None
                continue
            vals = x.ravel()[flat]
            assert got[2][k] == np.unravel_index(flat[np.argmin(vals)], x.shape)
            assert got[3][k] == np.unravel_index(flat[np.argmax(vals)], x.shape)


def test_fractional_index_values_match_no_label():
    """scipy's index path truncates 1.5 to label 1 (its scalar path matches nothing);
    libndimage matches label values exactly on every path."""
    x = np.array([1.0, 2.0, 4.0])
    lab = np.array([1, 1, 2])
    assert sndi.mean(x, lab, [1.5]).tolist() == [1.5]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert np.isnan(sndi.mean(x, lab, 1.5))
    assert np.isnan(lndi.mean(x, lab, [1.5])).all()
    assert np.isnan(lndi.mean(x, lab, 1.5))
    assert lndi.sum_labels(x, lab, [1.0, 2.0, 2.5]).tolist() == [3.0, 4.0, 0.0]
    assert lndi.minimum_position(x, lab, [1.5]) == [None]


def test_index_forms_scipy_cannot_take():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    lab = np.array([[1, 2], [2, 0]])
    # a 0-d index array: scipy crashes; libndimage takes it as an index of shape ()
    with pytest.raises(TypeError):
        sndi.mean(x, lab, np.array(2))
    got = lndi.mean(x, lab, np.array(2))
    assert got.shape == () and got == 2.5
    # an index sequence with an empty input: scipy raises; every label is absent here
    e = np.zeros((0, 3))
    with pytest.raises((ValueError, IndexError)):
        sndi.maximum(e, e.astype(int), [1, 2])
    assert np.isnan(lndi.maximum(e, e.astype(int), [1, 2])).all()
    assert lndi.maximum_position(e, e.astype(int), [1]) == [None]
    assert lndi.sum_labels(e, e.astype(int), [1, 2]).tolist() == [0.0, 0.0]
    # center_of_mass of a 0-d input: scipy raises IndexError; libndimage gives ()
    with pytest.raises(IndexError):
        sndi.center_of_mass(np.array(2.0))
    assert lndi.center_of_mass(np.array(2.0)) == ()


def test_errors_are_scipys():
    x = np.arange(12.0).reshape(3, 4)
    lab = np.ones((3, 4), int)
    for lib in (sndi, lndi):
        with pytest.raises(ValueError):
            lib.mean(x, np.ones((2, 4), int))
        for name in ("minimum", "maximum", "minimum_position", "extrema"):
            with pytest.raises(ValueError, match="zero-size array"):
                getattr(lib, name)(x, lab, 5)
        for name in ("sum_labels", "mean", "variance", "center_of_mass"):
            with pytest.raises(TypeError, match="Cannot cast"):
                getattr(lib, name)(x + 1j, lab, [1])
    with pytest.raises(TypeError, match="float16"):
        lndi.mean(x.astype(np.float16))


@pytest.mark.parametrize("workers", [1, 2, 3, -1])
def test_statistics_thread_counts(workers):
    rng = np.random.default_rng(12)
    x = rng.normal(size=(61, 47, 9))
    lab = (rng.random(x.shape) * 40).astype(np.int32)
    idx = np.arange(0, 45)
    for name in ALL_FUNCTIONS:
        for args in ((lab, idx), (lab,), (lab, 3), ()):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                one = call(lndi, name, x, *(args + (None,) * (2 - len(args))), 1)
                got = call(lndi, name, x, *(args + (None,) * (2 - len(args))), workers)
            assert repr(one) == repr(got), name
