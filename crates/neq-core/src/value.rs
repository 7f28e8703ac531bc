//! Checked argument values, as kinds receive them when they are built.

use std::fmt;
use std::sync::Arc;

use crate::potential::Potential;
use crate::schedule::TimeFn;

/// How a sampler's particles start.
#[derive(Clone, Debug, PartialEq)]
pub enum InitSpec {
    /// Every particle at one point.
    Point(Vec<f64>),
    /// Independent uniform coordinates in a box, one `(lo, hi)` per coordinate.
    Uniform(Vec<(f64, f64)>),
    /// Independent normal coordinates.
    Gaussian {
        /// Mean per coordinate.
        mean: Vec<f64>,
        /// Standard deviation per coordinate.
        std: Vec<f64>,
    },
    /// Exact samples of exp(−V(x, at)/kT) on `domain` (one `(lo, hi)` per coordinate).
    Boltzmann {
        /// Time of the equilibrium density.
        at: f64,
        /// The box the density is restricted to.
        domain: Vec<(f64, f64)>,
    },
}

impl InitSpec {
    /// Number of coordinates the spec covers.
    pub fn dim(&self) -> usize {
        match self {
            InitSpec::Point(p) => p.len(),
            InitSpec::Uniform(b) => b.len(),
            InitSpec::Gaussian { mean, .. } => mean.len(),
            InitSpec::Boltzmann { domain, .. } => domain.len(),
        }
    }
}

/// A named interval, such as a state `left: -1..-0.5` or a grid axis `x: -1..1`.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedRange {
    /// The name before the colon.
    pub name: String,
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

/// One checked argument value.
#[derive(Clone)]
pub enum ArgValue {
    /// A number.
    Number(f64),
    /// A function of time (a number, a schedule or arithmetic on them).
    TimeFn(TimeFn),
    /// A potential.
    Potential(Arc<dyn Potential>),
    /// A sampler, by name.
    Sampler(String),
    /// Samplers, by name.
    Samplers(Vec<String>),
    /// An interval `lo..hi`.
    Range(f64, f64),
    /// Named intervals.
    NamedRanges(Vec<NamedRange>),
    /// An initial condition.
    Init(InitSpec),
    /// A word from a fixed set.
    Word(String),
    /// Words from a fixed set.
    Words(Vec<String>),
    /// A list of numbers.
    Numbers(Vec<f64>),
}

impl fmt::Debug for ArgValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgValue::Number(x) => write!(f, "Number({x})"),
            ArgValue::TimeFn(_) => f.write_str("TimeFn"),
            ArgValue::Potential(p) => write!(f, "Potential({}-D)", p.dim()),
            ArgValue::Sampler(s) => write!(f, "Sampler({s})"),
            ArgValue::Samplers(s) => write!(f, "Samplers({s:?})"),
            ArgValue::Range(lo, hi) => write!(f, "Range({lo}..{hi})"),
            ArgValue::NamedRanges(r) => write!(f, "NamedRanges({r:?})"),
            ArgValue::Init(i) => write!(f, "Init({i:?})"),
            ArgValue::Word(w) => write!(f, "Word({w})"),
            ArgValue::Words(w) => write!(f, "Words({w:?})"),
            ArgValue::Numbers(n) => write!(f, "Numbers({n:?})"),
        }
    }
}

/// The checked arguments of one call, defaults filled in.
///
/// The checker guarantees that every parameter without a default is present and has the
/// declared type, so the accessors panic only on a mismatch between a kind's schema and its
/// builder — a bug in the kind.
#[derive(Clone, Debug, Default)]
pub struct Args {
    values: Vec<(&'static str, ArgValue)>,
}

macro_rules! accessor {
    ($(#[$doc:meta])* $name:ident, $variant:ident, $ty:ty, |$v:ident| $conv:expr) => {
        $(#[$doc])*
        pub fn $name(&self, name: &str) -> $ty {
            match self.get(name) {
                Some(ArgValue::$variant($v)) => $conv,
                other => panic!("parameter `{name}` should be {}, found {other:?}", stringify!($variant)),
            }
        }
    };
}

impl Args {
    /// Arguments from name–value pairs.
    pub fn new(values: Vec<(&'static str, ArgValue)>) -> Self {
        Args { values }
    }

    /// Sets a value, replacing an earlier one of the same name.
    pub fn set(&mut self, name: &'static str, value: ArgValue) {
        self.values.retain(|(n, _)| *n != name);
        self.values.push((name, value));
    }

    /// The value of a parameter, if given or defaulted.
    pub fn get(&self, name: &str) -> Option<&ArgValue> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Whether a parameter has a value.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    accessor!(
        /// A number parameter.
        number, Number, f64, |x| *x);
    accessor!(
        /// A function-of-time parameter.
        time_fn, TimeFn, TimeFn, |f| f.clone());
    accessor!(
        /// A potential parameter.
        potential, Potential, Arc<dyn Potential>, |p| Arc::clone(p));
    accessor!(
        /// A sampler parameter.
        sampler, Sampler, &str, |s| s);
    accessor!(
        /// A list-of-samplers parameter.
        samplers, Samplers, &[String], |s| s);
    accessor!(
        /// A named-ranges parameter.
        named_ranges, NamedRanges, &[NamedRange], |r| r);
    accessor!(
        /// An initial-condition parameter.
        init, Init, &InitSpec, |i| i);
    accessor!(
        /// A one-word parameter.
        word, Word, &str, |w| w);
    accessor!(
        /// A list-of-words parameter.
        words, Words, &[String], |w| w);
    accessor!(
        /// A list-of-numbers parameter.
        numbers, Numbers, &[f64], |n| n);

    /// A range parameter, as `(lo, hi)`.
    pub fn range(&self, name: &str) -> (f64, f64) {
        match self.get(name) {
            Some(ArgValue::Range(lo, hi)) => (*lo, *hi),
            other => panic!("parameter `{name}` should be Range, found {other:?}"),
        }
    }

    /// A count parameter (checked to be a whole number ≥ 1).
    pub fn count(&self, name: &str) -> usize {
        self.number(name) as usize
    }
}
