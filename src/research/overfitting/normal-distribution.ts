/**
 * The standard normal CDF Phi and its inverse, to about 1e-15 relative wherever the answer is a
 * normal double.
 *
 * - Phi(x) = erfc(-x / sqrt 2) / 2, with stdlib's erfc (a port of FreeBSD's fdlibm s_erf.c, error
 *   below 1 ulp). Rounding -x / sqrt 2 to a double costs up to 2 z^2 ulp of relative error in the
 *   lower tail (2.4e-15 at x = -5, 9e-15 at x = -10), so the rounding residual dz is recovered
 *   exactly (Dekker's two-product on the split sqrt 2) and added back to first order:
 *   erfc(z + dz) = erfc(z) - (2 / sqrt pi) exp(-z^2) dz.
 * - InvPhi(p) = -sqrt 2 erfcinv(2 p), with stdlib's erfcinv (Boost's rational approximations).
 *   2 p is exact, so the lower tail keeps its relative precision (erfinv(2 p - 1) would not).
 */
import erfc = require('@stdlib/math-base-special-erfc');
import erfcinv = require('@stdlib/math-base-special-erfcinv');

const squareRootTwo = Math.SQRT2;
/** sqrt 2 - fl(sqrt 2), the part of sqrt 2 a double cannot hold. */
const squareRootTwoTail = -9.667293313452913e-17;
const twoOverSquareRootPi = 1.1283791670955126;
/** 2^27 + 1: Veltkamp's splitter for a double's 53-bit significand. */
const splitter = 134217729;

/** The exact error of the product a * b rounded to a double (Dekker). */
function productError(a: number, b: number, product: number): number {
  const aScaled = splitter * a;
  const aHigh = aScaled - (aScaled - a);
  const aLow = a - aHigh;
  const bScaled = splitter * b;
  const bHigh = bScaled - (bScaled - b);
  const bLow = b - bHigh;
  return aLow * bLow - (((product - aHigh * bHigh) - aLow * bHigh) - aHigh * bLow);
}

/** P(Z <= x) for a standard normal Z. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const z = -x / squareRootTwo;
  if (!Number.isFinite(z) || Math.abs(z) > 26.6) return erfc(z) / 2;
  // The exact quotient is z + dz with dz = (-x - z sqrt 2) / sqrt 2; z * fl(sqrt 2) is split
  // into its double and its exact rounding error so that -x - z sqrt 2 is computed exactly.
  const product = z * squareRootTwo;
  const residual = -x - product - productError(z, squareRootTwo, product) - z * squareRootTwoTail;
  const dz = residual / squareRootTwo;
  return (erfc(z) - twoOverSquareRootPi * Math.exp(-z * z) * dz) / 2;
}

/** The x with normalCdf(x) = probability; -Infinity at 0, +Infinity at 1, NaN outside [0, 1]. */
export function normalQuantile(probability: number): number {
  if (Number.isNaN(probability) || probability < 0 || probability > 1) return Number.NaN;
  if (probability === 0.5) return 0;
  return -squareRootTwo * erfcinv(2 * probability);
}
