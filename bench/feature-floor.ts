/**
 * A calibration for the feature bench, not a usable kernel: the five features and the default
 * factors with the least arithmetic their definitions allow, and none of the accuracy guards of
 * src/features (plain running sums and sums of squares, no anchor, no exact recomputation, no
 * collapse check, no exact zeros; Math.log). Its values drift and cancel over decades of bars,
 * which is why the library does not compute them this way. It shows what this machine charges
 * for the divisions, square roots, logs, maxima and output writes alone: the floor under any
 * implementation of computeSignals in JavaScript here.
 */
import type { BarSeries } from '../src/data/bars';

const chunk = 2048;

/** Eight columns (roc, price_vs_ma, price_vs_high, volume_zscore, volatility, momentum, breakout, score). */
export function allocateFloorColumns(count: number): Float64Array[] {
  return Array.from({ length: 8 }, () => new Float64Array(count));
}

/** Spec default periods (20, 50, 20, 20, 20) and weights, into `out` (fresh when omitted). */
export function floorSignals(series: BarSeries, out: Float64Array[] = allocateFloorColumns(series.close.length)): Float64Array[] {
  const count = series.close.length;
  const state = new Float64Array(8);
  const suffixMax = new Float64Array(20);
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(count, from + chunk);
    roc(series.close, from, to, out[0]);
    mean(state, series.close, from, to, out[1]);
    high(state, suffixMax, series.high, series.close, from, to, out[2]);
    zScore(state, series.volume, from, to, out[3]);
    volatility(state, series.close, from, to, out[4]);
    factors(out, from, to);
  }
  return out;
}

function roc(close: Float64Array, from: number, to: number, out: Float64Array): void {
  for (let t = Math.max(from, 20); t < to; t++) out[t] = close[t] / close[t - 20] - 1;
}

function mean(state: Float64Array, close: Float64Array, from: number, to: number, out: Float64Array): void {
  let sum = state[0];
  for (let t = from; t < to; t++) {
    const value = close[t];
    sum += t >= 50 ? value - close[t - 50] : value;
    out[t] = value / (sum * 0.02) - 1;
  }
  state[0] = sum;
}

function high(state: Float64Array, suffixMax: Float64Array, high: Float64Array, close: Float64Array, from: number, to: number, out: Float64Array): void {
  let newerMax = state[1];
  for (let t = Math.max(from, 20); t < to; t++) {
    const offset = t % 20;
    if (offset === 0) {
      let maximum = -Infinity;
      for (let j = 19; j >= 0; j--) {
        const value = high[t - 20 + j];
        if (value > maximum) maximum = value;
        suffixMax[j] = maximum;
      }
      newerMax = -Infinity;
    }
    const older = suffixMax[offset];
    out[t] = close[t] / (older > newerMax ? older : newerMax) - 1;
    const barHigh = high[t];
    if (barHigh >= newerMax) newerMax = barHigh;
  }
  state[1] = newerMax;
}

function zScore(state: Float64Array, volume: Float64Array, from: number, to: number, out: Float64Array): void {
  let sum = state[2];
  let squares = state[3];
  for (let t = from; t < to; t++) {
    const value = volume[t];
    const old = t >= 20 ? volume[t - 20] : 0;
    sum += value - old;
    squares += value * value - old * old;
    const average = sum * 0.05;
    out[t] = (value - average) / Math.sqrt((squares - sum * average) / 19);
  }
  state[2] = sum;
  state[3] = squares;
}

const returns = new Float64Array(chunk + 20);

function volatility(state: Float64Array, close: Float64Array, from: number, to: number, out: Float64Array): void {
  for (let t = Math.max(from, 1); t < to; t++) returns[20 + t - from] = Math.log(close[t] / close[t - 1]);
  let sum = state[4];
  let squares = state[5];
  for (let t = Math.max(from, 1); t < to; t++) {
    const value = returns[20 + t - from];
    const old = t > 20 ? returns[t - from] : 0;
    sum += value - old;
    squares += value * value - old * old;
    out[t] = Math.sqrt((squares - sum * sum * 0.05) / 19);
  }
  state[4] = sum;
  state[5] = squares;
  returns.copyWithin(0, to - from, to - from + 20);
}

function factors(out: Float64Array[], from: number, to: number): void {
  const [roc, priceVsMa, priceVsHigh, volumeZScore, , momentum, breakout, score] = out;
  for (let t = from; t < to; t++) {
    const m = 0.5 * roc[t] + 0.5 * priceVsMa[t];
    const z = volumeZScore[t];
    const b = priceVsHigh[t] + 0.01 * (z < -3 ? -3 : z > 3 ? 3 : z);
    momentum[t] = m;
    breakout[t] = b;
    score[t] = 0.5 * m + 0.5 * b;
  }
}
