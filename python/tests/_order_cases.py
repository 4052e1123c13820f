"""Generated cases for the order filters (minimum/maximum, rank/median/percentile) and grey
morphology, run on scipy 1.17.1 and libndimage, and the rules that recognise scipy's
buggy cases (never run on scipy: some corrupt its memory) so that they are tested apart.
"""

import warnings

import numpy as np
import scipy.ndimage as sndi

import _support as S
import libndimage as lndi

FILTERS_1D = ["minimum_filter1d", "maximum_filter1d"]
FILTERS_ND = ["minimum_filter", "maximum_filter"]
RANKS = ["rank_filter", "median_filter", "percentile_filter"]
GREY = ["grey_erosion", "grey_dilation", "grey_opening", "grey_closing",
        "morphological_gradient", "morphological_laplace", "white_tophat", "black_tophat"]
FUNCTIONS = FILTERS_1D + FILTERS_ND + RANKS + GREY

TIE_FLOATS = np.array([0.0, -0.0, 1.0, -1.0, 2.0, np.inf, -np.inf, np.nan])
PERCENTILES = [-100.0, -50.0, -12.5, 0.0, 20.0, 33.3, 50.0, 75.0, 99.9, 100.0]
STRUCTURE_VALUES = np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0, -300.0, 1e10])


def order_data(rng, shape, dtype, style, special):
    """Input values: scipy's general random data, or few distinct values (ties, and for
    floats NaN, signed zeros and infinities) where the paths' choices show."""
    dtype = np.dtype(dtype)
    size = int(np.prod(shape, dtype=np.int64))
    if style == "ties":
        if dtype.kind == "f":
            values = rng.choice(TIE_FLOATS, size=size)
            with np.errstate(all="ignore"):
                return values.astype(dtype).reshape(shape)
        if dtype.kind == "b":
            return (rng.random(size) < 0.5).reshape(shape)
        return rng.integers(0, 4, size=size).astype(dtype).reshape(shape)
    if dtype == np.float16:
        return rng.normal(size=size).astype(np.float16).reshape(shape)
    return S.random_data(rng, shape, dtype, special)


def _footprint(rng, sizes, kind):
    if kind == "holes":
        while True:
            fp = rng.random(sizes) < rng.choice([0.5, 0.75])
            if fp.any() and not fp.all() or int(np.prod(sizes)) == 1:
                return fp if fp.any() else np.ones(sizes, bool)
    if kind == "full":
        return np.ones(sizes, bool)
    return None


