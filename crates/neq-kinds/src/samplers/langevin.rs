//! `langevin(potential, particles, dt, kT: 1, gamma: 1, init)`: overdamped Langevin
//! dynamics integrated with the Euler–Maruyama scheme
//!
//! x ← x − ∇V(x, t)/γ · h + √(2 kT h / γ) · ξ,  ξ ~ N(0, 1) per coordinate.
//!
//! Between two recorded times Δ apart the sampler takes n = ⌈Δ/dt − 10⁻⁹⌉ equal steps of
//! h = Δ/n, so it lands exactly on every recorded time and never steps further than `dt`
//! (the 10⁻⁹ keeps Δ = k·dt from rounding up to k + 1 steps). The force of step k is taken at
//! its start, t_k = t + k h.
//!
//! Every particle owns a random stream created at the start and kept aligned with it, and
//! particles are processed in fixed blocks of [`BLOCK`], so ensembles are bit-identical for
//! any number of threads.

use std::sync::Arc;

use neq_core::{
    Args, Bound, BuildError, Builder, Ensemble, Evaluation, Frame, InitSpec, KindSpec,
    ParamDefault, ParamSpec, ParamType, ParticleRng, Potential, RunContext, Sampler, SamplerError,
    StreamKey, Want,
};
use rand::RngExt;
use rand_distr::StandardNormal;
use rayon::prelude::*;
use tracing::debug;

use super::{KT, PARTICLES, POTENTIAL, positive};
use crate::equilibrium::sample_boltzmann;
use crate::limits::{MAX_PARTICLES, count_at_most};

/// Particles per block: the unit of parallel work and of one batched force evaluation.
pub const BLOCK: usize = 512;

/// Grid cells per axis for `init: boltzmann(…)` (capped in 2-D and 3-D, see
/// [`cells_per_axis`](crate::equilibrium::cells_per_axis)).
pub const INIT_CELLS: usize = 20_000;

/// Tag of the stream family that `init: boltzmann(…)` draws from, distinct from the
/// particles' dynamics streams.
const INIT_STREAM: u64 = 0x696e_6974;

/// `langevin(potential, particles, dt, kT: 1, gamma: 1, init)`.
pub const KIND: KindSpec = KindSpec {
    name: "langevin",
    doc: "langevin(potential, particles, dt, kT: 1, gamma: 1, init): overdamped Langevin \
          dynamics dx = −∇V(x, t)/γ dt + √(2kT/γ) dW, integrated with Euler–Maruyama. Between \
          recorded times Δ apart it takes ⌈Δ/dt⌉ equal steps, so no step exceeds `dt` and \
          every recorded time is hit exactly. `init: boltzmann(…)` samples the equilibrium \
          density at this sampler's kT. Fails with the particle and time when a position \
          stops being finite.",
    params: &[
        POTENTIAL,
        PARTICLES,
        ParamSpec {
            name: "dt",
            ty: ParamType::Number(Bound::Positive),
            default: ParamDefault::Required,
            unit: "time",
            doc: "largest integration step",
        },
        KT,
        ParamSpec {
            name: "gamma",
            ty: ParamType::Number(Bound::Positive),
            default: ParamDefault::Number(1.0),
            unit: "energy·time/length²",
            doc: "friction coefficient γ (mobility 1/γ)",
        },
        ParamSpec {
            name: "init",
            ty: ParamType::Init,
            default: ParamDefault::Required,
            unit: "",
            doc: "where particles start: point(…), uniform(…), gaussian(…) or boltzmann(…)",
        },
    ],
    positional: 1,
    columns: &[],
    builder: Builder::Sampler(build),
};

fn build(args: &Args) -> Result<Box<dyn Sampler>, BuildError> {
    let potential = args.potential("potential");
    let settings = Settings {
        particles: count_at_most(args, "particles", MAX_PARTICLES)?,
        dt: positive(args, "dt")?,
        kt: positive(args, "kT")?,
        gamma: positive(args, "gamma")?,
    };
    let init = args.init("init").clone();
    check_init(&init, potential.dim())?;
    Ok(Box::new(Langevin::new(potential, settings, init)))
}

