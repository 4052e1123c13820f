"""The order-statistic filters and grey morphology: scipy 1.17.1's Python layer (argument
handling, warnings, errors, in its order) over libndimage's ``ndi_minimum_filter1d``,
``ndi_minimum_filter``, ``ndi_rank_filter``, ``ndi_grey_erosion``, ... The public names are
re-exported by :mod:`.filters` and :mod:`.morphology`.
"""

import operator
import warnings
from collections.abc import Iterable

import numpy as np

from . import _capi
from ._support import (Output, as_double, call, check_writeable, dtype_code, mode_code,
                       nan_policy_code, native, new_output, per_axis, resolve_axes)

try:
    from numpy.lib.array_utils import normalize_axis_index
except ImportError:  # pragma: no cover - numpy < 2
    from numpy.core.multiarray import normalize_axis_index


def _is_sequence(mode):
    return not isinstance(mode, str) and isinstance(mode, Iterable)


def _check_line_dtypes(*arrays):
    """The line filters' element-type check (scipy's message)."""
    for a in arrays:
        if dtype_code(a.dtype) is None:
            raise RuntimeError(f"array type {native(a.dtype)!r} not supported")


def _check_offset_dtypes(*arrays):
    """The n-dimensional filters' element-type check (scipy's message)."""
    for a in arrays:
        if dtype_code(a.dtype) is None:
            raise RuntimeError("array type not supported")


def _c_modes(modes):
    return [mode_code(m) for m in modes]


# --------------------------------------------------------------------------------------
# minimum / maximum
# --------------------------------------------------------------------------------------

