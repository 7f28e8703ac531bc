//! One implicit directional step: p ← (I − h A_k)⁻¹ p for the Scharfetter–Gummel operator
//! A_k along axis k, as a batch of independent tridiagonal solves over the grid lines.
//!
//! A_k annihilates the discrete Boltzmann density of the field it was built from (every
//! face flux vanishes), preserves mass (columns of I − h A_k sum to one) and is an
//! M-matrix, so each directional step keeps p ≥ 0, and products of such steps (dimensional
//! splitting) keep all three properties.
//!
//! Line groups ([`Lines`]) are fixed by the grid and solved in parallel, each into its own
//! buffers, so results are bit-identical for any number of threads. Groups along the last
//! axis own a contiguous run of rows and write their solution back at once; groups along
//! any other axis read the density, keep their solution, and a second parallel pass over
//! contiguous runs copies the solutions back.

use rayon::prelude::*;

use crate::bernoulli::sg_pairs;
use crate::field::Field;
use crate::grid::{Grid, LANES, Lines};
use crate::tridiagonal::{
    back, back_lanes, factor_forward, factor_forward_lanes, forward, forward_lanes,
};

/// The directional solver along one axis, with the work buffers of every line group.
#[derive(Debug)]
pub(crate) struct Sweep {
    /// Whether the axis is not the last one (its lines are not contiguous).
    strided: bool,
    /// Cells along the axis.
    n: usize,
    /// Memory distance between neighbours along the axis.
    inner: usize,
    /// Groups for each value of the slower indices (for strided axes).
    groups_per_outer: usize,
    /// The line groups.
    groups: Vec<Group>,
    /// Bits of λ of the stored factorisation, if any.
    factored: Option<u64>,
}

/// The buffers of one line group.
#[derive(Debug)]
struct Group {
    lines: Lines,
    /// Face coefficients B(Δu) (towards higher index) per cell; zero at the last cell.
    a: Vec<f64>,
    /// Face coefficients B(−Δu) (towards lower index) per cell; zero at the last cell.
    b: Vec<f64>,
    /// Inverse pivots.
    inv: Vec<f64>,
    /// Back-substitution factors.
    e: Vec<f64>,
    /// Right-hand side, then solution.
    x: Vec<f64>,
    /// Face coefficients of one line before interleaving (two halves of n cells).
    line: Vec<f64>,
}

impl Sweep {
    /// Buffers for the lines of `grid` along `axis`.
    pub fn new(grid: &Grid, axis: usize) -> Sweep {
        let groups: Vec<Group> = grid
            .line_groups(axis)
            .into_iter()
            .map(|lines| {
                let len = lines.n * lines.lanes;
                Group {
                    lines,
                    a: vec![0.0; len],
                    b: vec![0.0; len],
                    inv: vec![0.0; len],
                    e: vec![0.0; len],
                    x: vec![0.0; len],
                    line: vec![0.0; 2 * lines.n],
                }
            })
            .collect();
        let inner = grid.strides[axis];
        Sweep {
            strided: axis + 1 != grid.dim(),
            n: grid.cells[axis],
            inner,
            groups_per_outer: inner.div_ceil(LANES),
            groups,
            factored: None,
        }
    }

    /// Whether a factorisation for `lam` is stored.
    pub fn is_factored_for(&self, lam: f64) -> bool {
        self.factored == Some(lam.to_bits())
    }

