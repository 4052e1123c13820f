//! Fails when python/libndimage/_capi.py differs from what scripts/gen-python-capi.py makes
//! from include/ndimage.h (the Python binding's ctypes declarations are generated, never
//! typed by hand). Run with NDI_UPDATE_PYTHON_CAPI=1 to rewrite the file. Needs `python3`
//! (the generator uses only its standard library).

use std::path::Path;
use std::process::Command;

#[test]
fn committed_python_capi_matches_the_header() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = Command::new("python3")
        .arg(root.join("scripts/gen-python-capi.py"))
        .arg("--stdout")
        .output()
        .expect("python3 runs scripts/gen-python-capi.py");
    assert!(
        run.status.success(),
        "scripts/gen-python-capi.py failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let generated = String::from_utf8(run.stdout).expect("the generator writes UTF-8");
    let path = root.join("python/libndimage/_capi.py");
    if std::env::var_os("NDI_UPDATE_PYTHON_CAPI").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "python/libndimage/_capi.py is stale: regenerate it with \
         `NDI_UPDATE_PYTHON_CAPI=1 cargo test --test python_capi` \
         (or `python3 scripts/gen-python-capi.py`)"
    );
}
