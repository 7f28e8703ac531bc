//! The solver's contract at its edges: parameter checks, typed errors, the step rule,
//! stop reasons and counters.

use std::sync::Arc;

use neq_core::{Evaluation, Potential, Want};
use neq_fp::{FpError, Options, Solver, Stop, varies_in_time};

use crate::potentials::{Prinz, Trap};
use crate::support::axis;

/// V = ln |x|, infinite at a cell centre placed on 0.
#[derive(Debug)]
struct Logarithm;

impl Potential for Logarithm {
    fn dim(&self) -> usize {
        1
    }

    fn eval(&self, _t: f64, coords: &[&[f64]], _want: Want, out: &mut Evaluation) {
        for (v, x) in out.value.iter_mut().zip(coords[0]) {
            *v = x.abs().ln();
        }
    }
}

fn line(cells: usize) -> Vec<neq_core::Axis> {
    vec![axis(-1.0, 1.0, cells)]
}

#[test]
fn construction_checks_its_inputs() {
    let err = |r: Result<Solver, FpError>| r.unwrap_err();
    let prinz = Arc::new(Prinz);
    let bad_kt = err(Solver::new(prinz.clone(), line(10), 0.0, 1.0, Options::default()));
    assert!(matches!(bad_kt, FpError::BadParameter { name: "kT", .. }));
    let bad_gamma = err(Solver::new(prinz.clone(), line(10), 1.0, f64::NAN, Options::default()));
    assert!(matches!(bad_gamma, FpError::BadParameter { name: "gamma", .. }));
    let two_axes = vec![axis(0.0, 1.0, 4), axis(0.0, 1.0, 4)];
    let mismatch = err(Solver::new(prinz.clone(), two_axes, 1.0, 1.0, Options::default()));
    assert_eq!(mismatch, FpError::DimensionMismatch { potential: 1, grid: 2 });
    let one_cell = err(Solver::new(prinz.clone(), line(1), 1.0, 1.0, Options::default()));
    assert!(matches!(one_cell, FpError::BadAxis { axis: 0, .. }));
    assert!(one_cell.hint().is_some());
    let four = vec![axis(0.0, 1.0, 2); 4];
    let too_many = err(Solver::new(prinz, four, 1.0, 1.0, Options::default()));
    assert!(matches!(too_many, FpError::UnsupportedDimension { dim: 4, max: 3 }));
}

#[test]
fn non_finite_potential_names_the_cell() {
    let error =
        Solver::new(Arc::new(Logarithm), line(11), 1.0, 1.0, Options::default()).unwrap_err();
    match error {
        FpError::NonFinitePotential { t, point, value } => {
            assert_eq!(t, 0.0);
            assert!(point[0].abs() < 1e-15 && value == f64::NEG_INFINITY);
        }
        other => panic!("unexpected {other}"),
    }
}

#[test]
fn densities_are_checked_and_normalised() {
    let mut solver = Solver::new(Arc::new(Prinz), line(4), 1.0, 1.0, Options::default()).unwrap();
    assert!((solver.mass() - 1.0).abs() < 1e-15, "the default start is uniform");
    assert!(matches!(solver.set_density(vec![1.0; 3]), Err(FpError::BadDensity { .. })));
    assert!(matches!(
        solver.set_density(vec![1.0, -1.0, 1.0, 1.0]),
        Err(FpError::BadDensity { .. })
    ));
    assert!(matches!(solver.set_density(vec![0.0; 4]), Err(FpError::BadDensity { .. })));
    solver.set_density(vec![1.0, 2.0, 3.0, 4.0]).unwrap();
    assert_eq!(solver.density().values, vec![0.2, 0.4, 0.6, 0.8]);
    assert!((solver.edge_mass() - 0.5).abs() < 1e-15);
}

#[test]
fn advancing_follows_the_step_rule_and_reports_why_it_stopped() {
    let trap = Arc::new(Trap::dragged(1.0, vec![0.5]));
    let options = Options { max_steps: Some(3), ..Options::default() };
    let mut solver = Solver::new(trap, line(50), 1.0, 1.0, options).unwrap();
    let early = solver.advance_to(1.0, 0.1).unwrap();
    assert_eq!((early.steps, early.stop), (3, Stop::StepLimit));
    assert!((early.t - 0.3).abs() < 1e-15 && early.dt == 0.1);
    let rest = solver.advance_to(0.5, 0.1).unwrap();
    assert_eq!((rest.steps, rest.stop, rest.t), (2, Stop::Reached, 0.5));
    assert!(rest.mass_change.abs() < 1e-14);
    let idle = solver.advance_to(0.5, 0.1).unwrap();
    assert_eq!((idle.steps, idle.stop), (0, Stop::AlreadyThere));
    assert_eq!(solver.advance_to(0.4, 0.1), Err(FpError::Backwards { now: 0.5, target: 0.4 }));
    assert!(matches!(
        solver.advance_to(1.0, 0.0),
        Err(FpError::BadParameter { name: "max_dt", .. })
    ));
    let counters = solver.counters();
    assert_eq!(
        (counters.steps, counters.potential_evaluations, counters.factorisations),
        (5, 6, 5)
    );
    assert_eq!(counters.as_pairs()[0], ("steps", 5));
}

#[test]
fn probing_tells_moving_from_static_potentials() {
    let times = [0.0, 0.37, 1.0];
    assert!(varies_in_time(&Trap::dragged(1.0, vec![1.0]), &line(20), &times).unwrap());
    assert!(!varies_in_time(&Prinz, &line(20), &times).unwrap());
}
