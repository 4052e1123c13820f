"""libndimage's functions on dask arrays, bit-identical to the whole-array call.

``import libndimage.dask`` (needs ``dask[array]``; ``pip install libndimage[dask]``). Each
function takes scipy.ndimage's arguments (as the binding's function of the same name does)
and a dask array (or anything ``dask.array.asarray`` accepts), and returns a lazy dask array
whose values are, byte for byte, those of the binding's call on the whole computed array:
under the threaded scheduler, ``dask.distributed``, or any other. Arguments are checked when
the graph is built, with the binding's exceptions. ``output`` may be None or a dtype (dask
arrays are not written in place). ``workers=`` is the threads of each chunk's call (default 1:
dask runs the chunks in parallel).

Filters
-------
``generic_filter``, ``generic_filter1d``, the linear filters (``correlate1d``, ``convolve1d``,
``correlate``, ``convolve``, ``uniform_filter1d``, ``uniform_filter``, ``gaussian_filter1d``,
``gaussian_filter``, ``gaussian_laplace``, ``gaussian_gradient_magnitude``, ``sobel``,
``prewitt``, ``laplace``), the order filters (``minimum_filter1d``, ``maximum_filter1d``,
``minimum_filter``, ``maximum_filter``, ``rank_filter``, ``median_filter``,
``percentile_filter``) and grey morphology (``grey_erosion`` ... ``black_tophat``; twice the
reach for the openings, closings and tophats): ``map_overlap`` with a halo of the footprint's
(or line filter's, or kernel's) reach on each axis, origins included. ``uniform_filter`` and
``uniform_filter1d`` keep their filtered axes whole (scipy's running sum rounds by where a
line starts), splitting only the others. Chunk edges inside the array read
their real neighbours from the halo; the array's own edges are the edges of the edge chunks
(``boundary="none"``), where the filter applies its mode itself; in the wrap modes the halo
is the other end of the array (``boundary="periodic"``). An axis shorter than twice its
halo is not split, nor is any axis when a per-axis mode list wraps on some axes only. ``spline_filter1d`` and ``spline_filter``: the prefilter is a recursion
over whole lines, so each pass runs on chunks holding whole lines along its axis (the array
is rechunked for it), stored in the output dtype between passes as scipy does.

How other filters join: a row of ``FILTERS`` (below) names the binding's function and a
function from its bound arguments to each axis' halo (``_footprint_halo`` covers size,
footprint or weights with origins and ``axes``; ``_line_halo`` a 1-D filter's size, axis and
origin; a gaussian's halo is its radius, ``int(truncate * sigma + 0.5)`` or ``radius``, per
filtered axis; a morphology operation's is its structure's reach times ``iterations``).
Functions whose value at a point depends on the whole array (labels, distance transforms,
``iterations < 1``) cannot join this way; binary morphology (a ``mask`` chunked as the
input), ``generic_laplace``/``generic_gradient_magnitude`` (a derivative of unknown reach),
``vectorized_filter`` and the Fourier filters (which need whole-array indices) are not in it
yet.

Interpolation
-------------
``shift``, ``zoom``, ``affine_transform``, ``rotate``, ``map_coordinates`` (any order, every
mode, ``prefilter`` on or off) and ``geometric_transform``. The spline coefficients are
computed once, exactly as the whole call computes them: the input padded by 12 samples per
side in the ``nearest`` and ``grid-constant`` modes (as scipy pads it), converted to float64,
then prefiltered one axis at a time on chunks holding whole lines (``rotate`` of more than two
dimensions: on the plane's axes, as scipy prefilters each plane). Each output chunk is then one
libndimage call with the options' output region (every coordinate computed from whole-output
indices: shift, zoom's factors, affine, rotate's centring) and input region (the boundary
modes act on the whole input, and the library checks that every support point the chunk reads
lies inside the box it was given), reading ``NDI_FLAG_PREFILTERED`` coefficients. The box of
input a chunk reads is its coordinates' range plus the spline's support, mapped by the mode at
the edges: in the wrap modes (and far outside in the mirror modes) a chunk whose points wrap
around reads the whole axis. ``map_coordinates`` computes each coordinate chunk's range when
the graph is built (the coordinates are computed then; persist them to compute them once).
``geometric_transform`` gives each output chunk the whole coefficient array (its mapping is
only known point by point), with the mapping receiving whole-output indices.
"""

import functools
import inspect
import itertools
import math
import operator

import dask
import dask.array as da
import numpy as np
from dask.highlevelgraph import HighLevelGraph

from . import _capi, filters, interpolation, morphology
from ._callables import Callback
from ._support import Output, Tile, call, mode_code, per_axis

__all__ = ["generic_filter", "generic_filter1d", "correlate1d", "convolve1d", "correlate",
           "convolve", "uniform_filter1d", "uniform_filter", "gaussian_filter1d",
           "gaussian_filter", "gaussian_laplace", "gaussian_gradient_magnitude", "sobel",
           "prewitt", "laplace", "minimum_filter1d", "maximum_filter1d", "minimum_filter",
           "maximum_filter", "rank_filter", "median_filter", "percentile_filter",
           "grey_erosion", "grey_dilation", "grey_opening", "grey_closing",
           "morphological_gradient", "morphological_laplace", "white_tophat", "black_tophat",
           "spline_filter1d", "spline_filter", "shift", "zoom", "affine_transform", "rotate",
           "map_coordinates", "geometric_transform", "FILTERS"]

# The modes whose extension beyond an edge is the other end of the array.
_WRAP_MODES = ("wrap", "grid-wrap")


def _as_dask(input):
    return input if isinstance(input, da.Array) else da.asarray(input)


def _output_dtype_argument(output):
    """``output`` as the binding's probe call takes it: None or a dtype. Arrays cannot be
    written through a dask graph."""
    if output is None or isinstance(output, (type, np.dtype, str)):
        return output
    raise TypeError("libndimage.dask: output must be None or a dtype (a dask result is a new "
                    "array; store it with dask.array.store)")


def _probe(shape, dtype):
    """A small array of ``dtype`` for the binding's argument checks."""
    return np.zeros(shape, dtype=dtype)


