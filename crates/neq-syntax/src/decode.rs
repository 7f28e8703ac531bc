//! Checking that a file's bytes are UTF-8 text before parsing.

use neq_diag::{Diagnostic, FileId, Span};

/// The bytes of a file as text, or a diagnostic naming the first byte that is not UTF-8.
///
/// The diagnostic's span is `0..0` in `file`: a file that is not text cannot be shown in a
/// [`neq_diag::SourceMap`], so the message itself carries the position, e.g.
/// "file is not UTF-8 text: invalid byte 0xFF at byte offset 12 (line 2, column 3)".
/// Callers add the file to the source map with whatever text they can show (possibly
/// empty) before rendering.
pub fn decode(bytes: &[u8], file: FileId) -> Result<&str, Diagnostic> {
    let error = match std::str::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(error) => error,
    };
    let offset = error.valid_up_to();
    // Everything before `offset` is valid, so this cannot fail.
    let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or("");
    let line = valid.matches('\n').count() + 1;
    let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let what = match error.error_len() {
        Some(_) => format!("invalid byte 0x{:02X}", bytes[offset]),
        None => "incomplete character".to_owned(),
    };
    let mut diagnostic = Diagnostic::error(
        Span::new(file, 0, 0),
        format!(
            "file is not UTF-8 text: {what} at byte offset {offset} (line {line}, column {column})"
        ),
    );
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        diagnostic = diagnostic.with_hint("the file looks like UTF-16; save it as UTF-8");
    } else {
        diagnostic = diagnostic.with_hint("pipeline files must be saved as UTF-8 text");
    }
    Err(diagnostic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_passes_through() {
        assert_eq!(decode("κT = 1\n".as_bytes(), FileId(0)), Ok("κT = 1\n"));
    }

    #[test]
    fn reports_the_first_invalid_byte() {
        let error = decode(b"x = 1\ny = \xFF\xFE", FileId(3)).unwrap_err();
        assert_eq!(
            error.message,
            "file is not UTF-8 text: invalid byte 0xFF at byte offset 10 (line 2, column 5)"
        );
        assert_eq!(error.primary_span(), Some(Span::new(FileId(3), 0, 0)));
    }

    #[test]
    fn a_truncated_character_at_the_end_is_reported() {
        let error = decode("é".as_bytes().split_last().unwrap().1, FileId(0)).unwrap_err();
        assert!(
            error.message.contains("incomplete character at byte offset 0"),
            "{}",
            error.message
        );
    }

    #[test]
    fn utf16_gets_a_hint() {
        let error = decode(&[0xFF, 0xFE, b'x', 0], FileId(0)).unwrap_err();
        assert!(error.hints[0].contains("UTF-16"));
    }
}
