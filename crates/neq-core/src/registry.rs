//! The registry of kinds: every schedule, potential, sampler and metric neq knows, with its
//! documented parameters and (for metrics) output columns.
//!
//! The checker, `neq kinds`, the generated language reference and "did you mean" hints all
//! read this registry; adding a kind needs no change to the grammar.

use std::fmt;
use std::sync::Arc;

use crate::metric::Metric;
use crate::potential::Potential;
use crate::sampler::Sampler;
use crate::schedule::Schedule;
use crate::table::ColumnSpec;
use crate::value::Args;

/// The category of a kind, matching the declaration keyword that uses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// Functions of time.
    Schedule,
    /// Energy landscapes.
    Potential,
    /// Sources of ensembles or densities.
    Sampler,
    /// Learned objects.
    Model,
    /// Statistics written as tables.
    Metric,
}

impl Category {
    /// All categories, in documentation order.
    pub const ALL: [Category; 5] = [
        Category::Schedule,
        Category::Potential,
        Category::Sampler,
        Category::Model,
        Category::Metric,
    ];

    /// The declaration keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            Category::Schedule => "schedule",
            Category::Potential => "potential",
            Category::Sampler => "sampler",
            Category::Model => "model",
            Category::Metric => "metric",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// A bound on a number parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    /// Any finite number.
    Any,
    /// Strictly greater than zero.
    Positive,
    /// Zero or more.
    NonNegative,
}

/// The type of a parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamType {
    /// A constant number, with a bound.
    Number(Bound),
    /// A whole number ≥ 1 (`10_000`).
    Count,
    /// One count for every coordinate (`256`), or one per coordinate (`[256, 128]`); the
    /// value is always a list of numbers.
    Counts,
    /// A function of time: a number, a schedule, or arithmetic on them and `t`.
    TimeFn,
    /// A symbolic expression in coordinates and time (the argument of `expr`).
    Field,
    /// A potential: a declared name or an inline potential expression.
    Potential,
    /// A declared sampler.
    Sampler,
    /// One sampler or a list of samplers.
    Samplers,
    /// An interval `lo..hi` with `lo < hi`.
    Range,
    /// One interval per coordinate, named by the coordinate: `[x: -1..1, y: -2..2]`.
    Axes,
    /// Named intervals: `[left: -1..0, right: 0..1]`.
    NamedRanges,
    /// An initial condition: `point(…)`, `uniform(…)`, `gaussian(…)`, `boltzmann(…)`.
    Init,
    /// One word from the listed set.
    Word(&'static [&'static str]),
    /// One or more words from the listed set, as a list.
    Words(&'static [&'static str]),
    /// A list of numbers.
    Numbers,
}

impl ParamType {
    /// How the type is written in the reference and in messages.
    pub fn describe(&self) -> String {
        match self {
            ParamType::Number(Bound::Any) => "number".into(),
            ParamType::Number(Bound::Positive) => "number > 0".into(),
            ParamType::Number(Bound::NonNegative) => "number ≥ 0".into(),
            ParamType::Count => "count (whole number ≥ 1)".into(),
            ParamType::Counts => "count, or list of counts per coordinate".into(),
            ParamType::TimeFn => "number or schedule".into(),
            ParamType::Field => "expression in x, y, z, t".into(),
            ParamType::Potential => "potential".into(),
            ParamType::Sampler => "sampler".into(),
            ParamType::Samplers => "sampler or list of samplers".into(),
            ParamType::Range => "range lo..hi".into(),
            ParamType::Axes => "list of axes [x: lo..hi, …]".into(),
            ParamType::NamedRanges => "list of named ranges [name: lo..hi, …]".into(),
            ParamType::Init => "initial condition".into(),
            ParamType::Word(words) => format!("one of {}", quoted(words)),
            ParamType::Words(words) => format!("list of {}", quoted(words)),
            ParamType::Numbers => "list of numbers".into(),
        }
    }
}

fn quoted(words: &[&str]) -> String {
    words.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ")
}

/// The default of a parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamDefault {
    /// The parameter must be given.
    Required,
    /// The parameter may be left out; the kind then does without it.
    Optional,
    /// A number used when the parameter is left out.
    Number(f64),
    /// A word used when the parameter is left out.
    Word(&'static str),
}

