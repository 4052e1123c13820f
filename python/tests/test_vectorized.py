"""libndimage's vectorized_filter against scipy 1.17.1.

Python callables get scipy's semantics: generated cases (every mode but grid-mirror, size or
footprint, origins, axes, batch_memory chunking, real, float16 and complex data, outputs)
compared bit for bit. Compiled batched callbacks (the C path, ``ndi_vectorized_filter``) are
compared with scipy running a Python twin that computes the same values in the same order:
generated cases over real dtypes, layouts, modes (cval included), 'valid', origins, axes,
footprints, batch sizes, outputs and thread counts. scipy's bug (grid-mirror pads like
mirror) is fixed and tested on its own, and scipy's errors are compared.
"""

import ctypes
import os
import shutil
import subprocess
import warnings

import numpy as np
import pytest
import scipy
import scipy.ndimage as sndi

import _support as S
import libndimage as lndi

HERE = os.path.dirname(os.path.abspath(__file__))
REAL = S.DTYPE_NAMES + ["float16"]
MODES = ["reflect", "constant", "nearest", "mirror", "wrap", "grid-constant", "grid-wrap",
         "valid"]
CALLBACKS = ["vf_sum", "vf_weighted", "vf_last", "vf_size"]
N_C_BATCHES, N_PY_BATCHES, BATCH = 10, 6, 80


@pytest.fixture(scope="module")
def vlib(tmp_path_factory):
    """The callbacks of callbacks_vectorized.c as ctypes functions of the batched prototype."""
    gcc = os.environ.get("CC") or shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        pytest.skip("no C compiler")
    out = tmp_path_factory.mktemp("vcallbacks") / "libvf.so"
    subprocess.run([gcc, "-O2", "-shared", "-fPIC", "-o", str(out),
                    os.path.join(HERE, "callbacks_vectorized.c")], check=True)
    lib = ctypes.CDLL(str(out))
    dp = ctypes.POINTER(ctypes.c_double)
    for name in CALLBACKS + ["vf_batch", "vf_scaled", "vf_fail_after"]:
        fn = getattr(lib, name)
        fn.restype = ctypes.c_int
        fn.argtypes = [dp, ctypes.c_ssize_t, ctypes.c_ssize_t, dp, ctypes.c_void_p]
    return lib


# --------------------------------------------------------------------------------------
# Python twins of the C callbacks (same values, same order of operations)
# --------------------------------------------------------------------------------------

def _flat(view, axis):
    k = 1 if np.isscalar(axis) else len(axis)
    return view.reshape(view.shape[:view.ndim - k] + (-1,))


def py_sum(view, axis):
    flat = _flat(view, axis)
    if flat.shape[-1] == 0:
        return np.zeros(flat.shape[:-1])
    total = flat[..., 0].astype(np.float64)
    for k in range(1, flat.shape[-1]):
        total = total + flat[..., k]
    return total


def py_weighted(view, axis):
    flat = _flat(view, axis)
    total = np.zeros(flat.shape[:-1])
    for k in range(flat.shape[-1]):
        total = total + flat[..., k].astype(np.float64) * float(k + 1)
    return total


def py_last(view, axis):
    flat = _flat(view, axis)
    if flat.shape[-1] == 0:
        return np.full(flat.shape[:-1], np.nan)
    return flat[..., -1].astype(np.float64)


def py_size(view, axis):
    flat = _flat(view, axis)
    return np.full(flat.shape[:-1], float(flat.shape[-1]))


TWINS = {"vf_sum": py_sum, "vf_weighted": py_weighted, "vf_last": py_last, "vf_size": py_size}


# --------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------

