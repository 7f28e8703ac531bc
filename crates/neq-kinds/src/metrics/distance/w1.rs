//! The Wasserstein-1 distance `w1`: exact in 1-D, sliced in 2-D and 3-D; and the CDFs of
//! frames that the 1-D `energy` distance shares with it.
//!
//! **1-D.** W₁(a, b) = ∫|F_a − F_b| dx exactly (see [`super::cdf`]): an ensemble's CDF is
//! its empirical step function, a density's is piecewise linear inside its cells.
//!
//! **2-D and 3-D.** The sliced distance (Rabin, Peyré, Delon & Bernot, "Wasserstein
//! barycenter and its application to texture mixing", SSVM 2011; Bonneel, Rabin, Peyré &
//! Pfister, "Sliced and Radon Wasserstein barycenters of measures", J. Math. Imaging Vis. 51,
//! 2015): the mean over K unit vectors u of the exact 1-D W₁ between the projections x·u.
//! The directions are fixed for the whole run ([`Directions`]): in 2-D the angles
//! θₖ = (k + r) π / K, k = 0 … K − 1, evenly spaced on [0, π) and turned by one offset r ∈
//! [0, 1) drawn from the metric's stream; in 3-D the K points of a Fibonacci lattice on the
//! upper hemisphere (zₖ = (k + ½)/K, azimuth k · π(3 − √5); González, Math. Geosci. 42,
//! 2010), which are evenly spread in area, turned by one uniform random rotation (Shoemake,
//! "Uniform random rotations", Graphics Gems III, 1992) drawn from the same stream. Only
//! half the sphere is needed since u and −u give the same distance. For a shift s of a
//! distribution the sliced W₁ is the mean of |s·u|, (2/π)|s| in 2-D and |s|/2 in 3-D for
//! many directions.
//!
//! A density is projected cell by cell: each cell's mass is put at the projection c·u of its
//! centre, which moves it by at most E|(X − c)·u| ≤ ¼ s with s = Σ_d w_d |u_d| for cell widths
//! w_d, and then spread evenly over a bin of width s/4 of a 1-D grid covering the
//! projections, which moves it by at most s/8 more. The projected density is thus a 1-D
//! piecewise-constant density (its CDF exact, as in 1-D), built in one pass without sorting,
//! and the sliced W₁ against a density carries an error of at most ⅜ s ≤ (3√dim / 8) max_d
//! w_d, of the order of the cell width.
//!
//! Directions are processed in parallel, each into its own slot, and the mean is taken in
//! direction order, so the value does not depend on the number of threads. Buffers live in
//! the metric and are reused from frame to frame.

use std::f64::consts::PI;

use neq_core::{Axis, Density, Ensemble, Frame, StreamKey};
use rand::RngExt;
use rayon::prelude::*;

use super::cdf::{Cdf, Integrals, Ramps, Steps, integrals, sort_key};

/// Bins of a projected density per projected cell width Σ_d w_d |u_d|.
const BINS_PER_SPREAD: f64 = 4.0;

/// Most bins of a projected density.
const MAX_PROJECTED_BINS: usize = 1 << 22;

/// The part of the metric's stream key that draws the directions.
const DIRECTIONS_STREAM: u64 = 0x6469_7265_6374;

/// The fixed unit vectors of sliced W₁ (three components; unused ones are 0).
#[derive(Clone, Debug, PartialEq)]
pub struct Directions {
    /// Number of coordinates.
    pub dim: usize,
    /// The unit vectors.
    pub vectors: Vec<[f64; 3]>,
}

impl Directions {
    /// `count` directions in `dim` (1, 2 or 3) dimensions, as described in the module docs.
    ///
    /// # Panics
    /// If `dim` is not 1, 2 or 3.
    pub fn new(dim: usize, count: usize, streams: StreamKey) -> Self {
        let count = count.max(1);
        let mut rng = streams.stream(&[DIRECTIONS_STREAM, dim as u64]);
        let vectors = match dim {
            1 => vec![[1.0, 0.0, 0.0]],
            2 => {
                let offset: f64 = rng.random();
                (0..count)
                    .map(|k| {
                        let theta = (k as f64 + offset) * PI / count as f64;
                        [theta.cos(), theta.sin(), 0.0]
                    })
                    .collect()
            }
            3 => {
                let q = random_rotation(rng.random(), rng.random(), rng.random());
                let golden = PI * (3.0 - 5f64.sqrt());
                (0..count)
                    .map(|k| {
                        let z = (k as f64 + 0.5) / count as f64;
                        let r = (1.0 - z * z).max(0.0).sqrt();
                        let phi = k as f64 * golden;
                        rotate(q, [r * phi.cos(), r * phi.sin(), z])
                    })
                    .collect()
            }
            _ => panic!("sliced directions exist in 1, 2 or 3 dimensions, not {dim}"),
        };
        Directions { dim, vectors }
    }
}

