//! `neq check FILE…`: diagnostics for each file, as text or JSON.

use std::path::PathBuf;

use neq_check::{CheckOptions, Checked};
use neq_core::Registry;
use neq_diag::{Diagnostic, SourceMap, render_json, render_terminal};

use crate::{EXIT_INVALID, EXIT_OK, Format};

/// Checks every file; exits 1 if any has an error.
pub fn check(
    files: &[PathBuf],
    format: Format,
    overrides: Vec<(String, String)>,
    registry: &Registry,
) -> u8 {
    let mut sources = SourceMap::new();
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut unreadable: Vec<serde_json::Value> = Vec::new();
    let mut invalid = false;
    let options = CheckOptions { overrides };
    for file in files {
        match neq_check::check(file, &options, registry, &mut sources) {
            Ok(Checked { pipeline, diagnostics }) => {
                invalid |= pipeline.is_none();
                all.extend(diagnostics);
            }
            Err(error) => {
                invalid = true;
                let message = format!("cannot read `{}`: {}", error.path.display(), error.reason);
                if format == Format::Text {
                    eprintln!("error: {message}");
                }
                let file = error.path.display().to_string();
                unreadable.push(serde_json::json!({
                    "severity": "error", "message": message, "file": file,
                    "start": null, "end": null, "labels": [], "hints": ["check the path"],
                }));
            }
        }
    }
    match format {
        Format::Text => {
            eprint!("{}", render_terminal(&sources, &all));
            let errors = all.iter().filter(|d| d.is_error()).count() + unreadable.len();
            if invalid {
                eprintln!("error: {errors} error{} found", if errors == 1 { "" } else { "s" });
            } else {
                eprintln!(
                    "ok: {} file{} checked",
                    files.len(),
                    if files.len() == 1 { "" } else { "s" }
                );
            }
        }
        Format::Json => {
            let mut items: Vec<serde_json::Value> =
                serde_json::from_str(&render_json(&sources, &all)).expect("rendered JSON parses");
            items.extend(unreadable);
            println!("{}", serde_json::to_string_pretty(&items).expect("JSON serialises"));
        }
    }
    if invalid { EXIT_INVALID } else { EXIT_OK }
}
