"""Case generators and runners for the interpolation differential tests (test_interpolation.py).

A case is a plain dict (printable, reproducible from its seed). ``run_case`` runs it on
scipy 1.17.1 and on libndimage and says whether the results are the same bytes.
"""

import ctypes
import warnings

import numpy as np
import scipy
import scipy.ndimage as sndi

import _support as S
import libndimage as lndi

FUNCTIONS = ["geometric_transform", "map_coordinates", "affine_transform", "shift", "zoom",
             "rotate", "spline_filter1d", "spline_filter"]
COMPLEX_NAMES = ["complex64", "complex128"]
IN_DTYPES = S.DTYPE_NAMES + COMPLEX_NAMES
MODES = S.MODES

# scipy 1.17's reflect/grid-mirror/nearest prefilter has an aliasing bug on short axes
# (fixed in scipy 1.18, whose fix libndimage implements). Axes of length 1 are not filtered
# at all; from this length on the two agree to the last bit.
LONG_AXIS = 25
PREFILTER_BUG_MODES = ("reflect", "grid-mirror")            # interpolation functions
SPLINE_FILTER_BUG_MODES = ("reflect", "grid-mirror", "nearest")  # spline_filter(1d) itself

TRANSFORM_CALLBACKS = ["gt_affine", "gt_shift", "gt_sparse", "gt_scribble", "gt_fail_after",
                       "gt_set_error"]

# Matrix entries and offsets that put coordinates exactly on samples, on half-way points
# (the order-0 tie rule) and on the edges.
NICE = [0.0, 1.0, 1.0, -1.0, 0.5, -0.5, 2.0, 0.25, 1.5, -2.0, 0.75]


class AffineData(ctypes.Structure):
    """user_data of gt_affine (callbacks.c)."""

    _fields_ = [("matrix", ctypes.POINTER(ctypes.c_double)),
                ("offset", ctypes.POINTER(ctypes.c_double))]


def load_transform_callbacks(path):
    """The geometric_transform callbacks of callbacks.c as ctypes functions whose scipy
    signature is "int (long *, double *, int, int, void *)"."""
    lib = ctypes.CDLL(path)
    ns = {}
    for name in TRANSFORM_CALLBACKS:
        fn = getattr(lib, name)
        fn.restype = ctypes.c_int
        fn.argtypes = [ctypes.POINTER(ctypes.c_ssize_t), ctypes.POINTER(ctypes.c_double),
                       ctypes.c_int, ctypes.c_int, ctypes.c_void_p]
        ns[name] = fn
    return ns


def affine_llc(tlib, matrix, offset, keep):
    """A LowLevelCallable of gt_affine for ``matrix`` (in_rank x out_rank) and ``offset``."""
    m = np.ascontiguousarray(matrix, dtype=np.float64).reshape(-1)
    o = np.ascontiguousarray(offset, dtype=np.float64).reshape(-1)
    if m.size == 0:
        m = np.zeros(1)
    data = AffineData(m.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
                      o.ctypes.data_as(ctypes.POINTER(ctypes.c_double)))
    keep.objects += [m, o, data]
    return scipy.LowLevelCallable(tlib["gt_affine"],
                                  ctypes.cast(ctypes.pointer(data), ctypes.c_void_p))


def py_affine(matrix, offset):
    """The Python mapping equal to gt_affine (same operations, same order)."""
    rows = [[float(v) for v in row] for row in np.asarray(matrix).reshape(len(offset), -1)]
    off = [float(v) for v in offset]

    def mapping(index, *args, **kwargs):
        out = []
        for h, row in enumerate(rows):
            v = off[h]
            for k, i in enumerate(index):
                v += float(i) * row[k]
            out.append(v)
        return tuple(out)

    return mapping


def py_affine_extra(index, rows, off, scale=1.0):
    """gt_affine with the matrix and offset passed through extra_arguments/keywords (scale
    1.0 leaves the values unchanged)."""
    out = []
    for h, row in enumerate(rows):
        v = off[h]
        for k, i in enumerate(index):
            v += float(i) * row[k]
        out.append(v * scale)
    return tuple(out)


# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------

