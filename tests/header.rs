//! Fails when include/ndimage.h differs from what cbindgen generates from the code.
//! Run with NDI_UPDATE_HEADER=1 to rewrite the header.

use std::path::Path;

#[test]
fn committed_header_matches_the_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut generated = Vec::new();
    // Only the C API module: the core's public items are not part of the C API.
    cbindgen::Builder::new()
        .with_src(root.join("src/capi/mod.rs"))
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();
    let path = root.join("include/ndimage.h");
    if std::env::var_os("NDI_UPDATE_HEADER").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/ndimage.h is stale: regenerate it with `NDI_UPDATE_HEADER=1 cargo test --test header`"
    );
}

/// `#define NAME value` lines of the committed header whose name starts with `prefix`.
fn defines(prefix: &str) -> Vec<(String, i64)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let header = std::fs::read_to_string(root.join("include/ndimage.h")).unwrap();
    header
        .lines()
        .filter_map(|l| l.strip_prefix("#define "))
        .filter_map(|l| l.split_once(' '))
        .filter(|(name, _)| name.starts_with(prefix))
        .map(|(name, value)| (name.to_string(), value.trim().parse().unwrap()))
        .collect()
}

// Every element type and mode has a header constant of its name whose value is the enum's
// discriminant (the code the C API converts with TryFrom), and there are no others.
#[test]
fn header_codes_are_the_enum_discriminants() {
    let upper = |name: &str| name.to_uppercase().replace('-', "_");
    let dtypes: Vec<(String, i64)> = ndimage::DType::ALL
        .iter()
        .map(|&d| (format!("NDI_DTYPE_{}", upper(d.name())), d as i64))
        .collect();
    assert_eq!(defines("NDI_DTYPE_"), dtypes);
    let modes: Vec<(String, i64)> = ndimage::Mode::ALL
        .iter()
        .map(|&m| (format!("NDI_MODE_{}", upper(m.name())), m as i64))
        .collect();
    assert_eq!(defines("NDI_MODE_"), modes);
}
