"""What every wrapper shares: scipy 1.17.1's argument handling (its ``_ni_support`` and the
checks of its C argument parsing), the NDI_* codes of modes and dtypes, thread options, and
:func:`call`, the one way a wrapper calls a libndimage function.

Codes are never typed here: they are looked up by name in the generated :mod:`._capi`.
"""

import ctypes
import functools
import operator
import os
import sys
import threading
import warnings
from collections.abc import Iterable

import numpy as np

from . import _capi

try:
    from numpy.exceptions import AxisError
except ImportError:  # pragma: no cover - numpy < 1.25
    from numpy import AxisError

# --------------------------------------------------------------------------------------
# Codes: scipy's mode strings and element types, by their NDI_* names
# --------------------------------------------------------------------------------------

#: scipy's ``mode=`` strings -> NDI_MODE_* (``"grid-wrap"`` is ``NDI_MODE_GRID_WRAP``).
MODE_CODES = {
    mode: getattr(_capi, "NDI_MODE_" + mode.upper().replace("-", "_"))
    for mode in ("reflect", "constant", "nearest", "mirror", "wrap", "grid-constant",
                 "grid-mirror", "grid-wrap")
}

#: (numpy kind, item size) of the element types scipy.ndimage supports -> NDI_DTYPE_*
#: (``float32`` is ``NDI_DTYPE_FLOAT32``).
DTYPE_CODES = {
    (np.dtype(name).kind, np.dtype(name).itemsize): getattr(_capi, "NDI_DTYPE_" + name.upper())
    for name in ("bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64",
                 "uint64", "float32", "float64", "complex64", "complex128")
}


def mode_code(mode):
    """The NDI_MODE_* code of a scipy mode string (scipy's error for anything else)."""
    if isinstance(mode, str) and mode in MODE_CODES:
        return MODE_CODES[mode]
    raise RuntimeError("boundary mode not supported")


def dtype_code(dtype, complex_ok=False):
    """The NDI_DTYPE_* code of a dtype (either byte order), or None if unsupported. Complex
    types only with ``complex_ok`` (the interpolation functions accept them)."""
    if dtype.fields is not None or dtype.subdtype is not None:
        return None
    if dtype.kind == "c" and not complex_ok:
        return None
    return DTYPE_CODES.get((dtype.kind, dtype.itemsize))


# --------------------------------------------------------------------------------------
# scipy's argument handling
# --------------------------------------------------------------------------------------

def as_double(value):
    """Python's float protocol exactly as scipy applies it (``PyFloat_AsDouble``)."""
    if type(value) is float:
        return value
    return _PyFloat_AsDouble(value)


_PyFloat_AsDouble = ctypes.pythonapi.PyFloat_AsDouble
_PyFloat_AsDouble.restype = ctypes.c_double
_PyFloat_AsDouble.argtypes = [ctypes.py_object]


def normalize_axis(axis, ndim):
    """Range check and normalisation of scipy's Python layer (no type check: a float axis
    fails later, at the C argument conversion)."""
    if axis < -ndim or axis >= ndim:
        raise AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis + ndim if axis < 0 else axis


def per_axis(value, count):
    """A scalar repeated ``count`` times, or a sequence that must have ``count`` items."""
    if isinstance(value, str) or not np.iterable(value):
        return [value] * count
    items = list(value)
    if len(items) != count:
        raise RuntimeError("sequence argument must have length equal to input rank")
    return items


def resolve_axes(axes, ndim):
    """scipy's ``axes=`` of the filters: a tuple of distinct axes in ``0..ndim-1``."""
    if axes is None:
        return tuple(range(ndim))
    if np.isscalar(axes):
        # scipy does not normalise or range-check a scalar axis.
        result = (operator.index(axes),)
    elif isinstance(axes, Iterable):
        raw = list(axes)
        result = tuple(operator.index(ax) for ax in raw)
        for shown, ax in zip(raw, result):
            if ax < -ndim or ax > ndim - 1:
                raise ValueError(f"specified axis: {shown} is out of range")
        result = tuple(ax % ndim if ax < 0 else ax for ax in result)
    else:
        raise ValueError("axes must be an integer, iterable of integers, or None")
    if len(set(result)) != len(result):
        raise ValueError("axes must be unique")
    return result


