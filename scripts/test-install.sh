#!/usr/bin/env bash
# Tests the installed library the way a user would consume it.
#
#   bash scripts/test-install.sh
#
# Installs (scripts/install.sh) into a fresh temporary prefix, then:
#   (d) checks the layout: versioned .so with soname libndimage.so.MAJOR (readelf), its links,
#       the .a, the header identical to include/ndimage.h, the .pc (version, validation);
#       no debug sections in the .so (and below SO_MAX_BYTES) nor in the .a, the debug info
#       in lib/.debug/ (named by the .so's debuglink, same build ID, resolves a symbol to
#       its source line);
#   (a) builds tests/install/consumer.c with `pkg-config --cflags --libs ndimage` and runs it
#       against the installed .so (LD_LIBRARY_PATH);
#   (f) builds it with an rpath to the prefix's lib/ (absolute, and $ORIGIN/../lib from
#       prefix/bin) and runs both with LD_LIBRARY_PATH unset;
#   (b) builds it with `pkg-config --static --cflags --libs ndimage` against libndimage.a and
#       checks that the program does not need libndimage.so (readelf -d);
#   (c) configures tests/install/CMakeLists.txt with CMAKE_PREFIX_PATH=prefix, builds
#       consumer_shared (ndimage::ndimage) and consumer_static (ndimage::ndimage_static), runs
#       both; then moves the prefix and does it again (the CMake package is relocatable), and
#       runs the $ORIGIN program from the moved prefix;
#   (g) builds and runs the C tests with CMake against the prefix (c-tests/CMakeLists.txt,
#       find_package(ndimage), ctest);
#   (e) stages an install with DESTDIR and checks where the files land and what they say.
# Prints "install test: OK" at the end; any failure prints "install test: FAILED: ..." and
# exits 1. Installs cmake, pkg-config, make, binutils with apt-get when missing (as root).
# KEEP_TMP=1 keeps the temporary directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

fail() {
    echo "install test: FAILED: $*" >&2
    exit 1
}
ok() { echo "  ok: $*"; }

# ---- tools ----------------------------------------------------------------------------------
missing=()
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v readelf >/dev/null 2>&1 || missing+=(binutils)
if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing ${missing[*]} with apt-get"
    if [ "$(id -u)" = 0 ]; then APT=(apt-get); else APT=(sudo apt-get); fi
    export DEBIAN_FRONTEND=noninteractive
    "${APT[@]}" install -y --no-install-recommends "${missing[@]}" \
        || { "${APT[@]}" update && "${APT[@]}" install -y --no-install-recommends "${missing[@]}"; } \
        || fail "could not install ${missing[*]}"
fi

source "$ROOT/scripts/version.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ndimage-install-test.XXXXXX")"
cleanup() {
    local rc=$?
    if [ "${KEEP_TMP:-0}" = 1 ] || [ $rc -ne 0 ]; then
        echo "(temporary files kept in $WORK)"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
PREFIX="$WORK/prefix"
CONSUMER="$ROOT/tests/install/consumer.c"
CFLAGS_STRICT=(-std=c99 -Wall -Wextra -Werror)

needs_libndimage() {  # prints the NEEDED libndimage entries of an ELF file
    readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(libndimage[^]]*\)\].*/\1/p'
}

# ---- install --------------------------------------------------------------------------------
echo "==> scripts/install.sh $PREFIX"
bash "$ROOT/scripts/install.sh" "$PREFIX" || fail "scripts/install.sh exited with $?"

# ---- (d) layout, soname, header, .pc --------------------------------------------------------
echo "==> (d) installed files"
L="$PREFIX/lib"
[ -f "$L/libndimage.so.$VERSION" ] && [ ! -L "$L/libndimage.so.$VERSION" ] \
    || fail "lib/libndimage.so.$VERSION missing or not a regular file"
[ "$(readlink "$L/$SONAME")" = "libndimage.so.$VERSION" ] \
    || fail "lib/$SONAME is not a link to libndimage.so.$VERSION"
[ "$(readlink "$L/libndimage.so")" = "$SONAME" ] || fail "lib/libndimage.so is not a link to $SONAME"
[ -f "$L/libndimage.a" ] || fail "lib/libndimage.a missing"
soname="$(readelf -d "$L/libndimage.so.$VERSION" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')"
[ "$soname" = "$SONAME" ] || fail "installed library has soname '$soname', expected '$SONAME'"
ok "lib/libndimage.so.$VERSION, soname $soname (readelf), links $SONAME and libndimage.so"
cmp -s "$PREFIX/include/ndimage.h" "$ROOT/include/ndimage.h" \
    || fail "installed include/ndimage.h differs from include/ndimage.h"
