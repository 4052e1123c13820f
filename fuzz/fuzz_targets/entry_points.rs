//! Every C entry point under libFuzzer: the harness of the bounded property tests
//! (tests/harness), driven by fuzz input bytes. See fuzz/README.md.
#![no_main]

#[path = "../../tests/harness/mod.rs"]
mod harness;

use std::ffi::c_char;
use std::sync::OnceLock;

/// AddressSanitizer's defaults for this target: allocations that cannot be satisfied return
/// NULL, as from the system allocator (the library turns them into NDI_ERR_OUT_OF_MEMORY,
/// which the cases test), instead of aborting.
#[no_mangle]
pub extern "C" fn __asan_default_options() -> *const c_char {
    c"allocator_may_return_null=1".as_ptr()
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    static ONLY: OnceLock<Option<String>> = OnceLock::new();
    let only = ONLY.get_or_init(|| std::env::var("NDI_FUZZ_ONLY").ok());
    harness::run_bytes(data, only.as_deref());
});
