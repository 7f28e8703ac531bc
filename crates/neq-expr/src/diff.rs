//! Symbolic differentiation.
//!
//! [`ExprGraph::derivative`] walks the nodes an expression depends on by increasing id (a
//! topological order), builds the derivative of each from those of its children, and lets
//! the simplifying constructors drop zero terms. The result is a node of the same graph, so it
//! shares subexpressions with the original: the derivative of `exp(u)` is `exp(u)*du` with the
//! very same `exp(u)` node.

use std::fmt;

use crate::{ExprGraph, Func1, Func2, Node, NodeId, Var};

/// Why a derivative could not be formed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DiffError {
    /// The time derivative needs `d²s_k/dt²`, but a schedule supplies only its value and its
    /// rate: the expression already uses the rate [`Var::ParamRate`] of schedule `param`.
    ScheduleSecondDerivative {
        /// The schedule index `k`.
        param: u16,
    },
}

impl fmt::Display for DiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiffError::ScheduleSecondDerivative { param } => write!(
                f,
                "the time derivative needs the second derivative of schedule {param}, \
                 which is not available"
            ),
        }
    }
}

impl std::error::Error for DiffError {}

impl ExprGraph {
    /// The derivative of `of` with respect to `wrt`, as a node of this graph.
    ///
    /// - With respect to a coordinate, every other variable is held fixed.
    /// - With respect to [`Var::Time`] it is the partial derivative at fixed coordinates, with
    ///   schedules chained: `d s_k/dt` is [`Var::ParamRate`]`(k)`. A rate has no derivative
    ///   here, so an expression that uses one gives [`DiffError::ScheduleSecondDerivative`].
    /// - With respect to a schedule value or rate, all other variables (time included) are
    ///   held fixed.
    ///
    /// Rules for the non-smooth functions: `abs' = sign`; `sign' = step' = 0` (the delta at
    /// the jump is dropped); `min(a, b)' = a' + step(a - b)·(b' - a')` and
    /// `max(a, b)' = a' + step(b - a)·(b' - a')`, so at a tie the first operand's derivative
    /// is taken. A general power uses `(a^b)' = b·a^(b-1)·a' + ln(a)·a^b·b'`, each term only
    /// when its factor `a'` or `b'` is not zero.
    pub fn derivative(&mut self, of: NodeId, wrt: Var) -> Result<NodeId, DiffError> {
        let seen = self.reachable(&[of]);
        let zero = self.constant(0.0);
        let mut d = vec![zero; seen.len()];
        for (i, _) in seen.iter().enumerate().filter(|(_, s)| **s) {
            let n = NodeId::from_index(i);
            d[i] = match self.node(n) {
                Node::Const(_) => zero,
                Node::Var(v) => self.derivative_of_var(v, wrt)?,
                Node::Unary(f, a) => self.derivative_unary(n, f, a, d[a.index()]),
                Node::Binary(f, a, b) => {
                    self.derivative_binary(n, f, a, b, d[a.index()], d[b.index()])
                }
            };
        }
        Ok(d[of.index()])
    }

    fn derivative_of_var(&mut self, v: Var, wrt: Var) -> Result<NodeId, DiffError> {
        Ok(match (v, wrt) {
            _ if v == wrt => self.constant(1.0),
            (Var::Param(k), Var::Time) => self.var(Var::ParamRate(k)),
            (Var::ParamRate(param), Var::Time) => {
                return Err(DiffError::ScheduleSecondDerivative { param });
            }
            _ => self.constant(0.0),
        })
    }

    fn is_zero(&self, n: NodeId) -> bool {
        self.constant_value(n) == Some(0.0)
    }

