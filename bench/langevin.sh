#!/usr/bin/env bash
# Side-by-side Langevin benchmark: deeptime and numpy (bench/langevin_python.py) against the
# neq `langevin` sampler (crates/neq-kinds/benches/langevin.rs), all on the static 1-D Prinz
# potential with dt 1e-3 and kT 1, in one run so that the ratios share the machine's state.
#
# Usage: bench/langevin.sh            (about 2 minutes after the first build)
# Environment: BENCH_RUNS (default 3: the whole comparison is repeated and each row keeps its
# fastest run, since shared machines are noisy), BENCH_PARTICLES (default 1000000),
# BENCH_SECONDS (timed seconds per case and run, default 2.5). The Python environment lives
# in bench/.venv and is created on first use.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
venv="$here/.venv"
particles="${BENCH_PARTICLES:-1000000}"
seconds="${BENCH_SECONDS:-2.5}"
runs="${BENCH_RUNS:-3}"

if [ ! -x "$venv/bin/python" ]; then
    echo "creating $venv" >&2
    python3 -m venv "$venv"
fi
# Install only when the pins changed since the last install.
if ! cmp -s "$here/requirements.txt" "$venv/.installed-requirements.txt"; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: \
        -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$venv/.installed-requirements.txt"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Build first, so compiling does not overlap the Python timings.
(cd "$root" && cargo bench -p neq-kinds --bench langevin --no-run --quiet)

python_out=()
rust_out=()
for run in $(seq 1 "$runs"); do
    echo "run $run of $runs: deeptime and numpy ($particles particles, ${seconds} s per case)" >&2
    "$venv/bin/python" "$here/langevin_python.py" measure --particles "$particles" \
        --seconds "$seconds" > "$work/python-$run.json"
    echo "run $run of $runs: neq" >&2
    (cd "$root" && NEQ_BENCH_PARTICLES="$particles" NEQ_BENCH_SECONDS="$seconds" \
        cargo bench -p neq-kinds --bench langevin --quiet -- --json) > "$work/rust-$run.json"
    python_out+=("$work/python-$run.json")
    rust_out+=("$work/rust-$run.json")
done

echo >&2
"$venv/bin/python" "$here/langevin_python.py" report --python "${python_out[@]}" \
    --rust "${rust_out[@]}"