def make_data(rng, shape, dtype, special):
    dtype = np.dtype(dtype)
    if dtype.kind != "c":
        return S.random_data(rng, shape, dtype, special)
    part = np.dtype(np.float32 if dtype.itemsize == 8 else np.float64)
    out = np.empty(shape, dtype)
    out.real = S.random_data(rng, shape, part, special)
    out.imag = S.random_data(rng, shape, part, special)
    return out


def input_pair(params):
    data = make_data(np.random.default_rng(params["seed"] + 1), params["shape"],
                     params["in_dtype"], params["special"])
    return [S.with_layout(data, params["in_layout"], np.random.default_rng(params["seed"] + 2))
            for _ in range(2)]


def _shape(rng, rank, budget=120, long_axes=False, allow_zero=False):
    if long_axes:
        # Axes long enough that scipy 1.17's reflect prefilter is exact.
        while True:
            shape = tuple(int(rng.choice([1, LONG_AXIS, LONG_AXIS + 1, 27, 31, 40]))
                          for _ in range(rank))
            if int(np.prod(shape)) <= 1700:
                return shape
    while True:
        shape = tuple(int(rng.choice([1, 2, 2, 3, 4, 4, 5, 6, 7, 9])) for _ in range(rank))
        if allow_zero and rng.random() < 0.04:
            shape = tuple(0 if i == rng.integers(rank) else n for i, n in enumerate(shape))
        if int(np.prod(shape)) <= budget:
            return shape


def _out_shape(rng, rank, budget=100):
    while True:
        shape = tuple(int(rng.choice([1, 2, 3, 4, 5, 6, 8])) for _ in range(rank))
        if rng.random() < 0.03:
            shape = tuple(0 if i == 0 else n for i, n in enumerate(shape))
        if int(np.prod(shape)) <= budget:
            return shape


def _output_spec(rng, in_dtype, default_float64=False):
    """(kind, dtype name): how the output is requested. Complex inputs need complex outputs
    (a real dtype or type given for one is promoted by both, with a warning)."""
    kind = str(rng.choice(["none", "dtype", "type", "str", "array", "array", "array"]))
    if in_dtype in COMPLEX_NAMES:
        if kind in ("dtype", "type") and rng.random() < 0.2:
            return kind, str(rng.choice(["float32", "float64", "int16"]))
        return kind, str(rng.choice(COMPLEX_NAMES))
    if kind == "none":
        return kind, "float64" if default_float64 else in_dtype
    name = str(rng.choice(S.DTYPE_NAMES))
    if kind == "str" and name == "bool":
        kind = "dtype"
    return kind, name


def _cval(rng, in_dtype):
    if in_dtype in COMPLEX_NAMES and rng.random() < 0.6:
        return complex(float(rng.choice(S.CVALS)), float(rng.choice([0.0, -2.5, 1e10, 0.75])))
    return float(rng.choice(S.CVALS))


def _order_mode(rng):
    return int(rng.integers(0, 6)), str(rng.choice(MODES))


def _offset_value(rng, n):
    r = rng.random()
    if r < 0.55:
        return float(rng.choice([0.0, 0.5, -0.5, 1.0, -1.0, n - 1.0, n - 0.5, -1.5, n, 0.25]))
    if r < 0.65:
        return float(rng.choice([-1e-15, 1e-15, -1e-17, (n - 1) * (1 + 4.4e-16), -0.0]))
    return float(np.round(rng.uniform(-n - 1, 2 * n + 1), int(rng.integers(0, 5))))


def _matrix(rng, rows, cols):
    m = np.zeros((rows, cols))
    for h in range(rows):
        for k in range(cols):
            m[h, k] = (float(rng.choice(NICE)) if rng.random() < 0.75
                       else float(np.round(rng.uniform(-2.2, 2.2), int(rng.integers(1, 6)))))
    return m


