"""scipy.ndimage's morphology (scipy's ``_morphology`` module: binary and grey
morphology, structuring elements, distance transforms). The grey morphology functions call
libndimage (``ndi_grey_erosion``, ..., ``ndi_black_tophat``: the compositions are computed
in the library, with numpy's arithmetic in the output's type); the binary morphology,
structuring elements and distance transforms are libndimage's too (see ``_binary`` and
``_distance``).

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
from ._binary import (binary_closing, binary_dilation, binary_erosion,  # noqa: F401
                      binary_fill_holes, binary_hit_or_miss, binary_opening,
                      binary_propagation, generate_binary_structure, iterate_structure)
from ._distance import (distance_transform_bf, distance_transform_cdt,  # noqa: F401
                        distance_transform_edt)

__all__ = ["iterate_structure", "generate_binary_structure", "binary_erosion", "binary_dilation",
           "binary_opening", "binary_closing", "binary_hit_or_miss", "binary_propagation",
           "binary_fill_holes", "grey_erosion", "grey_dilation", "grey_opening", "grey_closing",
           "morphological_gradient", "morphological_laplace", "white_tophat", "black_tophat",
           "distance_transform_bf", "distance_transform_cdt", "distance_transform_edt"]

# Grey morphology lives in _order (with the order filters); it is this module's.
for _f in (grey_erosion, grey_dilation, grey_opening, grey_closing, morphological_gradient,
           morphological_laplace, white_tophat, black_tophat):
    _f.__module__ = __name__
del _f

