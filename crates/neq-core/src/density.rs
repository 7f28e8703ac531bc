//! Quadratures on a [`Density`]: mass, marginals, masses of intervals and moments.
//!
//! A density holds cell averages, so the reconstruction used here is piecewise constant:
//! inside each cell the density is its cell value. Masses of intervals that cut through a
//! cell take the covered fraction of that cell; the variance includes the spread inside
//! cells (w²/12 per axis of width w). These are exact for the reconstruction and second
//! order in the cell width for a smooth density.

use crate::sampler::{Axis, Density};

impl Density {
    /// A density on `axes` with every cell value zero.
    pub fn zeros(axes: Vec<Axis>) -> Self {
        let cells = axes.iter().map(|a| a.cells).product();
        Density { axes, values: vec![0.0; cells] }
    }

    /// Number of coordinates.
    pub fn dim(&self) -> usize {
        self.axes.len()
    }

    /// Number of cells.
    pub fn num_cells(&self) -> usize {
        self.values.len()
    }

    /// Volume of one cell.
    pub fn cell_volume(&self) -> f64 {
        self.axes.iter().map(Axis::width).product()
    }

    /// Total probability Σ value · cell volume (1 for a normalised density).
    pub fn mass(&self) -> f64 {
        self.values.iter().sum::<f64>() * self.cell_volume()
    }

    /// The probability in each cell of axis `d`, summed over the other axes (the marginal
    /// along `d`, as masses rather than densities).
    ///
    /// # Panics
    /// If `d` is not an axis of the density.
    pub fn marginal_masses(&self, d: usize) -> Vec<f64> {
        let axis = self.axes[d];
        // Cells are row-major with the last axis fastest: index = (outer · n_d + i) · inner + k.
        let inner: usize = self.axes[d + 1..].iter().map(|a| a.cells).product();
        let volume = self.cell_volume();
        let mut masses = vec![0.0; axis.cells];
        for (chunk_index, chunk) in self.values.chunks(inner).enumerate() {
            masses[chunk_index % axis.cells] += chunk.iter().sum::<f64>();
        }
        masses.iter_mut().for_each(|m| *m *= volume);
        masses
    }

    /// The probability that coordinate `d` lies in `[lo, hi)`, from precomputed
    /// [`marginal_masses`](Self::marginal_masses) of that axis.
    pub fn mass_between(axis: &Axis, masses: &[f64], lo: f64, hi: f64) -> f64 {
        let w = axis.width();
        let mut mass = 0.0;
        for (i, &m) in masses.iter().enumerate() {
            let (a, b) = (axis.lo + i as f64 * w, axis.lo + (i + 1) as f64 * w);
            let overlap = (b.min(hi) - a.max(lo)).max(0.0);
            mass += m * (overlap / w);
        }
        mass
    }

    /// Mean and variance of coordinate `d` under the piecewise-constant density, normalised
    /// by the total mass.
    pub fn mean_and_variance(&self, d: usize) -> (f64, f64) {
        let axis = self.axes[d];
        let masses = self.marginal_masses(d);
        let total: f64 = masses.iter().sum();
        let mean = masses.iter().enumerate().map(|(i, m)| m * axis.centre(i)).sum::<f64>() / total;
        let spread = masses
            .iter()
            .enumerate()
            .map(|(i, m)| m * (axis.centre(i) - mean).powi(2))
            .sum::<f64>()
            / total;
        (mean, spread + axis.width().powi(2) / 12.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2-D density with a product form p(x, y) = f(x) g(y) on a coarse grid.
    fn product_density() -> Density {
        let x = Axis { lo: -1.0, hi: 1.0, cells: 4 };
        let y = Axis { lo: 0.0, hi: 3.0, cells: 3 };
        let f = [0.1, 0.2, 0.3, 0.4];
        let g = [1.0, 2.0, 3.0];
        let mut density = Density::zeros(vec![x, y]);
        for (i, fi) in f.iter().enumerate() {
            for (j, gj) in g.iter().enumerate() {
                density.values[i * 3 + j] = fi * gj;
            }
        }
        let mass = density.mass();
        density.values.iter_mut().for_each(|v| *v /= mass);
        density
    }

    #[test]
    fn marginals_of_a_product_density_are_its_factors() {
        let density = product_density();
        assert!((density.mass() - 1.0).abs() < 1e-15);
        let mx = density.marginal_masses(0);
        for (m, f) in mx.iter().zip([0.1, 0.2, 0.3, 0.4]) {
            assert!((m - f).abs() < 1e-15, "{mx:?}");
        }
        let my = density.marginal_masses(1);
        for (m, g) in my.iter().zip([1.0, 2.0, 3.0]) {
            assert!((m - g / 6.0).abs() < 1e-15, "{my:?}");
        }
    }

    #[test]
    fn interval_masses_take_fractions_of_cut_cells() {
        let density = product_density();
        let axis = density.axes[0];
        let masses = density.marginal_masses(0);
        // Cells are [-1, -0.5), [-0.5, 0), [0, 0.5), [0.5, 1].
        let m = Density::mass_between(&axis, &masses, -0.75, 0.25);
        assert!((m - (0.05 + 0.2 + 0.15)).abs() < 1e-15, "{m}");
        assert!((Density::mass_between(&axis, &masses, -5.0, 5.0) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn moments_of_a_uniform_density_match_the_closed_form() {
        let axis = Axis { lo: 2.0, hi: 5.0, cells: 7 };
        let mut density = Density::zeros(vec![axis]);
        density.values.fill(1.0 / 3.0);
        let (mean, variance) = density.mean_and_variance(0);
        assert!((mean - 3.5).abs() < 1e-14);
        assert!((variance - 9.0 / 12.0).abs() < 1e-14, "{variance}");
    }
}
