/**
 * The per-period moments of one return series that the overfitting statistics are built on.
 * With n returns r_i, mean m = sum r_i / n and central moments m_k = sum (r_i - m)^k / n:
 *
 * - standardDeviation = sqrt(sum (r_i - m)^2 / (n - 1)) (the sample sd)
 * - sharpe = m / standardDeviation, per period, no risk-free rate (Bailey and Lopez de Prado 2012,
 *   "The Sharpe Ratio Efficient Frontier", J. of Risk 15(2))
 * - skewness = m_3 / m_2^(3/2) and kurtosis = m_4 / m_2^2, the population moment ratios: kurtosis
 *   is raw (3 for a normal), as that paper's PSR formula requires. Feeding excess
 *   kurtosis into it, as several libraries do, overstates the PSR of a fat-tailed series.
 *
 * A flat series (sd 0) has Sharpe 0 when its mean is 0 (a trial that never trades) and +-Infinity
 * otherwise; its skewness and kurtosis are NaN.
 */

export interface ReturnMoments {
  readonly observations: number;
  readonly mean: number;
  readonly standardDeviation: number;
  readonly sharpe: number;
  readonly skewness: number;
  readonly kurtosis: number;
}

/** mean / sd with the flat-series convention above, so that Sharpes always rank. */
export function sharpeOf(mean: number, standardDeviation: number): number {
  if (standardDeviation > 0) return mean / standardDeviation;
  if (mean === 0) return 0;
  return mean > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

/** Throws unless every value is finite; `label` names the series in the message. */
export function checkReturns(returns: ArrayLike<number>, label: string): void {
  for (let index = 0; index < returns.length; index += 1) {
    const value = returns[index];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RangeError(`${label}: return at day ${index} is ${String(value)}, not a finite number`);
    }
  }
}

/** Two passes (mean first, then central sums) keep the moments accurate when sd << |mean|. */
export function returnMoments(returns: ArrayLike<number>, label = 'returns'): ReturnMoments {
  const observations = returns.length;
  if (observations < 2) throw new RangeError(`${label}: ${observations} returns, need at least 2 for a sample sd`);
  checkReturns(returns, label);
  let sum = 0;
  for (let index = 0; index < observations; index += 1) sum += returns[index];
  const mean = sum / observations;
  let second = 0;
  let third = 0;
  let fourth = 0;
  for (let index = 0; index < observations; index += 1) {
    const deviation = returns[index] - mean;
    const squared = deviation * deviation;
    second += squared;
    third += squared * deviation;
    fourth += squared * squared;
  }
  const standardDeviation = Math.sqrt(second / (observations - 1));
  const secondMoment = second / observations;
  return {
    observations,
    mean,
    standardDeviation,
    sharpe: sharpeOf(mean, standardDeviation),
    skewness: secondMoment > 0 ? third / observations / secondMoment ** 1.5 : Number.NaN,
    kurtosis: secondMoment > 0 ? fourth / observations / (secondMoment * secondMoment) : Number.NaN,
  };
}
