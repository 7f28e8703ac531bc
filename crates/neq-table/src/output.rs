//! The output directory as a transaction: stage table files, then commit them all at once.
//!
//! Layout after a commit:
//! ```text
//! OUT/manifest.json
//! OUT/<table>/part-0.parquet                      (no partition)
//! OUT/<table>/<key>=<value>/…/part-0.parquet      (hive partition keys, e.g. sweep values)
//! ```
//! While a run is going, its files live in `OUT/.neq-staging-<pid>-<nanos>/`, which readers
//! skip because the name starts with a dot.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use neq_core::table::Table;

use crate::fs::{replace_atomically, sync_parent};
use crate::{Manifest, ManifestTable, TableError, write_table};

/// Name of the manifest file in the output directory.
pub const MANIFEST_FILE: &str = "manifest.json";
/// Name of the Parquet file in each table (and partition) directory.
pub const PART_FILE: &str = "part-0.parquet";

/// A transaction over an output directory.
///
/// [`stage`](Self::stage) writes table files into a private staging directory inside the
/// output directory; [`commit`](Self::commit) moves them into place and writes the manifest.
/// Dropping an `OutputDir` without committing removes the staging directory, so a failed
/// run leaves no table that looks complete and leaves earlier results untouched.
#[derive(Debug)]
pub struct OutputDir {
    root: PathBuf,
    staging: PathBuf,
    staged: Vec<ManifestTable>,
}

impl OutputDir {
    /// Creates `root` if needed and a fresh staging directory inside it.
    pub fn begin(root: &Path) -> Result<Self, TableError> {
        fs::create_dir_all(root)
            .map_err(|io| TableError::io("create the output directory", root, io))?;
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let staging = root.join(format!(".neq-staging-{}-{nanos}", std::process::id()));
        fs::create_dir(&staging).map_err(|io| TableError::io("write results to", root, io))?;
        tracing::debug!(staging = %staging.display(), "output staging directory created");
        Ok(OutputDir { root: root.to_owned(), staging, staged: Vec::new() })
    }

    /// The output directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The files staged so far, as they will appear in the manifest.
    pub fn staged(&self) -> &[ManifestTable] {
        &self.staged
    }

    /// Writes `table` into the staging directory as `<table>/<k=v>/…/part-0.parquet`.
    ///
    /// `partition` holds hive partition keys and values, outermost first (may be empty);
    /// `metadata` goes into the file as in [`write_table`]. Returns the staged file's path.
    /// Errors name the file's final path, not the staging one.
    pub fn stage(
        &mut self,
        table: &Table,
        partition: &[(String, String)],
        metadata: &[(String, String)],
    ) -> Result<PathBuf, TableError> {
        let relative = relative_path(&table.name, partition)?;
        if self.staged.iter().any(|entry| entry.path == relative) {
            return Err(TableError::StagedTwice { path: relative.into() });
        }
        let final_path = self.root.join(&relative);
        let staged = self.staging.join(&relative);
        let dir = staged.parent().expect("a staged file has a directory");
        fs::create_dir_all(dir)
            .map_err(|io| TableError::io("write results to", &final_path, io))?;
        write_table(&staged, table, metadata).map_err(|error| with_path(error, &final_path))?;
        self.staged.push(ManifestTable::describe(table, relative));
        Ok(staged)
    }

    /// Moves every staged file into place, then writes `manifest.json`.
    ///
    /// Each file replaces an older file of the same name; other files in the output
    /// directory stay. The manifest written is `manifest` with one entry per staged file
    /// added (an entry of `manifest.tables` with the same path is replaced), sorted by table
    /// name and path. It is written under a temporary name and renamed, so readers see the
    /// old or the new manifest, never a partial one. If moving fails midway, files moved so
    /// far stay in place and the manifest is not touched.
    pub fn commit(self, manifest: &Manifest) -> Result<(), TableError> {
        for entry in &self.staged {
            let from = self.staging.join(&entry.path);
            let to = self.root.join(&entry.path);
            let io_error = |io| TableError::io("write results to", &to, io);
            fs::create_dir_all(to.parent().expect("a table file has a directory"))
                .map_err(io_error)?;
            fs::rename(&from, &to).map_err(io_error)?;
            sync_parent(&to);
        }

        let mut manifest = manifest.clone();
        manifest.tables.retain(|old| self.staged.iter().all(|new| new.path != old.path));
        manifest.tables.extend(self.staged.iter().cloned());
        manifest.tables.sort_by(|a, b| (&a.name, &a.path).cmp(&(&b.name, &b.path)));
        let path = self.root.join(MANIFEST_FILE);
        let json = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| TableError::Manifest { path: path.clone(), detail: e.to_string() })?;
        replace_atomically(&path, "write", |mut out| {
            out.write_all(&json)
                .and_then(|()| out.write_all(b"\n"))
                .map_err(|io| TableError::io("write", &path, io))?;
            Ok(out)
        })?;
        tracing::info!(dir = %self.root.display(), files = self.staged.len(), "results written");
        Ok(())
    }
}

