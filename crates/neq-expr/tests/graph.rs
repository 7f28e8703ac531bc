//! Hash-consing, simplification and sharing in compiled code.

mod common;

use common::{PRINZ, parse};
use neq_expr::{DiffError, ExprGraph, Func1, Node, Program, Scratch, Var};

#[test]
fn building_twice_gives_the_same_node() {
    let mut g = ExprGraph::new();
    let a = parse(&mut g, PRINZ);
    let len = g.len();
    let b = parse(&mut g, PRINZ);
    assert_eq!(a, b);
    assert_eq!(g.len(), len);
}

#[test]
fn derivative_of_a_tilt_is_the_schedule_node() {
    let mut g = ExprGraph::new();
    let fx = parse(&mut g, "s0*x");
    let f = g.var(Var::Param(0));
    assert_eq!(g.derivative(fx, Var::X), Ok(f));
    let dt = g.derivative(fx, Var::Time).unwrap();
    assert_eq!(dt, parse(&mut g, "ds0*x"));
    let zero = g.constant(0.0);
    assert_eq!(g.derivative(fx, Var::Y), Ok(zero));
}

#[test]
fn time_derivative_of_a_rate_is_an_error() {
    let mut g = ExprGraph::new();
    let e = parse(&mut g, "x*ds2 + t");
    assert_eq!(g.derivative(e, Var::Time), Err(DiffError::ScheduleSecondDerivative { param: 2 }));
    assert!(g.derivative(e, Var::X).is_ok());
}

#[test]
fn prinz_gradient_shares_the_three_exponentials() {
    let mut g = ExprGraph::new();
    let v = parse(&mut g, PRINZ);
    let dv = g.derivative(v, Var::X).unwrap();
    let both = Program::compile(&g, &[v, dv]);
    assert_eq!(both.count_unary(Func1::Exp), 3, "{both}");
    let grad = Program::compile(&g, &[dv]);
    assert_eq!(grad.count_unary(Func1::Exp), 3, "{grad}");
    assert_eq!(g.max_coord(v), Some(0));
    assert_eq!(g.params(v), vec![0]);
}

#[test]
fn prinz_gradient_matches_the_hand_written_formula() {
    let mut g = ExprGraph::new();
    let v = parse(&mut g, PRINZ);
    let dv = g.derivative(v, Var::X).unwrap();
    let program = Program::compile(&g, &[dv]);
    let f = 0.3;
    let xs: Vec<f64> = (0..=200).map(|i| -1.0 + 0.01 * i as f64).collect();
    let mut out = vec![0.0; xs.len()];
    program.eval_batch(&[&xs], 0.0, &[f], &[0.0], &mut [&mut out], &mut Scratch::default());
    for (&x, &d) in xs.iter().zip(&out) {
        let (a, b, c) = (x, x - 0.5, x + 0.5);
        let hand = 4.0
            * (8.0 * a.powi(7)
                - 128.0 * a * (-80.0 * a * a).exp()
                - 32.0 * b * (-80.0 * b * b).exp()
                - 40.0 * c * (-40.0 * c * c).exp())
            + f;
        assert!((d - hand).abs() <= 1e-12 * (1.0 + hand.abs()), "x = {x}: {d} vs {hand}");
    }
}

#[test]
fn uniform_parts_are_hoisted_and_registers_reused() {
    let mut g = ExprGraph::new();
    let e = parse(&mut g, "exp(-s0*t)*sin(x) + cos(s0)*x^3");
    let p = Program::compile(&g, &[e]);
    let stats = p.stats();
    // exp(-s0*t) and cos(s0) are uniform; sin(x), x^2, x^3 and the products are not.
    assert!(stats.uniform_instructions >= 3, "{p}");
    assert!(stats.varying_instructions <= 6, "{p}");
    assert!(stats.registers <= 3, "{p}");
    let mut out = [0.0];
    p.eval_point(&[0.7], 0.4, &[1.5], &[], &mut out);
    let want = (-1.5_f64 * 0.4).exp() * 0.7_f64.sin() + 1.5_f64.cos() * 0.7_f64.powi(3);
    assert!((out[0] - want).abs() < 1e-14);
}

#[test]
fn display_is_readable() {
    let mut g = ExprGraph::new();
    let e = parse(&mut g, "4*(x - 0.5)^2 / (1 + y^2) - atan2(y, x)");
    let text = g.display(e);
    assert_eq!(text, "4*(x - 0.5)^2/(y^2 + 1) - atan2(y, x)");
    let back = parse(&mut g, &text);
    assert_eq!(back, e);
    assert!(matches!(g.node(e), Node::Binary(..)));
}
