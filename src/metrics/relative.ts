import { periodsPerYear } from './metrics';

/**
 * A strategy's daily returns against a benchmark's over the same dates (r_i = E_i / E_{i-1} - 1,
 * E_0 = starting cash for both, P = 252, sample moments):
 * - beta = cov(s, b) / var(b) and alpha = (mean(s) - beta mean(b)) * P: ordinary least squares
 *   of s on b, the intercept annualised by P;
 * - correlation = cov(s, b) / (sd(s) sd(b));
 * - trackingError = sd(s - b) * sqrt(P); informationRatio = mean(s - b) / sd(s - b) * sqrt(P).
 * Undefined figures (a flat benchmark, fewer than two returns) are null.
 */
export interface RelativeMetrics {
  readonly alpha: number | null;
  readonly beta: number | null;
  readonly correlation: number | null;
  readonly trackingError: number | null;
  readonly informationRatio: number | null;
}

/** Daily returns of an equity curve that starts from `startingEquity`. */
export function dailyReturns(startingEquity: number, equity: ArrayLike<number>): Float64Array {
  const returns = new Float64Array(equity.length);
  let previous = startingEquity;
  for (let i = 0; i < equity.length; i++) {
    returns[i] = equity[i] / previous - 1;
    previous = equity[i];
  }
  return returns;
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

export function relativeMetrics(strategy: ArrayLike<number>, benchmark: ArrayLike<number>): RelativeMetrics {
  if (strategy.length !== benchmark.length) {
    throw new RangeError(`relative metrics: ${strategy.length} strategy returns against ${benchmark.length} benchmark returns`);
  }
  const n = strategy.length;
  const none: RelativeMetrics = { alpha: null, beta: null, correlation: null, trackingError: null, informationRatio: null };
  if (n < 2) return none;
  let sumS = 0;
  let sumB = 0;
  for (let i = 0; i < n; i++) {
    sumS += strategy[i];
    sumB += benchmark[i];
  }
  const meanS = sumS / n;
  const meanB = sumB / n;
  let covariance = 0;
  let varianceS = 0;
  let varianceB = 0;
  let sumActive = 0;
  for (let i = 0; i < n; i++) {
    const ds = strategy[i] - meanS;
    const db = benchmark[i] - meanB;
    covariance += ds * db;
    varianceS += ds * ds;
    varianceB += db * db;
    sumActive += strategy[i] - benchmark[i];
  }
  const meanActive = sumActive / n;
  let activeSquares = 0;
  for (let i = 0; i < n; i++) activeSquares += (strategy[i] - benchmark[i] - meanActive) ** 2;
  const activeSd = Math.sqrt(activeSquares / (n - 1));
  const beta = varianceB > 0 ? covariance / varianceB : Number.NaN;
  return {
    alpha: finiteOrNull((meanS - beta * meanB) * periodsPerYear),
    beta: finiteOrNull(beta),
    correlation: varianceS > 0 && varianceB > 0 ? finiteOrNull(covariance / Math.sqrt(varianceS * varianceB)) : null,
    trackingError: finiteOrNull(activeSd * Math.sqrt(periodsPerYear)),
    informationRatio: activeSd > 0 ? finiteOrNull((meanActive / activeSd) * Math.sqrt(periodsPerYear)) : null,
  };
}
