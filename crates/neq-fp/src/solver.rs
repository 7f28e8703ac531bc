//! The solver: parameters, state, the step rule, counters and the stop reason.
//!
//! One step of length h from t_n to t_{n+1} = t_n + h is backward Euler, p_{n+1} =
//! (I − h A(t_{n+1}))⁻¹ p_n, with A the Scharfetter–Gummel operator of V(·, t_{n+1}). In more
//! than one dimension the implicit operator is split by directions (Lie splitting),
//! p_{n+1} = Π_k (I − h A_k(t_{n+1}))⁻¹ p_n, and the order of the axes is reversed on every
//! other step so that the leading splitting errors of consecutive steps cancel. The scheme
//! is first order in time and second order in space, unconditionally stable, positivity
//! preserving for any h and mass conserving to rounding; for a static potential every
//! directional operator annihilates the discrete Boltzmann density, so it is the exact
//! stationary state of each step. (A linear one-step method of higher order cannot keep
//! positivity for every step size — Bolley & Crouzeix 1978 — which is why the solver stays
//! with backward Euler.)
//!
//! Reference: C. Bolley, M. Crouzeix, "Conservation de la positivité lors de la
//! discrétisation des problèmes d'évolution paraboliques", RAIRO Anal. Numér. 12 (1978)
//! 237–245.

use std::sync::Arc;

use neq_core::{Axis, Density, Potential};
use tracing::{debug, debug_span, trace};

use crate::FpError;
use crate::field::Field;
use crate::grid::Grid;
use crate::observables;
use crate::sweep::Sweep;

/// Grids with fewer cells are solved on the calling thread only.
const PARALLEL_FROM: usize = 4096;

/// Choices that are not physical parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// Time of the initial state.
    pub t0: f64,
    /// Whether V does not depend on time. V is then evaluated once, at `t0`, and each
    /// directional operator is factorised once per distinct step size. The solver does not
    /// check this claim; [`varies_in_time`] can probe a potential beforehand.
    pub static_potential: bool,
    /// Most steps one call of [`Solver::advance_to`] may take before it stops early with
    /// [`Stop::StepLimit`]; `None` for no limit.
    pub max_steps: Option<u64>,
}

impl Default for Options {
    fn default() -> Self {
        Options { t0: 0.0, static_potential: false, max_steps: None }
    }
}

/// Why [`Solver::advance_to`] returned (without error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stop {
    /// The target time was reached.
    Reached,
    /// The solver was already at the target time; nothing was done.
    AlreadyThere,
    /// [`Options::max_steps`] steps were taken before the target time.
    StepLimit,
}

/// What one call of [`Solver::advance_to`] did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stats {
    /// Steps taken.
    pub steps: u64,
    /// Their common length (0 if no step was taken).
    pub dt: f64,
    /// The time reached.
    pub t: f64,
    /// Why the call returned.
    pub stop: Stop,
    /// Relative change of the total mass over the call (rounding only).
    pub mass_change: f64,
}

/// Work done since the solver was built.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Time steps.
    pub steps: u64,
    /// Evaluations of the potential on the whole grid.
    pub potential_evaluations: u64,
    /// Points at which the potential was evaluated.
    pub points_evaluated: u64,
    /// Factorisations of a directional operator (one per axis and step for a time-dependent
    /// potential; one per axis and distinct step size for a static one).
    pub factorisations: u64,
}

impl Counters {
    /// The counters as named pairs, as samplers report them.
    pub fn as_pairs(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("steps", self.steps),
            ("potential_evaluations", self.potential_evaluations),
            ("points_evaluated", self.points_evaluated),
            ("factorisations", self.factorisations),
        ]
    }
}

/// The number of equal steps of length at most `max_dt` that cover `span`:
/// n = ⌈span / max_dt − 10⁻⁹⌉, at least 1. The tolerance keeps an interval that is a whole
/// multiple of `max_dt` up to rounding (0.3 / 0.1) from taking one step more.
pub fn step_count(span: f64, max_dt: f64) -> u64 {
    let n = (span / max_dt - 1e-9).ceil();
    if n.is_nan() || n < 1.0 { 1 } else { n as u64 }
}

