"""histogram and labeled_comprehension against scipy 1.17.1 (generated cases: every index
form, dtypes, complex input, layouts, bins), compiled callbacks (C functions through
ctypes and scipy.LowLevelCallable, on several threads), and the one deliberate difference:
each label's values reach ``func`` in C order (scipy: NumPy's unstable argsort order)."""

import ctypes
import os
import subprocess
import warnings

import numpy as np
import pytest
import scipy
import scipy.ndimage as sndi

import _labels as G
import _support as S
import libndimage as lndi

N_BATCHES = 10
BATCH = 100

C_SOURCE = r"""
#include <stdint.h>
#include <math.h>
/* The range (max - min) of a label's values, times *(double *)user_data if given. */
int lc_range(double *v, intptr_t *p, intptr_t n, intptr_t entry, double *r, void *ud) {
    double lo = INFINITY, hi = -INFINITY;
    intptr_t i;
    (void)p; (void)entry;
    for (i = 0; i < n; i++) { if (v[i] < lo) lo = v[i]; if (v[i] > hi) hi = v[i]; }
    *r = (hi - lo) * (ud ? *(double *)ud : 1.0);
    return 1;
}
/* The first position of the label's largest value (values in C order). */
int lc_argmax(double *v, intptr_t *p, intptr_t n, intptr_t entry, double *r, void *ud) {
    intptr_t i, best = 0;
    (void)entry; (void)ud;
    for (i = 1; i < n; i++) if (v[i] > v[best]) best = i;
    *r = n ? (double)p[best] : -1.0;
    return 1;
}
int lc_fail(double *v, intptr_t *p, intptr_t n, intptr_t entry, double *r, void *ud) {
    (void)v; (void)p; (void)n; (void)r; (void)ud;
    return entry != 1;
}
"""


@pytest.fixture(scope="module")
def lclib(tmp_path_factory):
    d = tmp_path_factory.mktemp("lc")
    src, out = d / "lc.c", d / "liblc.so"
    src.write_text(C_SOURCE)
    gcc = os.environ.get("CC") or "gcc"
    subprocess.run([gcc, "-O2", "-shared", "-fPIC", "-o", str(out), str(src)], check=True)
    lib = ctypes.CDLL(str(out))
    dp, ip = ctypes.POINTER(ctypes.c_double), ctypes.POINTER(ctypes.c_ssize_t)
    for name in ("lc_range", "lc_argmax", "lc_fail"):
        fn = getattr(lib, name)
        fn.restype = ctypes.c_int
        fn.argtypes = [dp, ip, ctypes.c_ssize_t, ctypes.c_ssize_t, dp, ctypes.c_void_p]
    return lib


def _fail(failures):
    assert not failures, f"{len(failures)} mismatches:\n" + "\n\n".join(failures[:5])


def same_result(a, b):
    """Equal results: arrays bit for bit (object arrays element by element), scalars with
    their types."""
    if isinstance(a, np.ndarray) and a.dtype == object:
        if not (isinstance(b, np.ndarray) and b.dtype == object and a.shape == b.shape):
            return False
        return all((x is None and y is None) or (x is not None and y is not None
                                                 and S.same_bits(x, y))
                   for x, y in zip(a.reshape(-1), b.reshape(-1)))
    if a is None or b is None:
        return a is b
    return type(a) is type(b) and S.same_bits(np.asarray(a), np.asarray(b))


