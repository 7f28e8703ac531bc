//! Thomas solves of the implicit conservative systems (I + λ A) x = r, for `L` independent
//! lines at once.
//!
//! Each line has n cells and n − 1 interior faces. Face i joins cells i and i + 1 with
//! nonnegative coefficients a_i (carrying mass from i to i + 1) and b_i (from i + 1 to i);
//! the outer faces carry nothing. Row i of the system is
//!
//! ```text
//! −λ a_{i−1} x_{i−1} + (1 + λ a_i + λ b_{i−1}) x_i − λ b_i x_{i+1} = r_i.
//! ```
//!
//! Every column sums to one (mass is conserved) and the matrix is a column-diagonally
//! dominant M-matrix. Gaussian elimination needs no pivoting; its pivots are written as
//! den_i = m_i + λ a_i with
//!
//! ```text
//! m_0 = 1,   m_i = 1 + λ b_{i−1} m_{i−1} / den_{i−1}   (so m_i ≥ 1, den_i ≥ 1),
//! ```
//!
//! a recurrence of sums and products of nonnegative numbers only. Forward substitution
//! y_i = (r_i + λ a_{i−1} y_{i−1}) / den_i and back substitution x_i = y_i + e_i x_{i+1} with
//! e_i = λ b_i / den_i ≥ 0 then map r ≥ 0 to x ≥ 0 exactly, in floating point as well: no
//! subtraction occurs anywhere. The dependency chain per cell is one division and two
//! additions; solving `L` = 8 lines interleaved hides that latency and lets the compiler use
//! vector instructions.
//!
//! Buffers are interleaved: element i of lane l is at index i · L + l. The face
//! coefficients of the last cell (i = n − 1) must be zero.
//!
//! Reference: L. H. Thomas, "Elliptic problems in linear difference equations over a
//! network", Watson Sci. Comput. Lab. report, Columbia University (1949); for stability
//! without pivoting under diagonal dominance, N. J. Higham, *Accuracy and Stability of
//! Numerical Algorithms*, 2nd ed., SIAM (2002), §9.5.

use crate::grid::LANES;

/// Factorises the lines and forward-substitutes: on entry `y` holds the right-hand sides,
/// on return the forward-substituted values; `inv` receives 1/den and `e` the back
/// substitution factors, for [`forward`] and [`back`].
#[inline(always)]
pub(crate) fn factor_forward<const L: usize>(
    lam: f64,
    a: &[f64],
    b: &[f64],
    inv: &mut [f64],
    e: &mut [f64],
    y: &mut [f64],
) {
    let (a, _) = a.as_chunks::<L>();
    let (b, _) = b.as_chunks::<L>();
    let (inv, _) = inv.as_chunks_mut::<L>();
    let (e, _) = e.as_chunks_mut::<L>();
    let (y, _) = y.as_chunks_mut::<L>();
    let mut m_prev = [0.0; L];
    let mut den_prev = [1.0; L];
    let mut la_prev = [0.0; L];
    let mut lb_prev = [0.0; L];
    let mut y_prev = [0.0; L];
    for ((((a, b), inv), e), y) in a.iter().zip(b).zip(inv).zip(e).zip(y) {
        for l in 0..L {
            let (la, lb) = (lam * a[l], lam * b[l]);
            let m = 1.0 + (lb_prev[l] * m_prev[l]) / den_prev[l];
            let den = m + la;
            let r = 1.0 / den;
            let yi = (y[l] + la_prev[l] * y_prev[l]) * r;
            inv[l] = r;
            e[l] = lb * r;
            y[l] = yi;
            m_prev[l] = m;
            den_prev[l] = den;
            la_prev[l] = la;
            lb_prev[l] = lb;
            y_prev[l] = yi;
        }
    }
}