def _window(rng, shape, axes):
    """(size, footprint, origin) for the window axes: origins anywhere scipy can pad."""
    n = len(axes)
    dims = [int(rng.integers(1, 5)) for _ in range(n)]
    if rng.random() < 0.5:
        size = dims[0] if rng.random() < 0.3 else tuple(dims)
        dims = [size] * n if np.isscalar(size) else dims
        footprint = None
    else:
        size = None
        footprint = rng.random(dims) < 0.6
    origin = [int(rng.integers(-(d // 2), (d - 1) // 2 + 1)) for d in dims]
    if rng.random() < 0.3:
        origin = None
    elif rng.random() < 0.3 and len(set(origin)) == 1:
        origin = origin[0] if origin else None
    return size, footprint, origin, dims


def make_case(rng, compiled):
    rank = int(rng.integers(1, 5))
    shape = tuple(int(rng.choice([1, 2, 3, 4, 5, 7, 9])) for _ in range(rank))
    if rng.random() < 0.03:
        shape = (0,) + shape[1:]
    if rng.random() < 0.5:
        axes = None
        win_axes = list(range(rank))
    else:
        k = int(rng.integers(1, rank + 1))
        win_axes = [int(a) for a in rng.permutation(rank)[:k]]
        axes = tuple(a - rank if rng.random() < 0.3 else a for a in win_axes)
    size, footprint, origin, dims = _window(rng, shape, win_axes)
    mode = str(rng.choice(MODES))
    if mode == "valid":
        origin = None
    cval = None
    if mode in ("constant", "grid-constant") and rng.random() < 0.7:
        cval = float(rng.choice([0.0, -1.5, 2.75, 300.5, float("nan"), 1e10]))
    dtypes = REAL if compiled else REAL + ["complex128", "complex64"]
    p = dict(shape=shape, axes=axes, size=size, footprint=footprint, origin=origin,
             mode=mode, cval=cval, dtype=str(rng.choice(dtypes)),
             layout=str(rng.choice(S.LAYOUTS)), seed=int(rng.integers(0, 2**31)),
             batch_memory=2**30, output=None, workers=None, thread_safe=False)
    valid_fits = mode != "valid" or all(
        shape[a] >= d for a, d in zip(win_axes, dims))
    if compiled:
        p["callback"] = str(rng.choice(CALLBACKS))
        count = int(np.prod(dims)) if footprint is None else int(footprint.sum())
        if rng.random() < 0.4:
            p["batch_memory"] = 8 * max(count, 1) * int(rng.integers(1, 4))
        p["workers"] = [None, 1, 2, 3][int(rng.integers(0, 4))]
        p["thread_safe"] = bool(rng.random() < 0.7)
        if rng.random() < 0.3 and valid_fits:
            p["output"] = str(rng.choice(["float64", "float32", "int32"]))
    else:
        p["function"] = str(rng.choice(["mean", "max", "sum", "median", "min"]))
        if rng.random() < 0.3:
            itemsize = np.dtype(p["dtype"]).itemsize
            p["batch_memory"] = itemsize * int(np.prod(dims)) * int(rng.integers(1, 40))
        if rng.random() < 0.2 and valid_fits:
            p["output"] = "float64" if p["dtype"] != "complex64" else "complex128"
    return p


def _data(p):
    with np.errstate(all="ignore"):
        return _values(p)


def _values(p):
    rng = np.random.default_rng(p["seed"])
    dtype = p["dtype"]
    if dtype.startswith("complex"):
        part = "float32" if dtype == "complex64" else "float64"
        values = (S.random_data(rng, p["shape"], part)
                  + 1j * S.random_data(rng, p["shape"], part)).astype(dtype)
    elif dtype == "float16":
        values = S.random_data(rng, p["shape"], "float32").astype(np.float16)
    else:
        values = S.random_data(rng, p["shape"], dtype)
    return S.with_layout(values, p["layout"], rng)


def _output_for(p, input):
    if p["output"] is None:
        return None
    shape = list(input.shape)
    ndim = input.ndim
    win = (list(range(ndim)) if p["axes"] is None
           else [a % ndim for a in p["axes"]])
    if p["mode"] == "valid":
        dims = (p["footprint"].shape if p["footprint"] is not None
                else ([p["size"]] * len(win) if np.isscalar(p["size"]) else p["size"]))
        for a, d in zip(win, dims):
            shape[a] -= d - 1
    return np.full(shape, 7, dtype=p["output"])


def _kwargs(p, output):
    kw = dict(size=p["size"], footprint=p["footprint"], origin=p["origin"], axes=p["axes"],
              mode=p["mode"], batch_memory=p["batch_memory"], output=output)
    if p["cval"] is not None:
        kw["cval"] = p["cval"]
    return kw


def _outcome(call):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return None, call()
        except Exception as exc:  # noqa: BLE001
            return type(exc), str(exc)


def run_compiled_case(p, vlib):
    """scipy with the twin (in one batch: its values do not depend on batching, and scipy's
    batch_memory counts view rows, not windows), and ours with the case's batch memory."""
    input = _data(p)
    theirs = _outcome(lambda: sndi.vectorized_filter(
        input, TWINS[p["callback"]], **dict(_kwargs(p, _output_for(p, input)),
                                             batch_memory=2**30)))
    ours = _outcome(lambda: lndi.vectorized_filter(
        input, getattr(vlib, p["callback"]), workers=p["workers"],
        thread_safe=p["thread_safe"], **_kwargs(p, _output_for(p, input))))
    return theirs, ours


def run_python_case(p):
    input = _data(p)
    function = getattr(np, p["function"])
    theirs = _outcome(lambda: sndi.vectorized_filter(
        input, function, **_kwargs(p, _output_for(p, input))))
    ours = _outcome(lambda: lndi.vectorized_filter(
        input, function, **_kwargs(p, _output_for(p, input))))
    return theirs, ours


def _same(theirs, ours):
    if theirs[0] is not None or ours[0] is not None:
        return theirs == ours
    return S.same_bits(theirs[1], ours[1])


def _describe(p, theirs, ours):
    if theirs[0] is None and ours[0] is None:
        return S.describe_mismatch(p, theirs[1], ours[1])
    return f"case: {p}\nscipy: {theirs}\nours:  {ours}"


@pytest.mark.parametrize("batch", range(N_C_BATCHES))
def test_generated_compiled(batch, vlib, tally):
    failures = []
    for k in range(BATCH):
        p = make_case(np.random.default_rng(50_000_000 + batch * 10_000 + k), True)
        theirs, ours = run_compiled_case(p, vlib)
        matched = _same(theirs, ours)
        # NaNs of both signs meeting in an addition: numpy's loop (scipy's side, the twin)
        # and the C callback may keep different ones.
        known = (not matched and theirs[0] is None and ours[0] is None
                 and S.nan_signs_only(theirs[1], ours[1]))
        tally.add("vectorized_filter (compiled callback)", matched, known=known)
        if not matched and not known:
            failures.append(_describe(p, theirs, ours))
    assert not failures, f"{len(failures)} mismatches:\n" + "\n\n".join(failures[:4])


@pytest.mark.parametrize("batch", range(N_PY_BATCHES))
def test_generated_python(batch, tally):
    failures = []
    for k in range(BATCH):
        p = make_case(np.random.default_rng(51_000_000 + batch * 10_000 + k), False)
        theirs, ours = run_python_case(p)
        matched = _same(theirs, ours)
        tally.add("vectorized_filter (Python callable)", matched)
        if not matched:
            failures.append(_describe(p, theirs, ours))
    assert not failures, f"{len(failures)} mismatches:\n" + "\n\n".join(failures[:4])


def test_generator_covers_the_space():
    seen = {k: set() for k in ("rank", "dtype", "mode", "layout", "footprint", "axes",
                               "origin", "batch", "workers", "output", "callback", "cval",
                               "errors", "empty")}
    for k in range(N_C_BATCHES * BATCH):
        p = make_case(np.random.default_rng(50_000_000 + (k // BATCH) * 10_000 + k % BATCH),
                      True)
        seen["rank"].add(len(p["shape"]))
        seen["dtype"].add(p["dtype"])
        seen["mode"].add(p["mode"])
        seen["layout"].add(p["layout"])
        seen["footprint"].add(p["footprint"] is not None)
        seen["axes"].add(p["axes"] is not None)
        seen["origin"].add(p["origin"] is not None and np.any(p["origin"]))
        seen["batch"].add(p["batch_memory"] < 2**30)
        seen["workers"].add((p["workers"], p["thread_safe"]))
        seen["output"].add(p["output"])
        seen["callback"].add(p["callback"])
        seen["cval"].add(p["cval"] is not None)
        seen["empty"].add(0 in p["shape"])
    assert seen["rank"] == {1, 2, 3, 4}
    assert seen["dtype"] == set(REAL)
    assert seen["mode"] == set(MODES)
    assert seen["layout"] == set(S.LAYOUTS)
    assert seen["output"] == {None, "float64", "float32", "int32"}
    assert seen["callback"] == set(CALLBACKS)
    for key in ("footprint", "axes", "origin", "batch", "cval", "empty"):
        assert seen[key] == {True, False}, key
    assert len(seen["workers"]) == 8


# --------------------------------------------------------------------------------------
# The compiled path: batches, threads, callback forms, failures
# --------------------------------------------------------------------------------------

def test_batches_follow_batch_memory_and_lines(vlib):
    x = np.arange(6 * 50, dtype=float).reshape(6, 50)
    # 3x3 windows are 72 bytes: 72 * 16 bytes -> batches of 16, 16, 16, 2 per line of 50.
    got = lndi.vectorized_filter(x, vlib.vf_batch, size=3, batch_memory=72 * 16)
    assert (got[:, :48] == 16).all() and (got[:, 48:] == 2).all()
    # The default: the whole line in one batch; the same batches on every thread count.
    for workers in (1, 2, 3):
        got = lndi.vectorized_filter(x, vlib.vf_batch, size=3, workers=workers,
                                     thread_safe=True)
        assert (got == 50).all()


def test_every_thread_count_gives_the_same_numbers(vlib, tally):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(40, 61, 7))
    fp = rng.random((3, 4, 2)) < 0.7
    expected = sndi.vectorized_filter(x, py_weighted, footprint=fp, mode="wrap")
    for workers in (1, 2, 3, 4):
        got = lndi.vectorized_filter(x, vlib.vf_weighted, footprint=fp, mode="wrap",
                                     workers=workers, thread_safe=True)
        tally.add("vectorized_filter (compiled callback)", S.same_bits(expected, got))
        assert S.same_bits(expected, got)


def test_callback_forms_and_user_data(vlib):
    x = np.arange(20.0).reshape(4, 5)
    expected = sndi.vectorized_filter(x, py_sum, size=(2, 3)) * 2.5
    scale = ctypes.c_double(2.5)
    forms = [scipy.LowLevelCallable(vlib.vf_scaled, ctypes.cast(ctypes.pointer(scale),
                                                                ctypes.c_void_p))]
    proto = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_double), ctypes.c_ssize_t,
                             ctypes.c_ssize_t, ctypes.POINTER(ctypes.c_double),
                             ctypes.c_void_p)
    for f in forms:
        assert S.same_bits(lndi.vectorized_filter(x, f, size=(2, 3)), expected)
    plain = proto(ctypes.cast(vlib.vf_sum, ctypes.c_void_p).value)
    assert S.same_bits(lndi.vectorized_filter(x, plain, size=(2, 3)), expected / 2.5)
    generic_filter_prototype = ctypes.CFUNCTYPE(
        ctypes.c_int, ctypes.POINTER(ctypes.c_double), ctypes.c_ssize_t,
        ctypes.POINTER(ctypes.c_double), ctypes.c_void_p)
    bad = scipy.LowLevelCallable(ctypes.cast(vlib.vf_sum, generic_filter_prototype))
    with pytest.raises(ValueError, match="Invalid scipy.LowLevelCallable signature"):
        lndi.vectorized_filter(x, bad, size=3)


def test_failing_callback_stops(vlib):
    x = np.ones((5, 8))
    left = ctypes.c_long(2)
    f = scipy.LowLevelCallable(vlib.vf_fail_after,
                               ctypes.cast(ctypes.pointer(left), ctypes.c_void_p))
    out = np.full((5, 8), -1.0)
    with pytest.raises(RuntimeError, match="vectorized_filter callback failed"):
        lndi.vectorized_filter(x, f, size=3, output=out)
    assert (out[:2] == 9).all() and (out[2:] == -1).all()  # one batch per line


def test_compiled_path_input_checks(vlib):
    with pytest.raises(TypeError, match="Complex type not supported"):
        lndi.vectorized_filter(np.ones(4, complex), vlib.vf_sum, size=3)
    with pytest.raises(ValueError, match="insufficient for minimum chunk size"):
        lndi.vectorized_filter(np.ones((4, 4)), vlib.vf_sum, size=3, batch_memory=71)
    assert lndi.vectorized_filter(np.ones((4, 4)), vlib.vf_sum, size=3,
                                  batch_memory=72).shape == (4, 4)
    # Out-of-range origins fail as scipy's np.pad does.
    for call in (lambda f, g: sndi.vectorized_filter(np.ones(5), g, size=3, origin=2),
                 lambda f, g: lndi.vectorized_filter(np.ones(5), f, size=3, origin=2)):
        with pytest.raises(ValueError, match="index can't contain negative values"):
            call(vlib.vf_sum, py_sum)
    # 'valid' with a window larger than the input, as sliding_window_view fails.
    with pytest.raises(ValueError, match="window shape cannot be larger"):
        lndi.vectorized_filter(np.ones(2), vlib.vf_sum, size=3, mode="valid")


def test_compiled_path_outputs_of_other_types(vlib):
    """Outputs the library does not write itself get numpy's assignment from float64."""
    x = np.arange(12.0).reshape(3, 4) - 5.0
    expected = sndi.vectorized_filter(x, py_sum, size=2)
    for dtype in (bool, np.complex128, np.float16):
        out = np.zeros((3, 4), dtype)
        got = lndi.vectorized_filter(x, vlib.vf_sum, size=2, output=out)
        reference = np.zeros((3, 4), dtype)
        reference[...] = expected
        assert S.same_bits(got, reference), dtype


def test_per_axis_cval_pads_as_scipy(vlib):
    x = np.arange(12.0).reshape(3, 4)
    cval = ((1.0, 2.0), (3.0, 4.0))
    expected = sndi.vectorized_filter(x, py_weighted, size=3, mode="constant", cval=cval)
    got = lndi.vectorized_filter(x, vlib.vf_weighted, size=3, mode="constant", cval=cval)
    assert S.same_bits(expected, got)


# --------------------------------------------------------------------------------------
# scipy's bug: grid-mirror pads like mirror; here like reflect
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("compiled", [False, True])
def test_grid_mirror_is_reflect(compiled, vlib):
    rng = np.random.default_rng(9)
    x = rng.normal(size=(5, 6))
    ours = vlib.vf_sum if compiled else py_sum
    for size in (3, (2, 5), 4, 13):
        got = lndi.vectorized_filter(x, ours, size=size, mode="grid-mirror")
        assert S.same_bits(got, sndi.vectorized_filter(x, py_sum, size=size, mode="reflect"))
        # The bug this fixes: scipy's grid-mirror is its mirror.
        scipy_gm = sndi.vectorized_filter(x, py_sum, size=size, mode="grid-mirror")
        assert S.same_bits(scipy_gm, sndi.vectorized_filter(x, py_sum, size=size,
                                                            mode="mirror"))
        assert not S.same_bits(scipy_gm, got)


def test_grid_mirror_agrees_with_generic_filter():
    x = np.arange(24.0).reshape(4, 6)
    got = lndi.vectorized_filter(x, np.sum, size=3, mode="grid-mirror")
    assert np.array_equal(got, sndi.generic_filter(x, np.sum, size=3, mode="grid-mirror"))


# --------------------------------------------------------------------------------------
# Errors: what scipy raises
# --------------------------------------------------------------------------------------

A2 = np.arange(12.0).reshape(3, 4)

ERROR_CASES = [
    ("function not callable", lambda: (A2, 5), dict(size=3)),
    ("no size or footprint", lambda: (A2, np.mean), {}),
    ("size and footprint", lambda: (A2, np.mean), dict(size=3, footprint=np.ones((3, 3)))),
    ("too many axes", lambda: (A2, np.mean), dict(size=3, axes=(0, 1, 0))),
    ("size float", lambda: (A2, np.mean), dict(size=2.5)),
    ("size zero", lambda: (A2, np.mean), dict(size=(0, 3))),
    ("size bool", lambda: (A2, np.mean), dict(size=True)),
    ("size length", lambda: (A2, np.mean), dict(size=(3, 3, 3))),
    ("footprint rank", lambda: (A2, np.mean), dict(footprint=np.ones(3))),
    ("size vs axes", lambda: (A2, np.mean), dict(size=(3, 3), axes=(1,))),
    ("origin float", lambda: (A2, np.mean), dict(size=3, origin=0.5)),
    ("origin length", lambda: (A2, np.mean), dict(size=3, origin=(0, 0, 0))),
    ("origin out of range", lambda: (A2, np.mean), dict(size=3, origin=5)),
    ("mode unknown", lambda: (A2, np.mean), dict(size=3, mode="Reflect")),
    ("mode list", lambda: (A2, np.mean), dict(size=3, mode=["reflect"])),
    ("valid with origin", lambda: (A2, np.mean), dict(size=3, mode="valid", origin=1)),
    ("cval with reflect", lambda: (A2, np.mean), dict(size=3, cval=1.0)),
    ("cval str", lambda: (A2, np.mean), dict(size=3, mode="constant", cval="a")),
    ("cval bool", lambda: (A2, np.mean), dict(size=3, mode="constant", cval=True)),
    ("batch_memory zero", lambda: (A2, np.mean), dict(size=3, batch_memory=0)),
    ("batch_memory list", lambda: (A2, np.mean), dict(size=3, batch_memory=[1])),
    ("batch_memory too small", lambda: (A2, np.mean), dict(size=3, batch_memory=8)),
    ("axes duplicate", lambda: (A2, np.mean), dict(size=3, axes=(1, 1))),
    ("axes out of range", lambda: (A2, np.mean), dict(size=3, axes=(0, 2))),
    ("valid window too large", lambda: (A2, np.mean), dict(size=5, mode="valid")),
    ("output shape", lambda: (A2, np.mean), dict(size=3, output=np.zeros((4, 3)))),
]


def _modes_listed(outcome):
    """The bad-mode message lists a set, whose order follows string hashes and how the set
    was built (scipy's comes from a constant in its compiled module): compared as a set."""
    prefix = "`mode` must be one of "
    if outcome[0] is ValueError and outcome[1].startswith(prefix):
        return outcome[0], frozenset(eval(outcome[1][len(prefix):-1]))
    return outcome


def _compare(make_args, kwargs, must_fail=True):
    theirs = _outcome(lambda: sndi.vectorized_filter(*make_args(), **kwargs))
    ours = _outcome(lambda: lndi.vectorized_filter(*make_args(), **kwargs))
    if must_fail:
        assert theirs[0] is not None, "case is not an error for scipy"
    theirs, ours = _modes_listed(theirs), _modes_listed(ours)
    assert _same(theirs, ours), (theirs, ours)


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_errors(case):
    _compare(case[1], case[2])


ACCEPTED = [
    ("empty input", lambda: (np.zeros((0, 3)), np.mean), dict(size=3)),
    ("0-d with size ()", lambda: (np.array(2.5), np.exp), dict(size=())),
    ("0-d with footprint", lambda: (np.array(2.5), np.sum), dict(footprint=np.array(True))),
    ("negative axes", lambda: (np.ones((2, 3, 4)), np.sum), dict(size=(2, 3), axes=(-1, 0))),
    ("scalar axis", lambda: (np.ones((2, 3, 4)), np.sum), dict(size=2, axes=1)),
    ("float16", lambda: (np.arange(9, dtype=np.float16), np.mean), dict(size=3)),
    ("complex", lambda: (np.arange(9) * 1j, np.mean), dict(size=4, mode="wrap")),
    ("batch_memory inf", lambda: (A2, np.mean), dict(size=3, batch_memory=np.inf)),
    ("multi-output", lambda: (A2, lambda x, axis: np.quantile(x, [0.25, 0.5], axis=axis)),
     dict(size=3, batch_memory=np.inf)),
    ("all-false footprint", lambda: (A2, np.sum), dict(footprint=np.zeros((2, 2)))),
    ("per-axis cval", lambda: (A2, np.sum),
     dict(size=3, mode="constant", cval=((1.0, 2.0), (3.0, 4.0)))),
]


@pytest.mark.parametrize("case", ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_accepted_corner_cases(case):
    _compare(case[1], case[2], must_fail=False)
