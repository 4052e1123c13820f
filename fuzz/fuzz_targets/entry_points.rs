//! Every C entry point under libFuzzer: the harness of the bounded property tests
//! (tests/harness), driven by fuzz input bytes. See fuzz/README.md.
#![no_main]

#[path = "../../tests/harness/mod.rs"]
mod harness;

use std::sync::OnceLock;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    static ONLY: OnceLock<Option<String>> = OnceLock::new();
    let only = ONLY.get_or_init(|| std::env::var("NDI_FUZZ_ONLY").ok());
    harness::run_bytes(data, only.as_deref());
});
