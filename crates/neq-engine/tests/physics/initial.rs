//! Initial conditions reach the samplers as written, including `same_as(…)`.

use crate::common::{read_table, run_text};

#[test]
fn same_as_copies_another_samplers_initial_condition() {
    let out = tempfile::tempdir().unwrap();
    let text = "
        potential well = double_well()
        sampler first = langevin(well, particles: 1000, dt: 1e-3, init: point(0.7))
        sampler second = langevin(well, particles: 1000, dt: 1e-3, init: same_as(first))
        metric m = moments([first, second])
        record every 0.5 until 0.5
    ";
    run_text(text, &[], 2, out.path());
    let m = read_table(out.path(), "m");
    for row in 0..m.rows() {
        if m.f64("t")[row] == 0.0 {
            assert!((m.f64("mean")[row] - 0.7).abs() < 1e-12, "{}", m.str("sampler")[row]);
            assert!(m.f64("variance")[row].abs() < 1e-24);
        } else {
            // The two samplers draw their noise from different streams.
            assert!(m.f64("variance")[row] > 0.0);
        }
    }
    let later: Vec<f64> =
        (0..m.rows()).filter(|&r| m.f64("t")[r] > 0.0).map(|r| m.f64("mean")[r]).collect();
    assert_ne!(later[0], later[1], "independent noise");
}
