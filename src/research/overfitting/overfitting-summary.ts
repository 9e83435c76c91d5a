/**
 * The overfitting verdict on a ledger of trials, in the shape of the sweep JSON's `overfitting`
 * object (the sweep adds the best trial's params). Every statistic is per period inside and
 * annualised (x sqrt 252) where it is a Sharpe a reader compares with the trials' metrics:
 *
 * - best: the trial with the highest per-period Sharpe (lowest index on ties); `sharpe` is its
 *   annualised Sharpe (equal to its metrics' sharpe), psr = PSR(0), dsr = PSR(SR0) with N = the
 *   number of trials and V = the sample variance of their per-period Sharpes (deflated-sharpe.ts);
 * - pbo, degradation_slope, probability_oos_loss: CSCV (backtest-overfitting.ts);
 * - min_btl_years: MinBTL(N, the best annualised Sharpe) (min-track-record.ts), the years below
 *   which N skill-less trials would be expected to show that best Sharpe;
 * - haircut_sharpe: the best trial's annualised Harvey-Liu haircut Sharpe by each method
 *   (haircut-sharpe.ts).
 * With one trial there is nothing selected among: dsr, pbo, the slope, the OOS loss and
 * min_btl_years are null and the haircut Sharpes equal the Sharpe.
 */
import { periodsPerYear } from '../../metrics/metrics';
import { backtestOverfitting, checkTrials, type BacktestOverfittingOptions } from './backtest-overfitting';
import { deflatedSharpe } from './deflated-sharpe';
import { haircutSharpes } from './haircut-sharpe';
import { minimumBacktestLength } from './min-track-record';
import { probabilisticSharpe } from './probabilistic-sharpe';
import { returnMoments } from './sharpe-moments';

export interface OverfittingSummary {
  readonly trials: number;
  readonly best: { readonly index: number; readonly sharpe: number; readonly psr: number; readonly dsr: number | null };
  readonly pbo: number | null;
  readonly degradation_slope: number | null;
  readonly probability_oos_loss: number | null;
  readonly min_btl_years: number | null;
  readonly haircut_sharpe: { readonly bonferroni: number; readonly holm: number; readonly bhy: number };
}

export interface OverfittingSummaryOptions extends BacktestOverfittingOptions {
  /** Trading days a year, to annualise Sharpes; 252 by default. */
  readonly periodsPerYear?: number;
}

/** The sample variance (n - 1) of finite values; Infinity if a Sharpe is infinite. */
function sampleVariance(values: Float64Array): number {
  let mean = 0;
  for (const value of values) mean += value;
  mean /= values.length;
  let sum = 0;
  for (const value of values) sum += (value - mean) * (value - mean);
  return sum / (values.length - 1);
}

export function overfittingSummary(trials: readonly ArrayLike<number>[], options: OverfittingSummaryOptions = {}): OverfittingSummary {
  const observations = checkTrials(trials);
  const annualisation = Math.sqrt(options.periodsPerYear ?? periodsPerYear);
  const moments = trials.map((trial, index) => returnMoments(trial, `trial ${index}`));
  const sharpes = Float64Array.from(moments, (moment) => moment.sharpe);
  let bestIndex = 0;
  for (let index = 1; index < sharpes.length; index += 1) if (sharpes[index] > sharpes[bestIndex]) bestIndex = index;
  const best = moments[bestIndex];
  const count = trials.length;
  const haircuts = haircutSharpes(sharpes, observations, bestIndex);
  const haircut_sharpe = {
    bonferroni: haircuts.bonferroni.sharpe * annualisation,
    holm: haircuts.holm.sharpe * annualisation,
    bhy: haircuts.bhy.sharpe * annualisation,
  };
  const psr = probabilisticSharpe(best);
  if (count < 2) {
    return {
      trials: count,
      best: { index: bestIndex, sharpe: best.sharpe * annualisation, psr, dsr: null },
      pbo: null,
      degradation_slope: null,
      probability_oos_loss: null,
      min_btl_years: null,
      haircut_sharpe,
    };
  }
  const cscv = backtestOverfitting(trials, options);
  return {
    trials: count,
    best: { index: bestIndex, sharpe: best.sharpe * annualisation, psr, dsr: deflatedSharpe(best, count, sampleVariance(sharpes)) },
    pbo: cscv.pbo,
    degradation_slope: cscv.degradationSlope,
    probability_oos_loss: cscv.probabilityOutOfSampleLoss,
    min_btl_years: minimumBacktestLength(count, best.sharpe * annualisation),
    haircut_sharpe,
  };
}
