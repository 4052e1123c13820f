"""Bad arguments raise what scipy raises: the same exception type and message."""

import ctypes
import warnings

import numpy as np
import pytest
import scipy
import scipy.ndimage as sndi

import _support as S
import libndimage as lndi

A2 = np.arange(12.0).reshape(3, 4)
A3 = np.arange(60.0).reshape(3, 4, 5)


def _read_only():
    out = np.zeros((3, 4))
    out.flags.writeable = False
    return out


def _f(buffer):
    return 0.0


def _f1(line, out):
    pass


def _bad_ctypes_llc():
    proto = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_double), ctypes.c_int,
                             ctypes.POINTER(ctypes.c_double), ctypes.c_void_p)
    fp = proto(lambda *a: 1)
    _KEEP.append(fp)
    return scipy.LowLevelCallable(fp)


def _bad_ctypes_llc_1d():
    proto = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_double), ctypes.c_int,
                             ctypes.POINTER(ctypes.c_double), ctypes.c_int, ctypes.c_void_p)
    fp = proto(lambda *a: 1)
    _KEEP.append(fp)
    return scipy.LowLevelCallable(fp)


_KEEP = []
_NAME = b"not a signature"


def _named_capsule():
    new = ctypes.pythonapi.PyCapsule_New
    new.restype = ctypes.py_object
    new.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
    return new(1234, _NAME, None)