    /// Replaces `p` by (I + λ A)⁻¹ p with λ = D h / w² for this axis. With `refactor` the
    /// coefficients are rebuilt from `field`; otherwise the stored factorisation for the
    /// same λ is reused.
    pub fn solve(
        &mut self,
        field: &Field,
        p: &mut [f64],
        lam: f64,
        refactor: bool,
        parallel: bool,
    ) {
        let refactor = refactor || !self.is_factored_for(lam);
        if self.strided {
            let shared: &[f64] = p;
            let run = |g: &mut Group| {
                g.gather(shared, 0);
                g.solve(field, lam, refactor);
            };
            if parallel {
                self.groups.par_iter_mut().for_each(run);
            } else {
                self.groups.iter_mut().for_each(run);
            }
            self.scatter_strided(p, parallel);
        } else {
            let chunk = LANES * self.n;
            let run = |(p, g): (&mut [f64], &mut Group)| {
                let offset = g.lines.base;
                g.gather(p, offset);
                g.solve(field, lam, refactor);
                g.scatter(p, offset);
            };
            if parallel {
                p.par_chunks_mut(chunk).zip(self.groups.par_iter_mut()).for_each(run);
            } else {
                p.chunks_mut(chunk).zip(self.groups.iter_mut()).for_each(run);
            }
        }
        self.factored = Some(lam.to_bits());
    }

    /// Copies the solutions of strided groups back into `p`, one contiguous run (fixed slower
    /// indices and axis index) at a time.
    fn scatter_strided(&self, p: &mut [f64], parallel: bool) {
        let (n, inner, per_outer) = (self.n, self.inner, self.groups_per_outer);
        let copy = |(c, run): (usize, &mut [f64])| {
            let (o, i) = (c / n, c % n);
            for g in &self.groups[o * per_outer..(o + 1) * per_outer] {
                let k0 = g.lines.base - o * n * inner;
                if g.lines.lanes == LANES {
                    run[k0..k0 + LANES].copy_from_slice(&g.x[i * LANES..(i + 1) * LANES]);
                } else {
                    for l in 0..g.lines.lanes {
                        run[k0 + l] = g.x[l * n + i];
                    }
                }
            }
        };
        if parallel {
            p.par_chunks_mut(inner).enumerate().for_each(copy);
        } else {
            p.chunks_mut(inner).enumerate().for_each(copy);
        }
    }
}

impl Group {
    /// Copies the group's cells of `p` (whose first element is grid cell `offset`) into `x`.
    fn gather(&mut self, p: &[f64], offset: usize) {
        let lines = self.lines;
        let n = lines.n;
        if lines.elem_stride == 1 {
            for l in 0..lines.lanes {
                let start = lines.index(0, l) - offset;
                let line = &p[start..start + n];
                if lines.lanes == LANES {
                    for (x, &v) in self.x[l..].iter_mut().step_by(LANES).zip(line) {
                        *x = v;
                    }
                } else {
                    self.x[l * n..(l + 1) * n].copy_from_slice(line);
                }
            }
        } else if lines.lanes == LANES {
            for (i, x) in self.x.chunks_exact_mut(LANES).enumerate() {
                let start = lines.index(i, 0) - offset;
                x.copy_from_slice(&p[start..start + LANES]);
            }
        } else {
            for l in 0..lines.lanes {
                for i in 0..n {
                    self.x[l * n + i] = p[lines.index(i, l) - offset];
                }
            }
        }
    }

    /// Copies `x` back into `p` (whose first element is grid cell `offset`); only for
    /// groups along the last axis.
    fn scatter(&self, p: &mut [f64], offset: usize) {
        let lines = self.lines;
        let n = lines.n;
        for l in 0..lines.lanes {
            let start = lines.index(0, l) - offset;
            let line = &mut p[start..start + n];
            if lines.lanes == LANES {
                for (v, &x) in line.iter_mut().zip(self.x[l..].iter().step_by(LANES)) {
                    *v = x;
                }
            } else {
                line.copy_from_slice(&self.x[l * n..(l + 1) * n]);
            }
        }
    }