# --------------------------------------------------------------------------------------
# Filters: halos
# --------------------------------------------------------------------------------------

def _footprint_halo(ndim, shape, origin=0, axes=None):
    """Each axis' halo of a filter whose footprint (or weights) has ``shape`` on the filtered
    ``axes`` (all when None; the footprint's axes go to them in increasing order) with
    ``origin`` (one value, or one per filtered axis in the order of ``axes``): footprint index
    ``k`` reads ``i + k - (n // 2 + origin)``, so the halo is the farther reach."""
    if axes is None:
        axes = tuple(range(ndim))
    elif np.isscalar(axes):
        axes = (operator.index(axes) % ndim,)
    else:
        axes = tuple(operator.index(a) % ndim for a in axes)
    sizes = dict(zip(sorted(axes), tuple(shape)[-len(axes):]))
    halo = [0] * ndim
    for a, o in zip(axes, per_axis(origin, len(axes))):
        n = sizes.get(a, 1)
        before = n // 2 + operator.index(o)
        halo[a] = max(before, n - 1 - before, 0)
    return halo


def _footprint_shape(size, footprint, ndim_filtered):
    if footprint is not None:
        return np.shape(footprint)
    if size is None:
        return (1,) * ndim_filtered
    return tuple(per_axis(size, ndim_filtered))


def _line_halo(ndim, size, axis, origin=0):
    """The halo of a 1-D filter of ``size`` along ``axis`` with ``origin``."""
    halo = [0] * ndim
    before = size // 2 + operator.index(origin)
    halo[axis % ndim] = max(before, size - 1 - before, 0)
    return halo


def _generic_filter_halo(ndim, a):
    axes = a["axes"]
    count = ndim if axes is None else (1 if np.isscalar(axes) else len(axes))
    shape = _footprint_shape(a["size"], a["footprint"], count)
    return _footprint_halo(ndim, shape, a["origin"], axes)


def _generic_filter1d_halo(ndim, a):
    return _line_halo(ndim, a["filter_size"], a["axis"], a["origin"])


def _axes_of(ndim, axes):
    """The filtered axes (all when None), normalised, in the given order."""
    if axes is None:
        return tuple(range(ndim))
    if np.isscalar(axes):
        return (operator.index(axes) % ndim,)
    return tuple(operator.index(a) % ndim for a in axes)


def _order_filter_halo(ndim, a):
    """size / footprint (/ structure: grey morphology) with origins and ``axes``."""
    axes = _axes_of(ndim, a.get("axes"))
    footprint = a.get("footprint")
    if footprint is None and a.get("structure") is not None:
        footprint = a["structure"]
    shape = _footprint_shape(a.get("size"), footprint, len(axes))
    return _footprint_halo(ndim, shape, a.get("origin", 0), a.get("axes"))


def _twice(halo_of):
    """The halo of two passes of a filter with ``halo_of``'s reach (openings, closings and
    the tophats built on them)."""
    return lambda ndim, a: [2 * h for h in halo_of(ndim, a)]


def _weights_halo(ndim, a):
    axes = _axes_of(ndim, a.get("axes"))
    shape = np.shape(a["weights"])[-len(axes):] if np.ndim(a["weights"]) else (1,)
    # convolve reflects the weights and negates the origins: the reach on either side is at
    # most the footprint's half plus the origin's magnitude, both ways.
    origins = [abs(operator.index(o)) for o in per_axis(a.get("origin", 0), len(axes))]
    halo = [0] * ndim
    for ax, n, o in zip(sorted(axes), shape, origins):
        halo[ax] = n // 2 + o + 1
    return halo


def _weights1d_halo(ndim, a):
    n = len(np.atleast_1d(a["weights"]))
    return _line_halo(ndim, n + 2 * abs(operator.index(a.get("origin", 0))) + 1, a["axis"])


def _size1d_halo(ndim, a):
    size = operator.index(a["size"])
    return _line_halo(ndim, size + 2 * abs(operator.index(a.get("origin", 0))) + 1, a["axis"])


def _gaussian_radii(ndim, a, axes):
    sigmas = per_axis(a["sigma"], len(axes))
    extra = a.get("kwargs") or {}
    truncate = extra.get("truncate", a.get("truncate", 4.0))
    radius = extra.get("radius", a.get("radius"))
    radii = per_axis(radius, len(axes)) if radius is not None else [None] * len(axes)
    halo = [0] * ndim
    for ax, sd, r in zip(axes, sigmas, radii):
        halo[ax] = operator.index(r) if r is not None else int(float(truncate) * float(sd) + 0.5)
    return halo


def _gaussian_halo(ndim, a):
    return _gaussian_radii(ndim, a, _axes_of(ndim, a.get("axes")))


def _gaussian1d_halo(ndim, a):
    return _gaussian_radii(ndim, a, (operator.index(a["axis"]) % ndim,))


def _gaussian_all_halo(ndim, a):
    """gaussian_laplace / gaussian_gradient_magnitude: a gaussian on every axis per term."""
    return _gaussian_radii(ndim, a, tuple(range(ndim)))


def _unit_halo(ndim, a):
    """sobel, prewitt, laplace: one sample on every axis."""
    return [1] * ndim


class Row:
    """A filter of ``FILTERS``: the binding's ``function``, and ``halo(ndim, arguments)``, the
    halo of each axis from the call's bound arguments (a dict with every parameter, defaults
    included). ``mode`` names the argument holding the boundary mode (a string, or one per
    axis)."""

    def __init__(self, function, halo, mode="mode", split=True):
        self.function = function
        self.halo = halo
        self.mode = mode
        # False: the axes the filter reaches along are not split (a running sum's rounding
        # depends on where its line starts).
        self.split = split


