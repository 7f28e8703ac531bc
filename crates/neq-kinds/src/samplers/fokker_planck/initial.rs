//! Initial densities on a grid, from the initial conditions particles use.
//!
//! | condition | density |
//! |---|---|
//! | `point(p)` | a Gaussian centred at p with a standard deviation of [`POINT_WIDTH_CELLS`] cell widths per axis |
//! | `uniform(box)` | constant on the box; cells cut by its faces get the covered fraction |
//! | `gaussian(mean, std)` | the normal density, averaged over each cell |
//! | `boltzmann(at, domain)` | exp(−V(centre, at)/kT) on the cells inside the domain: the discrete equilibrium state of the Scharfetter–Gummel scheme, so a static potential started there does not move |
//!
//! Cell averages of Gaussians use [`SUBSAMPLES`] midpoints per axis and cell (error
//! ≈ w²/(24 · SUBSAMPLES² · σ²) relative for cells of width w). Every density is normalised
//! to Σ value · cell volume = 1.

use neq_core::{Axis, Density, Evaluation, InitSpec, Potential, SamplerError, Want};

/// Standard deviation of the Gaussian that stands for `point(…)`, in cell widths.
pub const POINT_WIDTH_CELLS: f64 = 2.0;

/// Midpoints per axis and cell when averaging a Gaussian over a cell.
pub const SUBSAMPLES: usize = 4;

/// Cells per potential evaluation.
const EVAL_CHUNK: usize = 4096;

/// The initial density of `init` on `axes`, normalised; `potential` and `kt` serve
/// `boltzmann(…)`.
///
/// # Errors
/// [`SamplerError::Other`] when the condition puts no probability on the grid (a point or
/// box outside it), [`SamplerError::NotNormalisable`] when exp(−V/kT) cannot be normalised.
pub fn initial_density(
    init: &InitSpec,
    axes: &[Axis],
    potential: &dyn Potential,
    kt: f64,
) -> Result<Density, SamplerError> {
    let mut density = Density::zeros(axes.to_vec());
    match init {
        InitSpec::Point(p) => {
            let std: Vec<f64> = axes.iter().map(|a| POINT_WIDTH_CELLS * a.width()).collect();
            fill_product(&mut density, |d, i| gaussian_cell_average(&axes[d], i, p[d], std[d]));
        }
        InitSpec::Gaussian { mean, std } => {
            fill_product(&mut density, |d, i| {
                if std[d] == 0.0 {
                    // A degenerate coordinate is a point along that axis.
                    let width = POINT_WIDTH_CELLS * axes[d].width();
                    gaussian_cell_average(&axes[d], i, mean[d], width)
                } else {
                    gaussian_cell_average(&axes[d], i, mean[d], std[d])
                }
            });
        }
        InitSpec::Uniform(bounds) => {
            fill_product(&mut density, |d, i| covered_fraction(&axes[d], i, bounds[d]));
        }
        InitSpec::Boltzmann { at, domain } => boltzmann(&mut density, potential, *at, kt, domain)?,
    }
    normalise(&mut density, init)?;
    Ok(density)
}

/// Fills a density that is a product of one factor per axis: `factor(d, i)` for cell `i` of
/// axis `d`.
fn fill_product(density: &mut Density, factor: impl Fn(usize, usize) -> f64) {
    let factors: Vec<Vec<f64>> = density
        .axes
        .iter()
        .enumerate()
        .map(|(d, axis)| (0..axis.cells).map(|i| factor(d, i)).collect())
        .collect();
    let cells: Vec<usize> = density.axes.iter().map(|a| a.cells).collect();
    for (index, value) in density.values.iter_mut().enumerate() {
        let mut rest = index;
        let mut product = 1.0;
        for d in (0..cells.len()).rev() {
            product *= factors[d][rest % cells[d]];
            rest /= cells[d];
        }
        *value = product;
    }
}

/// The average over cell `i` of the normal density with `mean` and `std` (unnormalised
/// along the axis: the density is normalised as a whole afterwards).
fn gaussian_cell_average(axis: &Axis, i: usize, mean: f64, std: f64) -> f64 {
    let w = axis.width();
    let lo = axis.lo + i as f64 * w;
    (0..SUBSAMPLES)
        .map(|k| {
            let x = lo + (k as f64 + 0.5) * w / SUBSAMPLES as f64;
            (-0.5 * ((x - mean) / std).powi(2)).exp()
        })
        .sum::<f64>()
        / SUBSAMPLES as f64
}

/// The fraction of cell `i` inside `[lo, hi]`.
fn covered_fraction(axis: &Axis, i: usize, (lo, hi): (f64, f64)) -> f64 {
    let w = axis.width();
    let (a, b) = (axis.lo + i as f64 * w, axis.lo + (i + 1) as f64 * w);
    if lo == hi {
        // A zero-width range is a point along this axis: the cell that holds it.
        return if a <= lo && lo < b { 1.0 } else { 0.0 };
    }
    ((b.min(hi) - a.max(lo)) / w).max(0.0)
}

