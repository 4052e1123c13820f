"""scipy.ndimage's Fourier filters (scipy's ``_fourier`` module): ``fourier_gaussian``,
``fourier_uniform``, ``fourier_ellipsoid`` and ``fourier_shift`` call libndimage
(``ndi_fourier_*``), with scipy's signatures plus a keyword-only ``workers=``. Results are
scipy 1.17.1's bit for bit (the same libm ``exp``/``sin``/``cos`` on the same machine), on any
number of threads.

Fourier filters: differences from scipy (deliberate)
----------------------------------------------------
* ``fourier_uniform`` with a size of 0 on an axis is the identity on that axis (the limit of
  the box's transform ``sin(x)/x``), and a negative size filters as its magnitude (the
  transform is even in the size); scipy 1.17.1 zeroes every coefficient but the DC one
  there, and also for a NaN size, which gives NaN here.
* ``output=`` given as a ``numpy.dtype`` instance or a dtype string (``np.dtype('float32')``,
  ``'complex64'``) is the output dtype, as a numpy type such as ``np.float32`` is; scipy fails
  with ``RuntimeError('output shape not correct')`` or an ``AttributeError``. The dtype must
  be one scipy accepts as a type (``RuntimeError('output type not supported')`` otherwise).
"""

import operator

import numpy as np

from . import _capi
from ._support import (Output, call, check_writeable, dtype_code, normalize_axis,
                       per_axis)

__all__ = ["fourier_gaussian", "fourier_uniform", "fourier_ellipsoid", "fourier_shift"]

#: What a type given as ``output`` may be, and which input types an output of None keeps
#: (others get the last of the output types).
_FILTER_TYPES = (np.complex64, np.complex128, np.float32, np.float64)
_FILTER_KEPT = (np.complex64, np.complex128, np.float32)
_SHIFT_TYPES = (np.complex64, np.complex128)


def _output(output, input, types, kept):
    """scipy's ``_get_output_fourier`` (and ``_get_output_fourier_complex``), with dtype
    instances and strings taken as the dtype they name."""
    if output is None:
        if input.dtype.type in kept:
            return np.zeros(input.shape, dtype=input.dtype)
        return np.zeros(input.shape, dtype=types[-1])
    if isinstance(output, (np.dtype, str)):
        output = np.dtype(output).type
    if type(output) is type:
        if output not in types:
            raise RuntimeError("output type not supported")
        return np.zeros(input.shape, dtype=output)
    if output.shape != input.shape:
        raise RuntimeError("output shape not correct")
    return output


def _filter(function, input, params, n, axis, output, workers, shift=False):
    """What every Fourier filter does after its output and ``axis``: the parameters, scipy's
    C argument conversion and type checks, and the call."""
    params = np.asarray(per_axis(params, input.ndim), dtype=np.float64)
    n = operator.index(n)
    if not -(2 ** 63) <= n < 2 ** 63:
        raise OverflowError("Python int too large to convert to C ssize_t")
    axis = operator.index(axis)  # scipy's C argument conversion (a float axis fails here)
    check_writeable(output)
    if input.size == 0:
        return output  # scipy's element loop never reaches its type checks
    in_code = dtype_code(input.dtype, complex_ok=True)
    out_ok = output.dtype.kind == "c" if (shift or input.dtype.kind == "c") else True
    if in_code is None or not out_ok or output.dtype.type not in _FILTER_TYPES:
        raise RuntimeError("data type not supported")
    call(function, input, Output(output), params, n, axis, workers=workers)
    return output


def fourier_gaussian(input, sigma, n=-1, axis=-1, output=None, *, workers=None):
    """Multidimensional Gaussian fourier filter (``scipy.ndimage.fourier_gaussian``).

    The array (a spectrum) is multiplied with the Fourier transform of a Gaussian kernel of
    standard deviation ``sigma`` (a float, or one per axis). ``n >= 0``: the input is the
    result of a real FFT along ``axis`` of a signal of length ``n``. ``workers``: threads (see
    ``help(libndimage)``). ``output=`` may also be a dtype or dtype string (a difference from
    scipy, see ``libndimage.fourier``).

    Returns the filtered array (``output`` itself when an array was given).
    """
    input = np.asarray(input)
    output = _output(output, input, _FILTER_TYPES, _FILTER_KEPT)
    axis = normalize_axis(axis, input.ndim)
    return _filter(_capi.ndi_fourier_gaussian, input, sigma, n, axis, output, workers)


def fourier_uniform(input, size, n=-1, axis=-1, output=None, *, workers=None):
    """Multidimensional uniform fourier filter (``scipy.ndimage.fourier_uniform``).

    The array (a spectrum) is multiplied with the Fourier transform of a box of width
    ``size`` (a float, or one per axis). ``n``, ``axis``, ``output`` and ``workers`` as in
    :func:`fourier_gaussian`. A size of 0 is the identity and a negative size filters as its
    magnitude, where scipy 1.17.1 zeroes every coefficient but the DC one (see
    ``libndimage.fourier``).

    Returns the filtered array (``output`` itself when an array was given).
    """
    input = np.asarray(input)
    output = _output(output, input, _FILTER_TYPES, _FILTER_KEPT)
    axis = normalize_axis(axis, input.ndim)
    return _filter(_capi.ndi_fourier_uniform, input, size, n, axis, output, workers)


def fourier_ellipsoid(input, size, n=-1, axis=-1, output=None, *, workers=None):
    """Multidimensional ellipsoid Fourier filter (``scipy.ndimage.fourier_ellipsoid``).

    The array (a spectrum of rank 1, 2 or 3) is multiplied with the Fourier transform of an
    ellipsoid with axis lengths ``size`` (a float, or one per axis). ``n``, ``axis``,
    ``output`` and ``workers`` as in :func:`fourier_gaussian`.

    Returns the filtered array (``output`` itself when an array was given).
    """
    input = np.asarray(input)
    if input.ndim > 3:
        raise NotImplementedError("Only 1d, 2d and 3d inputs are supported")
    output = _output(output, input, _FILTER_TYPES, _FILTER_KEPT)
    if output.size == 0:
        return output  # before the axis check, as scipy (which would crash in C)
    axis = normalize_axis(axis, input.ndim)
    return _filter(_capi.ndi_fourier_ellipsoid, input, size, n, axis, output, workers)


def fourier_shift(input, shift, n=-1, axis=-1, output=None, *, workers=None):
    """Multidimensional Fourier shift filter (``scipy.ndimage.fourier_shift``).

    The array (a spectrum) is multiplied with the Fourier transform of a shift by ``shift``
    samples (a float, or one per axis); the output is complex (complex128 unless the input is
    complex64). ``n``, ``axis``, ``output`` and ``workers`` as in :func:`fourier_gaussian`.

    Returns the shifted array (``output`` itself when an array was given).
    """
    input = np.asarray(input)
    output = _output(output, input, _SHIFT_TYPES, _SHIFT_TYPES)
    axis = normalize_axis(axis, input.ndim)
    return _filter(_capi.ndi_fourier_shift, input, shift, n, axis, output, workers,
                   shift=True)
