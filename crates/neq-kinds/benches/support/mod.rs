//! What the benchmarks of this crate share: their settings, read from the command line and
//! the environment.

use std::time::Duration;

/// What the run was asked for: `--json` (or `NEQ_BENCH_JSON=1`), `NEQ_BENCH_PARTICLES` and
/// `NEQ_BENCH_SECONDS` (timed seconds per case).
pub struct Config {
    /// Print one JSON object instead of a table.
    pub json: bool,
    /// Particles per case.
    pub particles: usize,
    /// Timed seconds per case.
    pub budget: Duration,
}

impl Config {
    /// The settings of this run; `default_seconds` when `NEQ_BENCH_SECONDS` is not set.
    pub fn from_env(default_seconds: f64) -> Self {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let json = std::env::args().any(|a| a == "--json")
            || env("NEQ_BENCH_JSON").is_some_and(|v| v != "0");
        let particles = env("NEQ_BENCH_PARTICLES").map_or(1_000_000, |v| {
            v.replace('_', "").parse().expect("NEQ_BENCH_PARTICLES is a whole number")
        });
        let seconds: f64 = env("NEQ_BENCH_SECONDS")
            .map_or(default_seconds, |v| v.parse().expect("NEQ_BENCH_SECONDS is a number"));
        Config { json, particles, budget: Duration::from_secs_f64(seconds) }
    }
}
