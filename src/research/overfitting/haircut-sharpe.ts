/**
 * Haircut Sharpe ratios (Harvey and Liu 2015, "Backtesting", J. of Portfolio Management 42(1),
 * its Sharpe-to-t-ratio step and its three multiple-testing adjustments): the Sharpe a trial
 * would need as a single test to be as significant as it is once the other trials count.
 *
 * With per-period Sharpes SR_i of M trials of T returns each:
 * - t_i = SR_i sqrt(T), p_i = 2 Phi(-|t_i|) (two-sided, normal: T is hundreds of days here);
 * - sorted p_(1) <= ... <= p_(M), the selected trial at rank k, its adjusted p-value is
 *   Bonferroni: min(1, M p_k);
 *   Holm:       max over j <= k of min(1, (M - j + 1) p_(j));
 *   BHY:        min over j >= k of min(1, M c(M) p_(j) / j), c(M) = sum_{i=1..M} 1/i
 *   (Benjamini-Hochberg-Yekutieli, valid under any dependence between the trials);
 * - the haircut Sharpe is InvPhi(1 - p_adjusted / 2) / sqrt(T), the haircut 1 - HSR / SR.
 * Harvey and Liu place the strategy among the t-ratios of published factors (their HLZ model);
 * here the other tests are the ledger's own trials, every one of which was looked at. For the
 * best trial Holm equals Bonferroni (it is rank 1). A Sharpe <= 0 has nothing to cut: it is
 * returned as it is, with haircut 0.
 */
import { normalCdf, normalQuantile } from './normal-distribution';

export interface HaircutSharpe {
  /** Adjusted p-value of the selected trial. */
  readonly adjustedPValue: number;
  /** Per-period haircut Sharpe. */
  readonly sharpe: number;
  /** 1 - haircut Sharpe / Sharpe, in [0, 1]. */
  readonly haircut: number;
}

export interface HaircutSharpes {
  readonly bonferroni: HaircutSharpe;
  readonly holm: HaircutSharpe;
  readonly bhy: HaircutSharpe;
}

function singleTestPValue(sharpe: number, observations: number): number {
  return 2 * normalCdf(-Math.abs(sharpe) * Math.sqrt(observations));
}

function haircutFrom(sharpe: number, observations: number, adjustedPValue: number): HaircutSharpe {
  // A flat trial's infinite Sharpe stays infinite: no finite haircut Sharpe is as significant.
  if (!(sharpe > 0) || sharpe === Number.POSITIVE_INFINITY) return { adjustedPValue, sharpe, haircut: 0 };
  const cut = Math.min(sharpe, normalQuantile(1 - adjustedPValue / 2) / Math.sqrt(observations));
  return { adjustedPValue, sharpe: cut, haircut: 1 - cut / sharpe };
}

/** The three haircuts of trial `selected` among `trialSharpes` (per period, all over `observations` returns). */
export function haircutSharpes(trialSharpes: ArrayLike<number>, observations: number, selected: number): HaircutSharpes {
  const tests = trialSharpes.length;
  if (!Number.isInteger(selected) || selected < 0 || selected >= tests) throw new RangeError(`haircut Sharpe: trial ${selected} is not one of the ${tests} trials`);
  if (!(observations >= 2)) throw new RangeError(`haircut Sharpe: ${observations} observations, need at least 2`);
  const pValues = Float64Array.from({ length: tests }, (_, index) => singleTestPValue(trialSharpes[index], observations));
  const order = Array.from({ length: tests }, (_, index) => index).sort((a, b) => pValues[a] - pValues[b] || a - b);
  const rank = order.indexOf(selected); // 0-based k - 1
  const sorted = order.map((index) => pValues[index]);

  const bonferroni = Math.min(1, tests * sorted[rank]);
  let holm = 0;
  for (let j = 0; j <= rank; j += 1) holm = Math.max(holm, Math.min(1, (tests - j) * sorted[j]));
  let harmonic = 0;
  for (let i = 1; i <= tests; i += 1) harmonic += 1 / i;
  let bhy = 1;
  for (let j = rank; j < tests; j += 1) bhy = Math.min(bhy, (tests * harmonic * sorted[j]) / (j + 1));

  const sharpe = trialSharpes[selected];
  return {
    bonferroni: haircutFrom(sharpe, observations, bonferroni),
    holm: haircutFrom(sharpe, observations, holm),
    bhy: haircutFrom(sharpe, observations, bhy),
  };
}
