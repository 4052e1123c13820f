"""scipy.ndimage's binary morphology and structuring elements, on libndimage's ``ndi_binary_*``
functions (re-exported by :mod:`libndimage.morphology`).

Differences from scipy 1.17.1 (deliberate)
-------------------------------------------
* Results are always scipy's brute-force definition. scipy's default algorithm for
  ``iterations != 1`` (``brute_force=False``, a structure whose centre is true) has bugs that
  change results: wrong neighbour offsets when the structure is longer than the input along an
  axis; a mask of another type than bool truncated to int8 after the first step (256 or 0.5
  count as False); an int8 mask overwritten by the call; non-bool outputs with a mask written
  as bytes. ``brute_force`` is accepted and has no effect.
* ``iterations < 1`` with a structure whose centre is false can make the steps cycle forever
  (scipy never returns); here the cycle is detected and ``RuntimeError`` is raised.
* Origins are checked: where scipy's centre lookup raises ``IndexError`` this raises the same
  error; where scipy's lookup wraps around (an origin beyond the structure on the other side)
  and scipy computes garbage, this raises ``ValueError('invalid origin')``. In
  ``binary_hit_or_miss`` the default ``origin2`` (``origin1``) is checked against
  ``structure2``.
* With ``axes`` listing fewer than all axes in decreasing order, ``binary_dilation`` (and what
  uses it) flips even-sized origins by the size of the structure's axis the origin belongs to
  (scipy uses another axis' size and can read outside the input).
"""

import operator

import numpy as np

from . import _capi
from ._support import (Output, call, check_writeable, dtype_code, new_output, per_axis,
                       resolve_axes)

__all__ = ["iterate_structure", "generate_binary_structure", "binary_erosion",
           "binary_dilation", "binary_opening", "binary_closing", "binary_hit_or_miss",
           "binary_propagation", "binary_fill_holes"]


def generate_binary_structure(rank, connectivity):
    """A binary structure of ``rank`` axes of size 3 whose elements at a taxicab distance of
    at most ``connectivity`` from the centre are true (``scipy.ndimage.generate_binary_structure``).
    A ``rank`` below 1 gives ``np.array(True)``."""
    if connectivity < 1:
        connectivity = 1
    if rank < 1:
        return np.array(True, dtype=bool)
    output = np.zeros((3,) * operator.index(rank), dtype=bool)
    call(_capi.ndi_generate_binary_structure, Output(output), float(connectivity))
    return output


def iterate_structure(structure, iterations, origin=None):
    """``structure`` dilated by itself ``iterations - 1`` times
    (``scipy.ndimage.iterate_structure``); with ``origin``, also the origins multiplied by
    ``iterations``."""
    structure = np.asarray(structure)
    if iterations < 2:
        return structure.copy()
    try:
        iterations = operator.index(iterations)
    except TypeError as e:
        raise TypeError(f"expected a sequence of integers or a single integer, got "
                        f"iterations={iterations!r}") from e
    source = structure.reshape(1) if structure.ndim == 0 else structure
    rank = source.ndim
    shape = np.zeros(rank, dtype=np.intp)
    call(_capi.ndi_iterate_structure_shape, np.array(source.shape, dtype=np.intp), rank,
         iterations, shape)
    out = np.zeros(tuple(int(n) for n in shape), dtype=bool)
    call(_capi.ndi_iterate_structure, _structure_array(source), iterations, Output(out))
    if structure.ndim == 0:
        out = out.reshape(())
    if origin is None:
        return out
    origin = per_axis(origin, structure.ndim)
    return out, [iterations * o for o in origin]


def _structure_array(structure):
    """A structure as libndimage reads it (non-zero = true), in a supported dtype."""
    structure = np.asarray(structure)
    if dtype_code(structure.dtype) is None:
        return np.asarray(structure != 0)
    return structure


def _check_origins(structure, origins):
    """scipy's centre lookup ``structure[origin + shape // 2]``: its IndexError for origins it
    rejects, and ValueError where it would wrap around and compute garbage."""
    wraps = False
    for axis, (o, n) in enumerate(zip(origins, structure.shape)):
        try:
            c = operator.index(o) + n // 2
        except TypeError:
            raise IndexError("only integers, slices (`:`), ellipsis (`...`), numpy.newaxis "
                             "(`None`) and integer or boolean arrays are valid indices") from None
        if c >= n or c < -n:
            raise IndexError(f"index {c} is out of bounds for axis {axis} with size {n}")
        wraps |= c < 0
    if wraps:
        raise ValueError("invalid origin")


