//! `boltzmann(potential, particles, kT: 1, domain, cells: 20000)`: at every recorded time,
//! independent exact samples of the instantaneous equilibrium density
//! p(x, t) ∝ exp(−V(x, t)/kT) on a box — the "equilibrium assumption" that driven dynamics
//! can be compared with.
//!
//! Sampling is done by [`sample_boltzmann`]; frame k draws from the streams of frame k, so
//! frames are independent of each other and of the thread count.

use std::sync::Arc;

use neq_core::{
    Args, BuildError, Builder, Ensemble, Frame, KindSpec, ParamDefault, ParamSpec, ParamType,
    Potential, RunContext, Sampler, SamplerError,
};
use tracing::debug;

use super::{KT, PARTICLES, POTENTIAL, axes_arg, positive};
use crate::equilibrium::{cells_per_axis, sample_boltzmann};
use crate::limits::{MAX_CELLS, MAX_PARTICLES, count_at_most};

/// `boltzmann(potential, particles, kT: 1, domain, cells: 20000)`.
pub const KIND: KindSpec = KindSpec {
    name: "boltzmann",
    doc: "boltzmann(potential, particles, kT: 1, domain, cells: 20000): at every recorded time, \
          independent samples of the instantaneous equilibrium density ∝ exp(−V(x, t)/kT) \
          restricted to `domain`, with no memory of earlier frames. In 1-D the density is \
          interpolated linearly between `cells + 1` grid nodes and sampled exactly; in 2-D and \
          3-D each cell's weight comes from its centre and positions are uniform inside the \
          cell, and the cells per axis are capped so the grid has at most 4·10⁶ cells \
          (2000 per axis in 2-D, 158 in 3-D).",
    params: &[
        POTENTIAL,
        PARTICLES,
        KT,
        ParamSpec {
            name: "domain",
            ty: ParamType::Axes,
            default: ParamDefault::Required,
            unit: "length",
            doc: "the box the density is restricted to, one range per coordinate",
        },
        ParamSpec {
            name: "cells",
            ty: ParamType::Count,
            default: ParamDefault::Number(20_000.0),
            unit: "",
            doc: "grid cells per axis (capped in 2-D and 3-D at 4·10⁶ cells in total)",
        },
    ],
    positional: 1,
    columns: &[],
    builder: Builder::Sampler(build),
};

fn build(args: &Args) -> Result<Box<dyn Sampler>, BuildError> {
    let potential = args.potential("potential");
    let domain = axes_arg(args, "domain", potential.dim())?;
    let kt = positive(args, "kT")?;
    Ok(Box::new(Boltzmann::new(
        potential,
        count_at_most(args, "particles", MAX_PARTICLES)?,
        kt,
        domain,
        count_at_most(args, "cells", MAX_CELLS)?,
    )))
}

/// The `boltzmann` sampler.
#[derive(Debug)]
pub struct Boltzmann {
    potential: Arc<dyn Potential>,
    particles: usize,
    kt: f64,
    domain: Vec<(f64, f64)>,
    cells: usize,
    ensemble: Ensemble,
    frames: u64,
}

impl Boltzmann {
    /// Samples `particles` points of exp(−V/kT) on `domain` (one range per coordinate of
    /// `potential`) with `cells` grid cells per axis.
    pub fn new(
        potential: Arc<dyn Potential>,
        particles: usize,
        kt: f64,
        domain: Vec<(f64, f64)>,
        cells: usize,
    ) -> Self {
        let cells = cells_per_axis(cells, potential.dim());
        let ensemble = Ensemble::zeros(potential.dim(), 0);
        Boltzmann { potential, particles, kt, domain, cells, ensemble, frames: 0 }
    }

    fn resample(&mut self, t: f64, ctx: RunContext) -> Result<(), SamplerError> {
        debug!(t, frame = ctx.frame, cells = self.cells, "boltzmann resample");
        self.ensemble = sample_boltzmann(
            &*self.potential,
            t,
            self.kt,
            &self.domain,
            self.cells,
            ctx.streams,
            ctx.frame,
            self.particles,
        )?;
        self.frames += 1;
        Ok(())
    }
}

impl Sampler for Boltzmann {
    fn dim(&self) -> usize {
        self.potential.dim()
    }

    fn start(&mut self, t0: f64, ctx: RunContext) -> Result<(), SamplerError> {
        self.frames = 0;
        self.resample(t0, ctx)
    }

    fn advance(&mut self, t: f64, ctx: RunContext) -> Result<(), SamplerError> {
        self.resample(t, ctx)
    }

    fn frame(&self) -> Frame<'_> {
        Frame::Ensemble(&self.ensemble)
    }

    fn counters(&self) -> Vec<(&'static str, u64)> {
        let grid_points =
            (self.cells + usize::from(self.domain.len() == 1)).pow(self.domain.len() as u32);
        vec![("frames", self.frames), ("potential_evaluations", self.frames * grid_points as u64)]
    }
}

#[cfg(test)]
mod tests {
    use neq_core::{ArgValue, NamedRange, StreamKey, TimeFn, node_id};

    use super::*;
    use crate::potentials::{DoubleWell, Harmonic};
    use crate::testing::linear_in_time;

    fn ctx(frame: u64) -> RunContext {
        RunContext { streams: StreamKey { seed: 1, node: node_id("eq") }, frame }
    }

    fn coords(sampler: &Boltzmann) -> Vec<f64> {
        match sampler.frame() {
            Frame::Ensemble(e) => e.coord(0).to_vec(),
            Frame::Density(_) => unreachable!(),
        }
    }

    #[test]
    fn follows_a_dragged_trap_with_fresh_samples_each_frame() {
        let trap = Arc::new(Harmonic::new(linear_in_time(1.0), TimeFn::constant(4.0)));
        let n = 20_000;
        let mut eq = Boltzmann::new(trap, n, 1.0, vec![(-5.0, 10.0)], 20_000);
        eq.start(0.0, ctx(0)).unwrap();
        let first = coords(&eq);
        eq.advance(2.0, ctx(1)).unwrap();
        let second = coords(&eq);
        let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
        let se = (0.25 / n as f64).sqrt();
        assert!(mean(&first).abs() < 4.0 * se, "{}", mean(&first));
        assert!((mean(&second) - 2.0).abs() < 4.0 * se, "{}", mean(&second));
        let shifted: Vec<f64> = first.iter().map(|x| x + 2.0).collect();
        assert_ne!(shifted, second, "frames are drawn afresh");
        assert_eq!(eq.counters()[0], ("frames", 2));
    }

    #[test]
    fn builder_reads_the_domain_by_coordinate_name() {
        let Builder::Sampler(build) = KIND.builder else { unreachable!() };
        let args = |names: &[&str]| {
            let ranges = names
                .iter()
                .map(|n| NamedRange { name: n.to_string(), lo: -2.0, hi: 2.0 })
                .collect();
            Args::new(vec![
                (
                    "potential",
                    ArgValue::Potential(Arc::new(DoubleWell::new(TimeFn::constant(1.0), 1.0))),
                ),
                ("particles", ArgValue::Number(100.0)),
                ("kT", ArgValue::Number(1.0)),
                ("domain", ArgValue::NamedRanges(ranges)),
                ("cells", ArgValue::Number(20_000.0)),
            ])
        };
        assert!(build(&args(&["x"])).is_ok());
        assert_eq!(build(&args(&["y"])).err().unwrap().param, Some("domain"));
        assert_eq!(build(&args(&["x", "x"])).err().unwrap().param, Some("domain"));
        assert_eq!(build(&args(&[])).err().unwrap().param, Some("domain"));
    }
}
