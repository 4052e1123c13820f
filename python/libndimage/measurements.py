"""scipy.ndimage's measurements (scipy's ``_measurements`` module): labelling, object
search and labeled statistics, watershed.

Measurements: differences from scipy (deliberate)
-------------------------------------------------
* ``label`` numbers the components 1, 2, ... in C order of their first element whatever the
  memory order of ``output``; scipy numbers them in the scan order of the output's memory
  layout (a Fortran-ordered ``output`` array gets column-major numbering). The partition is
  the same. A ``bool`` output holds one label: with two or more components libndimage
  raises scipy's ``RuntimeError('insufficient bit-depth in requested output type')``, where
  scipy stores the label numbers as raw bytes (which read back as ``True``) until they
  exceed 255.
* ``label`` reads byte-swapped (big-endian) input; scipy raises ``ValueError('Big-endian
  buffer not supported on little-endian compiler')``.
* ``value_indices`` reads byte-swapped input and value ranges of any width (a hash map
  where the range is wide); scipy's histogram over the range gives ``MemoryError`` for
  64-bit byte-swapped input and for wide ranges, and can crash when the range overflows
  the element type.
* ``find_objects`` counts an element as label ``L`` only when its value is exactly ``L``:
  scipy truncates float labels (0.5 and 1.7 both count as label 1). Without ``max_label``
  it finds the largest label of bool and float inputs too (scipy raises ``TypeError``).
"""

import operator

import numpy as np

from . import _capi
from ._support import Output, call, dtype_code, native, not_implemented

__all__ = ["label", "find_objects", "labeled_comprehension", "sum", "mean", "variance",
           "standard_deviation", "minimum", "maximum", "median", "minimum_position",
           "maximum_position", "extrema", "center_of_mass", "histogram", "watershed_ift",
           "sum_labels", "value_indices"]


def _real_code(dtype):
    """The NDI_DTYPE_* code of a real dtype libndimage reads, else None."""
    return dtype_code(native(dtype))


# --------------------------------------------------------------------------------------
# Labelling and objects
# --------------------------------------------------------------------------------------

def label(input, structure=None, output=None, *, workers=None):
    """Label features in an array (``scipy.ndimage.label``).

    Components of the non-zero elements, connected through ``structure`` (default: face
    neighbours), are numbered 1, 2, ... in C order of their first element. Returns
    ``(labels, count)``, or ``count`` when ``output`` is an array (written in place).
    """
    input = np.asarray(input)
    if np.iscomplexobj(input):
        raise TypeError("Complex type not supported")
    if structure is not None:
        structure = np.asarray(structure, dtype=bool)
        if structure.ndim != input.ndim:
            raise RuntimeError("structure and input must have equal rank")
        for ii in structure.shape:
            if ii != 3:
                raise ValueError("structure dimensions must be equal to 3")
    elif input.ndim == 0:
        structure = np.array(True)
    need_64bits = input.size >= (2**31 - 2)
    if isinstance(output, np.ndarray):
        if output.shape != input.shape:
            raise ValueError("output shape not correct")
        caller_provided_output = True
    else:
        caller_provided_output = False
        if output is None:
            output = np.empty(input.shape, np.intp if need_64bits else np.int32)
        else:
            output = np.empty(input.shape, output)

    if input.ndim == 0 or input.size == 0:
        if input.ndim == 0:
            maxlabel = 1 if (input != 0) else 0
            output[...] = maxlabel
        else:
            maxlabel = 0
        return maxlabel if caller_provided_output else (output, maxlabel)

    if structure is not None and not np.array_equal(
            structure, structure[(slice(None, None, -1),) * structure.ndim]):
        raise AssertionError("Structuring element is not symmetric")
    if (_real_code(input.dtype) is None or _real_code(output.dtype) is None
            or output.dtype.kind == "c"):
        raise TypeError("No matching signature found")
    if not output.flags.writeable:
        raise ValueError("output array is read-only.")
    count = np.array([-1], dtype=np.intp)
    try:
        call(_capi.ndi_label, input, Output(output),
             structure, count,
             workers=workers)
    except RuntimeError:
        if count[0] >= 0:
            raise RuntimeError("insufficient bit-depth in requested output type") from None
        raise
    n = int(count[0])
    return n if caller_provided_output else (output, n)


