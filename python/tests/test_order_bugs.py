"""The order filters where scipy 1.17.1 is wrong, beyond scipy (nan_policy), and the
library's own contracts (threads, aliasing, the C API's copy), each against an independent
reference: brute-force windows over numpy's padding, scipy's own n-dimensional path on a
(1, n) reshape of a 1-D line, or numpy's casting.
"""

import ctypes
import warnings

import numpy as np
import pytest
import scipy.ndimage as sndi

import _order_cases as C
import libndimage as lndi
from libndimage import _capi
from libndimage._support import Output, call

PAD_MODES = {"reflect": "symmetric", "grid-mirror": "symmetric", "mirror": "reflect",
             "nearest": "edge", "wrap": "wrap", "grid-wrap": "wrap", "constant": "constant",
             "grid-constant": "constant"}


def windows(x, footprint, origins, mode, cval):
    """The values under `footprint` (C order) of every element of `x`, extended by numpy's
    padding (exact for any width): shape x.shape + (k,)."""
    footprint = np.asarray(footprint, bool)
    pad = []
    for fs, o in zip(footprint.shape, origins):
        before = fs // 2 + o
        pad.append((before, fs - 1 - before))
    kw = {"constant_values": cval} if PAD_MODES[mode] == "constant" else {}
    padded = np.pad(x, pad, mode=PAD_MODES[mode], **kw)
    view = np.lib.stride_tricks.sliding_window_view(padded, footprint.shape)
    return view.reshape(x.shape + (-1,))[..., footprint.reshape(-1)]


def order_statistic(w, rank):
    return np.sort(w, axis=-1)[..., rank]


# --------------------------------------------------------------------------------------
# scipy's 1-D rank path
# --------------------------------------------------------------------------------------

def test_documented_1d_examples():
    # semantics §11.2: uint64 >= 2**63 ranked as negative by scipy.
    x = np.array([2**63 + 4, 1, 2**63 + 2, 3], dtype=np.uint64)
    got = lndi.median_filter(x, 3)
    assert got.tolist() == [2**63 + 4, 2**63 + 2, 3, 3]
    # §11.3: n = 3, w = 7, origin 2, reflect: scipy's 1-D path reads past the line; the
    # n-dimensional path's [3, 3, 3] is right.
    x = np.array([1.0, 3.0, 2.0])
    want = sndi.median_filter(x.reshape(1, 3), footprint=np.ones((1, 7)), origin=[0, 2])
    assert lndi.median_filter(x, 7, origin=2).tolist() == want.reshape(-1).tolist()
    assert want.reshape(-1).tolist() == [2.0, 2.0, 2.0]
    # §8.3: footprint holes are ignored by scipy's 1-D path ([1, 1, 2, 3, 3]).
    x = np.array([1, 9, 2, 8, 3])
    got = lndi.rank_filter(x, 1, footprint=[1, 0, 1, 1])
    want = sndi.rank_filter(x.reshape(1, -1), 1, footprint=[[1, 0, 1, 1]]).reshape(-1)
    assert got.tolist() == want.tolist() == [9, 2, 2, 8, 3]
    # §11.16: a one-sample line shorter than the window's reach.
    x = np.array([23.45], dtype=np.float32)
    for _ in range(3):
        assert lndi.median_filter(x, size=4, mode="mirror").tolist() == [np.float32(23.45)]
    # An empty line (scipy reads before it).
    assert lndi.median_filter(np.zeros(0), 2).shape == (0,)


