"""Case generators and helpers for the measurement tests: masks to label, label images
(gaps, absent labels, negative and huge values), index forms, structures."""

import itertools

import numpy as np

import _support as S

INT_DTYPES = ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64"]
REAL_DTYPES = ["bool"] + INT_DTYPES + ["float32", "float64"]
# Layouts scipy reads as numpy gives them (libndimage gets the same memory).
IN_LAYOUTS = ["C", "C", "F", "neg", "sliced", "transposed", "unaligned", "bigendian"]


def shape(rng, rank, max_size=300):
    """A small shape of ``rank`` axes: odd sizes, 1-element axes, sometimes a 0 axis, now
    and then a larger array."""
    if rng.random() < 0.1:
        top = int(3 * 3000 ** (1 / rank)) + 1
        for _ in range(100):
            s = tuple(int(rng.integers(1, top)) for _ in range(rank))
            if 200 < int(np.prod(s)) <= 3000:
                return s
    while True:
        s = tuple(int(rng.choice([1, 1, 2, 3, 4, 5, 6, 7, 9, 11])) for _ in range(rank))
        if rng.random() < 0.04:
            s = tuple(0 if i == rng.integers(rank) else n for i, n in enumerate(s))
        if int(np.prod(s)) <= max_size:
            return s


def mask(rng, shp):
    """A random foreground mask: uniform noise at a random density, or blobs (a smoothed
    noise field thresholded) so that components are large and winding."""
    size = int(np.prod(shp))
    if rng.random() < 0.5 or size == 0:
        return rng.random(shp) < rng.choice([0.1, 0.3, 0.5, 0.6, 0.8, 0.95])
    field = rng.random(shp)
    for axis in range(len(shp)):
        if shp[axis] > 2:
            field = (field + np.roll(field, 1, axis) + np.roll(field, -1, axis)) / 3
    return field > np.quantile(field, rng.choice([0.3, 0.5, 0.7]))


def nonzero_values(rng, m, dtype):
    """An array of ``dtype`` that is non-zero exactly where ``m`` is: random values,
    extremes, NaN and infinities for floats; -0.0 where ``m`` is false in float arrays."""
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return m.copy()
    values = S.random_data(rng, m.shape, dtype, special=0.2)
    with np.errstate(all="ignore"):
        one = np.ones(m.shape, dtype)
        values = np.where(values == 0, one, values)
        zero = np.zeros(m.shape, dtype)
        if dtype.kind == "f" and rng.random() < 0.5:
            zero = np.where(rng.random(m.shape) < 0.5, -zero, zero)
        return np.where(m, values, zero).astype(dtype)


def symmetric_structure(rng, rank):
    """A random structure scipy accepts for label: 3^rank, point-symmetric."""
    r = rng.random()
    if r < 0.4:
        conn = int(rng.integers(1, rank + 1))
        return generate_binary_structure(rank, conn)
    if r < 0.5:
        return None
    half = rng.random((3,) * rank) < rng.choice([0.3, 0.6])
    s = half | half[(slice(None, None, -1),) * rank]
    if rng.random() < 0.5:
        s[(1,) * rank] = rng.random() < 0.5  # the centre is ignored either way
    return s


def generate_binary_structure(rank, connectivity):
    if rank < 1:
        return np.array(True)
    grid = np.indices((3,) * rank) - 1
    return np.abs(grid).sum(axis=0) <= connectivity


def label_image(rng, shp, dtype, max_label=None):
    """A label image of ``dtype`` with gaps (some labels absent) and background 0; signed
    types get some negative values, wide types some huge ones."""
    dtype = np.dtype(dtype)
    if max_label is None:
        max_label = int(rng.choice([1, 2, 3, 5, 8, 20, 60]))
    present = rng.choice(np.arange(1, max_label + 1), size=max(1, max_label // 2 + 1))
    values = rng.choice(np.concatenate([[0, 0], present]), size=shp)
    if dtype.kind == "b":
        return values.astype(bool)
    if dtype.kind == "f":
        return values.astype(dtype)
    info = np.iinfo(dtype)
    values = np.clip(values, 0, info.max).astype(dtype)
    if rng.random() < 0.2 and values.size:
        extreme = np.array([info.min, info.max], dtype=dtype)
        pick = rng.random(shp) < 0.1
        values[pick] = rng.choice(extreme, size=int(pick.sum()))
    if info.min < 0 and rng.random() < 0.3 and values.size:
        pick = rng.random(shp) < 0.15
        values[pick] = -rng.integers(1, 5, size=int(pick.sum()))
    return values


def layouts_of(values, rng, layouts=IN_LAYOUTS):
    """``values`` in a random memory layout (and the layout's name)."""
    kind = str(rng.choice(layouts))
    return S.with_layout(values, kind, rng), kind


def relabel_partition(a, b):
    """Whether label images ``a`` and ``b`` have the same partition (0 stays 0)."""
    a, b = np.asarray(a).ravel(), np.asarray(b).ravel()
    if ((a == 0) != (b == 0)).any():
        return False
    pairs = set(zip(a.tolist(), b.tolist()))
    return len({p[0] for p in pairs}) == len(pairs) == len({p[1] for p in pairs})


def all_structures(rank):
    """Every point-symmetric 3^rank structure for small ranks (rank <= 2: all 2^5 = 32 of
    the 2-D ones), for the exhaustive connectivity test."""
    n = 3 ** rank
    half = n // 2
    for bits in itertools.product([False, True], repeat=half):
        s = np.zeros(n, dtype=bool)
        s[:half] = bits
        s[half + 1:] = bits[::-1]
        yield s.reshape((3,) * rank)
