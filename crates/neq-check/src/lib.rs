//! Checking a pipeline: from syntax trees to a typed, resolved, built [`Pipeline`].
//!
//! [`check`] reads the root file and its includes, collects declarations from all of them,
//! orders them by dependency (reporting cycles), and evaluates each one against the
//! [`Registry`]: names, parameters, types, bounds and dimensions. It reports every problem it
//! can find, not only the first, and builds nothing that would run if any error was found.

mod args;
mod checker;
mod init;
mod load;
mod lower;
mod pipeline;
mod reference;
mod scope;

use std::collections::HashSet;
use std::path::Path;

use neq_core::Registry;
use neq_diag::{Diagnostic, SourceMap, Span};
use neq_syntax::ast::{Category, ItemKind};

pub use init::INIT_FORMS;
pub use load::UnreadableRoot;
pub use lower::FUNCTIONS;
pub use pipeline::{DeclInfo, MetricNode, Pipeline, Record, SamplerNode};
pub use reference::{BEGIN_MARKER, END_MARKER, kinds_text, reference_markdown};
pub use scope::{DeclKind, RESERVED};

use checker::Checker;

/// Largest number of recorded frames.
const MAX_FRAMES: f64 = 1e7;

/// Options that change what is checked.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    /// `--set NAME=VALUE` overrides of constants, in order.
    pub overrides: Vec<(String, String)>,
}

/// The outcome of checking: the pipeline if it is valid, and every diagnostic (warnings
/// included) in source order.
pub struct Checked {
    /// The pipeline, when there was no error.
    pub pipeline: Option<Pipeline>,
    /// Errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks the pipeline in the file `root`.
pub fn check(
    root: &Path,
    options: &CheckOptions,
    registry: &Registry,
    sources: &mut SourceMap,
) -> Result<Checked, UnreadableRoot> {
    let loaded = load::load(root, sources)?;
    Ok(check_loaded(loaded, options, registry, sources))
}

/// Checks a pipeline given as text (for tests and tools).
pub fn check_text(
    name: &str,
    text: &str,
    options: &CheckOptions,
    registry: &Registry,
    sources: &mut SourceMap,
) -> Checked {
    let loaded = load::load_text(name, text, sources);
    check_loaded(loaded, options, registry, sources)
}

fn check_loaded(
    mut loaded: load::Loaded,
    options: &CheckOptions,
    registry: &Registry,
    sources: &mut SourceMap,
) -> Checked {
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        // Declarations of a file that did not parse are incomplete; checking them would
        // report follow-on errors that mislead.
        return Checked { pipeline: None, diagnostics };
    }
    apply_overrides(&mut loaded, options, sources, &mut diagnostics);
    let scope = scope::collect(&loaded.asts, &mut diagnostics);
    let (order, edges) = scope::order(&scope, &mut diagnostics);

    let mut checker = Checker::new(registry, &scope);
    checker.run(&order);
    // Declared, not built: a sampler that failed to build still needs a `record` line.
    let has_work = scope
        .decls
        .iter()
        .any(|d| matches!(d.kind, DeclKind::Object(Category::Sampler | Category::Metric)));
    let record = record(&mut checker, &scope, end_of_root(&loaded, sources), has_work);
    let seed = seed(&mut checker, &scope);
    if !has_work && !checker.has_errors() {
        let span =
            loaded.asts.first().map_or_else(Default::default, |ast| Span::new(ast.file, 0, 0));
        checker.report(
            Diagnostic::error(
                span,
                "this pipeline declares no sampler and no metric: there is nothing to run",
            )
            .with_hint("declare a sampler (`sampler sim = langevin(…)`) and a metric reading it"),
        );
    }
    warn_unused(&mut checker, &scope, &edges);

    let constants = scope
        .decls
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == DeclKind::Const)
        .filter_map(|(i, d)| match checker.values.get(&i) {
            Some(lower::Sym::Field(node)) => {
                checker.graph.constant_value(*node).map(|v| (d.name.clone(), v))
            }
            _ => None,
        })
        .collect();
    let decls = scope
        .decls
        .iter()
        .enumerate()
        .map(|(i, d)| DeclInfo {
            name: d.name.clone(),
            kind: d.kind,
            kind_name: checker.kinds.get(&i).copied(),
            span: d.name_span,
        })
        .collect();
    // Duplicates, cycles and `--set` mistakes are reported before the checker runs.
    let failed = checker.has_errors() || diagnostics.iter().any(Diagnostic::is_error);
    let samplers = std::mem::take(&mut checker.samplers);
    let metrics = std::mem::take(&mut checker.metrics);
    diagnostics.extend(checker.into_diagnostics());
    diagnostics.sort_by_key(|d| d.primary_span().map(|s| (s.file, s.start)));
    let pipeline = match (failed, record, seed) {
        (false, Some(record), Some(seed)) => Some(Pipeline {
            seed,
            record,
            samplers,
            metrics,
            decls,
            edges,
            constants,
            source: loaded.root_bytes,
        }),
        _ => None,
    };
    Checked { pipeline, diagnostics }
}

