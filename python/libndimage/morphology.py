"""scipy.ndimage's morphology (scipy's ``_morphology`` module: binary and grey
morphology, structuring elements, distance transforms). The grey morphology functions call
libndimage (``ndi_grey_erosion``, ..., ``ndi_black_tophat``: the compositions are computed
in the library, with numpy's arithmetic in the output's type); the other names raise
``NotImplementedError`` for now.

Grey morphology: differences from scipy (deliberate)
----------------------------------------------------
* Keyword-only ``nan_policy=`` as for the minimum and maximum filters (``None``: scipy's
  result).
* A structure with an all-false footprint raises ``ValueError('All-zero footprint is not
  supported.')`` (scipy crashes); a structure whose shape differs from the footprint's
  raises ``RuntimeError('structure array has incorrect shape')`` (scipy reads out of
  bounds).
* An output sharing memory with the input gives the result of separate memory (scipy's
  compositions read values they have overwritten).
* Footprints reaching ``4 n`` or more past the left edge in ``'reflect'`` are exact.
"""

from ._order import (black_tophat, grey_closing, grey_dilation, grey_erosion,  # noqa: F401
                     grey_opening, morphological_gradient, morphological_laplace,
                     white_tophat)
from ._support import not_implemented

__all__ = ["iterate_structure", "generate_binary_structure", "binary_erosion", "binary_dilation",
           "binary_opening", "binary_closing", "binary_hit_or_miss", "binary_propagation",
           "binary_fill_holes", "grey_erosion", "grey_dilation", "grey_opening", "grey_closing",
           "morphological_gradient", "morphological_laplace", "white_tophat", "black_tophat",
           "distance_transform_bf", "distance_transform_cdt", "distance_transform_edt"]

iterate_structure = not_implemented("iterate_structure", __name__)
generate_binary_structure = not_implemented("generate_binary_structure", __name__)
binary_erosion = not_implemented("binary_erosion", __name__)
binary_dilation = not_implemented("binary_dilation", __name__)
binary_opening = not_implemented("binary_opening", __name__)
binary_closing = not_implemented("binary_closing", __name__)
binary_hit_or_miss = not_implemented("binary_hit_or_miss", __name__)
binary_propagation = not_implemented("binary_propagation", __name__)
binary_fill_holes = not_implemented("binary_fill_holes", __name__)
distance_transform_bf = not_implemented("distance_transform_bf", __name__)
distance_transform_cdt = not_implemented("distance_transform_cdt", __name__)
distance_transform_edt = not_implemented("distance_transform_edt", __name__)

# Grey morphology lives in _order (with the order filters); it is this module's.
for _f in (grey_erosion, grey_dilation, grey_opening, grey_closing, morphological_gradient,
           morphological_laplace, white_tophat, black_tophat):
    _f.__module__ = __name__
del _f