# (id, args, kwargs) for generic_filter; callables make fresh arguments for each library.
GF_CASES = [
    ("complex input", lambda: (A2 + 1j, _f, 3), {}),
    ("complex input list", lambda: ([[1j, 2]], _f, 3), {}),
    ("no size or footprint", lambda: (A2, _f), {}),
    ("size seq too short", lambda: (A2, _f, (3,)), {}),
    ("size seq too long", lambda: (A2, _f, (3, 3, 3)), {}),
    ("size zero", lambda: (A2, _f, 0), {}),
    ("size negative", lambda: (A2, _f, -1), {}),
    ("size float", lambda: (A2, _f, 2.5), {}),
    ("size seq with zero", lambda: (A2, _f, (0, 3)), {}),
    ("footprint rank too low", lambda: (A2, _f), dict(footprint=[1, 1])),
    ("footprint rank too high", lambda: (A2, _f), dict(footprint=np.ones((2, 2, 2)))),
    ("footprint rank vs axes", lambda: (A3, _f), dict(footprint=np.ones((2, 2)), axes=(1,))),
    ("footprint zero axis", lambda: (A2, _f), dict(footprint=np.ones((0, 3)))),
    ("origin too large", lambda: (A2, _f, 3), dict(origin=2)),
    ("origin too small", lambda: (A2, _f, 3), dict(origin=-2)),
    ("origin even size", lambda: (A2, _f, 4), dict(origin=2)),
    ("origin seq bad entry", lambda: (A2, _f, 3), dict(origin=(0, 5))),
    ("origin seq too long", lambda: (A2, _f, 3), dict(origin=(0, 0, 0))),
    ("origin float", lambda: (A2, _f, 3), dict(origin=0.5)),
    ("origin float seq", lambda: (A2, _f, 3), dict(origin=(0, 1.0))),
    ("origin None", lambda: (A2, _f, 3), dict(origin=None)),
    ("origin vs axes order", lambda: (A3, _f, (1, 3)), dict(axes=(2, 0), origin=(1, 0))),
    ("mode unknown", lambda: (A2, _f, 3), dict(mode="unknown")),
    ("mode case", lambda: (A2, _f, 3), dict(mode="Reflect")),
    ("mode sequence", lambda: (A2, _f, 3), dict(mode=["reflect", "wrap"])),
    ("mode int", lambda: (A2, _f, 3), dict(mode=0)),
    ("mode None", lambda: (A2, _f, 3), dict(mode=None)),
    ("axes out of range", lambda: (A2, _f, 3), dict(axes=(0, 2))),
    ("axes negative out of range", lambda: (A2, _f, 3), dict(axes=(-3,))),
    ("axes duplicate", lambda: (A2, _f, 3), dict(axes=(1, 1))),
    ("axes duplicate negative", lambda: (A2, _f, 3), dict(axes=(1, -1))),
    ("axes float", lambda: (A2, _f, 3), dict(axes=1.0)),
    ("axes float in seq", lambda: (A2, _f, 3), dict(axes=(5, 1.0))),
    ("axes object", lambda: (A2, _f, 3), dict(axes=object())),
    ("axes negative scalar quirk", lambda: (A2, _f, 3), dict(axes=-1)),
    ("axes scalar out of range quirk", lambda: (A2, _f, 3), dict(axes=5)),
    ("axes 0-d array", lambda: (A2, _f, 3), dict(axes=np.array(1))),
    ("axes size mismatch", lambda: (A3, _f, (2, 2)), dict(axes=(0, 1, 2))),
    ("output shape", lambda: (A2, _f, 3), dict(output=np.zeros((4, 3)))),
    ("output scalar", lambda: (A2, _f, 3), dict(output=5)),
    ("output read-only", lambda: (A2, _f, 3), dict(output=_read_only())),
    ("output str not numeric", lambda: (A2, _f, 3), dict(output="U")),
    ("output str bool", lambda: (A2, _f, 3), dict(output="bool")),
    ("output str unknown", lambda: (A2, _f, 3), dict(output="nonsense")),
    ("output type not dtype", lambda: (A2, _f, 3), dict(output=list)),
    ("output complex", lambda: (A2, _f, 3), dict(output=np.complex128)),
    ("output float16", lambda: (A2, _f, 3), dict(output=np.float16)),
    ("output object", lambda: (A2, _f, 3), dict(output=np.zeros((3, 4), object))),
    ("input float16", lambda: (A2.astype(np.float16), _f, 3), {}),
    ("input longdouble", lambda: (A2.astype(np.longdouble), _f, 3), {}),
    ("input object", lambda: (A2.astype(object), _f, 3), {}),
    ("input datetime", lambda: (np.array([1, 2], "M8[s]"), _f, 3), {}),
    ("input str", lambda: (np.array(["a", "b"]), _f, 3), {}),
    ("input 0-d float16", lambda: (np.array(1, np.float16), _f, 3), {}),
    ("0-d input with footprint", lambda: (np.array(1.0), _f), dict(footprint=[1, 1])),
    ("cval complex", lambda: (A2, _f, 3), dict(cval=1j)),
    ("cval str", lambda: (A2, _f, 3), dict(cval="x")),
    ("cval None", lambda: (A2, _f, 3), dict(cval=None)),
    ("cval 1-element array", lambda: (A2, _f, 3), dict(cval=np.array([2.0]))),
    ("cval huge int", lambda: (A2, _f, 3), dict(cval=10**400)),
    ("extra_arguments list", lambda: (A2, _f, 3), dict(extra_arguments=[1])),
    ("extra_arguments None", lambda: (A2, _f, 3), dict(extra_arguments=None)),
    ("extra_keywords list", lambda: (A2, _f, 3), dict(extra_keywords=[1])),
    ("callable int", lambda: (A2, 5, 3), {}),
    ("callable None", lambda: (A2, None, 3), {}),
    ("callable named capsule", lambda: (A2, _named_capsule(), 3), {}),
    ("callable bad signature", lambda: (A2, _bad_ctypes_llc(), 3), {}),
    ("callable 1d signature", lambda: (A2, _bad_ctypes_llc_1d(), 3), {}),
    ("python returns str", lambda: (A2, lambda b: "x", 3), {}),
    ("python returns None", lambda: (A2, lambda b: None, 3), {}),
    ("python returns complex", lambda: (A2, lambda b: 1j, 3), {}),
    ("python returns 1-element array", lambda: (A2, lambda b: b[:1], 3), {}),
    ("python wrong arity", lambda: (A2, lambda: 0.0, 3), {}),
    ("python bad extra keyword", lambda: (A2, _f, 3), dict(extra_keywords={"z": 1})),
    # Which error wins when there are several (scipy's order of checks).
    ("order: cval before origin type", lambda: (A2, _f, 3), dict(cval="x", origin=0.5)),
    ("order: read-only before cval", lambda: (A2, _f, 3),
     dict(output=_read_only(), cval="x")),
    ("order: extras before callable", lambda: (A2, 5, 3), dict(extra_arguments=[1])),
    ("order: callable before dtype", lambda: (A2.astype(np.float16), 5, 3), {}),
    ("order: origin range before output", lambda: (A2, _f, 3),
     dict(origin=3, output=np.zeros(2))),
    ("order: output before mode", lambda: (A2, _f, 3), dict(output="U", mode="x")),
    ("order: complex before size", lambda: (A2 * 1j, _f), {}),
    ("order: axes before size", lambda: (A2, _f), dict(axes=(1, 1))),
]

