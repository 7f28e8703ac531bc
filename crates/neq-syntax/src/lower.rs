//! Lowering pest pairs into the syntax tree, copying every span.
//!
//! The grammar keeps expressions flat (operands and operators in a row); [`Lowerer::expr`]
//! builds the tree with precedence climbing over explicit stacks, so a chain such as
//! `1 + 1 + ... + 1` costs no recursion. Recursion happens only through brackets, which the
//! pre-scan limits to [`crate::MAX_NESTING`] levels.
//!
//! No expression deeper than [`MAX_EXPR_DEPTH`] is ever built: later phases recurse over the
//! tree (and so do the derived `Drop`, `Clone` and `PartialEq`), so the parser rejects such an
//! expression with a diagnostic and leaves its statement out.

use neq_diag::{Diagnostic, FileId, Span};
use pest::iterators::Pair;

use crate::ast::{Arg, BinaryOp, Category, Expr, ExprKind, Ident, Item, ItemKind};
use crate::grammar::Rule;

/// The deepest expression tree the parser builds (counting every operator, call and list).
pub const MAX_EXPR_DEPTH: usize = 512;

/// Turns pairs into tree nodes, pushing problems found on the way (numbers out of range,
/// expressions too deep) into `diagnostics`.
pub(crate) struct Lowerer<'d> {
    /// The file every span belongs to.
    pub file: FileId,
    /// Offset of the parsed text in the file (pest parsed a suffix after error recovery).
    pub base: usize,
    /// Where diagnostics go.
    pub diagnostics: &'d mut Vec<Diagnostic>,
}

/// A lowered expression and the depth of its tree.
type Lowered = (Expr, usize);

/// An operator waiting on the stack during precedence climbing.
#[derive(Clone, Copy)]
enum Pending {
    /// Unary minus starting at this offset.
    Neg(usize),
    /// A binary operator (`None` for `..`) and its span.
    Binary(Option<BinaryOp>, Span),
}

impl Pending {
    /// Binding power: `..` < `+ -` < `* /` < unary `-` < `^`.
    fn power(self) -> u8 {
        match self {
            Pending::Binary(None, _) => 1,
            Pending::Binary(Some(BinaryOp::Add | BinaryOp::Sub), _) => 2,
            Pending::Binary(Some(BinaryOp::Mul | BinaryOp::Div), _) => 3,
            Pending::Neg(_) => 4,
            Pending::Binary(Some(BinaryOp::Pow), _) => 5,
        }
    }
}

