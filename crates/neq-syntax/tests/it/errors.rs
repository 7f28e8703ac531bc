//! Snapshot tests of syntax errors: every `tests/syntax_errors/*.neq` file is parsed and its
//! diagnostics, rendered for the terminal, are compared with `syntax_errors/snapshots/`.
//!
//! Each file holds one mistake (`two_errors.neq` holds two). To accept changed output, run
//! the tests with `INSTA_UPDATE=always` and read the `.snap` files before committing them.

use std::path::Path;

use neq_diag::{SourceMap, render_terminal};

/// Control characters would make the snapshots unreadable; show them as `\u{..}`.
fn escape_controls(text: &str) -> String {
    text.chars()
        .map(
            |c| if c.is_control() && c != '\n' { c.escape_unicode().to_string() } else { c.into() },
        )
        .collect()
}

#[test]
fn syntax_error_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/syntax_errors");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/syntax_errors exists")
        .map(|entry| entry.expect("readable directory").path())
        .filter(|path| path.extension().is_some_and(|e| e == "neq"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 12, "the corpus has {} files", paths.len());
    for path in paths {
        let name = path.file_stem().and_then(|s| s.to_str()).expect("UTF-8 file name");
        let bytes = std::fs::read(&path).expect("readable file");
        let mut sources = SourceMap::new();
        let display_name = format!("syntax_errors/{name}.neq");
        let text = neq_syntax::decode(&bytes, Default::default()).expect("corpus files are UTF-8");
        let file = sources.add(display_name, text);
        let (_, diagnostics) = neq_syntax::parse(text, file);
        let expected_errors = if name == "two_errors" { 2 } else { 1 };
        assert_eq!(diagnostics.len(), expected_errors, "{name}: {diagnostics:#?}");
        let rendered = escape_controls(&render_terminal(&sources, &diagnostics));
        insta::with_settings!({
            snapshot_path => dir.join("snapshots"),
            prepend_module_to_snapshot => false,
            input_file => &path,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, rendered);
        });
    }
}
