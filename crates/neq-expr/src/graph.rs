//! The expression arena: nodes, their ids, and hash-consing.
//!
//! Every node is stored once. Building a node that is structurally equal to an existing one
//! returns the existing id, so equal subexpressions share an id and a compiled [`Program`]
//! computes them once. Children are always created before their parents, so ids are a
//! topological order: every pass over a graph is a scan by increasing id, without recursion.
//!
//! [`Program`]: crate::Program

use std::collections::HashMap;

use crate::{Func1, Func2, Var};

/// The id of a node in an [`ExprGraph`].
///
/// Ids are only meaningful for the graph that made them; using one with another graph gives
/// wrong results or panics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(u32);

impl NodeId {
    /// The position of the node in its graph's arena.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The id at an arena position known to exist.
    pub(crate) fn from_index(i: usize) -> NodeId {
        NodeId(u32::try_from(i).expect("more than 2^32 nodes"))
    }
}

/// One node of an expression graph, as stored.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Node {
    /// A number.
    Const(f64),
    /// A free variable.
    Var(Var),
    /// A function of one node.
    Unary(Func1, NodeId),
    /// A function of two nodes.
    Binary(Func2, NodeId, NodeId),
}

/// The hash-consing key of a node: constants are compared by their bits, so `0.0` and `-0.0`
/// are different nodes and all NaNs are one node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Key {
    Const(u64),
    Var(Var),
    Unary(Func1, NodeId),
    Binary(Func2, NodeId, NodeId),
}

impl Key {
    fn of(node: Node) -> Key {
        match node {
            Node::Const(v) if v.is_nan() => Key::Const(f64::NAN.to_bits()),
            Node::Const(v) => Key::Const(v.to_bits()),
            Node::Var(v) => Key::Var(v),
            Node::Unary(f, a) => Key::Unary(f, a),
            Node::Binary(f, a, b) => Key::Binary(f, a, b),
        }
    }
}

/// An arena of hash-consed expression nodes.
///
/// Build expressions with [`constant`](Self::constant), [`var`](Self::var),
/// [`unary`](Self::unary) and [`binary`](Self::binary), which simplify as they build;
/// differentiate them with [`derivative`](Self::derivative); compile a set of outputs with
/// [`Program::compile`](crate::Program::compile).
#[derive(Clone, Debug, Default)]
pub struct ExprGraph {
    nodes: Vec<Node>,
    index: HashMap<Key, NodeId>,
}

impl ExprGraph {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of distinct nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the graph has no nodes.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The node behind an id.
    ///
    /// # Panics
    /// If the id does not belong to this graph.
    pub fn node(&self, n: NodeId) -> Node {
        self.nodes[n.index()]
    }

    /// The node for the number `v`.
    pub fn constant(&mut self, v: f64) -> NodeId {
        self.intern(Node::Const(v))
    }

    /// The node for the variable `v`.
    pub fn var(&mut self, v: Var) -> NodeId {
        self.intern(Node::Var(v))
    }

    /// The id of `node`, adding it if no equal node exists. No simplification happens here.
    pub(crate) fn intern(&mut self, node: Node) -> NodeId {
        let key = Key::of(node);
        if let Some(&id) = self.index.get(&key) {
            return id;
        }
        let id = NodeId::from_index(self.nodes.len());
        self.nodes.push(node);
        self.index.insert(key, id);
        id
    }

    /// All nodes with their ids, in creation (topological) order.
    pub fn nodes(&self) -> impl Iterator<Item = (NodeId, Node)> + '_ {
        self.nodes.iter().enumerate().map(|(i, &n)| (NodeId::from_index(i), n))
    }

    /// Marks the nodes that `roots` depend on (the roots included), indexed by node id.
    ///
    /// The result is as long as the largest root id plus one.
    pub(crate) fn reachable(&self, roots: &[NodeId]) -> Vec<bool> {
        let len = roots.iter().map(|r| r.index() + 1).max().unwrap_or(0);
        let mut seen = vec![false; len];
        for r in roots {
            seen[r.index()] = true;
        }
        for i in (0..len).rev() {
            if !seen[i] {
                continue;
            }
            match self.nodes[i] {
                Node::Const(_) | Node::Var(_) => {}
                Node::Unary(_, a) => seen[a.index()] = true,
                Node::Binary(_, a, b) => {
                    seen[a.index()] = true;
                    seen[b.index()] = true;
                }
            }
        }
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_nodes_share_an_id() {
        let mut g = ExprGraph::new();
        let x1 = g.var(Var::X);
        let x2 = g.var(Var::X);
        assert_eq!(x1, x2);
        assert_eq!(g.constant(f64::NAN), g.constant(-f64::NAN));
        assert_ne!(g.constant(0.0), g.constant(-0.0));
        assert_eq!(g.len(), 4);
    }
}
