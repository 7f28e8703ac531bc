//! Questions about an expression: which variables it uses, and its dimension.

use crate::{ExprGraph, Node, NodeId, Var};

impl ExprGraph {
    /// The variables `n` depends on, sorted and without repeats.
    pub fn vars(&self, n: NodeId) -> Vec<Var> {
        let seen = self.reachable(&[n]);
        let mut vars: Vec<Var> = self
            .nodes()
            .take(seen.len())
            .filter(|(id, _)| seen[id.index()])
            .filter_map(|(_, node)| match node {
                Node::Var(v) => Some(v),
                _ => None,
            })
            .collect();
        vars.sort_unstable();
        vars.dedup();
        vars
    }

    /// Whether `n` depends on the variable `v` (structurally: `0*x` was already folded to 0).
    pub fn depends_on(&self, n: NodeId, v: Var) -> bool {
        self.vars(n).contains(&v)
    }

    /// The highest coordinate index `n` uses, if any; the dimension is that plus one.
    pub fn max_coord(&self, n: NodeId) -> Option<u8> {
        self.vars(n)
            .into_iter()
            .filter_map(|v| match v {
                Var::Coord(d) => Some(d),
                _ => None,
            })
            .max()
    }

    /// The schedules `n` uses, by the value or by the rate, sorted and without repeats.
    pub fn params(&self, n: NodeId) -> Vec<u16> {
        let mut ks: Vec<u16> = self
            .vars(n)
            .into_iter()
            .filter_map(|v| match v {
                Var::Param(k) | Var::ParamRate(k) => Some(k),
                _ => None,
            })
            .collect();
        ks.sort_unstable();
        ks.dedup();
        ks
    }
}

#[cfg(test)]
mod tests {
    use crate::{ExprGraph, Func1, Func2, Var};

    #[test]
    fn variables_and_dimension() {
        let mut g = ExprGraph::new();
        let x = g.var(Var::X);
        let z = g.var(Var::Z);
        let s = g.var(Var::Param(3));
        let r = g.var(Var::ParamRate(1));
        let xz = g.binary(Func2::Mul, x, z);
        let e = g.unary(Func1::Exp, xz);
        let es = g.binary(Func2::Add, e, s);
        let all = g.binary(Func2::Add, es, r);
        assert_eq!(g.max_coord(all), Some(2));
        assert_eq!(g.max_coord(s), None);
        assert_eq!(g.params(all), vec![1, 3]);
        assert!(g.depends_on(all, Var::X));
        assert!(!g.depends_on(all, Var::Y));
        assert!(!g.depends_on(all, Var::Time));
        assert_eq!(g.vars(all), vec![Var::X, Var::Z, Var::Param(3), Var::ParamRate(1)]);
    }
}
