//! A harmonic trap V = k/2 (x − vt)² dragged at constant speed, started in equilibrium: the
//! density stays Gaussian with variance kT/k and the lagging mean
//! m(t) = vt − (v/κ)(1 − e^{−κt}), κ = k/γ, and it moves rigidly, so J = ṁ p and the
//! entropy production rate is exactly σ(t) = ṁ²/D = γ v² (1 − e^{−κt})² / kT.

use std::sync::Arc;

use neq_fp::{Options, Solver, Stop};

use crate::potentials::Trap;
use crate::support::{axis, gaussian, l1};

/// The exact mean of the dragged trap's density.
fn lagging_mean(kappa: f64, v: f64, t: f64) -> f64 {
    v * t - (v / kappa) * (1.0 - (-kappa * t).exp())
}

/// A 1-D trap with k = 4, v = 1, kT = 1, γ = 1 on [−3, 5] (6σ beyond the path), started in
/// its discrete equilibrium.
fn dragged_1d(cells: usize) -> Solver {
    let trap = Arc::new(Trap::dragged(4.0, vec![1.0]));
    let axes = vec![axis(-3.0, 5.0, cells)];
    let mut solver = Solver::new(trap, axes, 1.0, 1.0, Options::default()).unwrap();
    solver.set_boltzmann().unwrap();
    solver
}

#[test]
fn dragged_trap_follows_the_exact_gaussian() {
    // Measured: L1 error 2.4e-4 at t = 0.5, 1 and 2 with dt = 1e-3 (first order in dt:
    // 1.2e-4 at 5e-4); mass drift below 1e-13; edge mass 2e-12.
    let (k, v, kt) = (4.0, 1.0, 1.0);
    let mut solver = dragged_1d(2000);
    for t in [0.5, 1.0, 2.0] {
        let stats = solver.advance_to(t, 1e-3).unwrap();
        assert_eq!(stats.stop, Stop::Reached);
        assert_eq!(stats.t, t);
        let mean = lagging_mean(k, v, t);
        let density = solver.density();
        let x = density.axes[0];
        let error = l1(density, |i| gaussian(x.centre(i), mean, kt / k));
        assert!(error < 1e-3, "L1 error {error:e} at t = {t}");
        assert!((solver.mass() - 1.0).abs() < 1e-12);
        assert!(solver.edge_mass() < 1e-10);
    }
    assert_eq!(solver.counters().steps, 2000);
    assert_eq!(solver.counters().potential_evaluations, 2001);
}

#[test]
fn entropy_production_of_the_dragged_trap_integrates_to_the_exact_value() {
    // ∫₀^τ σ dt = (v²/kT) ∫₀^τ (1 − e^{−kt})² dt = (v²/kT) (τ − 2(1 − e^{−kτ})/k
    // + (1 − e^{−2kτ})/(2k)) for γ = 1.
    let (k, v, kt, tau): (f64, f64, f64, f64) = (4.0, 1.0, 1.0, 2.0);
    let exact = v * v / kt
        * (tau - 2.0 * (1.0 - (-k * tau).exp()) / k + (1.0 - (-2.0 * k * tau).exp()) / (2.0 * k));
    let mut solver = dragged_1d(2000);
    let frames = 200;
    let mut previous = solver.entropy_production_rate();
    assert!(previous.abs() < 1e-20, "equilibrium produces no entropy: {previous:e}");
    let mut integral = 0.0;
    for f in 1..=frames {
        let t = tau * f as f64 / frames as f64;
        solver.advance_to(t, 1e-3).unwrap();
        let rate = solver.entropy_production_rate();
        assert!(rate >= 0.0);
        let exact_rate = v * v * (1.0 - (-k * t).exp()).powi(2) / kt;
        assert!((rate - exact_rate).abs() < 1e-2 * exact_rate.max(0.1), "σ({t}) = {rate}");
        integral += 0.5 * (previous + rate) * (tau / frames as f64);
        previous = rate;
    }
    let relative = (integral - exact).abs() / exact;
    eprintln!("entropy produced {integral} vs exact {exact}: relative error {relative:e}");
    assert!(relative < 1e-2, "{integral} vs {exact}");
}
