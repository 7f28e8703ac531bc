//! The binned measures `kl`, `jsd`, `tv` and `hellinger`: both sides become probability
//! masses on one grid of cells, plus one *outside* bin.
//!
//! **The grid.** When either side is a density, its own grid is used (two densities must
//! share their grid). When both are ensembles, the grid has `bins` equal cells per axis
//! covering the bounding box of the finite points of both (an axis on which every point
//! agrees is widened to one length unit around that value). A density contributes its cell
//! masses (negative round-off values count as zero, and the masses are normalised to 1); an
//! ensemble of n particles contributes count/n per cell, a cell holding the points with
//! lo ≤ x < hi on every axis, the top edge of the last cell included. Particles outside the
//! grid, or not finite, land in the outside bin, whose mass for a density is 0. No smoothing
//! is applied.
//!
//! **The measures**, summed over the cells and the outside bin alike (p the sampler's
//! masses, q the reference's):
//!
//! ```text
//! tv         ½ Σ |p − q|
//! hellinger  H = √(½ Σ (√p − √q)²)          (H² = 1 − Σ √(p q), computed without cancellation)
//! kl         Σ p ln(p / q)                  (0 where p = 0; +∞ if p > 0 where q = 0)
//! jsd        ½ Σ p ln(p / m) + ½ Σ q ln(q / m),  m = (p + q) / 2   (≤ ln 2)
//! ```
//!
//! So particles outside a reference density's grid raise `tv` by half their mass, add their
//! mass to H² (the outside bin contributes (√p_out − 0)²/2), make `kl` infinite and add
//! ½ p_out ln 2 to `jsd`. Logarithms are natural (nats). References: Kullback & Leibler, "On
//! information and sufficiency", Ann. Math. Stat. 22 (1951); Lin, "Divergence measures based
//! on the Shannon entropy", IEEE Trans. Inf. Theory 37 (1991); Le Cam & Yang, *Asymptotics in
//! Statistics*, Springer 2000 (Hellinger distance and total variation).

use std::iter::once;

use neq_core::{Axis, Ensemble, Frame, MetricError, NamedFrame};

use super::measure::Measure;

/// Largest number of cells of a grid built from `bins` (it would not fit in memory).
pub const MAX_CELLS: usize = 1 << 26;

/// The two sides as masses on a common grid (storage reused from frame to frame).
#[derive(Clone, Debug, Default)]
pub(super) struct Binned {
    /// The sampler's mass per cell.
    pub p: Vec<f64>,
    /// The reference's mass per cell.
    pub q: Vec<f64>,
    /// The sampler's mass outside the grid.
    pub p_out: f64,
    /// The reference's mass outside the grid.
    pub q_out: f64,
    axes: Vec<Axis>,
}

impl Binned {
    /// Bins `a` (the sampler) and `b` (the reference) on their common grid.
    pub fn fill(
        &mut self,
        a: &NamedFrame<'_>,
        b: &NamedFrame<'_>,
        bins: usize,
    ) -> Result<(), MetricError> {
        self.axes = common_grid(a, b, bins)?;
        let cells: usize = self.axes.iter().map(|x| x.cells).product();
        self.p_out = masses(a.frame, &self.axes, cells, &mut self.p);
        self.q_out = masses(b.frame, &self.axes, cells, &mut self.q);
        Ok(())
    }

    /// The value of a binned measure.
    pub fn measure(&self, measure: Measure) -> f64 {
        divergence(measure, &self.p, &self.q, self.p_out, self.q_out)
    }
}

/// Whether two grids are the same, up to rounding of the edges.
pub(super) fn same_grid(a: &[Axis], b: &[Axis]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(a, b)| {
            let tolerance = 1e-9 * a.width().abs();
            a.cells == b.cells
                && (a.lo - b.lo).abs() <= tolerance
                && (a.hi - b.hi).abs() <= tolerance
        })
}

