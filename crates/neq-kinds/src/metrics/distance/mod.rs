//! `distance` and `noise_floor`: how far each sampler's frame is from a reference, by
//! several measures, and how far a perfect sampler of the same size would be.
//!
//! | file | what it holds |
//! |---|---|
//! | [`measure`] | the [`Measure`]s, their [`Settings`] and the dispatch for one pair of frames |
//! | `cdf` | exact integrals of |F_a − F_b| and (F_a − F_b)² for step and piecewise-linear CDFs |
//! | `w1` | 1-D W₁ from CDFs, sliced W₁ and its fixed directions |
//! | `binned` | `kl`, `jsd`, `tv`, `hellinger` on the cells of a common grid |
//! | `kernel` | the unbiased MMD² and the energy distance from point sets |
//! | `reference` | exact samples of a density: a cell by inverse CDF, then uniform inside |
//!
//! Every table has the columns `sampler, t, reference, measure, value`, one row per sampler,
//! recorded time and measure, in that order. Random numbers (directions of sliced W₁, exact
//! samples of densities) come from the metric's own streams ([`Metric::start`]), keyed by
//! frame index, sampler index and purpose, and sums run in a fixed order, so tables are
//! bit-identical for any number of threads.

pub mod measure;

mod binned;
mod cdf;
mod kernel;
mod reference;
mod w1;

#[cfg(test)]
mod tests;

use neq_core::{
    Args, BuildError, Builder, Cell, ColumnSpec, ColumnType, Ensemble, Frame, KindSpec, Metric,
    MetricError, NamedFrame, ParamDefault, ParamSpec, ParamType, StreamKey, Table, node_id,
};

pub use measure::{Comparer, Measure, Settings, Side};
pub use w1::Directions;

use super::{SAMPLER_COLUMN, SAMPLERS, T_COLUMN};
use crate::limits::{MAX_BINS, count_at_most};
use measure::dim_of;
use reference::CellSampler;

/// Largest number of directions of sliced W₁ (each costs one sort of the particles).
pub const MAX_DIRECTIONS: usize = 10_000;

/// Largest number of points per side of `mmd` and `energy` (the cost grows as points²).
pub const MAX_POINTS: usize = 100_000;

/// The columns of `distance` and `noise_floor` tables.
pub const COLUMNS: [ColumnSpec; 5] = [
    SAMPLER_COLUMN,
    T_COLUMN,
    ColumnSpec { name: "reference", ty: ColumnType::Utf8, doc: "name of the reference sampler" },
    ColumnSpec {
        name: "measure",
        ty: ColumnType::Utf8,
        doc: "the measure: w1, kl, jsd, tv, hellinger, mmd or energy",
    },
    ColumnSpec {
        name: "value",
        ty: ColumnType::Float64,
        doc: "the measure's value: w1 and energy in length units, kl and jsd in nats, tv, \
              hellinger and mmd (the unbiased MMD², which may dip below 0) dimensionless; kl is \
              +∞ where the reference lacks mass, mmd and 2-D energy NaN for fewer than 2 points",
    },
];

const TO: ParamSpec = ParamSpec {
    name: "to",
    ty: ParamType::Sampler,
    default: ParamDefault::Required,
    unit: "",
    doc: "the reference every sampler is compared with: an ensemble or a density",
};

const MEASURES: ParamSpec = ParamSpec {
    name: "measures",
    ty: ParamType::Words(&Measure::WORDS),
    default: ParamDefault::Optional,
    unit: "",
    doc: "the measures to report, one row each; [w1, jsd, tv] when left out",
};

const BINS: ParamSpec = ParamSpec {
    name: "bins",
    ty: ParamType::Count,
    default: ParamDefault::Number(100.0),
    unit: "",
    doc: "cells per axis of the grid on which two ensembles are binned (kl, jsd, tv, hellinger)",
};

const DIRECTIONS: ParamSpec = ParamSpec {
    name: "directions",
    ty: ParamType::Count,
    default: ParamDefault::Number(64.0),
    unit: "",
    doc: "number of fixed directions of sliced w1 in 2-D and 3-D (at most 10000)",
};

const POINTS: ParamSpec = ParamSpec {
    name: "points",
    ty: ParamType::Count,
    default: ParamDefault::Number(2000.0),
    unit: "",
    doc: "most points per side for mmd and the 2-D and 3-D energy (2 to 100000; cost ∝ points²)",
};

