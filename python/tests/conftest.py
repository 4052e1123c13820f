"""Test session set-up: compiles callbacks.c, and counts the differential cases.

Each differential test records ``("ndi_differential", {function: [run, matched]})`` as a
user property; the controller (also under pytest-xdist) adds them up and prints the totals
at the end of the run.
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

_TOTALS = defaultdict(lambda: [0, 0])


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
    """Counts differential cases of one test: ``tally.add(function, matched)``."""

    def __init__(self):
        self.counts = defaultdict(lambda: [0, 0])

    def add(self, function, matched):
        entry = self.counts[function]
        entry[0] += 1
        entry[1] += bool(matched)


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
                for k, c in enumerate(counts):
                    _TOTALS[function][k] += c


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if hasattr(config, "workerinput") or not _TOTALS:
        return
    terminalreporter.write_sep("=", "libndimage vs scipy differential cases")
    for function in sorted(_TOTALS):
        run, matched = _TOTALS[function]
        terminalreporter.write_line(f"{function}: {run} run, {matched} matched bit for bit")
