#!/usr/bin/env bash
# Benchmark: libndimage against scipy.ndimage, side by side in one process on the same
# inputs (benches/compare.py). Builds the release library and the shared C callbacks first.
#
#   bash scripts/bench.sh              # full run (about a minute on 2 cores, plus the build)
#   bash scripts/bench.sh --quick      # small sizes, 3 repeats (smoke test)
#   bash scripts/bench.sh --only geometric --json out.json
#   bash scripts/bench.sh --wait-quiet 120   # shared machine: time only while it is quiet
#
# Works from any directory; every argument goes to benches/compare.py (--help lists them).
# Needs the venv .venv with numpy and scipy 1.17.1 (scripts/test-all.sh creates it).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="$ROOT/.venv/bin/python"
if [ ! -x "$PYTHON" ]; then
    echo "bench.sh: $PYTHON not found; create the venv first (bash scripts/test-all.sh)" >&2
    exit 1
fi

echo "==> cargo build --release" >&2
cargo build --release >&2

OUT="$ROOT/target/bench"
mkdir -p "$OUT"
echo "==> gcc -O2 -shared -fPIC benches/callbacks.c" >&2
gcc -std=c99 -O2 -Wall -Wextra -Werror -shared -fPIC \
    -o "$OUT/libbench_callbacks.so" benches/callbacks.c

# Keep the measurement honest and repeatable: no transparent huge pages for numpy's large
# arrays (page-fault cost and RSS would depend on THP availability), and no BLAS threads
# competing with the libraries' own.
export NUMPY_MADVISE_HUGEPAGE=0
export OPENBLAS_NUM_THREADS=1
export NDIMAGE_LIBRARY="$ROOT/target/release/libndimage.so"
export BENCH_CALLBACKS="$OUT/libbench_callbacks.so"

exec "$PYTHON" "$ROOT/benches/compare.py" "$@"
