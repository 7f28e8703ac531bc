//! `neq check --format json`: one JSON array on stdout for all files, for editors and
//! scripts. A few cases are kept as snapshots; the corpus test checks the rest parse.

use crate::common::{dir_with, neq, neq_in};

/// Runs `neq check --format json` on `files` and parses what it printed.
fn check_json(files: &[&str], code: i32) -> serde_json::Value {
    let mut args = vec!["check", "--format", "json"];
    args.extend(files);
    let outcome = neq(&args);
    outcome.assert_code(code);
    let value: serde_json::Value = serde_json::from_str(&outcome.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", outcome.stdout));
    assert!(value.is_array(), "{value}");
    value
}

#[test]
fn an_unknown_parameter_as_json() {
    insta::assert_json_snapshot!(check_json(&["tests/invalid/unknown_parameter.neq"], 1));
}

#[test]
fn two_errors_as_json() {
    insta::assert_json_snapshot!(check_json(&["tests/invalid/two_errors.neq"], 1));
}

#[test]
fn a_cycle_as_json_has_a_label_for_each_member() {
    let value = check_json(&["tests/invalid/cycle_of_three.neq"], 1);
    assert_eq!(value[0]["labels"].as_array().map(Vec::len), Some(3), "{value}");
    insta::assert_json_snapshot!(value);
}

#[test]
fn an_include_cycle_points_into_the_included_file() {
    let value = check_json(&["tests/invalid/include_cycle.neq"], 1);
    assert_eq!(value[0]["file"], "tests/invalid/includes/cycle_b.neq", "{value}");
    insta::assert_json_snapshot!(value);
}

#[test]
fn valid_and_unreadable_files_in_one_call() {
    let value = check_json(&["pipelines/prinz_tilt.neq", "no/such/file.neq"], 1);
    insta::assert_json_snapshot!(value);
}

#[test]
fn a_valid_pipeline_is_an_empty_array() {
    assert_eq!(check_json(&["pipelines/dragged_trap.neq"], 0), serde_json::json!([]));
}

#[test]
fn a_binary_file_is_still_valid_json() {
    let dir = dir_with(&[("binary.neq", b"x = 1\0\xff\xfe\x1b[2J")]);
    let outcome = neq_in(dir.path(), &["check", "--format", "json", "binary.neq"]);
    outcome.assert_code(1);
    let value: serde_json::Value = serde_json::from_str(&outcome.stdout).expect("JSON");
    assert!(value[0]["message"].as_str().is_some_and(|m| m.contains("not UTF-8")), "{value}");
}
