"""scipy.ndimage's filters (scipy's ``_filters`` module): ``generic_filter``,
``generic_filter1d``, the linear filters (from ``_linear``), the minimum, maximum, rank,
median and percentile filters (from ``_order``) and ``vectorized_filter`` (from
``_vectorized``): every scipy filter calls libndimage.

Generic filters: differences from scipy (deliberate)
----------------------------------------------------
* A callback failure stops the filter at once. When a *Python* callable raises inside
  ``generic_filter``, scipy keeps calling it for every remaining element with the
  exception still set (storing 0.0), which on Python 3.11 ends in a ``SystemError``; here
  the callable's own exception is re-raised right away and the remaining elements are
  left untouched. On a C callback failure, scipy's ``generic_filter1d`` discards the whole
  current batch of lines; here every line before the failing one is written. The error for
  a C callback that returns 0 without setting a Python exception is
  ``RuntimeError('unknown error in filter function (...)')`` (or
  ``'unknown error in line processing function (...)'``): scipy's message followed by
  libndimage's in parentheses.
* ``generic_filter`` with ``output`` sharing memory with ``input``: scipy reads values it
  has already overwritten; libndimage copies the input first, so the result equals the
  out-of-place result.
* scipy's ``generic_filter`` in ``'reflect'``/``'grid-mirror'`` mode reads outside the
  array when the footprint reaches ``4 n`` or more past the left edge of an axis of length
  ``n``; libndimage computes the correct reflection.

Order filters: differences from scipy (deliberate)
--------------------------------------------------
* Keyword-only ``nan_policy=`` (beyond scipy): ``None`` (default) gives scipy's result
  exactly, NaN placement included; ``'propagate'`` gives NaN wherever the window holds a
  NaN; ``'omit'`` the order statistic of the window's non-NaN values (NaN when none).
  scipy's own results around NaN depend on its algorithms: its 1-D minimum/maximum can even
  be wrong in later NaN-free windows after a NaN.
* scipy's 1-D rank path (1-D input, rank neither the smallest nor the largest) writes the
  input's type into an output of another type (corrupting memory): here the result is
  cast as numpy's ``astype`` casts. It ranks uint64 values >= 2**63 as negative (here:
  uint64 order), ignores footprint holes and reads outside lines shorter than the window's
  reach (here: scipy's n-dimensional path's result).
* The footprint paths' reflect offsets beyond ``4 n`` to the left are exact (as for
  ``generic_filter``), and every argument is checked before anything is written (scipy's
  separable minimum/maximum raise for a later axis after writing the earlier ones).

``vectorized_filter`` (scipy's semantics for Python callables, libndimage for compiled
batched callbacks) is described under "vectorized_filter" in ``help(libndimage)``.
"""

import operator
import warnings

import numpy as np

from . import _capi
from ._callables import Callback
from ._order import (maximum_filter, maximum_filter1d, median_filter,  # noqa: F401
                     minimum_filter, minimum_filter1d, percentile_filter, rank_filter)
from ._support import (Output, as_double, call, check_extras, check_writeable, dtype_code,
                       mode_code, native, new_output, normalize_axis, not_implemented,
                       per_axis, resolve_axes)

__all__ = ["correlate1d", "convolve1d", "gaussian_filter1d", "gaussian_filter", "prewitt",
           "sobel", "generic_laplace", "laplace", "gaussian_laplace",
           "generic_gradient_magnitude", "gaussian_gradient_magnitude", "correlate",
           "convolve", "uniform_filter1d", "uniform_filter", "minimum_filter1d",
           "maximum_filter1d", "minimum_filter", "maximum_filter", "rank_filter",
           "median_filter", "percentile_filter", "generic_filter1d", "generic_filter",
           "vectorized_filter"]


