//! `quantiles(samplers, levels: [0.1, 0.5, 0.9])`: quantiles of every coordinate's marginal,
//! per sampler and recorded time, one tidy row per level.
//!
//! The quantile at level p of n sorted values x₀ ≤ … ≤ x_{n−1} interpolates linearly between
//! order statistics: with h = (n − 1) p and k = ⌊h⌋, q = x_k + (h − k)(x_{k+1} − x_k)
//! (definition 7 of Hyndman & Fan, 1996, the default of R and NumPy). Level 0 is the minimum,
//! 1 the maximum, 0.5 the median.
//!
//! The values are copied and sorted in IEEE total order ([`f64::total_cmp`]) on one thread.
//! That order has no ties between different bit patterns, so the sorted copy, and with it
//! every table, is the same whatever order the particles arrive in.

use neq_core::{
    Args, BuildError, Builder, Cell, ColumnSpec, ColumnType, Ensemble, Frame, KindSpec, Metric,
    MetricError, NamedFrame, ParamDefault, ParamSpec, ParamType, Table,
};

/// Levels used when `levels` is left out.
pub const DEFAULT_LEVELS: [f64; 3] = [0.1, 0.5, 0.9];

/// Coordinate names, in coordinate order.
const COORDINATES: [&str; 3] = ["x", "y", "z"];

/// The columns of a `quantiles` table.
pub const COLUMNS: [ColumnSpec; 5] = [
    ColumnSpec { name: "sampler", ty: ColumnType::Utf8, doc: "name of the sampler" },
    ColumnSpec { name: "t", ty: ColumnType::Float64, doc: "recorded time (time units)" },
    ColumnSpec { name: "coordinate", ty: ColumnType::Utf8, doc: "coordinate name: x, y or z" },
    ColumnSpec { name: "level", ty: ColumnType::Float64, doc: "probability level p in [0, 1]" },
    ColumnSpec {
        name: "value",
        ty: ColumnType::Float64,
        doc: "the quantile at level p, interpolated linearly between order statistics; NaN \
              for an empty ensemble (length units)",
    },
];

/// `quantiles(samplers, levels: [0.1, 0.5, 0.9])`.
pub const KIND: KindSpec = KindSpec {
    name: "quantiles",
    doc: "quantiles(samplers, levels: [0.1, 0.5, 0.9]): for each sampler, recorded time, \
          coordinate and level p, the p-quantile of the particles' positions, interpolating \
          linearly between order statistics (NumPy's default). Level 0 is the minimum, 0.5 the \
          median, 1 the maximum. Reads ensembles, not densities.",
    params: &[
        ParamSpec {
            name: "samplers",
            ty: ParamType::Samplers,
            default: ParamDefault::Required,
            unit: "",
            doc: "the samplers whose frames are summarised, one row group per sampler",
        },
        ParamSpec {
            name: "levels",
            ty: ParamType::Numbers,
            default: ParamDefault::Optional,
            unit: "",
            doc: "probability levels in [0, 1], strictly increasing (default [0.1, 0.5, 0.9])",
        },
    ],
    positional: 1,
    columns: &COLUMNS,
    builder: Builder::Metric(build),
};

fn build(args: &Args) -> Result<Box<dyn Metric>, BuildError> {
    let levels =
        if args.has("levels") { args.numbers("levels").to_vec() } else { DEFAULT_LEVELS.to_vec() };
    check_levels(&levels)?;
    Ok(Box::new(Quantiles::new(args.samplers("samplers").to_vec(), levels)))
}

/// Checks that `levels` is non-empty, within [0, 1] and strictly increasing.
fn check_levels(levels: &[f64]) -> Result<(), BuildError> {
    if levels.is_empty() {
        return Err(BuildError::param("levels", "at least one level is needed")
            .with_hint("e.g. `levels: [0.5]` for the median"));
    }
    if let Some(p) = levels.iter().find(|p| !(0.0..=1.0).contains(*p)) {
        return Err(BuildError::param("levels", format!("the level {p} is outside [0, 1]"))
            .with_hint("levels are probabilities: write the 90th percentile as 0.9"));
    }
    if let Some(pair) = levels.windows(2).find(|pair| pair[0] >= pair[1]) {
        return Err(BuildError::param(
            "levels",
            format!("levels must increase strictly, but {} is followed by {}", pair[0], pair[1]),
        )
        .with_hint("list each level once, from low to high"));
    }
    Ok(())
}

/// The quantile at level `p` (in [0, 1]) of values sorted in increasing order; NaN if there
/// are none.
pub fn quantile_of_sorted(sorted: &[f64], p: f64) -> f64 {
    let Some(last) = sorted.len().checked_sub(1) else {
        return f64::NAN;
    };
    let h = last as f64 * p;
    let k = (h.floor() as usize).min(last);
    let fraction = h - k as f64;
    if fraction == 0.0 || k == last {
        return sorted[k];
    }
    let (a, b) = (sorted[k], sorted[k + 1]);
    let q = a + fraction * (b - a);
    // Rounding may step past b; a NaN stays NaN.
    if q > b { b } else { q }
}