#: The filters applied with ``map_overlap``: name -> Row. One row per filter; see the module
#: documentation.
FILTERS = {
    "generic_filter": Row(filters.generic_filter, _generic_filter_halo),
    "generic_filter1d": Row(filters.generic_filter1d, _generic_filter1d_halo),
    "correlate1d": Row(filters.correlate1d, _weights1d_halo),
    "convolve1d": Row(filters.convolve1d, _weights1d_halo),
    "correlate": Row(filters.correlate, _weights_halo),
    "convolve": Row(filters.convolve, _weights_halo),
    "uniform_filter1d": Row(filters.uniform_filter1d, _size1d_halo, split=False),
    "uniform_filter": Row(filters.uniform_filter, _order_filter_halo, split=False),
    "gaussian_filter1d": Row(filters.gaussian_filter1d, _gaussian1d_halo),
    "gaussian_filter": Row(filters.gaussian_filter, _gaussian_halo),
    "gaussian_laplace": Row(filters.gaussian_laplace, _gaussian_all_halo),
    "gaussian_gradient_magnitude": Row(filters.gaussian_gradient_magnitude, _gaussian_all_halo),
    "sobel": Row(filters.sobel, _unit_halo),
    "prewitt": Row(filters.prewitt, _unit_halo),
    "laplace": Row(filters.laplace, _unit_halo),
    "minimum_filter1d": Row(filters.minimum_filter1d, _size1d_halo),
    "maximum_filter1d": Row(filters.maximum_filter1d, _size1d_halo),
    "minimum_filter": Row(filters.minimum_filter, _order_filter_halo),
    "maximum_filter": Row(filters.maximum_filter, _order_filter_halo),
    "rank_filter": Row(filters.rank_filter, _order_filter_halo),
    "median_filter": Row(filters.median_filter, _order_filter_halo),
    "percentile_filter": Row(filters.percentile_filter, _order_filter_halo),
    "grey_erosion": Row(morphology.grey_erosion, _order_filter_halo),
    "grey_dilation": Row(morphology.grey_dilation, _order_filter_halo),
    "grey_opening": Row(morphology.grey_opening, _twice(_order_filter_halo)),
    "grey_closing": Row(morphology.grey_closing, _twice(_order_filter_halo)),
    "morphological_gradient": Row(morphology.morphological_gradient, _order_filter_halo),
    "morphological_laplace": Row(morphology.morphological_laplace, _order_filter_halo),
    "white_tophat": Row(morphology.white_tophat, _twice(_order_filter_halo)),
    "black_tophat": Row(morphology.black_tophat, _twice(_order_filter_halo)),
}


def _apply_block(block, function, kwargs):
    return function(block, **kwargs)


def _halo_filter(name):
    row = FILTERS[name]
    signature = inspect.signature(row.function)

    def wrapper(input, *args, **kwargs):
        x = _as_dask(input)
        bound = signature.bind(x, *args, **kwargs)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        arguments.pop("input")
        for parameter in signature.parameters.values():
            if parameter.kind is inspect.Parameter.VAR_KEYWORD:
                arguments.update(arguments.pop(parameter.name, {}))
        if arguments.get("workers") is None:
            arguments["workers"] = 1
        arguments["output"] = _output_dtype_argument(arguments.get("output"))
        # The binding's checks and output type, on an empty array of the same rank.
        probe = row.function(_probe((0,) * x.ndim, x.dtype), **arguments)
        arguments["output"] = probe.dtype
        if x.size == 0:
            return da.zeros(x.shape, dtype=probe.dtype, chunks=x.chunks)
        halo = row.halo(x.ndim, arguments)
        mode = arguments[row.mode]
        wraps = {m in _WRAP_MODES for m in ([mode] if isinstance(mode, str) else mode)}
        # A mode per axis (or per term) that wraps on some and not on others: the axes are
        # not split (which halo an axis needs would depend on the function's mode rule).
        mixed = len(wraps) > 1
        wrap = wraps == {True}
        depth, boundary, whole = {}, {}, {}
        for a, (h, n) in enumerate(zip(halo, x.shape)):
            if h == 0:
                depth[a], boundary[a] = 0, "none"
            elif len(x.chunks[a]) == 1 or n < 2 * h + 1 or mixed or not row.split:
                # Short axes are not split: the filter applies its mode to the whole axis.
                whole[a] = -1
                depth[a], boundary[a] = 0, "none"
            else:
                depth[a] = h
                boundary[a] = "periodic" if wrap else "none"
        if whole:
            x = x.rechunk(whole)
        return x.map_overlap(_apply_block, depth=depth, boundary=boundary, dtype=probe.dtype,
                             meta=np.empty((0,) * x.ndim, probe.dtype), function=row.function,
                             kwargs=arguments)

    wrapper.__name__ = wrapper.__qualname__ = name
    wrapper.__signature__ = signature
    wrapper.__doc__ = (f"``{name}`` of a dask array, chunk by chunk with halos "
                       f"(see libndimage.dask).\n\n{row.function.__doc__ or ''}")
    return wrapper


for _name in FILTERS:
    globals()[_name] = _halo_filter(_name)
del _name


# --------------------------------------------------------------------------------------
# Spline filters: whole lines
# --------------------------------------------------------------------------------------

def _line_passes(x, order, axes, mode, dtype, workers=1):
    """``spline_filter1d`` along each of ``axes`` in turn, each pass on chunks that hold
    whole lines along its axis, stored in ``dtype``."""
    for axis in axes:
        x = x.rechunk({axis: -1})
        x = x.map_blocks(functools.partial(_spline_filter1d_block, order=order, axis=axis,
                                           mode=mode, dtype=dtype, workers=workers),
                         dtype=dtype, meta=np.empty((0,) * x.ndim, dtype))
    return x


def _spline_filter1d_block(block, order, axis, mode, dtype, workers):
    return interpolation.spline_filter1d(block, order, axis, output=dtype, mode=mode,
                                         workers=workers)


def spline_filter1d(input, order=3, axis=-1, output=np.float64, mode="mirror", *,
                    workers=1):
    """``spline_filter1d`` of a dask array: chunks holding whole lines along ``axis``
    (rechunked for it, then back to the input's chunks)."""
    x = _as_dask(input)
    output = _output_dtype_argument(output)
    probe_shape = (0,) * x.ndim if x.ndim else ()
    probe = interpolation.spline_filter1d(_probe(probe_shape, x.dtype), order, axis,
                                          output=output, mode=mode)
    if x.size == 0 or x.ndim == 0:
        return da.from_array(interpolation.spline_filter1d(np.asarray(x), order, axis,
                                                           output=output, mode=mode))
    axis = operator.index(axis) % x.ndim
    y = _line_passes(x, order, [axis], mode, probe.dtype, workers)
    return y.rechunk(x.chunks)