/// A unit quaternion (w, x, y, z) uniform on the sphere, from three uniform numbers.
fn random_rotation(u1: f64, u2: f64, u3: f64) -> [f64; 4] {
    let (a, b) = ((1.0 - u1).sqrt(), u1.sqrt());
    let (s2, c2) = (2.0 * PI * u2).sin_cos();
    let (s3, c3) = (2.0 * PI * u3).sin_cos();
    [b * c3, a * s2, a * c2, b * s3]
}

/// Rotates `v` by the unit quaternion `q`.
fn rotate([w, x, y, z]: [f64; 4], v: [f64; 3]) -> [f64; 3] {
    let rows = [
        [1.0 - 2.0 * (y * y + z * z), 2.0 * (x * y - w * z), 2.0 * (x * z + w * y)],
        [2.0 * (x * y + w * z), 1.0 - 2.0 * (x * x + z * z), 2.0 * (y * z - w * x)],
        [2.0 * (x * z - w * y), 2.0 * (y * z + w * x), 1.0 - 2.0 * (x * x + y * y)],
    ];
    rows.map(|row| row[0] * v[0] + row[1] * v[1] + row[2] * v[2])
}

/// Storage for the CDF of one side, reused between frames.
#[derive(Clone, Debug, Default)]
pub(super) struct CdfBuffers {
    keys: Vec<u64>,
    bins: Vec<f64>,
    cum: Vec<f64>,
}

impl CdfBuffers {
    /// The exact CDF of a 1-D frame (densities normalised, negative cells as zero).
    pub fn exact<'s>(&'s mut self, frame: Frame<'_>) -> Cdf<'s> {
        match frame {
            Frame::Ensemble(ensemble) => self.steps(ensemble, &[1.0, 0.0, 0.0]),
            Frame::Density(density) => {
                let axis = density.axes[0];
                cumulate(density.values.iter().copied(), &mut self.cum);
                Cdf::Ramps(Ramps { axis, cum: &self.cum })
            }
        }
    }

    /// The CDF of the projection x·u of a frame (a density as atoms at cell centres).
    pub fn projected<'s>(&'s mut self, frame: Frame<'_>, u: &[f64; 3]) -> Cdf<'s> {
        match frame {
            Frame::Ensemble(ensemble) => self.steps(ensemble, u),
            Frame::Density(density) => self.atoms(density, u),
        }
    }

    fn steps<'s>(&'s mut self, ensemble: &Ensemble, u: &[f64; 3]) -> Cdf<'s> {
        let coords = ensemble.coords();
        self.keys.clear();
        match coords.as_slice() {
            [x] => self.keys.extend(x.iter().map(|&x| sort_key(x * u[0]))),
            [x, y] => {
                self.keys.extend(x.iter().zip(*y).map(|(x, y)| sort_key(x * u[0] + y * u[1])))
            }
            _ => self.keys.extend(
                (0..ensemble.len())
                    .map(|i| sort_key(coords.iter().zip(u).map(|(c, u)| c[i] * u).sum::<f64>())),
            ),
        }
        self.keys.sort_unstable();
        Cdf::Steps(Steps { keys: &self.keys })
    }

    fn atoms<'s>(&'s mut self, density: &Density, u: &[f64; 3]) -> Cdf<'s> {
        // The projection of a cell centre is the sum of one term per axis.
        let terms: Vec<Vec<f64>> = density
            .axes
            .iter()
            .zip(u)
            .map(|(axis, u): (&Axis, &f64)| (0..axis.cells).map(|i| axis.centre(i) * u).collect())
            .collect();
        let lowest: f64 =
            terms.iter().map(|t| t.iter().copied().fold(f64::INFINITY, f64::min)).sum();
        let highest: f64 =
            terms.iter().map(|t| t.iter().copied().fold(f64::NEG_INFINITY, f64::max)).sum();
        let spread: f64 = density.axes.iter().zip(u).map(|(a, u)| a.width() * u.abs()).sum();
        let bin = spread / BINS_PER_SPREAD;
        let bins = (((highest - lowest) / bin).ceil() as usize + 1).min(MAX_PROJECTED_BINS);
        let bin =
            if bins == MAX_PROJECTED_BINS { (highest - lowest) / (bins - 1) as f64 } else { bin };
        let lo = lowest - 0.5 * bin;
        let axis = Axis { lo, hi: lo + bins as f64 * bin, cells: bins };
        let mass = &mut self.bins;
        mass.clear();
        mass.resize(bins, 0.0);
        let inv_bin = 1.0 / bin;
        let mut put = |x: f64, v: f64| {
            if v > 0.0 {
                mass[(((x - lo) * inv_bin) as usize).min(bins - 1)] += v;
            }
        };
        match terms.as_slice() {
            [tx, ty] => {
                for (&x, row) in tx.iter().zip(density.values.chunks_exact(ty.len())) {
                    for (&y, &v) in ty.iter().zip(row) {
                        put(x + y, v);
                    }
                }
            }
            _ => {
                let mut index = vec![0usize; density.dim()];
                for &v in &density.values {
                    put(terms.iter().zip(&index).map(|(t, &i)| t[i]).sum(), v);
                    // Advance the multi-index, last axis fastest.
                    for d in (0..index.len()).rev() {
                        index[d] += 1;
                        if index[d] < density.axes[d].cells {
                            break;
                        }
                        index[d] = 0;
                    }
                }
            }
        }
        cumulate(self.bins.iter().copied(), &mut self.cum);
        Cdf::Ramps(Ramps { axis, cum: &self.cum })
    }
}

