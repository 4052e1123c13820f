"""Helpers shared by the tests: callbacks, data, layouts, case generators, comparison."""

import ctypes
import types
import warnings

import numpy as np
import scipy
import scipy.ndimage as sndi

import libndimage as lndi

DTYPES = [np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32,
          np.int64, np.uint64, np.float32, np.float64]
DTYPE_NAMES = [np.dtype(d).name for d in DTYPES]
MODES = ["reflect", "constant", "nearest", "mirror", "wrap",
         "grid-constant", "grid-mirror", "grid-wrap"]
CVALS = [0.0, -1.5, 2.25, 1e10, -7.0, float("nan"), 300.75, -1e20]

FILTER_CALLBACKS = ["gf_wsum", "gf_max", "gf_mean", "gf_last", "gf_scaled",
                    "gf_fail_after", "gf_count", "gf_set_error", "gf_raise_sigint"]
FILTER1D_CALLBACKS = ["gf1d_wmoving", "gf1d_last", "gf1d_line", "gf1d_scaled",
                      "gf1d_fail_after", "gf1d_set_error"]

# Values whose conversion to each output type is interesting (out of range, NaN, inf,
# halves, negatives for unsigned types, beyond 2**53).
SPECIAL = [0.0, -0.0, 0.5, -0.7, 1.5, -3.7, 127.5, 128.0, 255.5, 256.0, -300.0, 300.0,
           32767.5, 65535.9, 70000.5, -70000.5, 2.0**31, -(2.0**31) - 1.0, 3e9, -3e9,
           2.0**32 + 0.5, 2.0**53 + 1.0, 2.0**63, -(2.0**63), 1e19, -1e19, 2e19, 2.0**64,
           1e300, -1e300, float("nan"), float("inf"), float("-inf"), 1e-300]


def load_callbacks(path):
    """The callbacks of callbacks.c as ctypes functions with scipy-style argtypes."""
    lib = ctypes.CDLL(path)
    dp = ctypes.POINTER(ctypes.c_double)
    ns = types.SimpleNamespace(path=path, lib=lib)
    for name in FILTER_CALLBACKS:
        fn = getattr(lib, name)
        fn.restype = ctypes.c_int
        fn.argtypes = [dp, ctypes.c_ssize_t, dp, ctypes.c_void_p]
        setattr(ns, name, fn)
    for name in FILTER1D_CALLBACKS:
        fn = getattr(lib, name)
        fn.restype = ctypes.c_int
        fn.argtypes = [dp, ctypes.c_ssize_t, dp, ctypes.c_ssize_t, ctypes.c_void_p]
        setattr(ns, name, fn)
    return ns


def address(fn):
    return ctypes.cast(fn, ctypes.c_void_p).value


def llc(clib, name, user_data=None):
    return scipy.LowLevelCallable(getattr(clib, name), user_data)


# --------------------------------------------------------------------------------------
# Data and layouts
# --------------------------------------------------------------------------------------

def random_data(rng, shape, dtype, special=0.1):
    """Random values of ``dtype``; floats include SPECIAL values with probability
    ``special``, integers their extremes now and then."""
    dtype = np.dtype(dtype)
    size = int(np.prod(shape, dtype=np.int64))
    if dtype.kind == "b":
        return rng.random(size).reshape(shape) < 0.5
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        lo, hi = max(info.min, -1000), min(info.max, 1000)
        values = rng.integers(lo, hi, size=size, endpoint=True).astype(dtype)
        pick = rng.random(size) < special
        extremes = np.array([info.min, info.max, info.max - 1, info.min + 1], dtype=dtype)
        values[pick] = rng.choice(extremes, size=int(pick.sum()))
        return values.reshape(shape)
    values = rng.normal(scale=rng.choice([1.0, 100.0, 1e6]), size=size)
    values = np.round(values, int(rng.integers(0, 4)))
    pick = rng.random(size) < special
    values[pick] = rng.choice(np.array(SPECIAL), size=int(pick.sum()))
    with np.errstate(all="ignore"):
        return values.astype(dtype).reshape(shape)


