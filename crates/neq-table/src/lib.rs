//! Writing neq's tables to disk: one Parquet file per table and sweep cell, and a manifest
//! per run.
//!
//! Two layers:
//! - [`write_table`] turns one in-memory [`Table`](neq_core::table::Table) into one Parquet
//!   file, written under a temporary name and renamed into place once complete.
//! - [`OutputDir`] is a transaction over a whole output directory: tables are staged in a
//!   hidden directory and moved into `OUT/<table>/<key=value>/…/part-0.parquet` only by
//!   [`OutputDir::commit`], which then writes `OUT/manifest.json`. A run that fails before
//!   committing leaves the directory as it found it.
//!
//! The files are deterministic: the same table and metadata give byte-identical files, so
//! runs can be compared by hashing their outputs. Every file carries the run's identity as
//! Parquet key-value metadata under [`KEY_NEQ_VERSION`], [`KEY_PIPELINE_SHA256`] and
//! [`KEY_SEED`]; the caller supplies the values.
//!
//! ```no_run
//! use neq_core::table::{Cell, ColumnSpec, ColumnType, Table};
//! use neq_table::{Manifest, OutputDir};
//!
//! # fn main() -> Result<(), neq_table::TableError> {
//! const SPECS: [ColumnSpec; 2] = [
//!     ColumnSpec { name: "sampler", ty: ColumnType::Utf8, doc: "sampler name" },
//!     ColumnSpec { name: "t", ty: ColumnType::Float64, doc: "time" },
//! ];
//! let mut table = Table::new("tracking", &SPECS);
//! table.push_row(&[Cell::Str("sim"), Cell::F64(0.0)]);
//!
//! let mut out = OutputDir::begin("OUT".as_ref())?;
//! let metadata = [("seed".to_owned(), "7".to_owned())];
//! out.stage(&table, &[("kT".to_owned(), "0.2".to_owned())], &metadata)?;
//! let manifest = Manifest { seed: 7, ..Manifest::default() };
//! out.commit(&manifest)?; // OUT/tracking/kT=0.2/part-0.parquet and OUT/manifest.json
//! # Ok(())
//! # }
//! ```

mod error;
mod fs;
mod manifest;
mod output;
mod write;

pub use error::TableError;
pub use manifest::{Manifest, ManifestColumn, ManifestTable, sha256_hex};
pub use output::{MANIFEST_FILE, OutputDir, PART_FILE};
pub use write::write_table;

/// Metadata key for the version of neq that wrote the file, e.g. `0.1.0`.
pub const KEY_NEQ_VERSION: &str = "neq_version";
/// Metadata key for the SHA-256 (lowercase hex, see [`sha256_hex`]) of the pipeline file.
pub const KEY_PIPELINE_SHA256: &str = "pipeline_sha256";
/// Metadata key for the run's seed, in decimal.
pub const KEY_SEED: &str = "seed";
