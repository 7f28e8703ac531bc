//! Built-in schedules (protocols): `ramp`, `sine`, `smoothstep`, `piecewise` and `steps`.
//!
//! Each is a function λ(t) with its rate dλ/dt. Where λ has a kink (the ends of a ramp, the
//! points of a piecewise-linear schedule) the rate is the right derivative, so that a step
//! taken from t forwards sees the slope it is about to follow. Steps have rate zero
//! everywhere: the jumps carry no ∂V/∂t, so work integrals miss their contributions.

use std::sync::Arc;

use neq_core::{
    Args, Bound, BuildError, Builder, KindSpec, ParamDefault, ParamSpec, ParamType, Schedule,
};

/// The schedule kinds of this module, in documentation order.
pub const KINDS: [KindSpec; 5] = [RAMP, SINE, SMOOTHSTEP, PIECEWISE, STEPS];

const fn number(
    name: &'static str,
    default: ParamDefault,
    unit: &'static str,
    doc: &'static str,
) -> ParamSpec {
    ParamSpec { name, ty: ParamType::Number(Bound::Any), default, unit, doc }
}

const FROM: ParamSpec = number("from", ParamDefault::Required, "", "value up to `start`");
const TO: ParamSpec = number("to", ParamDefault::Required, "", "value from `end` on");
const START: ParamSpec = number("start", ParamDefault::Required, "time", "time the change begins");
const END: ParamSpec =
    number("end", ParamDefault::Required, "time", "time the change is complete (> `start`)");

/// `ramp(from, to, start, end)`.
pub const RAMP: KindSpec = KindSpec {
    name: "ramp",
    doc: "ramp(from, to, start, end): `from` until `start`, then a straight line to `to` at \
          `end`, constant afterwards. The rate at `start` is the ramp's slope and at `end` it \
          is zero (right derivatives).",
    params: &[FROM, TO, START, END],
    positional: 4,
    columns: &[],
    builder: Builder::Schedule(build_ramp),
};

/// `sine(amplitude, period, phase: 0, offset: 0)`.
pub const SINE: KindSpec = KindSpec {
    name: "sine",
    doc: "sine(amplitude, period): offset + amplitude · sin(2π t / period + phase), a periodic \
          drive starting at phase `phase` at t = 0.",
    params: &[
        number("amplitude", ParamDefault::Required, "", "half the peak-to-peak swing"),
        ParamSpec {
            name: "period",
            ty: ParamType::Number(Bound::Positive),
            default: ParamDefault::Required,
            unit: "time",
            doc: "time of one full oscillation",
        },
        number("phase", ParamDefault::Number(0.0), "rad", "phase at t = 0"),
        number("offset", ParamDefault::Number(0.0), "", "value the oscillation is centred on"),
    ],
    positional: 2,
    columns: &[],
    builder: Builder::Schedule(build_sine),
};

/// `smoothstep(from, to, start, end)`.
pub const SMOOTHSTEP: KindSpec = KindSpec {
    name: "smoothstep",
    doc: "smoothstep(from, to, start, end): like `ramp`, but following the cubic 3s² − 2s³ of \
          the elapsed fraction s, so the rate starts and ends at zero and has no kinks.",
    params: &[FROM, TO, START, END],
    positional: 4,
    columns: &[],
    builder: Builder::Schedule(build_smoothstep),
};

/// `piecewise(times: [...], values: [...])`.
pub const PIECEWISE: KindSpec = KindSpec {
    name: "piecewise",
    doc: "piecewise(times: [t0, t1, …], values: [v0, v1, …]): the straight lines through the \
          points (t_i, v_i), constant before the first and after the last. Times must increase \
          strictly. At a point the rate is the slope of the segment that starts there (right \
          derivative).",
    params: &[
        ParamSpec {
            name: "times",
            ty: ParamType::Numbers,
            default: ParamDefault::Required,
            unit: "time",
            doc: "times of the points, strictly increasing",
        },
        ParamSpec {
            name: "values",
            ty: ParamType::Numbers,
            default: ParamDefault::Required,
            unit: "",
            doc: "values at those times, one per time",
        },
    ],
    positional: 2,
    columns: &[],
    builder: Builder::Schedule(build_piecewise),
};

/// `steps(times: [...], values: [...])`.
pub const STEPS: KindSpec = KindSpec {
    name: "steps",
    doc: "steps(times: [t1, …, tn], values: [v0, v1, …, vn]): piecewise constant, v0 before t1 \
          and v_i from t_i on (one more value than times). Times must increase strictly. The \
          rate is zero everywhere: the jumps contribute nothing to ∂V/∂t.",
    params: &[
        ParamSpec {
            name: "times",
            ty: ParamType::Numbers,
            default: ParamDefault::Required,
            unit: "time",
            doc: "times of the jumps, strictly increasing",
        },
        ParamSpec {
            name: "values",
            ty: ParamType::Numbers,
            default: ParamDefault::Required,
            unit: "",
            doc: "value before the first jump, then after each jump (one more than times)",
        },
    ],
    positional: 2,
    columns: &[],
    builder: Builder::Schedule(build_steps),
};

