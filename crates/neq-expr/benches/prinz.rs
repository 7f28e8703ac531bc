//! The Prinz gradient three ways: a hand-written loop with the library `exp`, the same loop
//! with the branch-free [`math::exp`] over chunks, and the compiled symbolic gradient.
//!
//! Run with `cargo bench -p neq-expr`. Prints ns per point (the best of several interleaved
//! repetitions, and percentiles of short slices, which resist a busy machine) and the ratios.
//! Not a timed test: nothing is asserted about speed.

use std::hint::black_box;
use std::time::Instant;

use neq_expr::{ExprGraph, Func1, Func2, NodeId, Program, Scratch, Var, math};

const N: usize = 1_000_000;
const CHUNK: usize = 512;
const REPS: usize = 9;
/// Points per timed slice: short enough that most slices run without being preempted on a
/// busy machine, so the lower percentiles show the unloaded speed.
const SLICE: usize = 8192;
/// The tilt `f` of `V = prinz(x) + f*x`.
const TILT: f64 = 0.3;

/// `dV/dx` written by hand, with the exponential passed in.
#[inline(always)]
fn hand(x: f64, exp: impl Fn(f64) -> f64) -> f64 {
    let (b, c) = (x - 0.5, x + 0.5);
    let x2 = x * x;
    let x7 = x2 * x2 * x2 * x;
    4.0 * (8.0 * x7
        - 128.0 * x * exp(-80.0 * x2)
        - 32.0 * b * exp(-80.0 * b * b)
        - 40.0 * c * exp(-40.0 * c * c))
        + TILT
}

/// (a) A plain loop with the library exponential.
fn library_loop(xs: &[f64], out: &mut [f64]) {
    for (o, &x) in out.iter_mut().zip(xs) {
        *o = hand(x, f64::exp);
    }
}

/// (b) The same loop with the branch-free exponential, over chunks.
fn fast_loop(xs: &[f64], out: &mut [f64]) {
    for (xc, oc) in xs.chunks(CHUNK).zip(out.chunks_mut(CHUNK)) {
        for (o, &x) in oc.iter_mut().zip(xc) {
            *o = hand(x, math::exp);
        }
    }
}

/// (c) The compiled program, over chunks.
fn program_loop(p: &Program, xs: &[f64], outs: &mut [&mut [f64]], scratch: &mut Scratch) {
    let n = xs.len();
    let mut start = 0;
    while start < n {
        let end = n.min(start + CHUNK);
        let mut chunk: Vec<&mut [f64]> = Vec::with_capacity(outs.len());
        for o in outs.iter_mut() {
            chunk.push(&mut o[start..end]);
        }
        p.eval_batch(&[&xs[start..end]], 0.0, &[TILT], &[0.0], &mut chunk, scratch);
        start = end;
    }
}

/// `4*(x^8 + 0.8 e^{-80x²} + 0.2 e^{-80(x-0.5)²} + 0.5 e^{-40(x+0.5)²}) + s0*x`.
fn prinz(g: &mut ExprGraph) -> NodeId {
    let x = g.var(Var::X);
    let gauss = |g: &mut ExprGraph, weight: f64, k: f64, centre: f64| {
        let c = g.constant(centre);
        let d = g.binary(Func2::Sub, x, c);
        let d2 = g.unary(Func1::Powi(2), d);
        let k = g.constant(-k);
        let arg = g.binary(Func2::Mul, k, d2);
        let e = g.unary(Func1::Exp, arg);
        let w = g.constant(weight);
        g.binary(Func2::Mul, w, e)
    };
    let mut sum = g.unary(Func1::Powi(8), x);
    for (w, k, c) in [(0.8, 80.0, 0.0), (0.2, 80.0, 0.5), (0.5, 40.0, -0.5)] {
        let term = gauss(g, w, k, c);
        sum = g.binary(Func2::Add, sum, term);
    }
    let four = g.constant(4.0);
    let scaled = g.binary(Func2::Mul, four, sum);
    let f = g.var(Var::Param(0));
    let tilt = g.binary(Func2::Mul, f, x);
    g.binary(Func2::Add, scaled, tilt)
}

