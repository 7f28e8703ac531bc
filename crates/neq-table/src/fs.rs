//! File-system helpers: write under a temporary sibling name, fsync, rename into place.
//!
//! A reader (or a later run) never sees a half-written file under its final name: either the
//! old file, or the complete new one.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::TableError;

/// Distinguishes temporary names within one process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A hidden name next to `path` that no reader globs for (`.<name>.tmp-<pid>-<n>`).
fn temp_sibling(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

/// Removes a temporary file when dropped, unless disarmed.
struct RemoveOnDrop(Option<PathBuf>);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = fs::remove_file(path);
        }
    }
}

/// Creates or replaces `path` with what `fill` writes, atomically.
///
/// `fill` writes to a temporary sibling; the file is then flushed, fsynced and renamed over
/// `path`, and the directory is fsynced. On any error the temporary file is removed and
/// `path` is untouched. I/O errors name `path` and `action`.
pub(crate) fn replace_atomically<F>(
    path: &Path,
    action: &'static str,
    fill: F,
) -> Result<(), TableError>
where
    F: FnOnce(BufWriter<File>) -> Result<BufWriter<File>, TableError>,
{
    let io_error = |io| TableError::io(action, path, io);
    let temp = temp_sibling(path);
    let file = OpenOptions::new().write(true).create_new(true).open(&temp).map_err(io_error)?;
    let mut guard = RemoveOnDrop(Some(temp));

    let mut writer = fill(BufWriter::new(file))?;
    writer.flush().map_err(io_error)?;
    let file = writer.into_inner().map_err(|e| io_error(e.into_error()))?;
    file.sync_all().map_err(io_error)?;
    drop(file);

    let temp = guard.0.take().expect("armed until here");
    if let Err(io) = fs::rename(&temp, path) {
        let _ = fs::remove_file(&temp);
        return Err(io_error(io));
    }
    sync_parent(path);
    Ok(())
}

/// Fsyncs the directory holding `path` so that a rename into it survives a crash.
///
/// Best effort: some platforms and file systems cannot fsync directories.
pub(crate) fn sync_parent(path: &Path) {
    let Some(dir) = path.parent() else { return };
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    if let Err(error) = File::open(dir).and_then(|d| d.sync_all()) {
        tracing::debug!(dir = %dir.display(), %error, "directory fsync skipped");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_fill_leaves_neither_file_nor_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "old").unwrap();
        let result = replace_atomically(&path, "write", |mut w| {
            w.write_all(b"half").unwrap();
            Err(TableError::Manifest { path: path.clone(), detail: "boom".into() })
        });
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn successful_fill_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "old").unwrap();
        replace_atomically(&path, "write", |mut w| {
            w.write_all(b"new").unwrap();
            Ok(w)
        })
        .unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
