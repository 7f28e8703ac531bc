//! Metrics: read the frames of some samplers at each recorded time and append rows to one
//! table named after the metric.

use crate::rng::StreamKey;
use crate::sampler::NamedFrame;
use crate::table::Table;

/// Why a metric could not read a frame.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MetricError {
    /// The metric needs points but got a density, or the reverse.
    #[error("metric cannot read the frame of `{sampler}`: {reason}")]
    UnsupportedFrame {
        /// The sampler whose frame was refused.
        sampler: String,
        /// Why.
        reason: String,
    },
    /// Any other failure.
    #[error("{0}")]
    Other(String),
}

/// A statistic computed per recorded time.
pub trait Metric: Send {
    /// Names of the samplers this metric reads, in the order their frames are passed.
    fn inputs(&self) -> Vec<String>;

    /// Checks the dimensions of the inputs before anything runs: `dims[i]` is the number
    /// of coordinates of the sampler named by `inputs()[i]`. A metric that reads a fixed
    /// coordinate, or compares samplers with each other, says here what does not fit; the
    /// checker reports the message at the metric's declaration.
    fn check_dims(&self, dims: &[usize]) -> Result<(), String> {
        let _ = dims;
        Ok(())
    }

    /// Names of the sampler observables (see `Sampler::observables`) this metric reads; the
    /// engine asks every input sampler for them before the run, so that samplers compute
    /// costly observables only when something reads them. Empty by default.
    fn observables_read(&self) -> Vec<&'static str> {
        Vec::new()
    }

    /// Called once before the first frame with the metric's own random streams, keyed by
    /// the pipeline's seed and the metric's name. Metrics that draw random numbers (such as
    /// reference samples or projection directions) keep the key; the others ignore it.
    fn start(&mut self, streams: StreamKey) {
        let _ = streams;
    }

    /// Appends the rows for time `t`. `frames` follows the order of [`Metric::inputs`].
    fn observe(
        &mut self,
        t: f64,
        frames: &[NamedFrame<'_>],
        table: &mut Table,
    ) -> Result<(), MetricError>;
}
