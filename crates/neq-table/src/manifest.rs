//! The run manifest (`OUT/manifest.json`): what ran, how, and which table files it wrote.

use std::collections::BTreeMap;

use neq_core::table::Table;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What a run was and which table files it wrote, saved as `OUT/manifest.json`.
///
/// The caller fills the run's identity; [`OutputDir::commit`](crate::OutputDir::commit) adds
/// one [`ManifestTable`] per staged file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Version of neq that ran, e.g. `0.1.0`.
    pub neq_version: String,
    /// The pipeline file as given on the command line.
    pub pipeline: String,
    /// SHA-256 of the pipeline file's bytes, lowercase hex (see [`sha256_hex`]).
    pub pipeline_sha256: String,
    /// The run's seed.
    pub seed: u64,
    /// When the run was committed, in seconds since the Unix epoch.
    pub created_unix: u64,
    /// Number of worker threads used. Results do not depend on it.
    pub threads: usize,
    /// Free-form settings worth keeping, e.g. `--set` overrides or the shard.
    pub settings: BTreeMap<String, String>,
    /// One entry per table file, sorted by table name, then path.
    pub tables: Vec<ManifestTable>,
}

/// One table file of a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestTable {
    /// The table's name (the metric's name).
    pub name: String,
    /// The file's path relative to the output directory, with `/` separators, e.g.
    /// `tracking/kT=0.2/part-0.parquet`.
    pub path: String,
    /// Number of rows in the file.
    pub rows: u64,
    /// The file's columns, in order.
    pub columns: Vec<ManifestColumn>,
}

/// A column's name and type in the manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestColumn {
    /// Column name.
    pub name: String,
    /// Type as named in the language reference: `string`, `f64` or `i64`.
    #[serde(rename = "type")]
    pub ty: String,
}

impl ManifestTable {
    /// The entry for `table` written at `path` (relative to the output directory).
    pub fn describe(table: &Table, path: String) -> Self {
        let columns = table
            .columns()
            .map(|(name, column)| ManifestColumn {
                name: name.to_owned(),
                ty: column.ty().name().to_owned(),
            })
            .collect();
        ManifestTable { name: table.name.clone(), path, rows: table.num_rows() as u64, columns }
    }
}

/// The SHA-256 of `bytes` as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    Sha256::digest(bytes).iter().fold(String::with_capacity(64), |mut hex, byte| {
        let _ = write!(hex, "{byte:02x}");
        hex
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn column_type_is_serialized_as_type() {
        let column = ManifestColumn { name: "t".into(), ty: "f64".into() };
        assert_eq!(serde_json::to_string(&column).unwrap(), r#"{"name":"t","type":"f64"}"#);
    }
}
