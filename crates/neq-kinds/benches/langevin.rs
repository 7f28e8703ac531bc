//! Throughput of the `langevin` sampler on the static 1-D Prinz potential.
//!
//! Three pipelines differ only in their potential: the built-in `prinz()`, the same formula
//! written as `expr(…)`, and `expr(x)`, whose constant gradient costs next to nothing and so
//! shows the integrator's own cost (noise, update, bookkeeping). All go through the real
//! checker (`neq_check::check_text`), so the samplers timed here are exactly the ones
//! `neq run` builds. Each runs on a rayon pool of one thread and on a pool of every core,
//! with 10⁶ particles, dt = 10⁻³, kT = 1 and a uniform start on [−1, 1].
//!
//! Every case is warmed up and calibrated; then the cases take timed rounds in turn until
//! each has had `NEQ_BENCH_SECONDS` (default 2.5), and the median round gives ns per
//! particle-step. The run fails if an ensemble after the warm-up depends on the thread count.
//! `--json` (or `NEQ_BENCH_JSON=1`) prints one JSON object instead of the table;
//! `NEQ_BENCH_PARTICLES` changes the number of particles.
//!
//! Run with `cargo bench -p neq-kinds --bench langevin [-- --json]`.

mod support;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use neq_check::{CheckOptions, check_text};
use neq_core::{Frame, RunContext, Sampler, StreamKey, node_id};
use neq_diag::{SourceMap, render_terminal};
use support::Config;

/// Largest integration step.
const DT: f64 = 1e-3;
/// Thermal energy.
const KT: f64 = 1.0;
/// Pipeline seed.
const SEED: u64 = 1;
/// Name of the sampler in the pipelines (its streams are keyed by it).
const SAMPLER: &str = "sim";
/// Steps taken before anything is timed (page faults, caches, frequency).
const WARMUP_STEPS: u64 = 20;
/// Steps of the calibration that sizes the rounds.
const CALIBRATION_STEPS: u64 = 5;
/// Fewest timed rounds per case.
const MIN_ROUNDS: usize = 5;

/// The Prinz potential as a symbolic expression, term for term the built-in formula.
const PRINZ_EXPR: &str =
    "expr(4*(x^8 + 0.8*exp(-80*x^2) + 0.2*exp(-80*(x-0.5)^2) + 0.5*exp(-40*(x+0.5)^2)))";

/// One way of writing the potential.
struct Case {
    /// Short name in the results.
    name: &'static str,
    /// The right-hand side of the `potential` declaration.
    potential: &'static str,
}

/// The cases: the built-in, the same formula as `expr(…)`, and `expr(x)`, whose constant
/// gradient costs next to nothing, so it shows what the integrator itself (noise, update,
/// bookkeeping) costs per particle-step.
const CASES: [Case; 3] = [
    Case { name: "prinz", potential: "prinz()" },
    Case { name: "expr", potential: PRINZ_EXPR },
    Case { name: "floor", potential: "expr(x)" },
];

/// The timing of one case on one pool.
struct Measurement {
    case: &'static str,
    threads: usize,
    particles: usize,
    /// Timed steps over all rounds.
    steps: u64,
    /// Timed wall-clock seconds over all rounds.
    seconds: f64,
    /// Median over rounds.
    ns_per_particle_step: f64,
    /// Fastest round.
    best_ns_per_particle_step: f64,
    rounds: usize,
}

impl Measurement {
    fn particle_steps_per_second(&self) -> f64 {
        1e9 / self.ns_per_particle_step
    }
}

/// The benchmark pipeline for one way of writing the potential.
fn pipeline_text(potential: &str, particles: usize) -> String {
    format!(
        "seed = {SEED}\n\
         potential landscape = {potential}\n\
         sampler {SAMPLER} = langevin(landscape, particles: {particles}, dt: {DT:e}, kT: {KT},\n\
         \x20                        init: uniform(x: -1..1))\n\
         record every 1 until 1\n"
    )
}

/// Checks the pipeline of `case` and returns its built sampler.
fn build(case: &Case, particles: usize) -> Box<dyn Sampler> {
    let registry = neq_kinds::builtin_registry();
    let mut sources = SourceMap::new();
    let text = pipeline_text(case.potential, particles);
    let checked = check_text("bench.neq", &text, &CheckOptions::default(), &registry, &mut sources);
    let Some(mut pipeline) = checked.pipeline else {
        panic!(
            "the benchmark pipeline does not check:\n{}",
            render_terminal(&sources, &checked.diagnostics)
        );
    };
    assert_eq!(pipeline.samplers.len(), 1, "one sampler");
    pipeline.samplers.pop().expect("one sampler").sampler
}

/// Drives one sampler through frames of whole steps, as the engine does.
struct Driver {
    sampler: Box<dyn Sampler>,
    /// Steps taken so far; the time is always `taken · dt`.
    taken: u64,
    frame: u64,
}

