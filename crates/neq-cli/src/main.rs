//! The `neq` command line with the built-in kinds.

use std::process::ExitCode;

fn main() -> ExitCode {
    neq_cli::main_with(neq_kinds::builtin_registry())
}
