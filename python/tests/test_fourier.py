"""libndimage's Fourier filters against scipy 1.17.1: fourier_gaussian, fourier_uniform,
fourier_ellipsoid and fourier_shift.

Generated differential cases (bit for bit: every input dtype scipy accepts, complex included,
every output form, ranks 1 to 4, axes of length 0, 1 and more, the real-FFT ``n``/``axis``
convention, NaN/±0/±inf data, memory layouts, in-place calls, thread counts), scipy's errors
(same exception type and message), and scipy's bugs, which libndimage fixes, on their own:
``fourier_uniform`` with a size <= 0 and ``output=`` given as a dtype instance or string.
"""

import warnings

import numpy as np
import pytest
import scipy.ndimage as sndi

import _support as S
import libndimage as lndi

FUNCTIONS = ["fourier_gaussian", "fourier_uniform", "fourier_ellipsoid", "fourier_shift"]
IN_DTYPES = S.DTYPE_NAMES + ["complex64", "complex128"]
FILTER_OUT = ["float32", "float64", "complex64", "complex128"]
N_BATCHES = 12
BATCH = 100

# Parameter values per function; fourier_uniform's sizes stay positive (sizes <= 0 are
# scipy's bug, tested on their own).
PARAMS = {
    "fourier_gaussian": [0.0, 1e-3, 0.3, 1.0, 2.5, 7.0, 40.0, -1.5],
    "fourier_uniform": [1e-3, 0.5, 1.0, 2.0, 3.7, 10.0, 1e6],
    "fourier_ellipsoid": [0.0, 0.5, 1.0, 2.2, 5.0, 13.0, -1.5],
    "fourier_shift": [0.0, 1.0, -2.5, 0.3, 100.25, 1e9],
}
AXIS_LENGTHS = [1, 1, 2, 3, 4, 5, 6, 7, 8, 11, 16]


def _data(rng, shape, dtype):
    if np.dtype(dtype).kind == "c":
        part = "float32" if dtype == "complex64" else "float64"
        re = S.random_data(rng, shape, part)
        im = S.random_data(rng, shape, part)
        values = np.empty(shape, dtype)
        values.real, values.imag = re, im
        return values
    return S.random_data(rng, shape, dtype)


def make_case(rng, function):
    rank = int(rng.integers(1, 4 if function == "fourier_ellipsoid" else 5))
    shape = tuple(int(rng.choice(AXIS_LENGTHS)) for _ in range(rank))
    if rng.random() < 0.04:
        shape = tuple(0 if a == 0 else n for a, n in enumerate(shape))
    in_dtype = str(rng.choice(IN_DTYPES))
    values = PARAMS[function]
    if rng.random() < 0.4:
        params = float(rng.choice(values))
    else:
        params = [float(rng.choice(values)) for _ in range(rank)]
    n = -1 if rng.random() < 0.5 else int(rng.integers(0, 2 * max(shape) + 3))
    axis = int(rng.integers(-rank, rank))
    complex_in = in_dtype.startswith("complex")
    if function == "fourier_shift":
        outs = ["complex64", "complex128"]
    else:
        outs = [d for d in FILTER_OUT if d.startswith("complex") or not complex_in]
    kind = str(rng.choice(["none", "type", "array", "array", "inplace"]))
    if kind == "inplace" and in_dtype not in outs:
        kind = "array"
    return dict(function=function, shape=shape, in_dtype=in_dtype, params=params, n=n,
                axis=axis, out_kind=kind, out_dtype=str(rng.choice(outs)),
                in_layout=str(rng.choice(S.LAYOUTS)), out_layout=str(rng.choice(S.LAYOUTS)),
                workers=[None, 1, 2, 3][int(rng.integers(0, 4))],
                data_seed=int(rng.integers(0, 2**31)))


def _arguments(p):
    """(input, output argument) for one library, fresh for each."""
    rng = np.random.default_rng(p["data_seed"])
    values = _data(rng, p["shape"], p["in_dtype"])
    input = S.with_layout(values, p["in_layout"], rng)
    if p["out_kind"] == "none":
        return input, None
    if p["out_kind"] == "type":
        return input, getattr(np, p["out_dtype"])
    if p["out_kind"] == "inplace":
        return input, input
    out = S.with_layout(np.zeros(p["shape"], p["out_dtype"]), p["out_layout"], rng)
    return input, out


def run_case(p):
    """(matched, scipy's result, ours) for case ``p``."""
    results = []
    for module in (sndi, lndi):
        input, output = _arguments(p)
        kwargs = dict(n=p["n"], axis=p["axis"], output=output)
        if module is lndi:
            kwargs["workers"] = p["workers"]
        with np.errstate(all="ignore"):
            result = getattr(module, p["function"])(input, p["params"], **kwargs)
        if output is not None and not isinstance(output, type):
            assert result is output
        results.append(np.array(result))
    return S.same_bits(*results), results[0], results[1]


