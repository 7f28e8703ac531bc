//! Throughput of the `distance` metric: each measure on its own, for an ensemble of 10⁶
//! particles against a normal density on a 2000-cell 1-D grid and on a 256² 2-D grid, with
//! the default settings (100 bins, 64 directions, 2000 points). One `noise_floor` row per
//! grid adds the cost of drawing 10⁶ exact samples of the density.
//!
//! Each case is warmed up once (so buffers are allocated and reused as in a run), then timed
//! for rounds of one frame until it has had `NEQ_BENCH_SECONDS` (default 2) and at least
//! three rounds; the median round gives the time per frame and particles/s. For scale, the
//! run also times sorting 10⁶ floats, the floor of an exact 1-D W₁ between a sample and a
//! density. `mmd` and the 2-D `energy` read only the first 2000 particles (`points`), so their
//! particles/s say how long a frame takes, not how the cost grows with particles.
//! `--json` (or `NEQ_BENCH_JSON=1`) prints one JSON object instead of the table;
//! `NEQ_BENCH_PARTICLES` changes the number of particles.
//!
//! Run with `cargo bench -p neq-kinds --bench distance [-- --json]`.

mod support;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use neq_core::{Axis, Density, Ensemble, Frame, Metric, NamedFrame, StreamKey, Table, node_id};
use neq_kinds::metrics::distance::{self, Against, Measure, Settings};
use rand::RngExt;
use rand_distr::StandardNormal;
use support::Config;

/// Fewest timed rounds per case.
const MIN_ROUNDS: usize = 3;

/// A normal density N(0, 1) per axis on [−5, 5]^dim, `cells` cells per axis.
fn normal_density(dim: usize, cells: usize) -> Density {
    let axis = Axis { lo: -5.0, hi: 5.0, cells };
    let mut density = Density::zeros(vec![axis; dim]);
    for (c, v) in density.values.iter_mut().enumerate() {
        let (mut flat, mut r2) = (c, 0.0);
        for _ in 0..dim {
            r2 += axis.centre(flat % cells).powi(2);
            flat /= cells;
        }
        *v = (-r2 / 2.0).exp();
    }
    let mass = density.mass();
    density.values.iter_mut().for_each(|v| *v /= mass);
    density
}

/// `n` points with N(0.1, 1) coordinates, a little off the density.
fn sample(dim: usize, n: usize) -> Ensemble {
    let mut rng = StreamKey { seed: 1, node: node_id("bench") }.stream(&[dim as u64]);
    let mut ensemble = Ensemble::zeros(dim, n);
    for d in 0..dim {
        for x in ensemble.coord_mut(d) {
            *x = 0.1 + rng.sample::<f64, _>(StandardNormal);
        }
    }
    ensemble
}

/// The timing of one case.
struct Measurement {
    grid: String,
    case: String,
    /// Median seconds per frame.
    seconds: f64,
    rounds: usize,
    value: f64,
    particles: usize,
}

impl Measurement {
    fn particles_per_second(&self) -> f64 {
        self.particles as f64 / self.seconds
    }
}

/// Times `metric` on one frame of `particles` against `density`.
fn time(
    mut metric: Box<dyn Metric>,
    particles: &Ensemble,
    density: &Density,
    budget: Duration,
) -> (f64, usize, f64) {
    metric.start(StreamKey { seed: 1, node: node_id("bench distance") });
    let frames = [
        NamedFrame { name: "sim", frame: Frame::Ensemble(particles), observables: &[] },
        NamedFrame { name: "fp", frame: Frame::Density(density), observables: &[] },
    ];
    let mut table = Table::new("bench", &distance::COLUMNS);
    metric.observe(0.0, &frames, &mut table).expect("the metric reads the frames");
    let mut rounds = Vec::new();
    let started = Instant::now();
    while rounds.len() < MIN_ROUNDS || started.elapsed() < budget {
        let mut table = Table::new("bench", &distance::COLUMNS);
        let clock = Instant::now();
        metric.observe(0.0, &frames, &mut table).expect("the metric reads the frames");
        rounds.push(clock.elapsed().as_secs_f64());
    }
    rounds.sort_by(f64::total_cmp);
    let value = match table.columns().last() {
        Some((_, neq_core::Column::Float64(v))) => v[0],
        _ => f64::NAN,
    };
    (rounds[rounds.len() / 2], rounds.len(), value)
}

