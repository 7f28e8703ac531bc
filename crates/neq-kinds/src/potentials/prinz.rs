//! `prinz()`: the 1-D four-well potential of Prinz et al. (2011), a standard test of
//! Markov state models.
//!
//! V(x) = 4 (x⁸ + 0.8 e^{−80x²} + 0.2 e^{−80(x−0.5)²} + 0.5 e^{−40(x+0.5)²}), with minima
//! near −0.739, −0.224, 0.269 and 0.673 and maxima near −0.50, 0 and 0.50.
//!
//! Reference: J.-H. Prinz et al., "Markov models of molecular kinetics: Generation and
//! validation", J. Chem. Phys. 134, 174105 (2011).

use std::sync::Arc;

use neq_core::{Args, BuildError, Builder, Evaluation, KindSpec, Potential, Want};
use neq_expr::math::exp;

/// `prinz()`.
pub const KIND: KindSpec = KindSpec {
    name: "prinz",
    doc: "prinz(): the static 1-D four-well potential of Prinz et al. (2011), \
          V(x) = 4 (x⁸ + 0.8 e^(−80x²) + 0.2 e^(−80(x−0.5)²) + 0.5 e^(−40(x+0.5)²)), with \
          minima near −0.739, −0.224, 0.269 and 0.673 and barriers near −0.5, 0 and 0.5; \
          most of its mass lies in [−1, 1].",
    params: &[],
    positional: 0,
    columns: &[],
    builder: Builder::Potential(build),
};

fn build(_args: &Args) -> Result<Arc<dyn Potential>, BuildError> {
    Ok(Arc::new(Prinz))
}

/// The Prinz potential (static, 1-D).
#[derive(Debug, Clone, Copy, Default)]
pub struct Prinz;

/// The three Gaussian terms e^{−80x²}, e^{−80(x−0.5)²}, e^{−40(x+0.5)²}.
#[inline(always)]
fn gaussians(x: f64) -> (f64, f64, f64) {
    let (b, c) = (x - 0.5, x + 0.5);
    (exp(-80.0 * x * x), exp(-80.0 * b * b), exp(-40.0 * c * c))
}

#[inline(always)]
fn value(x: f64, (e1, e2, e3): (f64, f64, f64)) -> f64 {
    let x2 = x * x;
    let x4 = x2 * x2;
    4.0 * (x4 * x4 + 0.8 * e1 + 0.2 * e2 + 0.5 * e3)
}

#[inline(always)]
fn slope(x: f64, (e1, e2, e3): (f64, f64, f64)) -> f64 {
    let x2 = x * x;
    let x3 = x2 * x;
    let x7 = x3 * x3 * x;
    // d/dx of 0.8 e^{−80x²} is −128 x e^{−80x²}; likewise for the others.
    4.0 * (8.0 * x7 - 128.0 * x * e1 - 32.0 * (x - 0.5) * e2 - 40.0 * (x + 0.5) * e3)
}

impl Potential for Prinz {
    fn dim(&self) -> usize {
        1
    }

    fn is_static(&self) -> bool {
        true
    }

    fn eval(&self, _t: f64, coords: &[&[f64]], want: Want, out: &mut Evaluation) {
        let x = coords[0];
        let n = x.len();
        fill(x, &mut out.value[..n], &mut out.grad[..n], want.value, want.grad);
        if want.time_derivative {
            out.dvdt[..n].fill(0.0);
        }
    }
}

neq_expr::wide_targets! {
    /// V and/or V' at every `x`, in the widest instruction set the CPU has (the clones give
    /// the same bits, see [`neq_expr::wide_targets`]).
    fn fill(x: &[f64], values: &mut [f64], grads: &mut [f64], value: bool, grad: bool) {
        fill_loops(x, values, grads, value, grad);
    }
}

/// [`fill`] compiled for the baseline only, to check that the clones give the same bits.
#[cfg(test)]
fn fill_baseline(x: &[f64], values: &mut [f64], grads: &mut [f64], value: bool, grad: bool) {
    fill_loops(x, values, grads, value, grad);
}

/// One loop per combination keeps each loop branch-free, so it vectorises.
#[inline(always)]
fn fill_loops(x: &[f64], values: &mut [f64], grads: &mut [f64], value: bool, grad: bool) {
    match (value, grad) {
        (true, true) => {
            for ((&x, v), g) in x.iter().zip(values).zip(grads) {
                let e = gaussians(x);
                *v = self::value(x, e);
                *g = slope(x, e);
            }
        }
        (true, false) => {
            for (&x, v) in x.iter().zip(values) {
                *v = self::value(x, gaussians(x));
            }
        }
        (false, true) => {
            for (&x, g) in x.iter().zip(grads) {
                *g = slope(x, gaussians(x));
            }
        }
        (false, false) => {}
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::testing::{assert_derivatives_match, golden_section_min, scalar_value};

    /// The published V, with the standard library's exp.
    fn reference(x: f64) -> f64 {
        let g = |a: f64, c: f64| (-a * (x - c) * (x - c)).exp();
        4.0 * (x.powi(8) + 0.8 * g(80.0, 0.0) + 0.2 * g(80.0, 0.5) + 0.5 * g(40.0, -0.5))
    }

    #[test]
    fn minima_sit_where_published() {
        let v = |x: f64| scalar_value(&Prinz, 0.0, &[x]);
        let grid: Vec<f64> = (0..=4000).map(|i| -1.0 + 2.0 * i as f64 / 4000.0).collect();
        let mut minima = Vec::new();
        for w in grid.windows(3) {
            if v(w[1]) < v(w[0]) && v(w[1]) < v(w[2]) {
                minima.push(golden_section_min(v, w[0], w[2]));
            }
        }
        let published = [-0.739, -0.224, 0.269, 0.673];
        assert_eq!(minima.len(), 4, "{minima:?}");
        for (found, expected) in minima.iter().zip(published) {
            assert!((found - expected).abs() < 0.005, "minimum at {found}, published {expected}");
        }
    }

    #[test]
    fn the_dispatched_kernel_gives_the_baseline_bits() {
        // Dense over the wells, plus far-out, tiny, signed-zero and non-finite points.
        let mut x: Vec<f64> = (0..=40_000).map(|i| -2.0 + 4.0 * f64::from(i) / 40_000.0).collect();
        x.extend([0.0, -0.0, 1e-300, -1e-300, 3.7, -11.0, 1e10, f64::INFINITY, f64::NAN]);
        let n = x.len();
        for (value, grad) in [(true, true), (true, false), (false, true)] {
            let (mut v1, mut g1, mut v2, mut g2) =
                (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
            fill(&x, &mut v1, &mut g1, value, grad);
            fill_baseline(&x, &mut v2, &mut g2, value, grad);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&v1), bits(&v2), "values ({value}, {grad})");
            assert_eq!(bits(&g1), bits(&g2), "gradients ({value}, {grad})");
        }
    }

    proptest! {
        #[test]
        fn matches_the_published_formula(x in -1.5..1.5f64) {
            let v = scalar_value(&Prinz, 0.0, &[x]);
            prop_assert!((v - reference(x)).abs() <= 1e-13 * (1.0 + v.abs()));
        }

        #[test]
        fn derivatives_match_finite_differences(x in -1.2..1.2f64, t in -3.0..3.0f64) {
            assert_derivatives_match(&Prinz, t, &[x]);
        }
    }
}
