"""Runs every example (each in its own interpreter) and exits non-zero if one fails.

    PYTHONPATH=python python python/examples/run_all.py

An example that cannot run here (cffi, numba or Cython missing, no C compiler, no Python.h)
exits with 77 and is reported as skipped.
"""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = ["shift_python.py", "shift_ctypes_callback.py", "shift_cffi_callback.py",
            "shift_numba_cfunc.py", "shift_cython.py", "shift_c_library.py"]


def main():
    failed, skipped = [], []
    for name in EXAMPLES:
        print(f"== {name}", flush=True)
        run = subprocess.run([sys.executable, os.path.join(HERE, name)], cwd=HERE)
        if run.returncode == 77:
            skipped.append(name)
        elif run.returncode != 0:
            failed.append(name)
            print(f"FAILED: {name} (exit status {run.returncode})", flush=True)
    passed = len(EXAMPLES) - len(failed) - len(skipped)
    print(f"== {passed} passed, {len(skipped)} skipped, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