def _coordinates(rng, in_shape, out_shape, mode, order, dtype):
    """map_coordinates coordinates: samples, halves, edges, nudges, random, far out."""
    rank = len(in_shape)
    coords = np.zeros((rank,) + tuple(out_shape))
    flat = coords.reshape(rank, -1)
    nan_ok = mode not in ("nearest", "grid-constant")
    for a, n in enumerate(in_shape):
        for j in range(flat.shape[1]):
            r = rng.random()
            if r < 0.3:
                v = float(rng.integers(-2, n + 2))
            elif r < 0.5:
                v = float(rng.integers(-3, n + 2)) + 0.5
            elif r < 0.6:
                v = float(rng.choice([0.0, n - 1.0, -0.5, n - 0.5, -1.0, float(n), -0.0]))
            elif r < 0.67:
                v = float(rng.choice([-1e-15, 1e-15, -1e-17, (n - 1) + 4.4e-16,
                                      (n - 1) - 4.4e-16, -0.5 - 1e-16, 0.5 - 1e-17]))
            elif r < 0.95:
                v = float(rng.uniform(-n - 2, 2 * n + 2))
            elif r < 0.98:
                v = float(rng.choice([1e6, -1e6, 3.5 * n + 0.5, -7.25 * n]))
            else:
                v = float("nan") if nan_ok else float(rng.uniform(-2, n + 1))
            flat[a, j] = v
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return coords.astype(dtype)
    if dtype.kind == "b":
        return np.nan_to_num(coords, nan=0.0) % 2 >= 1
    with np.errstate(all="ignore"):
        c = np.nan_to_num(np.floor(coords), nan=0.0)
        if dtype.kind == "u":
            c = np.where(c < 0, 0, c)
        return np.clip(c, -1e6, 1e6).astype(dtype)


# --------------------------------------------------------------------------------------
# Case generation
# --------------------------------------------------------------------------------------

def make_case(rng, seed, function, python_mapping=False):
    """One random case of ``function`` (a dict)."""
    order, mode = _order_mode(rng)
    prefilter = bool(rng.random() < 0.75)
    rank_lo = 2 if function == "rotate" else 1
    rank = int(rng.integers(rank_lo, 5))
    prefiltered = order > 1 and (prefilter or function.startswith("spline"))
    bug_modes = (SPLINE_FILTER_BUG_MODES if function.startswith("spline")
                 else PREFILTER_BUG_MODES)
    long_axes = prefiltered and mode in bug_modes and rng.random() < 0.55
    if long_axes:
        rank = min(rank, 2 if function != "rotate" else 2)
    budget = 40 if python_mapping else (60 if function == "rotate" else 120)
    allow_zero = function in ("shift", "zoom", "spline_filter1d", "spline_filter")
    shape = _shape(rng, rank, budget, long_axes, allow_zero)
    in_dtype = str(rng.choice(IN_DTYPES)) if rng.random() < 0.8 else "float64"
    params = dict(seed=seed, function=function, shape=shape, in_dtype=in_dtype,
                  in_layout=str(rng.choice(S.LAYOUTS)), special=float(rng.choice([0, 0.05, 0.3])),
                  order=order, mode=mode, cval=_cval(rng, in_dtype), prefilter=prefilter,
                  out_layout=str(rng.choice(S.LAYOUTS)))
    spline = function.startswith("spline")
    params["out_kind"], params["out_dtype"] = _output_spec(rng, in_dtype, spline)
    if params["special"] and rng.random() < 0.5:
        params["special"] = 0.0
    getattr(_CASES, function)(rng, params, python_mapping)
    return params


