#!/usr/bin/env python3
"""libndimage against scipy.ndimage, side by side in one process on the same inputs.

Run it through ``bash scripts/bench.sh [options]``, which builds the release library and
the shared C callbacks (benches/callbacks.c) and sets the environment.

For every workload the script

1. builds the inputs once (deterministic, seeded);
2. calls scipy.ndimage, libndimage with 1 thread and libndimage with all cores once each and
   checks that the three results are the same (``np.array_equal``; for float32 outputs
   ``np.allclose(rtol=1e-6, atol=0)`` is accepted and noted). A workload whose results
   differ is reported as DIFFERENT, without timings, and the script exits with status 1;
3. times the three calls alternately (scipy, ours 1 thread, ours all cores, scipy, ...) and
   reports medians; then times the all-cores call back to back (``ours all b2b``: no idle
   core before it). Every timed call allocates its output with ``np.zeros`` (scipy does it
   inside its functions; libndimage's is allocated in the timed region too). The CPU time
   other processes used meanwhile is reported (``other CPU``, in cores);
4. measures the peak extra memory of one call in a fresh child process per (library,
   threads, workload): the resident-set high-water mark (VmHWM, reset by writing "5" to
   /proc/self/clear_refs, falling back to ru_maxrss) after the inputs are allocated and both
   libraries are warmed up on a tiny input, against the mark after one call. The output
   array is part of the extra memory. The children run with ``MALLOC_MMAP_THRESHOLD_`` fixed
   so that large temporaries are always fresh mappings (glibc's adaptive threshold would
   otherwise let a call reuse pages freed while the inputs were built, hiding its memory).

libndimage is called through the C API (``ndi_*``) with the ctypes classes and the loaded
library of the Python binding (python/libndimage), with ``ndi_options.threads`` = 1 or
``NDI_THREADS_ALL`` (and ``NDI_FLAG_THREAD_SAFE_CALLBACK`` for the callback functions).
The callbacks are the same C functions for both libraries: scipy gets them as
``scipy.LowLevelCallable`` built from the ctypes function pointers.

Options: ``--quick`` (small sizes, 3 repeats), ``--only SUBSTRING`` (workloads whose name
contains it; repeatable), ``--json FILE``, ``--repeats N`` (override), ``--no-memory``,
``--wait-quiet SECONDS`` (on a shared machine: wait for other processes to go quiet before
timing, and time a disturbed workload again), ``--list``.
"""

import argparse
import ctypes
import datetime
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# --------------------------------------------------------------------------------------
# Environment: must be set before numpy (and OpenBLAS) load.
# --------------------------------------------------------------------------------------

REQUIRED_ENV = {"NUMPY_MADVISE_HUGEPAGE": "0", "OPENBLAS_NUM_THREADS": "1"}
ENV_WARNINGS = []
for _name, _value in REQUIRED_ENV.items():
    if os.environ.get(_name) != _value:
        ENV_WARNINGS.append(
            f"warning: {_name} was {os.environ.get(_name)!r}, not {_value!r}; set it to "
            f"{_value} for this run (use scripts/bench.sh, which sets it before python starts)"
        )
        os.environ[_name] = _value
if "numpy" in sys.modules:  # pragma: no cover - only when imported from elsewhere
    ENV_WARNINGS.append("warning: numpy was imported before compare.py set the environment")

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.ndimage  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "python"))
import libndimage  # noqa: E402
from libndimage import _capi as B  # noqa: E402  (library loading and the generated C API)
from libndimage import _support  # noqa: E402

# --------------------------------------------------------------------------------------
# libndimage through the C API
# --------------------------------------------------------------------------------------

INTPTR = ctypes.c_ssize_t
INTPTR_P = ctypes.POINTER(INTPTR)
DOUBLE_P = ctypes.POINTER(ctypes.c_double)
DTYPE_CODES = {np.dtype(np.float64): B.NDI_DTYPE_FLOAT64,
               np.dtype(np.float32): B.NDI_DTYPE_FLOAT32}
DTYPE_CODES.update({np.dtype(np.bool_): B.NDI_DTYPE_BOOL, np.dtype(np.uint8): B.NDI_DTYPE_UINT8,
                    np.dtype(np.int32): B.NDI_DTYPE_INT32})
MODES = {"reflect": B.NDI_MODE_REFLECT, "constant": B.NDI_MODE_CONSTANT,
         "nearest": B.NDI_MODE_NEAREST}


def _c_function(name):
    """The binding's declared ``ndi_*`` function (argtypes set from include/ndimage.h)."""
    fn = getattr(B, name, None)
    if fn is None:
        raise SystemExit(f"compare.py: the library at {B.library_path} has no {name}")
    return fn


def describe(array):
    """An ``ndi_array`` for ``array`` and the ctypes objects that must stay alive with it."""
    return _support.describe(array, DTYPE_CODES[array.dtype])


def options(threads, callback):
    """``ndi_options`` for 1 thread (``threads=1``) or all cores (``threads="all"``)."""
    opt = B.ndi_options()
    B.ndi_options_init(ctypes.byref(opt), ctypes.sizeof(opt))
    opt.threads = B.NDI_THREADS_ALL if threads == "all" else int(threads)
    if callback:
        opt.flags |= B.NDI_FLAG_THREAD_SAFE_CALLBACK
    return opt


def check(status):
    if status != B.NDI_OK:
        message = B.ndi_last_error_message().decode("utf-8", "replace")
        raise RuntimeError(f"libndimage failed with status {status}: {message}")


# --------------------------------------------------------------------------------------
# The shared C callbacks
# --------------------------------------------------------------------------------------

SIG_FILTER = "int (double *, intptr_t, double *, void *)"
SIG_FILTER1D = "int (double *, intptr_t, double *, intptr_t, void *)"
SIG_TRANSFORM = "int (intptr_t *, double *, int, int, void *)"


def _load_callbacks():
    path = os.environ.get("BENCH_CALLBACKS") or os.path.join(
        ROOT, "target", "bench", "libbench_callbacks.so")
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        subprocess.run(["gcc", "-std=c99", "-O2", "-shared", "-fPIC", "-o", path,
                        os.path.join(HERE, "callbacks.c")], check=True)
    return path, ctypes.CDLL(path)


CALLBACKS_PATH, CALLBACKS = _load_callbacks()


class Callback:
    """One C callback: ``scipy`` is the LowLevelCallable, ``ours`` the (pointer, user_data)
    pair for the C API. ``user_data`` is a ctypes object kept alive here."""

    def __init__(self, name, signature, c_type, user_data=None):
        fn = getattr(CALLBACKS, name)
        self.address = ctypes.cast(fn, ctypes.c_void_p).value
        self.user_data = user_data
        ud = None if user_data is None else ctypes.c_void_p(ctypes.addressof(user_data))
        self.scipy = scipy.LowLevelCallable(fn, ud, signature)
        self.c_function = c_type(self.address)
        self.c_user_data = ud


def mean_callback():
    return Callback("bench_mean", SIG_FILTER, B.ndi_filter_func)


def max_callback():
    return Callback("bench_max", SIG_FILTER, B.ndi_filter_func)


def moving_average_callback():
    return Callback("bench_moving_average", SIG_FILTER1D, B.ndi_filter1d_func)


def shift_callback(shift):
    return Callback("bench_shift_mapping", SIG_TRANSFORM, B.ndi_transform_func,
                    ctypes.c_double(shift))


def rotate_callback(shape, degrees):
    a = np.deg2rad(degrees)
    params = (ctypes.c_double * 4)(np.cos(a), np.sin(a), (shape[1] - 1) / 2.0,
                                   (shape[2] - 1) / 2.0)
    return Callback("bench_rotate_mapping", SIG_TRANSFORM, B.ndi_transform_func, params)


# --------------------------------------------------------------------------------------
# Workloads
# --------------------------------------------------------------------------------------

