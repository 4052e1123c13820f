//! The engines every function is built from, as scipy's C core is: the line pass (1-D
//! filters), the separable driver (a line pass per axis), the neighbourhood walk (filters over
//! a footprint), and footprints.
//!
//! A function on an engine supplies only its kernel: the arithmetic of one line or one
//! window. Reading and writing memory, boundary extension, threads, stopping on failure and
//! reporting where are the engine's.

#![forbid(unsafe_code)]

pub mod footprint;
pub mod line_pass;
pub mod neighbourhood;
pub mod pointwise;
pub mod separable;

pub use footprint::Footprint;
