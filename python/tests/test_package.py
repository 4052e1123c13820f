"""The package: scipy.ndimage's namespace and module split, and the C API generated from the
header (scripts/gen-python-capi.py -> libndimage/_capi.py)."""

import ctypes
import importlib.util
import os
import re
import subprocess
import sys

import pytest
import scipy.ndimage as sndi

import libndimage as lndi
from libndimage import _capi

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACKAGE = os.path.join(REPO, "python", "libndimage")
GENERATOR = os.path.join(REPO, "scripts", "gen-python-capi.py")

# What libndimage has beyond scipy.ndimage's names (documented in its docstring).
EXTRAS = {"set_workers", "get_workers", "__version__", "LibraryError", "library_path"}
# scipy.ndimage's public submodules, which libndimage has under the same names.
SUBMODULES = {"filters", "fourier", "interpolation", "measurements", "morphology"}
PRIVATE_MODULES = {"_capi", "_support", "_callables", "_linear", "_order"}
PRIVATE_MODULES |= {"_vectorized"}
PRIVATE_MODULES |= {"_binary", "_distance"}  # morphology.py re-exports them
# Submodules beyond scipy's, in the namespace once imported (``import libndimage.dask``).
OPTIONAL_SUBMODULES = {"dask"}
MODULE_ATTRIBUTES = {"__all__", "__builtins__", "__cached__", "__doc__", "__file__",
                     "__loader__", "__name__", "__package__", "__path__", "__spec__"}
IMPLEMENTED = {"generic_filter", "generic_filter1d", "geometric_transform",
               "map_coordinates", "affine_transform", "shift", "zoom", "rotate",
               "spline_filter1d", "spline_filter"}
IMPLEMENTED |= {"correlate1d", "convolve1d", "correlate", "convolve", "uniform_filter1d",
                "uniform_filter", "gaussian_filter1d", "gaussian_filter", "gaussian_laplace",
                "gaussian_gradient_magnitude", "sobel", "prewitt", "laplace",
                "generic_laplace", "generic_gradient_magnitude"}
IMPLEMENTED |= {"minimum_filter1d", "maximum_filter1d", "minimum_filter", "maximum_filter",
                "rank_filter", "median_filter", "percentile_filter", "grey_erosion",
                "grey_dilation", "grey_opening", "grey_closing", "morphological_gradient",
                "morphological_laplace", "white_tophat", "black_tophat"}
IMPLEMENTED |= {"fourier_gaussian", "fourier_uniform", "fourier_ellipsoid", "fourier_shift"}
IMPLEMENTED |= {"vectorized_filter"}
IMPLEMENTED |= {"generate_binary_structure", "iterate_structure", "binary_erosion",
                "binary_dilation", "binary_opening", "binary_closing", "binary_hit_or_miss",
                "binary_propagation", "binary_fill_holes", "distance_transform_bf",
                "distance_transform_cdt", "distance_transform_edt"}
IMPLEMENTED |= {"label", "find_objects", "value_indices", "sum_labels", "sum", "mean",
                "variance", "standard_deviation", "minimum", "maximum", "median",
                "minimum_position", "maximum_position", "extrema", "center_of_mass",
                "histogram", "labeled_comprehension", "watershed_ift"}


def test_every_scipy_name_is_there():
    assert len(sndi.__all__) == 75
    missing = [name for name in sndi.__all__ if not callable(getattr(lndi, name, None))]
    assert missing == []
    assert sorted(lndi.__all__) == sorted(set(sndi.__all__) | EXTRAS)
    assert len(lndi.__all__) == len(set(lndi.__all__))


def test_nothing_else_in_the_namespace():
    allowed = (set(sndi.__all__) | EXTRAS | SUBMODULES | PRIVATE_MODULES | MODULE_ATTRIBUTES
               | OPTIONAL_SUBMODULES)
    assert sorted(set(dir(lndi)) - allowed) == []
    for name in EXTRAS | {"generic_filter", "rotate"}:
        assert name in lndi.__doc__


@pytest.mark.parametrize("name", sndi.__all__)
def test_module_split_is_scipys(name):
    """Each function lives in the module named as scipy's (``_filters`` -> ``filters``)."""
    theirs = getattr(sndi, name).__module__.rsplit(".", 1)[1].lstrip("_")
    ours = getattr(lndi, name)
    assert ours.__module__ == f"libndimage.{theirs}"
    assert name in getattr(lndi, theirs).__all__
    assert ours.__name__ == name


@pytest.mark.parametrize("name", sorted(set(sndi.__all__) - IMPLEMENTED))
def test_unimplemented_functions_say_so(name):
    with pytest.raises(NotImplementedError) as info:
        getattr(lndi, name)([[1.0, 2.0], [3.0, 4.0]], 1, keyword=2)
    assert str(info.value) == f"libndimage does not implement scipy.ndimage.{name} yet"


def test_codes_are_only_in_the_generated_module():
    """Python code names the NDI_* codes, never their values: only _capi defines them."""
    for file in sorted(os.listdir(PACKAGE)):
        if file.endswith(".py") and file != "_capi.py":
            with open(os.path.join(PACKAGE, file), encoding="utf-8") as f:
                source = f.read()
            assert not re.search(r"^\s*NDI_\w+\s*=", source, re.M), file


def test_capi_declares_every_function_of_the_header():
    with open(os.path.join(REPO, "include", "ndimage.h"), encoding="utf-8") as f:
        header = f.read()
    functions = re.findall(r"^\S.*?\b(ndi_\w+)\(", header, re.M)
    assert len(functions) >= 16
    for name in functions:
        assert getattr(_capi, name).argtypes is not None, name
    for name, value in re.findall(r"^#define (NDI_\w+) (-?\d+)$", header, re.M):
        assert getattr(_capi, name) == int(value)


