//! Reading a pipeline file and, recursively, the files it includes.

use std::path::{Path, PathBuf};

use neq_diag::{Diagnostic, SourceMap, Span};
use neq_syntax::ast::{Ast, ItemKind};

/// Largest pipeline file accepted, in bytes.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Deepest chain of includes accepted.
const MAX_INCLUDE_DEPTH: usize = 32;

/// The parsed files of one pipeline: the root first, then includes in the order met.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Parsed files.
    pub asts: Vec<Ast>,
    /// Problems met while reading and parsing.
    pub diagnostics: Vec<Diagnostic>,
    /// The root file's bytes, for the pipeline hash.
    pub root_bytes: Vec<u8>,
}

/// A root file that could not be read at all (there is no text to point into).
#[derive(Debug)]
pub struct UnreadableRoot {
    /// The path as given.
    pub path: PathBuf,
    /// Why it could not be read.
    pub reason: String,
}

/// Reads and parses `root` and everything it includes.
pub fn load(root: &Path, sources: &mut SourceMap) -> Result<Loaded, UnreadableRoot> {
    let bytes = read(root).map_err(|reason| UnreadableRoot { path: root.to_owned(), reason })?;
    let mut loaded = Loaded { root_bytes: bytes.clone(), ..Loaded::default() };
    let mut stack = vec![canonical(root)];
    parse_file(root, bytes, sources, &mut loaded, &mut stack);
    Ok(loaded)
}

/// Parses source text given directly (tests, `--set` values).
pub fn load_text(name: &str, text: &str, sources: &mut SourceMap) -> Loaded {
    let mut loaded = Loaded { root_bytes: text.as_bytes().to_vec(), ..Loaded::default() };
    let file = sources.add(name, text);
    let (ast, diagnostics) = neq_syntax::parse(text, file);
    loaded.diagnostics.extend(diagnostics);
    loaded.asts.push(ast);
    loaded
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    let metadata = std::fs::metadata(path).map_err(|e| io_reason(&e))?;
    if metadata.is_dir() {
        return Err("it is a directory, not a pipeline file".into());
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(format!(
            "it is {} bytes long; pipeline files are limited to {MAX_FILE_BYTES} bytes",
            metadata.len()
        ));
    }
    std::fs::read(path).map_err(|e| io_reason(&e))
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => error.to_string(),
    }
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_owned())
}

fn parse_file(
    path: &Path,
    bytes: Vec<u8>,
    sources: &mut SourceMap,
    loaded: &mut Loaded,
    stack: &mut Vec<PathBuf>,
) {
    let name = path.display().to_string();
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            // Keep the valid prefix so the diagnostic can show where the bad byte is.
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let file = sources.add(name, prefix);
            loaded.diagnostics.push(
                Diagnostic::error(
                    Span::new(file, valid, valid),
                    format!("file is not UTF-8 text: invalid byte 0x{:02X} here", bytes[valid]),
                )
                .with_hint("pipeline files are plain text; is this the right file?"),
            );
            return;
        }
    };
    let file = sources.add(name, text.as_str());
    let (ast, diagnostics) = neq_syntax::parse(&text, file);
    loaded.diagnostics.extend(diagnostics);
    let includes: Vec<(String, Span)> = ast
        .items
        .iter()
        .filter_map(|item| match &item.kind {
            ItemKind::Include { path, path_span } => Some((path.clone(), *path_span)),
            _ => None,
        })
        .collect();
    loaded.asts.push(ast);
    for (included, span) in includes {
        include(path, &included, span, sources, loaded, stack);
    }
}

fn include(
    from: &Path,
    included: &str,
    span: Span,
    sources: &mut SourceMap,
    loaded: &mut Loaded,
    stack: &mut Vec<PathBuf>,
) {
    let path = from.parent().unwrap_or(Path::new("")).join(included);
    let key = canonical(&path);
    if stack.contains(&key) {
        loaded.diagnostics.push(
            Diagnostic::error(span, format!("`{included}` includes itself (directly or not)"))
                .with_hint("remove one of the `include` lines of the cycle"),
        );
        return;
    }
    if stack.len() >= MAX_INCLUDE_DEPTH {
        loaded.diagnostics.push(Diagnostic::error(
            span,
            format!("includes nest deeper than {MAX_INCLUDE_DEPTH} files"),
        ));
        return;
    }
    if loaded.asts.iter().any(|ast| canonical(Path::new(&sources.get(ast.file).name)) == key) {
        return; // Already included elsewhere: its declarations are in scope once.
    }
    match read(&path) {
        Ok(bytes) => {
            stack.push(key);
            parse_file(&path, bytes, sources, loaded, stack);
            stack.pop();
        }
        Err(reason) => loaded.diagnostics.push(
            Diagnostic::error(span, format!("cannot read `{}`: {reason}", path.display()))
                .with_hint("include paths are relative to the including file"),
        ),
    }
}
