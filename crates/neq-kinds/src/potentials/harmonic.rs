//! `harmonic(centre: 0, stiffness: 1)`: the 1-D harmonic trap V(x, t) = k(t)/2 (x − c(t))²,
//! whose centre and stiffness may both follow schedules (a dragged or breathing trap).

use std::sync::Arc;

use neq_core::{
    Args, BuildError, Builder, Evaluation, KindSpec, ParamDefault, ParamSpec, ParamType, Potential,
    TimeFn, Want,
};

use super::time_fn_arg;

/// `harmonic(centre: 0, stiffness: 1)`.
pub const KIND: KindSpec = KindSpec {
    name: "harmonic",
    doc: "harmonic(centre: 0, stiffness: 1): the 1-D harmonic trap \
          V(x, t) = k(t)/2 · (x − c(t))² with centre c and stiffness k, both of which may \
          follow schedules; ∂V/∂t = k'/2 · (x − c)² − k (x − c) c'. A constant stiffness must \
          be positive.",
    params: &[
        ParamSpec {
            name: "centre",
            ty: ParamType::TimeFn,
            default: ParamDefault::Number(0.0),
            unit: "length",
            doc: "position of the trap's minimum",
        },
        ParamSpec {
            name: "stiffness",
            ty: ParamType::TimeFn,
            default: ParamDefault::Number(1.0),
            unit: "energy/length²",
            doc: "spring constant k (curvature of V)",
        },
    ],
    positional: 2,
    columns: &[],
    builder: Builder::Potential(build),
};

fn build(args: &Args) -> Result<Arc<dyn Potential>, BuildError> {
    let stiffness = time_fn_arg(args, "stiffness");
    if let Some(k) = stiffness.as_constant()
        && (k <= 0.0 || k.is_nan())
    {
        return Err(BuildError::param(
            "stiffness",
            format!("the stiffness must be positive, not {k}"),
        )
        .with_hint("a trap with k ≤ 0 does not confine; use `expr(…)` for an inverted parabola"));
    }
    Ok(Arc::new(Harmonic::new(time_fn_arg(args, "centre"), stiffness)))
}

/// V(x, t) = k(t)/2 (x − c(t))².
#[derive(Debug, Clone)]
pub struct Harmonic {
    centre: TimeFn,
    stiffness: TimeFn,
}

impl Harmonic {
    /// A trap centred at `centre(t)` with spring constant `stiffness(t)`.
    pub fn new(centre: TimeFn, stiffness: TimeFn) -> Self {
        Harmonic { centre, stiffness }
    }
}

impl Potential for Harmonic {
    fn dim(&self) -> usize {
        1
    }

    fn is_static(&self) -> bool {
        self.centre.as_constant().is_some() && self.stiffness.as_constant().is_some()
    }

    fn eval(&self, t: f64, coords: &[&[f64]], want: Want, out: &mut Evaluation) {
        let (c, dc) = self.centre.eval(t);
        let (k, dk) = self.stiffness.eval(t);
        let x = coords[0];
        let n = x.len();
        if want.value {
            for (v, &x) in out.value[..n].iter_mut().zip(x) {
                *v = 0.5 * k * (x - c) * (x - c);
            }
        }
        if want.grad {
            for (g, &x) in out.grad[..n].iter_mut().zip(x) {
                *g = k * (x - c);
            }
        }
        if want.time_derivative {
            for (d, &x) in out.dvdt[..n].iter_mut().zip(x) {
                let u = x - c;
                *d = 0.5 * dk * u * u - k * u * dc;
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
    fn builder_rejects_a_constant_non_positive_stiffness() {
        let Builder::Potential(build) = KIND.builder else { unreachable!() };
        let args = |k: f64| {
            Args::new(vec![("centre", ArgValue::Number(0.5)), ("stiffness", ArgValue::Number(k))])
        };
        let error = build(&args(-1.0)).unwrap_err();
        assert_eq!(error.param, Some("stiffness"));
        assert!(error.hint.is_some());
        assert_eq!(build(&args(0.0)).unwrap_err().param, Some("stiffness"));
        let trap = build(&args(4.0)).unwrap();
        assert_eq!(scalar_value(&*trap, 0.0, &[1.5]), 2.0);
    }

    proptest! {
        #[test]
        fn derivatives_match_finite_differences(x in -3.0..3.0f64, t in -2.0..2.0f64) {
            let fixed = Harmonic::new(TimeFn::constant(0.4), TimeFn::constant(2.0));
            assert_derivatives_match(&fixed, t, &[x]);
            let dragged = Harmonic::new(linear_in_time(0.3), TimeFn::constant(2.0));
            assert_derivatives_match(&dragged, t, &[x]);
            let breathing = Harmonic::new(linear_in_time(-0.7), sine_around(3.0, 1.0, 0.8));
            assert_derivatives_match(&breathing, t, &[x]);
        }
    }
}
