//! The `neq` command line.

fn main() {}
