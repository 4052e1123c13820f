"""libndimage's linear filters against scipy 1.17.1: generated differential cases (bytes
compared; every mode, origins, dtype pairs, complex data and weights, ranks 1 to 4, odd and
empty shapes, layouts, ``axes``, every output form, NaN/inf/-0 data), then the cases scipy
gets wrong, tested on their own against independent computations.
"""

import numpy as np
import pytest

import _linear as L

BATCH = 100
N_BATCHES = {"correlate1d": 30, "convolve1d": 15, "correlate": 20, "convolve": 10,
             "uniform_filter1d": 20, "uniform_filter": 20, "gaussian_filter1d": 15,
             "gaussian_filter": 15, "gaussian_laplace": 8, "gaussian_gradient_magnitude": 8,
             "sobel": 10, "prewitt": 6, "laplace": 8, "generic_laplace": 4,
             "generic_gradient_magnitude": 4}

_GENERATED = [(f, b) for f in N_BATCHES for b in range(N_BATCHES[f])]


@pytest.mark.parametrize("function,batch", _GENERATED,
                         ids=[f"{f}-{b}" for f, b in _GENERATED])
def test_generated(function, batch, tally):
    failures = []
    base = 40_000_000 + list(N_BATCHES).index(function) * 1_000_000
    for k in range(BATCH):
        seed = base + batch * 10_000 + k * 10
        p = L.make_case(np.random.default_rng(seed), seed, function)
        status, expected, got = L.run_case(p)
        if status == "skipped":
            tally.skip(function)
            continue
        # Cases where scipy raises (same exception expected) are counted apart.
        name = function + (" (argument errors)" if isinstance(expected, Exception) else "")
        tally.add(name, status == "matched", known=status == "known")
        if status == "mismatch":
            failures.append(L.describe(p, expected, got))
    assert not failures, f"{len(failures)} mismatches:\n" + "\n\n".join(failures[:4])


LINEAR = ["correlate1d", "convolve1d", "correlate", "convolve", "uniform_filter1d",
          "uniform_filter", "gaussian_filter1d", "gaussian_filter", "gaussian_laplace",
          "gaussian_gradient_magnitude", "sobel", "prewitt", "laplace", "generic_laplace",
          "generic_gradient_magnitude"]


@pytest.mark.parametrize("name", LINEAR)
def test_signature_is_scipys(name):
    """scipy's signature plus a keyword-only `workers=None` (before **kwargs, if any)."""
    import inspect

    import scipy.ndimage as sndi

    import libndimage as lndi

    ours = inspect.signature(getattr(lndi, name)).parameters
    assert ours["workers"].kind is inspect.Parameter.KEYWORD_ONLY
    assert ours["workers"].default is None
    trimmed = inspect.Signature([p for n, p in ours.items() if n != "workers"])
    assert trimmed == inspect.signature(getattr(sndi, name))
    assert getattr(lndi, name).__module__ == "libndimage.filters"


# --------------------------------------------------------------------------------------
# scipy's bugs and oddities (semantics §11), each on its own
# --------------------------------------------------------------------------------------

import ctypes  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

import scipy.ndimage as sndi  # noqa: E402

import _support as S  # noqa: E402
import libndimage as lndi  # noqa: E402
from libndimage import _capi, _support  # noqa: E402


