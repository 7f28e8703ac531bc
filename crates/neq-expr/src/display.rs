//! Readable infix text of an expression, for debugging and tests.
//!
//! The text parenthesises by precedence and by floating-point grouping: `a + (b + c)` keeps
//! its parentheses because it rounds differently from `a + b + c`.

use crate::{ExprGraph, Func1, Func2, Node, NodeId};

/// Binding strength of the outermost operator of a piece of text.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    /// `a + b`, `a - b`.
    Sum,
    /// `a*b`, `a/b`.
    Product,
    /// `-a`, and negative numbers.
    Negation,
    /// `a^b`.
    Power,
    /// Numbers, variables and function calls.
    Atom,
}

impl ExprGraph {
    /// The expression `n` as infix text, e.g. `4*x^8 + s0*x`.
    ///
    /// Shared subexpressions are written out at every use, so the text of a heavily shared
    /// graph can be much longer than the graph.
    pub fn display(&self, n: NodeId) -> String {
        let seen = self.reachable(&[n]);
        let mut text: Vec<Option<(Prec, String)>> = vec![None; seen.len()];
        for (id, node) in self.nodes().take(seen.len()) {
            if seen[id.index()] {
                text[id.index()] = Some(self.render(node, &text));
            }
        }
        text[n.index()].take().map(|(_, s)| s).unwrap_or_default()
    }

    fn render(&self, node: Node, text: &[Option<(Prec, String)>]) -> (Prec, String) {
        let get = |id: NodeId| text[id.index()].as_ref().expect("children come first");
        // The text of `id`, in parentheses if it binds weaker than `min`.
        let wrap = |id: NodeId, min: Prec| {
            let (p, s) = get(id);
            if *p < min { format!("({s})") } else { s.clone() }
        };
        match node {
            Node::Const(v) if v < 0.0 => (Prec::Negation, format!("-{}", number(-v))),
            Node::Const(v) => (Prec::Atom, number(v)),
            Node::Var(v) => (Prec::Atom, v.to_string()),
            Node::Unary(Func1::Neg, a) => (Prec::Negation, format!("-{}", wrap(a, Prec::Power))),
            Node::Unary(Func1::Powi(k), a) => {
                let exp = if k < 0 { format!("({k})") } else { k.to_string() };
                (Prec::Power, format!("{}^{exp}", wrap(a, Prec::Atom)))
            }
            Node::Unary(f, a) => (Prec::Atom, format!("{}({})", f.name(), get(a).1)),
            Node::Binary(Func2::Add, a, b) => match self.constant_value(b) {
                Some(c) if c < 0.0 => {
                    (Prec::Sum, format!("{} - {}", wrap(a, Prec::Sum), number(-c)))
                }
                _ => (Prec::Sum, format!("{} + {}", wrap(a, Prec::Sum), wrap(b, Prec::Product))),
            },
            Node::Binary(Func2::Sub, a, b) => {
                (Prec::Sum, format!("{} - {}", wrap(a, Prec::Sum), wrap(b, Prec::Product)))
            }
            Node::Binary(f @ (Func2::Mul | Func2::Div), a, b) => (
                Prec::Product,
                format!("{}{}{}", wrap(a, Prec::Product), f.name(), wrap(b, Prec::Power)),
            ),
            Node::Binary(Func2::Pow, a, b) => {
                (Prec::Power, format!("{}^{}", wrap(a, Prec::Atom), wrap(b, Prec::Atom)))
            }
            Node::Binary(f, a, b) => {
                (Prec::Atom, format!("{}({}, {})", f.name(), get(a).1, get(b).1))
            }
        }
    }
}

/// A number in its shortest round-trip form, with an exponent only for very large or small
/// magnitudes.
fn number(v: f64) -> String {
    let m = v.abs();
    if m == 0.0 || !m.is_finite() || (1e-4..1e15).contains(&m) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

#[cfg(test)]
mod tests {
    use crate::{ExprGraph, Func1, Func2, Var};

    #[test]
    fn prints_infix_with_needed_parentheses() {
        let mut g = ExprGraph::new();
        let x = g.var(Var::X);
        let f = g.var(Var::Param(0));
        let half = g.constant(0.5);
        let xm = g.binary(Func2::Sub, x, half);
        let sq = g.unary(Func1::Powi(2), xm);
        let c = g.constant(-80.0);
        let arg = g.binary(Func2::Mul, c, sq);
        let e = g.unary(Func1::Exp, arg);
        let fx = g.binary(Func2::Mul, f, x);
        let sum = g.binary(Func2::Add, e, fx);
        let s = g.display(sum);
        assert!(s == "x*s0 + exp(-80*(x - 0.5)^2)" || s == "exp(-80*(x - 0.5)^2) + x*s0", "{s}");
        let tiny = g.constant(1e-10);
        assert_eq!(g.display(tiny), "1e-10");
        let inv = g.unary(Func1::Powi(-1), x);
        assert_eq!(g.display(inv), "x^(-1)");
        let ny = g.unary(Func1::Neg, sum);
        assert!(g.display(ny).starts_with("-("));
    }
}
