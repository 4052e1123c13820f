"""``vectorized_filter`` (scipy 1.17.1's, in ``filters``): a Python callable gets scipy's
semantics exactly; a compiled batched callback runs in libndimage (``ndi_vectorized_filter``).

vectorized_filter
-----------------
``function`` may be:

* a Python callable: called as scipy calls it, ``function(view, axis=axes)`` on chunks of a
  sliding-window view of the padded input (the window axes last; with a footprint,
  ``function(view[..., footprint], axis=-1)``), chunks bounded by ``batch_memory``, results
  in the dtype ``function`` returns, placed as scipy places them. ``workers`` and
  ``thread_safe`` do not apply (a Python callable runs on the calling thread).
* **(extension)** a compiled batched callback of prototype
  ``int f(double *windows, intptr_t n_windows, intptr_t window_size, double *results,
  void *user_data)`` (``ndi_vectorized_func``): a ``scipy.LowLevelCallable`` with signature
  ``int (double *, T, T, double *, void *)`` (``T`` as for ``generic_filter``), a ctypes,
  cffi or numba ``cfunc`` function pointer, or a bare ``PyCapsule``. scipy rejects these
  (they are not Python callables of a view). libndimage gathers the windows as doubles, a
  batch of consecutive windows of one output line per call (at most ``batch_memory`` bytes
  of windows per call, which must hold one window: ``8 * window_size`` bytes), without padding
  a copy of the input, and runs on ``workers`` threads when ``thread_safe=True``. The input
  must be real (float16 and longdouble are read as float64); the output is float64 when
  ``output`` is None, else the values are stored into ``output`` (truncated toward zero for
  integer types; other types by numpy's assignment from float64). The windows hold the values scipy's view would show the function (``cval``
  converted to the input dtype first, as ``np.pad`` does).

Differences from scipy (deliberate): ``mode='grid-mirror'`` pads like ``'reflect'`` (as every
other ndimage filter treats it), where scipy 1.17.1 pads like ``'mirror'``.
"""

import math

import numpy as np

from . import _capi
from ._callables import c_function, signatures
from ._support import Output, call, dtype_code

_SIGNATURES = signatures("int (double *, {T}, {T}, double *, void *)")

#: scipy's mode names as ``np.pad`` modes; 'grid-mirror' is 'symmetric' here (scipy 1.17.1:
#: 'reflect', i.e. ndimage's mirror).
_PAD_MODES = {"nearest": "edge", "reflect": "symmetric", "mirror": "reflect",
              "grid-mirror": "symmetric", "grid-constant": "constant", "grid-wrap": "wrap"}

#: np.pad modes as libndimage's boundary modes (the compiled path pads nothing).
_NDI_MODES = {"edge": "NDI_MODE_NEAREST", "symmetric": "NDI_MODE_REFLECT",
              "reflect": "NDI_MODE_MIRROR", "wrap": "NDI_MODE_WRAP",
              "constant": "NDI_MODE_CONSTANT"}


class _Compiled:
    """A compiled batched callback, for :func:`._support.call`."""

    failure_message = "vectorized_filter callback failed"

    def __init__(self, address, user_data, thread_safe):
        self.pointer = _capi.ndi_vectorized_func(address)
        self.user_data = user_data
        self.thread_safe = bool(thread_safe)

    def raise_error(self):
        pass  # a C callback leaves no Python exception of its own


def _compiled(function):
    """(address, user_data) of a compiled batched callback, or None for a Python callable;
    scipy's error for anything else."""
    try:
        return c_function(function, _SIGNATURES)
    except ValueError as exc:
        if str(exc) == "invalid callable given":
            raise ValueError("`function` must be a callable.") from None
        raise


def _integral(value):
    return np.isdtype(np.asarray(value).dtype, "integral")