def _reflect_reference(data, weights, origins):
    """n-D correlation with the exact periodic reflection (np.pad 'symmetric' is scipy's
    'reflect'), summed as scipy sums: from +0.0, active taps (|w| > 2**-52) in C order."""
    pads = [(n // 2 + o, n - 1 - (n // 2 + o)) for n, o in zip(weights.shape, origins)]
    padded = np.pad(data, pads, mode="symmetric")
    acc = np.zeros(data.shape)
    for k in np.ndindex(weights.shape):
        w = weights[k]
        if abs(w) > 2.0 ** -52:
            window = padded[tuple(slice(i, i + n) for i, n in zip(k, data.shape))]
            acc = acc + w * window
    return acc


@pytest.mark.parametrize("function", ["correlate", "convolve"])
def test_reflect_far_beyond_the_left_edge(function, tally):
    """scipy's correlate/convolve read before the array for weights reaching 4n or more
    past the left edge in reflect/grid-mirror (excluded from the generated comparisons):
    libndimage reflects exactly, checked against an independent reference."""
    rng = np.random.default_rng(5)
    checked = 0
    for n in (1, 2, 3):
        data = rng.normal(size=(2, n))
        for fs in range(8 * n - 1, 8 * n + 4):
            weights = rng.normal(size=(1, fs))
            for origin in range(-(fs // 2), (fs - 1) // 2 + 1):
                corr_origin = origin if function == "correlate" else -origin - (fs % 2 == 0)
                if not -(fs // 2) <= corr_origin <= (fs - 1) // 2:
                    continue
                if fs // 2 + corr_origin < 4 * n:
                    continue
                for mode in ("reflect", "grid-mirror"):
                    got = getattr(lndi, function)(data, weights, origin=(0, origin), mode=mode)
                    w = weights if function == "correlate" else weights[:, ::-1]
                    expected = _reflect_reference(data, w, (0, corr_origin))
                    assert S.same_bits(got, expected), (n, fs, origin, mode)
                    tally.add(f"{function}, reflect reaching >= 4n past the left edge "
                              "(vs an np.pad reference)", True)
                    checked += 1
    assert checked > 40


def test_scipy_correlate_reflect_bug_still_present():
    """Pins the scipy 1.17.1 bug excluded above: a view of length 3 preceded by 100.0,
    weights reaching 12 = 4n past the left edge read that memory."""
    base = np.array([100.0, 1.0, 2.0, 3.0])
    view = base[1:]
    weights = np.zeros(25)
    weights[0] = 1.0  # only the farthest-left tap: input index -12, which reflects to 0
    theirs = sndi.correlate(view, weights, mode="reflect")
    ours = lndi.correlate(view, weights, mode="reflect")
    assert ours[0] == 1.0
    assert theirs[0] == 100.0


def test_gaussian_laplace_mode_list_is_scipys():
    """scipy applies term k's mode to every axis of that term (not per axis); libndimage
    keeps that for compatibility (README)."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(7, 8))
    modes = ["constant", "nearest"]
    ours = lndi.gaussian_laplace(x, 1.3, mode=modes, cval=2.0)
    by_terms = (sndi.gaussian_filter(x, 1.3, order=[2, 0], mode="constant", cval=2.0)
                + sndi.gaussian_filter(x, 1.3, order=[0, 2], mode="nearest", cval=2.0))
    per_axis = (sndi.gaussian_filter(x, 1.3, order=[2, 0], mode=modes, cval=2.0)
                + sndi.gaussian_filter(x, 1.3, order=[0, 2], mode=modes, cval=2.0))
    assert S.same_bits(ours, by_terms)
    assert not np.array_equal(ours, per_axis)
    ours = lndi.gaussian_gradient_magnitude(x, 1.3, mode=modes)
    by_terms = np.sqrt(sndi.gaussian_filter(x, 1.3, order=[1, 0], mode="constant") ** 2
                       + sndi.gaussian_filter(x, 1.3, order=[0, 1], mode="nearest") ** 2)
    assert S.same_bits(ours, by_terms)


def test_gaussian_filter_drops_the_order_of_tiny_sigmas():
    """scipy skips axes with sigma <= 1e-15 together with their derivative order (kept)."""
    rng = np.random.default_rng(4)
    x = rng.normal(size=(6, 9))
    ours = lndi.gaussian_filter(x, [0.0, 2.0], order=[1, 0])
    assert S.same_bits(ours, lndi.gaussian_filter1d(x, 2.0, axis=1))
    assert S.same_bits(lndi.gaussian_filter(x, [1e-16, -1.0], order=[2, 3]), x)
    # gaussian_filter1d has no such rule: sigma 0 divides by zero.
    with pytest.raises(ZeroDivisionError):
        lndi.gaussian_filter1d(x, 0.0)


def test_float_sizes_are_scipys():
    """uniform_filter truncates float sizes (2.7 -> 2; 1.5 runs a size-1 pass, a store
    through the output type, not the NumPy copy of a skipped axis); uniform_filter1d
    rejects them."""
    x = np.array([0.5, 2.5, -3.7, 300.0])
    assert S.same_bits(lndi.uniform_filter(x, 2.7), lndi.uniform_filter(x, 2))
    size_one_pass = lndi.uniform_filter(x, 1.5, output=np.bool_)
    skipped = lndi.uniform_filter(x, 1, output=np.bool_)
    assert size_one_pass.view(np.uint8).tolist() == [0, 2, 253, 44]  # the filter store
    assert skipped.view(np.uint8).tolist() == [1, 1, 1, 1]  # NumPy's cast
    assert S.same_bits(size_one_pass, sndi.uniform_filter(x, 1.5, output=np.bool_))
    with pytest.raises(TypeError):
        lndi.uniform_filter1d(x, 2.5)


# The C copy of an all-skipped separable filter against NumPy's own assignment.
_SPECIAL = np.array(S.SPECIAL)


def _c_assign(source, dtype):
    out = np.zeros(source.shape, dtype)
    _support.call(_capi.ndi_uniform_filter, source, _support.Output(out), [1] * source.ndim,
                  None, None, 0, _capi.NDI_MODE_REFLECT, None, 0.0)
    return out


@pytest.mark.parametrize("target", S.DTYPE_NAMES + ["complex64", "complex128"])
def test_skipped_axes_copy_casts_as_numpy(target, tally):
    """ndi_uniform_filter (and the other separable filters) with every axis skipped assign
    the input with NumPy's casting; the Python binding uses NumPy itself there. Compared
    element by element (NumPy's scalar cast loop) with NumPy; float to uint32 below -2**31
    and NaN differ between NumPy's own contiguous and strided loops, so those are left out
    (libndimage gives the strided loop's values)."""
    rng = np.random.default_rng(8)
    sources = [_SPECIAL, _SPECIAL.astype(np.float32)]
    for name in S.DTYPE_NAMES:
        sources.append(S.random_data(rng, (40,), name, 0.5))
    sources.append((_SPECIAL + 1j * _SPECIAL[::-1]).astype(np.complex128))
    for source in sources:
        if source.dtype.kind == "c" and np.dtype(target).kind != "c":
            continue  # scipy's wrappers promote to a complex output
        ours = _c_assign(source, target)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = np.zeros(source.shape, target)[::-1]  # a strided NumPy loop
            expected[...] = source[::-1]
            expected = expected[::-1]
        if target == "uint32" and source.dtype.kind == "f":
            keep = ~((source < -2.0 ** 31) | np.isnan(source))
            ours, expected = ours[keep], expected[keep]
        assert S.same_bits(ours, np.ascontiguousarray(expected)), (source.dtype, target)
        tally.add("all axes skipped: NumPy assignment casting (C, vs NumPy)", True)


import warnings  # noqa: E402


@pytest.mark.parametrize("name", ["correlate1d", "correlate", "uniform_filter",
                                  "gaussian_filter", "gaussian_laplace", "sobel",
                                  "gaussian_gradient_magnitude", "laplace"])
def test_results_do_not_depend_on_the_thread_count(name):
    rng = np.random.default_rng(9)
    x = rng.normal(size=(67, 45, 3)) * 100
    calls = {
        "correlate1d": lambda w: lndi.correlate1d(x, [1.0, -2.5, 0.5, 3.0], 0, workers=w),
        "correlate": lambda w: lndi.correlate(x, rng_w, workers=w),
        "uniform_filter": lambda w: lndi.uniform_filter(x, (5, 3, 2), output=np.float32,
                                                        workers=w),
        "gaussian_filter": lambda w: lndi.gaussian_filter(x, 1.7, workers=w),
        "gaussian_laplace": lambda w: lndi.gaussian_laplace(x, 1.2, workers=w),
        "gaussian_gradient_magnitude": lambda w: lndi.gaussian_gradient_magnitude(
            x.astype(np.int16), 1.2, workers=w),
        "sobel": lambda w: lndi.sobel(x.astype(np.uint8), 0, workers=w),
        "laplace": lambda w: lndi.laplace(x, workers=w),
    }
    rng_w = rng.normal(size=(3, 4, 2))
    one = calls[name](1)
    for workers in (2, 3, 7):
        assert S.same_bits(calls[name](workers), one)


# --------------------------------------------------------------------------------------
# The library's own gaussian kernels (the C API without a kernel provider)
# --------------------------------------------------------------------------------------

def _ulps(a, b):
    """Largest distance between two float64 arrays in units in the last place."""
    ai = np.asarray(a, np.float64).view(np.int64)
    bi = np.asarray(b, np.float64).view(np.int64)
    ai = np.where(ai < 0, np.int64(-2 ** 63) - ai, ai)
    bi = np.where(bi < 0, np.int64(-2 ** 63) - bi, bi)
    return int(np.abs(ai - bi).max()) if ai.size else 0


def _library_kernel(sigma, order, radius):
    k = (ctypes.c_double * (2 * radius + 1))()
    assert _capi.ndi_gaussian_kernel1d(sigma, order, radius, k, 2 * radius + 1) == 0
    return np.array(k[:])


_NO_KERNEL = ctypes.cast(None, _capi.ndi_kernel1d_func)
KERNEL_ULP_BOUND = 4
RESULT_BOUND = 2.0  # |ours - scipy| <= RESULT_BOUND * 2**-52 * sum_k |g_k| |x_{i+k}|


def test_library_kernels_are_within_the_stated_bound(tally):
    """ndi_gaussian_kernel1d (libm exp) against scipy's kernels on this machine, whose NumPy
    exp may be its AVX-512 code: at most KERNEL_ULP_BOUND ulps apart (README); a pass of
    ndi_gaussian_filter1d with them within RESULT_BOUND * eps * sum |g| |x| of scipy's."""
    from scipy.ndimage._filters import _gaussian_kernel1d

    worst = 0
    for sigma in np.round(np.arange(0.3, 10.0, 0.037), 3):
        radius = int(4 * sigma + 0.5)
        for order in range(4):
            u = _ulps(_library_kernel(float(sigma), order, radius),
                      _gaussian_kernel1d(float(sigma), order, radius))
            worst = max(worst, u)
            # Counted as matched only when bit-identical; the bound is asserted below.
            tally.add("ndi_gaussian_kernel1d vs scipy's kernels (NumPy's own exp), "
                      f"all within {KERNEL_ULP_BOUND} ulp", u == 0)
    assert worst <= KERNEL_ULP_BOUND
    rng = np.random.default_rng(0)
    for sigma in (0.5, 1.0, 2.0, 3.3, 8.0):
        for order in range(4):
            x = rng.normal(size=(32, 48))
            expected = sndi.gaussian_filter1d(x, sigma, axis=1, order=order)
            out = np.zeros_like(x)
            _support.call(_capi.ndi_gaussian_filter1d, x, _support.Output(out), sigma, 1,
                          order, _capi.NDI_MODE_REFLECT, 0.0, 4.0, -1, _NO_KERNEL, None)
            g = np.abs(_gaussian_kernel1d(sigma, order, int(4 * sigma + 0.5)))
            scale = sndi.correlate1d(np.abs(x), g, axis=1) * 2.0 ** -52
            assert (np.abs(out - expected) <= RESULT_BOUND * scale).all(), (sigma, order)


_EXACT_SCRIPT = r"""
import ctypes, sys
import numpy as np
import scipy.ndimage as sndi
from scipy.ndimage._filters import _gaussian_kernel1d
from libndimage import _capi, _support
none = ctypes.cast(None, _capi.ndi_kernel1d_func)
rng = np.random.default_rng(1)
bad = 0
for sigma in np.round(np.arange(0.3, 10.0, 0.037), 3):
    r = int(4 * sigma + 0.5)
    for order in range(4):
        k = (ctypes.c_double * (2 * r + 1))()
        _capi.ndi_gaussian_kernel1d(float(sigma), order, r, k, 2 * r + 1)
        bad += np.array(k[:]).tobytes() != _gaussian_kernel1d(float(sigma), order, r).tobytes()
x = rng.normal(size=(23, 31)) * 10
for sigma in ((1.5, 0.7), (2.2, 3.1)):
    out = np.zeros_like(x)
    _support.call(_capi.ndi_gaussian_filter, x, _support.Output(out), list(sigma), [1, 0],
                  None, None, 0, _capi.NDI_MODE_NEAREST, None, 0.0, 4.0, none, None)
    bad += out.tobytes() != sndi.gaussian_filter(x, sigma, order=[1, 0], mode="nearest").tobytes()
    out = np.zeros_like(x)
    _support.call(_capi.ndi_gaussian_laplace, x, _support.Output(out), list(sigma), None,
                  None, 0, _capi.NDI_MODE_REFLECT, None, 0.0, 4.0, none, None)
    bad += out.tobytes() != sndi.gaussian_laplace(x, sigma).tobytes()
    out = np.zeros_like(x)
    _support.call(_capi.ndi_gaussian_gradient_magnitude, x, _support.Output(out), list(sigma),
                  None, None, 0, _capi.NDI_MODE_WRAP, None, 0.0, 4.0, none, None)
    bad += out.tobytes() != sndi.gaussian_gradient_magnitude(x, sigma, mode="wrap").tobytes()
print(bad)
"""


def test_library_kernels_equal_scipy_where_numpy_uses_libm_exp():
    """With NumPy's AVX-512 dispatch disabled its exp is libm's: then the library's own
    kernels, and the gaussian filters built on them, equal scipy's bit for bit."""
    from numpy._core._multiarray_umath import __cpu_features__ as features

    env = dict(os.environ)
    disabled = [f for f in ("X86_V4", "AVX512_ICL", "AVX512_SPR") if features.get(f)]
    if disabled:
        env["NPY_DISABLE_CPU_FEATURES"] = " ".join(disabled)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    result = subprocess.run([sys.executable, "-c", _EXACT_SCRIPT], env=env,
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "0", result.stdout + result.stderr


def test_nan_weights_count_as_symmetric():
    """scipy's symmetry test rejects a pair only when |w[c+j] - w[c-j]| > eps, never for
    NaN: [a, b, nan] is summed as b*x[i] + (x[i-1] + x[i+1])*a (kept; the NaN weight unused)."""
    x = np.array([1.0, 2.0, 4.0, 8.0, 16.0])
    w = [0.25, 3.0, np.nan]
    ours = lndi.correlate1d(x, w, mode="nearest")
    xl, xr = np.r_[x[0], x[:-1]], np.r_[x[1:], x[-1]]
    assert S.same_bits(ours, x * 3.0 + (xl + xr) * 0.25)
    assert S.same_bits(ours, sndi.correlate1d(x, w, mode="nearest"))


def test_gaussian_gradient_magnitude_axes_smooth_every_axis():
    """scipy's gaussian_gradient_magnitude passes its sigma on to gaussian_filter over every
    axis, so with ``axes=(0,)`` axis 1 is smoothed too (unlike gaussian_laplace; kept)."""
    x = np.random.default_rng(2).normal(size=(6, 7))
    ours = lndi.gaussian_gradient_magnitude(x, 1.0, axes=(0,))
    assert S.same_bits(ours, np.abs(sndi.gaussian_filter(x, 1.0, order=[1, 0])))
    assert S.same_bits(lndi.gaussian_laplace(x, 1.0, axes=(0,)),
                       sndi.gaussian_filter(x, [1.0, 0.0], order=[2, 0]))