def case(rng, seed):
    rank = int(rng.integers(1, 5))
    shp = G.shape(rng, rank)
    dtype = str(rng.choice(G.REAL_DTYPES + ["complex128"]))
    data = S.random_data(rng, shp, dtype if dtype != "complex128" else "float64",
                         float(rng.choice([0.0, 0.1])))
    if dtype == "complex128":
        data = data + 1j * S.random_data(rng, shp, "float64", 0.0)
    x, _ = G.layouts_of(data, rng)
    labels = G.label_image(rng, shp, str(rng.choice(G.INT_DTYPES + ["float64"])))
    lab, _ = G.layouts_of(labels, rng)
    form = str(rng.choice(["none", "positive", "scalar", "list", "array"]))
    present = np.unique(labels).tolist()
    pool = present + [0, 1, 2, 3, 7, 50]
    pick = [pool[int(i)] for i in rng.integers(0, len(pool), int(rng.integers(1, 7)))]
    index = {"none": None, "positive": None, "scalar": pick[0], "list": pick,
             "array": np.array(pick, dtype=labels.dtype)}[form]
    return x, (None if form == "none" else lab), index, dict(seed=seed, form=form, dtype=dtype)


def run(lib, name, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            return getattr(lib, name)(*args, **kwargs)
        except (ValueError, TypeError, IndexError) as e:
            return ("error", type(e).__name__)


@pytest.mark.parametrize("batch", range(N_BATCHES))
def test_histogram_generated(batch, tally):
    failures = []
    for k in range(BATCH):
        seed = 44_000_000 + batch * 10_000 + k * 10
        rng = np.random.default_rng(seed)
        x, lab, index, p = case(rng, seed)
        lo = float(rng.choice([-1000.0, -3.0, 0.0, 1.5]))
        hi = lo + float(rng.choice([0.0, 1.0, 7.5, 2000.0]))
        bins = int(rng.integers(1, 12))
        args = (x, lo, hi, bins) + (() if lab is None else (lab,)) + (
            () if index is None else (index,))
        expected, got = run(sndi, "histogram", *args), run(lndi, "histogram", *args)
        if isinstance(expected, tuple) or isinstance(got, tuple):
            matched = expected == got
        else:
            matched = same_result(expected, got)
        tally.add("histogram", matched)
        if not matched:
            failures.append(f"{p} min {lo} max {hi} bins {bins} index {index!r}\n"
                            f"scipy {expected!r}\nours {got!r}")
    _fail(failures)


# Functions whose result does not depend on the order of the values they get.
FUNCS = {
    "max": (lambda v: v.max(), False),
    "size": (lambda v: v.size, False),
    "sorted_sum": (lambda v: float(np.sort(v.real).sum()), False),
    "count_pos": (lambda v, p: int(p.max() - p.min()), True),
    "array": (lambda v: np.array([v.size, 2]), False),
    "first_pos": (lambda v, p: int(p.min()), True),
}
OUT = {"max": [np.float64, object], "size": [np.int32, float], "sorted_sum": [float],
       "count_pos": [np.int64], "array": [object], "first_pos": [np.intp, np.float32]}


@pytest.mark.parametrize("batch", range(N_BATCHES))
def test_labeled_comprehension_generated(batch, tally):
    failures = []
    for k in range(BATCH):
        seed = 45_000_000 + batch * 10_000 + k * 10
        rng = np.random.default_rng(seed)
        x, lab, index, p = case(rng, seed)
        if lab is not None and p["form"] == "positive":
            pass
        name = str(rng.choice(list(FUNCS)))
        func, positions = FUNCS[name]
        out = OUT[name][int(rng.integers(len(OUT[name])))]
        default = {object: None, float: -1.5}.get(out, -1)
        if p["dtype"] == "complex128" and name == "max":
            func = lambda v: v.real.max()  # noqa: E731
        args = (x, lab, None if p["form"] in ("none", "positive") else index, func, out,
                default, positions)
        if x.size == 0 and p["form"] in ("none", "positive") and name in (
                "max", "count_pos", "first_pos"):
            continue  # the function itself raises on no value, in both
        expected = run(sndi, "labeled_comprehension", *args)
        got = run(lndi, "labeled_comprehension", *args)
        if isinstance(expected, tuple) and expected and expected[0] == "error":
            matched = expected == got
        else:
            matched = same_result(expected, got)
        tally.add("labeled_comprehension", matched)
        if not matched:
            failures.append(f"{p} func {name} out {out} index {index!r}\n"
                            f"scipy {expected!r}\nours {got!r}")
    _fail(failures)


def test_values_reach_func_in_c_order():
    """scipy orders each label's values by NumPy's unstable argsort; libndimage passes them
    in C order (an order-sensitive func, here one that records the order, shows it)."""
    rng = np.random.default_rng(1)
    x = np.arange(200.0)
    lab = rng.integers(1, 3, 200)
    got = lndi.labeled_comprehension(x, lab, [1, 2], lambda v: tuple(v), object, None)
    for g, v in zip(got, [1, 2]):
        assert list(g) == x[lab == v].tolist()
    theirs = sndi.labeled_comprehension(x, lab, [1, 2], lambda v: tuple(v), object, None)
    assert [sorted(t) for t in theirs] == [sorted(g) for g in got]


def test_errors_are_scipys():
    x, lab = np.arange(6.0), np.array([1, 1, 2, 2, 0, 0])
    f = np.sum
    for lib in (sndi, lndi):
        with pytest.raises(ValueError, match="index without defined labels"):
            lib.labeled_comprehension(x, None, [1], f, float, 0)
        with pytest.raises(ValueError, match="without loss of precision"):
            lib.labeled_comprehension(x, lab, [1.5], f, float, 0)
        with pytest.raises(ValueError, match="same shape"):
            lib.labeled_comprehension(x, np.ones(4, int), [1], f, float, 0)
        with pytest.raises(ValueError):
            lib.labeled_comprehension(x, lab, [1], f, int, np.nan)
        with pytest.raises(ValueError, match="index without defined labels"):
            lib.histogram(x, 0, 5, 3, None, [1])
        with pytest.raises(ValueError):
            lib.histogram(x, 5, 0, 3, lab, [1])
        with pytest.raises(ZeroDivisionError):
            lib.labeled_comprehension(x, lab, [1, 2], lambda v: 1 / 0, float, 0)


def test_a_raising_func_stops_the_call():
    calls = []

    def func(v):
        calls.append(v.size)
        if len(calls) == 2:
            raise KeyError("stop")
        return v.size

    lab = np.repeat(np.arange(1, 6), 3)
    with pytest.raises(KeyError):
        lndi.labeled_comprehension(np.ones(15), lab, [1, 2, 3, 4, 5], func, int, 0)
    assert calls == [3, 3]


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_compiled_functions(lclib, workers):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 30))
    lab = rng.integers(0, 9, x.shape)
    index = [3, 1, 12, 5, 1]
    scale = ctypes.c_double(2.0)
    ud = ctypes.cast(ctypes.pointer(scale), ctypes.c_void_p)
    llc = scipy.LowLevelCallable(lclib.lc_range, ud)
    for function in (llc, lclib.lc_range):
        got = lndi.labeled_comprehension(x, lab, index, function, float, -1.0,
                                         workers=workers, thread_safe=True)
        factor = 2.0 if function is llc else 1.0
        want = [np.ptp(x[lab == v]) * factor if (lab == v).any() else -1.0 for v in index]
        assert got.tolist() == want
    got = lndi.labeled_comprehension(x, lab, index, lclib.lc_argmax, np.int64, -7, True,
                                     workers=workers, thread_safe=True)
    want = [np.flatnonzero(lab == v)[np.argmax(x[lab == v])] if (lab == v).any() else -7
            for v in index]
    assert got.tolist() == want
    with pytest.raises(RuntimeError, match="unknown error in labeled_comprehension"):
        lndi.labeled_comprehension(x, lab, [1, 2, 3], lclib.lc_fail, float, 0.0)
    bad = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_double)(lambda v: 1)
    with pytest.raises(ValueError, match="Invalid scipy.LowLevelCallable signature"):
        lndi.labeled_comprehension(x, lab, [1], bad, float, 0.0)
