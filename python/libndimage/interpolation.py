"""scipy.ndimage's interpolation functions (scipy's ``_interpolation`` module), all calling
libndimage.

Interpolation
-------------
Orders 0-5, every mode (``wrap`` != ``grid-wrap`` and ``constant`` != ``grid-constant``
here, as in scipy), ``prefilter``, ``cval``, complex64/complex128 inputs (transformed part
by part with ``cval``'s real and imaginary parts), every output form scipy accepts
(``None``, a dtype, a type, a string, an array; complex inputs promote a real dtype with
scipy's warning). The argument handling is scipy's Python layer: output shapes
(``zoom``: ``round(n * zoom)``, half to even), ``zoom``'s early exit (every zoom 1 and
``prefilter``: a NumPy copy, so floats truncate into integer outputs), ``zoom`` ignoring
``grid_mode`` for complex inputs (scipy's per-part recursion drops it), the matrix forms
of ``affine_transform``, ``rotate``'s exact-degree rotation (Cephes ``cosdg`` / ``sindg``)
and its plane-by-plane transform, and ``spline_filter``'s per-axis passes stored in the
output type.

Interpolation: differences from scipy (deliberate)
--------------------------------------------------
* The spline prefilter of modes ``reflect``, ``grid-mirror`` and ``nearest`` uses scipy
  1.18's corrected initialisation: scipy 1.17 differs on axes shorter than 25 samples
  (``spline_filter1d(np.ones(2), mode='reflect')`` is ``[1.00063, 0.99987]`` there). The
  interpolation functions are affected in ``reflect`` and ``grid-mirror`` with
  ``prefilter`` and ``order > 1`` (``nearest`` pads the input by 12 samples first).
* Interpolation with ``output`` sharing memory with ``input`` (order <= 1 or no
  prefilter): scipy reads values it has already overwritten; libndimage copies first.
* Where scipy 1.17.1 crashes or reads out of bounds, libndimage raises ``RuntimeError``
  (a 1-D ``affine_transform`` matrix with a different output rank; an empty input with a
  non-empty output) or defines the result (a zero on a 1-D ``affine_transform`` matrix
  gives NaN coordinates and so ``cval`` in every mode but ``nearest`` and
  ``grid-constant``; scipy segfaults in the ``reflect``, ``mirror`` and ``wrap``
  families).
* ``rotate`` computes its rotation in libndimage (``ndi_rotate``), whose centring is
  numpy's on x86-64 with FMA; where numpy rounds the 2x2 product differently, scipy's
  offset may differ by an ulp. Rotations ``ndi_rotate`` cannot express are computed as
  scipy does in Python, then transformed by ``affine_transform``: float32 angles (scipy
  rounds the sine and cosine to float32), two equal axes, NaN and array angles, float or
  bool axes.
"""

import ctypes
import itertools
import math
import operator
import warnings

import numpy as np

from . import _capi
from ._callables import Callback
from ._support import (Output, as_double, call, check_extras, check_writeable, dtype_code,
                       mode_code, native, new_output, normalize_axis, per_axis)

__all__ = ["spline_filter1d", "spline_filter", "geometric_transform", "map_coordinates",
           "affine_transform", "shift", "zoom", "rotate"]


# --------------------------------------------------------------------------------------
# scipy's checks, shared by the functions
# --------------------------------------------------------------------------------------

def _check_order(order):
    if order < 0 or order > 5:
        raise RuntimeError("spline order not supported")


def _array_type_error(dtype):
    """The error of scipy's line-buffer functions (spline_filter1d) for an unsupported type."""
    return RuntimeError(f"array type {native(dtype)!r} not supported")


def _parts(input, cval, complex_input):
    """The real array scipy's checks see, and cval's real and imaginary parts: scipy runs a
    complex input as two real transforms, with ``np.real(cval)`` and ``np.imag(cval)``."""
    if complex_input:
        return input.real, np.real(cval), np.imag(cval)
    return input, cval, 0.0


