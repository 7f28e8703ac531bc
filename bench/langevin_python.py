"""Python side of the Langevin benchmark, and the side-by-side report.

`measure` times overdamped Euler–Maruyama on the static 1-D Prinz potential
V(x) = 4 (x^8 + 0.8 e^(-80x^2) + 0.2 e^(-80(x-0.5)^2) + 0.5 e^(-40(x+0.5)^2)) with the same
settings as the Rust benchmark (dt 1e-3, kT 1, gamma 1, uniform start on [-1, 1]) in:

- deeptime's `prinz_potential`: C++; per particle-step one force (three std::exp, std::pow
  for x^7), one normal from std::normal_distribution over a per-thread mt19937, and the
  update. `model(x0, seed, n_jobs)` integrates every start point `n_steps` steps. It runs on
  one thread (n_jobs=1) and on every core (OpenMP, n_jobs = cores).
- numpy: the same scheme, vectorised over all particles with preallocated buffers and
  in-place ufuncs (`out=`), normals from numpy's default generator (PCG64, ziggurat).

Each implementation is warmed up, calibrated, then timed in rounds until `--seconds` have
passed; the median round gives ns per particle-step. The result is one JSON object on
stdout.

`report --python P... --rust R...` prints one table of all implementations over one or more
runs (per row the fastest run's median), with speed-ups over deeptime on one thread, and the
ratio expr / built-in of the Rust potentials, which the Rust bench measures side by side.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time

# Pin numpy's and OpenMP's thread pools before numpy loads; deeptime's n_jobs overrides the
# OpenMP default explicitly where more threads are wanted.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

DT = 1e-3
KT = 1.0
GAMMA = 1.0
SEED = 1
WARMUP_STEPS = 4
MIN_ROUNDS = 5


def prinz_force(x, out, a, b):
    """-dV/dx of the Prinz potential at `x`, into `out`, using `a` and `b` as scratch."""
    # 8 x^7
    np.multiply(x, x, out=b)  # x^2
    np.multiply(b, b, out=out)  # x^4
    np.multiply(out, b, out=out)  # x^6
    np.multiply(out, x, out=out)  # x^7
    np.multiply(out, 8.0, out=out)
    # -128 x e^(-80 x^2)
    np.multiply(b, -80.0, out=a)
    np.exp(a, out=a)
    np.multiply(a, x, out=a)
    np.multiply(a, -128.0, out=a)
    np.add(out, a, out=out)
    # -32 (x - 0.5) e^(-80 (x - 0.5)^2)
    np.subtract(x, 0.5, out=b)
    np.multiply(b, b, out=a)
    np.multiply(a, -80.0, out=a)
    np.exp(a, out=a)
    np.multiply(a, b, out=a)
    np.multiply(a, -32.0, out=a)
    np.add(out, a, out=out)
    # -40 (x + 0.5) e^(-40 (x + 0.5)^2)
    np.add(x, 0.5, out=b)
    np.multiply(b, b, out=a)
    np.multiply(a, -40.0, out=a)
    np.exp(a, out=a)
    np.multiply(a, b, out=a)
    np.multiply(a, -40.0, out=a)
    np.add(out, a, out=out)
    np.multiply(out, -4.0, out=out)
    return out


class NumpyEM:
    """Euler–Maruyama over all particles at once, with every buffer allocated up front."""

    def __init__(self, particles):
        self.rng = np.random.default_rng(SEED)
        self.x = self.rng.uniform(-1.0, 1.0, particles)
        self.force = np.empty(particles)
        self.noise = np.empty(particles)
        self.a = np.empty(particles)
        self.b = np.empty(particles)
        self.drift = DT / GAMMA
        self.sigma = np.sqrt(2.0 * KT * DT / GAMMA)

    def run(self, steps):
        x, force, noise = self.x, self.force, self.noise
        for _ in range(steps):
            prinz_force(x, force, self.a, self.b)
            np.multiply(force, self.drift, out=force)
            np.add(x, force, out=x)
            self.rng.standard_normal(out=noise)
            np.multiply(noise, self.sigma, out=noise)
            np.add(x, noise, out=x)


def check_force():
    """The hand-written force against a central difference of V (guards the numpy kernel)."""
    x = np.linspace(-1.2, 1.2, 97)

    def v(x):
        return 4 * (
            x**8
            + 0.8 * np.exp(-80 * x**2)
            + 0.2 * np.exp(-80 * (x - 0.5) ** 2)
            + 0.5 * np.exp(-40 * (x + 0.5) ** 2)
        )

    h = 1e-6
    numeric = -(v(x + h) - v(x - h)) / (2 * h)
    force = prinz_force(x, np.empty_like(x), np.empty_like(x), np.empty_like(x))
    assert np.allclose(force, numeric, rtol=1e-6, atol=1e-5), "numpy force is wrong"


def time_rounds(run, particles, per_round_seconds, budget):
    """Calibrates steps per round with `run(steps)` and times rounds until `budget` passed."""
    run(WARMUP_STEPS)
    clock = time.perf_counter()
    run(2)
    per_step = (time.perf_counter() - clock) / 2
    steps_per_round = max(1, round(per_round_seconds / per_step))
    rounds, seconds, steps = [], 0.0, 0
    while len(rounds) < MIN_ROUNDS or seconds < budget:
        clock = time.perf_counter()
        run(steps_per_round)
        elapsed = time.perf_counter() - clock
        rounds.append(elapsed * 1e9 / (steps_per_round * particles))
        seconds += elapsed
        steps += steps_per_round
    return {
        "particles": particles,
        "steps": steps,
        "seconds": round(seconds, 4),
        "rounds": len(rounds),
        "ns_per_particle_step": statistics.median(rounds),
        "best_ns_per_particle_step": min(rounds),
    }


def measure_deeptime(particles, threads, budget):
    """deeptime's integrator; a fresh model per round size, start points carried over."""
    import deeptime
    from deeptime.data import prinz_potential

    state = {"x": np.random.default_rng(SEED).uniform(-1.0, 1.0, (particles, 1)), "calls": 0}
    models = {}

    def run(steps):
        if steps not in models:
            models[steps] = prinz_potential(
                h=DT, n_steps=steps, temperature_factor=KT, mass=1.0, damping=GAMMA
            )
        state["calls"] += 1
        # A fixed seed requires one thread; with more, deeptime seeds each thread randomly.
        seed = SEED + state["calls"] if threads == 1 else -1
        state["x"] = models[steps](state["x"], seed=seed, n_jobs=threads)

    result = time_rounds(run, particles, budget / MIN_ROUNDS, budget)
    assert np.isfinite(state["x"]).all()
    return {"implementation": f"deeptime {deeptime.__version__}", "threads": threads, **result}