def new_output(output, input, shape=None, complex_output=False):
    """scipy's ``_ni_support._get_output``: the output array for ``output`` (None, a dtype,
    a type, a dtype string, or an array of the right shape). ``complex_output``: the input is
    complex, so the output must be too (a real dtype or type is promoted with scipy's
    warning; a real string or array is an error).

    Call it from the public function itself: the warning names that function's caller."""
    if shape is None:
        shape = input.shape
    if output is None:
        if not complex_output:
            return np.zeros(shape, dtype=input.dtype.name)
        return np.zeros(shape, dtype=np.promote_types(input.dtype, np.complex64))
    if isinstance(output, (type, np.dtype)):
        if complex_output and np.dtype(output).kind != "c":
            # stacklevel 3: the caller of the public function, as in scipy.
            warnings.warn("promoting specified output dtype to complex", stacklevel=3)
            output = np.promote_types(output, np.complex64)
        return np.zeros(shape, dtype=output)
    if isinstance(output, str):
        dtype = np.dtype(output)
        if complex_output and dtype.kind != "c":
            raise RuntimeError("output must have complex dtype")
        if not issubclass(dtype.type, np.number):
            raise RuntimeError("output must have numeric dtype")
        return np.zeros(shape, dtype=dtype)
    output = np.asarray(output)
    if output.shape != shape:
        raise RuntimeError("output shape not correct")
    if complex_output and output.dtype.kind != "c":
        raise RuntimeError("output must have complex dtype")
    return output


def check_writeable(output):
    if not output.flags.writeable:
        raise ValueError("output array is read-only.")


def check_extras(extra_arguments, extra_keywords):
    """scipy's types of ``extra_arguments`` and ``extra_keywords``."""
    if not isinstance(extra_arguments, tuple):
        raise RuntimeError("extra_arguments must be a tuple")
    if not isinstance(extra_keywords, dict):
        raise RuntimeError("extra_keywords must be a dictionary")


def native(dtype):
    """``dtype`` in the machine's byte order."""
    return dtype if dtype.isnative else dtype.newbyteorder("=")


def native_input(input):
    """``input`` itself, or a native-byte-order copy of a byte-swapped one."""
    if input.dtype.isnative:
        return input
    return input.astype(native(input.dtype))


# --------------------------------------------------------------------------------------
# Threads
# --------------------------------------------------------------------------------------

def workers_count(workers):
    """``ndi_options.threads`` for ``workers``, as ``scipy.fft`` reads it: None for the
    library's process-wide default, a positive count, or a negative one counted back from
    ``os.cpu_count()`` (-1 = all cores)."""
    if workers is None:
        return _capi.NDI_THREADS_DEFAULT
    workers = operator.index(workers)
    if workers == 0:
        raise ValueError("workers must not be zero")
    if workers < 0:
        cores = os.cpu_count() or 1
        if workers < -cores:
            raise ValueError(f"workers value out of range; got {workers}, must not be"
                             f" less than {-cores}")
        workers += cores + 1
    return workers


class Tile:
    """The regions of an interpolation call that computes one box of a larger transform
    (``ndi_options.output_origin``/``output_shape``, ``input_origin``/``input_shape`` and
    ``NDI_FLAG_PREFILTERED``; see ``include/ndimage.h``). Each region is an (origin, whole
    shape) pair of sequences, or None."""

    def __init__(self, output=None, input=None, prefiltered=False):
        self.output = output
        self.input = input
        self.prefiltered = bool(prefiltered)

    def apply(self, opts):
        """Sets ``opts``' tile fields; returns the ctypes arrays they point to (keep them
        alive for the call)."""
        alive = []
        for name, region in (("output", self.output), ("input", self.input)):
            if region is None:
                continue
            if len(region[0]) != len(region[1]):
                raise ValueError(f"{name} region: origin and shape of different lengths")
            for field, values in zip(("origin", "shape"), region):
                array = (ctypes.c_ssize_t * len(values))(*[operator.index(v) for v in values])
                alive.append(array)
                pointer = ctypes.cast(array, ctypes.POINTER(ctypes.c_ssize_t))
                setattr(opts, f"{name}_{field}", pointer)
        if self.prefiltered:
            opts.flags |= _capi.NDI_FLAG_PREFILTERED
        return alive

    def __repr__(self):
        return f"Tile(output={self.output!r}, input={self.input!r}, prefiltered={self.prefiltered})"


# --------------------------------------------------------------------------------------
# Ctrl-C: every call reports progress to Python's signal handlers
# --------------------------------------------------------------------------------------

_PyErr_CheckSignals = ctypes.pythonapi.PyErr_CheckSignals
_PyErr_CheckSignals.restype = ctypes.c_int
_PyErr_CheckSignals.argtypes = []


class _Pending(threading.local):
    #: The exception a signal handler raised during this thread's call, to raise after it.
    exception = None


_pending = _Pending()