def spline_filter(input, order=3, output=np.float64, mode="mirror", *, workers=1):
    """``spline_filter`` of a dask array: ``spline_filter1d`` along each axis in turn, on
    chunks holding whole lines along it, stored in the output dtype between passes as scipy
    does."""
    x = _as_dask(input)
    output = _output_dtype_argument(output)
    probe = interpolation.spline_filter(_probe((0,) * x.ndim, x.dtype), order, output=output,
                                        mode=mode)
    if x.size == 0 or x.ndim == 0:
        return da.from_array(interpolation.spline_filter(np.asarray(x), order, output=output,
                                                         mode=mode))
    y = _line_passes(x, order, range(x.ndim), mode, probe.dtype, workers)
    return y.rechunk(x.chunks)


# --------------------------------------------------------------------------------------
# Interpolation: coefficients, input boxes, tiles
# --------------------------------------------------------------------------------------

def _spline_padding(order, mode, prefilter):
    npad = np.zeros(1, dtype=np.intp)
    call(_capi.ndi_spline_padding, order, mode_code(mode), int(bool(prefilter)), npad)
    return int(npad[0])


def _pad_value(dtype, cval_re, cval_im):
    """The value scipy's ``np.pad(..., constant_values=cval)`` writes: cval stored into the
    input's type (each part of a complex input with its part of cval)."""
    def stored(part_dtype, value):
        return np.pad(np.zeros(1, dtype=part_dtype), 1, mode="constant",
                      constant_values=value)[0]
    if dtype.kind == "c":
        part = np.empty(0, dtype=dtype).real.dtype
        return np.array(stored(part, cval_re) + 1j * stored(part, cval_im), dtype=dtype)[()]
    return stored(dtype, cval_re)


def _coefficients(x, order, mode, cval_re, cval_im, prefilter, axes):
    """The array the interpolation reads, as a dask array, and its padding per side: the
    spline coefficients (padded on ``axes`` in nearest and grid-constant, prefiltered along
    ``axes`` in float64), or ``x`` itself without the prefilter."""
    if not (prefilter and order > 1):
        return x, 0
    npad = _spline_padding(order, mode, True)
    y = x
    if npad:
        widths = [(npad, npad) if a in axes else (0, 0) for a in range(x.ndim)]
        if mode == "nearest":
            y = da.pad(x, widths, mode="edge")
        else:
            y = da.pad(x, widths, mode="constant",
                       constant_values=_pad_value(x.dtype, cval_re, cval_im))
    dtype = np.complex128 if x.dtype.kind == "c" else np.float64
    y = _line_passes(y, order, sorted(axes), mode, np.dtype(dtype))
    return y, npad


# Chunks of the array the tiles read are at least this long on every axis (chunks of a few
# samples would make every tile gather dozens of blocks).
_SOURCE_CHUNK = 16


def _source_chunks(x, shape):
    """Chunks for the array the tiles read (the coefficients or the input, of ``shape``):
    about the input's chunk sizes, at least ``_SOURCE_CHUNK``."""
    return da.core.normalize_chunks(
        tuple(max(max(c), _SOURCE_CHUNK) for c in x.chunks), shape)


def _reflect_hull(lo, hi, n, mirror):
    """The smallest range of indices holding the reflections of the integers ``lo..hi``
    into ``0..n-1`` (``mirror``: about the edge samples; otherwise about the edges), or None
    if some reflect more than once."""
    if lo <= -n or hi >= 2 * n - 1:
        return None
    parts = []
    if max(lo, 0) <= min(hi, n - 1):
        parts.append((max(lo, 0), min(hi, n - 1)))
    if lo < 0:
        parts.append((1, -lo) if mirror else (0, -1 - lo))
    if hi > n - 1:
        parts.append((2 * n - 2 - hi, n - 2) if mirror else (2 * n - 1 - hi, n - 1))
    first = max(0, min(p[0] for p in parts))
    last = min(n - 1, max(p[1] for p in parts))
    return first, last


def _coordinate_hull(a, b, n, mode):
    """The range of remapped coordinates ``x`` in ``a..b`` (padding included) reach on an
    axis of ``n`` samples, before the support is placed; None: anywhere."""
    if 0 <= a and b <= n - 1:
        return a, b
    if mode in ("nearest", "grid-constant"):
        return a, b
    if mode == "constant":
        a, b = max(a, 0.0), min(b, n - 1.0)
        return (a, b) if a <= b else "cval"
    if mode in ("mirror",):
        if a < -(n - 1) or b > 2 * (n - 1):
            return None
        parts = [(max(a, 0.0), min(b, n - 1.0))] if max(a, 0) <= min(b, n - 1) else []
        if a < 0:
            parts.append((0.0, min(-a, n - 1.0)))
        if b > n - 1:
            parts.append((max(2 * (n - 1) - b, 0.0), n - 1.0))
        return min(p[0] for p in parts), max(p[1] for p in parts)
    if mode in ("reflect", "grid-mirror"):
        if a < -n or b >= 2 * n - 1:
            return None
        parts = [(max(a, 0.0), min(b, n - 1.0))] if max(a, 0) <= min(b, n - 1) else []
        if a < 0:
            parts.append((-1.0, -a - 1))
        if b > n - 1:
            parts.append((2 * n - b - 1, float(n)))
        return min(p[0] for p in parts), max(p[1] for p in parts)
    return None  # wrap, grid-wrap: around to the other edge


