//! Binding call arguments to a kind's parameters and converting them to checked values.

use std::collections::HashMap;

use neq_core::{
    ArgValue, Args, Bound, BuildError, KindSpec, NamedRange, ParamDefault, ParamSpec, ParamType,
    TimeFn,
};
use neq_diag::{Diagnostic, Span, closest};
use neq_expr::NodeId;
use neq_syntax::ast::{Arg, Expr, ExprKind};

use crate::checker::{Checker, Reported, Res};
use crate::scope::DeclKind;

/// Largest accepted count (particles, cells, bins).
const MAX_COUNT: f64 = 1e10;

/// Arguments bound to a kind's parameters.
pub struct BoundArgs {
    /// Checked values, defaults filled in.
    pub args: Args,
    /// Where each given argument is written, for errors from the kind's builder.
    pub spans: HashMap<&'static str, Span>,
    /// The lowered `Field` argument, for `expr(…)`.
    pub field: Option<NodeId>,
}

impl Checker<'_> {
    /// Binds `args` to `spec`'s parameters, reporting every problem.
    ///
    /// A required parameter that is missing is not reported when a misspelt argument name
    /// is close to it, or when an unnamed argument could not be placed: the user most likely
    /// meant that argument for it, and its own error says what to change.
    pub fn bind(
        &mut self,
        spec: &KindSpec,
        args: &[Arg],
        callee_span: Span,
        call_span: Span,
    ) -> Res<BoundArgs> {
        let mut given: Vec<(&'static str, &Arg)> = Vec::new();
        let mut failed = false;
        let mut positional = 0;
        let mut named_seen = false;
        let mut unplaced = false;
        let mut misspelt: Vec<&'static str> = Vec::new();
        for arg in args {
            let after_named = named_seen;
            named_seen |= arg.name.is_some();
            let param = match &arg.name {
                None if after_named => {
                    self.report(
                        Diagnostic::error(arg.span, "unnamed argument after a named one")
                            .with_label_message("this argument has no name")
                            .with_hint(
                                "name it (`name: value`), or move it before the named arguments",
                            ),
                    );
                    failed = true;
                    unplaced = true;
                    continue;
                }
                None => {
                    positional += 1;
                    if positional > spec.positional {
                        let names: Vec<_> = spec.params[..spec.positional]
                            .iter()
                            .map(|p| format!("`{}`", p.name))
                            .collect();
                        let takes = if names.is_empty() {
                            "no unnamed arguments".to_owned()
                        } else {
                            format!("only {} unnamed: {}", names.len(), names.join(", "))
                        };
                        self.report(
                            Diagnostic::error(
                                arg.span,
                                format!(
                                    "too many unnamed arguments for {} `{}`",
                                    spec.category(),
                                    spec.name
                                ),
                            )
                            .with_hint(format!(
                                "`{}` takes {takes}; give the others as `name: value`",
                                spec.name
                            )),
                        );
                        failed = true;
                        unplaced = true;
                        continue;
                    }
                    &spec.params[positional - 1]
                }
                Some(name) => match spec.param(&name.name) {
                    Some(param) => param,
                    None => {
                        let mut diagnostic = Diagnostic::error(
                            name.span,
                            format!(
                                "unknown parameter `{}` of {} `{}`",
                                name.name,
                                spec.category(),
                                spec.name
                            ),
                        );
                        if let Some(near) = closest(&name.name, spec.params.iter().map(|p| p.name))
                        {
                            diagnostic = diagnostic.with_hint(format!("did you mean `{near}`?"));
                            misspelt.push(near);
                        } else {
                            let all: Vec<_> =
                                spec.params.iter().map(|p| format!("`{}`", p.name)).collect();
                            diagnostic = diagnostic.with_hint(format!(
                                "`{}` takes {}",
                                spec.name,
                                all.join(", ")
                            ));
                        }
                        self.report(diagnostic);
                        failed = true;
                        continue;
                    }
                },
            };
            if let Some((_, earlier)) = given.iter().find(|(n, _)| *n == param.name) {
                let earlier_span = earlier.span;
                self.report(
                    Diagnostic::error(
                        arg.span,
                        format!("parameter `{}` is given twice", param.name),
                    )
                    .with_secondary(earlier_span, "first given here")
                    .with_hint("remove one of them"),
                );
                failed = true;
                continue;
            }
            given.push((param.name, arg));
        }

        let mut bound = BoundArgs { args: Args::default(), spans: HashMap::new(), field: None };
        for param in spec.params {
            match given.iter().find(|(n, _)| *n == param.name) {
                Some((_, arg)) => {
                    bound.spans.insert(param.name, arg.value.span);
                    match self.convert(param, &arg.value) {
                        Ok(Converted::Value(value)) => bound.args.set(param.name, value),
                        Ok(Converted::Field(node)) => bound.field = Some(node),
                        Err(Reported) => failed = true,
                    }
                }
                None => match param.default {
                    ParamDefault::Required if unplaced || misspelt.contains(&param.name) => {
                        failed = true;
                    }
                    ParamDefault::Required => {
                        self.report(
                            Diagnostic::error(
                                callee_span,
                                format!(
                                    "missing parameter `{}` of {} `{}`",
                                    param.name,
                                    spec.category(),
                                    spec.name
                                ),
                            )
                            .with_label_message(format!("needs `{}`", param.name))
                            .with_hint(format!(
                                "add `{}: …` ({}): {}",
                                param.name,
                                param.ty.describe(),
                                param.doc
                            )),
                        );
                        failed = true;
                    }
                    ParamDefault::Optional => {}
                    ParamDefault::Number(v) => bound.args.set(param.name, ArgValue::Number(v)),
                    ParamDefault::Word(w) => {
                        bound.args.set(param.name, ArgValue::Word(w.to_owned()))
                    }
                },
            }
        }
        let _ = call_span;
        if failed { Err(Reported) } else { Ok(bound) }
    }

    /// Turns a kind's build error into a diagnostic at the offending argument.
    pub fn build_error(
        &mut self,
        spec: &KindSpec,
        error: BuildError,
        bound: &BoundArgs,
        call_span: Span,
    ) -> Reported {
        let span = error.param.and_then(|p| bound.spans.get(p).copied()).unwrap_or(call_span);
        let message = match error.param {
            Some(param) => format!(
                "invalid `{param}` for {} `{}`: {}",
                spec.category(),
                spec.name,
                error.message
            ),
            None => format!("invalid {} `{}`: {}", spec.category(), spec.name, error.message),
        };
        let mut diagnostic = Diagnostic::error(span, message);
        if let Some(hint) = error.hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        self.report(diagnostic)
    }

    /// Converts the value `expr` of `param` to the parameter's type.
    fn convert(&mut self, param: &ParamSpec, expr: &Expr) -> Res<Converted> {
        let name = param.name;
        let value = match &param.ty {
            ParamType::Number(bound) => {
                let (what, hint) = (format!("`{name}`"), format!("`{name}`: {}", param.doc));
                ArgValue::Number(self.bounded_number(expr, *bound, &what, Some(&hint))?)
            }
            ParamType::Count => ArgValue::Number(self.count(expr, name)?),
            ParamType::Counts => match &expr.kind {
                ExprKind::List(items) => {
                    let counts: Vec<Res<f64>> =
                        items.iter().map(|item| self.count(&item.value, name)).collect();
                    if items.is_empty() {
                        return Err(self.report(Diagnostic::error(
                            expr.span,
                            format!("`{name}` needs at least one count"),
                        )));
                    }
                    ArgValue::Numbers(counts.into_iter().collect::<Res<Vec<f64>>>()?)
                }
                _ => ArgValue::Numbers(vec![self.count(expr, name)?]),
            },
            ParamType::TimeFn => ArgValue::TimeFn(self.time_fn(expr)?),
            ParamType::Field => {
                return Ok(Converted::Field(self.lower_field(expr, "an expression")?));
            }
            ParamType::Potential => ArgValue::Potential(self.potential(expr)?),
            ParamType::Sampler => ArgValue::Sampler(self.sampler_name(expr)?),
            ParamType::Samplers => ArgValue::Samplers(self.sampler_names(expr)?),
            ParamType::Range => {
                let (lo, hi) = self.range(expr)?;
                ArgValue::Range(lo, hi)
            }
            ParamType::Axes => ArgValue::NamedRanges(self.axes(expr)?),
            ParamType::NamedRanges => ArgValue::NamedRanges(self.named_ranges(expr)?),
            ParamType::Init => ArgValue::Init(self.init(expr)?),
            ParamType::Word(words) => ArgValue::Word(self.word(expr, words)?),
            ParamType::Words(words) => {
                let items = self.list_items(expr, "a list of words")?;
                let mut out = Vec::new();
                let mut failed = false;
                for item in items {
                    match self.word(&item.value, words) {
                        Ok(w) => out.push(w),
                        Err(_) => failed = true,
                    }
                }
                if failed {
                    return Err(Reported);
                }
                ArgValue::Words(out)
            }
            ParamType::Numbers => {
                let items = self.list_items(expr, "a list of numbers")?;
                let mut out = Vec::new();
                let mut failed = false;
                for item in items {
                    match self.lower_number(&item.value) {
                        Ok(v) => out.push(v),
                        Err(_) => failed = true,
                    }
                }
                if failed {
                    return Err(Reported);
                }
                ArgValue::Numbers(out)
            }
        };
        Ok(Converted::Value(value))
    }

    /// A constant number within `bound`; `what` names it in messages (e.g. "`dt`"), and
    /// `hint` is added when the number is out of bounds.
    pub fn bounded_number(
        &mut self,
        expr: &Expr,
        bound: Bound,
        what: &str,
        hint: Option<&str>,
    ) -> Res<f64> {
        let v = self.lower_number(expr)?;
        let ok = match bound {
            Bound::Any => true,
            Bound::Positive => v > 0.0,
            Bound::NonNegative => v >= 0.0,
        };
        if ok {
            return Ok(v);
        }
        let wanted = match bound {
            Bound::Positive => "greater than 0",
            _ => "0 or more",
        };
        let mut diagnostic =
            Diagnostic::error(expr.span, format!("{what} must be {wanted}, but is {v}"));
        if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        Err(self.report(diagnostic))
    }

    /// A whole number from 1 to [`MAX_COUNT`] for the parameter `name`.
    fn count(&mut self, expr: &Expr, name: &str) -> Res<f64> {
        let v = self.lower_number(expr)?;
        let message = if v > MAX_COUNT {
            format!("`{name}` must be at most {MAX_COUNT:e}, but is {v}")
        } else if v < 1.0 || v.fract() != 0.0 {
            format!("`{name}` must be a whole number of at least 1, but is {v}")
        } else {
            return Ok(v);
        };
        Err(self.report(
            Diagnostic::error(expr.span, message).with_hint(format!(
                "counts are whole numbers from 1 to {MAX_COUNT:e}, e.g. `10_000`"
            )),
        ))
    }

    fn time_fn(&mut self, expr: &Expr) -> Res<TimeFn> {
        let node = self.lower_field(expr, "a number or schedule")?;
        if self.graph.max_coord(node).is_some() {
            return Err(self.report(
                Diagnostic::error(
                    expr.span,
                    "expected a function of time, but this depends on the coordinates",
                )
                .with_hint("use numbers, schedules and `t` here"),
            ));
        }
        let bank = self.frozen_bank();
        TimeFn::new(&mut self.graph, node, bank).map_err(|e| {
            self.report(Diagnostic::error(
                expr.span,
                format!("cannot differentiate this in time: {e}"),
            ))
        })
    }

    fn potential(&mut self, expr: &Expr) -> Res<std::sync::Arc<dyn neq_core::Potential>> {
        let model = match self.lower(expr)? {
            crate::lower::Sym::Potential(model) => model,
            crate::lower::Sym::Field(node) => Self::field_potential(node),
            crate::lower::Sym::Object(kind, name) => {
                let declared = self.scope.lookup(&name).map(|i| self.scope.decls[i].name_span);
                let mut diagnostic = Diagnostic::error(
                    expr.span,
                    format!("expected a potential, found {} `{name}`", kind.noun()),
                );
                if let Some(span) = declared {
                    diagnostic = diagnostic.with_secondary(
                        span,
                        format!("`{name}` is declared as a {} here", kind.noun()),
                    );
                }
                return Err(self.report(diagnostic.with_hint(POTENTIAL_HINT)));
            }
        };
        self.compile_potential(model, expr.span)
    }

    fn object_name(&mut self, expr: &Expr, wanted: DeclKind) -> Res<String> {
        let noun = wanted.noun();
        let ExprKind::Name(name) = &expr.kind else {
            return Err(self.report(
                Diagnostic::error(expr.span, format!("expected the name of a {noun}"))
                    .with_hint(format!("declare it first: `{noun} NAME = …`, then use NAME here")),
            ));
        };
        match self.scope.lookup(name) {
            Some(i) if self.scope.decls[i].kind == wanted => {
                self.used.insert(i);
                Ok(name.clone())
            }
            Some(i) => {
                let decl = &self.scope.decls[i];
                let (found, span) = (decl.kind.noun(), decl.name_span);
                Err(self.report(
                    Diagnostic::error(
                        expr.span,
                        format!("expected a {noun}, found {found} `{name}`"),
                    )
                    .with_secondary(span, format!("declared as a {found} here"))
                    .with_hint(self.declared_hint(wanted)),
                ))
            }
            None => {
                let candidates: Vec<&str> = self
                    .scope
                    .decls
                    .iter()
                    .filter(|d| d.kind == wanted)
                    .map(|d| d.name.as_str())
                    .collect();
                let diagnostic = Diagnostic::error(expr.span, format!("unknown {noun} `{name}`"));
                let hint = match closest(name, candidates) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => self.declared_hint(wanted),
                };
                Err(self.report(diagnostic.with_hint(hint)))
            }
        }
    }

    /// Names the declarations of `kind` there are to choose from, or says how to add one.
    fn declared_hint(&self, kind: DeclKind) -> String {
        let noun = kind.noun();
        let names: Vec<String> = self
            .scope
            .decls
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| format!("`{}`", d.name))
            .collect();
        match names.len() {
            0 => format!("declare a {noun} first (`{noun} NAME = …`) and use its name here"),
            1 => format!("the only {noun} of this pipeline is {}", names[0]),
            2..=5 => format!("the {noun}s of this pipeline are {}", names.join(", ")),
            n => format!(
                "the {noun}s of this pipeline include {} and {} more",
                names[..4].join(", "),
                n - 4
            ),
        }
    }

    pub(crate) fn sampler_name(&mut self, expr: &Expr) -> Res<String> {
        self.object_name(expr, DeclKind::Object(neq_syntax::ast::Category::Sampler))
    }

    fn sampler_names(&mut self, expr: &Expr) -> Res<Vec<String>> {
        let ExprKind::List(items) = &expr.kind else {
            return Ok(vec![self.sampler_name(expr)?]);
        };
        if items.is_empty() {
            return Err(self.report(Diagnostic::error(expr.span, "expected at least one sampler")));
        }
        let mut names: Vec<String> = Vec::new();
        let mut failed = false;
        for item in items {
            match self.sampler_name(&item.value) {
                Ok(name) if names.contains(&name) => {
                    self.report(Diagnostic::error(item.span, format!("`{name}` is listed twice")));
                    failed = true;
                }
                Ok(name) => names.push(name),
                Err(_) => failed = true,
            }
        }
        if failed { Err(Reported) } else { Ok(names) }
    }

    /// A constant range `lo..hi` with `lo < hi`.
    pub fn range(&mut self, expr: &Expr) -> Res<(f64, f64)> {
        let ExprKind::Range { lo, hi } = &expr.kind else {
            return Err(
                self.report(Diagnostic::error(expr.span, "expected a range such as `-1..1`"))
            );
        };
        let lo_value = self.lower_number(lo);
        let hi_value = self.lower_number(hi);
        let (lo_value, hi_value) = (lo_value?, hi_value?);
        if lo_value >= hi_value {
            return Err(self.report(Diagnostic::error(
                expr.span,
                format!(
                    "empty range: the lower end {lo_value} is not below the upper end {hi_value}"
                ),
            )));
        }
        Ok((lo_value, hi_value))
    }

    /// The items of a list expression.
    pub fn list_items<'e>(&mut self, expr: &'e Expr, what: &str) -> Res<&'e [Arg]> {
        match &expr.kind {
            ExprKind::List(items) => Ok(items),
            _ => {
                Err(self.report(Diagnostic::error(expr.span, format!("expected {what} in `[…]`"))))
            }
        }
    }

    fn named_ranges(&mut self, expr: &Expr) -> Res<Vec<NamedRange>> {
        let items = self.list_items(expr, "a list of named ranges such as `[left: -1..0]`")?;
        if items.is_empty() {
            return Err(
                self.report(Diagnostic::error(expr.span, "expected at least one named range"))
            );
        }
        let mut out: Vec<NamedRange> = Vec::new();
        let mut failed = false;
        for item in items {
            let Some(name) = &item.name else {
                self.report(
                    Diagnostic::error(item.span, "this range has no name")
                        .with_hint("write `name: lo..hi`"),
                );
                failed = true;
                continue;
            };
            if out.iter().any(|r| r.name == name.name) {
                self.report(Diagnostic::error(
                    name.span,
                    format!("`{}` is named twice", name.name),
                ));
                failed = true;
                continue;
            }
            match self.range(&item.value) {
                Ok((lo, hi)) => out.push(NamedRange { name: name.name.clone(), lo, hi }),
                Err(_) => failed = true,
            }
        }
        if failed { Err(Reported) } else { Ok(out) }
    }

    /// One range per coordinate, named `x`, `y`, `z` in order.
    pub fn axes(&mut self, expr: &Expr) -> Res<Vec<NamedRange>> {
        let ranges = self.named_ranges(expr)?;
        let items = self.list_items(expr, "")?;
        for (i, (range, item)) in ranges.iter().zip(items).enumerate() {
            let expected = ["x", "y", "z"].get(i).copied().unwrap_or("?");
            if range.name != expected {
                let span = item.name.as_ref().map_or(item.span, |n| n.span);
                return Err(self.report(
                    Diagnostic::error(
                        span,
                        format!("expected axis `{expected}` here, found `{}`", range.name),
                    )
                    .with_hint("give axes in the order x, y, z"),
                ));
            }
        }
        Ok(ranges)
    }

    fn word(&mut self, expr: &Expr, words: &[&str]) -> Res<String> {
        let text = match &expr.kind {
            ExprKind::Name(name) | ExprKind::Str(name) => name.as_str(),
            _ => "",
        };
        if words.contains(&text) {
            return Ok(text.to_owned());
        }
        let listed: Vec<_> = words.iter().map(|w| format!("`{w}`")).collect();
        let mut diagnostic =
            Diagnostic::error(expr.span, format!("expected one of {}", listed.join(", ")));
        if let Some(near) = closest(text, words.iter().copied()) {
            diagnostic = diagnostic.with_hint(format!("did you mean `{near}`?"));
        }
        Err(self.report(diagnostic))
    }
}

/// What to write where a potential is expected.
pub const POTENTIAL_HINT: &str = "use a potential here: a `potential` declaration's name, a call \
                                  such as `prinz()`, or an expression in `x`";

/// The result of converting one argument.
enum Converted {
    Value(ArgValue),
    Field(NodeId),
}
