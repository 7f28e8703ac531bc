//! `fokker_planck(potential, domain, cells: 200, kT: 1, gamma: 1, dt: 1e-3, init)`: the
//! exact reference density p(x, t) of overdamped Langevin dynamics on a grid.
//!
//! The density solves ∂p/∂t = ∇·(γ⁻¹ p ∇V) + (kT/γ) Δp with zero-flux walls, by the
//! [`neq_fp`] solver (Scharfetter–Gummel finite volumes, backward Euler, dimensional
//! splitting in 2-D and 3-D). Between recorded times Δ apart the sampler takes
//! n = ⌈Δ/dt − 10⁻⁹⌉ equal steps, like `langevin`, and after every step it adds the entropy
//! production rate σ to its running integral by the trapezoid rule; σ costs about as much
//! as a step, so it is computed only when a metric reads it (see
//! [`Sampler::want_observables`]).
//!
//! Besides its density frame it reports, per frame, the observables named in
//! [`OBSERVABLES`]: the entropy production rate and its integral, the relative entropy to
//! the instantaneous Boltzmann density, the total mass and the mass in the cells along the
//! walls. When the wall cells hold more than [`EDGE_WARNING`] of the probability, it warns
//! once: the walls then change the dynamics.

pub mod initial;

use std::sync::Arc;

use neq_core::{
    ArgValue, Args, Axis, BuildError, Builder, Frame, InitSpec, KindSpec, ParamDefault, ParamSpec,
    ParamType, Potential, RunContext, Sampler, SamplerError,
};
use neq_fp::{FpError, Options, Solver};
use tracing::debug;

use super::{KT, POTENTIAL, axes_arg, positive};
use crate::limits::MAX_CELLS;
use initial::initial_density;

/// Probability in the wall cells above which the sampler warns.
pub const EDGE_WARNING: f64 = 1e-6;

/// Most cells of a whole grid (2-D and 3-D grids multiply).
pub const MAX_GRID_CELLS: usize = 16_000_000;

/// The observables a `fokker_planck` frame carries, as metrics read them.
pub const OBSERVABLES: [&str; 5] =
    [ENTROPY_PRODUCTION_RATE, ENTROPY_PRODUCED, RELATIVE_ENTROPY, MASS, EDGE_MASS];

/// σ(t) = ∫ |J|²/(D p) dx, in k_B per unit time.
pub const ENTROPY_PRODUCTION_RATE: &str = "entropy_production_rate";
/// ∫₀ᵗ σ dt′ since the first recorded time, in k_B.
pub const ENTROPY_PRODUCED: &str = "entropy_produced";
/// KL(p_t ‖ p_eq,t): relative entropy to the instantaneous Boltzmann density.
pub const RELATIVE_ENTROPY: &str = "relative_entropy";
/// Σ p · cell volume.
pub const MASS: &str = "mass";
/// Probability in the cells along the walls.
pub const EDGE_MASS: &str = "edge_mass";

/// `fokker_planck(potential, domain, cells, kT, gamma, dt, init)`.
pub const KIND: KindSpec = KindSpec {
    name: "fokker_planck",
    doc: "fokker_planck(potential, domain: [x: lo..hi, …], cells: 200, kT: 1, gamma: 1, \
          dt: 1e-3, init): the exact density of overdamped Langevin dynamics, solving \
          ∂p/∂t = ∇·(p ∇V/γ) + (kT/γ) Δp on a regular grid of `cells` cells per axis with \
          zero-flux walls. Scharfetter–Gummel fluxes keep p positive, conserve mass and make \
          exp(−V/kT) the exact stationary state of a static V; steps are backward Euler \
          (first order in `dt`, unconditionally stable), split by axes in 2-D and 3-D. \
          `init` takes the conditions of `langevin` as densities: a point becomes a Gaussian \
          two cells wide, `boltzmann(…)` the discrete equilibrium state. Warns when \
          probability reaches the walls.",
    params: &[
        POTENTIAL,
        ParamSpec {
            name: "domain",
            ty: ParamType::Axes,
            default: ParamDefault::Required,
            unit: "length",
            doc: "the grid's box, one range per coordinate; the walls are its faces",
        },
        ParamSpec {
            name: "cells",
            ty: ParamType::Counts,
            default: ParamDefault::Number(200.0),
            unit: "",
            doc: "cells per axis (at least 2): one count for every axis, or a list with one \
                  per coordinate such as [256, 128]",
        },
        KT,
        ParamSpec {
            name: "gamma",
            ty: ParamType::Number(neq_core::Bound::Positive),
            default: ParamDefault::Number(1.0),
            unit: "energy·time/length²",
            doc: "friction coefficient γ (mobility 1/γ)",
        },
        ParamSpec {
            name: "dt",
            ty: ParamType::Number(neq_core::Bound::Positive),
            default: ParamDefault::Number(1e-3),
            unit: "time",
            doc: "largest time step; the error is first order in it",
        },
        ParamSpec {
            name: "init",
            ty: ParamType::Init,
            default: ParamDefault::Required,
            unit: "",
            doc: "the initial density: point(…), uniform(…), gaussian(…), boltzmann(…) or \
                  same_as(…)",
        },
    ],
    positional: 1,
    columns: &[],
    builder: Builder::Sampler(build),
};