/// `out` = 0, w₀, w₀ + w₁, … normalised to end at 1, with negative weights as zero.
fn cumulate(weights: impl Iterator<Item = f64>, out: &mut Vec<f64>) {
    out.clear();
    out.push(0.0);
    let mut total = 0.0;
    for w in weights {
        total += w.max(0.0);
        out.push(total);
    }
    out.iter_mut().for_each(|c| *c /= total);
}

/// ∫|F_a − F_b| and ∫(F_a − F_b)² of two 1-D frames, exactly.
pub(super) fn exact_1d(a: Frame<'_>, b: Frame<'_>, buffers: &mut [CdfBuffers; 2]) -> Integrals {
    let [ba, bb] = buffers;
    integrals(&ba.exact(a), &bb.exact(b))
}

/// The sliced W₁ of two frames over `directions`; `buffers` grows to one pair per task.
pub(super) fn sliced_w1(
    a: Frame<'_>,
    b: Frame<'_>,
    directions: &Directions,
    buffers: &mut Vec<[CdfBuffers; 2]>,
) -> f64 {
    let count = directions.vectors.len();
    let tasks = rayon::current_num_threads().clamp(1, count);
    if buffers.len() < tasks {
        buffers.resize_with(tasks, Default::default);
    }
    let per_task = count.div_ceil(tasks);
    let mut values = vec![0.0; count];
    values
        .par_chunks_mut(per_task)
        .zip(buffers.par_iter_mut())
        .zip(directions.vectors.par_chunks(per_task))
        .for_each(|((out, [ba, bb]), vectors)| {
            for (value, u) in out.iter_mut().zip(vectors) {
                *value = integrals(&ba.projected(a, u), &bb.projected(b, u)).abs;
            }
        });
    values.iter().sum::<f64>() / count as f64
}

#[cfg(test)]
mod tests {
    use neq_core::node_id;

    use super::*;
    use crate::testing::{ensemble, ensemble_1d};

    fn streams() -> StreamKey {
        StreamKey { seed: 11, node: node_id("w1 test") }
    }

    /// ∫ₗʳ |c − u| du.
    fn mean_distance(c: f64, l: f64, r: f64) -> f64 {
        let antiderivative = |u: f64| (u - c) * (u - c).abs() / 2.0;
        antiderivative(r) - antiderivative(l)
    }

    /// W₁ by the quantile formula ∫₀¹ |F⁻¹(u) − G⁻¹(u)| du for two point sets.
    fn quantile_w1(a: &[f64], b: &[f64]) -> f64 {
        let (mut a, mut b) = (a.to_vec(), b.to_vec());
        a.sort_by(f64::total_cmp);
        b.sort_by(f64::total_cmp);
        let mut levels: Vec<f64> = (0..=a.len())
            .map(|k| k as f64 / a.len() as f64)
            .chain((0..=b.len()).map(|k| k as f64 / b.len() as f64))
            .collect();
        levels.sort_by(f64::total_cmp);
        let quantile = |x: &[f64], u: f64| x[((u * x.len() as f64) as usize).min(x.len() - 1)];
        levels
            .windows(2)
            .map(|w| {
                (w[1] - w[0])
                    * (quantile(&a, (w[0] + w[1]) / 2.0) - quantile(&b, (w[0] + w[1]) / 2.0)).abs()
            })
            .sum()
    }

