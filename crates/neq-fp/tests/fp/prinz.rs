//! The static 1-D Prinz potential on [−1.2, 1.2]: relaxation from a uniform start to the
//! discrete Boltzmann density, conservation, positivity, and convergence in space and time
//! measured by refinement.

use std::sync::Arc;

use neq_core::Density;
use neq_fp::{Options, Solver};

use crate::potentials::Prinz;
use crate::support::{axis, orders};

const KT: f64 = 1.0;

fn prinz_solver(cells: usize) -> Solver {
    let options = Options { static_potential: true, ..Options::default() };
    Solver::new(Arc::new(Prinz), vec![axis(-1.2, 1.2, cells)], KT, 1.0, options).unwrap()
}

/// A smooth start away from equilibrium: a Gaussian bump at 0.3 of width 0.2.
fn bump(x: &[f64]) -> f64 {
    (-(x[0] - 0.3) * (x[0] - 0.3) / (2.0 * 0.04)).exp()
}

/// Cell averages of exp(−V/kT)/Z by 5-point Gauss–Legendre quadrature in every cell.
fn exact_cell_averages(cells: usize) -> Vec<f64> {
    let nodes = [
        0.0,
        -0.538_469_310_105_683_1,
        0.538_469_310_105_683_1,
        -0.906_179_845_938_664,
        0.906_179_845_938_664,
    ];
    let weights = [
        0.568_888_888_888_888_9,
        0.478_628_670_499_366_5,
        0.478_628_670_499_366_5,
        0.236_926_885_056_189_1,
        0.236_926_885_056_189_1,
    ];
    let a = axis(-1.2, 1.2, cells);
    let w = a.width();
    let averages: Vec<f64> = (0..cells)
        .map(|i| {
            let c = a.centre(i);
            nodes
                .iter()
                .zip(&weights)
                .map(|(x, wt)| 0.5 * wt * (-Prinz::at(c + 0.5 * w * x) / KT).exp())
                .sum()
        })
        .collect();
    let z: f64 = averages.iter().sum::<f64>() * w;
    averages.iter().map(|v| v / z).collect()
}

/// Σ |p − q| w.
fn l1_between(p: &[f64], q: &[f64], w: f64) -> f64 {
    p.iter().zip(q).map(|(a, b)| (a - b).abs()).sum::<f64>() * w
}

/// The fine density averaged over blocks of `factor` cells.
fn restrict(fine: &Density, factor: usize) -> Vec<f64> {
    fine.values.chunks(factor).map(|c| c.iter().sum::<f64>() / factor as f64).collect()
}

#[test]
fn relaxes_to_the_discrete_boltzmann_density_conserving_mass_and_positivity() {
    let cells = 480;
    let mut solver = prinz_solver(cells);
    let x = axis(-1.2, 1.2, cells);
    let weights: Vec<f64> = (0..cells).map(|i| (-Prinz::at(x.centre(i)) / KT).exp()).collect();
    let z: f64 = weights.iter().sum::<f64>() * x.width();
    let boltzmann: Vec<f64> = weights.iter().map(|w| w / z).collect();
    let (mut t, mut max_dt): (f64, f64) = (0.0, 1e-3);
    let mut frames = 0;
    while t < 1e4 {
        t = (t * 2.0).max(1e-2);
        max_dt = (max_dt * 2.0).min(t / 10.0);
        solver.advance_to(t, max_dt).unwrap();
        let p = &solver.density().values;
        assert!(p.iter().all(|&v| v > 0.0), "positivity at t = {t}");
        assert!((solver.mass() - 1.0).abs() < 1e-12, "mass {} at t = {t}", solver.mass());
        frames += 1;
    }
    let p = &solver.density().values;
    let peak = boltzmann.iter().fold(0.0f64, |m, v| m.max(*v));
    let worst = p.iter().zip(&boltzmann).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    let l1 = l1_between(p, &boltzmann, x.width());
    eprintln!(
        "Prinz after {frames} frames to t = {t}: max |p − π| / max π = {:e}, L1 = {l1:e}, mass − 1 = {:e}",
        worst / peak,
        solver.mass() - 1.0
    );
    assert!(worst < 1e-10 * peak && l1 < 1e-10);
    // One factorisation per distinct step size (and there are few), not one per step.
    let counters = solver.counters();
    assert_eq!(counters.potential_evaluations, 1);
    assert!(counters.factorisations < counters.steps / 5, "{counters:?}");
    assert!(solver.entropy_production_rate() < 1e-18);
    assert!(solver.relative_entropy().abs() < 1e-12);
}

#[test]
fn stationary_density_converges_to_the_exact_boltzmann_at_second_order() {
    let mut errors = Vec::new();
    for cells in [100, 200, 400, 800] {
        let mut solver = prinz_solver(cells);
        solver.advance_to(1e4, 100.0).unwrap();
        let w = axis(-1.2, 1.2, cells).width();
        errors.push(l1_between(&solver.density().values, &exact_cell_averages(cells), w));
    }
    let orders = orders(&errors);
    eprintln!("Prinz stationary L1 errors {errors:?}, observed orders {orders:?}");
    assert!(orders.iter().all(|&o| o >= 1.8), "{orders:?}");
}

#[test]
fn transient_converges_at_second_order_in_space() {
    let (t, dt, reference_cells) = (0.1, 1e-4, 3200);
    let run = |cells: usize| {
        let mut solver = prinz_solver(cells);
        solver.set_density_fn(bump).unwrap();
        solver.advance_to(t, dt).unwrap();
        solver.density().clone()
    };
    let reference = run(reference_cells);
    let mut errors = Vec::new();
    for cells in [100, 200, 400, 800] {
        let coarse = run(cells);
        let w = coarse.axes[0].width();
        errors.push(l1_between(&coarse.values, &restrict(&reference, reference_cells / cells), w));
    }
    let orders = orders(&errors);
    eprintln!("Prinz transient L1 errors {errors:?}, observed orders {orders:?}");
    assert!(orders.iter().all(|&o| o >= 1.8), "{orders:?}");
}

#[test]
fn transient_converges_at_first_order_in_time() {
    let (t, cells) = (0.1, 400);
    let run = |steps: u64| {
        let mut solver = prinz_solver(cells);
        solver.set_density_fn(bump).unwrap();
        let stats = solver.advance_to(t, t / steps as f64).unwrap();
        assert_eq!(stats.steps, steps);
        solver.density().values.clone()
    };
    let w = axis(-1.2, 1.2, cells).width();
    let solutions: Vec<Vec<f64>> = [10, 20, 40, 80, 160].into_iter().map(run).collect();
    let differences: Vec<f64> = solutions.windows(2).map(|s| l1_between(&s[0], &s[1], w)).collect();
    let orders = orders(&differences);
    eprintln!(
        "Prinz time refinement: successive L1 differences {differences:?}, orders {orders:?}"
    );
    assert!(orders.iter().all(|&o| (0.9..1.1).contains(&o)), "{orders:?}");
}

#[test]
fn relative_entropy_decays_at_the_entropy_production_rate() {
    let mut solver = prinz_solver(400);
    solver.set_density_fn(bump).unwrap();
    solver.advance_to(0.05, 1e-3).unwrap();
    let h = 1e-6;
    let before = solver.relative_entropy();
    solver.advance_to(0.05 + h, h).unwrap();
    let decay = (before - solver.relative_entropy()) / h;
    let rate = solver.entropy_production_rate();
    eprintln!("Prinz: −dKL/dt = {decay}, σ = {rate}");
    assert!((decay - rate).abs() < 1e-4 * rate, "{decay} vs {rate}");
}