LAYOUTS = ["C", "F", "neg", "sliced", "transposed", "unaligned", "bigendian"]


def with_layout(values, kind, rng):
    """A new array equal to ``values`` with the memory layout ``kind``."""
    values = np.asarray(values)
    shape, dtype = values.shape, values.dtype
    if kind == "C" or values.ndim == 0:
        return np.array(values, order="C")
    if kind == "F":
        return np.array(values, order="F")
    if kind == "neg":
        axes = tuple(a for a in range(values.ndim) if rng.random() < 0.6) or (0,)
        base = np.flip(values, axes).copy()
        return np.flip(base, axes)
    if kind == "sliced":
        big = np.zeros(tuple(2 * n + 3 for n in shape), dtype=dtype)
        view = big[tuple(slice(1, 1 + 2 * n, 2) for n in shape)]
        view[...] = values
        return view
    if kind == "transposed":
        perm = rng.permutation(values.ndim)
        base = np.ascontiguousarray(values.transpose(perm))
        return base.transpose(np.argsort(perm))
    if kind == "unaligned":
        if dtype.itemsize == 1:
            return np.array(values)
        buf = np.zeros(values.nbytes + dtype.itemsize + 1, dtype=np.uint8)
        out = np.ndarray(shape, dtype=dtype, buffer=buf, offset=1)
        out[...] = values
        return out
    if kind == "bigendian":
        if dtype.itemsize == 1:
            return np.array(values)
        return values.astype(dtype.newbyteorder(">"))
    raise ValueError(kind)


def output_pair(shape, dtype, kind, seed):
    """Two identical (garbage-filled) output arrays with layout ``kind``."""
    arrays = []
    for _ in range(2):
        rng = np.random.default_rng(seed)
        garbage = rng.integers(0, 256, size=int(np.prod(shape, dtype=np.int64)) *
                               np.dtype(dtype).itemsize, dtype=np.uint8)
        values = garbage.view(np.dtype(dtype)).reshape(shape)
        arrays.append(with_layout(values, kind, rng))
    return arrays


def same_bits(a, b):
    """Same dtype, shape and bytes (NaN payloads, -0.0 and raw bool bytes included)."""
    a, b = np.asarray(a), np.asarray(b)
    return (a.dtype == b.dtype and a.shape == b.shape and
            np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes())


def _native(dtype):
    return dtype if dtype.isnative else dtype.newbyteorder("=")


def describe_mismatch(params, expected, got):
    e, g = np.asarray(expected), np.asarray(got)
    text = [f"case: {params}", f"scipy: dtype={e.dtype} shape={e.shape}",
            f"ours:  dtype={g.dtype} shape={g.shape}"]
    if e.shape == g.shape and e.size:
        eb = np.ascontiguousarray(e).view(np.uint8).reshape(e.size, -1)
        gb = np.ascontiguousarray(g).view(np.uint8).reshape(g.size, -1)
        bad = np.nonzero((eb != gb).any(axis=1))[0]
        flat_e, flat_g = e.reshape(-1), g.reshape(-1)
        text.append(f"{len(bad)} differing elements; first: " + ", ".join(
            f"[{np.unravel_index(i, e.shape)}] scipy={flat_e[i]!r} ours={flat_g[i]!r}"
            for i in bad[:5]))
    return "\n".join(text)


# --------------------------------------------------------------------------------------
# scipy's reflect bug (offset family): exclusion test
# --------------------------------------------------------------------------------------

def expanded_geometry(ndim, fp_shape, axes, origin):
    """Per-axis footprint extents and origins as scipy places them (axes quirks included).

    ``axes`` must be None or a tuple of valid axes; ``origin`` a scalar or a sequence.
    """
    if axes is None:
        axes_n = tuple(range(ndim))
    else:
        axes_n = tuple(a % ndim for a in axes)
    origins = list(origin) if np.iterable(origin) else [origin] * len(axes_n)
    if len(axes_n) == ndim:
        return list(fp_shape), origins
    fshape = [1] * ndim
    for k, ax in enumerate(sorted(axes_n)):
        fshape[ax] = fp_shape[k]
    full = [0] * ndim
    for o, ax in zip(origins, axes_n):
        full[ax] = o
    return fshape, full


