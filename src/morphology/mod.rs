//! Morphology: grey morphology (scipy's minimum and maximum filters with structuring
//! elements, and their compositions).

#![forbid(unsafe_code)]

pub mod grey;

pub use grey::{
    black_tophat, grey_closing, grey_dilation, grey_erosion, grey_opening, morphological_gradient,
    morphological_laplace, white_tophat, Structure,
};
