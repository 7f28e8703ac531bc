//! Built-in metrics: `moments`, `histogram` and `populations`, each writing one tidy table
//! whose first columns are `sampler` and `t`.
//!
//! All of them read ensembles. Sums run in particle order on one thread, so tables are
//! bit-identical from run to run.

pub mod histogram;
pub mod moments;
pub mod populations;

use neq_core::{
    ColumnSpec, ColumnType, Ensemble, Frame, KindSpec, MetricError, NamedFrame, ParamDefault,
    ParamSpec, ParamType,
};

pub use histogram::Histogram;
pub use moments::Moments;
pub use populations::Populations;

/// The metric kinds of this module, in documentation order.
pub const KINDS: [KindSpec; 3] = [moments::KIND, histogram::KIND, populations::KIND];

/// The samplers a metric reads.
const SAMPLERS: ParamSpec = ParamSpec {
    name: "samplers",
    ty: ParamType::Samplers,
    default: ParamDefault::Required,
    unit: "",
    doc: "the samplers whose frames are summarised, one row group per sampler",
};

/// Coordinate names, in coordinate order.
const COORDINATES: [&str; 3] = ["x", "y", "z"];

/// Which coordinate a metric reads.
const COORDINATE_PARAM: ParamSpec = ParamSpec {
    name: "coordinate",
    ty: ParamType::Word(&COORDINATES),
    default: ParamDefault::Word("x"),
    unit: "",
    doc: "the coordinate whose marginal is used",
};

/// The `sampler` column every table starts with.
const SAMPLER_COLUMN: ColumnSpec =
    ColumnSpec { name: "sampler", ty: ColumnType::Utf8, doc: "name of the sampler" };
/// The `t` column every table has second.
const T_COLUMN: ColumnSpec =
    ColumnSpec { name: "t", ty: ColumnType::Float64, doc: "recorded time (time units)" };
/// The `coordinate` column.
const COORDINATE_COLUMN: ColumnSpec =
    ColumnSpec { name: "coordinate", ty: ColumnType::Utf8, doc: "coordinate name: x, y or z" };

/// The ensemble of a frame.
///
/// FIXME(density frames): densities on grids (e.g. from a Fokker–Planck sampler) are refused
/// until the metrics learn to integrate them by quadrature.
fn ensemble_of<'a>(frame: &NamedFrame<'a>) -> Result<&'a Ensemble, MetricError> {
    match frame.frame {
        Frame::Ensemble(ensemble) => Ok(ensemble),
        Frame::Density(_) => Err(MetricError::UnsupportedFrame {
            sampler: frame.name.to_owned(),
            reason: "this metric reads ensembles of points, not densities".into(),
        }),
    }
}

/// The index of a coordinate name (`x` → 0).
fn coordinate_index(name: &str) -> usize {
    COORDINATES.iter().position(|c| *c == name).expect("the checker allows only x, y, z")
}

/// Coordinate `d` of a frame's ensemble, or an error naming the sampler if it has fewer
/// coordinates.
fn coordinate_of<'a>(frame: &NamedFrame<'a>, d: usize) -> Result<&'a [f64], MetricError> {
    let ensemble = ensemble_of(frame)?;
    if d >= ensemble.dim() {
        return Err(MetricError::Other(format!(
            "sampler `{}` is {}-D and has no coordinate `{}`",
            frame.name,
            ensemble.dim(),
            COORDINATES[d]
        )));
    }
    Ok(ensemble.coord(d))
}

#[cfg(test)]
mod tests {
    use neq_core::{Density, Metric, Table};

    use super::*;

    /// Every metric refuses density frames with the sampler's name.
    #[test]
    fn density_frames_are_refused_for_now() {
        let density = Density::default();
        let frame = [NamedFrame { name: "fp", frame: Frame::Density(&density) }];
        let metrics: [(Box<dyn Metric>, &[ColumnSpec]); 3] = [
            (Box::new(Moments::new(vec!["fp".into()])), &moments::COLUMNS),
            (Box::new(Histogram::new(vec!["fp".into()], (0.0, 1.0), 2, 0)), &histogram::COLUMNS),
            (Box::new(Populations::new(vec!["fp".into()], vec![], 0)), &populations::COLUMNS),
        ];
        for (mut metric, columns) in metrics {
            let mut table = Table::new("m", columns);
            let error = metric.observe(0.0, &frame, &mut table).unwrap_err();
            let refused = MetricError::UnsupportedFrame {
                sampler: "fp".into(),
                reason: "this metric reads ensembles of points, not densities".into(),
            };
            assert_eq!(error, refused);
        }
    }
}