/// Timings of one variant: the whole pass per repetition, and each slice of it.
#[derive(Default)]
struct Timings {
    passes: Vec<f64>,
    slices: Vec<f64>,
}

impl Timings {
    /// Runs `f` over all points slice by slice, timing the pass and every slice.
    fn run(&mut self, n: usize, mut f: impl FnMut(usize, usize)) {
        let pass = Instant::now();
        let mut start = 0;
        while start < n {
            let end = n.min(start + SLICE);
            let t = Instant::now();
            f(start, end);
            self.slices.push(t.elapsed().as_secs_f64() * 1e9 / (end - start) as f64);
            start = end;
        }
        self.passes.push(pass.elapsed().as_secs_f64() * 1e9 / n as f64);
    }

    /// Best pass, then the 10th percentile and the median of the slices, in ns per point.
    fn summary(&self) -> [f64; 3] {
        let sorted = |v: &[f64]| {
            let mut v = v.to_vec();
            v.sort_by(f64::total_cmp);
            v
        };
        let (p, s) = (sorted(&self.passes), sorted(&self.slices));
        [p[0], s[s.len() / 10], s[s.len() / 2]]
    }
}

fn main() {
    let mut g = ExprGraph::new();
    let v = prinz(&mut g);
    let dv = g.derivative(v, Var::X).expect("no schedule rates");
    let grad = Program::compile(&g, &[dv]);
    let both = Program::compile(&g, &[v, dv]);
    println!("gradient program ({:?}):\n{grad}\n", grad.stats());

    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let xs: Vec<f64> = (0..N)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
        })
        .collect();
    let (mut a, mut b, mut c, mut d) = (vec![0.0; N], vec![0.0; N], vec![0.0; N], vec![0.0; N]);
    let mut scratch = Scratch::default();
    let mut times: [Timings; 4] = Default::default();
    for _ in 0..REPS {
        times[0].run(N, |s, e| library_loop(black_box(&xs[s..e]), &mut a[s..e]));
        times[1].run(N, |s, e| fast_loop(black_box(&xs[s..e]), &mut b[s..e]));
        times[2].run(N, |s, e| {
            program_loop(&grad, black_box(&xs[s..e]), &mut [&mut c[s..e]], &mut scratch);
        });
        times[3].run(N, |s, e| {
            let outs: &mut [&mut [f64]] = &mut [&mut d[s..e], &mut c[s..e]];
            program_loop(&both, black_box(&xs[s..e]), outs, &mut scratch);
        });
        black_box((&a, &b, &c, &d));
    }
    let max_diff =
        a.iter().zip(&c).map(|(p, q)| (p - q).abs() / (1.0 + p.abs())).fold(0.0, f64::max);
    let [ta, tb, tc, td] = times.map(|t| t.summary());
    println!("{N} points x {REPS} repetitions, chunks of {CHUNK}, timed in slices of {SLICE}");
    println!("ns/point: best pass | 10th percentile of slices | median of slices");
    let row =
        |name: &str, t: [f64; 3]| println!("{name:<40} {:6.2} | {:6.2} | {:6.2}", t[0], t[1], t[2]);
    row("(a) hand-written, f64::exp", ta);
    row("(b) hand-written, math::exp, chunks", tb);
    row("(c) Program::eval_batch, dV/dx", tc);
    row("(d) Program::eval_batch, V and dV/dx", td);
    let ratio = |x: [f64; 3], y: [f64; 3]| [x[0] / y[0], x[1] / y[1], x[2] / y[2]];
    let [c0, c1, c2] = ratio(tc, tb);
    let [a0, a1, a2] = ratio(ta, tb);
    println!("ratio c/b: {c0:.2} | {c1:.2} | {c2:.2}");
    println!("ratio a/b: {a0:.2} | {a1:.2} | {a2:.2}");
    println!("largest relative difference between (a) and (c): {max_diff:e}");
}