impl Driver {
    fn start(mut sampler: Box<dyn Sampler>) -> Self {
        sampler.start(0.0, ctx(0)).expect("the sampler starts");
        Driver { sampler, taken: 0, frame: 0 }
    }

    /// Advances by exactly `steps` steps and returns the wall-clock time it took.
    fn advance(&mut self, steps: u64) -> Duration {
        let before = self.counted_steps();
        self.frame += 1;
        let t = (self.taken + steps) as f64 * DT;
        let clock = Instant::now();
        self.sampler.advance(t, ctx(self.frame)).expect("the sampler advances");
        let elapsed = clock.elapsed();
        assert_eq!(self.counted_steps() - before, steps, "one frame of {steps} steps");
        self.taken += steps;
        elapsed
    }

    fn counted_steps(&self) -> u64 {
        let counters = self.sampler.counters();
        counters.iter().find(|(k, _)| *k == "steps").map_or(0, |&(_, v)| v)
    }

    fn positions(&self) -> Vec<f64> {
        match self.sampler.frame() {
            Frame::Ensemble(e) => e.coord(0).to_vec(),
            Frame::Density(_) => unreachable!("langevin keeps an ensemble"),
        }
    }
}

fn ctx(frame: u64) -> RunContext {
    RunContext { streams: StreamKey { seed: SEED, node: node_id(SAMPLER) }, frame }
}

/// One case on one pool while it is being timed.
struct Timing {
    case: &'static Case,
    driver: Driver,
    steps_per_round: u64,
    /// ns per particle-step of each round so far.
    rounds: Vec<f64>,
    steps: u64,
    seconds: f64,
}

impl Timing {
    fn round(&mut self, particles: usize) {
        let elapsed = self.driver.advance(self.steps_per_round).as_secs_f64();
        self.rounds.push(elapsed * 1e9 / (self.steps_per_round as f64 * particles as f64));
        self.steps += self.steps_per_round;
        self.seconds += elapsed;
    }

    fn done(&self, budget: Duration) -> bool {
        self.rounds.len() >= MIN_ROUNDS && self.seconds >= budget.as_secs_f64()
    }

    fn finish(mut self, threads: usize, particles: usize) -> Measurement {
        self.rounds.sort_by(f64::total_cmp);
        Measurement {
            case: self.case.name,
            threads,
            particles,
            steps: self.steps,
            seconds: self.seconds,
            ns_per_particle_step: self.rounds[self.rounds.len() / 2],
            best_ns_per_particle_step: self.rounds[0],
            rounds: self.rounds.len(),
        }
    }
}

/// Times every case on a pool of `threads`: each is warmed up and calibrated, then the cases
/// take rounds in turn until each has had `budget`, so a change in the machine's load hits
/// them alike. Returns the measurements and each case's positions after the warm-up.
fn measure(threads: usize, config: &Config) -> Vec<(Measurement, Vec<f64>)> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a pool");
    pool.install(|| {
        let round_seconds = config.budget.as_secs_f64() / MIN_ROUNDS as f64;
        let mut timings = Vec::new();
        let mut warmed = Vec::new();
        for case in &CASES {
            let mut driver = Driver::start(build(case, config.particles));
            driver.advance(WARMUP_STEPS);
            warmed.push(driver.positions());
            let per_step =
                driver.advance(CALIBRATION_STEPS).as_secs_f64() / CALIBRATION_STEPS as f64;
            let steps_per_round = ((round_seconds / per_step).round() as u64).max(1);
            let (rounds, steps, seconds) = (Vec::new(), 0, 0.0);
            timings.push(Timing { case, driver, steps_per_round, rounds, steps, seconds });
        }
        while !timings.iter().all(|t| t.done(config.budget)) {
            for timing in &mut timings {
                if !timing.done(config.budget) {
                    timing.round(config.particles);
                }
            }
        }
        timings.into_iter().map(|t| t.finish(threads, config.particles)).zip(warmed).collect()
    })
}

/// FNV-1a over the bits of the positions: equal hashes mean bit-identical ensembles.
fn fingerprint(positions: &[f64]) -> u64 {
    positions.iter().fold(0xcbf2_9ce4_8422_2325, |h, x| {
        x.to_bits()
            .to_le_bytes()
            .iter()
            .fold(h, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
    })
}

/// Largest |a − b| over two ensembles of the same particles.
fn largest_difference(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max)
}

fn thread_counts() -> Vec<usize> {
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    if all > 1 { vec![1, all] } else { vec![1] }
}

/// The ratio expr / built-in at each thread count.
fn expr_over_builtin(results: &[Measurement]) -> Vec<(usize, f64)> {
    let of = |case: &str, threads: usize| {
        results
            .iter()
            .find(|m| m.case == case && m.threads == threads)
            .map(|m| m.ns_per_particle_step)
    };
    thread_counts()
        .into_iter()
        .filter_map(|n| Some((n, of("expr", n)? / of("prinz", n)?)))
        .collect()
}

