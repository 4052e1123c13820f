"""Build script of the Python package (pyproject.toml holds the metadata).

The version is the Rust crate's (Cargo.toml), so that ``libndimage.__version__`` (read from
the bundled library at import) and the package's version agree. The library is a plain
cdylib loaded with ctypes: setuptools-rust's ``NoBinding`` builds it with ``cargo build
--release`` and copies it into the package, stripped of debug info.
"""

import re
from pathlib import Path

from setuptools import setup
from setuptools_rust import Binding, RustExtension, Strip

ROOT = Path(__file__).resolve().parent
VERSION = re.search(r'(?m)^version\s*=\s*"([^"]+)"', (ROOT / "Cargo.toml").read_text()).group(1)

setup(
    version=VERSION,
    rust_extensions=[
        RustExtension(
            "libndimage.libndimage",
            path="Cargo.toml",
            binding=Binding.NoBinding,
            strip=Strip.Debug,
        )
    ],
    zip_safe=False,
)
