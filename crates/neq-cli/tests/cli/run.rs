//! `neq run` when the numbers go wrong: particles that diverge end the run with exit 3, a
//! message that names the sampler, the particle and the time and says what to change, and
//! no table in the output directory.

use std::path::{Path, PathBuf};

use crate::common::{dir_with, neq_in};

/// Falls off a quartic cliff: with a large step the particles reach infinity in a few steps.
const DIVERGING: &str = "\
# -x^4 has no minimum, and dt is far too large
potential cliff = expr(-x^4)
sampler sim = langevin(cliff, particles: 64, dt: 0.5, init: uniform(x: -1..1))
metric stats = moments(sim)
record every 1 until 10
";

/// The same pipeline with a confining potential and a sensible step.
const CONFINED: &str = "\
potential cliff = expr(x^4)
sampler sim = langevin(cliff, particles: 64, dt: 1e-3, init: uniform(x: -1..1))
metric stats = moments(sim)
record every 0.1 until 0.2
";

/// Every file under `dir`, with its contents.
fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let path = entry.expect("readable directory").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("readable file");
                found.push((path, bytes));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn a_diverging_run_exits_3_names_the_particle_and_writes_no_table() {
    let dir = dir_with(&[("cliff.neq", DIVERGING.as_bytes())]);
    let outcome = neq_in(dir.path(), &["run", "cliff.neq", "--out", "out", "--threads", "1"]);
    outcome.assert_code(3);
    let stderr = &outcome.stderr;
    for says in ["sampler `sim`", "particle ", "diverged at t = ", "smaller `dt`", "cliff.neq:3:"] {
        assert!(stderr.contains(says), "missing {says:?} in:\n{stderr}");
    }
    let written = files_under(&dir.path().join("out"));
    assert!(
        written.is_empty(),
        "a failed run wrote {:?}",
        written.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    insta::with_settings!({filters => vec![
        (r"particle \d+ diverged at t = [0-9.e+-]+ \(position \[[^\]]*\]\)",
         "particle [N] diverged at t = [T] (position [X])"),
    ]}, {
        insta::assert_snapshot!(outcome.stderr);
    });
}

#[test]
fn a_diverging_run_leaves_earlier_results_untouched() {
    let dir = dir_with(&[("cliff.neq", DIVERGING.as_bytes()), ("good.neq", CONFINED.as_bytes())]);
    neq_in(dir.path(), &["run", "good.neq", "--out", "out"]).assert_code(0);
    let before = files_under(&dir.path().join("out"));
    let names: Vec<_> = before.iter().map(|(p, _)| p.file_name().unwrap().to_owned()).collect();
    assert!(names.iter().any(|n| n == "manifest.json"), "{names:?}");
    assert!(names.iter().any(|n| n == "part-0.parquet"), "{names:?}");

    neq_in(dir.path(), &["run", "cliff.neq", "--out", "out"]).assert_code(3);
    assert!(files_under(&dir.path().join("out")) == before, "the failed run changed `out`");
}

#[test]
fn an_invalid_pipeline_is_not_run() {
    let text = DIVERGING.replace("dt: 0.5", "dt: 0");
    let dir = dir_with(&[("cliff.neq", text.as_bytes())]);
    let outcome = neq_in(dir.path(), &["run", "cliff.neq", "--out", "out"]);
    outcome.assert_code(1);
    assert!(outcome.stderr.contains("`dt` must be greater than 0"), "{}", outcome.stderr);
    assert!(outcome.stderr.ends_with("error: `cliff.neq` is invalid (1 error)\n"));
    assert!(!dir.path().join("out").exists(), "nothing is written for an invalid pipeline");
}

/// A density that spreads into the walls of a box too small for it.
const CRAMPED: &str = "\
potential flat = expr(0.01 * x^2)
sampler truth = fokker_planck(flat, domain: [x: -0.5..0.5], cells: 100, dt: 1e-3,
                              init: gaussian(x: 0, std: 0.05))
metric stats = moments(truth)
record every 0.05 until 0.2
";

#[test]
fn a_density_reaching_the_walls_warns_once_at_the_sampler_and_still_succeeds() {
    let dir = dir_with(&[("cramped.neq", CRAMPED.as_bytes())]);
    let outcome = neq_in(dir.path(), &["run", "cramped.neq", "--out", "out"]);
    outcome.assert_code(0);
    let stderr = &outcome.stderr;
    for says in ["warning", "sampler `truth`", "walls", "widen `domain`", "cramped.neq:2:"] {
        assert!(stderr.contains(says), "missing {says:?} in:\n{stderr}");
    }
    assert_eq!(stderr.matches("warning:").count(), 1, "one warning, not one per frame:\n{stderr}");
    assert!(dir.path().join("out/stats/part-0.parquet").is_file());
}
