//! `lag(samplers)` and `entropy_production(samplers)`: thermodynamic observables that a
//! density sampler such as `fokker_planck` computes while it steps, written as tables.
//!
//! - **lag**: the relative entropy KL(p_t ‖ p_eq,t) = ∫ p ln(p / p_eq) dx between the density
//!   and the instantaneous Boltzmann density p_eq,t ∝ exp(−V(x, t)/kT) on the same grid:
//!   zero in equilibrium, and how far behind a driven system lags.
//! - **entropy_production**: the total entropy production rate σ(t) = ∫ |J|²/(D p) dx of the
//!   probability current J, and its integral Σ(t) = ∫₀ᵗ σ dt′ from the first recorded time,
//!   in units of k_B (Seifert, Rep. Prog. Phys. 75, 126001, 2012). For a system started in
//!   equilibrium, Σ(τ) + KL(p_τ ‖ p_eq,τ) = (⟨W⟩ − ΔF)/kT.
//!
//! Samplers of particles do not carry these observables; naming one is an error at the
//! first frame.

use neq_core::{
    Args, BuildError, Builder, Cell, ColumnSpec, ColumnType, KindSpec, Metric, MetricError,
    NamedFrame, Table,
};

use super::{SAMPLER_COLUMN, SAMPLERS, T_COLUMN};
use crate::samplers::fokker_planck::{ENTROPY_PRODUCED, ENTROPY_PRODUCTION_RATE, RELATIVE_ENTROPY};

/// The columns of a `lag` table.
pub const LAG_COLUMNS: [ColumnSpec; 3] = [
    SAMPLER_COLUMN,
    T_COLUMN,
    ColumnSpec {
        name: "kl",
        ty: ColumnType::Float64,
        doc: "KL(p_t ‖ p_eq,t), the relative entropy to the instantaneous Boltzmann density \
              (dimensionless, ≥ 0)",
    },
];

/// The columns of an `entropy_production` table.
pub const ENTROPY_COLUMNS: [ColumnSpec; 4] = [
    SAMPLER_COLUMN,
    T_COLUMN,
    ColumnSpec {
        name: "rate",
        ty: ColumnType::Float64,
        doc: "entropy production rate σ(t) = ∫ |J|²/(D p) dx (k_B per time unit, ≥ 0)",
    },
    ColumnSpec {
        name: "produced",
        ty: ColumnType::Float64,
        doc: "∫ σ dt from the first recorded time to t, trapezoid rule over the solver's \
              steps (k_B)",
    },
];

/// `lag(samplers)`.
pub const LAG_KIND: KindSpec = KindSpec {
    name: "lag",
    doc: "lag(samplers): for each density sampler (`fokker_planck`) and recorded time, the \
          relative entropy KL(p_t ‖ p_eq,t) between its density and the instantaneous \
          Boltzmann density exp(−V(x, t)/kT)/Z(t) on its grid: how far from equilibrium the \
          driven system is.",
    params: &[SAMPLERS],
    positional: 1,
    columns: &LAG_COLUMNS,
    builder: Builder::Metric(build_lag),
};

/// `entropy_production(samplers)`.
pub const ENTROPY_KIND: KindSpec = KindSpec {
    name: "entropy_production",
    doc: "entropy_production(samplers): for each density sampler (`fokker_planck`) and \
          recorded time, the total entropy production rate σ = ∫ |J|²/(D p) dx of its \
          probability current and its time integral since the first recorded time, in units \
          of k_B.",
    params: &[SAMPLERS],
    positional: 1,
    columns: &ENTROPY_COLUMNS,
    builder: Builder::Metric(build_entropy),
};

fn build_lag(args: &Args) -> Result<Box<dyn Metric>, BuildError> {
    Ok(Box::new(Observed::new(args.samplers("samplers").to_vec(), &[RELATIVE_ENTROPY])))
}

fn build_entropy(args: &Args) -> Result<Box<dyn Metric>, BuildError> {
    let names = &[ENTROPY_PRODUCTION_RATE, ENTROPY_PRODUCED];
    Ok(Box::new(Observed::new(args.samplers("samplers").to_vec(), names)))
}

/// A metric that copies named observables of its samplers' frames into columns.
#[derive(Debug, Clone)]
pub struct Observed {
    samplers: Vec<String>,
    names: &'static [&'static str],
}

impl Observed {
    /// Copies the observables `names` of each of `samplers`, one column each after `t`.
    pub fn new(samplers: Vec<String>, names: &'static [&'static str]) -> Self {
        Observed { samplers, names }
    }
}

impl Metric for Observed {
    fn inputs(&self) -> Vec<String> {
        self.samplers.clone()
    }

    fn observables_read(&self) -> Vec<&'static str> {
        self.names.to_vec()
    }

    fn observe(
        &mut self,
        t: f64,
        frames: &[NamedFrame<'_>],
        table: &mut Table,
    ) -> Result<(), MetricError> {
        for frame in frames {
            let mut row = vec![Cell::Str(frame.name), Cell::F64(t)];
            for name in self.names {
                let Some(&(_, value)) = frame.observables.iter().find(|(n, _)| n == name) else {
                    return Err(MetricError::UnsupportedFrame {
                        sampler: frame.name.to_owned(),
                        reason: format!(
                            "it does not compute `{name}`; use a `fokker_planck` sampler"
                        ),
                    });
                };
                row.push(Cell::F64(value));
            }
            table.push_row(&row);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use neq_core::{Column, Frame};

    use super::*;
    use crate::testing::ensemble_1d;

    #[test]
    fn observables_are_copied_and_their_absence_is_an_error() {
        let e = ensemble_1d(&[0.0, 1.0]);
        let observables = [(ENTROPY_PRODUCTION_RATE, 0.5), (ENTROPY_PRODUCED, 2.0)];
        let frames =
            [NamedFrame { name: "fp", frame: Frame::Ensemble(&e), observables: &observables }];
        let Builder::Metric(build) = ENTROPY_KIND.builder else { unreachable!() };
        let args = Args::new(vec![("samplers", neq_core::ArgValue::Samplers(vec!["fp".into()]))]);
        let mut metric = build(&args).unwrap();
        let mut table = Table::new("e", &ENTROPY_COLUMNS);
        metric.observe(1.5, &frames, &mut table).unwrap();
        let column = |name: &str| table.columns().find(|(n, _)| *n == name).unwrap().1.clone();
        assert_eq!(column("rate"), Column::Float64(vec![0.5]));
        assert_eq!(column("produced"), Column::Float64(vec![2.0]));

        let bare = [NamedFrame { name: "sim", frame: Frame::Ensemble(&e), observables: &[] }];
        let mut lag = Observed::new(vec!["sim".into()], &[RELATIVE_ENTROPY]);
        let mut table = Table::new("l", &LAG_COLUMNS);
        let error = lag.observe(0.0, &bare, &mut table).unwrap_err();
        assert!(error.to_string().contains("relative_entropy"), "{error}");
    }
}
