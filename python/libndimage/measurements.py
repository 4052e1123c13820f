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

import builtins
import operator

import numpy as np

from . import _capi
from ._callables import c_function, signatures
from ._support import Output, call, check_writeable, dtype_code, native, new_output

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



# --------------------------------------------------------------------------------------
# Statistics over labels
# --------------------------------------------------------------------------------------

def _native_same_layout(x):
    """``x`` itself, or a native-byte-order copy of a byte-swapped ``x`` with the same
    strides (NumPy cuts its sums by the memory layout)."""
    if x.dtype.isnative or x.size == 0:
        return x
    lo = builtins.sum((n - 1) * s for n, s in zip(x.shape, x.strides) if s < 0)
    hi = builtins.sum((n - 1) * s for n, s in zip(x.shape, x.strides) if s > 0) + x.itemsize
    base = np.empty(hi - lo, np.uint8)
    y = np.ndarray(x.shape, native(x.dtype), buffer=base, offset=-lo, strides=x.strides)
    y[...] = x
    return y


class _Groups:
    """scipy's forms of ``labels`` and ``index`` as libndimage's selection: the arrays to
    pass (rank >= 1), the NDI_SELECT_* code, the index (flat) and the shape of the result
    (None for one group)."""

    def __init__(self, input, labels, index, keep_axes=False):
        input = np.asarray(input)
        self.original_shape = input.shape
        self.perm = None
        self.index = None
        self.shape = None
        if labels is None:
            x = input.reshape(1) if input.ndim == 0 else input
            if not keep_axes:
                # NumPy reduces in memory order: the axes by decreasing stride.
                self.perm = sorted(range(x.ndim), key=lambda a: -abs(x.strides[a]))
                x = x.transpose(self.perm)
            # NumPy sums an input it must copy to buffers (negative strides, unaligned,
            # byte-swapped) over buffers of 8192 elements.
            buffered = (not x.flags.aligned or not x.dtype.isnative
                        or any(s < 0 for s, n in zip(x.strides, x.shape) if n > 1))
            select = _capi.NDI_SELECT_ALL_BUFFERED if buffered else _capi.NDI_SELECT_ALL
            self.input, self.labels, self.select = _native_same_layout(x), None, select
            self.broadcast_shape = input.shape
            return
        labels = np.asarray(labels)
        input, labels = np.broadcast_arrays(input, labels)
        self.broadcast_shape = input.shape
        if input.ndim == 0:
            input, labels = input.reshape(1), labels.reshape(1)
        self.input, self.labels = input, labels
        if index is None:
            self.select = _capi.NDI_SELECT_POSITIVE
        elif np.isscalar(index):
            self.select = _capi.NDI_SELECT_VALUE
            self.index = np.array([index])
        else:
            index = np.asarray(index)
            self.select = _capi.NDI_SELECT_EACH
            self.shape = index.shape
            self.index = index.reshape(-1)

    @property
    def single(self):
        return self.shape is None

    @property
    def count(self):
        return 1 if self.shape is None else self.index.size

    def check_dtype(self):
        dtype = self.input.dtype
        if dtype_code(native(dtype), complex_ok=True) is None:
            raise TypeError(f"libndimage does not support input of type {dtype}")
        if self.labels is not None and _real_code(self.labels.dtype) is None:
            raise TypeError(f"libndimage does not support labels of type {self.labels.dtype}")
        if self.index is not None and _real_code(self.index.dtype) is None:
            raise TypeError(f"libndimage does not support index values of type "
                            f"{self.index.dtype}")

    def args(self):
        return (self.input, self.labels, self.select, self.index)

    def result(self, out):
        """A one-group result as a scalar, else an array of the index's shape."""
        return out[0] if self.single else out.reshape(self.shape)


def _complex_each(groups, dtype):
    if not groups.single and dtype.kind == "c":
        raise TypeError(f"Cannot cast array data from dtype('{dtype}') to dtype('float64') "
                        "according to the rule 'safe'")


def _statistic(function, groups, dtype, workers):
    groups.check_dtype()
    out = np.empty(groups.count, dtype=dtype)
    call(function, *groups.args(), Output(out), workers=workers)
    return groups.result(out)


def _sum_dtype(dtype):
    if dtype.kind in "bi":
        return np.dtype(np.int64)
    if dtype.kind == "u":
        return np.dtype(np.uint64)
    return native(dtype)


