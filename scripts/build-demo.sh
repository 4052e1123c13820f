#!/usr/bin/env bash
# Builds the library (release) and runs the small C demo examples/generic_filter_demo.c, which
# prints its input and output, labelled, and checks the output against scipy's values stored
# in it (exit status 1 if they differ).
#
#   bash scripts/build-demo.sh
#
# Works from any directory. Outputs: target/release/libndimage.{so,a}, the soname link
# target/release/libndimage.so.<MAJOR> (what the runtime loader looks for), and the demo
# binary target/examples/generic_filter_demo.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

source "$ROOT/scripts/build-lib.sh"

LIBDIR="$ROOT/target/release"
OUT="$ROOT/target/examples"
mkdir -p "$OUT"

echo "==> gcc examples/generic_filter_demo.c"
gcc -std=c99 -Wall -Wextra -Werror -I include \
    examples/generic_filter_demo.c -o "$OUT/generic_filter_demo" \
    -L "$LIBDIR" -Wl,-rpath,"$LIBDIR" -lndimage

echo "==> $OUT/generic_filter_demo"
"$OUT/generic_filter_demo"