def _input_box(lo, hi, n, npad, order, mode):
    """The box ``(start, stop)`` of an axis of the coefficient array (``n`` samples with the
    padding) that holds every support point of coordinates ``lo..hi`` (the input's
    coordinates, without the padding), or the whole axis. Conservative: a sample more on each
    side, and the library checks the box."""
    whole = (0, n)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return whole
    a, b = lo + npad, hi + npad
    if n == 1:
        return whole
    hull = _coordinate_hull(a, b, n, mode)
    if hull is None:
        return whole
    if hull == "cval":
        # Every point is outside: nothing is read.
        return (0, 1)
    a, b = hull
    half = order // 2
    first = math.floor(a) - half - 1
    last = math.floor(b) + 1 + order - half + 1
    if 0 <= first and last <= n - 1:
        return first, last + 1
    if mode == "nearest":
        first, last = min(max(first, 0), n - 1), min(max(last, 0), n - 1)
    elif mode == "grid-constant":
        first, last = max(first, 0), min(last, n - 1)
        if first > last:
            return (0, 1)  # only cval is read
    elif mode in ("grid-wrap",):
        return whole
    else:
        # The support leaves the axis: reflected back (constant and wrap use mirror).
        hull = _reflect_hull(first, last, n, mirror=mode not in ("reflect", "grid-mirror"))
        if hull is None:
            return whole
        first, last = hull
    return first, last + 1


def _margin(*values):
    """A safe widening of a coordinate range computed in Python (the library's arithmetic
    may differ in the last bits)."""
    return 1e-7 * (1.0 + max(abs(v) for v in values))


def _block_ranges(chunks):
    """For each axis, the (start, stop) of every chunk."""
    result = []
    for c in chunks:
        edges = np.concatenate([[0], np.cumsum(c)]).astype(int)
        result.append(list(zip(edges[:-1].tolist(), edges[1:].tolist())))
    return result


def _gather_plan(boxes, source_ranges):
    """The blocks of the source holding the box ``[(start, stop)] per axis``: a list of
    (block index, slices in the block, slices in the box)."""
    per_axis_hits = []
    for (start, stop), ranges in zip(boxes, source_ranges):
        hits = []
        for k, (b0, b1) in enumerate(ranges):
            lo, hi = max(start, b0), min(stop, b1)
            if lo < hi:
                hits.append((k, slice(lo - b0, hi - b0), slice(lo - start, hi - start)))
        per_axis_hits.append(hits)
    plan = []
    for combo in itertools.product(*per_axis_hits):
        plan.append((tuple(h[0] for h in combo), tuple(h[1] for h in combo),
                     tuple(h[2] for h in combo)))
    return plan


def _assemble(box_shape, dtype, slices, blocks):
    """The box from its pieces (a view when one block holds it all)."""
    if len(blocks) == 1:
        piece = blocks[0][slices[0][0]]
        if piece.shape == tuple(box_shape):
            return piece
    box = np.empty(box_shape, dtype=dtype)
    for (in_block, in_box), block in zip(slices, blocks):
        box[in_box] = block[in_block]
    return box


def _run_tile(spec, out_origin, out_shape, box_origin, box_shape, slices, coordinates,
              *blocks):
    """One output chunk: the libndimage call of ``spec`` on the input box assembled from
    ``blocks``, with the output and input regions of the chunk."""
    box = _assemble(box_shape, spec["source_dtype"], slices, blocks)
    out = np.empty(out_shape, dtype=spec["dtype"])
    tile = Tile(output=(out_origin, spec["out_whole"]),
                input=(box_origin, spec["in_whole"]),
                prefiltered=spec["prefiltered"])
    function = getattr(_capi, spec["function"])
    arrays = [box] if coordinates is None else [box, coordinates]
    callback = None
    after = list(spec["after"])
    if spec.get("mapping") is not None:
        mapping, extra_arguments, extra_keywords = spec["mapping"]
        callback = Callback(mapping, "transform", extra_arguments, extra_keywords, False)
        after += [callback.pointer, callback.user_data]
    call(function, *arrays, Output(out), *after, workers=spec["workers"],
         cval_imag=spec["cval_imag"], tile=tile, callback=callback)
    return out


def _transform(x, name, spec, out_shape, out_chunks, bounds, fixed=None, coordinates=None,
               coefficient_axes=None):
    """The dask array of an interpolation: one task per output chunk of ``out_chunks``.

    ``bounds(origin, shape)`` gives, for the output box, each input axis' coordinate range
    ``(lo, hi)`` (None: the whole axis); ``fixed``: input axes whose box is the output
    chunk's (rotate's axes outside the plane); ``coordinates``: map_coordinates' coordinates
    (a dask array chunked like the output after its first axis, which is whole)."""
    order, mode, prefilter = spec["order"], spec["mode"], spec["prefilter"]
    axes = range(x.ndim) if coefficient_axes is None else coefficient_axes
    source, npad = _coefficients(x, order, mode, spec["cval_re"], spec["cval_imag"],
                                 prefilter, list(axes))
    chunks = _source_chunks(x, source.shape)
    if fixed:
        # rotate's axes outside the plane keep the output's chunks.
        chunks = tuple(out_chunks[a] if a in fixed else c for a, c in enumerate(chunks))
    if chunks != source.chunks:
        source = source.rechunk(chunks)
    spec = dict(spec, in_whole=source.shape, out_whole=tuple(out_shape),
                prefiltered=bool(prefilter and order > 1), source_dtype=source.dtype)
    source_ranges = _block_ranges(source.chunks)
    out_ranges = _block_ranges(out_chunks)
    token = dask.base.tokenize(name, spec, source.name, out_chunks,
                               None if coordinates is None else coordinates.name)
    key_name = f"libndimage-{name}-{token}"
    graph = {}
    for block in itertools.product(*[range(len(c)) for c in out_chunks]):
        origin = [out_ranges[a][k][0] for a, k in enumerate(block)]
        shape = [out_ranges[a][k][1] - out_ranges[a][k][0] for a, k in enumerate(block)]
        coordinate_ranges = bounds(origin, shape)
        boxes = []
        for a in range(x.ndim):
            n = source.shape[a]
            if fixed is not None and a in fixed:
                boxes.append((origin[a], origin[a] + shape[a]))
                continue
            pad = npad if a in axes else 0
            r = coordinate_ranges[a]
            boxes.append((0, n) if r is None else _input_box(r[0], r[1], n, pad, order, mode))
        plan = _gather_plan(boxes, source_ranges)
        keys = [(source.name,) + p[0] for p in plan]
        slices = [(p[1], p[2]) for p in plan]
        coords_key = None if coordinates is None else (coordinates.name, 0) + block
        graph[(key_name,) + block] = (
            _run_tile, spec, origin, shape, [b[0] for b in boxes],
            [b[1] - b[0] for b in boxes], slices, coords_key, *keys)
    dependencies = [source] + ([] if coordinates is None else [coordinates])
    hlg = HighLevelGraph.from_collections(key_name, graph, dependencies=dependencies)
    dtype = np.dtype(spec["dtype"])
    return da.Array(hlg, key_name, chunks=out_chunks, dtype=dtype,
                    meta=np.empty((0,) * len(out_shape), dtype))


