"""Case generators and runners for the linear filters' differential tests (test_linear.py):
correlate1d, convolve1d, correlate, convolve, the uniform and gaussian filters, sobel,
prewitt, laplace, generic_laplace, generic_gradient_magnitude, gaussian_laplace and
gaussian_gradient_magnitude.

A case is a plain dict drawn from a seeded generator. ``run_case`` runs it on scipy and on
libndimage with identical inputs and output arguments and returns ``(status, scipy, ours)``:
``"matched"`` (same bytes, or the same exception type and message), ``"known"`` (differs only
by the documented NaN-sign rule), ``"skipped"`` (scipy 1.17 is known to be wrong there; those
cases are tested on their own), or ``"mismatch"``.
"""

import warnings

import numpy as np
import scipy.ndimage as sndi

import _support as S
import libndimage as lndi

REAL = S.DTYPE_NAMES
COMPLEX = ["complex64", "complex128"]
MODES = S.MODES
CVALS = S.CVALS


# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------

def random_shape(rng, rank, max_size=240):
    return S._random_shape(rng, rank, max_size)


def data(rng, shape, dtype, special):
    dtype = np.dtype(dtype)
    if dtype.kind == "c":
        part = np.float32 if dtype == np.complex64 else np.float64
        re = S.random_data(rng, shape, part, special)
        im = S.random_data(rng, shape, part, special)
        out = np.empty(shape, dtype)
        out.real, out.imag = re, im
        return out
    return S.random_data(rng, shape, dtype, special)


def input_pair(p):
    values = data(np.random.default_rng(p["seed"] + 1), p["shape"], p["in_dtype"],
                  p["special"])
    return [S.with_layout(values, p["in_layout"], np.random.default_rng(p["seed"] + 2))
            for _ in range(2)]


def output_spec(rng, in_dtype, complex_output):
    """How the output is requested (kind, dtype name): None, a dtype object, a type, a
    string or an array (the common case)."""
    names = COMPLEX if complex_output else REAL
    name = str(rng.choice(names))
    if complex_output and rng.random() < 0.1:
        name = str(rng.choice(REAL))  # a real dtype object is promoted (with a warning)
    kind = str(rng.choice(["none", "dtype", "type", "str", "array", "array", "array"]))
    if kind == "none":
        return "none", in_dtype
    if kind == "str" and name == "bool":
        kind = "dtype"  # scipy rejects 'bool' as a string (not numeric)
    if kind in ("str", "array") and complex_output and name in REAL:
        name = str(rng.choice(COMPLEX))  # a real array or string is an error, not tested
    return kind, name


def output_args(p):
    """The output argument for scipy and for libndimage (two equal arrays, or one dtype)."""
    kind, dtype = p["out_kind"], p["out_dtype"]
    if kind == "none":
        return None, None
    if kind == "dtype":
        return np.dtype(dtype), np.dtype(dtype)
    if kind == "type":
        return np.dtype(dtype).type, np.dtype(dtype).type
    if kind == "str":
        return dtype, dtype
    a, b = S.output_pair(p["shape"], dtype, p["out_layout"], p["seed"] + 7)
    return a, b


def random_weights(rng, n, complex_weights=False):
    """1-D weights of ``n`` taps: random, symmetric, antisymmetric, nearly symmetric
    (within 2**-52: scipy uses only the left weights), integers, with tiny (skipped) taps,
    or with NaN/inf."""
    kind = str(rng.choice(["normal", "symmetric", "antisymmetric", "near", "int", "tiny",
                           "special", "normal"]))
    w = rng.normal(size=n) * rng.choice([1.0, 0.25, 3.0])
    c = n // 2
    if kind in ("symmetric", "near") and n % 2:
        w[c + 1:] = w[:c][::-1]
        if kind == "near" and n > 1:
            w[-1] += 1e-16 * rng.choice([-1.0, 1.0])
    elif kind == "antisymmetric" and n % 2:
        w[c + 1:] = -w[:c][::-1]
        w[c] = rng.choice([0.0, 0.0, 1.5])
    elif kind == "int":
        w = rng.integers(-3, 4, size=n).astype(np.float64)
    elif kind == "tiny":
        w[rng.random(n) < 0.4] = rng.choice([0.0, -0.0, 1e-17, -2e-16, 1e-300])
    elif kind == "special":
        w[int(rng.integers(n))] = rng.choice([np.nan, np.inf, -np.inf])
    if complex_weights:
        w = w + 1j * random_weights(rng, n)
    return w


