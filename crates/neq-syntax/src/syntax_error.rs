//! Turning pest's errors into diagnostics a person can act on.
//!
//! Pest reports the offset where parsing got furthest and the rules it tried there. This
//! module names those rules ("`=`", "an expression"), drops the ones that are always possible
//! and so say nothing (an operator may follow any operand), describes what was found instead
//! ("`)`", "end of line") and recognises common mistakes to word them directly: a keyword
//! used as a name, an unclosed or unmatched bracket, an unterminated string, `.5`, `2x`.

use std::collections::BTreeSet;

use neq_diag::{Diagnostic, FileId, Span};
use pest::error::{Error, ErrorVariant, InputLocation};

use crate::grammar::Rule;
use crate::scan::{CATEGORIES, KEYWORDS, Scan, identifier_len, line_end, string_end};

/// What the parser could have accepted at the error, in the order messages list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Expected {
    Statement,
    Name,
    Equals,
    Every,
    Until,
    Str,
    Expr,
    Comma,
    RParen,
    RBracket,
    End,
    // Always possible after an operand or a name, so worth mentioning only when nothing
    // else was expected.
    LParen,
    Colon,
    Operator,
    Range,
}

impl Expected {
    fn describe(self) -> &'static str {
        match self {
            Expected::Statement => "a statement",
            Expected::Name => "a name",
            Expected::Equals => "`=`",
            Expected::Every => "`every`",
            Expected::Until => "`until`",
            Expected::Str => "a string",
            Expected::Expr => "an expression",
            Expected::Comma => "`,`",
            Expected::RParen => "`)`",
            Expected::RBracket => "`]`",
            Expected::End => "the end of the statement",
            Expected::LParen => "`(`",
            Expected::Colon => "`:`",
            Expected::Operator => "an operator",
            Expected::Range => "`..`",
        }
    }

    fn is_noise(self) -> bool {
        self >= Expected::LParen
    }
}

/// The rules pest tried, named and filtered.
fn expected(positives: &[Rule]) -> Vec<Expected> {
    let operand = positives.iter().any(|r| matches!(r, Rule::expr | Rule::number | Rule::arg));
    let mut set = BTreeSet::new();
    for rule in positives {
        let expected = match rule {
            Rule::file
            | Rule::statements
            | Rule::record
            | Rule::include
            | Rule::declaration
            | Rule::constant
            | Rule::category
            | Rule::kw_record
            | Rule::kw_include => Expected::Statement,
            Rule::name | Rule::string | Rule::lparen if operand => Expected::Expr,
            Rule::name => Expected::Name,
            Rule::string => Expected::Str,
            Rule::lparen => Expected::LParen,
            Rule::expr
            | Rule::arg
            | Rule::arg_name
            | Rule::number
            | Rule::neg
            | Rule::lbracket
            | Rule::paren
            | Rule::call
            | Rule::list => Expected::Expr,
            Rule::equals => Expected::Equals,
            Rule::kw_every => Expected::Every,
            Rule::kw_until => Expected::Until,
            Rule::comma => Expected::Comma,
            Rule::colon => Expected::Colon,
            Rule::rparen => Expected::RParen,
            Rule::rbracket => Expected::RBracket,
            Rule::EOI | Rule::line_end | Rule::semicolon => Expected::End,
            Rule::operator => Expected::Operator,
            Rule::range_op => Expected::Range,
            _ => continue,
        };
        set.insert(expected);
    }
    if set.iter().any(|e| !e.is_noise()) {
        set.retain(|e| !e.is_noise());
    }
    set.into_iter().collect()
}

