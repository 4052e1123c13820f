"""Binary morphology and structuring elements against scipy 1.17.1, bit for bit.

Generated cases cover every function, structure kind (default, random, boxes, generated,
iterated, non-bool values, all false), origins, iterations (1, several, until nothing
changes, many), masks of every dtype (including values scipy's change-list path misreads),
border values, input/output/mask dtypes and layouts, ranks 1 to 4, 1-element and zero-size
axes, ``axes``, and every output form. Where scipy 1.17.1 is wrong (its change-list path, see
_morph.py), the case is compared with scipy's own brute-force path instead and counted under
``<function> [vs scipy brute force]``; where scipy would never return (a cycling iteration),
libndimage's error is checked and the case is not compared. Each scipy bug also has a test of
its own below.
"""

import signal
import subprocess
import sys
import warnings

import numpy as np
import pytest
import scipy.ndimage as sndi

import _morph as M
import _support as S
import libndimage as lndi

N_BATCHES = 40
BATCH = 100

EROSION_LIKE = {"binary_erosion": "E", "binary_dilation": "D", "binary_opening": "ED",
                "binary_closing": "DE", "binary_propagation": "D", "binary_fill_holes": "D"}


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def _with_deadline(seconds, function):
    """Runs ``function`` with an alarm (a scipy call predicted to return must return)."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        return function()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _inputs(params):
    rng = np.random.default_rng(params["seed"] + 1)
    data = M.truth_data(rng, params["shape"], params["in_dtype"], params["density"])
    return [S.with_layout(data, params["in_layout"], np.random.default_rng(params["seed"] + 2))
            for _ in range(2)]


def _mask(params):
    if params["mask"] is None:
        return None, None
    mask = M.mask_data(np.random.default_rng(params["seed"] + 3), params["shape"])
    layout = params["mask_layout"]
    return [S.with_layout(mask, layout, np.random.default_rng(params["seed"] + 4))
            for _ in range(2)]


def _scipy_bugs(params, mask, out_dtype):
    """Which scipy 1.17.1 bugs the case would hit on scipy's default path (its change-list
    algorithm, for iterations != 1 with a true centre)."""
    function = params["function"]
    if function == "binary_hit_or_miss":
        return []
    ndim = len(params["shape"])
    structure = params["structure"]
    n_axes = ndim if params["axes"] is None else len(params["axes"])
    sshape = [3] * n_axes if structure is None else list(np.shape(structure))
    fshape, origins = M.expanded(ndim, params["axes"], sshape, params["origin"])
    if structure is None:
        structure = sndi.generate_binary_structure(n_axes, 1)
    bugs = []
    if "D" in EROSION_LIKE[function] and M.dilation_flip_mismatch(ndim, params["axes"], sshape):
        bugs.append("axes-flip")
    iterations = -1 if function in ("binary_propagation", "binary_fill_holes") else \
        params["iterations"]
    brute = params["brute_force"] and function not in ("binary_propagation",
                                                        "binary_fill_holes")
    if iterations == 1 or brute or not M.centre_true(structure, fshape, origins):
        return bugs
    even = [1 - f % 2 for f in fshape]
    for op in EROSION_LIKE[function]:
        o2 = origins if op == "D" else [-o - e for o, e in zip(origins, even)]
        if M.changelist_offsets_bug(params["shape"], fshape, o2):
            bugs.append("offsets")
    if mask is not None and M.int8_truth_differs(mask):
        bugs.append("int8-mask")
    if mask is not None and np.dtype(out_dtype).kind == "f":
        bugs.append("float-output-mask")
    if mask is not None and mask.dtype == np.int8 and len(EROSION_LIKE[function]) == 2:
        # The first step of an opening or closing overwrites an int8 mask, which the second
        # step then reads.
        bugs.append("int8-mask-overwritten")
    return bugs


def _call(module, params, data, mask, output, brute_force=None):
    function = params["function"]
    kwargs = {}
    if params["axes"] is not None:
        kwargs["axes"] = params["axes"]
    if function == "binary_hit_or_miss":
        return module.binary_hit_or_miss(data, params["structure"], params["structure2"],
                                         output=output, origin1=params["origin"],
                                         origin2=params["origin2"], **kwargs)
    if function == "binary_fill_holes":
        if brute_force:
            # scipy's definition, on its brute-force path.
            out = ~module.binary_dilation(np.zeros(np.shape(data), bool), params["structure"],
                                          -1, np.logical_not(data), border_value=1,
                                          origin=params["origin"], brute_force=True,
                                          **kwargs)
            if isinstance(output, np.ndarray):
                output[...] = out
                return None
            return out
        return module.binary_fill_holes(data, params["structure"], output=output,
                                        origin=params["origin"], **kwargs)
    if function == "binary_propagation":
        if brute_force:
            return module.binary_dilation(data, params["structure"], -1, mask, output=output,
                                          border_value=params["border_value"],
                                          origin=params["origin"], brute_force=True,
                                          **kwargs)
        return module.binary_propagation(data, params["structure"], mask, output=output,
                                         border_value=params["border_value"],
                                         origin=params["origin"], **kwargs)
    bf = params["brute_force"] if brute_force is None else brute_force
    return getattr(module, function)(data, params["structure"], params["iterations"],
                                     mask=mask, output=output,
                                     border_value=params["border_value"],
                                     origin=params["origin"], brute_force=bf, **kwargs)


def run_binary_case(params):
    """(label, outcome, expected, got): outcome True (same bytes), False, or 'skip'."""
    data_scipy, data_ours = _inputs(params)
    mask_scipy, mask_ours = _mask(params)
    out_arg, _ = S._output_arg(params, params["shape"])
    if isinstance(out_arg, list):
        out_scipy, out_ours = out_arg
        out_dtype = out_scipy.dtype
    else:
        out_scipy = out_ours = out_arg
        out_dtype = np.dtype(bool)
    function = params["function"]
    bugs = _scipy_bugs(params, mask_scipy, out_dtype)
    if "axes-flip" in bugs:
        return function, "skip", None, None
    mask_before = None if mask_ours is None else mask_ours.copy()
    try:
        got = _call(lndi, params, data_ours, mask_ours, out_ours)
    except RuntimeError as e:
        if "never settles" in str(e):
            # scipy would loop forever: checked against an independent model elsewhere.
            return function, "skip", None, None
        raise
    if mask_ours is not None:
        assert S.same_bits(mask_ours, mask_before), "libndimage modified the mask"
    label = function
    brute = None
    if bugs:
        label = f"{function} [vs scipy brute force]"
        brute = True
    # scipy overwrites an int8 mask on its change-list path: give it its own copy.
    mask_arg = None if mask_scipy is None else mask_scipy.copy()
    expected = _with_deadline(20, lambda: _call(sndi, params, data_scipy, mask_arg, out_scipy,
                                                brute_force=brute))
    if isinstance(out_arg, list):
        if function in ("binary_hit_or_miss", "binary_fill_holes"):
            assert expected is None and got is None
        else:
            assert expected is out_scipy and got is out_ours
        expected, got = out_scipy, out_ours
    return label, S.same_bits(expected, got), expected, got


@pytest.mark.parametrize("batch", range(N_BATCHES))
def test_binary_generated(batch, tally):
    failures = []
    for k in range(BATCH):
        seed = 7_000_000 + batch * 10_000 + k * 10
        params = M.binary_case(np.random.default_rng(seed), seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            label, outcome, expected, got = run_binary_case(params)
        if outcome == "skip":
            tally.skip(label)
            continue
        tally.add(label, outcome)
        if not outcome:
            failures.append(S.describe_mismatch(params, expected, got))
    assert not failures, f"{len(failures)} mismatches:\n" + "\n\n".join(failures[:5])


def test_generator_covers_the_space():
    """The generated cases reach what they claim to (so a quiet generator fails)."""
    seen = {k: set() for k in ("function", "structure_kind", "iterations", "in_dtype",
                               "out_kind", "in_layout", "rank", "bug", "zero", "axes")}
    for batch in range(N_BATCHES):
        for k in range(BATCH):
            seed = 7_000_000 + batch * 10_000 + k * 10
            p = M.binary_case(np.random.default_rng(seed), seed)
            for key in ("function", "structure_kind", "iterations", "in_dtype", "out_kind",
                        "in_layout"):
                seen[key].add(p[key])
            seen["rank"].add(len(p["shape"]))
            seen["zero"].add(0 in p["shape"])
            seen["axes"].add(p["axes"] is not None)
            mask = _mask(p)[0]
            out_dtype = np.dtype(p["out_dtype"]) if p["out_kind"] == "array" else bool
            for b in _scipy_bugs(p, mask, out_dtype):
                seen["bug"].add(b)
    assert seen["function"] == set(M.BINARY_FUNCTIONS)
    assert len(seen["structure_kind"]) == 7
    assert {1, 2, 0, -1, 20} <= seen["iterations"]
    assert len(seen["in_dtype"]) == 11 and len(seen["in_layout"]) == len(S.LAYOUTS)
    assert seen["out_kind"] == {"none", "dtype", "type", "str", "array"}
    assert seen["rank"] == {1, 2, 3, 4} and seen["zero"] == {True, False}
    assert seen["axes"] == {True, False}
    assert {"offsets", "int8-mask", "float-output-mask", "axes-flip"} <= seen["bug"]


# --------------------------------------------------------------------------------------
# Structuring elements
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("rank", range(-1, 6))
def test_generate_binary_structure(rank, tally):
    for connectivity in [-2, 0, 1, 1.5, 2, 2.5, 3, 4, 5, 7, np.inf, np.nan]:
        expected = sndi.generate_binary_structure(rank, connectivity)
        got = lndi.generate_binary_structure(rank, connectivity)
        tally.add("generate_binary_structure", S.same_bits(expected, got))
        assert S.same_bits(expected, got), (rank, connectivity)


def test_iterate_structure(tally):
    rng = np.random.default_rng(5)
    for k in range(300):
        rank = int(rng.integers(0, 4))
        shape = tuple(int(rng.integers(1, 5)) for _ in range(rank))
        dtype = rng.choice(["bool", "int32", "float64"])
        s = np.asarray(rng.random(shape) < 0.6).astype(dtype)
        if dtype == "float64" and rank:
            s[rng.random(shape) < 0.3] = np.nan
        iterations = int(rng.integers(-1, 5))
        origin = None if rng.random() < 0.5 else [int(rng.integers(-1, 2))] * rank
        if origin is not None and rng.random() < 0.3:
            origin = int(rng.integers(-1, 2))
        expected = sndi.iterate_structure(s, iterations, origin)
        got = lndi.iterate_structure(s, iterations, origin)
        if origin is None or iterations < 2:
            ok = S.same_bits(expected, got)
        else:
            ok = S.same_bits(expected[0], got[0]) and expected[1] == got[1]
        tally.add("iterate_structure", ok)
        assert ok, (shape, dtype, iterations, origin)


# --------------------------------------------------------------------------------------
# scipy 1.17.1 bugs, each on its own
# --------------------------------------------------------------------------------------

def _scipy_in_subprocess(code):
    """Runs scipy code in a child process (scipy's change-list path can corrupt memory);
    returns its stdout, or None if it crashed."""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    return proc.stdout.strip() if proc.returncode == 0 else None


def test_changelist_wrong_offsets_on_short_axes():
    """scipy's change-list path uses wrong neighbour offsets when the structure is longer
    than the array along an axis (and can write outside the array); libndimage gives the
    brute-force result."""
    x = np.array([[1, 1], [1, 0], [0, 0], [0, 1], [1, 0]], dtype=bool)
    s = np.array([[1, 1, 1], [0, 0, 1]], dtype=bool)
    for function in ("binary_erosion", "binary_dilation"):
        brute = getattr(sndi, function)(x, s, 2, origin=(-1, -1), brute_force=True)
        ours = getattr(lndi, function)(x, s, 2, origin=(-1, -1))
        assert S.same_bits(brute, ours)
        assert S.same_bits(brute, getattr(lndi, function)(x, s, 2, origin=(-1, -1),
                                                          brute_force=True))
    # The documented case: scipy's dilation differs from its own brute force in row 2.
    printed = _scipy_in_subprocess(
        "import numpy as np, scipy.ndimage as nd\n"
        "x = np.array([[1,1],[1,0],[0,0],[0,1],[1,0]], bool)\n"
        "s = np.array([[1,1,1],[0,0,1]], bool)\n"
        "print(nd.binary_dilation(x, s, 2, origin=(-1,-1)).astype(int).tolist())")
    brute = sndi.binary_dilation(x, s, 2, origin=(-1, -1), brute_force=True)
    if printed is not None:
        assert printed != str(brute.astype(int).tolist())
    ours = lndi.binary_dilation(x, s, 2, origin=(-1, -1))
    assert ours[2].tolist() == [False, False]


def test_changelist_mask_truncated_to_int8():
    """scipy's change-list path reads a non-bool mask as int8 after the first step (256 is
    then False); libndimage tests ``mask != 0`` in every step, as scipy's brute force."""
    x = np.array([1, 0, 0, 0, 0, 0], dtype=bool)
    mask = np.array([1, 256, 256, 256, 1, 1], dtype=np.int16)
    scipy_default = sndi.binary_dilation(x, iterations=3, mask=mask)
    brute = sndi.binary_dilation(x, iterations=3, mask=mask, brute_force=True)
    ours = lndi.binary_dilation(x, iterations=3, mask=mask)
    assert scipy_default.tolist() == [1, 1, 0, 0, 0, 0]
    assert brute.tolist() == [1, 1, 1, 1, 0, 0]
    assert S.same_bits(ours, brute)
    for m in (np.array([1, 0.5, 0.5, 1, 1, 1]), np.array([1, -256, 512, 1, 1, 1], np.int32)):
        assert S.same_bits(lndi.binary_dilation(x, iterations=-1, mask=m),
                           sndi.binary_dilation(x, iterations=-1, mask=m, brute_force=True))


