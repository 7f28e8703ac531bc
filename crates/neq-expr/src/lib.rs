//! Symbolic expressions in space and time: hash-consed graphs, exact derivatives, and fast
//! batch evaluation.
//!
//! A potential such as `4*(x^8 + 0.8*exp(-80*x^2)) + f*x`, where `f` is a schedule (a function
//! of time evaluated elsewhere), is built as nodes of an [`ExprGraph`]. The graph simplifies
//! as it builds and shares equal subexpressions, [`ExprGraph::derivative`] gives `∇V` and
//! `∂V/∂t` as nodes of the same graph, and [`Program::compile`] turns several outputs into one
//! piece of straight-line code that [`Program::eval_batch`] runs over many particles at once.
//!
//! ```
//! use neq_expr::{ExprGraph, Func1, Func2, Program, Scratch, Var};
//!
//! let mut g = ExprGraph::new();
//! let x = g.var(Var::X);
//! let f = g.var(Var::Param(0));
//! let x2 = g.unary(Func1::Powi(2), x);
//! let k = g.constant(-80.0);
//! let arg = g.binary(Func2::Mul, k, x2);
//! let well = g.unary(Func1::Exp, arg);
//! let tilt = g.binary(Func2::Mul, f, x);
//! let v = g.binary(Func2::Add, well, tilt);
//! let dv = g.derivative(v, Var::X).unwrap();
//! let program = Program::compile(&g, &[v, dv]);
//!
//! let xs = [0.0, 0.1, 0.2];
//! let (mut vs, mut dvs) = ([0.0; 3], [0.0; 3]);
//! let mut scratch = Scratch::default();
//! program.eval_batch(&[&xs], 0.0, &[0.5], &[0.0], &mut [&mut vs, &mut dvs], &mut scratch);
//! assert_eq!(vs[0], 1.0);
//! assert_eq!(dvs[0], 0.5);
//! ```
//!
//! Modules: `graph` (arena and hash-consing), `simplify` (rewrites at construction), `diff`
//! (derivatives), `query` (variables used), `display` (infix text), `func` (what each
//! operation computes), [`math`] (a vectorisable `exp`), [`program`] (compilation and
//! evaluation).

mod diff;
mod display;
mod func;
mod graph;
pub mod math;
pub mod program;
mod query;
mod simplify;
mod var;

pub use diff::DiffError;
pub use func::{Func1, Func2};
pub use graph::{ExprGraph, Node, NodeId};
pub use program::{Program, ProgramStats, Scratch};
pub use simplify::MAX_POWI;
pub use var::Var;

#[doc(hidden)]
pub use multiversion;

/// Compiles a function several times, for baseline x86-64 and for the AVX2 and AVX-512
/// instruction sets, and calls the widest clone the CPU supports (decided once, at the first
/// call); other architectures get the baseline only.
///
/// The default build targets baseline x86-64, whose vectors hold two `f64`; numerical loops of
/// plain arithmetic then run four or eight lanes wide without asking users for
/// `-C target-cpu` flags. The clones give the baseline's bits, because Rust never contracts
/// `a * b + c` into a fused multiply-add: only the width of the vectors changes. Helpers the
/// function calls must be `#[inline(always)]` to be compiled into each clone. The tests compare
/// the dispatched loops with the baseline bit for bit, on whichever clone the test machine
/// selects. The `multiversion` crate picks its AVX-512 clone only on CPUs that also have the
/// Ice Lake extensions (older AVX-512 CPUs slow down their clock on wide vectors); those get
/// the AVX2 clone.
#[macro_export]
macro_rules! wide_targets {
    ($(#[$attr:meta])* $vis:vis fn $($rest:tt)*) => {
        $(#[$attr])*
        #[$crate::multiversion::multiversion(targets(
            "x86_64+avx512f+avx512dq+avx512vl+avx512bw+avx2+fma",
            "x86_64+avx2+fma",
        ))]
        $vis fn $($rest)*
    };
}