/// The elapsed fraction of `[start, end]` at `t`, clamped to `[0, 1]`.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: f64,
    end: f64,
}

impl Window {
    fn from_args(args: &Args) -> Result<Self, BuildError> {
        let (start, end) = (args.number("start"), args.number("end"));
        if end <= start {
            return Err(BuildError::param(
                "end",
                format!("`end` ({end}) must come after `start` ({start})"),
            ));
        }
        Ok(Window { start, end })
    }

    fn fraction(self, t: f64) -> f64 {
        ((t - self.start) / (self.end - self.start)).clamp(0.0, 1.0)
    }

    /// Whether the right derivative at `t` sees the inside of the window.
    fn moving(self, t: f64) -> bool {
        self.start <= t && t < self.end
    }
}

/// A linear change from `from` to `to` over a window.
#[derive(Debug, Clone)]
pub struct Ramp {
    from: f64,
    to: f64,
    window: Window,
}

impl Ramp {
    /// From `from` at `start` to `to` at `end`; `end` must exceed `start`.
    pub fn new(from: f64, to: f64, start: f64, end: f64) -> Self {
        assert!(end > start, "a ramp needs end > start");
        Ramp { from, to, window: Window { start, end } }
    }
}

impl Schedule for Ramp {
    fn value(&self, t: f64) -> f64 {
        self.from + (self.to - self.from) * self.window.fraction(t)
    }

    fn rate(&self, t: f64) -> f64 {
        let Window { start, end } = self.window;
        if self.window.moving(t) { (self.to - self.from) / (end - start) } else { 0.0 }
    }
}

fn build_ramp(args: &Args) -> Result<Arc<dyn Schedule>, BuildError> {
    let window = Window::from_args(args)?;
    Ok(Arc::new(Ramp { from: args.number("from"), to: args.number("to"), window }))
}

/// offset + amplitude · sin(2π t / period + phase).
#[derive(Debug, Clone)]
pub struct Sine {
    amplitude: f64,
    omega: f64,
    phase: f64,
    offset: f64,
}

impl Sine {
    /// A sine of the given amplitude, period (> 0), phase (rad) and offset.
    pub fn new(amplitude: f64, period: f64, phase: f64, offset: f64) -> Self {
        Sine { amplitude, omega: std::f64::consts::TAU / period, phase, offset }
    }
}

impl Schedule for Sine {
    fn value(&self, t: f64) -> f64 {
        self.offset + self.amplitude * (self.omega * t + self.phase).sin()
    }

    fn rate(&self, t: f64) -> f64 {
        self.amplitude * self.omega * (self.omega * t + self.phase).cos()
    }
}

fn build_sine(args: &Args) -> Result<Arc<dyn Schedule>, BuildError> {
    let period = args.number("period");
    if period <= 0.0 {
        return Err(BuildError::param(
            "period",
            format!("the period must be positive, not {period}"),
        ));
    }
    let sine =
        Sine::new(args.number("amplitude"), period, args.number("phase"), args.number("offset"));
    Ok(Arc::new(sine))
}

/// A change from `from` to `to` along 3s² − 2s³ of the elapsed fraction s.
#[derive(Debug, Clone)]
pub struct Smoothstep {
    from: f64,
    to: f64,
    window: Window,
}

impl Smoothstep {
    /// From `from` at `start` to `to` at `end`; `end` must exceed `start`.
    pub fn new(from: f64, to: f64, start: f64, end: f64) -> Self {
        assert!(end > start, "a smoothstep needs end > start");
        Smoothstep { from, to, window: Window { start, end } }
    }
}

impl Schedule for Smoothstep {
    fn value(&self, t: f64) -> f64 {
        let s = self.window.fraction(t);
        self.from + (self.to - self.from) * s * s * (3.0 - 2.0 * s)
    }

    fn rate(&self, t: f64) -> f64 {
        let s = self.window.fraction(t);
        let Window { start, end } = self.window;
        (self.to - self.from) * 6.0 * s * (1.0 - s) / (end - start)
    }
}

fn build_smoothstep(args: &Args) -> Result<Arc<dyn Schedule>, BuildError> {
    let window = Window::from_args(args)?;
    Ok(Arc::new(Smoothstep { from: args.number("from"), to: args.number("to"), window }))
}