def sum_labels(input, labels=None, index=None, *, workers=None):
    """Calculate the sum of the values of the array (``scipy.ndimage.sum_labels``).

    One group (``labels`` None, ``index`` None or a scalar): NumPy's ``sum`` of the selected
    values (a scalar of the input's sum type); an index sequence: float64 sums of each
    label, an array of the index's shape.
    """
    groups = _Groups(input, labels, index)
    dtype = groups.input.dtype
    _complex_each(groups, dtype)
    result = _sum_dtype(dtype) if groups.single else np.float64
    return _statistic(_capi.ndi_sum_labels, groups, result, workers)


def sum(input, labels=None, index=None, *, workers=None):
    """Calculate the sum of the values of the array (``scipy.ndimage.sum``, the same as
    :func:`sum_labels`)."""
    return sum_labels(input, labels, index, workers=workers)


def _mean_dtype(groups, dtype):
    return np.complex128 if (groups.single and dtype.kind == "c") else np.float64


def mean(input, labels=None, index=None, *, workers=None):
    """Calculate the mean of the values of an array at labels (``scipy.ndimage.mean``)."""
    groups = _Groups(input, labels, index)
    dtype = groups.input.dtype
    _complex_each(groups, dtype)
    return _statistic(_capi.ndi_mean, groups, _mean_dtype(groups, dtype), workers)


def variance(input, labels=None, index=None, *, workers=None):
    """Calculate the variance of the values of an N-D image array, optionally at specified
    sub-regions (``scipy.ndimage.variance``)."""
    groups = _Groups(input, labels, index)
    dtype = groups.input.dtype
    _complex_each(groups, dtype)
    return _statistic(_capi.ndi_variance, groups, _mean_dtype(groups, dtype), workers)


def standard_deviation(input, labels=None, index=None, *, workers=None):
    """Calculate the standard deviation of the values of an N-D image array, optionally at
    specified sub-regions (``scipy.ndimage.standard_deviation``)."""
    groups = _Groups(input, labels, index)
    dtype = groups.input.dtype
    _complex_each(groups, dtype)
    return _statistic(_capi.ndi_standard_deviation, groups, _mean_dtype(groups, dtype),
                      workers)


def _empty_reduction(name):
    return ValueError(f"zero-size array to reduction operation {name} which has no identity")


def _extreme(function, name, input, labels, index, workers):
    groups = _Groups(input, labels, index)
    groups.check_dtype()
    dtype = groups.input.dtype
    if groups.single:
        out = np.empty(1, dtype=native(dtype))
        try:
            call(function, *groups.args(), Output(out), workers=workers)
        except RuntimeError:
            if b"no element" in _capi.ndi_last_error_message():
                raise _empty_reduction(name) from None
            raise
        return out[0]
    out = np.empty(groups.count, dtype=dtype)
    call(function, *groups.args(), Output(out), workers=workers)
    return out.reshape(groups.shape)


def minimum(input, labels=None, index=None, *, workers=None):
    """Calculate the minimum of the values of an array over labeled regions
    (``scipy.ndimage.minimum``)."""
    return _extreme(_capi.ndi_minimum, "minimum", input, labels, index, workers)


def maximum(input, labels=None, index=None, *, workers=None):
    """Calculate the maximum of the values of an array over labeled regions
    (``scipy.ndimage.maximum``)."""
    return _extreme(_capi.ndi_maximum, "maximum", input, labels, index, workers)


def median(input, labels=None, index=None, *, workers=None):
    """Calculate the median of the values of an array over labeled regions
    (``scipy.ndimage.median``)."""
    groups = _Groups(input, labels, index)
    dtype = native(groups.input.dtype)
    result = dtype if dtype.kind in "fc" else np.dtype(np.float64)
    return _statistic(_capi.ndi_median, groups, result, workers)


def _coordinates(row, ndim):
    return tuple(np.int64(c) for c in row) if ndim else ()


def _positions(groups, coords, ndim):
    """scipy's position results from libndimage's coordinates (-1: absent label)."""
    if groups.single:
        return _coordinates(coords[0], ndim)
    return [None if row[0] < 0 else _coordinates(row, ndim) for row in coords.tolist()]


def _check_position_shape(groups):
    if groups.broadcast_shape != groups.original_shape:
        raise IndexError("boolean index did not match indexed array")


