//! An exact reference solver of the Fokker–Planck (Smoluchowski) equation
//!
//! ```text
//! ∂p/∂t = ∇·( γ⁻¹ p ∇V(x, t) ) + (kT/γ) Δp
//! ```
//!
//! on a regular grid in 1, 2 or 3 dimensions with zero-flux walls, for any
//! [`Potential`](neq_core::Potential). It is the numerical kernel of the `fokker_planck`
//! sampler: it knows nothing of pipelines, spans or tables and reports typed [`FpError`]s.
//!
//! # Scheme
//! - **Space**: conservative finite volumes; the current through each face is the
//!   Scharfetter–Gummel (exponentially fitted) flux built from V at the two cell centres,
//!   J = (D/h)(B(Δu) p_i − B(−Δu) p_{i+1}) with u = V/kT, D = kT/γ and the Bernoulli
//!   function B(z) = z/(eᶻ − 1). The flux of the discrete Boltzmann density
//!   exp(−V_i/kT)/Z vanishes on every face, so for a static potential that density is the
//!   exact stationary state; the scheme is second order in the cell width.
//! - **Time**: backward Euler, first order, with V evaluated at the end of each step
//!   (t_{n+1}); unconditionally stable, and with the M-matrix structure of the implicit
//!   operator it keeps p ≥ 0 for any step and conserves mass to rounding.
//! - **Dimensions**: Lie splitting into implicit directional steps, each a batch of
//!   independent tridiagonal (Thomas) solves over grid lines, in parallel with rayon over
//!   fixed groups of lines; the axis order is reversed on every other step. Every directional
//!   operator annihilates the Boltzmann density, so the split scheme keeps it stationary.
//! - **Step rule**: [`Solver::advance_to`]`(t, max_dt)` takes n = ⌈Δ/max_dt − 10⁻⁹⌉ equal
//!   steps of length Δ/n landing exactly on t (see [`step_count`]).
//! - **Static potentials**: with [`Options::static_potential`] V is evaluated once and each
//!   directional operator is factorised once per step size; [`varies_in_time`] probes a
//!   potential for callers that cannot tell.
//!
//! Results are bit-identical for any number of threads: work is divided into groups fixed
//! by the grid, and every sum runs in a fixed order.
//!
//! # Entropy production
//! [`Solver::entropy_production_rate`] returns σ = ∫ |J|²/(D p) dx in units of k_B per
//! unit time, from the face currents: with φ = ln p + V/kT,
//! σ_h = Σ_faces (|cell|/h)·J_f·(φ_i − φ_j), which equals Σ |cell|·J_f²/(D p_f) for a face
//! density p_f between p_i and p_j (a weighted logarithmic mean). Every face term is ≥ 0,
//! and for a static potential σ_h is exactly the decay rate of the relative entropy
//! ([`Solver::relative_entropy`]) under the semi-discrete dynamics.
//!
//! # Example
//! ```
//! use std::sync::Arc;
//! use neq_core::{Axis, Evaluation, Potential, Want};
//! use neq_fp::{Options, Solver};
//!
//! /// V = x²/2, a static harmonic well.
//! #[derive(Debug)]
//! struct Well;
//! impl Potential for Well {
//!     fn dim(&self) -> usize { 1 }
//!     fn eval(&self, _t: f64, coords: &[&[f64]], _want: Want, out: &mut Evaluation) {
//!         for (v, x) in out.value.iter_mut().zip(coords[0]) {
//!             *v = 0.5 * x * x;
//!         }
//!     }
//! }
//!
//! let axes = vec![Axis { lo: -6.0, hi: 6.0, cells: 200 }];
//! let options = Options { static_potential: true, ..Options::default() };
//! let mut solver = Solver::new(Arc::new(Well), axes, 1.0, 1.0, options)?;
//! let stats = solver.advance_to(50.0, 0.5)?;
//! assert_eq!(stats.steps, 100);
//! assert!((solver.mass() - 1.0).abs() < 1e-12);
//! let (mean, variance) = solver.density().mean_and_variance(0);
//! assert!(mean.abs() < 1e-9 && (variance - 1.0).abs() < 1e-3);
//! # Ok::<(), neq_fp::FpError>(())
//! ```
//!
//! # References
//! - D. L. Scharfetter, H. K. Gummel, IEEE Trans. Electron Devices 16 (1969) 64–77.
//! - J. S. Chang, G. Cooper, J. Comput. Phys. 6 (1970) 1–16.
//! - L. H. Thomas, Watson Sci. Comput. Lab. report, Columbia University (1949).
//! - C. Bolley, M. Crouzeix, RAIRO Anal. Numér. 12 (1978) 237–245 (no positive linear
//!   one-step method beyond first order).
//! - U. Seifert, Rep. Prog. Phys. 75 (2012) 126001 (entropy production).

mod bernoulli;
mod error;
mod field;
mod grid;
mod observables;
mod solver;
mod sweep;
mod tridiagonal;

pub use bernoulli::bernoulli;
pub use error::FpError;
pub use grid::MAX_DIM;
pub use solver::{Counters, Options, Solver, Stats, Stop, step_count, varies_in_time};
