"""ctypes binding of libndimage: scipy.ndimage's generic filters and interpolation.

``generic_filter``, ``generic_filter1d``, ``geometric_transform``, ``map_coordinates``,
``affine_transform``, ``shift``, ``zoom``, ``rotate``, ``spline_filter1d`` and
``spline_filter`` are drop-in replacements for their ``scipy.ndimage`` namesakes
(reference: scipy 1.17.1): same signatures, defaults, return values, warnings, and
exception types and messages for bad arguments. The numbers come from libndimage
(``ndi_generic_filter``, ``ndi_geometric_transform``, ``ndi_shift``, ...) and are
bit-identical to scipy's, except where listed under the differences below.

Loading the library
-------------------
The shared library is looked up, in this order, at

1. the path in the environment variable ``NDIMAGE_LIBRARY``;
2. ``<repo>/target/release/libndimage.so``, then ``<repo>/target/debug/libndimage.so``
   (``.dylib`` / ``.dll`` on other systems), where ``<repo>`` is two levels above this
   package;
3. ``ctypes.util.find_library('ndimage')``.

It is loaded with :class:`ctypes.PyDLL`, so the GIL stays held during a call (as in scipy):
C callbacks may use the Python C API, and a Python exception that a C callback leaves
pending is raised when the call returns.

Accepted ``function`` arguments
-------------------------------
``generic_filter`` wants the C prototype
``int f(double *buffer, intptr_t filter_size, double *return_value, void *user_data)`` and
``generic_filter1d`` wants
``int f(double *in, intptr_t in_len, double *out, intptr_t out_len, void *user_data)``
(return 1 for success, 0 for failure). ``function`` may be:

* a Python callable, called exactly as scipy calls it: ``generic_filter`` calls
  ``function(buffer, *extra_arguments, **extra_keywords)`` with a fresh 1-D float64 copy of
  the values under the footprint and converts the result with Python's float protocol
  (``PyFloat_AsDouble``); ``generic_filter1d`` calls
  ``function(input_line, output_line, *extra_arguments, **extra_keywords)`` with a copy of
  the extended input line and a zero-filled output line whose values are stored afterwards
  (the return value is ignored). An exception raised by the callable stops the filter and
  is re-raised unchanged;
* a ``scipy.LowLevelCallable`` (from a PyCapsule, a ctypes or a cffi function pointer)
  whose signature is one scipy accepts: ``int (double *, T, double *, void *)`` for
  ``generic_filter`` and ``int (double *, T, double *, T, void *)`` for
  ``generic_filter1d``, with ``T`` one of ``intptr_t``, ``npy_intp`` and the C integer
  types of pointer size (``long`` and ``long long`` on LP64). Other signatures raise
  scipy's ``ValueError('Invalid scipy.LowLevelCallable signature ...')``. Its
  ``user_data`` (ctypes ``c_void_p``, cffi ``void *`` or PyCapsule, else the capsule's
  context) is passed on unchanged;
* a bare ``PyCapsule`` whose name is NULL (scipy's legacy form): its pointer is the
  function and its context the ``user_data``; the signature cannot be checked;
* **(extension)** a raw ctypes function pointer (a ``CFUNCTYPE`` instance, or a function
  of a loaded ``CDLL``): used as a C function with ``user_data`` NULL. scipy would instead
  call it as a Python callable (which normally fails). Its signature is checked as for a
  ``LowLevelCallable`` when its ``argtypes`` are set, and not checked otherwise;
* **(extension)** a cffi function pointer (``cdata`` of kind ``function``): used as a C
  function with ``user_data`` NULL, signature checked; scipy would call it as Python;
* **(extension)** a numba ``@cfunc`` object: its ``.address`` is used, signature checked
  from ``.ctypes``; scipy would call it as Python.

Anything else that is callable is treated as a Python callable; a non-callable raises
``ValueError('invalid callable given')`` as in scipy.

``geometric_transform``'s ``mapping`` takes the same forms, with the prototype
``int f(intptr_t *output_coordinates, double *input_coordinates, int output_rank,
int input_rank, void *user_data)`` (signatures ``int (T *, double *, int, int, void *)``,
``T`` as above). A Python mapping is called as scipy calls it:
``mapping(output_index, *extra_arguments, **extra_keywords)`` with a tuple of Python
ints, and must return a tuple whose first ``input_rank`` items are converted with the float
protocol (a list, an array or a shorter tuple raise scipy's
``TypeError('bad argument type for built-in operation')``). A C mapping that returns 0
without setting a Python exception gives
``RuntimeError('unknown error in mapping function (...)')``. For complex inputs the
mapping is called twice per element (real part, then imaginary part), as in scipy.

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
of ``affine_transform``, ``rotate``'s exact-degree rotation matrix (Cephes ``cosdg`` /
``sindg``, reproduced bit for bit) and its plane-by-plane loop, and ``spline_filter``'s
per-axis passes stored in the output type.

Differences from scipy (deliberate)
-----------------------------------
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
* An output whose elements overlap in memory through zero strides is computed into a
  temporary and copied back (numpy assignment order); other self-overlapping outputs are
  rejected with ``RuntimeError``.
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
"""

import ctypes
import ctypes.util
import datetime as _datetime
import itertools
import math
import operator
import os
import sys
import warnings
from collections.abc import Iterable

import numpy as np

try:
    from numpy.exceptions import AxisError
except ImportError:  # pragma: no cover - numpy < 1.25
    from numpy import AxisError

__all__ = [
    "generic_filter",
    "generic_filter1d",
    "geometric_transform",
    "map_coordinates",
    "affine_transform",
    "shift",
    "zoom",
    "rotate",
    "spline_filter1d",
    "spline_filter",
    "set_workers",
    "get_workers",
    "LibraryError",
    "library_path",
    "ndi_array",
    "ndi_options",
    "ndi_filter_func",
    "ndi_filter1d_func",
    "ndi_transform_func",
    "__version__",
]


class LibraryError(OSError):
    """The libndimage shared library could not be found or loaded."""


# --------------------------------------------------------------------------------------
# Loading the library
# --------------------------------------------------------------------------------------

def _library_file_names():
    if sys.platform == "darwin":
        return ["libndimage.dylib"]
    if sys.platform.startswith("win"):
        return ["ndimage.dll", "libndimage.dll"]
    return ["libndimage.so"]


def _find_library():
    env = os.environ.get("NDIMAGE_LIBRARY")
    if env:
        return env
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for profile in ("release", "debug"):
        for name in _library_file_names():
            candidate = os.path.join(repo, "target", profile, name)
            if os.path.exists(candidate):
                return candidate
    found = ctypes.util.find_library("ndimage")
    if found:
        return found
    raise LibraryError(
        "libndimage not found: set NDIMAGE_LIBRARY, or build it with "
        "`cargo build --release` in the repository"
    )