def _prefilter_checks(part, order, mode, cval, prefilter):
    """What scipy's prefilter step raises: ``np.pad`` (nearest, grid-constant), then
    ``spline_filter(..., output=np.float64, mode=mode)`` on the (padded) input."""
    if not (prefilter and order > 1):
        return
    if isinstance(mode, str) and mode in ("nearest", "grid-constant"):
        if mode == "nearest":
            if part.size == 0:
                np.pad(part, 12, mode="edge")  # scipy's ValueError for an empty axis
        else:
            # np.pad stores cval into the input's type: its errors and warnings.
            np.pad(np.zeros((1,) * part.ndim, dtype=part.dtype), 1, mode="constant",
                   constant_values=cval)
        first = part.shape[0] + 24
    else:
        first = part.shape[0]
    mode_code(mode)
    operator.index(order)
    if first > 0 and dtype_code(part.dtype) is None:
        raise _array_type_error(part.dtype)


def _c_arguments(output, order, cval_re, cval_im, complex_input):
    """The checks of scipy's C argument parsing: writeable output, integer order, real
    cval (each part separately for a complex input)."""
    check_writeable(output)
    order = operator.index(order)
    cval_re = as_double(cval_re)
    cval_im = as_double(cval_im) if complex_input else 0.0
    return order, cval_re, cval_im


def _interpolation_types_ok(source, output, complex_input):
    """True if libndimage (and scipy) interpolate between these element types."""
    if dtype_code(source.dtype, complex_ok=True) is None:
        return False
    if dtype_code(output.dtype, complex_ok=True) is None:
        return False
    return (output.dtype.kind == "c") == complex_input


def _check_types(input, output, complex_input):
    """scipy's error if it does not interpolate between these element types."""
    if not _interpolation_types_ok(input, output, complex_input):
        raise RuntimeError("data type not supported")


# --------------------------------------------------------------------------------------
# Functions
# --------------------------------------------------------------------------------------

# Calls a mapping once with the GIL held and Python errors checked (see _probe_mapping).
_checked_transform_proto = ctypes.PYFUNCTYPE(_capi.ndi_transform_func._restype_,
                                             *_capi.ndi_transform_func._argtypes_)


def _probe_mapping(callback, output_rank, input_rank):
    """scipy calls the mapping for the first output element before it finds that an
    element type is unsupported: one call, its failure raised as scipy would."""
    index = (ctypes.c_ssize_t * output_rank)()
    coords = (ctypes.c_double * input_rank)()
    address = ctypes.cast(callback.pointer, ctypes.c_void_p).value
    if not _checked_transform_proto(address)(index, coords, output_rank, input_rank,
                                             callback.user_data):
        callback.raise_error()
        raise RuntimeError(callback.failure_message)


def geometric_transform(input, mapping, output_shape=None, output=None, order=3,
                        mode="constant", cval=0.0, prefilter=True, extra_arguments=(),
                        extra_keywords=None, *, workers=None, thread_safe=False):
    """Apply an arbitrary geometric transform (``scipy.ndimage.geometric_transform``).

    ``output[o] = input`` interpolated (spline ``order``) at ``mapping(o)``. ``mapping`` is a
    Python callable ``f(output_index_tuple, *extra_arguments, **extra_keywords)`` returning
    a tuple of ``input.ndim`` coordinates, or a C function
    ``int f(intptr_t *output_coordinates, double *input_coordinates, int output_rank,
    int input_rank, void *user_data)`` in any form "Accepted ``function`` arguments" in
    ``help(libndimage)`` lists. The output rank (``len(output_shape)``) may differ from the
    input's. Complex inputs are transformed part by part (the mapping is called twice per
    element), as in scipy.
    """
    if extra_keywords is None:
        extra_keywords = {}
    _check_order(order)
    input = np.asarray(input)
    if output_shape is None:
        output_shape = input.shape
    if input.ndim < 1 or len(output_shape) < 1:
        raise RuntimeError("input and output rank must be > 0")
    complex_input = np.iscomplexobj(input)
    output = new_output(output, input, shape=output_shape, complex_output=complex_input)
    part, cval_re, cval_im = _parts(input, cval, complex_input)
    _prefilter_checks(part, order, mode, cval_re, prefilter)
    mode = mode_code(mode)
    order, cval_re, cval_im = _c_arguments(output, order, cval_re, cval_im, complex_input)
    if mapping is None:
        raise RuntimeError("One of `map`, `matrix` or `coordinates` must be provided")
    check_extras(extra_arguments, extra_keywords)
    callback = Callback(mapping, "transform", extra_arguments, extra_keywords, thread_safe)
    if output.size == 0:
        return output
    if not _interpolation_types_ok(input, output, complex_input):
        _probe_mapping(callback, output.ndim, input.ndim)
        raise RuntimeError("data type not supported")
    call(_capi.ndi_geometric_transform, input, Output(output), order, mode, cval_re,
         int(bool(prefilter)), callback.pointer, callback.user_data, workers=workers,
         cval_imag=cval_im, callback=callback)
    return output


