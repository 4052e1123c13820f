#!/usr/bin/env bash
# Runs every test of libndimage: formatting and lints, Rust unit/doc tests, the header drift
# check, the bounded fuzzing of every entry point and the C tests (cargo test), the C tests
# under valgrind, under AddressSanitizer + UBSan and with CMake/CTest, Miri on the raw strided
# layer (the sanitizer steps need a nightly toolchain and say when they skip), the examples
# against scipy, the install/discovery test and the Python differential tests against scipy. Each step prints its name, then its time; a summary of the times ends the run.
#
#   bash scripts/test-all.sh
#
# Needs: cargo with the rustfmt and clippy components, gcc and g++, python3, and network
# access for crates.io and PyPI on the first run. Installs what else it needs when missing:
# Debian packages with apt-get (as root, or through sudo): cmake, make, pkg-config, valgrind,
# g++, python3-venv, python3-dev (Python.h, for the Cython example); Python packages from
# python/requirements-test.txt into .venv.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# ---- steps and their times ------------------------------------------------------------------
steps_done=()
run_start=$SECONDS
step_name=""
step_start=0

duration() {  # seconds -> "1 min 05 s" / "42 s"
    local s=$1
    if ((s >= 60)); then printf '%d min %02d s' $((s / 60)) $((s % 60)); else printf '%d s' "$s"; fi
}
end_step() {
    [ -n "$step_name" ] || return 0
    local took=$((SECONDS - step_start))
    printf -- '--- %s: %s\n' "$step_name" "$(duration "$took")"
    steps_done+=("$(printf '%10s  %s' "$(duration "$took")" "$step_name")")
    step_name=""
}
step() {
    end_step
    step_name="$*"
    step_start=$SECONDS
    printf '\n=== %s\n' "$step_name"
}
on_exit() {
    local rc=$?
    if [ $rc -ne 0 ] && [ -n "$step_name" ]; then
        printf '\nFAILED: %s (exit status %d, after %s)\n' "$step_name" $rc \
            "$(duration $((SECONDS - step_start)))" >&2
    fi
}
trap on_exit EXIT

quietly() {  # LOG COMMAND...: runs COMMAND with its output in LOG, shown if it fails
    local log=$1
    shift
    "$@" >"$log" 2>&1 || { local rc=$?; cat "$log" >&2; return $rc; }
}
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        echo "test-all: installing Debian packages needs root or sudo: $*" >&2
        return 1
    fi
}

# ---- tools ----------------------------------------------------------------------------------
step "tools"
need() {  # command, what to do when it is missing
    command -v "$1" >/dev/null || { echo "test-all: $1 not found: $2" >&2; exit 1; }
}
need cargo "install Rust (https://rustup.rs)"
need gcc "apt-get install gcc"
need python3 "apt-get install python3"
cargo fmt --version >/dev/null 2>&1 \
    || { echo "test-all: rustfmt missing: rustup component add rustfmt" >&2; exit 1; }
cargo clippy --version >/dev/null 2>&1 \
    || { echo "test-all: clippy missing: rustup component add clippy" >&2; exit 1; }

missing=()
command -v cmake >/dev/null || missing+=(cmake)
command -v make >/dev/null || missing+=(make)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v valgrind >/dev/null || missing+=(valgrind)
command -v g++ >/dev/null || missing+=(g++)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
# Python.h of the interpreter the venv is (or will be) made from.
venv_base="python3"
[ -x .venv/bin/python ] && venv_base=".venv/bin/python"
"$venv_base" -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
    || missing+=(python3-dev)
