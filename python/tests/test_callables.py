"""Every accepted form of ``function`` gives scipy's numbers; failures behave like scipy's."""

import ctypes

import numpy as np
import pytest
import scipy
import scipy.ndimage as sndi

import _support as S
import libndimage as lndi

SIG_GF = "int (double *, intptr_t, double *, void *)"
SIG_1D = "int (double *, intptr_t, double *, intptr_t, void *)"

_new_capsule = ctypes.pythonapi.PyCapsule_New
_new_capsule.restype = ctypes.py_object
_new_capsule.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
_set_context = ctypes.pythonapi.PyCapsule_SetContext
_set_context.restype = ctypes.c_int
_set_context.argtypes = [ctypes.py_object, ctypes.c_void_p]

# PyCapsule_New keeps the name pointer: these bytes objects must outlive the capsules.
_NAMES = {}


def capsule(pointer, name=None, context=None):
    if name is not None:
        name = _NAMES.setdefault(name, name.encode())
    cap = _new_capsule(pointer, name, None)
    if context is not None:
        _set_context(cap, context)
    return cap


@pytest.fixture(scope="module")
def cffi_lib(callbacks_path):
    cffi = pytest.importorskip("cffi")
    ffi = cffi.FFI()
    ffi.cdef("""
        int gf_wsum(double *, intptr_t, double *, void *);
        int gf_scaled(double *, intptr_t, double *, void *);
        int gf1d_wmoving(double *, intptr_t, double *, intptr_t, void *);
        int gf1d_scaled(double *, intptr_t, double *, intptr_t, void *);
    """)
    return ffi, ffi.dlopen(callbacks_path)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(5)
    return rng.normal(size=(5, 6, 4)) * 10


def check_gf(data, function_ours, function_scipy, tally, **kwargs):
    kwargs.setdefault("footprint", np.array([[[1, 0, 1], [1, 1, 0]]], bool))
    kwargs.setdefault("mode", "mirror")
    expected = sndi.generic_filter(data, function_scipy, **kwargs)
    got = lndi.generic_filter(data, function_ours, **kwargs)
    matched = S.same_bits(expected, got)
    tally.add("generic_filter", matched)
    assert matched, S.describe_mismatch(kwargs, expected, got)


def check_1d(data, function_ours, function_scipy, tally, **kwargs):
    kwargs.setdefault("mode", "wrap")
    kwargs.setdefault("axis", 1)
    expected = sndi.generic_filter1d(data, function_scipy, 4, origin=1, **kwargs)
    got = lndi.generic_filter1d(data, function_ours, 4, origin=1, **kwargs)
    matched = S.same_bits(expected, got)
    tally.add("generic_filter1d", matched)
    assert matched, S.describe_mismatch(kwargs, expected, got)


# --------------------------------------------------------------------------------------
# Forms scipy accepts
# --------------------------------------------------------------------------------------

def test_python_callable(data, tally):
    check_gf(data, S.py_wsum, S.py_wsum, tally)
    check_gf(data, S.py_wsum, S.py_wsum, tally, extra_arguments=(3.0,),
             extra_keywords={"offset": -1.0})
    check_1d(data, S.py_wmoving, S.py_wmoving, tally)
    check_1d(data, S.py_wmoving, S.py_wmoving, tally, extra_arguments=(0.5, 2.0))


def test_python_callable_builtin_and_numpy(data, tally):
    check_gf(data, np.max, np.max, tally)
    check_gf(data, np.median, np.median, tally, size=3, footprint=None)


def test_lowlevelcallable_from_ctypes(data, clib, tally):
    check_gf(data, S.llc(clib, "gf_wsum"), S.llc(clib, "gf_wsum"), tally)
    check_1d(data, S.llc(clib, "gf1d_wmoving"), S.llc(clib, "gf1d_wmoving"), tally)


