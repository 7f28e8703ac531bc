//! Exact independent samples of the equilibrium density p(x) ∝ exp(−V(x, t)/kT) restricted
//! to a box, shared by the `boltzmann` sampler and `init: boltzmann(…)`.
//!
//! **1-D.** V is evaluated at the `cells + 1` nodes of a regular grid and the density is taken
//! to be linear in x between nodes. The cumulative distribution of that piecewise-linear
//! density is integrated exactly, and each sample inverts it exactly: a binary search finds
//! the cell, a quadratic gives the position inside it. The samples are therefore exact for
//! the interpolant; the only error is the interpolation error, O(h²) in the density.
//!
//! **2-D and 3-D.** Each of the `cells^dim` cells gets the weight exp(−V/kT) at its centre;
//! a sample picks a cell by binary search of the cumulative weights and a uniform position
//! inside it. This smooths the density over one cell (an O(h) error in positions, e.g. the
//! variance grows by h²/12 per coordinate). The number of cells is capped at
//! [`MAX_GRID_CELLS`] by reducing the cells per axis.
//!
//! V is shifted by its minimum on the grid before exponentiating, so deep wells cannot
//! overflow. Each particle draws from its own stream, so results do not depend on the number
//! of threads.

use neq_core::{Axis, Ensemble, Evaluation, Potential, SamplerError, StreamKey, Want};
use rand::RngExt;
use rayon::prelude::*;

/// Upper bound on the number of grid cells in 2-D and 3-D.
pub const MAX_GRID_CELLS: usize = 4_000_000;

/// Points per potential evaluation when filling a grid.
const EVAL_CHUNK: usize = 4096;

/// Particles per parallel task when drawing samples.
const SAMPLE_BLOCK: usize = 512;

/// Cells per axis actually used: `cells` in 1-D; in more dimensions the largest number
/// ≤ `cells` whose `dim`-th power stays within [`MAX_GRID_CELLS`].
pub fn cells_per_axis(cells: usize, dim: usize) -> usize {
    let cells = cells.max(1);
    if dim <= 1 {
        return cells;
    }
    let fits = |m: usize| {
        (0..dim).try_fold(1usize, |acc, _| acc.checked_mul(m)).is_some_and(|c| c <= MAX_GRID_CELLS)
    };
    let mut m = (MAX_GRID_CELLS as f64).powf(1.0 / dim as f64).ceil() as usize + 1;
    while !fits(m) {
        m -= 1;
    }
    cells.min(m)
}

/// Draws `n` independent samples of exp(−V(x, t)/kT) restricted to `domain` (one `(lo, hi)`
/// per coordinate) on a grid of `cells` cells per axis (see the module docs for the method
/// and its accuracy). Particle `i` uses the stream `streams.particle_at_frame(i, frame)`.
///
/// # Errors
/// [`SamplerError::NotNormalisable`] when V is NaN or −∞ somewhere on the grid or +∞
/// everywhere; [`SamplerError::Other`] when `domain` does not match the potential's
/// dimension, is empty or not finite, or `kt` is not a positive number.
#[allow(clippy::too_many_arguments)]
pub fn sample_boltzmann(
    potential: &dyn Potential,
    t: f64,
    kt: f64,
    domain: &[(f64, f64)],
    cells: usize,
    streams: StreamKey,
    frame: u64,
    n: usize,
) -> Result<Ensemble, SamplerError> {
    let grid = Grid::new(potential, t, kt, domain, cells)?;
    let dim = domain.len();
    let mut ensemble = Ensemble::zeros(dim, n);
    ensemble.blocks_mut(SAMPLE_BLOCK).into_par_iter().enumerate().for_each(|(b, mut block)| {
        let mut point = vec![0.0; dim];
        for k in 0..block[0].len() {
            let mut rng = streams.particle_at_frame((b * SAMPLE_BLOCK + k) as u64, frame);
            grid.draw(&mut || rng.random::<f64>(), &mut point);
            for (coordinate, &x) in block.iter_mut().zip(&point) {
                coordinate[k] = x;
            }
        }
    });
    Ok(ensemble)
}

