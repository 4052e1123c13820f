#!/usr/bin/env bash
# Builds and runs the C test suite of libndimage.
#
#   bash c-tests/run.sh
#
# 1. builds the library (cargo build --release, from the repository root found from this
#    script's path) and makes sure target/release/libndimage.so.<major> exists (the soname the
#    runtime loader looks for);
# 2. compiles every program listed in c-tests/programs.txt (which must list every
#    c-tests/test_*.c) with gcc -std=c99 -Wall -Wextra -Werror against the shared library,
#    checks each one (and the header alone) compiles as C++ with g++, and links the programs
#    marked "static" there a second time against the static library libndimage.a;
# 3. runs every program under valgrind (memcheck; any error or definite leak fails the run);
# 4. ends with "c-tests: N passed, M failed", where N and M count individual checks (each
#    CHECK* in the tests is one check; a program that crashes, exits non-zero or prints no
#    result line adds one failure). The exit status is non-zero when anything failed.
#
# Environment:
#   NDI_NO_VALGRIND=1      run the programs directly instead of under valgrind
#   NDI_C_TESTS_CFLAGS     extra compiler flags for the test programs
#   NDI_TEST_TRACE=1       the test programs print each test case as it starts (to find the
#                          case a hanging or crashing program was in)
#   NDI_C_TESTS_LIBDIR     link against the library in this directory (with its soname link)
#                          instead of building target/release (scripts/sanitize.sh: the
#                          AddressSanitizer build)
#   NDI_C_TESTS_OUT        where binaries and logs go (default target/c-tests)
#
# Binaries and logs go to target/c-tests/; nothing is written into the source tree.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

LIBDIR="${NDI_C_TESTS_LIBDIR:-$ROOT/target/release}"
OUT="${NDI_C_TESTS_OUT:-$ROOT/target/c-tests}"
mkdir -p "$OUT"

if [ -z "${NDI_C_TESTS_LIBDIR:-}" ]; then
    source "$ROOT/scripts/build-lib.sh"
fi

CFLAGS=(-std=c99 -Wall -Wextra -Werror -O1 -g -I "$ROOT/include")
# shellcheck disable=SC2206
EXTRA=(${NDI_C_TESTS_CFLAGS:-})
LIBS=(-lm -lpthread)
# The static library's native dependencies (what `cargo rustc -- --print native-static-libs`
# reports on Linux).
STATIC_LIBS=(-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc)

# The programs: c-tests/programs.txt ("NAME [static]" lines), shared with tests/c_tests.rs
# and c-tests/CMakeLists.txt.
names=()
static_names=()
while read -r line; do
    read -r name kind _ <<<"${line%%#*}"
    [ -n "${name:-}" ] || continue
    [ -f "c-tests/$name.c" ] || { echo "c-tests: c-tests/$name.c (listed) not found" >&2; exit 1; }
    names+=("$name")
    case "${kind:-}" in
        '') ;;
        static) static_names+=("$name") ;;
        *) echo "c-tests: programs.txt: unknown word '$kind' after $name" >&2; exit 1 ;;
    esac
done <c-tests/programs.txt
for src in c-tests/test_*.c; do
    name="$(basename "$src" .c)"
    case " ${names[*]} " in
        *" $name "*) ;;
        *) echo "c-tests: $src is not in c-tests/programs.txt" >&2; exit 1 ;;
    esac
done

programs=()
for name in "${names[@]}"; do
    src="c-tests/$name.c"
    echo "==> gcc $src"
    gcc "${CFLAGS[@]}" ${EXTRA[@]+"${EXTRA[@]}"} "$src" -o "$OUT/$name" \
        -L "$LIBDIR" -Wl,-rpath,"$LIBDIR" -lndimage "${LIBS[@]}"
    echo "==> g++ -x c++ -fsyntax-only $src"
    g++ -x c++ -fsyntax-only -Wall -Wextra -Werror -I "$ROOT/include" ${EXTRA[@]+"${EXTRA[@]}"} \
        "$src"
    programs+=("$name")
done

# The header on its own (c-tests/header_only.c), in C++ (several standards) and in strict C.
for std in c++98 c++11 c++17; do
    echo "==> g++ -std=$std -pedantic header_only.c"
    g++ -x c++ -std="$std" -pedantic -Wall -Wextra -Werror -I "$ROOT/include" \
        -c c-tests/header_only.c -o "$OUT/header_only_$std.o"
done
echo "==> gcc -std=c99 -pedantic header_only.c"
gcc -std=c99 -pedantic -Wall -Wextra -Werror -I "$ROOT/include" -c c-tests/header_only.c \
    -o "$OUT/header_only_c99.o"

# The programs marked "static", linked a second time against the static library.
for name in ${static_names[@]+"${static_names[@]}"}; do
    echo "==> gcc c-tests/$name.c libndimage.a (static)"
    gcc "${CFLAGS[@]}" ${EXTRA[@]+"${EXTRA[@]}"} "c-tests/$name.c" "$LIBDIR/libndimage.a" \
        -o "$OUT/${name}_static" "${STATIC_LIBS[@]}"
    if readelf -d "$OUT/${name}_static" | grep -q 'NEEDED.*libndimage'; then
        echo "c-tests: ${name}_static is linked against the shared library" >&2
        exit 1
    fi
    programs+=("${name}_static")
done

RUNNER=()
if [ "${NDI_NO_VALGRIND:-0}" = 1 ]; then
    echo "==> running without valgrind (NDI_NO_VALGRIND=1)"
else
    if ! command -v valgrind >/dev/null; then
        echo "c-tests: valgrind not found (install it, or set NDI_NO_VALGRIND=1)" >&2
        exit 1
    fi
    RUNNER=(valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
        --show-leak-kinds=definite --quiet)
    # Programs that time things (test_progress) widen their bounds under valgrind.
    export NDI_UNDER_VALGRIND=1
fi

total_pass=0
total_fail=0
failed_programs=()
for name in "${programs[@]}"; do
    log="$OUT/$name.log"
    start=$SECONDS
    status=0
    # Without LD_LIBRARY_PATH, which the loader would search before the programs' rpath.
    env -u LD_LIBRARY_PATH ${RUNNER[@]+"${RUNNER[@]}"} "$OUT/$name" >"$log" 2>&1 || status=$?
    result="$(grep '^RESULT ' "$log" | tail -n1 || true)"
    pass=0
    fail=0
    if [ -n "$result" ]; then
        read -r _ _ pass fail <<<"$result"
    fi
    if [ "$status" -ne 0 ] || [ -z "$result" ]; then
        # the program failed as a whole (crash, valgrind error, failed check)
        if [ "$fail" -eq 0 ]; then fail=1; fi
    fi
    total_pass=$((total_pass + pass))
    total_fail=$((total_fail + fail))
    printf '==> %-28s %5d passed, %d failed (exit %d, %ds)\n' "$name" "$pass" "$fail" "$status" \
        $((SECONDS - start))
    if [ "$fail" -ne 0 ]; then
        failed_programs+=("$name")
        grep -v '^RESULT ' "$log" | head -n 60 >&2 || true
    fi
done

if [ ${#failed_programs[@]} -ne 0 ]; then
    echo "failed: ${failed_programs[*]} (logs in $OUT)" >&2
fi
echo "c-tests: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
