//! `populations(samplers, states, coordinate: x)`: the fraction of particles in each named
//! state (a half-open interval of one coordinate), with its binomial standard error.

use neq_core::{
    Args, BuildError, Builder, Cell, ColumnSpec, ColumnType, Density, KindSpec, Metric,
    MetricError, NamedFrame, ParamDefault, ParamSpec, ParamType, Table,
};

use super::{
    COORDINATE_PARAM, Marginal, SAMPLER_COLUMN, SAMPLERS, T_COLUMN, coordinate_index, marginal_of,
};

/// The columns of a `populations` table.
pub const COLUMNS: [ColumnSpec; 6] = [
    SAMPLER_COLUMN,
    T_COLUMN,
    ColumnSpec { name: "state", ty: ColumnType::Utf8, doc: "name of the state" },
    ColumnSpec {
        name: "fraction",
        ty: ColumnType::Float64,
        doc: "fraction p of all particles inside the state (dimensionless)",
    },
    ColumnSpec { name: "count", ty: ColumnType::Int64, doc: "particles inside the state" },
    ColumnSpec {
        name: "std_error",
        ty: ColumnType::Float64,
        doc: "binomial standard error √(p(1 − p)/n) of the fraction (dimensionless)",
    },
];

/// `populations(samplers, states, coordinate: x)`.
pub const KIND: KindSpec = KindSpec {
    name: "populations",
    doc: "populations(samplers, states: [name: lo..hi, …], coordinate: x): for each sampler, \
          recorded time and state, the fraction of particles whose coordinate lies in the \
          state's half-open interval [lo, hi), with its binomial standard error. States may \
          overlap or leave gaps; each is counted on its own.",
    params: &[
        SAMPLERS,
        ParamSpec {
            name: "states",
            ty: ParamType::NamedRanges,
            default: ParamDefault::Required,
            unit: "length",
            doc: "the states, as named intervals [lo, hi) of the coordinate",
        },
        COORDINATE_PARAM,
    ],
    positional: 1,
    columns: &COLUMNS,
    builder: Builder::Metric(build),
};

fn build(args: &Args) -> Result<Box<dyn Metric>, BuildError> {
    let mut states = Vec::new();
    for state in args.named_ranges("states") {
        if state.lo >= state.hi || state.lo.is_nan() || state.hi.is_nan() {
            return Err(BuildError::param(
                "states",
                format!("state `{}` is empty: {}..{}", state.name, state.lo, state.hi),
            ));
        }
        if states.iter().any(|(name, _, _)| name == &state.name) {
            return Err(BuildError::param(
                "states",
                format!("state `{}` is named twice", state.name),
            ));
        }
        states.push((state.name.clone(), state.lo, state.hi));
    }
    let d = coordinate_index(args.word("coordinate"));
    Ok(Box::new(Populations::new(args.samplers("samplers").to_vec(), states, d)))
}

/// The `populations` metric.
#[derive(Debug, Clone)]
pub struct Populations {
    samplers: Vec<String>,
    states: Vec<(String, f64, f64)>,
    coordinate: usize,
}

impl Populations {
    /// Populations of `states` (name, lo, hi) along coordinate `coordinate`.
    pub fn new(samplers: Vec<String>, states: Vec<(String, f64, f64)>, coordinate: usize) -> Self {
        Populations { samplers, states, coordinate }
    }
}

impl Metric for Populations {
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
        for frame in frames {
            let marginal = marginal_of(frame, self.coordinate)?;
            for (name, lo, hi) in &self.states {
                let (p, count, std_error) = match &marginal {
                    Marginal::Points(x) => {
                        let n = x.len() as f64;
                        let count = x.iter().filter(|&&x| *lo <= x && x < *hi).count();
                        let p = count as f64 / n;
                        (p, count, (p * (1.0 - p) / n).sqrt())
                    }
                    Marginal::Masses { axis, masses } => {
                        (Density::mass_between(axis, masses, *lo, *hi), 0, 0.0)
                    }
                };
                table.push_row(&[
                    Cell::Str(frame.name),
                    Cell::F64(t),
                    Cell::Str(name),
                    Cell::F64(p),
                    Cell::I64(count as i64),
                    Cell::F64(std_error),
                ]);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use neq_core::{ArgValue, Column, Frame, NamedRange};

    use super::*;
    use crate::testing::ensemble_1d;

    fn column<'a>(table: &'a Table, name: &str) -> &'a Column {
        table.columns().find(|(n, _)| *n == name).unwrap().1
    }

    #[test]
    fn hand_computed_fractions_on_half_open_states() {
        let e = ensemble_1d(&[-0.5, -0.2, 0.0, 0.3]);
        let frames = [NamedFrame { name: "sim", frame: Frame::Ensemble(&e), observables: &[] }];
        let states =
            vec![("left".into(), -1.0, 0.0), ("right".into(), 0.0, 1.0), ("edge".into(), 0.3, 0.4)];
        let mut metric = Populations::new(vec!["sim".into()], states, 0);
        let mut table = Table::new("p", &COLUMNS);
        metric.observe(1.0, &frames, &mut table).unwrap();
        assert_eq!(
            column(&table, "state"),
            &Column::Utf8(vec!["left".into(), "right".into(), "edge".into()])
        );
        assert_eq!(column(&table, "count"), &Column::Int64(vec![2, 2, 1]));
        assert_eq!(column(&table, "fraction"), &Column::Float64(vec![0.5, 0.5, 0.25]));
        // √(0.5 · 0.5 / 4) = 0.25; √(0.25 · 0.75 / 4) = √3 / 8.
        assert_eq!(
            column(&table, "std_error"),
            &Column::Float64(vec![0.25, 0.25, 3f64.sqrt() / 8.0])
        );
    }

    #[test]
    fn builder_rejects_repeated_and_empty_states() {
        let Builder::Metric(build) = KIND.builder else { unreachable!() };
        let args = |states: &[(&str, f64, f64)]| {
            let states =
                states.iter().map(|&(n, lo, hi)| NamedRange { name: n.into(), lo, hi }).collect();
            Args::new(vec![
                ("samplers", ArgValue::Samplers(vec!["sim".into()])),
                ("states", ArgValue::NamedRanges(states)),
                ("coordinate", ArgValue::Word("x".into())),
            ])
        };
        assert!(build(&args(&[("a", 0.0, 1.0), ("b", 1.0, 2.0)])).is_ok());
        assert_eq!(
            build(&args(&[("a", 0.0, 1.0), ("a", 1.0, 2.0)])).err().unwrap().param,
            Some("states")
        );
        assert_eq!(build(&args(&[("a", 1.0, 1.0)])).err().unwrap().param, Some("states"));
    }
}
