//! Shared test support: a small infix parser and random expression recipes.

#![allow(dead_code)]

use neq_expr::{ExprGraph, Func1, Func2, NodeId, Var};
use proptest::prelude::*;

/// Parses infix text such as `4*x^8 + s0*x - exp(-(y-0.5)^2)` into `g`.
///
/// Names: `x y z t`, `s<k>` (schedule value), `ds<k>` (schedule rate), and the functions of
/// [`Func1`] and [`Func2`] by name (`pow`, `atan2`, `min`, `max`, …).
pub fn parse(g: &mut ExprGraph, text: &str) -> NodeId {
    let tokens: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut p = Parser { g, s: &tokens, i: 0 };
    let n = p.expr();
    assert_eq!(p.i, tokens.len(), "trailing input in {text:?}");
    n
}

struct Parser<'a> {
    g: &'a mut ExprGraph,
    s: &'a [char],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        let hit = self.peek() == Some(c);
        self.i += usize::from(hit);
        hit
    }

    fn expr(&mut self) -> NodeId {
        let mut a = self.term();
        loop {
            if self.eat('+') {
                let b = self.term();
                a = self.g.binary(Func2::Add, a, b);
            } else if self.eat('-') {
                let b = self.term();
                a = self.g.binary(Func2::Sub, a, b);
            } else {
                return a;
            }
        }
    }

    fn term(&mut self) -> NodeId {
        let mut a = self.unary();
        loop {
            if self.eat('*') {
                let b = self.unary();
                a = self.g.binary(Func2::Mul, a, b);
            } else if self.eat('/') {
                let b = self.unary();
                a = self.g.binary(Func2::Div, a, b);
            } else {
                return a;
            }
        }
    }

    fn unary(&mut self) -> NodeId {
        if self.eat('-') {
            let a = self.unary();
            return self.g.unary(Func1::Neg, a);
        }
        let a = self.atom();
        if self.eat('^') {
            let b = self.unary();
            return self.g.binary(Func2::Pow, a, b);
        }
        a
    }

    fn atom(&mut self) -> NodeId {
        if self.eat('(') {
            let a = self.expr();
            assert!(self.eat(')'), "expected )");
            return a;
        }
        let start = self.i;
        let c = self.peek().expect("unexpected end");
        if c.is_ascii_digit() || c == '.' {
            while let Some(c) = self.peek() {
                let exp_sign = (c == '-' || c == '+') && matches!(self.s[self.i - 1], 'e' | 'E');
                if !(c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E' || exp_sign) {
                    break;
                }
                self.i += 1;
            }
            let text: String = self.s[start..self.i].iter().collect();
            return self.g.constant(text.parse().expect("a number"));
        }
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
            self.i += 1;
        }
        let name: String = self.s[start..self.i].iter().collect();
        if self.eat('(') {
            let a = self.expr();
            let b = self.eat(',').then(|| self.expr());
            assert!(self.eat(')'), "expected ) after arguments of {name}");
            return match b {
                None => self.g.unary(func1(&name), a),
                Some(b) => self.g.binary(func2(&name), a, b),
            };
        }
        let v = match name.as_str() {
            "x" => Var::X,
            "y" => Var::Y,
            "z" => Var::Z,
            "t" => Var::Time,
            s if s.starts_with("ds") => Var::ParamRate(s[2..].parse().expect("ds<k>")),
            s if s.starts_with('s') => Var::Param(s[1..].parse().expect("s<k>")),
            other => panic!("unknown name {other}"),
        };
        self.g.var(v)
    }
}

fn func1(name: &str) -> Func1 {
    match name {
        "exp" => Func1::Exp,
        "log" => Func1::Log,
        "sqrt" => Func1::Sqrt,
        "sin" => Func1::Sin,
        "cos" => Func1::Cos,
        "tan" => Func1::Tan,
        "tanh" => Func1::Tanh,
        "abs" => Func1::Abs,
        "sign" => Func1::Sign,
        "step" => Func1::Step,
        other => panic!("unknown function {other}"),
    }
}

