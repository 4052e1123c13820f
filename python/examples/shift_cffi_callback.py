"""The guide's shift as a cffi callback (a Python function made C-callable with
ffi.callback), the shift passed as user_data in a cffi `double *`."""

import scipy
import scipy.ndimage

from _common import IMAGE, SHIFT, report, skip

import libndimage

try:
    import cffi
except ImportError:
    skip("cffi is not installed")

ffi = cffi.FFI()


@ffi.callback("int (intptr_t *, double *, int, int, void *)")
def transform(output_coordinates, input_coordinates, output_rank, input_rank, user_data):
    shift = ffi.cast("double *", user_data)[0]
    for i in range(input_rank):
        input_coordinates[i] = output_coordinates[i] - shift
    return 1


shift = ffi.new("double *", SHIFT)
callback = scipy.LowLevelCallable(transform, ffi.cast("void *", shift))
ours = libndimage.geometric_transform(IMAGE, callback)
theirs = scipy.ndimage.geometric_transform(IMAGE, callback)
report(ours, theirs)