def test_int8_mask_is_not_modified():
    """scipy's change-list path overwrites an int8 mask (-1 where set, input bits where
    not); libndimage only reads it."""
    x = np.array([1, 0, 1, 0, 0, 1], dtype=bool)
    mask = np.array([1, 1, 0, 1, 1, 1], dtype=np.int8)
    scipy_mask = mask.copy()
    sndi.binary_dilation(x, iterations=2, mask=scipy_mask)
    assert scipy_mask.tolist() == [-1, -1, 1, -1, -1, -1]
    ours_mask = mask.copy()
    ours = lndi.binary_dilation(x, iterations=2, mask=ours_mask)
    assert ours_mask.tolist() == mask.tolist()
    assert S.same_bits(ours, sndi.binary_dilation(x, iterations=2, mask=mask.copy(),
                                                  brute_force=True))


def test_changelist_float_output_with_mask():
    """scipy's change-list path reads and writes the output as bytes with a mask, which
    breaks float outputs; libndimage stores 0.0 and 1.0."""
    x = np.zeros((5, 6), bool)
    x[2, 2] = True
    mask = np.ones((5, 6), bool)
    mask[:, 4] = False
    for dtype in (np.float32, np.float64):
        ours = lndi.binary_dilation(x, iterations=3, mask=mask, output=np.zeros((5, 6), dtype))
        brute = sndi.binary_dilation(x, iterations=3, mask=mask,
                                     output=np.zeros((5, 6), dtype), brute_force=True)
        assert S.same_bits(ours, brute)
        assert set(np.unique(ours)) == {0.0, 1.0}


