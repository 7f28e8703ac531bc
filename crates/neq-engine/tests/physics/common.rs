//! Running a pipeline end to end (check, run, write) and reading its tables back from Parquet.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::{Array, Float64Array, Int64Array, StringArray};
use neq_check::{CheckOptions, Checked};
use neq_diag::{SourceMap, render_terminal};
use neq_engine::RunOptions;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

/// The repository's `pipelines/` folder.
pub fn pipelines_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../pipelines")
}

/// Checks `text` (panicking with the rendered diagnostics if it is invalid), runs it on
/// `threads` worker threads and writes its tables under `out`.
pub fn run_text(text: &str, overrides: &[(&str, &str)], threads: usize, out: &Path) {
    let registry = neq_kinds::builtin_registry();
    let mut sources = SourceMap::new();
    let options = CheckOptions {
        overrides: overrides.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
    };
    let Checked { pipeline, diagnostics } =
        neq_check::check_text("test.neq", text, &options, &registry, &mut sources);
    let Some(pipeline) = pipeline else {
        panic!("invalid pipeline:\n{}", render_terminal(&sources, &diagnostics));
    };
    let options = RunOptions {
        out: out.to_owned(),
        threads: Some(threads),
        pipeline_path: "test.neq".into(),
        settings: Default::default(),
    };
    if let Err(error) = neq_engine::run(pipeline, &options, &|_, _| {}) {
        panic!("run failed: {error}");
    }
}

/// Runs the shipped pipeline `pipelines/<name>` and returns its output directory.
pub fn run_shipped(name: &str, overrides: &[(&str, &str)], threads: usize) -> tempfile::TempDir {
    let text = std::fs::read_to_string(pipelines_dir().join(name)).expect("shipped pipeline");
    let out = tempfile::tempdir().expect("temporary directory");
    run_text(&text, overrides, threads, out.path());
    out
}

/// One table read back: every column by name.
#[derive(Debug, Default)]
pub struct Columns {
    strings: HashMap<String, Vec<String>>,
    floats: HashMap<String, Vec<f64>>,
    ints: HashMap<String, Vec<i64>>,
    rows: usize,
}

impl Columns {
    /// A string column.
    pub fn str(&self, name: &str) -> &[String] {
        &self.strings[name]
    }

    /// A float column.
    pub fn f64(&self, name: &str) -> &[f64] {
        &self.floats[name]
    }

    /// An integer column.
    pub fn i64(&self, name: &str) -> &[i64] {
        &self.ints[name]
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }
}

/// Reads `out/<table>/part-0.parquet`.
pub fn read_table(out: &Path, table: &str) -> Columns {
    let path = out.join(table).join("part-0.parquet");
    let file = File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader = ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
    let mut columns = Columns::default();
    for batch in reader {
        let batch = batch.unwrap();
        columns.rows += batch.num_rows();
        for (field, array) in batch.schema().fields().iter().zip(batch.columns()) {
            let name = field.name().clone();
            let any = array.as_any();
            if let Some(a) = any.downcast_ref::<Float64Array>() {
                columns.floats.entry(name).or_default().extend(a.values().iter());
            } else if let Some(a) = any.downcast_ref::<Int64Array>() {
                columns.ints.entry(name).or_default().extend(a.values().iter());
            } else if let Some(a) = any.downcast_ref::<StringArray>() {
                let values = (0..a.len()).map(|i| a.value(i).to_owned());
                columns.strings.entry(name).or_default().extend(values);
            } else {
                panic!("unexpected column type {:?}", field.data_type());
            }
        }
    }
    columns
}