def image(shape, dtype, seed):
    """A deterministic test image: a smooth pattern plus uniform noise, in [0, 2)."""
    rng = np.random.default_rng(seed)
    out = rng.random(shape, dtype=np.float64)
    grids = np.ogrid[tuple(slice(0, n) for n in shape)]
    for k, g in enumerate(grids):
        out += 0.5 + 0.5 * np.sin(g * (0.05 + 0.01 * k))
    out *= 2.0 / 3.0
    return np.ascontiguousarray(out, dtype=dtype)


class Workload:
    """``setup(size)`` returns a dict of inputs; ``scipy(d)`` and ``ours(d, threads)`` return
    new output arrays; ``size`` is "full", "quick" or "tiny" (memory warm-up).

    Optional: ``peer(d)``, the same computation by another library on one thread (named
    ``peer_name``), timed beside the others; ``as_array(result)`` turns a result that is not
    an array (scipy's lists of slices or tuples) into one for the comparison, outside the
    timed calls."""

    def __init__(self, name, title, setup, scipy_call, ours_call, peer=None, peer_name=None,
                 as_array=None):
        self.name = name
        self.title = title
        self.setup = setup
        self.scipy = scipy_call
        self.ours = ours_call
        self.peer = peer
        self.peer_name = peer_name
        self.as_array = as_array or (lambda result: result)



def _side(size, full, quick, tiny=8):
    return {"full": full, "quick": quick, "tiny": tiny}[size]


LAYOUTS = {
    "": lambda x: x,
    ", transposed input": lambda x: x.T,              # Fortran order: strided lines
    ", negative strides": lambda x: x[::-1, ::-1],     # data pointer at the last element
}


def w_generic_filter_mean(layout=""):
    def setup(size):
        n = _side(size, 1024, 256)
        return {"x": LAYOUTS[layout](image((n, n), np.float64, 1)), "cb": mean_callback()}

    def sp(d):
        return scipy.ndimage.generic_filter(d["x"], d["cb"].scipy, size=3, mode="reflect")

    def ours(d, threads):
        x, cb = d["x"], d["cb"]
        out = np.zeros(x.shape, x.dtype)
        i, ik = describe(x)
        o, ok = describe(out)
        size = (INTPTR * 2)(3, 3)
        opt = options(threads, True)
        check(_c_function("ndi_generic_filter")(
            ctypes.byref(i), ctypes.byref(o), None, ctypes.cast(size, INTPTR_P), None,
            MODES["reflect"], 0.0, cb.c_function, cb.c_user_data, ctypes.byref(opt)))
        return out

    return Workload("generic_filter mean 3x3 f64 1024^2 reflect" + layout,
                    "generic_filter, float64 {n}, 3x3, mean callback, reflect" + layout,
                    setup, sp, ours)


def w_generic_filter_max3d():
    def setup(size):
        n = _side(size, 128, 32, 6)
        return {"x": image((n, n, n), np.float32, 2), "cb": max_callback()}

    def sp(d):
        return scipy.ndimage.generic_filter(d["x"], d["cb"].scipy, size=3, mode="nearest")

    def ours(d, threads):
        x, cb = d["x"], d["cb"]
        out = np.zeros(x.shape, x.dtype)
        i, ik = describe(x)
        o, ok = describe(out)
        size = (INTPTR * 3)(3, 3, 3)
        opt = options(threads, True)
        check(_c_function("ndi_generic_filter")(
            ctypes.byref(i), ctypes.byref(o), None, ctypes.cast(size, INTPTR_P), None,
            MODES["nearest"], 0.0, cb.c_function, cb.c_user_data, ctypes.byref(opt)))
        return out

    return Workload("generic_filter max 3x3x3 f32 128^3 nearest",
                    "generic_filter, float32 {n}, 3x3x3, max callback, nearest",
                    setup, sp, ours)


def w_generic_filter1d(axis):
    def setup(size):
        n = _side(size, 2048, 512)
        return {"x": image((n, n), np.float64, 3), "cb": moving_average_callback()}

    def sp(d):
        return scipy.ndimage.generic_filter1d(d["x"], d["cb"].scipy, 7, axis=axis,
                                              mode="reflect")

    def ours(d, threads):
        x, cb = d["x"], d["cb"]
        out = np.zeros(x.shape, x.dtype)
        i, ik = describe(x)
        o, ok = describe(out)
        opt = options(threads, True)
        check(_c_function("ndi_generic_filter1d")(
            ctypes.byref(i), ctypes.byref(o), 7, axis, 0, MODES["reflect"], 0.0,
            cb.c_function, cb.c_user_data, ctypes.byref(opt)))
        return out

    where = "last" if axis == -1 else "first"
    return Workload(f"generic_filter1d avg7 f64 2048^2 axis {where}",
                    f"generic_filter1d, float64 {{n}}, size 7 moving average, {where} axis",
                    setup, sp, ours)


def w_geometric_shift(order):
    def setup(size):
        n = _side(size, 1024, 256)
        return {"x": image((n, n), np.float64, 4), "cb": shift_callback(0.5)}

    def sp(d):
        return scipy.ndimage.geometric_transform(d["x"], d["cb"].scipy, order=order,
                                                 mode="constant")

    def ours(d, threads):
        x, cb = d["x"], d["cb"]
        out = np.zeros(x.shape, x.dtype)
        i, ik = describe(x)
        o, ok = describe(out)
        opt = options(threads, True)
        check(_c_function("ndi_geometric_transform")(
            ctypes.byref(i), ctypes.byref(o), order, MODES["constant"], 0.0, 1,
            cb.c_function, cb.c_user_data, ctypes.byref(opt)))
        return out

    return Workload(f"geometric_transform shift0.5 order {order} f64 1024^2",
                    f"geometric_transform, float64 {{n}}, shift-by-0.5 callback, order "
                    f"{order}, constant", setup, sp, ours)


def w_geometric_rotate3d():
    def setup(size):
        n = _side(size, 128, 32, 6)
        return {"x": image((n, n, n), np.float32, 5), "cb": rotate_callback((n, n, n), 7.0)}

    def sp(d):
        return scipy.ndimage.geometric_transform(d["x"], d["cb"].scipy, order=1,
                                                 mode="nearest")

    def ours(d, threads):
        x, cb = d["x"], d["cb"]
        out = np.zeros(x.shape, x.dtype)
        i, ik = describe(x)
        o, ok = describe(out)
        opt = options(threads, True)
        check(_c_function("ndi_geometric_transform")(
            ctypes.byref(i), ctypes.byref(o), 1, MODES["nearest"], 0.0, 1,
            cb.c_function, cb.c_user_data, ctypes.byref(opt)))
        return out

    return Workload("geometric_transform rotate7deg order 1 f32 128^3",
                    "geometric_transform, float32 {n}, order 1, rotation by 7 degrees about "
                    "axis 0 around the centre, nearest", setup, sp, ours)


def w_map_coordinates():
    def setup(size):
        n = _side(size, 1024, 256)
        yy, xx = np.meshgrid(np.arange(n, dtype=np.float64), np.arange(n, dtype=np.float64),
                             indexing="ij")
        coords = np.empty((2, n, n))
        # A smooth warp of the grid: displacements of up to ~3 pixels.
        coords[0] = yy + 2.5 * np.sin(2 * np.pi * xx / 173.0) + 0.75 * np.cos(yy / 37.0)
        coords[1] = xx + 2.0 * np.cos(2 * np.pi * yy / 211.0) - 0.5 * np.sin(xx / 29.0)
        return {"x": image((n, n), np.float64, 6), "c": coords}

    def sp(d):
        return scipy.ndimage.map_coordinates(d["x"], d["c"], order=3, mode="constant")

    def ours(d, threads):
        x, c = d["x"], d["c"]
        out = np.zeros(c.shape[1:], x.dtype)
        i, ik = describe(x)
        cd, ck = describe(c)
        o, ok = describe(out)
        opt = options(threads, False)
        check(_c_function("ndi_map_coordinates")(
            ctypes.byref(i), ctypes.byref(cd), ctypes.byref(o), 3, MODES["constant"], 0.0, 1,
            ctypes.byref(opt)))
        return out

    return Workload("map_coordinates order 3 f64 1024^2",
                    "map_coordinates, float64 {n}, order 3, smooth warp of the grid, constant",
                    setup, sp, ours)


