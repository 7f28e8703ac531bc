//! Behaviour of the `neq` command as a user sees it: exit codes, diagnostics on stderr,
//! JSON on stdout, plans and kinds. Every test runs the real binary.
//!
//! - [`corpus`]: every pipeline of `tests/invalid/` at the root of the repository, one
//!   mistake each, with a snapshot of its diagnostics next to it;
//! - [`json`]: the same diagnostics as JSON for tools;
//! - [`robustness`]: input no pipeline should be (binary files, huge lines, deep nesting,
//!   missing files), which must end with a message and never a panic;
//! - [`usage`]: command lines that are wrong (exit 2) and `--set` mistakes;
//! - [`run`]: a run that diverges (exit 3) and leaves no table behind;
//! - [`shipped`]: the pipelines in `pipelines/` check, and their plan and `neq kinds`.
//!
//! To accept changed output, run with `INSTA_UPDATE=always` and read every changed `.snap`.

mod common;
mod corpus;
mod json;
mod robustness;
mod run;
mod shipped;
mod usage;