ok "include/ndimage.h identical to the repository's"
undefined_or_foreign="$(nm -D --defined-only "$L/libndimage.so.$VERSION" \
    | awk '$2 ~ /^[TDBR]$/ && $3 !~ /^ndi_/ { print $3 }' || true)"
[ -z "$undefined_or_foreign" ] || echo "  note: exported symbols not named ndi_*: $undefined_or_foreign"
for f in ndimageConfig.cmake ndimageConfigVersion.cmake; do
    [ -f "$L/cmake/ndimage/$f" ] || fail "lib/cmake/ndimage/$f missing"
done

# Debug info: none in what programs load or link, all of it in lib/.debug/.
SO_FILE="$L/libndimage.so.$VERSION"
DEBUG_FILE="$L/.debug/libndimage.so.$VERSION.debug"
# 84 entry points, each generic over the element types: about 8.5 MB without debug info.
SO_MAX_BYTES=$((12 * 1024 * 1024))
has_debug_sections() { readelf -S -W "$1" 2>/dev/null | grep -q ' \.debug_'; }
! has_debug_sections "$SO_FILE" || fail "lib/libndimage.so.$VERSION has .debug_* sections"
so_bytes="$(wc -c <"$SO_FILE" | tr -d ' ')"
[ "$so_bytes" -le "$SO_MAX_BYTES" ] \
    || fail "lib/libndimage.so.$VERSION is $so_bytes bytes, more than $SO_MAX_BYTES"
! has_debug_sections "$L/libndimage.a" || fail "lib/libndimage.a has .debug_* sections"
a_bytes="$(wc -c <"$L/libndimage.a" | tr -d ' ')"
ok "no debug sections in the .so ($so_bytes bytes, bound $SO_MAX_BYTES) or the .a ($a_bytes bytes)"
[ -f "$DEBUG_FILE" ] || fail "lib/.debug/libndimage.so.$VERSION.debug missing"
readelf -S -W "$DEBUG_FILE" | grep -q ' \.debug_line' \
    || fail "lib/.debug/libndimage.so.$VERSION.debug has no .debug_line"
readelf --string-dump=.gnu_debuglink "$SO_FILE" | grep -q "libndimage\.so\.$VERSION\.debug" \
    || fail "the .so's .gnu_debuglink does not name libndimage.so.$VERSION.debug"
build_id() { readelf -n "$1" | sed -n 's/.*Build ID: *//p'; }
[ -n "$(build_id "$SO_FILE")" ] && [ "$(build_id "$SO_FILE")" = "$(build_id "$DEBUG_FILE")" ] \
    || fail "build IDs of the .so and its debug file differ or are missing"
addr="$(nm -D --defined-only "$SO_FILE" | awk '$3 == "ndi_generic_filter" { print $1 }')"
line="$(addr2line -e "$DEBUG_FILE" "0x$addr")"
case "$line" in
    *src/*.rs:[0-9]*) ;;
    *) fail "addr2line -e lib/.debug/... ndi_generic_filter gives '$line', not a src/*.rs line" ;;
esac
ok "debug info in lib/.debug/libndimage.so.$VERSION.debug (debuglink, build ID, $line)"

export PKG_CONFIG_PATH="$L/pkgconfig"
pkg-config --validate ndimage || fail "pkg-config --validate ndimage"
[ "$(pkg-config --variable=prefix ndimage)" = "$PREFIX" ] \
    || fail "pkg-config found an ndimage.pc outside $PREFIX"
[ "$(pkg-config --modversion ndimage)" = "$VERSION" ] \
    || fail "pkg-config --modversion ndimage = $(pkg-config --modversion ndimage), expected $VERSION"
ok "lib/pkgconfig/ndimage.pc: version $VERSION, valid"

# ---- (a) pkg-config, shared -----------------------------------------------------------------
echo "==> (a) pkg-config, shared library"
# shellcheck disable=SC2046  # word splitting of pkg-config's output is intended
gcc "${CFLAGS_STRICT[@]}" $(pkg-config --cflags ndimage) "$CONSUMER" -o "$WORK/consumer_pc_shared" \
    $(pkg-config --libs ndimage) || fail "compiling consumer.c with pkg-config --libs ndimage"
[ "$(needs_libndimage "$WORK/consumer_pc_shared")" = "$SONAME" ] \
    || fail "consumer_pc_shared does not record NEEDED $SONAME"
resolved="$(LD_LIBRARY_PATH="$L" ldd "$WORK/consumer_pc_shared" | awk '$1 == "'"$SONAME"'" { print $3 }')"
[ "$resolved" = "$L/$SONAME" ] || fail "$SONAME resolves to '$resolved', not $L/$SONAME"
LD_LIBRARY_PATH="$L" "$WORK/consumer_pc_shared" || fail "consumer_pc_shared"
ok "built with: gcc \$(pkg-config --cflags --libs ndimage); NEEDED $SONAME from the prefix"

# ---- (f) rpath: found without LD_LIBRARY_PATH -----------------------------------------------
echo "==> (f) rpath, run without LD_LIBRARY_PATH"
runpath_of() { readelf -d "$1" | sed -n 's/.*(\(RUNPATH\|RPATH\)).*\[\(.*\)\].*/\2/p'; }
gcc "${CFLAGS_STRICT[@]}" -I "$PREFIX/include" "$CONSUMER" -o "$WORK/consumer_rpath" \
    -L "$L" -Wl,-rpath,"$L" -lndimage || fail "compiling consumer.c with -Wl,-rpath,$L"
