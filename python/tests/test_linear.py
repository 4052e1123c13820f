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
