//! Vector loops: each instruction of varying code runs as one tight loop over a block.
//!
//! Every loop is a monomorphised copy for one function and one operand shape (vector or
//! scalar on each side), over zipped slices of equal length, so it has no bounds checks and
//! no dispatch inside, and LLVM vectorises it when the function is plain arithmetic (all
//! operations here except the library `log`, `sin`, `cos`, `tan`, `tanh`, `powf`, `atan2`).
//!
//! [`unary`] and [`binary`] are compiled several times, for baseline x86-64 (two `f64` lanes)
//! and for AVX2 and AVX-512 (four and eight lanes), and pick the widest the CPU has at run time
//! (see [`wide_targets`](crate::wide_targets)). The clones give the same bits: Rust never fuses
//! `a * b + c` into a multiply-add, so only the width of the loops changes.

use crate::{Func1, Func2};

/// An operand of a vector instruction.
#[derive(Clone, Copy)]
pub(super) enum Arg<'a> {
    /// One value per point of the block.
    Vector(&'a [f64]),
    /// One value for the whole block.
    Scalar(f64),
}

crate::wide_targets! {
    /// `out[i] = f(a[i])`, in the widest instruction set the CPU has.
    pub(super) fn unary(f: Func1, out: &mut [f64], a: Arg<'_>) {
        unary_loops(f, out, a);
    }
}

crate::wide_targets! {
    /// `out[i] = f(a[i], b[i])`, in the widest instruction set the CPU has.
    pub(super) fn binary(f: Func2, out: &mut [f64], a: Arg<'_>, b: Arg<'_>) {
        binary_loops(f, out, a, b);
    }
}

/// `out[i] = f(a[i])`.
#[inline(always)]
fn unary_loops(f: Func1, out: &mut [f64], a: Arg<'_>) {
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
#[inline(always)]
fn binary_loops(f: Func2, out: &mut [f64], a: Arg<'_>, b: Arg<'_>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Arguments over many scales and signs, with zeros, tiny and non-finite values.
    fn arguments() -> Vec<f64> {
        let mut x: Vec<f64> = (0..=4000).map(|i| -3.0 + 6.0 * f64::from(i) / 4000.0).collect();
        x.extend((-300..300).map(|e| 1.37 * 10f64.powi(e)));
        x.extend((-300..300).map(|e| -0.71 * 10f64.powi(e)));
        x.extend([0.0, -0.0, 800.0, -800.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN]);
        x
    }

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    #[test]
    fn the_dispatched_loops_give_the_baseline_bits() {
        let x = arguments();
        // The second operand: the same values in another order.
        let y: Vec<f64> = x.iter().rev().copied().collect();
        let n = x.len();
        let (mut wide, mut base) = (vec![0.0; n], vec![0.0; n]);
        use Func1::*;
        let unaries =
            [Neg, Exp, Log, Sqrt, Sin, Cos, Tan, Tanh, Abs, Sign, Step, Powi(8), Powi(-3)];
        for f in unaries {
            unary(f, &mut wide, Arg::Vector(&x));
            unary_loops(f, &mut base, Arg::Vector(&x));
            assert_eq!(bits(&wide), bits(&base), "{f:?}");
        }
        use Func2::*;
        for f in [Add, Sub, Mul, Div, Pow, Atan2, Min, Max] {
            binary(f, &mut wide, Arg::Vector(&x), Arg::Vector(&y));
            binary_loops(f, &mut base, Arg::Vector(&x), Arg::Vector(&y));
            assert_eq!(bits(&wide), bits(&base), "{f:?}");
            binary(f, &mut wide, Arg::Scalar(-80.0), Arg::Vector(&y));
            binary_loops(f, &mut base, Arg::Scalar(-80.0), Arg::Vector(&y));
            assert_eq!(bits(&wide), bits(&base), "{f:?} with a scalar");
        }
    }
}