def map_coordinates(input, coordinates, output=None, order=3,
                    mode="constant", cval=0.0, prefilter=True, *, workers=None):
    """Map the input array to new coordinates by interpolation
    (``scipy.ndimage.map_coordinates``): ``output[i] = input`` interpolated at
    ``coordinates[:, i]`` (coordinates of any real type; output shape
    ``coordinates.shape[1:]``).
    """
    _check_order(order)
    input = np.asarray(input)
    coordinates = np.asarray(coordinates)
    if np.iscomplexobj(coordinates):
        raise TypeError("Complex type not supported")
    output_shape = coordinates.shape[1:]
    if input.ndim < 1 or len(output_shape) < 1:
        raise RuntimeError("input and output rank must be > 0")
    if coordinates.shape[0] != input.ndim:
        raise RuntimeError("invalid shape for coordinate array")
    complex_input = np.iscomplexobj(input)
    output = new_output(output, input, shape=output_shape, complex_output=complex_input)
    part, cval_re, cval_im = _parts(input, cval, complex_input)
    _prefilter_checks(part, order, mode, cval_re, prefilter)
    mode = mode_code(mode)
    order, cval_re, cval_im = _c_arguments(output, order, cval_re, cval_im, complex_input)
    if output.size == 0:
        return output
    if dtype_code(coordinates.dtype) is None:
        raise RuntimeError("coordinate array data type not supported")
    _check_types(input, output, complex_input)
    call(_capi.ndi_map_coordinates, input, coordinates, Output(output), order, mode, cval_re,
         int(bool(prefilter)), workers=workers, cval_imag=cval_im)
    return output


def affine_transform(input, matrix, offset=0.0, output_shape=None, output=None,
                     order=3, mode="constant", cval=0.0, prefilter=True, *, workers=None):
    """Apply an affine transformation (``scipy.ndimage.affine_transform``):
    ``output[o] = input`` interpolated at ``matrix @ o + offset``.

    ``matrix``: 1-D (a diagonal, applied as ``(o + offset / m) * m``), ``(ndim, out_ndim)``,
    or the homogeneous ``(ndim, ndim + 1)`` / ``(ndim + 1, ndim + 1)`` forms whose last
    column is the offset (``offset`` is then ignored).

    Differs from scipy: a diagonal holding a zero is applied as the full matrix
    ``np.diag(matrix)`` (that axis sampled at its offset, scipy's full-matrix result), where
    scipy divides the offset by the zero (NaN coordinates: cval, or a crash).
    """
    _check_order(order)
    input = np.asarray(input)
    if output_shape is None:
        if isinstance(output, np.ndarray):
            output_shape = output.shape
        else:
            output_shape = input.shape
    if input.ndim < 1 or len(output_shape) < 1:
        raise RuntimeError("input and output rank must be > 0")
    complex_input = np.iscomplexobj(input)
    output = new_output(output, input, shape=output_shape, complex_output=complex_input)
    part, cval_re, cval_im = _parts(input, cval, complex_input)
    _prefilter_checks(part, order, mode, cval_re, prefilter)
    mode = mode_code(mode)
    ndim = input.ndim
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim not in [1, 2] or matrix.shape[0] < 1:
        raise RuntimeError("no proper affine matrix provided")
    linear = matrix
    if (matrix.ndim == 2 and matrix.shape[1] == ndim + 1
            and matrix.shape[0] in [ndim, ndim + 1]):
        if matrix.shape[0] == ndim + 1:
            expected = [0] * ndim + [1]
            if not np.all(matrix[ndim] == expected):
                raise ValueError(
                    f"Expected homogeneous transformation matrix with shape {matrix.shape} "
                    f"for image shape {input.shape}, but bottom row was not equal to "
                    f"{expected}")
        offset = matrix[:ndim, ndim]
        linear = matrix[:ndim, :ndim]
    if linear.shape[0] != ndim:
        raise RuntimeError("affine matrix has wrong number of rows")
    if linear.ndim == 2 and linear.shape[1] != output.ndim:
        raise RuntimeError("affine matrix has wrong number of columns")
    offset = np.asarray(per_axis(offset, ndim), dtype=np.float64)
    if offset.ndim != 1 or offset.shape[0] < 1:
        raise RuntimeError("no proper offset provided")
    if matrix.ndim == 1:
        offset / matrix  # noqa: B018 - scipy computes this: its warnings for a zero entry
    order, cval_re, cval_im = _c_arguments(output, order, cval_re, cval_im, complex_input)
    if output.size == 0:
        return output
    _check_types(input, output, complex_input)
    # The matrix goes to libndimage in the form given (homogeneous ones included).
    call(_capi.ndi_affine_transform, input, Output(output), matrix, matrix.shape,
         matrix.ndim, offset, order, mode, cval_re, int(bool(prefilter)), workers=workers,
         cval_imag=cval_im)
    return output


