//! Frame-synchronous execution: samplers advance to each recorded time in parallel, then
//! metrics read the frames; tables are staged and committed when everything succeeded.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use neq_check::Pipeline;
use neq_core::{MetricError, NamedFrame, RunContext, SamplerError, StreamKey, Table, node_id};
use neq_diag::{Diagnostic, Span};
use neq_table::{Manifest, OutputDir, TableError, sha256_hex};
use rayon::prelude::*;

/// What a run tells its caller while it goes: progress after each frame, and warnings as
/// they arise (a failed run may have warned first).
///
/// A closure `|done, total| …` is an observer that logs warnings through `tracing`.
pub trait Observer: Sync {
    /// Called after each frame with (frames done, frames in all).
    fn frame_done(&self, done: usize, total: usize);

    /// A warning about the declaration at `diagnostic`'s span.
    fn warning(&self, diagnostic: Diagnostic) {
        tracing::warn!("{}", diagnostic.message);
    }
}

impl<F: Fn(usize, usize) + Sync> Observer for F {
    fn frame_done(&self, done: usize, total: usize) {
        self(done, total);
    }
}

/// The observer of a run.
pub type Progress<'a> = &'a dyn Observer;

/// How to run.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Directory the tables are written to.
    pub out: PathBuf,
    /// Worker threads; `None` uses one per core. Results do not depend on it.
    pub threads: Option<usize>,
    /// The pipeline file as given, for the manifest.
    pub pipeline_path: String,
    /// Settings recorded in the manifest (e.g. `--set` overrides).
    pub settings: BTreeMap<String, String>,
}

/// What a successful run did.
#[derive(Clone, Debug)]
pub struct RunSummary {
    /// Frames recorded.
    pub frames: usize,
    /// Tables written, with their row counts.
    pub tables: Vec<(String, usize)>,
    /// Worker threads used.
    pub threads: usize,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A sampler could not go on.
    #[error("sampler `{name}` failed: {error}")]
    Sampler {
        /// The sampler's name.
        name: String,
        /// Where it is declared.
        span: Span,
        /// What went wrong.
        error: SamplerError,
    },
    /// A metric could not read a frame.
    #[error("metric `{name}` failed at t = {t}: {error}")]
    Metric {
        /// The metric's name.
        name: String,
        /// Where it is declared.
        span: Span,
        /// Time of the frame.
        t: f64,
        /// What went wrong.
        error: MetricError,
    },
    /// The tables could not be written.
    #[error(transparent)]
    Output(#[from] TableError),
    /// The thread pool could not be created.
    #[error("cannot start {threads} worker threads: {reason}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// Why it failed.
        reason: String,
    },
}

impl RunError {
    /// The error as a diagnostic pointing at the declaration at fault, when there is one.
    pub fn to_diagnostic(&self) -> Option<Diagnostic> {
        match self {
            RunError::Sampler { span, error, .. } => {
                let mut diagnostic = Diagnostic::error(*span, self.to_string());
                if let Some(hint) = error.hint() {
                    diagnostic = diagnostic.with_hint(hint);
                }
                Some(diagnostic)
            }
            RunError::Metric { span, .. } => Some(Diagnostic::error(*span, self.to_string())),
            RunError::Output(_) | RunError::Threads { .. } => None,
        }
    }
}

/// Runs a checked pipeline and writes its tables under `options.out`.
pub fn run(
    pipeline: Pipeline,
    options: &RunOptions,
    progress: Progress<'_>,
) -> Result<RunSummary, RunError> {
    let threads = options.threads.unwrap_or_else(rayon::current_num_threads).max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| RunError::Threads { threads, reason: e.to_string() })?;
    pool.install(|| run_in_pool(pipeline, options, threads, progress))
}