def _position(function, name, input, labels, index, workers):
    groups = _Groups(input, labels, index, keep_axes=True)
    groups.check_dtype()
    _check_position_shape(groups)
    ndim = len(groups.original_shape)
    coords = np.empty((groups.count, groups.input.ndim), dtype=np.int64)
    try:
        call(function, *groups.args(), Output(coords), workers=workers)
    except RuntimeError:
        if groups.single and b"no element" in _capi.ndi_last_error_message():
            raise _empty_reduction(name) from None
        raise
    return _positions(groups, coords, ndim)


def minimum_position(input, labels=None, index=None, *, workers=None):
    """Find the positions of the minimums of the values of an array at labels
    (``scipy.ndimage.minimum_position``)."""
    return _position(_capi.ndi_minimum_position, "minimum", input, labels, index, workers)


def maximum_position(input, labels=None, index=None, *, workers=None):
    """Find the positions of the maximums of the values of an array at labels
    (``scipy.ndimage.maximum_position``)."""
    return _position(_capi.ndi_maximum_position, "maximum", input, labels, index, workers)


def extrema(input, labels=None, index=None, *, workers=None):
    """Calculate the minimums and maximums of the values of an array at labels, along with
    their positions (``scipy.ndimage.extrema``)."""
    groups = _Groups(input, labels, index, keep_axes=True)
    groups.check_dtype()
    _check_position_shape(groups)
    ndim = len(groups.original_shape)
    dtype = groups.input.dtype
    value_dtype = native(dtype) if groups.single else dtype
    lo, hi = np.empty(groups.count, value_dtype), np.empty(groups.count, value_dtype)
    lo_pos = np.empty((groups.count, groups.input.ndim), dtype=np.int64)
    hi_pos = np.empty((groups.count, groups.input.ndim), dtype=np.int64)
    try:
        call(_capi.ndi_extrema, *groups.args(), Output(lo), Output(hi), Output(lo_pos),
             Output(hi_pos), workers=workers)
    except RuntimeError:
        if groups.single and b"no element" in _capi.ndi_last_error_message():
            raise _empty_reduction("minimum") from None
        raise
    if groups.single:
        return lo[0], hi[0], _positions(groups, lo_pos, ndim), _positions(groups, hi_pos, ndim)
    return (lo.reshape(groups.shape), hi.reshape(groups.shape),
            _positions(groups, lo_pos, ndim), _positions(groups, hi_pos, ndim))


def center_of_mass(input, labels=None, index=None, *, workers=None):
    """Calculate the center of mass of the values of an array at labels
    (``scipy.ndimage.center_of_mass``)."""
    input = np.asarray(input)
    groups = _Groups(input, labels, index)
    if groups.broadcast_shape != input.shape:
        return _center_of_mass_by_sums(input, labels, index, workers)
    groups.check_dtype()
    dtype = groups.input.dtype
    _complex_each(groups, dtype)
    ndim = input.ndim
    rank = groups.input.ndim
    out = np.empty((groups.count, rank), dtype=_mean_dtype(groups, dtype))
    call(_capi.ndi_center_of_mass, *groups.args(), Output(out), workers=workers)
    if groups.perm is not None:
        restored = np.empty_like(out)
        restored[:, groups.perm] = out
        out = restored
    if ndim == 0:
        return () if groups.single else [() for _ in range(groups.count)]
    if groups.single:
        return tuple(out[0])
    results = [out[:, a].reshape(groups.shape) for a in range(ndim)]
    return [tuple(v) for v in np.array(results).T]


def _center_of_mass_by_sums(input, labels, index, workers):
    """scipy's formula through sum_labels, for labels that broadcast the input to a larger
    shape (the coordinates are then those of the input's own shape)."""
    normalizer = sum_labels(input, labels, index, workers=workers)
    grids = np.ogrid[[slice(0, i) for i in input.shape]]
    results = [sum_labels(input * grids[d].astype(float), labels, index, workers=workers)
               / normalizer for d in range(input.ndim)]
    if np.isscalar(results[0]):
        return tuple(results)
    return [tuple(v) for v in np.array(results).T]


# --------------------------------------------------------------------------------------
# labeled_comprehension and histogram
# --------------------------------------------------------------------------------------

#: The C prototype of a compiled ``labeled_comprehension`` function (``ndi_label_func``).
LABEL_FUNC_SIGNATURES = signatures("int (double *, {T} *, {T}, {T}, double *, void *)")


