"""The distance transforms against scipy 1.17.1, bit for bit (distances and indices).

Generated cases cover the three functions, input dtypes and layouts, ranks 1 to 4, odd
shapes and 1-element axes, sampling (per axis, negative, tiny, large), every combination of
returned and supplied outputs (with layouts), the cdt metrics (names, random and asymmetric
arrays), and "tie images": symmetric backgrounds where many background elements are
equidistant, so that the indices' tie-breaking is exercised. Exhaustive small images check
the EDT's ties once more. scipy's bugs (inputs without background, cdt metrics of other
types than bool or of another rank, cdt and bf filling a supplied ``indices`` from its own
contents) are tested on their own.
"""

import itertools
import warnings

import numpy as np
import pytest
import scipy.ndimage as sndi

import _morph as M
import _support as S
import libndimage as lndi

N_BATCHES = 30
BATCH = 100
FUNCTIONS = ["distance_transform_edt", "distance_transform_bf", "distance_transform_cdt"]


def _tie_image(rng, shape):
    """Foreground with a sparse background mirrored along random axes: many ties."""
    base = rng.random(shape) < float(rng.choice([0.03, 0.08, 0.2]))
    for axis in range(len(shape)):
        if rng.random() < 0.7:
            base = base | np.flip(base, axis)
    if not base.any():
        base.flat[int(rng.integers(base.size))] = True
    return ~base


def distance_case(rng, seed):
    function = str(rng.choice(FUNCTIONS))
    rank = int(rng.integers(1, 5))
    shape = S._random_shape(rng, rank, max_size=250 if function == "distance_transform_bf"
                            else 400)
    shape = tuple(max(n, 1) for n in shape)  # zero-size inputs: tested on their own
    image = str(rng.choice(["random", "random", "ties", "sparse"]))
    sampling = None
    r = rng.random()
    if r < 0.25:
        sampling = float(rng.choice([0.5, 2.0, 1.25, -1.0]))
    elif r < 0.55:
        sampling = [float(rng.choice([1.0, 0.5, 3.0, -2.5, 1e-3, 0.1, 1e6, 0.0]))
                    for _ in range(rank)]
    metric = None
    if function == "distance_transform_bf":
        metric = str(rng.choice(["euclidean", "taxicab", "cityblock", "manhattan",
                                 "chessboard", "Euclidean", "CHESSBOARD"]))
    elif function == "distance_transform_cdt":
        metric = str(rng.choice(["chessboard", "taxicab", "cityblock", "manhattan", "array",
                                 "array", "symmetric"]))
    returns = str(rng.choice(["d", "i", "di", "di", "d_out", "i_out", "di_out", "d_i_out"]))
    return dict(seed=seed, function=function, shape=shape, image=image,
                in_dtype=str(rng.choice(S.DTYPE_NAMES)), in_layout=str(rng.choice(S.LAYOUTS)),
                sampling=sampling, metric=metric, returns=returns,
                out_layout=str(rng.choice(S.LAYOUTS)))


def _input(params):
    rng = np.random.default_rng(params["seed"] + 1)
    shape = params["shape"]
    if params["image"] == "ties":
        truth = _tie_image(rng, shape)
    elif params["image"] == "sparse":
        truth = rng.random(shape) < 0.97
    else:
        truth = rng.random(shape) < float(rng.choice([0.4, 0.7, 0.9]))
    if truth.all():
        truth.flat[int(rng.integers(truth.size))] = False
    data = M.truth_data(rng, shape, params["in_dtype"], 0.5)
    # Keep the drawn truth pattern, with values of the input's type.
    values = np.where(truth, np.where(data != 0, data, np.ones((), data.dtype)),
                      np.zeros((), data.dtype)).astype(data.dtype)
    return [S.with_layout(values, params["in_layout"], np.random.default_rng(params["seed"] + 2))
            for _ in range(2)]


def _metric(params, ndim):
    metric = params["metric"]
    if metric in ("array", "symmetric"):
        rng = np.random.default_rng(params["seed"] + 3)
        m = rng.random((3,) * ndim) < 0.5
        if metric == "symmetric":
            m = m | np.flip(m)
        dtype = rng.choice(["bool", "bool", "int8", "uint8"])
        return m.astype(dtype)
    return metric


