//! Collecting declarations from all files, finding what each refers to, and ordering them so
//! every declaration comes after the ones it uses (reporting cycles).

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet, VecDeque};

use neq_diag::{Diagnostic, Span};
use neq_syntax::ast::{Ast, Category, Expr, ExprKind, ItemKind};
use petgraph::Direction;
use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};

/// Names with a fixed meaning inside expressions.
pub const RESERVED: [&str; 5] = ["x", "y", "z", "t", "pi"];

/// What a declaration declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeclKind {
    /// `name = expr`.
    Const,
    /// `schedule|potential|sampler|model|metric name = expr`.
    Object(Category),
}

impl DeclKind {
    /// How the declaration is named in messages ("constant", "sampler", …).
    pub fn noun(self) -> &'static str {
        match self {
            DeclKind::Const => "constant",
            DeclKind::Object(category) => category.keyword(),
        }
    }
}

/// One named declaration.
#[derive(Clone, Debug)]
pub struct Decl {
    /// The declared name.
    pub name: String,
    /// Where the name is written.
    pub name_span: Span,
    /// What it declares.
    pub kind: DeclKind,
    /// Its definition.
    pub value: Expr,
}

/// Every declaration of a pipeline, and its `record` statements.
#[derive(Debug, Default)]
pub struct Scope {
    /// Declarations in source order (root file first).
    pub decls: Vec<Decl>,
    index: HashMap<String, usize>,
    /// `record every … until …` statements: (every, until, statement span).
    pub records: Vec<(Expr, Expr, Span)>,
}

impl Scope {
    /// The index of the declaration with this name.
    pub fn lookup(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// All declared names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.decls.iter().map(|d| d.name.as_str())
    }
}

/// Collects declarations, reporting duplicates and reserved names.
pub fn collect(asts: &[Ast], diagnostics: &mut Vec<Diagnostic>) -> Scope {
    let mut scope = Scope::default();
    for item in asts.iter().flat_map(|ast| &ast.items) {
        let (name, kind, value) = match &item.kind {
            ItemKind::Const { name, value } => (name, DeclKind::Const, value),
            ItemKind::Decl { category, name, value } => (name, DeclKind::Object(*category), value),
            ItemKind::Record { every, until } => {
                scope.records.push((every.clone(), until.clone(), item.span));
                continue;
            }
            ItemKind::Include { .. } => continue,
        };
        if RESERVED.contains(&name.name.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    name.span,
                    format!("`{}` is reserved and cannot be declared", name.name),
                )
                .with_hint("x, y and z are coordinates, t is time and pi is π; pick another name"),
            );
            continue;
        }
        if let Some(&first) = scope.index.get(&name.name) {
            let earlier = &scope.decls[first];
            diagnostics.push(
                Diagnostic::error(name.span, format!("`{}` is declared twice", name.name))
                    .with_label_message("declared again here")
                    .with_secondary(
                        earlier.name_span,
                        format!("first declared here as a {}", earlier.kind.noun()),
                    )
                    .with_hint("rename one of them"),
            );
            continue;
        }
        scope.index.insert(name.name.clone(), scope.decls.len());
        scope.decls.push(Decl {
            name: name.name.clone(),
            name_span: name.span,
            kind,
            value: value.clone(),
        });
    }
    scope
}

/// Names an expression refers to, with their spans. Callees and argument names are not
/// references: they name kinds, functions and parameters.
pub fn references(expr: &Expr) -> Vec<(String, Span)> {
    let mut found = Vec::new();
    let mut stack = vec![expr];
    while let Some(expr) = stack.pop() {
        match &expr.kind {
            ExprKind::Name(name) => found.push((name.clone(), expr.span)),
            ExprKind::Number(_) | ExprKind::Str(_) => {}
            ExprKind::Neg(inner) => stack.push(inner),
            ExprKind::Binary { lhs, rhs, .. } => stack.extend([&**lhs, &**rhs]),
            ExprKind::Range { lo, hi } => stack.extend([&**lo, &**hi]),
            ExprKind::Call { args, .. } | ExprKind::List(args) => {
                stack.extend(args.iter().map(|a| &a.value));
            }
        }
    }
    found.reverse();
    found
}

/// The declarations in an order where each comes after everything it refers to, or `None`
/// for declarations that are part of a cycle (reported).
pub fn order(
    scope: &Scope,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<usize>, Vec<(usize, usize)>) {
    let mut graph = DiGraph::<usize, ()>::new();
    let nodes: Vec<_> = (0..scope.decls.len()).map(|i| graph.add_node(i)).collect();
    let mut edges = Vec::new();
    let mut seen = HashSet::new();
    for (i, decl) in scope.decls.iter().enumerate() {
        for (name, _) in references(&decl.value) {
            if let Some(j) = scope.lookup(&name)
                && seen.insert((j, i))
            {
                edges.push((j, i));
                graph.add_edge(nodes[j], nodes[i], ());
            }
        }
    }
    // Kosaraju's algorithm yields strongly connected components in reverse topological
    // order, and unlike Tarjan's in petgraph it does not recurse: a chain of 100 000
    // declarations must not overflow the stack.
    let mut order = Vec::new();
    for component in kosaraju_scc(&graph).into_iter().rev() {
        let is_cycle =
            component.len() > 1 || seen.contains(&(graph[component[0]], graph[component[0]]));
        if is_cycle {
            let members = component.iter().map(|&n| graph[n]).collect();
            report_cycle(scope, members, &graph, diagnostics);
        } else {
            order.push(graph[component[0]]);
        }
    }
    (order, edges)
}

/// Reports one cycle of `members` (a strongly connected component), naming the declarations
/// in the order they refer to each other: `a` → `b` → `a` means `a` uses `b` and `b` uses `a`.
fn report_cycle(
    scope: &Scope,
    mut members: Vec<usize>,
    graph: &DiGraph<usize, ()>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    members.sort_unstable();
    let start = members[0];
    let first = &scope.decls[start];
    let message = match cycle_path(start, &members, graph) {
        path if path.len() > 1 => {
            let names: Vec<String> = path
                .iter()
                .chain([&start])
                .map(|&i| format!("`{}`", scope.decls[i].name))
                .collect();
            format!("declarations refer to each other in a cycle: {}", names.join(" → "))
        }
        _ => format!("`{}` refers to itself", first.name),
    };
    let mut diagnostic = Diagnostic::error(first.name_span, message)
        .with_hint("a declaration may only use declarations that do not depend on it");
    for &i in &members[1..] {
        diagnostic = diagnostic.with_secondary(scope.decls[i].name_span, "part of the cycle");
    }
    diagnostics.push(diagnostic);
}

/// The shortest path from `start` back to itself, following uses (the graph's edges point
/// from a used declaration to its user, so they are walked backwards); `start` is given
/// once, at the front. Node `i` of the graph is declaration `i`.
fn cycle_path(start: usize, members: &[usize], graph: &DiGraph<usize, ()>) -> Vec<usize> {
    let members: HashSet<usize> = members.iter().copied().collect();
    let mut came_from: HashMap<usize, usize> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(user) = queue.pop_front() {
        for used in graph.neighbors_directed(NodeIndex::new(user), Direction::Incoming) {
            let used = used.index();
            if !members.contains(&used) {
                continue;
            }
            if used == start {
                let mut path = vec![user];
                while let Some(&previous) = came_from.get(path.last().expect("non-empty")) {
                    path.push(previous);
                }
                path.reverse();
                return path;
            }
            if let Entry::Vacant(entry) = came_from.entry(used) {
                entry.insert(user);
                queue.push_back(used);
            }
        }
    }
    vec![start]
}
