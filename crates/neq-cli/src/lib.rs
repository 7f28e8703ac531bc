//! The `neq` command line, as a library so that plugin crates can ship their own `neq`
//! binary with extra kinds: build a [`Registry`], then call [`main_with`].
//!
//! Exit codes: 0 success, 1 invalid pipeline, 2 usage error, 3 run failed.

mod commands;
mod logging;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use neq_core::Registry;

/// Success.
pub const EXIT_OK: u8 = 0;
/// The pipeline is invalid.
pub const EXIT_INVALID: u8 = 1;
/// The command line is wrong.
pub const EXIT_USAGE: u8 = 2;
/// The pipeline was valid but the run failed.
pub const EXIT_RUN_FAILED: u8 = 3;

/// Non-equilibrium stochastic dynamics: check, plan and run pipeline files.
#[derive(Debug, Parser)]
#[command(name = "neq", version, about, long_about = None)]
pub struct Cli {
    /// More logging on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse and check pipeline files without running them.
    Check {
        /// Pipeline files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Override a constant: `--set kT=0.5` (repeatable).
        #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
        set: Vec<(String, String)>,
    },
    /// Run a pipeline and write its tables.
    Run {
        /// The pipeline file.
        file: PathBuf,
        /// Output directory.
        #[arg(long, default_value = "results")]
        out: PathBuf,
        /// Worker threads (default: one per core). Results do not depend on it.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
        threads: Option<u16>,
        /// Override a constant: `--set kT=0.5` (repeatable).
        #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
        set: Vec<(String, String)>,
    },
    /// Print the dataflow graph of a pipeline.
    Plan {
        /// The pipeline file.
        file: PathBuf,
        /// Print Graphviz DOT instead of text.
        #[arg(long)]
        dot: bool,
        /// Override a constant: `--set kT=0.5` (repeatable).
        #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
        set: Vec<(String, String)>,
    },
    /// List every registered kind with its parameters.
    Kinds {
        /// Print the language reference section in Markdown.
        #[arg(long)]
        markdown: bool,
    },
}

/// Output format of diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style text.
    Text,
    /// A JSON array.
    Json,
}

fn parse_set(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() && !value.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.trim().to_owned()))
        }
        _ => Err(format!("expected NAME=VALUE, found `{text}`")),
    }
}

/// Parses the process's arguments and runs the command with the kinds of `registry`.
pub fn main_with(registry: Registry) -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    logging::init(cli.verbose);
    ExitCode::from(commands::dispatch(cli.command, &registry))
}
