"""scipy.ndimage's morphology (scipy's ``_morphology`` module: binary and grey
morphology, structuring elements, distance transforms). libndimage implements none of
them yet: each name raises ``NotImplementedError``.
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