/// `distance(samplers, to: reference, measures: [w1, jsd, tv], …)`.
pub const DISTANCE_KIND: KindSpec = KindSpec {
    name: "distance",
    doc: "distance(samplers, to: reference, measures: [w1, jsd, tv], bins: 100, directions: 64, \
          points: 2000): for each sampler, recorded time and measure, how far the sampler's \
          frame is from the reference's frame, either of which may be an ensemble or a \
          density. `w1` is the Wasserstein-1 distance, exact from the CDFs in 1-D (a density's \
          CDF is piecewise linear inside its cells) and sliced in 2-D and 3-D: the mean 1-D W1 \
          of the projections on `directions` unit vectors fixed for the run (angles evenly \
          spaced on [0, π) in 2-D, a Fibonacci lattice on the half sphere in 3-D, turned by \
          one random offset or rotation from the metric's stream), densities projected \
          cell by cell onto bins a quarter of the projected cell width Σ_d w_d |u_d| wide (an \
          error of at most ⅜ Σ_d w_d |u_d| for cell widths w_d, of the order of the cell \
          width). `kl` is KL(sampler ‖ reference), `jsd` the \
          Jensen–Shannon divergence (natural log, at most ln 2), `tv` the total variation \
          ½ Σ|p − q| and `hellinger` H = √(1 − Σ √(p q)), all on cell masses without \
          smoothing: on the density's grid when either side is a density (two densities must \
          share their grid), else on `bins` cells per axis covering both ensembles. Particles \
          outside a density's grid form one more bin, of reference mass 0; `kl` is +∞ wherever \
          the sampler has mass the reference lacks. `mmd` is the unbiased estimate of MMD² \
          with a Gaussian kernel of median-heuristic bandwidth (it may be slightly negative) \
          and `energy` the energy distance 2E|X − Y| − E|X − X'| − E|Y − Y'|, exact from the \
          CDFs over all particles in 1-D and from U-statistics in 2-D and 3-D; point sets hold \
          at most `points` points per side, the first particles of an ensemble or exact \
          samples of a density. Densities count as normalised, negative cells as zero.",
    params: &[SAMPLERS, TO, MEASURES, BINS, DIRECTIONS, POINTS],
    positional: 1,
    columns: &COLUMNS,
    builder: Builder::Metric(build_distance),
};

/// The words of `against`.
const AGAINST_WORDS: [&str; 2] = ["density", "samples"];

/// `noise_floor(samplers, to: reference, measures, against: density, …)`.
pub const NOISE_FLOOR_KIND: KindSpec = KindSpec {
    name: "noise_floor",
    doc: "noise_floor(samplers, to: reference, measures: [w1, jsd, tv], against: density, \
          bins: 100, directions: 64, points: 2000): what `distance` would report for a perfect \
          sampler of the same size. Each sampler's frame is replaced by n exact independent \
          samples of the reference density, n being that sampler's number of particles (a cell \
          is drawn by its mass, then a uniform position inside it). With `against: density` \
          the samples are compared with the reference density exactly as `distance` compares \
          the sampler, so a sampler whose distance sits at its floor is at the statistical \
          limit of n particles; with `against: samples` two independent sets of n samples are \
          compared with each other, as `distance` compares two ensembles. The reference must \
          yield a density and the samplers ensembles. Draws are keyed by metric, frame, \
          sampler and set, so tables repeat exactly for any number of threads.",
    params: &[
        SAMPLERS,
        ParamSpec { doc: "the reference density the exact samples are drawn from", ..TO },
        MEASURES,
        ParamSpec {
            name: "against",
            ty: ParamType::Word(&AGAINST_WORDS),
            default: ParamDefault::Word("density"),
            unit: "",
            doc: "compare the exact samples with the reference density, or with a second set",
        },
        BINS,
        DIRECTIONS,
        POINTS,
    ],
    positional: 1,
    columns: &COLUMNS,
    builder: Builder::Metric(build_noise_floor),
};

/// The arguments both kinds share.
fn common(args: &Args) -> Result<(Vec<Measure>, Settings), BuildError> {
    let measures = match args.get("measures") {
        None => Measure::DEFAULT.to_vec(),
        Some(_) => {
            let mut measures = Vec::new();
            for word in args.words("measures") {
                let measure = Measure::from_word(word).ok_or_else(|| {
                    BuildError::param("measures", format!("unknown measure `{word}`"))
                })?;
                if measures.contains(&measure) {
                    return Err(BuildError::param(
                        "measures",
                        format!("the measure `{word}` is listed twice"),
                    ));
                }
                measures.push(measure);
            }
            measures
        }
    };
    if measures.is_empty() {
        return Err(BuildError::param("measures", "no measure is listed")
            .with_hint(format!("list some of {}", Measure::WORDS.join(", "))));
    }
    let settings = Settings {
        bins: count_at_most(args, "bins", MAX_BINS)?,
        directions: count_at_most(args, "directions", MAX_DIRECTIONS)?,
        points: count_at_most(args, "points", MAX_POINTS)?,
    };
    let least = [("bins", settings.bins, 1), ("directions", settings.directions, 1)];
    for (name, value, least) in least.into_iter().chain([("points", settings.points, 2)]) {
        if value < least {
            let error =
                BuildError::param(name, format!("`{name}` must be at least {least}, not {value}"));
            return Err(if name == "points" {
                error.with_hint("the unbiased estimators need two points per side")
            } else {
                error
            });
        }
    }
    Ok((measures, settings))
}

