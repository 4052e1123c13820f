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
                     nan_policy, stacklevel=3):
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
            if not footprint.any():
                # scipy filters over no element and crashes; the error it gives without a
                # structure.
                raise ValueError("All-zero footprint is not supported.")
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
        plan.sizes = sizes
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
    if input.size:
        # (scipy's n-dimensional loop never looks at the types of an empty array)
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


# --------------------------------------------------------------------------------------
# rank / median / percentile
# --------------------------------------------------------------------------------------

def _expand_footprint(ndim, axes, footprint):
    if len(axes) < ndim:
        if footprint.ndim != len(axes):
            raise RuntimeError(f"footprint.ndim ({footprint.ndim}) must match "
                               f"len(axes) ({len(axes)})")
        footprint = np.expand_dims(footprint, tuple(ax for ax in range(ndim) if ax not in axes))
    return footprint


def _expand_origin(ndim, axes, origin):
    origins = per_axis(origin, len(axes))
    if len(axes) < ndim:
        full = [0] * ndim
        for o, ax in zip(origins, axes):
            full[ax] = o
        origins = full
    return origins


def _expand_mode(ndim, axes, mode):
    if _is_sequence(mode):
        modes = per_axis(mode, len(axes))
        full = ["constant"] * ndim
        for m, ax in zip(modes, axes):
            full[ax] = m
        mode = full
    return mode


def _rank_1d_work_dtype(dtype):
    """The type scipy's 1-D rank path computes in, or its error."""
    if dtype in (np.int64, np.float64, np.float32) or dtype == np.float16:
        return np.dtype(np.float32) if dtype == np.float16 else dtype
    if np.result_type(dtype, np.int64) == np.int64 or dtype.kind in "biu":
        return np.dtype(np.int64)
    raise RuntimeError("Unsupported array type")


