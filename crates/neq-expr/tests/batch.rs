//! Batch evaluation gives the same bits as evaluation point by point.

mod common;

use common::{Recipe, any_expr};
use neq_expr::{ExprGraph, Func2, NodeId, Program, Scratch, Var};
use proptest::prelude::*;

/// Outputs of several kinds: the expression, its spatial derivatives, a uniform expression,
/// and a bare coordinate.
fn outputs(g: &mut ExprGraph, f: &Recipe, u: &Recipe) -> Vec<NodeId> {
    let f = f.build(g);
    let dx = g.derivative(f, Var::X).unwrap();
    let dz = g.derivative(f, Var::Z).unwrap();
    let u = u.build(g);
    let t = g.var(Var::Time);
    let uniform = g.binary(Func2::Mul, u, t);
    let y = g.var(Var::Y);
    vec![f, dx, dz, uniform, y, f]
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn batch_matches_points(
        f in any_expr(),
        u in any_expr(),
        n in prop::sample::select(vec![1usize, 7, 256, 1000]),
        seed in any::<u64>(),
        t in -1.0..1.0f64,
    ) {
        let mut g = ExprGraph::new();
        let outs = outputs(&mut g, &f, &u);
        let program = Program::compile(&g, &outs);
        // A cheap deterministic spread of points in [-2, 2]³ from the seed.
        let mut state = seed | 1;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64 * 4.0 - 2.0
        };
        let coords: Vec<Vec<f64>> = (0..3).map(|_| (0..n).map(|_| next()).collect()).collect();
        let (params, rates) = ([0.3, -1.2], [0.7]);

        let mut results = vec![vec![0.0; n]; outs.len()];
        let mut slices: Vec<&mut [f64]> = results.iter_mut().map(|v| v.as_mut_slice()).collect();
        let coord_slices: Vec<&[f64]> = coords.iter().map(|c| c.as_slice()).collect();
        let mut scratch = Scratch::default();
        program.eval_batch(&coord_slices, t, &params, &rates, &mut slices, &mut scratch);

        let mut point = vec![0.0; outs.len()];
        for i in 0..n {
            let p = [coords[0][i], coords[1][i], coords[2][i]];
            program.eval_point(&p, t, &params, &rates, &mut point);
            for (k, &v) in point.iter().enumerate() {
                prop_assert!(same(results[k][i], v), "output {k}, point {i}: {} vs {v}", results[k][i]);
            }
        }
    }
}
