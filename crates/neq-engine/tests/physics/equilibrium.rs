//! Static 1-D Prinz at kT = 1: the `boltzmann` sampler's well populations match a quadrature
//! of exp(−V/kT) computed here, and a long `langevin` run from a uniform start approaches
//! the same populations.

use crate::common::{read_table, run_text};

/// The four states of the tests, as `(name, lo, hi)`.
const STATES: [(&str, f64, f64); 4] =
    [("w1", -1.2, -0.5), ("w2", -0.5, 0.0), ("w3", 0.0, 0.5), ("w4", 0.5, 1.2)];

/// The Prinz potential, written out again so the test does not trust the built-in.
fn prinz(x: f64) -> f64 {
    4.0 * (x.powi(8)
        + 0.8 * (-80.0 * x * x).exp()
        + 0.2 * (-80.0 * (x - 0.5).powi(2)).exp()
        + 0.5 * (-40.0 * (x + 0.5).powi(2)).exp())
}

/// ∫ exp(−V/kT) over [lo, hi] by composite Simpson with 20 000 panels.
fn weight(lo: f64, hi: f64, kt: f64) -> f64 {
    let panels = 20_000;
    let h = (hi - lo) / panels as f64;
    let f = |x: f64| (-prinz(x) / kt).exp();
    let inner: f64 =
        (1..panels).map(|i| f(lo + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 }).sum();
    (f(lo) + inner + f(hi)) * h / 3.0
}

/// Exact populations of the four states within [−1.2, 1.2].
fn exact_populations(kt: f64) -> Vec<f64> {
    let weights: Vec<f64> = STATES.iter().map(|&(_, lo, hi)| weight(lo, hi, kt)).collect();
    let total: f64 = weights.iter().sum();
    weights.iter().map(|w| w / total).collect()
}

fn pipeline(sampler: &str) -> String {
    format!(
        "seed = 3\n\
         potential p = prinz()\n\
         sampler s = {sampler}\n\
         metric wells = populations(s, states: [w1: -1.2..-0.5, w2: -0.5..0, w3: 0..0.5, \
         w4: 0.5..1.2])\n"
    )
}

#[test]
fn boltzmann_populations_match_the_quadrature_within_statistical_error() {
    let exact = exact_populations(1.0);
    assert!(exact.iter().all(|&p| p > 0.05), "every well is populated: {exact:?}");
    let out = tempfile::tempdir().unwrap();
    let text = pipeline("boltzmann(p, particles: 100_000, kT: 1, domain: [x: -1.2..1.2])")
        + "record every 1 until 4\n";
    run_text(&text, &[], 2, out.path());
    let wells = read_table(out.path(), "wells");
    assert_eq!(wells.rows(), 5 * 4);
    for row in 0..wells.rows() {
        let state = STATES.iter().position(|s| s.0 == wells.str("state")[row]).unwrap();
        let (p, fraction) = (exact[state], wells.f64("fraction")[row]);
        let se = (p * (1.0 - p) / 100_000.0).sqrt();
        assert!(
            (fraction - p).abs() < 4.0 * se,
            "t = {}, {}: sampled {fraction}, quadrature {p} (standard error {se:.1e})",
            wells.f64("t")[row],
            STATES[state].0
        );
        assert!((wells.f64("std_error")[row] - se).abs() < 0.05 * se, "reported standard error");
    }
}

#[test]
fn long_langevin_runs_approach_the_boltzmann_populations() {
    let exact = exact_populations(1.0);
    let out = tempfile::tempdir().unwrap();
    let text =
        pipeline("langevin(p, particles: 20_000, dt: 2e-4, kT: 1, init: uniform(x: -0.1..0.1))")
            + "record every 1 until 8\n";
    run_text(&text, &[], 2, out.path());
    let wells = read_table(out.path(), "wells");
    let distance_at = |t: f64| -> f64 {
        (0..wells.rows())
            .filter(|&r| wells.f64("t")[r] == t)
            .map(|r| {
                let state = STATES.iter().position(|s| s.0 == wells.str("state")[r]).unwrap();
                (wells.f64("fraction")[r] - exact[state]).abs()
            })
            .fold(0.0, f64::max)
    };
    let start = distance_at(0.0);
    let end = distance_at(8.0);
    eprintln!("largest population error: {start:.4} at t = 0, {end:.4} at t = 8");
    assert!(start > 0.2, "the start is far from equilibrium");
    // Statistical error ≈ 3.5e-3 per state; Euler–Maruyama at this step shifts populations
    // by well under 1e-2.
    assert!(end < 0.015, "after 8 time units the populations are at equilibrium: {end}");
}