/// Forward substitution with a factorisation from [`factor_forward`] made with the same
/// `lam` and `a`: on entry `y` holds the right-hand sides.
#[inline(always)]
pub(crate) fn forward<const L: usize>(lam: f64, a: &[f64], inv: &[f64], y: &mut [f64]) {
    let (a, _) = a.as_chunks::<L>();
    let (inv, _) = inv.as_chunks::<L>();
    let (y, _) = y.as_chunks_mut::<L>();
    let mut la_prev = [0.0; L];
    let mut y_prev = [0.0; L];
    for ((a, inv), y) in a.iter().zip(inv).zip(y) {
        for l in 0..L {
            let yi = (y[l] + la_prev[l] * y_prev[l]) * inv[l];
            y[l] = yi;
            y_prev[l] = yi;
            la_prev[l] = lam * a[l];
        }
    }
}

/// Back substitution in place: `y` becomes the solution.
#[inline(always)]
pub(crate) fn back<const L: usize>(e: &[f64], y: &mut [f64]) {
    let (e, _) = e.as_chunks::<L>();
    let (y, _) = y.as_chunks_mut::<L>();
    let mut next = [0.0; L];
    for (e, y) in e.iter().zip(y).rev() {
        for l in 0..L {
            let xi = y[l] + e[l] * next[l];
            y[l] = xi;
            next[l] = xi;
        }
    }
}

neq_expr::wide_targets! {
    /// [`factor_forward`] over interleaved groups of [`LANES`] lines, in the widest
    /// instruction set the CPU has (same bits as the baseline).
    pub(crate) fn factor_forward_lanes(
        lam: f64,
        a: &[f64],
        b: &[f64],
        inv: &mut [f64],
        e: &mut [f64],
        y: &mut [f64],
    ) {
        factor_forward::<LANES>(lam, a, b, inv, e, y);
    }
}

neq_expr::wide_targets! {
    /// [`forward`] over interleaved groups of [`LANES`] lines.
    pub(crate) fn forward_lanes(lam: f64, a: &[f64], inv: &[f64], y: &mut [f64]) {
        forward::<LANES>(lam, a, inv, y);
    }
}