def shift(input, shift, output=None, order=3, mode="constant", cval=0.0,
          prefilter=True, *, workers=None):
    """Shift an array (``scipy.ndimage.shift``): ``output[i] = input`` interpolated at
    ``i - shift`` (one shift per axis, or a scalar for all)."""
    _check_order(order)
    input = np.asarray(input)
    if input.ndim < 1:
        raise RuntimeError("input and output rank must be > 0")
    complex_input = np.iscomplexobj(input)
    output = new_output(output, input, complex_output=complex_input)
    part, cval_re, cval_im = _parts(input, cval, complex_input)
    _prefilter_checks(part, order, mode, cval_re, prefilter)
    mode = mode_code(mode)
    negated = np.asarray([-s for s in per_axis(shift, input.ndim)], dtype=np.float64)
    order, cval_re, cval_im = _c_arguments(output, order, cval_re, cval_im, complex_input)
    if output.size == 0:
        return output
    _check_types(input, output, complex_input)
    if negated.shape != (input.ndim,):
        # scipy passes such an array on and reads it out of bounds.
        raise RuntimeError(f"shift must have one value per axis, got shape {negated.shape}")
    # ndi_shift negates again: exact, so the coordinates are scipy's i + (-shift).
    call(_capi.ndi_shift, input, Output(output), -negated, order, mode, cval_re,
         int(bool(prefilter)), workers=workers, cval_imag=cval_im)
    return output


def zoom(input, zoom, output=None, order=3, mode="constant", cval=0.0,
         prefilter=True, *, grid_mode=False, workers=None):
    """Zoom an array (``scipy.ndimage.zoom``). The output shape is
    ``round(input.shape * zoom)`` (Python's round, half to even). With every zoom exactly 1
    and ``prefilter``, the output is a plain NumPy copy of the input, as in scipy.
    ``grid_mode``: map pixel edges (``(i + 0.5) * n_in / n_out - 0.5``) instead of
    centres (``i * (n_in - 1) / (n_out - 1)``). As in scipy 1.17.1, ``grid_mode`` is
    ignored for complex inputs (scipy's per-part recursion does not pass it on).
    """
    _check_order(order)
    input = np.asarray(input)
    if input.ndim < 1:
        raise RuntimeError("input and output rank must be > 0")
    zoom = per_axis(zoom, input.ndim)
    output_shape = tuple([int(round(ii * jj)) for ii, jj in zip(input.shape, zoom)])
    complex_input = np.iscomplexobj(input)
    output = new_output(output, input, shape=output_shape, complex_output=complex_input)
    if all(z == 1 for z in zoom) and prefilter:
        if not output.flags.writeable:
            output = np.array(output, copy=True)  # scipy (array_api_extra's at) copies
        output[...] = input
        return output
    if complex_input:
        # scipy's complex path transforms each part without passing grid_mode on: the
        # parts are zoomed with grid_mode=False (and without its warning).
        grid_mode = False
    part, cval_re, cval_im = _parts(input, cval, complex_input)
    _prefilter_checks(part, order, mode, cval_re, prefilter)
    if grid_mode:
        suggest = {"constant": "grid-constant", "wrap": "grid-wrap"}.get(
            mode if isinstance(mode, str) else None)
        if suggest is not None:
            warnings.warn(f"It is recommended to use mode = {suggest} instead of "
                          f"{mode} when grid_mode is True.", stacklevel=2)
    mode = mode_code(mode)
    order, cval_re, cval_im = _c_arguments(output, order, cval_re, cval_im, complex_input)
    grid = operator.index(grid_mode)
    if output.size == 0:
        return output
    _check_types(input, output, complex_input)
    call(_capi.ndi_zoom, input, Output(output), grid, order, mode, cval_re,
         int(bool(prefilter)), workers=workers, cval_imag=cval_im)
    return output


