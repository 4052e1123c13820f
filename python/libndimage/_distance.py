"""scipy.ndimage's distance transforms on libndimage's ``ndi_distance_transform_*`` functions
(re-exported by :mod:`libndimage.morphology`).

Differences from scipy 1.17.1 (deliberate)
-------------------------------------------
* An input without any zero (background) element: ``distance_transform_edt`` gives +inf
  distances and -1 indices (scipy returns numbers computed from its initial feature values:
  ``[1, 1.41, 2.24, ...]`` and indices -1 and 0); ``distance_transform_bf`` gives +inf
  (Euclidean; the uint32 metrics keep scipy's 4294967295) and -1 indices (scipy: 0 and
  ``sqrt(DBL_MAX)``). The same holds where every squared distance overflows (sampling near
  1e154 and beyond).
* ``distance_transform_cdt`` reads a ``metric`` array as ``metric != 0`` (scipy reads its raw
  bytes as bools, so a metric of another type than bool, int8 or uint8 gives wrong
  distances), and rejects a metric whose rank differs from the input's with ``ValueError``
  (scipy reads outside the metric's shape and returns garbage).
* ``distance_transform_cdt`` and ``distance_transform_bf`` write the coordinates into a
  supplied ``indices`` array; scipy gathers them from that array's own contents (zeros in,
  zeros out).
* Supplied ``distances``/``indices`` arrays are checked before anything is computed, so an
  invalid one leaves the other untouched (scipy may have filled it already); the errors and
  their order are scipy's.
"""

import numpy as np

from . import _capi
from ._support import Output, call, dtype_code, per_axis

__all__ = ["distance_transform_bf", "distance_transform_cdt", "distance_transform_edt"]


def _arg_check(distances_out, indices_out, return_distances, return_indices):
    """scipy's ``_distance_tranform_arg_check``."""
    error_msgs = []
    if (not return_distances) and (not return_indices):
        error_msgs.append("at least one of return_distances/return_indices must be True")
    if distances_out and not return_distances:
        error_msgs.append("return_distances must be True if distances is supplied")
    if indices_out and not return_indices:
        error_msgs.append("return_indices must be True if indices is supplied")
    if error_msgs:
        raise RuntimeError(", ".join(error_msgs))


def _result(return_distances, dt_inplace, dt, return_indices, ft_inplace, ft):
    result = []
    if return_distances and not dt_inplace:
        result.append(dt)
    if return_indices and not ft_inplace:
        result.append(ft)
    if len(result) == 2:
        return tuple(result)
    if len(result) == 1:
        return result[0]
    return None


def _readable(input):
    """``input`` as libndimage reads it (non-zero = true), in a supported element type."""
    if dtype_code(input.dtype) is None:
        return np.asarray(input != 0)
    return input


def _sampling(sampling, ndim):
    if sampling is None:
        return None
    sampling = np.asarray(per_axis(sampling, ndim), dtype=np.float64)
    return np.ascontiguousarray(sampling)


def distance_transform_edt(input, sampling=None, return_distances=True, return_indices=False,
                           distances=None, indices=None, *, workers=None):
    """Exact Euclidean distance transform (``scipy.ndimage.distance_transform_edt``): the
    distance of every element to the nearest zero element and/or its indices."""
    ft_inplace = isinstance(indices, np.ndarray)
    dt_inplace = isinstance(distances, np.ndarray)
    _arg_check(dt_inplace, ft_inplace, return_distances, return_indices)
    source = np.atleast_1d(np.asarray(input))
    if source.dtype.kind not in "biuf" or dtype_code(source.dtype) is None:
        source = np.atleast_1d(np.where(input, 1, 0).astype(np.int8))
    ndim = source.ndim
    sampling = _sampling(sampling, ndim)
    if ft_inplace:
        if indices.shape != (ndim,) + source.shape:
            raise RuntimeError("indices array has wrong shape")
        if indices.dtype.type != np.int32:
            raise RuntimeError("indices array must be int32")
        ft = indices
    elif return_indices:
        ft = np.zeros((ndim,) + source.shape, dtype=np.int32)
    else:
        ft = None
    dt = None
    if return_distances:
        if dt_inplace:
            if distances.shape != source.shape:
                raise RuntimeError("distances array has wrong shape")
            if distances.dtype.type != np.float64:
                raise RuntimeError("distances array must be float64")
            dt = distances
        else:
            dt = np.zeros(source.shape, dtype=np.float64)
    call(_capi.ndi_distance_transform_edt, source, sampling,
         None if dt is None else Output(dt), None if ft is None else Output(ft),
         workers=workers)
    return _result(return_distances, dt_inplace, dt, return_indices, ft_inplace, ft)


