//! `histogram(samplers, range, bins: 100, coordinate: x)`: the density of one coordinate's
//! marginal on equal bins, per sampler and time.

use neq_core::{
    Args, BuildError, Builder, Cell, ColumnSpec, ColumnType, Density, KindSpec, Metric,
    MetricError, NamedFrame, ParamDefault, ParamSpec, ParamType, Table,
};

use super::{
    COORDINATE_COLUMN, COORDINATE_PARAM, COORDINATES, Marginal, SAMPLER_COLUMN, SAMPLERS, T_COLUMN,
    coordinate_index, marginal_of,
};
use crate::limits::{MAX_BINS, count_at_most};

/// The columns of a `histogram` table.
pub const COLUMNS: [ColumnSpec; 8] = [
    SAMPLER_COLUMN,
    T_COLUMN,
    COORDINATE_COLUMN,
    ColumnSpec { name: "bin", ty: ColumnType::Int64, doc: "bin index, from 0 at the low end" },
    ColumnSpec { name: "lo", ty: ColumnType::Float64, doc: "lower edge of the bin (length units)" },
    ColumnSpec { name: "hi", ty: ColumnType::Float64, doc: "upper edge of the bin (length units)" },
    ColumnSpec {
        name: "density",
        ty: ColumnType::Float64,
        doc: "count / (n · bin width), n counting all particles, also those outside the range \
              (1/length units)",
    },
    ColumnSpec { name: "count", ty: ColumnType::Int64, doc: "particles in [lo, hi)" },
];

/// `histogram(samplers, range, bins: 100, coordinate: x)`.
pub const KIND: KindSpec = KindSpec {
    name: "histogram",
    doc: "histogram(samplers, range, bins: 100, coordinate: x): the marginal density of one \
          coordinate on `bins` equal half-open bins [lo, hi) covering `range`, one row per \
          bin. Particles outside the range (or not finite) fall in no bin but still count in \
          n, so the densities integrate to the fraction of particles inside the range.",
    params: &[
        SAMPLERS,
        ParamSpec {
            name: "range",
            ty: ParamType::Range,
            default: ParamDefault::Required,
            unit: "length",
            doc: "the interval the bins cover",
        },
        ParamSpec {
            name: "bins",
            ty: ParamType::Count,
            default: ParamDefault::Number(100.0),
            unit: "",
            doc: "number of equal bins",
        },
        COORDINATE_PARAM,
    ],
    positional: 1,
    columns: &COLUMNS,
    builder: Builder::Metric(build),
};

fn build(args: &Args) -> Result<Box<dyn Metric>, BuildError> {
    let (lo, hi) = args.range("range");
    if !(lo < hi && lo.is_finite() && hi.is_finite()) {
        return Err(BuildError::param(
            "range",
            format!("the range {lo}..{hi} is empty or not finite"),
        ));
    }
    let d = coordinate_index(args.word("coordinate"));
    Ok(Box::new(Histogram::new(
        args.samplers("samplers").to_vec(),
        (lo, hi),
        count_at_most(args, "bins", MAX_BINS)?,
        d,
    )))
}

/// The `histogram` metric.
#[derive(Debug, Clone)]
pub struct Histogram {
    samplers: Vec<String>,
    lo: f64,
    hi: f64,
    bins: usize,
    coordinate: usize,
    counts: Vec<u64>,
}

impl Histogram {
    /// `bins` (≥ 1) equal bins on `range` (lo < hi) of coordinate `coordinate`.
    pub fn new(
        samplers: Vec<String>,
        (lo, hi): (f64, f64),
        bins: usize,
        coordinate: usize,
    ) -> Self {
        let bins = bins.max(1);
        Histogram { samplers, lo, hi, bins, coordinate, counts: vec![0; bins] }
    }

    /// Edge `b` of the bins (0 ..= bins), exact at both ends.
    fn edge(&self, b: usize) -> f64 {
        if b == self.bins {
            self.hi
        } else {
            self.lo + (self.hi - self.lo) * (b as f64 / self.bins as f64)
        }
    }