# A header with what cbindgen may emit later: enums, opaque handles, forward and
# self-referencing structs, unions, arrays, constant expressions, inline callbacks.
FUTURE_HEADER = """
#ifndef T_H
#define T_H
#include <stdint.h>
#define NDI_BASE 0x100
/**
 * Base plus one.
 *
 * (a second paragraph, not copied)
 */
#define NDI_MODE_X (NDI_BASE + 1)
#define NDI_U 4u
#define NDI_NEG (-(1 << 3))
static const int32_t NDI_SC = 7;
typedef int32_t ndi_status;
typedef struct ndi_handle ndi_handle;
/** An enumeration. */
typedef enum ndi_kind { NDI_KIND_A = 3, NDI_KIND_B, NDI_KIND_C = NDI_BASE * 2 } ndi_kind;
typedef int (*ndi_cb)(const struct ndi_late *late, void *user_data);
/** A node. */
typedef struct ndi_node {
  struct ndi_node *next;
  double values[NDI_SC];
  int (*fn)(double x, void *u);
} ndi_node;
typedef union ndi_u { int32_t i; double d; } ndi_u;
typedef struct ndi_late { const char *name; char **names; size_t n; ndi_kind kind; } ndi_late;
#ifdef __cplusplus
extern "C" {
#endif // __cplusplus
ndi_handle *ndi_handle_new(const void *config, uint8_t *bytes, unsigned int count);
void ndi_handle_free(ndi_handle *handle);
ndi_status ndi_visit(const struct ndi_node *node, ndi_cb cb, int (*inline_cb)(intptr_t *a),
                     double m[4]);
const char *ndi_version_string(void);
#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus
#endif
"""


def test_generator_reads_new_kinds_of_declarations(tmp_path, monkeypatch):
    header = tmp_path / "future.h"
    header.write_text(FUTURE_HEADER)
    module = tmp_path / "future_capi.py"
    subprocess.run([sys.executable, GENERATOR, "--header", str(header), "--output",
                    str(module)], check=True)
    text = module.read_text()
    assert text.startswith("# generated by scripts/gen-python-capi.py from include/ndimage.h;"
                           " do not edit")
    monkeypatch.setenv("NDIMAGE_LIBRARY", _capi.library_path)
    spec = importlib.util.spec_from_file_location("future_capi", module)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    assert (m.NDI_BASE, m.NDI_MODE_X, m.NDI_U, m.NDI_NEG, m.NDI_SC) == (256, 257, 4, -8, 7)
    assert (m.NDI_KIND_A, m.NDI_KIND_B, m.NDI_KIND_C) == (3, 4, 512)
    assert "# Base plus one." in text and "second paragraph" not in text
    assert m.ndi_kind is ctypes.c_int and m.ndi_status is ctypes.c_int32
    assert [f[0] for f in m.ndi_node._fields_] == ["next", "values", "fn"]
    assert m.ndi_node._fields_[0][1] == ctypes.POINTER(m.ndi_node)
    assert ctypes.sizeof(m.ndi_node._fields_[1][1]) == 7 * 8
    assert ctypes.sizeof(m.ndi_u) == 8 and issubclass(m.ndi_u, ctypes.Union)
    assert m.ndi_late._fields_[1][1] == ctypes.POINTER(ctypes.c_char_p)
    assert m.ndi_cb._argtypes_ == (ctypes.POINTER(m.ndi_late), ctypes.c_void_p)
    assert m.ndi_visit.argtypes == [ctypes.POINTER(m.ndi_node), m.ndi_cb,
                                    m.ndi_visit.argtypes[2], ctypes.POINTER(ctypes.c_double)]
    assert m.ndi_visit.argtypes[2]._argtypes_ == (ctypes.POINTER(ctypes.c_ssize_t),)
    assert m.ndi_handle_new.restype == ctypes.POINTER(m.ndi_handle)
    assert m.ndi_handle_new.argtypes == [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint8),
                                         ctypes.c_uint]
    assert m.ndi_version_string() == _capi.ndi_version_string()  # in the library
    with pytest.raises(m.LibraryError, match="has no ndi_visit"):
        m.ndi_visit(None, None, None, None)  # not in the library


def test_generator_rejects_what_it_cannot_read(tmp_path):
    header = tmp_path / "bad.h"
    header.write_text("typedef struct a { int x : 3; } a;\n")
    run = subprocess.run([sys.executable, GENERATOR, "--header", str(header), "--stdout"],
                         capture_output=True, text=True)
    assert run.returncode != 0 and "gen-python-capi" in run.stderr


@pytest.mark.skipif(os.environ.get("NDI_TEST_INSTALLED") != "1",
                    reason="tests the pip-installed package (NDI_TEST_INSTALLED=1)")
def test_installed_package_uses_its_bundled_library():
    # Run from outside the repository against `pip install .`: the package and its library
    # come from site-packages, and the versions agree with the crate's.
    package = os.path.dirname(os.path.abspath(lndi.__file__))
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert package != os.path.join(repo, "python", "libndimage")
    assert os.path.dirname(os.path.abspath(lndi.library_path)) == package
    cargo = open(os.path.join(repo, "Cargo.toml")).read()
    version = re.search(r'(?m)^version\s*=\s*"([^"]+)"', cargo).group(1)
    assert lndi.__version__ == version
    assert "NDIMAGE_LIBRARY" not in os.environ
