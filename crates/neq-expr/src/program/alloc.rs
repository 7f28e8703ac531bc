//! From lowered values to a [`Program`]: slots, registers and instruction lists.
//!
//! Uniform values get scalar slots; varying values get vector registers. A register returns
//! to the free list once the last instruction reading it has run, and an instruction never
//! writes a register it also reads, because the block loop borrows operands and destination
//! from the same register file.

use super::lower::{Lowering, Val};
use super::{Instr, Op, Program, Src};
use crate::Var;

/// Assembles code computing the values `outs` of `low`, in that order.
pub(super) fn assemble(low: &Lowering, outs: &[u32]) -> Program {
    let n = low.vals.len();
    let last_use = last_uses(low, outs);
    let mut program = Program {
        slots_init: Vec::new(),
        loads: Vec::new(),
        uniform: Vec::new(),
        varying: Vec::new(),
        outputs: Vec::with_capacity(outs.len()),
        registers: 0,
        dimension: 0,
    };
    let mut src: Vec<Option<Src>> = vec![None; n];
    let mut free: Vec<u32> = Vec::new();
    for (i, &val) in low.vals.iter().enumerate() {
        if last_use[i] == Use::Never {
            continue;
        }
        let operand = |v: u32| src[v as usize].expect("operands are assembled first");
        let op = match val {
            Val::Const(bits) => {
                src[i] = Some(Src::Slot(new_slot(&mut program, f64::from_bits(bits))));
                continue;
            }
            Val::Input(Var::Coord(d)) => {
                program.dimension = program.dimension.max(usize::from(d) + 1);
                src[i] = Some(Src::Coord(d));
                continue;
            }
            Val::Input(var) => {
                let slot = new_slot(&mut program, 0.0);
                program.loads.push((slot, var));
                src[i] = Some(Src::Slot(slot));
                continue;
            }
            Val::Un(f, a) => Op::Un(f, operand(a)),
            Val::Bin(f, a, b) => Op::Bin(f, operand(a), operand(b)),
        };
        if low.uniform[i] {
            let dst = new_slot(&mut program, 0.0);
            program.uniform.push(Instr { dst, op });
            src[i] = Some(Src::Slot(dst));
            continue;
        }
        let dst = free.pop().unwrap_or_else(|| {
            program.registers += 1;
            u32::try_from(program.registers - 1).expect("more than 2^32 registers")
        });
        program.varying.push(Instr { dst, op });
        src[i] = Some(Src::Reg(dst));
        // Operands read for the last time here give their registers back, after the
        // destination was chosen so that it cannot alias them.
        let mut released: Vec<u32> = Vec::with_capacity(2);
        for a in val.operands() {
            if let (Some(Src::Reg(r)), Use::At(at)) = (src[a as usize], last_use[a as usize])
                && at == i
                && !released.contains(&r)
            {
                released.push(r);
            }
        }
        free.extend(released);
    }
    program.outputs =
        outs.iter().map(|&v| src[v as usize].expect("outputs are assembled")).collect();
    program
}

/// When a value is read for the last time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Use {
    /// No output needs it.
    Never,
    /// By the value with this index.
    At(usize),
    /// It is an output, so it lives to the end.
    Output,
}

fn last_uses(low: &Lowering, outs: &[u32]) -> Vec<Use> {
    let mut last = vec![Use::Never; low.vals.len()];
    for &o in outs {
        last[o as usize] = Use::Output;
    }
    // Walking backwards, a value is needed once a needed value reads it; the first reader
    // met is the last in program order.
    for i in (0..low.vals.len()).rev() {
        if last[i] == Use::Never {
            continue;
        }
        for a in low.vals[i].operands() {
            if last[a as usize] == Use::Never {
                last[a as usize] = Use::At(i);
            }
        }
    }
    last
}

fn new_slot(program: &mut Program, init: f64) -> u32 {
    program.slots_init.push(init);
    u32::try_from(program.slots_init.len() - 1).expect("more than 2^32 slots")
}