def w_affine():
    def setup(size):
        n = _side(size, 1024, 256)
        a = np.deg2rad(5.0)
        m = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
        centre = np.array([(n - 1) / 2.0, (n - 1) / 2.0])
        offset = centre - m @ centre
        return {"x": image((n, n), np.float64, 7), "m": m, "off": offset}

    def sp(d):
        return scipy.ndimage.affine_transform(d["x"], d["m"], offset=d["off"], order=1,
                                              mode="constant")

    def ours(d, threads):
        x, m, off = d["x"], d["m"], d["off"]
        out = np.zeros(x.shape, x.dtype)
        i, ik = describe(x)
        o, ok = describe(out)
        mshape = (INTPTR * 2)(*m.shape)
        opt = options(threads, False)
        check(_c_function("ndi_affine_transform")(
            ctypes.byref(i), ctypes.byref(o), m.ctypes.data_as(DOUBLE_P),
            ctypes.cast(mshape, INTPTR_P), 2, off.ctypes.data_as(DOUBLE_P), 1,
            MODES["constant"], 0.0, 1, ctypes.byref(opt)))
        return out

    return Workload("affine_transform rotate5deg order 1 f64 1024^2",
                    "affine_transform, float64 {n}, order 1, rotation by 5 degrees around "
                    "the centre, constant", setup, sp, ours)


def w_zoom():
    def setup(size):
        n = _side(size, 512, 128)
        return {"x": image((n, n), np.float64, 8)}

    def sp(d):
        return scipy.ndimage.zoom(d["x"], 2, order=3, mode="constant")

    def ours(d, threads):
        x = d["x"]
        out = np.zeros((2 * x.shape[0], 2 * x.shape[1]), x.dtype)
        i, ik = describe(x)
        o, ok = describe(out)
        opt = options(threads, False)
        check(_c_function("ndi_zoom")(
            ctypes.byref(i), ctypes.byref(o), 0, 3, MODES["constant"], 0.0, 1,
            ctypes.byref(opt)))
        return out

    return Workload("zoom x2 order 3 f64 512^2->1024^2",
                    "zoom x2, float64 {n} -> {out}, order 3, constant", setup, sp, ours)


def w_shift(layout=""):
    shift = (0.5, -1.25)

    def setup(size):
        n = _side(size, 1024, 256)
        return {"x": LAYOUTS[layout](image((n, n), np.float64, 9)),
                "s": np.array(shift, dtype=np.float64)}

    def sp(d):
        return scipy.ndimage.shift(d["x"], shift, order=3, mode="constant")

    def ours(d, threads):
        x, s = d["x"], d["s"]
        out = np.zeros(x.shape, x.dtype)
        i, ik = describe(x)
        o, ok = describe(out)
        opt = options(threads, False)
        check(_c_function("ndi_shift")(
            ctypes.byref(i), ctypes.byref(o), s.ctypes.data_as(DOUBLE_P), 3,
            MODES["constant"], 0.0, 1, ctypes.byref(opt)))
        return out

    return Workload("shift (0.5,-1.25) order 3 f64 1024^2" + layout,
                    "shift by (0.5, -1.25), float64 {n}, order 3, constant" + layout,
                    setup, sp, ours)


try:
    import cv2  # noqa: E402  (the peer library of the filter and morphology rows)
    cv2.setNumThreads(1)
except ImportError:  # pragma: no cover - the peer is optional
    cv2 = None


def _order_call(name, x, out, threads, size, mode, extra=()):
    """ndi_<name>(input, output, *extra, footprint NULL, size, axes NULL, origins NULL,
    one mode, cval 0) with 1 thread or all cores; `grey` functions take a NULL structure."""
    i, ik = describe(x)
    o, ok = describe(out)
    sizes = (INTPTR * len(size))(*size)
    mode_c = (ctypes.c_int32 * 1)(MODES[mode])
    opt = options(threads, False)
    structure = (None,) if name.startswith("grey") else ()
    check(_c_function("ndi_" + name)(
        ctypes.byref(i), ctypes.byref(o), *extra, None, *structure,
        ctypes.cast(sizes, INTPTR_P), None, 0, None, mode_c, 1, 0.0, ctypes.byref(opt)))
    return out


def w_order(name, title, dtype, size, mode, scipy_call, peer=None, extra=()):
    """An order-filter or grey-morphology row: `size` box on a 1024x1024 `dtype` image."""
    def setup(sz):
        n = _side(sz, 1024, 256)
        x = image((n, n), np.float64, 11)
        if np.dtype(dtype) == np.uint8:
            x = np.round(x * 127.0)
        return {"x": np.ascontiguousarray(x, dtype=dtype)}

    def ours(d, threads):
        out = np.zeros(d["x"].shape, d["x"].dtype)
        return _order_call(name, d["x"], out, threads, size, mode, extra)

    shown = "x".join(str(s) for s in size)
    return Workload(f"{title} {shown} {np.dtype(dtype).name} 1024^2 {mode}",
                    f"{title}, {np.dtype(dtype).name} {{n}}, {shown}, {mode}", setup,
                    lambda d: scipy_call(d["x"]), ours,
                    None if (peer is None or cv2 is None) else peer[1],
                    None if (peer is None or cv2 is None) else peer[0])


def order_workloads():
    nd = scipy.ndimage
    k3, k5 = np.ones((3, 3), np.uint8), np.ones((5, 5), np.uint8)
    if cv2 is not None:
        reflect = cv2.BORDER_REFLECT  # scipy's reflect: d c b a | a b c d | d c b a
    return [
        w_order("maximum_filter", "maximum_filter", np.float64, (3, 3), "reflect",
                lambda x: nd.maximum_filter(x, 3),
                cv2 and ("cv2.dilate", lambda d: cv2.dilate(d["x"], k3, borderType=reflect))),
        w_order("median_filter", "median_filter", np.float32, (3, 3), "nearest",
                lambda x: nd.median_filter(x, 3, mode="nearest"),
                cv2 and ("cv2.medianBlur", lambda d: cv2.medianBlur(d["x"], 3))),
        w_order("median_filter", "median_filter", np.uint8, (5, 5), "nearest",
                lambda x: nd.median_filter(x, 5, mode="nearest"),
                cv2 and ("cv2.medianBlur", lambda d: cv2.medianBlur(d["x"], 5))),
        w_order("percentile_filter", "percentile_filter 20%", np.float32, (5, 5), "reflect",
                lambda x: nd.percentile_filter(x, 20, 5), extra=(ctypes.c_double(20.0),)),
        w_order("grey_erosion", "grey_erosion", np.uint8, (5, 5), "reflect",
                lambda x: nd.grey_erosion(x, 5),
                cv2 and ("cv2.erode", lambda d: cv2.erode(d["x"], k5, borderType=reflect))),
        w_order("grey_opening", "grey_opening", np.float64, (5, 5), "reflect",
                lambda x: nd.grey_opening(x, 5),
                cv2 and ("cv2.morphologyEx OPEN", lambda d: cv2.morphologyEx(
                    d["x"], cv2.MORPH_OPEN, k5, borderType=reflect))),
    ]


# ---- vectorized_filter and the Fourier filters (issue 10) ----------------------------------

DTYPE_CODES[np.dtype(np.complex128)] = B.NDI_DTYPE_COMPLEX128
SIG_VECTORIZED = "int (double *, intptr_t, intptr_t, double *, void *)"


