//! The pre-scan that runs before pest: bracket nesting and newlines inside brackets.
//!
//! The scan walks the bytes once, skipping strings and comments, and
//! - rejects nesting deeper than [`MAX_NESTING`] before pest can recurse on it;
//! - makes the copy of the text that pest parses: newlines inside brackets become spaces,
//!   and so do the newlines before a line of code that starts with an operator (comments
//!   there become spaces too, so they do not swallow the joined text); a leading byte-order
//!   mark becomes spaces. Every byte keeps its offset, so spans need no mapping;
//! - remembers unclosed and unmatched brackets, for better messages.
//!
//! A line that starts a statement (see [`looks_like_statement`]) ends every open bracket:
//! such a line is never valid inside brackets, so `f(a,` followed by `sampler s = ...` is
//! reported as an unclosed `(` instead of swallowing the rest of the file.

/// The deepest bracket nesting a file may have.
pub const MAX_NESTING: usize = 200;

/// What the pre-scan found.
pub(crate) struct Scan {
    /// The text pest parses: the source with newlines and comments inside brackets blanked.
    pub text: String,
    /// Offset of the first bracket nested deeper than [`MAX_NESTING`].
    pub too_deep: Option<usize>,
    /// Brackets left open, with the offset where the scan gave up on them.
    pub unclosed: Vec<Unclosed>,
    /// Offsets of closing brackets with no open bracket, in increasing order.
    pub unmatched: Vec<usize>,
}

/// An opening bracket that was never closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Unclosed {
    /// Offset of the bracket.
    pub open: usize,
    /// The bracket, `(` or `[`.
    pub bracket: char,
    /// The newline before the next statement, or the end of the text.
    pub ends_at: usize,
}

impl Scan {
    /// Whether a closing bracket at `offset` had nothing to close.
    pub fn is_unmatched(&self, offset: usize) -> bool {
        self.unmatched.binary_search(&offset).is_ok()
    }

    /// The innermost bracket left open that the scan gave up on at `offset`, or before it
    /// with only blank space and comments in between.
    pub fn unclosed_at(&self, source: &str, offset: usize) -> Option<Unclosed> {
        let blank = |from: usize| {
            source.get(from..offset).is_some_and(|between| {
                between.lines().all(|line| {
                    let line = line.trim_start();
                    line.is_empty() || line.starts_with('#')
                })
            })
        };
        self.unclosed.iter().rev().find(|u| u.ends_at <= offset && blank(u.ends_at)).copied()
    }
}

/// Scans `source` (see the module docs).
pub(crate) fn scan(source: &str) -> Scan {
    let bytes = source.as_bytes();
    let mut text = bytes.to_vec();
    let mut open: Vec<usize> = Vec::new();
    let mut scan =
        Scan { text: String::new(), too_deep: None, unclosed: Vec::new(), unmatched: Vec::new() };
    if source.starts_with('\u{feff}') {
        text[..3].fill(b' ');
    }
    // Where the comment on the current line starts, outside brackets.
    let mut comment: Option<usize> = None;
    // Newlines before this offset are known not to be followed by an operator line.
    let mut no_join_before = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                let end = line_end(bytes, i);
                if open.is_empty() {
                    comment = Some(i);
                } else {
                    text[i..end].fill(b' ');
                }
                i = end;
                continue;
            }
            b'"' => {
                i = string_end(bytes, i);
                continue;
            }
            b'(' | b'[' => {
                open.push(i);
                if open.len() > MAX_NESTING {
                    scan.too_deep = Some(i);
                    break;
                }
            }
            b')' | b']' if open.pop().is_none() => scan.unmatched.push(i),
            b'\n' if !open.is_empty() => {
                if looks_like_statement(&source[i + 1..line_end(bytes, i + 1)]) {
                    close_all(&mut open, &mut scan.unclosed, bytes, i);
                } else {
                    text[i] = b' ';
                }
            }
            b'\n' if i >= no_join_before => {
                let (code, operator) = next_code_line(bytes, i + 1);
                if operator {
                    text[comment.unwrap_or(i)..code].fill(b' ');
                    comment = None;
                    i = code;
                    continue;
                }
                no_join_before = code;
                comment = None;
            }
            b'\n' => comment = None,
            _ => {}
        }
        i += 1;
    }
    close_all(&mut open, &mut scan.unclosed, bytes, bytes.len());
    // Only ASCII bytes were overwritten, and only with spaces, so the text is still UTF-8.
    scan.text = String::from_utf8(text).unwrap_or_default();
    scan
}

fn close_all(open: &mut Vec<usize>, unclosed: &mut Vec<Unclosed>, bytes: &[u8], ends_at: usize) {
    for at in open.drain(..) {
        unclosed.push(Unclosed { open: at, bracket: char::from(bytes[at]), ends_at });
    }
}

