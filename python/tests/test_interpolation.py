"""libndimage's interpolation functions against scipy 1.17.1.

geometric_transform, map_coordinates, affine_transform, shift, zoom, rotate,
spline_filter1d and spline_filter: generated differential cases (bit for bit, float64
differences measured in ulps and printed in the summary), exhaustive grids for the tie and
edge rules and the dtype conversions, every accepted form of the mapping callable, errors,
and the one place where libndimage deliberately follows scipy 1.18 instead (the short-axis
reflect prefilter), which is tested against the spline's interpolation property and
scipy 1.18's reference values.
"""

import ctypes
import warnings

import numpy as np
import pytest
import scipy
import scipy.ndimage as sndi
import scipy.special

import _interp as I
import _support as S
import libndimage as lndi
from libndimage import interpolation

N_BATCHES = {"geometric_transform": 40, "map_coordinates": 40, "affine_transform": 40,
             "shift": 40, "zoom": 40, "rotate": 30, "spline_filter1d": 30,
             "spline_filter": 30}
BATCH = 100
N_PY_BATCHES = 10
PY_BATCH = 50

SIG_GT = "int (intptr_t *, double *, int, int, void *)"


@pytest.fixture(scope="module")
def tlib(callbacks_path):
    return I.load_transform_callbacks(callbacks_path)


def _count(tally, function, p, skipped, matched, expected, got, failures):
    if skipped:
        tally.skip(function)
        return
    known = None if matched else I.known_divergence(p, expected, got)
    ulp = None
    if known is None and I.float64_result(expected) and I.float64_result(got):
        ulp = I.ulp_difference(expected, got)
    tally.add(function, matched, ulp=ulp, known=known is not None)
    if not matched and known is None:
        failures.append(S.describe_mismatch(
            {k: v for k, v in p.items() if k != "coords"}, expected, got)
            if isinstance(expected, np.ndarray) and isinstance(got, np.ndarray)
            else f"case: {p}\nscipy: {expected}\nours:  {got}")


def _finish(failures):
    assert not failures, f"{len(failures)} mismatches:\n" + "\n\n".join(failures[:5])


# --------------------------------------------------------------------------------------
# Generated cases
# --------------------------------------------------------------------------------------

_GENERATED = [(f, b) for f in I.FUNCTIONS for b in range(N_BATCHES[f])]


@pytest.mark.parametrize("function,batch", _GENERATED,
                         ids=[f"{f}-{b}" for f, b in _GENERATED])
def test_generated(function, batch, tlib, tally):
    failures = []
    base = 20_000_000 + I.FUNCTIONS.index(function) * 1_000_000
    for k in range(BATCH):
        seed = base + batch * 10_000 + k * 10
        p = I.make_case(np.random.default_rng(seed), seed, function)
        _count(tally, function, p, *I.run_case(p, tlib), failures)
    _finish(failures)


@pytest.mark.parametrize("batch", range(N_PY_BATCHES))
def test_generated_python_mapping(batch, tlib, tally):
    """geometric_transform with Python mappings (plain, extra_arguments, extra_keywords)."""
    failures = []
    for k in range(PY_BATCH):
        seed = 30_000_000 + batch * 10_000 + k * 10
        p = I.make_case(np.random.default_rng(seed), seed, "geometric_transform",
                        python_mapping=True)
        _count(tally, "geometric_transform", p, *I.run_case(p, tlib), failures)
    _finish(failures)