/// How a grid is written in messages: `[-1..1 / 100, 0..2 / 50]`.
pub(super) fn describe_grid(axes: &[Axis]) -> String {
    let each: Vec<String> =
        axes.iter().map(|a| format!("{}..{} / {}", a.lo, a.hi, a.cells)).collect();
    format!("[{}]", each.join(", "))
}

fn common_grid(
    a: &NamedFrame<'_>,
    b: &NamedFrame<'_>,
    bins: usize,
) -> Result<Vec<Axis>, MetricError> {
    match (a.frame, b.frame) {
        (Frame::Density(da), Frame::Density(db)) => {
            if same_grid(&da.axes, &db.axes) {
                Ok(db.axes.clone())
            } else {
                Err(MetricError::Other(format!(
                    "`{}` and `{}` are densities on different grids ({} and {}); the binned \
                     measures (kl, jsd, tv, hellinger) compare cells of one grid",
                    a.name,
                    b.name,
                    describe_grid(&da.axes),
                    describe_grid(&db.axes)
                )))
            }
        }
        (Frame::Density(d), Frame::Ensemble(_)) | (Frame::Ensemble(_), Frame::Density(d)) => {
            Ok(d.axes.clone())
        }
        (Frame::Ensemble(ea), Frame::Ensemble(eb)) => bounding_grid(ea, eb, bins, a.name, b.name),
    }
}

/// `bins` cells per axis over the bounding box of the finite points of both ensembles.
fn bounding_grid(
    a: &Ensemble,
    b: &Ensemble,
    bins: usize,
    name_a: &str,
    name_b: &str,
) -> Result<Vec<Axis>, MetricError> {
    let dim = a.dim();
    let cells = (0..dim).try_fold(1usize, |acc, _| acc.checked_mul(bins));
    if cells.is_none_or(|c| c > MAX_CELLS) {
        return Err(MetricError::Other(format!(
            "{bins} bins per axis in {dim}-D make more than {MAX_CELLS} cells; lower `bins`"
        )));
    }
    let mut axes = Vec::with_capacity(dim);
    for d in 0..dim {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for &x in a.coord(d).iter().chain(b.coord(d)) {
            if x.is_finite() {
                lo = lo.min(x);
                hi = hi.max(x);
            }
        }
        if lo > hi {
            return Err(MetricError::Other(format!(
                "`{name_a}` and `{name_b}` have no finite particle to bin"
            )));
        }
        if lo == hi {
            (lo, hi) = (lo - 0.5, hi + 0.5);
        }
        axes.push(Axis { lo, hi, cells: bins });
    }
    Ok(axes)
}

/// Fills `out` with the masses of `frame` on `axes` and returns the mass outside.
fn masses(frame: Frame<'_>, axes: &[Axis], cells: usize, out: &mut Vec<f64>) -> f64 {
    out.clear();
    match frame {
        Frame::Density(density) => {
            out.extend(density.values.iter().map(|v| v.max(0.0)));
            let total: f64 = out.iter().sum();
            out.iter_mut().for_each(|m| *m /= total);
            0.0
        }
        Frame::Ensemble(ensemble) => {
            out.resize(cells, 0.0);
            let inside = count(ensemble, axes, out);
            let n = ensemble.len() as f64;
            out.iter_mut().for_each(|m| *m /= n);
            (ensemble.len() - inside) as f64 / n
        }
    }
}

/// Adds one to the cell of each particle inside the grid; returns how many were inside.
fn count(ensemble: &Ensemble, axes: &[Axis], cells: &mut [f64]) -> usize {
    let coords = ensemble.coords();
    let scales: Vec<f64> = axes.iter().map(|a| a.cells as f64 / (a.hi - a.lo)).collect();
    let mut inside = 0;
    'points: for i in 0..ensemble.len() {
        let mut flat = 0;
        for ((axis, scale), coordinate) in axes.iter().zip(&scales).zip(&coords) {
            let x = coordinate[i];
            // Written so that NaN fails too.
            if !(x >= axis.lo && x <= axis.hi) {
                continue 'points;
            }
            let k = (((x - axis.lo) * scale) as usize).min(axis.cells - 1);
            flat = flat * axis.cells + k;
        }
        cells[flat] += 1.0;
        inside += 1;
    }
    inside
}