/// Rejects an initial condition of the wrong dimension or with empty or non-finite parts.
fn check_init(init: &InitSpec, dim: usize) -> Result<(), BuildError> {
    if init.dim() != dim {
        return Err(BuildError::param(
            "init",
            format!("the initial condition is {}-D but the potential is {dim}-D", init.dim()),
        )
        .with_hint(format!(
            "give one value or range per coordinate: {}",
            super::COORDINATES[..dim.min(3)].join(", ")
        )));
    }
    let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
    let ordered = |b: &[(f64, f64)], strict: bool| {
        b.iter().all(|&(lo, hi)| {
            lo.is_finite() && hi.is_finite() && if strict { lo < hi } else { lo <= hi }
        })
    };
    let ok = match init {
        InitSpec::Point(p) => finite(p),
        InitSpec::Uniform(b) => ordered(b, false),
        InitSpec::Gaussian { mean, std } => {
            std.len() == mean.len() && finite(mean) && finite(std) && std.iter().all(|&s| s >= 0.0)
        }
        InitSpec::Boltzmann { at, domain } => at.is_finite() && ordered(domain, true),
    };
    if ok {
        Ok(())
    } else {
        Err(BuildError::param("init", format!("the initial condition {init:?} is not usable"))
            .with_hint("use finite numbers, ranges with lo < hi and standard deviations ≥ 0"))
    }
}

/// Numbers of an integration, as checked by the builder.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// Number of particles.
    pub particles: usize,
    /// Largest step.
    pub dt: f64,
    /// Thermal energy (0 gives deterministic gradient descent).
    pub kt: f64,
    /// Friction coefficient.
    pub gamma: f64,
}

/// The `langevin` sampler.
#[derive(Debug)]
pub struct Langevin {
    potential: Arc<dyn Potential>,
    settings: Settings,
    init: InitSpec,
    ensemble: Ensemble,
    /// One stream per particle, aligned with the ensemble.
    rngs: Vec<ParticleRng>,
    t: f64,
    steps: u64,
    force_evaluations: u64,
}

impl Langevin {
    /// A sampler of `potential` starting from `init`, which must have the potential's
    /// dimension (the builder checks).
    pub fn new(potential: Arc<dyn Potential>, settings: Settings, init: InitSpec) -> Self {
        Langevin {
            ensemble: Ensemble::zeros(potential.dim(), 0),
            potential,
            settings,
            init,
            rngs: Vec::new(),
            t: 0.0,
            steps: 0,
            force_evaluations: 0,
        }
    }
}

/// Where and when a particle's position first stopped being finite.
#[derive(Debug)]
struct Divergence {
    step: u64,
    particle: usize,
    t: f64,
    position: Vec<f64>,
}

/// The numbers one advance needs, shared by all blocks.
struct Stepper<'a> {
    potential: &'a dyn Potential,
    t0: f64,
    h: f64,
    steps: u64,
    /// h / γ.
    drift: f64,
    /// √(2 kT h / γ).
    noise: f64,
}

impl Stepper<'_> {
    /// Takes all steps for one block (step-major: the whole block moves one step at a
    /// time), or stops at the first step that leaves a position non-finite.
    fn run(
        &self,
        block: &mut [&mut [f64]],
        rngs: &mut [ParticleRng],
        first: usize,
    ) -> Option<Divergence> {
        let (m, dim) = (rngs.len(), block.len());
        let mut eval = Evaluation::default();
        eval.resize(m, dim);
        for step in 0..self.steps {
            let t = self.t0 + step as f64 * self.h;
            let coords: Vec<&[f64]> = block.iter().map(|c| &**c).collect();
            self.potential.eval(t, &coords, Want::GRAD, &mut eval);
            let mut finite = true;
            for (d, xs) in block.iter_mut().enumerate() {
                let grad = eval.grad_of(d, m);
                for ((x, &g), rng) in xs.iter_mut().zip(grad).zip(rngs.iter_mut()) {
                    let xi: f64 = rng.sample(StandardNormal);
                    *x += self.noise * xi - self.drift * g;
                    finite &= x.is_finite();
                }
            }
            if !finite {
                let i = (0..m).find(|&i| block.iter().any(|c| !c[i].is_finite()))?;
                return Some(Divergence {
                    step,
                    particle: first + i,
                    t: self.t0 + (step + 1) as f64 * self.h,
                    position: block.iter().map(|c| c[i]).collect(),
                });
            }
        }
        None
    }
}

