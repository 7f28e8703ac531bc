//! Printing the syntax tree back as canonical source.
//!
//! The output parses back to the same tree, spans aside: parentheses are written exactly
//! where precedence needs them (the tree has no node for them), numbers are written with
//! the shortest digits that read back to the same `f64`, and strings are escaped. The
//! layout is fixed: one statement per line, spaces around `+ - * /` and `=`, none around
//! `^` and `..`, arguments separated by `, `.
//!
//! Two kinds of tree cannot come from the parser and so do not round-trip: negative or
//! non-finite numbers (printed `(-1)`, `inf`, `NaN`), and expressions nested deeper than
//! [`PRINT_DEPTH`], whose inner part is printed as `(...)` rather than recursing without
//! bound.

use std::fmt::{self, Display, Formatter, Write};

use crate::ast::{Arg, Ast, BinaryOp, Category, Expr, ExprKind, Ident, Item, ItemKind};
use crate::lower::MAX_EXPR_DEPTH;

/// Expressions deeper than this are cut short when printed.
const PRINT_DEPTH: usize = 2 * MAX_EXPR_DEPTH;

impl Display for Ast {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for item in &self.items {
            writeln!(f, "{item}")?;
        }
        Ok(())
    }
}

impl Display for Item {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ItemKind::Const { name, value } => write!(f, "{name} = {value}"),
            ItemKind::Decl { category, name, value } => write!(f, "{category} {name} = {value}"),
            ItemKind::Record { every, until } => write!(f, "record every {every} until {until}"),
            ItemKind::Include { path, .. } => {
                f.write_str("include ")?;
                write_string(f, path)
            }
        }
    }
}

impl Display for Category {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

impl Display for BinaryOp {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

impl Display for Ident {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_expr(f, self, Level::Range, 0)
    }
}

impl Display for Arg {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_arg(f, self, 0)
    }
}

/// How tightly an expression binds; an operand printed where a tighter level is needed
/// gets parentheses.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Range,
    Sum,
    Product,
    Neg,
    Power,
    Atom,
}

fn level(expr: &Expr) -> Level {
    match &expr.kind {
        ExprKind::Range { .. } => Level::Range,
        ExprKind::Binary { op: BinaryOp::Add | BinaryOp::Sub, .. } => Level::Sum,
        ExprKind::Binary { op: BinaryOp::Mul | BinaryOp::Div, .. } => Level::Product,
        ExprKind::Neg(_) => Level::Neg,
        ExprKind::Binary { op: BinaryOp::Pow, .. } => Level::Power,
        ExprKind::Number(_)
        | ExprKind::Str(_)
        | ExprKind::Name(_)
        | ExprKind::Call { .. }
        | ExprKind::List(_) => Level::Atom,
    }
}

fn write_expr(f: &mut Formatter<'_>, expr: &Expr, min: Level, depth: usize) -> fmt::Result {
    if depth > PRINT_DEPTH {
        return f.write_str("(...)");
    }
    let parens = level(expr) < min;
    if parens {
        f.write_char('(')?;
    }
    let depth = depth + 1;
    match &expr.kind {
        ExprKind::Number(value) => write_number(f, *value)?,
        ExprKind::Str(text) => write_string(f, text)?,
        ExprKind::Name(name) => f.write_str(name)?,
        ExprKind::Neg(operand) => {
            f.write_char('-')?;
            write_expr(f, operand, Level::Neg, depth)?;
        }
        ExprKind::Binary { op, lhs, rhs } => {
            // Left-associative operators need a tighter right operand; `^` is the reverse.
            let (left, right, spaced) = match op {
                BinaryOp::Add | BinaryOp::Sub => (Level::Sum, Level::Product, true),
                BinaryOp::Mul | BinaryOp::Div => (Level::Product, Level::Neg, true),
                BinaryOp::Pow => (Level::Atom, Level::Neg, false),
            };
            write_expr(f, lhs, left, depth)?;
            if spaced {
                write!(f, " {op} ")?;
            } else {
                write!(f, "{op}")?;
            }
            write_expr(f, rhs, right, depth)?;
        }
        ExprKind::Range { lo, hi } => {
            write_expr(f, lo, Level::Sum, depth)?;
            f.write_str("..")?;
            write_expr(f, hi, Level::Sum, depth)?;
        }
        ExprKind::Call { callee, args } => {
            write!(f, "{callee}(")?;
            write_args(f, args, depth)?;
            f.write_char(')')?;
        }
        ExprKind::List(items) => {
            f.write_char('[')?;
            write_args(f, items, depth)?;
            f.write_char(']')?;
        }
    }
    if parens {
        f.write_char(')')?;
    }
    Ok(())
}