def _spec(function, order, mode, cval, prefilter, dtype, workers, complex_input, after):
    cval_re, cval_im = (np.real(cval), np.imag(cval)) if complex_input else (cval, 0.0)
    return {"function": function, "order": operator.index(order), "mode": mode,
            "prefilter": bool(prefilter), "cval_re": float(cval_re),
            "cval_imag": float(cval_im), "dtype": np.dtype(dtype).str, "workers": workers,
            "after": after}


def _out_chunks(output_chunks, x, out_shape):
    if output_chunks is None:
        previous = [max(c) if c else 1 for c in x.chunks]
        if len(previous) != len(out_shape):
            previous = [max(x.chunksize) if x.chunksize else 1] * len(out_shape)
        output_chunks = tuple(max(1, min(p, n)) for p, n in zip(previous, out_shape))
    return da.core.normalize_chunks(output_chunks, tuple(out_shape))


def _affine_bounds(matrix, offset):
    """Coordinate ranges of ``c = offset + matrix @ o`` over an output box (from its
    corners, widened)."""
    m = np.asarray(matrix, dtype=np.float64)
    off = np.asarray(offset, dtype=np.float64)

    def bounds(origin, shape):
        lo_o = np.asarray(origin, dtype=np.float64)
        hi_o = lo_o + np.asarray(shape, dtype=np.float64) - 1
        result = []
        for h in range(m.shape[0]):
            terms_lo = np.minimum(m[h] * lo_o, m[h] * hi_o)
            terms_hi = np.maximum(m[h] * lo_o, m[h] * hi_o)
            lo = off[h] + terms_lo.sum()
            hi = off[h] + terms_hi.sum()
            if not (np.isfinite(lo) and np.isfinite(hi)):
                result.append(None)
                continue
            e = _margin(off[h], *np.abs(m[h] * lo_o), *np.abs(m[h] * hi_o), lo, hi)
            result.append((lo - e, hi + e))
        return result
    return bounds


def _separable_bounds(coordinate):
    """Coordinate ranges of a separable transform whose coordinate ``coordinate(axis, i)``
    is monotonic in ``i``."""
    def bounds(origin, shape):
        result = []
        for a, (o, n) in enumerate(zip(origin, shape)):
            c0, c1 = coordinate(a, o), coordinate(a, o + n - 1)
            lo, hi = min(c0, c1), max(c0, c1)
            if not (math.isfinite(lo) and math.isfinite(hi)):
                result.append(None)
                continue
            e = _margin(lo, hi, o + n)
            result.append((lo - e, hi + e))
        return result
    return bounds


def _empty_result(function, x, *args, **kwargs):
    """The binding's result for an empty input or output, as a dask array."""
    result = function(np.zeros(x.shape, dtype=x.dtype), *args, **kwargs)
    return da.from_array(result)


def shift(input, shift, output=None, order=3, mode="constant", cval=0.0, prefilter=True, *,
          workers=1, output_chunks=None):
    """``shift`` of a dask array (see libndimage.dask): output chunks like the input's, or
    ``output_chunks``."""
    x = _as_dask(input)
    output = _output_dtype_argument(output)
    if x.ndim < 1:
        raise RuntimeError("input and output rank must be > 0")
    probe = interpolation.shift(_probe((1,) * x.ndim, x.dtype), shift, output=output,
                                order=order, mode=mode, cval=cval, prefilter=prefilter)
    if x.size == 0:
        return _empty_result(interpolation.shift, x, shift, output=output, order=order,
                             mode=mode, cval=cval, prefilter=prefilter)
    values = [float(s) for s in per_axis(shift, x.ndim)]
    negated = [-s for s in values]
    spec = _spec("ndi_shift", order, mode, cval, prefilter, probe.dtype, workers,
                 x.dtype.kind == "c",
                 [np.asarray(values), order, mode_code(mode), None, int(bool(prefilter))])
    spec["after"][3] = spec["cval_re"]
    out_chunks = _out_chunks(output_chunks, x, x.shape)
    bounds = _separable_bounds(lambda a, i: i + negated[a])
    return _transform(x, "shift", spec, x.shape, out_chunks, bounds)


def zoom(input, zoom, output=None, order=3, mode="constant", cval=0.0, prefilter=True, *,
         grid_mode=False, workers=1, output_chunks=None):
    """``zoom`` of a dask array (see libndimage.dask): output chunks of the input's chunk
    size, or ``output_chunks``."""
    x = _as_dask(input)
    output = _output_dtype_argument(output)
    if x.ndim < 1:
        raise RuntimeError("input and output rank must be > 0")
    probe = interpolation.zoom(_probe((1,) * x.ndim, x.dtype), zoom, output=output,
                               order=order, mode=mode, cval=cval, prefilter=prefilter,
                               grid_mode=grid_mode)
    zooms = per_axis(zoom, x.ndim)
    out_shape = tuple([int(round(ii * jj)) for ii, jj in zip(x.shape, zooms)])
    if all(z == 1 for z in zooms) and prefilter:
        # scipy's early exit: a plain NumPy copy into the output type.
        return x.map_blocks(functools.partial(_copy_into, dtype=probe.dtype),
                            dtype=probe.dtype, meta=np.empty((0,) * x.ndim, probe.dtype))
    if x.size == 0 or math.prod(out_shape) == 0:
        return _empty_result(interpolation.zoom, x, zoom, output=output, order=order,
                             mode=mode, cval=cval, prefilter=prefilter, grid_mode=grid_mode)
    complex_input = x.dtype.kind == "c"
    if complex_input:
        grid_mode = False  # the binding's rule (scipy's per-part recursion drops it)
    grid = operator.index(grid_mode)
    spec = _spec("ndi_zoom", order, mode, cval, prefilter, probe.dtype, workers,
                 complex_input, [grid, order, mode_code(mode), None, int(bool(prefilter))])
    spec["after"][3] = spec["cval_re"]
    factors = []
    for n_in, n_out in zip(x.shape, out_shape):
        num, den = (n_in, n_out) if grid_mode else (n_in - 1, n_out - 1)
        factors.append(1.0 if den == 0 else num / den)
    if grid_mode:
        bounds = _separable_bounds(lambda a, i: (i + 0.5) * factors[a] - 0.5)
    else:
        bounds = _separable_bounds(lambda a, i: i * factors[a])
    out_chunks = _out_chunks(output_chunks, x, out_shape)
    return _transform(x, "zoom", spec, out_shape, out_chunks, bounds)


