"""scipy.ndimage's morphology (scipy's ``_morphology`` module: binary and grey
morphology, structuring elements, distance transforms). The binary morphology,
structuring elements and distance transforms are libndimage's (see ``_binary`` and
``_distance``); the grey morphology names raise ``NotImplementedError`` for now.
"""

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
grey_erosion = not_implemented("grey_erosion", __name__)
grey_dilation = not_implemented("grey_dilation", __name__)
grey_opening = not_implemented("grey_opening", __name__)
grey_closing = not_implemented("grey_closing", __name__)
morphological_gradient = not_implemented("morphological_gradient", __name__)
morphological_laplace = not_implemented("morphological_laplace", __name__)
white_tophat = not_implemented("white_tophat", __name__)
black_tophat = not_implemented("black_tophat", __name__)
distance_transform_bf = not_implemented("distance_transform_bf", __name__)
distance_transform_cdt = not_implemented("distance_transform_cdt", __name__)
distance_transform_edt = not_implemented("distance_transform_edt", __name__)

# Implemented (the stubs above are replaced).
from ._binary import (binary_closing, binary_dilation, binary_erosion,  # noqa: E402,F811
                      binary_fill_holes, binary_hit_or_miss, binary_opening,
                      binary_propagation, generate_binary_structure, iterate_structure)
from ._distance import (distance_transform_bf, distance_transform_cdt,  # noqa: E402,F811
                        distance_transform_edt)
