"""The Python API: signatures, return conventions, special shapes, layouts, loading."""

import ctypes
import inspect
import os
import re
import subprocess
import sys

import numpy as np
import pytest
import scipy.ndimage as sndi

import _support as S
import libndimage as lndi
from libndimage import _capi, _support

# Where the package under test lives (the checkout's python/, or site-packages).
PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(lndi.__file__)))


CALLBACK_FUNCTIONS = ["generic_filter", "generic_filter1d", "geometric_transform"]
FUNCTIONS = CALLBACK_FUNCTIONS + ["map_coordinates", "affine_transform", "shift", "zoom",
                                  "rotate", "spline_filter1d", "spline_filter"]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_signature_is_scipys(name):
    """scipy's signature, plus keyword-only `workers` (and `thread_safe` for callbacks)."""
    ours = inspect.signature(getattr(lndi, name)).parameters
    extras = ["workers"] + (["thread_safe"] if name in CALLBACK_FUNCTIONS else [])
    assert list(ours)[-len(extras):] == extras
    for extra, default in zip(extras, [None, False]):
        assert ours[extra].kind is inspect.Parameter.KEYWORD_ONLY
        assert ours[extra].default is default
    scipys = inspect.signature(getattr(sndi, name))
    trimmed = inspect.Signature([p for n, p in ours.items() if n not in extras])
    assert trimmed == scipys


def test_module_attributes():
    assert set(lndi.__all__) >= {"generic_filter", "generic_filter1d", "__version__"}
    for name in lndi.__all__:
        assert hasattr(lndi, name)
    assert lndi.__version__ == _capi.ndi_version_string().decode()
    assert re.fullmatch(r"\d+\.\d+\.\d+", lndi.__version__)
    major, minor, patch = map(int, lndi.__version__.split("."))
    assert _capi.ndi_version() == major * 10000 + minor * 100 + patch
    assert "Accepted ``function`` arguments" in lndi.__doc__
    assert _capi.ndi_status_string(_capi.NDI_ERR_CALLBACK_FAILED) == b"callback failed"


def test_struct_layouts():
    ptr = ctypes.sizeof(ctypes.c_void_p)
    assert ctypes.sizeof(_capi.ndi_array) == 4 * ptr if ptr == 8 else 5 * ptr
    assert _capi.ndi_array.shape.offset == 16 if ptr == 8 else 12
    # ndi_options_init writes no more than the size it is given.
    size = ctypes.sizeof(_capi.ndi_options)
    buffer = (ctypes.c_char * 512)(*([b"\xab"] * 512))
    opts = ctypes.cast(buffer, ctypes.POINTER(_capi.ndi_options))
    _capi.ndi_options_init(opts, size)
    assert opts[0].struct_size == size
    assert opts[0].flags == 0
    assert buffer.raw[size:] == b"\xab" * (512 - size)


def test_library_location_from_environment(tmp_path):
    copy = tmp_path / "libndimage-copy.so"
    copy.write_bytes(open(lndi.library_path, "rb").read())
    code = "import libndimage as m; print(m.library_path); print(m.generic_filter([1.0, 2.0], max, 2))"
    env = dict(os.environ, NDIMAGE_LIBRARY=str(copy), PYTHONPATH=PYTHON_DIR)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.split("\n")
    assert out[0] == str(copy)
    assert out[1] == "[1. 2.]"
    env["NDIMAGE_LIBRARY"] = str(tmp_path / "missing.so")
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode != 0 and "LibraryError" in run.stderr


