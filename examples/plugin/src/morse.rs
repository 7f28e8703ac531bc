//! `morse(depth: 1, width: 1, centre: 0)`: the 1-D Morse well
//! V(x, t) = D(t) (1 − e^{−(x − c(t))/w(t)})², a bond that dissociates: V has its minimum 0 at
//! the centre c, rises steeply to the left and levels off at the depth D to the right.
//!
//! All three parameters may follow schedules. With s = (x − c)/w, e = e^{−s} and u = 1 − e:
//!
//! - ∂V/∂x = 2 D u e / w,
//! - ∂V/∂t = D′ u² − 2 D u e (c′ + s w′) / w.
//!
//! u is computed as −expm1(−s), so it keeps full relative precision near the minimum.

use std::sync::Arc;

use neq_core::{
    ArgValue, Args, BuildError, Builder, Evaluation, KindSpec, ParamDefault, ParamSpec, ParamType,
    Potential, TimeFn, Want,
};

/// `morse(depth: 1, width: 1, centre: 0)`.
pub const KIND: KindSpec = KindSpec {
    name: "morse",
    doc: "morse(depth: 1, width: 1, centre: 0): the 1-D Morse well \
          V(x, t) = D(t) · (1 − exp(−(x − c(t))/w(t)))² with depth D, width w and centre c, any \
          of which may follow a schedule; ∂V/∂t comes from their rates. V is 0 at the centre, \
          grows exponentially to the left and tends to D to the right, so particles with \
          enough energy escape. The curvature at the minimum is 2D/w². Depth and width must \
          stay positive.",
    params: &[
        ParamSpec {
            name: "depth",
            ty: ParamType::TimeFn,
            default: ParamDefault::Number(1.0),
            unit: "energy",
            doc: "dissociation energy D: the height of the plateau at large x above the minimum",
        },
        ParamSpec {
            name: "width",
            ty: ParamType::TimeFn,
            default: ParamDefault::Number(1.0),
            unit: "length",
            doc: "range w of the well (1/w is the usual Morse parameter a)",
        },
        ParamSpec {
            name: "centre",
            ty: ParamType::TimeFn,
            default: ParamDefault::Number(0.0),
            unit: "length",
            doc: "position c of the minimum",
        },
    ],
    positional: 1,
    columns: &[],
    builder: Builder::Potential(build),
};

/// A function-of-time argument; defaults arrive as plain numbers.
fn time_fn(args: &Args, name: &str) -> TimeFn {
    match args.get(name) {
        Some(ArgValue::Number(x)) => TimeFn::constant(*x),
        _ => args.time_fn(name),
    }
}

/// A parameter that must be positive, checked when it does not depend on time.
fn positive(args: &Args, name: &'static str, hint: &str) -> Result<TimeFn, BuildError> {
    let f = time_fn(args, name);
    match f.as_constant() {
        Some(v) if !(v > 0.0 && v.is_finite()) => Err(BuildError::param(
            name,
            format!("the {name} of a Morse well must be a positive number, not {v}"),
        )
        .with_hint(hint)),
        _ => Ok(f),
    }
}

fn build(args: &Args) -> Result<Arc<dyn Potential>, BuildError> {
    let depth = positive(args, "depth", "for a barrier instead of a well, use `expr(…)`")?;
    let width = positive(args, "width", "move the well with `centre`; mirror it with `expr(…)`")?;
    Ok(Arc::new(Morse::new(depth, width, time_fn(args, "centre"))))
}

/// V(x, t) = D(t) (1 − e^{−(x − c(t))/w(t)})².
#[derive(Debug, Clone)]
pub struct Morse {
    depth: TimeFn,
    width: TimeFn,
    centre: TimeFn,
}

impl Morse {
    /// A Morse well of depth `depth(t)` (> 0) and width `width(t)` (> 0) centred at
    /// `centre(t)`.
    pub fn new(depth: TimeFn, width: TimeFn, centre: TimeFn) -> Self {
        Morse { depth, width, centre }
    }

