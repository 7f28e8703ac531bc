//! Regression tests of the checker, each named by the bug it keeps fixed: pipelines given as
//! text, checked against the built-in kinds, and judged by their diagnostics.

use neq_check::{CheckOptions, Checked, check_text};
use neq_diag::{Diagnostic, SourceMap};

const SAMPLER: &str = "sampler s = langevin(p, particles: 10, dt: 1e-3, init: point(0))";

fn check(text: &str) -> Checked {
    let registry = neq_kinds::builtin_registry();
    let mut sources = SourceMap::new();
    check_text("p.neq", text, &CheckOptions::default(), &registry, &mut sources)
}

/// A pipeline around `lines`: a potential `p`, a sampler `s` and a metric, unless `lines`
/// declares them.
fn pipeline(lines: &str) -> String {
    let mut text = String::from(lines);
    if !lines.contains("potential p ") {
        text.push_str("\npotential p = double_well()");
    }
    if !lines.contains("sampler s ") {
        text.push('\n');
        text.push_str(SAMPLER);
    }
    text.push_str("\nmetric m = moments(s)\nrecord every 0.1 until 1\n");
    text
}

fn messages(checked: &Checked) -> Vec<&str> {
    checked.diagnostics.iter().map(|d| d.message.as_str()).collect()
}

fn errors(checked: &Checked) -> Vec<&Diagnostic> {
    checked.diagnostics.iter().filter(|d| d.is_error()).collect()
}

#[test]
fn the_shipped_form_of_the_test_pipeline_checks() {
    let checked = check(&pipeline(""));
    assert!(checked.pipeline.is_some(), "{:#?}", checked.diagnostics);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
}

#[test]
fn a_duplicate_declaration_makes_the_pipeline_invalid() {
    let checked = check(&pipeline("potential p = prinz()\npotential p = double_well()"));
    assert_eq!(messages(&checked), ["`p` is declared twice"]);
    assert!(checked.pipeline.is_none(), "an error was reported, so nothing may run");
}

#[test]
fn a_cycle_makes_the_pipeline_invalid_without_unused_warnings() {
    let checked = check(&pipeline("a = b + 1\nb = a * 2\npotential p = double_well(barrier: a)"));
    assert_eq!(
        messages(&checked),
        ["declarations refer to each other in a cycle: `a` → `b` → `a`"]
    );
    assert!(checked.pipeline.is_none());
}

#[test]
fn a_cycle_is_named_in_the_order_of_its_uses() {
    // `a` uses `c`, `c` uses `b`, `b` uses `a`: source order would read the wrong way round.
    let checked =
        check(&pipeline("a = c + 1\nb = a * 2\nc = b\npotential p = double_well(barrier: a)"));
    assert_eq!(
        messages(&checked),
        ["declarations refer to each other in a cycle: `a` → `c` → `b` → `a`"]
    );
}

#[test]
fn a_self_reference_is_a_cycle_of_one() {
    let checked = check(&pipeline("a = a + 1\npotential p = double_well(barrier: a)"));
    assert_eq!(messages(&checked), ["`a` refers to itself"]);
    assert!(checked.pipeline.is_none());
}

#[test]
fn a_chain_of_100_000_declarations_does_not_overflow_the_stack() {
    let mut text = String::from("a0 = 1\n");
    for i in 1..100_000 {
        text.push_str(&format!("a{i} = a{} + 1\n", i - 1));
    }
    text.push_str("potential p = double_well(barrier: a99999 / 1e5)");
    // The default 2 MiB of a test thread is less than a program's main thread gets.
    let checked = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || check(&pipeline(&text)).pipeline.is_some())
        .expect("thread starts")
        .join()
        .expect("no stack overflow");
    assert!(checked);
}

#[test]
fn a_misspelt_parameter_is_one_error_not_also_a_missing_one() {
    let checked =
        check(&pipeline("sampler s = langevin(p, particles: 10, dtt: 1e-3, init: point(0))"));
    assert_eq!(messages(&checked), ["unknown parameter `dtt` of sampler `langevin`"]);
    assert_eq!(checked.diagnostics[0].hints, ["did you mean `dt`?"]);
}

#[test]
fn a_misspelt_parameter_does_not_hide_another_missing_one() {
    let checked = check(&pipeline("sampler s = langevin(p, dtt: 1e-3, init: point(0))"));
    assert_eq!(
        messages(&checked),
        [
            "missing parameter `particles` of sampler `langevin`",
            "unknown parameter `dtt` of sampler `langevin`"
        ]
    );
}

#[test]
fn an_unnamed_argument_after_a_named_one_is_reported_as_such() {
    let checked =
        check(&pipeline("sampler s = langevin(potential: p, 10, dt: 1e-3, init: point(0))"));
    assert_eq!(messages(&checked), ["unnamed argument after a named one"]);
    assert!(checked.diagnostics[0].hints[0].contains("name it"));
}

#[test]
fn bounds_name_the_parameter_they_belong_to() {
    let checked = check(&pipeline(
        "sampler s = langevin(p, particles: 1.5, dt: -1, init: gaussian(0, std: 0))",
    ));
    assert_eq!(
        messages(&checked),
        [
            "`particles` must be a whole number of at least 1, but is 1.5",
            "`dt` must be greater than 0, but is -1",
            "`std` must be greater than 0, but is 0",
        ]
    );
    let checked =
        check(&pipeline("sampler s = langevin(p, particles: 1e11, dt: 1, init: point(0))"));
    assert_eq!(messages(&checked), ["`particles` must be at most 1e10, but is 100000000000"]);
}

#[test]
fn record_bounds_name_every_and_until() {
    let text = pipeline("").replace("record every 0.1 until 1", "record every 0 until -1");
    assert_eq!(
        messages(&check(&text)),
        ["`every` must be greater than 0, but is 0", "`until` must be greater than 0, but is -1"]
    );
}

#[test]
fn a_missing_record_is_reported_even_when_the_sampler_fails() {
    let text = format!("potential p = double_well()\n{SAMPLER}\n").replace("10", "0");
    let checked = check(&text);
    let found = messages(&checked);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("`particles` must be"), "{found:?}");
    assert!(found[1].starts_with("missing `record every … until …`"), "{found:?}");
    // The caret is where the line is missing: after the last line of the file.
    let end = text.trim_end().len();
    assert_eq!(checked.diagnostics[1].primary_span().map(|s| s.start), Some(end));
}

#[test]
fn a_name_suggested_for_a_typo_is_not_also_unused() {
    let checked = check(&pipeline(
        "barrier = 2
potential p = double_well(barrier: barier)",
    ));
    assert_eq!(messages(&checked), ["unknown name `barier`"]);
    assert_eq!(checked.diagnostics[0].hints, ["did you mean `barrier`?"]);
}

#[test]
fn a_failed_user_does_not_make_its_inputs_unused() {
    let checked = check(&pipeline(
        "kT = 2\nsampler s = langevn(p, particles: 10, dt: 1e-3, kT: kT, init: point(0))",
    ));
    assert_eq!(messages(&checked), ["unknown sampler kind `langevn`"]);
    assert_eq!(errors(&checked).len(), 1);
}

#[test]
fn names_resolve_in_any_order() {
    let text = "metric m = moments(s)\nrecord every 0.1 until 1\n\
                sampler s = langevin(p, particles: 10, dt: 1e-3, kT: kT, init: point(0))\n\
                potential p = double_well(barrier: b)\nb = 2 * kT\nkT = 0.5\n";
    let checked = check(text);
    assert!(checked.pipeline.is_some(), "{:#?}", checked.diagnostics);
}