/// Checks that `times` is non-empty, finite and strictly increasing.
fn check_times(times: &[f64]) -> Result<(), BuildError> {
    if times.is_empty() {
        return Err(BuildError::param("times", "at least one time is needed"));
    }
    if let Some(bad) = times.iter().find(|t| !t.is_finite()) {
        return Err(BuildError::param("times", format!("times must be finite, found {bad}")));
    }
    if let Some(i) = times.windows(2).position(|w| w[1] <= w[0]) {
        return Err(BuildError::param(
            "times",
            format!("times must increase strictly, but {} follows {}", times[i + 1], times[i]),
        )
        .with_hint("sort the times and drop duplicates"));
    }
    Ok(())
}

/// Number of `times` that are ≤ `t` (`times` sorted).
fn passed(times: &[f64], t: f64) -> usize {
    times.partition_point(|&ti| ti <= t)
}

/// Straight lines through points, constant outside them.
#[derive(Debug, Clone)]
pub struct Piecewise {
    times: Vec<f64>,
    values: Vec<f64>,
}

impl Piecewise {
    /// Through `(times[i], values[i])`; times strictly increasing, lengths equal.
    pub fn new(times: Vec<f64>, values: Vec<f64>) -> Result<Self, BuildError> {
        check_times(&times)?;
        if values.len() != times.len() {
            return Err(BuildError::param(
                "values",
                format!(
                    "{} values for {} times: give one value per time",
                    values.len(),
                    times.len()
                ),
            ));
        }
        Ok(Piecewise { times, values })
    }
}

impl Schedule for Piecewise {
    fn value(&self, t: f64) -> f64 {
        let (times, values) = (&self.times, &self.values);
        let k = passed(times, t);
        if k == 0 {
            return values[0];
        }
        if k == times.len() {
            return values[k - 1];
        }
        let s = (t - times[k - 1]) / (times[k] - times[k - 1]);
        values[k - 1] + (values[k] - values[k - 1]) * s
    }

    fn rate(&self, t: f64) -> f64 {
        let k = passed(&self.times, t);
        if k == 0 || k == self.times.len() {
            return 0.0;
        }
        (self.values[k] - self.values[k - 1]) / (self.times[k] - self.times[k - 1])
    }
}

fn build_piecewise(args: &Args) -> Result<Arc<dyn Schedule>, BuildError> {
    Ok(Arc::new(Piecewise::new(args.numbers("times").to_vec(), args.numbers("values").to_vec())?))
}

/// Piecewise constant: `values[0]` before `times[0]`, `values[i + 1]` from `times[i]` on.
#[derive(Debug, Clone)]
pub struct Steps {
    times: Vec<f64>,
    values: Vec<f64>,
}

impl Steps {
    /// Jumps at `times` (strictly increasing) between `values` (one more than times).
    pub fn new(times: Vec<f64>, values: Vec<f64>) -> Result<Self, BuildError> {
        check_times(&times)?;
        if values.len() != times.len() + 1 {
            return Err(BuildError::param(
                "values",
                format!(
                    "{} values for {} times: give one more value than times",
                    values.len(),
                    times.len()
                ),
            )
            .with_hint("the first value holds before the first time"));
        }
        Ok(Steps { times, values })
    }
}

impl Schedule for Steps {
    fn value(&self, t: f64) -> f64 {
        self.values[passed(&self.times, t)]
    }

    fn rate(&self, _t: f64) -> f64 {
        0.0
    }
}

fn build_steps(args: &Args) -> Result<Arc<dyn Schedule>, BuildError> {
    Ok(Arc::new(Steps::new(args.numbers("times").to_vec(), args.numbers("values").to_vec())?))
}

#[cfg(test)]
mod tests {
    use neq_core::ArgValue;
    use proptest::prelude::*;

    use super::*;

