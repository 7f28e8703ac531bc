//! Shared vocabulary of neq: plugin traits, the registry, values, frames and tables.
//!
//! Every kind a pipeline can name (`prinz`, `langevin`, `moments`, …) is a Rust type
//! implementing one of the traits here ([`Schedule`], [`Potential`], [`Sampler`], [`Metric`])
//! and registered in a [`Registry`] with its documented parameters. Kernels see only these
//! types: no spans, files or tables of the language layer.

pub mod density;
pub mod metric;
pub mod potential;
pub mod registry;
pub mod rng;
pub mod sampler;
pub mod schedule;
pub mod table;
pub mod value;

pub use metric::{Metric, MetricError};
pub use potential::{Composite, Evaluation, Potential, Term, Want};
pub use registry::{
    Bound, BuildError, Builder, Category, KindSpec, ParamDefault, ParamSpec, ParamType, Registry,
};
pub use rng::{ParticleRng, StreamKey, node_id};
pub use sampler::{Axis, Density, Ensemble, Frame, NamedFrame, RunContext, Sampler, SamplerError};
pub use schedule::{Schedule, ScheduleBank, TimeFn};
pub use table::{Cell, Column, ColumnSpec, ColumnType, Table};
pub use value::{ArgValue, Args, InitSpec, NamedRange};
