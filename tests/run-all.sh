#!/usr/bin/env bash
# The whole test suite: formatting, lints, every Rust test (release profile, the one the
# pipelines run with), and the tables read back by DuckDB and polars from Python.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== formatting"
cargo fmt --all -- --check

echo "== lints"
cargo clippy --workspace --all-targets --release -- -D warnings

echo "== python readers (venv in .venv)"
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r tests/python/requirements.txt

echo "== rust tests"
NEQ_PYTHON="$PWD/.venv/bin/python" cargo test --workspace --release

echo "== the main pipeline, read back with DuckDB and polars"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --release --quiet -- run pipelines/prinz_tilt.neq --out "$out/prinz_tilt"
.venv/bin/python tests/python/check_tables.py "$out/prinz_tilt" \
    --expect stats:1 --expect wells:1 --expect density:1 --expect tracking:1 --expect floor:1 \
    --expect lag:1 --expect entropy:1
for page in README.md docs/tracking.md; do
    .venv/bin/python tests/python/check_doc_queries.py "$page" "$out/prinz_tilt"
done
