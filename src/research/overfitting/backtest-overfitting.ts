/**
 * Probability of Backtest Overfitting by combinatorially symmetric cross-validation (Bailey,
 * Borwein, Lopez de Prado and Zhu 2017, "The Probability of Backtest Overfitting", J. of
 * Computational Finance 20(4), the CSCV procedure and its performance-degradation and
 * probability-of-loss statistics):
 *
 * - The N trials' T daily returns are cut into S contiguous blocks of floor(T / S) days; the
 *   first T mod S days are dropped, so the blocks end on the last day.
 * - For each of the C(S, S/2) ways to pick S/2 blocks as in-sample (IS, the rest out-of-sample,
 *   OOS): n* = the trial with the best IS Sharpe (lowest index on ties); its OOS Sharpe's rank
 *   among the N OOS Sharpes (1 = worst, ties get the average rank) gives
 *   omega = rank / (N + 1) and the logit lambda = ln(omega / (1 - omega)).
 * - PBO = the share of splits with lambda <= 0 (the IS best is at or below the OOS median).
 * - Degradation slope: the OLS slope of the selected trial's OOS Sharpe on its IS Sharpe over
 *   the splits; probability of OOS loss: the share of
 *   splits whose selected trial has an OOS Sharpe below 0 (a loss out of sample).
 * Sharpe = mean / sample sd per period (sharpe-moments.ts). Each trial's per-block sums and sums
 * of squares (around its own mean, for accuracy) are precomputed, so a split costs O(N S).
 */
import { ConfigError } from '../../errors';
import { checkReturns, sharpeOf } from './sharpe-moments';

export interface BacktestOverfittingOptions {
  /** S, the number of blocks: even, >= 2; 16 by default. */
  readonly blocks?: number;
}

export interface BacktestOverfitting {
  readonly pbo: number;
  /** null when the selected IS Sharpes do not vary (no slope to fit) or are not finite. */
  readonly degradationSlope: number | null;
  readonly probabilityOutOfSampleLoss: number;
  readonly blocks: number;
  readonly blockLength: number;
  /** The first T mod S days, left out of every block. */
  readonly droppedDays: number;
  /** One entry per split, in the lexicographic order of the IS block sets. */
  readonly logits: Float64Array;
  readonly selectedTrials: Int32Array;
  readonly inSampleSharpes: Float64Array;
  readonly outOfSampleSharpes: Float64Array;
}

export const defaultBlocks = 16;
/** C(S, S/2) above this would take minutes: S = 24 (2.7 million splits) is the largest allowed. */
const maximumSplits = 3_000_000;

export function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i += 1) result = (result * (n - k + i)) / i;
  return Math.round(result);
}

function checkBlocks(blocks: number): void {
  if (!Number.isInteger(blocks) || blocks < 2 || blocks % 2 !== 0) {
    throw new ConfigError(`PBO blocks (S) must be an even integer >= 2, got ${blocks}`);
  }
  if (binomial(blocks, blocks / 2) > maximumSplits) {
    throw new ConfigError(`PBO blocks (S) = ${blocks} gives ${binomial(blocks, blocks / 2)} splits, more than ${maximumSplits}; use S <= 24`);
  }
}

/** Checks the trials are a non-empty rectangle of finite returns; returns T. */
export function checkTrials(trials: readonly ArrayLike<number>[]): number {
  if (trials.length === 0) throw new RangeError('overfitting statistics: no trials');
  const length = trials[0].length;
  trials.forEach((trial, index) => {
    if (trial.length !== length) throw new RangeError(`overfitting statistics: trial ${index} has ${trial.length} returns, trial 0 has ${length}`);
    checkReturns(trial, `trial ${index}`);
  });
  return length;
}

/** Ranks (1 = worst) of `value` among `values`, ties averaged. */
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