class _Prepared:
    """The arguments of one scipy ``_binary_erosion`` call after its checks: what the C
    function takes."""

    def __init__(self, input, structure, mask, output, border_value, origins, shape):
        self.input, self.structure, self.mask = input, structure, mask
        self.output, self.border_value, self.origins = output, border_value, origins
        self.shape = shape

    def c_arrays(self, output=None):
        """(input, structure, mask, output, origins) for the C call (0-d as 1 element)."""
        output = self.output if output is None else output
        arrays = [self.input, self.structure, self.mask, output]
        if self.input.ndim == 0:
            arrays = [None if a is None else a.reshape(1) for a in arrays]
            return arrays + [[0]]
        return arrays + [self.origins]


def _prepare(input, structure, iterations, mask, output, border_value, origin, axes,
             dilation=False, check_output=True):
    """scipy's ``_binary_erosion`` argument handling (and ``binary_dilation``'s preamble with
    ``dilation``), in scipy's order. Returns the structure and origins *as given* (not
    reflected): libndimage's dilation reflects them itself."""
    try:
        iterations = operator.index(iterations)
    except TypeError as e:
        raise TypeError("iterations parameter should be an integer") from e
    input = np.asarray(input)
    ndim = input.ndim
    if dilation:
        axes = resolve_axes(axes, ndim)
        if structure is None:
            structure = generate_binary_structure(len(axes), 1)
        origin = per_axis(origin, len(axes))
        structure = np.asarray(structure)
        flipped = [-o for o in origin]
        for ii in range(len(origin)):
            structure.shape[ii]  # scipy's IndexError for a structure of too few axes
    if np.iscomplexobj(input):
        raise TypeError("Complex type not supported")
    axes = resolve_axes(axes, ndim)
    num_axes = len(axes)
    if structure is None:
        structure = generate_binary_structure(num_axes, 1)
    else:
        structure = np.asarray(structure, dtype=bool)
    if ndim > num_axes:
        if structure.ndim != num_axes:
            raise RuntimeError(f"structure.ndim ({structure.ndim}) "
                               f"must match len(axes) ({num_axes})")
        structure = np.expand_dims(structure, tuple(a for a in range(ndim) if a not in axes))
    if structure.ndim != ndim:
        raise RuntimeError("structure and input must have same dimensionality")
    if structure.size < 1:
        raise RuntimeError("structure must not be empty")
    if mask is not None:
        mask = np.asarray(mask)
        if mask.shape != input.shape:
            raise RuntimeError("mask and input must have equal sizes")
    origins = _expand(per_axis(origin, num_axes), axes, ndim)
    if dilation:
        # scipy checks the reflected structure's centre with the origins negated, and moved
        # by one on axes of even size (the size of the origin's own axis here: scipy takes
        # another axis' when `axes` lists fewer axes in decreasing order).
        flipped = _expand(flipped, axes, ndim)
        flipped = [o - (1 - n % 2) for o, n in zip(flipped, structure.shape)]
        _check_origins(structure[(slice(None, None, -1),) * ndim], flipped)
    else:
        _check_origins(structure, origins)
    origins = [operator.index(o) for o in origins]
    if check_output:
        if isinstance(output, np.ndarray):
            if np.iscomplexobj(output):
                raise TypeError("Complex output type not supported")
        else:
            output = bool
        output = new_output(output, input)
        check_writeable(output)
    border_value = operator.index(border_value)
    return _Prepared(input, structure, mask, output, border_value, origins, input.shape)


def _expand(origins, axes, ndim):
    """scipy's ``_expand_origin``: origin k on ``axes[k]``, 0 elsewhere."""
    if len(axes) == ndim:
        return list(origins)
    full = [0] * ndim
    for o, ax in zip(origins, axes):
        full[ax] = o
    return full


def _supported(*arrays):
    """scipy's C layer rejects other element types (when there are elements to compute)."""
    for a in arrays:
        if a is not None and a.size and dtype_code(a.dtype) is None:
            raise RuntimeError("data type not supported")
    return arrays[0].size > 0


def _erosion_like(function, p, iterations, workers):
    if not _supported(p.input, p.mask, p.output):
        return p.output
    source, structure, mask, target, origins = p.c_arrays()
    call(function, source, Output(target), structure, mask, iterations, p.border_value,
         origins, workers=workers)
    return p.output


def binary_erosion(input, structure=None, iterations=1, mask=None, output=None,
                   border_value=0, origin=0, brute_force=False, *, axes=None, workers=None):
    """Binary erosion (``scipy.ndimage.binary_erosion``): true where the structure, placed
    there, covers only true input elements. Returns the output (bool unless an array is
    given)."""
    p = _prepare(input, structure, iterations, mask, output, border_value, origin, axes)
    return _erosion_like(_capi.ndi_binary_erosion, p, operator.index(iterations), workers)


def binary_dilation(input, structure=None, iterations=1, mask=None, output=None,
                    border_value=0, origin=0, brute_force=False, *, axes=None, workers=None):
    """Binary dilation (``scipy.ndimage.binary_dilation``): true where the reflected
    structure, placed there, covers a true input element."""
    p = _prepare(input, structure, iterations, mask, output, border_value, origin, axes,
                 dilation=True)
    return _erosion_like(_capi.ndi_binary_dilation, p, operator.index(iterations), workers)


