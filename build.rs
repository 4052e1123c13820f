// Gives the shared library a versioned soname so that installed programs keep linking across
// compatible upgrades and refuse incompatible ones: libndimage.so.MAJOR, or libndimage.so.0.MINOR
// while the major version is 0 (every 0.x minor version may change the ABI; scripts/version.sh
// names it the same way).
fn main() {
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".into());
    let minor = std::env::var("CARGO_PKG_VERSION_MINOR").unwrap_or_else(|_| "0".into());
    let abi = if major == "0" {
        format!("0.{minor}")
    } else {
        major
    };
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" || target_os == "freebsd" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libndimage.so.{abi}");
    }
    // For tests/c_tests.rs, which links the soname to the library it builds.
    println!("cargo:rustc-env=NDI_SONAME=libndimage.so.{abi}");
    // The target and host triples, for tests/c_tests.rs: the `cc` crate needs them to pick
    // the C compiler, and cargo sets them only for build scripts.
    for (var, name) in [("TARGET", "NDI_BUILD_TARGET"), ("HOST", "NDI_BUILD_HOST")] {
        let value = std::env::var(var).unwrap_or_default();
        println!("cargo:rustc-env={name}={value}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
