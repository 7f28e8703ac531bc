//! Throughput of the Fokker–Planck solver, in cell-updates per second (cells × steps / s).
//!
//! Cases:
//! - 1-D, 2000 cells: a dragged harmonic trap (V re-evaluated and every line refactorised
//!   each step) and the static Prinz potential (factorised once), on one thread;
//! - 2-D, 256²: the rotating five-well ring V = cos(5·atan2(y, x) − (π/2)t) + 10(r − 0.5)²
//!   with kT = 0.2, γ = 1, written with library `atan2`/`cos` and, equivalently, without
//!   trigonometry (cos 5θ = Re z⁵/r⁵), so that the solver's own share shows; the static ring
//!   for the solver alone; each on one thread and on every core;
//! - the full run of the seed experiment: 256², t ∈ [0, 20], dt = 10⁻³, from a uniform
//!   start on [−1, 1]², on every core, with its wall time.
//!
//! Run with `cargo bench -p neq-fp --bench fp [-- --quick] [FILTER…]`; `--quick` skips the
//! full run, and filters keep the cases whose names contain one of them (and skip the full
//! run too).

#[allow(dead_code)]
#[path = "../tests/fp/potentials.rs"]
mod potentials;

use std::f64::consts::PI;
use std::sync::Arc;
use std::time::Instant;

use neq_core::{Axis, Evaluation, Potential, Want};
use neq_fp::{Options, Solver};
use potentials::{FiveWells, Prinz, Trap};
use rayon::ThreadPoolBuilder;

/// Largest step of the timed runs.
const DT: f64 = 1e-3;

/// The rotating ring without trigonometric calls: cos(5θ − φ) = (Re z⁵ cos φ + Im z⁵ sin φ)
/// / r⁵ with z = x + iy, the same function as [`FiveWells`] (checked before timing).
#[derive(Debug)]
struct AlgebraicRing {
    omega: f64,
}

impl Potential for AlgebraicRing {
    fn dim(&self) -> usize {
        2
    }

    fn eval(&self, t: f64, coords: &[&[f64]], _want: Want, out: &mut Evaluation) {
        let (sin, cos) = (self.omega * t).sin_cos();
        for ((v, &x), &y) in out.value.iter_mut().zip(coords[0]).zip(coords[1]) {
            let (x2, y2) = (x * x, y * y);
            let r2 = x2 + y2;
            let r = r2.sqrt();
            let re = x * (x2 * x2 - 10.0 * x2 * y2 + 5.0 * y2 * y2);
            let im = y * (5.0 * x2 * x2 - 10.0 * x2 * y2 + y2 * y2);
            let angular = if r2 > 0.0 { (re * cos + im * sin) / (r2 * r2 * r) } else { cos };
            *v = angular + 10.0 * (r - 0.5) * (r - 0.5);
        }
    }
}

/// One timed case.
struct Case {
    name: &'static str,
    build: Box<dyn Fn() -> Solver + Send + Sync>,
}

fn line(lo: f64, hi: f64, cells: usize) -> Axis {
    Axis { lo, hi, cells }
}

fn plane(cells: usize) -> Vec<Axis> {
    vec![line(-1.5, 1.5, cells), line(-1.5, 1.5, cells)]
}

fn cases() -> Vec<Case> {
    let dynamic = Options::default();
    let fixed = Options { static_potential: true, ..Options::default() };
    vec![
        Case {
            name: "1-D 2000, dragged trap",
            build: Box::new(move || {
                let trap = Arc::new(Trap::dragged(4.0, vec![1.0]));
                Solver::new(trap, vec![line(-3.0, 5.0, 2000)], 1.0, 1.0, dynamic).unwrap()
            }),
        },
        Case {
            name: "1-D 2000, static Prinz",
            build: Box::new(move || {
                Solver::new(Arc::new(Prinz), vec![line(-1.2, 1.2, 2000)], 1.0, 1.0, fixed).unwrap()
            }),
        },
        Case {
            name: "2-D 256², rotating ring (atan2, cos)",
            build: Box::new(move || {
                Solver::new(Arc::new(FiveWells::rotating()), plane(256), 0.2, 1.0, dynamic).unwrap()
            }),
        },
        Case {
            name: "2-D 256², rotating ring (algebraic)",
            build: Box::new(move || {
                let ring = Arc::new(AlgebraicRing { omega: PI / 2.0 });
                Solver::new(ring, plane(256), 0.2, 1.0, dynamic).unwrap()
            }),
        },
        Case {
            name: "2-D 256², static ring",
            build: Box::new(move || {
                let ring = Arc::new(FiveWells { omega: 0.0 });
                Solver::new(ring, plane(256), 0.2, 1.0, fixed).unwrap()
            }),
        },
    ]
}