_GENERATED = [(f, b) for f in FUNCTIONS for b in range(N_BATCHES)]


@pytest.mark.parametrize("function,batch", _GENERATED, ids=[f"{f}-{b}" for f, b in _GENERATED])
def test_generated(function, batch, tally):
    failures = []
    for k in range(BATCH):
        seed = 40_000_000 + FUNCTIONS.index(function) * 1_000_000 + batch * 10_000 + k
        p = make_case(np.random.default_rng(seed), function)
        matched, expected, got = run_case(p)
        known = not matched and S.nan_signs_only(expected, got)
        tally.add(function, matched, known=known)
        if not matched and not known:
            failures.append(S.describe_mismatch(p, expected, got))
    assert not failures, f"{len(failures)} mismatches:\n" + "\n\n".join(failures[:5])


def test_generator_covers_the_space():
    seen = {k: set() for k in ("rank", "in", "out", "kind", "in_layout", "out_layout",
                               "half", "zero", "one", "workers", "scalar")}
    for function in FUNCTIONS:
        for k in range(N_BATCHES * BATCH):
            seed = 40_000_000 + FUNCTIONS.index(function) * 1_000_000 + \
                (k // BATCH) * 10_000 + k % BATCH
            p = make_case(np.random.default_rng(seed), function)
            seen["rank"].add(len(p["shape"]))
            seen["in"].add(p["in_dtype"])
            seen["out"].add(p["out_dtype"])
            seen["kind"].add(p["out_kind"])
            seen["in_layout"].add(p["in_layout"])
            seen["out_layout"].add(p["out_layout"])
            seen["half"].add(p["n"] >= 0)
            seen["zero"].add(0 in p["shape"])
            seen["one"].add(1 in p["shape"])
            seen["workers"].add(p["workers"])
            seen["scalar"].add(np.isscalar(p["params"]))
    assert seen["rank"] == {1, 2, 3, 4}
    assert seen["in"] == set(IN_DTYPES)
    assert seen["out"] == set(FILTER_OUT)
    assert seen["kind"] == {"none", "type", "array", "inplace"}
    assert seen["in_layout"] == seen["out_layout"] == set(S.LAYOUTS)
    for key in ("half", "zero", "one", "scalar"):
        assert seen[key] == {True, False}, key
    assert seen["workers"] == {None, 1, 2, 3}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_larger_arrays_every_thread_count(function, tally):
    """Arrays long enough for several runs and parts: scipy's values on 1 to 4 threads."""
    rng = np.random.default_rng(7)
    shapes = [(5000,), (33, 2500), (7, 6, 301)]
    for shape in shapes:
        for dtype in ("float64", "complex64", "uint16"):
            x = _data(rng, shape, dtype)
            for layout in ("C", "F", "transposed"):
                x = S.with_layout(x, layout, rng)
                params = [2.5, 0.75, 3.0][:len(shape)]
                for n, axis in ((-1, -1), (2 * shape[0] - 1, 0)):
                    with np.errstate(all="ignore"):
                        expected = getattr(sndi, function)(x, params, n=n, axis=axis)
                        for workers in (1, 2, 3, 4):
                            got = getattr(lndi, function)(x, params, n=n, axis=axis,
                                                          workers=workers)
                            tally.add(function, S.same_bits(expected, got))
                            assert S.same_bits(expected, got), (shape, dtype, layout,
                                                                workers)


def test_in_place_complex_spectrum(tally):
    """output=input on a real FFT's spectrum, as the docs' example uses them."""
    rng = np.random.default_rng(3)
    image = rng.random((64, 48))
    for function in FUNCTIONS:
        ours = np.fft.rfft2(image)
        theirs = ours.copy()
        getattr(sndi, function)(theirs, 3.0, n=48, axis=-1, output=theirs)
        result = getattr(lndi, function)(ours, 3.0, n=48, axis=-1, output=ours)
        assert result is ours
        tally.add(function, S.same_bits(theirs, ours))
        assert S.same_bits(theirs, ours)


# --------------------------------------------------------------------------------------
# Errors: what scipy raises
# --------------------------------------------------------------------------------------

A2 = np.arange(12.0).reshape(3, 4)


def _read_only():
    out = np.zeros((3, 4))
    out.flags.writeable = False
    return out


ERROR_CASES = [
    ("output type int", lambda: (A2, 1.0), dict(output=np.int32)),
    ("output type float", lambda: (A2, 1.0), dict(output=float)),
    ("output shape", lambda: (A2, 1.0), dict(output=np.zeros((4, 3)))),
    ("output list", lambda: (A2, 1.0), dict(output=[0.0])),
    ("output read-only", lambda: (A2, 1.0), dict(output=_read_only())),
    ("output int array", lambda: (A2, 1.0), dict(output=np.zeros((3, 4), np.int32))),
    ("output float16 array", lambda: (A2, 1.0), dict(output=np.zeros((3, 4), np.float16))),
    ("output real for complex", lambda: (A2 + 1j, 1.0), dict(output=np.float64)),
    ("output real array for complex", lambda: (A2 + 1j, 1.0), dict(output=np.zeros((3, 4)))),
    ("input float16", lambda: (A2.astype(np.float16), 1.0), {}),
    ("input longdouble", lambda: (A2.astype(np.longdouble), 1.0), {}),
    ("input clongdouble", lambda: (A2.astype(np.clongdouble), 1.0), {}),
    ("input object", lambda: (A2.astype(object), 1.0), {}),
    ("input str", lambda: (np.array(["a", "b"]), 1.0), {}),
    ("0-d input", lambda: (np.array(2.0), 1.0), {}),
    ("params too short", lambda: (A2, [1.0]), {}),
    ("params too long", lambda: (A2, [1.0, 2.0, 3.0]), {}),
    ("params str", lambda: (A2, "ab"), {}),
    ("params complex", lambda: (A2, 1j), {}),
    ("axis out of range", lambda: (A2, 1.0), dict(axis=2)),
    ("axis negative out of range", lambda: (A2, 1.0), dict(axis=-3)),
    ("axis float", lambda: (A2, 1.0), dict(axis=1.0)),
    ("n float", lambda: (A2, 1.0), dict(n=3.0)),
    ("n huge", lambda: (A2, 1.0), dict(n=2**70)),
    ("n None", lambda: (A2, 1.0), dict(n=None)),
    ("order: output before axis", lambda: (A2, 1.0), dict(output=np.int8, axis=5)),
    ("order: axis before params", lambda: (A2, [1.0]), dict(axis=5)),
    ("order: read-only before dtype", lambda: (A2.astype(np.float16), 1.0),
     dict(output=_read_only())),
]

SHIFT_ERROR_CASES = [
    ("shift output float type", lambda: (A2, 1.0), dict(output=np.float64)),
    ("shift output float array", lambda: (A2, 1.0), dict(output=np.zeros((3, 4)))),
    ("shift output float32 array", lambda: (A2, 1.0),
     dict(output=np.zeros((3, 4), np.float32))),
]

ELLIPSOID_ERROR_CASES = [
    ("rank 4", lambda: (np.zeros((2, 2, 2, 2)), 1.0), {}),
    ("rank 4 empty", lambda: (np.zeros((2, 0, 2, 2)), 1.0), {}),
    ("order: rank before output", lambda: (np.zeros((2, 2, 2, 2)), 1.0),
     dict(output=np.int8)),
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


def _compare(name, make_args, kwargs, must_fail=True):
    scipy_type, scipy_msg = _outcome(getattr(sndi, name), make_args, kwargs)
    ours_type, ours_msg = _outcome(getattr(lndi, name), make_args, kwargs)
    if must_fail:
        assert scipy_type is not None, "case is not an error for scipy"
    if scipy_type is None:
        assert ours_type is None, ours_msg
        assert S.same_bits(scipy_msg, ours_msg)
        return
    assert ours_type is scipy_type, (ours_type, ours_msg, scipy_type, scipy_msg)
    assert ours_msg == scipy_msg


_ERRORS = [(f, c) for f in FUNCTIONS for c in ERROR_CASES] + \
    [("fourier_shift", c) for c in SHIFT_ERROR_CASES] + \
    [("fourier_ellipsoid", c) for c in ELLIPSOID_ERROR_CASES]


@pytest.mark.parametrize("function,case", _ERRORS, ids=[f"{f}-{c[0]}" for f, c in _ERRORS])
def test_errors(function, case):
    _compare(function, case[1], case[2])


ACCEPTED = [
    ("empty, int output", lambda: (np.zeros((0, 3)), 1.0),
     dict(output=np.zeros((0, 3), np.int32))),
    ("empty float16", lambda: (np.zeros((2, 0), np.float16), 1.0), {}),
    ("empty complex, real output", lambda: (np.zeros((0,), complex), 1.0),
     dict(output=np.zeros(0))),
    ("1-element axes", lambda: (np.ones((1, 1, 1)), 2.0), dict(n=0, axis=1)),
    ("n zero", lambda: (A2, 2.0), dict(n=0, axis=0)),
    ("n numpy int", lambda: (A2, 2.0), dict(n=np.int16(7), axis=np.int64(1))),
    ("params array", lambda: (A2, np.array([1.5, 2.0])), {}),
    ("params list input", lambda: ([[1.0, 2.0], [3.0, 4.0]], [1, 2]), {}),
    ("bool input", lambda: (A2 > 4, 1.0), {}),
    ("big-endian output", lambda: (A2 + 1j, 1.0),
     dict(output=np.zeros((3, 4), ">c16"))),
    ("nan params", lambda: (A2, float("nan")), {}),
    ("inf params", lambda: (A2, float("inf")), {}),
]


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize("case", ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_accepted_corner_cases(function, case):
    if function == "fourier_uniform" and "params" in case[0] and "nan" in case[0]:
        pytest.skip("a NaN size is part of the size <= 0 fix (test_uniform_nan_size)")
    if function == "fourier_shift" and "real output" in case[0]:
        pytest.skip("fourier_shift has no real outputs")
    with np.errstate(all="ignore"):
        _compare(function, case[1], case[2], must_fail=False)


def test_ellipsoid_empty_skips_the_axis_check():
    """scipy returns an empty input's output before it looks at ``axis``."""
    _compare("fourier_ellipsoid", lambda: (np.zeros((0, 2)), 1.0), dict(axis=7),
             must_fail=False)


# --------------------------------------------------------------------------------------
# scipy's bugs, fixed (left out of the comparison above)
# --------------------------------------------------------------------------------------

def test_uniform_size_zero_is_the_identity():
    rng = np.random.default_rng(11)
    x = np.fft.fftn(rng.random((6, 5)))
    ours = lndi.fourier_uniform(x, 0.0)
    assert S.same_bits(ours, x)
    # scipy 1.17.1 zeroes every coefficient but the DC one (the bug this fixes).
    theirs = sndi.fourier_uniform(x, 0.0)
    assert np.count_nonzero(theirs) == 1 and theirs[0, 0] == x[0, 0]
    # Per axis: size 0 on axis 0 only filters along axis 1, as fourier_uniform1d would.
    mixed = lndi.fourier_uniform(x, [0.0, 2.0])
    expected = sndi.fourier_uniform(x, [1e-300, 2.0])  # tau rounds to a factor of 1.0
    assert S.same_bits(mixed, expected)


def test_uniform_negative_size_is_its_magnitude():
    rng = np.random.default_rng(12)
    x = rng.normal(size=(7, 4)) + 1j * rng.normal(size=(7, 4))
    for size in ([-2.0, 3.0], -1.5, [-0.5, -7.25]):
        expected = sndi.fourier_uniform(x, np.abs(size))
        assert S.same_bits(lndi.fourier_uniform(x, size), expected)
        assert not np.array_equal(sndi.fourier_uniform(x, size), expected)


def test_uniform_nan_size():
    x = np.ones(5)
    got = lndi.fourier_uniform(x, float("nan"))
    assert got[0] == 1.0 and np.isnan(got[1:]).all()
    assert (sndi.fourier_uniform(x, float("nan"))[1:] == 0).all()  # scipy: zeros


@pytest.mark.parametrize("function", FUNCTIONS)
def test_output_dtype_instance_and_string(function):
    x = np.arange(12.0).reshape(3, 4) + 0.5j
    for name in ("complex64", "complex128"):
        expected = getattr(sndi, function)(x, 1.5, output=getattr(np, name))
        for output in (np.dtype(name), name):
            got = getattr(lndi, function)(x, 1.5, output=output)
            assert S.same_bits(got, expected)
    # scipy fails on both forms (the bug this fixes).
    with pytest.raises(RuntimeError, match="output shape not correct"):
        getattr(sndi, function)(x, 1.5, output=np.dtype("complex128"))
    with pytest.raises(AttributeError):
        getattr(sndi, function)(x, 1.5, output="complex128")
    # Dtypes scipy refuses as types are refused as dtypes too.
    for output in (np.dtype("int32"), "float16", "int8"):
        with pytest.raises(RuntimeError, match="output type not supported"):
            getattr(lndi, function)(x, 1.5, output=output)


def test_nan_sign_bits_are_the_only_difference():
    """Where a +NaN of the data meets the -NaN a multiplier holds (fourier_gaussian with
    n=0: 0 * inf at frequency 0), either sign may come out; everything else is identical
    (the rule ``nan_signs_only`` applies to the generated cases)."""
    x = np.array([[np.nan, 1.0, -2.0], [3.0, np.nan, 0.5]])
    x = x + 1j * x[::-1]
    for function in FUNCTIONS:
        with np.errstate(all="ignore"):
            expected = getattr(sndi, function)(x, 2.0, n=0, axis=0)
            got = getattr(lndi, function)(x, 2.0, n=0, axis=0)
        assert S.nan_signs_only(expected, got) or S.same_bits(expected, got), function
