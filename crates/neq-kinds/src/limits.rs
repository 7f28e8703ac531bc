//! Upper limits on sizes that users choose, so that a typo such as `particles: 1e10` is a
//! diagnostic at check time instead of an allocation failure at run time.

use neq_core::{Args, BuildError};

/// Largest ensemble: 10⁸ particles hold ≈ 4 GB per coordinate with their random streams.
pub const MAX_PARTICLES: usize = 100_000_000;

/// Largest number of grid cells per axis.
pub const MAX_CELLS: usize = 10_000_000;

/// Largest number of histogram bins.
pub const MAX_BINS: usize = 1_000_000;

/// The count parameter `name`, refused when above `max`.
pub fn count_at_most(args: &Args, name: &'static str, max: usize) -> Result<usize, BuildError> {
    let count = args.count(name);
    if count <= max {
        return Ok(count);
    }
    Err(BuildError::param(name, format!("`{name}` is {count}, more than the limit of {max}"))
        .with_hint(format!("use at most {max}; split larger studies over seeds or shards")))
}
