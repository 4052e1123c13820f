# Sourced by the build and install scripts: the library's version from Cargo.toml and its ABI
# name. While the major version is 0 every minor version may change the ABI (semver's rule for
# 0.x), so the soname carries both: libndimage.so.0.MINOR; from 1.0 on, libndimage.so.MAJOR.
# build.rs sets the same soname (install.sh checks the two agree).
# Needs ROOT (the repository) set.
VERSION="$(awk '
    /^\[/ { in_package = ($0 ~ /^\[package\][[:space:]]*$/) }
    in_package && /^version[[:space:]]*=/ {
        gsub(/^version[[:space:]]*=[[:space:]]*"|".*$/, ""); print; exit
    }' "$ROOT/Cargo.toml")"
if [[ ! "$VERSION" =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]]; then
    echo "cannot read a MAJOR.MINOR.PATCH version from $ROOT/Cargo.toml (got '$VERSION')" >&2
    exit 1
fi
MAJOR="${BASH_REMATCH[1]}"
MINOR="${BASH_REMATCH[2]}"
if [ "$MAJOR" = 0 ]; then ABI="0.$MINOR"; else ABI="$MAJOR"; fi
SONAME="libndimage.so.$ABI"