def make_case(rng, seed, function):
    """One random case of ``function``: a printable dict."""
    one_d = function in FILTERS_1D
    rank = 1 if (function in RANKS and rng.random() < 0.3) else int(rng.integers(1, 5))
    shape = S._random_shape(rng, rank, max_size=240)
    names = S.DTYPE_NAMES + (["float16"] if function in RANKS and rank == 1 else [])
    in_dtype = str(rng.choice(names))
    out_name = str(rng.choice(S.DTYPE_NAMES))
    if function in GREY[4:] and rng.random() < 0.6:
        out_name = in_dtype if in_dtype != "float16" else "float32"
    if rng.random() < 0.35:
        out_name = in_dtype if in_dtype != "float16" else "float32"
    out_kind, out_dtype = S._output_spec(rng, in_dtype, out_name)
    p = dict(seed=seed, function=function, shape=shape, in_dtype=in_dtype,
             in_layout=str(rng.choice(S.LAYOUTS)), out_kind=out_kind, out_dtype=out_dtype,
             out_layout=str(rng.choice(S.LAYOUTS)), cval=float(rng.choice(S.CVALS)),
             style=str(rng.choice(["random", "ties", "ties"])),
             special=float(rng.choice([0.0, 0.1, 0.5])))
    if rng.random() < 0.15:
        p["cval"] = float(rng.choice([0.0, 1.0, -0.0, 3.0]))
    mode = str(rng.choice(S.MODES))
    if one_d:
        axis = int(rng.integers(-rank, rank))
        n = shape[axis]
        size = int(rng.integers(1, 3 * n + 8)) if rng.random() < 0.2 else int(rng.integers(1, 8))
        p.update(axis=axis, size=size, origin=S._valid_origin(rng, size), mode=mode)
        return p
    # Axes.
    r = rng.random()
    if r < 0.6:
        axes = None
    elif r < 0.7:
        axes = int(rng.integers(rank))
    else:
        k = int(rng.integers(1, rank + 1))
        axes = tuple(int(a) - (rank if rng.random() < 0.3 else 0)
                     for a in rng.permutation(rank)[:k])
    n_axes = rank if axes is None else (1 if isinstance(axes, int) else len(axes))
    while True:
        if rng.random() < 0.15:
            sizes = [int(rng.integers(1, 3 * max(shape) + 6))] + [1] * (n_axes - 1)
        else:
            sizes = [int(rng.integers(1, 6)) for _ in range(n_axes)]
        if int(np.prod(sizes)) <= 60:
            break
    kinds = ["size_scalar", "size_seq", "holes", "holes", "full", "both"]
    if function in GREY:
        kinds += ["structure", "structure", "structure_fp"]
    fp_kind = str(rng.choice(kinds))
    if fp_kind == "size_scalar":
        sizes = [min(sizes[0], 4)] * n_axes
    footprint = _footprint(rng, sizes, "holes" if fp_kind in ("holes", "both", "structure_fp")
                           else "full" if fp_kind == "full" else None)
    structure = None
    if fp_kind.startswith("structure"):
        structure = rng.choice(STRUCTURE_VALUES, size=sizes)
        if rng.random() < 0.5:
            structure = np.round(structure)
    # Origins: one per filtered axis (axes order), or a scalar valid for all.
    if rng.random() < 0.4:
        lo = max(-(s // 2) for s in sizes)
        hi = min((s - 1) // 2 for s in sizes)
        origin = int(rng.integers(lo, hi, endpoint=True))
    else:
        extents = sizes
        if axes is not None and n_axes < rank and fp_kind in ("holes", "both", "structure",
                                                               "structure_fp"):
            ax = (axes,) if isinstance(axes, int) else axes
            fshape, _ = S.expanded_geometry(rank, sizes, ax, 0)
            extents = [fshape[a % rank] for a in ax]
        origin = [S._valid_origin(rng, s) for s in extents]
    separable = fp_kind in ("size_scalar", "size_seq", "full")
    if separable and rng.random() < 0.3:
        mode = [str(m) for m in rng.choice(S.MODES, size=n_axes)]
    p.update(axes=axes, fp_kind=fp_kind, sizes=sizes, footprint=footprint,
             structure=structure, origin=origin, mode=mode)
    if function == "rank_filter":
        k = int(footprint.sum()) if footprint is not None else int(np.prod(sizes))
        p["rank"] = int(rng.integers(-k, k)) if rng.random() < 0.95 else int(k + 1)
    if function == "percentile_filter":
        p["percentile"] = float(rng.choice(PERCENTILES)) if rng.random() < 0.97 else 101.0
    p["nan_policy"] = None
    return p


def _inputs(p):
    data = order_data(np.random.default_rng(p["seed"] + 1), p["shape"], p["in_dtype"],
                      p["style"], p["special"])
    return [S.with_layout(data, p["in_layout"], np.random.default_rng(p["seed"] + 2))
            for _ in range(2)]


def _outputs(p):
    out_arg, _ = S._output_arg(p, p["shape"])
    if isinstance(out_arg, list):
        return out_arg[0], out_arg[1], True
    return out_arg, out_arg, False


def call_args(p):
    """(positional extras, keyword arguments) of the call."""
    f = p["function"]
    kw = dict(mode=p["mode"], cval=p["cval"], origin=p["origin"])
    if f in FILTERS_1D:
        return (p["size"],), dict(kw, axis=p["axis"])
    if p["axes"] is not None:
        kw["axes"] = p["axes"]
    kind = p["fp_kind"]
    if kind == "size_scalar":
        kw["size"] = p["sizes"][0]
    elif kind == "size_seq":
        kw["size"] = tuple(p["sizes"])
    elif kind == "both":
        kw["size"] = 3
        kw["footprint"] = p["footprint"]
    elif kind in ("holes", "full"):
        kw["footprint"] = p["footprint"]
    elif kind == "structure":
        kw["structure"] = p["structure"]
    elif kind == "structure_fp":
        kw["structure"] = p["structure"]
        kw["footprint"] = p["footprint"]
    if f == "rank_filter":
        return (p["rank"],), kw
    if f == "percentile_filter":
        return (p["percentile"],), kw
    return (), kw


# --------------------------------------------------------------------------------------
# scipy's buggy cases
# --------------------------------------------------------------------------------------

def _geometry(p, rank):
    """Full-rank footprint shape and origins, and the true-element count, as scipy's
    n-dimensional path sees them."""
    axes = p["axes"]
    if isinstance(axes, int):
        axes = (axes,)
    if p["fp_kind"] in ("holes", "both", "full", "structure_fp"):
        fp = np.asarray(p["footprint"], bool)
    elif p["fp_kind"] == "structure":
        fp = np.ones(p["structure"].shape, bool)
    else:
        fp = np.ones(p["sizes"], bool)
    fshape, origins = S.expanded_geometry(rank, list(fp.shape), axes, p["origin"])
    return fshape, origins, int(fp.sum()), fp


def _stream_ok(n, w, origin, mode):
    """Whether scipy's 1-D rank path reads only inside the line (libndimage's Stream::new)."""
    lim = (w - 1) // 2 - origin
    if lim < 0 or lim > n:
        return False
    before = w - lim
    skip = 1 if (mode in ("wrap", "grid-wrap") and w % 2 == 1) else 0
    if mode in ("reflect", "grid-mirror"):
        return before <= n
    if mode == "mirror":
        return before < n and lim < n
    if mode in ("wrap", "grid-wrap"):
        return before - skip <= n
    return True


def scipy_rank(p, k):
    """The rank scipy computes (None where it raises)."""
    f = p["function"]
    if f == "median_filter":
        r = k // 2
    elif f == "percentile_filter":
        q = p["percentile"]
        if q < 0:
            q += 100.0
        if q < 0 or q > 100:
            return None
        r = k - 1 if q == 100.0 else int(float(k) * q / 100.0)
    else:
        r = p["rank"]
    if r < 0:
        r += k
    return r if 0 <= r < k else None


def rank_path(p, input_array):
    """'1d', 'nd' or 'minmax': the path scipy's rank filters take (None: an error)."""
    rank = len(p["shape"])
    fshape, origins, k, fp = _geometry(p, rank)
    r = scipy_rank(p, k)
    if r is None:
        return None
    if r == 0 or r == k - 1:
        return "minmax"
    size = int(np.prod(p["shape"]))
    w = int(np.prod(fshape))
    lim2 = size - ((w - 1) // 2 - origins[-1])
    if rank == 1 and (lim2 >= 0 or size == 1):
        return "1d"
    return "nd"


def scipy_bug(p, input_array, out_dtype):
    """Why scipy 1.17.1 is wrong on this case (a short reason), or None."""
    f = p["function"]
    rank = len(p["shape"])
    if f in FILTERS_1D or rank == 0 or 0 in p["shape"] and f not in RANKS:
        return None
    fshape, origins, k, fp = _geometry(p, rank)
    if p["fp_kind"] in ("structure", "structure_fp") and not fp.any():
        return "structure with an all-false footprint"
    mode = p["mode"]
    separable = p["fp_kind"] in ("size_scalar", "size_seq", "full") and f not in RANKS
    if f in RANKS:
        path = rank_path(p, input_array)
        if path == "1d":
            n, w, origin = p["shape"][0], fshape[0], origins[0]
            in_dt = input_array.dtype
            if n == 0:
                return "1-D rank path on an empty line (reads out of bounds)"
            if k != w:
                return "1-D rank path ignores footprint holes"
            lim2 = n - ((w - 1) // 2 - origin)
            if not (lim2 < 0 and n == 1) and not _stream_ok(n, w, origin, mode):
                return "1-D rank path reads outside the line"
            if in_dt in (np.int64, np.float64, np.float32) and out_dtype != in_dt:
                return "1-D rank path writes the input type into another output type"
            if in_dt == np.uint64 and (np.asarray(input_array) >= 2**63).any():
                return "1-D rank path ranks uint64 as int64"
            return None
        if path == "minmax":
            separable = bool(fp.all())
        if path is None:
            return None
    if not separable and not isinstance(mode, list):
        geometries = [origins]
        if f in GREY:
            # Dilation reflects the footprint: its origins become -o (-o - 1 on even axes).
            geometries.append([-o - (1 - fs % 2) for o, fs in zip(origins, fshape)])
        for o in geometries:
            if S.hits_scipy_reflect_bug(mode, p["shape"], fshape, o):
                return "reflect offsets read before the array"
    return None


# --------------------------------------------------------------------------------------
# Running a case
# --------------------------------------------------------------------------------------

def _run(module, p, data, out):
    args, kw = call_args(p)
    if p.get("nan_policy") is not None and module is lndi:
        kw["nan_policy"] = p["nan_policy"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = getattr(module, p["function"])(data, *args, output=out, **kw)
            error = None
        except Exception as e:  # noqa: BLE001 - compared with the other library's
            result, error = None, e
    # numpy's floating-point warnings of scipy's Python arithmetic (and of its 1-D rank
    # path's writeback) are not part of the API compared here.
    seen = [(w.category, str(w.message)) for w in caught
            if not issubclass(w.category, RuntimeWarning)]
    return result, error, seen


def out_dtype_of(p, data):
    if p["out_kind"] == "none":
        return data.dtype if data.dtype.isnative else data.dtype.newbyteorder("=")
    if p["out_kind"] == "array":
        # The arrays' dtype, byte order included.
        return None
    return np.dtype(p["out_dtype"])


def run_case(p):
    """Runs a case on both libraries. Returns (status, reason, detail): status 'match',
    'mismatch' or 'skipped' (scipy is wrong there: ``reason``)."""
    data_s, data_o = _inputs(p)
    out_s, out_o, is_array = _outputs(p)
    out_dtype = out_s.dtype if is_array else out_dtype_of(p, data_s)
    if p["function"] in RANKS and p["out_kind"] == "none":
        out_dtype = np.dtype(data_s.dtype.name)
    reason = scipy_bug(p, data_s, out_dtype)
    if reason is not None:
        return "skipped", reason, None
    expected, e_err, e_warn = _run(sndi, p, data_s, out_s)
    got, g_err, g_warn = _run(lndi, p, data_o, out_o)
    if e_err is not None or g_err is not None:
        same = (type(e_err) is type(g_err) and str(e_err) == str(g_err))
        return ("match" if same else "mismatch"), None, (
            f"case: {p}\nscipy raised {e_err!r}\nours raised {g_err!r}")
    if e_warn != g_warn:
        return "mismatch", None, f"case: {p}\nwarnings: scipy {e_warn}, ours {g_warn}"
    if is_array and (expected is not out_s or got is not out_o):
        if not (p["function"] in GREY[4:] and expected is not out_s and got is not out_o):
            return "mismatch", None, f"case: {p}\noutput array not returned"
    if S.same_bits(expected, got):
        return "match", None, None
    return "mismatch", None, S.describe_mismatch(p, expected, got)
