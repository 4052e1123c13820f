"""Case generators and scipy-bug predicates for the binary morphology and distance transform
differential tests (test_binary_morphology.py, test_distance.py)."""

import numpy as np
import scipy.ndimage as sndi

import _support as S

BINARY_FUNCTIONS = ["binary_erosion", "binary_dilation", "binary_opening", "binary_closing",
                    "binary_propagation", "binary_fill_holes", "binary_hit_or_miss"]

# Non-zero values of every kind (what only their truth matters for), and the two zeros.
_TRUE_FLOATS = [1.0, -1.0, 0.5, -3.25, 1e-300, 5e-324, float("nan"), float("inf"),
                float("-inf"), 1e300]
_FALSE_FLOATS = [0.0, -0.0]


def truth_data(rng, shape, dtype, density):
    """An array of ``dtype`` whose truth values are random with ``density``; its true
    elements hold assorted non-zero values (NaN, infinities, tiny and negative values for
    floats, extremes for integers), its false ones 0 (or -0.0)."""
    dtype = np.dtype(dtype)
    truth = rng.random(shape) < density
    if dtype.kind == "b":
        return truth
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        choices = np.array(sorted({1, info.max, info.min if info.min else 2, 7}), dtype=dtype)
        values = rng.choice(choices, size=shape)
    else:
        with np.errstate(over="ignore"):
            values = rng.choice(np.array(_TRUE_FLOATS), size=shape).astype(dtype)
        zeros = rng.choice(np.array(_FALSE_FLOATS), size=shape).astype(dtype)
        return np.where(truth, values, zeros)
    return np.where(truth, values, np.zeros((), dtype)).astype(dtype)


def mask_data(rng, shape):
    """A mask of a random dtype; non-bool masks now and then hold values whose int8
    truncation is 0 (256, 0.5, -0.25): scipy's change-list path misreads those."""
    dtype = np.dtype(rng.choice(["bool", "bool", "uint8", "int8", "int16", "int32", "uint64",
                                 "float32", "float64"]))
    mask = truth_data(rng, shape, dtype, float(rng.choice([0.5, 0.8, 0.95])))
    if dtype.kind != "b" and rng.random() < 0.4 and mask.size:
        tricky = {"i": [256, -256, 512], "u": [256, 512], "f": [256.0, 0.5, -0.25]}[dtype.kind]
        tricky = [v for v in tricky if np.can_cast(np.min_scalar_type(v), dtype)
                  or dtype.kind == "f"]
        if tricky:
            pick = rng.random(shape) < 0.3
            mask = np.where(pick, np.asarray(rng.choice(tricky)).astype(dtype), mask)
    return mask


def int8_truth_differs(mask):
    """Whether some element's truth changes under ``astype(int8)`` (scipy's change-list
    path reads the mask so)."""
    mask = np.asarray(mask)
    if mask.dtype.kind == "b":
        return False
    with np.errstate(all="ignore"):
        return bool(np.any((mask != 0) != (mask.astype(np.int8) != 0)))


def _structure_shape(rng, n_axes, budget=27):
    while True:
        sizes = [int(rng.choice([1, 2, 3, 3, 3, 4, 5])) for _ in range(n_axes)]
        if int(np.prod(sizes)) <= budget:
            return sizes