def w_vectorized_mean():
    """The generic_filter mean row's arithmetic, batched: scipy's vectorized_filter with a
    numpy function summing the 9 window values in footprint order, against libndimage's
    batched C callback (one call per output line of 1024 windows)."""
    def mean9(view, axis):
        flat = view.reshape(view.shape[:-2] + (9,))
        total = np.zeros(flat.shape[:-1])
        for k in range(9):
            total = total + flat[..., k]
        return total / 9.0

    def setup(size):
        n = _side(size, 1024, 256)
        fn = CALLBACKS.bench_batch_mean
        return {"x": image((n, n), np.float64, 1),
                "cb": B.ndi_vectorized_func(ctypes.cast(fn, ctypes.c_void_p).value)}

    def sp(d):
        return scipy.ndimage.vectorized_filter(d["x"], mean9, size=3, mode="reflect")

    def ours(d, threads):
        x = d["x"]
        out = np.zeros(x.shape, x.dtype)
        i, ik = describe(x)
        o, ok = describe(out)
        size = (INTPTR * 2)(3, 3)
        opt = options(threads, True)
        check(_c_function("ndi_vectorized_filter")(
            ctypes.byref(i), ctypes.byref(o), None, ctypes.cast(size, INTPTR_P), None,
            MODES["reflect"], 0.0, B.NDI_BATCH_MEMORY_DEFAULT, d["cb"], None,
            ctypes.byref(opt)))
        return out

    return Workload("vectorized_filter mean 3x3 f64 1024^2 reflect",
                    "vectorized_filter, float64 {n}, 3x3, mean (scipy: numpy function; ours: "
                    "batched C callback), reflect", setup, sp, ours)


def w_fourier(kind, param, half=False, rank=2):
    """A Fourier filter on the FFT of a test image (half: rfftn's half spectrum, n and axis
    -1)."""
    def setup(size):
        n = _side(size, 1024 if rank == 2 else 128, 256 if rank == 2 else 32, 6)
        x = image((n,) * rank, np.float64, 10)
        spectrum = np.fft.rfftn(x) if half else np.fft.fftn(x)
        return {"x": spectrum, "n": n if half else -1,
                "p": np.full(rank, param, dtype=np.float64)}

    def sp(d):
        return getattr(scipy.ndimage, f"fourier_{kind}")(d["x"], param, n=d["n"], axis=-1)

    def ours(d, threads):
        x = d["x"]
        out = np.zeros(x.shape, np.complex128)
        i, ik = describe(x)
        o, ok = describe(out)
        opt = options(threads, False)
        check(_c_function(f"ndi_fourier_{kind}")(
            ctypes.byref(i), ctypes.byref(o), d["p"].ctypes.data_as(DOUBLE_P), d["n"], -1,
            ctypes.byref(opt)))
        return out

    shape = "1024^2" if rank == 2 else "128^3"
    spectrum = "rfft half spectrum" if half else "fft"
    return Workload(f"fourier_{kind} {param:g} c128 {shape} {spectrum}",
                    f"fourier_{kind}, complex128 {{n}} ({spectrum}), {param:g}", setup, sp,
                    ours)


# --------------------------------------------------------------------------------------
# Binary morphology and distance transforms (peers: OpenCV and edt on one thread)
# --------------------------------------------------------------------------------------

def blob_mask(n, seed, rank=2):
    """A deterministic blob mask: smoothed noise thresholded at its median (blobs with holes
    and bays)."""
    rng = np.random.default_rng(seed)
    field = scipy.ndimage.uniform_filter(rng.random((n,) * rank), 9 if rank == 2 else 5)
    field = scipy.ndimage.uniform_filter(field, 9 if rank == 2 else 5)
    return field > np.median(field)


def _binary_c(name, x, structure, iterations, threads, border=0):
    out = np.zeros(x.shape, bool)
    i, ik = describe(x)
    o, ok = describe(out)
    s, sk = (None, None) if structure is None else describe(structure)
    opt = options(threads, False)
    check(_c_function(name)(ctypes.byref(i), ctypes.byref(o),
                            None if s is None else ctypes.byref(s), None, iterations, border,
                            None, ctypes.byref(opt)))
    return out


def w_binary(kind, iterations):
    def setup(size):
        n = _side(size, 1024, 256)
        x = blob_mask(n, 21)
        return {"x": x, "u8": x.astype(np.uint8), "s": np.ones((3, 3), bool),
                "k": np.ones((3, 3), np.uint8)}

    def sp(d):
        return getattr(scipy.ndimage, f"binary_{kind}")(d["x"], d["s"], iterations)

    def ours(d, threads):
        return _binary_c(f"ndi_binary_{kind}", d["x"], d["s"], iterations, threads)

    def peer(d):
        op = cv2.erode if kind == "erosion" else cv2.dilate
        return op(d["u8"], d["k"], iterations=iterations, borderType=cv2.BORDER_CONSTANT,
                  borderValue=0)

    it = "" if iterations == 1 else f" iterations={iterations}"
    return Workload(f"binary_{kind} 3x3{it} bool 1024^2",
                    f"binary_{kind}, bool {{n}} blob mask, 3x3 box{it}", setup, sp, ours,
                    _peer(peer), "cv2." + ("erode" if kind == "erosion" else "dilate") + " uint8")


def w_fill_holes():
    def setup(size):
        n = _side(size, 1024, 256)
        return {"x": blob_mask(n, 22)}

    def sp(d):
        return scipy.ndimage.binary_fill_holes(d["x"])

    def ours(d, threads):
        x = d["x"]
        out = np.zeros(x.shape, bool)
        i, ik = describe(x)
        o, ok = describe(out)
        opt = options(threads, False)
        check(_c_function("ndi_binary_fill_holes")(ctypes.byref(i), ctypes.byref(o), None, None,
                                                   ctypes.byref(opt)))
        return out

    return Workload("binary_fill_holes bool 1024^2", "binary_fill_holes, bool {n} blob mask, "
                    "default structure", setup, sp, ours)


def _edt_c(x, threads, indices=False):
    dist = np.zeros(x.shape, np.float64)
    i, ik = describe(x)
    o, ok = describe(dist)
    ind = np.zeros((x.ndim,) + x.shape, np.int32) if indices else None
    f, fk = (None, None) if ind is None else describe(ind)
    opt = options(threads, False)
    check(_c_function("ndi_distance_transform_edt")(
        ctypes.byref(i), None, ctypes.byref(o), None if f is None else ctypes.byref(f),
        ctypes.byref(opt)))
    return dist if ind is None else ind


def w_edt(rank, indices=False):
    def setup(size):
        n = _side(size, 1024 if rank == 2 else 128, 256 if rank == 2 else 48)
        return {"x": blob_mask(n, 23, rank)}

    def sp(d):
        if indices:
            # Both are computed; the indices are compared (the distances follow from them).
            return scipy.ndimage.distance_transform_edt(d["x"], return_indices=True)[1]
        return scipy.ndimage.distance_transform_edt(d["x"])

    def ours(d, threads):
        return _edt_c(d["x"], threads, indices)

    def peer(d):
        import edt
        return edt.edt(d["x"], parallel=1)

    size = "1024^2" if rank == 2 else "128^3"
    extra = " with indices" if indices else ""
    return Workload(f"distance_transform_edt bool {size}{extra}",
                    f"distance_transform_edt, bool {{n}} blob mask, distances{extra}",
                    setup, sp, ours, None if indices else peer, "edt.edt parallel=1")


def w_cdt():
    def setup(size):
        n = _side(size, 1024, 256)
        x = blob_mask(n, 24)
        return {"x": x, "u8": x.astype(np.uint8),
                "m": scipy.ndimage.generate_binary_structure(2, 1)}

    def sp(d):
        return scipy.ndimage.distance_transform_cdt(d["x"], "taxicab")

    def ours(d, threads):
        x = d["x"]
        out = np.zeros(x.shape, np.int32)
        i, ik = describe(x)
        m, mk = describe(d["m"])
        o, ok = describe(out)
        opt = options(threads, False)
        check(_c_function("ndi_distance_transform_cdt")(
            ctypes.byref(i), ctypes.byref(m), ctypes.byref(o), None, ctypes.byref(opt)))
        return out

    def peer(d):
        return cv2.distanceTransform(d["u8"], cv2.DIST_L1, 3)

    return Workload("distance_transform_cdt taxicab bool 1024^2",
                    "distance_transform_cdt, bool {n} blob mask, taxicab", setup, sp, ours,
                    _peer(peer), "cv2.distanceTransform DIST_L1")


