//! Elementary functions: the unary and binary operations of a graph and their scalar
//! semantics.
//!
//! The scalar functions here are the single definition of what each operation computes.
//! Constant folding, [`Program::eval_point`](crate::Program::eval_point) and the vector loops of
//! [`Program::eval_batch`](crate::Program::eval_batch) all call them, so the three agree bit
//! for bit.

use crate::math;

/// A function of one argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Func1 {
    /// Negation `-a`.
    Neg,
    /// Exponential, computed by the branch-free [`math::exp`].
    Exp,
    /// Natural logarithm.
    Log,
    /// Square root.
    Sqrt,
    /// Sine.
    Sin,
    /// Cosine.
    Cos,
    /// Tangent.
    Tan,
    /// Hyperbolic tangent.
    Tanh,
    /// Absolute value.
    Abs,
    /// Sign: 1 for positive, -1 for negative, the argument itself for ±0 and NaN.
    Sign,
    /// Heaviside step: 1 if the argument is greater than 0, else 0 (also 0 for NaN).
    Step,
    /// Integer power `a^n`, computed by repeated multiplication (square and multiply from the
    /// most significant bit); a negative `n` takes the reciprocal at the end, and `a^0` is 1.
    Powi(i32),
}

/// A function of two arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Func2 {
    /// Sum `a + b`.
    Add,
    /// Difference `a - b`.
    Sub,
    /// Product `a * b`.
    Mul,
    /// Quotient `a / b`.
    Div,
    /// Real power `a^b` ([`f64::powf`]).
    Pow,
    /// Angle `atan2(a, b)` of the point `(b, a)`, as [`f64::atan2`] (`a` is `y`).
    Atan2,
    /// Minimum: `b` if `b < a`, else `a` (so a NaN in `b` is ignored, a NaN in `a` is not).
    Min,
    /// Maximum: `b` if `b > a`, else `a`.
    Max,
}

impl Func1 {
    /// The name used when printing, e.g. `exp`; `Neg` and `Powi` print as operators.
    pub fn name(self) -> &'static str {
        match self {
            Func1::Neg => "-",
            Func1::Exp => "exp",
            Func1::Log => "log",
            Func1::Sqrt => "sqrt",
            Func1::Sin => "sin",
            Func1::Cos => "cos",
            Func1::Tan => "tan",
            Func1::Tanh => "tanh",
            Func1::Abs => "abs",
            Func1::Sign => "sign",
            Func1::Step => "step",
            Func1::Powi(_) => "powi",
        }
    }

    /// Applies the function to a scalar.
    #[inline(always)]
    pub fn eval(self, a: f64) -> f64 {
        match self {
            Func1::Neg => -a,
            Func1::Exp => math::exp(a),
            Func1::Log => a.ln(),
            Func1::Sqrt => a.sqrt(),
            Func1::Sin => a.sin(),
            Func1::Cos => a.cos(),
            Func1::Tan => a.tan(),
            Func1::Tanh => a.tanh(),
            Func1::Abs => a.abs(),
            Func1::Sign => sign(a),
            Func1::Step => step(a),
            Func1::Powi(n) => powi(a, n),
        }
    }
}

impl Func2 {
    /// The name used when printing: the operator for arithmetic, else the function name.
    pub fn name(self) -> &'static str {
        match self {
            Func2::Add => "+",
            Func2::Sub => "-",
            Func2::Mul => "*",
            Func2::Div => "/",
            Func2::Pow => "^",
            Func2::Atan2 => "atan2",
            Func2::Min => "min",
            Func2::Max => "max",
        }
    }

    /// Whether `f(a, b) == f(b, a)` bit for bit, so operands may be put in a canonical order.
    ///
    /// `Min` and `Max` are excluded because they treat NaN asymmetrically.
    pub fn is_commutative(self) -> bool {
        matches!(self, Func2::Add | Func2::Mul)
    }

    /// Applies the function to two scalars.
    #[inline(always)]
    pub fn eval(self, a: f64, b: f64) -> f64 {
        match self {
            Func2::Add => a + b,
            Func2::Sub => a - b,
            Func2::Mul => a * b,
            Func2::Div => a / b,
            Func2::Pow => a.powf(b),
            Func2::Atan2 => a.atan2(b),
            Func2::Min => {
                if b < a {
                    b
                } else {
                    a
                }
            }
            Func2::Max => {
                if b > a {
                    b
                } else {
                    a
                }
            }
        }
    }
}

/// Sign of `a`: 1, -1, or `a` itself for ±0 and NaN.
#[inline(always)]
fn sign(a: f64) -> f64 {
    if a > 0.0 {
        1.0
    } else if a < 0.0 {
        -1.0
    } else {
        a
    }
}

/// Heaviside step: 1 if `a > 0`, else 0.
#[inline(always)]
fn step(a: f64) -> f64 {
    if a > 0.0 { 1.0 } else { 0.0 }
}

/// The bits of `m` after its leading one, most significant first.
///
/// Integer powers are computed left to right: start from `a`, then for each bit square, and
/// multiply by `a` when the bit is set. The compiler emits the same sequence of products, so a
/// compiled `powi` equals this scalar one bit for bit.
pub(crate) fn powi_tail_bits(m: u32) -> impl Iterator<Item = bool> {
    let top = 31 - m.leading_zeros();
    (0..top).rev().map(move |bit| (m >> bit) & 1 == 1)
}

/// Integer power by square and multiply; see [`Func1::Powi`].
#[inline]
pub(crate) fn powi(a: f64, n: i32) -> f64 {
    if n == 0 {
        return 1.0;
    }
    let mut r = a;
    for set in powi_tail_bits(n.unsigned_abs()) {
        r *= r;
        if set {
            r *= a;
        }
    }
    if n < 0 { 1.0 / r } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powi_matches_repeated_products() {
        assert_eq!(powi(3.0, 0), 1.0);
        assert_eq!(powi(3.0, 1), 3.0);
        assert_eq!(powi(3.0, 5), 243.0);
        assert_eq!(powi(2.0, -3), 0.125);
        assert_eq!(powi(-1.5, 2), 2.25);
        let x = 1.1_f64;
        let x2 = x * x;
        let x4 = x2 * x2;
        assert_eq!(powi(x, 8), x4 * x4);
        assert_eq!(powi(x, 7), (x2 * x) * (x2 * x) * x);
    }

    #[test]
    fn min_max_and_steps() {
        assert_eq!(Func2::Min.eval(1.0, 2.0), 1.0);
        assert_eq!(Func2::Max.eval(1.0, 2.0), 2.0);
        assert_eq!(Func1::Step.eval(0.0), 0.0);
        assert_eq!(Func1::Step.eval(1e-300), 1.0);
        assert_eq!(Func1::Sign.eval(-3.0), -1.0);
        assert!(Func1::Sign.eval(f64::NAN).is_nan());
    }
}
