//! The pipelines shipped in `pipelines/` check, and what `neq plan` and `neq kinds` print.

use crate::common::{neq, root};

fn shipped() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("pipelines"))
        .expect("pipelines/ exists")
        .map(|e| e.expect("readable directory").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".neq"))
        .map(|name| format!("pipelines/{name}"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_shipped_pipeline_checks_without_warnings() {
    let pipelines = shipped();
    assert!(pipelines.len() >= 2, "{pipelines:?}");
    for pipeline in &pipelines {
        let outcome = neq(&["check", pipeline]);
        outcome.assert_code(0);
        assert_eq!(outcome.stderr, "ok: 1 file checked\n", "{pipeline}");
    }
    let mut all = vec!["check"];
    all.extend(pipelines.iter().map(String::as_str));
    let outcome = neq(&all);
    outcome.assert_code(0);
    assert_eq!(outcome.stderr, format!("ok: {} files checked\n", pipelines.len()));
}

#[test]
fn one_invalid_file_among_valid_ones_fails_the_check() {
    let outcome = neq(&["check", "pipelines/prinz_tilt.neq", "tests/invalid/dt_zero.neq"]);
    outcome.assert_code(1);
    assert!(outcome.stderr.ends_with("error: 1 error found\n"), "{}", outcome.stderr);
}

#[test]
fn plan_of_prinz_tilt() {
    let outcome = neq(&["plan", "pipelines/prinz_tilt.neq"]);
    outcome.assert_code(0);
    assert_eq!(outcome.stderr, "");
    insta::assert_snapshot!(outcome.stdout);
}

#[test]
fn plan_of_prinz_tilt_as_dot() {
    let outcome = neq(&["plan", "--dot", "pipelines/prinz_tilt.neq"]);
    outcome.assert_code(0);
    assert!(outcome.stdout.starts_with("digraph {"), "{}", outcome.stdout);
    insta::assert_snapshot!(outcome.stdout);
}

#[test]
fn plan_of_an_invalid_pipeline_exits_1() {
    let outcome = neq(&["plan", "tests/invalid/cycle_of_two.neq"]);
    outcome.assert_code(1);
    assert_eq!(outcome.stdout, "");
    assert!(outcome.stderr.contains("cycle"), "{}", outcome.stderr);
}

#[test]
fn kinds() {
    let outcome = neq(&["kinds"]);
    outcome.assert_code(0);
    insta::assert_snapshot!(outcome.stdout);
}