WORKLOADS = [
    w_generic_filter_mean(),
    w_vectorized_mean(),
    w_generic_filter_max3d(),
    w_generic_filter1d(-1),
    w_generic_filter1d(0),
    w_geometric_shift(0),
    w_geometric_shift(1),
    w_geometric_shift(3),
    w_geometric_rotate3d(),
    w_map_coordinates(),
    w_affine(),
    w_zoom(),
    w_shift(),
    # The same work on other layouts: the speed class must not change.
    w_generic_filter_mean(", transposed input"),
    w_generic_filter_mean(", negative strides"),
    w_shift(", transposed input"),
    w_shift(", negative strides"),
] + order_workloads()

# --------------------------------------------------------------------------------------
# The linear filters, beside OpenCV on one thread
# --------------------------------------------------------------------------------------

CV2_BORDER = {"reflect": "BORDER_REFLECT", "mirror": "BORDER_REFLECT_101",
              "nearest": "BORDER_REPLICATE", "constant": "BORDER_CONSTANT"}


def _cv2_border(mode):
    return getattr(cv2, CV2_BORDER[mode])


def _peer(function):
    """The OpenCV call, or None when OpenCV is not installed."""
    return function if cv2 is not None else None


def w_uniform(size_2d, n_side, axis=None, dtype=np.float64):
    """uniform_filter with a square window, or uniform_filter1d along `axis`."""
    one_d = axis is not None

    def setup(size):
        n = _side(size, n_side, n_side // 4)
        return {"x": image((n, n), dtype, 11)}

    def sp(d):
        if one_d:
            return scipy.ndimage.uniform_filter1d(d["x"], size_2d, axis=axis, mode="reflect")
        return scipy.ndimage.uniform_filter(d["x"], size_2d, mode="reflect")

    def ours(d, threads):
        x = d["x"]
        out = np.zeros(x.shape, x.dtype)
        i, ik = describe(x)
        o, ok = describe(out)
        opt = options(threads, False)
        if one_d:
            check(_c_function("ndi_uniform_filter1d")(
                ctypes.byref(i), ctypes.byref(o), size_2d, axis, 0, MODES["reflect"], 0.0,
                ctypes.byref(opt)))
        else:
            sizes = (INTPTR * 2)(size_2d, size_2d)
            check(_c_function("ndi_uniform_filter")(
                ctypes.byref(i), ctypes.byref(o), ctypes.cast(sizes, INTPTR_P), None, None, 0,
                MODES["reflect"], None, 0.0, ctypes.byref(opt)))
        return out

    def peer(d):
        ksize = ((1, size_2d) if axis == 0 else (size_2d, 1)) if one_d else (size_2d, size_2d)
        return cv2.blur(d["x"], ksize, borderType=_cv2_border("reflect"))

    kind = np.dtype(dtype).name.replace("float", "f")
    if one_d:
        name = f"uniform_filter1d size {size_2d} axis {axis} {kind} {n_side}^2"
        title = f"uniform_filter1d, {np.dtype(dtype).name} {{n}}, size {size_2d}, axis {axis}, reflect"
    else:
        name = f"uniform_filter {size_2d}x{size_2d} {kind} {n_side}^2"
        title = f"uniform_filter, {np.dtype(dtype).name} {{n}}, {size_2d}x{size_2d}, reflect"
    return Workload(name, title, setup, sp, ours, _peer(peer), "cv2.blur")


def _scipy_kernels(sigma, ndim):
    """scipy's kernels for every axis, built with NumPy by the binding's kernel table (so
    that the results are scipy's on this machine) and its ndi_kernel1d_func callback."""
    from libndimage import _linear

    kernels = _linear._Kernels()
    radius = int(4.0 * sigma + 0.5)
    for axis in range(ndim):
        kernels.add(axis, sigma, 0, radius)
    return kernels


def w_gaussian(sigma, n_side, dtype):
    def setup(size):
        n = _side(size, n_side, n_side // 4)
        return {"x": image((n, n), dtype, 12), "k": _scipy_kernels(sigma, 2)}

    def sp(d):
        return scipy.ndimage.gaussian_filter(d["x"], sigma, mode="reflect")

    def ours(d, threads):
        x = d["x"]
        out = np.zeros(x.shape, x.dtype)
        i, ik = describe(x)
        o, ok = describe(out)
        sigmas = (ctypes.c_double * 2)(sigma, sigma)
        opt = options(threads, False)
        check(_c_function("ndi_gaussian_filter")(
            ctypes.byref(i), ctypes.byref(o), sigmas, None, None, None, 0, MODES["reflect"],
            None, 0.0, 4.0, d["k"].callback, None, ctypes.byref(opt)))
        return out

    def peer(d):
        k = 2 * int(4.0 * sigma + 0.5) + 1
        return cv2.GaussianBlur(d["x"], (k, k), sigma, sigma,
                                borderType=_cv2_border("reflect"))

    kind = np.dtype(dtype).name.replace("float", "f")
    return Workload(f"gaussian_filter sigma {sigma:g} {kind} {n_side}^2",
                    f"gaussian_filter, {np.dtype(dtype).name} {{n}}, sigma {sigma:g} "
                    "(truncate 4), reflect", setup, sp, ours, _peer(peer), "cv2.GaussianBlur")


def w_correlate(k_side, n_side):
    def setup(size):
        n = _side(size, n_side, n_side // 4)
        rng = np.random.default_rng(13)
        return {"x": image((n, n), np.float64, 13), "w": rng.random((k_side, k_side)) - 0.3}

    def sp(d):
        return scipy.ndimage.correlate(d["x"], d["w"], mode="reflect")

    def ours(d, threads):
        x, w = d["x"], d["w"]
        out = np.zeros(x.shape, x.dtype)
        i, ik = describe(x)
        o, ok = describe(out)
        wd, wk = describe(w)
        opt = options(threads, False)
        check(_c_function("ndi_correlate")(
            ctypes.byref(i), ctypes.byref(o), ctypes.byref(wd), None, None, 0,
            MODES["reflect"], 0.0, ctypes.byref(opt)))
        return out

    def peer(d):
        return cv2.filter2D(d["x"], -1, d["w"], borderType=_cv2_border("reflect"))

    return Workload(f"correlate {k_side}x{k_side} f64 {n_side}^2",
                    f"correlate, float64 {{n}}, {k_side}x{k_side} random weights, reflect",
                    setup, sp, ours, _peer(peer), "cv2.filter2D")


def w_sobel(n_side, dtype):
    def setup(size):
        n = _side(size, n_side, n_side // 4)
        return {"x": image((n, n), dtype, 14)}

    def sp(d):
        return scipy.ndimage.sobel(d["x"], axis=1, mode="reflect")

    def ours(d, threads):
        x = d["x"]
        out = np.zeros(x.shape, x.dtype)
        i, ik = describe(x)
        o, ok = describe(out)
        opt = options(threads, False)
        check(_c_function("ndi_sobel")(
            ctypes.byref(i), ctypes.byref(o), 1, MODES["reflect"], None, 0.0,
            ctypes.byref(opt)))
        return out

    def peer(d):
        depth = cv2.CV_64F if np.dtype(dtype) == np.float64 else cv2.CV_32F
        return cv2.Sobel(d["x"], depth, 1, 0, ksize=3, borderType=_cv2_border("reflect"))

    kind = np.dtype(dtype).name.replace("float", "f")
    return Workload(f"sobel axis 1 {kind} {n_side}^2",
                    f"sobel along axis 1, {np.dtype(dtype).name} {{n}}, reflect", setup, sp,
                    ours, _peer(peer), "cv2.Sobel")


def describe_any(array):
    """An ``ndi_array`` for an array of any element type libndimage reads."""
    return _support.describe(array, _support.dtype_code(array.dtype, complex_ok=True))


def blob_mask_2d(n, per_side=19, seed=3):
    """``per_side``² irregular blobs on a regular grid (one component each)."""
    rng = np.random.default_rng(seed)
    cell = n / per_side
    yy, xx = np.mgrid[0:n, 0:n].astype(np.float64)
    i, j = np.minimum(yy // cell, per_side - 1), np.minimum(xx // cell, per_side - 1)
    shift = rng.uniform(-0.08, 0.08, (per_side, per_side, 2)) * cell
    radius = rng.uniform(0.28, 0.36, (per_side, per_side)) * cell
    phase = rng.uniform(0, 2 * np.pi, (per_side, per_side))
    ii, jj = i.astype(int), j.astype(int)
    dy = yy - ((i + 0.5) * cell + shift[ii, jj, 0])
    dx = xx - ((j + 0.5) * cell + shift[ii, jj, 1])
    angle = np.arctan2(dy, dx)
    wobble = 1 + 0.2 * np.sin(5 * angle + phase[ii, jj])
    return np.hypot(dy, dx) < radius[ii, jj] * wobble


def blob_volume(n, seed=5):
    """Blobs in a cube: smoothed noise above its 65% quantile."""
    rng = np.random.default_rng(seed)
    field = scipy.ndimage.gaussian_filter(rng.random((n, n, n)), 2.0)
    return field > np.quantile(field, 0.65)


def label_image_3d(size):
    n = _side(size, 128, 48)
    mask = blob_volume(n)
    labels, count = scipy.ndimage.label(mask, np.ones((3, 3, 3)))
    values = np.random.default_rng(9).random(mask.shape)
    return labels.astype(np.int32), count, values


def _count():
    return np.zeros(1, np.intp)


def w_label_2d(peer):
    def setup(size):
        n = _side(size, 1024, 256, 64)
        return {"x": blob_mask_2d(n, 19 if size != "tiny" else 4)}

    def sp(d):
        return scipy.ndimage.label(d["x"])

    def ours(d, threads):
        x = d["x"]
        out = np.zeros(x.shape, np.int32)
        i, ik = describe_any(x)
        o, ok = describe_any(out)
        count = _count()
        opt = options(threads, False)
        check(_c_function("ndi_label")(ctypes.byref(i), ctypes.byref(o), None,
                                       count.ctypes.data_as(INTPTR_P), ctypes.byref(opt)))
        return out

    if peer == "cc3d":
        import cc3d

        def other(d):
            return cc3d.connected_components(d["x"], connectivity=4)
    else:
        import cv2

        cv2.setNumThreads(1)

        def other(d):
            return cv2.connectedComponents(d["x"].view(np.uint8), connectivity=4,
                                           ltype=cv2.CV_32S)

    def as_array(result):
        if isinstance(result, tuple):
            result = result[0] if isinstance(result[0], np.ndarray) else result[1]
        return result.astype(np.int32, copy=False)

    return Workload(f"label 4-connected 1024^2 blobs, peer {peer}",
                    "label, 4-connected, bool {n}, 361 blobs", setup, sp, ours,
                    peer=other, peer_name=peer, as_array=as_array)


def w_label_3d():
    import cc3d

    def setup(size):
        n = _side(size, 128, 48, 12)
        return {"x": blob_volume(n)}

    def sp(d):
        return scipy.ndimage.label(d["x"], np.ones((3, 3, 3)))

    def ours(d, threads):
        x = d["x"]
        out = np.zeros(x.shape, np.int32)
        st = np.ones((3, 3, 3), bool)
        i, ik = describe_any(x)
        o, ok = describe_any(out)
        s, sk = describe_any(st)
        count = _count()
        opt = options(threads, False)
        check(_c_function("ndi_label")(ctypes.byref(i), ctypes.byref(o), ctypes.byref(s),
                                       count.ctypes.data_as(INTPTR_P), ctypes.byref(opt)))
        return out

    def other(d):
        return cc3d.connected_components(d["x"], connectivity=26)

    def as_array(result):
        if isinstance(result, tuple):
            result = result[0]
        return result.astype(np.int32, copy=False)

    return Workload("label 26-connected 128^3 blobs", "label, 26-connected, bool {n}",
                    setup, sp, ours, peer=other, peer_name="cc3d", as_array=as_array)


def _labels_setup(size):
    labels, count, values = label_image_3d(size)
    return {"x": values, "labels": labels, "count": count,
            "index": np.arange(1, count + 1, dtype=np.int32)}


def w_find_objects():
    def sp(d):
        return scipy.ndimage.find_objects(d["labels"], d["count"])

    def ours(d, threads):
        lab, k = d["labels"], d["count"]
        boxes = np.zeros((k, lab.ndim, 2), np.int64)
        i, ik = describe_any(lab)
        b, bk = describe_any(boxes)
        opt = options(threads, False)
        check(_c_function("ndi_find_objects")(ctypes.byref(i), k, ctypes.byref(b), None,
                                              ctypes.byref(opt)))
        return boxes

    def as_array(result):
        if isinstance(result, list):
            return np.array([[[s.start, s.stop] for s in box] for box in result], np.int64)
        return result

    return Workload("find_objects on the 128^3 label image",
                    "find_objects, int32 {n} label image (its count given)",
                    _labels_setup, sp, ours, as_array=as_array)


def _per_label(name, scipy_name, out_shape, out_dtype):
    def sp(d):
        return getattr(scipy.ndimage, scipy_name)(d["x"], d["labels"], d["index"])

    def ours(d, threads):
        x, lab, idx = d["x"], d["labels"], d["index"]
        out = np.zeros(out_shape(d), out_dtype)
        i, ik = describe_any(x)
        l, lk = describe_any(lab)
        n, nk = describe_any(idx)
        o, ok = describe_any(out)
        opt = options(threads, False)
        check(_c_function(name)(ctypes.byref(i), ctypes.byref(l), B.NDI_SELECT_EACH,
                                ctypes.byref(n), ctypes.byref(o), ctypes.byref(opt)))
        return out

    def as_array(result):
        return np.array(result) if isinstance(result, list) else result

    return sp, ours, as_array


def w_mean():
    sp, ours, as_array = _per_label("ndi_mean", "mean", lambda d: d["count"], np.float64)
    return Workload("mean per label, 128^3", "mean per label, float64 {n}, int32 labels",
                    _labels_setup, sp, ours, as_array=as_array)


def w_center_of_mass():
    sp, ours, as_array = _per_label("ndi_center_of_mass", "center_of_mass",
                                    lambda d: (d["count"], 3), np.float64)
    return Workload("center_of_mass per label, 128^3",
                    "center_of_mass per label, float64 {n}, int32 labels",
                    _labels_setup, sp, ours, as_array=as_array)


def w_maximum_position():
    sp, ours, as_array = _per_label("ndi_maximum_position", "maximum_position",
                                    lambda d: (d["count"], 3), np.int64)
    return Workload("maximum_position per label, 128^3",
                    "maximum_position per label, float64 {n}, int32 labels",
                    _labels_setup, sp, ours, as_array=as_array)


def w_watershed():
    def setup(size):
        # A background marker (-1) all round the border, as usual, which also keeps scipy's
        # wrapped neighbours from changing anything; its queue bug does not trigger on these
        # images (libndimage and scipy agree; the benchmark checks it).
        n = _side(size, 512, 192, 16)
        rng = np.random.default_rng(21)
        field = scipy.ndimage.gaussian_filter(rng.random((n, n)), 3.0)
        grey = ((field - field.min()) / np.ptp(field) * 255).astype(np.uint8)
        markers = np.zeros((n, n), np.int32)
        k = 64 if size != "tiny" else 4
        markers[rng.integers(0, n, k), rng.integers(0, n, k)] = np.arange(1, k + 1)
        markers[0, :] = markers[-1, :] = markers[:, 0] = markers[:, -1] = -1
        return {"x": grey, "markers": markers}

    def sp(d):
        return scipy.ndimage.watershed_ift(d["x"], d["markers"])

    def ours(d, threads):
        x, m = d["x"], d["markers"]
        out = np.zeros(x.shape, np.int32)
        i, ik = describe_any(x)
        mk, mkk = describe_any(m)
        o, ok = describe_any(out)
        opt = options(threads, False)
        check(_c_function("ndi_watershed_ift")(ctypes.byref(i), ctypes.byref(mk), None,
                                               ctypes.byref(o), ctypes.byref(opt)))
        return out

    return Workload("watershed_ift 512^2 uint8",
                    "watershed_ift, uint8 {n}, 64 markers and a background border",
                    setup, sp, ours)


WORKLOADS += [
    w_uniform(3, 1024),
    w_uniform(7, 2048, axis=0),
    w_gaussian(2.0, 1024, np.float64),
    w_gaussian(2.0, 1024, np.float32),
    w_correlate(5, 1024),
    w_sobel(1024, np.float64),
    w_sobel(1024, np.float32),
    w_fourier("gaussian", 4.0),
    w_fourier("gaussian", 4.0, half=True),
    w_fourier("uniform", 20.0),
    w_fourier("ellipsoid", 20.0),
    w_fourier("ellipsoid", 20.0, rank=3),
    w_fourier("shift", 200.0),
    w_binary("erosion", 1),
    w_binary("dilation", 5),
    w_fill_holes(),
    w_edt(2),
    w_edt(3),
    w_edt(2, indices=True),
    w_cdt(),
    # Measurements (issue 12).
    w_label_2d("cc3d"),
    w_label_2d("opencv"),
    w_label_3d(),
    w_find_objects(),
    w_mean(),
    w_center_of_mass(),
    w_maximum_position(),
    w_watershed(),
]

# --------------------------------------------------------------------------------------
# Verification, timing, memory
# --------------------------------------------------------------------------------------

VARIANTS = ("scipy", "ours1", "oursN")
PEER = "peer"


def same_partition(a, b):
    """Whether two label images of one shape have the same components (0 stays 0)."""
    if a.shape != b.shape:
        return False
    a, b = a.reshape(-1).astype(np.int64), b.reshape(-1).astype(np.int64)
    if ((a == 0) != (b == 0)).any():
        return False
    pairs = np.unique(np.stack([a, b]), axis=1)
    return len(np.unique(pairs[0])) == pairs.shape[1] == len(np.unique(pairs[1]))


def variants(workload):
    """The variants timed for a workload: scipy, ours on 1 thread and all cores, the peer."""
    return VARIANTS + ((PEER,) if workload.peer is not None else ())


def call(workload, inputs, variant):
    if variant == "scipy":
        return workload.scipy(inputs)
    if variant == PEER:
        return workload.peer(inputs)
    return workload.ours(inputs, 1 if variant == "ours1" else "all")


def compare(reference, result):
    """(accepted, note) for one result against scipy's."""
    if reference.shape != result.shape or reference.dtype != result.dtype:
        return False, (f"shape/dtype {result.shape} {result.dtype} vs "
                       f"{reference.shape} {reference.dtype}")
    if np.array_equal(reference, result, equal_nan=True):
        return True, "identical"
    diff = np.abs(reference.astype(np.float64) - result.astype(np.float64))
    count = int(np.count_nonzero(diff > 0))
    worst = float(np.nanmax(diff))
    if reference.dtype == np.float32 and np.allclose(reference, result, rtol=1e-6, atol=0,
                                                     equal_nan=True):
        return True, f"allclose rtol 1e-6 ({count} differ, max abs {worst:.3g})"
    return False, f"DIFFERENT ({count} elements differ, max abs diff {worst:.3g})"


def timed(workload, inputs, variant):
    gc.collect()
    t0 = time.perf_counter()
    result = call(workload, inputs, variant)
    elapsed = time.perf_counter() - t0
    return elapsed, result


def proc_status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])  # kB
    return None


def memory_child(workload, variant, size):
    """One call in this (fresh) process; prints the peak extra resident memory as JSON."""
    # Warm-up on a tiny input: library loading, scipy's lazy imports, libndimage's thread
    # pool, so that only the call itself is measured.
    tiny = workload.setup("tiny")
    for v in VARIANTS:
        call(workload, tiny, v)
    del tiny
    inputs = workload.setup(size)
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass
    method = "VmHWM (clear_refs reset)"
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        before = proc_status("VmHWM")
    except OSError:
        method = "ru_maxrss (no reset: lower bound)"
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_before = proc_status("VmRSS")
    result = workload.as_array(call(workload, inputs, variant))
    if method.startswith("VmHWM"):
        after = proc_status("VmHWM")
    else:
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"extra_mib": max(0, after - before) / 1024.0,
                      "rss_before_mib": rss_before / 1024.0,
                      "output_mib": result.nbytes / 2**20, "method": method}))


