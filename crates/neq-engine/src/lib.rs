//! Planning and running checked pipelines.
//!
//! [`plan`] turns a [`Pipeline`](neq_check::Pipeline) into a dataflow graph (petgraph) that
//! `neq plan` prints; [`run`] executes it frame by frame: every sampler advances to the next
//! recorded time (samplers in parallel, particles in parallel inside each sampler), then
//! every metric reads the frame and appends rows to its table. Tables are staged and moved
//! into place only when the whole run succeeded.

mod plan;
mod run;

pub use plan::{Plan, PlanNode, plan};
pub use run::{Observer, Progress, RunError, RunOptions, RunSummary, run};
