"""The callback arguments of the generic filters and ``geometric_transform``: which objects
are C functions (their address and ``user_data``), and trampolines that let libndimage call
a Python callable as scipy does (C function pointers of the generated ``ndi_*_func`` types).

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

Callbacks run on the calling thread unless ``thread_safe=True`` is passed with a compiled
callback (see ``workers=`` above).
"""

import ctypes
import datetime
import sys

import numpy as np

from . import _capi
from ._support import as_double

# --------------------------------------------------------------------------------------
# Recognising C functions
# --------------------------------------------------------------------------------------

_PyCapsule_GetName = ctypes.pythonapi.PyCapsule_GetName
_PyCapsule_GetName.restype = ctypes.c_void_p
_PyCapsule_GetName.argtypes = [ctypes.py_object]
_PyCapsule_GetPointer = ctypes.pythonapi.PyCapsule_GetPointer
_PyCapsule_GetPointer.restype = ctypes.c_void_p
_PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_void_p]
_PyCapsule_GetContext = ctypes.pythonapi.PyCapsule_GetContext
_PyCapsule_GetContext.restype = ctypes.c_void_p
_PyCapsule_GetContext.argtypes = [ctypes.py_object]

_CapsuleType = type(datetime.datetime_CAPI)
_CFuncPtr = ctypes.CFUNCTYPE(ctypes.c_int).__mro__[1]  # ctypes._CFuncPtr


def signatures(template):
    """The signature strings scipy accepts for ``template`` (``{T}``: the pointer-sized
    integer type), in scipy's order, for this platform."""
    size_types = ["intptr_t", "npy_intp"]
    intp = ctypes.sizeof(ctypes.c_void_p)
    for name, ctype in (("short", ctypes.c_short), ("int", ctypes.c_int),
                        ("long", ctypes.c_long), ("long long", ctypes.c_longlong)):
        if ctypes.sizeof(ctype) == intp:
            size_types.append(name)
    return [template.format(T=t) for t in size_types]


def _check_signature(name, accepted):
    if name not in accepted:
        shown = "NULL" if name is None else name
        raise ValueError(f'Invalid scipy.LowLevelCallable signature "{shown}". '
                         f"Expected one of: {accepted!r}")


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


def c_function(function, accepted):
    """(function address, user_data address) for a C callable, None for a Python callable.

    Raises scipy's ValueError for a signature not in ``accepted`` or a non-callable.
    """
    if type(function) is _CapsuleType and _PyCapsule_GetName(function) is None:
        # Legacy bare capsule: pointer = function, context = user_data, no signature.
        return _PyCapsule_GetPointer(function, None), _PyCapsule_GetContext(function)
    llc = _lowlevelcallable_type()
    if llc is not None and isinstance(function, llc) and not callable(function):
        capsule = tuple.__getitem__(function, 0)
        name_p = _PyCapsule_GetName(capsule)
        name = None if name_p is None else ctypes.string_at(name_p).decode("utf-8", "replace")
        _check_signature(name, accepted)
        pointer = _PyCapsule_GetPointer(capsule, name_p)
        if not pointer:
            raise ValueError("PyCapsule_GetPointer failed")
        return pointer, _PyCapsule_GetContext(capsule)
    if isinstance(function, _CFuncPtr):
        signature = _ctypes_signature(function)
        if signature is not None:
            _check_signature(signature, accepted)
        return ctypes.cast(function, ctypes.c_void_p).value, None
    found = _cffi_function(function) or _numba_cfunc(function)
    if found is not None:
        _check_signature(found[1], accepted)
        return found[0], None
    if callable(function):
        return None
    raise ValueError("invalid callable given")


# --------------------------------------------------------------------------------------
# Trampolines: Python callables as C functions
# --------------------------------------------------------------------------------------

def _address_prototype(functype):
    """``functype`` (a generated ``ndi_*_func``) with every pointer argument as a plain
    address: the same C ABI, but ctypes calls the Python side faster."""
    argtypes = [ctypes.c_void_p if issubclass(t, ctypes._Pointer) else t
                for t in functype._argtypes_]
    return ctypes.CFUNCTYPE(functype._restype_, *argtypes)