def _extreme_1d(function, input, size, axis, output, mode, cval, origin, workers,
                nan_policy):
    input = np.asarray(input)
    if np.iscomplexobj(input):
        raise TypeError("Complex type not supported")
    axis = normalize_axis_index(axis, input.ndim)
    if size < 1:
        raise RuntimeError("incorrect filter size")
    output = new_output(output, input)
    if (size // 2 + origin < 0) or (size // 2 + origin >= size):
        raise ValueError("invalid origin")
    mode = mode_code(mode)
    # What scipy's C layer checks, in its order.
    size = operator.index(size)
    check_writeable(output)
    cval = as_double(cval)
    origin = operator.index(origin)
    nan_policy_code(nan_policy)
    _check_line_dtypes(input, output)
    call(function, input, Output(output), size, axis, origin, mode, cval, workers=workers,
         nan_policy=nan_policy)
    return output


def minimum_filter1d(input, size, axis=-1, output=None, mode="reflect", cval=0.0, origin=0,
                     *, workers=None, nan_policy=None):
    """Calculate a 1-D minimum filter along the given axis
    (``scipy.ndimage.minimum_filter1d``; ``ndi_minimum_filter1d``).

    ``nan_policy`` (keyword-only, beyond scipy): None for scipy's result, ``'propagate'``
    (NaN where the window holds one) or ``'omit'`` (the minimum of the window's non-NaN
    values, NaN when there are none). Returns the filtered array (``output`` itself when an
    array was given).
    """
    return _extreme_1d(_capi.ndi_minimum_filter1d, input, size, axis, output, mode, cval,
                       origin, workers, nan_policy)


def maximum_filter1d(input, size, axis=-1, output=None, mode="reflect", cval=0.0, origin=0,
                     *, workers=None, nan_policy=None):
    """Calculate a 1-D maximum filter along the given axis
    (``scipy.ndimage.maximum_filter1d``; ``ndi_maximum_filter1d``). ``nan_policy`` as in
    :func:`minimum_filter1d`."""
    return _extreme_1d(_capi.ndi_maximum_filter1d, input, size, axis, output, mode, cval,
                       origin, workers, nan_policy)


class _Plan:
    """scipy's ``_min_or_max_filter`` arguments, checked in its order before anything is
    written: ``passes`` (separable: (axis, size, origin, mode code) per pass, empty for a
    copy) or the footprint path's ``footprint``, ``structure``, ``origins`` (one per axis of
    ``axes``) and ``mode``; ``index`` maps each pass to its position in ``axes``."""


def _plan_min_or_max(input, size, footprint, structure, output, mode, cval, origin, axes,
                     nan_policy, stacklevel=4):
    if (size is not None) and (footprint is not None):
        warnings.warn("ignoring size because footprint is set", UserWarning,
                      stacklevel=stacklevel)
    if structure is None:
        if footprint is None:
            if size is None:
                raise RuntimeError("no footprint provided")
            separable = True
        else:
            footprint = np.asarray(footprint, dtype=bool)
            if not footprint.any():
                raise ValueError("All-zero footprint is not supported.")
            if footprint.all():
                size = footprint.shape
                footprint = None
                separable = True
            else:
                separable = False
    else:
        structure = np.asarray(structure, dtype=np.float64)
        separable = False
        if footprint is None:
            footprint = np.ones(structure.shape, bool)
        else:
            footprint = np.asarray(footprint, dtype=bool)
    input = np.asarray(input)
    if np.iscomplexobj(input):
        raise TypeError("Complex type not supported")
    output = new_output(output, input)
    axes = resolve_axes(axes, input.ndim)
    num_axes = len(axes)
    nan_policy_code(nan_policy)
    plan = _Plan()
    plan.input, plan.output, plan.axes, plan.separable = input, output, axes, separable
    if separable:
        origins = per_axis(origin, num_axes)
        sizes = per_axis(size, num_axes)
        modes = per_axis(mode, num_axes)
        # scipy runs minimum_filter1d / maximum_filter1d once per axis of size > 1: the same
        # checks, in the same order (here all before the first pass writes).
        plan.passes, plan.index = [], []
        for ii in range(num_axes):
            if not sizes[ii] > 1:
                continue
            pass_size = int(sizes[ii])
            if (pass_size // 2 + origins[ii] < 0) or \
                    (pass_size // 2 + origins[ii] >= pass_size):
                raise ValueError("invalid origin")
            code = mode_code(modes[ii])
            check_writeable(output)
            as_double(cval)
            plan.passes.append((axes[ii], pass_size, operator.index(origins[ii]), code))
            plan.index.append(ii)
        plan.cval = as_double(cval) if plan.passes else cval
        if plan.passes:
            _check_line_dtypes(input, output)
        return plan

    # The footprint path: scipy's checks on the footprint expanded to the input's rank.
    if num_axes < input.ndim and footprint.ndim != num_axes:
        raise RuntimeError(f"footprint.ndim ({footprint.ndim}) must match "
                           f"len(axes) ({num_axes})")
    origins = per_axis(origin, num_axes)
    expanded, full_origins = footprint, origins
    if num_axes < input.ndim:
        expanded = np.expand_dims(footprint,
                                  tuple(ax for ax in range(input.ndim) if ax not in axes))
        full_origins = [0] * input.ndim
        for o, ax in zip(origins, axes):
            full_origins[ax] = o
    fshape = [ii for ii in expanded.shape if ii > 0]
    if len(fshape) != input.ndim:
        raise RuntimeError(f"footprint.ndim ({expanded.ndim}) must match "
                           f"len(axes) ({num_axes})")
    for o, lenf in zip(full_origins, fshape):
        if (lenf // 2 + o < 0) or (lenf // 2 + o >= lenf):
            raise ValueError("invalid origin")
    if structure is not None:
        if len(structure.shape) != num_axes:
            raise RuntimeError("structure array has incorrect shape")
        if structure.shape != footprint.shape:
            # scipy reads the structure by the footprint's element index (out of bounds when
            # it is smaller); libndimage requires the same shape.
            raise RuntimeError("structure array has incorrect shape")
    if _is_sequence(mode):
        raise RuntimeError("A sequence of modes is not supported for non-separable "
                           "footprints")
    plan.mode = mode_code(mode)
    check_writeable(output)
    plan.cval = as_double(cval)
    plan.origins = [operator.index(o) for o in origins]
    plan.footprint, plan.structure = footprint, structure
    _check_offset_dtypes(input, output)
    return plan


def _run_min_or_max(plan, minimum, workers, nan_policy):
    """Runs a plan of :func:`_plan_min_or_max` with ``ndi_minimum_filter`` or
    ``ndi_maximum_filter`` (no structure)."""
    input, output = plan.input, plan.output
    if plan.separable:
        if not plan.passes:
            output[...] = input
            return output
        if any(size < 2 for _, size, _, _ in plan.passes):
            # A float size between 1 and 2: scipy runs a size-1 pass (a copy through the
            # filter's store), which only the 1-D function can express.
            function = (_capi.ndi_minimum_filter1d if minimum else
                        _capi.ndi_maximum_filter1d)
            source = input
            for axis, size, origin, code in plan.passes:
                call(function, source, Output(output), size, axis, origin, code, plan.cval,
                     workers=workers, nan_policy=nan_policy)
                source = output
            return output
        function = _capi.ndi_minimum_filter if minimum else _capi.ndi_maximum_filter
        p = plan.passes
        call(function, input, Output(output), None, [q[1] for q in p], [q[0] for q in p],
             len(p), [q[2] for q in p], [q[3] for q in p], len(p), plan.cval,
             workers=workers, nan_policy=nan_policy)
        return output
    if input.size == 0:
        return output
    function = _capi.ndi_minimum_filter if minimum else _capi.ndi_maximum_filter
    axes = list(plan.axes)
    call(function, input, Output(output), plan.footprint, None, axes, len(axes),
         plan.origins, [plan.mode], 1, plan.cval, workers=workers, nan_policy=nan_policy)
    return output


def minimum_filter(input, size=None, footprint=None, output=None, mode="reflect", cval=0.0,
                   origin=0, *, axes=None, workers=None, nan_policy=None):
    """Calculate a multidimensional minimum filter (``scipy.ndimage.minimum_filter``;
    ``ndi_minimum_filter``). ``nan_policy`` as in :func:`minimum_filter1d`."""
    plan = _plan_min_or_max(input, size, footprint, None, output, mode, cval, origin, axes,
                            nan_policy)
    return _run_min_or_max(plan, True, workers, nan_policy)


def maximum_filter(input, size=None, footprint=None, output=None, mode="reflect", cval=0.0,
                   origin=0, *, axes=None, workers=None, nan_policy=None):
    """Calculate a multidimensional maximum filter (``scipy.ndimage.maximum_filter``;
    ``ndi_maximum_filter``). ``nan_policy`` as in :func:`minimum_filter1d`."""
    plan = _plan_min_or_max(input, size, footprint, None, output, mode, cval, origin, axes,
                            nan_policy)
    return _run_min_or_max(plan, False, workers, nan_policy)