fn build(args: &Args) -> Result<Box<dyn Sampler>, BuildError> {
    let potential = args.potential("potential");
    let dim = potential.dim();
    let cells = cells_per_axis(args, dim)?;
    let axes: Vec<Axis> = axes_arg(args, "domain", dim)?
        .into_iter()
        .zip(cells)
        .map(|((lo, hi), cells)| Axis { lo, hi, cells })
        .collect();
    let init = args.init("init").clone();
    if init.dim() != dim {
        return Err(BuildError::param(
            "init",
            format!("the initial condition is {}-D but the potential is {dim}-D", init.dim()),
        ));
    }
    let settings = Settings {
        kt: positive(args, "kT")?,
        gamma: positive(args, "gamma")?,
        dt: positive(args, "dt")?,
    };
    Ok(Box::new(FokkerPlanck::new(potential, axes, settings, init)))
}

/// The `cells` argument as one count per axis, checked against the limits.
fn cells_per_axis(args: &Args, dim: usize) -> Result<Vec<usize>, BuildError> {
    let given: Vec<f64> = match args.get("cells") {
        Some(ArgValue::Numbers(counts)) => counts.clone(),
        Some(ArgValue::Number(count)) => vec![*count],
        _ => vec![200.0],
    };
    let cells: Vec<usize> = match given.len() {
        1 => vec![given[0] as usize; dim],
        n if n == dim => given.iter().map(|&c| c as usize).collect(),
        n => {
            return Err(BuildError::param(
                "cells",
                format!("{n} cell counts for a {dim}-D potential"),
            )
            .with_hint(format!("give one count for every axis, or {dim} counts in a list")));
        }
    };
    if let Some(&c) = cells.iter().find(|&&c| c > MAX_CELLS) {
        return Err(BuildError::param(
            "cells",
            format!("{c} cells on an axis, more than {MAX_CELLS}"),
        )
        .with_hint(format!("use at most {MAX_CELLS} per axis")));
    }
    if cells.iter().any(|&c| c < 2) {
        return Err(BuildError::param("cells", "a grid needs at least 2 cells per axis"));
    }
    let total = cells.iter().try_fold(1usize, |total, &c| total.checked_mul(c));
    if total.is_none_or(|total| total > MAX_GRID_CELLS) {
        return Err(BuildError::param(
            "cells",
            format!("{cells:?} cells make more than {MAX_GRID_CELLS} cells in all"),
        )
        .with_hint("use fewer cells per axis"));
    }
    Ok(cells)
}

/// The physical and numerical numbers of a run, as checked by the builder.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// Thermal energy.
    pub kt: f64,
    /// Friction coefficient.
    pub gamma: f64,
    /// Largest time step.
    pub dt: f64,
}

/// The `fokker_planck` sampler.
#[derive(Debug)]
pub struct FokkerPlanck {
    potential: Arc<dyn Potential>,
    axes: Vec<Axis>,
    settings: Settings,
    init: InitSpec,
    solver: Option<Solver>,
    /// σ after the last step.
    rate: f64,
    /// ∫ σ dt since the start.
    produced: f64,
    observables: Vec<(&'static str, f64)>,
    /// Whether σ is integrated over every step (only when a metric reads it).
    integrate_entropy: bool,
    warnings: Vec<String>,
    warned_edge: bool,
}

impl FokkerPlanck {
    /// A solver of `potential` on `axes` (one per coordinate) starting from `init`.
    pub fn new(
        potential: Arc<dyn Potential>,
        axes: Vec<Axis>,
        settings: Settings,
        init: InitSpec,
    ) -> Self {
        FokkerPlanck {
            potential,
            axes,
            settings,
            init,
            solver: None,
            rate: 0.0,
            produced: 0.0,
            observables: Vec::new(),
            integrate_entropy: true,
            warnings: Vec::new(),
            warned_edge: false,
        }
    }

    fn solver(&self) -> &Solver {
        self.solver.as_ref().expect("the engine starts a sampler before using it")
    }

