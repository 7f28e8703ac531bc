//! The errors of writing tables, each naming the path involved and what the user can do.

use std::io;
use std::path::{Path, PathBuf};

/// Why a table, the manifest or the output directory could not be written.
///
/// The message is complete on its own: it includes the cause (e.g. the operating system's
/// reason), so renderers need not walk [`std::error::Error::source`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TableError {
    /// A file-system operation failed, e.g. permission denied or disk full.
    #[error("cannot {action} `{shown}`: {reason}; {hint}",
        shown = .path.display(), reason = describe(.io), hint = hint(.io))]
    Io {
        /// What was being done, e.g. "write results to".
        action: &'static str,
        /// The path the user knows: the final name, not a temporary one.
        path: PathBuf,
        /// The underlying error.
        io: io::Error,
    },
    /// Arrow or Parquet refused to encode a table. This points at a bug in neq.
    #[error("cannot encode table `{table}` as Parquet for `{shown}`: {detail}; please report this",
        shown = .path.display())]
    Encode {
        /// The table's name.
        table: String,
        /// The file that was being written.
        path: PathBuf,
        /// The encoder's message.
        detail: String,
    },
    /// The manifest could not be turned into JSON. This points at a bug in neq.
    #[error("cannot serialize the run manifest for `{shown}`: {detail}; please report this",
        shown = .path.display())]
    Manifest {
        /// Where the manifest was to be written.
        path: PathBuf,
        /// The serializer's message.
        detail: String,
    },
    /// A table name or partition key or value cannot be used as a directory name.
    #[error("invalid {what} `{name}` in the output directory: {reason}")]
    InvalidName {
        /// What the name is: "table name", "partition key" or "partition value".
        what: &'static str,
        /// The offending name.
        name: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// The same table and partition was staged twice in one transaction.
    #[error("table file `{shown}` was staged twice in one run; each table and partition is \
        written once", shown = .path.display())]
    StagedTwice {
        /// The file's path relative to the output directory.
        path: PathBuf,
    },
}

impl TableError {
    /// An [`TableError::Io`] for `path`.
    pub(crate) fn io(action: &'static str, path: &Path, io: io::Error) -> Self {
        TableError::Io { action, path: path.to_owned(), io }
    }
}

/// The operating system's reason in plain words, e.g. "permission denied".
fn describe(io: &io::Error) -> String {
    use io::ErrorKind::*;
    match io.kind() {
        kind @ (PermissionDenied | NotFound | AlreadyExists | StorageFull | QuotaExceeded
        | ReadOnlyFilesystem | NotADirectory | IsADirectory | FileTooLarge
        | DirectoryNotEmpty | CrossesDevices | InvalidFilename) => kind.to_string(),
        _ => io.to_string(),
    }
}

/// What the user can do about `io`.
fn hint(io: &io::Error) -> &'static str {
    use io::ErrorKind::*;
    match io.kind() {
        PermissionDenied | ReadOnlyFilesystem => "choose another --out directory",
        StorageFull | QuotaExceeded | FileTooLarge => {
            "free disk space or choose another --out directory"
        }
        NotADirectory | IsADirectory | AlreadyExists => {
            "a file is in the way; move it or choose another --out directory"
        }
        _ => "check the output directory or choose another --out directory",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_name_the_path_the_reason_and_a_remedy() {
        let denied = io::Error::from_raw_os_error(13); // EACCES
        let error = TableError::io("write results to", Path::new("OUT/x"), denied);
        assert_eq!(
            error.to_string(),
            "cannot write results to `OUT/x`: permission denied; choose another --out directory"
        );
    }

    #[test]
    fn unusual_io_errors_keep_the_system_message() {
        let other = io::Error::other("disk on fire");
        let error = TableError::io("write", Path::new("OUT/manifest.json"), other);
        assert_eq!(
            error.to_string(),
            "cannot write `OUT/manifest.json`: disk on fire; check the output directory or \
             choose another --out directory"
        );
    }
}
