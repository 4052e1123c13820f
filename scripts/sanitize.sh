#!/usr/bin/env bash
# The checks that need a nightly toolchain; each says that it skipped when there is none.
#
#   bash scripts/sanitize.sh asan   the C tests (c-tests/run.sh, without valgrind) compiled
#                                   with -fsanitize=address,undefined against the library
#                                   built with -Zsanitizer=address (target/asan)
#   bash scripts/sanitize.sh miri   Miri on the unit tests of the raw strided layer
#                                   (src/array: views, transfers, layouts, owned arrays) and
#                                   of the parts runner (src/parallel.rs, on a rayon pool)
#
# Miri runs under Tree Borrows (-Zmiri-tree-borrows): under Stacked Borrows it stops inside
# crossbeam-epoch (rayon's dependency: "trying to retag ... that tag does not exist in the
# borrow stack", crossbeam-epoch internal.rs) as soon as a test runs on a thread pool; the
# array tests alone pass under both. -Zmiri-ignore-leaks: the pools live for the process, so
# their threads are still running when a test program ends.
#
# Environment: NDI_NIGHTLY (default "nightly") names the toolchain.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
NIGHTLY="${NDI_NIGHTLY:-nightly}"
TARGET="$(rustc -vV | sed -n 's/^host: //p')"

have_nightly() {
    cargo "+$NIGHTLY" --version >/dev/null 2>&1
}

case "${1:-}" in
asan)
    if ! have_nightly; then
        echo "sanitize: SKIPPED the AddressSanitizer C tests: no $NIGHTLY toolchain" \
             "(rustup toolchain install $NIGHTLY)"
        exit 0
    fi
    echo "==> RUSTFLAGS=-Zsanitizer=address cargo +$NIGHTLY build --release --lib (target/asan)"
    # --target: the sanitizer flags reach the library, not the build scripts.
    RUSTFLAGS="-Zsanitizer=address" cargo "+$NIGHTLY" build --release --lib \
        --target "$TARGET" --target-dir target/asan
    LIBDIR="$ROOT/target/asan/$TARGET/release"
    source "$ROOT/scripts/version.sh"
    ln -sfn libndimage.so "$LIBDIR/$SONAME"
    # Huge requests (the tests' overflowing sizes) must come back as NULL, as from malloc.
    export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:abort_on_error=0"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
    NDI_NO_VALGRIND=1 NDI_C_TESTS_LIBDIR="$LIBDIR" NDI_C_TESTS_OUT="$ROOT/target/asan/c-tests" \
        NDI_C_TESTS_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
        bash c-tests/run.sh
    ;;
miri)
    if ! have_nightly; then
        echo "sanitize: SKIPPED Miri: no $NIGHTLY toolchain (rustup toolchain install $NIGHTLY)"
        exit 0
    fi
    if ! cargo "+$NIGHTLY" miri --version >/dev/null 2>&1; then
        echo "sanitize: SKIPPED Miri: the $NIGHTLY toolchain has no miri component" \
             "(rustup component add --toolchain $NIGHTLY miri rust-src)"
        exit 0
    fi
    echo "==> cargo +$NIGHTLY miri test --lib -- array:: parallel:: (Tree Borrows)"
    MIRIFLAGS="${MIRIFLAGS:--Zmiri-tree-borrows -Zmiri-ignore-leaks}" \
        cargo "+$NIGHTLY" miri test --lib -- array:: parallel::
    ;;
*)
    echo "usage: bash scripts/sanitize.sh asan|miri" >&2
    exit 2
    ;;
esac