fn apply_overrides(
    loaded: &mut load::Loaded,
    options: &CheckOptions,
    sources: &mut SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (name, value) in &options.overrides {
        let text = format!("{name} = {value}");
        let mut parsed = load::load_text(&format!("--set {name}={value}"), &text, sources);
        if parsed.diagnostics.iter().any(Diagnostic::is_error) {
            diagnostics.append(&mut parsed.diagnostics);
            continue;
        }
        let Some(ItemKind::Const { value: new_value, name: set_name }) =
            parsed.asts.first().and_then(|ast| ast.items.first()).map(|item| item.kind.clone())
        else {
            continue;
        };
        let mut found = false;
        for item in loaded.asts.iter_mut().flat_map(|ast| ast.items.iter_mut()) {
            if let ItemKind::Const { name: declared, value } = &mut item.kind
                && declared.name == *name
            {
                *value = new_value.clone();
                found = true;
            }
        }
        if !found {
            let constants =
                loaded.asts.iter().flat_map(|a| &a.items).filter_map(|item| match &item.kind {
                    ItemKind::Const { name, .. } => Some(name.name.as_str()),
                    _ => None,
                });
            let mut diagnostic = Diagnostic::error(
                set_name.span,
                format!("`--set {name}`: the pipeline has no constant `{name}`"),
            );
            if let Some(near) = neq_diag::closest(name, constants) {
                diagnostic = diagnostic.with_hint(format!("did you mean `{near}`?"));
            } else {
                diagnostic =
                    diagnostic.with_hint("only constants (`name = value` lines) can be set");
            }
            diagnostics.push(diagnostic);
        }
    }
}

fn record(
    checker: &mut Checker<'_>,
    scope: &scope::Scope,
    end_of_root: Span,
    has_work: bool,
) -> Option<Record> {
    let Some((every, until, span)) = scope.records.first() else {
        if !has_work {
            return None; // Reported as "nothing to run".
        }
        checker.report(
            Diagnostic::error(
                end_of_root,
                "missing `record every … until …`: neq does not know when to record frames",
            )
            .with_label_message("expected a `record` line in this file")
            .with_hint("add a line such as `record every 0.02 until 20`"),
        );
        return None;
    };
    for (_, _, again) in &scope.records[1..] {
        checker.report(
            Diagnostic::error(*again, "`record` is given more than once")
                .with_secondary(*span, "first given here"),
        );
    }
    let hint = Some(
        "frames are recorded at t = 0, every, 2·every, … up to until, \
         e.g. `record every 0.02 until 20`",
    );
    let every_value = checker.bounded_number(every, neq_core::Bound::Positive, "`every`", hint);
    let until_value = checker.bounded_number(until, neq_core::Bound::Positive, "`until`", hint);
    let (every_value, until_value) = (every_value.ok()?, until_value.ok()?);
    if until_value < every_value {
        checker.report(Diagnostic::error(
            until.span,
            format!("`until` ({until_value}) is shorter than one interval `every` ({every_value})"),
        ));
        return None;
    }
    if until_value / every_value > MAX_FRAMES {
        checker.report(
            Diagnostic::error(
                *span,
                format!(
                    "this records {:.3e} frames; at most {MAX_FRAMES:e} are allowed",
                    until_value / every_value
                ),
            )
            .with_hint("record less often"),
        );
        return None;
    }
    Some(Record { every: every_value, until: until_value })
}

/// The end of the last line of text in the root file: where a missing statement would go.
fn end_of_root(loaded: &load::Loaded, sources: &SourceMap) -> Span {
    loaded.asts.first().map_or_else(Default::default, |ast| {
        let end = sources.get(ast.file).text.trim_end().len();
        Span::new(ast.file, end, end)
    })
}

fn seed(checker: &mut Checker<'_>, scope: &scope::Scope) -> Option<u64> {
    let Some(index) = scope.lookup("seed") else { return Some(0) };
    checker.used.insert(index);
    let decl = &scope.decls[index];
    if decl.kind != DeclKind::Const {
        checker.report(Diagnostic::error(decl.name_span, "`seed` must be a constant whole number"));
        return None;
    }
    let value = match checker.values.get(&index) {
        Some(lower::Sym::Field(node)) => checker.graph.constant_value(*node)?,
        _ => return None,
    };
    if value < 0.0 || value.fract() != 0.0 || value >= 2f64.powi(53) {
        checker.report(
            Diagnostic::error(
                decl.value.span,
                format!("`seed` must be a whole number from 0 to 2^53, found {value}"),
            )
            .with_hint("any whole number works, e.g. `seed = 7`"),
        );
        return None;
    }
    Some(value as u64)
}

/// Warns about declarations nothing refers to. A name written in a declaration that failed
/// or is part of a cycle counts as used: the error said enough about that declaration.
fn warn_unused(checker: &mut Checker<'_>, scope: &scope::Scope, edges: &[(usize, usize)]) {
    let referenced: HashSet<usize> = edges.iter().map(|&(used, _)| used).collect();
    for (i, decl) in scope.decls.iter().enumerate() {
        let consumed = matches!(decl.kind, DeclKind::Object(Category::Metric | Category::Sampler))
            || checker.used.contains(&i)
            || referenced.contains(&i);
        if !consumed {
            checker.report(
                Diagnostic::warning(
                    decl.name_span,
                    format!("{} `{}` is never used", decl.kind.noun(), decl.name),
                )
                .with_hint("remove it, or use it in a declaration"),
            );
        }
    }
}