def _check_signals(fraction, user_data):
    """The progress callback of every call (libndimage calls it from the calling thread,
    which holds the GIL, every few milliseconds): runs Python's signal handlers; an exception
    of one (KeyboardInterrupt for Ctrl-C) cancels the call (returns 0), and :func:`call`
    raises it once the call has stopped."""
    if _pending.exception is not None:
        return 0
    try:
        # ctypes.pythonapi raises the exception a handler set (PyErr_CheckSignals: -1).
        _PyErr_CheckSignals()
    except BaseException as exc:  # noqa: BLE001 - raised by call() after the C call
        _pending.exception = exc
        return 0
    return 1


def _unraisable(unraisable, previous=sys.unraisablehook):
    """Keeps the exception a signal handler raised on entry to :func:`_check_signals`
    (before its ``try``: ctypes can only report it as unraisable, and returns an undefined
    value to the library), so that the call is cancelled at its next report at the latest
    and :func:`call` raises it. Everything else goes to the hook that was in place."""
    if unraisable.object is _check_signals and isinstance(unraisable.exc_value, BaseException):
        _pending.exception = unraisable.exc_value
        return
    previous(unraisable)


sys.unraisablehook = _unraisable

_CHECK_SIGNALS = _capi.ndi_progress_func(_check_signals)


def options(cval_imag=0.0, workers=None, thread_safe_callback=False, nan_policy=None):
    """An ``ndi_options`` for one call: ``cval_imag``, the threads for ``workers``,
    ``NDI_FLAG_THREAD_SAFE_CALLBACK`` if a compiled callback may run on several threads, the
    ``NDI_NAN_*`` code of ``nan_policy`` (see :func:`nan_policy_code`), and the progress
    callback that lets Ctrl-C (any signal handler's exception) stop the call."""
    result = _capi.ndi_options()
    _capi.ndi_options_init(ctypes.byref(result), ctypes.sizeof(result))
    result.cval_imag = cval_imag
    result.threads = workers_count(workers)
    if thread_safe_callback:
        result.flags |= _capi.NDI_FLAG_THREAD_SAFE_CALLBACK
    result.progress = _CHECK_SIGNALS
    result.nan_policy = nan_policy_code(nan_policy)
    return result


#: The order filters' ``nan_policy=`` values -> NDI_NAN_* (None: scipy's result).
NAN_POLICY_CODES = {None: "NDI_NAN_SCIPY", "propagate": "NDI_NAN_PROPAGATE",
                    "omit": "NDI_NAN_OMIT"}


def nan_policy_code(nan_policy):
    """The NDI_NAN_* code of a ``nan_policy=`` argument: None (scipy's result, the default),
    ``'propagate'`` or ``'omit'``."""
    if not (nan_policy is None or isinstance(nan_policy, str)) or \
            nan_policy not in NAN_POLICY_CODES:
        raise ValueError(f"nan_policy must be None, 'propagate' or 'omit', not {nan_policy!r}")
    return getattr(_capi, NAN_POLICY_CODES[nan_policy])


def set_workers(workers):
    """Sets the process-wide default thread count used when ``workers`` is None
    (``ndi_set_default_threads``): a positive count, or -1 for all cores."""
    count = _capi.NDI_THREADS_ALL if workers == -1 else workers_count(workers)
    status = _capi.ndi_set_default_threads(count)
    if status != _capi.NDI_OK:
        raise ValueError(_capi.ndi_last_error_message().decode())


def get_workers():
    """The process-wide default thread count (0 means all cores)."""
    return _capi.ndi_get_default_threads()


# --------------------------------------------------------------------------------------
# Calling the library
# --------------------------------------------------------------------------------------

def describe(array, code):
    """An ``ndi_array`` for ``array`` (rank >= 1) plus the objects that must stay alive."""
    rank = array.ndim
    shape = (ctypes.c_ssize_t * rank)(*array.shape)
    strides = (ctypes.c_ssize_t * rank)(*array.strides)
    desc = _capi.ndi_array(array.ctypes.data, code, rank, shape, strides)
    return desc, (array, shape, strides)


def needs_temporary(output):
    """Outputs libndimage cannot write directly: byte-swapped, or aliased by zero strides."""
    if not output.dtype.isnative:
        return True
    return any(s == 0 and n > 1 for s, n in zip(output.strides, output.shape))


class Output:
    """Marks the array argument of :func:`call` that the C function writes. libndimage
    writes ``array`` itself, or a native temporary that is copied back afterwards (also
    after a failure, so that what was written is kept)."""

    def __init__(self, array):
        self.output = array
        if needs_temporary(array):
            self.array = np.empty(array.shape, dtype=native(array.dtype))
            self.array[...] = array
        else:
            self.array = array

    def finish(self):
        if self.array is not self.output:
            self.output[...] = self.array


