//! Exact independent samples of a density on a grid, for `noise_floor` and for the point
//! sets of `mmd` and `energy`.
//!
//! A density frame holds cell averages, i.e. it *is* the piecewise-constant density with
//! those values (the reconstruction [`neq_core::density`] integrates). Sampling it exactly
//! takes two steps: pick a cell with probability equal to its mass, by inverting the
//! cumulative cell masses (a binary search over the prefix sums, row-major with the last axis
//! fastest), then a uniform position inside the cell, one uniform number per axis. Negative
//! cell values, which numerical solvers can produce at round-off level, count as zero.
//!
//! Samples are drawn in blocks of [`BLOCK`]; block `b` of a draw keyed by `parts` uses the
//! stream `streams.stream(parts ++ [b])`, so the samples do not depend on the number of
//! threads that draw them.

use neq_core::{Axis, Density, Ensemble, StreamKey};
use rand::RngExt;
use rayon::prelude::*;

/// Samples per random stream and per parallel task.
pub const BLOCK: usize = 4096;

/// The inverse-CDF table of one density.
#[derive(Clone, Debug, Default)]
pub struct CellSampler {
    axes: Vec<Axis>,
    /// Prefix sums of the (clamped) cell values: `cum[c]` is the weight of cells `0..=c`.
    cum: Vec<f64>,
    /// The last cell with positive weight (a safe target when rounding overshoots).
    last_massive: usize,
}

impl CellSampler {
    /// An empty table; [`CellSampler::prepare`] fills it.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds the table of `density`, reusing the storage of the previous one.
    ///
    /// # Errors
    /// A message when a cell value is not finite or no cell has positive mass.
    pub fn prepare(&mut self, density: &Density) -> Result<(), String> {
        self.axes.clone_from(&density.axes);
        self.cum.clear();
        self.cum.reserve(density.values.len());
        self.last_massive = 0;
        let mut total = 0.0;
        for (c, &v) in density.values.iter().enumerate() {
            if !v.is_finite() {
                return Err(format!("cell {c} of the density is {v}"));
            }
            if v > 0.0 {
                self.last_massive = c;
            }
            total += v.max(0.0);
            self.cum.push(total);
        }
        if total <= 0.0 || total.is_infinite() {
            return Err("the density has no cell of positive mass".into());
        }
        Ok(())
    }

    /// The flat index of the cell holding cumulative weight `u` ∈ [0, total).
    fn cell(&self, u: f64) -> usize {
        self.cum.partition_point(|&c| c <= u).min(self.last_massive)
    }

    /// Overwrites `out` with `out.len()` exact samples. `out` must have the density's
    /// dimension.
    pub fn fill(&self, out: &mut Ensemble, streams: StreamKey, parts: &[u64]) {
        let dim = self.axes.len();
        assert_eq!(out.dim(), dim, "sample buffer of the wrong dimension");
        let total = self.cum.last().copied().unwrap_or(0.0);
        let mut key = parts.to_vec();
        key.push(0);
        out.blocks_mut(BLOCK).into_par_iter().enumerate().for_each(|(b, mut block)| {
            let mut key = key.clone();
            *key.last_mut().expect("block part") = b as u64;
            let mut rng = streams.stream(&key);
            for k in 0..block[0].len() {
                let mut flat = self.cell(rng.random::<f64>() * total);
                // Row-major, last axis fastest: peel the axes from the last one.
                for d in (0..dim).rev() {
                    let axis = self.axes[d];
                    let i = flat % axis.cells;
                    flat /= axis.cells;
                    let x = axis.lo + (i as f64 + rng.random::<f64>()) * axis.width();
                    block[d][k] = x.min(axis.hi);
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use neq_core::node_id;

    use super::*;

    /// A 2-D density with very unequal cells, one of them empty.
    fn lumpy() -> Density {
        let mut density = Density::zeros(vec![
            Axis { lo: -1.0, hi: 1.0, cells: 8 },
            Axis { lo: 0.0, hi: 5.0, cells: 5 },
        ]);
        for (c, v) in density.values.iter_mut().enumerate() {
            *v = ((c * 7919) % 13) as f64 + 0.5 * (c % 3) as f64;
        }
        density.values[11] = 0.0;
        density.values[12] = -1e-18;
        let mass = density.mass();
        density.values.iter_mut().for_each(|v| *v /= mass);
        density
    }

    #[test]
    fn exact_samples_reproduce_the_cell_masses() {
        let density = lumpy();
        let mut sampler = CellSampler::new();
        sampler.prepare(&density).unwrap();
        let n = 200_000;
        let mut samples = Ensemble::zeros(2, n);
        sampler.fill(&mut samples, StreamKey { seed: 3, node: node_id("floor") }, &[1, 2]);
        let (x, y) = (density.axes[0], density.axes[1]);
        let mut counts = vec![0usize; density.num_cells()];
        let mut offsets = [0.0; 2];
        for k in 0..n {
            let (px, py) = (samples.coord(0)[k], samples.coord(1)[k]);
            let (i, j) = (((px - x.lo) / x.width()) as usize, ((py - y.lo) / y.width()) as usize);
            counts[i * y.cells + j] += 1;
            offsets[0] += (px - x.lo) / x.width() - i as f64;
            offsets[1] += (py - y.lo) / y.width() - j as f64;
        }
        assert_eq!(counts[11] + counts[12], 0, "empty cells are never drawn");
        // Pearson's χ² over the cells of positive mass: k − 1 = 37 degrees of freedom, so a
        // mean of 37 and a standard deviation of √74 ≈ 8.6.
        let volume = density.cell_volume();
        let chi2: f64 = density
            .values
            .iter()
            .zip(&counts)
            .filter(|(v, _)| **v > 0.0)
            .map(|(v, &c)| {
                let expected = v * volume * n as f64;
                (c as f64 - expected).powi(2) / expected
            })
            .sum();
        assert!(chi2 < 37.0 + 5.0 * 8.6, "χ² = {chi2}");
        // Uniform inside cells: the mean offset is 1/2 with standard error √(1/12n) ≈ 6.5e-4.
        for offset in offsets {
            assert!((offset / n as f64 - 0.5).abs() < 4e-3, "{offset}");
        }
    }

    #[test]
    fn draws_repeat_exactly_and_differ_by_key() {
        let density = lumpy();
        let mut sampler = CellSampler::new();
        sampler.prepare(&density).unwrap();
        let streams = StreamKey { seed: 1, node: node_id("m") };
        let draw = |parts: &[u64]| {
            let mut e = Ensemble::zeros(2, 3 * BLOCK + 5);
            sampler.fill(&mut e, streams, parts);
            e
        };
        assert_eq!(draw(&[4]), draw(&[4]));
        assert_ne!(draw(&[4]), draw(&[5]));
    }

    #[test]
    fn unusable_densities_are_refused() {
        let mut sampler = CellSampler::new();
        let mut density = Density::zeros(vec![Axis { lo: 0.0, hi: 1.0, cells: 3 }]);
        assert!(sampler.prepare(&density).is_err());
        density.values[1] = f64::NAN;
        assert!(sampler.prepare(&density).unwrap_err().contains("cell 1"));
    }
}