def _broadcast(input, labels):
    try:
        return np.broadcast_arrays(input, labels)
    except ValueError as e:
        raise ValueError("input and labels must have the same shape "
                         "(excepting dimensions with width 1)") from e


def _lossless_index(index, labels):
    index = np.atleast_1d(index)
    if np.any(index.astype(labels.dtype).astype(index.dtype) != index):
        raise ValueError(f"Cannot convert index values from <{index.dtype}> to "
                         f"<{labels.dtype}> (labels' type) without loss of precision")
    return index.astype(labels.dtype)


class _Comprehension:
    """Calls a Python ``func`` from ndi_labeled_comprehension: each group's values (taken
    from the input in its own dtype at the positions the library passes) and positions;
    results stored into ``out`` (a flat view) as scipy stores them."""

    def __init__(self, func, flat, out, pass_positions):
        self.func, self.flat, self.out = func, flat, out
        self.pass_positions = pass_positions
        self.error = None

        def call(values, positions, count, entry, result, user_data):
            try:
                pos = np.ctypeslib.as_array(positions, (count,)).copy() if count else (
                    np.zeros(0, np.intp))
                vals = self.flat[pos]
                r = self.func(vals, pos) if self.pass_positions else self.func(vals)
                self.out[entry] = r
                return 1
            except BaseException as exc:  # noqa: BLE001 - re-raised after the call
                self.error = exc
                return 0

        self.pointer = _capi.ndi_label_func(call)


def labeled_comprehension(input, labels, index, func, out_dtype, default,
                          pass_positions=False, *, workers=None, thread_safe=False):
    """Roughly equivalent to ``[func(input[labels == i]) for i in index]``
    (``scipy.ndimage.labeled_comprehension``).

    ``func`` is called once per label of ``index`` that has elements, in increasing order
    of label value, with that label's values (in C order) and, with ``pass_positions``,
    their flat positions. Besides Python callables, a compiled function of the prototype
    ``int f(double *values, intptr_t *positions, intptr_t count, intptr_t entry,
    double *result, void *user_data)`` (a ``scipy.LowLevelCallable``, ctypes or cffi
    function pointer) is called with the values as double and stores its result, which is
    converted to ``out_dtype``; ``thread_safe=True`` lets it run on several threads.
    """
    as_scalar = np.isscalar(index)
    input = np.asarray(input)
    try:
        compiled = c_function(func, LABEL_FUNC_SIGNATURES)
    except ValueError as e:
        if "invalid callable" not in str(e):
            raise
        compiled = None  # not callable: calling it raises scipy's TypeError
    original_shape = input.shape
    if labels is None:
        if index is not None:
            raise ValueError("index without defined labels")
        if compiled is None:
            positions = np.arange(input.size)
            return func(input.ravel(), positions) if pass_positions else func(input.ravel())
        groups, select, index_arr = input, _capi.NDI_SELECT_ALL, None
        labels_arr = None
        shape = None
    else:
        labels = np.asarray(labels)
        input, labels = _broadcast(input, labels)
        if pass_positions and input.shape != original_shape:
            raise IndexError("boolean index did not match indexed array")
        if index is None:
            if compiled is None:
                mask = labels > 0
                if pass_positions:
                    positions = np.arange(input.size).reshape(input.shape)
                    return func(input[mask], positions[mask])
                return func(input[mask])
            select, index_arr, shape = _capi.NDI_SELECT_POSITIVE, None, None
        else:
            index_arr = _lossless_index(index, labels)
            select, shape = _capi.NDI_SELECT_EACH, index_arr.shape
        groups, labels_arr = input, labels
    source = groups.reshape(1) if groups.ndim == 0 else groups
    lab = None if labels_arr is None else (
        labels_arr.reshape(1) if labels_arr.ndim == 0 else labels_arr)
    flat_index = None if index_arr is None else index_arr.reshape(-1)
    if shape is not None:
        temp = np.empty(shape, out_dtype)
        temp[:] = default
    if compiled is None:
        flat = source.reshape(-1)
        out = temp.reshape(-1)
        trampoline = _Comprehension(func, flat, out, pass_positions)
        if flat_index.size:
            try:
                call(_capi.ndi_labeled_comprehension, source, lab, select, flat_index,
                     trampoline.pointer, None, _capi.NDI_PASS_POSITIONS, 0.0, None,
                     workers=1)
            except RuntimeError:
                if trampoline.error is not None:
                    raise trampoline.error from None
                raise
        output = temp
    else:
        pointer, user_data = _capi.ndi_label_func(compiled[0]), compiled[1]
        passes = _capi.NDI_PASS_VALUES | (_capi.NDI_PASS_POSITIONS if pass_positions else 0)
        single = shape is None
        out = np.empty(1 if single else flat_index.size, dtype=out_dtype)
        safe = _SafeFlag(thread_safe)
        call(_capi.ndi_labeled_comprehension, source, lab, select, flat_index, pointer,
             user_data, passes, float(default), Output(out), workers=workers, callback=safe)
        if single:
            return out[0]
        output = out.reshape(shape)
    if as_scalar:
        output = output[0]
    return output


