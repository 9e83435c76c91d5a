/**
 * Deflated Sharpe Ratio (Bailey and Lopez de Prado 2014, "The Deflated Sharpe Ratio: Correcting
 * for Selection Bias, Backtest Overfitting and Non-Normality", J. of Portfolio Management 40(5)):
 *
 * - E[max of N standard normals] ~ (1 - g) InvPhi(1 - 1/N) + g InvPhi(1 - 1/(N e)), g the
 *   Euler-Mascheroni constant (the approximation the paper takes from Bailey, Borwein, Lopez de
 *   Prado and Zhu 2014, "Pseudo-Mathematics and Financial Charlatanism");
 *   2.5306028932016846 for N = 100.
 * - SR0 = sqrt(V) E[max of N standard normals], V the sample variance of the N trials' per-period
 *   Sharpes: the best Sharpe that N skill-less trials are expected to show.
 * - DSR = PSR(SR0) for the selected (best) trial, with its own SR, T, skewness and raw kurtosis
 *   (PSR in probabilistic-sharpe.ts).
 */
import { normalQuantile } from './normal-distribution';
import { probabilisticSharpe, type SharpeEstimate } from './probabilistic-sharpe';

export const eulerMascheroni = 0.5772156649015329;

export function expectedMaximumOfNormals(trials: number): number {
  if (!Number.isInteger(trials) || trials < 2) throw new RangeError(`expected maximum: ${trials} trials, need an integer of at least 2`);
  return (1 - eulerMascheroni) * normalQuantile(1 - 1 / trials) + eulerMascheroni * normalQuantile(1 - 1 / (trials * Math.E));
}

/** SR0: the expected best per-period Sharpe of `trials` skill-less trials whose Sharpes have `sharpeVariance`. */
export function expectedMaximumSharpe(trials: number, sharpeVariance: number): number {
  if (!(sharpeVariance >= 0)) throw new RangeError(`expected maximum Sharpe: variance ${sharpeVariance} is not a non-negative number`);
  return Math.sqrt(sharpeVariance) * expectedMaximumOfNormals(trials);
}

export function deflatedSharpe(best: SharpeEstimate, trials: number, sharpeVariance: number): number {
  return probabilisticSharpe(best, expectedMaximumSharpe(trials, sharpeVariance));
}