def test_lowlevelcallable_from_cffi(data, cffi_lib, tally):
    ffi, lib = cffi_lib
    gf = scipy.LowLevelCallable(lib.gf_wsum)
    assert gf.signature == SIG_GF
    check_gf(data, gf, gf, tally)
    g1 = scipy.LowLevelCallable(lib.gf1d_wmoving)
    check_1d(data, g1, g1, tally)
    scale = ffi.new("double *", -2.5)
    gf = scipy.LowLevelCallable(lib.gf_scaled, ffi.cast("void *", scale))
    check_gf(data, gf, gf, tally)
    g1 = scipy.LowLevelCallable(lib.gf1d_scaled, ffi.cast("void *", scale))
    check_1d(data, g1, g1, tally)


@pytest.mark.parametrize("size_type", ["intptr_t", "npy_intp", "long", "long long"])
def test_lowlevelcallable_from_capsule_every_signature(data, clib, size_type, tally):
    gf = capsule(S.address(clib.gf_wsum), f"int (double *, {size_type}, double *, void *)")
    check_gf(data, scipy.LowLevelCallable(gf), scipy.LowLevelCallable(gf), tally)
    g1 = capsule(S.address(clib.gf1d_wmoving),
                 f"int (double *, {size_type}, double *, {size_type}, void *)")
    check_1d(data, scipy.LowLevelCallable(g1), scipy.LowLevelCallable(g1), tally)


def test_user_data_forms(data, clib, cffi_lib, tally):
    ffi, _ = cffi_lib
    scale = ctypes.c_double(0.375)
    pointer = ctypes.addressof(scale)
    forms = [
        ctypes.c_void_p(pointer),
        ctypes.cast(ctypes.pointer(scale), ctypes.c_void_p),
        ffi.cast("void *", pointer),
        capsule(pointer, "scale"),
    ]
    for user_data in forms:
        gf = scipy.LowLevelCallable(clib.gf_scaled, user_data)
        check_gf(data, gf, gf, tally)
        g1 = scipy.LowLevelCallable(clib.gf1d_scaled, user_data)
        check_1d(data, g1, g1, tally)
    # The capsule's context is the user_data when none is given.
    gf = scipy.LowLevelCallable(capsule(S.address(clib.gf_scaled), SIG_GF, pointer))
    check_gf(data, gf, gf, tally)
    g1 = scipy.LowLevelCallable(capsule(S.address(clib.gf1d_scaled), SIG_1D, pointer))
    check_1d(data, g1, g1, tally)
    # ... and no user_data at all means NULL (the callbacks then scale by 1000.5).
    got = lndi.generic_filter(data, S.llc(clib, "gf_scaled"), size=2)
    np.testing.assert_array_equal(
        got, lndi.generic_filter(data, S.llc(clib, "gf_wsum"), size=2) * 1000.5)


def test_legacy_capsule_without_name(data, clib, tally):
    scale = ctypes.c_double(-4.0)
    gf = capsule(S.address(clib.gf_scaled), None, ctypes.addressof(scale))
    check_gf(data, gf, gf, tally)
    g1 = capsule(S.address(clib.gf1d_scaled), None, ctypes.addressof(scale))
    check_1d(data, g1, g1, tally)
    gf = capsule(S.address(clib.gf_wsum))
    check_gf(data, gf, gf, tally)


# --------------------------------------------------------------------------------------
# Forms only libndimage accepts as C functions (scipy would call them as Python)
# --------------------------------------------------------------------------------------

def test_raw_ctypes_function_pointer(data, clib, tally):
    check_gf(data, clib.gf_wsum, S.llc(clib, "gf_wsum"), tally)
    check_1d(data, clib.gf1d_wmoving, S.llc(clib, "gf1d_wmoving"), tally)
    # A CFUNCTYPE prototype instance is a function pointer too.
    proto = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_double), ctypes.c_ssize_t,
                             ctypes.POINTER(ctypes.c_double), ctypes.c_void_p)
    fp = proto(S.address(clib.gf_wsum))
    check_gf(data, fp, S.llc(clib, "gf_wsum"), tally)
    # Without argtypes the signature cannot be checked; it is used as given.
    bare = ctypes.CDLL(clib.path).gf_wsum
    assert bare.argtypes is None
    check_gf(data, bare, S.llc(clib, "gf_wsum"), tally)