[ "$(runpath_of "$WORK/consumer_rpath")" = "$L" ] \
    || fail "consumer_rpath has run path '$(runpath_of "$WORK/consumer_rpath")', not $L"
resolved="$(env -u LD_LIBRARY_PATH ldd "$WORK/consumer_rpath" | awk '$1 == "'"$SONAME"'" { print $3 }')"
[ "$resolved" = "$L/$SONAME" ] || fail "consumer_rpath loads '$resolved', not $L/$SONAME"
env -u LD_LIBRARY_PATH "$WORK/consumer_rpath" || fail "consumer_rpath (LD_LIBRARY_PATH unset)"
ok "gcc ... -Wl,-rpath,PREFIX/lib: RUNPATH $L, runs with LD_LIBRARY_PATH unset"
install -d "$PREFIX/bin"
# shellcheck disable=SC2016  # $ORIGIN is for the loader, not the shell
gcc "${CFLAGS_STRICT[@]}" -I "$PREFIX/include" "$CONSUMER" -o "$PREFIX/bin/consumer_origin" \
    -L "$L" -Wl,-rpath,'$ORIGIN/../lib' -lndimage || fail "compiling consumer.c with \$ORIGIN"
env -u LD_LIBRARY_PATH "$PREFIX/bin/consumer_origin" || fail "consumer_origin (LD_LIBRARY_PATH unset)"
ok "gcc ... -Wl,-rpath,'\$ORIGIN/../lib' (PREFIX/bin/consumer_origin) runs with LD_LIBRARY_PATH unset"

# ---- (b) pkg-config, static -----------------------------------------------------------------
echo "==> (b) pkg-config --static, static library"
static_libs="$(pkg-config --static --libs ndimage)"
# -lndimage would pick the .so when both exist; ask the linker for the archive.
static_libs=" $static_libs "
static_libs="${static_libs/ -lndimage / -Wl,-Bstatic -lndimage -Wl,-Bdynamic }"
echo "  libs: $static_libs"
# shellcheck disable=SC2046,SC2086
gcc "${CFLAGS_STRICT[@]}" $(pkg-config --static --cflags ndimage) "$CONSUMER" \
    -o "$WORK/consumer_pc_static" $static_libs \
    || fail "compiling consumer.c with pkg-config --static --libs ndimage"
[ -z "$(needs_libndimage "$WORK/consumer_pc_static")" ] \
    || fail "consumer_pc_static needs $(needs_libndimage "$WORK/consumer_pc_static")"
env -u LD_LIBRARY_PATH "$WORK/consumer_pc_static" || fail "consumer_pc_static"
ok "static program needs no libndimage.so (readelf -d) and runs"