# --------------------------------------------------------------------------------------
# Return conventions
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["generic_filter", "generic_filter1d"])
def test_return_conventions(name, clib):
    data = np.arange(12, dtype=np.int16).reshape(3, 4)
    if name == "generic_filter":
        fn, args = S.llc(clib, "gf_wsum"), dict(size=2)
    else:
        fn, args = S.llc(clib, "gf1d_wmoving"), dict(filter_size=2)

    def call(lib, *a, **k):
        return getattr(lib, name)(data, fn, *a, **args, **k)

    for output in [None, np.float32, np.dtype("uint8"), "f8", np.dtype(">i4"), ">u2"]:
        expected, got = call(sndi, output=output), call(lndi, output=output)
        assert type(got) is np.ndarray
        assert S.same_bits(expected, got), output
    assert call(lndi).dtype == np.int16
    out = np.zeros((3, 4), np.float64)
    assert call(lndi, output=out) is out
    listed = call(lndi, output=[[0.0] * 4] * 3)
    assert type(listed) is np.ndarray and listed.dtype == np.float64
    # A big-endian input gives a native output by default, like scipy.
    be = data.astype(">i2")
    for lib in (sndi, lndi):
        assert getattr(lib, name)(be, fn, **args).dtype == np.dtype("=i2")
    # ndarray subclasses: scipy (np.asarray) returns a base-class view.
    sub = np.zeros((3, 4)).view(np.ma.MaskedArray)
    for lib in (sndi, lndi):
        r = getattr(lib, name)(data, fn, output=sub, **args)
        assert type(r) is np.ndarray and r.base is not None


def test_zero_d_input(clib):
    fn = lambda b: b.sum() * 2 + len(b)  # noqa: E731
    for kwargs in [dict(size=3), dict(size=()), dict(footprint=True), dict(footprint=False),
                   dict(size=2, origin=()), dict(size=1, axes=()), dict(footprint=1, cval=4)]:
        for value in [np.array(2.5), np.array(7, np.uint8), 3]:
            for output in [None, np.float32, np.zeros((), np.int64)]:
                expected = sndi.generic_filter(value, fn, output=output, **kwargs)
                out2 = output.copy() if isinstance(output, np.ndarray) else output
                got = lndi.generic_filter(value, fn, output=out2, **kwargs)
                assert S.same_bits(expected, got), (kwargs, value, output)
                if isinstance(output, np.ndarray):
                    assert got is out2
    c = S.llc(clib, "gf_scaled")
    assert S.same_bits(sndi.generic_filter(np.array(-1.25), c, 5),
                       lndi.generic_filter(np.array(-1.25), c, 5))


@pytest.mark.parametrize("shape", [(0,), (0, 3), (3, 0), (2, 0, 4)])
def test_zero_size_makes_no_calls(shape):
    calls = []

    def f(*args):
        calls.append(1)
        return 0.0

    data = np.zeros(shape)
    for lib in (sndi, lndi):
        r = lib.generic_filter(data, f, size=2, output=np.int8)
        assert r.shape == shape and r.dtype == np.int8
        r = lib.generic_filter1d(data, f, 2, axis=-1)
        assert r.shape == shape
    assert calls == []


def test_footprint_with_holes_and_all_false(clib):
    data = np.arange(35.0).reshape(5, 7) ** 1.3
    count = S.llc(clib, "gf_mean")
    for fp in [np.zeros((3, 3), bool), np.zeros((1, 1), bool), np.eye(4, dtype=bool),
               np.array([[0, 0, 1], [0, 0, 0]]), np.array([[1.5, 0, -2]])]:
        for fn in (count, S.llc(clib, "gf_last"), lambda b: len(b) * 1.5 + b.sum()):
            assert S.same_bits(sndi.generic_filter(data, fn, footprint=fp, mode="wrap"),
                               lndi.generic_filter(data, fn, footprint=fp, mode="wrap"))


