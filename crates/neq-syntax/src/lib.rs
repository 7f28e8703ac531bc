//! Parsing pipeline files into a syntax tree.
pub mod ast;
