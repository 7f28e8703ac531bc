//! Two and three dimensions: a trap dragged along the diagonal against its exact Gaussian (and
//! its second-order convergence under refinement), the static five-well ring relaxing to its
//! Boltzmann density, and thread-count invariance.

use std::f64::consts::FRAC_1_SQRT_2;
use std::sync::Arc;

use neq_fp::{Options, Solver};
use rayon::ThreadPoolBuilder;

use crate::potentials::{FiveWells, Trap};
use crate::support::{axis, gaussian, l1, orders};

#[test]
fn trap_dragged_along_the_diagonal_follows_the_exact_gaussian() {
    let (k, kt, speed) = (4.0, 1.0, 1.0);
    let v = speed * FRAC_1_SQRT_2;
    let trap = Arc::new(Trap::dragged(k, vec![v, v]));
    let axes = vec![axis(-3.0, 3.5, 200), axis(-3.0, 3.5, 200)];
    let mut solver = Solver::new(trap, axes, kt, 1.0, Options::default()).unwrap();
    solver.set_boltzmann().unwrap();
    for t in [0.5, 1.0] {
        solver.advance_to(t, 1e-3).unwrap();
        let mean = v * t - (v / k) * (1.0 - (-k * t).exp());
        let density = solver.density();
        let (x, y) = (density.axes[0], density.axes[1]);
        let n = y.cells;
        let error = l1(density, |i| {
            gaussian(x.centre(i / n), mean, kt / k) * gaussian(y.centre(i % n), mean, kt / k)
        });
        eprintln!(
            "2-D dragged trap at t = {t}: L1 error {error:e}, mass − 1 = {:e}",
            solver.mass() - 1.0
        );
        assert!(error < 5e-3, "L1 error {error:e} at t = {t}");
        assert!((solver.mass() - 1.0).abs() < 1e-12);
    }
}

#[test]
fn static_five_well_ring_relaxes_to_its_boltzmann_density() {
    let kt = 0.2;
    let ring = FiveWells { omega: 0.0 };
    let cells = 64;
    let axes = vec![axis(-1.5, 1.5, cells), axis(-1.5, 1.5, cells)];
    let options = Options { static_potential: true, ..Options::default() };
    let mut solver = Solver::new(Arc::new(ring), axes.clone(), kt, 1.0, options).unwrap();
    let x = axes[0];
    let weights: Vec<f64> = (0..cells * cells)
        .map(|i| (-ring.at(x.centre(i / cells), x.centre(i % cells), 0.0) / kt).exp())
        .collect();
    let z: f64 = weights.iter().sum::<f64>() * x.width() * x.width();
    let peak = weights.iter().fold(0.0f64, |m, w| m.max(*w)) / z;
    // With steps far beyond every relaxation time each split step is a pair of conditional
    // equilibrations along rows and columns; mixing between the wells (barrier 2 = 10 kT)
    // through them takes a few hundred steps per decade of error.
    let dt = 1e5;
    for frame in 1..=30 {
        solver.advance_to(100.0 * dt * frame as f64, dt).unwrap();
        let p = &solver.density().values;
        assert!(p.iter().all(|&v| v > 0.0), "positivity in frame {frame}");
        assert!((solver.mass() - 1.0).abs() < 1e-12, "mass in frame {frame}");
    }
    let worst = solver
        .density()
        .values
        .iter()
        .zip(&weights)
        .map(|(p, w)| (p - w / z).abs())
        .fold(0.0, f64::max);
    eprintln!(
        "five-well ring: max |p − π| / max π = {:e} after {} steps",
        worst / peak,
        solver.counters().steps
    );
    assert!(worst < 1e-10 * peak);
}

/// Runs the rotating ring for 40 steps on a grid whose sizes are not multiples of the
/// line groups, and returns the bits of everything observable.
fn rotating_ring_bits() -> Vec<u64> {
    let axes = vec![axis(-1.5, 1.5, 83), axis(-1.5, 1.4, 77)];
    let mut solver =
        Solver::new(Arc::new(FiveWells::rotating()), axes, 0.2, 1.0, Options::default()).unwrap();
    solver
        .set_density_fn(|x| if x[0].abs() < 1.0 && x[1].abs() < 1.0 { 1.0 } else { 0.0 })
        .unwrap();
    solver.advance_to(0.2, 5e-3).unwrap();
    let mut bits: Vec<u64> = solver.density().values.iter().map(|v| v.to_bits()).collect();
    bits.push(solver.mass().to_bits());
    bits.push(solver.edge_mass().to_bits());
    bits.push(solver.entropy_production_rate().to_bits());
    bits
}

#[test]
fn results_are_bit_identical_for_one_and_two_threads() {
    let on = |threads| {
        ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(rotating_ring_bits)
    };
    assert_eq!(on(1), on(2));
}

#[test]
fn three_dimensional_trap_relaxes_to_its_boltzmann_density() {
    let trap = Trap::dragged(3.0, vec![0.0; 3]);
    let axes = vec![axis(-2.0, 2.5, 18), axis(-2.0, 2.0, 21), axis(-2.5, 2.0, 20)];
    let options = Options { static_potential: true, ..Options::default() };
    let mut solver = Solver::new(Arc::new(trap), axes, 0.5, 1.0, options).unwrap();
    solver.advance_to(1e3, 10.0).unwrap();
    let pi = solver.boltzmann();
    let worst = solver
        .density()
        .values
        .iter()
        .zip(&pi.values)
        .map(|(p, q)| (p - q).abs())
        .fold(0.0, f64::max);
    assert!(worst < 1e-12, "{worst:e}");
    assert!((solver.mass() - 1.0).abs() < 1e-12);
}

#[test]
fn diagonal_trap_converges_at_second_order_in_space() {
    let (k, kt, t) = (4.0, 1.0, 0.3);
    let v = FRAC_1_SQRT_2;
    let errors: Vec<f64> = [26, 52, 104]
        .iter()
        .map(|&cells| {
            let trap = Arc::new(Trap::dragged(k, vec![v, v]));
            let axes = vec![axis(-3.0, 3.5, cells), axis(-3.0, 3.5, cells)];
            let mut solver = Solver::new(trap, axes, kt, 1.0, Options::default()).unwrap();
            solver.set_boltzmann().unwrap();
            solver.advance_to(t, 1e-4).unwrap();
            let mean = v * t - (v / k) * (1.0 - (-k * t).exp());
            let density = solver.density();
            let (x, y) = (density.axes[0], density.axes[1]);
            l1(density, |i| {
                gaussian(x.centre(i / cells), mean, kt / k)
                    * gaussian(y.centre(i % cells), mean, kt / k)
            })
        })
        .collect();
    let orders = orders(&errors);
    eprintln!("2-D dragged trap: L1 errors {errors:?}, observed orders {orders:?}");
    assert!(orders.iter().all(|&p| (1.7..2.4).contains(&p)), "orders {orders:?}");
}
