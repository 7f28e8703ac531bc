//! Built-in metrics: `moments`, `histogram` and `populations`; the comparisons with a
//! reference `distance` and `noise_floor` (see [`distance`]); and the thermodynamic
//! observables of density samplers, `lag` and `entropy_production` (see [`thermo`]). Each
//! writes one tidy table whose first columns are `sampler` and `t`.
//!
//! All of them read ensembles of points and densities on grids alike: a density is
//! integrated by quadrature of its piecewise-constant cells (see
//! [`neq_core::density`]). Sums run in a fixed order, on one thread or in parallel pieces
//! added up in a fixed order, so tables are bit-identical from run to run and for any number
//! of threads.

pub mod distance;
pub mod histogram;
pub mod moments;
pub mod populations;
pub mod thermo;

use neq_core::{
    Axis, ColumnSpec, ColumnType, Frame, KindSpec, MetricError, NamedFrame, ParamDefault,
    ParamSpec, ParamType,
};

pub use distance::{Distance, NoiseFloor};
pub use histogram::Histogram;
pub use moments::Moments;
pub use populations::Populations;
pub use thermo::Observed;

/// The metric kinds of this module, in documentation order.
pub const KINDS: [KindSpec; 7] = [
    moments::KIND,
    histogram::KIND,
    populations::KIND,
    distance::DISTANCE_KIND,
    distance::NOISE_FLOOR_KIND,
    thermo::LAG_KIND,
    thermo::ENTROPY_KIND,
];

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

/// What a metric sees of one coordinate of a frame: particle positions, or the marginal
/// masses of a density on its grid axis.
enum Marginal<'a> {
    /// Positions of the particles.
    Points(&'a [f64]),
    /// Probability per cell of the axis (see [`neq_core::Density::marginal_masses`]).
    Masses {
        /// The grid axis.
        axis: Axis,
        /// Mass per cell, summing to the density's total mass.
        masses: Vec<f64>,
    },
}

/// The index of a coordinate name (`x` → 0).
fn coordinate_index(name: &str) -> usize {
    COORDINATES.iter().position(|c| *c == name).expect("the checker allows only x, y, z")
}

/// Coordinate `d` of a frame, or an error naming the sampler if it has fewer coordinates.
fn marginal_of<'a>(frame: &NamedFrame<'a>, d: usize) -> Result<Marginal<'a>, MetricError> {
    let dim = match frame.frame {
        Frame::Ensemble(ensemble) => ensemble.dim(),
        Frame::Density(density) => density.dim(),
    };
    if d >= dim {
        return Err(MetricError::Other(format!(
            "sampler `{}` is {dim}-D and has no coordinate `{}`",
            frame.name, COORDINATES[d]
        )));
    }
    Ok(match frame.frame {
        Frame::Ensemble(ensemble) => Marginal::Points(ensemble.coord(d)),
        Frame::Density(density) => {
            Marginal::Masses { axis: density.axes[d], masses: density.marginal_masses(d) }
        }
    })
}

/// Checks before the run that every sampler has coordinate `d`.
fn check_coordinate(samplers: &[String], dims: &[usize], d: usize) -> Result<(), String> {
    match samplers.iter().zip(dims).find(|&(_, &dim)| d >= dim) {
        Some((name, dim)) => {
            Err(format!("sampler `{name}` is {dim}-D and has no coordinate `{}`", COORDINATES[d]))
        }
        None => Ok(()),
    }
}

/// Number of coordinates of a frame.
fn dim_of(frame: &NamedFrame<'_>) -> usize {
    match frame.frame {
        Frame::Ensemble(ensemble) => ensemble.dim(),
        Frame::Density(density) => density.dim(),
    }
}

/// Number of particles of a frame; 0 for a density.
fn particles_of(frame: &NamedFrame<'_>) -> usize {
    match frame.frame {
        Frame::Ensemble(ensemble) => ensemble.len(),
        Frame::Density(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use neq_core::{Column, Density, Metric, Table};

    use super::*;

    /// A 1-D density on [0, 1] with cells [0, 0.25), …: values 0.4, 1.2, 1.6, 0.8.
    fn density() -> Density {
        let mut density = Density::zeros(vec![Axis { lo: 0.0, hi: 1.0, cells: 4 }]);
        density.values.copy_from_slice(&[0.4, 1.2, 1.6, 0.8]);
        density
    }

    fn column<'a>(table: &'a Table, name: &str) -> &'a Column {
        table.columns().find(|(n, _)| *n == name).unwrap().1
    }

    fn floats(column: &Column) -> &[f64] {
        match column {
            Column::Float64(v) => v,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn density_frames_are_integrated_by_quadrature() {
        let density = density();
        let frame = [NamedFrame { name: "fp", frame: Frame::Density(&density), observables: &[] }];

        let mut moments = Moments::new(vec!["fp".into()]);
        let mut table = Table::new("m", &moments::COLUMNS);
        moments.observe(0.0, &frame, &mut table).unwrap();
        // Cell masses 0.1, 0.3, 0.4, 0.2 at centres 1/8, 3/8, 5/8, 7/8.
        let mean = (0.1 * 0.125 + 0.3 * 0.375 + 0.4 * 0.625 + 0.2 * 0.875) / 1.0;
        assert!((floats(column(&table, "mean"))[0] - mean).abs() < 1e-15);
        let spread: f64 = [(0.1, 0.125), (0.3, 0.375), (0.4, 0.625), (0.2, 0.875)]
            .iter()
            .map(|(m, x)| m * (x - mean) * (x - mean))
            .sum();
        let variance = floats(column(&table, "variance"))[0];
        assert!((variance - (spread + 0.25f64.powi(2) / 12.0)).abs() < 1e-15);
        assert_eq!(column(&table, "count"), &Column::Int64(vec![0]));

        let states = vec![("a".into(), 0.125, 0.5), ("b".into(), 0.5, 2.0)];
        let mut populations = Populations::new(vec!["fp".into()], states, 0);
        let mut table = Table::new("p", &populations::COLUMNS);
        populations.observe(0.0, &frame, &mut table).unwrap();
        let fractions = floats(column(&table, "fraction"));
        assert!((fractions[0] - (0.05 + 0.3)).abs() < 1e-15, "{fractions:?}");
        assert!((fractions[1] - 0.6).abs() < 1e-15, "{fractions:?}");
        assert_eq!(column(&table, "std_error"), &Column::Float64(vec![0.0, 0.0]));

        let mut histogram = Histogram::new(vec!["fp".into()], (0.0, 1.0), 2, 0);
        let mut table = Table::new("h", &histogram::COLUMNS);
        histogram.observe(0.0, &frame, &mut table).unwrap();
        // Bins [0, 0.5) and [0.5, 1): masses 0.4 and 0.6 over widths 0.5.
        let densities = floats(column(&table, "density"));
        assert!((densities[0] - 0.8).abs() < 1e-15 && (densities[1] - 1.2).abs() < 1e-15);
    }

    #[test]
    fn a_missing_coordinate_is_refused_for_densities_too() {
        let density = density();
        let frame = [NamedFrame { name: "fp", frame: Frame::Density(&density), observables: &[] }];
        let mut histogram = Histogram::new(vec!["fp".into()], (0.0, 1.0), 2, 1);
        let mut table = Table::new("h", &histogram::COLUMNS);
        let error = histogram.observe(0.0, &frame, &mut table).unwrap_err();
        assert!(error.to_string().contains("has no coordinate `y`"), "{error}");
    }
}