@functools.lru_cache(maxsize=None)
def _pointer_dtype(argtype):
    """The numpy dtype of a ``T *`` argument of a scalar T, or None for other types."""
    target = getattr(argtype, "_type_", None)
    if not isinstance(target, type) or not issubclass(target, ctypes._SimpleCData):
        return None
    try:
        return np.dtype(target)
    except TypeError:
        return None


def call(function, *args, workers=None, cval_imag=0.0, callback=None, nan_policy=None,
         tile=None):
    """Calls ``function`` (a prototype of :mod:`._capi` returning ``ndi_status``) with
    ``args``: its C arguments in order, except a trailing ``options``, which this function
    makes. Each is converted by the prototype's argument type:

    * ``ndi_array *``: a numpy array of rank >= 1, an input (described as it is, or as a
      native copy if byte-swapped); ``Output(array)``, the array written (see
      :class:`Output`); or None;
    * ``T *`` of a scalar T (``const double *``, ``intptr_t *``, ...): a sequence or array,
      passed as a contiguous array of T (an array of T itself, so that what a function
      writes there is seen); or None for NULL;
    * anything else as given (ints, floats, callback pointers, ``user_data``).

    The options carry ``cval_imag``, the threads for ``workers`` and ``nan_policy``, allow
    threads for a ``callback`` (a :class:`._callables.Callback`) that is compiled and
    thread-safe, and hold the regions of a :class:`Tile` (interpolation functions). On
    failure, raises the exception a Python callback raised, or the one a signal handler
    raised while the call ran (KeyboardInterrupt: Ctrl-C stops a long call within
    milliseconds), else ``RuntimeError`` with the library's message (after
    ``callback.failure_message`` for a callback failure).
    """
    argtypes = function.argtypes
    takes_options = bool(argtypes) and argtypes[-1] is _OPTIONS_P
    if len(args) != len(argtypes) - takes_options:
        raise TypeError(f"{function.__name__} takes {len(argtypes) - takes_options} "
                        f"arguments{' and options' if takes_options else ''}, "
                        f"got {len(args)}")
    keep, outputs, c_args = [], [], []
    try:
        for value, argtype in zip(args, argtypes):
            if value is None:
                c_args.append(None)
            elif argtype is _ARRAY_P:
                if isinstance(value, Output):
                    outputs.append(value)
                    value = value.array
                else:
                    value = native_input(value)
                code = dtype_code(value.dtype, complex_ok=True)
                if code is None:
                    raise RuntimeError(f"array type {value.dtype!r} not supported")
                desc, alive = describe(value, code)
                keep.append(alive)
                c_args.append(ctypes.byref(desc))
            elif _pointer_dtype(argtype) is not None:
                array = np.ascontiguousarray(value, dtype=_pointer_dtype(argtype))
                keep.append(array)
                c_args.append(array.ctypes.data_as(argtype))
            else:
                c_args.append(value)
        if takes_options:
            thread_safe = callback is not None and callback.thread_safe
            opts = options(cval_imag, workers, thread_safe, nan_policy)
            if tile is not None:
                keep.append(tile.apply(opts))
            keep.append(opts)
            c_args.append(ctypes.byref(opts))
        outer, _pending.exception = _pending.exception, None
        status = function(*c_args)
    finally:
        for output in outputs:
            output.finish()
    raised, _pending.exception = _pending.exception, outer
    if raised is not None and (status == _capi.NDI_OK or callback is None
                               or callback.trampoline is None
                               or callback.trampoline.error is None):
        # A signal handler's exception (KeyboardInterrupt for Ctrl-C) while the call ran:
        # it stopped the call, or came after its last report.
        raise raised
    if status != _capi.NDI_OK:
        if callback is not None:
            callback.raise_error()
        message = _capi.ndi_last_error_message().decode("utf-8", "replace")
        if status == _capi.NDI_ERR_CALLBACK_FAILED and callback is not None:
            raise RuntimeError(f"{callback.failure_message} ({message})")
        raise RuntimeError(message)


_ARRAY_P = ctypes.POINTER(_capi.ndi_array)
_OPTIONS_P = ctypes.POINTER(_capi.ndi_options)


# --------------------------------------------------------------------------------------
# scipy.ndimage functions libndimage does not have yet
# --------------------------------------------------------------------------------------

def not_implemented(name, module):
    """A stand-in for ``scipy.ndimage.<name>`` in ``module`` that raises
    ``NotImplementedError``; replace it there with the implementation."""

    def stub(*args, **kwargs):
        raise NotImplementedError(f"libndimage does not implement scipy.ndimage.{name} yet")

    stub.__name__ = stub.__qualname__ = name
    stub.__module__ = module
    stub.__doc__ = (f"scipy.ndimage.{name}: not implemented by libndimage yet (raises "
                    "NotImplementedError).")
    return stub
