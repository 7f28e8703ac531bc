//! The checker's state and the evaluation of declarations, in dependency order.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use neq_core::{
    ArgValue, Builder, Category as KindCategory, Composite, InitSpec, KindSpec, Metric, Potential,
    Registry, ScheduleBank, Term,
};
use neq_diag::{Diagnostic, Span, closest};
use neq_expr::{ExprGraph, Var};
use neq_syntax::ast::{Category, ExprKind};

use crate::lower::{PotentialModel, Sym};
use crate::pipeline::{MetricNode, SamplerNode};
use crate::scope::{Decl, DeclKind, Scope};

/// Marks a failure whose diagnostic has already been reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reported;

/// A checker result: the value, or a failure already reported.
pub type Res<T> = Result<T, Reported>;

/// Which declarations are being evaluated: schedules must all exist before anything that
/// evaluates them is compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Constants and schedules.
    Clock,
    /// Potentials, samplers, models and metrics.
    Objects,
}

/// Everything the checker accumulates while it walks the declarations.
pub struct Checker<'a> {
    pub(crate) registry: &'a Registry,
    pub(crate) scope: &'a Scope,
    pub(crate) graph: ExprGraph,
    pub(crate) values: HashMap<usize, Sym>,
    pub(crate) used: HashSet<usize>,
    pub(crate) samplers: Vec<SamplerNode>,
    pub(crate) metrics: Vec<MetricNode>,
    pub(crate) kinds: HashMap<usize, &'static str>,
    /// The initial condition of every checked sampler that has one, for `same_as(…)`.
    pub(crate) inits: HashMap<String, InitSpec>,
    diagnostics: Vec<Diagnostic>,
    bank: ScheduleBank,
    frozen: Option<Arc<ScheduleBank>>,
    phase: Phase,
    current: Option<usize>,
}

impl<'a> Checker<'a> {
    /// A checker over `scope` with the kinds of `registry`.
    pub fn new(registry: &'a Registry, scope: &'a Scope) -> Self {
        Checker {
            registry,
            scope,
            graph: ExprGraph::new(),
            values: HashMap::new(),
            used: HashSet::new(),
            samplers: Vec::new(),
            metrics: Vec::new(),
            kinds: HashMap::new(),
            inits: HashMap::new(),
            diagnostics: Vec::new(),
            bank: ScheduleBank::new(),
            frozen: None,
            phase: Phase::Clock,
            current: None,
        }
    }

    /// Records a diagnostic.
    pub fn report(&mut self, diagnostic: Diagnostic) -> Reported {
        self.diagnostics.push(diagnostic);
        Reported
    }

    /// The diagnostics reported so far.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// Whether any error has been reported.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The schedules of the pipeline, complete once constants and schedules are evaluated.
    pub fn frozen_bank(&mut self) -> Arc<ScheduleBank> {
        self.frozen.get_or_insert_with(|| Arc::new(self.bank.clone())).clone()
    }

    /// Whether an unevaluated declaration of `kind` is a failure already reported (rather than
    /// a use that this phase does not allow).
    pub fn phase_allows(&self, kind: DeclKind) -> bool {
        self.phase == Phase::Objects
            || matches!(kind, DeclKind::Const | DeclKind::Object(Category::Schedule))
    }

