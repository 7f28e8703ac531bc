//! Node construction with local simplification.
//!
//! [`ExprGraph::unary`] and [`ExprGraph::binary`] rewrite a node from its direct children
//! only, before hash-consing it. The rewrites are of two sorts:
//! - exact ones, which give the same `f64` for every input (`x - c` → `x + (-c)`,
//!   `-(c*x)` → `(-c)*x`, `x*x` → `x^2`, `x/4` → `0.25*x`, operand order of `+` and `*`);
//! - ones that assume finite values, listed on each method (`0*x` → `0`, `x - x` → `0`), or
//!   that may change the last bit (`c1*(c2*x)` → `(c1c2)*x`, `x*(c*y)` → `c*(x*y)`). Signed
//!   zeros are not tracked.

use crate::{ExprGraph, Func1, Func2, Node, NodeId};

/// Integer exponents up to this magnitude become [`Func1::Powi`]; larger ones stay a general
/// power, since the error of repeated multiplication grows with the exponent.
pub const MAX_POWI: i32 = 64;

impl ExprGraph {
    /// The node `f(a)`, simplified.
    ///
    /// Rewrites: constants fold; `--x` → `x`; `-(c*x)` → `(-c)*x`; `-(a - b)` → `b - a`;
    /// `abs(-x)` and `abs(abs(x))` → `abs(x)`; `sign(sign(x))` → `sign(x)`; `x^0` → `1` (also
    /// for NaN, like `powf`); `x^1` → `x`; `(-x)^n` → `x^n` or `-(x^n)` by the parity of `n`.
    pub fn unary(&mut self, f: Func1, a: NodeId) -> NodeId {
        if let Some(c) = self.constant_value(a) {
            return self.constant(f.eval(c));
        }
        let inner = self.node(a);
        match (f, inner) {
            (Func1::Neg, Node::Unary(Func1::Neg, x)) => return x,
            (Func1::Neg, Node::Binary(Func2::Mul, c, x)) => {
                if let Some(c) = self.constant_value(c) {
                    let c = self.constant(-c);
                    return self.binary(Func2::Mul, c, x);
                }
            }
            (Func1::Neg, Node::Binary(Func2::Sub, x, y)) => return self.binary(Func2::Sub, y, x),
            (Func1::Abs, Node::Unary(Func1::Neg | Func1::Abs, x)) => {
                return self.unary(Func1::Abs, x);
            }
            (Func1::Sign, Node::Unary(Func1::Sign, _)) => return a,
            (Func1::Powi(0), _) => return self.constant(1.0),
            (Func1::Powi(1), _) => return a,
            (Func1::Powi(n), Node::Unary(Func1::Neg, x)) => {
                let p = self.unary(Func1::Powi(n), x);
                return if n % 2 == 0 { p } else { self.unary(Func1::Neg, p) };
            }
            _ => {}
        }
        self.intern(Node::Unary(f, a))
    }

    /// The node `f(a, b)`, simplified.
    ///
    /// Rewrites: constants fold; `+` and `*` put a constant operand on the right of `+` and
    /// the left of `*`, other operands by increasing id (both are exactly commutative).
    /// - `x + 0` → `x`, `x + x` → `2*x`, `x + (-y)` → `x - y`;
    /// - `x - 0` → `x`, `0 - x` → `-x`, `x - c` → `x + (-c)`, `x - (-y)` → `x + y`, and
    ///   `x - x` → `0` even though `inf - inf` is NaN;
    /// - `0*x` → `0` even though `0*inf` and `0*NaN` are NaN (so a derivative that is
    ///   structurally zero stays zero); `1*x` → `x`; `-1*x` → `-x`; constant factors move
    ///   outwards and merge, `x*(c*y)` → `c*(x*y)` and `c1*(c2*x)` → `(c1c2)*x` (both may
    ///   change the last bit); `c*(-x)` → `(-c)*x`; `(-x)*y` → `-(x*y)`; `x*x` → `x^2`;
    /// - `x/1` → `x`, `x/(-1)` → `-x`, `x/c` → `(1/c)*x` when `c` is a power of two, `0/x` →
    ///   `0` (as for `0*x`), `(-x)/y` and `x/(-y)` → `-(x/y)`;
    /// - `x^c` for an integer `c` with `|c| ≤` [`MAX_POWI`] → [`Func1::Powi`] (so `x^0` → `1`
    ///   and `x^1` → `x`), `x^0.5` → `sqrt(x)` (differs from `powf` only at `-0` and `-inf`),
    ///   `1^x` → `1`;
    /// - `min(x, x)` and `max(x, x)` → `x`.
    pub fn binary(&mut self, f: Func2, a: NodeId, b: NodeId) -> NodeId {
        let (ca, cb) = (self.constant_value(a), self.constant_value(b));
        if let (Some(x), Some(y)) = (ca, cb) {
            return self.constant(f.eval(x, y));
        }
        match f {
            Func2::Add => self.add(a, b),
            Func2::Sub => self.sub(a, b),
            Func2::Mul => self.mul(a, b),
            Func2::Div => self.div(a, b),
            Func2::Pow => self.pow(a, b),
            Func2::Min | Func2::Max if a == b => a,
            Func2::Atan2 | Func2::Min | Func2::Max => self.intern(Node::Binary(f, a, b)),
        }
    }