def rotate(input, angle, axes=(1, 0), reshape=True, output=None, order=3,
           mode="constant", cval=0.0, prefilter=True, *, workers=None):
    """Rotate an array by ``angle`` degrees in the plane of ``axes``
    (``scipy.ndimage.rotate``), about the plane's centre: scipy's exact-degree rotation
    matrix and centring (``ndi_rotate``), applied to each plane on its own for more than two
    dimensions, as scipy does (so the prefilter runs on each plane). ``reshape``: the output
    holds the whole rotated plane."""
    input_arr = np.asarray(input)
    ndim = input_arr.ndim
    if ndim < 2:
        raise ValueError("input array should be at least 2D")
    axes = list(axes)
    if len(axes) != 2:
        raise ValueError("axes should contain exactly two values")
    if not all([float(ax).is_integer() for ax in axes]):
        raise ValueError("axes should contain only integer values")
    if axes[0] < 0:
        axes[0] += ndim
    if axes[1] < 0:
        axes[1] += ndim
    if axes[0] < 0 or axes[1] < 0 or axes[0] >= ndim or axes[1] >= ndim:
        raise ValueError("invalid rotation plane specified")
    axes.sort()
    angle_type = _degrees_type("cosdg", angle)
    in_libndimage = (angle_type is np.float64 and np.ndim(angle) == 0
                     and not math.isnan(angle) and axes[0] != axes[1]
                     and all(isinstance(ax, (int, np.integer)) and not isinstance(ax, bool)
                             for ax in axes))
    if in_libndimage:
        angle = float(angle)
        output_shape = np.zeros(ndim, dtype=np.intp)
        call(_capi.ndi_rotate_shape, input_arr.shape, ndim, angle, axes[0], axes[1],
             int(bool(reshape)), output_shape)
        output_shape = tuple(int(n) for n in output_shape)
    else:
        matrix, offset, output_shape, plane_shape = _scipy_rotation(angle, input_arr.shape,
                                                                    axes, reshape)
    output = new_output(output, input_arr, shape=output_shape,
                        complex_output=np.iscomplexobj(input_arr))
    if not in_libndimage:
        _rotate_planes(input_arr, output, axes, matrix, offset, plane_shape, order, mode, cval,
                       prefilter, workers)
        return output
    # scipy's affine_transform checks each plane; the planes differ only in position.
    planes = _planes(input_arr.shape, axes)
    first = next(planes, None)
    if first is None:
        return output  # no planes: scipy transforms nothing and checks nothing
    plane_in, plane_out = input_arr[first], output[first]
    _check_order(order)
    complex_input = np.iscomplexobj(input_arr)
    part, cval_re, cval_im = _parts(plane_in, cval, complex_input)
    _prefilter_checks(part, order, mode, cval_re, prefilter)
    mode = mode_code(mode)
    order, cval_re, cval_im = _c_arguments(plane_out, order, cval_re, cval_im, complex_input)
    if output.size == 0:
        return output
    _check_types(input_arr, output, complex_input)
    call(_capi.ndi_rotate, input_arr, Output(output), angle, axes[0], axes[1],
         int(bool(reshape)), order, mode, cval_re, int(bool(prefilter)), workers=workers,
         cval_imag=cval_im)
    return output


def _planes(shape, axes):
    """scipy's plane indices of a rotation: one index per position of the other axes, in
    C order, each slicing the plane of ``axes``."""
    return itertools.product(*[[slice(None)] if ax in axes else range(n)
                               for ax, n in enumerate(shape)])