class _CASES:
    @staticmethod
    def geometric_transform(rng, p, python_mapping):
        in_rank = len(p["shape"])
        out_rank = int(rng.integers(1, 5)) if rng.random() < 0.5 else in_rank
        out_shape = _out_shape(rng, out_rank, 40 if python_mapping else 100)
        p["output_shape_given"] = out_shape != p["shape"] or rng.random() < 0.5
        p["out_shape"] = out_shape
        if not p["output_shape_given"]:
            p["out_shape"] = p["shape"]
        m = _matrix(rng, in_rank, len(p["out_shape"]))
        off = [_offset_value(rng, n) for n in p["shape"]]
        p["matrix"], p["offset"] = m, off
        if python_mapping:
            p["mapping"] = str(rng.choice(["py", "py_extra", "py_kw"]))
        else:
            p["mapping"] = str(rng.choice(["c_affine", "c_affine", "c_affine", "c_sparse",
                                           "c_shift"]))
            if p["mapping"] == "c_shift" and len(p["out_shape"]) < in_rank:
                p["mapping"] = "c_affine"

    @staticmethod
    def map_coordinates(rng, p, python_mapping):
        out_shape = _out_shape(rng, int(rng.integers(1, 4)))
        cdtype = str(rng.choice(["float64", "float64", "float32", "int64", "int16", "uint8",
                                 "bool", "int32", "uint32"]))
        p["coords"] = _coordinates(rng, p["shape"], out_shape, p["mode"], p["order"], cdtype)
        p["coords_layout"] = str(rng.choice(S.LAYOUTS))
        p["out_shape"] = out_shape

    @staticmethod
    def affine_transform(rng, p, python_mapping):
        n = len(p["shape"])
        form = str(rng.choice(["diag", "full", "full", "homog", "homog_sq"]))
        out_rank = n
        if form == "full" and rng.random() < 0.4:
            out_rank = int(rng.choice([r for r in range(1, 5) if r != n + 1]))
        out_shape = _out_shape(rng, out_rank) if rng.random() < 0.6 else p["shape"]
        if form == "diag":
            diag = _matrix(rng, 1, n)[0]
            # A zero gives NaN coordinates (offset / 0): scipy's shift/zoom loop then
            # reads out of bounds (segfaults) in the wrap/reflect/mirror modes.
            diag[diag == 0] = 1.0
            matrix = diag
        else:
            matrix = _matrix(rng, n, out_rank)
        offsets = [_offset_value(rng, m) for m in p["shape"]]
        if form == "homog":
            matrix = np.concatenate([matrix, np.array(offsets)[:, None]], axis=1)
        elif form == "homog_sq":
            matrix = np.concatenate([matrix, np.array(offsets)[:, None]], axis=1)
            matrix = np.concatenate([matrix, np.eye(1, n + 1, n)], axis=0)
        p["form"], p["matrix"] = form, matrix
        kind = str(rng.choice(["scalar", "list", "array", "default"]))
        p["offset"] = (offsets[0] if kind == "scalar" else tuple(offsets) if kind == "list"
                       else np.array(offsets) if kind == "array" else None)
        p["output_shape_given"] = bool(rng.random() < 0.5) or out_shape != p["shape"]
        p["out_shape"] = out_shape

    @staticmethod
    def shift(rng, p, python_mapping):
        values = [_shift_value(rng, n) for n in p["shape"]]
        p["shift"] = values[0] if rng.random() < 0.3 else values
        p["out_shape"] = p["shape"]

    @staticmethod
    def zoom(rng, p, python_mapping):
        while True:
            if rng.random() < 0.3:
                z = _zoom_value(rng)
                zooms = [z] * len(p["shape"])
                p["zoom"] = z
            else:
                zooms = [_zoom_value(rng) for _ in p["shape"]]
                p["zoom"] = zooms
            out_shape = tuple(int(round(n * z)) for n, z in zip(p["shape"], zooms))
            if int(np.prod(out_shape)) <= 400:
                break
        p["out_shape"] = out_shape
        p["grid_mode"] = bool(rng.random() < 0.4)

    @staticmethod
    def rotate(rng, p, python_mapping):
        n = len(p["shape"])
        r = rng.random()
        if r < 0.5:
            p["angle"] = float(rng.choice([0, 90, -90, 180, 270, 360, 45, 30, -30, 15.5, 450,
                                           -720, 1e-10, 135]))
        else:
            p["angle"] = float(np.round(rng.uniform(-400, 400), int(rng.integers(0, 4))))
        a, b = (int(v) for v in rng.choice(n, 2, replace=False))
        if rng.random() < 0.3:
            a -= n
        p["axes"] = (a, b) if rng.random() < 0.9 else (a, a)
        p["reshape"] = bool(rng.random() < 0.6)
        p["out_shape"] = None  # computed by scipy

    @staticmethod
    def spline_filter1d(rng, p, python_mapping):
        p["axis"] = int(rng.integers(-len(p["shape"]), len(p["shape"])))
        p["out_shape"] = p["shape"]

    @staticmethod
    def spline_filter(rng, p, python_mapping):
        p["order"] = int(rng.integers(2, 6))
        p["out_shape"] = p["shape"]


