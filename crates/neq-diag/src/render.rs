//! Rendering diagnostics: rustc-style text for terminals and JSON for tools.

use codespan_reporting::diagnostic as cs;
use codespan_reporting::term::{self, Chars, Config};

use crate::excerpt::Excerpts;
use crate::{Diagnostic, LineCol, Severity, SourceMap};

/// Renders diagnostics as plain rustc-style text:
///
/// ```text
/// error: unknown parameter `dtt` of sampler `langevin`
///   --> pipeline.neq:3:27
///    |
///  3 | sampler sim = langevin(p, dtt: 1e-3)
///    |                           ^^^
///    = hint: did you mean `dt`?
/// ```
///
/// Control characters in the source are shown as `?`, and a line too long to read only
/// around the labels, with `...` where text is left out; positions stay those of the file.
pub fn render_terminal(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut files = Excerpts::new(sources);
    let config = Config { chars: Chars::ascii(), ..Config::default() };
    let mut out = String::new();
    for diagnostic in diagnostics {
        let spans: Vec<_> =
            diagnostic.labels.iter().map(|l| (l.span.file, l.span.start..l.span.end)).collect();
        files.focus(&spans);
        let rendered = term::emit_into_string(&config, &files, &to_codespan(diagnostic, &files))
            .unwrap_or_else(|_| format!("{}: {}\n", severity_word(diagnostic), diagnostic.message));
        out.push_str(&rendered);
    }
    out
}

fn severity_word(diagnostic: &Diagnostic) -> &'static str {
    match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn to_codespan(diagnostic: &Diagnostic, files: &Excerpts<'_>) -> cs::Diagnostic<usize> {
    let severity = match diagnostic.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let labels = diagnostic
        .labels
        .iter()
        .map(|label| {
            let style =
                if label.primary { cs::LabelStyle::Primary } else { cs::LabelStyle::Secondary };
            let range = files.shown_range(label.span.file, label.span.start..label.span.end);
            cs::Label::new(style, label.span.file.0 as usize, range)
                .with_message(label.message.clone())
        })
        .collect();
    cs::Diagnostic::new(severity)
        .with_message(diagnostic.message.clone())
        .with_labels(labels)
        .with_notes(diagnostic.hints.iter().map(|h| format!("hint: {h}")).collect())
}

/// The JSON form of one diagnostic, as printed by `neq check --format json`.
#[derive(Debug, serde::Serialize)]
pub struct JsonDiagnostic {
    /// `"error"` or `"warning"`.
    pub severity: Severity,
    /// One line saying what is wrong.
    pub message: String,
    /// The file of the primary label.
    pub file: Option<String>,
    /// Where the primary label starts.
    pub start: Option<LineCol>,
    /// Where the primary label ends.
    pub end: Option<LineCol>,
    /// Every label with its position and message.
    pub labels: Vec<JsonLabel>,
    /// What to do about it.
    pub hints: Vec<String>,
}

/// One label of a [`JsonDiagnostic`].
#[derive(Debug, serde::Serialize)]
pub struct JsonLabel {
    /// File name.
    pub file: String,
    /// Byte offsets `[start, end)` in the file.
    pub bytes: [usize; 2],
    /// Where the label starts.
    pub start: LineCol,
    /// Where the label ends.
    pub end: LineCol,
    /// What the label says.
    pub message: String,
    /// Whether this is the primary label.
    pub primary: bool,
}

/// Renders diagnostics as a JSON array (pretty-printed, one object per diagnostic).
pub fn render_json(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let items: Vec<JsonDiagnostic> = diagnostics
        .iter()
        .map(|d| {
            let labels: Vec<JsonLabel> = d
                .labels
                .iter()
                .map(|l| {
                    let file = sources.get(l.span.file);
                    JsonLabel {
                        file: file.name.clone(),
                        bytes: [l.span.start, l.span.end],
                        start: file.line_col(l.span.start),
                        end: file.line_col(l.span.end),
                        message: l.message.clone(),
                        primary: l.primary,
                    }
                })
                .collect();
            let primary = labels.iter().find(|l| l.primary);
            JsonDiagnostic {
                severity: d.severity,
                message: d.message.clone(),
                file: primary.map(|l| l.file.clone()),
                start: primary.map(|l| l.start),
                end: primary.map(|l| l.end),
                labels,
                hints: d.hints.clone(),
            }
        })
        .collect();
    serde_json::to_string_pretty(&items).expect("diagnostics serialise")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Span;

    #[test]
    fn terminal_rendering_points_at_the_text() {
        let mut sources = SourceMap::new();
        let file = sources.add("p.neq", "sampler s = langevin(v, dtt: 1)\n");
        let diagnostic = Diagnostic::error(Span::new(file, 24, 27), "unknown parameter `dtt`")
            .with_hint("did you mean `dt`?");
        let text = render_terminal(&sources, std::slice::from_ref(&diagnostic));
        assert!(text.contains("p.neq:1:25"), "{text}");
        assert!(text.contains("^^^"), "{text}");
        assert!(text.contains("hint: did you mean `dt`?"), "{text}");

        let json = render_json(&sources, &[diagnostic]);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value[0]["start"]["line"], 1);
        assert_eq!(value[0]["start"]["column"], 25);
        assert_eq!(value[0]["severity"], "error");
    }

    #[test]
    fn a_huge_line_is_shown_around_the_caret_at_its_true_column() {
        let mut sources = SourceMap::new();
        let line = format!("x = {}$\u{1b}[2J", "1 + ".repeat(500_000));
        let at = line.find('$').unwrap();
        let file = sources.add("p.neq", line.as_str());
        let diagnostic = Diagnostic::error(Span::new(file, at, at + 1), "unexpected `$`");
        let text = render_terminal(&sources, &[diagnostic]);
        assert!(text.len() < 1000, "{} bytes", text.len());
        assert!(text.contains(&format!("p.neq:1:{}", at + 1)), "{text}");
        assert!(text.contains("| ...") && text.contains("1 + 1 + $?[2J"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
    }
}