fn run_in_pool(
    mut pipeline: Pipeline,
    options: &RunOptions,
    threads: usize,
    progress: Progress<'_>,
) -> Result<RunSummary, RunError> {
    let started = Instant::now();
    let times = pipeline.record.times();
    let seed = pipeline.seed;
    // Open the output first, so an unwritable directory fails before any work.
    let mut output = OutputDir::begin(&options.out)?;
    let mut tables: Vec<Table> =
        pipeline.metrics.iter().map(|m| Table::new(m.name.clone(), m.columns)).collect();
    let inputs: Vec<Vec<usize>> = pipeline
        .metrics
        .iter()
        .map(|m| {
            m.metric
                .inputs()
                .iter()
                .map(|name| {
                    pipeline
                        .samplers
                        .iter()
                        .position(|s| &s.name == name)
                        .expect("checked sampler name")
                })
                .collect()
        })
        .collect();
    tracing::info!(
        samplers = pipeline.samplers.len(),
        metrics = pipeline.metrics.len(),
        frames = times.len(),
        threads,
        "run started"
    );

    for (index, node) in pipeline.samplers.iter_mut().enumerate() {
        let mut wanted: Vec<&'static str> = Vec::new();
        for (metric, inputs) in pipeline.metrics.iter().zip(&inputs) {
            if inputs.contains(&index) {
                wanted.extend(metric.metric.observables_read());
            }
        }
        wanted.sort_unstable();
        wanted.dedup();
        node.sampler.want_observables(&wanted);
    }
    for node in &mut pipeline.metrics {
        node.metric.start(StreamKey { seed, node: node_id(&node.name) });
    }
    for (frame, &t) in times.iter().enumerate() {
        let span = tracing::debug_span!("frame", frame, t);
        let _entered = span.enter();
        let results: Vec<Result<(), SamplerError>> = pipeline
            .samplers
            .par_iter_mut()
            .map(|node| {
                let ctx = RunContext {
                    streams: StreamKey { seed, node: node_id(&node.name) },
                    frame: frame as u64,
                };
                if frame == 0 { node.sampler.start(t, ctx) } else { node.sampler.advance(t, ctx) }
            })
            .collect();
        // The first failing sampler in declaration order, whatever the threads did.
        if let Some((index, Err(error))) = results.into_iter().enumerate().find(|(_, r)| r.is_err())
        {
            let node = &pipeline.samplers[index];
            return Err(RunError::Sampler { name: node.name.clone(), span: node.span, error });
        }
        let samplers = &pipeline.samplers;
        let observed: Vec<Result<(), MetricError>> = pipeline
            .metrics
            .par_iter_mut()
            .zip(tables.par_iter_mut())
            .zip(inputs.par_iter())
            .map(|((metric, table), inputs)| {
                let frames: Vec<NamedFrame<'_>> = inputs
                    .iter()
                    .map(|&i| NamedFrame {
                        name: &samplers[i].name,
                        frame: samplers[i].sampler.frame(),
                        observables: samplers[i].sampler.observables(),
                    })
                    .collect();
                metric.metric.observe(t, &frames, table)
            })
            .collect();
        if let Some((index, Err(error))) =
            observed.into_iter().enumerate().find(|(_, r)| r.is_err())
        {
            let node = &pipeline.metrics[index];
            return Err(RunError::Metric { name: node.name.clone(), span: node.span, t, error });
        }
        for node in &mut pipeline.samplers {
            for message in node.sampler.take_warnings() {
                progress.warning(Diagnostic::warning(
                    node.span,
                    format!("sampler `{}`: {message}", node.name),
                ));
            }
        }
        progress.frame_done(frame + 1, times.len());
    }
    for node in &pipeline.samplers {
        let counters: Vec<String> =
            node.sampler.counters().iter().map(|(k, v)| format!("{k}={v}")).collect();
        tracing::info!(sampler = %node.name, kind = node.kind, counters = %counters.join(" "), "sampler done");
    }

    let pipeline_sha256 = sha256_hex(&pipeline.source);
    let metadata = vec![
        ("neq_version".to_owned(), env!("CARGO_PKG_VERSION").to_owned()),
        ("pipeline_sha256".to_owned(), pipeline_sha256.clone()),
        ("seed".to_owned(), seed.to_string()),
    ];
    let mut summary_tables = Vec::new();
    for table in &tables {
        output.stage(table, &[], &metadata)?;
        summary_tables.push((table.name.clone(), table.num_rows()));
    }
    let mut settings = options.settings.clone();
    for (name, value) in &pipeline.constants {
        settings.insert(format!("const.{name}"), value.to_string());
    }
    settings.insert("record.every".into(), pipeline.record.every.to_string());
    settings.insert("record.until".into(), pipeline.record.until.to_string());
    let manifest = Manifest {
        neq_version: env!("CARGO_PKG_VERSION").to_owned(),
        pipeline: options.pipeline_path.clone(),
        pipeline_sha256,
        seed,
        created_unix: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        threads,
        settings,
        tables: Vec::new(),
    };
    output.commit(&manifest)?;
    Ok(RunSummary {
        frames: times.len(),
        tables: summary_tables,
        threads,
        seconds: started.elapsed().as_secs_f64(),
    })
}