/// "a", "a or b", "a, b or c".
fn list(expected: &[Expected]) -> String {
    let words: Vec<&str> = expected.iter().map(|e| e.describe()).collect();
    match words.as_slice() {
        [] => "something else".to_owned(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// What stands in the source where the parser stopped.
#[derive(Debug)]
enum Found {
    EndOfFile,
    EndOfLine,
    Word { keyword: bool },
    Number,
    Quote,
    Symbol,
    Unknown,
}

/// Tokens longer than this are cut short in messages.
const SHOWN: usize = 32;

/// Describes the token at `at`: its kind, its span and how a message names it.
fn found(source: &str, file: FileId, at: usize) -> (Found, Span, String) {
    let rest = source.get(at..).unwrap_or("");
    let bytes = rest.as_bytes();
    let span = |len: usize| Span::new(file, at, at + len);
    let quoted = |len: usize| {
        let text = &rest[..len];
        match text.char_indices().nth(SHOWN) {
            Some((cut, _)) => format!("`{}...`", &text[..cut]),
            None => format!("`{text}`"),
        }
    };
    let Some(c) = rest.chars().next() else {
        return (Found::EndOfFile, span(0), "end of file".to_owned());
    };
    if c == '\n' || rest.starts_with("\r\n") {
        return (Found::EndOfLine, span(0), "end of line".to_owned());
    }
    let word = identifier_len(rest);
    if word > 0 {
        let keyword = KEYWORDS.contains(&&rest[..word]);
        let text = if keyword { format!("the keyword {}", quoted(word)) } else { quoted(word) };
        return (Found::Word { keyword }, span(word), text);
    }
    if c.is_ascii_digit() {
        let len = bytes
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.')))
            .unwrap_or(bytes.len());
        let len = rest[..len].find("..").unwrap_or(len);
        return (Found::Number, span(len), quoted(len));
    }
    if c == '"' {
        let len = string_end(bytes, 0);
        return (Found::Quote, span(len), quoted(len));
    }
    if rest.starts_with("..") {
        return (Found::Symbol, span(2), "`..`".to_owned());
    }
    if "+-*/^()[],:;=.#".contains(c) {
        return (Found::Symbol, span(1), format!("`{c}`"));
    }
    let len = c.len_utf8();
    let text = if c.is_control() {
        format!("control character U+{:04X}", u32::from(c))
    } else {
        format!("character `{c}`")
    };
    (Found::Unknown, span(len), text)
}

/// Everything the converter needs to know besides pest's error.
pub(crate) struct Context<'a> {
    /// The original text (not the scanned copy).
    pub source: &'a str,
    /// The pre-scan of the text.
    pub scan: &'a Scan,
    /// The file being parsed.
    pub file: FileId,
    /// Where the statement that failed starts (pest parsed the text from here).
    pub base: usize,
}

/// Converts a pest error from parsing `source[base..]`; returns the diagnostic and the
/// offset of the error in the file.
pub(crate) fn convert(error: &Error<Rule>, cx: &Context<'_>) -> (Diagnostic, usize) {
    let at = cx.base
        + match error.location {
            InputLocation::Pos(at) => at,
            InputLocation::Span((start, _)) => start,
        };
    let at = at.min(cx.source.len());
    let diagnostic = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => describe(&expected(positives), at, cx),
        ErrorVariant::CustomError { message } => Diagnostic::error(
            Span::new(cx.file, at, at),
            "this statement is too deeply nested or too complex to parse",
        )
        .with_label_message(format!("the parser gave up here ({message})")),
    };
    (diagnostic, at)
}

fn describe(expected: &[Expected], at: usize, cx: &Context<'_>) -> Diagnostic {
    let (found, span, found_text) = found(cx.source, cx.file, at);
    let wanted = list(expected);
    let label = format!("expected {wanted}");
    let generic = || {
        Diagnostic::error(span, format!("expected {wanted}, found {found_text}"))
            .with_label_message(label.clone())
    };
    let bytes = cx.source.as_bytes();
    let next = |offset: usize| bytes.get(offset).copied();
    let first_word = statement_word(cx.source, cx.base, cx.file);

    if let Found::Quote = found {
        return string_problem(cx, span);
    }
    if let Some(unclosed) = cx.scan.unclosed_at(cx.source, at) {
        let open = Span::new(cx.file, unclosed.open, unclosed.open + 1);
        let close = if unclosed.bracket == '(' { ')' } else { ']' };
        let end = Span::new(cx.file, unclosed.ends_at, unclosed.ends_at);
        let where_ = if unclosed.ends_at == cx.source.len() { "file" } else { "line" };
        return Diagnostic::error(open, format!("unclosed `{}`", unclosed.bracket))
            .with_label_message(format!("this `{}` is never closed", unclosed.bracket))
            .with_secondary(end, format!("expected `{close}` before the end of the {where_}"));
    }
    if matches!(found, Found::Symbol) && cx.scan.is_unmatched(at) {
        let c = char::from(bytes[at]);
        let open = if c == ')' { '(' } else { '[' };
        return Diagnostic::error(span, format!("unexpected `{c}`"))
            .with_label_message(format!("this `{c}` has no matching `{open}`"));
    }
    if found_text == "`..`" {
        return if expected.contains(&Expected::Expr) {
            Diagnostic::error(span, "a range needs a lower end")
                .with_label_message("expected an expression before `..`")
                .with_hint("write ranges as `lo..hi`, e.g. `-1..1`")
        } else {
            Diagnostic::error(span, "unexpected `..`")
                .with_label_message(label)
                .with_hint("an expression holds one range `lo..hi`; ranges cannot be chained")
        };
    }
    if found_text == "`.`" {
        if next(at + 1).is_some_and(|b| b.is_ascii_digit()) && expected.contains(&Expected::Expr) {
            return Diagnostic::error(span, "a number needs a digit before the decimal point")
                .with_label_message("expected an expression")
                .with_hint("write `0.5` rather than `.5`");
        }
        if at > 0 && next(at - 1).is_some_and(|b| b.is_ascii_digit()) {
            return Diagnostic::error(span, "a number needs a digit after the decimal point")
                .with_label_message(label)
                .with_hint("write `1.0` rather than `1.`");
        }
    }
    if let Found::Word { keyword: true } = found
        && expected == [Expected::Name]
    {
        let word = cx.source[at..].split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or("");
        return keyword_as_name(span, word);
    }
    if expected == [Expected::Name]
        && let Some((word, word_span)) = first_word
        && KEYWORDS.contains(&word)
        && bytes.get(at) == Some(&b'=')
    {
        return keyword_as_name(word_span, word);
    }
    if expected == [Expected::Name]
        && let Some((word, _)) = first_word.filter(|(w, _)| CATEGORIES.contains(w))
    {
        return Diagnostic::error(
            span,
            format!("expected a name after `{word}`, found {found_text}"),
        )
        .with_label_message("expected a name")
        .with_hint(format!("a declaration reads `{word} NAME = VALUE`"));
    }
    if expected == [Expected::Equals] {
        return missing_equals(cx.source, span, &found, &found_text, first_word);
    }
    if expected.contains(&Expected::Until) && !expected.contains(&Expected::Expr) {
        return Diagnostic::error(
            span,
            format!("expected `until` after the recording interval, found {found_text}"),
        )
        .with_label_message("expected `until`")
        .with_hint("a record statement reads `record every INTERVAL until END`");
    }
    if expected == [Expected::Every] {
        return Diagnostic::error(
            span,
            format!("expected `every` after `record`, found {found_text}"),
        )
        .with_label_message("expected `every`")
        .with_hint("a record statement reads `record every INTERVAL until END`");
    }
    if let Found::Unknown = found {
        return Diagnostic::error(span, format!("unexpected {found_text}"))
            .with_label_message(label);
    }
    let mut diagnostic = generic();
    if expected.contains(&Expected::End) {
        let after_number = at > 0 && next(at - 1).is_some_and(|b| b.is_ascii_digit() || b == b'.');
        let rest = &cx.source[span.end..line_end(bytes, span.end)];
        if matches!(found, Found::Word { .. }) && after_number {
            let word = &cx.source[span.start..span.end];
            diagnostic =
                diagnostic.with_hint(format!("write multiplication with `*`, e.g. `2 * {word}`"));
        } else if matches!(found, Found::Word { .. }) && rest.trim_start().starts_with('=') {
            diagnostic = diagnostic
                .with_hint("put each statement on its own line, or separate statements with `;`");
        } else if found_text == "`=`" && previous_line_continues(cx.source, at) {
            diagnostic = diagnostic.with_hint(
                "the line before ends with an operator, so this line continues its expression",
            );
        }
    }
    diagnostic
}

fn keyword_as_name(span: Span, word: &str) -> Diagnostic {
    Diagnostic::error(span, format!("`{word}` is a keyword and cannot be used as a name"))
        .with_label_message("keyword used as a name")
        .with_hint(format!(
            "choose another name; the keywords are {}",
            KEYWORDS.map(|k| format!("`{k}`")).join(", ")
        ))
}

fn missing_equals(
    source: &str,
    span: Span,
    found: &Found,
    found_text: &str,
    first_word: Option<(&str, Span)>,
) -> Diagnostic {
    let followed_by_equals =
        matches!(found, Found::Word { .. }) && source[span.end..].trim_start().starts_with('=');
    let statement_forms = "a statement is `NAME = VALUE`, `CATEGORY NAME = VALUE` (CATEGORY is \
         `schedule`, `potential`, `sampler`, `model` or `metric`), `record every INTERVAL until \
         END` or `include \"FILE\"`";
    match first_word {
        Some((word, _)) if CATEGORIES.contains(&word) => Diagnostic::error(
            span,
            format!("expected `=` after the name in a declaration, found {found_text}"),
        )
        .with_label_message("expected `=`")
        .with_hint(format!("a declaration reads `{word} NAME = VALUE`")),
        Some((word, word_span)) if followed_by_equals => {
            // `modle m = ...`: a declaration with a misspelt category.
            let diagnostic =
                Diagnostic::error(word_span, format!("`{word}` is not a kind of declaration"))
                    .with_label_message(
                        "expected `schedule`, `potential`, `sampler`, `model` or `metric`",
                    );
            match similar_category(word) {
                Some(category) => diagnostic.with_hint(format!("did you mean `{category}`?")),
                None => diagnostic.with_hint(statement_forms),
            }
        }
        Some((word, _)) => {
            let diagnostic =
                Diagnostic::error(span, format!("expected `=` after `{word}`, found {found_text}"))
                    .with_label_message("expected `=`");
            match neq_diag::closest(word, KEYWORDS) {
                Some(keyword) => diagnostic.with_hint(format!("did you mean `{keyword}`?")),
                None => diagnostic.with_hint(statement_forms),
            }
        }
        None => Diagnostic::error(span, format!("expected `=`, found {found_text}"))
            .with_label_message("expected `=`")
            .with_hint(statement_forms),
    }
}

/// The category `word` is probably a misspelling of.
fn similar_category(word: &str) -> Option<&'static str> {
    let sorted = |w: &str| {
        let mut letters: Vec<char> = w.chars().collect();
        letters.sort_unstable();
        letters
    };
    neq_diag::closest(word, CATEGORIES)
        .or_else(|| CATEGORIES.into_iter().find(|c| sorted(c) == sorted(word)))
}