# ---- The rotations ndi_rotate cannot express, as scipy computes them. ndi_rotate takes
# the angle as a double and two different integer axes; scipy also rotates with float32
# angles (its cosdg/sindg then round to float32, so the matrix differs) and with two equal
# axes (the whole array, centred as if the plane were square), and gives numpy's results
# and errors for array or NaN angles and float or bool axes (numpy indexing). These cases
# keep scipy's own Python here: its sine and cosine (Cephes), its centring, and
# affine_transform plane by plane.

def _scipy_rotation(angle, shape, axes, reshape):
    """scipy's rotation matrix, offset, output shape and output plane shape (its
    arithmetic, numpy's errors)."""
    c = _degrees_ufunc("cosdg", angle, True)
    s = _degrees_ufunc("sindg", angle, False)
    rot_matrix = np.array([[c, s], [-s, c]])
    img_shape = np.asarray(shape)
    in_plane_shape = img_shape[axes]
    if reshape:
        iy, ix = in_plane_shape
        out_bounds = rot_matrix @ [[0, 0, iy, iy], [0, ix, 0, ix]]
        out_plane_shape = (np.ptp(out_bounds, axis=1) + 0.5).astype(int)
    else:
        out_plane_shape = img_shape[axes]
    out_center = rot_matrix @ ((out_plane_shape - 1) / 2)
    in_center = (in_plane_shape - 1) / 2
    output_shape = img_shape
    output_shape[axes] = out_plane_shape
    return rot_matrix, in_center - out_center, tuple(output_shape), tuple(out_plane_shape)


def _rotate_planes(input_arr, output, axes, matrix, offset, plane_shape, order, mode, cval,
                   prefilter, workers):
    """scipy's rotate after the output: one affine_transform, or one per plane."""
    if input_arr.ndim <= 2:
        affine_transform(input_arr, matrix, offset, output.shape, output, order, mode, cval,
                         prefilter, workers=workers)
        return
    for index in _planes(input_arr.shape, axes):
        affine_transform(input_arr[index], matrix, offset, plane_shape, output[index],
                         order, mode, cval, prefilter, workers=workers)


# scipy.special.cosdg / sindg (Cephes): the angle is reduced to an octant in degrees
# before converting to radians, so multiples of 90 degrees are exact.
_SIN_COEFFICIENTS = (1.58962301572218447952E-10, -2.50507477628503540135E-8,
                     2.75573136213856773549E-6, -1.98412698295895384658E-4,
                     8.33333333332211858862E-3, -1.66666666666666307295E-1)
_COS_COEFFICIENTS = (1.13678171382044553091E-11, -2.08758833757683644217E-9,
                     2.75573155429816611547E-7, -2.48015872936186303776E-5,
                     1.38888888888806666760E-3, -4.16666666666666348141E-2,
                     4.99999999999999999798E-1)
_RADIANS_PER_DEGREE = 1.74532925199432957692E-2
_DEGREES_LOSS = 1.0e14


def _polynomial(x, coefficients):
    result = coefficients[0]
    for c in coefficients[1:]:
        result = result * x + c
    return result


def _floor(x):
    """C floor: NaN stays NaN, the sign of zero is kept."""
    if x != x:
        return x
    return math.copysign(float(math.floor(x)), x)


def _degrees(x, cosine):
    """Cephes sindg (cosine False) or cosdg (cosine True) of a double."""
    negative = x < 0
    sign = -1 if (negative and not cosine) else 1
    if negative:
        x = -x
    if x > _DEGREES_LOSS:
        return 0.0
    y = _floor(x / 45.0)
    z = y - math.ldexp(_floor(math.ldexp(y, -4)), 4)
    octant = int(z) if z == z else -(2 ** 31)  # C's (int) of NaN on x86-64
    if octant & 1:
        octant += 1
        y += 1.0
    octant &= 7
    if octant > 3:
        sign = -sign
        octant -= 4
    if cosine and octant > 1:
        sign = -sign
    z = (x - y * 45.0) * _RADIANS_PER_DEGREE
    zz = z * z
    if (octant in (1, 2)) != cosine:
        value = 1.0 - zz * _polynomial(zz, _COS_COEFFICIENTS)
    else:
        value = z + z * (zz * _polynomial(zz, _SIN_COEFFICIENTS))
    return -value if sign < 0 else value


