//! The dataflow graph of a pipeline, for display and ordering.

use std::fmt::Write;

use neq_check::{DeclKind, Pipeline};
use petgraph::dot::{Config, Dot};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

/// One node of the plan: a declaration.
#[derive(Clone, Debug)]
pub struct PlanNode {
    /// The declared name.
    pub name: String,
    /// What it declares.
    pub kind: DeclKind,
    /// The kind called, for samplers and metrics.
    pub kind_name: Option<&'static str>,
}

impl std::fmt::Display for PlanNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind_name {
            Some(kind) => write!(f, "{} {} = {kind}", self.kind.noun(), self.name),
            None => write!(f, "{} {}", self.kind.noun(), self.name),
        }
    }
}

/// The weight of an edge `a → b`: `b` uses `a`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Uses;

impl std::fmt::Display for Uses {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("uses")
    }
}

/// A pipeline's dataflow graph: an edge `a → b` means `b` uses `a`.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The graph.
    pub graph: DiGraph<PlanNode, Uses>,
    /// The recorded times.
    pub times: Vec<f64>,
    /// The seed.
    pub seed: u64,
    /// Table names with their column names, in declaration order.
    pub tables: Vec<(String, Vec<&'static str>)>,
}

/// Builds the dataflow graph of a checked pipeline.
pub fn plan(pipeline: &Pipeline) -> Plan {
    let mut graph = DiGraph::new();
    let nodes: Vec<NodeIndex> = pipeline
        .decls
        .iter()
        .map(|d| {
            graph.add_node(PlanNode { name: d.name.clone(), kind: d.kind, kind_name: d.kind_name })
        })
        .collect();
    for &(used, user) in &pipeline.edges {
        graph.add_edge(nodes[used], nodes[user], Uses);
    }
    let tables = pipeline
        .metrics
        .iter()
        .map(|m| (m.name.clone(), m.columns.iter().map(|c| c.name).collect()))
        .collect();
    Plan { graph, times: pipeline.record.times(), seed: pipeline.seed, tables }
}

impl Plan {
    /// A readable listing: nodes in dependency order with what each uses, then the tables.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let frames = self.times.len();
        let (first, last) = (self.times[0], self.times[frames - 1]);
        let _ = writeln!(out, "frames: {frames} (t = {first} … {last}), seed {}", self.seed);
        let order = petgraph::algo::toposort(&self.graph, None).unwrap_or_default();
        let _ = writeln!(out, "nodes:");
        for node in order {
            let mut uses: Vec<&str> = self
                .graph
                .edges_directed(node, petgraph::Direction::Incoming)
                .map(|e| self.graph[e.source()].name.as_str())
                .collect();
            uses.sort_unstable();
            let _ = write!(out, "  {}", self.graph[node]);
            if !uses.is_empty() {
                let _ = write!(out, "  <- {}", uses.join(", "));
            }
            out.push('\n');
        }
        let _ = writeln!(out, "tables:");
        for (name, columns) in &self.tables {
            let _ = writeln!(out, "  {name}/part-0.parquet: {}", columns.join(", "));
        }
        out
    }

    /// The graph in Graphviz DOT.
    pub fn to_dot(&self) -> String {
        format!("{}", Dot::with_config(&self.graph, &[Config::EdgeNoLabel]))
    }
}
