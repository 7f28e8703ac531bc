//! The potential on the grid at one time, in the form the Scharfetter–Gummel fluxes need:
//! u = V/kT at every cell centre and the half Boltzmann factors q = e^{−(u − u_ref)/2} and
//! 1/q, with u_ref the smallest u on the grid.
//!
//! V is evaluated through [`Potential::eval`] with [`Want::VALUE`], in fixed blocks of grid
//! rows, each with its own coordinate and output buffers (allocated once), in parallel
//! when the grid is large. Minimum and maximum are combined in block order, and min/max are
//! exact operations, so the result does not depend on the thread count.

use neq_core::{Evaluation, Potential, Want};
use rayon::prelude::*;

use crate::FpError;
use crate::bernoulli::{sg_pair, sg_pair_safe};
use crate::grid::{Grid, LANES};

/// Largest u − u_ref for which q and 1/q are normal numbers with room to spare. Faces next to
/// a cell further above the minimum use the slower [`sg_pair_safe`].
pub(crate) const SAFE_RANGE: f64 = 1300.0;

/// u, q and 1/q on the grid at one time.
#[derive(Debug)]
pub(crate) struct Field {
    /// V/kT per cell.
    pub u: Vec<f64>,
    /// e^{−(u − u_ref)/2} per cell.
    pub q: Vec<f64>,
    /// 1/q per cell.
    pub qi: Vec<f64>,
    /// The smallest u on the grid.
    pub u_ref: f64,
    /// Whether every cell lies less than [`SAFE_RANGE`] above `u_ref`.
    pub all_safe: bool,
    /// Cells per block of rows.
    block_cells: usize,
    /// Per-block buffers.
    blocks: Vec<Block>,
}

/// Buffers of one block of rows.
#[derive(Debug)]
struct Block {
    /// Coordinates of the block's cell centres, one vector per axis.
    coords: Vec<Vec<f64>>,
    /// Output of the potential.
    out: Evaluation,
    /// Smallest u in the block.
    lo: f64,
    /// Largest u in the block.
    hi: f64,
    /// Offset of the first cell whose V is not finite.
    bad: Option<usize>,
}

impl Field {
    /// Buffers for `grid`; u is zero until [`Field::evaluate`].
    pub fn new(grid: &Grid) -> Field {
        let block_cells = LANES * grid.row_len();
        let blocks = (0..grid.total)
            .step_by(block_cells)
            .map(|start| {
                let len = block_cells.min(grid.total - start);
                let mut coords = vec![Vec::with_capacity(len); grid.dim()];
                for index in start..start + len {
                    for (d, x) in grid.centre(index).into_iter().enumerate() {
                        coords[d].push(x);
                    }
                }
                let mut out = Evaluation::default();
                out.resize(len, grid.dim());
                Block { coords, out, lo: 0.0, hi: 0.0, bad: None }
            })
            .collect();
        Field {
            u: vec![0.0; grid.total],
            q: vec![1.0; grid.total],
            qi: vec![1.0; grid.total],
            u_ref: 0.0,
            all_safe: true,
            block_cells,
            blocks,
        }
    }

