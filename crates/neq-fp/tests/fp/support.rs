//! Helpers shared by the tests: grids, Gaussians, norms and observed orders.

use std::f64::consts::PI;

use neq_core::{Axis, Density};

/// Density of the normal distribution with `mean` and `variance` at `x`.
pub fn gaussian(x: f64, mean: f64, variance: f64) -> f64 {
    (-(x - mean) * (x - mean) / (2.0 * variance)).exp() / (2.0 * PI * variance).sqrt()
}

/// Σ |p − q| |cell| over the grid.
pub fn l1(density: &Density, exact: impl Fn(usize) -> f64) -> f64 {
    let volume = density.cell_volume();
    density.values.iter().enumerate().map(|(i, p)| (p - exact(i)).abs()).sum::<f64>() * volume
}

/// Observed order of convergence from errors at successive refinements by 2.
pub fn orders(errors: &[f64]) -> Vec<f64> {
    errors.windows(2).map(|w| (w[0] / w[1]).log2()).collect()
}

/// An axis.
pub fn axis(lo: f64, hi: f64, cells: usize) -> Axis {
    Axis { lo, hi, cells }
}
