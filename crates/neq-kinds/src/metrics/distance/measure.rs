//! The measures a `distance` table can hold and the dispatch that computes them for one
//! pair of frames, sharing the work between measures of one family: one pass over both CDFs
//! gives `w1` and the 1-D `energy`, one binning gives `kl`, `jsd`, `tv` and `hellinger`, one
//! pair of point sets gives `mmd` and the 2-D and 3-D `energy`.
//!
//! Before any measure, a density is checked (finite cell values, positive mass) and every
//! measure treats it as the normalised piecewise-constant density of its cells, negative
//! round-off values counting as zero. An ensemble must hold at least one particle; the
//! CDF and point-set measures need its coordinates to be finite.

use neq_core::{Density, Ensemble, Frame, MetricError, NamedFrame, StreamKey};

use super::binned::Binned;
use super::kernel::{Cloud, energy_u, median_bandwidth, mmd2_unbiased};
use super::reference::CellSampler;
use super::w1::{CdfBuffers, Directions, exact_1d, sliced_w1};

/// One way of comparing two distributions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Wasserstein-1: exact in 1-D, sliced in 2-D and 3-D (length units).
    W1,
    /// Kullback–Leibler divergence KL(sampler ‖ reference) on cells (nats).
    Kl,
    /// Jensen–Shannon divergence on cells (nats, at most ln 2).
    Jsd,
    /// Total variation distance on cells.
    Tv,
    /// Hellinger distance on cells.
    Hellinger,
    /// Unbiased squared maximum mean discrepancy, Gaussian kernel.
    Mmd,
    /// Energy distance 2E|X − Y| − E|X − X'| − E|Y − Y'| (length units).
    Energy,
}

impl Measure {
    /// Every measure, in the order of [`Measure::WORDS`].
    pub const ALL: [Measure; 7] = [
        Measure::W1,
        Measure::Kl,
        Measure::Jsd,
        Measure::Tv,
        Measure::Hellinger,
        Measure::Mmd,
        Measure::Energy,
    ];

    /// The words that name the measures in a pipeline.
    pub const WORDS: [&'static str; 7] = ["w1", "kl", "jsd", "tv", "hellinger", "mmd", "energy"];

    /// The measures used when `measures` is left out.
    pub const DEFAULT: [Measure; 3] = [Measure::W1, Measure::Jsd, Measure::Tv];

    /// The measure a word names.
    pub fn from_word(word: &str) -> Option<Measure> {
        Measure::WORDS.iter().position(|w| *w == word).map(|i| Measure::ALL[i])
    }

    /// The word naming the measure, as written in the `measure` column.
    pub fn word(self) -> &'static str {
        Measure::WORDS[Measure::ALL.iter().position(|m| *m == self).expect("listed")]
    }

    /// Whether the measure compares cell masses on one grid.
    pub fn is_binned(self) -> bool {
        matches!(self, Measure::Kl | Measure::Jsd | Measure::Tv | Measure::Hellinger)
    }
}

/// The numerical settings shared by the measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Cells per axis of the grid two ensembles are binned on.
    pub bins: usize,
    /// Number of directions of sliced W₁ in 2-D and 3-D.
    pub directions: usize,
    /// Largest number of points per side for `mmd` and the 2-D and 3-D `energy`.
    pub points: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { bins: 100, directions: 64, points: 2000 }
    }
}

/// What draws exact samples of a density side: the stream key parts below are prefixed to
/// the block index (see [`super::reference`]).
const POINTS_STREAM: u64 = 0x706f_696e_7473;

/// One side of a comparison: a frame and the number that keys its random point sets.
#[derive(Clone, Copy, Debug)]
pub struct Side<'a> {
    /// The sampler's name and frame.
    pub frame: NamedFrame<'a>,
    /// Keys the exact samples drawn from a density frame (the sampler's index, or
    /// [`Side::REFERENCE`]).
    pub key: u64,
}

