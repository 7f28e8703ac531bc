//! The syntax tree of a pipeline file. Every node keeps the [`Span`] of the text it came from.
//!
//! The tree is untyped: `langevin(p, dt: 1e-3)` is a [`ExprKind::Call`] whatever `langevin`
//! is. Names, kinds and types are resolved later by the checker.

use neq_diag::{FileId, Span};

/// One parsed file.
#[derive(Clone, Debug, PartialEq)]
pub struct Ast {
    /// The file the items came from.
    pub file: FileId,
    /// Top-level statements in source order.
    pub items: Vec<Item>,
}

/// A top-level statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// What the statement is.
    pub kind: ItemKind,
    /// The whole statement.
    pub span: Span,
}

/// The kinds of top-level statement.
#[derive(Clone, Debug, PartialEq)]
pub enum ItemKind {
    /// `name = expr`: a named constant (`seed = 7` and `kT = 0.2` are constants).
    Const {
        /// The constant's name.
        name: Ident,
        /// Its value.
        value: Expr,
    },
    /// `schedule|potential|sampler|model|metric name = expr`.
    Decl {
        /// Which kind of object is declared.
        category: Category,
        /// The object's name.
        name: Ident,
        /// Its definition, usually a call such as `langevin(p, dt: 1e-3)`.
        value: Expr,
    },
    /// `record every DT until T`.
    Record {
        /// Time between recorded frames.
        every: Expr,
        /// Time of the last frame.
        until: Expr,
    },
    /// `include "other.neq"`.
    Include {
        /// The path as written, relative to the including file.
        path: String,
        /// The span of the string literal.
        path_span: Span,
    },
}

/// The keyword that starts a declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    /// `schedule`: a function of time (a protocol).
    Schedule,
    /// `potential`: an energy landscape V(x, t).
    Potential,
    /// `sampler`: yields an ensemble or a density at each recorded time.
    Sampler,
    /// `model`: a learned object trained from a sampler's frames.
    Model,
    /// `metric`: reads frames and writes one table.
    Metric,
}

impl Category {
    /// The keyword as written in pipeline files.
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

/// A name with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    /// The name as written.
    pub name: String,
    /// Where it is written.
    pub span: Span,
}

/// An expression with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// The whole expression's text.
    pub span: Span,
}

/// The kinds of expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A number literal such as `1e-3` or `10_000`, already converted.
    Number(f64),
    /// A string literal, without quotes and with escapes resolved.
    Str(String),
    /// A name: a constant, a declaration, a coordinate (`x`, `y`, `z`), `t` or `pi`.
    Name(String),
    /// `-e`.
    Neg(Box<Expr>),
    /// `a op b`.
    Binary {
        /// The operator.
        op: BinaryOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `callee(arg, name: arg, ...)`.
    Call {
        /// The function or kind called.
        callee: Ident,
        /// Positional arguments first, then named ones (the parser keeps source order).
        args: Vec<Arg>,
    },
    /// `[a, b, name: c]`: items may carry names, e.g. named states or grid axes.
    List(Vec<Arg>),
    /// `lo..hi`.
    Range {
        /// Lower end.
        lo: Box<Expr>,
        /// Upper end.
        hi: Box<Expr>,
    },
}

/// A binary arithmetic operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `^` (right-associative, binds tighter than unary minus: `-x^2` is `-(x^2)`).
    Pow,
}

impl BinaryOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Pow => "^",
        }
    }
}

/// An argument of a call or an item of a list: `value` or `name: value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    /// The name, for named arguments and keyed list items.
    pub name: Option<Ident>,
    /// The value.
    pub value: Expr,
    /// The whole argument, name included.
    pub span: Span,
}