def _reference_steps(x, offsets, border, combine, steps):
    """An independent model of iterated erosion/dilation (python loops)."""
    x = np.asarray(x, dtype=bool)
    n = len(x)
    states = [x]
    for _ in range(steps):
        prev = states[-1]
        new = np.empty_like(prev)
        for i in range(n):
            values = [prev[i + d] if 0 <= i + d < n else border for d in offsets]
            new[i] = combine(values)
        states.append(new)
    return states


def test_oscillating_iteration_raises():
    """With a structure whose centre is false, iterating until nothing changes can cycle
    (scipy never returns); libndimage detects the cycle and raises."""
    x = [1, 0, 1, 0]
    states = _reference_steps(x, [-1, 1], True, all, 6)
    assert states[2].tolist() == states[4].tolist() != states[3].tolist()
    with pytest.raises(RuntimeError, match="never settles"):
        lndi.binary_erosion(x, [1, 0, 1], iterations=-1, border_value=1)
    with pytest.raises(RuntimeError, match="never settles"):
        lndi.binary_dilation(np.array([0, 1, 0, 0, 0]), [1, 0, 1], iterations=0)
    # A false centre whose steps do settle gives the settled state (scipy returns too).
    y = np.array([0, 0, 1, 1, 1, 1, 0, 0])
    assert S.same_bits(lndi.binary_erosion(y, [1, 0, 1], iterations=-1),
                       sndi.binary_erosion(y, [1, 0, 1], iterations=-1))
    # Many steps of a cycling structure stop where scipy's steps stop.
    for n in (7, 8, 40, 41):
        assert S.same_bits(lndi.binary_erosion(x, [1, 0, 1], iterations=n, border_value=1),
                           sndi.binary_erosion(x, [1, 0, 1], iterations=n, border_value=1))


