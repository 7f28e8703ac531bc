//! The free variables an expression may mention.

use std::fmt;

/// A free variable of an expression: a coordinate, time, or a schedule input.
///
/// Schedules (protocols) are functions of time that are evaluated outside this crate; an
/// expression sees only their current value [`Var::Param`] and rate [`Var::ParamRate`], which
/// the caller supplies at evaluation time. Both are uniform over a batch of particles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Var {
    /// Spatial coordinate by index: `x` is 0, `y` is 1, `z` is 2.
    Coord(u8),
    /// Time `t`.
    Time,
    /// Value `s_k(t)` of schedule `k`.
    Param(u16),
    /// Rate `ds_k/dt` of schedule `k`.
    ParamRate(u16),
}

impl Var {
    /// The coordinate `x`.
    pub const X: Var = Var::Coord(0);
    /// The coordinate `y`.
    pub const Y: Var = Var::Coord(1);
    /// The coordinate `z`.
    pub const Z: Var = Var::Coord(2);

    /// Whether the variable takes the same value for every point of a batch.
    pub fn is_uniform(self) -> bool {
        !matches!(self, Var::Coord(_))
    }
}

impl fmt::Display for Var {
    /// Writes `x`, `y`, `z`, `c3`, … for coordinates, `t` for time, `s0` for the value of
    /// schedule 0 and `ds0` for its rate.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Var::Coord(0) => f.write_str("x"),
            Var::Coord(1) => f.write_str("y"),
            Var::Coord(2) => f.write_str("z"),
            Var::Coord(d) => write!(f, "c{d}"),
            Var::Time => f.write_str("t"),
            Var::Param(k) => write!(f, "s{k}"),
            Var::ParamRate(k) => write!(f, "ds{k}"),
        }
    }
}
