//! Behaviour users see: what the Parquet files contain and how the output directory
//! changes (or does not) when a run commits or fails.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use arrow_array::{Array, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::DataType;
use neq_core::table::{Cell, ColumnSpec, ColumnType, Table};
use neq_table::{
    KEY_NEQ_VERSION, KEY_PIPELINE_SHA256, KEY_SEED, MANIFEST_FILE, Manifest, OutputDir, TableError,
    sha256_hex, write_table,
};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, Encoding};

const SPECS: [ColumnSpec; 3] = [
    ColumnSpec { name: "sampler", ty: ColumnType::Utf8, doc: "" },
    ColumnSpec { name: "t", ty: ColumnType::Float64, doc: "" },
    ColumnSpec { name: "count", ty: ColumnType::Int64, doc: "" },
];

/// Floats that a lossy path would change: signed zero, NaN payloads, extremes, subnormals.
fn tricky_floats() -> Vec<f64> {
    vec![
        0.0,
        -0.0,
        1.0 / 3.0,
        f64::from_bits(0x7ff8_0000_dead_beef),
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MIN_POSITIVE / 8.0,
        f64::MAX,
        -1e-300,
    ]
}

fn table(name: &str, rows: usize) -> Table {
    let mut table = Table::new(name, &SPECS);
    let floats = tricky_floats();
    for i in 0..rows {
        let sampler = ["sim", "truth", "é ünïcode"][i % 3];
        let count = [i64::MIN, -1, 0, i64::MAX][i % 4] ^ i as i64;
        table.push_row(&[
            Cell::Str(sampler),
            Cell::F64(floats[i % floats.len()]),
            Cell::I64(count),
        ]);
    }
    table
}

fn metadata() -> Vec<(String, String)> {
    vec![
        (KEY_NEQ_VERSION.into(), "0.1.0".into()),
        (KEY_PIPELINE_SHA256.into(), sha256_hex(b"seed = 7\n")),
        (KEY_SEED.into(), "7".into()),
    ]
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn manifest() -> Manifest {
    Manifest {
        neq_version: "0.1.0".into(),
        pipeline: "p.neq".into(),
        pipeline_sha256: sha256_hex(b"seed = 7\n"),
        seed: 7,
        created_unix: 1_700_000_000,
        threads: 2,
        ..Manifest::default()
    }
}

/// Every file under `dir`, relative, sorted, with `/` separators.
fn files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).unwrap();
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn read_batches(path: &Path) -> Vec<RecordBatch> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap())
        .unwrap()
        .build()
        .unwrap();
    reader.collect::<Result<_, _>>().unwrap()
}

fn read_manifest(root: &Path) -> Manifest {
    serde_json::from_str(&fs::read_to_string(root.join(MANIFEST_FILE)).unwrap()).unwrap()
}

#[test]
fn round_trip_keeps_every_value_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.parquet");
    let original = table("m", 1000);
    write_table(&path, &original, &metadata()).unwrap();

    let batches = read_batches(&path);
    let schema = batches[0].schema();
    let types: Vec<_> =
        schema.fields().iter().map(|f| (f.name().as_str(), f.data_type())).collect();
    assert_eq!(
        types,
        [("sampler", &DataType::Utf8), ("t", &DataType::Float64), ("count", &DataType::Int64)]
    );
    assert!(schema.fields().iter().all(|f| !f.is_nullable()));

    let mut back = Table::new("m", &SPECS);
    for batch in &batches {
        let column = |i: usize| batch.column(i).as_any();
        let samplers = column(0).downcast_ref::<StringArray>().unwrap();
        let ts = column(1).downcast_ref::<Float64Array>().unwrap();
        let counts = column(2).downcast_ref::<Int64Array>().unwrap();
        assert_eq!(samplers.null_count() + ts.null_count() + counts.null_count(), 0);
        for row in 0..batch.num_rows() {
            back.push_row(&[
                Cell::Str(samplers.value(row)),
                Cell::F64(ts.value(row)),
                Cell::I64(counts.value(row)),
            ]);
        }
    }
    // `Table`'s equality compares floats by value (NaN != NaN); compare bits instead.
    let bits = |table: &Table| -> Vec<String> {
        table
            .columns()
            .map(|(name, column)| match column {
                neq_core::table::Column::Float64(v) => {
                    format!("{name}: {:?}", v.iter().map(|x| x.to_bits()).collect::<Vec<_>>())
                }
                other => format!("{name}: {other:?}"),
            })
            .collect()
    };
    assert_eq!(bits(&back), bits(&original));
}

#[test]
fn files_carry_run_metadata_zstd_statistics_and_no_float_dictionary() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.parquet");
    write_table(&path, &table("m", 100), &metadata()).unwrap();

    let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(&path).unwrap()).unwrap();
    let parquet = builder.metadata();
    let key_values = parquet.file_metadata().key_value_metadata().unwrap();
    let keys: Vec<_> = key_values.iter().map(|kv| kv.key.as_str()).collect();
    for key in [KEY_NEQ_VERSION, KEY_PIPELINE_SHA256, KEY_SEED, "ARROW:schema"] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    let seed = key_values.iter().find(|kv| kv.key == KEY_SEED).unwrap();
    assert_eq!(seed.value.as_deref(), Some("7"));

    let row_group = parquet.row_group(0);
    for (i, chunk) in row_group.columns().iter().enumerate() {
        assert!(matches!(chunk.compression(), Compression::ZSTD(_)), "column {i}");
        assert!(chunk.statistics().is_some(), "column {i} has no statistics");
    }
    let float = row_group.column(1);
    assert!(float.dictionary_page_offset().is_none());
    assert!(!float.encodings().any(|e| e == Encoding::RLE_DICTIONARY));
}