/// The normalised equilibrium density at the `cells + 1` nodes x_j = lo + j (hi − lo)/cells
/// of a 1-D potential, such that its piecewise-linear interpolant integrates to 1 over
/// `[lo, hi]`: the density [`sample_boltzmann`] samples exactly.
///
/// # Errors
/// As [`sample_boltzmann`].
pub fn boltzmann_density_1d(
    potential: &dyn Potential,
    t: f64,
    kt: f64,
    (lo, hi): (f64, f64),
    cells: usize,
) -> Result<Vec<f64>, SamplerError> {
    match Grid::new(potential, t, kt, &[(lo, hi)], cells)? {
        Grid::Linear { axis, weights, cumulative, .. } => {
            let total = cumulative[axis.cells];
            Ok(weights.iter().map(|w| w / total).collect())
        }
        Grid::Cells { .. } => unreachable!("a 1-D domain gives a linear grid"),
    }
}

/// What a sample is drawn from.
#[derive(Debug)]
enum Grid {
    /// 1-D: node weights w_j, cumulative cell masses (`cells + 1` entries from 0).
    Linear { axis: Axis, weights: Vec<f64>, cumulative: Vec<f64>, last_massive: usize },
    /// N-D: cumulative cell weights (row-major, last axis fastest, `cells + 1` entries from 0).
    Cells { axes: Vec<Axis>, cumulative: Vec<f64> },
}

impl Grid {
    fn new(
        potential: &dyn Potential,
        t: f64,
        kt: f64,
        domain: &[(f64, f64)],
        cells: usize,
    ) -> Result<Self, SamplerError> {
        let dim = potential.dim();
        if domain.len() != dim {
            return Err(SamplerError::Other(format!(
                "the equilibrium domain is {}-D but the potential is {dim}-D",
                domain.len()
            )));
        }
        if let Some((lo, hi)) =
            domain.iter().find(|(lo, hi)| !(lo < hi && lo.is_finite() && hi.is_finite()))
        {
            return Err(SamplerError::Other(format!(
                "the domain interval {lo}..{hi} is empty or not finite"
            )));
        }
        if !(kt > 0.0 && kt.is_finite()) {
            return Err(SamplerError::Other(format!("kT must be a positive number, not {kt}")));
        }
        let per_axis = cells_per_axis(cells, dim);
        let axes: Vec<Axis> =
            domain.iter().map(|&(lo, hi)| Axis { lo, hi, cells: per_axis }).collect();
        if dim == 1 {
            let axis = axes[0];
            let nodes: Vec<f64> = (0..=per_axis).map(|j| node(axis, j)).collect();
            let mut weights = potential_values(
                potential,
                t,
                |start, len, coords| {
                    coords[0].extend_from_slice(&nodes[start..start + len]);
                },
                nodes.len(),
                1,
            );
            to_weights(&mut weights, t, kt)?;
            let h = axis.width();
            let mut cumulative = Vec::with_capacity(per_axis + 1);
            let mut sum = 0.0;
            cumulative.push(sum);
            for w in weights.windows(2) {
                sum += 0.5 * h * (w[0] + w[1]);
                cumulative.push(sum);
            }
            let last_massive =
                (0..per_axis).rev().find(|&j| weights[j] + weights[j + 1] > 0.0).unwrap_or(0);
            Ok(Grid::Linear { axis, weights, cumulative, last_massive })
        } else {
            let total = per_axis.pow(dim as u32);
            let mut weights = potential_values(
                potential,
                t,
                |start, len, coords| {
                    for flat in start..start + len {
                        let mut rest = flat;
                        for d in (0..dim).rev() {
                            coords[d].push(axes[d].centre(rest % per_axis));
                            rest /= per_axis;
                        }
                    }
                },
                total,
                dim,
            );
            to_weights(&mut weights, t, kt)?;
            let mut cumulative = Vec::with_capacity(total + 1);
            let mut sum = 0.0;
            cumulative.push(sum);
            for w in &weights {
                sum += w;
                cumulative.push(sum);
            }
            Ok(Grid::Cells { axes, cumulative })
        }
    }

