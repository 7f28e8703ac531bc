//! Temporary timing.
use std::sync::Arc;
use neq_core::{node_id, InitSpec, RunContext, Sampler, StreamKey};
use neq_kinds::potentials::Prinz;
use neq_kinds::samplers::langevin::{Langevin, Settings};
fn main() {
    let n = 100_000;
    let steps = 1000;
    let ctx = RunContext { streams: StreamKey { seed: 1, node: node_id("s") }, frame: 0 };
    let mut sim = Langevin::new(Arc::new(Prinz), Settings { particles: n, dt: 1e-3, kt: 1.0, gamma: 1.0 }, InitSpec::Uniform(vec![(-1.0, 1.0)]));
    sim.start(0.0, ctx).unwrap();
    let t = std::time::Instant::now();
    sim.advance(steps as f64 * 1e-3, ctx).unwrap();
    let el = t.elapsed().as_secs_f64();
    println!("{:.2} ns/particle-step (threads {})", el * 1e9 / (n * steps) as f64, rayon::current_num_threads());
    let t = std::time::Instant::now();
    let e = neq_kinds::equilibrium::sample_boltzmann(&Prinz, 0.0, 1.0, &[(-1.0, 1.0)], 20000, ctx.streams, 1, n).unwrap();
    println!("boltzmann 1e5 samples: {:.2} ms {}", t.elapsed().as_secs_f64() * 1e3, e.len());
}
