"""scipy.ndimage's linear filters over libndimage: ``correlate1d``, ``convolve1d``,
``correlate``, ``convolve``, ``uniform_filter1d``, ``uniform_filter``, the gaussian filters,
``sobel``, ``prewitt``, ``laplace``, ``generic_laplace``, ``gaussian_laplace``,
``generic_gradient_magnitude`` and ``gaussian_gradient_magnitude``.

Each wrapper checks its arguments as scipy 1.17.1 does (its Python layer, then what its C
layer checks, in that order, with the same exception types and messages), then makes one
libndimage call, which computes every pass (and complex parts, and the NumPy arithmetic of
the compositions) in C. The gaussian kernels are built here with NumPy exactly as scipy
builds them (NumPy's ``exp`` differs from libm's in the last bit on AVX-512 machines) and
handed to the library through its kernel callback.

Linear filters: differences from scipy (deliberate)
---------------------------------------------------
* ``correlate``/``convolve`` in ``'reflect'``/``'grid-mirror'`` mode with weights reaching
  ``4 n`` or more past the left edge of an axis of length ``n``: scipy reads before the
  array; libndimage computes the exact reflection.
* A complex correlation (or a composition such as ``laplace``) whose output shares memory
  with its input: scipy reads parts it has already overwritten; libndimage copies the input
  first, so the result equals the out-of-place one.
* ``generic_laplace``/``generic_gradient_magnitude`` run in C when the derivative is
  libndimage's (or scipy's) ``sobel`` or ``prewitt`` without extra arguments; any other
  callable is called as scipy calls it, and its results combined with NumPy as scipy
  combines them.

scipy behaviours kept for compatibility: a per-axis ``mode`` list given to
``gaussian_laplace``/``gaussian_gradient_magnitude`` applies mode k to every axis of term k;
``gaussian_gradient_magnitude`` with ``axes`` also smooths the other axes;
``gaussian_filter`` skips axes with ``sigma <= 1e-15`` together with their ``order``;
``uniform_filter`` truncates float sizes; with every axis skipped the separable filters
assign the input with NumPy's casting.
"""

import ctypes
import numbers
import operator
from collections.abc import Iterable

import numpy as np

from . import _capi
from ._support import (Output, as_double, call, check_writeable, dtype_code, mode_code,
                       new_output, normalize_axis, options, per_axis, resolve_axes)


# --------------------------------------------------------------------------------------
# Shared checks
# --------------------------------------------------------------------------------------

def _line_types(*arrays):
    """scipy's line buffers: every array of a supported real type, else
    ``RuntimeError("array type dtype('float16') not supported")``."""
    for a in arrays:
        if dtype_code(a.dtype) is None:
            raise RuntimeError(f"array type {_native(a.dtype)!r} not supported")


def _nd_types(*arrays):
    """scipy's n-D filter loop: unsupported types fail at the first element."""
    for a in arrays:
        if dtype_code(a.dtype) is None:
            raise RuntimeError("array type not supported")


def _native(dtype):
    return dtype if dtype.isnative else dtype.newbyteorder("=")


def _real_cval(cval):
    """The double scipy's C layer parses from ``cval`` (TypeError for complex)."""
    return as_double(cval)


def _parts_cval(cval):
    """(real, imaginary) parts of ``cval`` for a complex computation, each parsed as a
    double the way scipy's per-part calls parse ``np.real(cval)`` and ``np.imag(cval)``."""
    return as_double(np.real(cval)), as_double(np.imag(cval))


def _is_complex(a):
    return a.dtype.kind == "c"


def _at_least_1d(*arrays):
    """Views of rank >= 1 (libndimage's arrays have at least one axis)."""
    return [a.reshape(1) if a.ndim == 0 else a for a in arrays]


# --------------------------------------------------------------------------------------
# correlate1d, convolve1d
# --------------------------------------------------------------------------------------