def test_axes_variants(clib):
    data = np.random.default_rng(3).normal(size=(3, 4, 5))
    fn = S.llc(clib, "gf_wsum")
    variants = [
        dict(size=(2, 3), axes=(2, 0)),
        dict(size=(2, 3), axes=(0, 2)),
        dict(size=(2, 3), axes=(-1, 0), origin=(1, 0)),
        dict(size=(4, 3), axes=(2, 0), origin=(-1, 1)),
        dict(size=3, axes=1),
        dict(size=3, axes=(1,), origin=-1),
        dict(size=(2, 3, 4), axes=(2, 1, 0)),          # all axes: order ignored
        dict(size=(2, 3, 4), axes=(2, 1, 0), origin=(0, 1, -2)),
        dict(footprint=np.array([[1, 0, 1], [0, 1, 1]]), axes=(2, 1)),
        dict(footprint=np.array([1, 0, 1, 1]), axes=(-2,), origin=(1,)),
        dict(size=5, axes=()),
        dict(size=2, axes=[0, 2]),
        dict(size=2, axes=np.array([2, 1])),
    ]
    for kw in variants:
        assert S.same_bits(sndi.generic_filter(data, fn, **kw),
                           lndi.generic_filter(data, fn, **kw)), kw


def test_in_place_generic_filter1d_matches_scipy(clib):
    fn = S.llc(clib, "gf1d_wmoving")
    a = np.arange(30.0).reshape(5, 6)
    b = a.copy()
    sndi.generic_filter1d(a, fn, 3, axis=0, output=a)
    lndi.generic_filter1d(b, fn, 3, axis=0, output=b)
    assert S.same_bits(a, b)


def test_in_place_generic_filter_equals_out_of_place(clib):
    """scipy reads already-overwritten values here; libndimage copies the input first."""
    fn = S.llc(clib, "gf_wsum")
    a = np.arange(30.0).reshape(5, 6)
    expected = sndi.generic_filter(a, fn, size=3)
    b = a.copy()
    assert lndi.generic_filter(b, fn, size=3, output=b) is b
    assert S.same_bits(b, expected)
    c = a.copy()
    lndi.generic_filter(c[:, ::-1], fn, size=3, output=c.T[::-1].T)  # the same reversed view
    assert S.same_bits(c[:, ::-1], sndi.generic_filter(a[:, ::-1], fn, size=3))
    d = a.copy()
    lndi.generic_filter(d[:, :-1], fn, size=3, output=d[:, 1:])  # shifted overlap
    assert S.same_bits(d[:, 1:], sndi.generic_filter(a[:, :-1], fn, size=3))


def test_output_with_zero_strides(clib):
    """A writeable output whose elements alias (zero strides): last write wins, as in scipy."""
    fn = S.llc(clib, "gf_wsum")
    data = np.arange(12.0).reshape(3, 4)
    results = []
    for lib in (sndi, lndi):
        base = np.zeros(4)
        out = np.lib.stride_tricks.as_strided(base, shape=(3, 4), strides=(0, 8))
        lib.generic_filter(data, fn, size=2, output=out)
        results.append(base)
    assert S.same_bits(*results)


@pytest.mark.parametrize("layout", S.LAYOUTS)
def test_layouts_of_input_and_output(layout, clib):
    rng = np.random.default_rng(len(layout))
    data = rng.normal(size=(4, 5, 3)) * 100
    fn, fn1 = S.llc(clib, "gf_wsum"), S.llc(clib, "gf1d_line")
    for out_dtype in (np.float64, np.int32, np.uint16):
        x1 = S.with_layout(data.astype(np.float32), layout, np.random.default_rng(0))
        x2 = S.with_layout(data.astype(np.float32), layout, np.random.default_rng(0))
        o1, o2 = S.output_pair(data.shape, out_dtype, layout, 1)
        sndi.generic_filter(x1, fn, size=(2, 1, 3), output=o1, mode="mirror")
        lndi.generic_filter(x2, fn, size=(2, 1, 3), output=o2, mode="mirror")
        assert S.same_bits(o1, o2)
        o1, o2 = S.output_pair(data.shape, out_dtype, layout, 2)
        sndi.generic_filter1d(x1, fn1, 4, axis=1, output=o1, mode="nearest")
        lndi.generic_filter1d(x2, fn1, 4, axis=1, output=o2, mode="nearest")
        assert S.same_bits(o1, o2)


