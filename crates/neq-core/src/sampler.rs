//! Samplers: anything that yields an ensemble of points or a density at each recorded time.

use crate::rng::StreamKey;

/// An ensemble of `n` points in `dim` dimensions, stored coordinate-major
/// (`coords[d * n + i]`), so each coordinate is one contiguous slice.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ensemble {
    dim: usize,
    n: usize,
    coords: Vec<f64>,
}

impl Ensemble {
    /// `n` points at the origin.
    pub fn zeros(dim: usize, n: usize) -> Self {
        Ensemble { dim, n, coords: vec![0.0; dim * n] }
    }

    /// Number of coordinates.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Coordinate `d` of every point.
    pub fn coord(&self, d: usize) -> &[f64] {
        &self.coords[d * self.n..(d + 1) * self.n]
    }

    /// Coordinate `d` of every point, mutably.
    pub fn coord_mut(&mut self, d: usize) -> &mut [f64] {
        &mut self.coords[d * self.n..(d + 1) * self.n]
    }

    /// Every coordinate as a slice.
    pub fn coords(&self) -> Vec<&[f64]> {
        (0..self.dim).map(|d| self.coord(d)).collect()
    }

    /// Splits the ensemble into blocks of `chunk` consecutive points (the last may be
    /// shorter); each block holds one mutable slice per coordinate. Blocks can be processed
    /// in parallel.
    pub fn blocks_mut(&mut self, chunk: usize) -> Vec<Vec<&mut [f64]>> {
        let n = self.n;
        let blocks = n.div_ceil(chunk.max(1));
        let mut out: Vec<Vec<&mut [f64]>> =
            (0..blocks).map(|_| Vec::with_capacity(self.dim)).collect();
        if n == 0 {
            return out;
        }
        for coordinate in self.coords.chunks_mut(n) {
            for (block, piece) in out.iter_mut().zip(coordinate.chunks_mut(chunk)) {
                block.push(piece);
            }
        }
        out
    }
}

/// One axis of a regular grid: `cells` cells of equal width on `[lo, hi]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axis {
    /// Lower edge.
    pub lo: f64,
    /// Upper edge.
    pub hi: f64,
    /// Number of cells.
    pub cells: usize,
}

impl Axis {
    /// Cell width.
    pub fn width(&self) -> f64 {
        (self.hi - self.lo) / self.cells as f64
    }

    /// Centre of cell `i`.
    pub fn centre(&self, i: usize) -> f64 {
        self.lo + (i as f64 + 0.5) * self.width()
    }
}

/// A probability density on a regular grid: cell averages, row-major with the last axis
/// fastest, normalised so that Σ value · cell volume = 1.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Density {
    /// The grid's axes, one per coordinate.
    pub axes: Vec<Axis>,
    /// Cell-averaged density values.
    pub values: Vec<f64>,
}

/// What a sampler shows at a recorded time.
#[derive(Clone, Copy, Debug)]
pub enum Frame<'a> {
    /// A set of points.
    Ensemble(&'a Ensemble),
    /// A density on a grid.
    Density(&'a Density),
}

/// A sampler's frame with the sampler's name, as metrics receive it.
#[derive(Clone, Copy, Debug)]
pub struct NamedFrame<'a> {
    /// The sampler's name in the pipeline.
    pub name: &'a str,
    /// Its current frame.
    pub frame: Frame<'a>,
    /// Named scalars the sampler computed for this frame (see [`Sampler::observables`]).
    pub observables: &'a [(&'static str, f64)],
}

/// What the engine tells a sampler about the run.
#[derive(Clone, Copy, Debug)]
pub struct RunContext {
    /// Random streams of this sampler: keyed by the pipeline's seed and the node.
    pub streams: StreamKey,
    /// Index of the frame being produced (0 is the initial frame).
    pub frame: u64,
}

/// Why a sampler could not go on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SamplerError {
    /// A particle's position or force stopped being finite.
    #[error("particle {particle} diverged at t = {t} (position {position:?})")]
    Diverged {
        /// Index of the particle.
        particle: usize,
        /// Time of the step that produced the non-finite value.
        t: f64,
        /// The position reached.
        position: Vec<f64>,
    },
    /// The equilibrium density could not be normalised (e.g. V → −∞ on the domain).
    #[error("the equilibrium density at t = {t} cannot be normalised: {reason}")]
    NotNormalisable {
        /// Time of the density.
        t: f64,
        /// What went wrong.
        reason: String,
    },
    /// Any other failure, with a message for the user.
    #[error("{0}")]
    Other(String),
}

impl SamplerError {
    /// A suggestion for the user, if there is a standard one.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            SamplerError::Diverged { .. } => {
                Some("try a smaller `dt`, or check that the potential confines the particles")
            }
            SamplerError::NotNormalisable { .. } => {
                Some("choose a `domain` on which exp(-V/kT) is finite and not all zero")
            }
            SamplerError::Other(_) => None,
        }
    }
}

/// A source of frames: advanced by the engine from one recorded time to the next.
pub trait Sampler: Send + Sync {
    /// Number of coordinates of the points or grid.
    fn dim(&self) -> usize;

    /// Prepares the state at the first recorded time `t0` (frame 0).
    fn start(&mut self, t0: f64, ctx: RunContext) -> Result<(), SamplerError>;

    /// Advances the state from the current time to `t`.
    fn advance(&mut self, t: f64, ctx: RunContext) -> Result<(), SamplerError>;

    /// The current frame.
    fn frame(&self) -> Frame<'_>;

    /// Named scalars of the current frame that metrics may read, such as an entropy
    /// production rate; empty by default.
    fn observables(&self) -> &[(&'static str, f64)] {
        &[]
    }

    /// Called once before [`Sampler::start`] with the names of the observables that the
    /// run's metrics read from this sampler (possibly none); a sampler may skip computing the
    /// others. Ignored by default.
    fn want_observables(&mut self, names: &[&'static str]) {
        let _ = names;
    }

    /// Warnings raised since the last call (e.g. probability reaching a grid's walls), for
    /// the engine to report at the sampler's declaration.
    fn take_warnings(&mut self) -> Vec<String> {
        Vec::new()
    }

    /// Work counters for logs, e.g. `[("steps", 1000), ("force_evaluations", 1000)]`.
    fn counters(&self) -> Vec<(&'static str, u64)> {
        Vec::new()
    }
}
