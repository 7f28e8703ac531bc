//! `double_well(barrier: 1, a: 1)`: the quartic double well V(x, t) = b(t) ((x/a)² − 1)²,
//! with minima at ±a and a barrier of height b(t) at x = 0.

use std::sync::Arc;

use neq_core::{
    Args, Bound, BuildError, Builder, Evaluation, KindSpec, ParamDefault, ParamSpec, ParamType,
    Potential, TimeFn, Want,
};

use super::time_fn_arg;

/// `double_well(barrier: 1, a: 1)`.
pub const KIND: KindSpec = KindSpec {
    name: "double_well",
    doc: "double_well(barrier: 1, a: 1): the 1-D quartic double well \
          V(x, t) = barrier(t) · ((x/a)² − 1)², with minima at ±a and a barrier of height \
          `barrier` at x = 0. The barrier may follow a schedule; ∂V/∂t comes from its rate.",
    params: &[
        ParamSpec {
            name: "barrier",
            ty: ParamType::TimeFn,
            default: ParamDefault::Number(1.0),
            unit: "energy",
            doc: "height of the barrier at x = 0 above the minima",
        },
        ParamSpec {
            name: "a",
            ty: ParamType::Number(Bound::Positive),
            default: ParamDefault::Number(1.0),
            unit: "length",
            doc: "position of the minima (at ±a)",
        },
    ],
    positional: 1,
    columns: &[],
    builder: Builder::Potential(build),
};

fn build(args: &Args) -> Result<Arc<dyn Potential>, BuildError> {
    let a = args.number("a");
    if !(a > 0.0 && a.is_finite()) {
        return Err(BuildError::param("a", format!("`a` must be a positive number, not {a}")));
    }
    Ok(Arc::new(DoubleWell::new(time_fn_arg(args, "barrier"), a)))
}

/// V(x, t) = b(t) ((x/a)² − 1)².
#[derive(Debug, Clone)]
pub struct DoubleWell {
    barrier: TimeFn,
    inv_a2: f64,
}

impl DoubleWell {
    /// A double well with barrier height `barrier(t)` and minima at ±`a` (a > 0).
    pub fn new(barrier: TimeFn, a: f64) -> Self {
        DoubleWell { barrier, inv_a2: 1.0 / (a * a) }
    }
}

impl Potential for DoubleWell {
    fn dim(&self) -> usize {
        1
    }

    fn is_static(&self) -> bool {
        self.barrier.as_constant().is_some()
    }

    fn eval(&self, t: f64, coords: &[&[f64]], want: Want, out: &mut Evaluation) {
        let (b, rate) = self.barrier.eval(t);
        let x = coords[0];
        let n = x.len();
        let c = self.inv_a2;
        if want.value {
            for (v, &x) in out.value[..n].iter_mut().zip(x) {
                let u = x * x * c - 1.0;
                *v = b * u * u;
            }
        }
        if want.grad {
            for (g, &x) in out.grad[..n].iter_mut().zip(x) {
                *g = 4.0 * b * c * x * (x * x * c - 1.0);
            }
        }
        if want.time_derivative {
            for (d, &x) in out.dvdt[..n].iter_mut().zip(x) {
                let u = x * x * c - 1.0;
                *d = rate * u * u;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use neq_core::ArgValue;
    use proptest::prelude::*;

    use super::*;
    use crate::testing::{assert_derivatives_match, linear_in_time, scalar_value, sine_around};

    #[test]
    fn minima_at_plus_minus_a_and_barrier_at_zero() {
        let well = DoubleWell::new(TimeFn::constant(2.5), 1.5);
        assert_eq!(scalar_value(&well, 0.0, &[1.5]), 0.0);
        assert_eq!(scalar_value(&well, 0.0, &[-1.5]), 0.0);
        assert_eq!(scalar_value(&well, 0.0, &[0.0]), 2.5);
    }

    #[test]
    fn builder_rejects_a_non_positive_width_and_accepts_defaults() {
        let Builder::Potential(build) = KIND.builder else { unreachable!() };
        let args = |a: f64| {
            Args::new(vec![("barrier", ArgValue::Number(1.0)), ("a", ArgValue::Number(a))])
        };
        assert_eq!(build(&args(0.0)).unwrap_err().param, Some("a"));
        assert_eq!(scalar_value(&*build(&args(1.0)).unwrap(), 0.0, &[0.0]), 1.0);
    }

    proptest! {
        #[test]
        fn derivatives_match_finite_differences(
            x in -2.0..2.0f64, t in -2.0..2.0f64, a in 0.5..2.0f64
        ) {
            assert_derivatives_match(&DoubleWell::new(TimeFn::constant(1.7), a), t, &[x]);
            assert_derivatives_match(&DoubleWell::new(linear_in_time(0.3), a), t, &[x]);
            assert_derivatives_match(&DoubleWell::new(sine_around(2.0, 0.5, 1.3), a), t, &[x]);
        }
    }
}