def _outputs(params, function, shape, ndim):
    """(distances, indices) arrays to supply (pairs for scipy and ours), or Nones."""
    returns = params["returns"]
    if function == "distance_transform_bf":
        dist_dtype = np.float64 if params["metric"].lower() == "euclidean" else np.uint32
    else:
        dist_dtype = np.float64 if function == "distance_transform_edt" else np.int32
    d = i = (None, None)
    if returns in ("d_out", "di_out"):
        d = S.output_pair(shape, dist_dtype, params["out_layout"], params["seed"] + 5)
    if returns in ("i_out", "di_out", "d_i_out"):
        i = S.output_pair((ndim,) + shape, np.int32, params["out_layout"], params["seed"] + 6)
    return d, i


def run_distance_case(params):
    function = params["function"]
    x_scipy, x_ours = _input(params)
    ndim = x_scipy.ndim
    shape = x_scipy.shape
    (d_s, d_o), (i_s, i_o) = _outputs(params, function, shape, ndim)
    returns = params["returns"]
    kwargs = dict(return_distances="d" in returns, return_indices="i" in returns)

    def args(d, i):
        kw = dict(kwargs)
        if d is not None:
            kw["distances"] = d
        if i is not None:
            kw["indices"] = i
        if function == "distance_transform_edt":
            kw["sampling"] = params["sampling"]
        elif function == "distance_transform_bf":
            kw["sampling"] = params["sampling"]
            kw["metric"] = params["metric"]
        else:
            kw["metric"] = _metric(params, ndim)
        return kw

    label = function
    if i_s is not None and function != "distance_transform_edt":
        # scipy's cdt and bf gather the coordinates from a supplied indices array's own
        # contents (garbage): the reference is scipy's result without it, whose returned
        # indices go into the supplied array's place.
        label = f"{function} [supplied indices vs scipy's returned ones]"
        reference = getattr(sndi, function)(x_scipy, **args(d_s, None))
        reference = list(reference) if isinstance(reference, tuple) else [reference]
        i_s[...] = reference.pop()
        expected = reference[0] if reference else None
    else:
        expected = getattr(sndi, function)(x_scipy, **args(d_s, i_s))
    got = getattr(lndi, function)(x_ours, **args(d_o, i_o))
    # What is returned: the arrays not supplied, in scipy's order.
    e_list = list(expected) if isinstance(expected, tuple) else \
        ([] if expected is None else [expected])
    g_list = list(got) if isinstance(got, tuple) else ([] if got is None else [got])
    ok = len(e_list) == len(g_list) and all(S.same_bits(a, b) for a, b in zip(e_list, g_list))
    for a, b in ((d_s, d_o), (i_s, i_o)):
        if a is not None:
            ok = ok and S.same_bits(a, b)
    return label, ok, expected, got


