//! Branch-free elementary functions that vectorise inside loops.
//!
//! The library `f64::exp` is an opaque call, so a loop calling it runs one element at a time.
//! [`exp`] here is plain arithmetic and selects, which LLVM turns into SIMD code when it sits in
//! a loop over a slice. It does not use `f64::mul_add`: without target features that becomes a
//! library call too.

/// `log2(e)`, rounded.
const LOG2_E: f64 = std::f64::consts::LOG2_E;
/// High part of `ln 2`: its low 32 bits are zero, so `k * LN2_HI` is exact for `|k| < 2^20`.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
/// Low part of `ln 2`: `LN2_HI + LN2_LO` is `ln 2` to about 2^-85.
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
/// `1.5 * 2^52`: adding it rounds a small `f64` to an integer kept in the low mantissa bits.
const SHIFT: f64 = 6_755_399_441_055_744.0;
/// Arguments are clamped to `[CLAMP_LO, CLAMP_HI]` before reduction; beyond them the result is
/// already 0 or infinite.
const CLAMP_LO: f64 = -760.0;
/// See [`CLAMP_LO`].
const CLAMP_HI: f64 = 710.0;

/// Coefficients of `q(r) ≈ (e^r - 1 - r) / r^2` on `|r| ≤ 1.01 · ln2/2`, lowest degree first.
///
/// A Chebyshev fit of degree 9 (computed with mpmath's `chebyfit` at 50 digits); with the
/// coefficients rounded to `f64`, `1 + r + r²q(r)` is within 2e-17 of `e^r` relatively, far
/// below the rounding of the final sum.
const Q: [f64; 10] = [
    0.500_000_000_000_000_1,
    0.166_666_666_666_666_69,
    0.041_666_666_666_620_64,
    0.008_333_333_333_329_793,
    0.001_388_888_891_893_916_8,
    0.000_198_412_698_643_805_13,
    2.480_151_864_139_599_3e-5,
    2.755_726_641_861_23e-6,
    2.762_133_866_914_292_5e-7,
    2.510_134_692_835_034e-8,
];

/// The exponential `e^x`, branch-free.
///
/// - Accuracy: within about 1 ulp of the correctly rounded result where the result is a
///   normal number (`x` in about `[-708.39, 709.78]`); the tests measure the largest relative
///   difference to [`f64::exp`] over dense and random sweeps.
/// - Results that are subnormal (`x` in about `[-745.13, -708.39]`) are rounded twice (the
///   scale is applied in two halves), so they may differ from the correctly rounded value by an
///   ulp of the subnormal; below about -745.13 the result is exactly 0, for `-inf` too.
/// - Above about 709.78 (`ln f64::MAX`) the result is `+inf`; NaN gives NaN.
///
/// Method: `x = k ln2 + r` with `k` the nearest integer to `x / ln2` (found by adding and
/// subtracting `1.5·2^52`), `r` by Cody–Waite reduction with a two-part `ln 2`, `e^r` by a
/// polynomial, and `2^k` built from exponent bits in two factors `2^k1 · 2^k2` so every factor
/// stays a normal number over the whole clamped range.
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    // Two selects; comparisons with NaN are false, so NaN passes through unchanged.
    let x = if x < CLAMP_LO { CLAMP_LO } else { x };
    let x = if x > CLAMP_HI { CLAMP_HI } else { x };
    let shifted = x * LOG2_E + SHIFT;
    let k = shifted - SHIFT;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let mut q = Q[9];
    q = q * r + Q[8];
    q = q * r + Q[7];
    q = q * r + Q[6];
    q = q * r + Q[5];
    q = q * r + Q[4];
    q = q * r + Q[3];
    q = q * r + Q[2];
    q = q * r + Q[1];
    q = q * r + Q[0];
    let p = 1.0 + (r + (r * r) * q);
    // `shifted` holds `k` in its low mantissa bits; `biased = k + 2 * 1023` is non-negative on
    // the clamped range, so unsigned shifts split it into two biased exponents summing to it.
    let biased = shifted.to_bits().wrapping_sub(SHIFT.to_bits()).wrapping_add(2 * 1023);
    let e1 = biased >> 1;
    let e2 = biased.wrapping_sub(e1);
    let s1 = f64::from_bits(e1 << 52);
    let s2 = f64::from_bits(e2 << 52);
    p * s1 * s2
}

#[cfg(test)]
mod tests {
    use super::exp;

    /// Relative difference to the library exponential.
    fn rel(x: f64) -> f64 {
        let (a, b) = (exp(x), x.exp());
        ((a - b) / b).abs()
    }

    #[test]
    fn special_values() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-0.0), 1.0);
        assert_eq!(exp(f64::INFINITY), f64::INFINITY);
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        assert!(exp(f64::NAN).is_nan());
        assert_eq!(exp(709.79), f64::INFINITY);
        assert_eq!(exp(1e300), f64::INFINITY);
        assert!(exp(709.78).is_finite());
        assert_eq!(exp(-745.2), 0.0);
        assert_eq!(exp(-1e300), 0.0);
        assert!(exp(-745.0) > 0.0);
        assert!(rel(1.0) <= 2.3e-16);
    }

    #[test]
    fn dense_sweep_is_within_an_ulp_or_two() {
        let (lo, hi) = (-708.0_f64, 709.0_f64);
        let steps = 2_000_000;
        let mut worst = (0.0_f64, 0.0_f64);
        for i in 0..=steps {
            let x = lo + (hi - lo) * (i as f64 / steps as f64);
            let e = rel(x);
            if e > worst.0 {
                worst = (e, x);
            }
        }
        println!("dense sweep: max relative error {:e} at x = {}", worst.0, worst.1);
        assert!(worst.0 <= 3.4e-16, "max relative error {:e} at x = {}", worst.0, worst.1);
    }

    #[test]
    fn small_arguments_are_accurate() {
        let mut worst = 0.0_f64;
        let mut x = 1e-300_f64;
        while x < 10.0 {
            worst = worst.max(rel(x)).max(rel(-x));
            x *= 1.01;
        }
        println!("small arguments: max relative error {worst:e}");
        assert!(worst <= 3.4e-16, "max relative error {worst:e}");
    }

    #[test]
    fn subnormal_results_are_close_in_absolute_terms() {
        let mut x = -745.1_f64;
        while x < -708.0 {
            let (a, b) = (exp(x), x.exp());
            // One rounding of a subnormal (2^-1074 ≈ 4.9e-324) plus a relative ulp or two.
            assert!((a - b).abs() <= 1e-323 + 3.4e-16 * b, "x = {x}: {a:e} vs {b:e}");
            x += 0.0137;
        }
    }
}
