"""libndimage.dask: every function on dask arrays equals the whole-array libndimage call byte
for byte, for generated cases (ranks 1-3, odd shapes and length-1 axes, chunks of 1, uneven
and single chunks, orders 0-5, every mode, prefilter on and off, element types, output
types), under the threaded scheduler and under dask.distributed (a LocalCluster of two
worker processes on loopback). Where scipy 1.17.1 is not known to differ (its short-axis
prefilter bug, NaN sign bits), the whole call also equals scipy.
"""

import sys
import warnings
import zlib

import dask
import dask.array as da
import numpy as np
import pytest
import scipy.ndimage as sndi

import libndimage as lndi
import libndimage.dask as ldask
from libndimage import _capi
from libndimage._support import Output, Tile, call, mode_code

MODES = ["reflect", "constant", "nearest", "mirror", "wrap", "grid-constant", "grid-mirror",
         "grid-wrap"]
IN_DTYPES = ["float64", "float32", "int16", "uint8", "int64", "bool", "complex128"]


# --------------------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------------------

def same_bytes(a, b):
    return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype
            and a.shape == b.shape and np.ascontiguousarray(a).tobytes()
            == np.ascontiguousarray(b).tobytes())


def same_but_nan_signs(a, b):
    """Equal bytes, except that NaNs need only be NaN in the same places (the documented
    NaN sign-bit divergence from scipy)."""
    if same_bytes(a, b):
        return True
    if a.dtype != b.dtype or a.shape != b.shape or a.dtype.kind not in "fc":
        return False
    if a.dtype.kind == "c":
        a, b = np.stack([a.real, a.imag]), np.stack([b.real, b.imag])
    na, nb = np.isnan(a), np.isnan(b)
    return bool((na == nb).all()) and same_bytes(np.ascontiguousarray(a[~na]),
                                                 np.ascontiguousarray(b[~nb]))


def scipy_known_to_differ(function, mode, order, prefilter, shape):
    """scipy 1.17.1's short-axis prefilter bug (libndimage has scipy 1.18's fix)."""
    short = any(2 <= n < 25 for n in shape)
    if function in ("generic_filter", "generic_filter1d") or function in ROW_FILTERS:
        return False
    if function in ("spline_filter", "spline_filter1d"):
        return short and order > 1 and mode in ("reflect", "grid-mirror", "nearest")
    return short and prefilter and order > 1 and mode in ("reflect", "grid-mirror")


# --------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------

def random_shape(rng, rank, largest):
    return tuple(int(rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9][:largest])) if rng.random() < 0.9
                 else 1 for _ in range(rank))


def random_chunks(rng, shape, kind):
    """``kind``: "ones" (chunks of 1), "single" (one chunk), "uneven" (random cuts)."""
    if kind == "ones":
        return tuple((1,) * n if n else (0,) for n in shape)
    if kind == "single":
        return tuple((n,) for n in shape)
    chunks = []
    for n in shape:
        if n <= 1:
            chunks.append((n,))
            continue
        cuts = sorted(set(rng.integers(1, n, size=rng.integers(1, 4)).tolist()))
        edges = [0] + cuts + [n]
        chunks.append(tuple(b - a for a, b in zip(edges[:-1], edges[1:])))
    return tuple(chunks)


def chunk_kind(rng, shape):
    kinds = ["uneven", "uneven", "single"]
    if int(np.prod(shape)) <= 24:
        kinds.append("ones")
    return str(rng.choice(kinds))


def random_data(rng, shape, dtype):
    dtype = np.dtype(dtype)
    if dtype == bool:
        return rng.random(shape) < 0.5
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        lo, hi = max(info.min, -300), min(info.max, 300)
        return rng.integers(lo, hi, size=shape, endpoint=True).astype(dtype)
    values = rng.normal(size=shape) * 10
    if dtype.kind == "c":
        values = values + 1j * rng.normal(size=shape) * 10
    values = values.astype(dtype)
    if rng.random() < 0.15 and values.size:
        flat = values.reshape(-1)
        flat[rng.integers(0, flat.size)] = rng.choice([np.nan, np.inf, -np.inf, -0.0])
    return values


