//! The branch-free exponential against the library one.

use neq_expr::math;
use proptest::prelude::*;

/// Relative difference of [`math::exp`] to [`f64::exp`].
fn rel(x: f64) -> f64 {
    let (a, b) = (math::exp(x), x.exp());
    ((a - b) / b).abs()
}

/// Bound on the relative difference where results are normal numbers: 1.5 ulps of 1.
const BOUND: f64 = 3.4e-16;

proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, ..ProptestConfig::default() })]

    #[test]
    fn random_arguments(x in -708.0..709.0f64) {
        prop_assert!(rel(x) <= BOUND, "x = {x}: relative error {:e}", rel(x));
    }

    #[test]
    fn random_small_arguments(x in -1.0..1.0f64) {
        prop_assert!(rel(x) <= BOUND, "x = {x}: relative error {:e}", rel(x));
    }
}

#[test]
fn ten_million_random_arguments() {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut worst = (0.0_f64, 0.0_f64);
    for _ in 0..10_000_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let x = -708.0 + 1417.0 * ((state >> 11) as f64 / (1u64 << 53) as f64);
        let e = rel(x);
        if e > worst.0 {
            worst = (e, x);
        }
    }
    println!("max relative error {:e} at x = {}", worst.0, worst.1);
    assert!(worst.0 <= BOUND, "max relative error {:e} at x = {}", worst.0, worst.1);
}
