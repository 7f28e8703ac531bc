//! Command lines that are wrong exit 2 with clap's message; `--set` of something the
//! pipeline does not have is a mistake in the pipeline's terms and exits 1.

use crate::common::neq;

const PIPELINE: &str = "pipelines/prinz_tilt.neq";

#[test]
fn usage_errors_exit_2() {
    for (args, says) in [
        (&["check", "--bogus", PIPELINE][..], "unexpected argument '--bogus'"),
        (&["frobnicate"], "unrecognized subcommand 'frobnicate'"),
        (&[], "Usage: neq"),
        (&["check"], "required arguments were not provided"),
        (&["run", PIPELINE, "--threads", "0"], "0 is not in 1..=1024"),
        (&["run", PIPELINE, "--threads", "many"], "invalid value 'many'"),
        (&["check", "--set", "kT", PIPELINE], "expected NAME=VALUE, found `kT`"),
        (&["check", "--set", "kT=", PIPELINE], "expected NAME=VALUE, found `kT=`"),
        (&["check", "--set", "=1", PIPELINE], "expected NAME=VALUE, found `=1`"),
        (&["check", "--format", "xml", PIPELINE], "invalid value 'xml'"),
    ] {
        let outcome = neq(args);
        outcome.assert_code(2);
        assert!(outcome.stderr.contains(says), "{args:?}:\n{}", outcome.stderr);
    }
}

#[test]
fn help_and_version_exit_0() {
    for args in [&["--help"][..], &["--version"], &["check", "--help"]] {
        let outcome = neq(args);
        outcome.assert_code(0);
        assert!(!outcome.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn setting_a_constant_the_pipeline_lacks_is_an_error_with_a_hint() {
    let outcome = neq(&["check", "--set", "kt=2", PIPELINE]);
    outcome.assert_code(1);
    insta::assert_snapshot!(outcome.stderr);
}

#[test]
fn a_set_value_that_is_not_an_expression_points_into_the_flag() {
    let outcome = neq(&["check", "--set", "kT=(1", PIPELINE]);
    outcome.assert_code(1);
    insta::assert_snapshot!(outcome.stderr);
}

#[test]
fn a_set_value_out_of_bounds_points_at_its_uses() {
    let outcome = neq(&["check", "--set", "kT=-1", PIPELINE]);
    outcome.assert_code(1);
    assert!(
        outcome.stderr.contains("`kT` must be greater than 0, but is -1"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn a_valid_set_checks() {
    neq(&["check", "--set", "kT=0.5", "--set", "strength=1", PIPELINE]).assert_code(0);
}
