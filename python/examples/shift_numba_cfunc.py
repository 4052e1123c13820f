"""The guide's shift as a numba @cfunc (compiled to machine code), the shift passed as
user_data (a pointer to a C double). libndimage also takes the cfunc object itself, with
user_data NULL."""

import ctypes

import scipy
import scipy.ndimage

from _common import IMAGE, SHIFT, report, skip

import libndimage

try:
    from numba import carray, cfunc, types
except ImportError:
    skip("numba is not installed")


@cfunc(types.intc(types.CPointer(types.intp), types.CPointer(types.double), types.intc,
                  types.intc, types.voidptr))
def transform(output_coordinates_ptr, input_coordinates_ptr, output_rank, input_rank,
              user_data):
    input_coordinates = carray(input_coordinates_ptr, (input_rank,))
    output_coordinates = carray(output_coordinates_ptr, (output_rank,))
    shift = carray(user_data, (1,), types.double)[0]
    for i in range(input_rank):
        input_coordinates[i] = output_coordinates[i] - shift
    return 1


shift = ctypes.c_double(SHIFT)
callback = scipy.LowLevelCallable(transform.ctypes, ctypes.cast(ctypes.pointer(shift),
                                                                ctypes.c_void_p))
ours = libndimage.geometric_transform(IMAGE, callback)
theirs = scipy.ndimage.geometric_transform(IMAGE, callback)
report(ours, theirs)
