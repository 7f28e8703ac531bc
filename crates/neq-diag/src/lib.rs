//! Source files, spans and diagnostics.
//!
//! Every phase of neq that reads user text reports problems as [`Diagnostic`] values: data with
//! a severity, a message, labelled [`Span`]s and hints. They are rendered once for terminals
//! ([`render_terminal`], rustc-style with a caret under the offending text) and once as JSON
//! ([`render_json`]) for editors and scripts. Nothing here knows about the language itself.

mod excerpt;
mod render;
mod source;

pub use render::{JsonDiagnostic, render_json, render_terminal};
pub use source::{FileId, LineCol, SourceFile, SourceMap, Span};

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something worth knowing that does not stop the pipeline.
    Warning,
    /// The pipeline cannot run.
    Error,
}

/// A span with an optional message, drawn under the source text.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    /// The text the label points at.
    pub span: Span,
    /// What to say about it; may be empty.
    pub message: String,
    /// The primary label carries the caret; secondary labels add context.
    pub primary: bool,
}

/// One problem found in a pipeline, with everything needed to render it.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// One line saying what is wrong.
    pub message: String,
    /// Where it is wrong; the first primary label gives the reported position.
    pub labels: Vec<Label>,
    /// What to do about it ("did you mean `dt`?").
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// An error with a primary label at `span`.
    pub fn error(span: Span, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, span, message)
    }

    /// A warning with a primary label at `span`.
    pub fn warning(span: Span, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, span, message)
    }

    fn new(severity: Severity, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            message: message.into(),
            labels: vec![Label { span, message: String::new(), primary: true }],
            hints: Vec::new(),
        }
    }

    /// Sets the message drawn under the primary caret.
    pub fn with_label_message(mut self, message: impl Into<String>) -> Self {
        if let Some(label) = self.labels.iter_mut().find(|l| l.primary) {
            label.message = message.into();
        }
        self
    }

    /// Adds a secondary label, e.g. where a name was first declared.
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label { span, message: message.into(), primary: false });
        self
    }

    /// Adds a hint line.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// The span of the primary label, if any.
    pub fn primary_span(&self) -> Option<Span> {
        self.labels.iter().find(|l| l.primary).map(|l| l.span)
    }

    /// Whether this diagnostic stops the pipeline.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The closest candidate to `word` by edit distance, for "did you mean" hints.
///
/// Returns `None` when nothing is close enough to be a plausible typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = edit_distance(word, candidate);
        let limit = (word.chars().count().max(candidate.chars().count()) / 3).max(1);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance between two strings, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos_but_not_strangers() {
        let params = ["dt", "kT", "gamma", "particles", "init"];
        assert_eq!(closest("dtt", params), Some("dt"));
        assert_eq!(closest("particle", params), Some("particles"));
        assert_eq!(closest("gama", params), Some("gamma"));
        assert_eq!(closest("temperature", params), None);
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
