//! Lowering expressions to symbolic values: numbers, fields over x, y, z and t, and
//! potentials (a symbolic field plus scaled plugin potentials).

use std::sync::Arc;

use neq_core::{Builder, Category, Potential};
use neq_diag::{Diagnostic, Span, closest};
use neq_expr::{Func1, Func2, NodeId, Var};
use neq_syntax::ast::{BinaryOp, Category as DeclCategory, Expr, ExprKind};

use crate::checker::{Checker, Reported, Res};
use crate::scope::{DeclKind, RESERVED};

/// The symbolic value of an expression or declaration.
#[derive(Clone, Debug)]
pub enum Sym {
    /// An expression in coordinates, time, constants and schedules.
    Field(NodeId),
    /// A potential.
    Potential(PotentialModel),
    /// A reference to a sampler, metric or model (they are not values in expressions).
    Object(DeclKind, String),
}

/// V = field + Σ coefficient_j · U_j, before it is compiled.
#[derive(Clone, Debug)]
pub struct PotentialModel {
    /// The symbolic part.
    pub field: NodeId,
    /// Plugin potentials with their time-dependent coefficients.
    pub terms: Vec<(NodeId, Arc<dyn Potential>)>,
}

/// Mathematical functions callable in expressions: name, arity.
pub const FUNCTIONS: [(&str, usize); 13] = [
    ("exp", 1),
    ("log", 1),
    ("sqrt", 1),
    ("sin", 1),
    ("cos", 1),
    ("tan", 1),
    ("tanh", 1),
    ("abs", 1),
    ("atan2", 2),
    ("min", 2),
    ("max", 2),
    ("pow", 2),
    ("sign", 1),
];