library_path = _find_library()
try:
    _lib = ctypes.PyDLL(library_path)
except OSError as exc:  # pragma: no cover - depends on the environment
    raise LibraryError(f"cannot load libndimage from {library_path!r}: {exc}") from exc

# --------------------------------------------------------------------------------------
# Declarations matching include/ndimage.h
# --------------------------------------------------------------------------------------

if ctypes.sizeof(ctypes.c_void_p) == ctypes.sizeof(ctypes.c_int64):
    _intptr_t = ctypes.c_int64
else:  # pragma: no cover - 32-bit platforms
    _intptr_t = ctypes.c_int32
_uintptr_t = ctypes.c_size_t

ndi_status = ctypes.c_int32
ndi_dtype = ctypes.c_int32
ndi_mode = ctypes.c_int32

NDI_MAX_RANK = 64

NDI_OK = 0
NDI_ERR_NULL_POINTER = 1
NDI_ERR_INVALID_ARGUMENT = 2
NDI_ERR_INVALID_ARRAY = 3
NDI_ERR_SHAPE_MISMATCH = 4
NDI_ERR_CALLBACK_FAILED = 5
NDI_ERR_OUT_OF_MEMORY = 6
NDI_ERR_INTERNAL = 7

NDI_DTYPE_BOOL = 0
NDI_DTYPE_INT8 = 1
NDI_DTYPE_UINT8 = 2
NDI_DTYPE_INT16 = 3
NDI_DTYPE_UINT16 = 4
NDI_DTYPE_INT32 = 5
NDI_DTYPE_UINT32 = 6
NDI_DTYPE_INT64 = 7
NDI_DTYPE_UINT64 = 8
NDI_DTYPE_FLOAT32 = 9
NDI_DTYPE_FLOAT64 = 10
NDI_DTYPE_COMPLEX64 = 11  # interpolation functions only
NDI_DTYPE_COMPLEX128 = 12

NDI_MODE_REFLECT = 0
NDI_MODE_CONSTANT = 1
NDI_MODE_NEAREST = 2
NDI_MODE_MIRROR = 3
NDI_MODE_WRAP = 4
NDI_MODE_GRID_CONSTANT = 5
NDI_MODE_GRID_MIRROR = 6
NDI_MODE_GRID_WRAP = 7


class ndi_array(ctypes.Structure):
    """``struct ndi_array``: caller memory as an n-dimensional array."""

    _fields_ = [
        ("data", ctypes.c_void_p),
        ("dtype", ndi_dtype),
        ("rank", ctypes.c_int32),
        ("shape", ctypes.POINTER(_intptr_t)),
        ("strides", ctypes.POINTER(_intptr_t)),
    ]


class ndi_options(ctypes.Structure):
    """``struct ndi_options``; fill with ``ndi_options_init``."""

    _fields_ = [
        ("struct_size", _uintptr_t),
        ("flags", ctypes.c_uint32),
        ("cval_imag", ctypes.c_double),
        ("threads", ctypes.c_int32),
    ]


ndi_filter_func = ctypes.CFUNCTYPE(
    ctypes.c_int,
    ctypes.POINTER(ctypes.c_double),
    _intptr_t,
    ctypes.POINTER(ctypes.c_double),
    ctypes.c_void_p,
)
ndi_filter1d_func = ctypes.CFUNCTYPE(
    ctypes.c_int,
    ctypes.POINTER(ctypes.c_double),
    _intptr_t,
    ctypes.POINTER(ctypes.c_double),
    _intptr_t,
    ctypes.c_void_p,
)
ndi_transform_func = ctypes.CFUNCTYPE(
    ctypes.c_int,
    ctypes.POINTER(_intptr_t),
    ctypes.POINTER(ctypes.c_double),
    ctypes.c_int,
    ctypes.c_int,
    ctypes.c_void_p,
)

# Same C ABI as the typedefs above, but with plain addresses as arguments: the trampolines
# for Python callables use these because ctypes builds them faster than POINTER objects.
_py_filter_proto = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.c_void_p, _intptr_t, ctypes.c_void_p, ctypes.c_void_p
)
_py_filter1d_proto = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.c_void_p, _intptr_t, ctypes.c_void_p, _intptr_t, ctypes.c_void_p
)
_py_transform_proto = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_void_p
)

_ARRAY_P = ctypes.POINTER(ndi_array)
_OPTIONS_P = ctypes.POINTER(ndi_options)
_INTPTR_P = ctypes.POINTER(_intptr_t)


def _declare(name, restype, argtypes):
    try:
        fn = getattr(_lib, name)
    except AttributeError:  # an older library without this function
        return None
    fn.restype = restype
    fn.argtypes = argtypes
    return fn


ndi_last_error_message = _declare("ndi_last_error_message", ctypes.c_char_p, [])
ndi_status_string = _declare("ndi_status_string", ctypes.c_char_p, [ndi_status])
ndi_version = _declare("ndi_version", ctypes.c_uint32, [])
ndi_set_default_threads = _declare("ndi_set_default_threads", ctypes.c_int32, [ctypes.c_int32])
ndi_get_default_threads = _declare("ndi_get_default_threads", ctypes.c_int32, [])
ndi_version_string = _declare("ndi_version_string", ctypes.c_char_p, [])
ndi_generic_filter = _declare(
    "ndi_generic_filter",
    ndi_status,
    [_ARRAY_P, _ARRAY_P, _ARRAY_P, _INTPTR_P, _INTPTR_P, ndi_mode, ctypes.c_double,
     ndi_filter_func, ctypes.c_void_p, _OPTIONS_P],
)
ndi_generic_filter1d = _declare(
    "ndi_generic_filter1d",
    ndi_status,
    [_ARRAY_P, _ARRAY_P, _intptr_t, ctypes.c_int32, _intptr_t, ndi_mode, ctypes.c_double,
     ndi_filter1d_func, ctypes.c_void_p, _OPTIONS_P],
)
ndi_geometric_transform = _declare(
    "ndi_geometric_transform",
    ndi_status,
    [_ARRAY_P, _ARRAY_P, ctypes.c_int32, ndi_mode, ctypes.c_double, ctypes.c_int32,
     ndi_transform_func, ctypes.c_void_p, _OPTIONS_P],
)
ndi_spline_filter1d = _declare(
    "ndi_spline_filter1d",
    ndi_status,
    [_ARRAY_P, _ARRAY_P, ctypes.c_int32, ctypes.c_int32, ndi_mode, _OPTIONS_P],
)
ndi_spline_filter = _declare(
    "ndi_spline_filter",
    ndi_status,
    [_ARRAY_P, _ARRAY_P, ctypes.c_int32, ndi_mode, _OPTIONS_P],
)
ndi_map_coordinates = _declare(
    "ndi_map_coordinates",
    ndi_status,
    [_ARRAY_P, _ARRAY_P, _ARRAY_P, ctypes.c_int32, ndi_mode, ctypes.c_double, ctypes.c_int32,
     _OPTIONS_P],
)
ndi_affine_transform = _declare(
    "ndi_affine_transform",
    ndi_status,
    [_ARRAY_P, _ARRAY_P, ctypes.POINTER(ctypes.c_double), _INTPTR_P, ctypes.c_int32,
     ctypes.POINTER(ctypes.c_double), ctypes.c_int32, ndi_mode, ctypes.c_double,
     ctypes.c_int32, _OPTIONS_P],
)
ndi_shift = _declare(
    "ndi_shift",
    ndi_status,
    [_ARRAY_P, _ARRAY_P, ctypes.POINTER(ctypes.c_double), ctypes.c_int32, ndi_mode,
     ctypes.c_double, ctypes.c_int32, _OPTIONS_P],
)
ndi_zoom = _declare(
    "ndi_zoom",
    ndi_status,
    [_ARRAY_P, _ARRAY_P, ctypes.c_int32, ctypes.c_int32, ndi_mode, ctypes.c_double,
     ctypes.c_int32, _OPTIONS_P],
)
ndi_options_init = _declare("ndi_options_init", None, [_OPTIONS_P])

