//! Measures from point sets in O(m n): `mmd` in any dimension and `energy` in 2-D and 3-D.
//!
//! **MMD.** The unbiased estimator of the squared maximum mean discrepancy with the Gaussian
//! kernel k(a, b) = exp(−|a − b|² / (2σ²)) (Gretton, Borgwardt, Rasch, Schölkopf & Smola, "A
//! kernel two-sample test", JMLR 13, 2012):
//!
//! ```text
//! MMD²_u = 1/(m(m−1)) Σ_{i≠j} k(xᵢ, xⱼ) + 1/(n(n−1)) Σ_{i≠j} k(yᵢ, yⱼ) − 2/(m n) Σ_{i,j} k(xᵢ, yⱼ)
//! ```
//!
//! Its expectation is the population MMD², so on two samples of one distribution it scatters
//! around 0 and may be slightly negative; it is reported as it is, not clipped or rooted.
//! The bandwidth σ follows the median heuristic (same paper): σ² is the median of the squared
//! distances |zᵢ − zⱼ|², i < j, over the pooled points z — the first [`MEDIAN_POINTS`] of
//! each side, which keeps the heuristic O(1) in memory; the median of N values is the
//! ⌊N/2⌋-th smallest, counting from 0. When that median is 0 (most points coincide), σ² is
//! the mean of the nonzero squared distances, or 1 if all points coincide.
//!
//! **Energy distance** (Székely & Rizzo, "Energy statistics: a class of statistics based on
//! distances", J. Stat. Plan. Inference 143, 2013), with U-statistics for the within-sample
//! terms:
//!
//! ```text
//! E = 2/(m n) Σ_{i,j} |xᵢ − yⱼ| − 1/(m(m−1)) Σ_{i≠j} |xᵢ − xⱼ| − 1/(n(n−1)) Σ_{i≠j} |yᵢ − yⱼ|
//! ```
//!
//! Both are NaN when a side has fewer than 2 points. Rows of the double sums run in
//! parallel, each row summed in order and the row sums added in row order, so the values do
//! not depend on the number of threads.

use rayon::prelude::*;

/// Points per side that enter the median heuristic.
pub const MEDIAN_POINTS: usize = 500;

/// Rows per parallel task.
const ROWS_PER_TASK: usize = 16;

/// Points stored row-major: point i is `rows[i * dim..(i + 1) * dim]`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Cloud<'a> {
    /// Coordinates per point.
    pub dim: usize,
    /// The coordinates, point after point.
    pub rows: &'a [f64],
}

impl Cloud<'_> {
    fn len(&self) -> usize {
        self.rows.len() / self.dim
    }

    fn point(&self, i: usize) -> &[f64] {
        &self.rows[i * self.dim..(i + 1) * self.dim]
    }

    fn first(&self, m: usize) -> Self {
        Cloud { dim: self.dim, rows: &self.rows[..m.min(self.len()) * self.dim] }
    }
}

fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| (a - b) * (a - b)).sum()
}

/// Σ_{i<j} f(xᵢ, xⱼ).
fn within(x: Cloud<'_>, f: impl Fn(f64) -> f64 + Sync) -> f64 {
    let rows: Vec<f64> = (0..x.len())
        .into_par_iter()
        .with_min_len(ROWS_PER_TASK)
        .map(|i| {
            let xi = x.point(i);
            (i + 1..x.len()).map(|j| f(squared_distance(xi, x.point(j)))).sum::<f64>()
        })
        .collect();
    rows.iter().sum()
}

/// Σ_{i,j} f(xᵢ, yⱼ).
fn between(x: Cloud<'_>, y: Cloud<'_>, f: impl Fn(f64) -> f64 + Sync) -> f64 {
    let rows: Vec<f64> = (0..x.len())
        .into_par_iter()
        .with_min_len(ROWS_PER_TASK)
        .map(|i| {
            let xi = x.point(i);
            (0..y.len()).map(|j| f(squared_distance(xi, y.point(j)))).sum::<f64>()
        })
        .collect();
    rows.iter().sum()
}

/// σ² of the median heuristic on the pooled points (see the module docs); `buffer` holds
/// the squared distances and is reused between calls.
pub(super) fn median_bandwidth(x: Cloud<'_>, y: Cloud<'_>, buffer: &mut Vec<f64>) -> f64 {
    let (x, y) = (x.first(MEDIAN_POINTS), y.first(MEDIAN_POINTS));
    let pooled: Vec<&[f64]> =
        (0..x.len()).map(|i| x.point(i)).chain((0..y.len()).map(|j| y.point(j))).collect();
    buffer.clear();
    for (i, a) in pooled.iter().enumerate() {
        buffer.extend(pooled[i + 1..].iter().map(|b| squared_distance(a, b)));
    }
    if buffer.is_empty() {
        return 1.0;
    }
    let middle = buffer.len() / 2;
    let median = *buffer.select_nth_unstable_by(middle, f64::total_cmp).1;
    if median > 0.0 {
        return median;
    }
    let nonzero: Vec<f64> = buffer.iter().copied().filter(|&d| d > 0.0).collect();
    if nonzero.is_empty() { 1.0 } else { nonzero.iter().sum::<f64>() / nonzero.len() as f64 }
}