def measure_memory(workload, variant, size):
    env = dict(os.environ)
    env["MALLOC_MMAP_THRESHOLD_"] = "131072"
    cmd = [sys.executable, os.path.abspath(__file__), "--memory-child", workload.name,
           "--variant", variant]
    if size == "quick":
        cmd.append("--quick")
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def busy_seconds():
    """CPU seconds every process on the machine has used (user, nice, system, irq, softirq
    and steal time, from /proc/stat), or None if unavailable."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_seconds():
    t = os.times()
    return t.user + t.system


class Background:
    """CPU used by other processes (in cores) between start() and stop(): the machine's busy
    time minus this process's (all its threads)."""

    def start(self):
        self.wall = time.perf_counter()
        self.busy = busy_seconds()
        self.own = own_seconds()

    def stop(self):
        busy = busy_seconds()
        if busy is None or self.busy is None:
            return None
        wall = time.perf_counter() - self.wall
        other = (busy - self.busy) - (own_seconds() - self.own)
        return max(0.0, other / wall) if wall > 0 else None


QUIET_THRESHOLD = 0.15


def wait_quiet(max_seconds, threshold=QUIET_THRESHOLD):
    """Waits (up to max_seconds) until other processes use less than `threshold` cores over
    one second; returns their last measured load."""
    deadline = time.perf_counter() + max_seconds
    probe = Background()
    while True:
        probe.start()
        time.sleep(1.0)
        load = probe.stop()
        if load is None or load < threshold or time.perf_counter() >= deadline:
            return load