/// One documented parameter of a kind.
#[derive(Clone, Copy, Debug)]
pub struct ParamSpec {
    /// The name used in named arguments.
    pub name: &'static str,
    /// The accepted type.
    pub ty: ParamType,
    /// The default.
    pub default: ParamDefault,
    /// Unit, or "" when dimensionless.
    pub unit: &'static str,
    /// One line saying what it does.
    pub doc: &'static str,
}

/// A kind's failure to build from checked arguments, e.g. a stiffness that is not positive.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildError {
    /// The parameter at fault, whose argument the diagnostic points at.
    pub param: Option<&'static str>,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
}

impl BuildError {
    /// An error about one parameter.
    pub fn param(param: &'static str, message: impl Into<String>) -> Self {
        BuildError { param: Some(param), message: message.into(), hint: None }
    }

    /// An error about the call as a whole.
    pub fn call(message: impl Into<String>) -> Self {
        BuildError { param: None, message: message.into(), hint: None }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Builds a schedule from its arguments.
pub type ScheduleBuilder = fn(&Args) -> Result<Arc<dyn Schedule>, BuildError>;
/// Builds a potential from its arguments.
pub type PotentialBuilder = fn(&Args) -> Result<Arc<dyn Potential>, BuildError>;
/// Builds a sampler from its arguments.
pub type SamplerBuilder = fn(&Args) -> Result<Box<dyn Sampler>, BuildError>;
/// Builds a metric from its arguments and the name of the metric's table.
pub type MetricBuilder = fn(&Args) -> Result<Box<dyn Metric>, BuildError>;

/// How a kind turns checked arguments into a running object.
#[derive(Clone, Copy)]
pub enum Builder {
    /// A schedule plugin.
    Schedule(ScheduleBuilder),
    /// A potential plugin.
    Potential(PotentialBuilder),
    /// The checker inlines the `Field` argument into the symbolic part of the potential
    /// (this is how `expr(…)` works).
    InlineField,
    /// A sampler plugin.
    Sampler(SamplerBuilder),
    /// A metric plugin.
    Metric(MetricBuilder),
}

impl Builder {
    /// The category the builder belongs to.
    pub fn category(&self) -> Category {
        match self {
            Builder::Schedule(_) => Category::Schedule,
            Builder::Potential(_) | Builder::InlineField => Category::Potential,
            Builder::Sampler(_) => Category::Sampler,
            Builder::Metric(_) => Category::Metric,
        }
    }
}

/// A registered kind.
#[derive(Clone, Copy)]
pub struct KindSpec {
    /// The name used in calls (`langevin`).
    pub name: &'static str,
    /// One paragraph of documentation.
    pub doc: &'static str,
    /// The parameters, positional order first.
    pub params: &'static [ParamSpec],
    /// How many leading parameters may be given positionally.
    pub positional: usize,
    /// Output columns (metrics only; every metric table also has them in this order).
    pub columns: &'static [ColumnSpec],
    /// How to build it.
    pub builder: Builder,
}

impl KindSpec {
    /// The kind's category.
    pub fn category(&self) -> Category {
        self.builder.category()
    }

    /// The parameter with this name.
    pub fn param(&self, name: &str) -> Option<&ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }
}

impl fmt::Debug for KindSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.category(), self.name)
    }
}

/// A registration that clashes with an existing kind.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("a {category} kind named `{name}` is already registered")]
pub struct DuplicateKind {
    /// The category.
    pub category: Category,
    /// The clashing name.
    pub name: &'static str,
}

/// All kinds available to a pipeline.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    kinds: Vec<KindSpec>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a kind. Names are unique within a category.
    pub fn register(&mut self, kind: KindSpec) -> Result<(), DuplicateKind> {
        if self.get(kind.category(), kind.name).is_some() {
            return Err(DuplicateKind { category: kind.category(), name: kind.name });
        }
        self.kinds.push(kind);
        Ok(())
    }

    /// The kind with this name in this category.
    pub fn get(&self, category: Category, name: &str) -> Option<&KindSpec> {
        self.kinds.iter().find(|k| k.category() == category && k.name == name)
    }

    /// Every kind with this name, whatever its category.
    pub fn named(&self, name: &str) -> impl Iterator<Item = &KindSpec> {
        self.kinds.iter().filter(move |k| k.name == name)
    }

    /// All kinds of a category, in registration order.
    pub fn of(&self, category: Category) -> impl Iterator<Item = &KindSpec> {
        self.kinds.iter().filter(move |k| k.category() == category)
    }

    /// All kinds.
    pub fn iter(&self) -> impl Iterator<Item = &KindSpec> {
        self.kinds.iter()
    }
}
