"""scipy.ndimage's Fourier filters (scipy's ``_fourier`` module). libndimage implements
none of them yet: each name raises ``NotImplementedError``.
"""

from ._support import not_implemented

__all__ = ["fourier_gaussian", "fourier_uniform", "fourier_ellipsoid", "fourier_shift"]

fourier_gaussian = not_implemented("fourier_gaussian", __name__)
fourier_uniform = not_implemented("fourier_uniform", __name__)
fourier_ellipsoid = not_implemented("fourier_ellipsoid", __name__)
fourier_shift = not_implemented("fourier_shift", __name__)
