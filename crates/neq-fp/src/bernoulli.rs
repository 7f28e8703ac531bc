//! The Bernoulli function B(z) = z / (eᶻ − 1) and the Scharfetter–Gummel face coefficients
//! built from it.
//!
//! With u = V/kT and Δu = u_{i+1} − u_i across a face, the exponentially fitted flux of
//! Scharfetter & Gummel (1969) — in the Fokker–Planck literature the scheme of Chang &
//! Cooper (1970) with the same fitting — is
//!
//! ```text
//! J = (D/h) · ( B(Δu) p_i − B(−Δu) p_{i+1} ).
//! ```
//!
//! Writing s = Δu/2, both coefficients share one even factor:
//! B(±Δu) = e^{∓s} · g(s) with g(s) = s / sinh s. The solver keeps q_i = e^{−u_i/2} per
//! cell (one exponential per cell and time), so that e^{∓s} are products of cell values and
//! no exponential is taken per face. g comes from its Taylor series for |s| < 0.25 and from
//! 2s / (e^s − e^{−s}) otherwise, where the subtraction loses at most a few ulps. Because
//! B(Δu)/B(−Δu) = q_{i+1}²/q_i² to rounding, the flux of the discrete Boltzmann density
//! p ∝ q² vanishes across every face.
//!
//! [`bernoulli`] is the careful scalar reference (through `exp_m1`, finite for every z); the
//! solver uses it for cells whose potential lies so far above the grid's minimum that q
//! would leave the range of normal floating-point numbers.
//!
//! References: D. L. Scharfetter, H. K. Gummel, "Large-signal analysis of a silicon Read
//! diode oscillator", IEEE Trans. Electron Devices 16 (1969) 64–77; J. S. Chang, G. Cooper,
//! "A practical difference scheme for Fokker–Planck equations", J. Comput. Phys. 6 (1970)
//! 1–16.

/// |s| below which g(s) = s / sinh s is summed from its series.
pub(crate) const SERIES_BELOW: f64 = 0.25;

/// Taylor coefficients of s / sinh s in powers of s², (2 − 2²ⁿ) B₂ₙ / (2n)!; eight terms
/// leave a truncation error below 10⁻¹⁷ for |s| < 0.25.
const G_SERIES: [f64; 8] = [
    1.0,
    -1.0 / 6.0,
    7.0 / 360.0,
    -31.0 / 15120.0,
    127.0 / 604800.0,
    -73.0 / 3421440.0,
    1414477.0 / 653837184000.0,
    -8191.0 / 37362124800.0,
];

/// B(z) = z / (eᶻ − 1), with B(0) = 1.
///
/// Accurate to a few ulps for every finite z and never overflowing: B(z) → −z as
/// z → −∞ and B(z) underflows to 0 for z above ≈ 709.
pub fn bernoulli(z: f64) -> f64 {
    if z == 0.0 { 1.0 } else { z / z.exp_m1() }
}

/// g(s) = s / sinh s from its series; only for |s| < [`SERIES_BELOW`].
#[inline(always)]
pub(crate) fn g_series(s: f64) -> f64 {
    let s2 = s * s;
    let mut acc = G_SERIES[7];
    for &c in G_SERIES[..7].iter().rev() {
        acc = acc * s2 + c;
    }
    acc
}

/// The Scharfetter–Gummel pair (B(Δu), B(−Δu)) across a face between cells 0 and 1, from
/// u = V/kT and q = e^{−(u − u_ref)/2}, q_inv = 1/q at both cells (any common u_ref).
///
/// Valid while q and q_inv are normal numbers; branch-free so that loops over faces
/// vectorise.
#[inline(always)]
pub(crate) fn sg_pair(u0: f64, u1: f64, q0: f64, q1: f64, qi0: f64, qi1: f64) -> (f64, f64) {
    let s = 0.5 * (u1 - u0);
    let grow = q0 * qi1; // e^{s}
    let decay = q1 * qi0; // e^{-s}
    let fitted = (2.0 * s) / (grow - decay);
    let g = select(s.abs() < SERIES_BELOW, g_series(s), fitted);
    (g * decay, g * grow)
}