/// Median seconds to sort `n` floats by `total_cmp`.
fn sort_floor(particles: &Ensemble, budget: Duration) -> (f64, usize) {
    let mut rounds = Vec::new();
    let started = Instant::now();
    let mut buffer = Vec::with_capacity(particles.len());
    while rounds.len() < MIN_ROUNDS || started.elapsed() < budget {
        buffer.clear();
        buffer.extend_from_slice(particles.coord(0));
        let clock = Instant::now();
        buffer.sort_unstable_by(f64::total_cmp);
        rounds.push(clock.elapsed().as_secs_f64());
    }
    rounds.sort_by(f64::total_cmp);
    (rounds[rounds.len() / 2], rounds.len())
}

fn measure(config: &Config) -> Vec<Measurement> {
    let mut results = Vec::new();
    for (dim, cells) in [(1, 2000), (2, 256)] {
        let grid = if dim == 1 { format!("1-D {cells}") } else { format!("2-D {cells}²") };
        let density = normal_density(dim, cells);
        let particles = sample(dim, config.particles);
        let measurement = |case, seconds, rounds, value| Measurement {
            grid: grid.clone(),
            case,
            seconds,
            rounds,
            value,
            particles: config.particles,
        };
        if dim == 1 {
            let (seconds, rounds) = sort_floor(&particles, config.budget);
            results.push(measurement("sort f64".into(), seconds, rounds, f64::NAN));
        }
        let metrics: Vec<(String, Box<dyn Metric>)> = Measure::ALL
            .iter()
            .map(|&m| {
                let metric = distance::Distance::new(
                    vec!["sim".into()],
                    "fp".into(),
                    vec![m],
                    Settings::default(),
                );
                (m.word().to_owned(), Box::new(metric) as Box<dyn Metric>)
            })
            .chain([(
                "noise_floor w1".to_owned(),
                Box::new(distance::NoiseFloor::new(
                    vec!["sim".into()],
                    "fp".into(),
                    vec![Measure::W1],
                    Against::Density,
                    Settings::default(),
                )) as Box<dyn Metric>,
            )])
            .collect();
        for (case, metric) in metrics {
            let (seconds, rounds, value) = time(metric, &particles, &density, config.budget);
            eprintln!("{grid} {case}: {seconds:.4} s per frame");
            results.push(measurement(case, seconds, rounds, value));
        }
    }
    results
}

fn json(config: &Config, results: &[Measurement]) -> String {
    let mut out = String::new();
    let threads = rayon::current_num_threads();
    let _ = write!(
        out,
        "{{\"benchmark\": \"distance\", \"particles\": {}, \"threads\": {threads}, \"results\": [",
        config.particles
    );
    for (i, m) in results.iter().enumerate() {
        let _ = write!(
            out,
            "{}{{\"grid\": \"{}\", \"case\": \"{}\", \"seconds\": {:.6}, \"rounds\": {}, \
             \"particles_per_second\": {:.4e}, \"value\": {}}}",
            if i == 0 { "" } else { ", " },
            m.grid,
            m.case,
            m.seconds,
            m.rounds,
            m.particles_per_second(),
            if m.value.is_finite() { format!("{:e}", m.value) } else { "null".into() },
        );
    }
    out.push_str("]}");
    out
}

fn table(config: &Config, results: &[Measurement]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "distance: {} particles against a normal density, default settings, {} thread(s)",
        config.particles,
        rayon::current_num_threads()
    );
    let _ = writeln!(
        out,
        "{:<10} {:<15} {:>12} {:>14} {:>7} {:>12}",
        "grid", "case", "s/frame", "particles/s", "rounds", "value"
    );
    for m in results {
        let _ = writeln!(
            out,
            "{:<10} {:<15} {:>12.5} {:>14.3e} {:>7} {:>12.4e}",
            m.grid,
            m.case,
            m.seconds,
            m.particles_per_second(),
            m.rounds,
            m.value
        );
    }
    out
}

fn main() {
    let config = Config::from_env(2.0);
    let results = measure(&config);
    if config.json {
        println!("{}", json(&config, &results));
    } else {
        print!("{}", table(&config, &results));
    }
}