def median_ms(times):
    return statistics.median(times) * 1e3


def machine_info():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": model,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "libndimage": libndimage.__version__,
        "library": B.library_path,
        "callbacks": CALLBACKS_PATH,
        "env": {k: os.environ.get(k) for k in REQUIRED_ENV},
    }


def fmt(value, digits=1):
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if value >= 100:
        return f"{value:.0f}"
    return f"{value:.{digits}f}"


def ratio(a, b):
    return None if (a is None or b is None or b == 0) else a / b


def print_table(rows, out=sys.stdout):
    head = ["workload", "same result", "scipy ms", "ours 1t ms", "ours all ms",
            "scipy/ours(1)", "scipy/ours(all)", "ours(1)/ours(all)",
            "ns/el scipy", "ns/el ours 1t", "ns/el ours all",
            "ours all b2b ms", "ours(1)/ours(all b2b)", "mem scipy MiB", "mem ours 1t MiB", "mem ours all MiB", "output MiB",
            "other CPU", "peer (1 thread)", "peer ms", "ns/el peer", "ours(1)/peer"]
    print("| " + " | ".join(head) + " |", file=out)
    print("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|", file=out)
    for r in rows:
        t = r.get("median_ms", {})
        ns = r.get("ns_per_element", {})
        mem = r.get("memory_mib", {})
        ok = r["same"]
        cells = [r["label"], r["same_note"] if ok else "**" + r["same_note"] + "**"]
        if ok and t:
            cells += [fmt(t["scipy"]), fmt(t["ours1"]), fmt(t["oursN"]),
                      fmt(ratio(t["scipy"], t["ours1"]), 2),
                      fmt(ratio(t["scipy"], t["oursN"]), 2),
                      fmt(ratio(t["ours1"], t["oursN"]), 2),
                      fmt(ns["scipy"]), fmt(ns["ours1"]), fmt(ns["oursN"]),
                      fmt(r["oursN_back_to_back_ms"]),
                      fmt(ratio(t["ours1"], r["oursN_back_to_back_ms"]), 2)]
        else:
            cells += ["not reported"] + ["-"] * 10
        cells += [fmt(mem.get(v)) for v in VARIANTS] + [fmt(r.get("output_mib"))]
        bg = r.get("background_cores")
        cells.append("-" if bg is None else f"{bg:.2f}")
        if ok and t and PEER in t:
            cells += [r.get("peer") or "-", fmt(t[PEER]), fmt(ns[PEER]),
                      fmt(ratio(t["ours1"], t[PEER]), 2)]
        else:
            cells += ["-"] * 4
        print("| " + " | ".join(cells) + " |", file=out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="small sizes and 3 repeats (smoke test)")
    parser.add_argument("--only", action="append", default=[], metavar="SUBSTRING",
                        help="run the workloads whose name contains SUBSTRING (repeatable)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--repeats", type=int,
                        help="timed repeats per variant (default: 7, fewer for slow ones)")
    parser.add_argument("--no-memory", action="store_true",
                        help="skip the peak-memory child processes")
    parser.add_argument("--wait-quiet", type=float, default=0.0, metavar="SECONDS",
                        help="before timing each workload, wait up to SECONDS for other "
                             "processes to use less than 0.15 cores, and time a workload "
                             "again (twice at most) if they used more meanwhile")
    parser.add_argument("--list", action="store_true", help="list the workloads and exit")
    parser.add_argument("--memory-child", metavar="WORKLOAD", help=argparse.SUPPRESS)
    parser.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    size = "quick" if args.quick else "full"

    if args.memory_child:
        workload = next(w for w in WORKLOADS if w.name == args.memory_child)
        memory_child(workload, args.variant, size)
        return 0

    selected = [w for w in WORKLOADS
                if not args.only or any(s.lower() in w.name.lower() for s in args.only)]
    if args.list:
        for w in WORKLOADS:
            print(w.name)
        return 0
    if not selected:
        print(f"no workload matches {args.only}", file=sys.stderr)
        return 2

    for message in ENV_WARNINGS:
        print(message, file=sys.stderr)
    info = machine_info()
    print(f"# libndimage {info['libndimage']} vs scipy {info['scipy']} "
          f"(numpy {info['numpy']}, python {info['python']})")
    print(f"# {info['date']}; {info['cpu']}; nproc {info['nproc']} "
          f"(affinity {info['affinity']}); size {size}")
    print(f"# library {info['library']}")
    print(f"# env {info['env']}")
    try:
        with open("/proc/loadavg") as f:
            print(f"# load average at start: {' '.join(f.read().split()[:3])}")
    except OSError:
        pass
    sys.stdout.flush()

    rows = []
    failed = False
    started = time.perf_counter()
    for w in selected:
        inputs = w.setup(size)
        first = {}
        results = {}
        for v in variants(w):  # verification, also the warm-up call
            first[v], results[v] = timed(w, inputs, v)
            results[v] = w.as_array(results[v])
        out_shape = results["scipy"].shape
        n_out = results["scipy"].size
        label = w.title.format(n="x".join(str(s) for s in inputs["x"].shape),
                               out="x".join(str(s) for s in out_shape))
        notes = [compare(results["scipy"], results[v]) for v in ("ours1", "oursN")]
        same = all(ok for ok, _ in notes)
        bad = [note for ok, note in notes if not ok]
        same_note = (bad[0] if bad else
                     ("identical" if all(n == "identical" for _, n in notes)
                      else "; ".join(sorted({n for _, n in notes}))))
        row = {"name": w.name, "label": label, "same": same, "same_note": same_note,
               "output_shape": list(out_shape), "output_elements": n_out,
               "output_mib": results["scipy"].nbytes / 2**20}
        if w.peer is not None:
            # The peer's numbers are informative only (its numbering may differ).
            ok, note = compare(results["scipy"], results[PEER])
            if not ok and same_partition(results["scipy"], results[PEER]):
                note = "same partition"
            row["peer_note"] = note
        del results
        if not same:
            failed = True
            print(f"# {w.name}: results differ from scipy ({same_note}); not timed",
                  file=sys.stderr)
        else:
            slowest = max(first.values())
            if args.repeats:
                repeats = args.repeats
            elif args.quick:
                repeats = 3
            else:
                repeats = 7 if slowest < 1.5 else (5 if slowest < 4.0 else 3)
            # With --wait-quiet, a timing disturbed by other processes is redone (twice at
            # most) once the machine is quiet again.
            attempts = 3 if args.wait_quiet > 0 else 1
            for attempt in range(attempts):
                if args.wait_quiet > 0:
                    wait_quiet(args.wait_quiet)
                times = {v: [] for v in variants(w)}
                background = Background()
                background.start()
                for _ in range(repeats):
                    for v in variants(w):
                        elapsed, result = timed(w, inputs, v)
                        del result
                        times[v].append(elapsed)
                # The same all-cores call back to back, with no single-threaded call
                # between: tells the library's scaling apart from the cost of waking an
                # idle core.
                back_to_back = []
                for _ in range(repeats):
                    elapsed, result = timed(w, inputs, "oursN")
                    del result
                    back_to_back.append(elapsed)
                load = background.stop()
                if load is None or load <= QUIET_THRESHOLD or attempt == attempts - 1:
                    break
                print(f"# {w.name}: other processes used {load:.2f} cores; timing again",
                      file=sys.stderr, flush=True)
            med = {v: median_ms(times[v]) for v in variants(w)}
            row["peer"] = w.peer_name
            row["background_cores"] = load
            row["oursN_back_to_back_ms"] = median_ms(back_to_back)
            row.update({
                "repeats": repeats,
                "times_ms": {v: [t * 1e3 for t in times[v]] for v in variants(w)},
                "median_ms": med,
                "spread": {v: max(times[v]) / min(times[v]) for v in variants(w)},
                "ns_per_element": {v: med[v] * 1e6 / n_out for v in variants(w)},
            })
        del inputs
        gc.collect()
        if same and not args.no_memory:
            row["memory_mib"] = {}
            for v in VARIANTS:
                m = measure_memory(w, v, size)
                row["memory_mib"][v] = None if m is None else m["extra_mib"]
                row.setdefault("memory_method", m and m["method"])
        rows.append(row)
        t = row.get("median_ms")
        print(f"# {w.name}: {same_note}"
              + (f"; medians ms scipy {t['scipy']:.1f}, ours 1t {t['ours1']:.1f}, ours all "
                 f"{t['oursN']:.1f} ({row['repeats']} repeats, other processes "
                 f"{row['background_cores'] or 0:.2f} cores)" if t else ""),
              file=sys.stderr, flush=True)

    print()
    print_table(rows)
    print()
    method = next((r["memory_method"] for r in rows if r.get("memory_method")), None)
    print(f"# total {time.perf_counter() - started:.0f} s. Times: medians of alternating "
          "calls, output allocation (np.zeros) included for both libraries. ns/el: per "
          "output element. mem: peak extra resident memory of one call in a fresh process "
          f"({method or 'not measured'}), output array included. "
          "ours all b2b: the all-cores call repeated back to back, without the "
          "single-threaded calls between (the alternating order leaves the second core idle "
          "for a while before each all-cores call). "
          "other CPU: cores used by other processes while the workload was timed.")
    loads = [r["background_cores"] for r in rows if r.get("background_cores") is not None]
    if loads and max(loads) > QUIET_THRESHOLD:
        print(f"# WARNING: other processes used up to {max(loads):.2f} cores during the "
              "timings; the numbers (the all-cores ones first) are not reliable. Rerun on a "
              "quiet machine (--wait-quiet SECONDS helps).")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "size": size, "argv": sys.argv[1:], "rows": rows},
                      f, indent=1)
    if failed:
        print("# some workloads gave results different from scipy's: not reported",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
