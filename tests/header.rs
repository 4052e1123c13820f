//! Fails when include/ndimage.h differs from what cbindgen generates from the code.
//! Run with NDI_UPDATE_HEADER=1 to rewrite the header.

use std::path::Path;

#[test]
fn committed_header_matches_the_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(root)
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