    /// The parameters and their rates at time `t`.
    pub fn at(&self, t: f64) -> MorseAt {
        let (depth, depth_rate) = self.depth.eval(t);
        let (width, width_rate) = self.width.eval(t);
        let (centre, centre_rate) = self.centre.eval(t);
        MorseAt { depth, depth_rate, width, width_rate, centre, centre_rate }
    }
}

/// The parameters of a Morse well at one time, with their time derivatives: everything the
/// batch kernel needs, apart from the points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MorseAt {
    /// D.
    pub depth: f64,
    /// dD/dt.
    pub depth_rate: f64,
    /// w.
    pub width: f64,
    /// dw/dt.
    pub width_rate: f64,
    /// c.
    pub centre: f64,
    /// dc/dt.
    pub centre_rate: f64,
}

impl MorseAt {
    /// s = (x − c)/w, u = 1 − e^{−s} and e^{−s} at one point.
    #[inline]
    fn terms(&self, x: f64) -> (f64, f64, f64) {
        let s = (x - self.centre) / self.width;
        let em1 = (-s).exp_m1();
        (s, -em1, 1.0 + em1)
    }

    /// Fills what `want` asks for at the points `x` (`out` sized for `x.len()` points in 1-D).
    pub fn fill(&self, x: &[f64], want: Want, out: &mut Evaluation) {
        let n = x.len();
        let MorseAt { depth, depth_rate, width, width_rate, centre_rate, .. } = *self;
        if want.value {
            for (v, &x) in out.value[..n].iter_mut().zip(x) {
                let (_, u, _) = self.terms(x);
                *v = depth * u * u;
            }
        }
        if want.grad {
            let scale = 2.0 * depth / width;
            for (g, &x) in out.grad[..n].iter_mut().zip(x) {
                let (_, u, e) = self.terms(x);
                *g = scale * u * e;
            }
        }
        if want.time_derivative {
            for (d, &x) in out.dvdt[..n].iter_mut().zip(x) {
                let (s, u, e) = self.terms(x);
                let ds_dt = -(centre_rate + s * width_rate) / width;
                *d = depth_rate * u * u + 2.0 * depth * u * e * ds_dt;
            }
        }
    }
}

impl Potential for Morse {
    fn dim(&self) -> usize {
        1
    }

