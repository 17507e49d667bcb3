//! The archive document format: line splitting, the model and its parser.

pub mod lines;
pub mod model;
pub mod parser;

pub use lines::Line;
pub use model::*;
pub use parser::parse;
