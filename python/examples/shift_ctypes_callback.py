"""The guide's shift as a ctypes callback: a Python function made C-callable with
ctypes.CFUNCTYPE, with scipy's mapping prototype
    int transform(intptr_t *output_coordinates, double *input_coordinates,
                  int output_rank, int input_rank, void *user_data)
and the shift in a C double passed as user_data (through scipy.LowLevelCallable; a bare
CFUNCTYPE pointer is accepted too, with user_data NULL)."""

import ctypes

import scipy
import scipy.ndimage

from _common import IMAGE, SHIFT, report

import libndimage

PROTOTYPE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_ssize_t),
                             ctypes.POINTER(ctypes.c_double), ctypes.c_int, ctypes.c_int,
                             ctypes.c_void_p)


@PROTOTYPE
def transform(output_coordinates, input_coordinates, output_rank, input_rank, user_data):
    shift = ctypes.cast(user_data, ctypes.POINTER(ctypes.c_double))[0]
    for i in range(input_rank):
        input_coordinates[i] = output_coordinates[i] - shift
    return 1


shift = ctypes.c_double(SHIFT)
callback = scipy.LowLevelCallable(transform, ctypes.cast(ctypes.pointer(shift),
                                                         ctypes.c_void_p))
ours = libndimage.geometric_transform(IMAGE, callback)
theirs = scipy.ndimage.geometric_transform(IMAGE, callback)
report(ours, theirs)
