/**
 * `overfittingSummary` over trials that arrive one at a time (a ledger streamed in trial
 * order), without holding their returns: per trial it keeps the moments PSR/DSR/haircuts need
 * and the per-block sums and sums of squares (around the trial's own mean) CSCV needs, so memory
 * is O(N S), not O(N T). The arithmetic is the in-memory one's, step for step, so the result is
 * bit-identical (test/research/overfitting-accumulator.test.ts); the formulas and their sources
 * are in overfitting-summary.ts and backtest-overfitting.ts.
 */
import { periodsPerYear } from '../../metrics/metrics';
import { binomial, defaultBlocks } from './backtest-overfitting';
import { deflatedSharpe } from './deflated-sharpe';
import { haircutSharpes } from './haircut-sharpe';
import { minimumBacktestLength } from './min-track-record';
import type { OverfittingSummary, OverfittingSummaryOptions } from './overfitting-summary';
import { probabilisticSharpe } from './probabilistic-sharpe';
import { returnMoments, sharpeOf, type ReturnMoments } from './sharpe-moments';

interface TrialBlocks {
  readonly centre: number;
  readonly sums: Float64Array;
  readonly squares: Float64Array;
  readonly totalSum: number;
  readonly totalSquare: number;
}

export class OverfittingAccumulator {
  private readonly blocks: number;
  private readonly annualisation: number;
  private readonly moments: ReturnMoments[] = [];
  private readonly trialBlocks: TrialBlocks[] = [];
  private days = -1;

  constructor(private readonly options: OverfittingSummaryOptions = {}) {
    this.blocks = options.blocks ?? defaultBlocks;
    this.annualisation = Math.sqrt(options.periodsPerYear ?? periodsPerYear);
    // The same check (and message) as the in-memory statistics, before any trial is read.
    if (!Number.isInteger(this.blocks) || this.blocks < 2 || this.blocks % 2 !== 0) {
      throw new RangeError(`PBO blocks (S) must be an even integer >= 2, got ${this.blocks}`);
    }
    if (binomial(this.blocks, this.blocks / 2) > 3_000_000) throw new RangeError(`PBO blocks (S) = ${this.blocks} gives ${binomial(this.blocks, this.blocks / 2)} splits, more than 3000000; use S <= 24`);
  }

  get trials(): number {
    return this.moments.length;
  }

  /** Adds the next trial's daily returns (every trial has the same number of days). */
  add(returns: ArrayLike<number>): void {
    const index = this.moments.length;
    if (this.days < 0) this.days = returns.length;
    if (returns.length !== this.days) throw new RangeError(`overfitting statistics: trial ${index} has ${returns.length} returns, trial 0 has ${this.days}`);
    this.moments.push(returnMoments(returns, `trial ${index}`));
    const blocks = this.blocks;
    const blockLength = Math.floor(this.days / blocks);
    const droppedDays = this.days - blockLength * blocks;
    let sum = 0;
    for (let day = droppedDays; day < this.days; day += 1) sum += returns[day];
    const centre = sum / (this.days - droppedDays);
    const sums = new Float64Array(blocks);
    const squares = new Float64Array(blocks);
    let totalSum = 0;
    let totalSquare = 0;
    for (let block = 0; block < blocks; block += 1) {
      let blockSum = 0;
      let blockSquare = 0;
      const start = droppedDays + block * blockLength;
      for (let day = start; day < start + blockLength; day += 1) {
        const deviation = returns[day] - centre;
        blockSum += deviation;
        blockSquare += deviation * deviation;
      }
      sums[block] = blockSum;
      squares[block] = blockSquare;
      totalSum += blockSum;
      totalSquare += blockSquare;
    }
    this.trialBlocks.push({ centre, sums, squares, totalSum, totalSquare });
  }

  summary(): OverfittingSummary {
    const count = this.moments.length;
    if (count === 0) throw new RangeError('overfitting statistics: no trials');
    const sharpes = Float64Array.from(this.moments, (moment) => moment.sharpe);
    let bestIndex = 0;
    for (let index = 1; index < sharpes.length; index += 1) if (sharpes[index] > sharpes[bestIndex]) bestIndex = index;
    const best = this.moments[bestIndex];
    const haircuts = haircutSharpes(sharpes, this.days, bestIndex);
    const haircut_sharpe = {
      bonferroni: haircuts.bonferroni.sharpe * this.annualisation,
      holm: haircuts.holm.sharpe * this.annualisation,
      bhy: haircuts.bhy.sharpe * this.annualisation,
    };
    const psr = probabilisticSharpe(best);
    if (count < 2) {
      return {
        trials: count,
        best: { index: bestIndex, sharpe: best.sharpe * this.annualisation, psr, dsr: null },
        pbo: null,
        degradation_slope: null,
        probability_oos_loss: null,
        min_btl_years: null,
        haircut_sharpe,
      };
    }
    const cscv = this.splits();
    return {
      trials: count,
      best: { index: bestIndex, sharpe: best.sharpe * this.annualisation, psr, dsr: deflatedSharpe(best, count, sampleVariance(sharpes)) },
      pbo: cscv.pbo,
      degradation_slope: cscv.degradationSlope,
      probability_oos_loss: cscv.probabilityOutOfSampleLoss,
      min_btl_years: minimumBacktestLength(count, best.sharpe * this.annualisation),
      haircut_sharpe,
    };
  }