/// The `quantiles` metric.
#[derive(Debug, Clone)]
pub struct Quantiles {
    samplers: Vec<String>,
    levels: Vec<f64>,
    /// A sorted copy of one coordinate, reused from frame to frame.
    sorted: Vec<f64>,
}

impl Quantiles {
    /// Quantiles at `levels` (each in [0, 1]) of the named samplers' ensembles.
    pub fn new(samplers: Vec<String>, levels: Vec<f64>) -> Self {
        Quantiles { samplers, levels, sorted: Vec::new() }
    }
}

/// The ensemble of a frame, or an error naming the sampler for a density.
fn ensemble_of<'a>(frame: &NamedFrame<'a>) -> Result<&'a Ensemble, MetricError> {
    match frame.frame {
        Frame::Ensemble(ensemble) => Ok(ensemble),
        Frame::Density(_) => Err(MetricError::UnsupportedFrame {
            sampler: frame.name.to_owned(),
            reason: "`quantiles` sorts the positions of particles, and a density on a grid has \
                     none; sample it with `boltzmann(…)` or use `langevin(…)`"
                .into(),
        }),
    }
}

impl Metric for Quantiles {
    fn inputs(&self) -> Vec<String> {
        self.samplers.clone()
    }

    fn observe(
        &mut self,
        t: f64,
        frames: &[NamedFrame<'_>],
        table: &mut Table,
    ) -> Result<(), MetricError> {
        for frame in frames {
            let ensemble = ensemble_of(frame)?;
            for d in 0..ensemble.dim() {
                self.sorted.clear();
                self.sorted.extend_from_slice(ensemble.coord(d));
                self.sorted.sort_unstable_by(f64::total_cmp);
                let name = COORDINATES.get(d).copied().unwrap_or("?");
                for &p in &self.levels {
                    table.push_row(&[
                        Cell::Str(frame.name),
                        Cell::F64(t),
                        Cell::Str(name),
                        Cell::F64(p),
                        Cell::F64(quantile_of_sorted(&self.sorted, p)),
                    ]);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use neq_core::{ArgValue, Column, Density};
    use proptest::prelude::*;

    use super::*;

    fn ensemble(coords: &[&[f64]]) -> Ensemble {
        let n = coords.first().map_or(0, |c| c.len());
        let mut e = Ensemble::zeros(coords.len(), n);
        for (d, c) in coords.iter().enumerate() {
            e.coord_mut(d).copy_from_slice(c);
        }
        e
    }

    fn column<'a>(table: &'a Table, name: &str) -> &'a Column {
        table.columns().find(|(n, _)| *n == name).unwrap().1
    }

    fn floats<'a>(table: &'a Table, name: &str) -> &'a [f64] {
        match column(table, name) {
            Column::Float64(v) => v,
            other => panic!("`{name}` is {other:?}"),
        }
    }

    /// The quantile values of one 1-D sample.
    fn observe_1d(x: &[f64], levels: &[f64]) -> Vec<f64> {
        let e = ensemble(&[x]);
        let frames = [NamedFrame { name: "sim", frame: Frame::Ensemble(&e), observables: &[] }];
        let mut metric = Quantiles::new(vec!["sim".into()], levels.to_vec());
        let mut table = Table::new("q", &COLUMNS);
        metric.observe(0.0, &frames, &mut table).unwrap();
        floats(&table, "value").to_vec()
    }

    fn build_with(levels: Option<Vec<f64>>) -> Result<Box<dyn Metric>, BuildError> {
        let Builder::Metric(build) = KIND.builder else { unreachable!() };
        let mut args = Args::new(vec![("samplers", ArgValue::Samplers(vec!["sim".into()]))]);
        if let Some(levels) = levels {
            args.set("levels", ArgValue::Numbers(levels));
        }
        build(&args)
    }

    #[test]
    fn hand_computed_quantiles_match_numpy_linear() {
        // Sorted: 1 1 2 3 4 5 6 9 (n = 8, h = 7p).
        let x = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        let q = observe_1d(&x, &[0.0, 0.25, 0.5, 0.9, 1.0]);
        assert_eq!(q[0], 1.0);
        assert_eq!(q[1], 1.75);
        assert_eq!(q[2], 3.5);
        assert!((q[3] - 6.9).abs() < 1e-12, "{}", q[3]);
        assert_eq!(q[4], 9.0);
    }

    #[test]
    fn one_row_per_sampler_coordinate_and_level() {
        let a = ensemble(&[&[0.0, 1.0, 2.0], &[10.0, 30.0, 20.0]]);
        let b = ensemble(&[&[5.0]]);
        let frames = [
            NamedFrame { name: "a", frame: Frame::Ensemble(&a), observables: &[] },
            NamedFrame { name: "b", frame: Frame::Ensemble(&b), observables: &[] },
        ];
        let mut metric = Quantiles::new(vec!["a".into(), "b".into()], vec![0.5, 1.0]);
        let mut table = Table::new("q", &COLUMNS);
        metric.observe(0.25, &frames, &mut table).unwrap();
        let text = |v: &[&str]| Column::Utf8(v.iter().map(|s| (*s).to_owned()).collect());
        assert_eq!(column(&table, "sampler"), &text(&["a", "a", "a", "a", "b", "b"]));
        assert_eq!(column(&table, "coordinate"), &text(&["x", "x", "y", "y", "x", "x"]));
        assert_eq!(floats(&table, "t"), &[0.25; 6]);
        assert_eq!(floats(&table, "level"), &[0.5, 1.0, 0.5, 1.0, 0.5, 1.0]);
        assert_eq!(floats(&table, "value"), &[1.0, 2.0, 20.0, 30.0, 5.0, 5.0]);
    }

    #[test]
    fn an_empty_ensemble_has_nan_quantiles() {
        assert!(observe_1d(&[], &[0.5]).iter().all(|q| q.is_nan()));
    }

    #[test]
    fn density_frames_are_refused_with_the_samplers_name() {
        let density = Density::default();
        let frames = [NamedFrame { name: "fp", frame: Frame::Density(&density), observables: &[] }];
        let mut metric = Quantiles::new(vec!["fp".into()], DEFAULT_LEVELS.to_vec());
        let mut table = Table::new("q", &COLUMNS);
        let error = metric.observe(0.0, &frames, &mut table).unwrap_err();
        let MetricError::UnsupportedFrame { sampler, reason } = &error else {
            panic!("expected an unsupported frame, got {error:?}");
        };
        assert_eq!(sampler, "fp");
        assert!(reason.contains("density"), "{reason}");
        assert_eq!(table.num_rows(), 0);
    }

    #[test]
    fn builder_checks_levels_and_defaults_them() {
        for bad in [vec![], vec![0.5, 1.5], vec![-0.1], vec![0.9, 0.1], vec![0.5, 0.5]] {
            let error = build_with(Some(bad.clone())).err().expect("rejected");
            assert_eq!(error.param, Some("levels"), "{bad:?}");
            assert!(error.hint.is_some(), "{bad:?}");
        }
        let mut metric = build_with(None).unwrap();
        let e = ensemble(&[&[0.0, 10.0]]);
        let mut table = Table::new("q", &COLUMNS);
        let frames = [NamedFrame { name: "sim", frame: Frame::Ensemble(&e), observables: &[] }];
        metric.observe(0.0, &frames, &mut table).unwrap();
        assert_eq!(floats(&table, "level"), &DEFAULT_LEVELS);
        assert_eq!(floats(&table, "value"), &[1.0, 5.0, 9.0]);
    }

    proptest! {
        /// Against a reference that sorts with `partial_cmp` and interpolates as
        /// (1 − f) x_k + f x_{k+1}: equal within rounding, between the two order statistics,
        /// and exactly an order statistic where (n − 1) p is whole (always at levels 0 and 1).
        #[test]
        fn matches_a_sorted_reference(
            x in prop::collection::vec(-1e3..1e3f64, 1..200),
            mut levels in prop::collection::vec(0.0..=1.0f64, 1..8),
        ) {
            let mut reference = x.clone();
            reference.sort_by(|a, b| a.partial_cmp(b).unwrap());
            let last = reference.len() - 1;
            levels.extend([0.0, 1.0]);
            levels.sort_by(f64::total_cmp);
            levels.dedup();

            let q = observe_1d(&x, &levels);
            prop_assert_eq!(q[0], reference[0]);
            prop_assert_eq!(q[q.len() - 1], reference[last]);
            for (&p, &q) in levels.iter().zip(&q) {
                let h = last as f64 * p;
                let j = (h.floor() as usize).min(last);
                let f = h - j as f64;
                let next = reference[(j + 1).min(last)];
                if f == 0.0 {
                    prop_assert_eq!(q, reference[j]);
                }
                let expected = (1.0 - f) * reference[j] + f * next;
                prop_assert!((q - expected).abs() <= 1e-12 * (1.0 + expected.abs()));
                prop_assert!(reference[j] <= q && q <= next, "{} ≤ {} ≤ {}", reference[j], q, next);
            }
        }

        /// The table does not depend on the order the particles come in.
        #[test]
        fn independent_of_particle_order(
            x in prop::collection::vec(-10.0..10.0f64, 0..100), rotate in 0usize..100
        ) {
            let mut shuffled = x.clone();
            shuffled.reverse();
            if !shuffled.is_empty() {
                let r = rotate % shuffled.len();
                shuffled.rotate_left(r);
            }
            let (a, b) = (observe_1d(&x, &DEFAULT_LEVELS), observe_1d(&shuffled, &DEFAULT_LEVELS));
            prop_assert_eq!(
                a.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                b.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
            );
        }
    }
}
