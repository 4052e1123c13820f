#!/usr/bin/env bash
# Installs libndimage into a prefix.
#
#   bash scripts/install.sh [PREFIX]            # PREFIX defaults to /usr/local
#   DESTDIR=/tmp/stage bash scripts/install.sh /usr   # staged: files under /tmp/stage/usr,
#                                                     # paths inside them say /usr
#
# Builds the release library first if it is out of date (cargo build --release), then puts
#
#   PREFIX/lib/libndimage.so.X.Y.Z          (soname libndimage.so.X, or .so.0.Y, checked with readelf;
#                                            without debug info, see below)
#   PREFIX/lib/libndimage.so.X -> libndimage.so.X.Y.Z
#   PREFIX/lib/libndimage.so   -> libndimage.so.X
#   PREFIX/lib/.debug/libndimage.so.X.Y.Z.debug  (its debug info, see below)
#   PREFIX/lib/libndimage.a                 (without debug info)
#   PREFIX/include/ndimage.h
#   PREFIX/lib/pkgconfig/ndimage.pc               (from pkgconfig/ndimage.pc.in)
#   PREFIX/lib/cmake/ndimage/ndimageConfig.cmake  (from cmake/*.cmake.in; relocatable)
#   PREFIX/lib/cmake/ndimage/ndimageConfigVersion.cmake
#
# X.Y.Z is the version in Cargo.toml. Works from any directory.
#
# Debug info: the release profile builds with line tables (Cargo.toml, for profiling and
# `cargo bench`), which make target/release/libndimage.so about 15 MB. The installed .so is
# that file with its debug sections removed (objcopy --strip-debug: a few MB, the symbol table
# kept) and a .gnu_debuglink naming lib/.debug/libndimage.so.X.Y.Z.debug, which holds them
# (objcopy --only-keep-debug). gdb, perf and valgrind look for it there on their own, so
# profiles of the installed library show functions and source lines. The .a is installed
# with --strip-debug (profile static programs against target/release/libndimage.a).
#
# Environment:
#   DESTDIR          staging root (default: none)
#   NDI_DEBUG_INFO   separate (default, as above) | none (strip, no .debug file) |
#                    keep (install the files as built, debug info included)
#   NDI_SKIP_BUILD=1 install the existing target/release files without running cargo (the
#                    static library's system libs are then the Linux default list below)
#   NDI_NATIVE_LIBS  the static library's system libs, e.g. "-lpthread -ldl -lm" (default:
#                    asked from rustc)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PREFIX="${1:-/usr/local}"
case "$PREFIX" in
    /*) ;;
    *) PREFIX="$(pwd -P)/$PREFIX" ;;  # pkg-config and CMake files need an absolute prefix
esac
PREFIX="${PREFIX%/}"
[ -n "$PREFIX" ] || PREFIX=/
DESTDIR="${DESTDIR:-}"
DEST="${DESTDIR%/}$PREFIX"

die() { echo "install.sh: error: $*" >&2; exit 1; }

# ---- version from Cargo.toml ([package] version), and the soname ---------------------------
source "$ROOT/scripts/version.sh"
REALNAME="libndimage.so.$VERSION"

# ---- build ----------------------------------------------------------------------------------
if [ "${NDI_SKIP_BUILD:-0}" != 1 ]; then
    echo "==> cargo build --release"
    cargo build --release
fi
SO="target/release/libndimage.so"
A="target/release/libndimage.a"
for f in "$SO" "$A" include/ndimage.h; do
    [ -f "$f" ] || die "$f not found (run cargo build --release)"
done

if command -v readelf >/dev/null 2>&1; then
    built_soname="$(readelf -d "$SO" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')"
    [ "$built_soname" = "$SONAME" ] \
        || die "$SO has soname '${built_soname}', expected '$SONAME' (see build.rs)"
else
    echo "install.sh: warning: readelf not found, soname not checked" >&2
fi

# ---- system libraries the static archive needs ----------------------------------------------
# rustc prints them when it links a staticlib. The query runs in its own target directory
# (a quick debug build, cached afterwards) so that it does not invalidate target/release.
# If it cannot run (e.g. the sources do not compile right now), fall back to the list rustc
# prints for Rust's std on x86_64/aarch64 Linux with glibc.
FALLBACK_NATIVE_LIBS="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
NATIVE_LIBS="${NDI_NATIVE_LIBS:-}"
if [ -n "$NATIVE_LIBS" ]; then
    :
elif [ "${NDI_SKIP_BUILD:-0}" = 1 ]; then
    NATIVE_LIBS="$FALLBACK_NATIVE_LIBS"
elif native_out="$(CARGO_TARGET_DIR="$ROOT/target/native-static-libs" \
        cargo rustc --quiet --lib --crate-type staticlib -- --print native-static-libs 2>&1)"; then
    NATIVE_LIBS="$(printf '%s\n' "$native_out" \
        | sed -n 's/.*native-static-libs: *//p' | tail -n1 | sed 's/[[:space:]]*$//')"
fi
if [ -z "$NATIVE_LIBS" ]; then
    echo "install.sh: warning: could not ask rustc for the native static libs;" \
         "using the Linux default: $FALLBACK_NATIVE_LIBS" >&2
    NATIVE_LIBS="$FALLBACK_NATIVE_LIBS"