def distance_transform_bf(input, metric="euclidean", sampling=None, return_distances=True,
                          return_indices=False, distances=None, indices=None, *,
                          workers=None):
    """Distance transform by brute force (``scipy.ndimage.distance_transform_bf``)."""
    ft_inplace = isinstance(indices, np.ndarray)
    dt_inplace = isinstance(distances, np.ndarray)
    _arg_check(dt_inplace, ft_inplace, return_distances, return_indices)
    truth = np.asarray(input) != 0
    ndim = truth.ndim
    metric = metric.lower()
    codes = {"euclidean": _capi.NDI_METRIC_EUCLIDEAN, "taxicab": _capi.NDI_METRIC_TAXICAB,
             "cityblock": _capi.NDI_METRIC_TAXICAB, "manhattan": _capi.NDI_METRIC_TAXICAB,
             "chessboard": _capi.NDI_METRIC_CHESSBOARD}
    if metric not in codes:
        raise RuntimeError("distance metric not supported")
    code = codes[metric]
    sampling = _sampling(sampling, ndim)
    euclidean = code == _capi.NDI_METRIC_EUCLIDEAN
    dt = None
    if return_distances:
        if distances is None:
            dt = np.zeros(truth.shape, dtype=np.float64 if euclidean else np.uint32)
        else:
            if distances.shape != truth.shape:
                raise RuntimeError("distances array has wrong shape")
            if euclidean:
                if distances.dtype.type != np.float64:
                    raise RuntimeError("distances array must be float64")
            elif distances.dtype.type != np.uint32:
                raise RuntimeError("distances array must be uint32")
            dt = distances
    ft = None
    if return_indices:
        if isinstance(indices, np.ndarray):
            if indices.dtype.type != np.int32:
                raise RuntimeError("indices array must be int32")
            if indices.shape != (ndim,) + truth.shape:
                raise RuntimeError("indices array has wrong shape")
            ft = indices
        else:
            ft = np.zeros((ndim,) + truth.shape, dtype=np.int32)
    if truth.ndim == 0:
        # One element: scipy's result (0 and its own, empty, index on the background).
        source = truth.reshape(1)
        d1 = None if dt is None else np.zeros(1, dt.dtype)
        f1 = None if ft is None else np.zeros((1, 1), np.int32)
        call(_capi.ndi_distance_transform_bf, source, code, None,
             None if d1 is None else Output(d1), None if f1 is None else Output(f1),
             workers=workers)
        if dt is not None:
            dt[...] = d1.reshape(())
    else:
        call(_capi.ndi_distance_transform_bf, truth, code, sampling,
             None if dt is None else Output(dt), None if ft is None else Output(ft),
             workers=workers)
    return _result(return_distances, dt_inplace, dt, return_indices, ft_inplace, ft)


def distance_transform_cdt(input, metric="chessboard", return_distances=True,
                           return_indices=False, distances=None, indices=None, *,
                           workers=None):
    """Chamfer distance transform (``scipy.ndimage.distance_transform_cdt``)."""
    ft_inplace = isinstance(indices, np.ndarray)
    dt_inplace = isinstance(distances, np.ndarray)
    _arg_check(dt_inplace, ft_inplace, return_distances, return_indices)
    input = np.asarray(input)
    if isinstance(metric, str):
        if metric in ["taxicab", "cityblock", "manhattan"]:
            structure = _structure(input.ndim, 1)
        elif metric == "chessboard":
            structure = _structure(input.ndim, input.ndim)
        else:
            raise ValueError("invalid metric provided")
    else:
        try:
            structure = np.asarray(metric)
        except Exception as e:
            raise ValueError("invalid metric provided") from e
        for s in structure.shape:
            if s != 3:
                raise ValueError("metric sizes must be equal to 3")
        if structure.ndim != input.ndim:
            raise ValueError(f"metric rank ({structure.ndim}) must equal the input rank "
                             f"({input.ndim})")
        if dtype_code(structure.dtype) is None:
            structure = np.asarray(structure != 0)
    if dt_inplace:
        if distances.dtype.type != np.int32:
            raise ValueError("distances must be of int32 type")
        if distances.shape != input.shape:
            raise ValueError("distances has wrong shape")
    if ft_inplace and return_indices:
        if indices.dtype.type != np.int32:
            raise ValueError("indices array must be int32")
        if indices.shape != (input.ndim,) + input.shape:
            raise ValueError("indices array has wrong shape")
    if input.ndim == 0:
        raise TypeError("WRITEBACKIFCOPY used for non-array input.")
    dt = distances if dt_inplace else np.zeros(input.shape, dtype=np.int32)
    ft = None
    if return_indices:
        ft = indices if ft_inplace else np.zeros((input.ndim,) + input.shape, dtype=np.int32)
    call(_capi.ndi_distance_transform_cdt, _readable(input), structure, Output(dt),
         None if ft is None else Output(ft), workers=workers)
    return _result(return_distances, dt_inplace, dt, return_indices, ft_inplace, ft)


def _structure(rank, connectivity):
    from ._binary import generate_binary_structure
    return generate_binary_structure(rank, connectivity)


for _function in (distance_transform_bf, distance_transform_cdt, distance_transform_edt):
    _function.__module__ = "libndimage.morphology"
del _function