/// Evaluates `potential` on the cell centres of `axes` at each of `times` and reports
/// whether any value differs (bit for bit) from the values at the first time. A `false` is
/// evidence, not proof, that the potential is static.
pub fn varies_in_time(
    potential: &dyn Potential,
    axes: &[Axis],
    times: &[f64],
) -> Result<bool, FpError> {
    let grid = Grid::new(axes.to_vec())?;
    let mut field = Field::new(&grid);
    let mut first: Option<Vec<f64>> = None;
    for &t in times {
        field.evaluate(potential, t, 1.0, &grid, grid.total >= PARALLEL_FROM)?;
        match &first {
            None => first = Some(field.u.clone()),
            Some(u) => {
                if u.iter().zip(&field.u).any(|(a, b)| a.to_bits() != b.to_bits()) {
                    return Ok(true);
                }
            }
        }
    }
    Ok(false)
}

/// Finite-volume solver of ∂p/∂t = ∇·(γ⁻¹ p ∇V) + (kT/γ) Δp on a regular grid with
/// zero-flux walls. See the [crate documentation](crate) for the scheme.
pub struct Solver {
    potential: Arc<dyn Potential>,
    grid: Grid,
    kt: f64,
    gamma: f64,
    diffusion: f64,
    options: Options,
    time: f64,
    density: Density,
    field: Field,
    sweeps: Vec<Sweep>,
    counters: Counters,
    parallel: bool,
}

impl std::fmt::Debug for Solver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Solver")
            .field("potential", &self.potential)
            .field("axes", &self.grid.axes)
            .field("kt", &self.kt)
            .field("gamma", &self.gamma)
            .field("options", &self.options)
            .field("time", &self.time)
            .field("counters", &self.counters)
            .finish_non_exhaustive()
    }
}

impl Solver {
    /// A solver for `potential` on the grid `axes` (1 to [`MAX_DIM`](crate::MAX_DIM) of
    /// them, at least 2 cells each) with thermal energy `kt` and friction `gamma`, starting
    /// at `options.t0` from the uniform density. Evaluates V once at `t0`.
    pub fn new(
        potential: Arc<dyn Potential>,
        axes: Vec<Axis>,
        kt: f64,
        gamma: f64,
        options: Options,
    ) -> Result<Solver, FpError> {
        positive("kT", kt)?;
        positive("gamma", gamma)?;
        if !options.t0.is_finite() {
            return Err(FpError::BadParameter {
                name: "t0",
                value: options.t0,
                expected: "finite",
            });
        }
        let grid = Grid::new(axes)?;
        if potential.dim() != grid.dim() {
            return Err(FpError::DimensionMismatch {
                potential: potential.dim(),
                grid: grid.dim(),
            });
        }
        let mut field = Field::new(&grid);
        let parallel = grid.total >= PARALLEL_FROM;
        field.evaluate(potential.as_ref(), options.t0, 1.0 / kt, &grid, parallel)?;
        let sweeps = (0..grid.dim()).map(|axis| Sweep::new(&grid, axis)).collect();
        let uniform = 1.0 / (grid.volume * grid.total as f64);
        let density = Density { axes: grid.axes.clone(), values: vec![uniform; grid.total] };
        debug!(
            cells = ?grid.cells,
            diffusion = kt / gamma,
            static_potential = options.static_potential,
            parallel,
            "fokker-planck solver built"
        );
        Ok(Solver {
            potential,
            diffusion: kt / gamma,
            kt,
            gamma,
            options,
            time: options.t0,
            density,
            field,
            sweeps,
            counters: Counters {
                potential_evaluations: 1,
                points_evaluated: grid.total as u64,
                ..Counters::default()
            },
            grid,
            parallel,
        })
    }

    /// The current time.
    pub fn time(&self) -> f64 {
        self.time
    }

    /// Thermal energy kT.
    pub fn kt(&self) -> f64 {
        self.kt
    }

    /// Friction coefficient γ.
    pub fn gamma(&self) -> f64 {
        self.gamma
    }

