"""Shared by the examples: makes `libndimage` importable from a source checkout, the
guide's image, and the check against scipy."""

import os
import sys

import numpy as np

try:
    import libndimage  # noqa: F401
except ImportError:  # running from the repository: python/ holds the package
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SHIFT = 0.5

# The image of scipy's "Extending scipy.ndimage in C" guide.
IMAGE = np.arange(12.0).reshape(4, 3)


def report(ours, theirs):
    """Prints libndimage's result and exits non-zero unless it is scipy's, bit for bit."""
    print(ours)
    same = (ours.dtype == theirs.dtype and ours.shape == theirs.shape
            and ours.tobytes() == theirs.tobytes())
    if not same:
        print("DIFFERS from scipy.ndimage.geometric_transform:")
        print(theirs)
        sys.exit(1)
    print("matches scipy")


def skip(reason):
    """Exit status 77: the example cannot run here (run_all.py reports it as skipped)."""
    print(f"skipped: {reason}")
    sys.exit(77)
