//! Quantities read off the solver's state: mass, mass in the outermost cells, and the
//! entropy production rate from the face currents.
//!
//! Every sum runs in a fixed order (compensated, Neumaier 1974), and partial sums of
//! parallel passes are taken over fixed rows and combined in row order, so the results do
//! not depend on the number of threads.
//!
//! The entropy production rate of the overdamped dynamics is σ = ∫ |J|² / (D p) dx (units
//! of k_B per unit time, Seifert 2012). With φ = ln p + V/kT the current is J = −D p ∇φ,
//! so σ = −∫ J · ∇φ dx, and the discrete rate sums over faces
//!
//! ```text
//! σ_h = Σ_faces (|cell| / h_k) · J_f · (φ_i − φ_j),   J_f = (D / h_k) (B(Δu) p_i − B(−Δu) p_j),
//! ```
//!
//! which equals Σ_faces |cell| · J_f² / (D p_f) with the face density p_f = β_f L(ρ_i, ρ_j)
//! (ρ = p e^{u}, β_f = B(Δu) e^{−u_i}, L the logarithmic mean). Each face term has the sign
//! of J_f², so σ_h ≥ 0, and for a static potential σ_h is exactly the rate at which the
//! discrete free energy Σ p (ln p + u) |cell| decays under the semi-discrete dynamics.
//!
//! References: A. Neumaier, "Rundungsfehleranalyse einiger Verfahren zur Summation
//! endlicher Summen", ZAMM 54 (1974) 39–51; U. Seifert, "Stochastic thermodynamics,
//! fluctuation theorems and molecular machines", Rep. Prog. Phys. 75 (2012) 126001.

use rayon::prelude::*;

use crate::field::Field;
use crate::grid::Grid;

/// Σ values, compensated, in index order.
pub(crate) fn sum(values: impl IntoIterator<Item = f64>) -> f64 {
    let (mut s, mut c) = (0.0f64, 0.0f64);
    for v in values {
        let t = s + v;
        c += if s.abs() >= v.abs() { (s - t) + v } else { (v - t) + s };
        s = t;
    }
    s + c
}

/// Σ values over the cells that touch the boundary of the box.
pub(crate) fn edge_sum(grid: &Grid, values: &[f64]) -> f64 {
    let n = grid.row_len();
    let dim = grid.dim();
    let rows = values.chunks(n).enumerate().map(|(r, row)| {
        let index = grid.multi_index(r * n);
        let outer_edge = (0..dim - 1).any(|k| index[k] == 0 || index[k] + 1 == grid.cells[k]);
        if outer_edge {
            // Some slower index is at its end: the whole row is on the boundary.
            sum(row.iter().copied())
        } else {
            row[0] + row[n - 1]
        }
    });
    sum(rows)
}

/// The discrete entropy production rate σ_h for density `p` under `field`.
pub(crate) fn entropy_production(grid: &Grid, field: &Field, p: &[f64], diffusion: f64) -> f64 {
    let n = grid.row_len();
    let phi: Vec<f64> = p.par_iter().zip(&field.u).map(|(p, u)| p.ln() + u).collect();
    let weights: Vec<f64> = grid.widths.iter().map(|w| grid.volume * diffusion / (w * w)).collect();
    let face = |j0: usize, j1: usize, weight: f64| {
        let (a, b) = field.pair(j0, j1);
        let (p0, p1) = (p[j0], p[j1]);
        let flux = a * p0 - b * p1;
        let term = if p0 > 0.0 && p1 > 0.0 {
            flux * (phi[j0] - phi[j1])
        } else if flux == 0.0 {
            0.0
        } else {
            // Only reachable through underflow; the arithmetic mean stands in for p_f.
            2.0 * flux * flux / (p0 + p1)
        };
        weight * term.max(0.0)
    };
    let dim = grid.dim();
    let row_sums: Vec<f64> = (0..grid.rows())
        .into_par_iter()
        .map(|r| {
            let start = r * n;
            let index = grid.multi_index(start);
            let mut terms = Vec::with_capacity(n * dim);
            for j in start..start + n - 1 {
                terms.push(face(j, j + 1, weights[dim - 1]));
            }
            for k in 0..dim - 1 {
                if index[k] + 1 < grid.cells[k] {
                    let s = grid.strides[k];
                    for j in start..start + n {
                        terms.push(face(j, j + s, weights[k]));
                    }
                }
            }
            sum(terms)
        })
        .collect();
    sum(row_sums)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compensated_sum_recovers_what_plain_summation_loses() {
        let values = [1.0, 1e100, 1.0, -1e100];
        assert_eq!(sum(values), 2.0);
    }

    #[test]
    fn edge_sum_counts_the_outer_shell() {
        let axis = |cells| neq_core::Axis { lo: 0.0, hi: 1.0, cells };
        let grid = Grid::new(vec![axis(4), axis(3), axis(5)]).unwrap();
        let ones = vec![1.0; grid.total];
        let shell = (0..grid.total).filter(|&i| grid.is_edge(i)).count();
        assert_eq!(edge_sum(&grid, &ones), shell as f64);
        let line = Grid::new(vec![axis(6)]).unwrap();
        assert_eq!(edge_sum(&line, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), 7.0);
    }
}