/// The value of a binned measure from masses per cell and outside (see the module docs).
pub(super) fn divergence(measure: Measure, p: &[f64], q: &[f64], p_out: f64, q_out: f64) -> f64 {
    let pairs = p.iter().copied().zip(q.iter().copied()).chain(once((p_out, q_out)));
    match measure {
        Measure::Tv => 0.5 * pairs.map(|(p, q)| (p - q).abs()).sum::<f64>(),
        Measure::Hellinger => {
            (0.5 * pairs.map(|(p, q)| (p.sqrt() - q.sqrt()).powi(2)).sum::<f64>()).sqrt()
        }
        Measure::Kl => pairs.map(|(p, q)| relative_entropy_term(p, q)).sum(),
        Measure::Jsd => pairs
            .map(|(p, q)| {
                let m = 0.5 * (p + q);
                0.5 * (relative_entropy_term(p, m) + relative_entropy_term(q, m))
            })
            .sum(),
        other => unreachable!("{other:?} is not a binned measure"),
    }
}

/// p ln(p / q), with 0 ln(0 / q) = 0 and p ln(p / 0) = +∞.
fn relative_entropy_term(p: f64, q: f64) -> f64 {
    if p <= 0.0 {
        0.0
    } else if q <= 0.0 {
        f64::INFINITY
    } else {
        p * (p / q).ln()
    }
}

#[cfg(test)]
mod tests {
    use std::f64::consts::LN_2;

    use neq_core::Density;

    use super::*;
    use crate::testing::{ensemble, ensemble_1d};

    fn named<'a>(name: &'a str, frame: Frame<'a>) -> NamedFrame<'a> {
        NamedFrame { name, frame, observables: &[] }
    }

    /// Masses 0.1, 0.3, 0.4, 0.2 on [0, 1).
    fn reference() -> Density {
        let mut density = Density::zeros(vec![Axis { lo: 0.0, hi: 1.0, cells: 4 }]);
        density.values.copy_from_slice(&[0.4, 1.2, 1.6, 0.8]);
        density
    }

    fn all(binned: &Binned) -> [f64; 4] {
        [Measure::Kl, Measure::Jsd, Measure::Tv, Measure::Hellinger].map(|m| binned.measure(m))
    }

    #[test]
    fn hand_computed_values_with_a_particle_outside_the_grid() {
        // Cells [0, .25) [.25, .5) [.5, .75) [.75, 1]: counts 2, 3, 3, 1 and one outside.
        let points = ensemble_1d(&[0.1, 0.2, 0.3, 0.4, 0.45, 0.5, 0.6, 0.7, 1.0, 1.5]);
        let density = reference();
        let mut binned = Binned::default();
        let (a, b) =
            (named("sim", Frame::Ensemble(&points)), named("fp", Frame::Density(&density)));
        binned.fill(&a, &b, 100).unwrap();
        let p = [0.2, 0.3, 0.3, 0.1, 0.1];
        let q = [0.1, 0.3, 0.4, 0.2, 0.0];
        for (got, want) in binned.p.iter().chain([&binned.p_out]).zip(p) {
            assert!((got - want).abs() < 1e-15);
        }
        let [kl, jsd, tv, hellinger] = all(&binned);
        assert_eq!(kl, f64::INFINITY);
        assert!((tv - 0.5 * (0.1 + 0.0 + 0.1 + 0.1 + 0.1)).abs() < 1e-15, "{tv}");
        let h2 = 0.5
            * ((0.2f64.sqrt() - 0.1f64.sqrt()).powi(2)
                + (0.3f64.sqrt() - 0.4f64.sqrt()).powi(2)
                + (0.1f64.sqrt() - 0.2f64.sqrt()).powi(2)
                + 0.1);
        assert!((hellinger - h2.sqrt()).abs() < 1e-15, "{hellinger}");
        let js = |p: f64, q: f64| {
            let m = (p + q) / 2.0;
            let t = |x: f64| if x > 0.0 { x * (x / m).ln() } else { 0.0 };
            (t(p) + t(q)) / 2.0
        };
        let expected: f64 = p.iter().zip(q).map(|(&p, q)| js(p, q)).sum();
        assert!((jsd - expected).abs() < 1e-15, "{jsd} vs {expected}");
        // The outside bin alone contributes ½ · 0.1 · ln 2.
        assert!((js(0.1, 0.0) - 0.05 * LN_2).abs() < 1e-17);
    }