    /// Solves the group's systems in place in `x`.
    fn solve(&mut self, field: &Field, lam: f64, refactor: bool) {
        if refactor {
            if field.all_safe {
                self.faces_fast(field);
            } else {
                self.faces_careful(field);
            }
        }
        let Group { lines, a, b, inv, e, x, .. } = self;
        if lines.lanes == LANES {
            if refactor {
                factor_forward_lanes(lam, a, b, inv, e, x);
            } else {
                forward_lanes(lam, a, inv, x);
            }
            back_lanes(e, x);
        } else {
            let n = lines.n;
            let lanes = a.chunks_exact(n).zip(b.chunks_exact(n)).zip(inv.chunks_exact_mut(n));
            for (((a, b), inv), (e, x)) in
                lanes.zip(e.chunks_exact_mut(n).zip(x.chunks_exact_mut(n)))
            {
                if refactor {
                    factor_forward::<1>(lam, a, b, inv, e, x);
                } else {
                    forward::<1>(lam, a, inv, x);
                }
                back::<1>(e, x);
            }
        }
    }

    /// Fills `a` and `b` from the field when every cell is in the fast range; the loops
    /// run over contiguous memory so that they vectorise.
    fn faces_fast(&mut self, field: &Field) {
        let lines = self.lines;
        let n = lines.n;
        let (u, q, qi) = (&field.u[..], &field.q[..], &field.qi[..]);
        if lines.elem_stride == 1 {
            for l in 0..lines.lanes {
                let j = lines.index(0, l);
                let (next, end) = (j + 1, j + n);
                let cells = ((&u[j..end], &u[next..end]), (&q[j..end], &q[next..end]));
                let (u_pair, q_pair) = cells;
                let qi_pair = (&qi[j..end], &qi[next..end]);
                if lines.lanes == LANES {
                    let (a, b) = self.line.split_at_mut(n);
                    sg_pairs(u_pair, q_pair, qi_pair, &mut a[..n - 1], &mut b[..n - 1]);
                    (a[n - 1], b[n - 1]) = (0.0, 0.0);
                    let slots = self.a[l..]
                        .iter_mut()
                        .step_by(LANES)
                        .zip(self.b[l..].iter_mut().step_by(LANES));
                    for ((sa, sb), (&fa, &fb)) in slots.zip(a.iter().zip(b.iter())) {
                        (*sa, *sb) = (fa, fb);
                    }
                } else {
                    let (a, b) = (&mut self.a[l * n..(l + 1) * n], &mut self.b[l * n..(l + 1) * n]);
                    sg_pairs(u_pair, q_pair, qi_pair, &mut a[..n - 1], &mut b[..n - 1]);
                    (a[n - 1], b[n - 1]) = (0.0, 0.0);
                }
            }
        } else if lines.lanes == LANES {
            let es = lines.elem_stride;
            let rows = self.a.chunks_exact_mut(LANES).zip(self.b.chunks_exact_mut(LANES));
            for (i, (a, b)) in rows.enumerate().take(n - 1) {
                let (j, k) = (lines.index(i, 0), lines.index(i, 0) + es);
                let (this, next) = (j..j + LANES, k..k + LANES);
                let u_pair = (&u[this.clone()], &u[next.clone()]);
                let q_pair = (&q[this.clone()], &q[next.clone()]);
                sg_pairs(u_pair, q_pair, (&qi[this], &qi[next]), a, b);
            }
            let last = (n - 1) * LANES;
            self.a[last..].fill(0.0);
            self.b[last..].fill(0.0);
        } else {
            self.faces_careful(field);
        }
    }

    /// Fills `a` and `b` from the field, face by face, choosing the careful coefficients
    /// next to cells far above the minimum of the potential.
    fn faces_careful(&mut self, field: &Field) {
        let lines = self.lines;
        let n = lines.n;
        for l in 0..lines.lanes {
            for i in 0..n - 1 {
                let j0 = lines.index(i, l);
                let (a, b) = field.pair(j0, j0 + lines.elem_stride);
                let s = lines.slot(i, l);
                self.a[s] = a;
                self.b[s] = b;
            }
            let s = lines.slot(n - 1, l);
            self.a[s] = 0.0;
            self.b[s] = 0.0;
        }
    }
}
