//! Vector loops: each instruction of varying code runs as one tight loop over a block.
//!
//! Every loop is a monomorphised copy for one function and one operand shape (vector or
//! scalar on each side), over zipped slices of equal length, so it has no bounds checks and
//! no dispatch inside, and LLVM vectorises it when the function is plain arithmetic (all
//! operations here except the library `log`, `sin`, `cos`, `tan`, `tanh`, `powf`, `atan2`).

use crate::{Func1, Func2};

/// An operand of a vector instruction.
#[derive(Clone, Copy)]
pub(super) enum Arg<'a> {
    /// One value per point of the block.
    Vector(&'a [f64]),
    /// One value for the whole block.
    Scalar(f64),
}

/// `out[i] = f(a[i])`.
pub(super) fn unary(f: Func1, out: &mut [f64], a: Arg<'_>) {
    macro_rules! each {
        ($($v:ident),*) => {
            match f {
                $(Func1::$v => map1(out, a, |x| Func1::$v.eval(x)),)*
                Func1::Powi(n) => map1(out, a, |x| Func1::Powi(n).eval(x)),
            }
        };
    }
    each!(Neg, Exp, Log, Sqrt, Sin, Cos, Tan, Tanh, Abs, Sign, Step)
}

/// `out[i] = f(a[i], b[i])`.
pub(super) fn binary(f: Func2, out: &mut [f64], a: Arg<'_>, b: Arg<'_>) {
    macro_rules! each {
        ($($v:ident),*) => {
            match f {
                $(Func2::$v => map2(out, a, b, |x, y| Func2::$v.eval(x, y)),)*
            }
        };
    }
    each!(Add, Sub, Mul, Div, Pow, Atan2, Min, Max)
}

#[inline(always)]
fn map1(out: &mut [f64], a: Arg<'_>, f: impl Fn(f64) -> f64) {
    match a {
        Arg::Vector(a) => {
            for (o, &x) in out.iter_mut().zip(a) {
                *o = f(x);
            }
        }
        Arg::Scalar(x) => out.fill(f(x)),
    }
}

#[inline(always)]
fn map2(out: &mut [f64], a: Arg<'_>, b: Arg<'_>, f: impl Fn(f64, f64) -> f64) {
    match (a, b) {
        (Arg::Vector(a), Arg::Vector(b)) => {
            for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
                *o = f(x, y);
            }
        }
        (Arg::Vector(a), Arg::Scalar(y)) => {
            for (o, &x) in out.iter_mut().zip(a) {
                *o = f(x, y);
            }
        }
        (Arg::Scalar(x), Arg::Vector(b)) => {
            for (o, &y) in out.iter_mut().zip(b) {
                *o = f(x, y);
            }
        }
        (Arg::Scalar(x), Arg::Scalar(y)) => out.fill(f(x, y)),
    }
}
