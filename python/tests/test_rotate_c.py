"""ndi_rotate and ndi_rotate_shape (the C API's rotate) against scipy.ndimage.rotate.

These call the C functions directly through the generated prototypes of libndimage._capi,
with float64 angles, as C callers do; libndimage.rotate's own tests (numpy's dtype rules
for the angle included) are in test_interpolation.py."""

import ctypes

import numpy as np
import pytest
import scipy.ndimage as sndi

import _support as S
from libndimage import _capi, _support

MODES = ["reflect", "constant", "nearest", "mirror", "wrap", "grid-constant", "grid-mirror",
         "grid-wrap"]
INTP = ctypes.c_ssize_t


def c_rotate_shape(shape, angle, axes, reshape):
    out = (INTP * len(shape))()
    status = _capi.ndi_rotate_shape((INTP * len(shape))(*shape), len(shape), angle, axes[0],
                                    axes[1], int(reshape), out)
    if status != _capi.NDI_OK:
        raise ValueError(_capi.ndi_last_error_message().decode())
    return tuple(out)


def describe(array):
    return _support.describe(array, _support.dtype_code(array.dtype, complex_ok=True))


def c_rotate(a, angle, axes, reshape, order, mode, cval, prefilter, out_dtype, workers):
    shape = c_rotate_shape(a.shape, angle, axes, reshape)
    out = np.zeros(shape, dtype=out_dtype)
    in_desc, _k1 = describe(a)
    out_desc, _k2 = describe(out)
    options = _support.options(np.imag(cval), workers)
    status = _capi.ndi_rotate(ctypes.byref(in_desc), ctypes.byref(out_desc), angle, axes[0],
                              axes[1], int(reshape), order, _support.mode_code(mode),
                              float(np.real(cval)), int(prefilter), ctypes.byref(options))
    if status != _capi.NDI_OK:
        raise ValueError(_capi.ndi_last_error_message().decode())
    return out


def test_rotate_matches_scipy():
    rng = np.random.default_rng(20261125)
    run = matched = 0
    for case in range(400):
        rank = int(rng.integers(2, 5))
        # Axes of 25 or more where the 1.17 reflect prefilter bug could show.
        shape = tuple(int(n) for n in rng.integers(25, 34, rank)) if rank == 2 else \
            tuple(int(n) for n in rng.integers(2, 9, rank))
        order = int(rng.integers(0, 6))
        mode = MODES[int(rng.integers(0, 8))]
        prefilter = bool(rng.random() < 0.8)
        if (rank > 2 and order > 1 and prefilter
                and mode in ("reflect", "grid-mirror", "nearest", "mirror")):
            order = 1  # planes shorter than 25: scipy 1.17's prefilter differs there
        angle = float(rng.choice([rng.uniform(-400, 400), 90.0, -180.0, 30.0, 45.0]))
        axes = [int(x) for x in rng.choice(rank, 2, replace=False)]
        if rng.random() < 0.3:
            axes = [x - rank for x in axes]
        reshape = bool(rng.random() < 0.6)
        dtype = rng.choice([np.float64, np.float32, np.int16, np.complex128])
        a = (rng.standard_normal(shape) * 20).astype(dtype)
        if dtype == np.complex128:
            a = a + 1j * rng.standard_normal(shape)
        out_dtype = np.complex128 if dtype == np.complex128 else rng.choice(
            [np.float64, np.int32, np.uint8])
        cval = complex(1.5, -0.5) if dtype == np.complex128 else 1.5
        expected = sndi.rotate(a, angle, axes=axes, reshape=reshape, order=order, mode=mode,
                               cval=cval, prefilter=prefilter, output=out_dtype)
        got = c_rotate(a, angle, axes, reshape, order, mode, cval, prefilter, out_dtype,
                       workers=int(rng.choice([1, 2])))
        run += 1
        same = S.same_bits(expected, got)
        matched += same
        assert same, (shape, angle, axes, reshape, order, mode, prefilter, dtype, out_dtype)
    print(f"ndi_rotate: {run} run, {matched} matched bit for bit")


def test_rotate_shape_matches_scipy():
    rng = np.random.default_rng(7)
    for k in range(1500):
        rank = 2 if k % 5 else 3
        shape = tuple(int(n) for n in rng.integers(1, 300 if rank == 2 else 12, rank))
        angle = float(rng.uniform(-720, 720)) if rng.random() < 0.8 else float(
            rng.choice([0, 90, 180, 270, 45, -45, 135]))
        axes = [int(x) for x in rng.choice(rank, 2, replace=False)]
        reshape = bool(rng.random() < 0.7)
        expected = sndi.rotate(np.zeros(shape, np.uint8), angle, axes=axes,
                               reshape=reshape, order=0).shape
        assert c_rotate_shape(shape, angle, axes, reshape) == expected


def test_rotate_errors():
    a = np.zeros((4, 5))
    with pytest.raises(ValueError, match="at least 2D"):
        c_rotate_shape((4,), 10.0, (0, 1), True)
    with pytest.raises(ValueError, match="different axes"):
        c_rotate_shape((4, 5), 10.0, (1, 1), True)
    with pytest.raises(ValueError, match="out of range"):
        c_rotate_shape((4, 5), 10.0, (0, 2), True)
    out = np.zeros((4, 5))
    in_desc, _k1 = describe(a)
    out_desc, _k2 = describe(out)
    status = _capi.ndi_rotate(ctypes.byref(in_desc), ctypes.byref(out_desc), 30.0, 0, 1, 1, 1,
                              _support.mode_code("constant"), 0.0, 1, None)
    assert status == _capi.NDI_ERR_SHAPE_MISMATCH
    assert "rotation" in _capi.ndi_last_error_message().decode()