    /// Evaluates V at time `t` on every cell centre and derives u, q and 1/q.
    pub fn evaluate(
        &mut self,
        potential: &dyn Potential,
        t: f64,
        inv_kt: f64,
        grid: &Grid,
        parallel: bool,
    ) -> Result<(), FpError> {
        let eval_block = |(u, block): (&mut [f64], &mut Block)| {
            let mut coords: [&[f64]; crate::MAX_DIM] = [&[]; crate::MAX_DIM];
            for (c, v) in coords.iter_mut().zip(&block.coords) {
                *c = v;
            }
            potential.eval(t, &coords[..block.coords.len()], Want::VALUE, &mut block.out);
            let (lo, hi, finite) = scale_and_bound(&block.out.value[..u.len()], inv_kt, u);
            block.bad = if finite { None } else { u.iter().position(|u| !u.is_finite()) };
            (block.lo, block.hi) = (lo, hi);
        };
        let chunk = self.block_cells;
        if parallel {
            self.u.par_chunks_mut(chunk).zip(self.blocks.par_iter_mut()).for_each(eval_block);
        } else {
            self.u.chunks_mut(chunk).zip(self.blocks.iter_mut()).for_each(eval_block);
        }
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for (b, block) in self.blocks.iter().enumerate() {
            if let Some(offset) = block.bad {
                let index = b * chunk + offset;
                let value = block.out.value[offset];
                return Err(FpError::NonFinitePotential { t, point: grid.centre(index), value });
            }
            lo = lo.min(block.lo);
            hi = hi.max(block.hi);
        }
        self.u_ref = lo;
        self.all_safe = hi - lo < SAFE_RANGE;
        let half_factors =
            |((u, q), qi): ((&[f64], &mut [f64]), &mut [f64])| half_factors(u, q, qi, lo);
        if parallel {
            self.u
                .par_chunks(chunk)
                .zip(self.q.par_chunks_mut(chunk))
                .zip(self.qi.par_chunks_mut(chunk))
                .for_each(half_factors);
        } else {
            self.u
                .chunks(chunk)
                .zip(self.q.chunks_mut(chunk))
                .zip(self.qi.chunks_mut(chunk))
                .for_each(half_factors);
        }
        Ok(())
    }

    /// The Scharfetter–Gummel pair (B(Δu), B(−Δu)) across the face from cell `j0` to `j1`.
    #[inline(always)]
    pub fn pair(&self, j0: usize, j1: usize) -> (f64, f64) {
        let (u0, u1) = (self.u[j0], self.u[j1]);
        if self.all_safe || u0.max(u1) - self.u_ref < SAFE_RANGE {
            sg_pair(u0, u1, self.q[j0], self.q[j1], self.qi[j0], self.qi[j1])
        } else {
            sg_pair_safe(u0, u1)
        }
    }

    /// The discrete Boltzmann weights e^{−(u − u_ref)} (not normalised).
    pub fn boltzmann_weights(&self) -> Vec<f64> {
        self.u.iter().map(|u| (-(u - self.u_ref)).exp()).collect()
    }
}

neq_expr::wide_targets! {
    /// q = e^{−(u − lo)/2} and its inverse at every cell, in the widest instruction set the
    /// CPU has (same bits as the baseline).
    fn half_factors(u: &[f64], q: &mut [f64], qi: &mut [f64], lo: f64) {
        for ((u, q), qi) in u.iter().zip(q.iter_mut()).zip(qi.iter_mut()) {
            *q = neq_expr::math::exp(-0.5 * (u - lo));
            *qi = 1.0 / *q;
        }
    }
}

/// Writes u = v · inv_kt and returns (min u, max u, whether every u is finite).
///
/// Four independent accumulators and comparisons (not `f64::min`, whose NaN rules forbid
/// reordering) let the loop vectorise; `is_finite` is a comparison of the absolute value.
fn scale_and_bound(v: &[f64], inv_kt: f64, u: &mut [f64]) -> (f64, f64, bool) {
    const W: usize = 4;
    let (mut lo, mut hi, mut finite) = ([f64::INFINITY; W], [f64::NEG_INFINITY; W], [true; W]);
    let (v_chunks, v_rest) = v.as_chunks::<W>();
    let (u_chunks, u_rest) = u.as_chunks_mut::<W>();
    for (v, u) in v_chunks.iter().zip(u_chunks) {
        for k in 0..W {
            let x = v[k] * inv_kt;
            u[k] = x;
            lo[k] = if x < lo[k] { x } else { lo[k] };
            hi[k] = if x > hi[k] { x } else { hi[k] };
            finite[k] &= x.is_finite();
        }
    }
    for (v, u) in v_rest.iter().zip(u_rest) {
        let x = v * inv_kt;
        *u = x;
        lo[0] = if x < lo[0] { x } else { lo[0] };
        hi[0] = if x > hi[0] { x } else { hi[0] };
        finite[0] &= x.is_finite();
    }
    let all_finite = finite.iter().all(|&f| f);
    (
        lo.iter().fold(f64::INFINITY, |m, &x| m.min(x)),
        hi.iter().fold(f64::NEG_INFINITY, |m, &x| m.max(x)),
        all_finite,
    )
}