def generic_filter1d(input, function, filter_size, axis=-1,
                     output=None, mode="reflect", cval=0.0, origin=0,
                     extra_arguments=(), extra_keywords=None, *, workers=None,
                     thread_safe=False):
    """Calculate a 1-D filter along the given axis (``scipy.ndimage.generic_filter1d``).

    ``function`` is called once per line along ``axis`` with the line converted to double
    and extended by ``mode`` (``filter_size // 2 + origin`` samples before it), and fills the
    output line; see "Accepted ``function`` arguments" in ``help(libndimage)``.

    Returns the filtered array (``output`` itself when an array was given).
    """
    if extra_keywords is None:
        extra_keywords = {}
    input = np.asarray(input)
    if np.iscomplexobj(input):
        raise TypeError("Complex type not supported")
    output = new_output(output, input)
    if filter_size < 1:
        raise RuntimeError("invalid filter size")
    axis = normalize_axis(axis, input.ndim)
    if (filter_size // 2 + origin < 0) or (filter_size // 2 + origin >= filter_size):
        raise ValueError("invalid origin")
    mode = mode_code(mode)
    # What scipy's C layer checks, in its order.
    filter_size = operator.index(filter_size)
    axis = operator.index(axis)
    check_writeable(output)
    cval = as_double(cval)
    origin = operator.index(origin)
    check_extras(extra_arguments, extra_keywords)
    callback = Callback(function, "filter1d", extra_arguments, extra_keywords, thread_safe)

    for dtype in (input.dtype, output.dtype):
        if dtype_code(dtype) is None:
            raise RuntimeError(f"array type {native(dtype)!r} not supported")
    call(_capi.ndi_generic_filter1d, input, Output(output), filter_size, axis, origin, mode,
         cval, callback.pointer, callback.user_data, workers=workers, callback=callback)
    return output


def generic_filter(input, function, size=None, footprint=None,
                   output=None, mode="reflect", cval=0.0, origin=0,
                   extra_arguments=(), extra_keywords=None, *, axes=None, workers=None,
                   thread_safe=False):
    """Calculate a multidimensional filter using the given function
    (``scipy.ndimage.generic_filter``).

    At each element ``function`` receives the input values under the footprint's true
    elements (in C order of the footprint, positions outside the input extended by ``mode``)
    and returns the output value; see "Accepted ``function`` arguments" in
    ``help(libndimage)``.

    Returns the filtered array (``output`` itself when an array was given).
    """
    if size is not None and footprint is not None:
        warnings.warn("ignoring size because footprint is set", UserWarning, stacklevel=2)
    if extra_keywords is None:
        extra_keywords = {}
    input = np.asarray(input)
    if np.iscomplexobj(input):
        raise TypeError("Complex type not supported")
    ndim = input.ndim
    axes = resolve_axes(axes, ndim)
    num_axes = len(axes)
    if footprint is None:
        if size is None:
            raise RuntimeError("no footprint or filter size provided")
        footprint = np.ones(per_axis(size, num_axes), dtype=bool)
    else:
        footprint = np.asarray(footprint, dtype=bool)

    if num_axes < ndim:
        # The footprint's axes go to the filtered axes in increasing axis order; the
        # origins follow the order given in `axes`.
        if footprint.ndim != num_axes:
            raise RuntimeError(f"footprint.ndim ({footprint.ndim}) "
                               f"must match len(axes) ({num_axes})")
        footprint = np.expand_dims(footprint, tuple(a for a in range(ndim) if a not in axes))
    origins = per_axis(origin, num_axes)
    if num_axes < ndim:
        expanded = [0] * ndim
        for o, ax in zip(origins, axes):
            expanded[ax] = o
        origins = expanded

    fshape = [n for n in footprint.shape if n > 0]
    if len(fshape) != ndim:
        raise RuntimeError(f"footprint.ndim ({footprint.ndim}) "
                           f"must match len(axes) ({num_axes})")
    for o, n in zip(origins, fshape):
        if (n // 2 + o < 0) or (n // 2 + o >= n):
            raise ValueError("invalid origin")
    output = new_output(output, input)
    mode = mode_code(mode)
    # What scipy's C layer checks, in its order.
    check_writeable(output)
    cval = as_double(cval)
    origins = [operator.index(o) for o in origins]
    check_extras(extra_arguments, extra_keywords)
    callback = Callback(function, "filter", extra_arguments, extra_keywords, thread_safe)

    if input.size == 0:
        return output  # scipy returns before looking at the element types
    if dtype_code(input.dtype) is None or dtype_code(output.dtype) is None:
        raise RuntimeError("array type not supported")

    if footprint.shape != tuple(fshape):
        # Zero-length axes beyond the input's rank: no element is selected.
        footprint = np.zeros(fshape, dtype=bool)
    source, target = input, output
    if ndim == 0:
        # libndimage wants rank >= 1: one element with a one-element footprint.
        source, target = input.reshape(1), output.reshape(1)
        footprint = footprint.reshape(1)
        origins = [0]
    call(_capi.ndi_generic_filter, source, Output(target), footprint, None, origins, mode,
         cval, callback.pointer, callback.user_data, workers=workers, callback=callback)
    return output


from ._linear import (convolve, convolve1d, correlate,  # noqa: E402
                      correlate1d, gaussian_filter, gaussian_filter1d,
                      gaussian_gradient_magnitude, gaussian_laplace,
                      generic_gradient_magnitude, generic_laplace, laplace, prewitt, sobel,
                      uniform_filter, uniform_filter1d)

# The order filters live in _order (shared with grey morphology); they are this module's.
for _f in (minimum_filter1d, maximum_filter1d, minimum_filter, maximum_filter, rank_filter,
           median_filter, percentile_filter):
    _f.__module__ = __name__
del _f

from ._vectorized import vectorized_filter  # noqa: E402 (its own module, scipy's place)

vectorized_filter.__module__ = __name__
