//! Why the solver could not be built or could not go on.
//!
//! These are kernel errors: they name cells, times and parameters, never source spans or
//! files. The sampler that wraps the solver turns them into diagnostics at the pipeline's
//! line. Reaching a step limit is not an error: it is a [`Stop`](crate::Stop) reason.

/// A failure of the Fokker–Planck solver.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FpError {
    /// The potential and the grid disagree on the number of coordinates.
    #[error("the potential has {potential} coordinates but the grid has {grid} axes")]
    DimensionMismatch {
        /// Coordinates of the potential.
        potential: usize,
        /// Axes of the grid.
        grid: usize,
    },
    /// The grid has a number of axes the solver does not handle.
    #[error("grids of {dim} axes are not supported (1 to {max})")]
    UnsupportedDimension {
        /// Axes asked for.
        dim: usize,
        /// Most axes supported.
        max: usize,
    },
    /// One axis of the grid is unusable.
    #[error("axis {axis} of the grid: {reason}")]
    BadAxis {
        /// Index of the axis.
        axis: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A numerical parameter is out of its range.
    #[error("`{name}` must be {expected}, got {value}")]
    BadParameter {
        /// Name of the parameter.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The admissible range, in words.
        expected: &'static str,
    },
    /// A density handed to the solver cannot be a probability density on the grid.
    #[error("the density cannot be used: {reason}")]
    BadDensity {
        /// What is wrong with it.
        reason: String,
    },
    /// The target time lies before the solver's current time.
    #[error("cannot advance backwards from t = {now} to t = {target}")]
    Backwards {
        /// The solver's time.
        now: f64,
        /// The time asked for.
        target: f64,
    },
    /// The potential returned a value that is not finite at a cell centre.
    #[error(
        "the potential is not finite at t = {t} at the cell centred at {point:?} (V = {value})"
    )]
    NonFinitePotential {
        /// Time of the evaluation.
        t: f64,
        /// Centre of the cell.
        point: Vec<f64>,
        /// The value returned.
        value: f64,
    },
    /// The density stopped being finite (only possible through overflow).
    #[error("the density stopped being finite at t = {t}")]
    NonFiniteDensity {
        /// Time of the step that produced it.
        t: f64,
    },
}

impl FpError {
    /// A suggestion for the user, if there is a standard one.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            FpError::BadAxis { .. } => Some("give every axis `lo < hi` and at least 2 cells"),
            FpError::NonFinitePotential { .. } => {
                Some("choose a grid on which the potential is defined everywhere")
            }
            FpError::NonFiniteDensity { .. } => {
                Some("check that the potential is bounded on the grid; try a smaller `dt`")
            }
            FpError::Backwards { .. } => Some("record times must increase"),
            _ => None,
        }
    }
}