    /// The constant value of a node, if it is a constant.
    pub fn constant_value(&self, n: NodeId) -> Option<f64> {
        match self.node(n) {
            Node::Const(v) => Some(v),
            _ => None,
        }
    }

    /// The operand of a negation, if `n` is one.
    fn negated(&self, n: NodeId) -> Option<NodeId> {
        match self.node(n) {
            Node::Unary(Func1::Neg, x) => Some(x),
            _ => None,
        }
    }

    fn add(&mut self, a: NodeId, b: NodeId) -> NodeId {
        let (a, b) = match (self.constant_value(a), self.constant_value(b)) {
            (Some(_), None) => (b, a),
            (None, None) if b < a => (b, a),
            _ => (a, b),
        };
        if self.constant_value(b) == Some(0.0) {
            return a;
        }
        if a == b {
            let two = self.constant(2.0);
            return self.mul(two, a);
        }
        if let Some(y) = self.negated(b) {
            return self.sub(a, y);
        }
        if let Some(x) = self.negated(a) {
            return self.sub(b, x);
        }
        self.intern(Node::Binary(Func2::Add, a, b))
    }

    fn sub(&mut self, a: NodeId, b: NodeId) -> NodeId {
        if a == b {
            return self.constant(0.0);
        }
        if let Some(c) = self.constant_value(b) {
            if c == 0.0 {
                return a;
            }
            let c = self.constant(-c);
            return self.add(a, c);
        }
        if self.constant_value(a) == Some(0.0) {
            return self.unary(Func1::Neg, b);
        }
        if let Some(y) = self.negated(b) {
            return self.add(a, y);
        }
        self.intern(Node::Binary(Func2::Sub, a, b))
    }

    fn mul(&mut self, a: NodeId, b: NodeId) -> NodeId {
        let (a, b) = match (self.constant_value(a), self.constant_value(b)) {
            (None, Some(_)) => (b, a),
            (None, None) if b < a => (b, a),
            _ => (a, b),
        };
        if let Some(c) = self.constant_value(a) {
            if c == 0.0 {
                return a;
            }
            if c == 1.0 {
                return b;
            }
            if c == -1.0 {
                return self.unary(Func1::Neg, b);
            }
            match self.node(b) {
                Node::Binary(Func2::Mul, c2, x) if self.constant_value(c2).is_some() => {
                    let c = self.constant(c * self.constant_value(c2).unwrap_or(1.0));
                    return self.mul(c, x);
                }
                Node::Unary(Func1::Neg, x) => {
                    let c = self.constant(-c);
                    return self.mul(c, x);
                }
                _ => {}
            }
            return self.intern(Node::Binary(Func2::Mul, a, b));
        }
        if a == b {
            return self.unary(Func1::Powi(2), a);
        }
        for (x, other) in [(a, b), (b, a)] {
            if let Node::Binary(Func2::Mul, c, y) = self.node(other)
                && self.constant_value(c).is_some()
            {
                let xy = self.mul(x, y);
                return self.mul(c, xy);
            }
        }
        match (self.negated(a), self.negated(b)) {
            (Some(x), Some(y)) => return self.mul(x, y),
            (Some(x), None) => {
                let p = self.mul(x, b);
                return self.unary(Func1::Neg, p);
            }
            (None, Some(y)) => {
                let p = self.mul(a, y);
                return self.unary(Func1::Neg, p);
            }
            (None, None) => {}
        }
        self.intern(Node::Binary(Func2::Mul, a, b))
    }

    fn div(&mut self, a: NodeId, b: NodeId) -> NodeId {
        if let Some(c) = self.constant_value(b) {
            if c == 1.0 {
                return a;
            }
            if c == -1.0 {
                return self.unary(Func1::Neg, a);
            }
            if let Some(r) = exact_reciprocal(c) {
                let r = self.constant(r);
                return self.mul(r, a);
            }
        }
        if self.constant_value(a) == Some(0.0) {
            return a;
        }
        if let Some(x) = self.negated(a) {
            let q = self.div(x, b);
            return self.unary(Func1::Neg, q);
        }
        if let Some(y) = self.negated(b) {
            let q = self.div(a, y);
            return self.unary(Func1::Neg, q);
        }
        self.intern(Node::Binary(Func2::Div, a, b))
    }