__version__ = ndi_version_string().decode("ascii")

# --------------------------------------------------------------------------------------
# Python C-API helpers (through ctypes.pythonapi, which raises pending exceptions)
# --------------------------------------------------------------------------------------

_capi = ctypes.pythonapi
_PyFloat_AsDouble = _capi.PyFloat_AsDouble
_PyFloat_AsDouble.restype = ctypes.c_double
_PyFloat_AsDouble.argtypes = [ctypes.py_object]
_PyCapsule_GetName = _capi.PyCapsule_GetName
_PyCapsule_GetName.restype = ctypes.c_void_p
_PyCapsule_GetName.argtypes = [ctypes.py_object]
_PyCapsule_GetPointer = _capi.PyCapsule_GetPointer
_PyCapsule_GetPointer.restype = ctypes.c_void_p
_PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_void_p]
_PyCapsule_GetContext = _capi.PyCapsule_GetContext
_PyCapsule_GetContext.restype = ctypes.c_void_p
_PyCapsule_GetContext.argtypes = [ctypes.py_object]

_CapsuleType = type(_datetime.datetime_CAPI)
_CFuncPtr = ctypes.CFUNCTYPE(ctypes.c_int).__mro__[1]  # ctypes._CFuncPtr


def _as_double(value):
    """Python's float protocol exactly as scipy applies it (``PyFloat_AsDouble``)."""
    if type(value) is float:
        return value
    return _PyFloat_AsDouble(value)


# --------------------------------------------------------------------------------------
# Argument handling shared by both functions (behaviour of scipy 1.17.1's Python layer)
# --------------------------------------------------------------------------------------

_MODE_CODES = {
    "reflect": NDI_MODE_REFLECT,
    "constant": NDI_MODE_CONSTANT,
    "nearest": NDI_MODE_NEAREST,
    "mirror": NDI_MODE_MIRROR,
    "wrap": NDI_MODE_WRAP,
    "grid-constant": NDI_MODE_GRID_CONSTANT,
    "grid-mirror": NDI_MODE_GRID_MIRROR,
    "grid-wrap": NDI_MODE_GRID_WRAP,
}


def _normalize_axis(axis, ndim):
    """Range check and normalisation of scipy's Python layer (no type check: a float axis
    fails later, at the C argument conversion)."""
    if axis < -ndim or axis >= ndim:
        raise AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis + ndim if axis < 0 else axis


def _mode_code(mode):
    if isinstance(mode, str) and mode in _MODE_CODES:
        return _MODE_CODES[mode]
    raise RuntimeError("boundary mode not supported")


def _per_axis(value, count):
    """A scalar repeated ``count`` times, or a sequence that must have ``count`` items."""
    if isinstance(value, str) or not np.iterable(value):
        return [value] * count
    items = list(value)
    if len(items) != count:
        raise RuntimeError("sequence argument must have length equal to input rank")
    return items


def _resolve_axes(axes, ndim):
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


def _new_output(output, input, shape=None, complex_output=False):
    """scipy's ``_ni_support._get_output``: the output array for ``output`` (None, a dtype,
    a type, a dtype string, or an array of the right shape). ``complex_output``: the input is
    complex, so the output must be too (a real dtype or type is promoted with scipy's
    warning; a real string or array is an error)."""
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


def _check_writeable(output):
    if not output.flags.writeable:
        raise ValueError("output array is read-only.")


def _check_extras(extra_arguments, extra_keywords):
    if not isinstance(extra_arguments, tuple):
        raise RuntimeError("extra_arguments must be a tuple")
    if not isinstance(extra_keywords, dict):
        raise RuntimeError("extra_keywords must be a dictionary")


def _dtype_code(dtype, complex_ok=False):
    """libndimage's code for a (native) dtype, or None if unsupported. Complex types only
    with ``complex_ok`` (the interpolation functions accept them)."""
    kind, size = dtype.kind, dtype.itemsize
    if dtype.fields is not None or dtype.subdtype is not None:
        return None
    if kind == "c":
        if not complex_ok:
            return None
        return {8: NDI_DTYPE_COMPLEX64, 16: NDI_DTYPE_COMPLEX128}.get(size)
    if kind == "b" and size == 1:
        return NDI_DTYPE_BOOL
    if kind == "i":
        return {1: NDI_DTYPE_INT8, 2: NDI_DTYPE_INT16, 4: NDI_DTYPE_INT32,
                8: NDI_DTYPE_INT64}.get(size)
    if kind == "u":
        return {1: NDI_DTYPE_UINT8, 2: NDI_DTYPE_UINT16, 4: NDI_DTYPE_UINT32,
                8: NDI_DTYPE_UINT64}.get(size)
    if kind == "f":
        return {4: NDI_DTYPE_FLOAT32, 8: NDI_DTYPE_FLOAT64}.get(size)
    return None


def _native(dtype):
    return dtype if dtype.isnative else dtype.newbyteorder("=")


