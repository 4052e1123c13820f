"""The fast algorithms of the order filters (vectorised running extremes over rows and
lines, selection networks over sorted columns, the median of nine) against scipy 1.17.1 on
larger inputs than the generated cases use, with heavy ties, signed zeros and NaNs mixed in
(where the fast paths must step aside for scipy's exact algorithms)."""

import warnings

import numpy as np
import pytest
import scipy.ndimage as sndi

import _order_cases as C
import libndimage as lndi

DTYPES = ["uint8", "int8", "uint16", "int16", "int32", "uint32", "int64", "uint64",
          "float32", "float64", "bool"]
STYLES = ["random", "ties", "zeros", "nan"]


def data(rng, shape, dtype, style):
    dtype = np.dtype(dtype)
    if style == "random" or dtype.kind not in "f":
        return C.order_data(rng, shape, dtype, "ties" if style != "random" else "random", 0.05)
    x = rng.integers(0, 5, shape).astype(dtype)
    if style == "zeros":
        x[rng.random(shape) < 0.3] = -0.0
        x[rng.random(shape) < 0.3] = 0.0
    else:
        x[rng.random(shape) < 0.01] = np.nan
    return x


CASES = [
    ("median_filter", (), dict(size=3)),
    ("median_filter", (), dict(size=5, mode="nearest")),
    ("median_filter", (), dict(size=(3, 7), mode="wrap")),
    ("rank_filter", (2,), dict(size=3, mode="constant", cval=1.0)),
    ("rank_filter", (-3,), dict(footprint=[[1, 0, 1], [1, 1, 1], [0, 1, 1]])),
    ("percentile_filter", (20,), dict(size=5)),
    ("percentile_filter", (70,), dict(size=(2, 4), origin=(-1, 1), mode="mirror")),
    ("median_filter", (), dict(size=8)),
    ("minimum_filter", (), dict(size=(3, 5))),
    ("maximum_filter", (), dict(size=(9, 2), mode="constant", cval=2.0)),
    ("maximum_filter", (), dict(size=17, mode="wrap")),
    ("minimum_filter1d", (6,), dict(axis=0, mode="mirror")),
    ("maximum_filter1d", (4,), dict(axis=1, origin=-2)),
    ("grey_opening", (), dict(size=(5, 5))),
    ("grey_closing", (), dict(size=(3, 4), mode="nearest")),
]


@pytest.mark.parametrize("function,args,kw", CASES,
                         ids=[f"{c[0]}{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_fast_paths_2d(function, args, kw, tally):
    rng = np.random.default_rng(abs(hash((function, str(kw)))) % 2**32)
    for dtype in DTYPES:
        for style in STYLES:
            x = data(rng, (53, 301), dtype, style)
            for layout in ("C", "F"):
                x = np.array(x, order=layout)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    want = getattr(sndi, function)(x, *args, **kw)
                got = getattr(lndi, function)(x, *args, **kw)
                ok = got.dtype == want.dtype and got.tobytes() == want.tobytes()
                tally.add(f"{function} (fast paths)", ok)
                assert ok, (function, args, kw, dtype, style, layout)


@pytest.mark.parametrize("size", [3, (3, 1, 5), (2, 3, 3)])
@pytest.mark.parametrize("function", ["median_filter", "minimum_filter", "grey_dilation"])
def test_fast_paths_3d(function, size, tally):
    rng = np.random.default_rng(5)
    for dtype in ("uint8", "float32", "float64", "int16"):
        for style in STYLES:
            x = data(rng, (9, 17, 23), dtype, style)
            want = getattr(sndi, function)(x, size=size)
            got = getattr(lndi, function)(x, size=size)
            ok = got.tobytes() == want.tobytes()
            tally.add(f"{function} (fast paths)", ok)
            assert ok, (function, size, dtype, style)
