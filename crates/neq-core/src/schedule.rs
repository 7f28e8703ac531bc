//! Schedules (protocols): scalar functions of time that drive potentials.
//!
//! Built-in schedule kinds (`ramp`, `sine`, …) implement [`Schedule`]. Every schedule instance
//! of a pipeline lives in one [`ScheduleBank`]; symbolic expressions refer to instance `k`
//! through `Var::Param(k)` (its value) and `Var::ParamRate(k)` (its time derivative), which
//! the bank fills in once per time point.

use std::fmt::Debug;
use std::sync::Arc;

use neq_expr::{ExprGraph, NodeId, Program};

/// A protocol λ(t) with its rate dλ/dt.
pub trait Schedule: Send + Sync + Debug {
    /// λ(t).
    fn value(&self, t: f64) -> f64;
    /// dλ/dt at t (one-sided where λ has a kink; document which side).
    fn rate(&self, t: f64) -> f64;
}

/// All schedule instances of a pipeline, indexed as in `Var::Param(k)`.
#[derive(Debug, Default, Clone)]
pub struct ScheduleBank {
    schedules: Vec<Arc<dyn Schedule>>,
}

impl ScheduleBank {
    /// An empty bank.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a schedule and returns its parameter index.
    pub fn push(&mut self, schedule: Arc<dyn Schedule>) -> u16 {
        let index = u16::try_from(self.schedules.len()).expect("fewer than 65536 schedules");
        self.schedules.push(schedule);
        index
    }

    /// Number of schedules.
    pub fn len(&self) -> usize {
        self.schedules.len()
    }

    /// Whether the bank is empty.
    pub fn is_empty(&self) -> bool {
        self.schedules.is_empty()
    }

    /// Values and rates of every schedule at `t`, as the `params` and `rates` inputs of a
    /// [`Program`].
    pub fn eval(&self, t: f64, params: &mut Vec<f64>, rates: &mut Vec<f64>) {
        params.clear();
        rates.clear();
        params.extend(self.schedules.iter().map(|s| s.value(t)));
        rates.extend(self.schedules.iter().map(|s| s.rate(t)));
    }
}

/// A scalar function of time given by a symbolic expression over `t` and schedules:
/// a number (`2`), a schedule (`f`) or arithmetic on them (`1 + 0.5 * f`).
#[derive(Debug, Clone)]
pub struct TimeFn {
    program: Arc<Program>,
    bank: Arc<ScheduleBank>,
    constant: Option<f64>,
}

impl TimeFn {
    /// Compiles `node` (which must not depend on coordinates) and its time derivative.
    ///
    /// Fails when the derivative needs a second derivative of a schedule.
    pub fn new(
        graph: &mut ExprGraph,
        node: NodeId,
        bank: Arc<ScheduleBank>,
    ) -> Result<Self, neq_expr::DiffError> {
        let rate = graph.derivative(node, neq_expr::Var::Time)?;
        let program = Arc::new(Program::compile(graph, &[node, rate]));
        Ok(TimeFn { program, bank, constant: graph.constant_value(node) })
    }

    /// A constant function.
    pub fn constant(value: f64) -> Self {
        let mut graph = ExprGraph::new();
        let node = graph.constant(value);
        let zero = graph.constant(0.0);
        let program = Arc::new(Program::compile(&graph, &[node, zero]));
        TimeFn { program, bank: Arc::new(ScheduleBank::new()), constant: Some(value) }
    }

    /// The value if it does not depend on time.
    pub fn as_constant(&self) -> Option<f64> {
        self.constant
    }

    /// Value and rate at `t`.
    pub fn eval(&self, t: f64) -> (f64, f64) {
        if let Some(c) = self.constant {
            return (c, 0.0);
        }
        let (mut params, mut rates) = (Vec::new(), Vec::new());
        self.bank.eval(t, &mut params, &mut rates);
        let mut out = [0.0; 2];
        self.program.eval_point(&[], t, &params, &rates, &mut out);
        (out[0], out[1])
    }

    /// Value at `t`.
    pub fn value(&self, t: f64) -> f64 {
        self.eval(t).0
    }
}