    /// Diffusion coefficient D = kT/γ.
    pub fn diffusion(&self) -> f64 {
        self.diffusion
    }

    /// The options the solver was built with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The grid's axes.
    pub fn axes(&self) -> &[Axis] {
        &self.grid.axes
    }

    /// Work done so far.
    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// The current density (cell values, row-major with the last axis fastest).
    pub fn density(&self) -> &Density {
        &self.density
    }

    /// Replaces the density by `values` (one per cell, in the layout of [`Density`]),
    /// normalised to mass 1. Values must be finite and nonnegative with a positive sum.
    pub fn set_density(&mut self, mut values: Vec<f64>) -> Result<(), FpError> {
        if values.len() != self.grid.total {
            let reason = format!("{} values for a grid of {} cells", values.len(), self.grid.total);
            return Err(FpError::BadDensity { reason });
        }
        if let Some(i) = values.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
            let reason = format!(
                "the value {} at the cell centred at {:?} is not a finite nonnegative number",
                values[i],
                self.grid.centre(i)
            );
            return Err(FpError::BadDensity { reason });
        }
        let mass = observables::sum(values.iter().copied()) * self.grid.volume;
        if !(mass > 0.0 && mass.is_finite()) {
            let reason = format!("its total mass is {mass}");
            return Err(FpError::BadDensity { reason });
        }
        values.iter_mut().for_each(|v| *v /= mass);
        self.density.values = values;
        Ok(())
    }

    /// Sets the density to `f` at the cell centres, normalised as in
    /// [`set_density`](Self::set_density).
    pub fn set_density_fn(&mut self, mut f: impl FnMut(&[f64]) -> f64) -> Result<(), FpError> {
        let values = (0..self.grid.total).map(|i| f(&self.grid.centre(i))).collect();
        self.set_density(values)
    }

    /// Sets the density to the discrete Boltzmann density of V at the current time.
    pub fn set_boltzmann(&mut self) -> Result<(), FpError> {
        self.set_density(self.field.boltzmann_weights())
    }

    /// The discrete Boltzmann density exp(−V_i/kT) / Z of V at the current time (for a
    /// static potential, V at `t0`), normalised to mass 1: the stationary state of the
    /// scheme for a static potential.
    pub fn boltzmann(&self) -> Density {
        let mut weights = self.field.boltzmann_weights();
        let z = observables::sum(weights.iter().copied()) * self.grid.volume;
        weights.iter_mut().for_each(|w| *w /= z);
        Density { axes: self.grid.axes.clone(), values: weights }
    }

    /// Total probability Σ p_i |cell|, summed in a fixed order.
    pub fn mass(&self) -> f64 {
        observables::sum(self.density.values.iter().copied()) * self.grid.volume
    }

    /// Probability in the cells that touch the walls of the box; if it is not negligible,
    /// the walls influence the result and the grid should be larger.
    pub fn edge_mass(&self) -> f64 {
        observables::edge_sum(&self.grid, &self.density.values) * self.grid.volume
    }

    /// The entropy production rate ∫ |J|² / (D p) dx of the current density under the
    /// potential at the current time, in units of k_B per unit time; computed from the
    /// discrete face currents and never negative (see the
    /// [crate documentation](crate#entropy-production)).
    pub fn entropy_production_rate(&self) -> f64 {
        observables::entropy_production(
            &self.grid,
            &self.field,
            &self.density.values,
            self.diffusion,
        )
    }

    /// Relative entropy Σ p_i ln(p_i / π_i) |cell| of the density with respect to the
    /// discrete Boltzmann density π of the current potential (dimensionless, ≥ 0); for a
    /// static potential it decays to 0 at the rate [`entropy_production_rate`](Self::entropy_production_rate).
    pub fn relative_entropy(&self) -> f64 {
        let pi = self.boltzmann();
        let terms = self
            .density
            .values
            .iter()
            .zip(&pi.values)
            .map(|(&p, &q)| if p > 0.0 { p * (p / q).ln() } else { 0.0 });
        observables::sum(terms) * self.grid.volume
    }

    /// Advances to time `t` in n = [`step_count`]`(t − now, max_dt)` equal steps of length
    /// (t − now)/n ≤ `max_dt`; the last step lands exactly on `t`. Returns early, with
    /// [`Stop::StepLimit`], after [`Options::max_steps`] steps.
    ///
    /// On error the density is that of the last completed step; the time, the entropy
    /// production rate and the Boltzmann density may then refer to a potential that was
    /// being evaluated, so the solver should be rebuilt.
    pub fn advance_to(&mut self, t: f64, max_dt: f64) -> Result<Stats, FpError> {
        self.advance_observed(t, max_dt, |_, _| {})
    }

    /// [`advance_to`](Self::advance_to), calling `after_step(solver, h)` after every step of
    /// length h (to integrate an observable such as the entropy production rate over the
    /// steps); the steps taken are the same as without the observer.
    pub fn advance_observed(
        &mut self,
        t: f64,
        max_dt: f64,
        mut after_step: impl FnMut(&Solver, f64),
    ) -> Result<Stats, FpError> {
        if !t.is_finite() {
            return Err(FpError::BadParameter { name: "t", value: t, expected: "finite" });
        }
        positive("max_dt", max_dt)?;
        let start = self.time;
        if t < start {
            return Err(FpError::Backwards { now: start, target: t });
        }
        if t == start {
            let stop = Stop::AlreadyThere;
            return Ok(Stats { steps: 0, dt: 0.0, t, stop, mass_change: 0.0 });
        }
        let n = step_count(t - start, max_dt);
        let h = (t - start) / n as f64;
        let take = self.options.max_steps.map_or(n, |m| m.min(n));
        let _span =
            debug_span!("fokker_planck_advance", from = start, to = t, steps = take).entered();
        let mass_before = self.mass();
        for k in 1..=take {
            let t_next = if k == n { t } else { start + k as f64 * h };
            self.step(t_next, h)?;
            after_step(self, h);
        }
        let mass = self.mass();
        if !mass.is_finite() {
            return Err(FpError::NonFiniteDensity { t: self.time });
        }
        let stop = if take < n { Stop::StepLimit } else { Stop::Reached };
        trace!(steps = take, dt = h, mass, "advanced");
        let mass_change = (mass - mass_before) / mass_before;
        Ok(Stats { steps: take, dt: h, t: self.time, stop, mass_change })
    }

    /// One backward-Euler step to `t_next`, split by directions.
    fn step(&mut self, t_next: f64, h: f64) -> Result<(), FpError> {
        let fixed = self.options.static_potential;
        if !fixed {
            let potential = self.potential.as_ref();
            self.field.evaluate(potential, t_next, 1.0 / self.kt, &self.grid, self.parallel)?;
            self.counters.potential_evaluations += 1;
            self.counters.points_evaluated += self.grid.total as u64;
        }
        let dim = self.grid.dim();
        let reverse = self.counters.steps % 2 == 1;
        for k in 0..dim {
            let axis = if reverse { dim - 1 - k } else { k };
            let w = self.grid.widths[axis];
            let lam = self.diffusion * h / (w * w);
            let sweep = &mut self.sweeps[axis];
            let refactor = !fixed || !sweep.is_factored_for(lam);
            if refactor {
                self.counters.factorisations += 1;
                if fixed {
                    debug!(axis, lam, "factorising the directional operator");
                }
            }
            sweep.solve(&self.field, &mut self.density.values, lam, refactor, self.parallel);
        }
        self.time = t_next;
        self.counters.steps += 1;
        Ok(())
    }
}

/// Checks that a parameter is finite and positive.
fn positive(name: &'static str, value: f64) -> Result<(), FpError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(FpError::BadParameter { name, value, expected: "finite and positive" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_rule_takes_whole_multiples_exactly_and_rounds_up_otherwise() {
        assert_eq!(step_count(0.3, 0.1), 3);
        assert_eq!(step_count(0.02, 1e-3), 20);
        assert_eq!(step_count(0.0205, 1e-3), 21);
        assert_eq!(step_count(1e-15, 1e-3), 1);
        assert_eq!(step_count(1.0, 2.0), 1);
    }
}
