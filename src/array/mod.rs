//! Arrays: element types, and the raw strided layer that holds caller memory.
//!
//! The raw layer (`layout`, `view`, `transfer`, `owned`) is, with the C API, the only place
//! where `unsafe` code lives. Its invariant, kept by every view: for every in-bounds index
//! `i`, the bytes `base + Σ i[a]·strides[a] .. + item_size` are valid for reads (and, for a
//! writable view, writes) for the view's lifetime. Everything above it (engines, filters,
//! interpolation, ...) is safe Rust over the interface these modules offer: whole lines and
//! runs read into buffers and written back, bounds checked once per transfer.

pub mod dtype;
pub mod elementwise;
pub mod gather;
pub mod layout;
pub mod lines;
pub mod ndarray;
pub mod owned;
pub mod transfer;
pub mod view;

pub use dtype::{DType, Element, OutputElement};
pub use layout::{advance, Layout, MAX_RANK};
pub use ndarray::{AsInput, AsOutput};
pub use owned::{for_parts, OwnedArray, Source};
pub use transfer::StoreRule;
pub use view::{ArrayMut, ArrayRef, Parts};

#[cfg(test)]
mod tests;
