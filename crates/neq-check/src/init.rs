//! Initial conditions: `point(…)`, `uniform(…)`, `gaussian(…)`, `boltzmann(…)` and
//! `same_as(sampler)`, which copies another sampler's initial condition.

use neq_core::{Bound, InitSpec};
use neq_diag::{Diagnostic, closest};
use neq_syntax::ast::{Arg, Expr, ExprKind};

use crate::checker::{Checker, Reported, Res};

/// The initial-condition forms, with a one-line description each (for the reference).
pub const INIT_FORMS: [(&str, &str); 5] = [
    ("point(x: X, y: Y)", "every particle at one point (also `point(X)` in 1-D)"),
    (
        "uniform(x: A..B, y: C..D)",
        "independent uniform coordinates in a box (also `uniform(A..B)`)",
    ),
    (
        "gaussian(x: MEAN, y: MEAN, std: S)",
        "independent normal coordinates with one standard deviation",
    ),
    ("boltzmann(at: T0, domain: [x: A..B])", "exact samples of exp(−V(x, T0)/kT) on the domain"),
    (
        "same_as(SAMPLER)",
        "the initial condition of another sampler, so that two methods start from the same \
         distribution",
    ),
];

const COORDINATES: [&str; 3] = ["x", "y", "z"];

impl Checker<'_> {
    /// Converts an initial-condition expression.
    pub fn init(&mut self, expr: &Expr) -> Res<InitSpec> {
        let ExprKind::Call { callee, args } = &expr.kind else {
            return Err(self.report(
                Diagnostic::error(
                    expr.span,
                    "expected an initial condition such as `uniform(x: -1..1)`",
                )
                .with_hint("one of `point(…)`, `uniform(…)`, `gaussian(…)`, `boltzmann(…)`"),
            ));
        };
        match callee.name.as_str() {
            "point" => {
                let values = self.per_coordinate(args, &[], |this, e| this.lower_number(e))?;
                Ok(InitSpec::Point(values))
            }
            "uniform" => {
                let boxes = self.per_coordinate(args, &[], |this, e| this.range(e))?;
                Ok(InitSpec::Uniform(boxes))
            }
            "gaussian" => {
                let std = self.required_named(args, "std", expr, |this, e| {
                    this.bounded_number(e, Bound::Positive, "`std`", None)
                });
                let mean = self.per_coordinate(args, &["std"], |this, e| this.lower_number(e));
                let (std, mean) = (std?, mean?);
                let std = vec![std; mean.len()];
                Ok(InitSpec::Gaussian { mean, std })
            }
            "boltzmann" => {
                self.only_named(args, &["at", "domain"])?;
                let at = match args.iter().find(|a| a.name.as_ref().is_some_and(|n| n.name == "at"))
                {
                    Some(arg) => self.lower_number(&arg.value)?,
                    None => 0.0,
                };
                let domain = self.required_named(args, "domain", expr, |this, e| this.axes(e))?;
                Ok(InitSpec::Boltzmann {
                    at,
                    domain: domain.into_iter().map(|r| (r.lo, r.hi)).collect(),
                })
            }
            "same_as" => self.same_as(args, expr),
            other => {
                let forms = ["point", "uniform", "gaussian", "boltzmann", "same_as"];
                let mut diagnostic =
                    Diagnostic::error(callee.span, format!("unknown initial condition `{other}`"));
                diagnostic = match closest(other, forms) {
                    Some(near) => diagnostic.with_hint(format!("did you mean `{near}`?")),
                    None => diagnostic
                        .with_hint("use `point`, `uniform`, `gaussian`, `boltzmann` or `same_as`"),
                };
                Err(self.report(diagnostic))
            }
        }
    }

    /// `same_as(sampler)`: the initial condition of a sampler checked earlier (the
    /// dependency order puts it first).
    fn same_as(&mut self, args: &[Arg], expr: &Expr) -> Res<InitSpec> {
        let [arg] = args else {
            return Err(self.report(
                Diagnostic::error(expr.span, "`same_as` takes one sampler")
                    .with_hint("for example `init: same_as(sim)`"),
            ));
        };
        if let Some(name) = &arg.name {
            return Err(self.report(
                Diagnostic::error(name.span, "`same_as` takes the sampler without a name")
                    .with_hint("write `same_as(sim)`"),
            ));
        }
        let name = self.sampler_name(&arg.value)?;
        if let Some(spec) = self.inits.get(&name) {
            return Ok(spec.clone());
        }
        let checked = self.scope.lookup(&name).is_some_and(|i| self.values.contains_key(&i));
        if !checked {
            // The sampler's own errors are reported already.
            return Err(Reported);
        }
        Err(self.report(
            Diagnostic::error(
                arg.value.span,
                format!("sampler `{name}` has no initial condition to copy"),
            )
            .with_hint("name a sampler with an `init` parameter, such as a `langevin` sampler"),
        ))
    }

    /// Values given per coordinate, either unnamed in order or named `x`, `y`, `z`;
    /// arguments named in `skip` are ignored.
    fn per_coordinate<T>(
        &mut self,
        args: &[Arg],
        skip: &[&str],
        mut convert: impl FnMut(&mut Self, &Expr) -> Res<T>,
    ) -> Res<Vec<T>> {
        let mut values = Vec::new();
        let mut failed = false;
        for (i, arg) in args.iter().enumerate() {
            if arg.name.as_ref().is_some_and(|n| skip.contains(&n.name.as_str())) {
                continue;
            }
            let expected = COORDINATES.get(i).copied();
            if let Some(name) = &arg.name
                && Some(name.name.as_str()) != expected
            {
                let message = match expected {
                    Some(axis) => {
                        format!("expected coordinate `{axis}` here, found `{}`", name.name)
                    }
                    None => format!("unexpected argument `{}`", name.name),
                };
                self.report(
                    Diagnostic::error(name.span, message)
                        .with_hint("give coordinates in the order x, y, z"),
                );
                failed = true;
                continue;
            }
            if expected.is_none() {
                self.report(Diagnostic::error(arg.span, "at most three coordinates (x, y, z)"));
                failed = true;
                continue;
            }
            match convert(self, &arg.value) {
                Ok(v) => values.push(v),
                Err(_) => failed = true,
            }
        }
        if failed {
            return Err(Reported);
        }
        if values.is_empty() {
            let span = args.first().map_or(Default::default(), |a| a.span);
            return Err(self.report(Diagnostic::error(span, "give at least the `x` coordinate")));
        }
        Ok(values)
    }

    fn only_named(&mut self, args: &[Arg], allowed: &[&str]) -> Res<()> {
        let mut failed = false;
        for arg in args {
            let Some(name) = &arg.name else {
                self.report(
                    Diagnostic::error(arg.span, "this argument needs a name")
                        .with_hint(format!("name it: one of {}", allowed.join(", "))),
                );
                failed = true;
                continue;
            };
            if !allowed.contains(&name.name.as_str()) {
                let mut diagnostic =
                    Diagnostic::error(name.span, format!("unknown argument `{}`", name.name));
                if let Some(near) = closest(&name.name, allowed.iter().copied()) {
                    diagnostic = diagnostic.with_hint(format!("did you mean `{near}`?"));
                }
                self.report(diagnostic);
                failed = true;
            }
        }
        if failed { Err(Reported) } else { Ok(()) }
    }

    fn required_named<T>(
        &mut self,
        args: &[Arg],
        name: &str,
        call: &Expr,
        convert: impl FnOnce(&mut Self, &Expr) -> Res<T>,
    ) -> Res<T> {
        match args.iter().find(|a| a.name.as_ref().is_some_and(|n| n.name == name)) {
            Some(arg) => convert(self, &arg.value),
            None => Err(self.report(Diagnostic::error(call.span, format!("missing `{name}: …`")))),
        }
    }
}