class _SafeFlag:
    """The ``callback=`` of :func:`._support.call` for a compiled function: its
    thread-safety, no Python error to re-raise."""

    failure_message = "unknown error in labeled_comprehension function"

    def __init__(self, thread_safe):
        self.thread_safe = bool(thread_safe)

    def raise_error(self):
        pass


def histogram(input, min, max, bins, labels=None, index=None, *, workers=None):
    """Calculate the histogram of the values of an array, optionally at labels
    (``scipy.ndimage.histogram``).

    Bins: ``np.linspace(min, max, bins + 1)``, half-open but the last. One group: a count
    array; an index: an object array of count arrays, None for labels without elements.
    """
    edges = np.linspace(min, max, bins + 1)
    np.histogram(np.zeros(0), edges)  # numpy's errors for the edges
    as_scalar = np.isscalar(index)
    input = np.asarray(input)
    if labels is None:
        if index is not None:
            raise ValueError("index without defined labels")
        groups = _Groups(input, None, None, keep_axes=True)
        flat_index, shape = None, None
    else:
        labels = np.asarray(labels)
        input, labels = _broadcast(input, labels)
        if index is None:
            groups = _Groups(input, labels, None)
            flat_index, shape = None, None
        else:
            index = _lossless_index(index, labels)
            groups = _Groups(input, labels, index)
            flat_index, shape = groups.index, index.shape
    groups.check_dtype()
    count = 1 if shape is None else flat_index.size
    counts = np.empty((count, bins), dtype=np.intp)
    sizes = np.empty(count, dtype=np.int64)
    call(_capi.ndi_histogram, groups.input, groups.labels, groups.select, groups.index,
         edges.astype(np.float64), edges.size, Output(counts), Output(sizes), workers=workers)
    if shape is None:
        return counts[0]
    output = np.empty(shape, object)
    flat = output.reshape(-1)
    for k in range(count):
        flat[k] = counts[k].copy() if sizes[k] else None
    if as_scalar:
        output = output[0]
    return output


# --------------------------------------------------------------------------------------
# watershed_ift
# --------------------------------------------------------------------------------------

_WATERSHED_TYPES = [np.int8, np.int16, np.int32, np.int64, np.intc, np.intp]


def watershed_ift(input, markers, structure=None, output=None, *, workers=None):
    """Apply watershed from markers using image foresting transform algorithm
    (``scipy.ndimage.watershed_ift``).

    Returns the labels (``output`` itself when an array was given). Unlike scipy, the
    neighbours of an element never wrap across the ends of the axes, every reachable element
    gets a label (scipy's queue can lose some), and any rank works.
    """
    input = np.asarray(input)
    if input.dtype.type not in [np.uint8, np.uint16]:
        raise TypeError("only 8 and 16 unsigned inputs are supported")
    if structure is not None:
        structure = np.asarray(structure, dtype=bool)
        if structure.ndim != input.ndim:
            raise RuntimeError("structure and input must have equal rank")
        for ii in structure.shape:
            if ii != 3:
                raise RuntimeError("structure dimensions must be equal to 3")
    markers = np.asarray(markers)
    if input.shape != markers.shape:
        raise RuntimeError("input and markers must have equal shape")
    if markers.dtype.type not in _WATERSHED_TYPES:
        raise RuntimeError("marker should be of integer type")
    if isinstance(output, np.ndarray):
        if output.dtype.type not in _WATERSHED_TYPES:
            raise RuntimeError("output should be of integer type")
    else:
        output = markers.dtype
    output = new_output(output, input)
    check_writeable(output)
    if input.ndim == 0:
        output[...] = markers
        return output
    call(_capi.ndi_watershed_ift, input, markers, structure, Output(output), workers=workers)
    return output
