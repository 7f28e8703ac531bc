//! Potentials V(x, t): the trait built-in kinds implement, and the composite that the
//! checker assembles from sums and scalings of them.
//!
//! Every evaluation works on a batch of points in structure-of-arrays layout
//! (`coords[d][i]` is coordinate `d` of point `i`), so kernels loop over contiguous memory.

use std::cell::RefCell;
use std::fmt::Debug;
use std::sync::Arc;

use neq_expr::{ExprGraph, NodeId, Program, Scratch, Var};

use crate::schedule::ScheduleBank;

/// What an evaluation must compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Want {
    /// V itself.
    pub value: bool,
    /// ∇V.
    pub grad: bool,
    /// ∂V/∂t.
    pub time_derivative: bool,
}

impl Want {
    /// Only the gradient, as integrators need.
    pub const GRAD: Want = Want { value: false, grad: true, time_derivative: false };
    /// Only the value, as equilibrium densities need.
    pub const VALUE: Want = Want { value: true, grad: false, time_derivative: false };
    /// Everything.
    pub const ALL: Want = Want { value: true, grad: true, time_derivative: true };
}

/// Output buffers of a batch evaluation. Fields not asked for hold unspecified values.
#[derive(Clone, Debug, Default)]
pub struct Evaluation {
    /// V at each point.
    pub value: Vec<f64>,
    /// ∂V/∂x_d at each point, coordinate-major: `grad[d * n + i]`.
    pub grad: Vec<f64>,
    /// ∂V/∂t at each point.
    pub dvdt: Vec<f64>,
}

impl Evaluation {
    /// Sizes every buffer for `n` points in `dim` dimensions.
    pub fn resize(&mut self, n: usize, dim: usize) {
        self.value.resize(n, 0.0);
        self.grad.resize(n * dim, 0.0);
        self.dvdt.resize(n, 0.0);
    }

    /// ∂V/∂x_d for all points, given `n` points.
    pub fn grad_of(&self, d: usize, n: usize) -> &[f64] {
        &self.grad[d * n..(d + 1) * n]
    }
}

/// An energy landscape V(x, t) in `dim()` dimensions.
///
/// Implementations must be pure functions of their inputs: the engine calls them from many
/// threads and relies on identical results for identical inputs.
pub trait Potential: Send + Sync + Debug {
    /// Number of coordinates.
    fn dim(&self) -> usize;

    /// Whether V does not depend on time at all, so solvers may evaluate it once. The
    /// default, `false`, is always safe.
    fn is_static(&self) -> bool {
        false
    }

    /// Evaluates what `want` asks for at `n = coords[0].len()` points at time `t`.
    ///
    /// `out` has been sized with [`Evaluation::resize`] for `n` points and `dim()` dimensions.
    fn eval(&self, t: f64, coords: &[&[f64]], want: Want, out: &mut Evaluation);
}

/// V at a single point, for tests and scalar uses.
pub fn value_at(potential: &dyn Potential, t: f64, point: &[f64]) -> f64 {
    let coords: Vec<&[f64]> = point.chunks(1).collect();
    let mut out = Evaluation::default();
    out.resize(1, potential.dim());
    potential.eval(t, &coords, Want::VALUE, &mut out);
    out.value[0]
}

/// One plugin potential scaled by a function of time.
#[derive(Debug, Clone)]
pub struct Term {
    /// The scale factor c(t), a node of the composite's graph that depends only on time.
    pub coefficient: NodeId,
    /// The scaled potential.
    pub potential: Arc<dyn Potential>,
}

/// V(x, t) = F(x, t) + Σ_j c_j(t) U_j(x, t): a symbolic field plus scaled plugin potentials.
///
/// This is what every `potential` declaration compiles to. Derivatives of the symbolic part
/// are exact (derived symbolically); plugin parts supply their own.
#[derive(Debug)]
pub struct Composite {
    dim: usize,
    bank: Arc<ScheduleBank>,
    terms: Vec<Arc<dyn Potential>>,
    /// Outputs: c_j, dc_j/dt for every term.
    coefficients: Program,
    /// Outputs: F, ∂F/∂x_0 … ∂F/∂x_{dim-1}, ∂F/∂t.
    field_all: Program,
    /// Outputs: ∂F/∂x_0 … ∂F/∂x_{dim-1} only (the integrators' hot path).
    field_grad: Program,
    field_is_zero: bool,
    single_unit_term: bool,
    /// Neither the field, nor a coefficient, nor a term depends on time.
    is_static: bool,
}

thread_local! {
    static WORK: RefCell<(Scratch, Evaluation, Vec<f64>, Vec<f64>)> =
        RefCell::new((Scratch::default(), Evaluation::default(), Vec::new(), Vec::new()));
}

