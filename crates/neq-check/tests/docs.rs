//! Rules about documentation that a test can enforce: the generated part of
//! `docs/language.md` matches the registry, and every Rust file says what it is for.
//!
//! After changing a kind, regenerate the reference with `NEQ_BLESS=1 cargo test -p neq-check
//! --test docs`.

use std::fs;
use std::path::{Path, PathBuf};

use neq_check::{BEGIN_MARKER, END_MARKER, reference_markdown};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_language_reference_documents_every_registered_kind() {
    let path = repository().join("docs/language.md");
    let text = fs::read_to_string(&path).expect("docs/language.md exists");
    let (Some(begin), Some(end)) = (text.find(BEGIN_MARKER), text.find(END_MARKER)) else {
        panic!("docs/language.md lacks the generated-section markers");
    };
    let end = end + END_MARKER.len() + 1;
    let generated = reference_markdown(&neq_kinds::builtin_registry());
    if text.get(begin..end) == Some(generated.as_str()) {
        return;
    }
    if std::env::var_os("NEQ_BLESS").is_some() {
        let updated = format!("{}{generated}{}", &text[..begin], &text[end.min(text.len())..]);
        fs::write(&path, updated).expect("docs/language.md is writable");
        return;
    }
    panic!(
        "the generated reference in docs/language.md is out of date; run \
         `NEQ_BLESS=1 cargo test -p neq-check --test docs` and commit the result"
    );
}

/// Every `.rs` file of the workspace, except build output.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_rust_file_starts_with_a_module_doc() {
    let mut files = Vec::new();
    for dir in ["crates", "examples"] {
        let dir = repository().join(dir);
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        }
    }
    assert!(files.len() > 50, "found only {} Rust files", files.len());
    let undocumented: Vec<String> = files
        .iter()
        .filter(|path| {
            let text = fs::read_to_string(path).unwrap();
            !text.trim_start().starts_with("//!")
        })
        .map(|path| path.strip_prefix(repository()).unwrap_or(path).display().to_string())
        .collect();
    assert!(undocumented.is_empty(), "files without a `//!` header: {undocumented:#?}");
}