impl Side<'_> {
    /// The key of the reference side.
    pub const REFERENCE: u64 = u64::MAX;
}

/// Computes the measures for pairs of frames, keeping its buffers between frames.
#[derive(Debug)]
pub struct Comparer {
    measures: Vec<Measure>,
    settings: Settings,
    streams: StreamKey,
    directions: Option<Directions>,
    cdf: [CdfBuffers; 2],
    sliced: Vec<[CdfBuffers; 2]>,
    binned: Binned,
    cells: CellSampler,
    draws: [Ensemble; 2],
    clouds: [Vec<f64>; 2],
    distances: Vec<f64>,
}

impl Comparer {
    /// A comparer of `measures` with `settings`, drawing from `streams`.
    pub fn new(measures: Vec<Measure>, settings: Settings, streams: StreamKey) -> Self {
        Comparer {
            measures,
            settings,
            streams,
            directions: None,
            cdf: Default::default(),
            sliced: Vec::new(),
            binned: Binned::default(),
            cells: CellSampler::new(),
            draws: Default::default(),
            clouds: Default::default(),
            distances: Vec::new(),
        }
    }

    /// The measures, in the order [`Comparer::compare`] returns their values.
    pub fn measures(&self) -> &[Measure] {
        &self.measures
    }

    /// Replaces the random streams (and forgets directions drawn from the old ones).
    pub fn set_streams(&mut self, streams: StreamKey) {
        self.streams = streams;
        self.directions = None;
    }

    /// The streams the comparer draws from.
    pub fn streams(&self) -> StreamKey {
        self.streams
    }

    /// The value of every measure between `a` (the sampler) and `b` (the reference) at
    /// frame `frame`, in the order of [`Comparer::measures`], appended to `out`.
    ///
    /// # Errors
    /// When the frames differ in dimension, a density is unusable, an ensemble is empty or
    /// (for measures that need positions) holds a non-finite coordinate, or two densities on
    /// different grids meet a binned measure.
    pub fn compare(
        &mut self,
        frame: u64,
        a: Side<'_>,
        b: Side<'_>,
        out: &mut Vec<f64>,
    ) -> Result<(), MetricError> {
        let dim = dim_of(&a.frame);
        if dim != dim_of(&b.frame) {
            return Err(MetricError::Other(format!(
                "sampler `{}` is {dim}-D but the reference `{}` is {}-D",
                a.frame.name,
                b.frame.name,
                dim_of(&b.frame)
            )));
        }
        let positions = self.measures.iter().any(|m| !m.is_binned());
        for side in [&a, &b] {
            validate(&side.frame, positions)?;
        }
        let needs = |wanted: &dyn Fn(Measure) -> bool| self.measures.iter().any(|&m| wanted(m));
        let exact = if dim == 1 && needs(&|m| matches!(m, Measure::W1 | Measure::Energy)) {
            Some(exact_1d(a.frame.frame, b.frame.frame, &mut self.cdf))
        } else {
            None
        };
        let sliced = if dim > 1 && needs(&|m| m == Measure::W1) {
            if dim > 3 {
                return Err(MetricError::Other(format!(
                    "w1 is defined for 1 to 3 coordinates, not {dim}"
                )));
            }
            if self.directions.as_ref().is_none_or(|d| d.dim != dim) {
                self.directions =
                    Some(Directions::new(dim, self.settings.directions, self.streams));
            }
            let directions = self.directions.as_ref().expect("just set");
            Some(sliced_w1(a.frame.frame, b.frame.frame, directions, &mut self.sliced))
        } else {
            None
        };
        if needs(&Measure::is_binned) {
            self.binned.fill(&a.frame, &b.frame, self.settings.bins)?;
        }
        let clouds = needs(&|m| m == Measure::Mmd || (m == Measure::Energy && dim > 1));
        if clouds {
            for (k, side) in [a, b].iter().enumerate() {
                self.cloud(frame, side, k)?;
            }
        }
        let [xa, xb] = &self.clouds;
        let (ca, cb) = (Cloud { dim, rows: xa }, Cloud { dim, rows: xb });
        for &measure in &self.measures {
            out.push(match measure {
                Measure::W1 => exact.map_or_else(|| sliced.unwrap_or(f64::NAN), |e| e.abs),
                Measure::Energy => match exact {
                    Some(e) => 2.0 * e.square,
                    None => energy_u(ca, cb),
                },
                Measure::Mmd => {
                    let sigma2 = median_bandwidth(ca, cb, &mut self.distances);
                    mmd2_unbiased(ca, cb, sigma2)
                }
                binned => self.binned.measure(binned),
            });
        }
        Ok(())
    }

