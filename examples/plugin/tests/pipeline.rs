//! The plugin's `neq` binary end to end: it runs `pipelines/morse.neq` into tables, lists the
//! new kinds, and checks their parameters with the same diagnostics as the built-in kinds.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use arrow_array::{Float64Array, StringArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

const BIN: &str = env!("CARGO_BIN_EXE_neq-plugin-example");

fn pipeline() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("pipelines/morse.neq")
}

fn neq(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("the plugin binary starts")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `morse.neq` into `out` with `threads` workers and asserts success.
fn run_into(out: &Path, threads: &str) {
    let pipeline = pipeline();
    let out = out.to_str().expect("temporary paths are UTF-8");
    let output = neq(&["run", pipeline.to_str().unwrap(), "--out", out, "--threads", threads]);
    assert_eq!(output.status.code(), Some(0), "stderr:\n{}", text(&output.stderr));
}

/// One row of a `quantiles` table.
#[derive(Debug, PartialEq)]
struct Row {
    sampler: String,
    t: f64,
    coordinate: String,
    level: f64,
    value: f64,
}

fn read_quantiles(path: &Path) -> Vec<Row> {
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader = ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        let names: Vec<&str> =
            batch.schema_ref().fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, ["sampler", "t", "coordinate", "level", "value"]);
        let utf8 = |i: usize| batch.column(i).as_any().downcast_ref::<StringArray>().unwrap();
        let f64s = |i: usize| batch.column(i).as_any().downcast_ref::<Float64Array>().unwrap();
        for i in 0..batch.num_rows() {
            rows.push(Row {
                sampler: utf8(0).value(i).to_owned(),
                t: f64s(1).value(i),
                coordinate: utf8(2).value(i).to_owned(),
                level: f64s(3).value(i),
                value: f64s(4).value(i),
            });
        }
    }
    rows
}

/// The quantile of `sampler` at time `t` and `level`.
fn quantile(rows: &[Row], sampler: &str, t: f64, level: f64) -> f64 {
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    rows.iter()
        .find(|r| r.sampler == sampler && close(r.t, t) && r.level == level)
        .unwrap_or_else(|| panic!("no row for {sampler} at t = {t}, level {level}"))
        .value
}

#[test]
fn morse_pipeline_writes_its_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_into(&out, "2");
    for file in ["quantiles/part-0.parquet", "moments/part-0.parquet", "manifest.json"] {
        assert!(out.join(file).is_file(), "{file} is missing");
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let tables: Vec<&str> = manifest["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tables, ["moments", "quantiles"], "sorted by name");

    // 2 samplers × 31 recorded times × 1 coordinate × 5 levels.
    let rows = read_quantiles(&out.join("quantiles/part-0.parquet"));
    assert_eq!(rows.len(), 2 * 31 * 5);
    assert!(rows.iter().all(|r| r.coordinate == "x" && r.value.is_finite()));
    // Both start in equilibrium of the deep well: the same median, up to sampling noise.
    let (sim, eq) = (quantile(&rows, "sim", 0.0, 0.5), quantile(&rows, "eq", 0.0, 0.5));
    assert!((sim - eq).abs() < 0.03, "medians at t = 0: sim {sim}, eq {eq}");
    // The ensemble lags behind the instantaneous equilibrium while the depth falls...
    let (sim, eq) = (quantile(&rows, "sim", 2.0, 0.75), quantile(&rows, "eq", 2.0, 0.75));
    assert!(eq > sim + 0.3, "75 % quantiles at t = 2: sim {sim}, eq {eq}");
    // ...but once the well is shallow, particles leave it: the upper tail moves out.
    let (before, after) = (quantile(&rows, "sim", 0.0, 0.95), quantile(&rows, "sim", 3.0, 0.95));
    assert!(after > before + 0.5, "95 % quantile of sim: {before} at t = 0, {after} at t = 3");
}

#[test]
fn tables_do_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let (one, three) = (dir.path().join("one"), dir.path().join("three"));
    run_into(&one, "1");
    run_into(&three, "3");
    for table in ["quantiles/part-0.parquet", "moments/part-0.parquet"] {
        let (a, b) = (fs::read(one.join(table)).unwrap(), fs::read(three.join(table)).unwrap());
        assert!(a == b, "{table} differs between 1 and 3 threads");
    }
}

#[test]
fn kinds_lists_the_plugin_kinds_beside_the_builtins() {
    let output = neq(&["kinds"]);
    assert_eq!(output.status.code(), Some(0));
    let listing = text(&output.stdout);
    for signature in ["morse(depth, width: …, centre: …)", "quantiles(samplers, levels: …)"] {
        assert!(listing.contains(signature), "`{signature}` missing from:\n{listing}");
    }
    assert!(listing.contains("columns: sampler, t, coordinate, level, value"), "{listing}");
    assert!(listing.contains("langevin(potential"), "the built-ins are still there");
}

/// The checker knows the plugin kinds' parameters from the registry alone: misspelt names
/// get "did you mean" hints and the builders' own checks point at the argument, all reported
/// in one pass.
#[test]
fn mistakes_in_plugin_arguments_get_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("typos.neq");
    let source = "\
potential bond = morse(dept: 2, width: 0.5)
potential flat = morse(depth: -1)
sampler sim = langevin(bond, particles: 100, dt: 1e-3, init: point(0))
metric spread = quantiles(sim, level: [0.5])
record every 0.1 until 1
";
    fs::write(&file, source).unwrap();
    let output = neq(&["check", file.to_str().unwrap()]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(stderr.contains("did you mean `depth`?"), "{stderr}");
    assert!(stderr.contains("did you mean `levels`?"), "{stderr}");
    assert!(stderr.contains("the depth of a Morse well must be a positive number"), "{stderr}");
    assert!(stderr.contains("typos.neq:2:"), "the build error names its line:\n{stderr}");
    assert!(stderr.contains("3 errors"), "{stderr}");
}