    fn w1_1d(a: Frame<'_>, b: Frame<'_>) -> f64 {
        exact_1d(a, b, &mut Default::default()).abs
    }

    #[test]
    fn w1_of_point_sets_matches_sorted_matching_and_the_quantile_formula() {
        let a = [0.3, -1.2, 2.5, 0.0, 0.7, 1.1];
        let b = [1.0, 0.2, -0.4, 3.3, 0.0, 0.9];
        let (ea, eb) = (ensemble_1d(&a), ensemble_1d(&b));
        let (mut sa, mut sb) = (a.to_vec(), b.to_vec());
        sa.sort_by(f64::total_cmp);
        sb.sort_by(f64::total_cmp);
        let matching: f64 = sa.iter().zip(&sb).map(|(x, y)| (x - y).abs()).sum::<f64>() / 6.0;
        let got = w1_1d(Frame::Ensemble(&ea), Frame::Ensemble(&eb));
        assert!((got - matching).abs() < 1e-15, "{got} vs {matching}");
        // Unequal sizes, with ties.
        let c = [0.5, -2.0, 0.5, 4.0];
        let ec = ensemble_1d(&c);
        let got = w1_1d(Frame::Ensemble(&ea), Frame::Ensemble(&ec));
        let expected = quantile_w1(&a, &c);
        assert!((got - expected).abs() < 1e-14, "{got} vs {expected}");
    }

    #[test]
    fn w1_of_a_sample_against_a_uniform_density_is_the_closed_form() {
        // Uniform on [0, 1] on 7 cells: G⁻¹(u) = u, so W₁ = Σₖ ∫ over ((k−1)/n, k/n] of
        // |x₍ₖ₎ − u| du.
        let xs = [0.05, 0.9, 0.31, 0.62, 1.4, -0.2, 0.5, 0.5];
        let mut density = Density::zeros(vec![Axis { lo: 0.0, hi: 1.0, cells: 7 }]);
        density.values.fill(1.0);
        let e = ensemble_1d(&xs);
        let mut sorted = xs.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = xs.len() as f64;
        let expected: f64 = sorted
            .iter()
            .enumerate()
            .map(|(k, &x)| mean_distance(x, k as f64 / n, (k + 1) as f64 / n))
            .sum();
        let got = w1_1d(Frame::Ensemble(&e), Frame::Density(&density));
        assert!((got - expected).abs() < 1e-15, "{got} vs {expected}");
        let back = w1_1d(Frame::Density(&density), Frame::Ensemble(&e));
        assert!((back - expected).abs() < 1e-15);
    }

    /// A Gaussian N(mean, 1) by its midpoint values on [−10, 10] with `cells` cells.
    fn gaussian(mean: f64, cells: usize, lo: f64) -> Density {
        let mut density = Density::zeros(vec![Axis { lo, hi: lo + 20.0, cells }]);
        let axis = density.axes[0];
        for (i, v) in density.values.iter_mut().enumerate() {
            *v = (-(axis.centre(i) - mean).powi(2) / 2.0).exp();
        }
        let mass = density.mass();
        density.values.iter_mut().for_each(|v| *v /= mass);
        density
    }

    #[test]
    fn w1_between_shifted_gaussian_densities_is_the_shift_even_across_grids() {
        let (a, b) = (gaussian(0.0, 4000, -10.0), gaussian(0.7, 3000, -9.5));
        let got = w1_1d(Frame::Density(&a), Frame::Density(&b));
        assert!((got - 0.7).abs() < 1e-5, "{got}");
        assert!(w1_1d(Frame::Density(&a), Frame::Density(&a)).abs() < 1e-15);
    }

    #[test]
    fn energy_in_1d_equals_the_v_statistic() {
        let x = [0.3, -1.2, 2.5, 0.0, 0.7];
        let y = [1.0, 0.2, -0.4, 3.3, 0.0, 0.9, 0.9];
        let mean_distance = |a: &[f64], b: &[f64]| {
            a.iter().map(|p| b.iter().map(|q| (p - q).abs()).sum::<f64>()).sum::<f64>()
                / (a.len() * b.len()) as f64
        };
        let v = 2.0 * mean_distance(&x, &y) - mean_distance(&x, &x) - mean_distance(&y, &y);
        let (ex, ey) = (ensemble_1d(&x), ensemble_1d(&y));
        let got = 2.0
            * exact_1d(Frame::Ensemble(&ex), Frame::Ensemble(&ey), &mut Default::default()).square;
        assert!((got - v).abs() < 1e-14, "{got} vs {v}");
    }