def _shift_value(rng, n):
    r = rng.random()
    if r < 0.6:
        return float(rng.choice([0.0, 0.5, -0.5, 1.0, -1.0, 1.5, -2.5, float(n), 0.25, 2.0,
                                 -0.0, -float(n) - 0.5]))
    return float(np.round(rng.uniform(-n - 2, n + 2), int(rng.integers(0, 6))))


def _zoom_value(rng):
    if rng.random() < 0.75:
        return float(rng.choice([0.5, 1.0, 1.0, 1.5, 2.0, 3.0, 0.3, 2.5, 1 / 3, 0.75, 1.25,
                                 0.0]))
    return float(rng.uniform(0.2, 3.0))


# --------------------------------------------------------------------------------------
# The known divergence (scipy 1.17 prefilter bug)
# --------------------------------------------------------------------------------------

# Known libndimage divergences (reported; each has a reproducer in test_interpolation.py: a
# strict xfail for the bugs, a sign-blind comparison for the NaN sign bits). A generated
# case whose only difference is explained by one of them is counted apart instead of failing
# its batch. Set a flag to False once fixed.

# spline_filter with a bool output: scipy stores each pass as the raw truncated byte and
# the next pass reads that byte back as a number (0..255); libndimage reads it as 0/1.
KNOWN_BOOL_SPLINE_FILTER_BUG = False

# When NaNs of both signs meet in one operation of the prefilter (e.g. a +NaN sample and
# the negative default NaN that x86 makes for inf - inf), scipy and libndimage propagate
# different ones: same NaN positions, different sign bits. x86 keeps the first operand's NaN
# and the compiler may swap the operands of an addition, so which cases differ can change
# with the code around them: test_nan_sign_bits_are_the_only_difference compares with the
# NaN sign bits cleared, which passes either way.
KNOWN_NAN_SIGN_DIVERGENCE = True


# A bool input in mode grid-constant with the prefilter: scipy pads with np.pad, which
# stores cval as numpy's bool(cval) (any non-zero value, NaN included, is True);
# libndimage pads with the truncated byte of cval (0.5, 256, 1e10, NaN, inf -> False).
KNOWN_BOOL_PAD_BUG = False


def _truncated_byte(v):
    """x86-64 (int32)v, then the low byte (the filter store rule for bool)."""
    if not np.isfinite(v) or not -2.0 ** 31 < v < 2.0 ** 31:
        return 0
    return int(v) & 0xFF


def bool_pad_differs(p):
    """True if the case pads a bool input with a cval whose two bool casts differ."""
    if p.get("in_dtype") != "bool" or p.get("mode") != "grid-constant":
        return False
    if p["function"].startswith("spline") or not (p.get("prefilter", True)
                                                  and p["order"] > 1):
        return False
    cval = float(np.real(p["cval"]))
    return bool(cval != 0) != bool(_truncated_byte(cval))


# A NaN coordinate on an axis of length 1 in the mirror, reflect, grid-mirror, wrap and
# grid-wrap modes: scipy leaves NaN unmapped, so the point is cval; libndimage maps it to
# 0 (the length-1 rule) and interpolates.
KNOWN_NAN_LENGTH1_BUG = False
NAN_LENGTH1_MODES = ("mirror", "reflect", "grid-mirror", "wrap", "grid-wrap")


def nan_length1_points(p):
    """Mask (output shape) of map_coordinates points with a NaN coordinate on an axis of
    length 1 in the affected modes, or None."""
    if p["function"] != "map_coordinates" or p["mode"] not in NAN_LENGTH1_MODES:
        return None
    coords = np.asarray(p["coords"])
    if coords.dtype.kind != "f":
        return None
    mask = np.zeros(coords.shape[1:], bool)
    for axis, n in enumerate(p["shape"]):
        if n == 1:
            mask |= np.isnan(coords[axis])
    return mask