    /// The noun of the declaration being evaluated.
    pub fn current_noun(&self) -> &'static str {
        self.current.map_or("declaration", |i| self.scope.decls[i].kind.noun())
    }

    /// Evaluates every declaration in `order` (dependencies first): constants and schedules
    /// first, then everything else.
    pub fn run(&mut self, order: &[usize]) {
        let is_clock =
            |d: &Decl| matches!(d.kind, DeclKind::Const | DeclKind::Object(Category::Schedule));
        for &i in order.iter().filter(|&&i| is_clock(&self.scope.decls[i])) {
            self.declare(i);
        }
        self.phase = Phase::Objects;
        self.frozen_bank();
        for &i in order.iter().filter(|&&i| !is_clock(&self.scope.decls[i])) {
            self.declare(i);
        }
    }

    fn declare(&mut self, index: usize) {
        self.current = Some(index);
        let decl = &self.scope.decls[index];
        let result = match decl.kind {
            DeclKind::Const => self.constant(decl),
            DeclKind::Object(Category::Schedule) => self.schedule(decl),
            DeclKind::Object(Category::Potential) => self.potential_decl(decl),
            DeclKind::Object(Category::Sampler) => self.object(decl, KindCategory::Sampler, index),
            DeclKind::Object(Category::Metric) => self.object(decl, KindCategory::Metric, index),
            DeclKind::Object(Category::Model) => Err(self.report(
                Diagnostic::error(
                    decl.value.span,
                    "no model kinds are available in this version of neq",
                )
                .with_hint("`neq kinds` lists what is available"),
            )),
        };
        if let Ok(sym) = result {
            self.values.insert(index, sym);
        }
        self.current = None;
    }

    fn constant(&mut self, decl: &Decl) -> Res<Sym> {
        let value = self.lower_number(&decl.value)?;
        Ok(Sym::Field(self.graph.constant(value)))
    }

    fn schedule(&mut self, decl: &Decl) -> Res<Sym> {
        if let ExprKind::Call { callee, args } = &decl.value.kind
            && let Some(spec) = self.registry.get(KindCategory::Schedule, &callee.name)
        {
            let spec = *spec;
            let bound = self.bind(&spec, args, callee.span, decl.value.span)?;
            let Builder::Schedule(build) = spec.builder else {
                unreachable!("schedule kinds build schedules")
            };
            let schedule = build(&bound.args)
                .map_err(|e| self.build_error(&spec, e, &bound, decl.value.span))?;
            let k = self.bank.push(schedule);
            return Ok(Sym::Field(self.graph.var(Var::Param(k))));
        }
        let node = self.lower_field(&decl.value, "a function of time")?;
        if self.graph.max_coord(node).is_some() {
            return Err(self.report(
                Diagnostic::error(
                    decl.value.span,
                    "a schedule is a function of time only, but this uses the coordinates",
                )
                .with_hint("declare it as a `potential` instead"),
            ));
        }
        Ok(Sym::Field(node))
    }

    fn potential_decl(&mut self, decl: &Decl) -> Res<Sym> {
        let model = match self.lower(&decl.value)? {
            Sym::Potential(model) => model,
            Sym::Field(node) => Self::field_potential(node),
            Sym::Object(kind, name) => {
                return Err(self.report(
                    Diagnostic::error(
                        decl.value.span,
                        format!("expected a potential, found {} `{name}`", kind.noun()),
                    )
                    .with_hint(crate::args::POTENTIAL_HINT),
                ));
            }
        };
        // Compile once here so dimension errors point at the declaration.
        self.compile_potential(model.clone(), decl.value.span)?;
        Ok(Sym::Potential(model))
    }

    fn object(&mut self, decl: &Decl, category: KindCategory, index: usize) -> Res<Sym> {
        let noun = category.keyword();
        let ExprKind::Call { callee, args } = &decl.value.kind else {
            let known: Vec<_> = self.registry.of(category).map(|k| k.name).collect();
            return Err(self.report(
                Diagnostic::error(
                    decl.value.span,
                    format!("a {noun} is declared by calling a {noun} kind"),
                )
                .with_hint(format!(
                    "for example `{noun} {} = {}(…)`",
                    decl.name,
                    known.first().unwrap_or(&"kind")
                )),
            ));
        };
        let Some(spec) = self.registry.get(category, &callee.name) else {
            let mut diagnostic =
                Diagnostic::error(callee.span, format!("unknown {noun} kind `{}`", callee.name));
            if let Some(other) = self.registry.named(&callee.name).next() {
                diagnostic = diagnostic.with_hint(format!(
                    "`{}` is a {} kind, not a {noun} kind",
                    callee.name,
                    other.category()
                ));
            } else if let Some(near) =
                closest(&callee.name, self.registry.of(category).map(|k| k.name))
            {
                diagnostic = diagnostic.with_hint(format!("did you mean `{near}`?"));
            } else {
                diagnostic = diagnostic.with_hint("`neq kinds` lists every kind");
            }
            return Err(self.report(diagnostic));
        };
        let spec = *spec;
        let bound = self.bind(&spec, args, callee.span, decl.value.span)?;
        self.kinds.insert(index, spec.name);
        match spec.builder {
            Builder::Sampler(build) => {
                if let Some(ArgValue::Init(init)) = bound.args.get("init") {
                    self.inits.insert(decl.name.clone(), init.clone());
                }
                let sampler = build(&bound.args)
                    .map_err(|e| self.build_error(&spec, e, &bound, decl.value.span))?;
                self.samplers.push(SamplerNode {
                    name: decl.name.clone(),
                    kind: spec.name,
                    span: decl.name_span,
                    sampler,
                });
            }
            Builder::Metric(build) => {
                let metric = build(&bound.args)
                    .map_err(|e| self.build_error(&spec, e, &bound, decl.value.span))?;
                self.check_metric_dims(&*metric, &spec, decl.value.span)?;
                self.metrics.push(MetricNode {
                    name: decl.name.clone(),
                    kind: spec.name,
                    span: decl.name_span,
                    columns: spec.columns,
                    metric,
                });
            }
            _ => unreachable!("registry lookup was by category"),
        }
        Ok(Sym::Object(decl.kind, decl.name.clone()))
    }

    /// Asks a built metric whether the dimensions of the samplers it reads fit it. Samplers
    /// that failed to check are skipped: their own errors are reported already.
    fn check_metric_dims(&mut self, metric: &dyn Metric, spec: &KindSpec, span: Span) -> Res<()> {
        let dims: Option<Vec<usize>> = metric
            .inputs()
            .iter()
            .map(|name| self.samplers.iter().find(|s| &s.name == name).map(|s| s.sampler.dim()))
            .collect();
        let Some(dims) = dims else { return Ok(()) };
        metric.check_dims(&dims).map_err(|message| {
            self.report(
                Diagnostic::error(span, format!("metric `{}`: {message}", spec.name)).with_hint(
                    "choose a coordinate the samplers have, or samplers of the same dimension",
                ),
            )
        })
    }

    /// Checks dimensions and compiles a potential model into a runnable potential.
    pub fn compile_potential(
        &mut self,
        model: PotentialModel,
        span: Span,
    ) -> Res<Arc<dyn Potential>> {
        let field_dim = self.graph.max_coord(model.field).map_or(0, |c| usize::from(c) + 1);
        let mut plugin_dim: Option<usize> = None;
        for (_, term) in &model.terms {
            match plugin_dim {
                Some(d) if d != term.dim() => {
                    return Err(self.report(
                        Diagnostic::error(
                            span,
                            format!(
                                "dimension mismatch: this adds a {d}-D potential to a {}-D one",
                                term.dim()
                            ),
                        )
                        .with_hint(
                            "every part of a potential must have the same number of coordinates",
                        ),
                    ));
                }
                _ => plugin_dim = Some(term.dim()),
            }
        }
        if let Some(d) = plugin_dim
            && field_dim > d
        {
            let coordinate = ["x", "y", "z"][field_dim - 1];
            return Err(self.report(
                Diagnostic::error(
                    span,
                    format!(
                        "dimension mismatch: the expression uses `{coordinate}` but the potential \
                         it is added to is {d}-D"
                    ),
                )
                .with_hint("use only the coordinates the potential has"),
            ));
        }
        let dim = plugin_dim.unwrap_or(field_dim);
        if dim == 0 {
            return Err(self.report(
                Diagnostic::error(span, "this potential does not depend on any coordinate")
                    .with_hint("write it in terms of x (and y, z), e.g. `expr(x^2)`"),
            ));
        }
        let is_bare_plugin = self.graph.constant_value(model.field) == Some(0.0)
            && model.terms.len() == 1
            && self.graph.constant_value(model.terms[0].0) == Some(1.0);
        if is_bare_plugin {
            return Ok(model.terms[0].1.clone());
        }
        let terms = model
            .terms
            .into_iter()
            .map(|(coefficient, potential)| Term { coefficient, potential })
            .collect();
        let bank = self.frozen_bank();
        match Composite::new(&mut self.graph, model.field, terms, dim, bank) {
            Ok(composite) => Ok(Arc::new(composite)),
            Err(error) => Err(self.report(Diagnostic::error(
                span,
                format!("cannot differentiate this potential: {error}"),
            ))),
        }
    }
}