    #[test]
    fn hand_computed_kl_between_two_densities_on_one_grid() {
        let q = reference();
        let mut p = reference();
        p.values.copy_from_slice(&[1.0, 1.0, 1.0, 1.0]);
        let mut binned = Binned::default();
        binned.fill(&named("a", Frame::Density(&p)), &named("b", Frame::Density(&q)), 7).unwrap();
        let kl = binned.measure(Measure::Kl);
        let expected: f64 = [0.1f64, 0.3, 0.4, 0.2].iter().map(|q| 0.25 * (0.25 / q).ln()).sum();
        assert!((kl - expected).abs() < 1e-15, "{kl} vs {expected}");
        assert_eq!(binned.p_out + binned.q_out, 0.0);
    }

    #[test]
    fn two_ensembles_share_a_bounding_grid_and_jsd_is_symmetric_and_bounded() {
        // 2-D, bins 2: the box is [0, 2] × [0, 1]; the maxima fall in the last cells.
        let a = ensemble(&[&[0.0, 0.5, 2.0], &[0.0, 1.0, 1.0]]);
        let b = ensemble(&[&[1.5, 2.0], &[0.2, 0.9]]);
        let (na, nb) = (named("a", Frame::Ensemble(&a)), named("b", Frame::Ensemble(&b)));
        let mut ab = Binned::default();
        ab.fill(&na, &nb, 2).unwrap();
        let third = 1.0 / 3.0;
        assert_eq!(ab.p, vec![third, third, 0.0, third]);
        assert_eq!(ab.q, vec![0.0, 0.0, 0.5, 0.5]);
        let mut ba = Binned::default();
        ba.fill(&nb, &na, 2).unwrap();
        let (jab, jba) = (ab.measure(Measure::Jsd), ba.measure(Measure::Jsd));
        assert_eq!(jab, jba);
        assert!(jab > 0.0 && jab <= LN_2, "{jab}");
        // Disjoint supports reach the bound.
        let far = ensemble(&[&[10.0, 11.0], &[5.0, 6.0]]);
        let mut disjoint = Binned::default();
        disjoint.fill(&na, &named("far", Frame::Ensemble(&far)), 2).unwrap();
        assert!((disjoint.measure(Measure::Jsd) - LN_2).abs() < 1e-15);
        assert!((disjoint.measure(Measure::Tv) - 1.0).abs() < 1e-15);
        assert!((disjoint.measure(Measure::Hellinger) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn densities_on_different_grids_are_refused_with_both_grids_named() {
        let a = reference();
        let mut b = reference();
        b.axes[0].hi = 2.0;
        let error = Binned::default()
            .fill(&named("fp", Frame::Density(&a)), &named("fine", Frame::Density(&b)), 10)
            .unwrap_err();
        let text = error.to_string();
        assert!(text.contains("`fp` and `fine`") && text.contains("0..2 / 4"), "{text}");
    }
}
