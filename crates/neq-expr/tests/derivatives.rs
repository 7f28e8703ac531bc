//! Symbolic derivatives agree with central finite differences on random smooth expressions.

mod common;

use common::{Recipe, schedule0, smooth_expr};
use neq_expr::{ExprGraph, Program, Scratch, Var};
use proptest::prelude::*;

/// A compiled `[f, ∂f/∂x, ∂f/∂y, ∂f/∂t]` with its working memory.
struct Setup {
    program: Program,
    scratch: Scratch,
}

impl Setup {
    fn new(recipe: &Recipe) -> Setup {
        let mut g = ExprGraph::new();
        let f = recipe.build(&mut g);
        let dx = g.derivative(f, Var::X).unwrap();
        let dy = g.derivative(f, Var::Y).unwrap();
        let dt = g.derivative(f, Var::Time).unwrap();
        Setup { program: Program::compile(&g, &[f, dx, dy, dt]), scratch: Scratch::default() }
    }

    fn eval(&mut self, x: f64, y: f64, t: f64) -> [f64; 4] {
        let (s, r) = schedule0(t);
        let mut out = [0.0; 4];
        self.program.eval_point_with(&[x, y], t, &[s], &[r], &mut out, &mut self.scratch);
        out
    }
}

/// Checks `exact` against central differences of `f_at` around `at`.
///
/// Cases where a finite difference means little are rejected rather than checked: values
/// that are not finite or very large, and functions that vary so fast that halving the step
/// changes the difference by more than the tolerance.
fn check(
    exact: f64,
    f: f64,
    mut f_at: impl FnMut(f64) -> f64,
    at: f64,
) -> Result<(), TestCaseError> {
    prop_assume!(exact.is_finite() && f.is_finite() && exact.abs() < 1e6 && f.abs() < 1e6);
    let mut central = |h: f64| {
        let (fp, fm) = (f_at(at + h), f_at(at - h));
        ((fp - fm) / (2.0 * h), fp.abs() + fm.abs())
    };
    let h = 1e-6 * (1.0 + at.abs());
    let ((coarse, _), (fine, size)) = (central(2.0 * h), central(h));
    prop_assume!(coarse.is_finite() && fine.is_finite());
    // Truncation is O(h^2 f'''), rounding about eps |f| / h.
    let tol = 1e-5 * (1.0 + exact.abs()) + 1e-9 * size * (1e-6 / h);
    prop_assume!((coarse - fine).abs() <= tol);
    prop_assert!(
        (fine - exact).abs() <= tol,
        "symbolic {exact:e} vs finite difference {fine:e} (tolerance {tol:e})"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn derivatives_match_finite_differences(
        recipe in smooth_expr(),
        x in -1.0..1.0f64,
        y in -1.0..1.0f64,
        t in 0.0..1.0f64,
    ) {
        let mut s = Setup::new(&recipe);
        let [f, dx, dy, dt] = s.eval(x, y, t);
        check(dx, f, |x| s.eval(x, y, t)[0], x)?;
        check(dy, f, |y| s.eval(x, y, t)[0], y)?;
        check(dt, f, |t| s.eval(x, y, t)[0], t)?;
    }
}
