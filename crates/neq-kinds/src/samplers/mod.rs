//! Built-in samplers: `langevin` (overdamped Langevin dynamics), `boltzmann` (independent
//! samples of the instantaneous equilibrium density) and `fokker_planck` (the exact density
//! on a grid).

pub mod boltzmann;
pub mod fokker_planck;
pub mod langevin;

use neq_core::{ArgValue, Args, Bound, BuildError, KindSpec, ParamDefault, ParamSpec, ParamType};

pub use boltzmann::Boltzmann;
pub use fokker_planck::FokkerPlanck;
pub use langevin::Langevin;

/// The sampler kinds of this module, in documentation order.
pub const KINDS: [KindSpec; 3] = [langevin::KIND, boltzmann::KIND, fokker_planck::KIND];

/// The potential a sampler follows.
const POTENTIAL: ParamSpec = ParamSpec {
    name: "potential",
    ty: ParamType::Potential,
    default: ParamDefault::Required,
    unit: "",
    doc: "the energy landscape V(x, t)",
};

/// The ensemble size.
const PARTICLES: ParamSpec = ParamSpec {
    name: "particles",
    ty: ParamType::Count,
    default: ParamDefault::Required,
    unit: "",
    doc: "number of independent particles",
};

/// The thermal energy.
const KT: ParamSpec = ParamSpec {
    name: "kT",
    ty: ParamType::Number(Bound::Positive),
    default: ParamDefault::Number(1.0),
    unit: "energy",
    doc: "thermal energy k_B T",
};

/// Coordinate names, in coordinate order.
const COORDINATES: [&str; 3] = ["x", "y", "z"];

/// A positive, finite number parameter.
fn positive(args: &Args, name: &'static str) -> Result<f64, BuildError> {
    let value = args.number(name);
    if value > 0.0 && value.is_finite() {
        Ok(value)
    } else {
        Err(BuildError::param(name, format!("`{name}` must be a positive number, not {value}")))
    }
}

/// An `Axes` parameter as one `(lo, hi)` per coordinate of a `dim`-dimensional space.
///
/// Accepts named ranges named by coordinate (`[x: -1..1, y: -2..2]`) in any order; every
/// coordinate below `dim` must appear exactly once, and no other.
fn axes_arg(args: &Args, name: &'static str, dim: usize) -> Result<Vec<(f64, f64)>, BuildError> {
    let ranges = match args.get(name) {
        Some(ArgValue::NamedRanges(ranges)) => ranges,
        other => panic!("parameter `{name}` should be named ranges, found {other:?}"),
    };
    let mut axes: Vec<Option<(f64, f64)>> = vec![None; dim];
    for range in ranges {
        let Some(d) = COORDINATES.iter().position(|c| *c == range.name).filter(|&d| d < dim) else {
            let expected = COORDINATES[..dim.min(3)].join(", ");
            return Err(BuildError::param(
                name,
                format!("`{}` is not a coordinate of this {dim}-D potential", range.name),
            )
            .with_hint(format!("name one range per coordinate: {expected}")));
        };
        if axes[d].replace((range.lo, range.hi)).is_some() {
            return Err(BuildError::param(
                name,
                format!("coordinate `{}` is given twice", range.name),
            ));
        }
        if !(range.lo < range.hi && range.lo.is_finite() && range.hi.is_finite()) {
            return Err(BuildError::param(
                name,
                format!(
                    "the range of `{}` ({}..{}) is empty or not finite",
                    range.name, range.lo, range.hi
                ),
            ));
        }
    }
    axes.iter()
        .enumerate()
        .map(|(d, axis)| {
            axis.ok_or_else(|| {
                BuildError::param(
                    name,
                    format!("no range for coordinate `{}`", COORDINATES.get(d).unwrap_or(&"?")),
                )
            })
        })
        .collect()
}