    /// `d f(a)` given the node `n = f(a)` and `da`.
    fn derivative_unary(&mut self, n: NodeId, f: Func1, a: NodeId, da: NodeId) -> NodeId {
        if self.is_zero(da) {
            return da;
        }
        let one = self.constant(1.0);
        let factor = match f {
            Func1::Neg => return self.unary(Func1::Neg, da),
            Func1::Exp => n,
            Func1::Log => return self.binary(Func2::Div, da, a),
            Func1::Sqrt => {
                let two = self.constant(2.0);
                let den = self.binary(Func2::Mul, two, n);
                return self.binary(Func2::Div, da, den);
            }
            Func1::Sin => self.unary(Func1::Cos, a),
            Func1::Cos => {
                let s = self.unary(Func1::Sin, a);
                self.unary(Func1::Neg, s)
            }
            Func1::Tan => {
                let sq = self.unary(Func1::Powi(2), n);
                self.binary(Func2::Add, one, sq)
            }
            Func1::Tanh => {
                let sq = self.unary(Func1::Powi(2), n);
                self.binary(Func2::Sub, one, sq)
            }
            Func1::Abs => self.unary(Func1::Sign, a),
            Func1::Sign | Func1::Step => return self.constant(0.0),
            Func1::Powi(k) => {
                let c = self.constant(f64::from(k));
                let p = match k.checked_sub(1) {
                    Some(m) => self.unary(Func1::Powi(m), a),
                    None => {
                        let e = self.constant(f64::from(k) - 1.0);
                        self.binary(Func2::Pow, a, e)
                    }
                };
                self.binary(Func2::Mul, c, p)
            }
        };
        self.binary(Func2::Mul, factor, da)
    }

    /// `d f(a, b)` given the node `n = f(a, b)`, `da` and `db`.
    fn derivative_binary(
        &mut self,
        n: NodeId,
        f: Func2,
        a: NodeId,
        b: NodeId,
        da: NodeId,
        db: NodeId,
    ) -> NodeId {
        if self.is_zero(da) && self.is_zero(db) {
            return da;
        }
        match f {
            Func2::Add => self.binary(Func2::Add, da, db),
            Func2::Sub => self.binary(Func2::Sub, da, db),
            Func2::Mul => {
                let l = self.binary(Func2::Mul, da, b);
                let r = self.binary(Func2::Mul, a, db);
                self.binary(Func2::Add, l, r)
            }
            Func2::Div => {
                // (a/b)' = (a' - (a/b)·b') / b, reusing the quotient node.
                let qdb = self.binary(Func2::Mul, n, db);
                let num = self.binary(Func2::Sub, da, qdb);
                self.binary(Func2::Div, num, b)
            }
            Func2::Pow => {
                let mut sum = self.constant(0.0);
                if !self.is_zero(da) {
                    let one = self.constant(1.0);
                    let bm1 = self.binary(Func2::Sub, b, one);
                    let p = self.binary(Func2::Pow, a, bm1);
                    let bp = self.binary(Func2::Mul, b, p);
                    sum = self.binary(Func2::Mul, bp, da);
                }
                if !self.is_zero(db) {
                    let ln = self.unary(Func1::Log, a);
                    let lp = self.binary(Func2::Mul, ln, n);
                    let t = self.binary(Func2::Mul, lp, db);
                    sum = self.binary(Func2::Add, sum, t);
                }
                sum
            }
            Func2::Atan2 => {
                // atan2(y, x)' = (x·y' - y·x') / (x² + y²) with y = a, x = b.
                let xdy = self.binary(Func2::Mul, b, da);
                let ydx = self.binary(Func2::Mul, a, db);
                let num = self.binary(Func2::Sub, xdy, ydx);
                let x2 = self.unary(Func1::Powi(2), b);
                let y2 = self.unary(Func1::Powi(2), a);
                let den = self.binary(Func2::Add, x2, y2);
                self.binary(Func2::Div, num, den)
            }
            Func2::Min | Func2::Max => {
                // The step is 1 exactly where the second operand is the result.
                let gap = match f {
                    Func2::Min => self.binary(Func2::Sub, a, b),
                    _ => self.binary(Func2::Sub, b, a),
                };
                let s = self.unary(Func1::Step, gap);
                let diff = self.binary(Func2::Sub, db, da);
                let t = self.binary(Func2::Mul, s, diff);
                self.binary(Func2::Add, da, t)
            }
        }
    }
}
