"""Generated differential cases: libndimage must give scipy 1.17.1's bytes exactly.

Every batch draws its cases from a seeded generator (see _support.py), runs each case on
both libraries, counts it, and fails at the end listing the mismatching cases. Cases that
would hit scipy's reflect out-of-bounds read (generic_filter only) are skipped here and
checked against an independent computation in test_api.py.
"""


import numpy as np
import pytest
import scipy.ndimage as sndi

import _support as S
import libndimage as lndi

N_FILTER_BATCHES = 150
FILTER_BATCH = 200
N_FILTER1D_BATCHES = 120
FILTER1D_BATCH = 200
N_PY_BATCHES = 16
PY_BATCH = 30


def _finish(tally, function, results):
    """Counts the batch's results and fails with the mismatches, if any."""
    failures = []
    for params, skipped, matched, expected, got in results:
        if skipped:
            continue
        tally.add(function, matched)
        if not matched:
            failures.append(S.describe_mismatch(params, expected, got))
    assert not failures, f"{len(failures)} mismatches:\n" + "\n\n".join(failures[:5])


@pytest.mark.parametrize("batch", range(N_FILTER_BATCHES))
def test_generic_filter_generated(batch, clib, tally):
    results = []
    for k in range(FILTER_BATCH):
        seed = 1_000_000 + batch * 10_000 + k * 10
        params = S.generic_filter_case(np.random.default_rng(seed), seed)
        keep = S.Keep()
        function = S.c_function(clib, params["callback"], keep)
        results.append((params, *S.run_generic_filter_case(params, function)))
    skipped = sum(r[1] for r in results)
    assert skipped < len(results) // 4
    _finish(tally, "generic_filter", results)


@pytest.mark.parametrize("batch", range(N_FILTER1D_BATCHES))
def test_generic_filter1d_generated(batch, clib, tally):
    results = []
    for k in range(FILTER1D_BATCH):
        seed = 2_000_000 + batch * 10_000 + k * 10
        params = S.generic_filter1d_case(np.random.default_rng(seed), seed)
        keep = S.Keep()
        function = S.c_function(clib, params["callback"], keep)
        results.append((params, *S.run_generic_filter1d_case(params, function)))
    _finish(tally, "generic_filter1d", results)


@pytest.mark.parametrize("batch", range(N_PY_BATCHES))
def test_generic_filter_generated_python_callable(batch, tally):
    results = []
    for k in range(PY_BATCH):
        seed = 3_000_000 + batch * 10_000 + k * 10
        rng = np.random.default_rng(seed)
        params = S.generic_filter_case(rng, seed)
        params["shape"] = tuple(min(n, 5) for n in params["shape"])
        variant = k % 3
        if variant == 0:
            extra = {}
        elif variant == 1:
            extra = dict(extra_arguments=(-0.75,))
        else:
            extra = dict(extra_arguments=(2.5,), extra_keywords={"offset": 0.125})
        params["extra"] = extra
        results.append((params, *S.run_generic_filter_case(params, S.py_wsum, **extra)))
    _finish(tally, "generic_filter", results)