def _opening_like(function, input, structure, iterations, output, origin, mask, border_value,
                  axes, first_is_dilation, workers):
    input = np.asarray(input)
    axes = resolve_axes(axes, input.ndim)
    if structure is None:
        structure = generate_binary_structure(len(axes), 1)
    # scipy checks the first operation's arguments (its output is a new array), then the
    # second's (with the output).
    _prepare(input, structure, iterations, mask, None, border_value, origin, axes,
             dilation=first_is_dilation, check_output=False)
    p = _prepare(input, structure, iterations, mask, output, border_value, origin, axes,
                 dilation=not first_is_dilation)
    return _erosion_like(function, p, operator.index(iterations), workers)


def binary_opening(input, structure=None, iterations=1, output=None, origin=0, mask=None,
                   border_value=0, brute_force=False, *, axes=None, workers=None):
    """Binary opening (``scipy.ndimage.binary_opening``): the dilation of the erosion."""
    return _opening_like(_capi.ndi_binary_opening, input, structure, iterations, output,
                         origin, mask, border_value, axes, False, workers)


def binary_closing(input, structure=None, iterations=1, output=None, origin=0, mask=None,
                   border_value=0, brute_force=False, *, axes=None, workers=None):
    """Binary closing (``scipy.ndimage.binary_closing``): the erosion of the dilation."""
    return _opening_like(_capi.ndi_binary_closing, input, structure, iterations, output,
                         origin, mask, border_value, axes, True, workers)


def binary_hit_or_miss(input, structure1=None, structure2=None, output=None, origin1=0,
                       origin2=None, *, axes=None, workers=None):
    """Binary hit-or-miss transform (``scipy.ndimage.binary_hit_or_miss``): true where
    ``structure1`` fits the foreground and ``structure2`` the background. Returns None when
    ``output`` is an array (filled in place), else a new bool array."""
    input = np.asarray(input)
    axes = resolve_axes(axes, input.ndim)
    num_axes = len(axes)
    if structure1 is None:
        structure1 = generate_binary_structure(num_axes, 1)
    else:
        structure1 = np.asarray(structure1)
    if structure2 is None:
        structure2 = np.logical_not(structure1)
    origin1 = per_axis(origin1, num_axes)
    origin2 = origin1 if origin2 is None else per_axis(origin2, num_axes)
    hit = _prepare(input, structure1, 1, None, None, 0, origin1, axes)
    inplace = isinstance(output, np.ndarray)
    miss = _prepare(input, structure2, 1, None, output, 0, origin2, axes)
    result = miss.output
    if _supported(hit.input, result):
        source, s1, _, target, o1 = hit.c_arrays(result)
        s2, o2 = miss.c_arrays()[1], miss.c_arrays()[4]
        call(_capi.ndi_binary_hit_or_miss, source, Output(target), s1, s2, o1, o2,
             workers=workers)
    if inplace:
        return None
    return result


def binary_propagation(input, structure=None, mask=None, output=None, border_value=0,
                       origin=0, *, axes=None, workers=None):
    """Binary propagation (``scipy.ndimage.binary_propagation``): the dilation repeated until
    nothing changes, within ``mask``."""
    p = _prepare(input, structure, -1, mask, output, border_value, origin, axes,
                 dilation=True)
    if not _supported(p.input, p.mask, p.output):
        return p.output
    source, structure, mask, target, origins = p.c_arrays()
    call(_capi.ndi_binary_propagation, source, Output(target), structure, mask,
         p.border_value, origins, workers=workers)
    return p.output


def binary_fill_holes(input, structure=None, output=None, origin=0, *, axes=None,
                      workers=None):
    """Fills the holes of a binary image (``scipy.ndimage.binary_fill_holes``): the true
    elements and the false ones not connected to the border. Returns None when ``output`` is
    an array (filled in place), else a new bool array."""
    input = np.asarray(input)
    mask = np.logical_not(input)
    tmp = np.zeros(mask.shape, bool)
    inplace = isinstance(output, np.ndarray)
    p = _prepare(tmp, structure, -1, mask, output if inplace else None, 1, origin, axes,
                 dilation=True)
    if _supported(p.input, p.output):
        if dtype_code(input.dtype) is None or np.iscomplexobj(input):
            input = np.asarray(input != 0)
        p.input = input
        source, structure, _, target, origins = p.c_arrays()
        call(_capi.ndi_binary_fill_holes, source, Output(target), structure, origins,
             workers=workers)
    if inplace:
        return None
    return p.output


# They belong to the morphology module, as scipy's to its _morphology.
for _function in (generate_binary_structure, iterate_structure, binary_erosion,
                  binary_dilation, binary_opening, binary_closing, binary_hit_or_miss,
                  binary_propagation, binary_fill_holes):
    _function.__module__ = "libndimage.morphology"
del _function
