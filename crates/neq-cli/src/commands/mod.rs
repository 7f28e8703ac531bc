//! One module per subcommand; each returns the process exit code.

mod check;
mod kinds;
mod plan;
mod run;

use std::path::Path;

use neq_check::{CheckOptions, Checked};
use neq_core::Registry;
use neq_diag::{SourceMap, render_terminal};

use crate::{Command, EXIT_INVALID};

/// Runs one subcommand.
pub fn dispatch(command: Command, registry: &Registry) -> u8 {
    match command {
        Command::Check { files, format, set } => check::check(&files, format, set, registry),
        Command::Run { file, out, threads, set } => run::run(&file, &out, threads, set, registry),
        Command::Plan { file, dot, set } => plan::plan(&file, dot, set, registry),
        Command::Kinds { markdown } => kinds::kinds(registry, markdown),
    }
}

/// Checks one file and prints its diagnostics as text on stderr; returns the pipeline or
/// the exit code to stop with.
fn load_pipeline(
    file: &Path,
    overrides: Vec<(String, String)>,
    registry: &Registry,
) -> Result<(neq_check::Pipeline, SourceMap), u8> {
    let mut sources = SourceMap::new();
    let options = CheckOptions { overrides };
    let Checked { pipeline, diagnostics } =
        match neq_check::check(file, &options, registry, &mut sources) {
            Ok(checked) => checked,
            Err(unreadable) => {
                eprintln!(
                    "error: cannot read `{}`: {}",
                    unreadable.path.display(),
                    unreadable.reason
                );
                return Err(EXIT_INVALID);
            }
        };
    if !diagnostics.is_empty() {
        eprint!("{}", render_terminal(&sources, &diagnostics));
    }
    match pipeline {
        Some(pipeline) => Ok((pipeline, sources)),
        None => {
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "error: `{}` is invalid ({errors} error{})",
                file.display(),
                if errors == 1 { "" } else { "s" }
            );
            Err(EXIT_INVALID)
        }
    }
}
