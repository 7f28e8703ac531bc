"""Reads a neq output directory back with DuckDB and polars, the way users query it.

Usage: check_tables.py OUT [--expect TABLE:FILES ...]

For every table listed in OUT/manifest.json it checks that
  * DuckDB (`read_parquet(..., hive_partitioning = true)`) and polars
    (`scan_parquet(..., hive_partitioning=True)`) both open it and count the rows the
    manifest promises;
  * both readers see the manifest's columns, in order, with the promised types, and the
    tidy columns `sampler` and `t` come first;
  * every file carries the key-value metadata `neq_version`, `pipeline_sha256` and `seed`,
    equal to the manifest's;
  * the two readers agree on the sum of every float column (same data, not just shapes).
`--expect TABLE:FILES` additionally requires that TABLE exists and has FILES part files.
Exits non-zero with a message naming the table at the first failure.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq

DUCKDB_TYPES = {"string": "VARCHAR", "f64": "DOUBLE", "i64": "BIGINT"}
POLARS_TYPES = {"string": pl.String, "f64": pl.Float64, "i64": pl.Int64}
METADATA_KEYS = ("neq_version", "pipeline_sha256", "seed")


class Failure(Exception):
    """A table that does not read back as promised."""


def check_table(out: Path, manifest: dict, name: str, entries: list[dict]) -> None:
    columns = entries[0]["columns"]
    rows = sum(entry["rows"] for entry in entries)
    names = [c["name"] for c in columns]
    if names[:2] != ["sampler", "t"]:
        raise Failure(f"{name}: tidy tables start with `sampler, t`, found {names[:2]}")

    glob = str(out / name / "**" / "*.parquet")
    con = duckdb.connect()
    relation = con.sql(f"SELECT * FROM read_parquet('{glob}', hive_partitioning = true)")
    duck_columns = list(zip(relation.columns, [str(t) for t in relation.types]))
    expected = [(c["name"], DUCKDB_TYPES[c["type"]]) for c in columns]
    if duck_columns[: len(expected)] != expected:
        raise Failure(f"{name}: DuckDB sees {duck_columns}, manifest says {expected}")
    (duck_rows,) = con.sql(f"SELECT count(*) FROM read_parquet('{glob}')").fetchall()[0]
    if duck_rows != rows:
        raise Failure(f"{name}: DuckDB counts {duck_rows} rows, manifest says {rows}")

    frame = pl.scan_parquet(out / name, hive_partitioning=True).collect()
    schema = list(frame.schema.items())[: len(columns)]
    for (col, dtype), spec in zip(schema, columns):
        if col != spec["name"] or dtype != POLARS_TYPES[spec["type"]]:
            raise Failure(f"{name}: polars sees {schema}, manifest says {columns}")
    if frame.height != rows:
        raise Failure(f"{name}: polars counts {frame.height} rows, manifest says {rows}")

    for spec in columns:
        if spec["type"] != "f64":
            continue
        column = spec["name"]
        (duck_sum,) = con.sql(
            f"SELECT sum(\"{column}\") FROM read_parquet('{glob}') WHERE isfinite(\"{column}\")"
        ).fetchall()[0]
        values = frame.get_column(column)
        polars_sum = values.filter(values.is_finite()).sum()
        duck_sum = duck_sum or 0.0
        if not math.isclose(duck_sum, polars_sum, rel_tol=1e-9, abs_tol=1e-9):
            raise Failure(f"{name}.{column}: DuckDB sums {duck_sum}, polars {polars_sum}")

    for entry in entries:
        metadata = pq.read_metadata(out / entry["path"]).metadata or {}
        found = {k.decode(): v.decode() for k, v in metadata.items()}
        want = {
            "neq_version": manifest["neq_version"],
            "pipeline_sha256": manifest["pipeline_sha256"],
            "seed": str(manifest["seed"]),
        }
        for key in METADATA_KEYS:
            if found.get(key) != want[key]:
                raise Failure(f"{entry['path']}: metadata {key} = {found.get(key)!r}, want {want[key]!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="a neq output directory")
    parser.add_argument("--expect", action="append", default=[], metavar="TABLE:FILES")
    args = parser.parse_args()

    manifest = json.loads((args.out / "manifest.json").read_text())
    tables: dict[str, list[dict]] = {}
    for entry in manifest["tables"]:
        tables.setdefault(entry["name"], []).append(entry)
    try:
        for expectation in args.expect:
            name, _, files = expectation.partition(":")
            if name not in tables:
                raise Failure(f"{name}: not in the manifest (tables: {sorted(tables)})")
            if len(tables[name]) != int(files):
                raise Failure(f"{name}: {len(tables[name])} files, expected {files}")
        for name, entries in sorted(tables.items()):
            check_table(args.out, manifest, name, entries)
            rows = sum(e["rows"] for e in entries)
            print(f"ok: {name} ({len(entries)} file(s), {rows} rows) reads back in DuckDB and polars")
    except Failure as failure:
        print(f"error: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