def test_origins_are_checked():
    """scipy does not range-check binary origins: beyond the structure on one side its centre
    lookup raises IndexError (same here), on the other it wraps around and computes garbage
    (ValueError here)."""
    x = np.ones(5, bool)
    s = np.ones(3, bool)
    # scipy reads outside the structure here: in a child process.
    printed = _scipy_in_subprocess(
        "import numpy as np, scipy.ndimage as nd\n"
        "print(nd.binary_erosion(np.ones(5, bool), np.ones(3, bool), origin=-2)"
        ".astype(int).tolist())")
    assert printed in (None, "[1, 1, 1, 0, 0]")
    with pytest.raises(ValueError, match="invalid origin"):
        lndi.binary_erosion(x, s, origin=-2)
    with pytest.raises(IndexError):
        sndi.binary_erosion(x, s, origin=2)
    with pytest.raises(IndexError):
        lndi.binary_erosion(x, s, origin=2)
    # The dilation checks its flipped origin: the sides swap.
    with pytest.raises(IndexError):
        sndi.binary_dilation(x, s, origin=-2)
    with pytest.raises(IndexError):
        lndi.binary_dilation(x, s, origin=-2)
    with pytest.raises(ValueError, match="invalid origin"):
        lndi.binary_dilation(x, s, origin=2)
    with pytest.raises(IndexError):
        lndi.binary_erosion(x, s, origin=1.5)
    # Within the structure, every origin agrees with scipy.
    for o in (-1, 0, 1):
        for f in ("binary_erosion", "binary_dilation"):
            assert S.same_bits(getattr(lndi, f)(np.arange(7) % 3 > 0, s, origin=o),
                               getattr(sndi, f)(np.arange(7) % 3 > 0, s, origin=o))