def interpolation_case(rng, function, k):
    """Case ``k`` of ``function``: cases cycle through every (order, mode) pair."""
    rank = {"rotate": int(rng.integers(2, 4))}.get(function, int(rng.integers(1, 4)))
    shape = random_shape(rng, rank, 8 if rank < 3 else 5)
    in_dtype = str(rng.choice(IN_DTYPES))
    order = k % 6
    mode = MODES[(k // 6) % len(MODES)]
    p = {"function": function, "shape": shape, "in_dtype": in_dtype, "order": order,
         "mode": mode, "prefilter": bool(rng.random() < 0.75),
         "cval": float(rng.choice([0.0, 1.5, -2.25, 7.0])), "seed": int(rng.integers(1 << 30))}
    if in_dtype == "complex128":
        p["output"] = str(rng.choice(["none", "complex64", "complex128"]))
    else:
        p["output"] = str(rng.choice(["none", "none", "float64", "float32", "int32", "uint8"]))
    p["chunks"] = random_chunks(rng, shape, chunk_kind(rng, shape))
    if function == "shift":
        p["shift"] = [float(rng.choice([0.0, 1.0, -2.0, 0.5, 1.75, -3.3, 2.6]))
                      for _ in range(rank)]
    elif function == "zoom":
        p["zoom"] = [float(rng.choice([1.0, 0.5, 0.7, 1.3, 2.0, 2.4])) for _ in range(rank)]
        p["grid_mode"] = bool(rng.random() < 0.3)
    elif function == "affine_transform":
        out_rank = rank if rng.random() < 0.8 else int(rng.integers(1, 4))
        kind = rng.choice(["diagonal", "full", "homogeneous"]) if out_rank == rank else "full"
        m = np.eye(rank, out_rank) + rng.normal(size=(rank, out_rank)) * 0.3
        offset = rng.normal(size=rank) * 2
        if kind == "diagonal":
            p["matrix"] = np.diag(m).tolist() if out_rank == rank else m[:, 0].tolist()
        elif kind == "homogeneous":
            p["matrix"] = np.hstack([m, offset[:, None]]).tolist()
        else:
            p["matrix"] = m.tolist()
        p["offset"] = offset.tolist()
        p["output_shape"] = random_shape(rng, out_rank, 8 if out_rank < 3 else 5)
    elif function == "rotate":
        p["angle"] = float(rng.choice([0.0, 90.0, 17.5, -33.0, 135.0, 211.25]))
        axes = rng.choice(rank, size=2, replace=False).tolist()
        if rng.random() < 0.3:
            axes = [a - rank for a in axes]
        p["axes"] = axes
        p["reshape"] = bool(rng.random() < 0.6)
    elif function == "map_coordinates":
        out_rank = int(rng.integers(1, 4))
        out_shape = random_shape(rng, out_rank, 7 if out_rank < 3 else 4)
        coords = np.stack([rng.uniform(-3, n + 2, size=out_shape) for n in shape])
        if rng.random() < 0.3:
            coords = np.round(coords * 2) / 2  # on samples and half-way points
        dtype = rng.choice(["float64", "float32", "int32"])
        p["coords"] = coords.astype(dtype)
        p["coord_chunks"] = ((rank,),) + random_chunks(rng, out_shape,
                                                       chunk_kind(rng, out_shape))
    elif function == "geometric_transform":
        p["output_shape"] = random_shape(rng, rank, 8 if rank < 3 else 5)
        p["matrix"] = (np.eye(rank) + rng.normal(size=(rank, rank)) * 0.3).tolist()
        p["offset"] = (rng.normal(size=rank) * 2).tolist()
    return p


def filter_case(rng, function, k):
    """Case ``k`` of ``function``: cases cycle through the modes."""
    rank = int(rng.integers(1, 4))
    shape = random_shape(rng, rank, 9 if rank < 3 else 5)
    in_dtype = str(rng.choice(["float64", "float32", "int16", "uint8", "int64"]))
    if function in ("spline_filter", "spline_filter1d"):
        in_dtype = str(rng.choice(IN_DTYPES))
    p = {"function": function, "shape": shape, "in_dtype": in_dtype,
         "mode": MODES[k % len(MODES)], "cval": float(rng.choice([0.0, 2.5, -1.0])),
         "seed": int(rng.integers(1 << 30))}
    p["chunks"] = random_chunks(rng, shape, chunk_kind(rng, shape))
    if function == "generic_filter":
        count = rank
        if rank > 1 and rng.random() < 0.3:
            count = int(rng.integers(1, rank))
            p["axes"] = [int(a) for a in rng.choice(rank, size=count, replace=False)]
        if rng.random() < 0.5:
            size = [int(rng.integers(1, 5)) for _ in range(count)]
            p["size"] = size
            fshape = size
        else:
            fshape = [int(rng.integers(1, 5)) for _ in range(count)]
            fp = rng.random(fshape) < 0.7
            fp.reshape(-1)[0] = True
            p["footprint"] = fp
        # Origins follow the order of `axes`; the footprint's axes go to the sorted axes.
        sizes = dict(zip(sorted(p.get("axes", range(rank))), fshape))
        p["origin"] = [int(rng.integers(-(sizes[a] // 2), (sizes[a] - 1) // 2 + 1))
                       for a in p.get("axes", range(rank))]
        p["callback"] = str(rng.choice(["mean", "max", "weighted"]))
        p["output"] = str(rng.choice(["none", "float64", "int32"]))
    elif function == "generic_filter1d":
        size = int(rng.integers(1, 6))
        p["filter_size"] = size
        p["axis"] = int(rng.integers(-rank, rank))
        p["origin"] = int(rng.integers(-(size // 2), (size - 1) // 2 + 1))
        p["output"] = str(rng.choice(["none", "float64", "float32"]))
    else:
        low = 2 if function == "spline_filter" else 0
        p["order"] = low + (k // len(MODES)) % (6 - low)
        p["axis"] = int(rng.integers(-rank, rank))
        if in_dtype == "complex128":
            p["output"] = str(rng.choice(["complex128", "complex64"]))
        else:
            p["output"] = str(rng.choice(["float64", "float32", "int32"]))
    return p


# Module-level callables (picklable by value for the distributed workers).

def weighted(values):
    return float(np.sum(values * np.arange(1, values.size + 1)) / values.size)


def line_sum(line, out, size):
    for i in range(out.size):
        out[i] = line[i:i + size].sum() * 0.5 - line[i]


def affine_mapping(index, matrix, offset):
    return tuple(offset[h] + sum(matrix[h][k] * index[k] for k in range(len(index)))
                 for h in range(len(offset)))


CALLBACKS = {"mean": np.mean, "max": np.max, "weighted": weighted}


def arguments(p, module):
    """(function, positional arguments, keyword arguments) of case ``p`` for ``module``
    (libndimage, libndimage.dask or scipy.ndimage)."""
    f = getattr(module, p["function"])
    if "kw" in p:
        return f, list(p["args"]), dict(p["kw"])
    out = None if p.get("output", "none") == "none" else np.dtype(p["output"])
    name = p["function"]
    if name == "generic_filter":
        kw = {"mode": p["mode"], "cval": p["cval"], "origin": p["origin"], "output": out,
              "axes": p.get("axes")}
        kw["size" if "size" in p else "footprint"] = p.get("size", p.get("footprint"))
        return f, [CALLBACKS[p["callback"]]], kw
    if name == "generic_filter1d":
        kw = {"axis": p["axis"], "mode": p["mode"], "cval": p["cval"], "origin": p["origin"],
              "output": out, "extra_arguments": (p["filter_size"],)}
        return f, [line_sum, p["filter_size"]], kw
    if name == "spline_filter1d":
        return f, [p["order"], p["axis"]], {"mode": p["mode"], "output": out}
    if name == "spline_filter":
        return f, [p["order"]], {"mode": p["mode"], "output": out}
    kw = {"order": p["order"], "mode": p["mode"], "cval": p["cval"],
          "prefilter": p["prefilter"], "output": out}
    if name == "shift":
        return f, [p["shift"]], kw
    if name == "zoom":
        return f, [p["zoom"]], dict(kw, grid_mode=p["grid_mode"])
    if name == "affine_transform":
        return f, [p["matrix"], p["offset"]], dict(kw, output_shape=p["output_shape"])
    if name == "rotate":
        return f, [p["angle"]], dict(kw, axes=p["axes"], reshape=p["reshape"])
    if name == "map_coordinates":
        coords = p["coords"]
        if module is ldask:
            coords = da.from_array(coords, chunks=p["coord_chunks"])
        return f, [coords], kw
    if name == "geometric_transform":
        kw.update(output_shape=p["output_shape"],
                  extra_arguments=(p["matrix"], p["offset"]))
        return f, [affine_mapping], kw
    raise AssertionError(name)


def outcome(f, args, kwargs, data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return f(data, *args, **kwargs)
        except Exception as e:  # noqa: BLE001 - the exception is the outcome
            return e


def run_case(p, tally, label, scipy_too=True):
    """Runs case ``p`` on libndimage (whole arrays) and libndimage.dask (the current
    scheduler); asserts they are the same bytes (or the same exception)."""
    rng = np.random.default_rng(p["seed"])
    data = random_data(rng, p["shape"], p["in_dtype"])
    f, args, kwargs = arguments(p, lndi)
    whole = outcome(f, args, kwargs, data)
    fd, dargs, dkwargs = arguments(p, ldask)
    lazy = outcome(fd, dargs, dkwargs, da.from_array(data, chunks=p["chunks"]))
    if isinstance(lazy, da.Array):
        lazy = outcome(lambda x: x.compute(), (), {}, lazy)
    if isinstance(whole, Exception):
        matched = isinstance(lazy, type(whole)) and str(lazy) == str(whole)
        tally.add(f"dask.{p['function']} ({label}): the same exception", matched)
    else:
        matched = same_bytes(whole, lazy)
        tally.add(f"dask.{p['function']} ({label})", matched)
    assert matched, f"{p}\nwhole: {whole!r}\ndask: {lazy!r}"
    if not scipy_too or isinstance(whole, Exception):
        return
    key = f"dask.{p['function']}: the whole call vs scipy"
    if scipy_known_to_differ(p["function"], p["mode"], p.get("order", 3),
                             p.get("prefilter", True), p["shape"]):
        tally.skip(key)
        return
    fs, sargs, skwargs = arguments(p, sndi)
    expected = outcome(fs, sargs, skwargs, data)
    ok = isinstance(expected, np.ndarray) and same_but_nan_signs(expected, whole)
    tally.add(key, ok)
    assert ok, f"{p}\nscipy: {expected!r}\nlibndimage: {whole!r}"


INTERPOLATION = {"shift": 90, "zoom": 80, "affine_transform": 80, "rotate": 60,
                 "map_coordinates": 70, "geometric_transform": 25}
FILTERS = {"generic_filter": 50, "generic_filter1d": 40, "spline_filter1d": 40,
           "spline_filter": 40}


@pytest.mark.parametrize("function", sorted(INTERPOLATION))
def test_interpolation_threads(function, tally):
    rng = np.random.default_rng(zlib.crc32(function.encode()))
    with dask.config.set(scheduler="threads"):
        for k in range(INTERPOLATION[function]):
            run_case(interpolation_case(rng, function, k), tally, "threads")


@pytest.mark.parametrize("function", sorted(FILTERS))
def test_filters_threads(function, tally):
    rng = np.random.default_rng(zlib.crc32(function.encode()))
    with dask.config.set(scheduler="threads"):
        for k in range(FILTERS[function]):
            run_case(filter_case(rng, function, k), tally, "threads")


# --------------------------------------------------------------------------------------
# The filters that joined through FILTERS rows (halos from kernels, sizes, footprints)
# --------------------------------------------------------------------------------------

ROW_FILTERS = {
    "correlate1d": 14, "convolve1d": 14, "correlate": 16, "convolve": 16,
    "uniform_filter1d": 14, "uniform_filter": 16, "gaussian_filter1d": 14,
    "gaussian_filter": 16, "gaussian_laplace": 10, "gaussian_gradient_magnitude": 10,
    "sobel": 10, "prewitt": 10, "laplace": 10, "minimum_filter1d": 12,
    "maximum_filter1d": 12, "minimum_filter": 14, "maximum_filter": 14, "rank_filter": 12,
    "median_filter": 12, "percentile_filter": 12, "grey_erosion": 10, "grey_dilation": 10,
    "grey_opening": 10, "grey_closing": 10, "morphological_gradient": 8,
    "morphological_laplace": 8, "white_tophat": 8, "black_tophat": 8,
}
ONE_D = {"correlate1d", "convolve1d", "uniform_filter1d", "gaussian_filter1d",
         "minimum_filter1d", "maximum_filter1d"}
FOOTPRINTED = {"minimum_filter", "maximum_filter", "rank_filter", "median_filter",
               "percentile_filter", "grey_erosion", "grey_dilation", "grey_opening",
               "grey_closing", "morphological_gradient", "morphological_laplace",
               "white_tophat", "black_tophat"}
GREY = {name for name in FOOTPRINTED if "filter" not in name}


def row_filter_case(rng, function, k):
    """Case ``k`` of a FILTERS row: positional and keyword arguments in ``p["args"]`` and
    ``p["kw"]`` (cases cycle through the modes)."""
    rank = int(rng.integers(1, 4))
    shape = tuple(int(rng.integers(1, 15 if rank < 3 else 8)) for _ in range(rank))
    in_dtype = str(rng.choice(["float64", "float32", "int16", "uint8"]))
    mode = MODES[k % len(MODES)]
    if function in GREY and mode.startswith("grid-"):
        mode = mode[5:] if mode != "grid-constant" else "constant"
    args, kw = [], {"mode": mode}
    if function not in GREY:
        kw["cval"] = float(rng.choice([0.0, 2.5, -1.0]))
    axis = int(rng.integers(-rank, rank))
    if function in ONE_D:
        kw["axis"] = axis
        if function in ("correlate1d", "convolve1d"):
            args.append(rng.standard_normal(int(rng.integers(1, 6))))
        elif function == "gaussian_filter1d":
            args.append(float(rng.choice([0.5, 1.0, 1.7])))
            kw["order"] = int(rng.integers(0, 3))
            if rng.random() < 0.3:
                kw["radius"] = int(rng.integers(1, 4))
        else:
            args.append(int(rng.integers(1, 6)))
        if "gaussian" not in function:
            n = len(args[0]) if function in ("correlate1d", "convolve1d") else args[0]
            kw["origin"] = int(rng.integers(-(n // 2), (n - 1) // 2 + 1))
    elif function in ("correlate", "convolve"):
        wshape = [int(rng.integers(1, 5)) for _ in range(rank)]
        args.append(rng.standard_normal(wshape))
        kw["origin"] = [int(rng.integers(-(n // 2), (n - 1) // 2 + 1)) for n in wshape]
    elif function == "uniform_filter":
        size = [int(rng.integers(1, 5)) for _ in range(rank)]
        kw["size"] = size
        kw["origin"] = [int(rng.integers(-(n // 2), (n - 1) // 2 + 1)) for n in size]
    elif function in ("gaussian_filter", "gaussian_laplace", "gaussian_gradient_magnitude"):
        args.append([float(rng.choice([0.0, 0.6, 1.0, 1.5])) for _ in range(rank)])
        if function == "gaussian_filter" and rng.random() < 0.5:
            kw["order"] = [int(rng.integers(0, 3)) for _ in range(rank)]
        if rng.random() < 0.3:
            kw["truncate"] = float(rng.choice([2.0, 3.0]))
    elif function in ("sobel", "prewitt"):
        kw["axis"] = axis
    elif function in FOOTPRINTED:
        if function == "rank_filter":
            args.append(int(rng.integers(-2, 2)))
        elif function == "percentile_filter":
            args.append(float(rng.choice([0.0, 20.0, 50.0, 90.0])))
        if rng.random() < 0.5:
            size = [int(rng.integers(1, 4)) for _ in range(rank)]
            kw["size"] = size
            fshape = size
        else:
            fshape = [int(rng.integers(1, 4)) for _ in range(rank)]
            fp = rng.random(fshape) < 0.7
            fp.reshape(-1)[0] = True
            kw["footprint"] = fp
        kw["origin"] = [int(rng.integers(-(n // 2), (n - 1) // 2 + 1)) for n in fshape]
    p = {"function": function, "shape": shape, "in_dtype": in_dtype, "mode": mode,
         "seed": int(rng.integers(1 << 30)), "args": args, "kw": kw}
    p["chunks"] = random_chunks(rng, shape, chunk_kind(rng, shape))
    return p


@pytest.mark.parametrize("function", sorted(ROW_FILTERS))
def test_row_filters_threads(function, tally):
    rng = np.random.default_rng(zlib.crc32(function.encode()))
    with dask.config.set(scheduler="threads"):
        for k in range(ROW_FILTERS[function]):
            run_case(row_filter_case(rng, function, k), tally, "threads")


def test_row_filters_halo_exceeds_short_chunks(tally):
    """Chunks of 2 with a gaussian of radius 4: the halo spans several chunks."""
    x = np.random.default_rng(5).standard_normal((23, 17))
    whole = lndi.gaussian_filter(x, 1.0)
    lazy = ldask.gaussian_filter(da.from_array(x, chunks=(2, 3)), 1.0).compute()
    ok = same_bytes(whole, lazy)
    tally.add("dask.gaussian_filter (threads): chunks smaller than the halo", ok)
    assert ok


# --------------------------------------------------------------------------------------
# dask.distributed: a LocalCluster of two worker processes on loopback
# --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client():
    """A distributed client of two single-threaded worker processes (one cluster for the
    test process). The workers import libndimage from where this process did."""
    import logging
    import os

    import cloudpickle
    from distributed import Client, LocalCluster

    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(lndi.__file__)))
    path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = package_parent + (os.pathsep + path if path else "")
    # The callables of this module travel by value (the workers cannot import it).
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None,
                           silence_logs=logging.ERROR)
    c = Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
        if path is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = path


DISTRIBUTED = {"shift": 6, "zoom": 5, "affine_transform": 5, "rotate": 4,
               "map_coordinates": 4, "geometric_transform": 3, "generic_filter": 3,
               "generic_filter1d": 3, "spline_filter1d": 3, "spline_filter": 3,
               "gaussian_filter": 3, "median_filter": 3, "grey_opening": 2}


def test_distributed(client, tally):
    import os

    # The chunks run in the workers, not here.
    workers = set(client.run(os.getpid).values())
    assert len(workers) == 2 and os.getpid() not in workers
    for function, count in DISTRIBUTED.items():
        rng = np.random.default_rng(zlib.crc32(function.encode()) + 1)
        make = (interpolation_case if function in INTERPOLATION
                else row_filter_case if function in ROW_FILTERS else filter_case)
        for k in range(count):
            # Every (order, mode) pair is not reachable in a few cases: a spread of them.
            run_case(make(rng, function, 7 * k + 3), tally, "distributed", scipy_too=False)


# --------------------------------------------------------------------------------------
# The C API's tiles, from Python
# --------------------------------------------------------------------------------------

def spline_padding(order, mode, prefilter=True):
    npad = np.zeros(1, dtype=np.intp)
    call(_capi.ndi_spline_padding, order, mode_code(mode), int(prefilter), npad)
    return int(npad[0])


def coefficients(x, order, mode, cval=0.0, prefilter=True):
    npad = spline_padding(order, mode, prefilter)
    out = np.zeros([n + 2 * npad for n in x.shape],
                   dtype=np.complex128 if x.dtype.kind == "c" else np.float64)
    call(_capi.ndi_spline_coefficients, x, Output(out), order, mode_code(mode),
         float(np.real(cval)), int(prefilter), cval_imag=float(np.imag(cval)))
    return out


def test_spline_padding():
    for mode in MODES:
        for order in range(6):
            for prefilter in (True, False):
                expected = 12 if (prefilter and order > 1
                                  and mode in ("nearest", "grid-constant")) else 0
                assert spline_padding(order, mode, prefilter) == expected
    with pytest.raises(RuntimeError, match="order"):
        spline_padding(6, "nearest")
    with pytest.raises(RuntimeError, match="NULL"):
        call(_capi.ndi_spline_padding, 3, mode_code("nearest"), 1, None)


@pytest.mark.parametrize("dtype", ["float64", "uint8", "complex64"])
@pytest.mark.parametrize("mode", MODES)
def test_spline_coefficients_are_what_the_call_reads(mode, dtype):
    """Interpolating the coefficients with NDI_FLAG_PREFILTERED gives the call's numbers,
    and the coefficients are scipy's padded spline_filter."""
    rng = np.random.default_rng(7)
    x = random_data(rng, (9, 7), dtype)
    cval = 3.5 + (1.25j if dtype == "complex64" else 0)
    for order in (0, 1, 3, 4):
        c = coefficients(x, order, mode, cval)
        whole = lndi.shift(x, (0.3, -1.6), order=order, mode=mode, cval=cval)
        got = np.zeros_like(whole)
        call(_capi.ndi_shift, c, Output(got), [0.3, -1.6], order, mode_code(mode),
             float(np.real(cval)), 1, cval_imag=float(np.imag(cval)),
             tile=Tile(prefiltered=True))
        assert same_bytes(got, whole), (mode, order)
        if dtype != "complex64" and order > 1:
            npad = spline_padding(order, mode)
            padded = x
            if npad:
                kind = "edge" if mode == "nearest" else "constant"
                extra = {} if mode == "nearest" else {"constant_values": np.real(cval)}
                padded = np.pad(x, npad, mode=kind, **extra)
            expected = lndi.spline_filter(padded, order, output=np.float64, mode=mode)
            assert same_bytes(c, expected), (mode, order)


def tile_call(box, out, tile, mode="mirror", order=3):
    call(_capi.ndi_shift, box, Output(out), [0.5, -1.5], order, mode_code(mode), 0.0, 1,
         tile=tile)


def test_tile_errors_write_nothing():
    x = np.random.default_rng(3).random((10, 8))
    c = coefficients(x, 3, "mirror")
    whole = lndi.shift(x, (0.5, -1.5), order=3, mode="mirror")
    out = np.full((3, 4), -7.0)
    good = Tile(output=((4, 2), (10, 8)), input=((2, 2), (10, 8)), prefiltered=True)
    tile_call(c[2:9, 2:8], out, good)
    assert same_bytes(out, whole[4:7, 2:6])
    cases = [
        # A box that does not hold every support point: names the point.
        (Tile(output=((4, 2), (10, 8)), input=((3, 2), (10, 8)), prefiltered=True),
         c[3:9, 2:8], "output index \\[4, 2\\] reads input index 2 on axis 0"),
        # Regions outside their whole arrays.
        (Tile(output=((8, 2), (10, 8))), x, "reach beyond"),
        (Tile(input=((0, 0), (10, 8))), x[:5], "NDI_FLAG_PREFILTERED"),
        (Tile(input=((6, 0), (10, 8)), prefiltered=True), c[:5], "reach beyond"),
        (Tile(output=((-1, 0), (10, 8))), x, ">= 0"),
    ]
    for tile, box, message in cases:
        out = np.full((3, 4), -7.0)
        with pytest.raises(RuntimeError, match=message):
            tile_call(box, out, tile)
        assert (out == -7.0).all(), tile
    # Only one of a region's two arrays.
    opts_out = np.full((3, 4), -7.0)

    class Half(Tile):
        def apply(self, opts):
            alive = super().apply(opts)
            opts.input_shape = None
            return alive
    with pytest.raises(RuntimeError, match="NULL"):
        tile_call(c[2:9, 2:8], opts_out, Half(input=((2, 2), (10, 8)), prefiltered=True))
    assert (opts_out == -7.0).all()
    # Functions other than the interpolations reject tiles.
    for tile in (Tile(prefiltered=True), Tile(output=((0, 0), (10, 8)))):
        out = np.full(x.shape, -7.0)
        with pytest.raises(RuntimeError, match="takes no regions"):
            call(_capi.ndi_spline_filter1d, x, Output(out), 3, 0, mode_code("mirror"),
                 tile=tile)
        assert (out == -7.0).all()


def test_tiles_read_small_boxes():
    """Each output chunk's task reads a box of its chunk's size plus the support (not the
    whole input), away from the wrap modes."""
    x = da.from_array(np.random.default_rng(5).random((64, 48)), chunks=16)
    for mode in ("constant", "nearest", "mirror", "reflect", "grid-constant"):
        for name, y in [("shift", ldask.shift(x, (2.5, -1.25), order=3, mode=mode)),
                        ("zoom", ldask.zoom(x, 1.25, order=3, mode=mode)),
                        ("rotate", ldask.rotate(x, 10, order=3, mode=mode, reshape=False))]:
            layer = y.dask.layers[y.name]
            for key in layer:
                task = layer[key]
                box_shape = task.args[4] if hasattr(task, "args") else task[5]
                assert max(box_shape) <= 16 + 2 * 8 + (12 if name == "rotate" else 6), \
                    (name, mode, key, box_shape)


def test_arguments_are_checked_when_the_graph_is_built():
    """The binding's exceptions come when the graph is built, before anything runs."""
    x = da.from_array(np.arange(30.0).reshape(5, 6), chunks=2)
    checks = [
        (RuntimeError, "spline order not supported", lambda: ldask.shift(x, 1, order=7)),
        (RuntimeError, "boundary mode not supported", lambda: ldask.zoom(x, 2, mode="edge")),
        (RuntimeError, "sequence argument must have length equal to input rank",
         lambda: ldask.shift(x, (1, 2, 3))),
        (RuntimeError, "affine matrix has wrong number of rows",
         lambda: ldask.affine_transform(x, np.eye(4))),
        (ValueError, "invalid rotation plane specified", lambda: ldask.rotate(x, 5, axes=(0, 2))),
        (RuntimeError, "invalid shape for coordinate array",
         lambda: ldask.map_coordinates(x, np.zeros((3, 4)))),
        (ValueError, "invalid origin",
         lambda: ldask.generic_filter(x, np.mean, size=3, origin=2)),
        (RuntimeError, "invalid filter size",
         lambda: ldask.generic_filter1d(x, line_sum, 0, extra_arguments=(0,))),
        (RuntimeError, "spline order not supported", lambda: ldask.spline_filter(x, 1)),
        # Dask arrays are not written in place.
        (TypeError, "output must be None or a dtype",
         lambda: ldask.shift(x, 1, output=np.zeros((5, 6)))),
        # Rotations the binding computes in Python.
        (NotImplementedError, "scalar float64 angles",
         lambda: ldask.rotate(x, np.float32(10))),
    ]
    for error, message, build in checks:
        with pytest.raises(error, match=message):
            build()


def test_chunks_of_results():
    """Output chunks: the input's for shift (and the filters), ``output_chunks`` when given,
    the coordinates' for map_coordinates; rotate keeps the chunks off its plane."""
    x = da.from_array(np.random.default_rng(2).random((6, 9, 7)), chunks=(2, 4, 3))
    assert ldask.shift(x, 0.5).chunks == x.chunks
    assert ldask.generic_filter(x, np.max, size=3).chunks == x.chunks
    assert ldask.spline_filter(x).chunks == x.chunks
    z = ldask.zoom(x, 1.5, output_chunks=(5, 5, 5))
    assert z.chunks == da.core.normalize_chunks((5, 5, 5), z.shape)
    r = ldask.rotate(x, 20, axes=(2, 1))
    assert r.chunks[0] == x.chunks[0]
    c = da.from_array(np.random.default_rng(3).random((3, 4, 5)) * 5, chunks=(3, 2, 3))
    assert ldask.map_coordinates(x, c).chunks == ((2, 2), (3, 2))
    with dask.config.set(scheduler="threads"):
        assert same_bytes(r.compute(), lndi.rotate(x.compute(), 20, axes=(2, 1)))
        assert same_bytes(z.compute(), lndi.zoom(x.compute(), 1.5))
