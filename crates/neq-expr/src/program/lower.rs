//! From graph nodes to lowered values: the first step of compilation.
//!
//! The nodes the outputs need become values in a second hash-consed table, with
//! [`Func1::Powi`] expanded into products, so `x^8` and `x^7` share `x^2`. A value is uniform
//! when all its inputs are. `alloc` takes it from there.

use std::collections::HashMap;

use super::Program;
use super::alloc::assemble;
use crate::func::powi_tail_bits;
use crate::{ExprGraph, Func1, Func2, Node, NodeId, Var};

/// A value of the lowered code, keyed for hash-consing; operands are value indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Val {
    /// A number, by its bits.
    Const(u64),
    /// A variable.
    Input(Var),
    /// A function of one value (never `Powi`).
    Un(Func1, u32),
    /// A function of two values.
    Bin(Func2, u32, u32),
}

impl Val {
    /// The operand values.
    pub(super) fn operands(self) -> impl Iterator<Item = u32> {
        let (a, b) = match self {
            Val::Const(_) | Val::Input(_) => (None, None),
            Val::Un(_, a) => (Some(a), None),
            Val::Bin(_, a, b) => (Some(a), Some(b)),
        };
        a.into_iter().chain(b)
    }
}

/// The table of lowered values, in dependency order.
#[derive(Default)]
pub(super) struct Lowering {
    /// The values; operands always come first.
    pub(super) vals: Vec<Val>,
    /// Whether each value is the same for every point.
    pub(super) uniform: Vec<bool>,
    index: HashMap<Val, u32>,
}

impl Lowering {
    fn val(&mut self, v: Val) -> u32 {
        if let Some(&i) = self.index.get(&v) {
            return i;
        }
        let uniform = match v {
            Val::Const(_) => true,
            Val::Input(var) => var.is_uniform(),
            Val::Un(_, a) => self.uniform[a as usize],
            Val::Bin(_, a, b) => self.uniform[a as usize] && self.uniform[b as usize],
        };
        let i = u32::try_from(self.vals.len()).expect("more than 2^32 values");
        self.vals.push(v);
        self.uniform.push(uniform);
        self.index.insert(v, i);
        i
    }

    /// `a^n` as the products of [`crate::func::powi`], in the same order.
    fn powi(&mut self, a: u32, n: i32) -> u32 {
        if n == 0 {
            return self.val(Val::Const(1.0_f64.to_bits()));
        }
        let mut r = a;
        for set in powi_tail_bits(n.unsigned_abs()) {
            r = self.val(Val::Bin(Func2::Mul, r, r));
            if set {
                r = self.val(Val::Bin(Func2::Mul, r, a));
            }
        }
        if n < 0 {
            let one = self.val(Val::Const(1.0_f64.to_bits()));
            r = self.val(Val::Bin(Func2::Div, one, r));
        }
        r
    }
}

impl Program {
    /// Compiles code computing `outputs` (in that order) from the nodes of `graph`.
    ///
    /// Shared nodes are computed once; values that do not depend on coordinates are hoisted
    /// into uniform code. The same node may appear several times among the outputs.
    ///
    /// # Panics
    /// If an output id does not belong to `graph`.
    pub fn compile(graph: &ExprGraph, outputs: &[NodeId]) -> Program {
        let seen = graph.reachable(outputs);
        let mut low = Lowering::default();
        let mut val_of = vec![u32::MAX; seen.len()];
        for (id, node) in graph.nodes().take(seen.len()) {
            if !seen[id.index()] {
                continue;
            }
            let of = |n: NodeId| val_of[n.index()];
            val_of[id.index()] = match node {
                Node::Const(c) => low.val(Val::Const(c.to_bits())),
                Node::Var(v) => low.val(Val::Input(v)),
                Node::Unary(Func1::Powi(n), a) => low.powi(of(a), n),
                Node::Unary(f, a) => low.val(Val::Un(f, of(a))),
                Node::Binary(f, a, b) => low.val(Val::Bin(f, of(a), of(b))),
            };
        }
        let outs: Vec<u32> = outputs.iter().map(|n| val_of[n.index()]).collect();
        assemble(&low, &outs)
    }
}
