//! `neq run FILE`: check, run, and write tables, with a progress bar on terminals.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use neq_core::Registry;
use neq_diag::{Diagnostic, SourceMap, render_terminal};
use neq_engine::{Observer, RunOptions};

use crate::{EXIT_OK, EXIT_RUN_FAILED};

/// Runs a pipeline; exit 1 if it is invalid, 3 if the run fails.
pub fn run(
    file: &Path,
    out: &Path,
    threads: Option<u16>,
    overrides: Vec<(String, String)>,
    registry: &Registry,
) -> u8 {
    let settings: BTreeMap<String, String> =
        overrides.iter().map(|(k, v)| (format!("set.{k}"), v.clone())).collect();
    let (pipeline, sources) = match super::load_pipeline(file, overrides, registry) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let options = RunOptions {
        out: out.to_owned(),
        threads: threads.map(usize::from),
        pipeline_path: file.display().to_string(),
        settings,
    };
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(pipeline.record.times().len() as u64);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} frames {pos}/{len} [{bar:30}] {elapsed_precise} eta {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let observer = Terminal { bar: &bar, sources: &sources };
    let result = neq_engine::run(pipeline, &options, &observer);
    bar.finish_and_clear();
    match result {
        Ok(summary) => {
            let rows: usize = summary.tables.iter().map(|(_, r)| r).sum();
            eprintln!(
                "wrote {} table{} ({rows} rows, {} frames) to {} in {:.2} s on {} thread{}",
                summary.tables.len(),
                if summary.tables.len() == 1 { "" } else { "s" },
                summary.frames,
                out.display(),
                summary.seconds,
                summary.threads,
                if summary.threads == 1 { "" } else { "s" },
            );
            EXIT_OK
        }
        Err(error) => {
            match error.to_diagnostic() {
                Some(diagnostic) => eprint!("{}", render_terminal(&sources, &[diagnostic])),
                None => eprintln!("error: {error}"),
            }
            eprintln!(
                "error: the run failed, so no tables were written; whatever `{}` held is untouched",
                out.display()
            );
            EXIT_RUN_FAILED
        }
    }
}

/// Shows a run's progress on a bar and its warnings above it, at the pipeline's lines.
struct Terminal<'a> {
    bar: &'a ProgressBar,
    sources: &'a SourceMap,
}

impl Observer for Terminal<'_> {
    fn frame_done(&self, done: usize, _total: usize) {
        self.bar.set_position(done as u64);
    }

    fn warning(&self, diagnostic: Diagnostic) {
        let text = render_terminal(self.sources, &[diagnostic]);
        self.bar.suspend(|| eprint!("{text}"));
    }
}
