//! The pest parser generated from `grammar/neq.pest`.
//!
//! Only the parser module looks at pest pairs; everything else works on the syntax tree.

#![allow(missing_docs)]

use pest_derive::Parser;

/// The generated parser; its `Rule` enum names the grammar's rules.
#[derive(Parser)]
#[grammar = "../../grammar/neq.pest"]
pub(crate) struct NeqParser;
