//! Running the `neq` binary and judging how it ended.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The root of the repository, where `pipelines/` and `tests/invalid/` are.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root exists")
}

/// How one run of `neq` ended.
#[derive(Debug)]
pub struct Outcome {
    /// The exit code; `None` if a signal ended the process (an abort, a stack overflow).
    pub code: Option<i32>,
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Standard error, lossily decoded.
    pub stderr: String,
}

impl Outcome {
    /// Asserts that the process ended by itself with `code` and did not panic.
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "stderr:\n{}", self.head());
        self.assert_no_panic()
    }

    /// Asserts that the command failed gracefully: exit code 1 or 2 (never 101, never a
    /// signal), a message on stderr, and no panic.
    pub fn assert_refused(&self) -> &Self {
        assert!(matches!(self.code, Some(1 | 2)), "exit {:?}, stderr:\n{}", self.code, self.head());
        assert!(self.stderr.contains("error"), "no message on stderr:\n{}", self.head());
        self.assert_no_panic()
    }

    fn assert_no_panic(&self) -> &Self {
        assert!(!self.stderr.contains("panicked"), "neq panicked:\n{}", self.head());
        self
    }

    /// The start of stderr, enough to see what went wrong without flooding the test log.
    fn head(&self) -> String {
        self.stderr.chars().take(4000).collect()
    }
}

/// Runs `neq` with `args` in the repository root.
pub fn neq(args: &[&str]) -> Outcome {
    neq_in(&root(), args)
}

/// Runs `neq` with `args` in `dir`, so that file names given relative to `dir` appear in
/// messages as they are, without temporary paths to redact.
pub fn neq_in(dir: &Path, args: &[&str]) -> Outcome {
    let output = Command::new(env!("CARGO_BIN_EXE_neq"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the neq binary runs");
    Outcome {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A fresh temporary directory holding the files `(name, contents)`.
pub fn dir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (name, contents) in files {
        std::fs::write(dir.path().join(name), contents).expect("writable temporary directory");
    }
    dir
}