def test_hit_or_miss_checks_the_fallback_origin():
    """``origin2`` defaults to ``origin1``, which scipy does not check against
    ``structure2`` (it reads outside the input, a crash was seen); here it is checked."""
    x = np.ones((4, 5), bool)
    s1 = np.ones((3, 3), bool)
    s2 = np.ones((1, 3), bool)
    with pytest.raises(ValueError, match="invalid origin"):
        lndi.binary_hit_or_miss(x, s1, s2, origin1=-1)
    # A valid fallback agrees with scipy.
    y = np.random.default_rng(0).random((6, 7)) < 0.5
    s2 = np.ones((3, 1), bool)
    assert S.same_bits(lndi.binary_hit_or_miss(y, s1, s2, origin1=(1, 0)),
                       sndi.binary_hit_or_miss(y, s1, s2, origin1=(1, 0)))


def test_dilation_origins_with_decreasing_axes():
    """With ``axes`` covering fewer axes in decreasing order, scipy's dilation flips origin k
    by the size of structure axis k, while the origin belongs to another axis; libndimage
    uses the origin's own axis, which is the dilation of the fully expanded structure."""
    x = np.random.default_rng(1).random((5, 6, 7)) < 0.4
    s = np.random.default_rng(2).random((2, 3)) < 0.7
    s[1, 1] = True
    origin = (0, -1)
    axes = (2, 0)
    ours = lndi.binary_dilation(x, s, origin=origin, axes=axes)
    full = s.reshape(2, 1, 3)  # structure axes in increasing axis order
    expected = sndi.binary_dilation(x, full, origin=(-1, 0, 0))  # origin k on axes[k]
    assert S.same_bits(ours, expected)
    # Erosion has no flip: scipy's own result is the same convention.
    assert S.same_bits(lndi.binary_erosion(x, s, origin=origin, axes=axes),
                       sndi.binary_erosion(x, s, origin=origin, axes=axes))


