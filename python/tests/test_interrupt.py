"""Ctrl-C: a long libndimage call stops within a fraction of a second of SIGINT and raises
KeyboardInterrupt in the caller (the binding's progress callback runs Python's signal
handlers every few milliseconds; a Python callable sees the signal itself). scipy.ndimage
cannot be interrupted in its C loops."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Rank-20 inputs at order 1: a million coefficients per output point, so each call below
# would run for hours.
CALLS = {
    "shift": "lndi.shift(a, 0.25, order=1, mode='nearest', prefilter=False, workers=WORKERS)",
    "map_coordinates": "lndi.map_coordinates(a, np.full((20, 1000), 0.5), order=1, "
                       "prefilter=False, workers=WORKERS)",
    "affine_transform": "lndi.affine_transform(a, np.eye(20) * 0.9, order=1, prefilter=False,"
                        " workers=WORKERS)",
    "geometric_transform with a Python mapping":
        "lndi.geometric_transform(a, lambda o: tuple(x * 0.9 for x in o), order=1,"
        " prefilter=False)",
    "zoom": "lndi.zoom(a, 1.0001, order=1, prefilter=False, workers=WORKERS)",
}

SCRIPT = textwrap.dedent("""
    import sys, time
    import numpy as np
    import libndimage as lndi
    WORKERS = int(sys.argv[1])
    a = np.arange(1 << 20, dtype=np.float64).reshape((2,) * 20) % 7
    print("ready", flush=True)
    start = time.monotonic()
    try:
        {call}
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(0)
    print("finished after", time.monotonic() - start, flush=True)
    sys.exit(3)
""")


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("name", list(CALLS))
def test_ctrl_c_stops_a_long_call(name, workers):
    if "geometric" in name and workers == 2:
        pytest.skip("Python callables run on the calling thread")
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT.format(call=CALLS[name]),
                             str(workers)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    try:
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.3)  # well into the call
        assert proc.poll() is None, proc.stderr.read()
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        line = proc.stdout.readline().strip()
        latency = time.monotonic() - sent
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert line == "interrupted", (line, proc.stderr.read())
    assert proc.returncode == 0
    # "within a fraction of a second" (typically a few milliseconds; a loaded machine
    # may delay the child's wake-up)
    assert latency < 0.5, f"{name}: KeyboardInterrupt {latency * 1e3:.0f} ms after SIGINT"
    print(f"{name}, workers={workers}: interrupted {latency * 1e3:.1f} ms after SIGINT")