fn build_distance(args: &Args) -> Result<Box<dyn Metric>, BuildError> {
    let (measures, settings) = common(args)?;
    let samplers = args.samplers("samplers").to_vec();
    Ok(Box::new(Distance::new(samplers, args.sampler("to").to_owned(), measures, settings)))
}

fn build_noise_floor(args: &Args) -> Result<Box<dyn Metric>, BuildError> {
    let (measures, settings) = common(args)?;
    let against = match args.word("against") {
        "density" => Against::Density,
        _ => Against::Samples,
    };
    let samplers = args.samplers("samplers").to_vec();
    let reference = args.sampler("to").to_owned();
    Ok(Box::new(NoiseFloor::new(samplers, reference, measures, against, settings)))
}

/// Checks before the run that every sampler has the reference's dimension, and that sliced
/// W₁ has directions for it. `dims` ends with the reference's dimension.
fn check_inputs(
    samplers: &[String],
    reference: &str,
    dims: &[usize],
    measures: &[Measure],
) -> Result<(), String> {
    let Some((&reference_dim, dims)) = dims.split_last() else { return Ok(()) };
    if let Some((name, dim)) = samplers.iter().zip(dims).find(|&(_, &dim)| dim != reference_dim) {
        return Err(format!(
            "sampler `{name}` is {dim}-D but the reference `{reference}` is {reference_dim}-D"
        ));
    }
    if measures.contains(&Measure::W1) && !(1..=3).contains(&reference_dim) {
        return Err(format!("w1 is defined for 1 to 3 coordinates, not {reference_dim}"));
    }
    Ok(())
}

/// The streams a metric uses until the engine hands it its own.
fn default_streams(kind: &str) -> StreamKey {
    StreamKey { seed: 0, node: node_id(kind) }
}

/// Appends one row per measure.
fn push_rows(
    table: &mut Table,
    t: f64,
    sampler: &str,
    reference: &str,
    measures: &[Measure],
    values: &[f64],
) {
    for (measure, &value) in measures.iter().zip(values) {
        table.push_row(&[
            Cell::Str(sampler),
            Cell::F64(t),
            Cell::Str(reference),
            Cell::Str(measure.word()),
            Cell::F64(value),
        ]);
    }
}

/// The `distance` metric.
#[derive(Debug)]
pub struct Distance {
    samplers: Vec<String>,
    reference: String,
    comparer: Comparer,
    frame: u64,
    values: Vec<f64>,
}

impl Distance {
    /// Compares each of `samplers` with `reference` by `measures`.
    pub fn new(
        samplers: Vec<String>,
        reference: String,
        measures: Vec<Measure>,
        settings: Settings,
    ) -> Self {
        let comparer = Comparer::new(measures, settings, default_streams("distance"));
        Distance { samplers, reference, comparer, frame: 0, values: Vec::new() }
    }
}

impl Metric for Distance {
    fn inputs(&self) -> Vec<String> {
        samplers_then_reference(&self.samplers, &self.reference)
    }

    fn check_dims(&self, dims: &[usize]) -> Result<(), String> {
        check_inputs(&self.samplers, &self.reference, dims, self.comparer.measures())
    }

    fn start(&mut self, streams: StreamKey) {
        self.comparer.set_streams(streams);
    }

    fn observe(
        &mut self,
        t: f64,
        frames: &[NamedFrame<'_>],
        table: &mut Table,
    ) -> Result<(), MetricError> {
        let (reference, samplers) = frames.split_last().expect("the reference is an input");
        let b = Side { frame: *reference, key: Side::REFERENCE };
        for (index, frame) in samplers.iter().enumerate() {
            self.values.clear();
            let a = Side { frame: *frame, key: index as u64 };
            self.comparer.compare(self.frame, a, b, &mut self.values)?;
            let measures = self.comparer.measures();
            push_rows(table, t, frame.name, reference.name, measures, &self.values);
        }
        self.frame += 1;
        Ok(())
    }
}

/// The inputs of a comparison: the samplers, then the reference (the last frame).
fn samplers_then_reference(samplers: &[String], reference: &str) -> Vec<String> {
    samplers.iter().cloned().chain([reference.to_owned()]).collect()
}

/// What `noise_floor` compares the exact samples with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Against {
    /// The reference density itself.
    Density,
    /// A second, independent set of exact samples of the same size.
    Samples,
}

