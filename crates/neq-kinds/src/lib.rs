//! The built-in kinds of neq: every potential, schedule, sampler and metric a pipeline can
//! name without an extra crate.
//!
//! Each kind is a [`KindSpec`](neq_core::KindSpec) (name, documentation, parameters with
//! types, defaults and units, output columns for metrics, and a builder) living in a small
//! module of its own:
//!
//! | module | kinds |
//! |---|---|
//! | [`schedules`] | `ramp`, `sine`, `smoothstep`, `piecewise`, `steps` |
//! | [`potentials`] | `expr`, `prinz`, `double_well`, `harmonic` |
//! | [`samplers`] | `langevin`, `boltzmann`, `fokker_planck` |
//! | [`metrics`] | `moments`, `histogram`, `populations`, `distance`, `noise_floor`, `lag`, `entropy_production` |
//! | [`equilibrium`] | exact sampling of exp(−V/kT) on a box, shared by samplers |
//!
//! Start from [`builtin_registry`], or add the built-ins to a registry that also holds
//! out-of-tree kinds with [`register_builtins`].

pub mod equilibrium;
pub mod limits;
pub mod metrics;
pub mod potentials;
pub mod samplers;
pub mod schedules;

#[cfg(test)]
mod testing;

use neq_core::{KindSpec, Registry};

/// Every built-in kind, in documentation order: schedules, potentials, samplers, metrics.
pub fn builtin_kinds() -> Vec<KindSpec> {
    let mut kinds = Vec::new();
    kinds.extend(schedules::KINDS);
    kinds.extend(potentials::KINDS);
    kinds.extend(samplers::KINDS);
    kinds.extend(metrics::KINDS);
    kinds
}

/// Adds every built-in kind to `registry`.
///
/// # Panics
/// If `registry` already holds a kind of the same category and name, e.g. when called twice:
/// built-in names are fixed, so a clash is a bug of the caller.
pub fn register_builtins(registry: &mut Registry) {
    for kind in builtin_kinds() {
        if let Err(clash) = registry.register(kind) {
            panic!("registering the built-in kinds: {clash}");
        }
    }
}

/// A registry holding exactly the built-in kinds.
pub fn builtin_registry() -> Registry {
    let mut registry = Registry::new();
    register_builtins(&mut registry);
    registry
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use neq_core::{Builder, Category, ParamDefault};

    use super::*;

    #[test]
    fn every_kind_and_parameter_is_documented_once() {
        let registry = builtin_registry();
        let mut seen = HashSet::new();
        for kind in registry.iter() {
            assert!(seen.insert((kind.category(), kind.name)), "{kind:?} twice");
            assert!(kind.doc.len() > 40, "{kind:?} needs a doc paragraph");
            assert!(kind.positional <= kind.params.len(), "{kind:?}");
            let mut names = HashSet::new();
            for param in kind.params {
                assert!(names.insert(param.name), "{kind:?}: `{}` twice", param.name);
                assert!(!param.doc.is_empty(), "{kind:?}: `{}` undocumented", param.name);
            }
            let is_metric = kind.category() == Category::Metric;
            assert_eq!(is_metric, !kind.columns.is_empty(), "{kind:?}: columns");
            if is_metric {
                assert_eq!(kind.columns[0].name, "sampler", "{kind:?}");
                assert_eq!(kind.columns[1].name, "t", "{kind:?}");
                assert!(kind.columns.iter().all(|c| !c.doc.is_empty()), "{kind:?}");
            }
        }
        assert_eq!(registry.iter().count(), 19);
    }

    #[test]
    fn expr_is_inlined_by_the_checker() {
        let registry = builtin_registry();
        let expr = registry.get(Category::Potential, "expr").expect("expr is registered");
        assert!(matches!(expr.builder, Builder::InlineField));
        assert_eq!(expr.positional, 1);
        assert_eq!(expr.params[0].default, ParamDefault::Required);
    }

    #[test]
    #[should_panic(expected = "already registered")]
    fn registering_twice_is_a_bug() {
        let mut registry = builtin_registry();
        register_builtins(&mut registry);
    }
}