def _describe(array, code):
    """An ``ndi_array`` for ``array`` (rank >= 1) plus the objects that must stay alive."""
    rank = array.ndim
    shape = (_intptr_t * rank)(*array.shape)
    strides = (_intptr_t * rank)(*array.strides)
    desc = ndi_array(array.ctypes.data, code, rank,
                     ctypes.cast(shape, _INTPTR_P), ctypes.cast(strides, _INTPTR_P))
    return desc, (array, shape, strides)


def _needs_temporary(output):
    """Outputs libndimage cannot write directly: byte-swapped, or aliased by zero strides."""
    if not output.dtype.isnative:
        return True
    return any(s == 0 and n > 1 for s, n in zip(output.strides, output.shape))


# --------------------------------------------------------------------------------------
# Callables
# --------------------------------------------------------------------------------------

def _signatures(template):
    """The signature strings scipy accepts for ``template`` (``{T}``: the pointer-sized
    integer type), in scipy's order, for this platform."""
    size_types = ["intptr_t", "npy_intp"]
    intp = ctypes.sizeof(ctypes.c_void_p)
    for name, ctype in (("short", ctypes.c_short), ("int", ctypes.c_int),
                        ("long", ctypes.c_long), ("long long", ctypes.c_longlong)):
        if ctypes.sizeof(ctype) == intp:
            size_types.append(name)
    return [template.format(T=t) for t in size_types]


_FILTER_SIGNATURES = _signatures("int (double *, {T}, double *, void *)")
_FILTER1D_SIGNATURES = _signatures("int (double *, {T}, double *, {T}, void *)")
_TRANSFORM_SIGNATURES = _signatures("int ({T} *, double *, int, int, void *)")


def _signature_error(name, signatures):
    shown = "NULL" if name is None else name
    return ValueError(
        f'Invalid scipy.LowLevelCallable signature "{shown}". Expected one of: {signatures!r}'
    )


def _check_signature(name, signatures):
    if name not in signatures:
        raise _signature_error(name, signatures)


def _ctypes_type_name(ctype):
    """The C spelling scipy derives from a ctypes type (``LP_c_double`` -> ``double *``)."""
    if ctype is None:
        return "void"
    if ctype is ctypes.c_void_p:
        return "void *"
    name = ctype.__name__
    depth = 0
    while name.startswith("LP_"):
        name = name[3:]
        depth += 1
    if name.startswith("c_"):
        name = name[2:]
    return f"{name} {'*' * depth}" if depth else name


def _ctypes_signature(fp):
    if fp.argtypes is None:
        return None
    args = ", ".join(_ctypes_type_name(t) for t in fp.argtypes)
    return f"{_ctypes_type_name(fp.restype)} ({args})"


def _lowlevelcallable_type():
    module = sys.modules.get("scipy._lib._ccallback")
    return getattr(module, "LowLevelCallable", None) if module is not None else None


def _cffi_function(obj):
    """(address, signature) if ``obj`` is a cffi function pointer, else None."""
    backend = sys.modules.get("_cffi_backend")
    cdata = getattr(backend, "_CDataBase", None) or getattr(backend, "CData", None)
    if cdata is None or not isinstance(obj, cdata):
        return None
    import cffi

    ffi = _cffi_function.ffi
    if ffi is None:
        ffi = _cffi_function.ffi = cffi.FFI()
    ctype = ffi.typeof(obj)
    if ctype.kind != "function":
        return None
    signature = ffi.getctype(ctype).replace("(*)", " ")
    return int(ffi.cast("uintptr_t", obj)), signature


_cffi_function.ffi = None


def _numba_cfunc(obj):
    """(address, signature) if ``obj`` is a numba ``@cfunc``, else None."""
    module = sys.modules.get("numba.core.ccallback")
    cfunc_type = getattr(module, "CFunc", None) if module is not None else None
    if cfunc_type is not None and isinstance(obj, cfunc_type):
        pass
    elif not (isinstance(getattr(obj, "address", None), int) and hasattr(obj, "_sig")
              and hasattr(obj, "ctypes")):
        return None
    return obj.address, _ctypes_signature(obj.ctypes)


def _c_callable(function, signatures):
    """(function address, user_data address) for a C callable, None for a Python callable.

    Raises scipy's ValueError for a bad signature or a non-callable.
    """
    if type(function) is _CapsuleType and _PyCapsule_GetName(function) is None:
        # Legacy bare capsule: pointer = function, context = user_data, no signature.
        return _PyCapsule_GetPointer(function, None), _PyCapsule_GetContext(function)
    llc = _lowlevelcallable_type()
    if llc is not None and isinstance(function, llc) and not callable(function):
        capsule = tuple.__getitem__(function, 0)
        name_p = _PyCapsule_GetName(capsule)
        name = None if name_p is None else ctypes.string_at(name_p).decode("utf-8", "replace")
        _check_signature(name, signatures)
        pointer = _PyCapsule_GetPointer(capsule, name_p)
        if not pointer:
            raise ValueError("PyCapsule_GetPointer failed")
        return pointer, _PyCapsule_GetContext(capsule)
    if isinstance(function, _CFuncPtr):
        signature = _ctypes_signature(function)
        if signature is not None:
            _check_signature(signature, signatures)
        return ctypes.cast(function, ctypes.c_void_p).value, None
    found = _cffi_function(function) or _numba_cfunc(function)
    if found is not None:
        _check_signature(found[1], signatures)
        return found[0], None
    if callable(function):
        return None
    raise ValueError("invalid callable given")