    /// One sample into `point`, from uniform draws in [0, 1) taken from `uniform`.
    fn draw(&self, uniform: &mut dyn FnMut() -> f64, point: &mut [f64]) {
        match self {
            Grid::Linear { axis, weights, cumulative, last_massive } => {
                point[0] = invert_linear(*axis, weights, cumulative, *last_massive, uniform());
            }
            Grid::Cells { axes, cumulative } => {
                let total = cumulative[cumulative.len() - 1];
                let u = uniform() * total;
                let cells = cumulative.len() - 1;
                // First cell whose upper cumulative weight exceeds u: it has positive weight.
                let mut cell = cumulative.partition_point(|&c| c <= u).saturating_sub(1);
                if cell >= cells {
                    cell =
                        (0..cells).rev().find(|&c| cumulative[c + 1] > cumulative[c]).unwrap_or(0);
                }
                // Row-major, last axis fastest: peel the cell index from the last axis.
                let mut rest = cell;
                for (x, axis) in point.iter_mut().zip(axes).rev() {
                    *x = (rest % axis.cells) as f64;
                    rest /= axis.cells;
                }
                for (x, axis) in point.iter_mut().zip(axes) {
                    *x = axis.lo + (*x + uniform()) * axis.width();
                }
            }
        }
    }
}

/// The position of node `j` of a 1-D grid, exact at both ends.
fn node(axis: Axis, j: usize) -> f64 {
    if j == axis.cells {
        axis.hi
    } else {
        axis.lo + (axis.hi - axis.lo) * (j as f64 / axis.cells as f64)
    }
}

/// The x at which the piecewise-linear cumulative distribution reaches `u` × total.
fn invert_linear(
    axis: Axis,
    weights: &[f64],
    cumulative: &[f64],
    last_massive: usize,
    u: f64,
) -> f64 {
    let cells = axis.cells;
    let target = u * cumulative[cells];
    let mut j = cumulative.partition_point(|&c| c <= target).saturating_sub(1);
    let mut r = target - cumulative[j.min(cells)];
    if j >= cells {
        // Rounding put the target at the very top: the end of the last cell with mass.
        j = last_massive;
        r = cumulative[j + 1] - cumulative[j];
    }
    let (x0, x1) = (node(axis, j), node(axis, j + 1));
    let h = x1 - x0;
    let (w0, w1) = (weights[j], weights[j + 1]);
    // Mass up to s: w0 s + (w1 − w0) s² / (2h) = r; the root below avoids cancellation.
    let discriminant = (w0 * w0 + 2.0 * (w1 - w0) * r / h).max(0.0);
    let denominator = w0 + discriminant.sqrt();
    let s = if denominator > 0.0 { 2.0 * r / denominator } else { 0.0 };
    (x0 + s.clamp(0.0, h)).min(x1)
}

/// V at `count` grid points, filled `EVAL_CHUNK` points at a time (in parallel) by `fill`,
/// which appends the coordinates of points `start..start + len`.
fn potential_values(
    potential: &dyn Potential,
    t: f64,
    fill: impl Fn(usize, usize, &mut [Vec<f64>]) + Sync,
    count: usize,
    dim: usize,
) -> Vec<f64> {
    let mut values = vec![0.0; count];
    values.par_chunks_mut(EVAL_CHUNK).enumerate().for_each(|(c, chunk)| {
        let len = chunk.len();
        let mut coords: Vec<Vec<f64>> = (0..dim).map(|_| Vec::with_capacity(len)).collect();
        fill(c * EVAL_CHUNK, len, &mut coords);
        let slices: Vec<&[f64]> = coords.iter().map(Vec::as_slice).collect();
        let mut out = Evaluation::default();
        out.resize(len, dim);
        potential.eval(t, &slices, Want::VALUE, &mut out);
        chunk.copy_from_slice(&out.value[..len]);
    });
    values
}