GF1D_CASES = [
    ("complex input", lambda: (A2 + 1j, _f1, 3), {}),
    ("filter_size zero", lambda: (A2, _f1, 0), {}),
    ("filter_size negative", lambda: (A2, _f1, -2), {}),
    ("filter_size float", lambda: (A2, _f1, 3.0), {}),
    ("filter_size str", lambda: (A2, _f1, "3"), {}),
    ("axis out of range", lambda: (A2, _f1, 3), dict(axis=2)),
    ("axis negative out of range", lambda: (A2, _f1, 3), dict(axis=-3)),
    ("axis float", lambda: (A2, _f1, 3), dict(axis=1.0)),
    ("0-d input", lambda: (np.array(1.0), _f1, 3), {}),
    ("origin too large", lambda: (A2, _f1, 3), dict(origin=2)),
    ("origin too small", lambda: (A2, _f1, 4), dict(origin=-3)),
    ("origin float", lambda: (A2, _f1, 3), dict(origin=0.5)),
    ("mode unknown", lambda: (A2, _f1, 3), dict(mode="edge")),
    ("mode sequence", lambda: (A2, _f1, 3), dict(mode=["wrap"])),
    ("output shape", lambda: (A2, _f1, 3), dict(output=np.zeros(12))),
    ("output read-only", lambda: (A2, _f1, 3), dict(output=_read_only())),
    ("output str bool", lambda: (A2, _f1, 3), dict(output="?")),
    ("output complex", lambda: (A2, _f1, 3), dict(output=np.complex64)),
    ("output float16", lambda: (A2, _f1, 3), dict(output=np.float16)),
    ("output big-endian float16", lambda: (A2, _f1, 3), dict(output=np.zeros((3, 4), ">f2"))),
    ("input float16", lambda: (A2.astype(np.float16), _f1, 3), {}),
    ("input big-endian float16", lambda: (A2.astype(">f2"), _f1, 3), {}),
    ("input float16 and output complex", lambda: (A2.astype(np.float16), _f1, 3),
     dict(output=np.complex128)),
    ("input empty float16", lambda: (np.zeros((0, 3), np.float16), _f1, 3), {}),
    ("input longdouble", lambda: (A2.astype(np.longdouble), _f1, 3), {}),
    ("input object", lambda: (A2.astype(object), _f1, 3), {}),
    ("input datetime", lambda: (np.array([1, 2], "M8[s]"), _f1, 3), {}),
    ("cval complex", lambda: (A2, _f1, 3), dict(cval=2j)),
    ("extra_arguments list", lambda: (A2, _f1, 3), dict(extra_arguments=[1])),
    ("extra_keywords list", lambda: (A2, _f1, 3), dict(extra_keywords=[("a", 1)])),
    ("callable int", lambda: (A2, 5, 3), {}),
    ("callable named capsule", lambda: (A2, _named_capsule(), 3), {}),
    ("callable bad signature", lambda: (A2, _bad_ctypes_llc_1d(), 3), {}),
    ("callable gf signature", lambda: (A2, _bad_ctypes_llc(), 3), {}),
    ("python wrong arity", lambda: (A2, lambda line: None, 3), {}),
    ("python raises", lambda: (A2, lambda i, o: o.reshape(5), 3), {}),
    ("order: filter_size before axis", lambda: (A2, _f1, 0), dict(axis=7)),
    ("order: output before filter_size", lambda: (A2, _f1, 0), dict(output=np.zeros(3))),
    ("order: axis before origin", lambda: (A2, _f1, 3), dict(axis=9, origin=9)),
    ("order: origin before mode", lambda: (A2, _f1, 3), dict(origin=9, mode="x")),
    ("order: filter_size type before read-only", lambda: (A2, _f1, 3.0),
     dict(output=_read_only())),
    ("order: callable before dtype", lambda: (A2.astype(np.float16), 5, 3), {}),
]


