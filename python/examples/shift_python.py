"""The guide's shift done with a plain Python mapping: called once per output element with
the output index tuple, returns the input coordinates; the shift comes in through
`extra_arguments` (the Python counterpart of user_data)."""

import scipy.ndimage

from _common import IMAGE, SHIFT, report

import libndimage


def shift_func(output_coordinates, shift):
    return (output_coordinates[0] - shift, output_coordinates[1] - shift)


ours = libndimage.geometric_transform(IMAGE, shift_func, extra_arguments=(SHIFT,))
theirs = scipy.ndimage.geometric_transform(IMAGE, shift_func, extra_arguments=(SHIFT,))
report(ours, theirs)