def test_raw_ctypes_function_pointer_bad_signature(data, clib):
    proto = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_double), ctypes.c_int,
                             ctypes.POINTER(ctypes.c_double), ctypes.c_void_p)
    fp = proto(S.address(clib.gf_wsum))
    with pytest.raises(ValueError) as ours:
        lndi.generic_filter(data, fp, size=2)
    with pytest.raises(ValueError) as theirs:
        sndi.generic_filter(data, scipy.LowLevelCallable(fp), size=2)
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError, match="Invalid scipy.LowLevelCallable signature"):
        lndi.generic_filter1d(data, clib.gf_wsum, 3)


def test_raw_cffi_function_pointer(data, cffi_lib, tally):
    ffi, lib = cffi_lib
    check_gf(data, lib.gf_wsum, scipy.LowLevelCallable(lib.gf_wsum), tally)
    check_1d(data, lib.gf1d_wmoving, scipy.LowLevelCallable(lib.gf1d_wmoving), tally)
    with pytest.raises(ValueError, match="Invalid scipy.LowLevelCallable signature"):
        lndi.generic_filter(data, lib.gf1d_wmoving, size=2)
    # Other cffi pointers are Python-callable objects for scipy (calling them fails).
    for lib in (sndi, lndi):
        with pytest.raises(TypeError, match="cdata 'double \\*' is not callable"):
            lib.generic_filter(data, ffi.new("double *"), size=2)


def test_numba_cfunc(data, tally):
    numba = pytest.importorskip("numba")
    from numba import types as nt

    @numba.cfunc(nt.intc(nt.CPointer(nt.float64), nt.intp, nt.CPointer(nt.float64),
                         nt.voidptr))
    def wsum(buffer, size, result, user_data):
        s = 0.0
        for i in range(size):
            s += buffer[i] * (i + 1.37)
        result[0] = s
        return 1

    @numba.cfunc(nt.intc(nt.CPointer(nt.float64), nt.intp, nt.CPointer(nt.float64), nt.intp,
                         nt.voidptr))
    def wmoving(line, line_length, out, out_length, user_data):
        fs = line_length - out_length + 1
        for i in range(out_length):
            s = 0.0
            for k in range(fs):
                s += line[i + k] * (k + 1.37)
            out[i] = s
        return 1

    gf = scipy.LowLevelCallable(wsum.ctypes)
    g1 = scipy.LowLevelCallable(wmoving.ctypes)
    check_gf(data, wsum, gf, tally)
    check_gf(data, gf, gf, tally)
    check_1d(data, wmoving, g1, tally)
    check_1d(data, g1, g1, tally)
    with pytest.raises(ValueError, match="Invalid scipy.LowLevelCallable signature"):
        lndi.generic_filter(data, wmoving, size=2)


# --------------------------------------------------------------------------------------
# Call sequence seen by Python callables
# --------------------------------------------------------------------------------------

def test_python_callable_sees_scipy_buffers_in_order():
    data = np.arange(24.0).reshape(4, 6)[:, ::-1].T  # F-ordered, negative strides
    fp = np.array([[1, 0, 1], [0, 1, 1]], bool)

    def recorder(store):
        def f(buffer, *args, **kwargs):
            store.append((buffer.copy(), buffer.dtype, buffer.flags.writeable, args, kwargs))
            buffer[:] = -1.0  # must not leak into later calls
            return len(store) * 0.5
        return f

    seen_scipy, seen_ours = [], []
    expected = sndi.generic_filter(data, recorder(seen_scipy), footprint=fp, mode="nearest",
                                   origin=(0, -1), extra_arguments=(1, "x"),
                                   extra_keywords={"k": None})
    got = lndi.generic_filter(data, recorder(seen_ours), footprint=fp, mode="nearest",
                              origin=(0, -1), extra_arguments=(1, "x"),
                              extra_keywords={"k": None})
    assert S.same_bits(expected, got)
    assert len(seen_ours) == len(seen_scipy) == data.size
    for (b1, d1, w1, a1, k1), (b2, d2, w2, a2, k2) in zip(seen_scipy, seen_ours):
        assert S.same_bits(b1, b2)
        assert (d1, w1, a1, k1) == (d2, w2, a2, k2)