  /** The CSCV loop of backtest-overfitting.ts over the kept block sums. */
  private splits(): { pbo: number; degradationSlope: number | null; probabilityOutOfSampleLoss: number } {
    const blocks = this.blocks;
    const count = this.trialBlocks.length;
    const blockLength = Math.floor(this.days / blocks);
    const half = blocks / 2;
    if (blockLength * half < 2) {
      throw new RangeError(`PBO: ${this.days} returns in ${blocks} blocks leave ${blockLength * half} per half, need at least 2 for a sample sd`);
    }
    const halfDays = blockLength * half;
    const sharpeFromSums = (centre: number, sum: number, squares: number): number => {
      const variance = Math.max(0, (squares - (sum * sum) / halfDays) / (halfDays - 1));
      return sharpeOf(centre + sum / halfDays, Math.sqrt(variance));
    };
    const splits = binomial(blocks, half);
    const inSampleSharpes = new Float64Array(splits);
    const outOfSampleSharpes = new Float64Array(splits);
    const outOfSample = new Float64Array(count);
    const chosen = Int32Array.from({ length: half }, (_, index) => index);
    let overfit = 0;
    let losses = 0;
    for (let split = 0; split < splits; split += 1) {
      let bestTrial = -1;
      let bestSharpe = Number.NEGATIVE_INFINITY;
      for (let trial = 0; trial < count; trial += 1) {
        const kept = this.trialBlocks[trial];
        let sum = 0;
        let squares = 0;
        for (let k = 0; k < half; k += 1) {
          sum += kept.sums[chosen[k]];
          squares += kept.squares[chosen[k]];
        }
        const inSample = sharpeFromSums(kept.centre, sum, squares);
        outOfSample[trial] = sharpeFromSums(kept.centre, kept.totalSum - sum, kept.totalSquare - squares);
        if (inSample > bestSharpe || bestTrial < 0) {
          bestSharpe = inSample;
          bestTrial = trial;
        }
      }
      const omega = averageRank(outOfSample, outOfSample[bestTrial]) / (count + 1);
      const logit = Math.log(omega / (1 - omega));
      inSampleSharpes[split] = bestSharpe;
      outOfSampleSharpes[split] = outOfSample[bestTrial];
      if (logit <= 0) overfit += 1;
      if (outOfSample[bestTrial] < 0) losses += 1;
      let position = half - 1;
      while (position >= 0 && chosen[position] === blocks - half + position) position -= 1;
      if (position < 0) break;
      chosen[position] += 1;
      for (let k = position + 1; k < half; k += 1) chosen[k] = chosen[k - 1] + 1;
    }
    return { pbo: overfit / splits, degradationSlope: olsSlope(inSampleSharpes, outOfSampleSharpes), probabilityOutOfSampleLoss: losses / splits };
  }
}

function sampleVariance(values: Float64Array): number {
  let mean = 0;
  for (const value of values) mean += value;
  mean /= values.length;
  let sum = 0;
  for (const value of values) sum += (value - mean) * (value - mean);
  return sum / (values.length - 1);
}

function averageRank(values: Float64Array, value: number): number {
  let below = 0;
  let equal = 0;
  for (let index = 0; index < values.length; index += 1) {
    const other = values[index];
    if (other < value) below += 1;
    else if (other === value) equal += 1;
  }
  return below + (equal + 1) / 2;
}

function olsSlope(x: Float64Array, y: Float64Array): number | null {
  let meanX = 0;
  let meanY = 0;
  for (let index = 0; index < x.length; index += 1) {
    meanX += x[index];
    meanY += y[index];
  }
  meanX /= x.length;
  meanY /= x.length;
  let covariance = 0;
  let varianceX = 0;
  for (let index = 0; index < x.length; index += 1) {
    const dx = x[index] - meanX;
    covariance += dx * (y[index] - meanY);
    varianceX += dx * dx;
  }
  const slope = covariance / varianceX;
  return varianceX > 0 && Number.isFinite(slope) ? slope : null;
}
