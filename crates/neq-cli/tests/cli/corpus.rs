//! The invalid-pipeline corpus: `tests/invalid/*.neq` at the root of the repository.
//!
//! Each file holds one mistake and begins with a `#` comment saying what it is. `neq check`
//! must exit 1 and report exactly one error (two for `two_errors.neq`), in text and in JSON;
//! the text is compared with `tests/invalid/snapshots/`. Files named `ok_*.neq` show
//! something that looks wrong but is not: they must check. Helper files of the include
//! cases live in `tests/invalid/includes/`.

use std::path::PathBuf;

use crate::common::{neq, root};

/// The corpus files, sorted by name.
fn corpus() -> Vec<PathBuf> {
    let dir = root().join("tests/invalid");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/invalid exists")
        .map(|entry| entry.expect("readable directory").path())
        .filter(|path| path.extension().is_some_and(|e| e == "neq"))
        .collect();
    paths.sort();
    paths
}

fn stem(path: &std::path::Path) -> &str {
    path.file_stem().and_then(|s| s.to_str()).expect("UTF-8 file name")
}

/// Errors `neq check` should report for a corpus file.
fn expected_errors(name: &str) -> usize {
    match name {
        "two_errors" => 2,
        _ if name.starts_with("ok_") => 0,
        _ => 1,
    }
}

#[test]
fn every_corpus_file_says_what_is_wrong_with_it() {
    let paths = corpus();
    assert!(paths.len() >= 25, "the corpus has {} files", paths.len());
    let helpers = std::fs::read_dir(root().join("tests/invalid/includes")).expect("includes/");
    for path in paths.iter().cloned().chain(helpers.map(|e| e.expect("entry").path())) {
        let text = std::fs::read_to_string(&path).expect("readable corpus file");
        assert!(text.starts_with("# "), "{} must begin with a `#` comment", path.display());
    }
}

#[test]
fn invalid_pipelines_exit_1_with_a_snapshot_of_their_diagnostics() {
    for path in corpus() {
        let name = stem(&path);
        let relative = format!("tests/invalid/{name}.neq");
        let outcome = neq(&["check", &relative]);
        let errors = expected_errors(name);
        if errors == 0 {
            outcome.assert_code(0);
            assert_eq!(outcome.stderr, "ok: 1 file checked\n", "{name}");
            continue;
        }
        outcome.assert_code(1);
        let plural = if errors == 1 { "" } else { "s" };
        let summary = format!("error: {errors} error{plural} found\n");
        assert!(outcome.stderr.ends_with(&summary), "{name}:\n{}", outcome.stderr);
        assert_eq!(outcome.stdout, "", "{name}: diagnostics go to stderr");
        insta::with_settings!({
            snapshot_path => root().join("tests/invalid/snapshots"),
            prepend_module_to_snapshot => false,
            input_file => &path,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, outcome.stderr);
        });
    }
}

#[test]
fn invalid_pipelines_give_the_same_errors_as_json() {
    for path in corpus() {
        let name = stem(&path);
        let relative = format!("tests/invalid/{name}.neq");
        let outcome = neq(&["check", "--format", "json", &relative]);
        let errors = expected_errors(name);
        outcome.assert_code(if errors == 0 { 0 } else { 1 });
        let items: Vec<serde_json::Value> = serde_json::from_str(&outcome.stdout)
            .unwrap_or_else(|e| panic!("{name}: not a JSON array ({e}):\n{}", outcome.stdout));
        let found = items.iter().filter(|d| d["severity"] == "error").count();
        assert_eq!(found, errors, "{name}: {items:#?}");
        for item in &items {
            let file = item["file"].as_str().unwrap_or_else(|| panic!("{name}: no file"));
            assert!(file.starts_with("tests/invalid/"), "{name}: {file}");
            assert!(item["start"]["line"].as_u64().is_some_and(|l| l >= 1), "{name}: {item}");
            assert!(!item["message"].as_str().unwrap_or("").is_empty(), "{name}: {item}");
        }
        assert_eq!(outcome.stderr, "", "{name}: JSON mode prints nothing else");
    }
}