def test_python_callable_1d_sees_scipy_lines_in_order():
    data = np.arange(60.0).reshape(3, 4, 5) ** 1.1

    def recorder(store):
        def f(line, out, *args):
            store.append((line.copy(), out.copy(), args))
            out[:] = line[: len(out)] * 2 + len(store)
            line[:] = 0.0
            return "ignored"
        return f

    seen_scipy, seen_ours = [], []
    expected = sndi.generic_filter1d(data, recorder(seen_scipy), 3, axis=1, mode="reflect",
                                     origin=-1, extra_arguments=(7,))
    got = lndi.generic_filter1d(data, recorder(seen_ours), 3, axis=1, mode="reflect",
                                origin=-1, extra_arguments=(7,))
    assert S.same_bits(expected, got)
    assert len(seen_ours) == len(seen_scipy) == 15
    for (l1, o1, a1), (l2, o2, a2) in zip(seen_scipy, seen_ours):
        assert S.same_bits(l1, l2) and S.same_bits(o1, o2) and a1 == a2
        assert not o2.any()  # a fresh zero-filled output line for every call


@pytest.mark.parametrize("value", [3, True, np.float32(2.5), np.array(4.25), np.int64(-3),
                                   2**70])
def test_python_callable_return_values_float_protocol(value):
    data = np.arange(5.0)
    expected = sndi.generic_filter(data, lambda b: value, size=2)
    got = lndi.generic_filter(data, lambda b: value, size=2)
    assert S.same_bits(expected, got)


# --------------------------------------------------------------------------------------
# Failures
# --------------------------------------------------------------------------------------

def test_c_callback_failure_generic_filter(clib):
    data = np.arange(30.0).reshape(5, 6)
    results = []
    for lib in (sndi, lndi):
        left = ctypes.c_long(8)
        function = S.llc(clib, "gf_fail_after", ctypes.cast(ctypes.pointer(left),
                                                            ctypes.c_void_p))
        out = np.full(data.shape, -9.0)
        with pytest.raises(RuntimeError) as info:
            lib.generic_filter(data, function, size=3, output=out)
        results.append((str(info.value), out))
    assert results[1][0].startswith(results[0][0])  # "unknown error in filter function"
    # Both write the elements before the failing one and nothing after it.
    assert S.same_bits(results[0][1], results[1][1])
    assert (results[1][1].reshape(-1)[8:] == -9.0).all()


def test_c_callback_failure_generic_filter1d(clib):
    data = np.arange(30.0).reshape(5, 6)
    full = lndi.generic_filter1d(data, S.llc(clib, "gf1d_wmoving"), 3)
    left = ctypes.c_long(2)
    function = S.llc(clib, "gf1d_fail_after", ctypes.cast(ctypes.pointer(left),
                                                          ctypes.c_void_p))
    out = np.full(data.shape, -9.0)
    with pytest.raises(RuntimeError, match="^unknown error in line processing function"):
        lndi.generic_filter1d(data, function, 3, output=out)
    with pytest.raises(RuntimeError, match="^unknown error in line processing function$"):
        left.value = 2
        sndi.generic_filter1d(data, function, 3, output=np.zeros_like(data))
    # libndimage keeps the lines before the failing one (scipy drops the current batch).
    np.testing.assert_array_equal(out[:2], full[:2])
    assert (out[2:] == -9.0).all()


class _SetErrorData(ctypes.Structure):
    _fields_ = [("set_string", ctypes.c_void_p), ("type", ctypes.c_void_p),
                ("left", ctypes.c_long)]


@pytest.mark.parametrize("name", ["generic_filter", "generic_filter1d"])
def test_c_callback_setting_a_python_exception(name, clib):
    """A C callback that sets a Python exception (through the C API) and returns 0: the
    exception is what both libraries raise (the GIL is held while callbacks run)."""
    set_string = ctypes.cast(ctypes.pythonapi.PyErr_SetString, ctypes.c_void_p).value
    exc_type = ctypes.c_void_p.in_dll(ctypes.pythonapi, "PyExc_LookupError").value
    data = np.arange(30.0).reshape(5, 6)
    for lib in (sndi, lndi):
        state = _SetErrorData(set_string, exc_type, 4)
        user_data = ctypes.cast(ctypes.pointer(state), ctypes.c_void_p)
        if name == "generic_filter":
            fn = S.llc(clib, "gf_set_error", user_data)
            with pytest.raises(LookupError, match="^raised from C$"):
                lib.generic_filter(data, fn, size=2)
        else:
            fn = S.llc(clib, "gf1d_set_error", user_data)
            with pytest.raises(LookupError, match=r"^raised from C \(1d\)$"):
                lib.generic_filter1d(data, fn, 2)