def weights_form(rng, w):
    """The weights as the caller passes them: an array (float64, float32 for real weights,
    complex64 for complex ones) or a list."""
    r = rng.random()
    if r < 0.15:
        return w.tolist()
    if r < 0.25 and w.dtype.kind == "f" and np.isfinite(w).all():
        return w.astype(np.float32)
    if r < 0.3 and w.dtype.kind == "c":
        return w.astype(np.complex64)
    return w


def _geometry(rank, wshape, axes, origin, convolution):
    """Per-axis extents and correlation origins (convolution origins mapped), scipy's
    placement of the weights' axes included."""
    fshape, origins = S.expanded_geometry(rank, list(wshape), axes, origin)
    if convolution:
        origins = [-o - (1 if n % 2 == 0 else 0) for o, n in zip(origins, fshape)]
    return fshape, origins


# --------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------

def _kinds(rng):
    """(input dtype, complex weights) for a case: mostly real, now and then complex."""
    r = rng.random()
    if r < 0.12:
        return str(rng.choice(COMPLEX)), bool(rng.random() < 0.5)
    if r < 0.2:
        return str(rng.choice(REAL)), True
    return str(rng.choice(REAL)), False


def _cval(rng, complex_input):
    cval = float(rng.choice(CVALS))
    if complex_input and rng.random() < 0.5:
        return complex(cval, float(rng.choice(CVALS)))
    return cval


def _base(rng, seed, function, rank=None, max_size=240):
    rank = int(rng.integers(1, 5)) if rank is None else rank
    in_dtype, complex_weights = _kinds(rng)
    return dict(seed=seed, function=function, shape=random_shape(rng, rank, max_size),
                in_dtype=in_dtype, complex_weights=complex_weights,
                in_layout=str(rng.choice(S.LAYOUTS)), out_layout=str(rng.choice(S.LAYOUTS)),
                mode=str(rng.choice(MODES)), special=float(rng.choice([0.0, 0.1, 0.5])))