impl Lowerer<'_> {
    fn span(&self, span: pest::Span<'_>) -> Span {
        Span::new(self.file, self.base + span.start(), self.base + span.end())
    }

    fn ident(&self, pair: &Pair<'_, Rule>) -> Ident {
        Ident { name: pair.as_str().to_owned(), span: self.span(pair.as_span()) }
    }

    /// Lowers the statements among `pairs` (children of `file` or `statements`).
    pub fn items<'i>(&mut self, pairs: impl Iterator<Item = Pair<'i, Rule>>, out: &mut Vec<Item>) {
        for pair in pairs {
            if let Some(item) = self.item(pair) {
                out.push(item);
            }
        }
    }

    /// Lowers one statement; `None` for separators and for statements whose expression
    /// could not be built.
    fn item(&mut self, pair: Pair<'_, Rule>) -> Option<Item> {
        let span = self.span(pair.as_span());
        let rule = pair.as_rule();
        let mut inner = pair.into_inner();
        let kind = match rule {
            Rule::record => {
                let mut exprs = inner.filter(|p| p.as_rule() == Rule::expr);
                let every = self.expr(exprs.next()?);
                let until = self.expr(exprs.next()?);
                ItemKind::Record { every: every?.0, until: until?.0 }
            }
            Rule::include => {
                let string = inner.find(|p| p.as_rule() == Rule::string)?;
                ItemKind::Include {
                    path: self.string(&string),
                    path_span: self.span(string.as_span()),
                }
            }
            Rule::declaration => {
                let category = category(inner.next()?.as_str())?;
                let name = self.ident(&inner.next()?);
                let value = self.expr(inner.find(|p| p.as_rule() == Rule::expr)?)?.0;
                ItemKind::Decl { category, name, value }
            }
            Rule::constant => {
                let name = self.ident(&inner.next()?);
                let value = self.expr(inner.find(|p| p.as_rule() == Rule::expr)?)?.0;
                ItemKind::Const { name, value }
            }
            _ => return None,
        };
        Some(Item { kind, span })
    }

    /// Builds an expression from the flat children of an `expr` pair.
    fn expr(&mut self, pair: Pair<'_, Rule>) -> Option<Lowered> {
        let mut operands: Vec<Lowered> = Vec::new();
        let mut pending: Vec<Pending> = Vec::new();
        for child in pair.into_inner() {
            let op = match child.as_rule() {
                Rule::neg => {
                    pending.push(Pending::Neg(self.base + child.as_span().start()));
                    continue;
                }
                Rule::operator => Some(binary_op(child.as_str())),
                Rule::range_op => None,
                _ => {
                    operands.push(self.primary(child)?);
                    continue;
                }
            };
            let op = Pending::Binary(op, self.span(child.as_span()));
            // `^` is right-associative; everything else binary is left-associative (`..` can
            // occur once only, so its associativity never matters).
            let right = matches!(op, Pending::Binary(Some(BinaryOp::Pow), _));
            while let Some(&top) = pending.last() {
                if top.power() > op.power() || (top.power() == op.power() && !right) {
                    pending.pop();
                    self.reduce(top, &mut operands)?;
                } else {
                    break;
                }
            }
            pending.push(op);
        }
        while let Some(top) = pending.pop() {
            self.reduce(top, &mut operands)?;
        }
        operands.pop()
    }

    /// Applies one pending operator to the operands on top of the stack.
    fn reduce(&mut self, op: Pending, operands: &mut Vec<Lowered>) -> Option<()> {
        let (rhs, rhs_depth) = operands.pop()?;
        let (kind, span, depth, op_span) = match op {
            Pending::Neg(start) => {
                let span = Span::new(self.file, start, rhs.span.end);
                (
                    ExprKind::Neg(Box::new(rhs)),
                    span,
                    rhs_depth + 1,
                    Span::new(self.file, start, start + 1),
                )
            }
            Pending::Binary(op, op_span) => {
                let (lhs, lhs_depth) = operands.pop()?;
                let span = lhs.span.to(rhs.span);
                let (lhs, rhs) = (Box::new(lhs), Box::new(rhs));
                let kind = match op {
                    Some(op) => ExprKind::Binary { op, lhs, rhs },
                    None => ExprKind::Range { lo: lhs, hi: rhs },
                };
                (kind, span, lhs_depth.max(rhs_depth) + 1, op_span)
            }
        };
        self.check_depth(depth, op_span)?;
        operands.push((Expr { kind, span }, depth));
        Some(())
    }

    fn check_depth(&mut self, depth: usize, at: Span) -> Option<()> {
        if depth <= MAX_EXPR_DEPTH {
            return Some(());
        }
        self.diagnostics.push(
            Diagnostic::error(at, "expression is too deeply nested")
                .with_label_message(format!("more than {MAX_EXPR_DEPTH} levels of operations here"))
                .with_hint(
                    "split the expression into named constants, e.g. `a = ...` and then `a + ...`",
                ),
        );
        None
    }

    fn primary(&mut self, pair: Pair<'_, Rule>) -> Option<Lowered> {
        let span = self.span(pair.as_span());
        let leaf = |kind| Some((Expr { kind, span }, 1));
        match pair.as_rule() {
            Rule::number => leaf(ExprKind::Number(self.number(pair.as_str(), span))),
            Rule::string => leaf(ExprKind::Str(self.string(&pair))),
            Rule::name => leaf(ExprKind::Name(pair.as_str().to_owned())),
            Rule::paren => {
                // Parentheses leave no node; the expression's span grows to cover them.
                let inner = pair.into_inner().find(|p| p.as_rule() == Rule::expr)?;
                let (expr, depth) = self.expr(inner)?;
                Some((Expr { kind: expr.kind, span }, depth))
            }
            Rule::call => {
                let mut inner = pair.into_inner();
                let callee = self.ident(&inner.next()?);
                let (args, depth) = self.args(inner)?;
                self.check_depth(depth + 1, callee.span)?;
                Some((Expr { kind: ExprKind::Call { callee, args }, span }, depth + 1))
            }
            Rule::list => {
                let (args, depth) = self.args(pair.into_inner())?;
                self.check_depth(depth + 1, Span::new(self.file, span.start, span.start + 1))?;
                Some((Expr { kind: ExprKind::List(args), span }, depth + 1))
            }
            _ => None,
        }
    }

    /// The `arg` pairs among `pairs`, and the depth of the deepest argument.
    fn args<'i>(
        &mut self,
        pairs: impl Iterator<Item = Pair<'i, Rule>>,
    ) -> Option<(Vec<Arg>, usize)> {
        let mut args = Vec::new();
        let mut depth = 0;
        for pair in pairs.filter(|p| p.as_rule() == Rule::arg) {
            let span = self.span(pair.as_span());
            let mut name = None;
            let mut value = None;
            for part in pair.into_inner() {
                match part.as_rule() {
                    Rule::arg_name => name = Some(self.ident(&part)),
                    Rule::expr => value = Some(self.expr(part)?),
                    _ => {}
                }
            }
            let (value, value_depth) = value?;
            depth = depth.max(value_depth);
            args.push(Arg { name, value, span });
        }
        Some((args, depth))
    }

    /// Converts a number literal, reporting literals too large for an `f64`.
    fn number(&mut self, text: &str, span: Span) -> f64 {
        let digits: String = text.chars().filter(|&c| c != '_').collect();
        let value = digits.parse::<f64>().unwrap_or(f64::NAN);
        if value.is_infinite() {
            self.diagnostics.push(
                Diagnostic::error(span, "number out of range")
                    .with_label_message("larger than the largest finite number, about 1.8e308"),
            );
        }
        value
    }

    /// The content of a string literal with its escapes resolved (the grammar admits only
    /// `\\ \" \n \t \r`).
    fn string(&self, pair: &Pair<'_, Rule>) -> String {
        let text = pair.as_str();
        let body = text.get(1..text.len().saturating_sub(1)).unwrap_or("");
        let mut out = String::with_capacity(body.len());
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => {}
            }
        }
        out
    }
}

fn binary_op(symbol: &str) -> BinaryOp {
    match symbol {
        "+" => BinaryOp::Add,
        "-" => BinaryOp::Sub,
        "*" => BinaryOp::Mul,
        "/" => BinaryOp::Div,
        _ => BinaryOp::Pow,
    }
}

fn category(keyword: &str) -> Option<Category> {
    Some(match keyword {
        "schedule" => Category::Schedule,
        "potential" => Category::Potential,
        "sampler" => Category::Sampler,
        "model" => Category::Model,
        "metric" => Category::Metric,
        _ => return None,
    })
}