impl Composite {
    /// Builds the composite of `field` (a node of `graph`) and `terms`, in `dim` dimensions.
    ///
    /// The caller has checked dimensions: the field uses no coordinate ≥ `dim` and every
    /// term's potential has `dim` coordinates.
    pub fn new(
        graph: &mut ExprGraph,
        field: NodeId,
        terms: Vec<Term>,
        dim: usize,
        bank: Arc<ScheduleBank>,
    ) -> Result<Self, neq_expr::DiffError> {
        let mut coefficient_outputs = Vec::new();
        for term in &terms {
            coefficient_outputs.push(term.coefficient);
            coefficient_outputs.push(graph.derivative(term.coefficient, Var::Time)?);
        }
        let mut grads = Vec::with_capacity(dim);
        for d in 0..dim {
            grads.push(graph.derivative(field, Var::Coord(d as u8))?);
        }
        let dfdt = graph.derivative(field, Var::Time)?;
        let mut all = vec![field];
        all.extend(&grads);
        all.push(dfdt);
        let timeless = |node: NodeId| {
            graph
                .vars(node)
                .iter()
                .all(|v| !matches!(v, Var::Time | Var::Param(_) | Var::ParamRate(_)))
        };
        let is_static = timeless(field)
            && terms.iter().all(|term| timeless(term.coefficient) && term.potential.is_static());
        let single_unit_term =
            terms.len() == 1 && graph.constant_value(terms[0].coefficient) == Some(1.0);
        Ok(Composite {
            dim,
            coefficients: Program::compile(graph, &coefficient_outputs),
            field_all: Program::compile(graph, &all),
            field_grad: Program::compile(graph, &grads),
            field_is_zero: graph.constant_value(field) == Some(0.0),
            single_unit_term,
            is_static,
            terms: terms.into_iter().map(|t| t.potential).collect(),
            bank,
        })
    }

    /// Evaluates the symbolic part F into `out` (overwriting, not adding).
    fn eval_field(
        &self,
        t: f64,
        coords: &[&[f64]],
        want: Want,
        out: &mut Evaluation,
        inputs: FieldInputs<'_>,
    ) {
        let n = coords.first().map_or(0, |c| c.len());
        let FieldInputs { scratch, params, rates } = inputs;
        let Evaluation { value, grad, dvdt } = out;
        let mut outs: Vec<&mut [f64]> = Vec::with_capacity(self.dim + 2);
        if want.value || want.time_derivative {
            outs.push(&mut value[..n]);
            outs.extend(grad[..n * self.dim].chunks_mut(n));
            outs.push(&mut dvdt[..n]);
            self.field_all.eval_batch(coords, t, params, rates, &mut outs, scratch);
        } else if want.grad {
            outs.extend(grad[..n * self.dim].chunks_mut(n));
            self.field_grad.eval_batch(coords, t, params, rates, &mut outs, scratch);
        }
    }
}

/// What the symbolic part needs besides the points.
struct FieldInputs<'a> {
    scratch: &'a mut Scratch,
    params: &'a [f64],
    rates: &'a [f64],
}

impl Potential for Composite {
    fn dim(&self) -> usize {
        self.dim
    }

    fn is_static(&self) -> bool {
        self.is_static
    }

    fn eval(&self, t: f64, coords: &[&[f64]], want: Want, out: &mut Evaluation) {
        if self.field_is_zero && self.single_unit_term {
            return self.terms[0].eval(t, coords, want, out);
        }
        let n = coords.first().map_or(0, |c| c.len());
        if n == 0 {
            return;
        }
        WORK.with_borrow_mut(|(scratch, term_out, params, rates)| {
            self.bank.eval(t, params, rates);
            self.eval_field(t, coords, want, out, FieldInputs { scratch, params, rates });
            if self.terms.is_empty() {
                return;
            }
            let mut c = vec![0.0; 2 * self.terms.len()];
            self.coefficients.eval_point(&[], t, params, rates, &mut c);
            term_out.resize(n, self.dim);
            // A term's value is needed for ∂V/∂t when its coefficient moves.
            let term_want = Want { value: want.value || want.time_derivative, ..want };
            for (j, term) in self.terms.iter().enumerate() {
                let (cj, rate) = (c[2 * j], c[2 * j + 1]);
                term.eval(t, coords, term_want, term_out);
                if want.value {
                    axpy(cj, &term_out.value[..n], &mut out.value[..n]);
                }
                if want.grad {
                    axpy(cj, &term_out.grad[..n * self.dim], &mut out.grad[..n * self.dim]);
                }
                if want.time_derivative {
                    axpy(cj, &term_out.dvdt[..n], &mut out.dvdt[..n]);
                    axpy(rate, &term_out.value[..n], &mut out.dvdt[..n]);
                }
            }
        });
    }
}

/// y += a x.
fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += a * x;
    }
}

#[cfg(test)]
mod tests {
    use neq_expr::Func2;

    use super::*;

    /// A composite of `field(x, t)` alone.
    fn composite(field: impl Fn(&mut ExprGraph) -> NodeId) -> Composite {
        let mut graph = ExprGraph::new();
        let node = field(&mut graph);
        Composite::new(&mut graph, node, Vec::new(), 1, Arc::new(ScheduleBank::new())).unwrap()
    }

    #[test]
    fn a_composite_is_static_only_when_nothing_in_it_depends_on_time() {
        let square = composite(|g| {
            let x = g.var(Var::Coord(0));
            g.binary(Func2::Mul, x, x)
        });
        assert!(square.is_static());
        let moving = composite(|g| {
            let (x, t) = (g.var(Var::Coord(0)), g.var(Var::Time));
            g.binary(Func2::Sub, x, t)
        });
        assert!(!moving.is_static());
        let scheduled = composite(|g| {
            let (x, s) = (g.var(Var::Coord(0)), g.var(Var::Param(0)));
            g.binary(Func2::Mul, s, x)
        });
        assert!(!scheduled.is_static());
    }
}
