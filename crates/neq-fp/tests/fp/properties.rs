//! Properties that hold for every landscape: conservation of probability, positivity,
//! stationarity of the Boltzmann density, the H-theorem and σ ≥ 0, checked on random
//! piecewise-constant potentials.

use std::sync::Arc;

use neq_core::Axis;
use neq_fp::{Options, Solver};
use proptest::prelude::*;

use crate::potentials::Table;

/// A random landscape on [0, 1]ᵈ with its cell counts, and a random positive density.
fn landscape(dim: usize) -> impl Strategy<Value = (Vec<usize>, Vec<f64>, Vec<f64>)> {
    proptest::collection::vec(2usize..14, dim).prop_flat_map(|cells| {
        let n: usize = cells.iter().product();
        (
            Just(cells),
            proptest::collection::vec(-25.0f64..25.0, n),
            proptest::collection::vec(1e-6f64..1.0, n),
        )
    })
}

fn solver_for(cells: &[usize], values: &[f64], static_potential: bool) -> Solver {
    let axes: Vec<Axis> = cells.iter().map(|&n| Axis { lo: 0.0, hi: 1.0, cells: n }).collect();
    let potential = Arc::new(Table { cells: cells.to_vec(), values: values.to_vec() });
    let options = Options { static_potential, ..Options::default() };
    Solver::new(potential, axes, 1.0, 1.0, options).unwrap()
}

fn check_one_advance(
    (cells, values, start): (Vec<usize>, Vec<f64>, Vec<f64>),
    dt: f64,
) -> Result<(), TestCaseError> {
    let mut solver = solver_for(&cells, &values, true);
    solver.set_density(start).unwrap();
    let entropy_before = solver.relative_entropy();
    prop_assert!(solver.entropy_production_rate() >= 0.0);
    solver.advance_to(3.0 * dt, dt).unwrap();
    prop_assert!((solver.mass() - 1.0).abs() < 1e-13, "mass {}", solver.mass());
    prop_assert!(solver.density().values.iter().all(|&p| p > 0.0));
    prop_assert!(solver.entropy_production_rate() >= 0.0);
    // Each step is a stochastic matrix fixing the Boltzmann density: relative entropy
    // cannot grow (data-processing inequality).
    prop_assert!(solver.relative_entropy() <= entropy_before + 1e-12);

    let mut still = solver_for(&cells, &values, true);
    still.set_boltzmann().unwrap();
    let pi = still.density().values.clone();
    still.advance_to(3.0 * dt, dt).unwrap();
    let peak = pi.iter().fold(0.0f64, |m, v| m.max(*v));
    for (p, q) in still.density().values.iter().zip(&pi) {
        prop_assert!((p - q).abs() <= 1e-12 * peak, "{p} vs {q}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn one_dimension_conserves_mass_positivity_and_equilibrium(
        case in landscape(1), dt in prop_oneof![1e-5f64..1e-2, 1e-2f64..1e4],
    ) {
        check_one_advance(case, dt)?;
    }

    #[test]
    fn two_dimensions_conserve_mass_positivity_and_equilibrium(
        case in landscape(2), dt in prop_oneof![1e-5f64..1e-2, 1e-2f64..1e4],
    ) {
        check_one_advance(case, dt)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Landscapes spanning far more than the range in which the fast face coefficients are
    /// used (1300 kT), so that the careful fallback is exercised next to the fast path.
    #[test]
    fn huge_potential_ranges_keep_mass_positivity_and_equilibrium(
        cells in 2usize..40,
        seed in proptest::collection::vec(-1.0f64..1.0, 40),
        scale in 500.0f64..4000.0,
        dt in 1e-4f64..10.0,
    ) {
        let values: Vec<f64> = seed[..cells].iter().map(|s| s * scale).collect();
        let mut solver = solver_for(&[cells], &values, false);
        solver.advance_to(2.0 * dt, dt).unwrap();
        prop_assert!((solver.mass() - 1.0).abs() < 1e-13);
        prop_assert!(solver.density().values.iter().all(|&p| p >= 0.0));
        prop_assert!(solver.entropy_production_rate() >= 0.0);
        let mut still = solver_for(&[cells], &values, false);
        still.set_boltzmann().unwrap();
        let pi = still.density().values.clone();
        still.advance_to(2.0 * dt, dt).unwrap();
        let peak = pi.iter().fold(0.0f64, |m, v| m.max(*v));
        for (p, q) in still.density().values.iter().zip(&pi) {
            prop_assert!((p - q).abs() <= 1e-12 * peak, "{p} vs {q}");
        }
    }
}