    /// Fills `clouds[k]` with at most `points` points of `side`, row-major: the first
    /// particles of an ensemble, or exact samples of a density.
    fn cloud(&mut self, frame: u64, side: &Side<'_>, k: usize) -> Result<(), MetricError> {
        let points = self.settings.points;
        let ensemble = match side.frame.frame {
            Frame::Ensemble(ensemble) => ensemble,
            Frame::Density(density) => {
                self.cells.prepare(density).map_err(|reason| unusable(side.frame.name, reason))?;
                let draw = &mut self.draws[k];
                if draw.dim() != density.dim() || draw.len() != points {
                    *draw = Ensemble::zeros(density.dim(), points);
                }
                self.cells.fill(draw, self.streams, &[POINTS_STREAM, frame, side.key]);
                &self.draws[k]
            }
        };
        let m = ensemble.len().min(points);
        let rows = &mut self.clouds[k];
        rows.clear();
        let coords = ensemble.coords();
        rows.extend((0..m).flat_map(|i| coords.iter().map(move |c| c[i])));
        Ok(())
    }
}

/// Number of coordinates of a frame.
pub(super) fn dim_of(frame: &NamedFrame<'_>) -> usize {
    match frame.frame {
        Frame::Ensemble(ensemble) => ensemble.dim(),
        Frame::Density(density) => density.dim(),
    }
}

fn unusable(name: &str, reason: String) -> MetricError {
    MetricError::UnsupportedFrame { sampler: name.to_owned(), reason }
}

/// Checks what every measure relies on (see the module docs).
fn validate(frame: &NamedFrame<'_>, positions: bool) -> Result<(), MetricError> {
    match frame.frame {
        Frame::Ensemble(ensemble) => {
            if ensemble.is_empty() {
                return Err(unusable(frame.name, "the ensemble has no particles".into()));
            }
            if positions {
                for d in 0..ensemble.dim() {
                    if let Some(i) = ensemble.coord(d).iter().position(|x| !x.is_finite()) {
                        return Err(unusable(
                            frame.name,
                            format!(
                                "particle {i} has the non-finite coordinate {}",
                                ensemble.coord(d)[i]
                            ),
                        ));
                    }
                }
            }
            Ok(())
        }
        Frame::Density(density) => check_density(density).map_err(|r| unusable(frame.name, r)),
    }
}

/// Finite cells of positive total mass, on a grid of at least one cell per axis.
pub(super) fn check_density(density: &Density) -> Result<(), String> {
    let cells: usize = density.axes.iter().map(|a| a.cells).product();
    if density.axes.is_empty() || cells == 0 || cells != density.values.len() {
        return Err(format!(
            "the density has {} values for a grid of {cells} cells",
            density.values.len()
        ));
    }
    if let Some((c, v)) = density.values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(format!("cell {c} of the density is {v}"));
    }
    if density.values.iter().all(|&v| v <= 0.0) {
        return Err("the density has no cell of positive mass".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_measures_correspond() {
        for (measure, word) in Measure::ALL.iter().zip(Measure::WORDS) {
            assert_eq!(measure.word(), word);
            assert_eq!(Measure::from_word(word), Some(*measure));
        }
        assert_eq!(Measure::from_word("w2"), None);
    }
}
