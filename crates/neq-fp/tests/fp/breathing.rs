//! A trap of breathing stiffness k(t) = 2 + sin(2πt): the density stays a centred Gaussian
//! whose variance obeys dσ²/dt = −2k(t)σ²/γ + 2kT/γ, solved here independently by RK4.

use std::f64::consts::PI;
use std::sync::Arc;

use neq_core::Density;
use neq_fp::{Options, Solver};

use crate::potentials::Trap;
use crate::support::{axis, orders};

/// Variance of the cell values about their mean, as point masses at the centres (the
/// midpoint rule, which is spectrally accurate for a Gaussian well inside the grid).
fn point_variance(density: &Density) -> f64 {
    let x = density.axes[0];
    let mass: f64 = density.values.iter().sum();
    let mean = density.values.iter().enumerate().map(|(i, p)| p * x.centre(i)).sum::<f64>() / mass;
    density.values.iter().enumerate().map(|(i, p)| p * (x.centre(i) - mean).powi(2)).sum::<f64>()
        / mass
}

/// σ²(t) from RK4 with `steps` steps per unit time, sampled at `times`.
fn variance_ode(
    trap: &Trap,
    kt: f64,
    gamma: f64,
    s0: f64,
    times: &[f64],
    steps: usize,
) -> Vec<f64> {
    let rhs = |t: f64, s: f64| -2.0 * trap.stiffness(t) * s / gamma + 2.0 * kt / gamma;
    let h = 1.0 / steps as f64;
    let (mut t, mut s) = (0.0, s0);
    let mut out = Vec::new();
    for &target in times {
        while t < target - 1e-12 {
            let k1 = rhs(t, s);
            let k2 = rhs(t + h / 2.0, s + h / 2.0 * k1);
            let k3 = rhs(t + h / 2.0, s + h / 2.0 * k2);
            let k4 = rhs(t + h, s + h * k3);
            s += h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
            t += h;
        }
        out.push(s);
    }
    out
}

#[test]
fn breathing_trap_variance_follows_its_ode() {
    let (kt, gamma) = (1.0, 2.0);
    let trap = Trap { k0: 2.0, k1: 1.0, omega: 2.0 * PI, velocity: vec![0.0] };
    let times: Vec<f64> = (1..=20).map(|i| 0.1 * i as f64).collect();
    // Started in equilibrium of k(0) = 2: σ²(0) = kT/k(0).
    let exact = variance_ode(&trap, kt, gamma, kt / trap.stiffness(0.0), &times, 100_000);
    let axes = vec![axis(-5.0, 5.0, 1000)];
    let mut errors = Vec::new();
    for dt in [2e-3, 1e-3, 5e-4] {
        let potential = Arc::new(trap.clone());
        let mut solver =
            Solver::new(potential, axes.clone(), kt, gamma, Options::default()).unwrap();
        solver.set_boltzmann().unwrap();
        let mut worst: f64 = 0.0;
        for (&t, &s2) in times.iter().zip(&exact) {
            solver.advance_to(t, dt).unwrap();
            worst = worst.max((point_variance(solver.density()) - s2).abs() / s2);
        }
        errors.push(worst);
    }
    eprintln!("breathing trap: worst relative variance errors {errors:?} at dt 2e-3, 1e-3, 5e-4");
    // Measured: 1.02e-3, 5.1e-4, 2.6e-4 — backward Euler's first order.
    assert!(errors[2] < 3e-4, "{errors:?}");
    for order in orders(&errors) {
        assert!((0.9..1.1).contains(&order), "observed order {order} in {errors:?}");
    }
}