fi
# The same list for CMake's INTERFACE_LINK_LIBRARIES: "-lm -ldl" -> "m;dl".
CMAKE_NATIVE_LIBS=""
for flag in $NATIVE_LIBS; do
    case "$flag" in
        -l*) item="${flag#-l}" ;;
        *) item="$flag" ;;
    esac
    CMAKE_NATIVE_LIBS="${CMAKE_NATIVE_LIBS:+$CMAKE_NATIVE_LIBS;}$item"
done
SIZEOF_VOID_P="$(( $(getconf LONG_BIT) / 8 ))"

# ---- debug info -----------------------------------------------------------------------------
DEBUG_INFO="${NDI_DEBUG_INFO:-separate}"
DEBUGFILE="$REALNAME.debug"
case "$DEBUG_INFO" in
    separate | none | keep) ;;
    *) die "NDI_DEBUG_INFO must be separate, none or keep (got '$DEBUG_INFO')" ;;
esac
INSTALL_SO="$SO"
INSTALL_A="$A"
if [ "$DEBUG_INFO" != keep ]; then
    command -v objcopy >/dev/null 2>&1 \
        || die "objcopy (binutils) not found: it strips the debug info (or NDI_DEBUG_INFO=keep)"
    STRIPDIR="$(mktemp -d "${TMPDIR:-/tmp}/ndimage-install.XXXXXX")"
    trap 'rm -rf "$STRIPDIR"' EXIT
    # The debuglink records the debug file's name and CRC, so the file is made first.
    objcopy --only-keep-debug "$SO" "$STRIPDIR/$DEBUGFILE"
    if [ "$DEBUG_INFO" = separate ]; then
        objcopy --strip-debug --add-gnu-debuglink="$STRIPDIR/$DEBUGFILE" "$SO" "$STRIPDIR/$REALNAME"
    else
        objcopy --strip-debug "$SO" "$STRIPDIR/$REALNAME"
    fi
    objcopy --strip-debug "$A" "$STRIPDIR/libndimage.a"
    INSTALL_SO="$STRIPDIR/$REALNAME"
    INSTALL_A="$STRIPDIR/libndimage.a"
fi

# ---- install --------------------------------------------------------------------------------
echo "==> installing libndimage $VERSION into ${DESTDIR:+$DESTDIR (staging) }$PREFIX"
LIB="$DEST/lib"
install -d "$LIB" "$DEST/include" "$LIB/pkgconfig" "$LIB/cmake/ndimage"

install -m 755 "$INSTALL_SO" "$LIB/$REALNAME"
ln -sfn "$REALNAME" "$LIB/$SONAME"
ln -sfn "$SONAME" "$LIB/libndimage.so"
install -m 644 "$INSTALL_A" "$LIB/libndimage.a"
if [ "$DEBUG_INFO" = separate ]; then
    install -d "$LIB/.debug"
    install -m 644 "$STRIPDIR/$DEBUGFILE" "$LIB/.debug/$DEBUGFILE"
else
    rm -f "$LIB/.debug/$DEBUGFILE"  # a stale one would not match the new library
fi
install -m 644 include/ndimage.h "$DEST/include/ndimage.h"

# Substitutes @NAME@ placeholders; values never contain '|' or newlines.
subst() {
    sed -e "s|@PREFIX@|$PREFIX|g" \
        -e "s|@VERSION@|$VERSION|g" \
        -e "s|@ABI@|$ABI|g" \
        -e "s|@SONAME@|$SONAME|g" \
        -e "s|@LIBS_PRIVATE@|$NATIVE_LIBS|g" \
        -e "s|@CMAKE_NATIVE_LIBS@|$CMAKE_NATIVE_LIBS|g" \
        -e "s|@SIZEOF_VOID_P@|$SIZEOF_VOID_P|g" \
        "$1" > "$2.tmp"
    if grep -n '@[A-Z_]*@' "$2.tmp" >&2; then
        rm -f "$2.tmp"
        die "unsubstituted placeholder in $1"
    fi
    chmod 644 "$2.tmp"
    mv -f "$2.tmp" "$2"
}
subst pkgconfig/ndimage.pc.in "$LIB/pkgconfig/ndimage.pc"
subst cmake/ndimageConfig.cmake.in "$LIB/cmake/ndimage/ndimageConfig.cmake"
subst cmake/ndimageConfigVersion.cmake.in "$LIB/cmake/ndimage/ndimageConfigVersion.cmake"

# Refresh the loader cache for system-wide installs (not for staging or private prefixes).
if [ -z "$DESTDIR" ] && [ "$(id -u)" = 0 ] && command -v ldconfig >/dev/null 2>&1; then
    case "$PREFIX" in
        /usr|/usr/local) ldconfig ;;
    esac
fi

echo "installed:"
installed=("lib/$REALNAME" "lib/$SONAME" lib/libndimage.so lib/libndimage.a)
[ "$DEBUG_INFO" != separate ] || installed+=("lib/.debug/$DEBUGFILE")
installed+=(include/ndimage.h lib/pkgconfig/ndimage.pc lib/cmake/ndimage/ndimageConfig.cmake
            lib/cmake/ndimage/ndimageConfigVersion.cmake)
for f in "${installed[@]}"; do
    if [ -L "$DEST/$f" ]; then
        echo "  $DEST/$f -> $(readlink "$DEST/$f")"
    else
        printf '  %s (%s bytes)\n' "$DEST/$f" "$(wc -c <"$DEST/$f" | tr -d ' ')"
    fi
done
echo "  Libs.private: $NATIVE_LIBS"
