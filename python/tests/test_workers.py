"""workers= and thread_safe=: the same numbers for every thread count, as scipy's."""

import ctypes
import os

import numpy as np
import pytest
import scipy
import scipy.ndimage as sndi

import _interp as I
import _support as S
import libndimage as lndi

WORKERS = [None, 1, 2, 3, -1]


@pytest.fixture(scope="module")
def image():
    rng = np.random.default_rng(7)
    return rng.standard_normal((61, 47))


@pytest.mark.parametrize("workers", WORKERS)
def test_interpolation_matches_scipy_for_every_worker_count(image, workers):
    calls = [
        ("shift", (image, (0.4, -2.25)), dict(order=3, mode="reflect")),
        ("zoom", (image, (1.7, 0.6)), dict(order=2, mode="nearest")),
        ("rotate", (image, 33.0), dict(order=1, reshape=True)),
        ("affine_transform", (image, [[0.9, 0.2], [-0.1, 1.1]]), dict(offset=(1.5, -2.0),
                                                                       order=5)),
        ("map_coordinates", (image, np.indices((30, 90)) * 0.7 - 3.1), dict(order=4,
                                                                            mode="wrap")),
        ("spline_filter", (image,), dict(order=3)),
        ("spline_filter1d", (image,), dict(order=5, axis=0, mode="mirror")),
    ]
    for name, args, kwargs in calls:
        expected = getattr(sndi, name)(*args, **kwargs)
        got = getattr(lndi, name)(*args, **kwargs, workers=workers)
        assert S.same_bits(expected, got), name


@pytest.mark.parametrize("workers", WORKERS)
def test_thread_safe_c_callbacks_match_scipy(image, clib, callbacks_path, workers):
    """Thread-safe C callbacks on several threads: scipy's numbers for every count."""
    fn = S.llc(clib, "gf_wsum")  # depends on the buffer's order
    expected = sndi.generic_filter(image, fn, footprint=[[1, 0, 1], [1, 1, 0]], mode="mirror")
    got = lndi.generic_filter(image, fn, footprint=[[1, 0, 1], [1, 1, 0]], mode="mirror",
                              workers=workers, thread_safe=True)
    assert S.same_bits(expected, got)
    fn = S.llc(clib, "gf1d_wmoving")
    for axis in (0, 1):
        expected = sndi.generic_filter1d(image, fn, 5, axis=axis, mode="wrap")
        got = lndi.generic_filter1d(image, fn, 5, axis=axis, mode="wrap", workers=workers,
                                    thread_safe=True)
        assert S.same_bits(expected, got)
    shift = ctypes.c_double(0.25)
    tlib = I.load_transform_callbacks(callbacks_path)
    fn = scipy.LowLevelCallable(tlib["gt_shift"], ctypes.cast(ctypes.pointer(shift),
                                                              ctypes.c_void_p))
    expected = sndi.geometric_transform(image, fn, order=3, mode="nearest")
    got = lndi.geometric_transform(image, fn, order=3, mode="nearest", workers=workers,
                                   thread_safe=True)
    assert S.same_bits(expected, got)


def test_python_callables_ignore_thread_safe(image):
    """A Python function always runs on the calling thread, whatever thread_safe says."""
    import threading
    seen = set()

    def mean(values):
        seen.add(threading.get_ident())
        return values.mean()

    got = lndi.generic_filter(image[:20, :20], mean, size=3, workers=2, thread_safe=True)
    assert seen == {threading.get_ident()}
    assert S.same_bits(sndi.generic_filter(image[:20, :20], mean, size=3), got)


def test_bad_workers():
    with pytest.raises(ValueError, match="zero"):
        lndi.shift(np.zeros(4), 1.0, workers=0)
    with pytest.raises(ValueError, match="out of range"):
        lndi.shift(np.zeros(4), 1.0, workers=-(os.cpu_count() or 1) - 1)


def test_process_default():
    before = lndi.get_workers()
    try:
        lndi.set_workers(1)
        assert lndi.get_workers() == 1
        lndi.set_workers(-1)
        assert lndi.get_workers() == 0
        with pytest.raises(ValueError):
            lndi.set_workers(0)
    finally:
        lndi.set_workers(before if before > 0 else -1)
