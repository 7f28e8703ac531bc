//! A `neq` binary that knows the built-in kinds plus `morse` and `quantiles`.
//!
//! It is the stock command line: every subcommand, flag and exit code of `neq` works the same,
//! and `neq-plugin-example kinds` lists the two extra kinds beside the built-ins.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut registry = neq_kinds::builtin_registry();
    if let Err(clash) = neq_plugin_example::register(&mut registry) {
        eprintln!("error: {clash}");
        return ExitCode::FAILURE;
    }
    neq_cli::main_with(registry)
}