/// What the warm-up showed besides timings.
struct Checks {
    /// Largest |x_expr − x_prinz| after the warm-up (same streams, so only rounding differs).
    expr_difference: f64,
    /// Fingerprint of each case's ensemble after the warm-up, equal for every thread count.
    fingerprints: Vec<(&'static str, u64)>,
}

impl Checks {
    /// The fingerprints, each as `form(case, hex)`, joined by commas.
    fn fingerprints_with(&self, form: impl Fn(&str, String) -> String) -> String {
        let each = self.fingerprints.iter().map(|(case, h)| form(case, format!("{h:016x}")));
        each.collect::<Vec<_>>().join(", ")
    }
}

fn json(config: &Config, results: &[Measurement], checks: &Checks) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "{{\"benchmark\": \"langevin\", \"potential\": \"prinz 1-D static\", \"particles\": {}, \
         \"dt\": {DT:e}, \"kT\": {KT}, \"cores\": {}, \"warmup_steps\": {WARMUP_STEPS}, \
         \"warmup_expr_difference\": {:e}, \"warmup_fingerprints\": {{{}}}, \"results\": [",
        config.particles,
        thread_counts().last().copied().unwrap_or(1),
        checks.expr_difference,
        checks.fingerprints_with(|case, h| format!("\"{case}\": \"{h}\"")),
    );
    for (i, m) in results.iter().enumerate() {
        let _ = write!(
            out,
            "{}{{\"case\": \"{}\", \"threads\": {}, \"particles\": {}, \"steps\": {}, \
             \"seconds\": {:.4}, \"rounds\": {}, \"ns_per_particle_step\": {:.4}, \
             \"best_ns_per_particle_step\": {:.4}, \"particle_steps_per_second\": {:.4e}}}",
            if i == 0 { "" } else { ", " },
            m.case,
            m.threads,
            m.particles,
            m.steps,
            m.seconds,
            m.rounds,
            m.ns_per_particle_step,
            m.best_ns_per_particle_step,
            m.particle_steps_per_second(),
        );
    }
    out.push_str("], \"expr_over_builtin\": {");
    let ratios: Vec<String> =
        expr_over_builtin(results).iter().map(|(n, r)| format!("\"{n}\": {r:.4}")).collect();
    out.push_str(&ratios.join(", "));
    out.push_str("}}");
    out
}

fn table(config: &Config, results: &[Measurement], checks: &Checks) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "langevin on static 1-D Prinz: {} particles, dt {DT:e}, kT {KT}, uniform start on [-1, 1]",
        config.particles
    );
    let _ = writeln!(
        out,
        "{:<8} {:>7} {:>14} {:>12} {:>18} {:>8} {:>8}",
        "case", "threads", "ns/part-step", "best ns", "particle-steps/s", "steps", "seconds"
    );
    for m in results {
        let _ = writeln!(
            out,
            "{:<8} {:>7} {:>14.3} {:>12.3} {:>18.3e} {:>8} {:>8.2}",
            m.case,
            m.threads,
            m.ns_per_particle_step,
            m.best_ns_per_particle_step,
            m.particle_steps_per_second(),
            m.steps,
            m.seconds
        );
    }
    for (threads, ratio) in expr_over_builtin(results) {
        let _ = writeln!(out, "expr / prinz at {threads} thread(s): {ratio:.3}");
    }
    let _ = writeln!(
        out,
        "after {WARMUP_STEPS} warm-up steps: largest |x_expr - x_prinz| {:e}; ensembles \
         bit-identical across thread counts, fingerprints {}",
        checks.expr_difference,
        checks.fingerprints_with(|case, h| format!("{case} {h}")),
    );
    out
}

fn main() {
    let config = Config::from_env(2.5);
    let mut results = Vec::new();
    // Positions after the warm-up, per case, from the first pool (one thread).
    let mut reference: Vec<Vec<f64>> = Vec::new();
    for threads in thread_counts() {
        for (case, (measurement, positions)) in measure(threads, &config).into_iter().enumerate() {
            eprintln!(
                "neq {} on {threads} thread(s): {:.2} ns/particle-step",
                measurement.case, measurement.ns_per_particle_step
            );
            match reference.get(case) {
                None => reference.push(positions),
                Some(first) => assert!(
                    first.iter().zip(&positions).all(|(a, b)| a.to_bits() == b.to_bits()),
                    "{}: the ensemble after the warm-up depends on the thread count",
                    measurement.case
                ),
            }
            results.push(measurement);
        }
    }
    let checks = Checks {
        expr_difference: largest_difference(&reference[0], &reference[1]),
        fingerprints: CASES.iter().zip(&reference).map(|(c, p)| (c.name, fingerprint(p))).collect(),
    };
    if config.json {
        println!("{}", json(&config, &results, &checks));
    } else {
        print!("{}", table(&config, &results, &checks));
    }
}