def test_input_not_copied_when_not_needed(clib, monkeypatch):
    """Inputs are handed over with their own strides: no copy for F order, negative strides
    or unaligned data (only byte-swapped inputs are converted)."""
    seen = []
    real = _support.describe

    def spy(array, code):
        seen.append(array)
        return real(array, code)

    monkeypatch.setattr(_support, "describe", spy)
    for layout in ("F", "neg", "sliced", "transposed", "unaligned"):
        x = S.with_layout(np.arange(24.0).reshape(2, 3, 4), layout, np.random.default_rng(1))
        seen.clear()
        lndi.generic_filter(x, S.llc(clib, "gf_wsum"), size=2)
        assert seen[0] is x
        seen.clear()
        lndi.generic_filter1d(x, S.llc(clib, "gf1d_wmoving"), 2)
        assert seen[0] is x


# --------------------------------------------------------------------------------------
# scipy's reflect out-of-bounds read (excluded from the generated comparisons)
# --------------------------------------------------------------------------------------

def _symmetric_reference(data, fs, origin, axis):
    """Weighted window sums (gf_wsum's order) over np.pad(..., 'symmetric') along axis."""
    before = fs // 2 + origin
    pad = [(0, 0)] * data.ndim
    pad[axis] = (before, fs - 1 - before)
    padded = np.moveaxis(np.pad(data, pad, mode="symmetric"), axis, -1)
    out = np.empty(np.moveaxis(data, axis, -1).shape)
    for index in np.ndindex(out.shape):
        line = padded[index[:-1]]
        s = 0.0
        for k in range(fs):
            s += float(line[index[-1] + k]) * (k + 1.37)
        out[index] = s
    return np.moveaxis(out, -1, axis)


@pytest.mark.parametrize("mode", ["reflect", "grid-mirror"])
def test_reflect_far_beyond_the_left_edge(mode, clib, tally):
    fn, fn1 = S.llc(clib, "gf_wsum"), S.llc(clib, "gf1d_wmoving")
    rng = np.random.default_rng(17)
    checked = 0
    for n in (1, 2, 3, 4):
        data = rng.normal(size=(3, n))
        for fs in range(8 * n - 1, 8 * n + 6):
            for origin in range(-(fs // 2), (fs - 1) // 2 + 1):
                if fs // 2 + origin < 4 * n:
                    continue
                assert S.hits_scipy_reflect_bug(mode, data.shape, (1, fs), (0, origin))
                got = lndi.generic_filter(data, fn, size=(1, fs), origin=(0, origin),
                                          mode=mode)
                reference = _symmetric_reference(data, fs, origin, axis=1)
                assert S.same_bits(got, reference), (n, fs, origin)
                line = sndi.generic_filter1d(data, fn1, fs, origin=origin, mode=mode)
                assert S.same_bits(got, line)
                tally.add("generic_filter, reflect reaching >= 4n past the left edge "
                          "(vs np.pad reference and scipy's generic_filter1d)", True)
                checked += 1
    assert checked > 50
    # Along the first axis of a 2-D array, with a 2-D footprint.
    data = rng.normal(size=(2, 3))
    got = lndi.generic_filter(data, fn, size=(13, 1), origin=(3, 0), mode=mode)
    assert S.same_bits(got, _symmetric_reference(data, 13, 3, axis=0))


def test_scipy_reflect_bug_still_present():
    """Pins the scipy 1.17.1 bug that the exclusion above is for: a view of length 3 whose
    preceding memory holds 100; the window reaches 12 = 4n past the left edge."""
    base = np.array([100.0, 1.0, 2.0, 3.0])
    view = base[1:]
    kwargs = dict(size=25, origin=0, mode="reflect")

    def first(buffer):
        return buffer[0]

    theirs = sndi.generic_filter(view, first, **kwargs)
    ours = lndi.generic_filter(view, first, **kwargs)
    # Input index -12 reflects to 0 (value 1.0); scipy reads base[0] = 100.
    assert ours[0] == 1.0
    assert theirs[0] == 100.0
