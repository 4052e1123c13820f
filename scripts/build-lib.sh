#!/usr/bin/env bash
# Builds the release library and links target/release/<its soname> to it: the shared
# object's soname (set by build.rs) is what programs linked against it ask the loader for.
# Sourced by the scripts that compile C programs against target/release.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
echo "==> cargo build --release"
(cd "$ROOT" && cargo build --release)
source "$ROOT/scripts/version.sh"
ln -sfn libndimage.so "$ROOT/target/release/$SONAME"
