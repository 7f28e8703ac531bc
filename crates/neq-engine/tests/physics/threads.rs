//! Tables are byte-identical whatever the number of worker threads.

use neq_table::sha256_hex;

use crate::common::run_text;

const PIPELINE: &str = "
seed = 21
schedule tilt = ramp(from: 0, to: 2, start: 0, end: 0.5)
potential p = prinz() + tilt * x
sampler sim = langevin(p, particles: 5_000, dt: 1e-3, kT: 1,
                       init: boltzmann(at: 0, domain: [x: -1.2..1.2]))
sampler fresh = langevin(p, particles: 2_001, dt: 1e-3, kT: 1, init: gaussian(x: 0, std: 0.3))
sampler eq = boltzmann(p, particles: 3_000, kT: 1, domain: [x: -1.2..1.2])
metric stats = moments([sim, fresh, eq])
metric wells = populations([sim, eq], states: [left: -1.2..0, right: 0..1.2])
metric density = histogram([sim, fresh, eq], range: -1.2..1.2, bins: 48)
record every 0.1 until 0.6
";

fn hashes(threads: usize) -> Vec<(String, String)> {
    let out = tempfile::tempdir().unwrap();
    run_text(PIPELINE, &[], threads, out.path());
    ["density", "stats", "wells"]
        .iter()
        .map(|table| {
            let bytes = std::fs::read(out.path().join(table).join("part-0.parquet")).unwrap();
            (table.to_string(), sha256_hex(&bytes))
        })
        .collect()
}

#[test]
fn parquet_files_are_identical_for_one_and_two_threads() {
    assert_eq!(hashes(1), hashes(2));
}
