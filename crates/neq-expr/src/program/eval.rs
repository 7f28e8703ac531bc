//! Running a [`Program`]: at one point, or over a batch of points in blocks.

use std::ops::Range;

use super::kernels::{self, Arg};
use super::{Op, Program, Src};
use crate::Var;

/// Points per block in [`Program::eval_batch`]: registers hold one block, so the working set
/// stays in the first-level cache while dispatch is paid once per block and instruction.
pub const BLOCK: usize = 256;

/// Reusable working memory for evaluating a [`Program`]; any program may use any scratch.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    /// Scalar slots.
    slots: Vec<f64>,
    /// Vector registers of [`eval_batch`](Program::eval_batch), each at least a block long.
    regs: Vec<Vec<f64>>,
    /// Registers of [`eval_point`](Program::eval_point).
    point: Vec<f64>,
}

impl Program {
    /// Evaluates all outputs at one point: `out[k]` receives output `k`.
    ///
    /// `coords[d]` is coordinate `d`, `t` the time, `params[k]` and `rates[k]` the value and
    /// rate of schedule `k`. This allocates its working memory; use
    /// [`eval_point_with`](Self::eval_point_with) in loops, and
    /// [`eval_batch`](Self::eval_batch) for many points.
    ///
    /// # Panics
    /// If `out` is not [`num_outputs`](Self::num_outputs) long, `coords` is shorter than
    /// [`dimension`](Self::dimension), or a schedule the program uses is missing.
    pub fn eval_point(
        &self,
        coords: &[f64],
        t: f64,
        params: &[f64],
        rates: &[f64],
        out: &mut [f64],
    ) {
        self.eval_point_with(coords, t, params, rates, out, &mut Scratch::default());
    }

    /// As [`eval_point`](Self::eval_point), with reusable working memory.
    pub fn eval_point_with(
        &self,
        coords: &[f64],
        t: f64,
        params: &[f64],
        rates: &[f64],
        out: &mut [f64],
        scratch: &mut Scratch,
    ) {
        assert_eq!(out.len(), self.outputs.len(), "one output value per program output");
        assert!(coords.len() >= self.dimension, "the program reads {} coordinates", self.dimension);
        let Scratch { slots, point, .. } = scratch;
        self.prepare_slots(slots, t, params, rates);
        point.clear();
        point.resize(self.registers, 0.0);
        let get = |s: Src, point: &[f64]| match s {
            Src::Slot(i) => slots[i as usize],
            Src::Reg(r) => point[r as usize],
            Src::Coord(d) => coords[usize::from(d)],
        };
        for ins in &self.varying {
            point[ins.dst as usize] = match ins.op {
                Op::Un(f, a) => f.eval(get(a, point)),
                Op::Bin(f, a, b) => f.eval(get(a, point), get(b, point)),
            };
        }
        for (o, &src) in out.iter_mut().zip(&self.outputs) {
            *o = get(src, point);
        }
    }

    /// Evaluates all outputs at `n` points given in structure-of-arrays form.
    ///
    /// `coords[d][i]` is coordinate `d` of point `i`; `outs[k][i]` receives output `k` at point
    /// `i`; `t`, `params` and `rates` are shared by all points, as in
    /// [`eval_point`](Self::eval_point), whose results this matches bit for bit. Uniform code
    /// runs once per call; the points are processed in blocks of [`BLOCK`].
    ///
    /// # Panics
    /// If `outs` does not have [`num_outputs`](Self::num_outputs) slices of one length `n`,
    /// `coords` has fewer than [`dimension`](Self::dimension) slices or one of them is not
    /// `n` long, or a schedule the program uses is missing.
    pub fn eval_batch(
        &self,
        coords: &[&[f64]],
        t: f64,
        params: &[f64],
        rates: &[f64],
        outs: &mut [&mut [f64]],
        scratch: &mut Scratch,
    ) {
        assert_eq!(outs.len(), self.outputs.len(), "one output slice per program output");
        let Some(n) = outs.first().map(|o| o.len()) else { return };
        assert!(outs.iter().all(|o| o.len() == n), "output slices differ in length");
        assert!(coords.len() >= self.dimension, "the program reads {} coordinates", self.dimension);
        assert!(
            coords[..self.dimension].iter().all(|c| c.len() == n),
            "coordinate slices must be as long as the outputs ({n})"
        );
        let Scratch { slots, regs, .. } = scratch;
        self.prepare_slots(slots, t, params, rates);
        if regs.len() < self.registers {
            regs.resize_with(self.registers, Vec::new);
        }
        let block = n.min(BLOCK);
        for r in &mut regs[..self.registers] {
            if r.len() < block {
                r.resize(block, 0.0);
            }
        }
        let mut start = 0;
        while start < n {
            let range = start..n.min(start + BLOCK);
            self.run_block(coords, range.clone(), slots, regs);
            for (out, &src) in outs.iter_mut().zip(&self.outputs) {
                let out = &mut out[range.clone()];
                match src {
                    Src::Slot(s) => out.fill(slots[s as usize]),
                    Src::Reg(r) => out.copy_from_slice(&regs[r as usize][..range.len()]),
                    Src::Coord(d) => out.copy_from_slice(&coords[usize::from(d)][range.clone()]),
                }
            }
            start = range.end;
        }
    }

    /// Runs the varying code for the points in `range`.
    fn run_block(
        &self,
        coords: &[&[f64]],
        range: Range<usize>,
        slots: &[f64],
        regs: &mut [Vec<f64>],
    ) {
        let len = range.len();
        for ins in &self.varying {
            // Taking the destination out of the register file lets the operands be borrowed
            // from it at the same time; the allocator never makes them alias.
            let mut dst = std::mem::take(&mut regs[ins.dst as usize]);
            let out = &mut dst[..len];
            let arg = |s: Src| match s {
                Src::Slot(i) => Arg::Scalar(slots[i as usize]),
                Src::Reg(r) => Arg::Vector(&regs[r as usize][..len]),
                Src::Coord(d) => Arg::Vector(&coords[usize::from(d)][range.clone()]),
            };
            match ins.op {
                Op::Un(f, a) => kernels::unary(f, out, arg(a)),
                Op::Bin(f, a, b) => kernels::binary(f, out, arg(a), arg(b)),
            }
            regs[ins.dst as usize] = dst;
        }
    }

    /// Fills the scalar slots: constants, uniform inputs, then the uniform code.
    fn prepare_slots(&self, slots: &mut Vec<f64>, t: f64, params: &[f64], rates: &[f64]) {
        slots.clear();
        slots.extend_from_slice(&self.slots_init);
        let schedule = |values: &[f64], k: u16, what: &str| {
            *values.get(usize::from(k)).unwrap_or_else(|| {
                panic!(
                    "the program uses the {what} of schedule {k}, but {} were given",
                    values.len()
                )
            })
        };
        for &(s, v) in &self.loads {
            slots[s as usize] = match v {
                Var::Time => t,
                Var::Param(k) => schedule(params, k, "value"),
                Var::ParamRate(k) => schedule(rates, k, "rate"),
                Var::Coord(_) => unreachable!("coordinates are never uniform"),
            };
        }
        for ins in &self.uniform {
            let get = |s: Src| match s {
                Src::Slot(i) => slots[i as usize],
                Src::Reg(_) | Src::Coord(_) => unreachable!("uniform code reads only slots"),
            };
            slots[ins.dst as usize] = match ins.op {
                Op::Un(f, a) => f.eval(get(a)),
                Op::Bin(f, a, b) => f.eval(get(a), get(b)),
            };
        }
    }
}