neq_expr::wide_targets! {
    /// [`back`] over interleaved groups of [`LANES`] lines.
    pub(crate) fn back_lanes(e: &[f64], y: &mut [f64]) {
        back::<LANES>(e, y);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_dispatched_solves_give_the_baseline_bits() {
        let len = 300 * LANES;
        let wave = |k: f64| (0..len).map(|i| 1.0 + (k * i as f64).sin().abs()).collect::<Vec<_>>();
        let (a, b, rhs) = (wave(0.3), wave(0.7), wave(1.1));
        let solve = |wide: bool| {
            let (mut inv, mut e, mut y, mut z) =
                (vec![0.0; len], vec![0.0; len], rhs.clone(), rhs.clone());
            if wide {
                factor_forward_lanes(3.7, &a, &b, &mut inv, &mut e, &mut y);
                back_lanes(&e, &mut y);
                forward_lanes(3.7, &a, &inv, &mut z);
                back_lanes(&e, &mut z);
            } else {
                factor_forward::<LANES>(3.7, &a, &b, &mut inv, &mut e, &mut y);
                back::<LANES>(&e, &mut y);
                forward::<LANES>(3.7, &a, &inv, &mut z);
                back::<LANES>(&e, &mut z);
            }
            y.iter().chain(&z).map(|x| x.to_bits()).collect::<Vec<_>>()
        };
        assert_eq!(solve(true), solve(false));
    }

    /// (I + λA) x for one line, straight from the row formula.
    fn apply(lam: f64, a: &[f64], b: &[f64], x: &[f64]) -> Vec<f64> {
        let n = x.len();
        (0..n)
            .map(|i| {
                let mut v = (1.0 + lam * a[i]) * x[i];
                if i > 0 {
                    v += lam * b[i - 1] * x[i] - lam * a[i - 1] * x[i - 1];
                }
                if i + 1 < n {
                    v -= lam * b[i] * x[i + 1];
                }
                v
            })
            .collect()
    }

    fn line() -> impl Strategy<Value = (f64, Vec<f64>, Vec<f64>, Vec<f64>)> {
        (2usize..40).prop_flat_map(|n| {
            (
                prop_oneof![1e-3f64..1.0, 1.0f64..1e6],
                proptest::collection::vec(0.0f64..50.0, n),
                proptest::collection::vec(0.0f64..50.0, n),
                proptest::collection::vec(0.0f64..10.0, n),
            )
                .prop_map(|(lam, mut a, mut b, r)| {
                    let last = a.len() - 1;
                    a[last] = 0.0;
                    b[last] = 0.0;
                    (lam, a, b, r)
                })
        })
    }

    fn solve_one(lam: f64, a: &[f64], b: &[f64], r: &[f64]) -> Vec<f64> {
        let n = r.len();
        let (mut inv, mut e, mut y) = (vec![0.0; n], vec![0.0; n], r.to_vec());
        factor_forward::<1>(lam, a, b, &mut inv, &mut e, &mut y);
        back::<1>(&e, &mut y);
        y
    }

    proptest! {
        #[test]
        fn solves_conserves_mass_and_keeps_positivity((lam, a, b, r) in line()) {
            let x = solve_one(lam, &a, &b, &r);
            prop_assert!(x.iter().all(|&v| v >= 0.0));
            let (mass_in, mass_out) = (r.iter().sum::<f64>(), x.iter().sum::<f64>());
            prop_assert!((mass_out - mass_in).abs() <= 1e-13 * mass_in.max(1e-300));
            let back_mapped = apply(lam, &a, &b, &x);
            let scale = r.iter().fold(0.0f64, |m, v| m.max(*v)).max(1e-300);
            for (v, w) in back_mapped.iter().zip(&r) {
                // The residual is relative to the size of the largest matrix entries.
                prop_assert!((v - w).abs() <= 1e-12 * scale * (1.0 + 100.0 * lam));
            }
        }

        #[test]
        fn stored_factorisation_gives_the_same_solution((lam, a, b, r) in line()) {
            let n = r.len();
            let (mut inv, mut e, mut y) = (vec![0.0; n], vec![0.0; n], r.clone());
            factor_forward::<1>(lam, &a, &b, &mut inv, &mut e, &mut y);
            back::<1>(&e, &mut y);
            let mut again = r.clone();
            forward::<1>(lam, &a, &inv, &mut again);
            back::<1>(&e, &mut again);
            prop_assert_eq!(y, again);
        }
    }

    #[test]
    fn interleaved_lanes_match_single_lines_bit_for_bit() {
        const L: usize = 8;
        let n = 17;
        let coefficient = |i: usize, l: usize, s: f64| {
            if i + 1 == n { 0.0 } else { 1.0 + ((i * 7 + l * 3) as f64 * s).sin().abs() }
        };
        let mut a = vec![0.0; n * L];
        let mut b = vec![0.0; n * L];
        let mut r = vec![0.0; n * L];
        for i in 0..n {
            for l in 0..L {
                a[i * L + l] = coefficient(i, l, 0.3);
                b[i * L + l] = coefficient(i, l, 0.7);
                r[i * L + l] = 1.0 + (i + l) as f64;
            }
        }
        let (mut inv, mut e, mut y) = (vec![0.0; n * L], vec![0.0; n * L], r.clone());
        factor_forward::<L>(2.5, &a, &b, &mut inv, &mut e, &mut y);
        back::<L>(&e, &mut y);
        for l in 0..L {
            let pick = |v: &[f64]| (0..n).map(|i| v[i * L + l]).collect::<Vec<_>>();
            let single = solve_one(2.5, &pick(&a), &pick(&b), &pick(&r));
            assert_eq!(single, pick(&y));
        }
    }
}