    fn count(&mut self, x: &[f64]) {
        self.counts.fill(0);
        let scale = self.bins as f64 / (self.hi - self.lo);
        for &x in x {
            if self.lo <= x && x < self.hi {
                let b = (((x - self.lo) * scale) as usize).min(self.bins - 1);
                self.counts[b] += 1;
            }
        }
    }
}

impl Metric for Histogram {
    fn inputs(&self) -> Vec<String> {
        self.samplers.clone()
    }

    fn check_dims(&self, dims: &[usize]) -> Result<(), String> {
        super::check_coordinate(&self.samplers, dims, self.coordinate)
    }

    fn observe(
        &mut self,
        t: f64,
        frames: &[NamedFrame<'_>],
        table: &mut Table,
    ) -> Result<(), MetricError> {
        let name = COORDINATES[self.coordinate];
        for frame in frames {
            // Mass per bin and, for ensembles, the particle counts behind it.
            let (masses, counts): (Vec<f64>, Vec<u64>) = match marginal_of(frame, self.coordinate)?
            {
                Marginal::Points(x) => {
                    self.count(x);
                    let n = x.len() as f64;
                    (self.counts.iter().map(|&c| c as f64 / n).collect(), self.counts.clone())
                }
                Marginal::Masses { axis, masses } => {
                    let bins = (0..self.bins).map(|b| {
                        Density::mass_between(&axis, &masses, self.edge(b), self.edge(b + 1))
                    });
                    (bins.collect(), vec![0; self.bins])
                }
            };
            for b in 0..self.bins {
                let (lo, hi) = (self.edge(b), self.edge(b + 1));
                table.push_row(&[
                    Cell::Str(frame.name),
                    Cell::F64(t),
                    Cell::Str(name),
                    Cell::I64(b as i64),
                    Cell::F64(lo),
                    Cell::F64(hi),
                    Cell::F64(masses[b] / (hi - lo)),
                    Cell::I64(counts[b] as i64),
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
    fn hand_computed_histogram_with_particles_outside() {
        // Bins [0, 0.5) and [0.5, 1): 0.5 goes up, 1.0 and −0.1 and NaN fall outside.
        let e = ensemble_1d(&[0.1, 0.2, 0.5, 0.7, 1.0, -0.1, f64::NAN, 0.0]);
        let frames = [NamedFrame { name: "sim", frame: Frame::Ensemble(&e), observables: &[] }];
        let mut metric = Histogram::new(vec!["sim".into()], (0.0, 1.0), 2, 0);
        let mut table = Table::new("h", &COLUMNS);
        metric.observe(2.0, &frames, &mut table).unwrap();
        assert_eq!(column(&table, "bin"), &Column::Int64(vec![0, 1]));
        assert_eq!(column(&table, "lo"), &Column::Float64(vec![0.0, 0.5]));
        assert_eq!(column(&table, "hi"), &Column::Float64(vec![0.5, 1.0]));
        assert_eq!(column(&table, "count"), &Column::Int64(vec![3, 2]));
        // density = count / (8 · 0.5)
        assert_eq!(column(&table, "density"), &Column::Float64(vec![0.75, 0.5]));
        assert_eq!(column(&table, "t"), &Column::Float64(vec![2.0, 2.0]));
    }

    #[test]
    fn reads_the_chosen_coordinate_and_refuses_a_missing_one() {
        let e = ensemble(&[&[0.1, 0.2], &[0.9, 0.8]]);
        let frames = [NamedFrame { name: "sim", frame: Frame::Ensemble(&e), observables: &[] }];
        let mut metric = Histogram::new(vec!["sim".into()], (0.0, 1.0), 2, 1);
        let mut table = Table::new("h", &COLUMNS);
        metric.observe(0.0, &frames, &mut table).unwrap();
        assert_eq!(column(&table, "count"), &Column::Int64(vec![0, 2]));
        assert_eq!(column(&table, "coordinate"), &Column::Utf8(vec!["y".into(), "y".into()]));
        let mut z = Histogram::new(vec!["sim".into()], (0.0, 1.0), 2, 2);
        assert!(matches!(z.observe(0.0, &frames, &mut table), Err(MetricError::Other(_))));
    }
}