def _correlate1d_real_checks(input, weights, axis, output, mode, cval, origin):
    """What scipy's real ``correlate1d`` checks after ``_get_output``; returns (axis,
    mode code, cval, origin) for the C call."""
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim != 1 or weights.shape[0] < 1:
        raise RuntimeError("no filter weights given")
    axis = normalize_axis(axis, input.ndim)
    if origin < -(len(weights) // 2) or origin > (len(weights) - 1) // 2:
        raise ValueError("Invalid origin; origin must satisfy -(len(weights) // 2) <= "
                         "origin <= (len(weights)-1) // 2")
    code = mode_code(mode)
    # scipy's C argument parsing: axis, output, mode, cval, origin; then its line buffers.
    axis = operator.index(axis)
    check_writeable(output)
    cval = _real_cval(cval)
    origin = operator.index(origin)
    return axis, code, cval, origin


def _correlate1d_prepare(input, weights, axis, output, mode, cval, origin):
    """scipy's ``correlate1d`` argument handling. ``weights`` are the correlation weights
    as scipy's ``correlate1d`` receives them (not yet conjugated). Returns the output and
    the C arguments (axis, mode, cval, cval_imag)."""
    input = np.asarray(input)
    weights = np.asarray(weights)
    complex_input, complex_weights = _is_complex(input), _is_complex(weights)
    if complex_input or complex_weights:
        if complex_weights:
            weights = weights.conj().astype(np.complex128, copy=False)
        output = new_output(output, input, complex_output=True)
        if not complex_input and np.iscomplexobj(cval):
            raise ValueError("Cannot provide a complex-valued cval when the input is real.")
        # The real calls scipy makes, in its order: the first one checks everything.
        part = input.real if complex_input else input
        w = weights.real if complex_weights else weights
        axis, code, cr, origin = _correlate1d_real_checks(part, w, axis, output.real, mode,
                                                          np.real(cval), origin)
        ci = as_double(np.imag(cval)) if complex_input else 0.0
        _line_types(part, output.real)
        return input, output, (axis, origin, code, cr), ci
    output = new_output(output, input)
    axis, code, cval, origin = _correlate1d_real_checks(input, weights, axis, output, mode,
                                                        cval, origin)
    _line_types(input, output)
    return input, output, (axis, origin, code, cval), 0.0


def _correlate1d_call(function, input, weights, output, args, cval_imag, workers):
    axis, origin, code, cval = args
    weights = np.asarray(weights)
    weights = weights.astype(np.complex128 if _is_complex(weights) else np.float64)
    call(function, input, Output(output), weights.reshape(-1), axis, origin, code, cval,
         workers=workers, cval_imag=cval_imag)
    return output


def correlate1d(input, weights, axis=-1, output=None, mode="reflect", cval=0.0, origin=0,
                *, workers=None):
    """Calculate a 1-D correlation along the given axis (``scipy.ndimage.correlate1d``):
    ``output[i] = sum_k weights[k] * input[i + k - (len(weights) // 2 + origin)]`` along
    ``axis``, summed in scipy's order (pairs of samples first for symmetric and
    antisymmetric odd kernels). Complex input and weights are supported (complex weights
    are conjugated, NumPy's convention).

    Returns the filtered array (``output`` itself when an array was given).
    """
    input_arr, output, args, cval_imag = _correlate1d_prepare(input, weights, axis, output,
                                                              mode, cval, origin)
    return _correlate1d_call(_capi.ndi_correlate1d, input_arr, weights, output, args,
                             cval_imag, workers)


def convolve1d(input, weights, axis=-1, output=None, mode="reflect", cval=0.0, origin=0,
               *, workers=None):
    """Calculate a 1-D convolution along the given axis (``scipy.ndimage.convolve1d``):
    ``correlate1d`` with the weights reversed and the origin mapped as scipy maps it
    (``-origin``, minus one for an even number of weights).

    Returns the filtered array (``output`` itself when an array was given).
    """
    w = np.asarray(weights)
    reversed_w = w[::-1]
    mapped = -origin
    if not reversed_w.shape[0] & 1:
        mapped -= 1
    if reversed_w.dtype.kind == "c":
        reversed_w = reversed_w.conj()
    input_arr, output, args, cval_imag = _correlate1d_prepare(input, reversed_w, axis,
                                                              output, mode, cval, mapped)
    # libndimage's convolve1d reverses and maps the origin itself.
    args = (args[0], operator.index(origin), args[2], args[3])
    return _correlate1d_call(_capi.ndi_convolve1d, input_arr, w, output, args, cval_imag,
                             workers)


# --------------------------------------------------------------------------------------
# correlate, convolve
# --------------------------------------------------------------------------------------

def _correlate_real_checks(input, weights, output, mode, cval, origin, convolution, axes):
    """What scipy's real ``_correlate_or_convolve`` checks, in its order; returns (output,
    the C arguments) or raises. ``weights`` are as the caller gave them."""
    axes = resolve_axes(axes, input.ndim)
    weights = np.asarray(weights, dtype=np.float64)
    num_axes = len(axes)
    if num_axes < input.ndim:
        if weights.ndim != num_axes:
            raise RuntimeError(f"weights.ndim ({weights.ndim}) must match len(axes) "
                               f"({num_axes})")
        weights = np.expand_dims(weights, tuple(ax for ax in range(input.ndim)
                                                if ax not in axes))
    origins = per_axis(origin, num_axes)
    if num_axes < input.ndim:
        full = [0] * input.ndim
        for o, ax in zip(origins, axes):
            full[ax] = o
    else:
        full = list(origins)
    wshape = [n for n in weights.shape if n > 0]
    if len(wshape) != input.ndim:
        raise RuntimeError(f"weights.ndim ({len(wshape)}) must match len(axes) "
                           f"({num_axes})")
    checked = list(full)
    if convolution:
        for ii in range(len(checked)):
            checked[ii] = -checked[ii]
            if not weights.shape[ii] & 1:
                checked[ii] -= 1
    for o, n in zip(checked, wshape):
        if o < -(n // 2) or o > (n - 1) // 2:
            raise ValueError("Invalid origin; origin must satisfy -(weights.shape[k] // 2) "
                             "<= origin[k] <= (weights.shape[k]-1) // 2")
    return axes, weights, full, origins


def _correlate_or_convolve(input, weights, output, mode, cval, origin, convolution, axes,
                           workers):
    input = np.asarray(input)
    weights = np.asarray(weights)
    complex_input, complex_weights = _is_complex(input), _is_complex(weights)
    cval_imag = 0.0
    if complex_input or complex_weights:
        output = new_output(output, input, complex_output=True)
        if not complex_input and np.iscomplexobj(cval):
            raise ValueError("Cannot provide a complex-valued cval when the input is real.")
        part = input.real if complex_input else input
        w = weights.real if complex_weights else weights
        checked = _correlate_real_checks(part, w, output.real, mode, np.real(cval), origin,
                                         convolution, axes)
        target = output.real
        cval, cval_imag = (as_double(np.real(cval)), as_double(np.imag(cval))) \
            if complex_input else (as_double(np.real(cval)), 0.0)
    else:
        checked = _correlate_real_checks(input, weights, output, mode, cval, origin,
                                         convolution, axes)
        output = new_output(output, input)
        target = output
        part = input
    axes, expanded, full, origins = checked
    if not isinstance(mode, str) and isinstance(mode, Iterable):
        raise RuntimeError("A sequence of modes is not supported")
    code = mode_code(mode)
    # scipy's C argument parsing: output (writeable), mode, cval, origins.
    check_writeable(output)
    cval = as_double(cval)
    full = [operator.index(o) for o in full]
    if part.size == 0:
        return output  # scipy's loop looks at no element, whatever the element types
    _nd_types(part, target)
    function = _capi.ndi_convolve if convolution else _capi.ndi_correlate
    w = weights.astype(np.complex128 if complex_weights else np.float64)
    if expanded.size == 0 or input.ndim == 0:
        # Zero-length weight axes beyond the input's rank select nothing; a 0-d input is
        # one element under one weight.
        w = w.reshape(-1) if input.ndim == 0 else np.zeros(
            [n for n in expanded.shape if n > 0], dtype=w.dtype)
        source, out = _at_least_1d(input, output)
        call(function, source, Output(out), w, None, None, 0, code, cval, workers=workers,
             cval_imag=cval_imag)
        return output
    origins_c = [operator.index(o) for o in origins]
    call(function, input, Output(output), w, origins_c, list(axes), len(axes), code, cval,
         workers=workers, cval_imag=cval_imag)
    return output


def correlate(input, weights, output=None, mode="reflect", cval=0.0, origin=0, *,
              axes=None, workers=None):
    """Multidimensional correlation (``scipy.ndimage.correlate``): at every element the sum
    of the weights times the input values under them, summed from +0.0 in C order of the
    weights over the weights whose magnitude exceeds 2**-52 (as scipy). Complex input and
    weights are supported (complex weights are conjugated).

    Returns the filtered array (``output`` itself when an array was given).
    """
    return _correlate_or_convolve(input, weights, output, mode, cval, origin, False, axes,
                                  workers)


def convolve(input, weights, output=None, mode="reflect", cval=0.0, origin=0, *,
             axes=None, workers=None):
    """Multidimensional convolution (``scipy.ndimage.convolve``): ``correlate`` with the
    weights flipped along every axis and each origin mapped as ``convolve1d`` maps it.

    Returns the filtered array (``output`` itself when an array was given).
    """
    return _correlate_or_convolve(input, weights, output, mode, cval, origin, True, axes,
                                  workers)


# --------------------------------------------------------------------------------------
# uniform_filter1d, uniform_filter
# --------------------------------------------------------------------------------------

def _uniform1d_checks(input, size, axis, output, mode, cval, origin):
    """What scipy's ``uniform_filter1d`` checks once its output exists (the origin, the
    mode, then its C argument parsing and line buffers); returns the C arguments (size,
    axis, origin, mode, cval, cval_imag)."""
    if (size // 2 + origin < 0) or (size // 2 + origin >= size):
        raise ValueError("invalid origin")
    code = mode_code(mode)
    size = operator.index(size)
    axis = operator.index(axis)
    check_writeable(output)
    if _is_complex(input):
        cr, ci = _parts_cval(cval)
        origin = operator.index(origin)
        _line_types(input.real, output.real)
    else:
        cr, ci = _real_cval(cval), 0.0
        origin = operator.index(origin)
        _line_types(input, output)
    return size, axis, origin, code, cr, ci


def uniform_filter1d(input, size, axis=-1, output=None, mode="reflect", cval=0.0, origin=0,
                     *, workers=None):
    """Calculate a 1-D uniform filter along the given axis
    (``scipy.ndimage.uniform_filter1d``): the mean of ``size`` samples, with scipy's
    running sum (so its rounding is scipy's). Complex input is filtered part by part.

    Returns the filtered array (``output`` itself when an array was given).
    """
    input = np.asarray(input)
    axis = normalize_axis(axis, input.ndim)
    if size < 1:
        raise RuntimeError("incorrect filter size")
    output = new_output(output, input, complex_output=_is_complex(input))
    size, axis, origin, code, cr, ci = _uniform1d_checks(input, size, axis, output, mode,
                                                         cval, origin)
    call(_capi.ndi_uniform_filter1d, input, Output(output), size, axis, origin, code, cr,
         workers=workers, cval_imag=ci)
    return output


def uniform_filter(input, size=3, output=None, mode="reflect", cval=0.0, origin=0, *,
                   axes=None, workers=None):
    """Multidimensional uniform filter (``scipy.ndimage.uniform_filter``):
    ``uniform_filter1d`` along each axis of ``axes`` in the order given, intermediates
    stored in the output's dtype; axes of size 1 or less are skipped, and with every axis
    skipped the input is assigned to the output (NumPy's casting), as in scipy.

    Returns the filtered array (``output`` itself when an array was given).
    """
    input = np.asarray(input)
    output = new_output(output, input, complex_output=_is_complex(input))
    axes = resolve_axes(axes, input.ndim)
    num_axes = len(axes)
    sizes = per_axis(size, num_axes)
    origins = per_axis(origin, num_axes)
    modes = per_axis(mode, num_axes)
    passes = [(axes[ii], sizes[ii], origins[ii], modes[ii]) for ii in range(num_axes)
              if sizes[ii] > 1]
    if not passes:
        output[...] = input[...]
        return output
    # Each pass as scipy's uniform_filter1d checks it (the first reads the input, the
    # others the output), all before anything is written.
    checked = []
    for k, (axis, size, origin, mode) in enumerate(passes):
        source = input if k == 0 else output
        checked.append(_uniform1d_checks(source, int(size), axis, output, mode, cval, origin))
    if any(c[0] == 1 for c in checked):
        # A float size below 2 runs a size-1 pass in scipy (a store through the output's
        # type), which ndi_uniform_filter skips: run the passes one by one.
        for k, (size, axis, origin, code, cr, ci) in enumerate(checked):
            call(_capi.ndi_uniform_filter1d, input if k == 0 else output, Output(output),
                 size, axis, origin, code, cr, workers=workers, cval_imag=ci)
        return output
    _, _, _, _, cr, ci = checked[0]
    call(_capi.ndi_uniform_filter, input, Output(output), [c[0] for c in checked],
         [c[2] for c in checked], [c[1] for c in checked], len(checked), 0,
         [c[3] for c in checked], cr, workers=workers, cval_imag=ci)
    return output


# --------------------------------------------------------------------------------------
# Gaussian filters
# --------------------------------------------------------------------------------------

def _gaussian_kernel(sigma, order, radius):
    """The 1-D gaussian kernel as scipy 1.17.1's ``_gaussian_kernel1d`` computes it, with
    the same NumPy operations in the same order (NumPy's ``exp``, its pairwise sum, the
    same matrix products), so that the values are scipy's on this machine; ``sigma`` is
    used as given (its type takes part in the arithmetic, as in scipy)."""
    if order < 0:
        raise ValueError("order must be non-negative")
    powers = np.arange(order + 1)
    var = sigma * sigma
    positions = np.arange(-radius, radius + 1)
    phi = np.exp(-0.5 / var * positions ** 2)
    phi = phi / phi.sum()
    if order == 0:
        return phi
    # The polynomial of the order-th derivative: order products with (D + P).
    coefficients = np.zeros(order + 1)
    coefficients[0] = 1
    step = np.diag(powers[1:], 1) + np.diag(np.ones(order) / -var, -1)
    for _ in range(order):
        coefficients = step.dot(coefficients)
    return (positions[:, None] ** powers).dot(coefficients) * phi


def _gaussian_radius(sigma, truncate, radius):
    """scipy's radius of a gaussian_filter1d call (its errors included)."""
    sd = float(sigma)
    lw = int(truncate * sd + 0.5)
    if radius is not None:
        lw = radius
    if not isinstance(lw, numbers.Integral) or lw < 0:
        raise ValueError("Radius must be a nonnegative integer.")
    return lw


class _Kernels:
    """The kernels of one call, computed here with NumPy (scipy's values), handed to the
    library through its kernel callback (``ndi_kernel1d_func``), looked up by (axis, order,
    radius)."""

    def __init__(self):
        self.table = {}
        self.callback = _capi.ndi_kernel1d_func(self._fill)

    def add(self, axis, sigma, order, radius):
        """Computes the kernel as scipy's gaussian_filter1d does (raising its errors)."""
        kernel = _gaussian_kernel(sigma, order, radius)
        self.table[(int(axis), int(order), int(radius))] = np.ascontiguousarray(
            kernel, dtype=np.float64)

    def _fill(self, axis, sigma, order, radius, out, user_data):
        kernel = self.table.get((axis, order, radius))
        if kernel is None or kernel.size != 2 * radius + 1:
            return 0
        ctypes.memmove(out, kernel.ctypes.data, kernel.nbytes)
        return 1


def _c_sigma(sigma):
    """The sigma the library is given for an axis the wrapper keeps: its value, unless that
    is at most 1e-15 in double (a float32 sigma scipy keeps) — then any kept value does,
    since the kernel comes from the wrapper."""
    value = float(sigma)
    return value if value > 1e-15 else 1.0


def gaussian_filter1d(input, sigma, axis=-1, order=0, output=None, mode="reflect",
                      cval=0.0, truncate=4.0, *, radius=None, workers=None):
    """1-D Gaussian filter (``scipy.ndimage.gaussian_filter1d``): the correlation along
    ``axis`` with scipy's kernel (built here with NumPy exactly as scipy builds it),
    reversed, of radius ``radius`` or ``int(truncate * sigma + 0.5)``.

    Returns the filtered array (``output`` itself when an array was given).
    """
    lw = _gaussian_radius(sigma, truncate, radius)
    kernels = _Kernels()
    weights = _gaussian_kernel(sigma, order, lw)[::-1]
    input_arr, output, args, cval_imag = _correlate1d_prepare(input, weights, axis, output,
                                                              mode, cval, 0)
    axis, _, code, cval = args
    kernels.table[(axis, int(order), lw)] = np.ascontiguousarray(weights[::-1],
                                                                 dtype=np.float64)
    call(_capi.ndi_gaussian_filter1d, input_arr, Output(output), _c_sigma(sigma), axis,
         int(order), code, cval, 4.0, lw, kernels.callback, None, workers=workers,
         cval_imag=cval_imag)
    return output


def _gaussian_passes(input, output, sigma, order, mode, cval, truncate, radius, axes, kernels):
    """scipy's gaussian_filter argument handling once the output exists: the passes it runs
    (axis, sigma, order, mode code, radius), their kernels added to ``kernels``, and every
    pass checked as its gaussian_filter1d/correlate1d call checks it. Returns (passes,
    cval, cval_imag)."""
    axes = resolve_axes(axes, input.ndim)
    num_axes = len(axes)
    orders = per_axis(order, num_axes)
    sigmas = per_axis(sigma, num_axes)
    modes = per_axis(mode, num_axes)
    radiuses = per_axis(radius, num_axes)
    kept = [(axes[ii], sigmas[ii], orders[ii], modes[ii], radiuses[ii])
            for ii in range(num_axes) if sigmas[ii] > 1e-15]
    passes, cvals = [], (0.0, 0.0)
    for k, (axis, s, o, m, r) in enumerate(kept):
        lw = _gaussian_radius(s, truncate, r)
        kernels.add(axis, s, o, lw)
        weights = kernels.table[(int(axis), int(o), lw)][::-1]
        source = input if k == 0 else output
        _, _, args, ci = _correlate1d_prepare(source, weights, axis, output, m, cval, 0)
        passes.append((args[0], _c_sigma(s), int(o), args[2], lw))
        cvals = (args[3], ci)
    return passes, cvals


def gaussian_filter(input, sigma, order=0, output=None, mode="reflect", cval=0.0,
                    truncate=4.0, *, radius=None, axes=None, workers=None):
    """Multidimensional Gaussian filter (``scipy.ndimage.gaussian_filter``):
    ``gaussian_filter1d`` along each axis of ``axes`` in the order given, intermediates
    stored in the output's dtype; axes whose sigma is at most 1e-15 are skipped with their
    order, as scipy skips them.

    Returns the filtered array (``output`` itself when an array was given).
    """
    input = np.asarray(input)
    output = new_output(output, input)
    kernels = _Kernels()
    passes, (cr, ci) = _gaussian_passes(input, output, sigma, order, mode, cval, truncate,
                                        radius, axes, kernels)
    if not passes:
        output[...] = input[...]
        return output
    call(_capi.ndi_gaussian_filter, input, Output(output), [p[1] for p in passes],
         [p[2] for p in passes], [p[4] for p in passes], [p[0] for p in passes],
         len(passes), 0, [p[3] for p in passes], cr, 4.0, kernels.callback, None,
         workers=workers, cval_imag=ci)
    return output


def _gaussian_keywords(kwargs):
    """The keywords gaussian_laplace and gaussian_gradient_magnitude forward to
    gaussian_filter: only ``truncate`` and ``radius`` exist there besides the positional
    ones (scipy's TypeError otherwise)."""
    for key in kwargs:
        if key in ("order", "output", "mode", "cval", "sigma", "input"):
            raise TypeError(f"gaussian_filter() got multiple values for argument '{key}'")
        if key not in ("truncate", "radius"):
            raise TypeError(f"gaussian_filter() got an unexpected keyword argument '{key}'")
    return kwargs.get("truncate", 4.0), kwargs.get("radius")


def _derivative_terms(input, output, sigma_full, mode, cval, kwargs, axes, derivative_order,
                      kernels):
    """The terms scipy's gaussian_laplace/gaussian_gradient_magnitude compute, checked as
    it checks them: for each axis of ``axes``, ``gaussian_filter(input, sigma_full, order,
    output, modes[k], cval, **kwargs)``. Returns (modes, radii, cval parts)."""
    truncate, radius = _gaussian_keywords(kwargs)
    modes = per_axis(mode, len(axes))
    radii = [-1] * input.ndim
    # A term whose every axis is skipped is a copy: its mode is not looked at.
    codes = [_capi.NDI_MODE_REFLECT] * len(axes)
    cvals = (0.0, 0.0)
    for k, axis in enumerate(axes):
        order = [0] * input.ndim
        order[axis] = derivative_order
        target = output if k == 0 else np.empty(output.shape, output.dtype)
        passes, cv = _gaussian_passes(input, target, sigma_full, order, modes[k], cval,
                                      truncate, radius, None, kernels)
        for p in passes:
            radii[p[0]] = p[4]
        if passes:
            cvals = cv
            codes[k] = passes[0][3]
    return codes, radii, cvals


def _full_sigmas(sigma_full, ndim):
    """Per input axis, the sigma the library is given (kept axes: their value)."""
    sigmas = per_axis(sigma_full, ndim)
    return [_c_sigma(s) if s > 1e-15 else 0.0 for s in sigmas]


def gaussian_laplace(input, sigma, output=None, mode="reflect", cval=0.0, *, axes=None,
                     workers=None, **kwargs):
    """Multidimensional Laplace filter using Gaussian second derivatives
    (``scipy.ndimage.gaussian_laplace``): the sum over ``axes`` of ``gaussian_filter``
    with order 2 on that axis, added in the output's dtype. As in scipy, the mode of each
    term applies to every axis of that term.

    Returns the filtered array (``output`` itself when an array was given).
    """
    input = np.asarray(input)
    axes = resolve_axes(axes, input.ndim)
    num_axes = len(axes)
    sigma = per_axis(sigma, num_axes)
    if num_axes < input.ndim:
        full = [0] * input.ndim
        for s, ax in zip(sigma, axes):
            full[ax] = s
        sigma = full
    output = new_output(output, input)
    axes = resolve_axes(axes, input.ndim)
    if not axes:
        output[...] = input[...]
        return output
    kernels = _Kernels()
    modes, radii, (cr, ci) = _derivative_terms(input, output, sigma, mode, cval, kwargs, axes,
                                               2, kernels)
    sigmas = _full_sigmas(sigma, input.ndim)
    listed = [sigmas[a] for a in axes] if num_axes < input.ndim else sigmas
    call(_capi.ndi_gaussian_laplace, input, Output(output), listed, radii, list(axes),
         len(axes), 0, modes, cr, 4.0, kernels.callback, None, workers=workers,
         cval_imag=ci)
    return output


def gaussian_gradient_magnitude(input, sigma, output=None, mode="reflect", cval=0.0, *,
                                axes=None, workers=None, **kwargs):
    """Multidimensional gradient magnitude using Gaussian derivatives
    (``scipy.ndimage.gaussian_gradient_magnitude``): the square root of the sum of squares
    of ``gaussian_filter`` with order 1 on each axis of ``axes``, with NumPy's arithmetic
    in the output's dtype. As in scipy, ``sigma`` applies to every axis of the input (axes
    not in ``axes`` are smoothed too) and each term's mode to every axis of that term.

    Returns the filtered array (``output`` itself when an array was given).
    """
    input = np.asarray(input)
    output = new_output(output, input)
    axes = resolve_axes(axes, input.ndim)
    if not axes:
        output[...] = input[...]
        return output
    if _is_complex(input) or _is_complex(output):
        # NumPy's complex square and square root: scipy's own composition.
        def derivative(inp, axis, out, m, cv, s, **kw):
            order = [0] * inp.ndim
            order[axis] = 1
            return gaussian_filter(inp, s, order, out, m, cv, workers=workers, **kw)
        return _python_gradient_magnitude(input, derivative, output, mode, cval, (sigma,),
                                          kwargs, axes)
    kernels = _Kernels()
    modes, radii, (cr, ci) = _derivative_terms(input, output, sigma, mode, cval, kwargs, axes,
                                               1, kernels)
    call(_capi.ndi_gaussian_gradient_magnitude, input, Output(output),
         _full_sigmas(sigma, input.ndim), radii, list(axes), len(axes), 0, modes, cr, 4.0,
         kernels.callback, None, workers=workers, cval_imag=ci)
    return output


# --------------------------------------------------------------------------------------
# sobel, prewitt, laplace, generic_laplace, generic_gradient_magnitude
# --------------------------------------------------------------------------------------

def _edge_prepare(smooth, input, axis, output, mode, cval):
    """What scipy's sobel/prewitt check once the output exists: per-axis modes, then pass 1
    along ``axis`` from the input and the smoothing passes in place, each checked as its
    correlate1d call checks it. Returns (mode codes per axis, cval, cval_imag)."""
    modes = per_axis(mode, input.ndim)
    order = [axis] + [ii for ii in range(input.ndim) if ii != axis]
    codes = [0] * input.ndim
    cr, ci = 0.0, 0.0
    for k, ii in enumerate(order):
        weights = [-1, 0, 1] if k == 0 else smooth
        source = input if k == 0 else output
        _, _, args, ci = _correlate1d_prepare(source, weights, ii, output, modes[ii], cval, 0)
        codes[ii] = args[2]
        cr = args[3]
    return codes, cr, ci


def _edge(function, smooth, input, axis, output, mode, cval, workers):
    """scipy's sobel/prewitt argument handling, then one call."""
    input = np.asarray(input)
    axis = normalize_axis(axis, input.ndim)
    output = new_output(output, input)
    codes, cr, ci = _edge_prepare(smooth, input, axis, output, mode, cval)
    call(function, input, Output(output), axis, 0, codes, cr, workers=workers, cval_imag=ci)
    return output


def sobel(input, axis=-1, output=None, mode="reflect", cval=0.0, *, workers=None):
    """Calculate a Sobel filter (``scipy.ndimage.sobel``): ``correlate1d`` with
    ``[-1, 0, 1]`` along ``axis``, then with ``[1, 2, 1]`` in place along every other axis,
    intermediates in the output's dtype (uint8 wraps), as scipy.

    Returns the filtered array (``output`` itself when an array was given).
    """
    return _edge(_capi.ndi_sobel, [1, 2, 1], input, axis, output, mode, cval, workers)


def prewitt(input, axis=-1, output=None, mode="reflect", cval=0.0, *, workers=None):
    """Calculate a Prewitt filter (``scipy.ndimage.prewitt``): as ``sobel`` with the
    smoothing ``[1, 1, 1]``.

    Returns the filtered array (``output`` itself when an array was given).
    """
    return _edge(_capi.ndi_prewitt, [1, 1, 1], input, axis, output, mode, cval, workers)


def laplace(input, output=None, mode="reflect", cval=0.0, *, axes=None, workers=None):
    """N-D Laplace filter based on approximate second derivatives
    (``scipy.ndimage.laplace``): the sum over ``axes`` of ``correlate1d`` with
    ``[1, -2, 1]``, added in the output's dtype.

    Returns the filtered array (``output`` itself when an array was given).
    """
    input = np.asarray(input)
    output = new_output(output, input)
    axes = resolve_axes(axes, input.ndim)
    if not axes:
        output[...] = input[...]
        return output
    modes = per_axis(mode, len(axes))
    codes, cr, ci = [], 0.0, 0.0
    for k, axis in enumerate(axes):
        target = output if k == 0 else np.empty(output.shape, output.dtype)
        _, _, args, ci = _correlate1d_prepare(input, [1, -2, 1], axis, target, modes[k], cval,
                                              0)
        codes.append(args[2])
        cr = args[3]
    call(_capi.ndi_laplace, input, Output(output), list(axes), len(axes), 0, codes, cr,
         workers=workers, cval_imag=ci)
    return output


def _library_derivative(function, extra_arguments, extra_keywords, mode, axes):
    """The library's C derivative for ``function`` (libndimage's or scipy's ``sobel`` and
    ``prewitt``, which compute the same numbers) called without extra arguments and with one
    mode string per term, as (C function, its smoothing), or None."""
    if extra_arguments or extra_keywords:
        return None
    if not all(isinstance(m, str) for m in per_axis(mode, len(axes))):
        return None  # a term's mode list goes to sobel per axis: scipy's composition
    name = getattr(function, "__name__", None)
    module = getattr(function, "__module__", None)
    if name not in ("sobel", "prewitt"):
        return None
    ours = function in (sobel, prewitt)
    scipys = module == "scipy.ndimage._filters"
    if not (ours or scipys):
        return None
    if name == "sobel":
        return _capi.ndi_derivative_sobel, [1, 2, 1]
    return _capi.ndi_derivative_prewitt, [1, 1, 1]


def _python_laplace(input, derivative2, output, mode, cval, extra_arguments, extra_keywords,
                    axes):
    """scipy's generic_laplace composition, for Python derivatives (their NumPy results,
    whatever their dtypes, combined with NumPy exactly as scipy combines them)."""
    modes = per_axis(mode, len(axes))
    derivative2(input, axes[0], output, modes[0], cval, *extra_arguments, **extra_keywords)
    for ii in range(1, len(axes)):
        tmp = derivative2(input, axes[ii], output.dtype, modes[ii], cval, *extra_arguments,
                          **extra_keywords)
        output += tmp
    return output


def _python_gradient_magnitude(input, derivative, output, mode, cval, extra_arguments,
                               extra_keywords, axes):
    """scipy's generic_gradient_magnitude composition, for Python derivatives and complex
    data."""
    modes = per_axis(mode, len(axes))
    derivative(input, axes[0], output, modes[0], cval, *extra_arguments, **extra_keywords)
    np.multiply(output, output, output)
    for ii in range(1, len(axes)):
        tmp = derivative(input, axes[ii], output.dtype, modes[ii], cval, *extra_arguments,
                         **extra_keywords)
        np.multiply(tmp, tmp, tmp)
        output += tmp
    np.sqrt(output, output, casting="unsafe")
    return output


def _generic(function, known, input, output, mode, cval, axes, workers):
    """The C composition with the library's derivative, its arguments checked as scipy's
    calls of that derivative check them (term 0 into the output, the others into new
    arrays of the output's dtype)."""
    derivative, smooth = known
    modes = per_axis(mode, len(axes))
    codes, cr, ci = [], 0.0, 0.0
    for k, axis in enumerate(axes):
        target = output if k == 0 else np.empty(output.shape, output.dtype)
        per_axis_codes, cr, ci = _edge_prepare(smooth, input, axis, target, modes[k], cval)
        codes.append(per_axis_codes[axis])
    # The derivative's own calls (ndi_sobel, ...) get the threads of this one, and the
    # imaginary part of cval (which the derivative's signature does not carry).
    inner = options(cval_imag=ci, workers=workers)
    derivative_fn = _capi.ndi_derivative_func(ctypes.cast(derivative, ctypes.c_void_p).value)
    call(function, input, Output(output), derivative_fn,
         ctypes.cast(ctypes.pointer(inner), ctypes.c_void_p), list(axes), len(axes), 0, codes,
         cr, workers=workers, cval_imag=ci)
    return output


def generic_laplace(input, derivative2, output=None, mode="reflect", cval=0.0,
                    extra_arguments=(), extra_keywords=None, *, axes=None, workers=None):
    """N-D Laplace filter using a provided second derivative function
    (``scipy.ndimage.generic_laplace``): the sum of ``derivative2`` along each axis of
    ``axes``, added in the output's dtype. libndimage's (or scipy's) ``sobel`` and
    ``prewitt`` run in C without calling back into Python; any other callable is called as
    scipy calls it.

    Returns the filtered array (``output`` itself when an array was given).
    """
    if extra_keywords is None:
        extra_keywords = {}
    input = np.asarray(input)
    output = new_output(output, input)
    axes = resolve_axes(axes, input.ndim)
    if not axes:
        output[...] = input[...]
        return output
    known = _library_derivative(derivative2, extra_arguments, extra_keywords, mode, axes)
    if known is None:
        return _python_laplace(input, derivative2, output, mode, cval, extra_arguments,
                               extra_keywords, axes)
    return _generic(_capi.ndi_generic_laplace, known, input, output, mode, cval, axes,
                    workers)


def generic_gradient_magnitude(input, derivative, output=None, mode="reflect", cval=0.0,
                               extra_arguments=(), extra_keywords=None, *, axes=None,
                               workers=None):
    """Gradient magnitude using a provided gradient function
    (``scipy.ndimage.generic_gradient_magnitude``): the square root of the sum of squares
    of ``derivative`` along each axis of ``axes``, with NumPy's arithmetic in the output's
    dtype. libndimage's (or scipy's) ``sobel`` and ``prewitt`` run in C without calling back
    into Python; any other callable (and complex data) is handled as scipy handles it.

    Returns the filtered array (``output`` itself when an array was given).
    """
    if extra_keywords is None:
        extra_keywords = {}
    input = np.asarray(input)
    output = new_output(output, input)
    axes = resolve_axes(axes, input.ndim)
    if not axes:
        output[...] = input[...]
        return output
    known = _library_derivative(derivative, extra_arguments, extra_keywords, mode, axes)
    if known is None or _is_complex(input) or _is_complex(output):
        return _python_gradient_magnitude(input, derivative, output, mode, cval,
                                          extra_arguments, extra_keywords, axes)
    return _generic(_capi.ndi_generic_gradient_magnitude, known, input, output, mode, cval,
                    axes, workers)


# The functions are scipy.ndimage.filters' (the package's `filters` module re-exports them).
for _function in (correlate1d, convolve1d, correlate, convolve, uniform_filter1d,
                  uniform_filter, gaussian_filter1d, gaussian_filter, gaussian_laplace,
                  gaussian_gradient_magnitude, sobel, prewitt, laplace, generic_laplace,
                  generic_gradient_magnitude):
    _function.__module__ = "libndimage.filters"
del _function
