#!/usr/bin/env bash
# Builds every C example in examples/ against the release library and checks their printed
# results against scipy.ndimage (examples/check_examples.py).
#
#   bash scripts/run-examples.sh
#
# Works from any directory. Binaries go to target/examples/. Python: $PYTHON if set, else
# .venv/bin/python (numpy + scipy 1.17.1), else python3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

source "$ROOT/scripts/build-lib.sh"

LIBDIR="$ROOT/target/release"
OUT="$ROOT/target/examples"
mkdir -p "$OUT"

shopt -s nullglob
sources=(examples/*.c)
if [ ${#sources[@]} -eq 0 ]; then
    echo "run-examples: no C examples found in examples/" >&2
    exit 1
fi
for src in "${sources[@]}"; do
    name="$(basename "$src" .c)"
    echo "==> gcc $src"
    gcc -std=c99 -Wall -Wextra -Werror -I include "$src" -o "$OUT/$name" \
        -L "$LIBDIR" -Wl,-rpath,"$LIBDIR" -lndimage
done

PY="${PYTHON:-}"
if [ -z "$PY" ]; then
    if [ -x "$ROOT/.venv/bin/python" ]; then PY="$ROOT/.venv/bin/python"; else PY=python3; fi
fi
echo "==> $PY examples/check_examples.py $OUT"
"$PY" examples/check_examples.py "$OUT"