class _Trampoline:
    """A C function pointer that calls a Python callable the way scipy does."""

    def __init__(self, function, extra_arguments, extra_keywords):
        self.function = function
        self.args = extra_arguments
        self.kwargs = extra_keywords
        self.error = None
        self._views = {}

    def _view(self, address, length):
        key = (address, length)
        view = self._views.get(key)
        if view is None:
            if len(self._views) > 8:
                self._views.clear()
            view = np.ctypeslib.as_array((ctypes.c_double * length).from_address(address))
            self._views[key] = view
        return view

    def filter_func(self):
        def call(buffer, size, result, user_data):
            try:
                if size:
                    values = self._view(buffer, size).copy()
                else:
                    values = np.zeros(0)
                value = _as_double(self.function(values, *self.args, **self.kwargs))
                ctypes.c_double.from_address(result).value = value
                return 1
            except BaseException as exc:  # noqa: BLE001 - re-raised after the call
                self.error = exc
                return 0

        self._c = _py_filter_proto(call)
        return ctypes.cast(self._c, ndi_filter_func)

    def filter1d_func(self):
        def call(line, line_length, result, result_length, user_data):
            try:
                values = self._view(line, line_length).copy()
                out = np.zeros(result_length)
                self.function(values, out, *self.args, **self.kwargs)
                if result_length:
                    self._view(result, result_length)[...] = out
                return 1
            except BaseException as exc:  # noqa: BLE001 - re-raised after the call
                self.error = exc
                return 0

        self._c = _py_filter1d_proto(call)
        return ctypes.cast(self._c, ndi_filter1d_func)

    def transform_func(self):
        """scipy's ``Py_Map``: ``function(output_index_tuple, *extra_arguments,
        **extra_keywords)`` must return a tuple whose first ``input_rank`` items are
        converted with the float protocol (anything else: scipy's TypeError)."""
        index_types, coord_types = {}, {}

        def call(out_coords, in_coords, out_rank, in_rank, user_data):
            try:
                itype = index_types.get(out_rank)
                if itype is None:
                    itype = index_types[out_rank] = _intptr_t * out_rank
                index = tuple(itype.from_address(out_coords))
                result = self.function(index, *self.args, **self.kwargs)
                ctype = coord_types.get(in_rank)
                if ctype is None:
                    ctype = coord_types[in_rank] = ctypes.c_double * in_rank
                coords = ctype.from_address(in_coords)
                # PyTuple_GetItem: a real tuple (subclasses too, their overrides ignored).
                count = tuple.__len__(result) if isinstance(result, tuple) else 0
                for k in range(in_rank):
                    if k >= count:
                        raise TypeError("bad argument type for built-in operation")
                    coords[k] = _as_double(tuple.__getitem__(result, k))
                return 1
            except BaseException as exc:  # noqa: BLE001 - re-raised after the call
                self.error = exc
                return 0

        self._c = _py_transform_proto(call)
        return ctypes.cast(self._c, ndi_transform_func)


def _raise_failure(status, trampoline, callback_message):
    if trampoline is not None and trampoline.error is not None:
        error, trampoline.error = trampoline.error, None
        raise error
    message = ndi_last_error_message().decode("utf-8", "replace")
    if status == NDI_ERR_CALLBACK_FAILED:
        raise RuntimeError(f"{callback_message} ({message})")
    raise RuntimeError(message)


class _OutputTarget:
    """The array libndimage writes: the output itself, or a native temporary copied back."""

    def __init__(self, output):
        self.output = output
        if _needs_temporary(output):
            self.array = np.empty(output.shape, dtype=_native(output.dtype))
            self.array[...] = output
        else:
            self.array = output

    def finish(self):
        if self.array is not self.output:
            self.output[...] = self.array


def _native_input(input):
    if input.dtype.isnative:
        return input
    return input.astype(_native(input.dtype))


# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------