def _rank_filter(input, rank, size, footprint, output, mode, cval, origin, operation, axes,
                 workers, nan_policy):
    """scipy's ``_filters._rank_filter``: its checks in its order, then one call of
    ``ndi_rank_filter``, ``ndi_median_filter`` or ``ndi_percentile_filter`` (which choose
    scipy's path themselves)."""
    if (size is not None) and (footprint is not None):
        warnings.warn("ignoring size because footprint is set", UserWarning, stacklevel=3)
    input = np.asarray(input)
    if np.iscomplexobj(input):
        raise TypeError("Complex type not supported")
    axes = resolve_axes(axes, input.ndim)
    num_axes = len(axes)
    if footprint is None:
        if size is None:
            raise RuntimeError("no footprint or filter size provided")
        sizes = per_axis(size, num_axes)
        footprint = np.ones(sizes, dtype=bool)
    else:
        footprint = np.asarray(footprint, dtype=bool)
    given_footprint, given_origins, given_mode = footprint, per_axis(origin, num_axes), mode
    footprint = _expand_footprint(input.ndim, axes, footprint)
    origins = _expand_origin(input.ndim, axes, origin)
    mode = _expand_mode(input.ndim, axes, mode)
    fshape = [ii for ii in footprint.shape if ii > 0]
    if len(fshape) != input.ndim:
        raise RuntimeError(f"footprint.ndim ({footprint.ndim}) must match "
                           f"len(axes) ({len(axes)})")
    for o, lenf in zip(origins, fshape):
        if (lenf // 2 + o < 0) or (lenf // 2 + o >= lenf):
            raise ValueError("invalid origin")
    if not footprint.flags.contiguous:
        footprint = footprint.copy()
    filter_size = int(np.where(footprint, 1, 0).sum())
    selection = rank
    if operation == "median":
        rank = filter_size // 2
    elif operation == "percentile":
        percentile = rank
        if percentile < 0.0:
            percentile += 100.0
        if percentile < 0 or percentile > 100:
            raise RuntimeError("invalid percentile")
        if percentile == 100.0:
            rank = filter_size - 1
        else:
            rank = int(float(filter_size) * percentile / 100.0)
        selection = as_double(selection)
    if rank < 0:
        rank += filter_size
    if rank < 0 or rank >= filter_size:
        raise RuntimeError("rank not within filter footprint size")
    nan_policy_code(nan_policy)
    if rank == 0 or rank == filter_size - 1:
        # scipy: minimum_filter / maximum_filter with the expanded arguments.
        plan = _plan_min_or_max(input, None, footprint, None, output, mode, cval, origins,
                                None, nan_policy, stacklevel=5)
        output, cval = plan.output, plan.cval
        if plan.separable and not plan.passes:
            output[...] = input
            return output
        if plan.separable:
            # One mode per filtered axis: the pass's, or any valid one where scipy drops the
            # axis (it never reads that mode).
            codes = {axis: code for axis, _, _, code in plan.passes}
            c_modes = [codes.get(ax, _capi.NDI_MODE_REFLECT) for ax in axes]
            if not _is_sequence(given_mode):
                c_modes = [mode_code(given_mode)]
        else:
            c_modes = [plan.mode]
    else:
        output = new_output(output, input)
        if _is_sequence(mode):
            raise RuntimeError("A sequence of modes is not supported by non-separable rank "
                               "filters")
        c_modes = [mode_code(mode)]
        lim2 = input.size - ((footprint.size - 1) // 2 - origins[-1])
        if input.ndim == 1 and ((lim2 >= 0) or (input.size == 1)):
            work = _rank_1d_work_dtype(input.dtype)
            cval = float(work.type(cval))
            if input.dtype == np.float16:
                # scipy ranks float16 as float32 and casts the result back.
                result = np.empty(input.shape, np.float32)
                _call_rank(operation, selection, input.astype(np.float32), result,
                           given_footprint, axes, given_origins, c_modes, cval, workers,
                           nan_policy)
                np.copyto(output, result, casting="unsafe")
                return output
        else:
            check_writeable(output)
            cval = as_double(cval)
            if input.size:
                _check_offset_dtypes(input, output)
    check_writeable(output)
    if input.size == 0:
        return output
    _call_rank(operation, selection, input, output, given_footprint, axes, given_origins,
               c_modes, cval, workers, nan_policy)
    return output


def _call_rank(operation, selection, input, output, footprint, axes, origins, modes, cval,
               workers, nan_policy):
    origins = [operator.index(o) for o in origins]
    axes = list(axes)
    common = (footprint, None, axes, len(axes), origins, modes, len(modes), float(cval))
    if operation == "median":
        call(_capi.ndi_median_filter, input, Output(output), *common, workers=workers,
             nan_policy=nan_policy)
    elif operation == "percentile":
        call(_capi.ndi_percentile_filter, input, Output(output), selection, *common,
             workers=workers, nan_policy=nan_policy)
    else:
        call(_capi.ndi_rank_filter, input, Output(output), selection, *common,
             workers=workers, nan_policy=nan_policy)


def rank_filter(input, rank, size=None, footprint=None, output=None, mode="reflect",
                cval=0.0, origin=0, *, axes=None, workers=None, nan_policy=None):
    """Calculate a multidimensional rank filter (``scipy.ndimage.rank_filter``;
    ``ndi_rank_filter``).

    ``nan_policy`` (keyword-only, beyond scipy): None for scipy's result, ``'propagate'``
    (NaN where the window holds one) or ``'omit'`` (the ``rank``-th of the window's non-NaN
    values, counted from the largest for a negative rank; NaN when there are too few; ranks
    0 and ``k - 1`` are the minimum and maximum of the non-NaN values).
    """
    rank = operator.index(rank)
    return _rank_filter(input, rank, size, footprint, output, mode, cval, origin, "rank",
                        axes, workers, nan_policy)


def median_filter(input, size=None, footprint=None, output=None, mode="reflect", cval=0.0,
                  origin=0, *, axes=None, workers=None, nan_policy=None):
    """Calculate a multidimensional median filter (``scipy.ndimage.median_filter``;
    ``ndi_median_filter``): rank ``k // 2`` of the footprint's ``k`` elements.
    ``nan_policy='omit'``: the (upper) median of the window's non-NaN values."""
    return _rank_filter(input, 0, size, footprint, output, mode, cval, origin, "median",
                        axes, workers, nan_policy)


def percentile_filter(input, percentile, size=None, footprint=None, output=None,
                      mode="reflect", cval=0.0, origin=0, *, axes=None, workers=None,
                      nan_policy=None):
    """Calculate a multidimensional percentile filter
    (``scipy.ndimage.percentile_filter``; ``ndi_percentile_filter``).
    ``nan_policy='omit'``: the percentile of the window's non-NaN values."""
    return _rank_filter(input, percentile, size, footprint, output, mode, cval, origin,
                        "percentile", axes, workers, nan_policy)


# --------------------------------------------------------------------------------------
# grey morphology
# --------------------------------------------------------------------------------------

def _reversed(array):
    return array[tuple([slice(None, None, -1)] * array.ndim)]


def _grey_plan(dilation, input, size, footprint, structure, output, mode, cval, origin, axes,
               nan_policy):
    """scipy's ``grey_erosion`` / ``grey_dilation`` checks (dilation's reflection and origin
    rule included), as a plan whose ``c_args`` are the C arguments (the footprint,
    structure and origins as given: the library reflects for dilation)."""
    if size is None and footprint is None and structure is None:
        raise ValueError("size, footprint, or structure must be specified")
    given_footprint, given_structure = footprint, structure
    input = np.asarray(input)
    if dilation:
        if structure is not None:
            structure = _reversed(np.asarray(structure))
        if footprint is not None:
            footprint = _reversed(np.asarray(footprint))
        axes = resolve_axes(axes, input.ndim)
        origin = per_axis(origin, len(axes))
        given_origins = list(origin)
        for ii in range(len(origin)):
            origin[ii] = -origin[ii]
            if footprint is not None:
                sz = footprint.shape[ii]
            elif structure is not None:
                sz = structure.shape[ii]
            elif np.isscalar(size):
                sz = size
            else:
                sz = size[ii]
            if not sz & 1:
                origin[ii] -= 1
    plan = _plan_min_or_max(input, size, footprint, structure, output, mode, cval, origin,
                            axes, nan_policy, stacklevel=4)
    k = len(plan.axes)
    if not dilation:
        given_origins = per_axis(origin, k)
    if plan.separable:
        passed = set(plan.index)
        sizes = [int(plan.sizes[i]) if i in passed else 1 for i in range(k)]
        origins = [operator.index(given_origins[i]) if i in passed else 0 for i in range(k)]
        codes = dict(zip(plan.index, (p[3] for p in plan.passes)))
        modes = [codes.get(i, _capi.NDI_MODE_REFLECT) for i in range(k)]
        cval = plan.cval if plan.passes else 0.0
        plan.c_args = (None, None, sizes, list(plan.axes), k, origins, modes, k, cval)
    else:
        fp = None if given_footprint is None else np.asarray(given_footprint, dtype=bool)
        st = None if given_structure is None else np.asarray(given_structure, dtype=np.float64)
        origins = [operator.index(o) for o in given_origins]
        plan.c_args = (fp, st, None, list(plan.axes), k, origins, [plan.mode], 1, plan.cval)
    return plan


def _grey_call(function, plan, source, output, workers, nan_policy):
    """Calls a ``ndi_grey_*`` function with a plan's C arguments (a 0-d array as one
    element)."""
    if source.ndim == 0:
        source, output = source.reshape(1), output.reshape(1)
        plan.c_args = (None, None, [1], None, 0, None, [_capi.NDI_MODE_REFLECT], 1, 0.0)
    if source.size == 0:
        return
    if plan.separable and any(1 < s < 2 for s in plan.sizes
                              if isinstance(s, (float, np.floating))):
        raise NotImplementedError("a float size between 1 and 2")  # pragma: no cover
    call(function, source, Output(output), *plan.c_args, workers=workers,
         nan_policy=nan_policy)


def _has_fractional_pass(plan):
    return plan.separable and any(size < 2 for _, size, _, _ in plan.passes)


def grey_erosion(input, size=None, footprint=None, structure=None, output=None,
                 mode="reflect", cval=0.0, origin=0, *, axes=None, workers=None,
                 nan_policy=None):
    """Calculate a greyscale erosion (``scipy.ndimage.grey_erosion``; ``ndi_grey_erosion``).
    ``nan_policy`` (keyword-only, beyond scipy) as in :func:`minimum_filter1d`."""
    plan = _grey_plan(False, input, size, footprint, structure, output, mode, cval, origin,
                      axes, nan_policy)
    if plan.separable and (not plan.passes or _has_fractional_pass(plan)):
        return _run_min_or_max(plan, True, workers, nan_policy)
    _grey_call(_capi.ndi_grey_erosion, plan, plan.input, plan.output, workers, nan_policy)
    return plan.output


def grey_dilation(input, size=None, footprint=None, structure=None, output=None,
                  mode="reflect", cval=0.0, origin=0, *, axes=None, workers=None,
                  nan_policy=None):
    """Calculate a greyscale dilation (``scipy.ndimage.grey_dilation``;
    ``ndi_grey_dilation``). ``nan_policy`` as in :func:`grey_erosion`."""
    plan = _grey_plan(True, input, size, footprint, structure, output, mode, cval, origin,
                      axes, nan_policy)
    if plan.separable and not plan.passes:
        plan.output[...] = plan.input
        return plan.output
    _grey_call(_capi.ndi_grey_dilation, plan, plan.input, plan.output, workers, nan_policy)
    return plan.output


def _stand_in(array):
    """An array of ``array``'s shape and type without memory (for checking the second step
    of a composition, whose input scipy allocates)."""
    return np.broadcast_to(np.zeros((), array.dtype), array.shape)


def _numpy_check(function, a, b, out):
    """Raises what numpy raises for ``function(a, b, out=out)`` with these dtypes."""
    empty = [np.empty(0, d) for d in (a, b, out)]
    function(empty[0], empty[1], out=empty[2])


def _composition(function, first_dilation, input, size, footprint, structure, output, mode,
                 cval, origin, axes, workers, nan_policy):
    """grey_opening (erosion then dilation) and grey_closing: both steps' checks, one call."""
    if (size is not None) and (footprint is not None):
        warnings.warn("ignoring size because footprint is set", UserWarning, stacklevel=3)
    first = _grey_plan(first_dilation, input, size, footprint, structure, None, mode, cval,
                       origin, axes, nan_policy)
    second = _grey_plan(not first_dilation, _stand_in(first.input), size, footprint,
                        structure, output, mode, cval, origin, axes, nan_policy)
    _grey_call(function, first, first.input, second.output, workers, nan_policy)
    return second.output


def grey_opening(input, size=None, footprint=None, structure=None, output=None,
                 mode="reflect", cval=0.0, origin=0, *, axes=None, workers=None,
                 nan_policy=None):
    """Multidimensional greyscale opening (``scipy.ndimage.grey_opening``;
    ``ndi_grey_opening``): the dilation of the erosion."""
    return _composition(_capi.ndi_grey_opening, False, input, size, footprint, structure,
                        output, mode, cval, origin, axes, workers, nan_policy)


def grey_closing(input, size=None, footprint=None, structure=None, output=None,
                 mode="reflect", cval=0.0, origin=0, *, axes=None, workers=None,
                 nan_policy=None):
    """Multidimensional greyscale closing (``scipy.ndimage.grey_closing``;
    ``ndi_grey_closing``): the erosion of the dilation."""
    return _composition(_capi.ndi_grey_closing, True, input, size, footprint, structure,
                        output, mode, cval, origin, axes, workers, nan_policy)


def morphological_gradient(input, size=None, footprint=None, structure=None, output=None,
                           mode="reflect", cval=0.0, origin=0, *, axes=None, workers=None,
                           nan_policy=None):
    """Multidimensional morphological gradient (``scipy.ndimage.morphological_gradient``;
    ``ndi_morphological_gradient``): dilation minus erosion, with numpy's arithmetic. As in
    scipy, an ``output`` that is not an array is ignored (the result has the input's type)."""
    dil = _grey_plan(True, input, size, footprint, structure, None, mode, cval, origin, axes,
                     nan_policy)
    if isinstance(output, np.ndarray):
        ero = _grey_plan(False, input, size, footprint, structure, output, mode, cval, origin,
                         axes, nan_policy)
    else:
        ero = _grey_plan(False, input, size, footprint, structure, None, mode, cval, origin,
                         axes, nan_policy)
    out = ero.output
    _numpy_check(np.subtract, dil.output.dtype, out.dtype, out.dtype)
    _grey_call(_capi.ndi_morphological_gradient, ero, ero.input, out, workers, nan_policy)
    return out


def morphological_laplace(input, size=None, footprint=None, structure=None, output=None,
                          mode="reflect", cval=0.0, origin=0, *, axes=None, workers=None,
                          nan_policy=None):
    """Multidimensional morphological laplace (``scipy.ndimage.morphological_laplace``;
    ``ndi_morphological_laplace``): ``dilation + erosion - 2 * input``, step by step with
    numpy's arithmetic. An ``output`` that is not an array is ignored, as in scipy."""
    input = np.asarray(input)
    dil = _grey_plan(True, input, size, footprint, structure, None, mode, cval, origin, axes,
                     nan_policy)
    target = output if isinstance(output, np.ndarray) else None
    ero = _grey_plan(False, input, size, footprint, structure, target, mode, cval, origin,
                     axes, nan_policy)
    out = ero.output
    _numpy_check(np.add, dil.output.dtype, out.dtype, out.dtype)
    _numpy_check(np.subtract, out.dtype, input.dtype, out.dtype)
    _grey_call(_capi.ndi_morphological_laplace, ero, ero.input, out, workers, nan_policy)
    return out


def _tophat(function, white, input, size, footprint, structure, output, mode, cval, origin,
            axes, workers, nan_policy):
    input = np.asarray(input)
    if (size is not None) and (footprint is not None):
        warnings.warn("ignoring size because footprint is set", UserWarning, stacklevel=3)
    first = _grey_plan(not white, input, size, footprint, structure, None, mode, cval,
                       origin, axes, nan_policy)
    second = _grey_plan(white, _stand_in(first.input), size, footprint, structure, output,
                        mode, cval, origin, axes, nan_policy)
    out = second.output
    if not (input.dtype == np.bool_ and out.dtype == np.bool_):
        if white:
            _numpy_check(np.subtract, input.dtype, out.dtype, out.dtype)
        else:
            _numpy_check(np.subtract, out.dtype, input.dtype, out.dtype)
    _grey_call(function, first, first.input, out, workers, nan_policy)
    return out


def white_tophat(input, size=None, footprint=None, structure=None, output=None,
                 mode="reflect", cval=0.0, origin=0, *, axes=None, workers=None,
                 nan_policy=None):
    """Multidimensional white tophat filter (``scipy.ndimage.white_tophat``;
    ``ndi_white_tophat``): input minus its opening (xor for bools), numpy's arithmetic."""
    return _tophat(_capi.ndi_white_tophat, True, input, size, footprint, structure, output,
                   mode, cval, origin, axes, workers, nan_policy)


def black_tophat(input, size=None, footprint=None, structure=None, output=None,
                 mode="reflect", cval=0.0, origin=0, *, axes=None, workers=None,
                 nan_policy=None):
    """Multidimensional black tophat filter (``scipy.ndimage.black_tophat``;
    ``ndi_black_tophat``): the closing minus the input (xor for bools), numpy's arithmetic."""
    return _tophat(_capi.ndi_black_tophat, False, input, size, footprint, structure, output,
                   mode, cval, origin, axes, workers, nan_policy)