/// Fills one block of initial positions from the particles' own streams.
fn init_block(init: &InitSpec, block: &mut [&mut [f64]], rngs: &mut [ParticleRng]) {
    for (k, rng) in rngs.iter_mut().enumerate() {
        for (d, xs) in block.iter_mut().enumerate() {
            xs[k] = match init {
                InitSpec::Point(p) => p[d],
                InitSpec::Uniform(b) => b[d].0 + (b[d].1 - b[d].0) * rng.random::<f64>(),
                InitSpec::Gaussian { mean, std } => {
                    mean[d] + std[d] * rng.sample::<f64, _>(StandardNormal)
                }
                InitSpec::Boltzmann { .. } => unreachable!("sampled separately"),
            };
        }
    }
}

/// A key for the streams of `init: boltzmann(…)`, derived from but distinct from the
/// dynamics streams.
fn init_streams(streams: StreamKey) -> StreamKey {
    StreamKey { seed: streams.seed, node: streams.stream(&[INIT_STREAM]).random() }
}

impl Sampler for Langevin {
    fn dim(&self) -> usize {
        self.potential.dim()
    }

    fn start(&mut self, t0: f64, ctx: RunContext) -> Result<(), SamplerError> {
        let n = self.settings.particles;
        self.rngs = (0..n as u64).map(|i| ctx.streams.particle(i)).collect();
        self.ensemble = match &self.init {
            InitSpec::Boltzmann { at, domain } => {
                let (potential, kt) = (&*self.potential, self.settings.kt);
                sample_boltzmann(
                    potential,
                    *at,
                    kt,
                    domain,
                    INIT_CELLS,
                    init_streams(ctx.streams),
                    0,
                    n,
                )?
            }
            init => {
                let mut ensemble = Ensemble::zeros(self.potential.dim(), n);
                let blocks = ensemble.blocks_mut(BLOCK);
                blocks.into_par_iter().zip(self.rngs.par_chunks_mut(BLOCK)).for_each(
                    |(mut block, rngs)| {
                        init_block(init, &mut block, rngs);
                    },
                );
                ensemble
            }
        };
        self.t = t0;
        self.steps = 0;
        self.force_evaluations = 0;
        Ok(())
    }

    fn advance(&mut self, t: f64, _ctx: RunContext) -> Result<(), SamplerError> {
        let span = t - self.t;
        if span == 0.0 {
            return Ok(());
        }
        if !(span > 0.0 && span.is_finite()) {
            return Err(SamplerError::Other(format!(
                "cannot advance from t = {} to t = {t}",
                self.t
            )));
        }
        let Settings { dt, kt, gamma, particles } = self.settings;
        let steps = ((span / dt - 1e-9).ceil() as u64).max(1);
        let h = span / steps as f64;
        debug!(from = self.t, to = t, steps, h, "langevin advance");
        let stepper = Stepper {
            potential: &*self.potential,
            t0: self.t,
            h,
            steps,
            drift: h / gamma,
            noise: (2.0 * kt * h / gamma).sqrt(),
        };
        let blocks = self.ensemble.blocks_mut(BLOCK);
        let divergence = blocks
            .into_par_iter()
            .zip(self.rngs.par_chunks_mut(BLOCK))
            .enumerate()
            .filter_map(|(b, (mut block, rngs))| stepper.run(&mut block, rngs, b * BLOCK))
            .min_by_key(|d| (d.step, d.particle));
        self.steps += steps;
        self.force_evaluations += steps * particles as u64;
        self.t = t;
        match divergence {
            None => Ok(()),
            Some(Divergence { particle, t, position, .. }) => {
                Err(SamplerError::Diverged { particle, t, position })
            }
        }
    }