def _copy_into(block, dtype):
    out = np.zeros(block.shape, dtype=dtype)
    out[...] = block
    return out


def affine_transform(input, matrix, offset=0.0, output_shape=None, output=None, order=3,
                     mode="constant", cval=0.0, prefilter=True, *, workers=1,
                     output_chunks=None):
    """``affine_transform`` of a dask array (see libndimage.dask)."""
    x = _as_dask(input)
    output = _output_dtype_argument(output)
    if output_shape is None:
        output_shape = x.shape
    output_shape = tuple(operator.index(n) for n in output_shape)
    if x.ndim < 1 or len(output_shape) < 1:
        raise RuntimeError("input and output rank must be > 0")
    probe = interpolation.affine_transform(
        _probe((1,) * x.ndim, x.dtype), matrix, offset, output_shape=(1,) * len(output_shape),
        output=output, order=order, mode=mode, cval=cval, prefilter=prefilter)
    if x.size == 0 or math.prod(output_shape) == 0:
        return _empty_result(interpolation.affine_transform, x, matrix, offset,
                             output_shape=output_shape, output=output, order=order,
                             mode=mode, cval=cval, prefilter=prefilter)
    ndim = x.ndim
    matrix = np.asarray(matrix, dtype=np.float64)
    linear = matrix
    offset_values = np.asarray(per_axis(offset, ndim), dtype=np.float64)
    if (matrix.ndim == 2 and matrix.shape[1] == ndim + 1
            and matrix.shape[0] in [ndim, ndim + 1]):
        offset_values = matrix[:ndim, ndim]
        linear = matrix[:ndim, :ndim]
    spec = _spec("ndi_affine_transform", order, mode, cval, prefilter, probe.dtype, workers,
                 x.dtype.kind == "c",
                 [matrix, np.asarray(matrix.shape, dtype=np.intp), matrix.ndim,
                  np.asarray(per_axis(offset, ndim), dtype=np.float64), order,
                  mode_code(mode), None, int(bool(prefilter))])
    spec["after"][6] = spec["cval_re"]
    if linear.ndim == 1:
        with np.errstate(all="ignore"):
            shifts = offset_values / linear
        bounds = _separable_bounds(lambda a, i: (i + shifts[a]) * linear[a])
    else:
        bounds = _affine_bounds(linear, offset_values)
    out_chunks = _out_chunks(output_chunks, x, output_shape)
    return _transform(x, "affine_transform", spec, output_shape, out_chunks, bounds)


def rotate(input, angle, axes=(1, 0), reshape=True, output=None, order=3, mode="constant",
           cval=0.0, prefilter=True, *, workers=1, output_chunks=None):
    """``rotate`` of a dask array (see libndimage.dask). With more than two dimensions the
    output chunks keep the input's chunks on the axes outside the plane (each plane is
    transformed on its own). Rotations the binding computes in Python (float32 or array
    angles, equal or non-integer axes) are not supported here."""
    x = _as_dask(input)
    output = _output_dtype_argument(output)
    ndim = x.ndim
    probe_shape = (1,) * ndim
    probe = interpolation.rotate(_probe(probe_shape, x.dtype), angle, axes=axes,
                                 reshape=reshape, output=output, order=order, mode=mode,
                                 cval=cval, prefilter=prefilter)
    plane = sorted(a + ndim if a < 0 else a for a in axes)
    supported = (interpolation._degrees_type("cosdg", angle) is np.float64
                 and np.ndim(angle) == 0 and not math.isnan(angle) and plane[0] != plane[1]
                 and all(isinstance(a, (int, np.integer)) and not isinstance(a, bool)
                         for a in axes))
    if not supported:
        raise NotImplementedError("libndimage.dask.rotate: scalar float64 angles and two "
                                  "different integer axes only")
    plane = [int(a) for a in plane]
    angle = float(angle)
    out_shape = np.zeros(ndim, dtype=np.intp)
    call(_capi.ndi_rotate_shape, x.shape, ndim, angle, plane[0], plane[1],
         int(bool(reshape)), out_shape)
    out_shape = tuple(int(n) for n in out_shape)
    if x.size == 0 or math.prod(out_shape) == 0:
        return _empty_result(interpolation.rotate, x, angle, axes=axes, reshape=reshape,
                             output=output, order=order, mode=mode, cval=cval,
                             prefilter=prefilter)
    spec = _spec("ndi_rotate", order, mode, cval, prefilter, probe.dtype, workers,
                 x.dtype.kind == "c",
                 [angle, plane[0], plane[1], int(bool(reshape)), order, mode_code(mode), None,
                  int(bool(prefilter))])
    spec["after"][6] = spec["cval_re"]
    # The rotation in the plane (for the input boxes only: the library computes its own).
    matrix, offset, _, _ = interpolation._scipy_rotation(angle, x.shape, plane, reshape)
    plane_bounds = _affine_bounds(matrix, offset)
    others = [a for a in range(ndim) if a not in plane]

    def bounds(origin, shape):
        inner = plane_bounds([origin[a] for a in plane], [shape[a] for a in plane])
        result = [None] * ndim
        for a, r in zip(plane, inner):
            result[a] = r
        return result
    if output_chunks is None:
        size = [max(c) for c in x.chunks]
        output_chunks = tuple(
            x.chunks[a] if a in others else min(max(size[p] for p in plane), out_shape[a])
            for a in range(ndim))
    out_chunks = da.core.normalize_chunks(output_chunks, out_shape)
    # The axes outside the plane: input chunks are the output's there.
    if others:
        x = x.rechunk({a: out_chunks[a] for a in others})
    return _transform(x, "rotate", spec, out_shape, out_chunks, bounds, fixed=set(others),
                      coefficient_axes=plane)