def _arguments(input, function, size, footprint, output, mode, cval, origin, axes,
               batch_memory):
    """scipy's argument checks, in scipy's order, and what they normalise."""
    input = np.asarray(input)
    compiled = _compiled(function)
    if size is None and footprint is None:
        raise ValueError("Either `size` or `footprint` must be provided.")
    if size is not None and footprint is not None:
        raise ValueError("Either `size` or `footprint` may be provided, not both.")
    if axes is None:
        axes = tuple(range(-input.ndim, 0))
    elif np.isscalar(axes):
        axes = (axes,)
    n_axes = len(axes)
    if n_axes > input.ndim:
        raise ValueError("The length of `axes` may not exceed the dimensionality of `input`"
                         "(`input.ndim`).")
    mask = None
    if size is not None:
        size = (size,) * n_axes if np.isscalar(size) else tuple(size)
        if not all([_integral(s) and s > 0 for s in size]):
            raise ValueError("All elements of `size` must be positive integers.")
    else:
        mask = np.asarray(footprint, dtype=bool)
        size = mask.shape
    if n_axes != len(size):
        raise ValueError("`axes` must be compatible with the dimensionality of the window "
                         "specified by `size` or `footprint`.")
    if origin is None:
        origin = (0,) * n_axes
    else:
        origin = (origin,) * n_axes if np.isscalar(origin) else tuple(origin)
        if not all([_integral(o) for o in origin]):
            raise ValueError("All elements of `origin` must be integers.")
        if len(origin) != n_axes:
            raise ValueError("`origin` must be an integer or tuple of integers with length "
                             "equal to the number of axes.")
    modes = {"reflect", "constant", "nearest", "mirror", "wrap",
             "grid-mirror", "grid-constant", "grid-wrap", "valid"}
    if mode not in modes:
        raise ValueError(f"`mode` must be one of {modes}.")
    mode = _PAD_MODES.get(mode, mode)
    if mode == "valid" and any(origin):
        raise ValueError("`mode='valid'` is incompatible with use of `origin`.")
    if cval is None:
        cval = 0.0
    elif mode != "constant":
        raise ValueError("Use of `cval` is compatible only with `mode='constant'`.")
    if not np.isdtype(np.asarray(cval).dtype, "numeric"):
        raise ValueError("`cval` must include only numbers.")
    memory = np.asarray(batch_memory)
    if memory.ndim != 0 or not np.isdtype(memory.dtype, "numeric") or memory <= 0:
        raise ValueError("`batch_memory` must be positive number.")
    working = tuple(range(-n_axes, 0))
    input = np.moveaxis(input, axes, working)
    if output is not None:
        output = np.moveaxis(output, axes, working)
    return (input, compiled, size, mask, output, mode, cval, origin, axes, working,
            input.ndim - n_axes)


