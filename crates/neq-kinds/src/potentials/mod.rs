//! Built-in potentials: `expr` (inlined by the checker), `prinz`, `double_well` and
//! `harmonic`.
//!
//! Plugin potentials evaluate batches in structure-of-arrays layout and fill only what
//! [`Want`](neq_core::Want) asks for. Parameters that may follow a schedule are
//! [`TimeFn`]s, evaluated once per batch; their rates give ∂V/∂t exactly.

pub mod double_well;
pub mod harmonic;
pub mod prinz;

use neq_core::{ArgValue, Args, Builder, KindSpec, ParamDefault, ParamSpec, ParamType, TimeFn};

pub use double_well::DoubleWell;
pub use harmonic::Harmonic;
pub use prinz::Prinz;

/// The potential kinds of this module, in documentation order.
pub const KINDS: [KindSpec; 4] = [EXPR, prinz::KIND, double_well::KIND, harmonic::KIND];

/// `expr(EXPR)`: a symbolic potential, inlined into the composite by the checker.
pub const EXPR: KindSpec = KindSpec {
    name: "expr",
    doc: "expr(EXPR): a potential given by a symbolic expression in x, y, z and t; gradients \
          and ∂V/∂t are derived exactly.",
    params: &[ParamSpec {
        name: "field",
        ty: ParamType::Field,
        default: ParamDefault::Required,
        unit: "energy",
        doc: "the expression V(x, y, z, t); its dimension is the highest coordinate it uses",
    }],
    positional: 1,
    columns: &[],
    builder: Builder::InlineField,
};

/// A function-of-time parameter; a plain number (as a default may arrive) becomes a constant.
fn time_fn_arg(args: &Args, name: &str) -> TimeFn {
    match args.get(name) {
        Some(ArgValue::Number(x)) => TimeFn::constant(*x),
        _ => args.time_fn(name),
    }
}