def _outcome(function, make_args, kwargs):
    args = make_args()
    kwargs = {k: (v.copy() if isinstance(v, np.ndarray) and v.flags.writeable else v)
              for k, v in kwargs.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = function(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            return type(exc), str(exc)
    return None, result


def _compare(name, make_args, kwargs):
    scipy_type, scipy_msg = _outcome(getattr(sndi, name), make_args, kwargs)
    ours_type, ours_msg = _outcome(getattr(lndi, name), make_args, kwargs)
    assert scipy_type is not None or ours_type is None, "case is not an error for scipy"
    if scipy_type is None:
        assert S.same_bits(scipy_msg, ours_msg)
        return
    assert ours_type is scipy_type, (ours_type, ours_msg, scipy_type, scipy_msg)
    assert ours_msg == scipy_msg


@pytest.mark.parametrize("case", GF_CASES, ids=[c[0] for c in GF_CASES])
def test_generic_filter_errors(case):
    _compare("generic_filter", case[1], case[2])


@pytest.mark.parametrize("case", GF1D_CASES, ids=[c[0] for c in GF1D_CASES])
def test_generic_filter1d_errors(case):
    _compare("generic_filter1d", case[1], case[2])


def test_accepted_corner_cases_are_accepted():
    """Arguments that look wrong but scipy accepts (results compared bit for bit)."""
    cases = [
        ("generic_filter", lambda: (A2, _f), dict(footprint=np.zeros((2, 2)))),  # all false
        ("generic_filter", lambda: (A2, lambda b: len(b) + 0.5),
         dict(footprint=np.ones((0, 3, 3)))),                 # zero axis beyond the rank
        ("generic_filter", lambda: (A2, _f, 3), dict(axes=())),
        ("generic_filter", lambda: (np.zeros((0, 3), np.float16), _f, 3), {}),
        ("generic_filter", lambda: (np.zeros((0, 3)), _f, 3), dict(output=np.complex128)),
        ("generic_filter", lambda: (A2, _f, 3), dict(output=[[0] * 4] * 3)),
        ("generic_filter", lambda: (A2, _f, np.int8(3)), dict(origin=np.int64(1))),
        ("generic_filter", lambda: (A2, _f, 3), dict(cval=np.float32(2.5), mode="constant")),
        ("generic_filter", lambda: (A2, _f, 3), dict(extra_keywords=None)),
        ("generic_filter1d", lambda: (A2, _f1, np.int16(3)), dict(axis=np.int8(0))),
        ("generic_filter1d", lambda: (A2, _f1, 3), dict(cval=True, mode="constant")),
        ("generic_filter1d", lambda: (A2, _f1, 3), dict(origin=True)),
    ]
    for name, make_args, kwargs in cases:
        _compare(name, make_args, kwargs)


def test_size_and_footprint_warning():
    caught = {}
    for lib in (sndi, lndi):
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            lib.generic_filter(A2, _f, size=3, footprint=[[1, 1]])  # this line is reported
        caught[lib] = [(w.category, str(w.message), w.filename, w.lineno) for w in record]
    assert caught[sndi] == caught[lndi]
    assert caught[lndi][0][:3] == (UserWarning, "ignoring size because footprint is set",
                                    __file__)


def test_no_other_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = np.array(S.SPECIAL)
        for dtype in S.DTYPES:
            lndi.generic_filter(data, lambda b: b[0], size=1, output=dtype)
            lndi.generic_filter1d(data, lambda i, o: o.__setitem__(slice(None), i), 1,
                                  output=dtype)
