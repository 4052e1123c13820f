#!/usr/bin/env python3
"""Runs the built C examples and compares their printed arrays with scipy.ndimage.

    python examples/check_examples.py [DIR]      # DIR: the example binaries (target/examples/)

Each example prints its result as one array row per line, values separated by spaces, each
with enough digits to read back as the same double, so the parsed float64 values are exactly
the ones the library computed. When an example prints more (labels, its input), the result
is the block of rows after its "output:" line. The scipy side makes the same call with a
Python callback doing the same arithmetic in the same order:

- generic_filter_demo: generic_filter with a sequential-sum mean (what the C callback does),
  size 3, mode reflect; must be bit-for-bit equal. (np.mean sums pairwise, so it can differ
  from a sequential sum in the last bit; its difference is printed for information.)
- generic_filter1d_demo: generic_filter1d with a size-3 moving average; bit-for-bit equal.
- geometric_transform_shift: geometric_transform with scipy's shift mapping (order 3,
  constant, prefilter); at most 4 ulps apart, the maximum ulp difference is printed.
- vectorized_filter_demo: vectorized_filter with a vectorized Python function doing the C
  callback's arithmetic (a 3x3 local variance, sequential sums), mode reflect; bit-for-bit.

Exit status 0 when every check passes, 1 otherwise.
"""
import os
import subprocess
import sys

import numpy as np
from scipy import ndimage

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run_example(bindir, name):
    path = os.path.join(bindir, name)
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"{path} not found or not executable (run scripts/run-examples.sh)")
    proc = subprocess.run([path], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{name} exited with {proc.returncode}: {proc.stderr.strip()}")
    lines = proc.stdout.splitlines()
    if "output:" in lines:  # a labelled printout: the rows after "output:", to a blank line
        block = lines[lines.index("output:") + 1:]
        lines = block[:block.index("")] if "" in block else block
    rows = [line.split() for line in lines if line.strip()]
    if not rows or any(len(r) != len(rows[0]) for r in rows):
        raise RuntimeError(f"{name}: output is not a rectangular array:\n{proc.stdout}")
    return np.array([[float(v) for v in r] for r in rows], dtype=np.float64), proc.stdout


def ulp_distance(a, b):
    """Element-wise distance in units in the last place between float64 arrays (0 == -0)."""
    def ordered(x):
        i = np.ascontiguousarray(x, dtype=np.float64).view(np.int64).astype(object)
        return np.array([v if v >= 0 else -(v & 0x7FFFFFFFFFFFFFFF) for v in i.ravel()],
                        dtype=object).reshape(x.shape)
    if np.isnan(a).any() or np.isnan(b).any():
        return np.full(a.shape, np.inf)
    return np.abs(ordered(a) - ordered(b)).astype(np.float64)


def fmt(arr):
    return "\n".join("    " + " ".join("%.17g" % v for v in row) for row in arr)


# ---- the same calls as the C examples, in scipy --------------------------------------------

def scipy_generic_filter():
    image = np.array([[0.0, 1.0, 2.0, 3.0, 4.0],
                      [5.0, 6.0, 70.0, 8.0, 9.0],
                      [10.0, 11.0, 12.0, 13.0, 14.0],
                      [15.0, 16.0, 17.0, 18.0, 0.5]])

    def mean(buffer):  # the C callback's arithmetic: sequential sum, then divide
        s = 0.0
        for v in buffer:
            s += v
        return s / len(buffer)

    seq = ndimage.generic_filter(image, mean, size=3, mode="reflect")
    npmean = ndimage.generic_filter(image, np.mean, size=3, mode="reflect")
    return seq, npmean


def scipy_generic_filter1d():
    x = np.array([[1.0, 2.0, 4.0, 8.0, 16.0, 32.0],
                  [0.5, -1.5, 2.25, 3.0, -4.0, 10.0],
                  [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]])
    size = 3

    def moving_average(iline, oline):  # iline has size - 1 extra boundary samples
        acc = np.zeros(len(oline))
        for j in range(size):
            acc += iline[j:j + len(oline)]
        oline[...] = acc / size

    return ndimage.generic_filter1d(x, moving_average, size, axis=-1, mode="reflect")


def scipy_geometric_transform_shift():
    # Verbatim from scipy's "Extending scipy.ndimage in C" page.
    def transform(output_coordinates, shift):
        input_coordinates = output_coordinates[0] - shift, output_coordinates[1] - shift
        return input_coordinates

    im = np.arange(12).reshape(4, 3).astype(np.float64)
    shift = 0.5
    return ndimage.geometric_transform(im, transform, extra_arguments=(shift,))


def scipy_vectorized_filter():
    x = np.array([[((r * 7 + c * 5) % 11) * 0.5 + (10.0 if c == r else 0.0)
                   for c in range(8)] for r in range(6)])

    def variance(windows, axis):  # the C callback's arithmetic, on every window at once
        w = windows.reshape(windows.shape[:-2] + (9,))
        s = w[..., 0]
        for k in range(1, 9):
            s = s + w[..., k]
        mean = s / 9
        d = w[..., 0] - mean
        q = d * d
        for k in range(1, 9):
            d = w[..., k] - mean
            q = q + d * d
        return q / 9

    return ndimage.vectorized_filter(x, variance, size=3, mode="reflect")


# ---- checks --------------------------------------------------------------------------------

def check(name, got, text, want, max_ulps, extra=None):
    print(f"== {name}")
    print("  C example printed:")
    print("\n".join("    " + line for line in text.splitlines()))
    if got.shape != want.shape:
        print(f"  FAIL: shape {got.shape}, scipy {want.shape}")
        return False
    ulps = ulp_distance(got, want)
    worst = ulps.max() if ulps.size else 0.0
    if worst != 0:
        print("  scipy.ndimage:")
        print(fmt(want))
    else:
        print("  scipy.ndimage: identical")
    if extra:
        print(extra)
    ok = worst <= max_ulps
    rule = "bit-for-bit" if max_ulps == 0 else f"<= {max_ulps} ulps"
    print(f"  max ulp difference: {worst:g} (required {rule}) -> {'ok' if ok else 'FAIL'}")
    return ok


def main():
    bindir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "examples")
    import scipy
    print(f"scipy {scipy.__version__}, numpy {np.__version__}, examples in {bindir}")

    def generic_filter_case():
        seq, npmean = scipy_generic_filter()
        return seq, 0, lambda got: (
            "  (vs generic_filter(np.mean), pairwise summation: max "
            f"{ulp_distance(got, npmean).max():g} ulp, information only)")

    cases = [
        ("generic_filter_demo", generic_filter_case),
        ("generic_filter1d_demo", lambda: (scipy_generic_filter1d(), 0, None)),
        ("geometric_transform_shift", lambda: (scipy_geometric_transform_shift(), 4, None)),
        ("vectorized_filter_demo", lambda: (scipy_vectorized_filter(), 0, None)),
    ]
    results = []
    for name, case in cases:
        try:
            got, text = run_example(bindir, name)
        except RuntimeError as e:
            print(f"== {name}\n  FAIL: {e}")
            results.append(False)
            continue
        want, max_ulps, extra = case()
        results.append(check(name, got, text, want, max_ulps, extra(got) if extra else None))

    if all(results):
        print(f"examples: OK ({len(results)} checked against scipy.ndimage)")
        return 0
    print(f"examples: FAILED ({results.count(False)} of {len(results)})")
    return 1


if __name__ == "__main__":
    sys.exit(main())
