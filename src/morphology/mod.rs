//! Morphology: structuring elements, binary morphology (erosion, dilation and their
//! compositions) and the distance transforms, as scipy.ndimage computes them.

#![forbid(unsafe_code)]

pub mod binary;
mod closure;
mod rows;
pub mod structure;

pub use binary::{
    binary_closing, binary_dilation, binary_erosion, binary_fill_holes, binary_hit_or_miss,
    binary_opening, binary_propagation,
};
pub use structure::{
    generate_binary_structure, iterate_structure, iterate_structure_shape, store_structure,
};