    #[test]
    fn sliced_w1_of_a_shift_is_the_mean_projected_shift() {
        let (x, y): (Vec<f64>, Vec<f64>) =
            (0..500).map(|i| ((i as f64 * 0.618).fract() * 3.0, (i as f64 * 0.377).sin())).unzip();
        let s = [0.3, -0.4];
        let xs: Vec<f64> = x.iter().map(|v| v + s[0]).collect();
        let ys: Vec<f64> = y.iter().map(|v| v + s[1]).collect();
        let (a, b) = (ensemble(&[&x, &y]), ensemble(&[&xs, &ys]));
        let directions = Directions::new(2, 64, streams());
        let got = sliced_w1(Frame::Ensemble(&a), Frame::Ensemble(&b), &directions, &mut Vec::new());
        // A shift of one distribution moves every projection by s·u.
        let mean: f64 =
            directions.vectors.iter().map(|u| (s[0] * u[0] + s[1] * u[1]).abs()).sum::<f64>()
                / 64.0;
        assert!((got - mean).abs() < 1e-12, "{got} vs {mean}");
        let continuum = 2.0 / PI * 0.5;
        assert!((got - continuum).abs() < 1e-3 * continuum, "{got} vs {continuum}");

        let z: Vec<f64> = (0..500).map(|i| (i as f64 * 0.123).cos()).collect();
        let zs: Vec<f64> = z.iter().map(|v| v + 1.2).collect();
        let (a, b) = (ensemble(&[&x, &y, &z]), ensemble(&[&xs, &ys, &zs]));
        let directions = Directions::new(3, 400, streams());
        let got = sliced_w1(Frame::Ensemble(&a), Frame::Ensemble(&b), &directions, &mut Vec::new());
        let continuum = 0.5 * 1.3;
        assert!((got - continuum).abs() < 5e-3 * continuum, "{got} vs {continuum}");
    }

    #[test]
    fn sliced_w1_against_a_density_is_within_the_cell_bound() {
        // Points spread evenly over [0, 1]² against the uniform density on it.
        let side = 200;
        let (x, y): (Vec<f64>, Vec<f64>) = (0..side * side)
            .map(|k| {
                (((k / side) as f64 + 0.5) / side as f64, ((k % side) as f64 + 0.5) / side as f64)
            })
            .unzip();
        let points = ensemble(&[&x, &y]);
        let mut density = Density::zeros(vec![Axis { lo: 0.0, hi: 1.0, cells: 8 }; 2]);
        density.values.fill(1.0);
        let directions = Directions::new(2, 16, streams());
        let got = sliced_w1(
            Frame::Ensemble(&points),
            Frame::Density(&density),
            &directions,
            &mut Vec::new(),
        );
        let bound = 3.0 * 2f64.sqrt() / 8.0 / 8.0;
        assert!(got > 0.0 && got < bound, "{got} vs {bound}");
    }

    #[test]
    fn sliced_w1_between_shifted_gaussian_densities_is_the_mean_projected_shift() {
        let blob = |cx: f64, cy: f64| {
            let axes = vec![
                Axis { lo: cx - 3.0, hi: cx + 3.0, cells: 120 },
                Axis { lo: cy - 3.0, hi: cy + 3.0, cells: 120 },
            ];
            let mut density = Density::zeros(axes.clone());
            for (k, v) in density.values.iter_mut().enumerate() {
                let (x, y) = (axes[0].centre(k / 120) - cx, axes[1].centre(k % 120) - cy);
                *v = (-(x * x + 0.3 * y * y) / 0.5).exp();
            }
            density
        };
        let (a, b) = (blob(0.0, 0.0), blob(0.4, -0.25));
        let directions = Directions::new(2, 32, streams());
        let got = sliced_w1(Frame::Density(&a), Frame::Density(&b), &directions, &mut Vec::new());
        let exact =
            directions.vectors.iter().map(|u| (0.4 * u[0] - 0.25 * u[1]).abs()).sum::<f64>() / 32.0;
        let bound = 2.0 * 3.0 / 8.0 * 2.0 * 0.05;
        assert!((got - exact).abs() < bound, "{got} vs {exact} (bound {bound})");
    }

    #[test]
    fn directions_are_unit_vectors_fixed_by_the_stream() {
        for dim in [2, 3] {
            let d = Directions::new(dim, 10, streams());
            assert_eq!(d, Directions::new(dim, 10, streams()));
            assert_ne!(d, Directions::new(dim, 10, StreamKey { seed: 12, ..streams() }));
            for u in &d.vectors {
                assert!((u.iter().map(|c| c * c).sum::<f64>() - 1.0).abs() < 1e-14, "{u:?}");
                assert!(u[dim..].iter().all(|&c| c == 0.0));
            }
        }
    }
}