def known_divergence(p, expected, got):
    """The name of the known divergence that explains every difference, or None."""
    if not (isinstance(expected, np.ndarray) and isinstance(got, np.ndarray)):
        return None
    if expected.dtype != got.dtype or expected.shape != got.shape:
        return None
    if KNOWN_BOOL_PAD_BUG and bool_pad_differs(p):
        return "bool grid-constant pad value"
    if KNOWN_NAN_LENGTH1_BUG:
        mask = nan_length1_points(p)
        if mask is not None and mask.any():
            e = np.array(expected)
            e[mask] = got[mask]
            if S.same_bits(e, got):
                return "NaN coordinate on a length-1 axis"
    if (KNOWN_BOOL_SPLINE_FILTER_BUG and p["function"] == "spline_filter"
            and expected.dtype == np.bool_ and expected.ndim >= 2):
        return "bool spline_filter passes"
    if KNOWN_NAN_SIGN_DIVERGENCE and expected.dtype.kind in "fc":
        e = np.ascontiguousarray(expected)
        g = np.ascontiguousarray(got)
        if e.dtype.kind == "c":
            e = np.stack([e.real, e.imag])
            g = np.stack([g.real, g.imag])
        en, gn = np.isnan(e), np.isnan(g)
        if (en == gn).all() and S.same_bits(e[~en], g[~gn]):
            return "NaN sign bits"
    return None


def _short(n):
    return 2 <= n < LONG_AXIS


def diverges_from_scipy_117(p, out_shape=None):
    """True if the case runs scipy 1.17's buggy prefilter on a short axis."""
    f, mode, shape = p["function"], p["mode"], p["shape"]
    if f == "spline_filter1d":
        return p["order"] > 1 and mode in SPLINE_FILTER_BUG_MODES and _short(shape[p["axis"]])
    if f == "spline_filter":
        return mode in SPLINE_FILTER_BUG_MODES and any(_short(n) for n in shape)
    if not (p["prefilter"] and p["order"] > 1) or mode not in PREFILTER_BUG_MODES:
        return False
    if f == "zoom":
        zooms = p["zoom"] if isinstance(p["zoom"], list) else [p["zoom"]] * len(shape)
        if all(z == 1 for z in zooms):
            return False  # scipy's early exit: a plain copy
    if f == "rotate" and len(shape) > 2:
        axes = sorted(a % len(shape) for a in p["axes"])
        return any(_short(shape[a]) for a in axes)
    return any(_short(n) for n in shape)


# --------------------------------------------------------------------------------------
# Running a case
# --------------------------------------------------------------------------------------

def _output_arg(p, shape):
    kind, dtype = p["out_kind"], p["out_dtype"]
    if kind == "none":
        return None
    if kind == "dtype":
        return np.dtype(dtype)
    if kind == "type":
        return np.dtype(dtype).type
    if kind == "str":
        return dtype
    return S.output_pair(shape, dtype, p["out_layout"], p["seed"] + 7)


def _mapping(p, tlib, keep):
    name = p["mapping"]
    if name == "c_affine":
        return affine_llc(tlib, p["matrix"], p["offset"], keep), {}
    if name == "c_sparse":
        return scipy.LowLevelCallable(tlib["gt_sparse"]), {}
    if name == "c_shift":
        s = ctypes.c_double(p["offset"][0])
        keep.objects.append(s)
        return scipy.LowLevelCallable(tlib["gt_shift"],
                                      ctypes.cast(ctypes.pointer(s), ctypes.c_void_p)), {}
    rows = [[float(v) for v in row] for row in p["matrix"]]
    off = [float(v) for v in p["offset"]]
    if name == "py":
        return py_affine(p["matrix"], p["offset"]), {}
    if name == "py_extra":
        return py_affine_extra, dict(extra_arguments=(rows, off))
    return py_affine_extra, dict(extra_arguments=(rows,), extra_keywords=dict(off=off,
                                                                              scale=1.0))