def hits_scipy_reflect_bug(mode, shape, fshape, origins):
    """True if scipy's generic_filter would read out of bounds (see the module docs)."""
    if mode not in ("reflect", "grid-mirror") or 0 in shape:
        return False
    return any(fs // 2 + o >= 4 * n for n, fs, o in zip(shape, fshape, origins))


# --------------------------------------------------------------------------------------
# Generated cases
# --------------------------------------------------------------------------------------

def _random_shape(rng, rank, max_size=240):
    if rng.random() < 0.08:  # now and then a larger array: long lines, many lines
        top = int(2 * 4000 ** (1 / rank)) + 1
        for _ in range(1000):
            shape = tuple(int(rng.integers(1, top)) for _ in range(rank))
            if 100 < int(np.prod(shape)) <= 4000:
                return shape
    while True:
        shape = tuple(int(rng.choice([1, 1, 2, 3, 4, 5, 6, 7, 9])) for _ in range(rank))
        if rng.random() < 0.04:
            shape = tuple(0 if i == rng.integers(rank) else n for i, n in enumerate(shape))
        if int(np.prod(shape)) <= max_size:
            return shape


def _valid_origin(rng, fs):
    return int(rng.integers(-(fs // 2), (fs - 1) // 2, endpoint=True))


def _output_spec(rng, in_dtype, out_name):
    """How the output is requested: None, a dtype object, a type, a string, or an array."""
    choice = rng.choice(["none", "dtype", "type", "str", "array", "array", "array"])
    if choice == "none":
        return "none", in_dtype
    if choice == "str" and out_name == "bool":
        choice = "dtype"  # scipy rejects 'bool' as a string (not numeric)
    return choice, out_name


def generic_filter_case(rng, seed):
    """Parameters of one random generic_filter case (a plain dict, printable)."""
    rank = int(rng.integers(1, 5))
    shape = _random_shape(rng, rank)
    in_dtype = DTYPE_NAMES[int(rng.integers(len(DTYPES)))]
    out_name = DTYPE_NAMES[int(rng.integers(len(DTYPES)))]
    out_kind, out_dtype = _output_spec(rng, in_dtype, out_name)
    r = rng.random()
    if r < 0.65:
        axes = None
    elif r < 0.75:
        axes = int(rng.integers(rank))  # non-negative scalar
    elif r < 0.8:
        axes = ()
    else:
        k = int(rng.integers(1, rank + 1))
        axes = tuple(int(a) - (rank if rng.random() < 0.3 else 0)
                     for a in rng.permutation(rank)[:k])
    n_axes = rank if axes is None else (1 if isinstance(axes, int) else len(axes))
    budget = 64 if n_axes <= 2 else 36
    while True:
        if rng.random() < 0.15:
            sizes = [int(rng.integers(1, 3 * max(shape) + 6)) for _ in range(n_axes)]
            sizes = [s if i == 0 else 1 for i, s in enumerate(sizes)]  # one wide axis
        else:
            sizes = [int(rng.integers(1, 6)) for _ in range(n_axes)]
        if int(np.prod(sizes)) <= max(budget, max(sizes, default=1)):
            break
    fp_kind = rng.choice(["size_scalar", "size_seq", "footprint", "footprint",
                          "all_false", "both"])
    size_value = sizes[0] if sizes else int(rng.integers(1, 5))
    if fp_kind == "size_scalar":
        if size_value ** n_axes > 4 * budget:
            size_value = min(size_value, 3)
        sizes = [size_value] * n_axes
    footprint = None
    if fp_kind in ("footprint", "both"):
        footprint = np.asarray(rng.random(sizes) < rng.choice([0.5, 0.8]))
    elif fp_kind == "all_false":
        footprint = np.zeros(sizes, dtype=bool)
    if rng.random() < 0.4:
        lo = max((-(s // 2) for s in sizes), default=0)
        hi = min(((s - 1) // 2 for s in sizes), default=0)
        origin = int(rng.integers(lo, hi, endpoint=True))
    else:
        # Origin k belongs to axes[k] when fewer than all axes are filtered, while the
        # footprint's axes are placed in increasing axis order (scipy's quirk).
        extents = sizes
        if axes is not None and n_axes < rank:
            ax_tuple = (axes,) if isinstance(axes, int) else axes
            fshape, _ = expanded_geometry(rank, sizes, ax_tuple, 0)
            extents = [fshape[a % rank] for a in ax_tuple]
        origin = [_valid_origin(rng, s) for s in extents]
    callback = str(rng.choice(["gf_wsum", "gf_wsum", "gf_max", "gf_mean", "gf_last",
                               "gf_scaled", "gf_scaled_ud"]))
    return dict(
        seed=seed, shape=shape, in_dtype=in_dtype, in_layout=str(rng.choice(LAYOUTS)),
        out_kind=out_kind, out_dtype=out_dtype, out_layout=str(rng.choice(LAYOUTS)),
        mode=str(rng.choice(MODES)), cval=float(rng.choice(CVALS)), axes=axes,
        fp_kind=str(fp_kind), sizes=sizes, size_value=size_value, footprint=footprint, origin=origin,
        callback=callback, special=float(rng.choice([0.0, 0.1, 0.5])),
    )


def generic_filter1d_case(rng, seed):
    rank = int(rng.integers(1, 5))
    shape = _random_shape(rng, rank, max_size=400)
    in_dtype = DTYPE_NAMES[int(rng.integers(len(DTYPES)))]
    out_name = DTYPE_NAMES[int(rng.integers(len(DTYPES)))]
    out_kind, out_dtype = _output_spec(rng, in_dtype, out_name)
    axis = int(rng.integers(-rank, rank))
    n = shape[axis]
    if rng.random() < 0.2:
        filter_size = int(rng.integers(1, 3 * n + 8))
    else:
        filter_size = int(rng.integers(1, 7))
    return dict(
        seed=seed, shape=shape, in_dtype=in_dtype, in_layout=str(rng.choice(LAYOUTS)),
        out_kind=out_kind, out_dtype=out_dtype, out_layout=str(rng.choice(LAYOUTS)),
        mode=str(rng.choice(MODES)), cval=float(rng.choice(CVALS)), axis=axis,
        filter_size=filter_size, origin=_valid_origin(rng, filter_size),
        callback=str(rng.choice(["gf1d_wmoving", "gf1d_wmoving", "gf1d_last", "gf1d_line",
                                 "gf1d_scaled", "gf1d_scaled_ud"])),
        special=float(rng.choice([0.0, 0.1, 0.5])),
    )


class Keep:
    """Keeps ctypes user_data objects alive for the duration of a case."""

    def __init__(self):
        self.objects = []


def c_function(clib, name, keep):
    """A LowLevelCallable for a callback name used by the generators."""
    if name.endswith("_ud"):
        scale = ctypes.c_double(-0.3125)
        keep.objects.append(scale)
        return llc(clib, name[:-3], ctypes.cast(ctypes.pointer(scale), ctypes.c_void_p))
    return llc(clib, name)


def input_pair(params):
    """Two identical input arrays (same values and layout) for a case."""
    data = random_data(np.random.default_rng(params["seed"] + 1), params["shape"],
                       params["in_dtype"], params["special"])
    return [with_layout(data, params["in_layout"], np.random.default_rng(params["seed"] + 2))
            for _ in range(2)]


def _output_arg(params, shape):
    kind, dtype = params["out_kind"], params["out_dtype"]
    if kind == "none":
        return None, None
    if kind == "dtype":
        return np.dtype(dtype), np.dtype(dtype)
    if kind == "type":
        return np.dtype(dtype).type, np.dtype(dtype)
    if kind == "str":
        return dtype, np.dtype(dtype)
    arrays = output_pair(shape, dtype, params["out_layout"], params["seed"] + 7)
    return arrays, None


def run_generic_filter_case(params, function_ours, function_scipy=None, **extra):
    """Runs one generic_filter case on both; returns (skipped, matched, scipy, ours)."""
    input_scipy, input_ours = input_pair(params)
    out_arg, _ = _output_arg(params, params["shape"])
    if isinstance(out_arg, list):
        out_scipy, out_ours = out_arg
    else:
        out_scipy = out_ours = out_arg
    kwargs = dict(mode=params["mode"], cval=params["cval"], origin=params["origin"],
                  **extra)
    if params["axes"] is not None:
        kwargs["axes"] = params["axes"]
    fp_kind = params["fp_kind"]
    if fp_kind == "size_scalar":
        kwargs["size"] = params["size_value"]
    elif fp_kind == "size_seq":
        kwargs["size"] = tuple(params["sizes"])
    elif fp_kind == "both":
        kwargs["size"] = 3
        kwargs["footprint"] = params["footprint"]
    else:
        kwargs["footprint"] = params["footprint"]
    fp_shape = params["sizes"]
    axes = params["axes"]
    if isinstance(axes, int):
        axes = (axes,)
    fshape, origins = expanded_geometry(len(params["shape"]), fp_shape, axes,
                                        params["origin"])
    if hits_scipy_reflect_bug(params["mode"], params["shape"], fshape, origins):
        return True, None, None, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        expected = sndi.generic_filter(input_scipy, function_scipy or function_ours,
                                       output=out_scipy, **kwargs)
        got = lndi.generic_filter(input_ours, function_ours, output=out_ours, **kwargs)
    if isinstance(out_arg, list):
        assert expected is out_scipy
        assert got is out_ours
    return False, same_bits(expected, got), expected, got


def run_generic_filter1d_case(params, function_ours, function_scipy=None, **extra):
    input_scipy, input_ours = input_pair(params)
    out_arg, _ = _output_arg(params, params["shape"])
    if isinstance(out_arg, list):
        out_scipy, out_ours = out_arg
    else:
        out_scipy = out_ours = out_arg
    kwargs = dict(axis=params["axis"], mode=params["mode"], cval=params["cval"],
                  origin=params["origin"], **extra)
    expected = sndi.generic_filter1d(input_scipy, function_scipy or function_ours,
                                     params["filter_size"], output=out_scipy, **kwargs)
    got = lndi.generic_filter1d(input_ours, function_ours, params["filter_size"],
                                output=out_ours, **kwargs)
    if isinstance(out_arg, list):
        assert expected is out_scipy
        assert got is out_ours
    return False, same_bits(expected, got), expected, got


# --------------------------------------------------------------------------------------
# Python callables used by the differential tests
# --------------------------------------------------------------------------------------

def py_wsum(buffer, scale=1.0, offset=0.0):
    """sum(buffer[i] * (i + 1.37)) * scale + offset, in the C callback's order."""
    s = 0.0
    for i, v in enumerate(buffer.tolist()):
        s += v * (i + 1.37)
    return s * scale + offset


def py_wmoving(line, out, scale=1.0, offset=0.0):
    fs = len(line) - len(out) + 1
    values = line.tolist()
    for i in range(len(out)):
        s = 0.0
        for k in range(fs):
            s += values[i + k] * (k + 1.37)
        out[i] = s * scale + offset


def nan_signs_only(expected, got):
    """Whether the only differences between two float arrays are NaN sign bits (README, "NaN
    sign bits"): where NaNs of both signs meet in one operation, x86 keeps the first
    operand's, and compilers (and numpy's loops) order commutative operands as they like.
    Same dtype, shape and NaN positions, every other value equal."""
    e, g = np.ascontiguousarray(expected), np.ascontiguousarray(got)
    if e.dtype != g.dtype or e.shape != g.shape or e.dtype.kind not in "fc":
        return False
    if e.dtype.kind == "c":
        e, g = np.stack([e.real, e.imag]), np.stack([g.real, g.imag])
    en, gn = np.isnan(e), np.isnan(g)
    return bool((en == gn).all()) and same_bits(e[~en], g[~gn])