# ---- (c) CMake --------------------------------------------------------------------------------
cmake_consumer() {  # $1: prefix, $2: build directory
    cmake -S "$ROOT/tests/install" -B "$2" -DCMAKE_PREFIX_PATH="$1" \
        -DNDIMAGE_EXPECTED_VERSION="$VERSION" -DCMAKE_BUILD_TYPE=Release \
        || fail "cmake configure with CMAKE_PREFIX_PATH=$1"
    grep -q "^ndimage_DIR:PATH=$1/lib/cmake/ndimage\$" "$2/CMakeCache.txt" \
        || fail "CMake did not take ndimage from $1 ($(grep '^ndimage_DIR' "$2/CMakeCache.txt"))"
    cmake --build "$2" -j 2 || fail "cmake --build $2"
    [ "$(needs_libndimage "$2/consumer_shared")" = "$SONAME" ] \
        || fail "CMake consumer_shared does not record NEEDED $SONAME"
    [ -z "$(needs_libndimage "$2/consumer_static")" ] \
        || fail "CMake consumer_static needs $(needs_libndimage "$2/consumer_static")"
    # consumer_shared finds the library through the build RPATH CMake gives it.
    resolved="$(env -u LD_LIBRARY_PATH ldd "$2/consumer_shared" | awk '$1 == "'"$SONAME"'" { print $3 }')"
    [ "$resolved" = "$1/lib/$SONAME" ] || fail "CMake consumer_shared loads '$resolved', not $1/lib/$SONAME"
    env -u LD_LIBRARY_PATH "$2/consumer_shared" || fail "CMake consumer_shared"
    env -u LD_LIBRARY_PATH "$2/consumer_static" || fail "CMake consumer_static"
}
echo "==> (c) CMake find_package(ndimage), both targets"
cmake_consumer "$PREFIX" "$WORK/build-cmake"
ok "ndimage::ndimage and ndimage::ndimage_static built and ran; incompatible versions rejected"

echo "==> (c) CMake after moving the prefix"
mv "$PREFIX" "$WORK/moved-prefix"
cmake_consumer "$WORK/moved-prefix" "$WORK/build-cmake-moved"
ok "the CMake package is relocatable"
env -u LD_LIBRARY_PATH "$WORK/moved-prefix/bin/consumer_origin" \
    || fail "consumer_origin after moving the prefix"
ok "the \$ORIGIN/../lib program runs from the moved prefix"
mv "$WORK/moved-prefix" "$PREFIX"

# ---- (g) the C tests with CMake and CTest, against the prefix --------------------------------
echo "==> (g) c-tests/CMakeLists.txt with find_package(ndimage), ctest"
cmake -S "$ROOT/c-tests" -B "$WORK/build-c-tests" -DCMAKE_PREFIX_PATH="$PREFIX" \
    >"$WORK/c-tests-cmake.log" 2>&1 \
    || { cat "$WORK/c-tests-cmake.log"; fail "cmake -S c-tests -DCMAKE_PREFIX_PATH=$PREFIX"; }
grep -q "^ndimage_DIR:PATH=$PREFIX/lib/cmake/ndimage\$" "$WORK/build-c-tests/CMakeCache.txt" \
    || fail "c-tests: CMake did not take ndimage from $PREFIX"
cmake --build "$WORK/build-c-tests" -j 2 >"$WORK/c-tests-build.log" 2>&1 \
    || { cat "$WORK/c-tests-build.log"; fail "cmake --build (c-tests)"; }
env -u LD_LIBRARY_PATH ctest --test-dir "$WORK/build-c-tests" --output-on-failure \
    || fail "ctest (c-tests against $PREFIX)"
ok "the C tests built with CMake against the installed library pass under ctest"

# ---- (e) DESTDIR staging --------------------------------------------------------------------
echo "==> (e) DESTDIR staging"
DESTDIR="$WORK/stage" NDI_SKIP_BUILD=1 bash "$ROOT/scripts/install.sh" /opt/ndimage >/dev/null \
    || fail "DESTDIR=... scripts/install.sh /opt/ndimage"
S="$WORK/stage/opt/ndimage"
for f in "lib/libndimage.so.$VERSION" "lib/$SONAME" lib/libndimage.so lib/libndimage.a \
         "lib/.debug/libndimage.so.$VERSION.debug" include/ndimage.h lib/pkgconfig/ndimage.pc \
         lib/cmake/ndimage/ndimageConfig.cmake lib/cmake/ndimage/ndimageConfigVersion.cmake; do
    [ -e "$S/$f" ] || fail "staged install lacks /opt/ndimage/$f"
done
grep -qx 'prefix=/opt/ndimage' "$S/lib/pkgconfig/ndimage.pc" \
    || fail "staged ndimage.pc does not say prefix=/opt/ndimage"
[ -z "$(find "$WORK/stage" -mindepth 1 -maxdepth 1 ! -name opt)" ] \
    || fail "staged install wrote outside \$DESTDIR/opt"
ok "files under \$DESTDIR/opt/ndimage, ndimage.pc says prefix=/opt/ndimage"

echo "install test: OK"
