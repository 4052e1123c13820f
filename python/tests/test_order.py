"""The order filters and grey morphology against scipy 1.17.1.

minimum/maximum_filter1d, minimum/maximum_filter, rank/median/percentile_filter and the
grey morphology functions: generated differential cases (bit for bit, errors and warnings
included) over every mode, origins, axes, dtype pairs, ranks 1 to 4, layouts, output
forms, NaN/±0/±inf data; scipy's buggy cases recognised before scipy is called and checked
apart against independent references (test_order_bugs.py).
"""

import numpy as np
import pytest

import _order_cases as C
import _support as S

N_BATCHES = {"minimum_filter1d": 6, "maximum_filter1d": 6, "minimum_filter": 10,
             "maximum_filter": 10, "rank_filter": 12, "median_filter": 10,
             "percentile_filter": 10, "grey_erosion": 6, "grey_dilation": 6,
             "grey_opening": 4, "grey_closing": 4, "morphological_gradient": 4,
             "morphological_laplace": 4, "white_tophat": 4, "black_tophat": 4}
BATCH = 100

_GENERATED = [(f, b) for f in C.FUNCTIONS for b in range(N_BATCHES[f])]


@pytest.mark.parametrize("function,batch", _GENERATED,
                         ids=[f"{f}-{b}" for f, b in _GENERATED])
def test_generated(function, batch, tally):
    failures = []
    base = 40_000_000 + C.FUNCTIONS.index(function) * 1_000_000
    for k in range(BATCH):
        seed = base + batch * 10_000 + k * 10
        p = C.make_case(np.random.default_rng(seed), seed, function)
        status, reason, detail = C.run_case(p)
        if status == "skipped":
            tally.skip(function)
            continue
        tally.add(function, status == "match")
        if status != "match":
            failures.append(detail)
    assert not failures, f"{len(failures)} mismatches:\n" + "\n\n".join(failures[:4])


def test_generator_covers_the_space():
    seen = {k: set() for k in ("rank", "in", "out", "mode", "kind", "layout", "path",
                               "zero", "skip", "style")}
    for f in C.FUNCTIONS:
        base = 40_000_000 + C.FUNCTIONS.index(f) * 1_000_000
        for k in range(N_BATCHES[f] * BATCH):
            seed = base + (k // BATCH) * 10_000 + (k % BATCH) * 10
            p = C.make_case(np.random.default_rng(seed), seed, f)
            seen["rank"].add(len(p["shape"]))
            seen["in"].add(p["in_dtype"])
            seen["out"].add(p["out_dtype"])
            seen["mode"].add(str(p["mode"]) if isinstance(p["mode"], str) else "list")
            seen["kind"].add(p.get("fp_kind", "1d"))
            seen["layout"].add(p["in_layout"])
            seen["zero"].add(0 in p["shape"])
            seen["style"].add(p["style"])
            if f in C.RANKS:
                data, _ = C._inputs(p)
                seen["path"].add(C.rank_path(p, data))
    assert seen["rank"] == {1, 2, 3, 4}
    assert set(S.DTYPE_NAMES) <= seen["in"] and set(S.DTYPE_NAMES) <= seen["out"]
    assert set(S.MODES) | {"list"} <= seen["mode"]
    assert {"size_scalar", "size_seq", "holes", "full", "both", "structure",
            "structure_fp", "1d"} <= seen["kind"]
    assert set(S.LAYOUTS) <= seen["layout"]
    assert {"1d", "nd", "minmax", None} <= seen["path"]
    assert seen["zero"] == {True, False}