/// The unbiased MMD² with a Gaussian kernel of variance `sigma2`.
pub(super) fn mmd2_unbiased(x: Cloud<'_>, y: Cloud<'_>, sigma2: f64) -> f64 {
    let (m, n) = (x.len() as f64, y.len() as f64);
    if m < 2.0 || n < 2.0 {
        return f64::NAN;
    }
    let kernel = |d2: f64| (-d2 / (2.0 * sigma2)).exp();
    let xx = 2.0 * within(x, kernel) / (m * (m - 1.0));
    let yy = 2.0 * within(y, kernel) / (n * (n - 1.0));
    let xy = between(x, y, kernel) / (m * n);
    xx + yy - 2.0 * xy
}

/// The energy distance with U-statistics for the within-sample terms.
pub(super) fn energy_u(x: Cloud<'_>, y: Cloud<'_>) -> f64 {
    let (m, n) = (x.len() as f64, y.len() as f64);
    if m < 2.0 || n < 2.0 {
        return f64::NAN;
    }
    let xy = between(x, y, f64::sqrt) / (m * n);
    let xx = 2.0 * within(x, f64::sqrt) / (m * (m - 1.0));
    let yy = 2.0 * within(y, f64::sqrt) / (n * (n - 1.0));
    2.0 * xy - xx - yy
}

#[cfg(test)]
mod tests {
    use neq_core::{StreamKey, node_id};
    use rand::RngExt;
    use rand_distr::StandardNormal;

    use super::*;

    /// `n` standard normal points in 2-D, shifted by `shift` along x.
    fn normal_points(seed: u64, n: usize, shift: f64) -> Vec<f64> {
        let mut rng = StreamKey { seed, node: node_id("mmd test") }.stream(&[]);
        (0..2 * n)
            .map(|k| rng.sample::<f64, _>(StandardNormal) + if k % 2 == 0 { shift } else { 0.0 })
            .collect()
    }

    fn mean_and_standard_error(values: &[f64]) -> (f64, f64) {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, (variance / n).sqrt())
    }

    #[test]
    fn unbiased_mmd_is_zero_on_average_for_one_distribution_and_positive_for_two() {
        let repeats = 60;
        let (mut same, mut shifted) = (Vec::new(), Vec::new());
        let mut buffer = Vec::new();
        for r in 0..repeats {
            let x = normal_points(2 * r, 200, 0.0);
            let y = normal_points(2 * r + 1, 200, 0.0);
            let z = normal_points(2 * r + 1, 200, 0.5);
            let (x, y, z) = (
                Cloud { dim: 2, rows: &x },
                Cloud { dim: 2, rows: &y },
                Cloud { dim: 2, rows: &z },
            );
            same.push(mmd2_unbiased(x, y, median_bandwidth(x, y, &mut buffer)));
            shifted.push(mmd2_unbiased(x, z, median_bandwidth(x, z, &mut buffer)));
        }
        let (mean, se) = mean_and_standard_error(&same);
        assert!(mean.abs() < 3.0 * se, "same distribution: {mean} ± {se}");
        assert!(same.iter().any(|&v| v < 0.0), "an unbiased estimate dips below 0");
        let (mean, se) = mean_and_standard_error(&shifted);
        assert!(mean > 10.0 * se && mean > 0.01, "shifted by σ/2: {mean} ± {se}");
    }

    #[test]
    fn estimators_match_double_loops_over_ordered_pairs() {
        let x = [0.0, 0.0, 1.0, 0.0, 0.0, 2.0];
        let y = [3.0, 1.0, -1.0, 0.5];
        let (cx, cy) = (Cloud { dim: 2, rows: &x }, Cloud { dim: 2, rows: &y });
        let distance = |a: &[f64], b: &[f64]| squared_distance(a, b).sqrt();
        let points = |c: &[f64]| -> Vec<Vec<f64>> { c.chunks(2).map(<[f64]>::to_vec).collect() };
        let (px, py) = (points(&x), points(&y));
        let mean_over = |a: &[Vec<f64>],
                         b: &[Vec<f64>],
                         skip_diagonal: bool,
                         f: &dyn Fn(&[f64], &[f64]) -> f64| {
            let (mut sum, mut count) = (0.0, 0.0);
            for (i, p) in a.iter().enumerate() {
                for (j, q) in b.iter().enumerate() {
                    if !(skip_diagonal && i == j) {
                        sum += f(p, q);
                        count += 1.0;
                    }
                }
            }
            sum / count
        };
        let energy = 2.0 * mean_over(&px, &py, false, &distance)
            - mean_over(&px, &px, true, &distance)
            - mean_over(&py, &py, true, &distance);
        assert!((energy_u(cx, cy) - energy).abs() < 1e-14, "{} vs {energy}", energy_u(cx, cy));
        let sigma2 = 1.7;
        let k = |a: &[f64], b: &[f64]| (-squared_distance(a, b) / (2.0 * sigma2)).exp();
        let mmd = mean_over(&px, &px, true, &k) + mean_over(&py, &py, true, &k)
            - 2.0 * mean_over(&px, &py, false, &k);
        assert!((mmd2_unbiased(cx, cy, sigma2) - mmd).abs() < 1e-14);
        // Pooled squared distances of the 5 points: the median of the 10 is the one at index 5.
        let mut all: Vec<f64> = Vec::new();
        let pooled: Vec<&Vec<f64>> = px.iter().chain(&py).collect();
        for i in 0..pooled.len() {
            for j in i + 1..pooled.len() {
                all.push(squared_distance(pooled[i], pooled[j]));
            }
        }
        all.sort_by(f64::total_cmp);
        assert_eq!(median_bandwidth(cx, cy, &mut Vec::new()), all[5]);
        assert!(mmd2_unbiased(cx.first(1), cy, 1.0).is_nan());
    }
}
