//! What the terminal renderer shows of a source file.
//!
//! Two things in a file must not reach a terminal as they are: control characters (a binary
//! file's bytes could move the cursor or change colours, and a caret under one would have no
//! width) and lines far too long to read (one error in a 10 MB line would print all of it).
//! An [`Excerpts`] is the source map as it is shown for one diagnostic: control characters
//! become `?` (as many as the character has bytes, so offsets keep their meaning), and each
//! line longer than [`MAX_LINE`] bytes keeps only the text around the labels' ends, joined
//! by `...`. The positions it reports in the `-->` line are still those of the original file.

use std::borrow::Cow;
use std::ops::Range;

use codespan_reporting::files::{Error, Files, Location, SimpleFile};

use crate::{FileId, SourceFile, SourceMap};

/// Lines longer than this many bytes are cut.
pub const MAX_LINE: usize = 160;

/// Bytes kept before and after each label end on a line that is cut.
const CONTEXT: usize = 50;

/// Marks text left out of a line that is cut.
const CUT: &str = "...";

/// One file as shown, and the pieces of the original it was copied from.
struct Excerpt<'a> {
    shown: SimpleFile<&'a str, Cow<'a, str>>,
    /// `(shown start, original start)` of each piece copied from the original, in order.
    pieces: Vec<(usize, usize)>,
}

impl Excerpt<'_> {
    /// The offset in the shown text of an offset in the original text.
    fn shown_offset(&self, original: usize) -> usize {
        let i = self.pieces.partition_point(|&(_, start)| start <= original).saturating_sub(1);
        let (shown, start) = self.pieces[i];
        let end = self.pieces.get(i + 1).map_or(usize::MAX, |&(next, _)| next);
        (shown + original.saturating_sub(start)).min(end).min(self.shown.source().len())
    }

    /// The offset in the original text of an offset in the shown text.
    fn original_offset(&self, shown: usize) -> usize {
        let i = self.pieces.partition_point(|&(at, _)| at <= shown).saturating_sub(1);
        let (at, start) = self.pieces[i];
        start + shown.saturating_sub(at)
    }
}

/// One file of the source map, prepared once for all diagnostics.
struct Prepared<'a> {
    original: &'a SourceFile,
    /// The whole text, hidden characters replaced; offsets are those of the original.
    whole: Excerpt<'a>,
    /// Whether a line is longer than [`MAX_LINE`].
    has_long_line: bool,
    /// The text cut around the labels of the diagnostic being rendered.
    cut: Option<Excerpt<'a>>,
}

impl<'a> Prepared<'a> {
    fn shown(&self) -> &Excerpt<'a> {
        self.cut.as_ref().unwrap_or(&self.whole)
    }
}

/// The files of a [`SourceMap`] as shown for one diagnostic at a time (see [`Self::focus`]).
pub struct Excerpts<'a> {
    files: Vec<Prepared<'a>>,
}

impl<'a> Excerpts<'a> {
    /// Prepares every file: the work that does not depend on labels is done once here.
    pub fn new(sources: &'a SourceMap) -> Self {
        let files = sources
            .files()
            .map(|(_, original)| {
                let text: &str = &original.text;
                let clean = if needs_cleaning(text) {
                    let mut clean = String::with_capacity(text.len());
                    push_visible(&mut clean, text);
                    Cow::Owned(clean)
                } else {
                    Cow::Borrowed(text)
                };
                let has_long_line = text.split('\n').any(|line| line.len() > MAX_LINE);
                let shown = SimpleFile::new(original.name.as_str(), clean);
                let whole = Excerpt { shown, pieces: vec![(0, 0)] };
                Prepared { original, whole, has_long_line, cut: None }
            })
            .collect();
        Excerpts { files }
    }

    /// Cuts the long lines of the files that `spans` (file and byte range in the original
    /// text) point into, around the spans' ends; call it before rendering each diagnostic.
    pub fn focus(&mut self, spans: &[(FileId, Range<usize>)]) {
        for (i, file) in self.files.iter_mut().enumerate() {
            let mut ends: Vec<usize> = spans
                .iter()
                .filter(|(f, _)| f.0 as usize == i)
                .flat_map(|(_, r)| [r.start, r.end])
                .collect();
            file.cut = None;
            if file.has_long_line && !ends.is_empty() {
                ends.sort_unstable();
                file.cut = Some(cut(file.original.name.as_str(), file.whole.shown.source(), &ends));
            }
        }
    }

    /// The range in the shown text of a range in file `id`'s original text.
    pub fn shown_range(&self, id: FileId, range: Range<usize>) -> Range<usize> {
        match self.files.get(id.0 as usize) {
            Some(file) => {
                let shown = file.shown();
                shown.shown_offset(range.start)..shown.shown_offset(range.end)
            }
            None => range,
        }
    }

    fn get(&self, id: usize) -> Result<&Prepared<'a>, Error> {
        self.files.get(id).ok_or(Error::FileMissing)
    }
}