@pytest.mark.parametrize("batch", range(N_BATCHES))
def test_distance_generated(batch, tally):
    failures = []
    for k in range(BATCH):
        seed = 8_000_000 + batch * 10_000 + k * 10
        params = distance_case(np.random.default_rng(seed), seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            label, ok, expected, got = run_distance_case(params)
        tally.add(label, ok)
        if not ok:
            failures.append(f"case: {params}\nscipy: {expected!r}\nours: {got!r}")
    assert not failures, f"{len(failures)} mismatches:\n" + "\n\n".join(failures[:3])


def test_generator_covers_the_space():
    seen = {k: set() for k in ("function", "image", "returns", "metric", "rank",
                               "in_layout", "sampling")}
    for batch in range(N_BATCHES):
        for k in range(BATCH):
            seed = 8_000_000 + batch * 10_000 + k * 10
            p = distance_case(np.random.default_rng(seed), seed)
            for key in ("function", "image", "returns", "in_layout"):
                seen[key].add(p[key])
            seen["metric"].add(p["metric"])
            seen["rank"].add(len(p["shape"]))
            seen["sampling"].add(type(p["sampling"]).__name__)
    assert seen["function"] == set(FUNCTIONS)
    assert seen["image"] == {"random", "ties", "sparse"}
    assert len(seen["returns"]) == 7 and seen["rank"] == {1, 2, 3, 4}
    assert {"array", "symmetric", "chessboard", "Euclidean"} <= seen["metric"]
    assert seen["sampling"] == {"NoneType", "float", "list"}
    assert len(seen["in_layout"]) == len(S.LAYOUTS)


def _images(shape, max_background):
    size = int(np.prod(shape))
    for k in range(1, max_background + 1):
        for where in itertools.combinations(range(size), k):
            x = np.ones(size, bool)
            x[list(where)] = False
            yield x.reshape(shape)


@pytest.mark.parametrize("shape, max_background", [((3, 3), 9), ((4, 4), 3), ((2, 2, 3), 3),
                                                   ((5,), 5), ((2, 3, 2, 2), 2)])
def test_edt_tie_images_exhaustive(shape, max_background, tally):
    """Every image of the shape with up to `max_background` background elements: the
    feature transform's tie-breaking, with and without sampling."""
    failures = 0
    for x in _images(shape, max_background):
        for sampling in (None, [1.0] * len(shape), [2.0] + [1.0] * (len(shape) - 1)):
            e = sndi.distance_transform_edt(x, sampling, return_indices=True)
            g = lndi.distance_transform_edt(x, sampling, return_indices=True)
            ok = S.same_bits(e[0], g[0]) and S.same_bits(e[1], g[1])
            tally.add("distance_transform_edt [tie images]", ok)
            failures += not ok
        for function, metric in (("distance_transform_cdt", "taxicab"),
                                 ("distance_transform_bf", "chessboard")):
            e = getattr(sndi, function)(x, metric, return_indices=True)
            g = getattr(lndi, function)(x, metric, return_indices=True)
            ok = S.same_bits(e[0], g[0]) and S.same_bits(e[1], g[1])
            tally.add(f"{function} [tie images]", ok)
            failures += not ok
    assert failures == 0


def test_tie_breaking_documented_cases():
    cross = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]])
    assert lndi.distance_transform_edt([0, 1, 0], return_indices=True)[1].tolist() == [[0, 0, 2]]
    assert lndi.distance_transform_edt(cross, return_indices=True)[1][:, 1, 1].tolist() == [0, 0]
    assert lndi.distance_transform_bf([0, 1, 0], return_indices=True)[1].tolist() == [[0, 2, 2]]
    assert lndi.distance_transform_bf(cross, return_indices=True)[1][:, 1, 1].tolist() == [2, 2]
    assert lndi.distance_transform_cdt([0, 1, 0], return_indices=True)[1].tolist() == [[0, 0, 2]]


# --------------------------------------------------------------------------------------
# scipy 1.17.1 bugs, each on its own
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(1,), (5,), (2, 3), (3, 1, 2)])
def test_no_background(shape):
    """scipy returns numbers computed from its initial feature values; libndimage returns
    +inf and -1 indices (bf: +inf / 4294967295 and -1)."""
    x = np.ones(shape)
    d, i = sndi.distance_transform_edt(x, return_indices=True)
    if len(shape) == 2:
        assert np.allclose(d, [[1, 2 ** 0.5, 5 ** 0.5], [2, 5 ** 0.5, 8 ** 0.5]])
    d, i = lndi.distance_transform_edt(x, return_indices=True)
    assert np.isposinf(d).all() and (i == -1).all() and i.shape == (len(shape),) + shape
    assert np.isposinf(lndi.distance_transform_edt(x)).all()
    assert np.isposinf(lndi.distance_transform_edt(x, sampling=2.0)).all()
    d, i = lndi.distance_transform_bf(x, return_indices=True)
    assert np.isposinf(d).all() and (i == -1).all()
    d, i = lndi.distance_transform_bf(x, "taxicab", return_indices=True)
    assert (d == 4294967295).all() and (i == -1).all()
    # cdt is not affected: -1 distances and own indices, as scipy.
    for a, b in zip(sndi.distance_transform_cdt(x, return_indices=True),
                    lndi.distance_transform_cdt(x, return_indices=True)):
        assert S.same_bits(a, b)