@pytest.mark.parametrize("in_dtype", ["int64", "float64", "float32"])
def test_1d_rank_into_other_output_types(in_dtype, tally):
    """scipy writes the input's type into the output's memory (heap corruption); here the
    result is computed in the input's type and cast by numpy's rules."""
    rng = np.random.default_rng(7)
    for case in range(120):
        n = int(rng.integers(1, 40))
        w = int(rng.integers(2, 8))
        origin = int(rng.integers(-(w // 2), (w - 1) // 2, endpoint=True))
        mode = str(rng.choice(list(PAD_MODES)))
        out_dtype = str(rng.choice(["bool", "int8", "uint8", "int16", "uint16", "int32",
                                    "uint32", "int64", "uint64", "float32", "float64"]))
        out_dtype = np.dtype(out_dtype)
        if out_dtype == in_dtype:
            continue
        if in_dtype == "int64":
            x = rng.integers(-100, 100, n).astype(np.int64)
        else:
            x = np.round(rng.uniform(0, 100, n), 2).astype(in_dtype)
            if out_dtype in ("bool", "float32", "float64"):
                x[rng.random(n) < 0.2] = np.nan
        rank = int(rng.integers(1, w - 1)) if w > 2 else 0
        if rank == 0 or C._stream_ok(n, w, origin, mode) is False and n > 1:
            continue
        cval = float(rng.choice([0.0, 2.0, 50.5]))
        reference = sndi.rank_filter(x, rank, size=w, origin=origin, mode=mode, cval=cval)
        want = np.zeros(n, out_dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            np.copyto(want, reference, casting="unsafe")
        got = lndi.rank_filter(x, rank, size=w, origin=origin, mode=mode, cval=cval,
                               output=out_dtype)
        tally.add("rank_filter (scipy bug: 1-D path, other output type)",
                  got.dtype == want.dtype and got.tobytes() == want.tobytes())
        assert got.tobytes() == want.tobytes(), (case, x, got, want)


def test_1d_rank_uint64_ranked_as_uint64(tally):
    rng = np.random.default_rng(8)
    for case in range(150):
        n = int(rng.integers(3, 30))
        w = int(rng.integers(3, min(n, 9) + 1))
        origin = int(rng.integers(-(w // 2), (w - 1) // 2, endpoint=True))
        mode = str(rng.choice(list(PAD_MODES)))
        if not C._stream_ok(n, w, origin, mode):
            continue
        x = rng.integers(0, 2**64 - 1, n, dtype=np.uint64, endpoint=True)
        x[rng.random(n) < 0.4] = rng.integers(0, 10, int((rng.random(n) < 0.4).sum()) or 1,
                                              dtype=np.uint64)[:1]
        rank = int(rng.integers(1, w - 1))
        cval = float(rng.choice([0.0, 5.0]))
        want = order_statistic(windows(x, np.ones(w), [origin], mode, np.uint64(cval)), rank)
        got = lndi.rank_filter(x, rank, size=w, origin=origin, mode=mode, cval=cval)
        tally.add("rank_filter (scipy bug: 1-D path, uint64 >= 2**63)",
                  got.tolist() == want.tolist())
        assert got.tolist() == want.tolist(), (case, mode, w, origin, x, got, want)


def _nd_reference(function, x, args, kw):
    """scipy's n-dimensional path for a 1-D line: the same filter on the (1, n) reshape."""
    kw = dict(kw)
    if "footprint" in kw:
        kw["footprint"] = np.asarray(kw["footprint"]).reshape(1, -1)
    if "size" in kw:
        kw["footprint"] = np.ones((1, kw.pop("size")), bool)
    kw["origin"] = [0, kw.get("origin", 0)]
    return getattr(sndi, function)(x.reshape(1, -1), *args, **kw).reshape(-1)


def test_1d_rank_holes_and_short_lines(tally):
    """scipy's 1-D path ignores footprint holes and reads outside short lines; libndimage
    gives scipy's own n-dimensional result there (bit for bit, NaN and signed zeros
    included)."""
    rng = np.random.default_rng(9)
    done = 0
    for case in range(3000):
        n = int(rng.integers(1, 12))
        w = int(rng.integers(2, 16))
        origin = int(rng.integers(-(w // 2), (w - 1) // 2, endpoint=True))
        mode = str(rng.choice(list(PAD_MODES)))
        holes = rng.random() < 0.5
        fp = rng.random(w) < 0.7 if holes else np.ones(w, bool)
        k = int(fp.sum())
        if k < 3:
            continue
        lim = (w - 1) // 2 - origin
        lim2 = n - lim
        if not (lim2 >= 0 or n == 1):
            continue  # scipy's n-dimensional path anyway
        short = not (n == 1 and lim2 < 0) and not C._stream_ok(n, w, origin, mode)
        if not (short or k != w):
            continue
        # The reference (scipy's n-D path) has its own reflect bug far to the left.
        if mode in ("reflect", "grid-mirror") and w // 2 + origin >= 4 * n:
            continue
        dtype = str(rng.choice(["float64", "float32", "int16", "uint8"]))
        x = C.order_data(rng, (n,), dtype, "ties", 0.0)
        function = str(rng.choice(["median_filter", "rank_filter", "percentile_filter"]))
        args = {"median_filter": (), "rank_filter": (int(rng.integers(1, k - 1)),),
                "percentile_filter": (float(rng.choice([30.0, 60.0])),)}[function]
        kw = dict(footprint=fp, origin=origin, mode=mode, cval=float(rng.choice([0.0, 1.5])))
        want = _nd_reference(function, x, args, kw)
        got = getattr(lndi, function)(x, *args, **kw)
        ok = got.tobytes() == want.tobytes()
        tally.add(f"{function} (scipy bug: 1-D path holes / short lines)", ok)
        assert ok, (case, function, args, kw, x, got, want)
        done += 1
    assert done > 300


# --------------------------------------------------------------------------------------
# scipy's reflect offsets far to the left (n-dimensional paths)
# --------------------------------------------------------------------------------------

def test_reflect_far_left(tally):
    """Footprints reaching 4n or more past the left edge in reflect mode: scipy's offset
    table reads before the array; libndimage reflects periodically (numpy's symmetric
    padding is the reference)."""
    rng = np.random.default_rng(10)
    done = 0
    for case in range(400):
        n = int(rng.integers(1, 4))
        w = int(rng.integers(4 * n + 1, 4 * n + 12))
        origin = int(rng.integers(-(w // 2), (w - 1) // 2, endpoint=True))
        if w // 2 + origin < 4 * n:
            continue
        shape = (n, int(rng.integers(1, 4)))
        fp = rng.random((w, 1)) < 0.7
        fp[0, 0] = fp[-1, 0] = True
        if fp.all():
            fp[1, 0] = False
        x = rng.integers(-50, 50, shape).astype(np.int32)
        mode = str(rng.choice(["reflect", "grid-mirror"]))
        kw = dict(footprint=fp, origin=[origin, 0], mode=mode)
        w_all = windows(x, fp, [origin, 0], mode, 0)
        k = int(fp.sum())
        checks = [("minimum_filter", (), w_all.min(axis=-1)),
                  ("maximum_filter", (), w_all.max(axis=-1)),
                  ("median_filter", (), order_statistic(w_all, k // 2))]
        for function, args, want in checks:
            got = getattr(lndi, function)(x, *args, **kw)
            tally.add(f"{function} (scipy bug: reflect far left)", np.array_equal(got, want))
            assert np.array_equal(got, want), (case, function, kw, x, got, want)
        # Grey morphology with a structure, in float64: min(v - s) / max(v + s) over the
        # (reflected, for dilation) footprint.
        xf = x.astype(np.float64)
        s = rng.integers(-3, 4, fp.shape).astype(np.float64)
        want = (windows(xf, fp, [origin, 0], mode, 0) - s.reshape(-1)[fp.reshape(-1)]).min(-1)
        got = lndi.grey_erosion(xf, structure=s, footprint=fp, origin=[origin, 0], mode=mode)
        tally.add("grey_erosion (scipy bug: reflect far left)", np.array_equal(got, want))
        assert np.array_equal(got, want), (case, x, s, fp, origin, got, want)
        done += 1
    assert done > 50


# --------------------------------------------------------------------------------------
# grey morphology: errors where scipy crashes or reads out of bounds, and aliasing
# --------------------------------------------------------------------------------------

def test_grey_structure_errors():
    x = np.arange(12.0).reshape(3, 4)
    s = np.ones((3, 3))
    with pytest.raises(ValueError, match="All-zero footprint is not supported."):
        lndi.grey_erosion(x, structure=s, footprint=np.zeros((3, 3), bool))
    with pytest.raises(ValueError, match="All-zero footprint is not supported."):
        lndi.grey_dilation(x, structure=s, footprint=np.zeros((3, 3), bool))
    with pytest.raises(RuntimeError, match="structure array has incorrect shape"):
        lndi.grey_erosion(x, structure=np.ones((2, 2)), footprint=np.ones((3, 3), bool))


@pytest.mark.parametrize("function", C.GREY)
def test_compositions_with_output_sharing_the_input(function):
    """scipy's compositions read an input they have overwritten when the output is the
    input; libndimage gives the result of separate memory."""
    rng = np.random.default_rng(11)
    for dtype in ("float64", "int16", "uint8"):
        x = C.order_data(rng, (9, 11), dtype, "random", 0.1)
        kw = dict(footprint=np.array([[1, 0, 1], [1, 1, 0], [0, 1, 1]], bool))
        want = getattr(sndi, function)(x.copy(), output=np.zeros_like(x), **kw)
        inplace = x.copy()
        got = getattr(lndi, function)(inplace, output=inplace, **kw)
        assert got is inplace
        assert got.tobytes() == want.tobytes(), (function, dtype)


# --------------------------------------------------------------------------------------
# nan_policy (beyond scipy)
# --------------------------------------------------------------------------------------

def _policy_reference(w, policy, pick):
    """`pick(sorted non-NaN values, count)` per window, under `policy`."""
    nan = np.isnan(w)
    order = np.sort(w, axis=-1)  # NaNs sort last
    count = (~nan).sum(axis=-1)
    out = np.full(w.shape[:-1], np.nan)
    for idx in np.ndindex(*w.shape[:-1]):
        m = int(count[idx])
        if policy == "propagate" and m < w.shape[-1]:
            continue
        r = pick(m) if m else None
        if r is not None and 0 <= r < m:
            out[idx] = order[idx][r]
    return out


POLICY_CASES = [
    ("minimum_filter", (), lambda k, m: 0),
    ("maximum_filter", (), lambda k, m: m - 1),
    ("median_filter", (), lambda k, m: m // 2),
    ("percentile_filter", (30.0,), lambda k, m: int(m * 30.0 / 100.0)),
    ("rank_filter", (1,), lambda k, m: 1),
    ("rank_filter", (-2,), lambda k, m: m - 2),
]


@pytest.mark.parametrize("policy", ["propagate", "omit"])
@pytest.mark.parametrize("function,args,pick", POLICY_CASES,
                         ids=[f"{c[0]}{c[1]}" for c in POLICY_CASES])
def test_nan_policy(function, args, pick, policy, tally):
    rng = np.random.default_rng(12)
    for case in range(40):
        rank = int(rng.integers(1, 3))
        shape = tuple(int(rng.integers(1, 9)) for _ in range(rank))
        x = rng.normal(size=shape)
        x[rng.random(shape) < rng.choice([0.1, 0.4, 0.9])] = np.nan
        box = rng.random() < 0.5
        fp = np.ones([3] * rank, bool) if box else rng.random([3] * rank) < 0.7
        if fp.sum() < 3:
            fp.flat[:3] = True
        mode = str(rng.choice(list(PAD_MODES)))
        cval = float(rng.choice([0.5, np.nan]))
        origins = [int(rng.integers(-1, 2)) for _ in range(rank)]
        kw = dict(footprint=fp, mode=mode, cval=cval, origin=origins)
        k = int(fp.sum())
        if function == "rank_filter" and args[0] in (0, -1, k - 1):
            continue
        w = windows(x, fp, origins, mode, cval)
        want = _policy_reference(w, policy, lambda m: pick(k, m))
        got = getattr(lndi, function)(x, *args, nan_policy=policy, **kw)
        # Values compare equal (a zero of either sign), NaNs where the reference has them.
        ok = np.array_equal(np.isnan(got), np.isnan(want)) and \
            np.array_equal(got[~np.isnan(want)], want[~np.isnan(want)])
        tally.add(f"{function} (nan_policy={policy})", ok)
        assert ok, (case, function, args, policy, kw, x, got, want)


def test_nan_policy_1d_functions_and_grey(tally):
    rng = np.random.default_rng(13)
    for case in range(60):
        n = int(rng.integers(1, 30))
        x = rng.normal(size=n)
        x[rng.random(n) < 0.3] = np.nan
        size = int(rng.integers(1, 8))
        mode = str(rng.choice(list(PAD_MODES)))
        for policy in ("propagate", "omit"):
            w = windows(x, np.ones(size), [0], mode, 0.0)
            for function, pick in (("minimum_filter1d", lambda m: 0),
                                   ("maximum_filter1d", lambda m: m - 1)):
                want = _policy_reference(w, policy, pick)
                got = getattr(lndi, function)(x, size, mode=mode, nan_policy=policy)
                ok = np.array_equal(got, want, equal_nan=True)
                tally.add(f"{function} (nan_policy={policy})", ok)
                assert ok, (function, policy, size, mode, x, got, want)
            want = _policy_reference(w, policy, lambda m: 0)
            got = lndi.grey_erosion(x, size=size, mode=mode, nan_policy=policy)
            assert np.array_equal(got, want, equal_nan=True)


def test_nan_policy_is_scipy_by_default_and_checked():
    x = np.array([1.0, np.nan, 3.0, 4.0, 5.0])
    assert np.array_equal(lndi.median_filter(x, 3), sndi.median_filter(x, 3), equal_nan=True)
    assert np.array_equal(lndi.median_filter(x, 3, nan_policy=None),
                          sndi.median_filter(x, 3), equal_nan=True)
    with pytest.raises(ValueError, match="nan_policy"):
        lndi.median_filter(x, 3, nan_policy="raise")
    # Integer data has no NaN: every policy gives scipy's result.
    u = np.arange(20, dtype=np.uint8)[::-1].copy()
    for policy in ("propagate", "omit"):
        assert np.array_equal(lndi.median_filter(u, 5, nan_policy=policy),
                              sndi.median_filter(u, 5))


# --------------------------------------------------------------------------------------
# Threads, and the C API's NumPy-cast copy
# --------------------------------------------------------------------------------------

THREAD_CASES = [
    ("minimum_filter", (), dict(size=(3, 5))),
    ("maximum_filter", (), dict(footprint=[[1, 0, 1], [0, 1, 0], [1, 1, 1]])),
    ("median_filter", (), dict(size=3)),
    ("percentile_filter", (20,), dict(size=5)),
    ("rank_filter", (3,), dict(footprint=[[1, 1, 0], [0, 1, 1]])),
    ("maximum_filter1d", (7,), dict(axis=0)),
    ("grey_opening", (), dict(size=(5, 5))),
    ("grey_dilation", (), dict(structure=[[0, 1, 0], [1, 2, 1], [0, 1, 0]])),
    ("white_tophat", (), dict(size=4)),
    ("morphological_laplace", (), dict(size=(3, 2))),
]


@pytest.mark.parametrize("function,args,kw", THREAD_CASES, ids=[c[0] for c in THREAD_CASES])
def test_every_thread_count_gives_the_same_bytes(function, args, kw):
    rng = np.random.default_rng(14)
    for dtype in ("float64", "float32", "uint8", "int16"):
        x = C.order_data(rng, (157, 203), dtype, "random", 0.05)
        if dtype.startswith("float"):
            x[rng.random(x.shape) < 0.02] = np.nan
        results = [getattr(lndi, function)(x, *args, workers=t, **kw) for t in (1, 2, 3)]
        assert results[0].tobytes() == results[1].tobytes() == results[2].tobytes()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            want = getattr(sndi, function)(x, *args, **kw)
        assert results[0].tobytes() == want.tobytes(), (function, dtype)


DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float32", "float64"]


@pytest.mark.parametrize("in_dtype", DTYPES)
def test_c_copy_when_every_axis_is_dropped_casts_like_numpy(in_dtype):
    """ndi_minimum_filter with every size 1 is `output[...] = input` (numpy's casting) for
    values every type holds."""
    rng = np.random.default_rng(15)
    x = (rng.integers(0, 100, (5, 7)) * (1 if in_dtype == "bool" else 1)).astype(in_dtype)
    if in_dtype.startswith("float"):
        x = (x + 0.5).astype(in_dtype)
    for out_dtype in DTYPES:
        out = np.full((5, 7), 7, out_dtype)
        call(_capi.ndi_minimum_filter, x, Output(out), None, [1, 1], None, 0, None,
             [_capi.NDI_MODE_REFLECT], 1, 0.0)
        want = np.zeros((5, 7), out_dtype)
        np.copyto(want, x, casting="unsafe")
        assert out.tobytes() == want.tobytes(), (in_dtype, out_dtype)