/// Cell-updates per second of `case`: the median of five rounds of about 0.3 s each.
fn measure(case: &Case) -> f64 {
    let mut solver = (case.build)();
    let cells = solver.density().values.len() as f64;
    // Warm-up, and a calibration of the steps per round.
    let start = Instant::now();
    let mut steps = 0u64;
    while start.elapsed().as_secs_f64() < 0.1 {
        let t = solver.time();
        steps += solver.advance_to(t + 10.0 * DT, DT).unwrap().steps;
    }
    let per_round = ((steps as f64 / start.elapsed().as_secs_f64()) * 0.3).max(10.0) as u64;
    let mut rates: Vec<f64> = (0..5)
        .map(|_| {
            let t0 = solver.time();
            let start = Instant::now();
            let stats = solver.advance_to(t0 + per_round as f64 * DT, DT).unwrap();
            cells * stats.steps as f64 / start.elapsed().as_secs_f64()
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    rates[2]
}

/// The seed experiment's full run on every core; returns wall seconds.
fn full_run() -> (f64, Solver) {
    let mut solver =
        Solver::new(Arc::new(FiveWells::rotating()), plane(256), 0.2, 1.0, Options::default())
            .unwrap();
    solver
        .set_density_fn(|x| if x[0].abs() < 1.0 && x[1].abs() < 1.0 { 1.0 } else { 0.0 })
        .unwrap();
    let start = Instant::now();
    // Frames every 0.02 as the pipeline records them.
    for frame in 1..=1000 {
        solver.advance_to(0.02 * frame as f64, DT).unwrap();
    }
    (start.elapsed().as_secs_f64(), solver)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let ring = FiveWells::rotating();
    let algebraic = AlgebraicRing { omega: PI / 2.0 };
    for &(x, y, t) in &[(0.3, -0.4, 0.7), (-1.2, 0.1, 13.0), (0.01, 0.02, 3.3)] {
        let v = neq_core::potential::value_at(&algebraic, t, &[x, y]);
        assert!((v - ring.at(x, y, t)).abs() < 1e-12, "the two rings differ at ({x}, {y}, {t})");
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("neq-fp throughput, dt = {DT}, cell-updates per second (median of 5 rounds)");
    println!("{:<40} {:>14} {:>14}", "case", "1 thread", format!("{cores} threads"));
    for case in cases() {
        if !filters.is_empty() && !filters.iter().any(|f| case.name.contains(f.as_str())) {
            continue;
        }
        let one =
            ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| measure(&case));
        let all =
            ThreadPoolBuilder::new().num_threads(cores).build().unwrap().install(|| measure(&case));
        println!("{:<40} {:>14.3e} {:>14.3e}", case.name, one, all);
    }
    if !quick && filters.is_empty() {
        let pool = ThreadPoolBuilder::new().num_threads(cores).build().unwrap();
        let (seconds, solver) = pool.install(full_run);
        let c = solver.counters();
        println!(
            "full run 256², t ∈ [0, 20], dt = {DT}, {cores} threads: {seconds:.1} s \
             ({} steps, {:.3e} cell-updates/s, mass − 1 = {:.1e}, edge mass {:.1e})",
            c.steps,
            c.steps as f64 * 65536.0 / seconds,
            solver.mass() - 1.0,
            solver.edge_mass(),
        );
    }
}