/// exp(−(V − min V)/kT) at the cell centres, times the fraction of the cell inside the
/// domain.
fn boltzmann(
    density: &mut Density,
    potential: &dyn Potential,
    at: f64,
    kt: f64,
    domain: &[(f64, f64)],
) -> Result<(), SamplerError> {
    let axes = density.axes.clone();
    let dim = axes.len();
    let cells: Vec<usize> = axes.iter().map(|a| a.cells).collect();
    let mut values = vec![0.0; density.values.len()];
    let mut out = Evaluation::default();
    let mut coords: Vec<Vec<f64>> = vec![Vec::with_capacity(EVAL_CHUNK); dim];
    for (chunk_index, chunk) in values.chunks_mut(EVAL_CHUNK).enumerate() {
        coords.iter_mut().for_each(Vec::clear);
        for k in 0..chunk.len() {
            let mut rest = chunk_index * EVAL_CHUNK + k;
            for d in (0..dim).rev() {
                coords[d].push(axes[d].centre(rest % cells[d]));
                rest /= cells[d];
            }
        }
        let slices: Vec<&[f64]> = coords.iter().map(Vec::as_slice).collect();
        out.resize(chunk.len(), dim);
        potential.eval(at, &slices, Want::VALUE, &mut out);
        chunk.copy_from_slice(&out.value[..chunk.len()]);
    }
    let not_normalisable = |reason: String| SamplerError::NotNormalisable { t: at, reason };
    if let Some(i) = values.iter().position(|v| v.is_nan() || *v == f64::NEG_INFINITY) {
        return Err(not_normalisable(format!("V is {} at grid cell {i}", values[i])));
    }
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    if min == f64::INFINITY {
        return Err(not_normalisable("V is +∞ everywhere on the grid".into()));
    }
    let mut inside = Density::zeros(axes.clone());
    fill_product(&mut inside, |d, i| covered_fraction(&axes[d], i, domain[d]));
    for ((value, v), inside) in density.values.iter_mut().zip(&values).zip(&inside.values) {
        *value = inside * (-(v - min) / kt).exp();
    }
    Ok(())
}

/// Scales the density to unit mass, or says that it has none on the grid.
fn normalise(density: &mut Density, init: &InitSpec) -> Result<(), SamplerError> {
    let mass = density.mass();
    if !(mass > 0.0 && mass.is_finite()) {
        return Err(SamplerError::Other(format!(
            "the initial condition {init:?} puts no probability on the grid"
        )));
    }
    density.values.iter_mut().for_each(|v| *v /= mass);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::potentials::Prinz;

    fn axis(lo: f64, hi: f64, cells: usize) -> Axis {
        Axis { lo, hi, cells }
    }

    #[test]
    fn uniform_boxes_cover_cut_cells_by_their_fraction() {
        let axes = [axis(0.0, 4.0, 4)];
        let init = InitSpec::Uniform(vec![(0.5, 2.0)]);
        let density = initial_density(&init, &axes, &Prinz, 1.0).unwrap();
        // Mass 1.5 spread over [0.5, 2]: cells [0,1) half covered, [1,2) fully.
        let expected = [0.5 / 1.5, 1.0 / 1.5, 0.0, 0.0];
        for (v, e) in density.values.iter().zip(expected) {
            assert!((v - e).abs() < 1e-15, "{:?}", density.values);
        }
    }

    #[test]
    fn gaussians_have_the_moments_they_were_given() {
        let axes = [axis(-3.0, 5.0, 800), axis(-6.0, 5.0, 550)];
        let init = InitSpec::Gaussian { mean: vec![1.0, -0.5], std: vec![0.5, 0.8] };
        let density = initial_density(&init, &axes, &Prinz, 1.0).unwrap();
        assert!((density.mass() - 1.0).abs() < 1e-12);
        let (mx, vx) = density.mean_and_variance(0);
        let (my, vy) = density.mean_and_variance(1);
        assert!((mx - 1.0).abs() < 1e-9 && (my + 0.5).abs() < 1e-9, "{mx} {my}");
        // Cell averaging and the piecewise-constant variance both add w²/12 at most.
        assert!((vx - 0.25).abs() < 2e-4, "{vx}");
        assert!((vy - 0.64).abs() < 2e-4, "{vy}");
    }

    #[test]
    fn boltzmann_is_the_discrete_equilibrium_state() {
        let axes = [axis(-1.0, 1.0, 200)];
        let init = InitSpec::Boltzmann { at: 0.0, domain: vec![(-2.0, 2.0)] };
        let density = initial_density(&init, &axes, &Prinz, 0.5).unwrap();
        let v = |x: f64| neq_core::potential::value_at(&Prinz, 0.0, &[x]);
        // Ratios of neighbouring cells are exactly the Boltzmann factors of their centres.
        for i in [10, 57, 120, 180] {
            let ratio = density.values[i + 1] / density.values[i];
            let exact = (-(v(axes[0].centre(i + 1)) - v(axes[0].centre(i))) / 0.5).exp();
            assert!((ratio / exact - 1.0).abs() < 1e-12, "cell {i}: {ratio} vs {exact}");
        }
    }

    #[test]
    fn a_point_off_the_grid_is_an_error() {
        let axes = [axis(0.0, 1.0, 100)];
        let error = initial_density(&InitSpec::Point(vec![5.0]), &axes, &Prinz, 1.0).unwrap_err();
        assert!(error.to_string().contains("no probability on the grid"), "{error}");
    }
}