fn func2(name: &str) -> Func2 {
    match name {
        "pow" => Func2::Pow,
        "atan2" => Func2::Atan2,
        "min" => Func2::Min,
        "max" => Func2::Max,
        other => panic!("unknown function {other}"),
    }
}

/// The Prinz potential with a tilt `s0*x`.
pub const PRINZ: &str =
    "4*(x^8 + 0.8*exp(-80*x^2) + 0.2*exp(-80*(x-0.5)^2) + 0.5*exp(-40*(x+0.5)^2)) + s0*x";

/// A random expression, as a recipe to build into a graph.
#[derive(Clone, Debug)]
pub enum Recipe {
    /// A number.
    Const(f64),
    /// A variable.
    Var(Var),
    /// `f(a)`, taken as is.
    Un(Func1, Box<Recipe>),
    /// `f(a, b)`, taken as is.
    Bin(Func2, Box<Recipe>, Box<Recipe>),
    /// `a / (1 + b^2)`.
    SafeDiv(Box<Recipe>, Box<Recipe>),
    /// `(1 + a^2)^b`.
    PosPow(Box<Recipe>, Box<Recipe>),
    /// `(1 + a^2)^c` for a constant `c`.
    PosPowC(Box<Recipe>, f64),
    /// `sqrt(1 + a^2)`.
    SafeSqrt(Box<Recipe>),
    /// `log(1 + a^2)`.
    SafeLog(Box<Recipe>),
    /// `atan2(a, 2 + cos(b))`.
    Atan2Right(Box<Recipe>, Box<Recipe>),
    /// `atan2(1 + a^2, b)`.
    Atan2Up(Box<Recipe>, Box<Recipe>),
}

impl Recipe {
    /// Adds the expression to `g`.
    pub fn build(&self, g: &mut ExprGraph) -> NodeId {
        fn one_plus_sq(g: &mut ExprGraph, a: &Recipe) -> NodeId {
            let a = a.build(g);
            let sq = g.unary(Func1::Powi(2), a);
            let one = g.constant(1.0);
            g.binary(Func2::Add, one, sq)
        }
        match self {
            Recipe::Const(c) => g.constant(*c),
            Recipe::Var(v) => g.var(*v),
            Recipe::Un(f, a) => {
                let a = a.build(g);
                g.unary(*f, a)
            }
            Recipe::Bin(f, a, b) => {
                let (a, b) = (a.build(g), b.build(g));
                g.binary(*f, a, b)
            }
            Recipe::SafeDiv(a, b) => {
                let a = a.build(g);
                let d = one_plus_sq(g, b);
                g.binary(Func2::Div, a, d)
            }
            Recipe::PosPow(a, b) => {
                let base = one_plus_sq(g, a);
                let b = b.build(g);
                g.binary(Func2::Pow, base, b)
            }
            Recipe::PosPowC(a, c) => {
                let base = one_plus_sq(g, a);
                let c = g.constant(*c);
                g.binary(Func2::Pow, base, c)
            }
            Recipe::SafeSqrt(a) => {
                let base = one_plus_sq(g, a);
                g.unary(Func1::Sqrt, base)
            }
            Recipe::SafeLog(a) => {
                let base = one_plus_sq(g, a);
                g.unary(Func1::Log, base)
            }
            Recipe::Atan2Right(a, b) => {
                let a = a.build(g);
                let b = b.build(g);
                let cos = g.unary(Func1::Cos, b);
                let two = g.constant(2.0);
                let x = g.binary(Func2::Add, two, cos);
                g.binary(Func2::Atan2, a, x)
            }
            Recipe::Atan2Up(a, b) => {
                let y = one_plus_sq(g, a);
                let b = b.build(g);
                g.binary(Func2::Atan2, y, b)
            }
        }
    }
}

fn boxed(r: Recipe) -> Box<Recipe> {
    Box::new(r)
}