    fn eval(&self, t: f64, coords: &[&[f64]], want: Want, out: &mut Evaluation) {
        self.at(t).fill(coords[0], want, out);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn constant(depth: f64, width: f64, centre: f64) -> Morse {
        Morse::new(TimeFn::constant(depth), TimeFn::constant(width), TimeFn::constant(centre))
    }

    /// Everything `potential` computes at the single point `x`.
    fn eval_at(potential: &dyn Potential, t: f64, x: f64, want: Want) -> Evaluation {
        let mut out = Evaluation::default();
        out.resize(1, 1);
        potential.eval(t, &[&[x]], want, &mut out);
        out
    }

    fn value(potential: &dyn Potential, t: f64, x: f64) -> f64 {
        eval_at(potential, t, x, Want::VALUE).value[0]
    }

    fn assert_close(exact: f64, fd: f64, what: &str) {
        assert!(
            (exact - fd).abs() <= 2e-6 * (1.0 + exact.abs()),
            "{what}: exact {exact}, finite difference {fd}"
        );
    }

    /// Parameters that move smoothly in time: D = 2 + sin t, w = 1 + 0.3 cos 1.7t, c = 0.4 t²,
    /// with their exact rates.
    fn moving(t: f64) -> MorseAt {
        MorseAt {
            depth: 2.0 + t.sin(),
            depth_rate: t.cos(),
            width: 1.0 + 0.3 * (1.7 * t).cos(),
            width_rate: -0.51 * (1.7 * t).sin(),
            centre: 0.4 * t * t,
            centre_rate: 0.8 * t,
        }
    }

    fn fill_at(params: MorseAt, x: f64) -> Evaluation {
        let mut out = Evaluation::default();
        out.resize(1, 1);
        params.fill(&[x], Want::ALL, &mut out);
        out
    }

    #[test]
    fn zero_at_the_centre_depth_at_the_plateau_and_on_the_left_wall() {
        let well = constant(3.0, 0.5, 1.0);
        assert_eq!(value(&well, 0.0, 1.0), 0.0);
        assert!((value(&well, 0.0, 40.0) - 3.0).abs() < 1e-12);
        // At x = c − w ln 2, e^{−s} = 2 and u = −1: V equals the depth again.
        let left = 1.0 - 0.5 * std::f64::consts::LN_2;
        assert!((value(&well, 0.0, left) - 3.0).abs() < 1e-12);
        assert_eq!(eval_at(&well, 0.0, 1.0, Want::GRAD).grad[0], 0.0);
    }

    #[test]
    fn curvature_at_the_minimum_is_two_depth_over_width_squared() {
        let (depth, width) = (1.5, 0.8);
        let well = constant(depth, width, 0.0);
        let h = 1e-4;
        let curvature =
            (value(&well, 0.0, h) - 2.0 * value(&well, 0.0, 0.0) + value(&well, 0.0, -h)) / (h * h);
        assert!((curvature - 2.0 * depth / (width * width)).abs() < 1e-5, "{curvature}");
    }

    #[test]
    fn builder_rejects_constant_non_positive_depth_and_width() {
        let Builder::Potential(build) = KIND.builder else { unreachable!() };
        let args = |depth: f64, width: f64| {
            Args::new(vec![
                ("depth", ArgValue::Number(depth)),
                ("width", ArgValue::Number(width)),
                ("centre", ArgValue::Number(0.0)),
            ])
        };
        let error = build(&args(0.0, 1.0)).unwrap_err();
        assert_eq!(error.param, Some("depth"));
        assert!(error.hint.is_some());
        assert_eq!(build(&args(1.0, -2.0)).unwrap_err().param, Some("width"));
        assert_eq!(build(&args(1.0, f64::NAN)).unwrap_err().param, Some("width"));
        let well = build(&args(2.0, 1.0)).unwrap();
        assert!((value(&*well, 0.0, 1e3) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn a_static_well_has_no_time_derivative() {
        let all = eval_at(&constant(2.0, 0.7, -0.3), 1.0, 0.9, Want::ALL);
        assert_eq!(all.dvdt[0], 0.0);
    }

    proptest! {
        #[test]
        fn gradient_matches_finite_differences(
            x in -1.5..6.0f64, depth in 0.2..5.0f64, width in 0.3..2.0f64, centre in -1.0..1.0f64
        ) {
            let well = constant(depth, width, centre);
            let h = 1e-6;
            let fd = (value(&well, 0.0, x + h) - value(&well, 0.0, x - h)) / (2.0 * h);
            let all = eval_at(&well, 0.0, x, Want::ALL);
            assert_close(all.grad[0], fd, "∂V/∂x");
            let alone = eval_at(&well, 0.0, x, Want::GRAD);
            prop_assert_eq!(alone.grad[0], all.grad[0]);
        }

        #[test]
        fn time_derivative_matches_finite_differences(x in -1.0..5.0f64, t in -2.0..2.0f64) {
            let h = 1e-6;
            let fd = (fill_at(moving(t + h), x).value[0] - fill_at(moving(t - h), x).value[0])
                / (2.0 * h);
            let exact = fill_at(moving(t), x);
            assert_close(exact.dvdt[0], fd, "∂V/∂t");
            // The gradient with moving parameters is still the x-derivative.
            let fd_x = (fill_at(moving(t), x + h).value[0] - fill_at(moving(t), x - h).value[0])
                / (2.0 * h);
            assert_close(exact.grad[0], fd_x, "∂V/∂x");
        }
    }
}
