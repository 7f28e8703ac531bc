//! An out-of-tree neq plugin: two kinds written against the public APIs of `neq-core` and
//! `neq-kinds`, and a `neq` binary (`src/main.rs`) that knows them.
//!
//! | module | kind | category |
//! |---|---|---|
//! | [`morse`] | `morse(depth: 1, width: 1, centre: 0)` | potential |
//! | [`quantiles`] | `quantiles(samplers, levels: [0.1, 0.5, 0.9])` | metric |
//!
//! A kind is a type implementing one of the plugin traits plus a [`KindSpec`] describing its
//! name, documented parameters and (for metrics) output columns. [`register`] adds both
//! kinds to a registry, usually one holding the built-ins; the checker, `neq kinds` and the
//! "did you mean" hints then read them from there like any built-in:
//!
//! ```
//! use neq_core::Category;
//!
//! let mut registry = neq_kinds::builtin_registry();
//! neq_plugin_example::register(&mut registry).expect("no built-in has these names");
//! assert!(registry.get(Category::Potential, "morse").is_some());
//! assert!(registry.get(Category::Metric, "quantiles").is_some());
//! assert!(registry.get(Category::Sampler, "langevin").is_some());
//! ```

pub mod morse;
pub mod quantiles;

use neq_core::registry::DuplicateKind;
use neq_core::{KindSpec, Registry};

pub use morse::Morse;
pub use quantiles::Quantiles;

/// The kinds this crate adds, in documentation order.
pub const KINDS: [KindSpec; 2] = [morse::KIND, quantiles::KIND];

/// Adds this crate's kinds to `registry`, or none of them if one of their names is already
/// taken in its category.
pub fn register(registry: &mut Registry) -> Result<(), DuplicateKind> {
    if let Some(taken) = KINDS.iter().find(|k| registry.get(k.category(), k.name).is_some()) {
        return Err(DuplicateKind { category: taken.category(), name: taken.name });
    }
    for kind in KINDS {
        registry.register(kind)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use neq_core::Category;

    use super::*;

    /// The same documentation standard the built-ins keep: a paragraph per kind, a line per
    /// parameter, `sampler` and `t` first in every metric table.
    #[test]
    fn kinds_are_documented_like_the_builtins() {
        for kind in KINDS {
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
    }

    fn registry() -> Registry {
        let mut registry = neq_kinds::builtin_registry();
        register(&mut registry).unwrap();
        registry
    }

    #[test]
    fn registry_holds_the_builtins_and_the_new_kinds() {
        let registry = registry();
        let builtins = neq_kinds::builtin_kinds().len();
        assert_eq!(registry.iter().count(), builtins + KINDS.len());
        assert_eq!(registry.get(Category::Potential, "morse").unwrap().name, "morse");
        assert_eq!(registry.get(Category::Metric, "quantiles").unwrap().name, "quantiles");
    }

    #[test]
    fn registering_twice_reports_the_clash() {
        let mut registry = registry();
        let before = registry.iter().count();
        let clash = register(&mut registry).unwrap_err();
        assert_eq!((clash.category, clash.name), (Category::Potential, "morse"));
        assert_eq!(registry.iter().count(), before, "nothing registered on a clash");
    }
}