impl<'a> Files<'a> for Excerpts<'a> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(self.get(id)?.original.name.as_str())
    }

    fn source(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(self.get(id)?.shown().shown.source())
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, Error> {
        self.get(id)?.shown().shown.line_index((), byte_index)
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, Error> {
        self.get(id)?.shown().shown.line_range((), line_index)
    }

    /// The line and column in the original file, whatever was cut from the line.
    fn location(&'a self, id: usize, byte_index: usize) -> Result<Location, Error> {
        let file = self.get(id)?;
        let at = file.original.line_col(file.shown().original_offset(byte_index));
        Ok(Location { line_number: at.line, column_number: at.column })
    }
}

/// The text `text` (already cleaned) with every line longer than [`MAX_LINE`] cut down to
/// the text around `ends` (sorted byte offsets), or to its start when no end is on it.
fn cut<'a>(name: &'a str, text: &str, ends: &[usize]) -> Excerpt<'a> {
    let mut out = String::with_capacity(text.len().min(1 << 16));
    let mut pieces = Vec::new();
    let mut copy = |out: &mut String, range: Range<usize>| {
        pieces.push((out.len(), range.start));
        out.push_str(&text[range]);
    };
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.trim_end_matches('\n').len();
        if end - start <= MAX_LINE {
            copy(&mut out, start..start + line.len());
        } else {
            let windows = windows(text, start..end, ends);
            for (i, window) in windows.iter().enumerate() {
                if i > 0 || window.start > start {
                    out.push_str(CUT);
                }
                copy(&mut out, window.clone());
            }
            if windows.last().is_some_and(|w| w.end < end) {
                out.push_str(CUT);
            }
            out.push_str(&line[end - start..]);
        }
        start += line.len();
    }
    if pieces.is_empty() {
        pieces.push((0, 0));
    }
    Excerpt { shown: SimpleFile::new(name, Cow::Owned(out)), pieces }
}

/// The parts of the long line `line` worth showing: [`CONTEXT`] bytes around each of the
/// `ends` on it (merged where they meet), or its start when no label is on it.
fn windows(text: &str, line: Range<usize>, ends: &[usize]) -> Vec<Range<usize>> {
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let on_line = ends.iter().filter(|&&e| line.contains(&e) || e == line.end);
    let mut windows: Vec<Range<usize>> = Vec::new();
    for &at in on_line {
        let lo = floor(at.saturating_sub(CONTEXT).max(line.start));
        let hi = floor((at + CONTEXT).min(line.end));
        match windows.last_mut() {
            Some(last) if lo <= last.end + CUT.len() => last.end = last.end.max(hi),
            _ => windows.push(lo..hi),
        }
    }
    if windows.is_empty() {
        windows.push(line.start..floor(line.start + MAX_LINE));
    }
    windows
}

/// Whether `text` has characters that [`push_visible`] replaces.
fn needs_cleaning(text: &str) -> bool {
    text.chars().any(is_hidden)
        || text.match_indices('\r').any(|(i, _)| text.as_bytes().get(i + 1) != Some(&b'\n'))
}

/// Characters replaced by `?`: controls other than tab and line ends.
fn is_hidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Appends `text` with hidden characters (and carriage returns not ending a line) replaced
/// by one `?` per byte.
fn push_visible(out: &mut String, text: &str) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let lone_return = c == '\r' && chars.peek() != Some(&'\n');
        if is_hidden(c) || lone_return {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(text: &str, span: Range<usize>) -> (String, Range<usize>, Location) {
        let mut sources = SourceMap::new();
        let id = sources.add("a.neq", text);
        let mut excerpts = Excerpts::new(&sources);
        excerpts.focus(&[(id, span.clone())]);
        let shown = excerpts.source(0).unwrap().to_owned();
        let range = excerpts.shown_range(id, span);
        let location = excerpts.location(0, range.start).unwrap();
        (shown, range, location)
    }

    #[test]
    fn plain_text_is_shown_as_it_is() {
        let (shown, range, location) = prepared("a = 1\nb = $\n", 10..11);
        assert_eq!(shown, "a = 1\nb = $\n");
        assert_eq!(range, 10..11);
        assert_eq!((location.line_number, location.column_number), (2, 5));
    }

    #[test]
    fn control_characters_become_question_marks_of_the_same_length() {
        let (shown, range, _) = prepared("x = 1\0\u{1b}[2J\u{85}\ry\r\n", 5..6);
        assert_eq!(shown, "x = 1??[2J???y\r\n");
        assert_eq!(&shown[range], "?");
    }

    #[test]
    fn long_lines_keep_the_text_around_labels_and_the_true_column() {
        let text = format!("a = 1\nx = {}$ + 1\ny = 2\n", "1 + ".repeat(10_000));
        let at = text.find('$').unwrap();
        let (shown, range, location) = prepared(&text, at..at + 1);
        assert!(shown.len() < 300, "{shown}");
        assert_eq!(&shown[range], "$");
        assert!(shown.starts_with("a = 1\n...") && shown.ends_with(" + 1\ny = 2\n"), "{shown}");
        assert_eq!((location.line_number, location.column_number), (2, at - 6 + 1));
    }

    #[test]
    fn long_lines_without_labels_keep_their_start() {
        let text = format!("x = $\n{}\n", "b".repeat(1000));
        let (shown, _, _) = prepared(&text, 4..5);
        assert_eq!(shown, format!("x = $\n{}...\n", "b".repeat(MAX_LINE)));
    }

    #[test]
    fn labels_far_apart_on_one_line_get_a_window_each() {
        let text = format!("f(dt: 1, {}dt: 2)", "a: 1, ".repeat(1000));
        let second = text.rfind("dt").unwrap();
        let mut sources = SourceMap::new();
        let id = sources.add("a.neq", text.as_str());
        let mut excerpts = Excerpts::new(&sources);
        excerpts.focus(&[(id, 2..7), (id, second..second + 5)]);
        let shown = excerpts.source(0).unwrap();
        assert_eq!(shown.matches("...").count(), 1, "{shown}");
        assert_eq!(&shown[excerpts.shown_range(id, 2..7)], "dt: 1");
        assert_eq!(&shown[excerpts.shown_range(id, second..second + 5)], "dt: 2");
    }
}
