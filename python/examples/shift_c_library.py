"""The guide's shift as a C function in a small shared library, compiled here with the C
compiler into a temporary directory, loaded with ctypes and wrapped in a
scipy.LowLevelCallable whose user_data points to the shift."""

import ctypes
import os
import shutil
import subprocess
import tempfile

import scipy
import scipy.ndimage

from _common import IMAGE, SHIFT, report, skip

import libndimage

SOURCE = r"""
#include <stdint.h>

int transform(intptr_t *output_coordinates, double *input_coordinates,
              int output_rank, int input_rank, void *user_data)
{
    double shift = *(double *)user_data;
    (void)output_rank;
    for (int i = 0; i < input_rank; i++)
        input_coordinates[i] = output_coordinates[i] - shift;
    return 1;
}
"""

compiler = os.environ.get("CC") or shutil.which("gcc") or shutil.which("cc")
if compiler is None:
    skip("no C compiler")

with tempfile.TemporaryDirectory() as tmp:
    source = os.path.join(tmp, "shift.c")
    library = os.path.join(tmp, "libshift.so")
    with open(source, "w") as f:
        f.write(SOURCE)
    subprocess.run([compiler, "-O2", "-shared", "-fPIC", "-o", library, source], check=True)
    lib = ctypes.CDLL(library)

lib.transform.restype = ctypes.c_int
lib.transform.argtypes = [ctypes.POINTER(ctypes.c_ssize_t), ctypes.POINTER(ctypes.c_double),
                          ctypes.c_int, ctypes.c_int, ctypes.c_void_p]
shift = ctypes.c_double(SHIFT)
callback = scipy.LowLevelCallable(lib.transform, ctypes.cast(ctypes.pointer(shift),
                                                             ctypes.c_void_p))
ours = libndimage.geometric_transform(IMAGE, callback)
theirs = scipy.ndimage.geometric_transform(IMAGE, callback)
report(ours, theirs)
