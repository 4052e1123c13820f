"""Test session set-up: compiles callbacks.c, and counts the differential cases.

Each differential test records ``("ndi_differential", {function: [run, matched, ulp,
known, skipped]})`` as a user property; the controller (also under pytest-xdist) adds them
up and prints the totals at the end of the run. ``ulp`` is the largest difference, in
units in the last place, seen between scipy's and libndimage's float64 results (-1: none
measured); ``known``: cases whose only difference is a known, reported libndimage
divergence (not counted as matched); ``skipped``: cases not compared because scipy 1.17.1
itself is known to be wrong there (tested separately).
"""

import os
import shutil
import subprocess
import sys
from collections import defaultdict

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))  # the `libndimage` package

_TOTALS = defaultdict(lambda: [0, 0, -1, 0, 0])


@pytest.fixture(scope="session")
def callbacks_path(tmp_path_factory):
    """Path of the compiled callbacks.c (one build per test process)."""
    gcc = os.environ.get("CC") or shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        pytest.skip("no C compiler to build callbacks.c")
    out = tmp_path_factory.mktemp("callbacks") / "libndi_test_callbacks.so"
    subprocess.run(
        [gcc, "-O2", "-shared", "-fPIC", "-o", str(out), os.path.join(HERE, "callbacks.c")],
        check=True,
    )
    return str(out)


@pytest.fixture(scope="session")
def clib(callbacks_path):
    """The callbacks as ctypes functions with scipy-compatible argtypes."""
    import _support

    return _support.load_callbacks(callbacks_path)


class Tally:
    """Counts differential cases of one test: ``tally.add(function, matched)``; ``ulp``:
    the float64 difference measured for the case (the largest one is reported);
    ``known``: the case differs only by a known divergence; ``tally.skip(function)``: a
    case that was not compared."""

    def __init__(self):
        self.counts = defaultdict(lambda: [0, 0, -1, 0, 0])

    def add(self, function, matched, ulp=None, known=False):
        entry = self.counts[function]
        entry[0] += 1
        entry[1] += bool(matched)
        if ulp is not None:
            entry[2] = max(entry[2], ulp)
        entry[3] += bool(known)

    def skip(self, function):
        self.counts[function][4] += 1


@pytest.fixture
def tally(record_property):
    t = Tally()
    yield t
    if t.counts:
        record_property("ndi_differential", {k: list(v) for k, v in t.counts.items()})


def pytest_runtest_logreport(report):
    if report.when != "teardown":
        return
    for name, value in report.user_properties:
        if name == "ndi_differential":
            for function, counts in value.items():
                totals = _TOTALS[function]
                totals[0] += counts[0]
                totals[1] += counts[1]
                if len(counts) > 2:
                    totals[2] = max(totals[2], counts[2])
                    totals[3] += counts[3]
                    totals[4] += counts[4]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if hasattr(config, "workerinput") or not _TOTALS:
        return
    terminalreporter.write_sep("=", "libndimage vs scipy differential cases")
    for function in sorted(_TOTALS):
        run, matched, ulp, known, skipped = _TOTALS[function]
        line = f"{function}: {run} run, {matched} matched bit for bit"
        if ulp >= 0:
            line += f"; largest float64 difference: {ulp} ulp"
        if known:
            line += f"; {known} differ only by a known divergence"
        if skipped:
            line += f"; {skipped} not compared (a scipy 1.17 bug there, tested on its own)"
        terminalreporter.write_line(line)
