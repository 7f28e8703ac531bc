//! `moments(samplers)`: mean and unbiased variance of every coordinate, per sampler and time.
//!
//! Uses the corrected two-pass algorithm (Chan, Golub & LeVeque, 1983): the mean first, then
//! Σ(x − mean)² minus the rounding correction (Σ(x − mean))²/n, in particle order.

use neq_core::{
    Args, BuildError, Builder, Cell, ColumnSpec, ColumnType, Frame, KindSpec, Metric, MetricError,
    NamedFrame, Table,
};

use super::{
    COORDINATE_COLUMN, COORDINATES, SAMPLER_COLUMN, SAMPLERS, T_COLUMN, dim_of, particles_of,
};

/// The columns of a `moments` table.
pub const COLUMNS: [ColumnSpec; 6] = [
    SAMPLER_COLUMN,
    T_COLUMN,
    COORDINATE_COLUMN,
    ColumnSpec {
        name: "mean",
        ty: ColumnType::Float64,
        doc: "sample mean, or the mean of a density frame (length units)",
    },
    ColumnSpec {
        name: "variance",
        ty: ColumnType::Float64,
        doc: "unbiased sample variance, dividing by n − 1 (NaN for fewer than 2 particles), \
              or the variance of a density frame (length² units)",
    },
    ColumnSpec {
        name: "count",
        ty: ColumnType::Int64,
        doc: "number of particles n; 0 for a density",
    },
];

/// `moments(samplers)`.
pub const KIND: KindSpec = KindSpec {
    name: "moments",
    doc: "moments(samplers): for each sampler, recorded time and coordinate, the sample mean \
          and the unbiased sample variance (dividing by n − 1) of the particles' positions. Density frames give the mean and variance of the \
          piecewise-constant density on their grid.",
    params: &[SAMPLERS],
    positional: 1,
    columns: &COLUMNS,
    builder: Builder::Metric(build),
};

fn build(args: &Args) -> Result<Box<dyn Metric>, BuildError> {
    Ok(Box::new(Moments::new(args.samplers("samplers").to_vec())))
}

/// The `moments` metric.
#[derive(Debug, Clone)]
pub struct Moments {
    samplers: Vec<String>,
}

impl Moments {
    /// Moments of the named samplers' ensembles.
    pub fn new(samplers: Vec<String>) -> Self {
        Moments { samplers }
    }
}

/// Mean and unbiased variance (NaN where undefined).
pub fn mean_and_variance(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    if x.len() < 2 {
        return (mean, f64::NAN);
    }
    let (mut squares, mut deviations) = (0.0, 0.0);
    for &v in x {
        let d = v - mean;
        deviations += d;
        squares += d * d;
    }
    (mean, (squares - deviations * deviations / n) / (n - 1.0))
}

impl Metric for Moments {
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
            for d in 0..dim_of(frame) {
                let (mean, variance) = match frame.frame {
                    Frame::Ensemble(ensemble) => mean_and_variance(ensemble.coord(d)),
                    Frame::Density(density) => density.mean_and_variance(d),
                };
                let name = COORDINATES.get(d).copied().unwrap_or("?");
                table.push_row(&[
                    Cell::Str(frame.name),
                    Cell::F64(t),
                    Cell::Str(name),
                    Cell::F64(mean),
                    Cell::F64(variance),
                    Cell::I64(particles_of(frame) as i64),
                ]);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use neq_core::{Column, Frame};

    use super::*;
    use crate::testing::{ensemble, ensemble_1d};

    fn column<'a>(table: &'a Table, name: &str) -> &'a Column {
        table.columns().find(|(n, _)| *n == name).unwrap().1
    }

    #[test]
    fn hand_computed_moments_per_sampler_and_coordinate() {
        let a = ensemble(&[&[1.0, 2.0, 3.0, 6.0], &[0.0, 0.0, 1.0, 1.0]]);
        let b = ensemble_1d(&[5.0]);
        let frames = [
            NamedFrame { name: "a", frame: Frame::Ensemble(&a), observables: &[] },
            NamedFrame { name: "b", frame: Frame::Ensemble(&b), observables: &[] },
        ];
        let mut metric = Moments::new(vec!["a".into(), "b".into()]);
        let mut table = Table::new("m", &COLUMNS);
        metric.observe(0.5, &frames, &mut table).unwrap();
        assert_eq!(table.num_rows(), 3);
        assert_eq!(
            column(&table, "sampler"),
            &Column::Utf8(vec!["a".into(), "a".into(), "b".into()])
        );
        assert_eq!(
            column(&table, "coordinate"),
            &Column::Utf8(vec!["x".into(), "y".into(), "x".into()])
        );
        assert_eq!(column(&table, "mean"), &Column::Float64(vec![3.0, 0.5, 5.0]));
        // x: deviations −2, −1, 0, 3 → 14/3; y: four deviations of ±½ → 1/3.
        let Column::Float64(variance) = column(&table, "variance") else { unreachable!() };
        assert!((variance[0] - 14.0 / 3.0).abs() < 1e-15);
        assert!((variance[1] - 1.0 / 3.0).abs() < 1e-15);
        assert!(variance[2].is_nan(), "one particle has no unbiased variance");
        assert_eq!(column(&table, "count"), &Column::Int64(vec![4, 4, 1]));
    }

    #[test]
    fn variance_survives_a_large_offset() {
        let x: Vec<f64> = (0..1000).map(|i| 1e9 + (i % 2) as f64).collect();
        let (mean, variance) = mean_and_variance(&x);
        assert_eq!(mean, 1e9 + 0.5);
        assert!((variance - 0.25 * 1000.0 / 999.0).abs() < 1e-9, "{variance}");
    }
}
