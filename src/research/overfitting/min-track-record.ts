/**
 * How long a record must be before its Sharpe means something.
 *
 * - MinTRL(SR*, c) = 1 + (1 - g3 SR + (g4 - 1) / 4 SR^2) (InvPhi(c) / (SR - SR*))^2
 *   (Bailey and Lopez de Prado 2012, "The Sharpe Ratio Efficient Frontier", J. of Risk 15(2),
 *   section 4): the number of returns after which PSR(SR*) reaches the confidence c, per-period SR,
 *   skewness g3, raw kurtosis g4. Infinity when SR <= SR*: no record is long enough.
 * - MinBTL(N, SR) = (((1 - g) InvPhi(1 - 1/N) + g InvPhi(1 - 1/(N e))) / SR)^2 years
 *   (Bailey, Borwein, Lopez de Prado and Zhu 2014, "Pseudo-Mathematics and Financial
 *   Charlatanism", Notices of the AMS 61(5), section
 *   "Minimum backtest length"), g the Euler-Mascheroni
 *   constant, SR annualised: the number of years of data below which N skill-less, independent
 *   trials are expected to show a best annualised Sharpe of SR or more. For N = 45 and SR = 1 it
 *   is 4.998 years (the paper's "less than 5 years").
 */
import { expectedMaximumOfNormals } from './deflated-sharpe';
import { normalQuantile } from './normal-distribution';
import { estimatorVarianceFactor, type SharpeEstimate } from './probabilistic-sharpe';

export function minimumTrackRecordLength(estimate: Omit<SharpeEstimate, 'observations'>, benchmarkSharpe = 0, confidence = 0.95): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`minimum track record length: confidence ${confidence} is not in (0, 1)`);
  if (!(estimate.sharpe > benchmarkSharpe)) return Number.POSITIVE_INFINITY;
  const ratio = normalQuantile(confidence) / (estimate.sharpe - benchmarkSharpe);
  return 1 + estimatorVarianceFactor(estimate) * ratio * ratio;
}

/** Years; Infinity for a non-positive target (any length of noise beats it). */
export function minimumBacktestLength(trials: number, annualSharpe: number): number {
  if (!(annualSharpe > 0)) return Number.POSITIVE_INFINITY;
  const ratio = expectedMaximumOfNormals(trials) / annualSharpe;
  return ratio * ratio;
}