# --------------------------------------------------------------------------------------
# Arguments and errors
# --------------------------------------------------------------------------------------

def _error(function, *args, **kwargs):
    try:
        function(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - the type is what is compared
        return type(e), str(e)
    return None, None


_A = np.ones((3, 3), bool)
_RO = np.zeros((3, 3), bool)
_RO.flags.writeable = False

BAD_ARGUMENTS = [
    ("binary_erosion", (_A,), dict(output=_RO)),
    ("binary_erosion", (_A.astype(np.float16),), {}),
    ("binary_erosion", (_A,), dict(output=np.zeros((3, 3), np.float16))),
    ("binary_erosion", (_A,), dict(mask=np.ones((3, 3), np.float16))),
    ("binary_erosion", (_A,), dict(iterations=1.5)),
    ("binary_dilation", (_A,), dict(iterations="2")),
    ("binary_dilation", (_A,), dict(structure=np.ones(3))),
    ("binary_dilation", (_A,), dict(structure=np.ones((3, 3, 3)))),
    ("binary_erosion", (_A,), dict(structure=np.ones(3))),
    ("binary_erosion", (_A,), dict(structure=np.ones((0, 3)))),
    ("binary_erosion", (_A,), dict(origin=(1,))),
    ("binary_dilation", (_A,), dict(origin=(1, 2, 3))),
    ("binary_erosion", (_A,), dict(origin=2)),
    ("binary_erosion", (_A,), dict(border_value=1.5)),
    ("binary_erosion", (_A,), dict(border_value=None)),
    ("binary_erosion", (np.ones((3, 3), complex),), {}),
    ("binary_erosion", (_A,), dict(output=np.zeros((3, 3), complex))),
    ("binary_erosion", (_A,), dict(output=np.zeros((3, 4), bool))),
    ("binary_erosion", (_A,), dict(mask=np.ones((3, 4)))),
    ("binary_erosion", (_A,), dict(mask=np.ones((3, 3), complex))),
    ("binary_erosion", (_A,), dict(axes=(0, 0))),
    ("binary_erosion", (_A,), dict(axes=(0, 5))),
    ("binary_erosion", (_A,), dict(axes=(0,), structure=np.ones((3, 3)))),
    ("binary_opening", (_A,), dict(structure=np.ones(3))),
    ("binary_opening", (_A,), dict(output=np.zeros((2, 2), bool))),
    ("binary_closing", (_A,), dict(iterations=None)),
    ("binary_closing", (_A,), dict(output=np.zeros((3, 3), complex))),
    ("binary_hit_or_miss", (_A,), dict(structure1=np.ones(3))),
    ("binary_hit_or_miss", (_A,), dict(origin1=(1, 2, 3))),
    ("binary_hit_or_miss", (_A,), dict(origin2=2)),
    ("binary_hit_or_miss", (np.ones((3, 3), complex),), {}),
    ("binary_propagation", (_A,), dict(mask=np.ones((2, 2)))),
    ("binary_propagation", (_A,), dict(structure=np.ones((3, 3, 3)))),
    ("binary_fill_holes", (_A,), dict(structure=np.ones(3))),
    ("binary_fill_holes", (_A,), dict(output=np.zeros((3, 3), complex))),
    ("binary_fill_holes", (_A,), dict(output=_RO)),
    ("iterate_structure", (np.ones((3, 3)), 2.5), {}),
]


@pytest.mark.parametrize("function, args, kwargs", BAD_ARGUMENTS)
def test_bad_arguments_raise_as_scipy(function, args, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = _error(getattr(sndi, function), *args, **kwargs)
        got = _error(getattr(lndi, function), *args, **kwargs)
    assert expected[0] is not None
    assert got[0] is expected[0], (expected, got)
    if expected[0] is not IndexError and function != "iterate_structure":
        assert got[1] == expected[1]


def test_zero_size_and_0d_inputs():
    for f in ("binary_erosion", "binary_dilation", "binary_opening", "binary_closing",
              "binary_propagation", "binary_fill_holes", "binary_hit_or_miss"):
        for x in (np.array(True), np.array(0.0), np.zeros((0, 3)), np.zeros((2, 0, 4), int)):
            assert S.same_bits(getattr(lndi, f)(x), getattr(sndi, f)(x)), (f, x)
    # Unsupported element types are only rejected when there are elements.
    assert S.same_bits(lndi.binary_erosion(np.zeros((0, 2), np.float16)),
                       sndi.binary_erosion(np.zeros((0, 2), np.float16)))


def test_fill_holes_accepts_what_logical_not_accepts():
    x = np.zeros((5, 5), complex)
    x[1:4, 1:4] = 1j
    x[2, 2] = 0
    assert S.same_bits(lndi.binary_fill_holes(x), sndi.binary_fill_holes(x))
    h = x.real.astype(np.float16) + 1
    assert S.same_bits(lndi.binary_fill_holes(h), sndi.binary_fill_holes(h))


def test_output_sharing_the_input():
    rng = np.random.default_rng(3)
    for f in ("binary_erosion", "binary_dilation", "binary_opening", "binary_closing",
              "binary_propagation"):
        x = rng.random((20, 30)) < 0.5
        expected = getattr(sndi, f)(x.copy())
        out = x.copy()
        assert getattr(lndi, f)(out, output=out) is out
        assert S.same_bits(out, expected), f
        # A mask sharing the output's memory is read as it was before the call.
        y = rng.random((20, 30)) < 0.5
        m = y.copy()
        expected = sndi.binary_dilation(y, iterations=3, mask=m.copy(), brute_force=True)
        assert S.same_bits(lndi.binary_dilation(y, iterations=3, mask=m, output=m), expected)
    x = rng.random((20, 30)) < 0.6
    expected = sndi.binary_fill_holes(x)
    out = x.copy()
    assert lndi.binary_fill_holes(out, output=out) is None
    assert S.same_bits(out, expected)


@pytest.mark.parametrize("function", ["binary_erosion", "binary_dilation", "binary_opening",
                                      "binary_propagation", "binary_fill_holes",
                                      "binary_hit_or_miss"])
def test_every_thread_count_gives_the_same_result(function):
    rng = np.random.default_rng(11)
    x = sndi.gaussian_filter(rng.random((130, 170)), 3) > 0.5
    kwargs = {"binary_erosion": dict(iterations=3), "binary_dilation": dict(iterations=15),
              "binary_opening": dict(iterations=2)}.get(function, {})
    results = [getattr(lndi, function)(x, workers=w, **kwargs) for w in (1, 2, 3, 7)]
    expected = getattr(sndi, function)(x, **kwargs)
    for r in results:
        assert S.same_bits(r, expected)