def _coordinate_ranges(block):
    """Per input axis, the (min, max) of a coordinates chunk, or None where a coordinate is
    not finite."""
    c = np.asarray(block, dtype=np.float64)
    result = []
    for a in range(c.shape[0]):
        values = c[a]
        if values.size == 0 or not np.isfinite(values).all():
            result.append(None)
        else:
            lo, hi = float(values.min()), float(values.max())
            e = _margin(lo, hi)
            result.append((lo - e, hi + e))
    return result


def map_coordinates(input, coordinates, output=None, order=3, mode="constant", cval=0.0,
                    prefilter=True, *, workers=1, output_chunks=None):
    """``map_coordinates`` of a dask array (see libndimage.dask): the output is chunked like
    ``coordinates`` after its first axis (or by ``output_chunks`` for NumPy coordinates).
    Each chunk's coordinate range is computed when the graph is built."""
    x = _as_dask(input)
    output = _output_dtype_argument(output)
    lazy = isinstance(coordinates, da.Array)
    coords = coordinates if lazy else np.asarray(coordinates)
    if np.iscomplexobj(coords):
        raise TypeError("Complex type not supported")
    out_ndim = coords.ndim - 1
    probe = interpolation.map_coordinates(
        _probe((1,) * x.ndim, x.dtype), np.zeros((coords.shape[0],) + (1,) * out_ndim,
                                                 dtype=coords.dtype),
        output=output, order=order, mode=mode, cval=cval, prefilter=prefilter)
    out_shape = tuple(coords.shape[1:])
    if x.size == 0 or math.prod(out_shape) == 0:
        return da.from_array(interpolation.map_coordinates(
            np.zeros(x.shape, x.dtype), np.asarray(coords), output=output, order=order,
            mode=mode, cval=cval, prefilter=prefilter))
    if not lazy:
        chunks = _out_chunks(output_chunks, x, out_shape)
        coords = da.from_array(coords, chunks=((coords.shape[0],),) + tuple(chunks))
    elif output_chunks is not None:
        coords = coords.rechunk(((coords.shape[0],),)
                                + da.core.normalize_chunks(output_chunks, out_shape))
    coords = coords.rechunk({0: -1})
    out_chunks = coords.chunks[1:]
    blocks = list(itertools.product(*[range(len(c)) for c in out_chunks]))
    ranges = dask.compute(*[dask.delayed(_coordinate_ranges)(coords.blocks[(0,) + b])
                            for b in blocks])
    by_block = dict(zip(blocks, ranges))
    starts = _block_ranges(out_chunks)
    index_of = [{r[0]: k for k, r in enumerate(axis)} for axis in starts]

    def bounds(origin, shape):
        return by_block[tuple(index_of[a][o] for a, o in enumerate(origin))]
    spec = _spec("ndi_map_coordinates", order, mode, cval, prefilter, probe.dtype, workers,
                 x.dtype.kind == "c", [order, mode_code(mode), None, int(bool(prefilter))])
    spec["after"][2] = spec["cval_re"]
    return _transform(x, "map_coordinates", spec, out_shape, out_chunks, bounds,
                      coordinates=coords)


def geometric_transform(input, mapping, output_shape=None, output=None, order=3,
                        mode="constant", cval=0.0, prefilter=True, extra_arguments=(),
                        extra_keywords=None, *, workers=1, output_chunks=None):
    """``geometric_transform`` of a dask array (see libndimage.dask): each output chunk reads
    the whole coefficient array (one block), and ``mapping`` receives whole-output indices.
    ``mapping`` must be picklable for a distributed scheduler (C callbacks are not)."""
    if extra_keywords is None:
        extra_keywords = {}
    x = _as_dask(input)
    output = _output_dtype_argument(output)
    if output_shape is None:
        output_shape = x.shape
    output_shape = tuple(operator.index(n) for n in output_shape)
    if x.ndim < 1 or len(output_shape) < 1:
        raise RuntimeError("input and output rank must be > 0")
    # The binding's checks and output type; an empty output does not call the mapping.
    dtype = interpolation.geometric_transform(
        _probe((1,) * x.ndim, x.dtype), mapping, output_shape=(0,) * len(output_shape),
        output=output, order=order, mode=mode, cval=cval, prefilter=prefilter,
        extra_arguments=extra_arguments, extra_keywords=extra_keywords).dtype
    if x.size == 0 or math.prod(output_shape) == 0:
        return _empty_result(interpolation.geometric_transform, x, mapping,
                             output_shape=output_shape, output=output, order=order,
                             mode=mode, cval=cval, prefilter=prefilter,
                             extra_arguments=extra_arguments, extra_keywords=extra_keywords)
    spec = _spec("ndi_geometric_transform", order, mode, cval, prefilter, dtype, workers,
                 x.dtype.kind == "c", [order, mode_code(mode), None, int(bool(prefilter))])
    spec["after"][2] = spec["cval_re"]
    spec["mapping"] = (mapping, tuple(extra_arguments), dict(extra_keywords))
    if not callable(mapping):
        raise TypeError("libndimage.dask.geometric_transform: mapping must be a Python "
                        "callable")
    x = x.rechunk(-1)
    out_chunks = _out_chunks(output_chunks, x, output_shape)
    return _transform(x, "geometric_transform", spec, output_shape, out_chunks,
                      lambda origin, shape: [None] * x.ndim)

