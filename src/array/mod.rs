//! Arrays: element types, the raw strided layer, and views of ndarray arrays.

pub mod dtype;
pub mod gather;
pub mod lines;
pub mod strided;
mod typed;

pub use dtype::{DType, Element, OutputElement};
pub use strided::{ArrayMut, ArrayRef, Layout, OwnedArray, MAX_RANK};