#[test]
fn identical_tables_give_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.parquet"), dir.path().join("b.parquet"));
    write_table(&a, &table("m", 5000), &metadata()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    write_table(&b, &table("m", 5000), &metadata()).unwrap();
    assert_eq!(fs::read(&a).unwrap(), fs::read(&b).unwrap());
}

#[test]
fn empty_tables_are_valid_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.parquet");
    write_table(&path, &table("empty", 0), &metadata()).unwrap();
    let rows: usize = read_batches(&path).iter().map(RecordBatch::num_rows).sum();
    assert_eq!(rows, 0);
}

#[test]
fn commit_moves_tables_into_hive_layout_and_writes_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("OUT");
    let mut out = OutputDir::begin(&root).unwrap();
    out.stage(&table("tracking", 10), &pairs(&[("kT", "0.1")]), &metadata()).unwrap();
    out.stage(&table("tracking", 12), &pairs(&[("kT", "0.2")]), &metadata()).unwrap();
    out.stage(&table("wells", 3), &[], &metadata()).unwrap();
    out.commit(&manifest()).unwrap();

    assert_eq!(
        files(&root),
        [
            "manifest.json",
            "tracking/kT=0.1/part-0.parquet",
            "tracking/kT=0.2/part-0.parquet",
            "wells/part-0.parquet",
        ]
    );
    let written = read_manifest(&root);
    let listed: Vec<_> =
        written.tables.iter().map(|t| (t.name.as_str(), t.path.as_str(), t.rows)).collect();
    assert_eq!(
        listed,
        [
            ("tracking", "tracking/kT=0.1/part-0.parquet", 10),
            ("tracking", "tracking/kT=0.2/part-0.parquet", 12),
            ("wells", "wells/part-0.parquet", 3),
        ]
    );
    let columns: Vec<_> = written.tables[0].columns.iter().map(|c| c.ty.as_str()).collect();
    assert_eq!(columns, ["string", "f64", "i64"]);
    assert_eq!(Manifest { tables: Vec::new(), ..written }, manifest());
}

#[test]
fn a_run_that_does_not_commit_leaves_no_tables_and_no_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("OUT");
    let mut out = OutputDir::begin(&root).unwrap();
    let staged = out.stage(&table("m", 10), &pairs(&[("kT", "0.1")]), &metadata()).unwrap();
    assert!(staged.is_file());
    drop(out);
    assert!(root.is_dir());
    assert_eq!(fs::read_dir(&root).unwrap().count(), 0);
}

#[test]
fn a_failed_run_leaves_earlier_results_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("OUT");
    let mut out = OutputDir::begin(&root).unwrap();
    out.stage(&table("m", 10), &[], &metadata()).unwrap();
    out.commit(&manifest()).unwrap();
    let before: Vec<_> = files(&root).iter().map(|f| fs::read(root.join(f)).unwrap()).collect();

    let mut out = OutputDir::begin(&root).unwrap();
    out.stage(&table("m", 20), &[], &metadata()).unwrap();
    out.stage(&table("other", 5), &[], &metadata()).unwrap();
    drop(out);
    let after: Vec<_> = files(&root).iter().map(|f| fs::read(root.join(f)).unwrap()).collect();
    assert_eq!(files(&root), ["m/part-0.parquet", "manifest.json"]);
    assert_eq!(before, after);
}

#[test]
fn commit_replaces_an_older_table_and_keeps_others() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("OUT");
    let mut out = OutputDir::begin(&root).unwrap();
    out.stage(&table("m", 10), &[], &metadata()).unwrap();
    out.stage(&table("kept", 4), &[], &metadata()).unwrap();
    out.commit(&manifest()).unwrap();

    let mut out = OutputDir::begin(&root).unwrap();
    out.stage(&table("m", 20), &[], &metadata()).unwrap();
    let mut next = manifest();
    next.tables = read_manifest(&root).tables; // carry the earlier entries forward
    out.commit(&next).unwrap();

    let rows: usize =
        read_batches(&root.join("m/part-0.parquet")).iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows, 20);
    assert_eq!(files(&root), ["kept/part-0.parquet", "m/part-0.parquet", "manifest.json"]);
    let listed: Vec<_> =
        read_manifest(&root).tables.iter().map(|t| (t.name.clone(), t.rows)).collect();
    assert_eq!(listed, [("kept".to_owned(), 4), ("m".to_owned(), 20)]);
}

#[test]
fn staging_a_file_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut out = OutputDir::begin(dir.path()).unwrap();
    out.stage(&table("m", 1), &pairs(&[("kT", "1")]), &[]).unwrap();
    let error = out.stage(&table("m", 1), &pairs(&[("kT", "1")]), &[]).unwrap_err();
    assert!(matches!(error, TableError::StagedTwice { .. }), "{error}");
}

#[test]
fn an_unusable_output_directory_is_named_with_a_remedy() {
    let dir = tempfile::tempdir().unwrap();
    let blocker: PathBuf = dir.path().join("OUT");
    fs::write(&blocker, "a file, not a directory").unwrap();
    let error = OutputDir::begin(&blocker).unwrap_err().to_string();
    assert!(error.starts_with("cannot create the output directory `"), "{error}");
    assert!(error.contains(&blocker.display().to_string()), "{error}");
    assert!(error.ends_with("choose another --out directory"), "{error}");
}