def find_objects(input, max_label=0, *, workers=None):
    """Find objects in a labeled array (``scipy.ndimage.find_objects``).

    Returns a list of ``max_label`` entries: for label ``L`` (at ``L - 1``) a tuple of
    slices over its bounding box, or None if no element has the value ``L``.
    """
    input = np.asarray(input)
    if np.iscomplexobj(input):
        raise TypeError("Complex type not supported")
    infer = max_label < 1
    if infer:
        if input.size == 0 or input.dtype.kind in "iu" or _real_code(input.dtype) is None:
            max_label = input.max()  # numpy's value, and its errors (empty input)
            if input.dtype.kind not in "iub":
                max_label = operator.index(max_label)  # scipy's TypeError
        else:
            max_label = None  # bool and float labels: found by libndimage
    if max_label is not None:
        max_label = operator.index(max_label)
        if max_label < 1:
            return []
    if _real_code(input.dtype) is None:
        raise RuntimeError("data type not supported")
    source = input.reshape(1) if input.ndim == 0 else input
    if max_label is None:
        found = np.array([-1], dtype=np.intp)
        call(_capi.ndi_find_objects, source, 0, None, found, workers=workers)
        max_label = int(found[0])
        if max_label < 1:
            return []
    boxes = np.zeros((max_label, source.ndim, 2), dtype=np.int64)
    call(_capi.ndi_find_objects, source, max_label, Output(boxes), None, workers=workers)
    if input.ndim == 0:
        return [() if b[0, 1] > b[0, 0] else None for b in boxes]
    present = boxes[:, 0, 1] > boxes[:, 0, 0]
    rows = boxes.tolist()
    return [tuple(slice(s, e) for s, e in row) if p else None
            for row, p in zip(rows, present.tolist())]


def value_indices(arr, *, ignore_value=None, workers=None):
    """Find the indices of each distinct value (``scipy.ndimage.value_indices``).

    Returns a dict, in ascending order of the values, mapping each value (a scalar of the
    array's dtype) to a tuple of ``arr.ndim`` index arrays (``np.intp``) of its positions in
    C order.
    """
    arr = np.asarray(arr)
    ignore_value_arr = np.zeros((1,), dtype=arr.dtype)
    ignore_is_none = ignore_value is None
    if not ignore_is_none:
        ignore_value_arr[0] = ignore_value_arr.dtype.type(ignore_value)
    if arr.dtype.kind not in "iu" or _real_code(arr.dtype) is None:
        raise ValueError("Parameter 'arr' must be an integer array")
    if arr.ndim == 0:
        if not ignore_is_none and arr == ignore_value_arr[0]:
            return {}
        return {arr[()]: ()}
    ignore = None if ignore_is_none else ignore_value_arr
    k, m = np.array([-1], dtype=np.intp), np.array([-1], dtype=np.intp)
    call(_capi.ndi_value_indices, arr, ignore, None, None, None, k, m, workers=workers)
    k, m = int(k[0]), int(m[0])
    values = np.empty(k, dtype=native(arr.dtype))
    counts = np.empty(k, dtype=np.int64)
    indices = np.empty((arr.ndim, m), dtype=np.intp)
    call(_capi.ndi_value_indices, arr, ignore, Output(values), Output(counts),
         Output(indices), None, None, workers=workers)
    result = {}
    offset = 0
    for v, c in zip(values, counts.tolist()):
        result[v] = tuple(indices[a, offset:offset + c] for a in range(arr.ndim))
        offset += c
    return result


labeled_comprehension = not_implemented("labeled_comprehension", __name__)
sum = not_implemented("sum", __name__)
mean = not_implemented("mean", __name__)
variance = not_implemented("variance", __name__)
standard_deviation = not_implemented("standard_deviation", __name__)
minimum = not_implemented("minimum", __name__)
maximum = not_implemented("maximum", __name__)
median = not_implemented("median", __name__)
minimum_position = not_implemented("minimum_position", __name__)
maximum_position = not_implemented("maximum_position", __name__)
extrema = not_implemented("extrema", __name__)
center_of_mass = not_implemented("center_of_mass", __name__)
histogram = not_implemented("histogram", __name__)
watershed_ift = not_implemented("watershed_ift", __name__)
sum_labels = not_implemented("sum_labels", __name__)