def _degrees_type(name, angle):
    """The loop type numpy picks for ``scipy.special.cosdg`` / ``sindg`` (``name``), which
    have loops d->d and f->f: an exact match first (float32), else the first safe cast in
    the order d, f; anything else is numpy's TypeError."""
    dtype = np.asarray(angle).dtype
    if dtype == np.float32:
        return np.float32
    if np.can_cast(dtype, np.float64, "safe"):
        return np.float64
    if np.can_cast(dtype, np.float32, "safe"):
        return np.float32
    raise TypeError(f"ufunc '{name}' not supported for the input types, and the inputs "
                    "could not be safely coerced to any supported types according to "
                    "the casting rule ''safe''")


def _degrees_ufunc(name, angle, cosine):
    """``scipy.special.cosdg`` / ``sindg`` as ufuncs (values and result types)."""
    kind = _degrees_type(name, angle)
    a = np.asarray(angle)
    values = [kind(_degrees(float(v), cosine)) for v in a.astype(np.float64).reshape(-1)]
    result = np.array(values, dtype=kind).reshape(a.shape)
    return result[()]


# --------------------------------------------------------------------------------------
# Spline filters
# --------------------------------------------------------------------------------------

def _spline_output_checks(source_part, output, complex_input, length):
    """scipy's line buffers reject unsupported element types, unless the axis is empty."""
    if length < 1:
        return
    if dtype_code(source_part.dtype) is None:
        raise _array_type_error(source_part.dtype)
    out_part = output.real if complex_input else output
    if dtype_code(out_part.dtype) is None:
        raise _array_type_error(out_part.dtype)


def spline_filter1d(input, order=3, axis=-1, output=np.float64, mode="mirror", *,
                    workers=None):
    """Calculate a 1-D spline filter along the given axis
    (``scipy.ndimage.spline_filter1d``): B-spline coefficients of ``order`` for boundary
    ``mode`` (orders 0 and 1: a plain NumPy copy). Integer outputs truncate.
    """
    _check_order(order)
    input = np.asarray(input)
    complex_input = np.iscomplexobj(input)
    output = new_output(output, input, complex_output=complex_input)
    if order in [0, 1]:
        if complex_input:
            output.real[...] = np.array(input.real)
            output.imag[...] = np.array(input.imag)
        else:
            output[...] = np.array(input)
        return output
    part = input.real if complex_input else input
    mode = mode_code(mode)
    axis = normalize_axis(axis, input.ndim)
    # scipy's C argument parsing: order, axis, then the output.
    order = operator.index(order)
    axis = operator.index(axis)
    check_writeable(output)
    _spline_output_checks(part, output, complex_input, input.shape[axis])
    if input.size == 0:
        return output  # scipy's line buffer reads nothing (whatever the element types)
    call(_capi.ndi_spline_filter1d, input, Output(output), order, axis, mode,
         workers=workers)
    return output


def spline_filter(input, order=3, output=np.float64, mode="mirror", *, workers=None):
    """Multidimensional spline filter (``scipy.ndimage.spline_filter``): ``spline_filter1d``
    along every axis in turn, each pass stored in the output's type (so integer outputs
    truncate between passes), as in scipy.
    """
    if order < 2 or order > 5:
        raise RuntimeError("spline order not supported")
    input = np.asarray(input)
    complex_input = np.iscomplexobj(input)
    output = new_output(output, input, complex_output=complex_input)
    if input.ndim == 0:
        if complex_input:
            output.real[...] = input.real[...]
            output.imag[...] = input.imag[...]
        else:
            output[...] = input[...]
        return output
    part = input.real if complex_input else input
    mode = mode_code(mode)
    order = operator.index(order)
    check_writeable(output)
    for axis in range(input.ndim):
        # Pass `axis` reads the input (axis 0) or the output of the previous pass.
        _spline_output_checks(part if axis == 0 else (output.real if complex_input
                                                      else output),
                              output, complex_input, input.shape[axis])
    if input.size == 0:
        return output  # scipy's line buffers read nothing (whatever the element types)
    call(_capi.ndi_spline_filter, input, Output(output), order, mode,
         workers=workers)
    return output