def test_cdt_metric_of_another_type():
    """scipy reads a non-bool metric's raw bytes as bools; libndimage reads metric != 0."""
    x = np.ones((6, 7), bool)
    x[2, 3] = False
    x[5, 0] = False
    wide = np.ones((3, 3), np.int64)
    ours = lndi.distance_transform_cdt(x, wide, return_indices=True)
    right = sndi.distance_transform_cdt(x, np.ones((3, 3), bool), return_indices=True)
    assert S.same_bits(ours[0], right[0]) and S.same_bits(ours[1], right[1])
    assert not np.array_equal(sndi.distance_transform_cdt(x, wide), right[0])
    # Values other than 0 and 1, and NaN, are neighbours.
    assert S.same_bits(lndi.distance_transform_cdt(x, np.full((3, 3), np.nan)), right[0])


def test_cdt_metric_of_another_rank():
    """scipy accepts a metric of another rank than the input's and returns garbage."""
    x = np.ones((4, 5), bool)
    x[0, 0] = False
    # Every element is reachable from (0, 0) here, yet scipy leaves most at -1.
    assert (sndi.distance_transform_cdt(x, np.ones(3, bool)) == -1).sum() > 10
    with pytest.raises(ValueError, match="metric rank"):
        lndi.distance_transform_cdt(x, np.ones(3, bool))
    with pytest.raises(ValueError, match="metric rank"):
        lndi.distance_transform_cdt(x, np.ones((3, 3, 3), bool))


@pytest.mark.parametrize("function", ["distance_transform_cdt", "distance_transform_bf"])
def test_supplied_indices_hold_coordinates(function):
    """scipy's cdt and bf look the coordinates up in the supplied ``indices`` array itself
    (so zeros in give zeros out); libndimage writes the coordinates, as when it returns them."""
    x = np.ones((4, 5), bool)
    x[1, 3] = False
    x[3, 0] = False
    returned = getattr(sndi, function)(x, return_indices=True)[1]
    theirs = np.zeros((2, 4, 5), np.int32)
    getattr(sndi, function)(x, return_indices=True, indices=theirs)
    assert (theirs == 0).all() and not (returned == 0).all()
    ours = np.full((2, 4, 5), 7, np.int32)
    getattr(lndi, function)(x, return_indices=True, indices=ours)
    assert S.same_bits(ours, returned)


# --------------------------------------------------------------------------------------
# Arguments and errors
# --------------------------------------------------------------------------------------