impl Drop for OutputDir {
    /// Removes the staging directory: its files were either moved out by a commit or belong
    /// to a run that did not complete.
    fn drop(&mut self) {
        if let Err(error) = fs::remove_dir_all(&self.staging) {
            tracing::warn!(dir = %self.staging.display(), %error, "cannot remove staging directory");
        }
    }
}

/// `<table>/<k>=<v>/…/part-0.parquet` with `/` separators, after checking every component.
fn relative_path(table: &str, partition: &[(String, String)]) -> Result<String, TableError> {
    check_name("table name", table)?;
    let mut path = table.to_owned();
    for (key, value) in partition {
        check_name("partition key", key)?;
        check_value(value)?;
        path.push('/');
        path.push_str(key);
        path.push('=');
        path.push_str(value);
    }
    path.push('/');
    path.push_str(PART_FILE);
    Ok(path)
}

/// A table name or partition key: one directory name readers do not skip or misparse.
fn check_name(what: &'static str, name: &str) -> Result<(), TableError> {
    let reason = if name.starts_with(['.', '_']) {
        Some("readers skip directories starting with `.` or `_`")
    } else if name.contains('=') {
        Some("`=` separates hive partition keys from values")
    } else {
        common_problem(name)
    };
    reason.map_or(Ok(()), |reason| Err(invalid(what, name, reason)))
}

/// A partition value: the part after `key=`.
fn check_value(value: &str) -> Result<(), TableError> {
    common_problem(value).map_or(Ok(()), |reason| Err(invalid("partition value", value, reason)))
}

/// Problems shared by names and values.
fn common_problem(text: &str) -> Option<&'static str> {
    if text.is_empty() {
        Some("it is empty")
    } else if text.contains(['/', '\\']) {
        Some("it contains a path separator")
    } else if text.contains('%') {
        Some("readers decode `%` escapes in directory names")
    } else if text.contains(char::is_control) {
        Some("it contains control characters")
    } else {
        None
    }
}

fn invalid(what: &'static str, name: &str, reason: &'static str) -> TableError {
    TableError::InvalidName { what, name: name.to_owned(), reason }
}

/// Replaces a staging path in `error` by the path the user will look for.
fn with_path(error: TableError, shown: &Path) -> TableError {
    match error {
        TableError::Io { action, io, .. } => TableError::Io { action, path: shown.into(), io },
        TableError::Encode { table, detail, .. } => {
            TableError::Encode { table, path: shown.into(), detail }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn paths_nest_partitions_in_order() {
        assert_eq!(relative_path("m", &[]).unwrap(), "m/part-0.parquet");
        let partition = pairs(&[("kT", "0.2"), ("n", "10")]);
        assert_eq!(relative_path("m", &partition).unwrap(), "m/kT=0.2/n=10/part-0.parquet");
    }

    #[test]
    fn names_that_readers_would_skip_or_misparse_are_refused() {
        for (table, partition) in [
            ("", vec![]),
            (".hidden", vec![]),
            ("_tmp", vec![]),
            ("a/b", vec![]),
            ("a=b", vec![]),
            ("m", pairs(&[("k", "")])),
            ("m", pairs(&[("k", "../x")])),
            ("m", pairs(&[("k=1", "2")])),
            ("m", pairs(&[("k", "50%")])),
        ] {
            let error = relative_path(table, &partition).unwrap_err();
            assert!(matches!(error, TableError::InvalidName { .. }), "{table} {partition:?}");
        }
    }

    #[test]
    fn invalid_names_say_why() {
        let error = relative_path("_m", &[]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid table name `_m` in the output directory: readers skip directories \
             starting with `.` or `_`"
        );
    }
}
