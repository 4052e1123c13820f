"""python/examples: the extension guide's shift done six ways, each checked against scipy."""

import os
import subprocess
import sys

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "examples")


def test_run_all_examples():
    run = subprocess.run([sys.executable, os.path.join(EXAMPLES, "run_all.py")],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count("matches scipy") == 6, run.stdout
    assert "== 6 passed, 0 skipped, 0 failed" in run.stdout
