//! Helpers shared by the unit tests: scalar evaluation, finite-difference checks of
//! potentials, a golden-section minimiser, time functions that really depend on time, and
//! tiny ensembles.

use std::sync::Arc;

use neq_core::{Ensemble, Evaluation, Potential, ScheduleBank, TimeFn, Want};
use neq_expr::{ExprGraph, Func2, Var};

use crate::schedules::Sine;

/// Everything the potential computes at one point.
pub fn eval_point(potential: &dyn Potential, t: f64, point: &[f64]) -> Evaluation {
    let coords: Vec<&[f64]> = point.chunks(1).collect();
    let mut out = Evaluation::default();
    out.resize(1, potential.dim());
    potential.eval(t, &coords, Want::ALL, &mut out);
    out
}

/// V at one point.
pub fn scalar_value(potential: &dyn Potential, t: f64, point: &[f64]) -> f64 {
    eval_point(potential, t, point).value[0]
}

/// Checks ∇V and ∂V/∂t against central finite differences of V, and that asking for one
/// output at a time gives the same numbers as asking for all.
pub fn assert_derivatives_match(potential: &dyn Potential, t: f64, point: &[f64]) {
    let all = eval_point(potential, t, point);
    let h = 1e-5;
    let close = |exact: f64, fd: f64, what: &str| {
        assert!(
            (exact - fd).abs() <= 2e-5 * (1.0 + exact.abs()),
            "{what} at {point:?}, t = {t}: exact {exact}, finite difference {fd}"
        );
    };
    for d in 0..point.len() {
        let mut shifted = point.to_vec();
        shifted[d] = point[d] + h;
        let up = scalar_value(potential, t, &shifted);
        shifted[d] = point[d] - h;
        let down = scalar_value(potential, t, &shifted);
        close(all.grad[d], (up - down) / (2.0 * h), "∂V/∂x");
    }
    let fd_t =
        (scalar_value(potential, t + h, point) - scalar_value(potential, t - h, point)) / (2.0 * h);
    close(all.dvdt[0], fd_t, "∂V/∂t");

    let coords: Vec<&[f64]> = point.chunks(1).collect();
    let mut only = Evaluation::default();
    only.resize(1, potential.dim());
    potential.eval(t, &coords, Want::GRAD, &mut only);
    assert_eq!(only.grad, all.grad, "gradient alone differs from gradient with the rest");
}

/// The minimum of a unimodal `f` on `[a, b]`, to about 1e-10.
pub fn golden_section_min(f: impl Fn(f64) -> f64, mut a: f64, mut b: f64) -> f64 {
    let r = (5f64.sqrt() - 1.0) / 2.0;
    while b - a > 1e-10 {
        let (c, d) = (b - r * (b - a), a + r * (b - a));
        if f(c) < f(d) { b = d } else { a = c }
    }
    (a + b) / 2.0
}

/// slope · t, built from a graph over `Var::Time`.
pub fn linear_in_time(slope: f64) -> TimeFn {
    let mut graph = ExprGraph::new();
    let t = graph.var(Var::Time);
    let k = graph.constant(slope);
    let node = graph.binary(Func2::Mul, k, t);
    TimeFn::new(&mut graph, node, Arc::new(ScheduleBank::new())).expect("differentiable")
}

/// base + a schedule `sine(amplitude, period)`, through a schedule bank.
pub fn sine_around(base: f64, amplitude: f64, period: f64) -> TimeFn {
    let mut bank = ScheduleBank::new();
    let k = bank.push(Arc::new(Sine::new(amplitude, period, 0.3, 0.0)));
    let mut graph = ExprGraph::new();
    let s = graph.var(Var::Param(k));
    let c = graph.constant(base);
    let node = graph.binary(Func2::Add, c, s);
    TimeFn::new(&mut graph, node, Arc::new(bank)).expect("differentiable")
}

/// A 1-D ensemble holding `xs`.
pub fn ensemble_1d(xs: &[f64]) -> Ensemble {
    ensemble(&[xs])
}

/// An ensemble with the given coordinates (equal lengths).
pub fn ensemble(coords: &[&[f64]]) -> Ensemble {
    let n = coords.first().map_or(0, |c| c.len());
    let mut e = Ensemble::zeros(coords.len(), n);
    for (d, c) in coords.iter().enumerate() {
        e.coord_mut(d).copy_from_slice(c);
    }
    e
}