if ((${#missing[@]})); then
    echo "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update
    as_root apt-get install -y --no-install-recommends "${missing[@]}"
fi
echo "cargo $(cargo --version | cut -d' ' -f2), gcc $(gcc -dumpfullversion)," \
     "$(python3 --version), cmake $(cmake --version | head -n1 | cut -d' ' -f3)," \
     "valgrind $(valgrind --version | sed 's/^valgrind-//')"

# ---- Python ---------------------------------------------------------------------------------
step "python venv (.venv) and python/requirements-test.txt"
if [ ! -x .venv/bin/python ]; then
    echo "creating .venv"
    python3 -m venv .venv
fi
# pip only when a pinned version is missing (it then shows its downloads and progress).
if unmet="$(.venv/bin/python - python/requirements-test.txt <<'EOF'
import re
import sys
from importlib.metadata import PackageNotFoundError, version

unmet = []
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    pin = re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line)
    try:
        if not pin or version(pin[1]) != pin[2]:
            unmet.append(line)
    except PackageNotFoundError:
        unmet.append(line)
print(" ".join(unmet))
sys.exit(1 if unmet else 0)
EOF
)"; then
    echo "every pinned package is installed"
else
    echo "installing: $unmet"
    .venv/bin/python -m pip install --disable-pip-version-check -r python/requirements-test.txt
fi

# ---- Rust -----------------------------------------------------------------------------------
step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --all-targets -- -D warnings

step "cargo test (unit, doc, header drift, C tests)"
cargo test -q

step "release build"
cargo build --release

# ---- C --------------------------------------------------------------------------------------
step "C tests under valgrind (c-tests/run.sh)"
bash c-tests/run.sh

step "C tests under AddressSanitizer + UBSan (scripts/sanitize.sh asan; needs nightly)"
bash scripts/sanitize.sh asan

step "Miri on the raw strided layer and the parts runner, Tree Borrows (scripts/sanitize.sh miri; needs nightly)"
bash scripts/sanitize.sh miri

step "C tests with CMake and CTest (library built by cargo)"
# From a fresh build directory; the cargo step finds target/release up to date.
rm -rf target/cmake-c-tests
echo "cmake -S c-tests -B target/cmake-c-tests -DNDIMAGE_BUILD_WITH_CARGO=ON (log: configure.log)"
mkdir -p target/cmake-c-tests
quietly target/cmake-c-tests/configure.log cmake -S c-tests -B target/cmake-c-tests \
    -DNDIMAGE_BUILD_WITH_CARGO=ON -DNDIMAGE_CARGO_TARGET_DIR="$root/target"
echo "cmake --build target/cmake-c-tests (log: build.log)"
quietly target/cmake-c-tests/build.log cmake --build target/cmake-c-tests -j 2
ctest --test-dir target/cmake-c-tests --output-on-failure

step "examples vs scipy"
bash scripts/run-examples.sh

step "install into a temporary prefix: pkg-config, rpath and CMake consumers"
bash scripts/test-install.sh

# ---- Python binding -------------------------------------------------------------------------
step "pip install . (the package with its bundled library, into a fresh directory)"
# A real install of the wheel pip builds, into its own directory (not into .venv, which
# other checkouts may share); the package's cargo build goes to its own target directory,
# so target/release stays as the steps above left it.
site="$root/target/pip/site"
rm -rf "$site"
CARGO_TARGET_DIR="$root/target/pip" .venv/bin/python -m pip install --no-deps \
    --disable-pip-version-check --target "$site" "$root"

step "Python binding vs scipy (the installed package, from outside the repository)"
jobs=$(nproc 2>/dev/null || echo 2)
outside="$(mktemp -d "${TMPDIR:-/tmp}/ndimage-pytest.XXXXXX")"
(cd "$outside" && env -u NDIMAGE_LIBRARY PYTHONPATH="$site" NDI_TEST_INSTALLED=1 \
    "$root/.venv/bin/python" -m pytest "$root/python/tests" -q -n "$jobs" -p no:cacheprovider \
    --rootdir "$root/python/tests")
rm -rf "$outside"

end_step
printf '\nsteps:\n'
printf '  %s\n' "${steps_done[@]}"
printf 'all tests passed in %s\n' "$(duration $((SECONDS - run_start)))"