def _arguments(p, tlib, keep):
    """(positional args after the input, keyword args) shared by both libraries."""
    f = p["function"]
    kw = dict(order=p["order"], mode=p["mode"])
    if not f.startswith("spline"):
        kw.update(cval=p["cval"], prefilter=p["prefilter"])
    if f == "geometric_transform":
        mapping, extra = _mapping(p, tlib, keep)
        kw.update(extra)
        if p["output_shape_given"]:
            kw["output_shape"] = p["out_shape"]
        return (mapping,), kw
    if f == "map_coordinates":
        return (S.with_layout(p["coords"], p["coords_layout"],
                              np.random.default_rng(p["seed"] + 3)),), kw
    if f == "affine_transform":
        if p["offset"] is not None:
            kw["offset"] = p["offset"]
        if p["output_shape_given"]:
            kw["output_shape"] = p["out_shape"]
        return (p["matrix"],), kw
    if f == "shift":
        return (p["shift"],), kw
    if f == "zoom":
        kw["grid_mode"] = p["grid_mode"]
        return (p["zoom"],), kw
    if f == "rotate":
        kw.update(axes=p["axes"], reshape=p["reshape"])
        return (p["angle"],), kw
    if f == "spline_filter1d":
        kw["axis"] = p["axis"]
        return (), kw
    kw.pop("order")
    return (p["order"],), kw


def _outcome(function, args, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with np.errstate(all="ignore"):
                return None, function(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            return exc, None


def run_case(p, tlib):
    """(skipped, matched, expected, got) for a case; exceptions must match in type and
    message (scipy's outcome is the reference)."""
    if diverges_from_scipy_117(p):
        return True, None, None, None
    keep = S.Keep()
    f = p["function"]
    args, kwargs = _arguments(p, tlib, keep)
    out_shape = p["out_shape"]
    if out_shape is None:  # rotate: let scipy say which shape it makes
        try:
            out_shape = sndi.rotate(np.zeros(p["shape"]), *args, order=0, prefilter=False,
                                    **{k: kwargs[k] for k in ("axes", "reshape")}).shape
        except RuntimeError:  # e.g. equal axes on 3-D input: an error in both
            out_shape = p["shape"]
    out = _output_arg(p, out_shape)
    inputs = input_pair(p)
    results = []
    for k, lib in enumerate((sndi, lndi)):
        kw = dict(kwargs)
        o = out[k] if isinstance(out, list) else out
        if o is not None or f.startswith("spline"):
            if o is not None:
                kw["output"] = o
        exc, value = _outcome(getattr(lib, f), (inputs[k],) + args, kw)
        if isinstance(out, list) and exc is None:
            assert value is out[k], "an output array must be returned as is"
        results.append((exc, value))
    (e_exc, expected), (g_exc, got) = results
    if e_exc is not None or g_exc is not None:
        same = (type(e_exc) is type(g_exc) and str(e_exc) == str(g_exc))
        return False, same, repr(e_exc), repr(g_exc)
    return False, S.same_bits(expected, got), expected, got


def ulp_difference(expected, got):
    """Largest distance in units in the last place between two float64 (or complex128)
    arrays; NaN equals NaN; a NaN against a number counts as 2**64."""
    e = np.asarray(expected)
    g = np.asarray(got)
    if e.dtype.kind == "c":
        e = np.stack([e.real, e.imag])
        g = np.stack([g.real, g.imag])
    e = np.ascontiguousarray(e, dtype=np.float64).reshape(-1)
    g = np.ascontiguousarray(g, dtype=np.float64).reshape(-1)
    en, gn = np.isnan(e), np.isnan(g)
    if (en != gn).any():
        return 2 ** 64
    ei, gi = e.view(np.int64), g.view(np.int64)
    differ = np.nonzero((ei != gi) & ~en)[0]
    worst = 0
    for i in differ.tolist():
        a, b = int(ei[i]), int(gi[i])
        a = a if a >= 0 else -(a & 0x7FFF_FFFF_FFFF_FFFF)
        b = b if b >= 0 else -(b & 0x7FFF_FFFF_FFFF_FFFF)
        worst = max(worst, abs(a - b))
    return worst


def float64_result(value):
    if not isinstance(value, np.ndarray):
        return False
    return np.dtype(value.dtype).newbyteorder("=") in (np.dtype(np.float64),
                                                        np.dtype(np.complex128))
