//! `pipelines/dragged_trap.neq`: a harmonic trap k/2 (x − vt)² dragged from equilibrium.
//!
//! With γ = 1 the exact ensemble stays Gaussian with variance kT/k and a mean that lags
//! behind the centre: ⟨x⟩(t) = vt − (v/k)(1 − e^{−kt}).

use crate::common::{read_table, run_shipped};

/// Constants of the shipped pipeline.
const K: f64 = 4.0;
const V: f64 = 1.0;
const KT: f64 = 1.0;

fn exact_mean(t: f64) -> f64 {
    V * t - V / K * (1.0 - (-K * t).exp())
}

#[test]
fn langevin_mean_lags_the_trap_as_the_closed_form_says_and_the_variance_stays_kt_over_k() {
    let out = run_shipped("dragged_trap.neq", &[], 2);
    let stats = read_table(out.path(), "stats");
    let sim: Vec<usize> = (0..stats.rows()).filter(|&r| stats.str("sampler")[r] == "sim").collect();
    assert_eq!(sim.len(), 31, "one row per recorded time 0, 0.1, …, 3");
    let exact_variance = KT / K;
    for &row in &sim {
        let (t, mean, variance) =
            (stats.f64("t")[row], stats.f64("mean")[row], stats.f64("variance")[row]);
        let n = stats.i64("count")[row] as f64;
        let mean_se = (exact_variance / n).sqrt();
        let variance_se = exact_variance * (2.0 / (n - 1.0)).sqrt();
        assert!(
            (mean - exact_mean(t)).abs() < 4.0 * mean_se,
            "t = {t}: mean {mean}, exact {} (standard error {mean_se:.2e})",
            exact_mean(t)
        );
        assert!(
            (variance - exact_variance).abs() < 4.0 * variance_se,
            "t = {t}: variance {variance}, exact {exact_variance} (standard error {variance_se:.2e})"
        );
    }
    // The lag itself is far above the noise: a sampler that followed the centre would fail.
    let last = sim[sim.len() - 1];
    let centre = V * stats.f64("t")[last];
    assert!((centre - stats.f64("mean")[last]) > 50.0 * (exact_variance / 40_000.0).sqrt());
}