@pytest.mark.parametrize("batch", range(N_PY_BATCHES))
def test_generic_filter1d_generated_python_callable(batch, tally):
    results = []
    for k in range(PY_BATCH):
        seed = 4_000_000 + batch * 10_000 + k * 10
        params = S.generic_filter1d_case(np.random.default_rng(seed), seed)
        params["shape"] = tuple(min(n, 6) for n in params["shape"])
        params["filter_size"] = min(params["filter_size"], 15)
        fs = params["filter_size"]
        params["origin"] = min(max(params["origin"], -(fs // 2)), (fs - 1) // 2)
        variant = k % 3
        if variant == 0:
            extra = {}
        elif variant == 1:
            extra = dict(extra_arguments=(-0.75,))
        else:
            extra = dict(extra_arguments=(2.5,), extra_keywords={"offset": 0.125})
        params["extra"] = extra
        results.append((params, *S.run_generic_filter1d_case(params, S.py_wmoving,
                                                               **extra)))
    _finish(tally, "generic_filter1d", results)


# --------------------------------------------------------------------------------------
# Exhaustive: every input dtype x output dtype x mode, with the SPECIAL values
# --------------------------------------------------------------------------------------

def _special_input(dtype, shape, seed):
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        with np.errstate(all="ignore"):
            values = np.resize(np.array(S.SPECIAL), int(np.prod(shape))).astype(dtype)
        rng.shuffle(values)
        return values.reshape(shape)
    return S.random_data(rng, shape, dtype, special=0.5)


@pytest.mark.parametrize("in_dtype", S.DTYPE_NAMES)
def test_dtype_matrix_generic_filter(in_dtype, clib, tally):
    """Each output dtype and mode, with callbacks passing extreme values through
    (gf_last), amplifying them (gf_scaled) and averaging them (gf_mean)."""
    results = []
    data = _special_input(in_dtype, (5, 7), 11)
    for out_dtype in S.DTYPE_NAMES:
        for mode in S.MODES:
            for name, fp in (("gf_last", np.array([[1, 0], [0, 1]], bool)),
                             ("gf_scaled", np.ones((3, 2), bool)),
                             ("gf_mean", np.array([[0, 1, 0], [1, 0, 1]], bool))):
                function = S.llc(clib, name)
                expected = sndi.generic_filter(data, function, footprint=fp, mode=mode,
                                               cval=-3.7, output=np.dtype(out_dtype))
                got = lndi.generic_filter(data, function, footprint=fp, mode=mode,
                                          cval=-3.7, output=np.dtype(out_dtype))
                params = dict(in_dtype=in_dtype, out_dtype=out_dtype, mode=mode, cb=name)
                results.append((params, False, S.same_bits(expected, got), expected, got))
    _finish(tally, "generic_filter", results)


@pytest.mark.parametrize("in_dtype", S.DTYPE_NAMES)
def test_dtype_matrix_generic_filter1d(in_dtype, clib, tally):
    results = []
    data = _special_input(in_dtype, (4, 9), 12)
    for out_dtype in S.DTYPE_NAMES:
        for mode in S.MODES:
            for name, size, axis in (("gf1d_last", 3, -1), ("gf1d_scaled", 4, 0),
                                     ("gf1d_line", 2, 1)):
                function = S.llc(clib, name)
                expected = sndi.generic_filter1d(data, function, size, axis=axis, mode=mode,
                                                 cval=1e19, output=np.dtype(out_dtype))
                got = lndi.generic_filter1d(data, function, size, axis=axis, mode=mode,
                                            cval=1e19, output=np.dtype(out_dtype))
                params = dict(in_dtype=in_dtype, out_dtype=out_dtype, mode=mode, cb=name)
                results.append((params, False, S.same_bits(expected, got), expected, got))
    _finish(tally, "generic_filter1d", results)


# --------------------------------------------------------------------------------------
# Exhaustive: every origin of every size on short axes, every mode
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", S.MODES)
def test_all_origins_small_axes(mode, clib, tally):
    """Sizes 1..2n+3 and every valid origin on axes of length 1..4 (both functions)."""
    results_gf, results_1d = [], []
    gf = S.llc(clib, "gf_wsum")
    g1 = S.llc(clib, "gf1d_wmoving")
    for n in range(1, 5):
        data = np.arange(1.0, 2 * n + 1.0).reshape(2, n) ** 1.5
        for fs in range(1, 2 * n + 4):
            for origin in range(-(fs // 2), (fs - 1) // 2 + 1):
                params = dict(n=n, fs=fs, origin=origin, mode=mode)
                got = lndi.generic_filter1d(data, g1, fs, origin=origin, mode=mode, cval=0.5)
                expected = sndi.generic_filter1d(data, g1, fs, origin=origin, mode=mode,
                                                 cval=0.5)
                results_1d.append((params, False, S.same_bits(expected, got), expected, got))
                if S.hits_scipy_reflect_bug(mode, data.shape, (1, fs), (0, origin)):
                    continue
                got = lndi.generic_filter(data, gf, size=(1, fs), origin=(0, origin),
                                          mode=mode, cval=0.5)
                expected = sndi.generic_filter(data, gf, size=(1, fs), origin=(0, origin),
                                               mode=mode, cval=0.5)
                results_gf.append((params, False, S.same_bits(expected, got), expected, got))
    _finish(tally, "generic_filter", results_gf)
    _finish(tally, "generic_filter1d", results_1d)


def test_uint64_store_below_minus_2_63(clib):
    """scipy's generic_filter stores v < -2**63 into uint64 as (2**64 - U(-v)) mod 2**64,
    where U is the line store's conversion; generic_filter1d's line store does not."""
    values = np.array([-1e19, -9.3e18, -1.5e19, -1e20, -2.0**64, -np.inf, -2.0**63,
                       -1e10, np.nan])
    fn = S.llc(clib, "gf_last")
    expected = sndi.generic_filter(values, fn, size=1, output=np.uint64)
    assert expected.tolist()[:6] == [8446744073709551616, 9146744073709551616,
                                     3446744073709551616, 0, 0, 0]
    got = lndi.generic_filter(values, fn, size=1, output=np.uint64)
    assert expected.tolist() == got.tolist()


def test_generator_covers_the_space():
    """The generators really produce the variety the batches claim."""
    seen = {k: set() for k in ("rank", "in", "out", "mode", "in_layout", "out_layout",
                               "out_kind", "fp_kind", "axes", "zero", "wide", "big")}
    for k in range(min(6000, N_FILTER_BATCHES * FILTER_BATCH)):
        seed = 1_000_000 + (k // FILTER_BATCH) * 10_000 + (k % FILTER_BATCH) * 10
        p = S.generic_filter_case(np.random.default_rng(seed), seed)
        seen["rank"].add(len(p["shape"]))
        seen["in"].add(p["in_dtype"])
        seen["out"].add(p["out_dtype"])
        seen["mode"].add(p["mode"])
        seen["in_layout"].add(p["in_layout"])
        seen["out_layout"].add(p["out_layout"])
        seen["out_kind"].add(p["out_kind"])
        seen["fp_kind"].add(p["fp_kind"])
        seen["axes"].add(type(p["axes"]).__name__)
        seen["zero"].add(0 in p["shape"])
        seen["wide"].add(any(s > 2 * n for s, n in zip(p["sizes"], p["shape"])))
        seen["big"].add(int(np.prod(p["shape"])) > 1000)
    assert seen["rank"] == {1, 2, 3, 4}
    assert len(seen["in"]) == len(seen["out"]) == 11
    assert len(seen["mode"]) == 8
    assert seen["in_layout"] == seen["out_layout"] == set(S.LAYOUTS)
    assert seen["out_kind"] == {"none", "dtype", "type", "str", "array"}
    assert seen["fp_kind"] == {"size_scalar", "size_seq", "footprint", "all_false", "both"}
    assert seen["axes"] == {"NoneType", "int", "tuple"}
    assert seen["zero"] == {True, False}
    assert True in seen["wide"]
    assert True in seen["big"]
