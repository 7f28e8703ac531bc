//! The checked pipeline: typed, resolved and built, ready to be planned and run.

use neq_core::{ColumnSpec, Metric, Sampler};
use neq_diag::Span;

use crate::scope::DeclKind;

/// A sampler ready to run.
pub struct SamplerNode {
    /// Its name in the pipeline.
    pub name: String,
    /// Its kind (`langevin`, …).
    pub kind: &'static str,
    /// Where its name is declared.
    pub span: Span,
    /// The built sampler.
    pub sampler: Box<dyn Sampler>,
}

/// A metric ready to run.
pub struct MetricNode {
    /// Its name, which is also its table's name.
    pub name: String,
    /// Its kind (`moments`, …).
    pub kind: &'static str,
    /// Where its name is declared.
    pub span: Span,
    /// The columns of its table.
    pub columns: &'static [ColumnSpec],
    /// The built metric.
    pub metric: Box<dyn Metric>,
}

/// `record every … until …`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Record {
    /// Time between frames.
    pub every: f64,
    /// Time of the last frame.
    pub until: f64,
}

impl Record {
    /// The recorded times: 0, every, 2·every, …, until (the last one exactly `until`).
    pub fn times(&self) -> Vec<f64> {
        let frames = (self.until / self.every - 1e-9).ceil() as usize;
        (0..=frames).map(|k| if k == frames { self.until } else { k as f64 * self.every }).collect()
    }
}

/// One declaration, as the plan shows it.
#[derive(Clone, Debug)]
pub struct DeclInfo {
    /// The declared name.
    pub name: String,
    /// What it declares.
    pub kind: DeclKind,
    /// The kind called, for samplers and metrics.
    pub kind_name: Option<&'static str>,
    /// Where the name is written.
    pub span: Span,
}

/// A checked pipeline.
pub struct Pipeline {
    /// The `seed` constant (0 when absent).
    pub seed: u64,
    /// When frames are recorded.
    pub record: Record,
    /// Samplers, in dependency order.
    pub samplers: Vec<SamplerNode>,
    /// Metrics, in dependency order.
    pub metrics: Vec<MetricNode>,
    /// Every declaration.
    pub decls: Vec<DeclInfo>,
    /// Dependencies between declarations: `(used, user)` indices into `decls`.
    pub edges: Vec<(usize, usize)>,
    /// Constants and their values, for the manifest.
    pub constants: Vec<(String, f64)>,
    /// The root file's bytes (hashed into the tables' metadata).
    pub source: Vec<u8>,
}