/// An unterminated string, or a string with an unknown escape.
fn string_problem(cx: &Context<'_>, span: Span) -> Diagnostic {
    let text = &cx.source[span.start..span.end];
    if text.len() >= 2 && text.ends_with('"') {
        let mut chars = text.char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                continue;
            }
            if let Some((j, e)) = chars.next()
                && !matches!(e, '\\' | '"' | 'n' | 't' | 'r')
            {
                let start = span.start + i;
                let escape = Span::new(cx.file, start, span.start + j + e.len_utf8());
                return Diagnostic::error(escape, format!("unknown escape `\\{e}` in a string"))
                    .with_label_message("unknown escape")
                    .with_hint("the escapes are `\\\\`, `\\\"`, `\\n`, `\\t` and `\\r`");
            }
        }
    }
    let quote = Span::new(cx.file, span.start, span.start + 1);
    Diagnostic::error(quote, "unterminated string")
        .with_label_message("this string has no closing `\"`")
        .with_hint("a string ends with `\"` on the line where it starts")
}

/// The first word of the statement starting at or after `from` (skipping blank space and
/// comments), if it is an identifier.
fn statement_word(source: &str, from: usize, file: FileId) -> Option<(&str, Span)> {
    let mut rest = source.get(from..)?;
    loop {
        let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n', ';']);
        match trimmed.strip_prefix('#') {
            Some(comment) => rest = comment.split_once('\n').map_or("", |(_, after)| after),
            None => {
                rest = trimmed;
                break;
            }
        }
    }
    let len = identifier_len(rest);
    let start = source.len() - rest.len();
    (len > 0).then(|| (&rest[..len], Span::new(file, start, start + len)))
}

/// Whether the line before the one holding `at` ends with an operator (ignoring comments).
fn previous_line_continues(source: &str, at: usize) -> bool {
    let line_start = source[..at].rfind('\n').unwrap_or(0);
    let before = &source[..line_start];
    let previous = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let code = previous.split('#').next().unwrap_or("").trim_end();
    code.ends_with(['+', '-', '*', '/', '^', '=']) || code.ends_with("..")
}