    fn pow(&mut self, a: NodeId, b: NodeId) -> NodeId {
        if let Some(c) = self.constant_value(b) {
            if c.fract() == 0.0 && c.abs() <= f64::from(MAX_POWI) {
                return self.unary(Func1::Powi(c as i32), a);
            }
            if c == 0.5 {
                return self.unary(Func1::Sqrt, a);
            }
        }
        if self.constant_value(a) == Some(1.0) {
            return a;
        }
        self.intern(Node::Binary(Func2::Pow, a, b))
    }
}

/// `1/c` if it is exact, i.e. `c` is a power of two with a normal reciprocal.
fn exact_reciprocal(c: f64) -> Option<f64> {
    let r = 1.0 / c;
    let is_pow2 = |v: f64| v.is_normal() && v.to_bits() & ((1 << 52) - 1) == 0;
    (is_pow2(c) && is_pow2(r)).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Var;
    use crate::func::powi;

    #[test]
    fn neutral_elements_vanish() {
        let mut g = ExprGraph::new();
        let x = g.var(Var::X);
        let (zero, one) = (g.constant(0.0), g.constant(1.0));
        assert_eq!(g.binary(Func2::Add, x, zero), x);
        assert_eq!(g.binary(Func2::Add, zero, x), x);
        assert_eq!(g.binary(Func2::Mul, one, x), x);
        assert_eq!(g.binary(Func2::Mul, x, zero), zero);
        assert_eq!(g.binary(Func2::Sub, x, zero), x);
        assert_eq!(g.binary(Func2::Sub, x, x), zero);
        assert_eq!(g.binary(Func2::Div, x, one), x);
        assert_eq!(g.binary(Func2::Pow, x, one), x);
        assert_eq!(g.binary(Func2::Pow, x, zero), one);
        let nx = g.unary(Func1::Neg, x);
        assert_eq!(g.unary(Func1::Neg, nx), x);
    }

    #[test]
    fn constants_fold_and_scale_factors_merge() {
        let mut g = ExprGraph::new();
        let x = g.var(Var::X);
        let (two, three) = (g.constant(2.0), g.constant(3.0));
        let six = g.binary(Func2::Mul, two, three);
        assert_eq!(g.constant_value(six), Some(6.0));
        let zero = g.constant(0.0);
        let e = g.unary(Func1::Exp, zero);
        assert_eq!(g.constant_value(e), Some(1.0));
        let three_x = g.binary(Func2::Mul, x, three);
        let six_x = g.binary(Func2::Mul, two, three_x);
        assert_eq!(g.node(six_x), Node::Binary(Func2::Mul, six, x));
        let four = g.constant(4.0);
        let quarter_x = g.binary(Func2::Div, x, four);
        assert_eq!(
            g.constant_value(match g.node(quarter_x) {
                Node::Binary(Func2::Mul, c, _) => c,
                other => panic!("{other:?}"),
            }),
            Some(0.25)
        );
    }

    #[test]
    fn integer_powers_become_powi() {
        let mut g = ExprGraph::new();
        let x = g.var(Var::X);
        let eight = g.constant(8.0);
        let p = g.binary(Func2::Pow, x, eight);
        assert_eq!(g.node(p), Node::Unary(Func1::Powi(8), x));
        let xx = g.binary(Func2::Mul, x, x);
        assert_eq!(g.node(xx), Node::Unary(Func1::Powi(2), x));
        let m1 = g.constant(-1.0);
        let inv = g.binary(Func2::Pow, x, m1);
        assert_eq!(g.node(inv), Node::Unary(Func1::Powi(-1), x));
        let c = g.constant(1.5);
        let folded = g.unary(Func1::Powi(3), c);
        assert_eq!(g.constant_value(folded), Some(powi(1.5, 3)));
    }

    #[test]
    fn commutative_operands_are_ordered() {
        let mut g = ExprGraph::new();
        let x = g.var(Var::X);
        let y = g.var(Var::Y);
        assert_eq!(g.binary(Func2::Add, x, y), g.binary(Func2::Add, y, x));
        assert_eq!(g.binary(Func2::Mul, x, y), g.binary(Func2::Mul, y, x));
        let c = g.constant(3.0);
        assert_eq!(g.binary(Func2::Sub, x, c), {
            let m = g.constant(-3.0);
            g.binary(Func2::Add, m, x)
        });
    }
}