class MyError(Exception):
    pass


def _raise_on_third_call(calls):
    def f(buffer):
        calls.append(1)
        if len(calls) == 3:
            raise MyError("boom")
        return 1.0
    return f


def test_python_exception_propagates():
    data = np.arange(12.0)
    calls = []
    with pytest.raises(MyError, match="^boom$"):
        lndi.generic_filter(data, _raise_on_third_call(calls), size=3)
    assert len(calls) == 3  # stops at once

    def g(line, out):
        raise KeyError("line")

    for lib in (sndi, lndi):
        with pytest.raises(KeyError, match="line"):
            lib.generic_filter1d(data.reshape(3, 4), g, 2)


def test_python_exception_scipy_quirk():
    """scipy keeps calling the callable after it raised (with the exception still set), so
    on Python 3.11 it ends in a SystemError; libndimage re-raises the original exception
    (tested above). This pins the scipy behaviour that is deliberately not copied."""
    calls = []
    with pytest.raises((SystemError, MyError)):
        sndi.generic_filter(np.arange(12.0), _raise_on_third_call(calls), size=3)
    assert len(calls) == 12


def test_python_exception_traceback_points_into_the_callable():
    def f(buffer):
        raise ZeroDivisionError("inside f")

    with pytest.raises(ZeroDivisionError) as info:
        lndi.generic_filter(np.ones(3), f, size=1)
    assert any(entry.name == "f" for entry in info.traceback)


def test_nested_calls_from_a_python_callable(clib):
    """A Python callable may itself call libndimage (the GIL stays held throughout)."""
    inner = S.llc(clib, "gf_wsum")

    def f(buffer):
        return float(lndi.generic_filter(buffer, inner, size=2).sum())

    data = np.arange(20.0).reshape(4, 5)
    expected = sndi.generic_filter(data, lambda b: float(
        sndi.generic_filter(b, inner, size=2).sum()), size=(2, 3))
    assert S.same_bits(expected, lndi.generic_filter(data, f, size=(2, 3)))


def test_threads(clib):
    """Calls from several threads (Python and C callables) give the single-thread results."""
    import concurrent.futures

    rng = np.random.default_rng(9)
    inputs = [rng.normal(size=(12, 13)) for _ in range(8)]
    c_fn = S.llc(clib, "gf_wsum")

    def work(k):
        fn = S.py_wsum if k % 2 else c_fn
        return lndi.generic_filter(inputs[k], fn, size=(3, 2), mode="wrap")

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(work, range(8)))
    for k, r in enumerate(results):
        fn = S.py_wsum if k % 2 else c_fn
        assert S.same_bits(r, sndi.generic_filter(inputs[k], fn, size=(3, 2), mode="wrap"))


@pytest.mark.parametrize("calls", [0, 1, 37, 250, 999])
def test_failure_writes_the_same_prefix_for_every_input_layout(clib, calls):
    """A callback failing after `calls` calls leaves the elements before it (C order)
    written, whatever the input's layout (a transposed input is read in blocks of lines)."""
    rng = np.random.default_rng(calls)
    data = rng.standard_normal((23, 45))
    results = []
    for x in (data, np.asfortranarray(data), data[::-1, ::-1].copy()[::-1, ::-1]):
        left = ctypes.c_long(calls)
        function = S.llc(clib, "gf_fail_after",
                         ctypes.cast(ctypes.pointer(left), ctypes.c_void_p))
        out = np.full(data.shape, -7.0)
        with pytest.raises(RuntimeError):
            lndi.generic_filter(x, function, footprint=[[1, 1, 0], [0, 1, 1], [1, 0, 1]],
                                output=out, mode="mirror")
        results.append(out)
    assert S.same_bits(results[0], results[1]) and S.same_bits(results[0], results[2])
    assert np.count_nonzero(results[0].ravel() != -7.0) == calls