/// [`sg_pair`] for every face of a run: face i joins the cells whose values are at index i
/// of the `…0` and `…1` slices. All slices are cut to the length of `a`. Runs in the widest
/// instruction set the CPU has, with the baseline's bits (see [`neq_expr::wide_targets`]).
pub(crate) fn sg_pairs(
    (u0, u1): (&[f64], &[f64]),
    (q0, q1): (&[f64], &[f64]),
    (qi0, qi1): (&[f64], &[f64]),
    a: &mut [f64],
    b: &mut [f64],
) {
    sg_pairs_wide([u0, u1, q0, q1, qi0, qi1], a, b);
}

neq_expr::wide_targets! {
    /// The loop of [`sg_pairs`], on the slices `[u0, u1, q0, q1, qi0, qi1]`.
    fn sg_pairs_wide(cells: [&[f64]; 6], a: &mut [f64], b: &mut [f64]) {
        sg_pairs_loop(cells, a, b);
    }
}

#[inline(always)]
fn sg_pairs_loop([u0, u1, q0, q1, qi0, qi1]: [&[f64]; 6], a: &mut [f64], b: &mut [f64]) {
    let n = a.len();
    let (u0, u1, q0, q1, qi0, qi1, b) =
        (&u0[..n], &u1[..n], &q0[..n], &q1[..n], &qi0[..n], &qi1[..n], &mut b[..n]);
    for i in 0..n {
        (a[i], b[i]) = sg_pair(u0[i], u1[i], q0[i], q1[i], qi0[i], qi1[i]);
    }
}

/// `if c { x } else { y }` through bit masks, so that the compiler emits a blend rather
/// than a branch.
#[inline(always)]
fn select(c: bool, x: f64, y: f64) -> f64 {
    let mask = (c as u64).wrapping_neg();
    f64::from_bits((x.to_bits() & mask) | (y.to_bits() & !mask))
}