def vectorized_filter(input, function, *, size=None, footprint=None, output=None,
                      mode="reflect", cval=None, origin=None, axes=None, batch_memory=2**30,
                      workers=None, thread_safe=False):
    """Filter an array with a vectorized Python callable as the kernel
    (``scipy.ndimage.vectorized_filter``), or with a compiled batched callback.

    See "vectorized_filter" in ``help(libndimage)``: a Python ``function`` gets scipy's
    semantics (``function(window_view, axis=...)`` on chunks of at most ``batch_memory``
    bytes); a compiled callback of prototype ``int f(double *windows, intptr_t n_windows,
    intptr_t window_size, double *results, void *user_data)`` runs in libndimage, on
    ``workers`` threads with ``thread_safe=True``. ``mode='grid-mirror'`` pads as
    ``'reflect'`` (scipy 1.17.1: as ``'mirror'``).

    Returns the filtered array.
    """
    (input, compiled, size, mask, output, mode, cval, origin, axes, working, n_batch
     ) = _arguments(input, function, size, footprint, output, mode, cval, origin, axes,
                    batch_memory)
    if input.size == 0:
        return np.asarray(input)
    if compiled is not None:
        result = _compiled_filter(input, _Compiled(*compiled, thread_safe), size, mask,
                                  output, mode, cval, origin, n_batch, batch_memory, workers)
        return np.moveaxis(result, working, axes)

    def windows_function(view):
        if mask is None:
            return function(view, axis=working)
        return function(view[..., mask], axis=-1)

    if input.ndim == 0 and size == ():
        # scipy calls its wrapped function on the input itself (or on the input indexed with
        # the footprint argument as given).
        view = input if footprint is None else input[footprint]
        return np.asarray(_in_batches(view, windows_function, working, batch_memory, output))

    if mode != "valid":
        extra = {"constant_values": np.asarray(cval)[()]} if mode == "constant" else {}
        borders = tuple((s // 2 + o, (s - 1) // 2 - o) for s, o in zip(size, origin))
        input = np.pad(input, ((0, 0),) * n_batch + borders, mode=mode, **extra)
    view = np.lib.stride_tricks.sliding_window_view(input, size, working)
    result = _in_batches(view, windows_function, working, batch_memory, output)
    return np.moveaxis(result, working, axes)


def _in_batches(view, function, working, batch_memory, output):
    """scipy's chunking: the view split along its first axis so that a chunk holds at most
    ``batch_memory`` bytes, the results written to ``output`` (or to an array of the dtype of
    the first chunk's results)."""
    if working == ():
        return function(view)
    chunk = math.prod(view.shape[1:]) * view.dtype.itemsize
    per_batch = min(view.shape[0], batch_memory // chunk)
    if per_batch < 1:
        raise ValueError("`batch_memory` is insufficient for minimum chunk size.")
    if per_batch == view.shape[0]:
        if output is None:
            return function(view)
        output[...] = function(view)
        return output
    for start in range(0, view.shape[0], per_batch):
        stop = min(start + per_batch, view.shape[0])
        values = function(view[start:stop])
        if output is None:
            output = np.empty(view.shape[:-len(working)], dtype=values.dtype)
        output[start:stop, ...] = values
    return output


def _compiled_filter(input, callback, size, mask, output, mode, cval, origin, n_batch,
                     batch_memory, workers):
    """The compiled callback's filter on ``input`` (window axes last): its output, with the
    window axes last too."""
    if input.dtype.kind == "c":
        raise TypeError("Complex type not supported")
    if input.dtype.kind not in "biuf":
        raise TypeError(f"vectorized_filter with a compiled callback takes real numbers, "
                        f"not {input.dtype}")
    for s, o in zip(size, origin):
        if s // 2 + o < 0 or (s - 1) // 2 - o < 0:
            raise ValueError("index can't contain negative values")  # np.pad's
    if mode == "constant" and np.ndim(cval) != 0:
        # Per-axis constants: pad as scipy does, then take the windows inside.
        borders = tuple((s // 2 + o, (s - 1) // 2 - o) for s, o in zip(size, origin))
        padded = np.pad(input, ((0, 0),) * n_batch + borders, mode="constant",
                        constant_values=np.asarray(cval)[()])
        return _compiled_filter(padded, callback, size, mask, output, "valid", None,
                                (0,) * len(size), n_batch, batch_memory, workers)
    cval_c = 0.0
    if mode == "constant":
        typed = np.zeros((), dtype=input.dtype)
        typed[()] = np.asarray(cval)[()]  # np.pad's conversion of constant_values
        cval_c = float(typed)
    if dtype_code(input.dtype) is None:
        input = input.astype(np.float64)  # float16, longdouble: the windows are doubles
    shape = input.shape
    if input.ndim == 0:
        input, mask = input.reshape(1), (None if mask is None else mask.reshape(1))
        size, origin = (1,), (0,)
    window = (1,) * n_batch + tuple(size)
    footprint = (np.ones(window, dtype=bool) if mask is None
                 else mask.reshape((1,) * n_batch + mask.shape))
    if batch_memory < 8 * int(np.count_nonzero(footprint)):
        raise ValueError("`batch_memory` is insufficient for minimum chunk size.")
    origins = (0,) * n_batch + tuple(int(o) for o in origin)
    if mode == "valid":
        if any(n < s for n, s in zip(input.shape[n_batch:], size)):
            raise ValueError("window shape cannot be larger than input array shape")
        out_shape = input.shape[:n_batch] + tuple(
            n - s + 1 for n, s in zip(input.shape[n_batch:], size))
        code = _capi.NDI_MODE_CONSTANT  # not used: every window lies inside
    else:
        out_shape = input.shape
        code = getattr(_capi, _NDI_MODES[mode])
    target = output
    if (target is None or target.shape != out_shape or dtype_code(target.dtype) is None
            or target.dtype.kind == "b"):
        # Other outputs (bool, complex, float16, ...) get numpy's casts from a float64 result.
        target = np.zeros(out_shape, dtype=np.float64)
    if shape == ():
        target = target.reshape(1)
    memory = int(min(batch_memory, 2**62))
    call(_capi.ndi_vectorized_filter, input, Output(target), footprint, None, origins, code,
         cval_c, memory, callback.pointer, callback.user_data, workers=workers,
         callback=callback)
    if shape == ():
        target = target.reshape(())
    if output is None:
        return target
    if target is not output:
        output[...] = target  # numpy's shape rules and casts for any other output
    return output