def test_generator_covers_the_space():
    seen = {k: set() for k in ("rank", "in", "out", "mode", "order", "prefilter",
                               "in_layout", "out_layout", "out_kind", "rank_change",
                               "form", "coords", "grid", "reshape", "long", "zero",
                               "mapping", "skipped")}
    for f in I.FUNCTIONS:
        base = 20_000_000 + I.FUNCTIONS.index(f) * 1_000_000
        for k in range(N_BATCHES[f] * BATCH):
            seed = base + (k // BATCH) * 10_000 + (k % BATCH) * 10
            p = I.make_case(np.random.default_rng(seed), seed, f)
            seen["rank"].add(len(p["shape"]))
            seen["in"].add(p["in_dtype"])
            seen["out"].add(p["out_dtype"])
            seen["mode"].add(p["mode"])
            seen["order"].add(p["order"])
            seen["prefilter"].add(p["prefilter"])
            seen["in_layout"].add(p["in_layout"])
            seen["out_layout"].add(p["out_layout"])
            seen["out_kind"].add(p["out_kind"])
            seen["long"].add(min(p["shape"]) >= I.LONG_AXIS)
            seen["zero"].add(0 in p["shape"])
            seen["skipped"].add(I.diverges_from_scipy_117(p))
            if f == "geometric_transform":
                seen["rank_change"].add(len(p["out_shape"]) != len(p["shape"]))
                seen["mapping"].add(p["mapping"])
            if f == "affine_transform":
                seen["form"].add(p["form"])
            if f == "map_coordinates":
                seen["coords"].add(p["coords"].dtype.name)
            if f == "zoom":
                seen["grid"].add(p["grid_mode"])
            if f == "rotate":
                seen["reshape"].add(p["reshape"])
    assert seen["rank"] == {1, 2, 3, 4}
    assert len(seen["in"]) == 13 and len(seen["out"]) == 13
    assert len(seen["mode"]) == 8 and seen["order"] == set(range(6))
    assert seen["prefilter"] == {True, False}
    assert seen["in_layout"] == seen["out_layout"] == set(S.LAYOUTS)
    assert seen["out_kind"] == {"none", "dtype", "type", "str", "array"}
    assert seen["rank_change"] == {True, False}
    assert seen["form"] == {"diag", "full", "homog", "homog_sq"}
    assert len(seen["coords"]) >= 8
    assert seen["grid"] == seen["reshape"] == {True, False}
    assert seen["long"] == seen["zero"] == seen["skipped"] == {True, False}
    assert seen["mapping"] == {"c_affine", "c_sparse", "c_shift"}


# --------------------------------------------------------------------------------------
# Exhaustive grids: tie rule, edges, every mode, order and prefilter
# --------------------------------------------------------------------------------------

def _grid_coordinates(n):
    quarter = np.arange(-4 * n - 6, 8 * n + 7) / 4.0
    nudges = np.array([-1e-15, 1e-15, -1e-17, -0.0, n - 1 + 4.4e-16, n - 1 - 4.4e-16,
                       -0.5 - 1e-16, -0.5 + 1e-16, n - 0.5 - 1e-16, n - 0.5 + 1e-16,
                       0.5 - 1e-17, 0.5 + 1e-16])
    return np.concatenate([quarter, nudges])


def _diverges(mode, order, prefilter, n):
    return (prefilter and order > 1 and mode in I.PREFILTER_BUG_MODES
            and 2 <= n < I.LONG_AXIS)


@pytest.mark.parametrize("mode", I.MODES)
def test_quarter_step_coordinates(mode, tally):
    """Every quarter step from far left to far right (so every exact sample, every half-way
    tie of order 0 and every edge), nudged edges, orders 0-5, prefilter on and off."""
    failures = []
    for n in (1, 2, 3, 4, 5, 7, 26):
        data = (np.arange(n) * 1.75) ** 1.5 - 2.0 + (np.arange(n) % 3) * 0.125
        coords = _grid_coordinates(n)
        for order in range(6):
            for prefilter in (True, False):
                p = dict(function="map_coordinates", mode=mode, n=n, order=order,
                         prefilter=prefilter)
                if _diverges(mode, order, prefilter, n):
                    tally.skip("map_coordinates")
                    continue
                for cval in (-2.5, float("nan")):
                    kw = dict(order=order, mode=mode, cval=cval, prefilter=prefilter)
                    e = sndi.map_coordinates(data, coords[None], **kw)
                    g = lndi.map_coordinates(data, coords[None], **kw)
                    _count(tally, "map_coordinates", p, False, S.same_bits(e, g), e, g,
                           failures)
                    # order 0 into an integer type: the tie rule decides the sample.
                    e = sndi.map_coordinates(data * 10, coords[None], output=np.int32,
                                             **kw)
                    g = lndi.map_coordinates(data * 10, coords[None], output=np.int32,
                                             **kw)
                    _count(tally, "map_coordinates", p, False, S.same_bits(e, g), e, g,
                           failures)
    _finish(failures)


@pytest.mark.parametrize("mode", I.MODES)
def test_shift_and_zoom_grids(mode, tally):
    """Shifts by every quarter from -n-1 to n+1 and zooms onto every size 1..2n+1 (both
    grid modes), 2-D, orders 0-5."""
    failures = []
    for shape in ((1, 3), (2, 5), (4, 3), (3, 27)):
        data = np.sin(np.arange(np.prod(shape)).reshape(shape) * 1.3) * 50
        for order in range(6):
            prefilter = order % 2 == 0 or shape[1] > 20
            if (prefilter and order > 1 and mode in I.PREFILTER_BUG_MODES
                    and any(2 <= n < I.LONG_AXIS for n in shape)):
                prefilter = False
            p = dict(mode=mode, shape=shape, order=order, prefilter=prefilter)
            kw = dict(order=order, mode=mode, cval=1.25, prefilter=prefilter)
            for q in range(-4 * shape[1] - 4, 4 * shape[1] + 5, 3):
                e = sndi.shift(data, (0.5, q / 4), **kw)
                g = lndi.shift(data, (0.5, q / 4), **kw)
                p["shift"] = q / 4
                _count(tally, "shift", p, False, S.same_bits(e, g), e, g, failures)
            for size in range(1, 2 * shape[1] + 2):
                for grid in (False, True):
                    z = (1.0, size / shape[1])
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", UserWarning)
                        e = sndi.zoom(data, z, grid_mode=grid, **kw)
                        g = lndi.zoom(data, z, grid_mode=grid, **kw)
                    p.update(zoom=z, grid=grid)
                    _count(tally, "zoom", p, False, S.same_bits(e, g), e, g, failures)
    _finish(failures)


# --------------------------------------------------------------------------------------
# Exhaustive: every input x output dtype and mode, with extreme values
# --------------------------------------------------------------------------------------

def _special_input(dtype, shape, seed):
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        with np.errstate(all="ignore"):
            values = np.resize(np.array(S.SPECIAL), int(np.prod(shape))).astype(dtype)
        rng.shuffle(values)
        return values.reshape(shape)
    if dtype.kind == "c":
        return I.make_data(rng, shape, dtype, 0.5)
    return S.random_data(rng, shape, dtype, special=0.5)


def _compare_calls(tally, function, p, call, failures):
    """Runs ``call(lib)`` on both libraries; errors must match in type and message."""
    (e_exc, e), (g_exc, g) = (I._outcome(call, (lib,), {}) for lib in (sndi, lndi))
    if e_exc is not None or g_exc is not None:
        same = type(e_exc) is type(g_exc) and str(e_exc) == str(g_exc)
        _count(tally, function, p, False, same, repr(e_exc), repr(g_exc), failures)
    else:
        _count(tally, function, p, False, S.same_bits(e, g), e, g, failures)


@pytest.mark.parametrize("in_dtype", I.IN_DTYPES)
def test_dtype_matrix(in_dtype, tally):
    """shift (orders 0, 1, 3, prefilter on) and spline_filter1d into every output dtype,
    every mode: the interpolation and filter conversion rules, NaN, inf, huge values."""
    failures = []
    data = _special_input(in_dtype, (5, 6), 21)
    outs = I.COMPLEX_NAMES if in_dtype in I.COMPLEX_NAMES else S.DTYPE_NAMES
    cval = complex(-3.7, 1e19) if in_dtype in I.COMPLEX_NAMES else 1e19
    for out_dtype in outs:
        for mode in I.MODES:
            p = dict(function="shift", in_dtype=in_dtype, out_dtype=out_dtype, mode=mode,
                     cval=cval, prefilter=True)
            for order in (0, 1, 3):
                if order == 3 and mode in I.PREFILTER_BUG_MODES:
                    continue  # short axes: scipy 1.17's prefilter bug (tested apart)
                p["order"] = order
                _compare_calls(tally, "shift", p, lambda lib: lib.shift(
                    data, (0.5, -1.25), order=order, mode=mode, cval=cval,
                    output=np.dtype(out_dtype)), failures)
            if mode in I.SPLINE_FILTER_BUG_MODES:
                continue
            p = dict(p, function="spline_filter1d", order=3)
            _compare_calls(tally, "spline_filter1d", p, lambda lib: lib.spline_filter1d(
                data, 3, axis=0, mode=mode, output=np.dtype(out_dtype)), failures)
    _finish(failures)


# --------------------------------------------------------------------------------------
# scipy 1.17's short-axis prefilter bug: the interpolation property, and 1.18's values
# --------------------------------------------------------------------------------------

def _short_data(n, seed):
    rng = np.random.default_rng(seed)
    return np.round(rng.normal(size=n) * 10, 3)


def _max_ulps(got, want):
    scale = np.spacing(max(float(np.max(np.abs(want))), 1.0))
    return float(np.max(np.abs(got - want))) / scale


@pytest.mark.parametrize("mode", ["reflect", "grid-mirror", "nearest"])
def test_short_axis_prefilter_interpolates(mode):
    """On the axes scipy 1.17 gets wrong, libndimage's spline interpolates its samples:
    spline_filter then sampling at the integer positions, shift by 0, and the identity
    mapping give the input back, 1-D and 2-D, orders 2-5, as accurately as scipy does on
    long axes (a few ulps of the largest sample: 2 at order 2 ... about 14 at order 5)."""
    sample_mode = "reflect" if mode == "nearest" else mode  # nearest prefilters as reflect
    report = []
    for order in range(2, 6):
        # scipy's own accuracy where it is right (axes of 25 samples and more).
        baseline = max(_max_ulps(sndi.shift(x, 0.0, order=order, mode=mode), x)
                       for x in (_short_data(n, n) for n in range(I.LONG_AXIS, 60)))
        worst_1d = worst_2d = 0.0
        for n in range(1, I.LONG_AXIS):
            x = _short_data(n, n)
            c = lndi.spline_filter1d(x, order, mode=mode)
            back = lndi.map_coordinates(c, [np.arange(n, dtype=float)], order=order,
                                        mode=sample_mode, prefilter=False)
            for got in (back, lndi.shift(x, 0.0, order=order, mode=mode),
                        lndi.geometric_transform(x, lambda i: i, order=order, mode=mode)):
                worst_1d = max(worst_1d, _max_ulps(got, x))
            x2 = np.outer(_short_data(n, 100 + n), _short_data(3, n)) + 1.5  # both short
            c2 = lndi.spline_filter(x2, order, mode=mode)
            back2 = lndi.map_coordinates(c2, np.indices(x2.shape, dtype=float), order=order,
                                         mode=sample_mode, prefilter=False)
            worst_2d = max(worst_2d, _max_ulps(back2, x2),
                           _max_ulps(lndi.shift(x2, 0, order=order, mode=mode), x2))
        report.append(f"order {order}: 1-D {worst_1d:.0f} ulp, 2-D {worst_2d:.0f} ulp "
                      f"(scipy on long axes: {baseline:.0f} ulp)")
        assert worst_1d <= max(2 * baseline, 4), report
        assert worst_2d <= max(4 * baseline, 8), report
    print(f"\n{mode}: " + "; ".join(report))


@pytest.mark.parametrize("mode", ["reflect", "grid-mirror"])
def test_scipy_117_short_axis_prefilter_is_wrong(mode):
    """Pins scipy 1.17.1's bug (gh-24550) that the comparisons exclude: at n = 2 its
    reflect prefilter misses the samples by about 4e-2 (relative); libndimage does not."""
    x = np.array([1.0, 1.0])
    assert abs(sndi.spline_filter1d(x, 3, mode=mode)[0] - 1.0) > 1e-4
    assert np.abs(lndi.spline_filter1d(x, 3, mode=mode) - 1.0).max() < 1e-15
    y = np.array([3.0, -1.0, 2.0])
    e = sndi.shift(y, 0.0, order=3, mode=mode)
    g = lndi.shift(y, 0.0, order=3, mode=mode)
    assert np.abs(e - y).max() > 1e-4
    assert np.abs(g - y).max() < 1e-14


# Values of the centred B-spline of each order at the integers 0, 1, 2 (times the
# normaliser): the reference numbers of scipy 1.18's test_spline_filter_reflect_small_n.
KNOT_VALUES = {2: ([6, 1], 8), 3: ([4, 1], 6), 4: ([230, 76, 1], 384),
               5: ([66, 26, 1], 120)}


def _reflect_index(j, n):
    m = j % (2 * n)
    return 2 * n - 1 - m if m >= n else m


def _reflect_knot_matrix(n, order):
    """A with x = A @ c for spline coefficients c continued by half-sample reflection
    (scipy's 'reflect'): A[i, reflect(i + d)] += b(d)."""
    values, norm = KNOT_VALUES[order]
    a = np.zeros((n, n))
    for i in range(n):
        for d in range(-(len(values) - 1), len(values)):
            a[i, _reflect_index(i + d, n)] += values[abs(d)] / norm
    return a


@pytest.mark.parametrize("order", [2, 3, 4, 5])
@pytest.mark.parametrize("mode", ["reflect", "grid-mirror", "nearest"])
def test_spline_filter_reflect_small_n_scipy_118_reference(order, mode):
    """scipy 1.18's regression test for gh-24550, on n = 2..24: spline_filter1d of the
    identity along axis 0 is the inverse of the reflect knot matrix (atol 1e-12, as in
    scipy's test). scipy 1.17.1 fails it for the small n."""
    for n in range(2, I.LONG_AXIS):
        filtered = lndi.spline_filter1d(np.eye(n), order=order, axis=0, mode=mode)
        knots = _reflect_knot_matrix(n, order)
        np.testing.assert_allclose(filtered @ knots, np.eye(n), rtol=0, atol=1e-12)
        np.testing.assert_allclose(knots @ filtered, np.eye(n), rtol=0, atol=1e-12)
        if n <= 5 and mode != "nearest":
            old = sndi.spline_filter1d(np.eye(n), order=order, axis=0, mode=mode)
            assert np.abs(old @ knots - np.eye(n)).max() > 1e-12


def test_long_axes_reflect_prefilter_matches_scipy_117(tally):
    """From 25 samples on, scipy 1.17's reflect prefilter is right to the last bit: the
    comparisons include those axes (here 25..40, every order, several data sets)."""
    failures = []
    for n in range(I.LONG_AXIS, 41):
        for seed in range(3):
            x = _short_data(n, 1000 * seed + n) * (10.0 ** (3 * seed))
            for order in range(2, 6):
                for mode in ("reflect", "grid-mirror", "nearest"):
                    p = dict(function="spline_filter1d", n=n, order=order, mode=mode)
                    e = sndi.spline_filter1d(x, order, mode=mode)
                    g = lndi.spline_filter1d(x, order, mode=mode)
                    _count(tally, "spline_filter1d", p, False, S.same_bits(e, g), e, g,
                           failures)
                    e = sndi.shift(x, 0.375, order=order, mode=mode)
                    g = lndi.shift(x, 0.375, order=order, mode=mode)
                    _count(tally, "shift", p, False, S.same_bits(e, g), e, g, failures)
    _finish(failures)


# --------------------------------------------------------------------------------------
# Known libndimage divergences: minimal reproducers (see _interp.KNOWN_*)
# --------------------------------------------------------------------------------------

@pytest.mark.xfail(I.KNOWN_BOOL_SPLINE_FILTER_BUG, strict=True,
                   reason="libndimage bug: ndi_spline_filter reads its bool intermediate "
                          "as 0/1, scipy reads the stored byte (0..255)")
def test_spline_filter_bool_output_passes():
    x = np.array([[0.0, 300.0, 7.0], [5.0, 1.0, -2.0]])
    expected = sndi.spline_filter(x, order=3, output=bool)
    assert expected.view(np.uint8).tolist() == [[101, 38, 4], [120, 46, 216]]
    got = lndi.spline_filter(x, order=3, output=bool)
    assert got.view(np.uint8).tolist() == expected.view(np.uint8).tolist()


def test_spline_filters_of_empty_arrays_ignore_element_types():
    """scipy's line buffers read nothing from an empty array, so an unsupported element
    type is only an error when the filtered axis is not empty (as the checks say)."""
    x = np.zeros((0, 3), np.float16)
    for call in (lambda lib: lib.spline_filter1d(x, axis=0),
                 lambda lib: lib.spline_filter1d(x, axis=0, output=np.float16),
                 lambda lib: lib.spline_filter(x, order=4)):
        expected, got = call(sndi), call(lndi)
        assert S.same_bits(expected, got)
    for lib in (sndi, lndi):
        with pytest.raises(RuntimeError, match="array type dtype\\('float16'\\) not supported"):
            lib.spline_filter1d(x, axis=1)


@pytest.mark.xfail(I.KNOWN_BOOL_PAD_BUG, strict=True,
                   reason="libndimage bug: a bool input is padded (grid-constant, prefilter) "
                          "with cval's truncated byte; scipy's np.pad stores bool(cval)")
@pytest.mark.parametrize("cval", [0.5, 256.0, 1e10, float("nan"), float("inf")])
def test_bool_input_grid_constant_pad_value(cval):
    x = np.array([True, False, True, True])
    expected = sndi.shift(x, 0.5, order=2, mode="grid-constant", cval=cval,
                          output=np.float64)
    got = lndi.shift(x, 0.5, order=2, mode="grid-constant", cval=cval, output=np.float64)
    assert S.same_bits(expected, got)


@pytest.mark.xfail(I.KNOWN_NAN_LENGTH1_BUG, strict=True,
                   reason="libndimage bug: a NaN coordinate on a length-1 axis is mapped to "
                          "0 in the mirror/reflect/wrap modes; scipy gives cval")
@pytest.mark.parametrize("mode", I.NAN_LENGTH1_MODES)
def test_nan_coordinate_on_length_1_axis(mode):
    expected = sndi.map_coordinates(np.array([5.0]), [[np.nan]], order=1, mode=mode, cval=-7)
    assert expected.tolist() == [-7.0]
    got = lndi.map_coordinates(np.array([5.0]), [[np.nan]], order=1, mode=mode, cval=-7)
    assert S.same_bits(expected, got)


# NaN sign bits (README, "Where we differ from scipy on purpose"): where NaNs of both signs
# meet in one addition, x86 propagates the first operand's, and the compiler may order the
# operands of an addition either way, so libndimage's NaN may have the other sign than
# scipy's. Which cases differ can change with the code around them; what does not is the
# documented rule, tested here: the same NaN positions, every NaN the default quiet NaN of
# either sign, and every other value bit for bit scipy's.

def _bits_without_nan_signs(a):
    bits = np.ascontiguousarray(a, dtype=np.float64).view(np.uint64).copy()
    bits[np.isnan(a)] &= np.uint64(0x7FFF_FFFF_FFFF_FFFF)
    return bits


# Inputs with NaNs of both signs (np.nan is +NaN; -np.nan has the sign bit set; -inf + inf
# makes x86's -NaN), some outputs mixing them and some finite.
_MIXED = np.array([1.0, 2.0, np.nan, -np.nan, 3.0, 4.0, np.inf, -np.inf])
_MIXED_COORDS = [[0.25, 0.5, 2.5, 3.0, 4.5, 2.0, 6.5, 1.5]]
_NAN_SIGN_CASES = {
    "spline_filter1d mirror": lambda m: m.spline_filter1d(np.array([np.nan, np.nan, -np.nan]),
                                                          2, mode="mirror"),
    "spline_filter1d grid-wrap": lambda m: m.spline_filter1d(
        np.array([np.nan, -np.nan, np.nan]), 2, mode="grid-wrap"),
    "spline_filter1d wrap": lambda m: m.spline_filter1d(np.array([np.nan, np.nan, -np.nan]),
                                                        2, mode="wrap"),
    "map_coordinates order 1": lambda m: m.map_coordinates(np.array([np.nan, -np.nan]),
                                                           [[0.5]], order=1, prefilter=False),
    "map_coordinates mixed": lambda m: m.map_coordinates(_MIXED, _MIXED_COORDS, order=1,
                                                         prefilter=False),
    "shift order 3 mixed": lambda m: m.shift(_MIXED, 0.5, order=3, mode="nearest"),
}


@pytest.mark.parametrize("case", sorted(_NAN_SIGN_CASES))
def test_nan_sign_bits_are_the_only_difference(case):
    expected = _NAN_SIGN_CASES[case](sndi)
    got = _NAN_SIGN_CASES[case](lndi)
    assert expected.dtype == got.dtype == np.float64 and expected.shape == got.shape
    nan = np.isnan(expected)
    assert nan.any()
    assert (np.isnan(got) == nan).all(), "NaN positions differ from scipy's"
    assert (_bits_without_nan_signs(got) == _bits_without_nan_signs(expected)).all(), (
        f"values other than NaN signs differ:\nscipy {expected!r}\nours  {got!r}")
    assert (_bits_without_nan_signs(got[nan]) == 0x7FF8_0000_0000_0000).all()


def test_nan_sign_cases_meet_both_signs():
    """The cases above do make NaNs of both signs meet: scipy itself returns NaNs of both
    signs from them (its compiled code is fixed, so this does not vary)."""
    signs = set()
    for case in _NAN_SIGN_CASES.values():
        e = case(sndi)
        signs.update(np.signbit(e[np.isnan(e)]).tolist())
    assert signs == {False, True}
    # scipy's result for the smallest case: the first term's NaN (+NaN).
    assert _NAN_SIGN_CASES["map_coordinates order 1"](sndi).view(np.uint64).tolist() == [
        0x7FF8_0000_0000_0000]


# --------------------------------------------------------------------------------------
# The mapping callable in every form
# --------------------------------------------------------------------------------------

_new_capsule = ctypes.pythonapi.PyCapsule_New
_new_capsule.restype = ctypes.py_object
_new_capsule.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
_set_context = ctypes.pythonapi.PyCapsule_SetContext
_set_context.restype = ctypes.c_int
_set_context.argtypes = [ctypes.py_object, ctypes.c_void_p]
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
        int gt_shift(intptr_t *, double *, int, int, void *);
        int gt_affine(intptr_t *, double *, int, int, void *);
        int gf_wsum(double *, intptr_t, double *, void *);
    """)
    return ffi, ffi.dlopen(callbacks_path)


DATA = np.arange(12.0).reshape(4, 3) ** 1.5


def check_gt(mapping_ours, mapping_scipy, tally, data=DATA, **kwargs):
    kwargs.setdefault("order", 3)
    kwargs.setdefault("mode", "nearest")
    expected = sndi.geometric_transform(data, mapping_scipy, **kwargs)
    got = lndi.geometric_transform(data, mapping_ours, **kwargs)
    matched = S.same_bits(expected, got)
    tally.add("geometric_transform", matched, ulp=I.ulp_difference(expected, got)
              if I.float64_result(expected) else None)
    assert matched, S.describe_mismatch(kwargs, expected, got)
    return got


def _shift_by(s):
    def mapping(index):
        return tuple(i - s for i in index)
    return mapping


def test_python_callable_forms(tally):
    check_gt(_shift_by(0.5), _shift_by(0.5), tally)
    check_gt(I.py_affine_extra, I.py_affine_extra, tally,
             extra_arguments=([[1.0, 0.5], [0.0, 1.0]], [0.25, -0.5]))
    check_gt(I.py_affine_extra, I.py_affine_extra, tally, extra_arguments=([[1.0, 0.0]],),
             extra_keywords=dict(off=[0.5], scale=1.0), output_shape=(4, 3),
             data=np.arange(7.0) ** 2)
    # Any tuple of float-protocol items (extra items ignored); tuple subclasses too.
    check_gt(lambda i: (np.float32(i[0] - 0.5), i[1], "ignored"),
             lambda i: (np.float32(i[0] - 0.5), i[1], "ignored"), tally)

    class T(tuple):
        def __getitem__(self, k):
            return 99.0

    check_gt(lambda i: T((i[0] * 0.5, i[1])), lambda i: T((i[0] * 0.5, i[1])), tally)


def test_python_callable_sees_scipys_calls():
    """Same calls in the same order, with tuples of Python ints; complex inputs call the
    mapping twice per element (real part, then imaginary part), as scipy does."""
    for data in (DATA, DATA + 1j * DATA[::-1], np.arange(5.0)):
        seen = {}
        for lib in (sndi, lndi):
            calls = seen[lib] = []

            def mapping(index, *args, **kwargs):
                calls.append((index, tuple(type(i) for i in index), args, kwargs))
                return tuple(0.5 * i for i in index[:1]) * data.ndim

            lib.geometric_transform(data, mapping, output_shape=(2, 3), order=1,
                                    extra_arguments=(1, "a"), extra_keywords={"k": None})
        assert seen[sndi] == seen[lndi]
        assert len(seen[lndi]) == 6 * (2 if np.iscomplexobj(data) else 1)


def test_lowlevelcallable_from_ctypes_every_user_data_form(tlib, cffi_lib, tally):
    ffi, _ = cffi_lib
    s = ctypes.c_double(0.5)
    pointer = ctypes.addressof(s)
    for user_data in (ctypes.c_void_p(pointer), ctypes.cast(ctypes.pointer(s), ctypes.c_void_p),
                      ffi.cast("void *", pointer), capsule(pointer, "shift")):
        llc = scipy.LowLevelCallable(tlib["gt_shift"], user_data)
        assert llc.signature == "int (long *, double *, int, int, void *)"
        check_gt(llc, llc, tally)
    # No user_data: NULL (the callback then shifts by 0.5 as well).
    llc = scipy.LowLevelCallable(tlib["gt_shift"])
    check_gt(llc, llc, tally)
    s.value = -1.25
    llc = scipy.LowLevelCallable(tlib["gt_shift"], ctypes.c_void_p(pointer))
    check_gt(llc, llc, tally, mode="wrap", order=5)


def test_lowlevelcallable_from_cffi(cffi_lib, tally):
    ffi, lib = cffi_lib
    llc = scipy.LowLevelCallable(lib.gt_shift)
    assert llc.signature == SIG_GT
    check_gt(llc, llc, tally)
    s = ffi.new("double *", 2.5)
    llc = scipy.LowLevelCallable(lib.gt_shift, ffi.cast("void *", s))
    check_gt(llc, llc, tally, mode="grid-wrap")


@pytest.mark.parametrize("pointer_type", ["intptr_t", "npy_intp", "long", "long long"])
def test_lowlevelcallable_from_capsule_every_signature(tlib, pointer_type, tally):
    s = ctypes.c_double(0.75)
    signature = f"int ({pointer_type} *, double *, int, int, void *)"
    cap = capsule(S.address(tlib["gt_shift"]), signature, ctypes.addressof(s))
    llc = scipy.LowLevelCallable(cap)
    check_gt(llc, llc, tally, mode="mirror")


def test_legacy_capsule_without_name(tlib, tally):
    s = ctypes.c_double(-0.5)
    cap = capsule(S.address(tlib["gt_shift"]), None, ctypes.addressof(s))
    check_gt(cap, cap, tally)


def test_raw_ctypes_and_cffi_function_pointers(tlib, cffi_lib, tally):
    """Extensions: raw pointers are used as C functions (scipy would call them as Python);
    user_data is NULL, so gt_shift shifts by 0.5."""
    reference = scipy.LowLevelCallable(tlib["gt_shift"])
    check_gt(tlib["gt_shift"], reference, tally)
    proto = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_ssize_t),
                             ctypes.POINTER(ctypes.c_double), ctypes.c_int, ctypes.c_int,
                             ctypes.c_void_p)
    check_gt(proto(S.address(tlib["gt_shift"])), reference, tally)
    _, lib = cffi_lib
    check_gt(lib.gt_shift, reference, tally)
    with pytest.raises(ValueError, match="Invalid scipy.LowLevelCallable signature"):
        lndi.geometric_transform(DATA, lib.gf_wsum)
    bad = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_int),
                           ctypes.POINTER(ctypes.c_double), ctypes.c_int, ctypes.c_int,
                           ctypes.c_void_p)(S.address(tlib["gt_shift"]))
    with pytest.raises(ValueError) as ours:
        lndi.geometric_transform(DATA, bad)
    with pytest.raises(ValueError) as theirs:
        sndi.geometric_transform(DATA, scipy.LowLevelCallable(bad))
    assert str(ours.value) == str(theirs.value)


def test_numba_cfunc(tally):
    numba = pytest.importorskip("numba")
    from numba import types as nt

    @numba.cfunc(nt.intc(nt.CPointer(nt.intp), nt.CPointer(nt.float64), nt.intc, nt.intc,
                         nt.voidptr))
    def shift(output_coordinates, input_coordinates, output_rank, input_rank, user_data):
        for i in range(input_rank):
            input_coordinates[i] = output_coordinates[i] - 0.5
        return 1

    llc = scipy.LowLevelCallable(shift.ctypes)
    check_gt(shift, llc, tally)
    check_gt(llc, llc, tally)
    with pytest.raises(ValueError, match="Invalid scipy.LowLevelCallable signature"):
        lndi.generic_filter(DATA, shift, size=2)


def test_coordinates_are_zeroed_once_and_kept(tlib, tally):
    """Entries a C mapping leaves unwritten keep the previous call's values (zero before
    the first call), as in scipy 1.17.1."""
    llc = scipy.LowLevelCallable(tlib["gt_sparse"])
    for shape in ((5, 4), (3,), (2, 3, 4)):
        check_gt(llc, llc, tally, data=np.arange(60.0).reshape(3, 4, 5) % 7,
                 output_shape=shape, order=1, mode="reflect")


def test_output_index_is_a_copy(tlib):
    """scipy documents the output index as read-only (writing it corrupts its iteration);
    libndimage passes a copy, so scribbling on it has no effect."""
    got = lndi.geometric_transform(DATA, tlib["gt_scribble"], order=1)
    assert S.same_bits(got, sndi.shift(DATA, 0.25, order=1))


def test_c_mapping_failure(tlib):
    results = []
    for lib in (sndi, lndi):
        left = ctypes.c_long(5)
        llc = scipy.LowLevelCallable(tlib["gt_fail_after"],
                                     ctypes.cast(ctypes.pointer(left), ctypes.c_void_p))
        out = np.full(DATA.shape, -9.0)
        with pytest.raises(RuntimeError) as info:
            lib.geometric_transform(DATA, llc, output=out, order=1)
        results.append((str(info.value), out))
    assert results[0][0] == "unknown error in mapping function"
    assert results[1][0].startswith("unknown error in mapping function (")
    # The five elements before the failing one are written, nothing after it.
    assert S.same_bits(results[0][1], results[1][1])
    assert (results[1][1].reshape(-1)[5:] == -9.0).all()


class _SetErrorData(ctypes.Structure):
    _fields_ = [("set_string", ctypes.c_void_p), ("type", ctypes.c_void_p),
                ("left", ctypes.c_long)]


def test_c_mapping_setting_a_python_exception(tlib):
    set_string = ctypes.cast(ctypes.pythonapi.PyErr_SetString, ctypes.c_void_p).value
    exc_type = ctypes.c_void_p.in_dll(ctypes.pythonapi, "PyExc_LookupError").value
    for lib in (sndi, lndi):
        state = _SetErrorData(set_string, exc_type, 3)
        llc = scipy.LowLevelCallable(tlib["gt_set_error"],
                                     ctypes.cast(ctypes.pointer(state), ctypes.c_void_p))
        with pytest.raises(LookupError, match=r"^raised from C \(mapping\)$"):
            lib.geometric_transform(DATA, llc)


class MyError(Exception):
    pass


def test_python_mapping_exception_propagates():
    calls = []

    def mapping(index):
        calls.append(index)
        if len(calls) == 4:
            raise MyError("boom")
        return index

    for lib in (sndi, lndi):
        calls.clear()
        out = np.full(DATA.shape, -9.0)
        with pytest.raises(MyError, match="^boom$") as info:
            lib.geometric_transform(DATA, mapping, output=out, order=0)
        assert len(calls) == 4
        assert out.reshape(-1)[:3].tolist() == DATA.reshape(-1)[:3].tolist()
    assert any(entry.name == "mapping" for entry in info.traceback)


# --------------------------------------------------------------------------------------
# Errors: scipy's exception types and messages
# --------------------------------------------------------------------------------------

A = np.arange(12.0).reshape(3, 4)
A3 = np.arange(24.0).reshape(2, 3, 4)
_KEEP = []


def _ro(shape=(3, 4), dtype=float):
    out = np.zeros(shape, dtype)
    out.flags.writeable = False
    return out


def _ident(index):
    return index


def _bad_llc():
    proto = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_double), ctypes.c_ssize_t,
                             ctypes.POINTER(ctypes.c_double), ctypes.c_void_p)
    fp = proto(lambda *a: 1)
    _KEEP.append(fp)
    return scipy.LowLevelCallable(fp)


def _named_capsule():
    return capsule(1234, "not a signature")


GT, MC, AT, SH, ZO, RO, S1, SF = ("geometric_transform", "map_coordinates",
                                  "affine_transform", "shift", "zoom", "rotate",
                                  "spline_filter1d", "spline_filter")

# Arguments after the input for each function, in a valid form.
VALID = {GT: (_ident,), MC: (np.indices((3, 4)) * 0.5,), AT: (np.eye(2),), SH: (0.5,),
         ZO: (1.5,), RO: (30,), S1: (), SF: ()}

COMMON = [
    ("order 6", dict(order=6)),
    ("order -1", dict(order=-1)),
    ("order None", dict(order=None)),
    ("order float", dict(order=2.0)),
    ("order float low", dict(order=1.0)),
    ("mode unknown", dict(mode="unknown")),
    ("mode case", dict(mode="Nearest")),
    ("mode list", dict(mode=["wrap"])),
    ("mode None", dict(mode=None)),
    ("output shape", dict(output=np.zeros((2, 2)))),
    ("output read-only", dict(output=_ro())),
    ("output str not numeric", dict(output="U")),
    ("output str bool", dict(output="bool")),
    ("output float16", dict(output=np.float16)),
    ("output longdouble", dict(output=np.longdouble)),
    ("output complex for real input", dict(output=np.complex128)),
    ("output object array", dict(output=np.zeros((3, 4), object))),
]
INTERP_ONLY = [
    ("cval str", dict(cval="x")),
    ("cval complex", dict(cval=1j)),
    ("cval None", dict(cval=None)),
    ("cval str grid-constant", dict(cval="x", mode="grid-constant")),
    ("cval complex grid-constant", dict(cval=2j, mode="grid-constant", order=3)),
    ("cval str order 1", dict(cval="x", order=1)),
    ("order float with prefilter off", dict(order=3.0, prefilter=False)),
    ("order: mode before read-only", dict(mode="x", output=_ro())),
    ("order: read-only before cval", dict(output=_ro(), cval="x")),
    ("order: output shape before mode", dict(output=np.zeros(3), mode="x")),
]
INPUTS = [
    ("input float16 order 1", lambda: A.astype(np.float16), dict(order=1)),
    ("input float16 order 3", lambda: A.astype(np.float16), {}),
    ("input float16 nearest", lambda: A.astype(np.float16), dict(mode="nearest")),
    ("input big-endian float16", lambda: A.astype(">f2"), {}),
    ("input longdouble", lambda: A.astype(np.longdouble), {}),
    ("input object order 1", lambda: A.astype(object), dict(order=1)),
    ("input object", lambda: A.astype(object), {}),
    ("input str", lambda: np.array([["a", "b"]]), {}),
    ("input 0-d", lambda: np.array(1.0), {}),
    ("input complex, output real array", lambda: A + 1j, dict(output=np.zeros((3, 4)))),
    ("input complex, output real str", lambda: A + 1j, dict(output="f8")),
    ("input complex, cval str", lambda: A + 1j, dict(cval="x")),
    ("input clongdouble", lambda: (A + 1j).astype(np.clongdouble), {}),
    ("input empty nearest", lambda: np.zeros((0, 4)), dict(mode="nearest")),
]


def _cases(function):
    out = []
    for name, kw in COMMON + (INTERP_ONLY if function not in (S1, SF) else []):
        out.append((function, name, lambda: (A,), kw))
    for name, make, kw in INPUTS:
        out.append((function, name, (lambda make=make: (make(),)), kw))
    return out


SPECIFIC = [
    (GT, "mapping None", lambda: (A, None), {}),
    (GT, "mapping int", lambda: (A, 5), {}),
    (GT, "mapping named capsule", lambda: (A, _named_capsule()), {}),
    (GT, "mapping bad signature", lambda: (A, _bad_llc()), {}),
    (GT, "mapping returns list", lambda: (A, lambda i: list(i)), {}),
    (GT, "mapping returns short tuple", lambda: (A, lambda i: i[:1]), {}),
    (GT, "mapping returns str item", lambda: (A, lambda i: ("x", 1.0)), {}),
    (GT, "mapping returns None", lambda: (A, lambda i: None), {}),
    (GT, "mapping returns array", lambda: (A, lambda i: np.array(i, float)), {}),
    (GT, "mapping wrong arity", lambda: (A, lambda: (0.0, 0.0)), {}),
    (GT, "mapping raises", lambda: (A, lambda i: {}[i]), {}),
    (GT, "mapping bad extra keyword", lambda: (A, _ident), dict(extra_keywords={"z": 1})),
    (GT, "extra_arguments list", lambda: (A, _ident), dict(extra_arguments=[1])),
    (GT, "extra_keywords list", lambda: (A, _ident), dict(extra_keywords=[1])),
    (GT, "output_shape empty", lambda: (A, _ident), dict(output_shape=())),
    (GT, "output_shape int", lambda: (A, _ident), dict(output_shape=5)),
    (GT, "output_shape vs output", lambda: (A, _ident), dict(output_shape=(2, 2),
                                                             output=np.zeros((3, 4)))),
    (GT, "float16 input probes the mapping first", lambda: (A.astype(np.float16),
                                                            lambda i: {}[i]), dict(order=1)),
    (GT, "float16 output probes the mapping first", lambda: (A, lambda i: {}[i]),
     dict(order=1, output=np.float16)),
    (GT, "order: extras before callable", lambda: (A, 5), dict(extra_arguments=[1])),
    (GT, "order: cval before mapping None", lambda: (A, None), dict(cval="x")),
    (MC, "coordinates complex", lambda: (A, np.zeros((2, 3)) + 0j), {}),
    (MC, "coordinates float16", lambda: (A, np.zeros((2, 3), np.float16)), {}),
    (MC, "coordinates object", lambda: (A, np.zeros((2, 3), object)), dict(order=1)),
    (MC, "coordinates longdouble", lambda: (A, np.zeros((2, 3), np.longdouble)), {}),
    (MC, "coordinates rows", lambda: (A, np.zeros((3, 3))), {}),
    (MC, "coordinates 1-D", lambda: (A, np.zeros(2)), {}),
    (MC, "coordinates list", lambda: (A, [[0.5], [1, 2]]), {}),
    (MC, "order: coordinates type before data type", lambda: (A.astype(np.float16),
                                                             np.zeros((2, 3), np.float16)),
     dict(order=1)),
    (AT, "matrix 3-D", lambda: (A, np.ones((2, 2, 2))), {}),
    (AT, "matrix empty", lambda: (A, np.ones((0,))), {}),
    (AT, "matrix 0-d", lambda: (A, 2.0), {}),
    (AT, "matrix rows", lambda: (A, np.ones((3, 2))), {}),
    (AT, "matrix cols", lambda: (A, np.ones((2, 3))), dict(output_shape=(3, 4, 5))),
    (AT, "matrix 1-D rows", lambda: (A, np.ones(3)), {}),
    (AT, "matrix homogeneous bottom row", lambda: (A, np.ones((3, 3)) * 2), {}),
    (AT, "matrix homogeneous NaN bottom row", lambda: (A, np.array(
        [[1, 0, 0], [0, 1, 0], [0, np.nan, 1]])), {}),
    (AT, "matrix str", lambda: (A, "x"), {}),
    (AT, "offset length", lambda: (A, np.ones(2)), dict(offset=[1, 2, 3])),
    (AT, "offset 2-D", lambda: (A, np.ones(2)), dict(offset=[[1, 2], [3, 4]])),
    (AT, "offset str", lambda: (A, np.ones(2)), dict(offset="ab")),
    (AT, "output_shape list with output", lambda: (A, np.eye(2)),
     dict(output_shape=[3, 4], output=np.zeros((3, 4)))),
    (AT, "output_shape empty", lambda: (A, np.eye(2)), dict(output_shape=())),
    (SH, "shift length", lambda: (A, [1, 2, 3]), {}),
    (SH, "shift str", lambda: (A, "a"), {}),
    (SH, "shift None", lambda: (A, None), {}),
    (SH, "shift str items", lambda: (A, ["a", "b"]), {}),
    (ZO, "zoom negative", lambda: (A, -1), {}),
    (ZO, "zoom length", lambda: (A, [1, 2, 3]), {}),
    (ZO, "zoom NaN", lambda: (A, float("nan")), {}),
    (ZO, "zoom inf", lambda: (A, float("inf")), {}),
    (ZO, "zoom str", lambda: (A, "a"), {}),
    (ZO, "grid_mode None", lambda: (A, 2), dict(grid_mode=None, mode="nearest")),
    (ZO, "grid_mode str", lambda: (A, 2), dict(grid_mode="yes", mode="nearest")),
    (ZO, "grid_mode float", lambda: (A, 2), dict(grid_mode=1.0, mode="nearest")),
    (RO, "1-D input", lambda: (np.ones(3), 30), {}),
    (RO, "axes three", lambda: (A, 30), dict(axes=(0, 1, 2))),
    (RO, "axes float", lambda: (A, 30), dict(axes=(0, 1.5))),
    (RO, "axes float integral", lambda: (A, 30), dict(axes=(0, 1.0))),
    (RO, "axes out of range", lambda: (A, 30), dict(axes=(0, 2))),
    (RO, "axes negative out of range", lambda: (A, 30), dict(axes=(-3, 0))),
    (RO, "axes equal 3-D", lambda: (A3, 30), dict(axes=(1, 1))),
    (RO, "axes int", lambda: (A, 30), dict(axes=1)),
    (RO, "angle str", lambda: (A, "x"), {}),
    (RO, "angle complex", lambda: (A, 1j), {}),
    (RO, "angle longdouble", lambda: (A, np.longdouble(30)), {}),
    (RO, "angle huge int", lambda: (A, 2 ** 70), {}),
    (RO, "angle None", lambda: (A, None), {}),
    (RO, "output shape", lambda: (A, 30), dict(output=np.zeros((3, 4)))),
    (S1, "axis out of range", lambda: (A,), dict(axis=2)),
    (S1, "axis negative out of range", lambda: (A,), dict(axis=-3)),
    (S1, "axis float", lambda: (A,), dict(axis=1.0)),
    (S1, "axis None", lambda: (A,), dict(axis=None)),
    (S1, "0-d input order 3", lambda: (np.array(2.0),), {}),
    (S1, "order 1 read-only output", lambda: (A,), dict(order=1, output=_ro())),
    (S1, "order: mode before axis", lambda: (A,), dict(mode="x", axis=9)),
    (S1, "order: axis before read-only", lambda: (A,), dict(axis=9, output=_ro())),
    (S1, "order: input type before output type", lambda: (A.astype(np.float16),),
     dict(output=np.complex64)),
    (SF, "order 1", lambda: (A,), dict(order=1)),
    (SF, "order 0", lambda: (A,), dict(order=0)),
    (SF, "output float16, first axis empty", lambda: (np.zeros((0, 3)),),
     dict(output=np.float16)),
]

ERROR_CASES = [c for f in (GT, MC, AT, SH, ZO, RO, S1, SF) for c in _cases(f)] + SPECIFIC


def _error_outcome(function, make_args, kwargs, valid):
    args = make_args()
    if len(args) == 1:
        args = args + valid
    kwargs = {k: (v.copy() if isinstance(v, np.ndarray) and v.flags.writeable else v)
              for k, v in kwargs.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with np.errstate(all="ignore"):
                return None, function(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            return type(exc), str(exc)


@pytest.mark.parametrize("case", ERROR_CASES, ids=[f"{c[0]}: {c[1]}" for c in ERROR_CASES])
def test_errors_match_scipy(case):
    function, _, make_args, kwargs = case
    valid = VALID[function]
    scipy_type, scipy_msg = _error_outcome(getattr(sndi, function), make_args, kwargs, valid)
    ours_type, ours_msg = _error_outcome(getattr(lndi, function), make_args, kwargs, valid)
    if scipy_type is None:  # accepted by scipy: must be accepted, with the same result
        assert ours_type is None, (ours_type, ours_msg)
        assert S.same_bits(scipy_msg, ours_msg)
        return
    assert ours_type is scipy_type, (ours_type, ours_msg, scipy_type, scipy_msg)
    assert ours_msg == scipy_msg


def test_error_cases_mostly_are_errors():
    errors = 0
    for function, _, make_args, kwargs in ERROR_CASES:
        errors += _error_outcome(getattr(sndi, function), make_args, kwargs,
                                 VALID[function])[0] is not None
    assert errors >= 0.85 * len(ERROR_CASES)


def test_where_scipy_crashes_or_is_undefined_libndimage_raises_or_defines():
    """Cases scipy does not survive (a 1-D matrix with another output rank segfaults), or
    reads out of bounds (an empty input with a non-empty output), are errors here."""
    with pytest.raises(RuntimeError):
        lndi.affine_transform(A, np.ones(2), output_shape=(5,))
    with pytest.raises(RuntimeError):
        lndi.geometric_transform(np.zeros((0, 3)), _ident, output_shape=(2, 3), order=1)


@pytest.mark.parametrize("diagonal", [[2.0, 0.0], [0.0, -0.5], [0.0, 0.0], [-0.0, 1.25]])
def test_a_diagonal_with_a_zero_is_the_full_diagonal_matrix(diagonal):
    """A 1-D matrix holding a zero: scipy divides the offset by it (NaN coordinates: cval,
    or a segfault in the reflect, mirror and wrap modes). Here it is the transform of the
    full matrix np.diag(m), which samples that axis at its offset: bit for bit the np.diag
    form, and scipy's result for it (except where scipy 1.17.1's short-axis prefilter
    differs, README), in every mode and order, for 2-D and 3-D inputs, and an offset per
    axis or one for all."""
    cases = scipy_cases = 0
    for data in (A, np.arange(60.0).reshape(3, 4, 5) * 0.5 - 7):
        m = (diagonal * 2)[:data.ndim]
        for offset in (-1.05, [0.75, -2.0, 1.5][:data.ndim]):
            for mode in ("reflect", "grid-mirror", "mirror", "wrap", "grid-wrap", "constant",
                         "nearest", "grid-constant"):
                for order in (0, 1, 3, 5):
                    with np.errstate(divide="ignore", invalid="ignore"):
                        got = lndi.affine_transform(data, m, offset=offset, order=order,
                                                    mode=mode, cval=-3.0)
                    full = lndi.affine_transform(data, np.diag(m), offset=offset,
                                                 order=order, mode=mode, cval=-3.0)
                    assert S.same_bits(got, full), (m, offset, mode, order)
                    cases += 1
                    if order > 1 and mode in ("reflect", "grid-mirror", "nearest"):
                        # scipy 1.17.1's prefilter of short axes differs (README)
                        continue
                    want = sndi.affine_transform(data, np.diag(m), offset=offset,
                                                 order=order, mode=mode, cval=-3.0)
                    assert S.same_bits(got, want), (m, offset, mode, order)
                    scipy_cases += 1
    print(f"affine_transform, zero on the diagonal: {cases} run, {cases} matched the np.diag "
          f"form bit for bit, {scipy_cases} compared with scipy's np.diag result, all matched")


# --------------------------------------------------------------------------------------
# API: signatures, return conventions, warnings, special paths
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", I.FUNCTIONS)
def test_exported(name):
    # The signatures are checked against scipy's in test_api.py.
    assert name in lndi.__all__


@pytest.mark.parametrize("name", I.FUNCTIONS)
def test_return_conventions(name, tlib):
    data = np.arange(12, dtype=np.int16).reshape(3, 4)
    args = {GT: (tlib["gt_shift"],), MC: (np.indices((3, 4)) * 0.75,),
            AT: (np.eye(2) * 0.8,), SH: (0.5,), ZO: (1.0,), RO: (90,), S1: (), SF: ()}[name]
    outputs = [None, np.float32, np.dtype("uint8"), "f8", np.dtype(">i4"), ">u2"]
    if not (name == SF and I.KNOWN_BOOL_SPLINE_FILTER_BUG):
        outputs.append(np.dtype("bool"))
    for output in outputs:
        e_args = args if name != GT else (scipy.LowLevelCallable(tlib["gt_shift"]),)
        expected = getattr(sndi, name)(data, *e_args, output=output)
        got = getattr(lndi, name)(data, *args, output=output)
        assert type(got) is np.ndarray
        assert S.same_bits(expected, got), (output, expected, got)
    for dtype in (np.float64, ">f4", np.int32):
        shape = sndi.rotate(data, 90).shape if name == RO else data.shape
        out = np.zeros(shape, dtype)
        assert getattr(lndi, name)(data, *args, output=out) is out


def test_input_is_not_modified_and_output_is_what_is_written():
    data = np.arange(30.0).reshape(5, 6)
    keep = data.copy()
    for order in range(6):
        for mode in I.MODES:
            lndi.shift(data, 0.3, order=order, mode=mode)
            lndi.zoom(data, 1.3, order=order, mode=mode)
            lndi.rotate(data, 17, order=order, mode=mode)
    assert S.same_bits(data, keep)


def _warnings_of(function, *args, **kwargs):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        function(*args, **kwargs)  # this line is reported
    return [(w.category, str(w.message), w.filename) for w in record]


@pytest.mark.parametrize("name", [GT, MC, AT, SH, ZO, RO, S1, SF])
def test_complex_promotion_warning(name, tlib):
    data = np.arange(12.0).reshape(3, 4) * (1 + 0.5j)
    args = dict(VALID)
    args[GT] = (_shift_by(0.25),)
    caught = [_warnings_of(getattr(lib, name), data, *args[name], output=np.float32)
              for lib in (sndi, lndi)]
    assert caught[0] == caught[1]
    assert caught[1] == [(UserWarning, "promoting specified output dtype to complex",
                          __file__)]


@pytest.mark.parametrize("mode", ["constant", "wrap", "nearest"])
def test_grid_mode_warning(mode):
    caught = [_warnings_of(lib.zoom, A, 2, mode=mode, grid_mode=True) for lib in (sndi, lndi)]
    assert caught[0] == caught[1]
    assert len(caught[1]) == (mode != "nearest")
    # scipy's complex path does not pass grid_mode on: no warning, grid_mode ignored.
    caught = [_warnings_of(lib.zoom, A * 1j, 2, mode=mode, grid_mode=True)
              for lib in (sndi, lndi)]
    assert caught[0] == caught[1] == []


def test_no_other_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = np.array(S.SPECIAL[:20]).reshape(4, 5)
        for dtype in S.DTYPES:
            with np.errstate(all="ignore"):
                lndi.shift(data, 0.5, output=dtype, mode="nearest")
                lndi.zoom(data, 1.5, output=dtype, order=1)
                lndi.rotate(data, 30, output=dtype, mode="grid-wrap")


def test_zoom_by_one_is_a_numpy_copy():
    """scipy's early exit: every zoom 1 and prefilter: a NumPy copy (float -> int
    truncates), even with a bad mode; a read-only output gives a new array."""
    x = np.array([1.7, 2.5, -1.5, 300.2])
    for output in (np.int32, np.uint8, np.complex64, None):
        with np.errstate(all="ignore"):
            assert S.same_bits(sndi.zoom(x, 1, output=output, mode="bad"),
                               lndi.zoom(x, 1, output=output, mode="bad"))
    assert lndi.zoom(x, 1, output=np.int32).tolist() == [1, 2, -1, 300]
    assert lndi.zoom(x, 1, output=np.int32, prefilter=False,
                     order=1).tolist() == [2, 3, -2, 300]
    ro = np.zeros(4)
    ro.flags.writeable = False
    for lib in (sndi, lndi):
        got = lib.zoom(x, 1, output=ro)
        assert got is not ro and S.same_bits(got, x)
    out = np.zeros(4)
    assert lndi.zoom(x, [1.0], output=out) is out


def test_zoom_output_shape_rounds_half_to_even():
    for n, z in ((5, 0.5), (7, 0.5), (3, 1.5), (5, 1.5), (9, 1 / 6), (2, 1.25), (4, 0.0)):
        e = sndi.zoom(np.arange(float(n)), z)
        g = lndi.zoom(np.arange(float(n)), z)
        assert S.same_bits(e, g), (n, z)
    assert lndi.zoom(np.ones(5), 0.5).shape == (2,)
    assert lndi.zoom(np.ones(7), 0.5).shape == (4,)


def test_cosdg_sindg_are_scipys():
    rng = np.random.default_rng(3)
    angles = np.concatenate([
        np.arange(-1080, 1081, 7.5), [0.0, -0.0, 1e-300, -1e-300, 5e-324, 1e14, -1e14,
                                      1.0000001e14, 1e300, np.inf, -np.inf, np.nan, -np.nan,
                                      45 * 2 ** 40, 45 * 2 ** 40 + 45, 89.99999999999999],
        rng.uniform(-1e6, 1e6, 3000), rng.uniform(-400, 400, 3000),
        np.round(rng.uniform(-720, 720, 1000), 1)])
    for a in angles:
        for name, cosine in (("cosdg", True), ("sindg", False)):
            e = getattr(scipy.special, name)(a)
            g = interpolation._degrees_ufunc(name, a, cosine)
            assert np.float64(e).tobytes() == np.float64(g).tobytes(), (name, a, e, g)
    with np.errstate(over="ignore"):
        angles32 = angles[:2000].astype(np.float32)
    for a in angles32:
        for name, cosine in (("cosdg", True), ("sindg", False)):
            e = getattr(scipy.special, name)(a)
            g = interpolation._degrees_ufunc(name, a, cosine)
            assert type(e) is type(g) and e.tobytes() == g.tobytes(), (name, a)


@pytest.mark.parametrize("angle", [0, 90, 180, 270, -90, 360, 450, 45, 30, 33.3, -1e-3,
                                   np.float32(60), 7, np.int8(100)])
def test_rotate_angles_and_axes(angle, tally):
    data = np.arange(2 * 3 * 5 * 4, dtype=np.float64).reshape(2, 3, 5, 4) ** 1.1
    failures = []
    for axes in ((1, 0), (0, 1), (2, 3), (-1, 1), (3, 0), (-2, -4)):
        for reshape in (True, False):
            for order in (0, 1, 3, 5):
                p = dict(angle=angle, axes=axes, reshape=reshape, order=order)
                kw = dict(axes=axes, reshape=reshape, order=order, mode="grid-wrap")
                e = sndi.rotate(data, angle, **kw)
                g = lndi.rotate(data, angle, **kw)
                _count(tally, "rotate", p, False, S.same_bits(e, g), e, g, failures)
    _finish(failures)


def test_rotate_by_right_angles_is_exact():
    x = np.arange(20.0).reshape(4, 5)
    for order in (0, 1):  # higher orders sample prefiltered coefficients: not exact
        assert S.same_bits(lndi.rotate(x, 90, order=order, mode="nearest"), np.rot90(x))
        assert S.same_bits(lndi.rotate(x, 180, order=order, mode="nearest"), np.rot90(x, 2))


def test_in_place_with_prefilter_matches_scipy():
    """With order > 1 and the prefilter, scipy samples a filtered copy, so an output that
    is the input gives the out-of-place result, as in libndimage (for every order)."""
    for order in range(6):
        x = np.arange(30.0).reshape(5, 6) ** 1.3
        expected = sndi.shift(x, (0.5, -0.25), order=order, mode="mirror")
        y = x.copy()
        assert lndi.shift(y, (0.5, -0.25), order=order, mode="mirror", output=y) is y
        assert S.same_bits(y, expected)


def test_complex_cval_parts():
    data = (np.arange(12.0) - 3j * np.arange(12.0)[::-1]).reshape(3, 4)
    for mode in I.MODES:
        for cval in (1.5 - 2j, 3j, np.complex64(-1 + 1j), 2.0):
            e = sndi.shift(data, (1.5, -0.5), order=3, mode=mode, cval=cval,
                           prefilter=mode not in I.PREFILTER_BUG_MODES)
            g = lndi.shift(data, (1.5, -0.5), order=3, mode=mode, cval=cval,
                           prefilter=mode not in I.PREFILTER_BUG_MODES)
            assert S.same_bits(e, g), (mode, cval)