def binary_case(rng, seed, function=None):
    """Parameters of one random binary morphology case (a plain dict)."""
    function = function or str(rng.choice(BINARY_FUNCTIONS))
    rank = int(rng.integers(1, 5))
    shape = S._random_shape(rng, rank, max_size=300)
    in_dtype = str(rng.choice(S.DTYPE_NAMES))
    r = rng.random()
    if r < 0.7 or rank == 1:
        axes = None
    else:
        k = int(rng.integers(1, rank))
        axes = tuple(int(a) for a in rng.permutation(rank)[:k])
        if rng.random() < 0.5:
            axes = tuple(sorted(axes))
        if rng.random() < 0.3:
            axes = tuple(a - rank for a in axes)
    n_axes = rank if axes is None else len(axes)
    kind = str(rng.choice(["default", "random", "random", "random", "box", "generated",
                           "iterated", "valued", "all_false"]))
    structure = None
    if kind == "random":
        sizes = _structure_shape(rng, n_axes)
        structure = rng.random(sizes) < float(rng.choice([0.4, 0.7]))
    elif kind == "box":
        structure = np.ones(_structure_shape(rng, n_axes), dtype=bool)
    elif kind == "generated":
        structure = sndi.generate_binary_structure(n_axes, int(rng.integers(1, n_axes + 1)))
    elif kind == "iterated":
        base = sndi.generate_binary_structure(n_axes, 1)
        structure = sndi.iterate_structure(base, 2) if n_axes <= 2 else base
    elif kind == "valued":
        sizes = _structure_shape(rng, n_axes)
        structure = np.where(rng.random(sizes) < 0.6,
                             rng.choice([2.0, 0.5, -1.0, np.nan], size=sizes), 0.0)
    elif kind == "all_false":
        structure = np.zeros(_structure_shape(rng, n_axes), dtype=bool)
    if structure is not None:
        fshape = list(np.shape(structure))
    else:
        fshape = [3] * n_axes
    def origins_for(sshape):
        # Origin k belongs to axes[k], whose extent is the structure axis scipy puts there
        # (structure axes go to the listed axes in increasing axis order).
        extents = list(sshape)
        if axes is not None and n_axes < rank:
            full, _ = expanded(rank, axes, sshape, 0)
            extents = [full[a % rank] for a in axes]
        return [S._valid_origin(rng, f) for f in extents]

    if rng.random() < 0.5:
        origin = 0
    else:
        origin = origins_for(fshape)
        if rng.random() < 0.3 and len(set(fshape)) == 1:
            origin = origin[0]
    structure2 = None
    origin2 = None
    if function == "binary_hit_or_miss":
        if rng.random() < 0.5:
            structure2 = rng.random(_structure_shape(rng, n_axes)) < 0.3
            if rng.random() < 0.6:
                origin2 = origins_for(structure2.shape)
            else:
                # origin2 falls back to origin1: keep it valid for structure2 too.
                origin = 0
        elif structure is not None and rng.random() < 0.5:
            origin2 = origins_for(fshape)
    iterations = int(rng.choice([1, 1, 1, 2, 3, 0, -1, 5, 20]))
    mask = None
    if function in ("binary_erosion", "binary_dilation", "binary_opening",
                    "binary_closing", "binary_propagation") and rng.random() < 0.4:
        mask = "yes"
    out_kind, out_dtype = S._output_spec(rng, in_dtype, str(rng.choice(S.DTYPE_NAMES)))
    return dict(
        seed=seed, function=function, shape=shape, in_dtype=in_dtype,
        in_layout=str(rng.choice(S.LAYOUTS)), density=float(rng.choice([0.2, 0.5, 0.8, 0.95])),
        axes=axes, structure_kind=kind, structure=structure, origin=origin,
        structure2=structure2, origin2=origin2, iterations=iterations, mask=mask,
        mask_layout=str(rng.choice(S.LAYOUTS)),
        border_value=int(rng.choice([0, 0, 1, 2])) if rng.random() < 0.9 else True,
        brute_force=bool(rng.random() < 0.3), out_kind=out_kind, out_dtype=out_dtype,
        out_layout=str(rng.choice(S.LAYOUTS)),
    )


def expanded(ndim, axes, structure_shape, origin):
    """The structure shape and origins per axis as scipy places them (structure axes in
    increasing axis order, origin k on ``axes[k]``)."""
    if axes is None:
        axes = tuple(range(ndim))
    axes = tuple(a % ndim for a in axes)
    origins = list(origin) if np.iterable(origin) else [origin] * len(axes)
    if len(axes) == ndim:
        return list(structure_shape), origins
    fshape = [1] * ndim
    for k, ax in enumerate(sorted(axes)):
        fshape[ax] = structure_shape[k]
    full = [0] * ndim
    for o, ax in zip(origins, axes):
        full[ax] = o
    return fshape, full


def centre_true(structure, fshape, origins):
    """Whether the structure element at offset 0 is true."""
    s = np.asarray(structure, dtype=bool).reshape(fshape)
    return bool(s[tuple(f // 2 + o for f, o in zip(fshape, origins))])


def changelist_offsets_bug(shape, fshape, origins2):
    """scipy's change-list path jumps into its table of border offsets at the wrong place
    (and may write outside the array) when an axis is shorter than the structure and the
    array reaches beyond the structure's centre along it. ``origins2``: the origins of the
    change-list pass (the caller's for a dilation, flipped for an erosion)."""
    return any(n < f and n - 1 > f // 2 + o for n, f, o in zip(shape, fshape, origins2))


def dilation_flip_mismatch(ndim, axes, structure_shape):
    """scipy's binary_dilation flips origin k by the parity of structure axis k, but origin k
    goes to ``axes[k]`` while structure axis k goes to the k-th smallest axis: with
    differing parities its origins are wrong (and may read outside the input)."""
    if axes is None or len(axes) == ndim:
        return False
    axes = tuple(a % ndim for a in axes)
    fshape, _ = expanded(ndim, axes, structure_shape, 0)
    return any(structure_shape[k] % 2 != fshape[ax] % 2 for k, ax in enumerate(axes))