impl Checker<'_> {
    /// Lowers an expression that must be a field (not a potential or an object).
    pub fn lower_field(&mut self, expr: &Expr, what: &str) -> Res<NodeId> {
        match self.lower(expr)? {
            Sym::Field(node) => Ok(node),
            Sym::Potential(_) => Err(self.report(
                Diagnostic::error(expr.span, format!("expected {what}, found a potential"))
                    .with_hint("potentials can only be used where a potential is expected"),
            )),
            Sym::Object(kind, name) => Err(self.report(Diagnostic::error(
                expr.span,
                format!("expected {what}, found {} `{name}`", kind.noun()),
            ))),
        }
    }

    /// Lowers an expression to a constant number.
    pub fn lower_number(&mut self, expr: &Expr) -> Res<f64> {
        let node = self.lower_field(expr, "a number")?;
        match self.graph.constant_value(node) {
            Some(v) if v.is_finite() => Ok(v),
            Some(v) => Err(self.report(
                Diagnostic::error(expr.span, format!("this evaluates to {v}, not a finite number"))
                    .with_hint("check for a division by zero or the log of a negative number"),
            )),
            None => {
                let depends = self.dependence(node);
                Err(self.report(
                    Diagnostic::error(
                        expr.span,
                        format!("expected a constant number, but this depends on {depends}"),
                    )
                    .with_hint("only numbers and constants are allowed here"),
                ))
            }
        }
    }

    /// Says what a non-constant node depends on, for messages.
    pub fn dependence(&self, node: NodeId) -> &'static str {
        if self.graph.max_coord(node).is_some() { "the coordinates" } else { "time" }
    }

    /// Lowers any expression.
    pub fn lower(&mut self, expr: &Expr) -> Res<Sym> {
        match &expr.kind {
            ExprKind::Number(v) => Ok(Sym::Field(self.graph.constant(*v))),
            ExprKind::Str(_) => {
                Err(self.report(Diagnostic::error(expr.span, "a string is not allowed here")))
            }
            ExprKind::Name(name) => self.lower_name(name, expr.span),
            ExprKind::Neg(inner) => match self.lower(inner)? {
                Sym::Field(a) => Ok(Sym::Field(self.graph.unary(Func1::Neg, a))),
                Sym::Potential(model) => {
                    let minus_one = self.graph.constant(-1.0);
                    Ok(Sym::Potential(self.scale(model, minus_one)))
                }
                object => Err(self.not_arithmetic(&object, inner.span)),
            },
            ExprKind::Binary { op, lhs, rhs } => {
                let a = self.lower(lhs);
                let b = self.lower(rhs);
                self.binary(*op, (a?, lhs.span), (b?, rhs.span), expr.span)
            }
            ExprKind::Call { callee, args } => {
                self.lower_call(&callee.name, callee.span, args, expr.span)
            }
            ExprKind::List(_) => {
                Err(self.report(Diagnostic::error(expr.span, "a list is not allowed here")))
            }
            ExprKind::Range { .. } => {
                Err(self.report(Diagnostic::error(expr.span, "a range is not allowed here")))
            }
        }
    }

    fn lower_name(&mut self, name: &str, span: Span) -> Res<Sym> {
        let node = match name {
            "x" => self.graph.var(Var::Coord(0)),
            "y" => self.graph.var(Var::Coord(1)),
            "z" => self.graph.var(Var::Coord(2)),
            "t" => self.graph.var(Var::Time),
            "pi" => self.graph.constant(std::f64::consts::PI),
            _ => return self.lookup(name, span),
        };
        Ok(Sym::Field(node))
    }

    fn lookup(&mut self, name: &str, span: Span) -> Res<Sym> {
        let Some(index) = self.scope.lookup(name) else {
            let candidates: Vec<&str> = self.scope.names().chain(RESERVED).collect();
            let mut diagnostic = Diagnostic::error(span, format!("unknown name `{name}`"))
                .with_label_message("not declared anywhere in the pipeline");
            if let Some(near) = closest(name, candidates) {
                diagnostic = diagnostic.with_hint(format!("did you mean `{near}`?"));
                // The user meant `near`: warning that it is never used would be noise.
                if let Some(meant) = self.scope.lookup(near) {
                    self.used.insert(meant);
                }
            } else if self.registry.named(name).next().is_some() {
                diagnostic =
                    diagnostic.with_hint(format!("`{name}` is a kind: call it as `{name}(…)`"));
            } else {
                diagnostic = diagnostic.with_hint(format!(
                    "declare it, e.g. `{name} = 1`, here or in an included file"
                ));
            }
            return Err(self.report(diagnostic));
        };
        self.used.insert(index);
        if let Some(sym) = self.values.get(&index) {
            return Ok(sym.clone());
        }
        let decl = &self.scope.decls[index];
        match decl.kind {
            DeclKind::Object(
                DeclCategory::Sampler | DeclCategory::Metric | DeclCategory::Model,
            ) => Ok(Sym::Object(decl.kind, name.to_owned())),
            // Declared but not evaluated: it failed (already reported), is part of a cycle
            // (reported), or may not be used from here.
            _ if self.phase_allows(decl.kind) => Err(Reported),
            kind => Err(self.report(
                Diagnostic::error(
                    span,
                    format!("a {} cannot use the {} `{name}`", self.current_noun(), kind.noun()),
                )
                .with_secondary(decl.name_span, "declared here")
                .with_hint(
                    "constants and schedules may only use numbers, constants, schedules and `t`",
                ),
            )),
        }
    }

    fn not_arithmetic(&mut self, sym: &Sym, span: Span) -> Reported {
        let message = match sym {
            Sym::Object(kind, name) => {
                format!("the {} `{name}` cannot be used in arithmetic", kind.noun())
            }
            _ => "this cannot be used in arithmetic".to_owned(),
        };
        self.report(Diagnostic::error(span, message))
    }

    /// Multiplies every part of a potential by `factor` (a node that depends on time at most).
    fn scale(&mut self, model: PotentialModel, factor: NodeId) -> PotentialModel {
        let field = self.graph.binary(Func2::Mul, factor, model.field);
        let terms = model
            .terms
            .into_iter()
            .map(|(c, p)| (self.graph.binary(Func2::Mul, factor, c), p))
            .collect();
        PotentialModel { field, terms }
    }

    fn add(&mut self, a: PotentialModel, b: PotentialModel) -> PotentialModel {
        let field = self.graph.binary(Func2::Add, a.field, b.field);
        let mut terms = a.terms;
        terms.extend(b.terms);
        PotentialModel { field, terms }
    }

    /// A field as a potential with no plugin terms.
    pub fn field_potential(field: NodeId) -> PotentialModel {
        PotentialModel { field, terms: Vec::new() }
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        (a, a_span): (Sym, Span),
        (b, b_span): (Sym, Span),
        span: Span,
    ) -> Res<Sym> {
        match (a, b) {
            (Sym::Field(a), Sym::Field(b)) => {
                let f = match op {
                    BinaryOp::Add => Func2::Add,
                    BinaryOp::Sub => Func2::Sub,
                    BinaryOp::Mul => Func2::Mul,
                    BinaryOp::Div => Func2::Div,
                    BinaryOp::Pow => Func2::Pow,
                };
                Ok(Sym::Field(self.graph.binary(f, a, b)))
            }
            (Sym::Object(kind, name), _) => {
                Err(self.not_arithmetic(&Sym::Object(kind, name), a_span))
            }
            (_, Sym::Object(kind, name)) => {
                Err(self.not_arithmetic(&Sym::Object(kind, name), b_span))
            }
            (a, b) => {
                let to_model = |_: &mut Self, s: Sym| match s {
                    Sym::Potential(m) => m,
                    Sym::Field(f) => Self::field_potential(f),
                    Sym::Object(..) => unreachable!("objects handled above"),
                };
                match op {
                    BinaryOp::Add => {
                        let (a, b) = (to_model(self, a), to_model(self, b));
                        Ok(Sym::Potential(self.add(a, b)))
                    }
                    BinaryOp::Sub => {
                        let a = to_model(self, a);
                        let minus_one = self.graph.constant(-1.0);
                        let b = to_model(self, b);
                        let b = self.scale(b, minus_one);
                        Ok(Sym::Potential(self.add(a, b)))
                    }
                    BinaryOp::Mul => match (a, b) {
                        (Sym::Field(f), Sym::Potential(m)) => {
                            self.require_time_only(f, a_span)?;
                            Ok(Sym::Potential(self.scale(m, f)))
                        }
                        (Sym::Potential(m), Sym::Field(f)) => {
                            self.require_time_only(f, b_span)?;
                            Ok(Sym::Potential(self.scale(m, f)))
                        }
                        _ => Err(self.potential_misuse(span)),
                    },
                    BinaryOp::Div => match (a, b) {
                        (Sym::Potential(m), Sym::Field(f)) => {
                            self.require_time_only(f, b_span)?;
                            let one = self.graph.constant(1.0);
                            let inverse = self.graph.binary(Func2::Div, one, f);
                            Ok(Sym::Potential(self.scale(m, inverse)))
                        }
                        _ => Err(self.potential_misuse(span)),
                    },
                    BinaryOp::Pow => Err(self.potential_misuse(span)),
                }
            }
        }
    }

    fn require_time_only(&mut self, node: NodeId, span: Span) -> Res<()> {
        if self.graph.max_coord(node).is_some() {
            return Err(self.potential_misuse(span));
        }
        Ok(())
    }

    fn potential_misuse(&mut self, span: Span) -> Reported {
        self.report(
            Diagnostic::error(
                span,
                "a potential can only be added, subtracted, or scaled by a number or schedule",
            )
            .with_hint("to combine expressions freely, write the whole potential as `expr(…)`"),
        )
    }

    fn lower_call(
        &mut self,
        callee: &str,
        callee_span: Span,
        args: &[neq_syntax::ast::Arg],
        span: Span,
    ) -> Res<Sym> {
        if let Some(&(_, arity)) = FUNCTIONS.iter().find(|(name, _)| *name == callee) {
            return self.lower_function(callee, arity, args, span);
        }
        if let Some(spec) = self.registry.get(Category::Potential, callee) {
            let spec = *spec;
            let args = self.bind(&spec, args, callee_span, span)?;
            return match spec.builder {
                Builder::InlineField => {
                    let node = args.field.ok_or(Reported)?;
                    Ok(Sym::Potential(Self::field_potential(node)))
                }
                Builder::Potential(build) => {
                    let potential =
                        build(&args.args).map_err(|e| self.build_error(&spec, e, &args, span))?;
                    let one = self.graph.constant(1.0);
                    let zero = self.graph.constant(0.0);
                    Ok(Sym::Potential(PotentialModel {
                        field: zero,
                        terms: vec![(one, potential)],
                    }))
                }
                _ => unreachable!("potential kinds have potential builders"),
            };
        }
        let mut diagnostic = Diagnostic::error(
            callee_span,
            format!("unknown function or potential kind `{callee}`"),
        );
        if let Some(other) = self.registry.named(callee).next() {
            let category = other.category();
            diagnostic = diagnostic.with_hint(format!(
                "`{callee}` is a {category} kind: declare it on its own line as \
                 `{category} NAME = {callee}(…)`"
            ));
        } else {
            let candidates: Vec<&str> = FUNCTIONS
                .iter()
                .map(|(n, _)| *n)
                .chain(self.registry.of(Category::Potential).map(|k| k.name))
                .collect();
            if let Some(near) = closest(callee, candidates) {
                diagnostic = diagnostic.with_hint(format!("did you mean `{near}`?"));
            }
        }
        Err(self.report(diagnostic))
    }

    fn lower_function(
        &mut self,
        name: &str,
        arity: usize,
        args: &[neq_syntax::ast::Arg],
        span: Span,
    ) -> Res<Sym> {
        if args.len() != arity || args.iter().any(|a| a.name.is_some()) {
            let plural = if arity == 1 { "" } else { "s" };
            return Err(self.report(Diagnostic::error(
                span,
                format!("`{name}` takes {arity} unnamed argument{plural}, found {}", args.len()),
            )));
        }
        let mut nodes = Vec::with_capacity(arity);
        let mut failed = false;
        for arg in args {
            match self.lower_field(&arg.value, "a number or expression") {
                Ok(node) => nodes.push(node),
                Err(_) => failed = true,
            }
        }
        if failed {
            return Err(Reported);
        }
        let g = &mut self.graph;
        let node = match (name, nodes.as_slice()) {
            ("exp", &[a]) => g.unary(Func1::Exp, a),
            ("log", &[a]) => g.unary(Func1::Log, a),
            ("sqrt", &[a]) => g.unary(Func1::Sqrt, a),
            ("sin", &[a]) => g.unary(Func1::Sin, a),
            ("cos", &[a]) => g.unary(Func1::Cos, a),
            ("tan", &[a]) => g.unary(Func1::Tan, a),
            ("tanh", &[a]) => g.unary(Func1::Tanh, a),
            ("abs", &[a]) => g.unary(Func1::Abs, a),
            ("sign", &[a]) => g.unary(Func1::Sign, a),
            ("atan2", &[a, b]) => g.binary(Func2::Atan2, a, b),
            ("min", &[a, b]) => g.binary(Func2::Min, a, b),
            ("max", &[a, b]) => g.binary(Func2::Max, a, b),
            ("pow", &[a, b]) => g.binary(Func2::Pow, a, b),
            _ => unreachable!("arity checked against FUNCTIONS"),
        };
        Ok(Sym::Field(node))
    }
}
