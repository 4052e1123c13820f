//! Morphology: structuring elements, binary morphology (erosion, dilation and their
//! compositions), grey morphology (scipy's minimum and maximum filters with structuring
//! elements, and their compositions) and the distance transforms, as scipy.ndimage computes
//! them.

#![forbid(unsafe_code)]

pub mod bf;
pub mod binary;
pub mod cdt;
mod closure;
pub mod edt;
pub mod grey;
mod rows;
pub mod structure;

pub use bf::{distance_transform_bf, Metric};
pub use binary::{
    binary_closing, binary_dilation, binary_erosion, binary_fill_holes, binary_hit_or_miss,
    binary_opening, binary_propagation,
};
pub use cdt::distance_transform_cdt;
pub use edt::distance_transform_edt;
pub use grey::{
    black_tophat, grey_closing, grey_dilation, grey_erosion, grey_opening, morphological_gradient,
    morphological_laplace, white_tophat, Structure,
};
pub use structure::{
    generate_binary_structure, iterate_structure, iterate_structure_shape, store_structure,
};