    fn frame(&self) -> Frame<'_> {
        Frame::Ensemble(&self.ensemble)
    }

    fn counters(&self) -> Vec<(&'static str, u64)> {
        vec![("steps", self.steps), ("force_evaluations", self.force_evaluations)]
    }
}

#[cfg(test)]
mod tests {
    use neq_core::{ArgValue, TimeFn, node_id};

    use super::*;
    use crate::potentials::{Harmonic, Prinz};

    fn ctx(frame: u64) -> RunContext {
        RunContext { streams: StreamKey { seed: 5, node: node_id("sim") }, frame }
    }

    fn ensemble_of(sampler: &Langevin) -> &Ensemble {
        match sampler.frame() {
            Frame::Ensemble(e) => e,
            Frame::Density(_) => unreachable!(),
        }
    }

    fn mean_and_variance(x: &[f64]) -> (f64, f64) {
        let n = x.len() as f64;
        let mean = x.iter().sum::<f64>() / n;
        (mean, x.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0))
    }

    /// Mean and variance of Euler–Maruyama for dx = −(k/γ) x dt + √(2kT/γ) dW after
    /// `steps` steps of `h` from x0: x0 ρⁿ and kT/k / (1 − kh/(2γ)) · (1 − ρ²ⁿ), ρ = 1 − kh/γ.
    fn discrete_ou(x0: f64, k: f64, kt: f64, gamma: f64, h: f64, steps: i32) -> (f64, f64) {
        let rho = 1.0 - k * h / gamma;
        (x0 * rho.powi(steps), kt / k / (1.0 - k * h / (2.0 * gamma)) * (1.0 - rho.powi(2 * steps)))
    }

    #[test]
    fn harmonic_trap_matches_the_exact_euler_maruyama_moments() {
        let (k, kt, gamma, x0, n) = (2.0, 0.5, 1.0, 1.0, 20_000);
        for dt in [0.01, 0.2] {
            let trap = Arc::new(Harmonic::new(TimeFn::constant(0.0), TimeFn::constant(k)));
            let settings = Settings { particles: n, dt, kt, gamma };
            let mut sim = Langevin::new(trap, settings, InitSpec::Point(vec![x0]));
            sim.start(0.0, ctx(0)).unwrap();
            for (frame, t) in [0.4, 1.0, 3.0].into_iter().enumerate() {
                sim.advance(t, ctx(frame as u64 + 1)).unwrap();
                let (mean, variance) = mean_and_variance(ensemble_of(&sim).coord(0));
                let steps = (t / dt).round() as i32;
                let (exact_mean, exact_variance) = discrete_ou(x0, k, kt, gamma, dt, steps);
                let mean_se = (exact_variance / n as f64).sqrt();
                let variance_se = exact_variance * (2.0 / (n - 1) as f64).sqrt();
                assert!(
                    (mean - exact_mean).abs() < 4.0 * mean_se,
                    "dt {dt}, t {t}: mean {mean} vs {exact_mean}"
                );
                assert!(
                    (variance - exact_variance).abs() < 4.0 * variance_se,
                    "dt {dt}, t {t}: variance {variance} vs {exact_variance}"
                );
                if dt == 0.2 && t == 3.0 {
                    // The continuous-time answer kT/k (1 − e^{−2kt/γ}) is visibly different.
                    let continuous = kt / k * (1.0 - (-2.0 * k * t / gamma).exp());
                    assert!((variance - continuous).abs() > 10.0 * variance_se);
                }
            }
            assert_eq!(
                sim.counters(),
                [
                    ("steps", (3.0 / dt).round() as u64),
                    ("force_evaluations", (3.0 / dt).round() as u64 * n as u64)
                ]
            );
        }
    }

    #[test]
    fn ensembles_are_bit_identical_for_any_thread_count() {
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                let settings = Settings { particles: 3000, dt: 1e-3, kt: 1.0, gamma: 1.0 };
                let mut sim =
                    Langevin::new(Arc::new(Prinz), settings, InitSpec::Uniform(vec![(-1.0, 1.0)]));
                sim.start(0.0, ctx(0)).unwrap();
                sim.advance(0.25, ctx(1)).unwrap();
                sim.advance(0.5, ctx(2)).unwrap();
                ensemble_of(&sim).coord(0).iter().map(|x| x.to_bits()).collect::<Vec<_>>()
            })
        };
        assert_eq!(run(1), run(2));
    }

    /// V = −x⁴/4: particles are pushed out and reach infinity in finite time.
    #[derive(Debug)]
    struct Repulsive;

    impl Potential for Repulsive {
        fn dim(&self) -> usize {
            1
        }

        fn eval(&self, _t: f64, coords: &[&[f64]], _want: Want, out: &mut Evaluation) {
            for (i, &x) in coords[0].iter().enumerate() {
                out.value[i] = -0.25 * x.powi(4);
                out.grad[i] = -x * x * x;
            }
        }
    }

    #[test]
    fn divergence_names_the_first_particle_to_blow_up() {
        let (n, dt, t0) = (2000, 0.01, 0.5);
        // kT = 0 makes the run deterministic, so the test can replay it particle by particle.
        let settings = Settings { particles: n, dt, kt: 0.0, gamma: 1.0 };
        let init = InitSpec::Gaussian { mean: vec![0.0], std: vec![1.0] };
        let mut sim = Langevin::new(Arc::new(Repulsive), settings, init);
        sim.start(t0, ctx(0)).unwrap();
        let starts = ensemble_of(&sim).coord(0).to_vec();
        let error = sim.advance(t0 + 1.0, ctx(1)).unwrap_err();

        let blow_up_step = |mut x: f64| {
            (0..100u64).find(|_| {
                x += 0.0 - dt * (-x * x * x);
                !x.is_finite()
            })
        };
        let (step, particle) = (0..n)
            .filter_map(|i| blow_up_step(starts[i]).map(|s| (s, i)))
            .min()
            .expect("some particle blows up");
        assert!(step > 0, "the test wants a divergence after a few steps");
        let SamplerError::Diverged { particle: p, t, position } = error else {
            panic!("{error:?}")
        };
        assert_eq!(p, particle);
        assert!((t - (t0 + (step + 1) as f64 * dt)).abs() < 1e-12, "t = {t}, step {step}");
        assert!(!position[0].is_finite());
    }

    #[test]
    fn builder_checks_the_initial_condition() {
        let Builder::Sampler(build) = KIND.builder else { unreachable!() };
        let args = |init: InitSpec| {
            Args::new(vec![
                ("potential", ArgValue::Potential(Arc::new(Prinz))),
                ("particles", ArgValue::Number(10.0)),
                ("dt", ArgValue::Number(0.01)),
                ("kT", ArgValue::Number(1.0)),
                ("gamma", ArgValue::Number(1.0)),
                ("init", ArgValue::Init(init)),
            ])
        };
        let wrong_dim = build(&args(InitSpec::Point(vec![0.0, 1.0]))).err().unwrap();
        assert_eq!(wrong_dim.param, Some("init"));
        let bad_std = InitSpec::Gaussian { mean: vec![0.0], std: vec![-1.0] };
        assert_eq!(build(&args(bad_std)).err().unwrap().param, Some("init"));
        assert!(build(&args(InitSpec::Point(vec![0.2]))).is_ok());
    }

    #[test]
    fn boltzmann_init_uses_its_own_streams() {
        let settings = Settings { particles: 1000, dt: 0.01, kt: 1.0, gamma: 1.0 };
        let init = InitSpec::Boltzmann { at: 0.0, domain: vec![(-1.0, 1.0)] };
        let mut sim = Langevin::new(Arc::new(Prinz), settings, init);
        sim.start(0.0, ctx(0)).unwrap();
        let started = ensemble_of(&sim).clone();
        assert!(started.coord(0).iter().all(|x| (-1.0..=1.0).contains(x)));
        let direct =
            sample_boltzmann(&Prinz, 0.0, 1.0, &[(-1.0, 1.0)], INIT_CELLS, ctx(0).streams, 0, 1000)
                .unwrap();
        assert_ne!(started, direct, "init draws must not reuse the sampler's own frame-0 streams");
        sim.start(0.0, ctx(0)).unwrap();
        assert_eq!(ensemble_of(&sim), &started, "restarting repeats exactly");
    }
}
