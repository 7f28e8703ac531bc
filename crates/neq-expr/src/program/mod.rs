//! Compiled straight-line code computing several outputs of one graph.
//!
//! [`Program::compile`] lowers the nodes the outputs need into two instruction lists:
//! - *uniform* code, for values that depend only on constants, time and schedules: it runs
//!   once per call on scalar slots;
//! - *varying* code, for values that depend on coordinates: in
//!   [`eval_batch`](Program::eval_batch) each instruction runs one tight loop over a block of
//!   points, reading each operand either as a scalar slot or as a vector (a register or a
//!   coordinate slice), so dispatch is paid once per block and the loop vectorises.
//!
//! Integer powers are lowered to products; registers are reused once their last reader has
//! run, so the scratch memory stays small.

mod alloc;
mod eval;
mod kernels;
mod lower;

use std::fmt;

pub use eval::Scratch;

use crate::{Func1, Func2, Var};

/// Where an operand or an output comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Src {
    /// A scalar slot: a constant, a uniform input, or a uniform result.
    Slot(u32),
    /// A vector register holding a varying result.
    Reg(u32),
    /// A coordinate, read straight from the caller's slice.
    Coord(u8),
}

/// An operation and its operands.
#[derive(Clone, Copy, Debug)]
enum Op {
    Un(Func1, Src),
    Bin(Func2, Src, Src),
}

/// One instruction: a slot (uniform code) or a register (varying code) receives `op`.
#[derive(Clone, Copy, Debug)]
struct Instr {
    dst: u32,
    op: Op,
}

/// Straight-line code computing several outputs that share subexpressions.
///
/// Compile once with [`compile`](Self::compile), then evaluate at single points with
/// [`eval_point`](Self::eval_point) or over many points at once with
/// [`eval_batch`](Self::eval_batch); both give the same bits. The [`Display`](fmt::Display)
/// form lists the instructions.
#[derive(Clone, Debug)]
pub struct Program {
    /// Initial slot values: constants in place, zeros elsewhere.
    slots_init: Vec<f64>,
    /// Uniform inputs to load into slots before the uniform code runs.
    loads: Vec<(u32, Var)>,
    /// Code over slots, run once per call.
    uniform: Vec<Instr>,
    /// Code over registers, run once per block of points.
    varying: Vec<Instr>,
    /// Where each output is read after the code has run.
    outputs: Vec<Src>,
    /// Number of vector registers.
    registers: usize,
    /// Highest coordinate used plus one.
    dimension: usize,
}

/// Sizes of a compiled [`Program`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProgramStats {
    /// Instructions run once per call.
    pub uniform_instructions: usize,
    /// Instructions run for every point.
    pub varying_instructions: usize,
    /// Vector registers, each one block of points long.
    pub registers: usize,
    /// Scalar slots (constants, uniform inputs and uniform results).
    pub slots: usize,
}

impl Program {
    /// The number of outputs, in the order given to [`compile`](Self::compile).
    pub fn num_outputs(&self) -> usize {
        self.outputs.len()
    }

    /// The number of coordinates the program reads: the highest coordinate index plus one.
    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// Instruction, register and slot counts.
    pub fn stats(&self) -> ProgramStats {
        ProgramStats {
            uniform_instructions: self.uniform.len(),
            varying_instructions: self.varying.len(),
            registers: self.registers,
            slots: self.slots_init.len(),
        }
    }

    /// How many instructions (uniform or varying) apply the function `f`.
    pub fn count_unary(&self, f: Func1) -> usize {
        let is_f = |i: &&Instr| matches!(i.op, Op::Un(g, _) if g == f);
        self.uniform.iter().chain(&self.varying).filter(is_f).count()
    }

    /// How many instructions (uniform or varying) apply the function `f`.
    pub fn count_binary(&self, f: Func2) -> usize {
        let is_f = |i: &&Instr| matches!(i.op, Op::Bin(g, _, _) if g == f);
        self.uniform.iter().chain(&self.varying).filter(is_f).count()
    }
}

impl fmt::Display for Src {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Src::Slot(s) => write!(f, "u{s}"),
            Src::Reg(r) => write!(f, "r{r}"),
            Src::Coord(d) => write!(f, "{}", Var::Coord(d)),
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Op::Un(Func1::Neg, a) => write!(f, "-{a}"),
            Op::Un(Func1::Powi(k), a) => write!(f, "{a}^{k}"),
            Op::Un(g, a) => write!(f, "{}({a})", g.name()),
            Op::Bin(g @ (Func2::Add | Func2::Sub | Func2::Mul | Func2::Div | Func2::Pow), a, b) => {
                write!(f, "{a} {} {b}", g.name())
            }
            Op::Bin(g, a, b) => write!(f, "{}({a}, {b})", g.name()),
        }
    }
}

impl fmt::Display for Program {
    /// Lists constants, loads, uniform code, varying code and outputs, one per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loaded: Vec<u32> = self.loads.iter().map(|&(s, _)| s).collect();
        let computed: Vec<u32> = self.uniform.iter().map(|i| i.dst).collect();
        for (s, v) in self.slots_init.iter().enumerate() {
            let s = s as u32;
            if !loaded.contains(&s) && !computed.contains(&s) {
                writeln!(f, "u{s} = {v}")?;
            }
        }
        for (s, v) in &self.loads {
            writeln!(f, "u{s} = {v}")?;
        }
        for i in &self.uniform {
            writeln!(f, "u{} = {}", i.dst, i.op)?;
        }
        for i in &self.varying {
            writeln!(f, "r{} = {}", i.dst, i.op)?;
        }
        let outs: Vec<String> = self.outputs.iter().map(Src::to_string).collect();
        write!(f, "outputs: {}", outs.join(", "))
    }
}