fn write_args(f: &mut Formatter<'_>, args: &[Arg], depth: usize) -> fmt::Result {
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write_arg(f, arg, depth)?;
    }
    Ok(())
}

fn write_arg(f: &mut Formatter<'_>, arg: &Arg, depth: usize) -> fmt::Result {
    if let Some(name) = &arg.name {
        write!(f, "{name}: ")?;
    }
    write_expr(f, &arg.value, Level::Range, depth)
}

/// Shortest round-tripping digits, with an exponent for very small or large magnitudes.
fn write_number(f: &mut Formatter<'_>, value: f64) -> fmt::Result {
    if !value.is_finite() {
        return write!(f, "{value}");
    }
    if value.is_sign_negative() {
        f.write_str("(-")?;
        write_number(f, -value)?;
        return f.write_char(')');
    }
    if value == 0.0 || (1e-4..1e16).contains(&value) {
        write!(f, "{value}")
    } else {
        write!(f, "{value:e}")
    }
}

fn write_string(f: &mut Formatter<'_>, text: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in text.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\t' => f.write_str("\\t")?,
            '\r' => f.write_str("\\r")?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

#[cfg(test)]
mod tests {
    use neq_diag::FileId;

    use crate::parse;

    /// Parses `source` and prints it back.
    fn reprint(source: &str) -> String {
        let (ast, diagnostics) = parse(source, FileId(0));
        assert!(diagnostics.is_empty(), "{source}: {diagnostics:?}");
        ast.to_string()
    }

    #[test]
    fn parentheses_only_where_needed() {
        assert_eq!(reprint("x = (a + b) * (c - d)"), "x = (a + b) * (c - d)\n");
        assert_eq!(reprint("x = ((a * b)) + c"), "x = a * b + c\n");
        assert_eq!(reprint("x = a - (b - c)"), "x = a - (b - c)\n");
        assert_eq!(reprint("x = (a - b) - c"), "x = a - b - c\n");
        assert_eq!(reprint("x = -x^2 + (-x)^2"), "x = -x^2 + (-x)^2\n");
        assert_eq!(reprint("x = 2^-1 * 2^3^4 * (2^3)^4"), "x = 2^-1 * 2^3^4 * (2^3)^4\n");
        assert_eq!(reprint("x = a - -b"), "x = a - -b\n");
        assert_eq!(reprint("x = -(a + b)"), "x = -(a + b)\n");
        assert_eq!(reprint("x = (0..1) * 2"), "x = (0..1) * 2\n");
    }

    #[test]
    fn ranges_calls_and_lists() {
        assert_eq!(
            reprint("s = f( p ,dt:1e-3, grid: [ x : -1.5 .. 1.5/256, ], )"),
            "s = f(p, dt: 0.001, grid: [x: -1.5..1.5 / 256])\n"
        );
        assert_eq!(reprint("w = prinz()"), "w = prinz()\n");
        assert_eq!(reprint("l = []"), "l = []\n");
    }

    #[test]
    fn statements_and_literals() {
        let source = "include \"a \\\"b\\\".neq\"\nsampler s = g(model: m, \"x\\ty\")\n\
                      record every 10_000 until 1e300\n";
        assert_eq!(
            reprint(source),
            "include \"a \\\"b\\\".neq\"\nsampler s = g(model: m, \"x\\ty\")\n\
             record every 10000 until 1e300\n"
        );
    }

    #[test]
    fn numbers_use_the_shortest_exact_digits() {
        assert_eq!(reprint("x = 0.1"), "x = 0.1\n");
        assert_eq!(reprint("x = 2.5E+4"), "x = 25000\n");
        assert_eq!(reprint("x = 1.5e-7"), "x = 1.5e-7\n");
        assert_eq!(reprint("x = 0.30000000000000004"), "x = 0.30000000000000004\n");
        assert_eq!(reprint("x = 12345678901234567890"), "x = 1.2345678901234567e19\n");
    }

    #[test]
    fn deep_trees_are_cut_rather_than_overflowing() {
        use crate::ast::{Expr, ExprKind};
        use neq_diag::Span;
        let mut expr = Expr { kind: ExprKind::Name("x".into()), span: Span::default() };
        for _ in 0..(super::PRINT_DEPTH + 10) {
            expr = Expr { kind: ExprKind::Neg(Box::new(expr)), span: Span::default() };
        }
        let printed = expr.to_string();
        assert!(printed.ends_with("(...)"), "{}", &printed[printed.len() - 20..]);
        // Unwind without recursing the whole chain in `Drop`.
        let mut next = Some(expr);
        while let Some(Expr { kind: ExprKind::Neg(inner), .. }) = next {
            next = Some(*inner);
        }
    }
}