    fn build(
        kind: &KindSpec,
        values: Vec<(&'static str, ArgValue)>,
    ) -> Result<Arc<dyn Schedule>, BuildError> {
        let Builder::Schedule(build) = kind.builder else { unreachable!() };
        build(&Args::new(values))
    }

    fn numbers(v: &[f64]) -> ArgValue {
        ArgValue::Numbers(v.to_vec())
    }

    /// Central difference, compared with the rate where the schedule is smooth around t.
    fn assert_rate_matches(schedule: &dyn Schedule, t: f64) {
        let h = 1e-6;
        let fd = (schedule.value(t + h) - schedule.value(t - h)) / (2.0 * h);
        let rate = schedule.rate(t);
        assert!((fd - rate).abs() <= 1e-6 * (1.0 + rate.abs()), "t = {t}: rate {rate}, fd {fd}");
    }

    fn away_from(kinks: &[f64], t: f64) -> bool {
        kinks.iter().all(|k| (t - k).abs() > 1e-4)
    }

    proptest! {
        #[test]
        fn ramp_rates_match_finite_differences(t in -2.0..5.0f64) {
            let ramp = Ramp::new(1.0, -3.0, 0.5, 2.5);
            prop_assume!(away_from(&[0.5, 2.5], t));
            assert_rate_matches(&ramp, t);
        }

        #[test]
        fn sine_rates_match_finite_differences(t in -10.0..10.0f64) {
            assert_rate_matches(&Sine::new(0.7, 1.3, 0.4, 2.0), t);
        }

        #[test]
        fn smoothstep_rates_match_finite_differences_everywhere(t in -2.0..5.0f64) {
            assert_rate_matches(&Smoothstep::new(-1.0, 2.0, 0.0, 3.0), t);
        }

        #[test]
        fn piecewise_rates_match_finite_differences(t in -2.0..6.0f64) {
            let times = vec![0.0, 1.0, 1.5, 4.0];
            let pw = Piecewise::new(times.clone(), vec![0.0, 2.0, -1.0, 5.0]).unwrap();
            prop_assume!(away_from(&times, t));
            assert_rate_matches(&pw, t);
        }
    }

    #[test]
    fn ramp_is_constant_outside_and_linear_inside() {
        let ramp = Ramp::new(1.0, 3.0, 1.0, 2.0);
        assert_eq!(ramp.value(0.0), 1.0);
        assert_eq!(ramp.value(1.5), 2.0);
        assert_eq!(ramp.value(9.0), 3.0);
        assert_eq!(ramp.rate(1.0), 2.0, "right derivative at the start");
        assert_eq!(ramp.rate(2.0), 0.0, "right derivative at the end");
    }

    #[test]
    fn sine_starts_at_its_phase() {
        let sine = Sine::new(2.0, 4.0, std::f64::consts::FRAC_PI_2, 1.0);
        assert!((sine.value(0.0) - 3.0).abs() < 1e-15);
        assert!((sine.value(2.0) + 1.0).abs() < 1e-12);
    }

    #[test]
    fn smoothstep_hits_its_ends_with_zero_rate() {
        let s = Smoothstep::new(-1.0, 2.0, 0.0, 3.0);
        assert_eq!((s.value(0.0), s.value(1.5), s.value(3.0)), (-1.0, 0.5, 2.0));
        assert_eq!((s.rate(0.0), s.rate(3.0)), (0.0, 0.0));
    }

    #[test]
    fn piecewise_interpolates_and_holds_its_ends() {
        let pw = Piecewise::new(vec![0.0, 1.0, 3.0], vec![1.0, 3.0, 2.0]).unwrap();
        assert_eq!(pw.value(-1.0), 1.0);
        assert_eq!(pw.value(0.5), 2.0);
        assert_eq!(pw.value(2.0), 2.5);
        assert_eq!(pw.value(7.0), 2.0);
        assert_eq!(pw.rate(1.0), -0.5, "right derivative at a point");
        assert_eq!(pw.rate(3.0), 0.0);
    }

    #[test]
    fn steps_jump_at_their_times() {
        let steps = Steps::new(vec![1.0, 2.0], vec![5.0, 6.0, 7.0]).unwrap();
        let seen: Vec<f64> = [0.0, 1.0, 1.5, 2.0, 9.0].iter().map(|&t| steps.value(t)).collect();
        assert_eq!(seen, [5.0, 6.0, 6.0, 7.0, 7.0]);
        assert_eq!(steps.rate(1.0), 0.0);
    }

    #[test]
    fn builders_name_the_parameter_at_fault() {
        let unsorted =
            vec![("times", numbers(&[0.0, 2.0, 1.0])), ("values", numbers(&[1.0, 2.0, 3.0]))];
        assert_eq!(build(&PIECEWISE, unsorted).unwrap_err().param, Some("times"));
        let repeated = vec![("times", numbers(&[1.0, 1.0])), ("values", numbers(&[1.0, 2.0, 3.0]))];
        assert_eq!(build(&STEPS, repeated).unwrap_err().param, Some("times"));
        let short = vec![("times", numbers(&[1.0, 2.0])), ("values", numbers(&[1.0, 2.0]))];
        assert_eq!(build(&STEPS, short).unwrap_err().param, Some("values"));
        let backwards = ["from", "to", "start", "end"]
            .into_iter()
            .zip([0.0, 1.0, 2.0, 1.0])
            .map(|(n, v)| (n, ArgValue::Number(v)))
            .collect();
        assert_eq!(build(&RAMP, backwards).unwrap_err().param, Some("end"));
        let ok = vec![("times", numbers(&[1.0])), ("values", numbers(&[0.0, 1.0]))];
        assert_eq!(build(&STEPS, ok).unwrap().value(1.0), 1.0);
    }
}