def _error(function, *args, **kwargs):
    try:
        function(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - the type is what is compared
        return type(e), str(e)
    return None, None


_X = np.array([[1, 0, 1], [1, 1, 1]])
BAD_ARGUMENTS = [
    ("distance_transform_edt", (_X,), dict(return_distances=False)),
    ("distance_transform_edt", (_X,), dict(return_distances=False,
                                           distances=np.zeros((2, 3)))),
    ("distance_transform_edt", (_X,), dict(indices=np.zeros((2, 2, 3), np.int32))),
    ("distance_transform_edt", (_X,), dict(sampling=[1, 2, 3])),
    ("distance_transform_edt", (_X,), dict(distances=np.zeros((2, 3), np.float32))),
    ("distance_transform_edt", (_X,), dict(distances=np.zeros((3, 3)))),
    ("distance_transform_edt", (_X,), dict(return_indices=True,
                                           indices=np.zeros((2, 2, 3), np.int64))),
    ("distance_transform_edt", (_X,), dict(return_indices=True,
                                           indices=np.zeros((1, 2, 3), np.int32))),
    ("distance_transform_bf", (_X,), dict(metric="chess")),
    ("distance_transform_bf", (_X,), dict(sampling=[1])),
    ("distance_transform_bf", (_X,), dict(distances=np.zeros((2, 3), np.uint32))),
    ("distance_transform_bf", (_X, "taxicab"), dict(distances=np.zeros((2, 3)))),
    ("distance_transform_bf", (_X,), dict(distances=np.zeros((3, 3)))),
    ("distance_transform_bf", (_X,), dict(return_indices=True,
                                          indices=np.zeros((2, 2, 3), np.int16))),
    ("distance_transform_bf", (_X,), dict(return_indices=True,
                                          indices=np.zeros((2, 2, 2), np.int32))),
    ("distance_transform_cdt", (_X,), dict(metric="Chessboard")),
    ("distance_transform_cdt", (_X,), dict(metric="euclidean")),
    ("distance_transform_cdt", (_X,), dict(metric=np.ones((3, 2)))),
    ("distance_transform_cdt", (_X,), dict(distances=np.zeros((2, 3)))),
    ("distance_transform_cdt", (_X,), dict(distances=np.zeros((3, 3), np.int32))),
    ("distance_transform_cdt", (_X,), dict(return_indices=True,
                                           indices=np.zeros((2, 2, 3)))),
    ("distance_transform_cdt", (_X,), dict(return_indices=True,
                                           indices=np.zeros((2, 3, 3), np.int32))),
    ("distance_transform_cdt", (np.array(1),), {}),
    ("distance_transform_cdt", (_X,), dict(return_distances=False, return_indices=False)),
]


@pytest.mark.parametrize("function, args, kwargs", BAD_ARGUMENTS)
def test_bad_arguments_raise_as_scipy(function, args, kwargs):
    expected = _error(getattr(sndi, function), *args, **kwargs)
    got = _error(getattr(lndi, function), *args, **kwargs)
    assert expected[0] is not None
    assert got == expected


def test_0d_and_other_inputs():
    for x in (np.array(0), np.array(0.0)):
        for a, b in zip(sndi.distance_transform_edt(x, return_indices=True),
                        lndi.distance_transform_edt(x, return_indices=True)):
            assert S.same_bits(a, b)
    assert S.same_bits(sndi.distance_transform_bf(np.array(0)),
                       lndi.distance_transform_bf(np.array(0)))
    e = sndi.distance_transform_bf(np.array(0), return_indices=True)
    g = lndi.distance_transform_bf(np.array(0), return_indices=True)
    assert S.same_bits(e[0], g[0]) and S.same_bits(e[1], g[1])
    # Element types scipy converts with where(input, 1, 0).
    x = np.array([[1 + 1j, 0, 0.5j], [1, 1, 0]])
    assert S.same_bits(sndi.distance_transform_edt(x), lndi.distance_transform_edt(x))
    h = np.array([[1, 0, 2], [0, 3, 0]], np.float16)
    assert S.same_bits(sndi.distance_transform_edt(h), lndi.distance_transform_edt(h))
    assert S.same_bits(sndi.distance_transform_cdt(h), lndi.distance_transform_cdt(h))
    assert S.same_bits(sndi.distance_transform_bf(h), lndi.distance_transform_bf(h))
    for f in ("distance_transform_edt", "distance_transform_cdt"):
        z = np.zeros((0, 3))
        assert S.same_bits(getattr(sndi, f)(z), getattr(lndi, f)(z))


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_thread_count_gives_the_same_result(function):
    rng = np.random.default_rng(12)
    shape = (40, 50) if function == "distance_transform_bf" else (90, 110)
    x = sndi.gaussian_filter(rng.random(shape), 2) > 0.45
    kwargs = dict(return_indices=True)
    if function != "distance_transform_cdt":
        kwargs["sampling"] = (1.5, 0.75)
    expected = getattr(sndi, function)(x, **kwargs)
    for workers in (1, 2, 3, 8):
        got = getattr(lndi, function)(x, workers=workers, **kwargs)
        assert S.same_bits(got[0], expected[0]) and S.same_bits(got[1], expected[1])


def test_input_sharing_the_distances():
    """An input that is the distances array (float64) is read before it is overwritten."""
    rng = np.random.default_rng(4)
    x = (rng.random((30, 40)) < 0.8).astype(np.float64)
    expected = sndi.distance_transform_edt(x)
    y = x.copy()
    assert lndi.distance_transform_edt(y, distances=y) is None
    assert S.same_bits(y, expected)
    y = x.copy()
    indices = np.zeros((2, 30, 40), np.int32)
    lndi.distance_transform_edt(y, distances=y, return_indices=True, indices=indices)
    assert S.same_bits(y, expected)
