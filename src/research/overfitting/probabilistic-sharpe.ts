/**
 * Probabilistic Sharpe Ratio (Bailey and Lopez de Prado 2012, "The Sharpe Ratio Efficient
 * Frontier", J. of Risk 15(2)), with per-period SR, T returns, skewness g3 and raw kurtosis g4
 * (3 for a normal; see sharpe-moments.ts), as in its section 3:
 *
 * - PSR(SR*) = Phi((SR - SR*) sqrt(T - 1) / sqrt(1 - g3 SR + (g4 - 1) / 4 SR^2))
 *   the probability that the true Sharpe exceeds the benchmark SR*.
 */
import { normalCdf } from './normal-distribution';

/** What PSR needs of a return series: its per-period Sharpe, length and shape. */
export interface SharpeEstimate {
  readonly sharpe: number;
  readonly observations: number;
  readonly skewness: number;
  readonly kurtosis: number;
}

/** 1 - g3 SR + (g4 - 1) / 4 SR^2: the Sharpe estimator's variance times (T - 1). */
export function estimatorVarianceFactor(estimate: Omit<SharpeEstimate, 'observations'>): number {
  const { sharpe, skewness, kurtosis } = estimate;
  return 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
}

export function probabilisticSharpe(estimate: SharpeEstimate, benchmarkSharpe = 0): number {
  if (!(estimate.observations > 1)) throw new RangeError(`probabilistic Sharpe: ${estimate.observations} observations, need more than 1`);
  const factor = estimatorVarianceFactor(estimate);
  if (!(factor > 0)) return Number.NaN;
  return normalCdf(((estimate.sharpe - benchmarkSharpe) * Math.sqrt(estimate.observations - 1)) / Math.sqrt(factor));
}
