#!/usr/bin/env bash
# Runs every test of libndimage: formatting and lints, Rust unit/doc tests and the header drift
# check, the C tests under valgrind, the examples against scipy, the install/discovery test and
# the Python differential tests against scipy. Installs what it needs when missing (Debian
# packages with apt-get, Python packages into .venv).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { printf '\n=== %s\n' "$*"; }

# Debian packages the tests use.
missing=()
command -v cmake >/dev/null || missing+=(cmake)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v valgrind >/dev/null || missing+=(valgrind)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
if ((${#missing[@]})); then
    step "installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

step "python venv (.venv)"
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r python/requirements-test.txt

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --all-targets -- -D warnings

step "cargo test (unit, doc, header drift)"
cargo test -q

step "release build"
cargo build --release -q

step "C tests under valgrind"
bash c-tests/run.sh

step "examples vs scipy"
bash scripts/run-examples.sh

step "install into a temporary prefix, pkg-config and CMake consumers"
bash scripts/test-install.sh

step "Python binding vs scipy"
jobs=$(nproc 2>/dev/null || echo 2)
PYTHONPATH=python .venv/bin/python -m pytest python/tests -q -n "$jobs" -p no:cacheprovider

printf '\nall tests passed\n'
