"""The guide's shift written in Cython: a `cdef api` function, which Cython exports in the
module's __pyx_capi__ as a capsule named by its C signature, made into a
scipy.LowLevelCallable with LowLevelCallable.from_cython and the shift passed as user_data.

The module is compiled here into a temporary directory: cython translates it to C, the C
compiler builds the extension module against Python's headers, and importlib loads it.
(The guide cimports numpy's npy_intp; libc.stdint's intptr_t is the same type and needs no
numpy headers.)"""

import ctypes
import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile

import scipy
import scipy.ndimage

from _common import IMAGE, SHIFT, report, skip

import libndimage

SOURCE = """\
# cython: language_level=3
from libc.stdint cimport intptr_t

cdef api int transform(intptr_t *output_coordinates, double *input_coordinates,
                       int output_rank, int input_rank, void *user_data) noexcept nogil:
    cdef int i
    cdef double shift = (<double *>user_data)[0]

    for i in range(input_rank):
        input_coordinates[i] = output_coordinates[i] - shift

    return 1
"""

MODULE = "shift_cython_ext"

try:
    import Cython
except ImportError:
    skip("Cython is not installed")
compiler = os.environ.get("CC") or shutil.which("gcc") or shutil.which("cc")
if compiler is None:
    skip("no C compiler")
include = sysconfig.get_paths()["include"]
if not os.path.exists(os.path.join(include, "Python.h")):
    skip(f"Python.h not found in {include} (Debian: apt-get install python3-dev)")


def run(command):
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        print(" ".join(command), file=sys.stderr)
        print(done.stdout + done.stderr, file=sys.stderr)
        sys.exit(1)


with tempfile.TemporaryDirectory() as tmp:
    pyx = os.path.join(tmp, MODULE + ".pyx")
    c_file = os.path.join(tmp, MODULE + ".c")
    extension = os.path.join(tmp, MODULE + sysconfig.get_config_var("EXT_SUFFIX"))
    with open(pyx, "w") as f:
        f.write(SOURCE)
    run([sys.executable, "-m", "cython", pyx, "-o", c_file])
    includes = sorted({include, sysconfig.get_paths()["platinclude"]})
    run([compiler, "-O2", "-shared", "-fPIC", *[f"-I{d}" for d in includes], c_file,
         "-o", extension])
    spec = importlib.util.spec_from_file_location(MODULE, extension)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

print(f"Cython {Cython.__version__}: {MODULE}.__pyx_capi__['transform'] = "
      f"{module.__pyx_capi__['transform']}")
shift = ctypes.c_double(SHIFT)
callback = scipy.LowLevelCallable.from_cython(module, "transform",
                                              ctypes.cast(ctypes.pointer(shift),
                                                          ctypes.c_void_p))
ours = libndimage.geometric_transform(IMAGE, callback)
theirs = scipy.ndimage.geometric_transform(IMAGE, callback)
report(ours, theirs)
