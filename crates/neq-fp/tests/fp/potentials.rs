//! Potentials with known behaviour, written out by hand for the tests (and the benchmark).

use std::f64::consts::PI;

use neq_core::{Evaluation, Potential, Want};

/// V = k(t)/2 · |x − v t|² with k(t) = k0 + k1 sin(ω t): a harmonic trap dragged at
/// constant velocity `v` (one component per axis) whose stiffness may breathe.
#[derive(Debug, Clone)]
pub struct Trap {
    /// Mean stiffness.
    pub k0: f64,
    /// Amplitude of the stiffness oscillation.
    pub k1: f64,
    /// Angular frequency of the oscillation.
    pub omega: f64,
    /// Velocity of the centre, per axis.
    pub velocity: Vec<f64>,
}

impl Trap {
    /// A trap of stiffness `k` dragged at `velocity`.
    pub fn dragged(k: f64, velocity: Vec<f64>) -> Trap {
        Trap { k0: k, k1: 0.0, omega: 0.0, velocity }
    }

    /// Stiffness at time `t`.
    pub fn stiffness(&self, t: f64) -> f64 {
        self.k0 + self.k1 * (self.omega * t).sin()
    }
}

impl Potential for Trap {
    fn dim(&self) -> usize {
        self.velocity.len()
    }

    fn eval(&self, t: f64, coords: &[&[f64]], _want: Want, out: &mut Evaluation) {
        let half_k = 0.5 * self.stiffness(t);
        let n = coords[0].len();
        out.value[..n].fill(0.0);
        for (x, v) in coords.iter().zip(&self.velocity) {
            let centre = v * t;
            for (value, x) in out.value.iter_mut().zip(x.iter()) {
                *value += half_k * (x - centre) * (x - centre);
            }
        }
    }
}

/// The 1-D Prinz potential 4(x⁸ + 0.8 e^{−80x²} + 0.2 e^{−80(x−0.5)²} + 0.5 e^{−40(x+0.5)²}).
#[derive(Debug, Clone, Copy)]
pub struct Prinz;

impl Prinz {
    /// V at `x`.
    pub fn at(x: f64) -> f64 {
        4.0 * (x.powi(8)
            + 0.8 * (-80.0 * x * x).exp()
            + 0.2 * (-80.0 * (x - 0.5) * (x - 0.5)).exp()
            + 0.5 * (-40.0 * (x + 0.5) * (x + 0.5)).exp())
    }
}

impl Potential for Prinz {
    fn dim(&self) -> usize {
        1
    }

    fn eval(&self, _t: f64, coords: &[&[f64]], _want: Want, out: &mut Evaluation) {
        for (v, &x) in out.value.iter_mut().zip(coords[0]) {
            *v = Prinz::at(x);
        }
    }
}

/// Five wells on a ring, turning at angular speed `omega / 5`:
/// V = cos(5 atan2(y, x) − ω t) + 10 (r − 0.5)².
#[derive(Debug, Clone, Copy)]
pub struct FiveWells {
    /// Rate of the phase ω (π/2 in the seed experiment, 0 for a static ring).
    pub omega: f64,
}

impl FiveWells {
    /// The rotating ring of the seed experiment.
    #[allow(dead_code)]
    pub fn rotating() -> FiveWells {
        FiveWells { omega: PI / 2.0 }
    }

    /// V at (x, y) and time t.
    pub fn at(&self, x: f64, y: f64, t: f64) -> f64 {
        let r = x.hypot(y);
        (5.0 * y.atan2(x) - self.omega * t).cos() + 10.0 * (r - 0.5) * (r - 0.5)
    }
}

impl Potential for FiveWells {
    fn dim(&self) -> usize {
        2
    }

    fn eval(&self, t: f64, coords: &[&[f64]], _want: Want, out: &mut Evaluation) {
        for ((v, &x), &y) in out.value.iter_mut().zip(coords[0]).zip(coords[1]) {
            *v = self.at(x, y, t);
        }
    }
}

/// A potential given by its value in each cell of a 1-D or 2-D grid on [0, 1]ᵈ
/// (piecewise constant), for property tests with arbitrary landscapes.
#[derive(Debug, Clone)]
pub struct Table {
    /// Cells per axis.
    pub cells: Vec<usize>,
    /// Values, row-major with the last axis fastest.
    pub values: Vec<f64>,
}

impl Potential for Table {
    fn dim(&self) -> usize {
        self.cells.len()
    }

    fn eval(&self, _t: f64, coords: &[&[f64]], _want: Want, out: &mut Evaluation) {
        for (j, v) in out.value.iter_mut().enumerate().take(coords[0].len()) {
            let mut index = 0;
            for (x, &n) in coords.iter().zip(&self.cells) {
                let i = ((x[j] * n as f64) as usize).min(n - 1);
                index = index * n + i;
            }
            *v = self.values[index];
        }
    }
}