fn leaf(vars: Vec<Var>) -> impl Strategy<Value = Recipe> {
    prop_oneof![
        (-2.0..2.0f64).prop_map(Recipe::Const),
        prop::sample::select(vec![0.5, 1.0, 2.0, -1.0]).prop_map(Recipe::Const),
        prop::sample::select(vars).prop_map(Recipe::Var),
    ]
}

/// Smooth expressions in `x, y, t, s0` of depth at most 5, defined and differentiable for
/// every real input (so finite differences apply).
pub fn smooth_expr() -> impl Strategy<Value = Recipe> {
    let vars = vec![Var::X, Var::Y, Var::Time, Var::Param(0)];
    leaf(vars).prop_recursive(5, 64, 1, |inner| {
        let un = |f: Func1| inner.clone().prop_map(move |a| Recipe::Un(f, boxed(a)));
        let bin = |f: Func2| {
            (inner.clone(), inner.clone())
                .prop_map(move |(a, b)| Recipe::Bin(f, boxed(a), boxed(b)))
        };
        let pair = (inner.clone(), inner.clone());
        prop_oneof![
            bin(Func2::Add),
            bin(Func2::Sub),
            bin(Func2::Mul),
            un(Func1::Exp),
            un(Func1::Sin),
            un(Func1::Cos),
            un(Func1::Tanh),
            un(Func1::Neg),
            un(Func1::Powi(2)),
            un(Func1::Powi(3)),
            pair.clone().prop_map(|(a, b)| Recipe::SafeDiv(boxed(a), boxed(b))),
            pair.clone().prop_map(|(a, b)| Recipe::PosPow(boxed(a), boxed(b))),
            (inner.clone(), prop::sample::select(vec![-2.0, -0.5, 0.5, 1.5, 2.5]))
                .prop_map(|(a, c)| Recipe::PosPowC(boxed(a), c)),
            inner.clone().prop_map(|a| Recipe::SafeSqrt(boxed(a))),
            inner.clone().prop_map(|a| Recipe::SafeLog(boxed(a))),
            pair.clone().prop_map(|(a, b)| Recipe::Atan2Right(boxed(a), boxed(b))),
            pair.prop_map(|(a, b)| Recipe::Atan2Up(boxed(a), boxed(b))),
        ]
    })
}

/// Any expression in `x, y, z, t, s0, s1, ds0`, including non-smooth and partial functions.
pub fn any_expr() -> impl Strategy<Value = Recipe> {
    let vars =
        vec![Var::X, Var::Y, Var::Z, Var::Time, Var::Param(0), Var::Param(1), Var::ParamRate(0)];
    leaf(vars).prop_recursive(5, 64, 1, |inner| {
        let un = |f: Func1| inner.clone().prop_map(move |a| Recipe::Un(f, boxed(a)));
        let bin = |f: Func2| {
            (inner.clone(), inner.clone())
                .prop_map(move |(a, b)| Recipe::Bin(f, boxed(a), boxed(b)))
        };
        prop_oneof![
            bin(Func2::Add),
            bin(Func2::Sub),
            bin(Func2::Mul),
            bin(Func2::Div),
            bin(Func2::Pow),
            bin(Func2::Atan2),
            bin(Func2::Min),
            bin(Func2::Max),
            un(Func1::Exp),
            un(Func1::Log),
            un(Func1::Sqrt),
            un(Func1::Sin),
            un(Func1::Cos),
            un(Func1::Tan),
            un(Func1::Tanh),
            un(Func1::Abs),
            un(Func1::Sign),
            un(Func1::Step),
            un(Func1::Neg),
            un(Func1::Powi(2)),
            un(Func1::Powi(5)),
            un(Func1::Powi(-3)),
        ]
    })
}

/// Value and rate of schedule 0 in the tests: `s0(t) = 0.5 + 0.3 sin(2t)`.
pub fn schedule0(t: f64) -> (f64, f64) {
    (0.5 + 0.3 * (2.0 * t).sin(), 0.6 * (2.0 * t).cos())
}