/// The first non-blank offset of the next line holding code (not blank, not only a comment)
/// from `from` on, and whether that code starts with an operator (`+ - * / ^ ..`).
fn next_code_line(bytes: &[u8], from: usize) -> (usize, bool) {
    let mut line = from;
    while line < bytes.len() {
        let code =
            line + bytes[line..].iter().take_while(|b| matches!(b, b' ' | b'\t' | b'\r')).count();
        match bytes.get(code) {
            Some(b'\n') | Some(b'#') => line = line_end(bytes, code) + 1,
            Some(b'+' | b'-' | b'*' | b'/' | b'^') => return (code, true),
            Some(b'.') => return (code, bytes.get(code + 1) == Some(&b'.')),
            _ => return (code, false),
        }
    }
    (bytes.len(), false)
}

/// Offset of the newline ending the line that contains `from`, or the end of the text.
pub(crate) fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from.min(bytes.len())..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

/// Offset just past the string literal starting at `start` (a `"`), or of the end of its line
/// when it is not closed there.
pub(crate) fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return i + 1,
            b'\n' => return i,
            b'\\' if bytes.get(i + 1).is_some_and(|&b| b != b'\n') => i += 2,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The words that start statements and cannot be used as names.
pub const KEYWORDS: [&str; 9] =
    ["record", "include", "every", "until", "schedule", "potential", "sampler", "model", "metric"];

/// The keywords that start a declaration.
pub(crate) const CATEGORIES: [&str; 5] = ["schedule", "potential", "sampler", "model", "metric"];

/// Whether a line starts like a statement: `name =`, `sampler name`, `record every`, or
/// `include "`. None of these can occur inside brackets, and they are where error recovery
/// restarts.
pub(crate) fn looks_like_statement(line: &str) -> bool {
    let line = line.trim_start_matches([' ', '\t', '\r']);
    let word_len = identifier_len(line);
    if word_len == 0 {
        return false;
    }
    let (word, rest) = line.split_at(word_len);
    let rest = rest.trim_start_matches([' ', '\t', '\r']);
    if rest.starts_with('=') {
        return true;
    }
    let spaced = rest.len() < line.len() - word_len;
    match word {
        "record" => spaced && rest.starts_with("every"),
        "include" => rest.starts_with('"'),
        w if CATEGORIES.contains(&w) => spaced && identifier_len(rest) > 0,
        _ => false,
    }
}

/// Length in bytes of the identifier at the start of `text` (0 when there is none).
pub(crate) fn identifier_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    if !bytes.first().is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') {
        return 0;
    }
    bytes.iter().position(|b| !(b.is_ascii_alphanumeric() || *b == b'_')).unwrap_or(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newlines_inside_brackets_become_spaces() {
        let source = "s = f(a,   # first\n  b)\nt = 1\n";
        let scan = scan(source);
        assert_eq!(scan.text, format!("s = f(a,{}b)\nt = 1\n", " ".repeat(13)));
        assert_eq!(scan.text.len(), source.len());
        assert!(scan.unclosed.is_empty() && scan.unmatched.is_empty());
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let scan = scan("a = \"(\" # )\nb = 1\n");
        assert!(scan.unclosed.is_empty() && scan.unmatched.is_empty());
        assert_eq!(scan.text, "a = \"(\" # )\nb = 1\n");
    }

    #[test]
    fn a_statement_line_closes_open_brackets() {
        let source = "s = f(a,\nb\nsampler t = g()\n";
        let scan = scan(source);
        assert_eq!(scan.unclosed, [Unclosed { open: 5, bracket: '(', ends_at: 10 }]);
        assert_eq!(&scan.text[..11], "s = f(a, b\n");
    }

    #[test]
    fn nesting_limit_points_at_the_first_bracket_too_deep() {
        let source = format!("x = {}", "(".repeat(MAX_NESTING + 5));
        assert_eq!(scan(&source).too_deep, Some(4 + MAX_NESTING));
        let ok = format!("x = {}1{}", "[".repeat(MAX_NESTING), "]".repeat(MAX_NESTING));
        assert_eq!(scan(&ok).too_deep, None);
    }

    #[test]
    fn stray_closers_are_remembered() {
        let scan = scan("x = (1))\n]");
        assert_eq!(scan.unmatched, [7, 9]);
        assert!(scan.is_unmatched(7));
    }

    #[test]
    fn statement_starts() {
        for yes in ["x = 1", "  kT=2", "sampler s = f()", "record every 1 until 2", "include \"a\""]
        {
            assert!(looks_like_statement(yes), "{yes}");
        }
        for no in ["model: m)", "x", "  b)", "sampler(", "recorder every", "1 = 2", ""] {
            assert!(!looks_like_statement(no), "{no}");
        }
    }

    #[test]
    fn lines_starting_with_an_operator_continue_the_previous_one() {
        let source = "x = a # note\n\n  # more\n  + b\ny = 1\n";
        assert_eq!(scan(source).text, format!("x = a{}+ b\ny = 1\n", " ".repeat(20)));
        let source = "x = a\n..b\ny = -1\n";
        assert_eq!(scan(source).text, "x = a ..b\ny = -1\n");
        let many_comments = "#\n".repeat(100_000);
        assert_eq!(scan(&many_comments).text, many_comments);
    }

    #[test]
    fn byte_order_mark_becomes_spaces() {
        assert_eq!(scan("\u{feff}x = 1").text, "   x = 1");
    }
}
