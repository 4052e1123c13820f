"""scipy.ndimage's measurements (scipy's ``_measurements`` module: labelling, object
search and labeled statistics, watershed). libndimage implements none of them yet: each
name raises ``NotImplementedError``.
"""

from ._support import not_implemented

__all__ = ["label", "find_objects", "labeled_comprehension", "sum", "mean", "variance",
           "standard_deviation", "minimum", "maximum", "median", "minimum_position",
           "maximum_position", "extrema", "center_of_mass", "histogram", "watershed_ift",
           "sum_labels", "value_indices"]

label = not_implemented("label", __name__)
find_objects = not_implemented("find_objects", __name__)
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
value_indices = not_implemented("value_indices", __name__)
