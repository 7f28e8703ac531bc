//! The registry rendered for people: `neq kinds` text and the generated part of
//! `docs/language.md`.

use std::fmt::Write;

use neq_core::{Category, KindSpec, ParamDefault, ParamSpec, Registry};

use crate::init::INIT_FORMS;
use crate::lower::FUNCTIONS;

/// Marks the start of the generated section in `docs/language.md`.
pub const BEGIN_MARKER: &str = "<!-- BEGIN GENERATED: neq kinds --markdown -->";
/// Marks the end of the generated section in `docs/language.md`.
pub const END_MARKER: &str = "<!-- END GENERATED -->";

fn default_text(param: &ParamSpec) -> String {
    match param.default {
        ParamDefault::Required => "required".into(),
        ParamDefault::Optional => "optional".into(),
        ParamDefault::Number(v) => format!("{v}"),
        ParamDefault::Word(w) => w.into(),
    }
}

fn signature(kind: &KindSpec) -> String {
    let params: Vec<String> = kind
        .params
        .iter()
        .enumerate()
        .map(
            |(i, p)| {
                if i < kind.positional { p.name.to_owned() } else { format!("{}: …", p.name) }
            },
        )
        .collect();
    format!("{}({})", kind.name, params.join(", "))
}

/// Every kind with its parameters, as plain text for `neq kinds`.
pub fn kinds_text(registry: &Registry) -> String {
    let mut out = String::new();
    for category in Category::ALL {
        let kinds: Vec<&KindSpec> = registry.of(category).collect();
        if kinds.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{category} kinds:");
        for kind in kinds {
            let summary = kind.doc.split(". ").next().unwrap_or(kind.doc).trim_end_matches('.');
            let _ = writeln!(out, "  {}\n      {summary}.", signature(kind));
            for param in kind.params {
                let unit = if param.unit.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", param.unit)
                };
                let _ = writeln!(
                    out,
                    "      {:<12} {} (default: {}){unit}: {}",
                    param.name,
                    param.ty.describe(),
                    default_text(param),
                    param.doc
                );
            }
            if !kind.columns.is_empty() {
                let columns: Vec<&str> = kind.columns.iter().map(|c| c.name).collect();
                let _ = writeln!(out, "      columns: {}", columns.join(", "));
            }
        }
        out.push('\n');
    }
    out
}

/// The reference section of `docs/language.md`, generated from the registry.
pub fn reference_markdown(registry: &Registry) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{BEGIN_MARKER}\n");
    let _ = writeln!(out, "### Functions\n");
    let functions: Vec<String> = FUNCTIONS
        .iter()
        .map(|(name, arity)| {
            let args = if *arity == 1 { "a" } else { "a, b" };
            format!("`{name}({args})`")
        })
        .collect();
    let _ = writeln!(out, "{}\n", functions.join(", "));
    let _ = writeln!(out, "### Initial conditions\n");
    for (form, doc) in INIT_FORMS {
        let _ = writeln!(out, "- `{form}`: {doc}");
    }
    out.push('\n');
    for category in Category::ALL {
        let kinds: Vec<&KindSpec> = registry.of(category).collect();
        if kinds.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {} kinds\n", capitalised(category.keyword()));
        for kind in kinds {
            let _ = writeln!(out, "#### `{}`\n\n{}\n", signature(kind), kind.doc);
            if !kind.params.is_empty() {
                let _ = writeln!(
                    out,
                    "| parameter | type | default | unit | meaning |\n|---|---|---|---|---|"
                );
                for param in kind.params {
                    let _ = writeln!(
                        out,
                        "| `{}` | {} | {} | {} | {} |",
                        param.name,
                        param.ty.describe(),
                        default_text(param),
                        if param.unit.is_empty() { "–" } else { param.unit },
                        param.doc
                    );
                }
                out.push('\n');
            }
            if !kind.columns.is_empty() {
                let _ =
                    writeln!(out, "Table columns:\n\n| column | type | meaning |\n|---|---|---|");
                for column in kind.columns {
                    let _ = writeln!(
                        out,
                        "| `{}` | {} | {} |",
                        column.name,
                        column.ty.name(),
                        column.doc
                    );
                }
                out.push('\n');
            }
        }
    }
    let _ = writeln!(out, "{END_MARKER}");
    out
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
