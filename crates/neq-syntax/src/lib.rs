//! Parsing pipeline files into a syntax tree.
//!
//! [`parse`] turns the text of one `*.neq` file into an [`Ast`] in which every node keeps
//! the [`neq_diag::Span`] of its text, plus the diagnostics for everything that is not
//! well-formed. It never panics and never fails as a whole: bad statements are reported and
//! left out, and parsing goes on with the next statement. [`decode`] checks a file's bytes
//! before that, and the [`std::fmt::Display`] impls of the tree print canonical source that
//! parses back to the same tree.
//!
//! ```
//! use neq_diag::FileId;
//! use neq_syntax::ast::ItemKind;
//!
//! let (ast, diagnostics) = neq_syntax::parse("kT = 0.2\nrecord every 0.02 until 20\n", FileId(0));
//! assert!(diagnostics.is_empty());
//! assert!(matches!(ast.items[1].kind, ItemKind::Record { .. }));
//! assert_eq!(ast.to_string(), "kT = 0.2\nrecord every 0.02 until 20\n");
//! ```
//!
//! The grammar is `grammar/neq.pest` at the root of the repository; its header states the
//! layout rules (where newlines end statements). Limits that protect later phases:
//! brackets nest at most [`MAX_NESTING`] deep and no expression tree is deeper than
//! [`MAX_EXPR_DEPTH`], so code that recurses over the tree is safe.

pub mod ast;
mod decode;
mod grammar;
mod lower;
mod parser;
mod print;
mod scan;
mod syntax_error;

pub use decode::decode;
pub use lower::MAX_EXPR_DEPTH;
pub use parser::{MAX_SYNTAX_ERRORS, parse};
pub use scan::{KEYWORDS, MAX_NESTING};