    /// Refreshes the observables of the current frame and warns about the walls once.
    fn observe(&mut self) {
        let solver = self.solver();
        let (edge, mass) = (solver.edge_mass(), solver.mass());
        let relative_entropy = solver.relative_entropy();
        let t = solver.time();
        self.observables =
            vec![(RELATIVE_ENTROPY, relative_entropy), (MASS, mass), (EDGE_MASS, edge)];
        if self.integrate_entropy {
            self.observables.push((ENTROPY_PRODUCTION_RATE, self.rate));
            self.observables.push((ENTROPY_PRODUCED, self.produced));
        }
        if edge > EDGE_WARNING && !self.warned_edge {
            self.warned_edge = true;
            self.warnings.push(format!(
                "at t = {t} the cells along the walls hold {edge:.2e} of the probability: \
                 the walls change the dynamics; widen `domain`"
            ));
        }
    }
}

/// A solver error as a sampler error, keeping the solver's hint in the message.
fn sampler_error(error: FpError) -> SamplerError {
    match error.hint() {
        Some(hint) => SamplerError::Other(format!("{error} ({hint})")),
        None => SamplerError::Other(error.to_string()),
    }
}

impl Sampler for FokkerPlanck {
    fn dim(&self) -> usize {
        self.potential.dim()
    }

    fn start(&mut self, t0: f64, _ctx: RunContext) -> Result<(), SamplerError> {
        let Settings { kt, gamma, .. } = self.settings;
        let options = Options { t0, static_potential: self.potential.is_static(), max_steps: None };
        let mut solver = Solver::new(self.potential.clone(), self.axes.clone(), kt, gamma, options)
            .map_err(sampler_error)?;
        let density = initial_density(&self.init, &self.axes, &*self.potential, kt)?;
        solver.set_density(density.values).map_err(sampler_error)?;
        self.rate = solver.entropy_production_rate();
        self.produced = 0.0;
        self.solver = Some(solver);
        self.warned_edge = false;
        self.observe();
        Ok(())
    }

    fn advance(&mut self, t: f64, _ctx: RunContext) -> Result<(), SamplerError> {
        let dt = self.settings.dt;
        let solver = self.solver.as_mut().expect("the engine starts a sampler before using it");
        debug!(from = solver.time(), to = t, "fokker-planck advance");
        if self.integrate_entropy {
            let (rate, produced) = (&mut self.rate, &mut self.produced);
            solver
                .advance_observed(t, dt, |solver, h| {
                    let next = solver.entropy_production_rate();
                    *produced += 0.5 * h * (*rate + next);
                    *rate = next;
                })
                .map_err(sampler_error)?;
        } else {
            solver.advance_to(t, dt).map_err(sampler_error)?;
        }
        self.observe();
        Ok(())
    }

    fn frame(&self) -> Frame<'_> {
        Frame::Density(self.solver().density())
    }

    fn observables(&self) -> &[(&'static str, f64)] {
        &self.observables
    }

    fn want_observables(&mut self, names: &[&'static str]) {
        self.integrate_entropy =
            names.iter().any(|n| [ENTROPY_PRODUCTION_RATE, ENTROPY_PRODUCED].contains(n));
    }

    fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    fn counters(&self) -> Vec<(&'static str, u64)> {
        self.solver.as_ref().map_or_else(Vec::new, |s| s.counters().as_pairs())
    }
}

#[cfg(test)]
mod tests {
    use neq_core::{Frame, RunContext, StreamKey};

    /// The grid a 2-D solver declared with `cells` runs on, or the checker's messages.
    fn grid_of(cells: &str) -> Result<Vec<usize>, String> {
        let text = format!(
            "potential plane = expr(x^2 + y^2)\n\
             sampler truth = fokker_planck(plane, domain: [x: -3..3, y: -2..2], cells: {cells},\n\
             \x20                             init: point(x: 0, y: 0))\n\
             metric stats = moments(truth)\n\
             record every 1 until 1\n"
        );
        let registry = crate::builtin_registry();
        let mut sources = neq_diag::SourceMap::new();
        let checked =
            neq_check::check_text("t.neq", &text, &Default::default(), &registry, &mut sources);
        let Some(mut pipeline) = checked.pipeline else {
            return Err(checked.diagnostics.iter().map(|d| d.message.clone()).collect());
        };
        let sampler = &mut pipeline.samplers[0].sampler;
        sampler
            .start(0.0, RunContext { streams: StreamKey { seed: 1, node: 1 }, frame: 0 })
            .unwrap();
        let Frame::Density(density) = sampler.frame() else { panic!("a density") };
        Ok(density.axes.iter().map(|a| a.cells).collect())
    }

    #[test]
    fn cells_are_one_count_for_every_axis_or_one_per_axis() {
        assert_eq!(grid_of("30"), Ok(vec![30, 30]));
        assert_eq!(grid_of("[30, 20]"), Ok(vec![30, 20]));
        assert_eq!(grid_of("[30]"), Ok(vec![30, 30]));
        let three = grid_of("[30, 20, 10]").unwrap_err();
        assert!(three.contains("3 cell counts for a 2-D potential"), "{three}");
        let one = grid_of("[30, 1]").unwrap_err();
        assert!(one.contains("at least 2 cells"), "{one}");
        let fraction = grid_of("[30, 2.5]").unwrap_err();
        assert!(fraction.contains("whole number"), "{fraction}");
        let empty = grid_of("[]").unwrap_err();
        assert!(empty.contains("at least one count"), "{empty}");
    }
}