def measure_numpy(particles, budget):
    """The vectorised numpy integrator (numpy's ufuncs run on one thread)."""
    sim = NumpyEM(particles)
    result = time_rounds(sim.run, particles, budget / MIN_ROUNDS, budget)
    assert np.isfinite(sim.x).all()
    return {"implementation": f"numpy {np.__version__} in-place", "threads": 1, **result}


def measure(args):
    load_before = os.getloadavg()[0]
    check_force()
    cores = os.cpu_count() or 1
    results = [measure_deeptime(args.particles, 1, args.seconds)]
    print(f"deeptime, 1 thread: {results[-1]['ns_per_particle_step']:.2f} ns", file=sys.stderr)
    if cores > 1:
        results.append(measure_deeptime(args.particles, cores, args.seconds))
        print(f"deeptime, {cores} threads: {results[-1]['ns_per_particle_step']:.2f} ns",
              file=sys.stderr)
    results.append(measure_numpy(args.particles, args.seconds))
    print(f"numpy, 1 thread: {results[-1]['ns_per_particle_step']:.2f} ns", file=sys.stderr)
    print(json.dumps({
        "python": platform.python_version(),
        "dt": DT,
        "kT": KT,
        "cores": cores,
        "load_average_before": load_before,
        "results": results,
    }))


def report(args):
    """One table over one or more runs: per row the fastest of the runs' medians."""
    pys, rss = [], []
    for path, into in [(p, pys) for p in args.python] + [(r, rss) for r in args.rust]:
        with open(path) as f:
            into.append(json.load(f))
    names = {"prinz": "neq langevin, prinz()", "expr": "neq langevin, expr(…)",
             "floor": "neq, expr(x) (floor)"}
    runs = {}  # (name, threads) -> (particles, [ns of each run])
    for r in (r for py in pys for r in py["results"]):
        runs.setdefault((r["implementation"], r["threads"]), (r["particles"], []))[1].append(
            r["ns_per_particle_step"])
    for r in (r for rs in rss for r in rs["results"]):
        runs.setdefault((names[r["case"]], r["threads"]), (r["particles"], []))[1].append(
            r["ns_per_particle_step"])
    base = min(next(v for (name, threads), (_, v) in runs.items()
                    if name.startswith("deeptime") and threads == 1))
    header = ("implementation", "threads", "particles", "ns/particle-step", "particle-steps/s",
              "× deeptime (1 thr)", "per core", "spread")
    widths = (24, 7, 9, 16, 16, 18, 8, 7)
    rs = rss[0]
    loads = ", ".join(f"{py['load_average_before']:.2f}" for py in pys)
    print(f"Overdamped Euler–Maruyama, static 1-D Prinz, dt {rs['dt']}, kT {rs['kT']}, "
          f"{os.cpu_count()} cores; fastest of {len(rss)} run(s), each the median of its timed "
          f"rounds; 1-minute load average before each run: {loads}")

    def line(cells):
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(cells, widths))))

    line(header)
    for (name, threads), (particles, values) in runs.items():
        ns = min(values)
        speedup = base / ns
        line((name, str(threads), f"{particles:.0e}", f"{ns:.2f}", f"{1e9 / ns / 1e6:.1f} M",
              f"{speedup:.2f}", f"{speedup / threads:.2f}", f"{max(values) / ns - 1:.0%}"))
    for threads in rs["expr_over_builtin"]:
        per_run = [r["expr_over_builtin"][threads] for r in rss]
        each = ", ".join(f"{x:.3f}" for x in per_run)
        print(f"neq expr(…) / prinz() on {threads} thread(s), measured side by side: "
              f"median {statistics.median(per_run):.3f} (runs: {each})")
    worst = max(r["warmup_expr_difference"] for r in rss)
    print(f"neq ensembles after {rs['warmup_steps']} warm-up steps: bit-identical across thread "
          f"counts; expr and prinz differ by at most {worst:.1e}")
    print("spread: slowest run's median over the fastest, a measure of the machine's noise")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure", help="time deeptime and numpy; print JSON")
    m.add_argument("--particles", type=int, default=1_000_000)
    m.add_argument("--seconds", type=float, default=2.5, help="timed seconds per case")
    r = sub.add_parser("report", help="print the side-by-side table")
    r.add_argument("--python", nargs="+", required=True, help="outputs of `measure`")
    r.add_argument("--rust", nargs="+", required=True, help="outputs of the Rust bench")
    args = parser.parse_args()
    if args.command == "measure":
        measure(args)
    else:
        report(args)


if __name__ == "__main__":
    main()