def correlate1d_case(rng, seed, function):
    p = _base(rng, seed, function, max_size=400)
    rank = len(p["shape"])
    axis = int(rng.integers(-rank, rank))
    n = p["shape"][axis]
    if rng.random() < 0.15:
        fs = int(rng.integers(1, 3 * n + 8))
    else:
        fs = int(rng.integers(1, 8))
    w = random_weights(rng, fs, p["complex_weights"])
    complex_input = p["in_dtype"] in COMPLEX
    # (convolve1d maps origin o to -o - 1 for even lengths, which keeps this range)
    lo, hi = -(fs // 2), (fs - 1) // 2
    out_kind, out_dtype = output_spec(rng, p["in_dtype"], complex_input or p["complex_weights"])
    p.update(axis=axis, weights=weights_form(rng, w), origin=int(rng.integers(lo, hi + 1)),
             cval=_cval(rng, complex_input), out_kind=out_kind, out_dtype=out_dtype)
    return p


def correlate_case(rng, seed, function):
    p = _base(rng, seed, function)
    rank = len(p["shape"])
    r = rng.random()
    if r < 0.7:
        axes = None
    elif r < 0.8:
        axes = int(rng.integers(rank))
    else:
        k = int(rng.integers(1, rank + 1))
        axes = tuple(int(a) - (rank if rng.random() < 0.3 else 0)
                     for a in rng.permutation(rank)[:k])
    n_axes = rank if axes is None else (1 if isinstance(axes, int) else len(axes))
    budget = 48 if n_axes <= 2 else 30
    while True:
        if rng.random() < 0.12:
            wshape = [int(rng.integers(1, 3 * max(p["shape"]) + 6))] + [1] * (n_axes - 1)
        else:
            wshape = [int(rng.integers(1, 6)) for _ in range(n_axes)]
        if int(np.prod(wshape)) <= max(budget, max(wshape, default=1)):
            break
    flat = random_weights(rng, int(np.prod(wshape)), p["complex_weights"])
    w = flat.reshape(wshape)
    ax_tuple = None if axes is None else ((axes,) if isinstance(axes, int) else axes)
    extents = wshape
    if ax_tuple is not None and n_axes < rank:
        fshape, _ = S.expanded_geometry(rank, wshape, ax_tuple, 0)
        extents = [fshape[a % rank] for a in ax_tuple]

    def bounds(n):
        # (the same for convolve: -o - 1 maps the range onto itself for even extents)
        return -(n // 2), (n - 1) // 2

    if rng.random() < 0.4:
        # One origin for every axis: valid for all of them (0 always is).
        lo = max((bounds(n)[0] for n in extents), default=0)
        hi = min((bounds(n)[1] for n in extents), default=0)
        origin = int(rng.integers(lo, hi + 1)) if lo <= hi else 0
    else:
        origin = [int(rng.integers(bounds(n)[0], bounds(n)[1] + 1)) for n in extents]
    complex_input = p["in_dtype"] in COMPLEX
    out_kind, out_dtype = output_spec(rng, p["in_dtype"], complex_input or p["complex_weights"])
    p.update(axes=axes, weights=weights_form(rng, w), origin=origin,
             cval=_cval(rng, complex_input), out_kind=out_kind, out_dtype=out_dtype)
    return p


def _axes_arg(rng, rank):
    """``axes``: None mostly, else a non-negative scalar or a tuple (some negative)."""
    r = rng.random()
    if r < 0.6:
        return None
    if r < 0.7:
        return int(rng.integers(rank))
    if r < 0.75:
        return ()
    k = int(rng.integers(1, rank + 1))
    return tuple(int(a) - (rank if rng.random() < 0.3 else 0)
                 for a in rng.permutation(rank)[:k])


def _n_axes(axes, rank):
    return rank if axes is None else (1 if isinstance(axes, int) else len(axes))


def _per_axis(rng, values, scalar_probability=0.4):
    """A scalar (the first value) or the list."""
    if not values or rng.random() < scalar_probability:
        return values[0] if values else 0
    return list(values)


def uniform_filter1d_case(rng, seed, function):
    p = _base(rng, seed, function, max_size=400)
    rank = len(p["shape"])
    axis = int(rng.integers(-rank, rank))
    n = p["shape"][axis]
    size = int(rng.integers(1, 3 * n + 8)) if rng.random() < 0.15 else int(rng.integers(1, 9))
    complex_input = p["in_dtype"] in COMPLEX
    out_kind, out_dtype = output_spec(rng, p["in_dtype"], complex_input)
    p.update(axis=axis, size=size, origin=int(rng.integers(-(size // 2), (size - 1) // 2 + 1)),
             cval=_cval(rng, complex_input), out_kind=out_kind, out_dtype=out_dtype)
    return p


def uniform_filter_case(rng, seed, function):
    p = _base(rng, seed, function)
    rank = len(p["shape"])
    axes = _axes_arg(rng, rank)
    count = _n_axes(axes, rank)
    sizes = []
    for _ in range(count):
        r = rng.random()
        if r < 0.08:
            sizes.append(float(rng.choice([2.7, 1.5, 0.5, 3.9])))
        elif r < 0.16:
            sizes.append(int(rng.choice([1, 0, -2])))
        elif r < 0.25:
            sizes.append(int(rng.integers(2, 3 * max(p["shape"]) + 6)))
        else:
            sizes.append(int(rng.integers(1, 6)))
    same = rng.random() < 0.4
    if same:
        sizes = sizes[:1] * count
    origins = []
    for size in sizes:
        fs = max(int(size), 1)
        origins.append(int(rng.integers(-(fs // 2), (fs - 1) // 2 + 1)))
    modes = [str(rng.choice(MODES)) for _ in range(count)]
    complex_input = p["in_dtype"] in COMPLEX
    out_kind, out_dtype = output_spec(rng, p["in_dtype"], complex_input)
    scalar = 1.0 if same else 0.0
    p.update(axes=axes, size=_per_axis(rng, sizes, scalar) if count else
             int(rng.integers(1, 4)),
             origin=_per_axis(rng, origins, scalar if len(set(origins)) == 1 else 0.0),
             mode=_per_axis(rng, modes, 0.5) if count else p["mode"],
             cval=_cval(rng, complex_input), out_kind=out_kind, out_dtype=out_dtype)
    return p


def _sigma(rng):
    """A sigma as callers pass it: mostly a float, now and then an int, a float32, a tiny
    or non-positive value (skipped by gaussian_filter), or a large one."""
    r = rng.random()
    if r < 0.08:
        return int(rng.integers(1, 4))
    if r < 0.14:
        return np.float32(rng.choice([0.7, 1.3, 2.2]))
    if r < 0.22:
        return float(rng.choice([0.0, 1e-16, -0.5, -0.05, 0.01]))
    if r < 0.27:
        return float(rng.uniform(4.0, 9.0))
    return float(np.round(rng.uniform(0.3, 3.0), int(rng.integers(1, 4))))


def _gaussian_extras(rng):
    """truncate and radius keywords (radius=None mostly)."""
    kw = {}
    r = rng.random()
    if r < 0.2:
        kw["truncate"] = float(rng.choice([2.5, 1.0, 0.2, 6.0, -0.1]))
    if rng.random() < 0.15:
        kw["radius"] = int(rng.integers(0, 6))
    return kw


def gaussian_filter1d_case(rng, seed, function):
    p = _base(rng, seed, function, max_size=400)
    rank = len(p["shape"])
    sigma = _sigma(rng)
    while float(sigma) <= 0.0 and rng.random() < 0.9:
        sigma = _sigma(rng)  # gaussian_filter1d divides by sigma**2
    complex_input = p["in_dtype"] in COMPLEX
    out_kind, out_dtype = output_spec(rng, p["in_dtype"], complex_input)
    p.update(axis=int(rng.integers(-rank, rank)), sigma=sigma, order=int(rng.integers(0, 4)),
             extras=_gaussian_extras(rng), cval=_cval(rng, complex_input), out_kind=out_kind,
             out_dtype=out_dtype)
    return p


def gaussian_filter_case(rng, seed, function):
    p = _base(rng, seed, function)
    rank = len(p["shape"])
    axes = _axes_arg(rng, rank)
    count = _n_axes(axes, rank)
    sigmas = [_sigma(rng) for _ in range(count)]
    orders = [int(rng.integers(0, 4)) if rng.random() < 0.4 else 0 for _ in range(count)]
    modes = [str(rng.choice(MODES)) for _ in range(count)]
    extras = _gaussian_extras(rng)
    if "radius" in extras and count and rng.random() < 0.5:
        extras["radius"] = [None if rng.random() < 0.3 else int(rng.integers(0, 5))
                            for _ in range(count)]
    complex_input = p["in_dtype"] in COMPLEX
    out_kind, out_dtype = output_spec(rng, p["in_dtype"], complex_input)
    p.update(axes=axes, sigma=_per_axis(rng, sigmas) if count else 1.0,
             order=_per_axis(rng, orders, 0.6) if count else 0,
             mode=_per_axis(rng, modes, 0.5) if count else p["mode"], extras=extras,
             cval=_cval(rng, complex_input), out_kind=out_kind, out_dtype=out_dtype)
    return p


def gaussian_derivative_case(rng, seed, function):
    """gaussian_laplace and gaussian_gradient_magnitude (their sigmas: one per axis of
    ``axes``, or one per axis of the input for gaussian_gradient_magnitude)."""
    p = _base(rng, seed, function, max_size=160)
    rank = len(p["shape"])
    axes = _axes_arg(rng, rank)
    count = _n_axes(axes, rank)
    n_sigmas = rank if function == "gaussian_gradient_magnitude" else count
    sigmas = [_sigma(rng) for _ in range(n_sigmas)]
    modes = [str(rng.choice(MODES)) for _ in range(count)]
    extras = _gaussian_extras(rng)
    if "radius" in extras and rng.random() < 0.4:
        extras["radius"] = [int(rng.integers(0, 5)) for _ in range(rank)]
    complex_input = p["in_dtype"] in COMPLEX and function == "gaussian_laplace"
    if function == "gaussian_gradient_magnitude" and p["in_dtype"] in COMPLEX \
            and rng.random() < 0.7:
        p["in_dtype"] = str(rng.choice(REAL))
    complex_input = p["in_dtype"] in COMPLEX
    out_kind, out_dtype = output_spec(rng, p["in_dtype"], complex_input)
    p.update(axes=axes, sigma=_per_axis(rng, sigmas) if n_sigmas else 1.0,
             mode=_per_axis(rng, modes, 0.5) if count else p["mode"], extras=extras,
             cval=_cval(rng, complex_input), out_kind=out_kind, out_dtype=out_dtype)
    return p


def edge_case(rng, seed, function):
    """sobel and prewitt: ``axis`` and a mode per axis of the input (or one)."""
    p = _base(rng, seed, function)
    rank = len(p["shape"])
    modes = [str(rng.choice(MODES)) for _ in range(rank)]
    complex_input = p["in_dtype"] in COMPLEX
    out_kind, out_dtype = output_spec(rng, p["in_dtype"], complex_input)
    p.update(axis=int(rng.integers(-rank, rank)), mode=_per_axis(rng, modes, 0.5),
             cval=_cval(rng, complex_input), out_kind=out_kind, out_dtype=out_dtype)
    return p


def laplace_case(rng, seed, function):
    """laplace, generic_laplace and generic_gradient_magnitude (their derivative: the
    library's sobel or prewitt, scipy's, or a Python function with extra arguments)."""
    p = _base(rng, seed, function)
    rank = len(p["shape"])
    axes = _axes_arg(rng, rank)
    count = _n_axes(axes, rank)
    modes = [str(rng.choice(MODES)) for _ in range(count)]
    if function == "generic_gradient_magnitude" and p["in_dtype"] in COMPLEX \
            and rng.random() < 0.5:
        p["in_dtype"] = str(rng.choice(REAL))
    complex_input = p["in_dtype"] in COMPLEX
    out_kind, out_dtype = output_spec(rng, p["in_dtype"], complex_input)
    p.update(axes=axes, mode=_per_axis(rng, modes, 0.5) if count else p["mode"],
             cval=_cval(rng, complex_input), out_kind=out_kind, out_dtype=out_dtype,
             derivative=str(rng.choice(["sobel", "prewitt", "scipy-sobel", "python",
                                        "sobel"])))
    return p


GENERATORS = {
    "correlate1d": correlate1d_case,
    "convolve1d": correlate1d_case,
    "correlate": correlate_case,
    "convolve": correlate_case,
    "uniform_filter1d": uniform_filter1d_case,
    "uniform_filter": uniform_filter_case,
    "gaussian_filter1d": gaussian_filter1d_case,
    "gaussian_filter": gaussian_filter_case,
    "gaussian_laplace": gaussian_derivative_case,
    "gaussian_gradient_magnitude": gaussian_derivative_case,
    "sobel": edge_case,
    "prewitt": edge_case,
    "laplace": laplace_case,
    "generic_laplace": laplace_case,
    "generic_gradient_magnitude": laplace_case,
}


def make_case(rng, seed, function):
    return GENERATORS[function](rng, seed, function)


# --------------------------------------------------------------------------------------
# Running and comparing
# --------------------------------------------------------------------------------------

def scipy_bug(p):
    """Whether scipy 1.17.1 is known to be wrong for this case (tested on its own)."""
    f = p["function"]
    if f in ("correlate", "convolve"):
        w = np.asarray(p["weights"])
        axes = p["axes"]
        axes = None if axes is None else ((axes,) if isinstance(axes, int) else axes)
        if axes is not None and len(axes) < len(p["shape"]) and w.ndim != len(axes):
            return False
        try:
            fshape, origins = _geometry(len(p["shape"]), w.shape, axes, p["origin"],
                                        f == "convolve")
        except Exception:
            return False
        return S.hits_scipy_reflect_bug(p["mode"], p["shape"], fshape, origins)
    return False


def call_both(p, run):
    """``run(library, input, output_argument)`` on scipy and on libndimage; returns
    (scipy result or exception, libndimage result or exception, the output arguments)."""
    inputs = input_pair(p)
    outs = output_args(p)
    results = []
    for lib, inp, out in zip((sndi, lndi), inputs, outs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                results.append(run(lib, inp, out))
            except Exception as e:  # compared: same type and message
                results.append(e)
    return results[0], results[1], outs


def nan_sign_only(expected, got):
    """Differences only in the sign bits of NaNs (the README's NaN-sign rule)."""
    if expected.dtype != got.dtype or expected.shape != got.shape:
        return False
    if expected.dtype.kind not in "fc":
        return False
    e, g = np.ascontiguousarray(expected), np.ascontiguousarray(got)
    if e.dtype.kind == "c":
        e, g = np.stack([e.real, e.imag]), np.stack([g.real, g.imag])
    en, gn = np.isnan(e), np.isnan(g)
    return bool((en == gn).all() and S.same_bits(e[~en], g[~gn]))


def compare(expected, got, outs):
    """status of one case: "matched", "known" or "mismatch"."""
    if isinstance(expected, Exception) or isinstance(got, Exception):
        same = (type(expected) is type(got) and str(expected) == str(got))
        return "matched" if same else "mismatch"
    if isinstance(outs[0], np.ndarray):
        # An output array is returned itself.
        if expected is not outs[0] or got is not outs[1]:
            return "mismatch"
    if S.same_bits(expected, got):
        return "matched"
    if nan_sign_only(np.asarray(expected), np.asarray(got)):
        return "known"
    return "mismatch"


def _runner(p):
    f = p["function"]
    if f in ("correlate1d", "convolve1d"):
        kw = dict(axis=p["axis"], mode=p["mode"], cval=p["cval"], origin=p["origin"])
        return lambda lib, x, out: getattr(lib, f)(x, p["weights"], output=out, **kw)
    if f in ("correlate", "convolve"):
        kw = dict(mode=p["mode"], cval=p["cval"], origin=p["origin"])
        if p["axes"] is not None:
            kw["axes"] = p["axes"]
        return lambda lib, x, out: getattr(lib, f)(x, p["weights"], output=out, **kw)
    if f == "uniform_filter1d":
        kw = dict(axis=p["axis"], mode=p["mode"], cval=p["cval"], origin=p["origin"])
        return lambda lib, x, out: lib.uniform_filter1d(x, p["size"], output=out, **kw)
    if f == "uniform_filter":
        kw = dict(mode=p["mode"], cval=p["cval"], origin=p["origin"])
        if p["axes"] is not None:
            kw["axes"] = p["axes"]
        return lambda lib, x, out: lib.uniform_filter(x, p["size"], output=out, **kw)
    if f == "gaussian_filter1d":
        kw = dict(axis=p["axis"], order=p["order"], mode=p["mode"], cval=p["cval"],
                  **p["extras"])
        return lambda lib, x, out: lib.gaussian_filter1d(x, p["sigma"], output=out, **kw)
    if f == "gaussian_filter":
        kw = dict(order=p["order"], mode=p["mode"], cval=p["cval"], **p["extras"])
        if p["axes"] is not None:
            kw["axes"] = p["axes"]
        return lambda lib, x, out: lib.gaussian_filter(x, p["sigma"], output=out, **kw)
    if f in ("gaussian_laplace", "gaussian_gradient_magnitude"):
        kw = dict(mode=p["mode"], cval=p["cval"], **p["extras"])
        if p["axes"] is not None:
            kw["axes"] = p["axes"]
        return lambda lib, x, out: getattr(lib, f)(x, p["sigma"], output=out, **kw)
    if f in ("sobel", "prewitt"):
        kw = dict(axis=p["axis"], mode=p["mode"], cval=p["cval"])
        return lambda lib, x, out: getattr(lib, f)(x, output=out, **kw)
    if f == "laplace":
        kw = dict(mode=p["mode"], cval=p["cval"])
        if p["axes"] is not None:
            kw["axes"] = p["axes"]
        return lambda lib, x, out: lib.laplace(x, output=out, **kw)
    if f in ("generic_laplace", "generic_gradient_magnitude"):
        kw = dict(mode=p["mode"], cval=p["cval"])
        if p["axes"] is not None:
            kw["axes"] = p["axes"]
        d = p["derivative"]

        def run(lib, x, out):
            extra = {}
            if d == "python":
                def derivative(inp, axis, output, mode, cval, scale):
                    r = lib.correlate1d(inp, [scale, -2.0, 1.0], axis, output, mode, cval)
                    return r
                extra = dict(extra_arguments=(0.75,))
            elif d == "scipy-sobel":
                derivative = sndi.sobel
            else:
                derivative = getattr(lib, d)
            return getattr(lib, f)(x, derivative, output=out, **kw, **extra)
        return run
    raise ValueError(f)


def run_case(p):
    """Runs a case on both libraries: (status, scipy's result, ours)."""
    if scipy_bug(p):
        return "skipped", None, None
    expected, got, outs = call_both(p, _runner(p))
    return compare(expected, got, outs), expected, got


def describe(p, expected, got):
    shown = {k: (v if not isinstance(v, np.ndarray) or v.size < 40 else f"<{v.shape}>")
             for k, v in p.items()}
    if isinstance(expected, np.ndarray) and isinstance(got, np.ndarray):
        return S.describe_mismatch(shown, expected, got)
    return f"case: {shown}\nscipy: {expected!r}\nours:  {got!r}"