def generic_filter1d(input, function, filter_size, axis=-1,
                     output=None, mode="reflect", cval=0.0, origin=0,
                     extra_arguments=(), extra_keywords=None, *, workers=None,
                     thread_safe=False):
    """Calculate a 1-D filter along the given axis (``scipy.ndimage.generic_filter1d``).

    ``function`` is called once per line along ``axis`` with the line converted to double
    and extended by ``mode`` (``filter_size // 2 + origin`` samples before it), and fills the
    output line; see the module docstring for the accepted kinds of ``function``.

    Returns the filtered array (``output`` itself when an array was given).
    """
    if extra_keywords is None:
        extra_keywords = {}
    input = np.asarray(input)
    if np.iscomplexobj(input):
        raise TypeError("Complex type not supported")
    output = _new_output(output, input)
    if filter_size < 1:
        raise RuntimeError("invalid filter size")
    axis = _normalize_axis(axis, input.ndim)
    if (filter_size // 2 + origin < 0) or (filter_size // 2 + origin >= filter_size):
        raise ValueError("invalid origin")
    mode = _mode_code(mode)
    # What scipy's C layer checks, in its order.
    filter_size = operator.index(filter_size)
    axis = operator.index(axis)
    _check_writeable(output)
    cval = _as_double(cval)
    origin = operator.index(origin)
    _check_extras(extra_arguments, extra_keywords)
    c_function = _c_callable(function, _FILTER1D_SIGNATURES)

    source = _native_input(input)
    in_code = _dtype_code(source.dtype)
    if in_code is None:
        raise RuntimeError(f"array type {source.dtype!r} not supported")
    out_code = _dtype_code(_native(output.dtype))
    if out_code is None:
        raise RuntimeError(f"array type {_native(output.dtype)!r} not supported")

    trampoline = None
    if c_function is None:
        trampoline = _Trampoline(function, extra_arguments, extra_keywords)
        callback, user_data = trampoline.filter1d_func(), None
    else:
        callback, user_data = ndi_filter1d_func(c_function[0]), c_function[1]

    target = _OutputTarget(output)
    in_desc, in_keep = _describe(source, in_code)
    out_desc, out_keep = _describe(target.array, out_code)
    try:
        status = ndi_generic_filter1d(
            ctypes.byref(in_desc), ctypes.byref(out_desc), filter_size, axis, origin,
            mode, cval, callback, user_data,
            ctypes.byref(_options(0.0, workers, thread_safe, trampoline)))
    finally:
        target.finish()
    if status != NDI_OK:
        _raise_failure(status, trampoline, "unknown error in line processing function")
    return output


def generic_filter(input, function, size=None, footprint=None,
                   output=None, mode="reflect", cval=0.0, origin=0,
                   extra_arguments=(), extra_keywords=None, *, axes=None, workers=None,
                   thread_safe=False):
    """Calculate a multidimensional filter using the given function
    (``scipy.ndimage.generic_filter``).

    At each element ``function`` receives the input values under the footprint's true
    elements (in C order of the footprint, positions outside the input extended by ``mode``)
    and returns the output value; see the module docstring for the accepted kinds of
    ``function``.

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
    axes = _resolve_axes(axes, ndim)
    num_axes = len(axes)
    if footprint is None:
        if size is None:
            raise RuntimeError("no footprint or filter size provided")
        footprint = np.ones(_per_axis(size, num_axes), dtype=bool)
    else:
        footprint = np.asarray(footprint, dtype=bool)

    if num_axes < ndim:
        # The footprint's axes go to the filtered axes in increasing axis order; the
        # origins follow the order given in `axes`.
        if footprint.ndim != num_axes:
            raise RuntimeError(f"footprint.ndim ({footprint.ndim}) "
                               f"must match len(axes) ({num_axes})")
        footprint = np.expand_dims(footprint, tuple(a for a in range(ndim) if a not in axes))
    origins = _per_axis(origin, num_axes)
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
    output = _new_output(output, input)
    mode = _mode_code(mode)
    # What scipy's C layer checks, in its order.
    _check_writeable(output)
    cval = _as_double(cval)
    origins = [operator.index(o) for o in origins]
    _check_extras(extra_arguments, extra_keywords)
    c_function = _c_callable(function, _FILTER_SIGNATURES)

    if input.size == 0:
        return output  # scipy returns before looking at the element types
    source = _native_input(input)
    in_code = _dtype_code(source.dtype)
    out_code = _dtype_code(_native(output.dtype))
    if in_code is None or out_code is None:
        raise RuntimeError("array type not supported")

    if footprint.shape != tuple(fshape):
        # Zero-length axes beyond the input's rank: no element is selected.
        footprint = np.zeros(fshape, dtype=bool)
    if ndim == 0:
        # libndimage wants rank >= 1: one element with a one-element footprint.
        source = source.reshape(1)
        footprint = footprint.reshape(1)
        origins = [0]

    trampoline = None
    if c_function is None:
        trampoline = _Trampoline(function, extra_arguments, extra_keywords)
        callback, user_data = trampoline.filter_func(), None
    else:
        callback, user_data = ndi_filter_func(c_function[0]), c_function[1]

    target = _OutputTarget(output)
    out_array = target.array.reshape(1) if ndim == 0 else target.array
    in_desc, in_keep = _describe(source, in_code)
    out_desc, out_keep = _describe(out_array, out_code)
    fp_desc, fp_keep = _describe(footprint, NDI_DTYPE_BOOL)
    c_origins = (_intptr_t * len(origins))(*origins)
    try:
        status = ndi_generic_filter(
            ctypes.byref(in_desc), ctypes.byref(out_desc), ctypes.byref(fp_desc), None,
            ctypes.cast(c_origins, _INTPTR_P), mode, cval, callback, user_data,
            ctypes.byref(_options(0.0, workers, thread_safe, trampoline)))
    finally:
        target.finish()
    if status != NDI_OK:
        _raise_failure(status, trampoline, "unknown error in filter function")
    return output


# --------------------------------------------------------------------------------------
# Interpolation (scipy.ndimage._interpolation, 1.17.1)
# --------------------------------------------------------------------------------------

# Calls a mapping once with the GIL held and Python errors checked (see _probe_mapping).
_checked_transform_proto = ctypes.PYFUNCTYPE(
    ctypes.c_int, _INTPTR_P, ctypes.POINTER(ctypes.c_double), ctypes.c_int, ctypes.c_int,
    ctypes.c_void_p,
)


def _check_order(order):
    if order < 0 or order > 5:
        raise RuntimeError("spline order not supported")


def _array_type_error(dtype):
    """The error of scipy's line-buffer functions (spline_filter1d) for an unsupported type."""
    return RuntimeError(f"array type {_native(dtype)!r} not supported")


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
    _mode_code(mode)
    operator.index(order)
    if first > 0 and _dtype_code(_native(part.dtype)) is None:
        raise _array_type_error(part.dtype)


def _c_arguments(output, order, cval_re, cval_im, complex_input):
    """The checks of scipy's C argument parsing: writeable output, integer order, real
    cval (each part separately for a complex input)."""
    _check_writeable(output)
    order = operator.index(order)
    cval_re = _as_double(cval_re)
    cval_im = _as_double(cval_im) if complex_input else 0.0
    return order, cval_re, cval_im


def _interpolation_types_ok(source, output, complex_input):
    """True if libndimage (and scipy) interpolate between these element types."""
    in_code = _dtype_code(_native(source.dtype), complex_ok=True)
    out_code = _dtype_code(_native(output.dtype), complex_ok=True)
    if in_code is None or out_code is None:
        return False
    return (output.dtype.kind == "c") == complex_input


NDI_THREADS_DEFAULT = -1
NDI_FLAG_THREAD_SAFE_CALLBACK = 1


def _options(cval_imag=0.0, workers=None, thread_safe=False, trampoline=None):
    """An ``ndi_options`` for one call. ``workers`` as in ``scipy.fft``: None for the
    library's process-wide default (all cores unless changed with ``set_workers``), a
    positive count, or a negative one counted back from ``os.cpu_count()`` (-1 = all cores).
    ``thread_safe`` lets a compiled callback run on several threads; Python callables always
    run on the calling thread."""
    options = ndi_options()
    ndi_options_init(ctypes.byref(options))
    options.cval_imag = cval_imag
    options.threads = _workers_count(workers)
    if thread_safe and trampoline is None:
        options.flags |= NDI_FLAG_THREAD_SAFE_CALLBACK
    return options


def _workers_count(workers):
    if workers is None:
        return NDI_THREADS_DEFAULT
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


def set_workers(workers):
    """Sets the process-wide default thread count used when ``workers`` is None
    (``ndi_set_default_threads``): a positive count, or -1 for all cores."""
    count = 0 if workers == -1 else _workers_count(workers)
    status = ndi_set_default_threads(count)
    if status != NDI_OK:
        raise ValueError(ndi_last_error_message().decode())


def get_workers():
    """The process-wide default thread count (0 means all cores)."""
    return ndi_get_default_threads()


def _run(function, source, output, make_args, cval_imag=0.0, trampoline=None,
         callback_message="", extra=(), workers=None, thread_safe=False):
    """Calls ``function(*make_args(input, output, options, *extra))`` with pointers to
    ndi_array descriptors of ``source``, ``output`` (through a native temporary if needed)
    and the ``extra`` arrays, options carrying ``cval_imag``; raises a failure as the
    generic filters do."""
    options = _options(cval_imag, workers, thread_safe, trampoline)
    target = _OutputTarget(output)
    in_desc, in_keep = _describe(source, _dtype_code(source.dtype, complex_ok=True))
    out_desc, out_keep = _describe(target.array, _dtype_code(target.array.dtype,
                                                             complex_ok=True))
    extra_descs = [_describe(a, _dtype_code(a.dtype)) for a in extra]
    try:
        status = function(*make_args(ctypes.byref(in_desc), ctypes.byref(out_desc),
                                     ctypes.byref(options),
                                     *[ctypes.byref(d) for d, _ in extra_descs]))
    finally:
        target.finish()
    if status != NDI_OK:
        _raise_failure(status, trampoline, callback_message)
    return output


def _probe_mapping(callback, user_data, trampoline, output_rank, input_rank):
    """scipy calls the mapping for the first output element before it finds that an
    element type is unsupported: one call, its failure raised as scipy would."""
    index = (_intptr_t * output_rank)()
    coords = (ctypes.c_double * input_rank)()
    address = ctypes.cast(callback, ctypes.c_void_p).value
    if not _checked_transform_proto(address)(index, coords, output_rank, input_rank,
                                             user_data):
        if trampoline is not None and trampoline.error is not None:
            error, trampoline.error = trampoline.error, None
            raise error
        raise RuntimeError("unknown error in mapping function")


def geometric_transform(input, mapping, output_shape=None, output=None, order=3,
                        mode="constant", cval=0.0, prefilter=True, extra_arguments=(),
                        extra_keywords=None, *, workers=None, thread_safe=False):
    """Apply an arbitrary geometric transform (``scipy.ndimage.geometric_transform``).

    ``output[o] = input`` interpolated (spline ``order``) at ``mapping(o)``. ``mapping`` is a
    Python callable ``f(output_index_tuple, *extra_arguments, **extra_keywords)`` returning
    a tuple of ``input.ndim`` coordinates, or a C function
    ``int f(intptr_t *output_coordinates, double *input_coordinates, int output_rank,
    int input_rank, void *user_data)`` in any form the module docstring lists. The output
    rank (``len(output_shape)``) may differ from the input's. Complex inputs are transformed
    part by part (the mapping is called twice per element), as in scipy.
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
    output = _new_output(output, input, shape=output_shape, complex_output=complex_input)
    part, cval_re, cval_im = _parts(input, cval, complex_input)
    _prefilter_checks(part, order, mode, cval_re, prefilter)
    mode = _mode_code(mode)
    order, cval_re, cval_im = _c_arguments(output, order, cval_re, cval_im, complex_input)
    if mapping is None:
        raise RuntimeError("One of `map`, `matrix` or `coordinates` must be provided")
    _check_extras(extra_arguments, extra_keywords)
    c_function = _c_callable(mapping, _TRANSFORM_SIGNATURES)
    trampoline = None
    if c_function is None:
        trampoline = _Trampoline(mapping, extra_arguments, extra_keywords)
        callback, user_data = trampoline.transform_func(), None
    else:
        callback, user_data = ndi_transform_func(c_function[0]), c_function[1]
    source = _native_input(input)
    if output.size == 0:
        return output
    if not _interpolation_types_ok(source, output, complex_input):
        _probe_mapping(callback, user_data, trampoline, output.ndim, input.ndim)
        raise RuntimeError("data type not supported")
    pre = 1 if prefilter else 0
    return _run(ndi_geometric_transform, source, output,
                lambda i, o, opt: (i, o, order, mode, cval_re, pre, callback, user_data, opt),
                cval_im, trampoline, "unknown error in mapping function",
                workers=workers, thread_safe=thread_safe)


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
    output = _new_output(output, input, shape=output_shape, complex_output=complex_input)
    part, cval_re, cval_im = _parts(input, cval, complex_input)
    _prefilter_checks(part, order, mode, cval_re, prefilter)
    mode = _mode_code(mode)
    order, cval_re, cval_im = _c_arguments(output, order, cval_re, cval_im, complex_input)
    if output.size == 0:
        return output
    coords = _native_input(coordinates)
    if _dtype_code(coords.dtype) is None:
        raise RuntimeError("coordinate array data type not supported")
    source = _native_input(input)
    if not _interpolation_types_ok(source, output, complex_input):
        raise RuntimeError("data type not supported")
    pre = 1 if prefilter else 0
    return _run(ndi_map_coordinates, source, output,
                lambda i, o, opt, c: (i, c, o, order, mode, cval_re, pre, opt),
                cval_im, extra=(coords,), workers=workers)


def affine_transform(input, matrix, offset=0.0, output_shape=None, output=None,
                     order=3, mode="constant", cval=0.0, prefilter=True, *, workers=None):
    """Apply an affine transformation (``scipy.ndimage.affine_transform``):
    ``output[o] = input`` interpolated at ``matrix @ o + offset``.

    ``matrix``: 1-D (a diagonal, applied as ``(o + offset / m) * m``), ``(ndim, out_ndim)``,
    or the homogeneous ``(ndim, ndim + 1)`` / ``(ndim + 1, ndim + 1)`` forms whose last
    column is the offset (``offset`` is then ignored).
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
    output = _new_output(output, input, shape=output_shape, complex_output=complex_input)
    part, cval_re, cval_im = _parts(input, cval, complex_input)
    _prefilter_checks(part, order, mode, cval_re, prefilter)
    mode = _mode_code(mode)
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
    offset = np.asarray(_per_axis(offset, ndim), dtype=np.float64)
    if offset.ndim != 1 or offset.shape[0] < 1:
        raise RuntimeError("no proper offset provided")
    if matrix.ndim == 1:
        offset / matrix  # noqa: B018 - scipy computes this: its warnings for a zero entry
    order, cval_re, cval_im = _c_arguments(output, order, cval_re, cval_im, complex_input)
    if output.size == 0:
        return output
    source = _native_input(input)
    if not _interpolation_types_ok(source, output, complex_input):
        raise RuntimeError("data type not supported")
    # The matrix goes to libndimage in the form given (homogeneous ones included).
    matrix = np.ascontiguousarray(matrix)
    offset = np.ascontiguousarray(offset)
    c_shape = (_intptr_t * matrix.ndim)(*matrix.shape)
    c_matrix = matrix.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
    c_offset = offset.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
    pre = 1 if prefilter else 0
    return _run(ndi_affine_transform, source, output,
                lambda i, o, opt: (i, o, c_matrix, ctypes.cast(c_shape, _INTPTR_P),
                                   matrix.ndim, c_offset, order, mode, cval_re, pre, opt),
                cval_im, workers=workers)


def shift(input, shift, output=None, order=3, mode="constant", cval=0.0,
          prefilter=True, *, workers=None):
    """Shift an array (``scipy.ndimage.shift``): ``output[i] = input`` interpolated at
    ``i - shift`` (one shift per axis, or a scalar for all)."""
    _check_order(order)
    input = np.asarray(input)
    if input.ndim < 1:
        raise RuntimeError("input and output rank must be > 0")
    complex_input = np.iscomplexobj(input)
    output = _new_output(output, input, complex_output=complex_input)
    part, cval_re, cval_im = _parts(input, cval, complex_input)
    _prefilter_checks(part, order, mode, cval_re, prefilter)
    mode = _mode_code(mode)
    negated = np.asarray([-s for s in _per_axis(shift, input.ndim)], dtype=np.float64)
    order, cval_re, cval_im = _c_arguments(output, order, cval_re, cval_im, complex_input)
    if output.size == 0:
        return output
    source = _native_input(input)
    if not _interpolation_types_ok(source, output, complex_input):
        raise RuntimeError("data type not supported")
    if negated.shape != (input.ndim,):
        # scipy passes such an array on and reads it out of bounds.
        raise RuntimeError(f"shift must have one value per axis, got shape {negated.shape}")
    # ndi_shift negates again: exact, so the coordinates are scipy's i + (-shift).
    c_shift = np.ascontiguousarray(-negated)
    pointer = c_shift.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
    pre = 1 if prefilter else 0
    return _run(ndi_shift, source, output,
                lambda i, o, opt: (i, o, pointer, order, mode, cval_re, pre, opt),
                cval_im, workers=workers)


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
    zoom = _per_axis(zoom, input.ndim)
    output_shape = tuple([int(round(ii * jj)) for ii, jj in zip(input.shape, zoom)])
    complex_input = np.iscomplexobj(input)
    output = _new_output(output, input, shape=output_shape, complex_output=complex_input)
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
    mode = _mode_code(mode)
    order, cval_re, cval_im = _c_arguments(output, order, cval_re, cval_im, complex_input)
    grid = operator.index(grid_mode)
    if output.size == 0:
        return output
    source = _native_input(input)
    if not _interpolation_types_ok(source, output, complex_input):
        raise RuntimeError("data type not supported")
    pre = 1 if prefilter else 0
    return _run(ndi_zoom, source, output,
                lambda i, o, opt: (i, o, grid, order, mode, cval_re, pre, opt), cval_im,
                workers=workers)


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


def _degrees_ufunc(name, angle, cosine):
    """``scipy.special.cosdg`` / ``sindg`` as ufuncs: loops d->d and f->f; an exact match
    first (float32 in, float32 out), else the first safe cast in the order d, f; anything
    else is numpy's TypeError."""
    a = np.asarray(angle)
    if a.dtype == np.float32:
        kind = np.float32
    elif np.can_cast(a.dtype, np.float64, "safe"):
        kind = np.float64
    elif np.can_cast(a.dtype, np.float32, "safe"):
        kind = np.float32
    else:
        raise TypeError(f"ufunc '{name}' not supported for the input types, and the inputs "
                        "could not be safely coerced to any supported types according to "
                        "the casting rule ''safe''")
    values = [kind(_degrees(float(v), cosine)) for v in a.astype(np.float64).reshape(-1)]
    result = np.array(values, dtype=kind).reshape(a.shape)
    return result[()]


def rotate(input, angle, axes=(1, 0), reshape=True, output=None, order=3,
           mode="constant", cval=0.0, prefilter=True, *, workers=None):
    """Rotate an array by ``angle`` degrees in the plane of ``axes``
    (``scipy.ndimage.rotate``): scipy's exact-degree rotation matrix and centring, then
    ``affine_transform`` (plane by plane for more than two dimensions, as scipy does, so
    the prefilter runs on each plane)."""
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
    c = _degrees_ufunc("cosdg", angle, True)
    s = _degrees_ufunc("sindg", angle, False)
    rot_matrix = np.array([[c, s], [-s, c]])
    img_shape = np.asarray(input_arr.shape)
    in_plane_shape = img_shape[axes]
    if reshape:
        iy, ix = in_plane_shape
        out_bounds = rot_matrix @ [[0, 0, iy, iy], [0, ix, 0, ix]]
        out_plane_shape = (np.ptp(out_bounds, axis=1) + 0.5).astype(int)
    else:
        out_plane_shape = img_shape[axes]
    out_center = rot_matrix @ ((out_plane_shape - 1) / 2)
    in_center = (in_plane_shape - 1) / 2
    offset = in_center - out_center
    output_shape = img_shape
    output_shape[axes] = out_plane_shape
    output_shape = tuple(output_shape)
    complex_output = np.iscomplexobj(input_arr)
    output = _new_output(output, input_arr, shape=output_shape,
                         complex_output=complex_output)
    if ndim <= 2:
        affine_transform(input_arr, rot_matrix, offset, output_shape, output, order, mode,
                         cval, prefilter, workers=workers)
    else:
        planes_coord = itertools.product(
            *[[slice(None)] if ax in axes else range(img_shape[ax]) for ax in range(ndim)])
        out_plane_shape = tuple(out_plane_shape)
        for coordinates in planes_coord:
            affine_transform(input_arr[coordinates], rot_matrix, offset, out_plane_shape,
                             output[coordinates], order, mode, cval, prefilter,
                             workers=workers)
    return output


def _spline_output_checks(source_part, output, complex_input, length):
    """scipy's line buffers reject unsupported element types, unless the axis is empty."""
    if length < 1:
        return
    if _dtype_code(_native(source_part.dtype)) is None:
        raise _array_type_error(source_part.dtype)
    out_part = output.real if complex_input else output
    if _dtype_code(_native(out_part.dtype)) is None:
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
    output = _new_output(output, input, complex_output=complex_input)
    if order in [0, 1]:
        if complex_input:
            output.real[...] = np.array(input.real)
            output.imag[...] = np.array(input.imag)
        else:
            output[...] = np.array(input)
        return output
    part = input.real if complex_input else input
    mode = _mode_code(mode)
    axis = _normalize_axis(axis, input.ndim)
    # scipy's C argument parsing: order, axis, then the output.
    order = operator.index(order)
    axis = operator.index(axis)
    _check_writeable(output)
    _spline_output_checks(part, output, complex_input, input.shape[axis])
    return _run(ndi_spline_filter1d, _native_input(input), output,
                lambda i, o, opt: (i, o, order, axis, mode, opt), workers=workers)


def spline_filter(input, order=3, output=np.float64, mode="mirror", *, workers=None):
    """Multidimensional spline filter (``scipy.ndimage.spline_filter``): ``spline_filter1d``
    along every axis in turn, each pass stored in the output's type (so integer outputs
    truncate between passes), as in scipy.
    """
    if order < 2 or order > 5:
        raise RuntimeError("spline order not supported")
    input = np.asarray(input)
    complex_input = np.iscomplexobj(input)
    output = _new_output(output, input, complex_output=complex_input)
    if input.ndim == 0:
        if complex_input:
            output.real[...] = input.real[...]
            output.imag[...] = input.imag[...]
        else:
            output[...] = input[...]
        return output
    part = input.real if complex_input else input
    mode = _mode_code(mode)
    order = operator.index(order)
    _check_writeable(output)
    for axis in range(input.ndim):
        # Pass `axis` reads the input (axis 0) or the output of the previous pass.
        _spline_output_checks(part if axis == 0 else (output.real if complex_input
                                                      else output),
                              output, complex_input, input.shape[axis])
    return _run(ndi_spline_filter, _native_input(input), output,
                lambda i, o, opt: (i, o, order, mode, opt), workers=workers)