class _Trampoline:
    """Calls a Python callable the way scipy does, from a C function pointer. ``error``: the
    exception the callable raised (the C side then sees 0, a failure)."""

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

    def _wrap(self, functype, call):
        """A ``functype`` pointer to ``call``, whose exceptions are kept in ``error``."""

        def guarded(*args):
            try:
                return call(*args)
            except BaseException as exc:  # noqa: BLE001 - re-raised after the call
                self.error = exc
                return 0

        self._c = _address_prototype(functype)(guarded)
        return ctypes.cast(self._c, functype)

    def filter(self):
        """scipy's ``Py_FilterFunc``: ``function(buffer_copy, *args, **kwargs)`` as a
        float."""

        def call(buffer, size, result, user_data):
            values = self._view(buffer, size).copy() if size else np.zeros(0)
            value = as_double(self.function(values, *self.args, **self.kwargs))
            ctypes.c_double.from_address(result).value = value
            return 1

        return self._wrap(_capi.ndi_filter_func, call)

    def filter1d(self):
        """scipy's ``Py_Filter1DFunc``: ``function(input_line, output_line, *args,
        **kwargs)`` fills a zeroed output line, which is stored."""

        def call(line, line_length, result, result_length, user_data):
            values = self._view(line, line_length).copy()
            out = np.zeros(result_length)
            self.function(values, out, *self.args, **self.kwargs)
            if result_length:
                self._view(result, result_length)[...] = out
            return 1

        return self._wrap(_capi.ndi_filter1d_func, call)

    def transform(self):
        """scipy's ``Py_Map``: ``function(output_index_tuple, *args, **kwargs)`` must return
        a tuple whose first ``input_rank`` items are converted with the float protocol
        (anything else: scipy's TypeError)."""
        index_types, coord_types = {}, {}

        def call(out_coords, in_coords, out_rank, in_rank, user_data):
            itype = index_types.get(out_rank)
            if itype is None:
                itype = index_types[out_rank] = ctypes.c_ssize_t * out_rank
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
                coords[k] = as_double(tuple.__getitem__(result, k))
            return 1

        return self._wrap(_capi.ndi_transform_func, call)


# --------------------------------------------------------------------------------------
# The callback argument of a libndimage function
# --------------------------------------------------------------------------------------

class _Kind:
    """One kind of callback: its C type, the signatures scipy accepts, the trampoline
    maker and scipy's message for a C callback that fails without a Python exception."""

    def __init__(self, functype, template, trampoline, failure_message):
        self.functype = functype
        self.signatures = signatures(template)
        self.trampoline = trampoline
        self.failure_message = failure_message


KINDS = {
    "filter": _Kind(_capi.ndi_filter_func, "int (double *, {T}, double *, void *)",
                    _Trampoline.filter, "unknown error in filter function"),
    "filter1d": _Kind(_capi.ndi_filter1d_func, "int (double *, {T}, double *, {T}, void *)",
                      _Trampoline.filter1d, "unknown error in line processing function"),
    "transform": _Kind(_capi.ndi_transform_func, "int ({T} *, double *, int, int, void *)",
                       _Trampoline.transform, "unknown error in mapping function"),
}


class Callback:
    """A ``function``/``mapping`` argument ready for the C call: ``pointer`` (of the
    kind's ``ndi_*_func`` type) and ``user_data`` go into the C arguments; the object itself
    goes to :func:`._support.call` as ``callback=`` for the options and the errors.

    Raises scipy's ValueError for a bad signature or a non-callable.
    """

    def __init__(self, function, kind, extra_arguments=(), extra_keywords=None,
                 thread_safe=False):
        kind = KINDS[kind]
        self.failure_message = kind.failure_message
        found = c_function(function, kind.signatures)
        if found is None:
            self.trampoline = _Trampoline(function, extra_arguments, extra_keywords or {})
            self.pointer, self.user_data = kind.trampoline(self.trampoline), None
        else:
            self.trampoline = None
            self.pointer, self.user_data = kind.functype(found[0]), found[1]
        # Python callables always run on the calling thread.
        self.thread_safe = bool(thread_safe) and self.trampoline is None

    def raise_error(self):
        """Raises (once) the exception a Python callable raised, if any."""
        if self.trampoline is not None and self.trampoline.error is not None:
            error, self.trampoline.error = self.trampoline.error, None
            raise error