/// The same pair from the potential difference alone, through [`bernoulli`]: slower, but
/// valid for any difference.
#[inline]
pub(crate) fn sg_pair_safe(u0: f64, u1: f64) -> (f64, f64) {
    let du = u1 - u0;
    (bernoulli(du), bernoulli(-du))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_dispatched_face_loop_gives_the_baseline_bits() {
        let n = 5000;
        let u: Vec<f64> =
            (0..=n).map(|i| 30.0 * (0.37 * i as f64).sin() + 1e-9 * i as f64).collect();
        let q: Vec<f64> = u.iter().map(|u| (-0.5 * u).exp()).collect();
        let qi: Vec<f64> = q.iter().map(|q| 1.0 / q).collect();
        let cells = [&u[..n], &u[1..], &q[..n], &q[1..], &qi[..n], &qi[1..]];
        let (mut a1, mut b1, mut a2, mut b2) =
            (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        sg_pairs_wide(cells, &mut a1, &mut b1);
        sg_pairs_loop(cells, &mut a2, &mut b2);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!((bits(&a1), bits(&b1)), (bits(&a2), bits(&b2)));
    }

    /// B(z) summed from its defining series Σ Bₙ zⁿ / n! with exact Bernoulli numbers, for
    /// small |z|.
    fn bernoulli_by_series(z: f64) -> f64 {
        // B0..B12: 1, -1/2, 1/6, 0, -1/30, 0, 1/42, 0, -1/30, 0, 5/66, 0, -691/2730.
        let numbers = [
            1.0,
            -0.5,
            1.0 / 6.0,
            0.0,
            -1.0 / 30.0,
            0.0,
            1.0 / 42.0,
            0.0,
            -1.0 / 30.0,
            0.0,
            5.0 / 66.0,
            0.0,
            -691.0 / 2730.0,
        ];
        let mut term = 1.0;
        let mut sum = 0.0;
        for (n, b) in numbers.iter().enumerate() {
            if n > 0 {
                term *= z / n as f64;
            }
            sum += b * term;
        }
        sum
    }

    fn pair_from_u(u0: f64, u1: f64) -> (f64, f64) {
        let r = u0.min(u1);
        let (q0, q1) = ((-(u0 - r) / 2.0).exp(), (-(u1 - r) / 2.0).exp());
        sg_pair(u0, u1, q0, q1, 1.0 / q0, 1.0 / q1)
    }

    #[test]
    fn bernoulli_at_special_points() {
        assert_eq!(bernoulli(0.0), 1.0);
        assert!((bernoulli(1.0) - 1.0 / (1f64.exp() - 1.0)).abs() < 1e-16);
        assert_eq!(bernoulli(800.0), 0.0);
        assert!((bernoulli(-800.0) - 800.0).abs() < 1e-12);
        assert!(bernoulli(1e-300) == 1.0);
    }

    #[test]
    fn series_of_g_matches_the_closed_form_where_both_are_accurate() {
        for &s in &[0.05, 0.1, 0.2, 0.2499] {
            let closed: f64 = s / f64::sinh(s);
            assert!((g_series(s) - closed).abs() < 2e-16, "s = {s}");
        }
    }

    #[test]
    fn pair_is_accurate_on_both_sides_of_the_series_threshold() {
        for du in [2.0 * SERIES_BELOW * (1.0 - 1e-12), 2.0 * SERIES_BELOW * (1.0 + 1e-12)] {
            for (u0, u1) in [(0.0, du), (du, 0.0)] {
                let (fast, safe) = (pair_from_u(u0, u1), sg_pair_safe(u0, u1));
                assert!((fast.0 - safe.0).abs() < 4e-15 * safe.0, "{fast:?} {safe:?}");
                assert!((fast.1 - safe.1).abs() < 4e-15 * safe.1, "{fast:?} {safe:?}");
            }
        }
    }

    proptest! {
        #[test]
        fn bernoulli_is_positive_decreasing_and_satisfies_the_reflection(z in -700.0f64..700.0) {
            let (b, bm) = (bernoulli(z), bernoulli(-z));
            prop_assert!(b >= 0.0 && bm > 0.0);
            // B(−z) = B(z) + z.
            prop_assert!((bm - (b + z)).abs() <= 1e-13 * bm.max(1.0));
            prop_assert!(bernoulli(z + 0.01) <= b);
        }

        #[test]
        fn bernoulli_matches_its_series_near_zero(z in -0.5f64..0.5) {
            let reference = bernoulli_by_series(z);
            prop_assert!((bernoulli(z) - reference).abs() < 1e-15);
        }

        #[test]
        fn fast_pair_matches_the_safe_pair(u0 in -300.0f64..300.0, du in -40.0f64..40.0) {
            let u1 = u0 + du;
            let (a, b) = pair_from_u(u0, u1);
            let (sa, sb) = sg_pair_safe(u0, u1);
            prop_assert!((a - sa).abs() <= 1e-13 * sa.max(1e-300), "{a} vs {sa}");
            prop_assert!((b - sb).abs() <= 1e-13 * sb, "{b} vs {sb}");
        }

        #[test]
        fn fast_pair_is_exactly_balanced_by_the_boltzmann_weights(
            u0 in -50.0f64..50.0, du in -20.0f64..20.0,
        ) {
            let u1 = u0 + du;
            let r = u0.min(u1);
            let (q0, q1) = ((-(u0 - r) / 2.0).exp(), (-(u1 - r) / 2.0).exp());
            let (a, b) = sg_pair(u0, u1, q0, q1, 1.0 / q0, 1.0 / q1);
            // Flux of p ∝ q²: a q0² − b q1² must vanish to rounding.
            let flux = a * q0 * q0 - b * q1 * q1;
            prop_assert!(flux.abs() <= 1e-15 * (a * q0 * q0));
        }
    }
}