export function backtestOverfitting(trials: readonly ArrayLike<number>[], options: BacktestOverfittingOptions = {}): BacktestOverfitting {
  const blocks = options.blocks ?? defaultBlocks;
  checkBlocks(blocks);
  const days = checkTrials(trials);
  const count = trials.length;
  if (count < 2) throw new RangeError(`PBO: ${count} trial, need at least 2 to select among`);
  const blockLength = Math.floor(days / blocks);
  const half = blocks / 2;
  if (blockLength * half < 2) {
    throw new RangeError(`PBO: ${days} returns in ${blocks} blocks leave ${blockLength * half} per half, need at least 2 for a sample sd`);
  }
  const droppedDays = days - blockLength * blocks;

  // Per trial: its mean c over the kept days, and per block sum (r - c) and sum (r - c)^2.
  const centres = new Float64Array(count);
  const blockSums = new Float64Array(count * blocks);
  const blockSquares = new Float64Array(count * blocks);
  const totalSums = new Float64Array(count);
  const totalSquares = new Float64Array(count);
  for (let trial = 0; trial < count; trial += 1) {
    const returns = trials[trial];
    let sum = 0;
    for (let day = droppedDays; day < days; day += 1) sum += returns[day];
    const centre = sum / (days - droppedDays);
    centres[trial] = centre;
    for (let block = 0; block < blocks; block += 1) {
      let blockSum = 0;
      let blockSquare = 0;
      const start = droppedDays + block * blockLength;
      for (let day = start; day < start + blockLength; day += 1) {
        const deviation = returns[day] - centre;
        blockSum += deviation;
        blockSquare += deviation * deviation;
      }
      blockSums[trial * blocks + block] = blockSum;
      blockSquares[trial * blocks + block] = blockSquare;
      totalSums[trial] += blockSum;
      totalSquares[trial] += blockSquare;
    }
  }

  const halfDays = blockLength * half;
  const sharpeFromSums = (centre: number, sum: number, squares: number): number => {
    const variance = Math.max(0, (squares - (sum * sum) / halfDays) / (halfDays - 1));
    return sharpeOf(centre + sum / halfDays, Math.sqrt(variance));
  };

  const splits = binomial(blocks, half);
  const logits = new Float64Array(splits);
  const selectedTrials = new Int32Array(splits);
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
      const base = trial * blocks;
      let sum = 0;
      let squares = 0;
      for (let k = 0; k < half; k += 1) {
        sum += blockSums[base + chosen[k]];
        squares += blockSquares[base + chosen[k]];
      }
      const centre = centres[trial];
      const inSample = sharpeFromSums(centre, sum, squares);
      outOfSample[trial] = sharpeFromSums(centre, totalSums[trial] - sum, totalSquares[trial] - squares);
      if (inSample > bestSharpe || bestTrial < 0) {
        bestSharpe = inSample;
        bestTrial = trial;
      }
    }
    const omega = averageRank(outOfSample, outOfSample[bestTrial]) / (count + 1);
    const logit = Math.log(omega / (1 - omega));
    logits[split] = logit;
    selectedTrials[split] = bestTrial;
    inSampleSharpes[split] = bestSharpe;
    outOfSampleSharpes[split] = outOfSample[bestTrial];
    if (logit <= 0) overfit += 1;
    if (outOfSample[bestTrial] < 0) losses += 1;

    // Next IS block set in lexicographic order.
    let position = half - 1;
    while (position >= 0 && chosen[position] === blocks - half + position) position -= 1;
    if (position < 0) break;
    chosen[position] += 1;
    for (let k = position + 1; k < half; k += 1) chosen[k] = chosen[k - 1] + 1;
  }

  return {
    pbo: overfit / splits,
    degradationSlope: olsSlope(inSampleSharpes, outOfSampleSharpes),
    probabilityOutOfSampleLoss: losses / splits,
    blocks,
    blockLength,
    droppedDays,
    logits,
    selectedTrials,
    inSampleSharpes,
    outOfSampleSharpes,
  };
}