/// Turns potential values into weights exp(−(V − min V)/kT), in place.
fn to_weights(values: &mut [f64], t: f64, kt: f64) -> Result<(), SamplerError> {
    let not_normalisable = |reason: String| SamplerError::NotNormalisable { t, reason };
    if let Some(i) = values.iter().position(|v| v.is_nan()) {
        return Err(not_normalisable(format!("V is NaN at grid point {i}")));
    }
    if let Some(i) = values.iter().position(|&v| v == f64::NEG_INFINITY) {
        return Err(not_normalisable(format!("V is −∞ at grid point {i}")));
    }
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    if min == f64::INFINITY {
        return Err(not_normalisable("V is +∞ everywhere on the domain".into()));
    }
    for v in values.iter_mut() {
        *v = (-(*v - min) / kt).exp();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use neq_core::{Evaluation, TimeFn, node_id};
    use proptest::prelude::*;

    use super::*;
    use crate::potentials::{Harmonic, Prinz};

    const KEY: StreamKey = StreamKey { seed: 11, node: 0x5eed };

    /// Composite Simpson's rule on `n` (even) intervals.
    fn simpson(f: impl Fn(f64) -> f64, lo: f64, hi: f64, n: usize) -> f64 {
        let h = (hi - lo) / n as f64;
        let inner: f64 =
            (1..n).map(|i| f(lo + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 }).sum();
        (f(lo) + f(hi) + inner) * h / 3.0
    }

    fn prinz_populations_match_quadrature(kt: f64) {
        let n = 100_000;
        let samples = sample_boltzmann(&Prinz, 0.0, kt, &[(-1.0, 1.0)], 20_000, KEY, 3, n).unwrap();
        // Split at the barriers (from a fine scan); V with the standard library's exp.
        let splits = [-1.0, -0.5016, 0.0, 0.502, 1.0];
        let g = |x: f64, a: f64, c: f64| (-a * (x - c) * (x - c)).exp();
        let v = |x: f64| {
            4.0 * (x.powi(8)
                + 0.8 * g(x, 80.0, 0.0)
                + 0.2 * g(x, 80.0, 0.5)
                + 0.5 * g(x, 40.0, -0.5))
        };
        let p = |x: f64| (-v(x) / kt).exp();
        let z = simpson(p, -1.0, 1.0, 200_000);
        for w in splits.windows(2) {
            let expected = simpson(p, w[0], w[1], 50_000) / z;
            let count = samples.coord(0).iter().filter(|&&x| w[0] <= x && x < w[1]).count();
            let fraction = count as f64 / n as f64;
            let se = (expected * (1.0 - expected) / n as f64).sqrt();
            assert!(
                (fraction - expected).abs() < 4.0 * se,
                "kT = {kt}, well {w:?}: sampled {fraction}, quadrature {expected} ± {se}"
            );
        }
    }

    #[test]
    fn prinz_well_populations_match_quadrature_at_kt_1() {
        prinz_populations_match_quadrature(1.0);
    }

    #[test]
    fn prinz_well_populations_match_quadrature_at_kt_half() {
        prinz_populations_match_quadrature(0.5);
    }

    #[test]
    fn samples_stay_in_the_domain_and_repeat_exactly() {
        let run =
            |key| sample_boltzmann(&Prinz, 0.0, 1.0, &[(-0.3, 0.9)], 500, key, 1, 2000).unwrap();
        let a = run(KEY);
        assert!(a.coord(0).iter().all(|&x| (-0.3..=0.9).contains(&x)));
        assert_eq!(a, run(KEY));
        assert_ne!(a, run(StreamKey { node: node_id("other"), ..KEY }));
    }

    #[test]
    fn density_integrates_to_one_and_matches_a_gaussian() {
        let trap = Harmonic::new(TimeFn::constant(0.0), TimeFn::constant(1.0));
        let cells = 4000;
        let density = boltzmann_density_1d(&trap, 0.0, 0.5, (-8.0, 8.0), cells).unwrap();
        let h = 16.0 / cells as f64;
        let integral: f64 = density.windows(2).map(|w| 0.5 * h * (w[0] + w[1])).sum();
        assert!((integral - 1.0).abs() < 1e-12);
        let peak = 1.0 / (2.0 * std::f64::consts::PI * 0.5f64).sqrt();
        assert!((density[cells / 2] - peak).abs() < 1e-5, "{} vs {peak}", density[cells / 2]);
    }

    #[test]
    fn two_dimensional_samples_have_the_right_variance() {
        #[derive(Debug)]
        struct Bowl;
        impl Potential for Bowl {
            fn dim(&self) -> usize {
                2
            }
            fn eval(&self, _t: f64, coords: &[&[f64]], _want: Want, out: &mut Evaluation) {
                for (i, v) in out.value[..coords[0].len()].iter_mut().enumerate() {
                    *v = 0.5 * (coords[0][i].powi(2) + 4.0 * coords[1][i].powi(2));
                }
            }
        }
        let n = 40_000;
        let samples =
            sample_boltzmann(&Bowl, 0.0, 1.0, &[(-6.0, 6.0), (-3.0, 3.0)], 300, KEY, 0, n).unwrap();
        for (d, variance) in [(0, 1.0), (1, 0.25)] {
            let x = samples.coord(d);
            let mean = x.iter().sum::<f64>() / n as f64;
            let var = x.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            // Cell smoothing adds h²/12 to the variance.
            let h = if d == 0 { 12.0 / 300.0 } else { 6.0 / 300.0 };
            let expected = variance + h * h / 12.0;
            let se = expected * (2.0 / n as f64).sqrt();
            assert!((var - expected).abs() < 4.0 * se, "coordinate {d}: {var} vs {expected}");
        }
    }

    #[test]
    fn non_normalisable_densities_are_reported() {
        #[derive(Debug)]
        struct Constant(f64);
        impl Potential for Constant {
            fn dim(&self) -> usize {
                1
            }
            fn eval(&self, _t: f64, coords: &[&[f64]], _want: Want, out: &mut Evaluation) {
                out.value[..coords[0].len()].fill(self.0);
            }
        }
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let error =
                sample_boltzmann(&Constant(v), 2.0, 1.0, &[(0.0, 1.0)], 10, KEY, 0, 5).unwrap_err();
            assert!(
                matches!(error, SamplerError::NotNormalisable { t: 2.0, .. }),
                "{v}: {error:?}"
            );
        }
        let flat = sample_boltzmann(&Constant(1e300), 0.0, 1e-300, &[(0.0, 1.0)], 10, KEY, 0, 5);
        assert!(flat.is_ok(), "a huge constant is shifted away before exponentiating");
        assert!(matches!(
            sample_boltzmann(&Prinz, 0.0, 1.0, &[(0.0, 1.0), (0.0, 1.0)], 10, KEY, 0, 5),
            Err(SamplerError::Other(_))
        ));
    }

    #[test]
    fn grids_are_capped_in_higher_dimensions() {
        assert_eq!(cells_per_axis(20_000, 1), 20_000);
        assert_eq!(cells_per_axis(20_000, 2), 2000);
        assert_eq!(cells_per_axis(20_000, 3), 158);
        assert_eq!(cells_per_axis(50, 3), 50);
    }

    proptest! {
        /// The inverse is exact: the interpolant's CDF at the returned x gives back u.
        #[test]
        fn linear_inversion_reproduces_the_cdf(
            weights in proptest::collection::vec(0.0..2.0f64, 2..12),
            u in 0.0..1.0f64,
        ) {
            let cells = weights.len() - 1;
            let axis = Axis { lo: -1.0, hi: 2.0, cells };
            let h = axis.width();
            let mut cumulative = vec![0.0];
            for w in weights.windows(2) {
                cumulative.push(cumulative.last().unwrap() + 0.5 * h * (w[0] + w[1]));
            }
            prop_assume!(cumulative[cells] > 1e-6);
            let last = (0..cells).rev().find(|&j| weights[j] + weights[j + 1] > 0.0).unwrap();
            let x = invert_linear(axis, &weights, &cumulative, last, u);
            let j = (((x - axis.lo) / h) as usize).min(cells - 1);
            let s = x - node(axis, j);
            let (w0, w1) = (weights[j], weights[j + 1]);
            let mass = cumulative[j] + w0 * s + (w1 - w0) * s * s / (2.0 * h);
            prop_assert!((mass - u * cumulative[cells]).abs() < 1e-9, "x = {x}");
        }
    }
}
