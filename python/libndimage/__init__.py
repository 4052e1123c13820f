"""libndimage for Python: scipy.ndimage (reference: scipy 1.17.1) over the libndimage C
library, through ctypes.

The namespace is scipy.ndimage's: all 75 public functions of ``scipy.ndimage.__all__`` and
the submodules ``filters``, ``fourier``, ``interpolation``, ``measurements`` and
``morphology`` that scipy also has, split as scipy splits them. ``generic_filter``,
``generic_filter1d``, ``geometric_transform``, ``map_coordinates``, ``affine_transform``,
``shift``, ``zoom``, ``rotate``, ``spline_filter1d``, ``spline_filter``, the linear filters
(``correlate1d``, ``convolve1d``, ``correlate``, ``convolve``, ``uniform_filter1d``,
``uniform_filter``, ``gaussian_filter1d``, ``gaussian_filter``, ``gaussian_laplace``,
``gaussian_gradient_magnitude``, ``sobel``, ``prewitt``, ``laplace``, ``generic_laplace``,
``generic_gradient_magnitude``), the minimum, maximum, rank, median and percentile filters and
grey morphology are drop-in replacements for their scipy namesakes: same signatures, defaults,
return values, warnings,
and exception types and messages for bad arguments, plus a keyword-only ``workers=`` (and
``thread_safe=`` for the three that take a callback, ``nan_policy=`` for the order filters
and grey morphology), and so are ``fourier_gaussian``, ``fourier_uniform``,
``fourier_ellipsoid``, ``fourier_shift`` and ``vectorized_filter`` (which also takes compiled
batched callbacks). The numbers come from libndimage
(``ndi_generic_filter``, ``ndi_rotate``, ...) and are bit-identical to scipy's, except as
listed below. The other scipy functions raise ``NotImplementedError`` for now.

Beyond scipy's names there are only:

* ``set_workers(n)`` / ``get_workers()``: the process-wide default thread count;
* ``__version__``: the loaded library's version (``ndi_version_string``);
* ``library_path``: the path the library was loaded from;
* ``LibraryError``: raised (on import) when the library cannot be found or loaded;
* the submodule ``libndimage.dask`` (imported on its own, needs ``dask[array]``): these
  functions on dask arrays, bit-identical to the whole-array call.

The C API itself (every ``NDI_*`` constant, struct, callback type and ``ndi_*`` function of
``include/ndimage.h``, with ctypes prototypes) is ``libndimage._capi``, generated from the
header by ``scripts/gen-python-capi.py``. Private modules: ``_support`` (argument handling
and the one call helper), ``_callables`` (callback arguments), ``_order`` (the order
filters and grey morphology, re-exported by ``filters`` and ``morphology``), ``_vectorized``
(``vectorized_filter``).

Loading the library
-------------------
From ``$NDIMAGE_LIBRARY``, else a library bundled in the package directory, else
``<repo>/target/release``, then ``<repo>/target/debug`` (a source checkout), else
``ctypes.util.find_library('ndimage')``. It is loaded with :class:`ctypes.PyDLL`, so the GIL
stays held during a call (as in scipy): C callbacks may use the Python C API, and a Python
exception that a C callback leaves pending is raised when the call returns.

Threads
-------
``workers=`` as in ``scipy.fft``: None (default) uses the process-wide default (all cores,
changed with ``set_workers``), a positive count that many threads, a negative one counts
back from ``os.cpu_count()``. Results are identical for every count. A callback runs on
several threads only if it is compiled and ``thread_safe=True`` is passed.

Differences from scipy common to every function (deliberate)
------------------------------------------------------------
* An output whose elements overlap in memory through zero strides is computed into a
  temporary and copied back (numpy assignment order); other self-overlapping outputs are
  rejected with ``RuntimeError``.
"""

from . import _callables, _capi, _support
from . import _vectorized
from . import filters, fourier, interpolation, measurements, morphology
from . import _linear
from ._capi import LibraryError, library_path
from ._support import get_workers, set_workers
from .filters import *  # noqa: F401,F403
from .fourier import *  # noqa: F401,F403
from .interpolation import *  # noqa: F401,F403
from .measurements import *  # noqa: F401,F403
from .morphology import *  # noqa: F401,F403

__version__ = _capi.ndi_version_string().decode("ascii")

__all__ = (filters.__all__ + fourier.__all__ + interpolation.__all__ + measurements.__all__
           + morphology.__all__
           + ["set_workers", "get_workers", "__version__", "LibraryError", "library_path"])

# help(libndimage) is the whole reference: the overview above, then each module's part.
if __doc__ is not None:  # (python -OO drops docstrings)
    __doc__ = "\n".join([__doc__, _callables.__doc__, filters.__doc__, interpolation.__doc__,
                         _linear.__doc__, morphology.__doc__, fourier.__doc__,
                         _vectorized.__doc__, measurements.__doc__])