/// The part of the stream key that draws the replacement sets.
const FLOOR_STREAM: u64 = 0x0066_6c6f_6f72;

/// The `noise_floor` metric.
#[derive(Debug)]
pub struct NoiseFloor {
    samplers: Vec<String>,
    reference: String,
    against: Against,
    comparer: Comparer,
    cells: CellSampler,
    sets: [Ensemble; 2],
    frame: u64,
    values: Vec<f64>,
}

impl NoiseFloor {
    /// The floor of `measures` for each of `samplers` against the density `reference`.
    pub fn new(
        samplers: Vec<String>,
        reference: String,
        measures: Vec<Measure>,
        against: Against,
        settings: Settings,
    ) -> Self {
        let comparer = Comparer::new(measures, settings, default_streams("noise_floor"));
        NoiseFloor {
            samplers,
            reference,
            against,
            comparer,
            cells: CellSampler::new(),
            sets: Default::default(),
            frame: 0,
            values: Vec::new(),
        }
    }

    /// The stream key parts of replacement set `set` of sampler `index` at frame `frame`.
    pub fn set_key(frame: u64, index: usize, set: u64) -> [u64; 4] {
        [FLOOR_STREAM, frame, index as u64, set]
    }
}

impl Metric for NoiseFloor {
    fn inputs(&self) -> Vec<String> {
        samplers_then_reference(&self.samplers, &self.reference)
    }

    fn check_dims(&self, dims: &[usize]) -> Result<(), String> {
        check_inputs(&self.samplers, &self.reference, dims, self.comparer.measures())
    }

    fn start(&mut self, streams: StreamKey) {
        self.comparer.set_streams(streams);
    }

    fn observe(
        &mut self,
        t: f64,
        frames: &[NamedFrame<'_>],
        table: &mut Table,
    ) -> Result<(), MetricError> {
        let (reference, samplers) = frames.split_last().expect("the reference is an input");
        let Frame::Density(density) = reference.frame else {
            return Err(MetricError::UnsupportedFrame {
                sampler: reference.name.to_owned(),
                reason: "noise_floor draws exact samples of its reference, which must be a \
                         density, not an ensemble"
                    .into(),
            });
        };
        measure::check_density(density).and_then(|()| self.cells.prepare(density)).map_err(
            |reason| MetricError::UnsupportedFrame { sampler: reference.name.to_owned(), reason },
        )?;
        let streams = self.comparer.streams();
        for (index, frame) in samplers.iter().enumerate() {
            let n = match frame.frame {
                Frame::Ensemble(ensemble) => ensemble.len(),
                Frame::Density(_) => {
                    return Err(MetricError::UnsupportedFrame {
                        sampler: frame.name.to_owned(),
                        reason: "noise_floor needs the number of particles of an ensemble; a \
                                 density has none"
                            .into(),
                    });
                }
            };
            if dim_of(frame) != density.dim() {
                return Err(MetricError::Other(format!(
                    "sampler `{}` is {}-D but the reference `{}` is {}-D",
                    frame.name,
                    dim_of(frame),
                    reference.name,
                    density.dim()
                )));
            }
            let sets = if self.against == Against::Samples { 2 } else { 1 };
            for set in 0..sets {
                let buffer = &mut self.sets[set];
                if buffer.len() != n || buffer.dim() != density.dim() {
                    *buffer = Ensemble::zeros(density.dim(), n);
                }
                let key = Self::set_key(self.frame, index, set as u64);
                self.cells.fill(buffer, streams, &key);
            }
            let a = NamedFrame {
                name: frame.name,
                frame: Frame::Ensemble(&self.sets[0]),
                observables: &[],
            };
            let b = match self.against {
                Against::Density => *reference,
                Against::Samples => NamedFrame {
                    name: reference.name,
                    frame: Frame::Ensemble(&self.sets[1]),
                    observables: &[],
                },
            };
            self.values.clear();
            self.comparer.compare(
                self.frame,
                Side { frame: a, key: index as u64 },
                Side { frame: b, key: Side::REFERENCE },
                &mut self.values,
            )?;
            let measures = self.comparer.measures();
            push_rows(table, t, frame.name, reference.name, measures, &self.values);
        }
        self.frame += 1;
        Ok(())
    }
}
