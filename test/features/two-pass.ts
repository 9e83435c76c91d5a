/**
 * An independent, deliberately naive implementation of the TrendBreakout features and the
 * default factors, written straight from /work/shared/trend-breakout-spec.md. Every value at t
 * is recomputed from scratch from the bars of its window: no ring buffers, no running sums, no
 * deques, nothing shared with src/. Means and variances are plain two-pass (mean first, then
 * the sum of squared deviations from it). `null` means "not ready".
 *
 * The spec's defaults are written out here again on purpose, so that a wrong default in
 * src/ shows up as a difference instead of being copied.
 */

export type Column = (number | null)[];

export interface PlainBars {
  readonly high: ArrayLike<number>;
  readonly close: ArrayLike<number>;
  readonly volume: ArrayLike<number>;
}

export interface Periods {
  roc: number;
  price_vs_ma: number;
  price_vs_high: number;
  volume_zscore: number;
  volatility: number;
}

/** The spec's table, column "default". */
export const specPeriods: Readonly<Periods> = Object.freeze({
  roc: 20,
  price_vs_ma: 50,
  price_vs_high: 20,
  volume_zscore: 20,
  volatility: 20,
});

export const featureOrder = ['roc', 'price_vs_ma', 'price_vs_high', 'volume_zscore', 'volatility'] as const;
export type Name = (typeof featureOrder)[number];

function mean(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total / values.length;
}

function allEqual(values: readonly number[]): boolean {
  return values.every((value) => value === values[0]);
}

/** Sample standard deviation (n - 1), two-pass; exactly 0 when every value is equal. */
export function sampleSd(values: readonly number[]): number {
  if (allEqual(values)) return 0;
  const m = mean(values);
  let squares = 0;
  for (const value of values) squares += (value - m) * (value - m);
  return Math.sqrt(squares / (values.length - 1));
}

function slice(values: ArrayLike<number>, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(values[i]);
  return out;
}

/** roc: close[t] / close[t-n] - 1. */
export function rocAt(bars: PlainBars, t: number, n: number): number | null {
  if (t - n < 0) return null;
  return bars.close[t] / bars.close[t - n] - 1;
}

/** price_vs_ma: close[t] / mean(close[t-n+1..t]) - 1. */
export function priceVsMaAt(bars: PlainBars, t: number, n: number): number | null {
  if (t - n + 1 < 0) return null;
  return bars.close[t] / mean(slice(bars.close, t - n + 1, t)) - 1;
}

/** price_vs_high: close[t] / max(high[t-n..t-1]) - 1, today's high excluded. */
export function priceVsHighAt(bars: PlainBars, t: number, n: number): number | null {
  if (t - n < 0) return null;
  return bars.close[t] / Math.max(...slice(bars.high, t - n, t - 1)) - 1;
}

/** volume_zscore: (volume[t] - mean(v)) / sd(v), v = volume[t-n+1..t], sample sd; 0 where sd = 0. */
export function volumeZScoreAt(bars: PlainBars, t: number, n: number): number | null {
  if (t - n + 1 < 0) return null;
  const window = slice(bars.volume, t - n + 1, t);
  const sd = sampleSd(window);
  if (sd === 0) return 0;
  return (bars.volume[t] - mean(window)) / sd;
}

/** The log returns ln(close[i] / close[i-1]) for i = t-n+1..t (needs t-n >= 0). */
export function logReturns(bars: PlainBars, t: number, n: number): number[] {
  const out: number[] = [];
  for (let i = t - n + 1; i <= t; i++) out.push(Math.log(bars.close[i] / bars.close[i - 1]));
  return out;
}

/** volatility: sample sd of the n log returns ending at t (daily, not annualised). */
export function volatilityAt(bars: PlainBars, t: number, n: number): number | null {
  if (t - n < 0) return null;
  return sampleSd(logReturns(bars, t, n));
}

export type FeatureTable = Record<Name, Column>;

export function twoPassFeatures(bars: PlainBars, periods: Periods = specPeriods): FeatureTable {
  const count = bars.close.length;
  const table: FeatureTable = { roc: [], price_vs_ma: [], price_vs_high: [], volume_zscore: [], volatility: [] };
  for (let t = 0; t < count; t++) {
    table.roc.push(rocAt(bars, t, periods.roc));
    table.price_vs_ma.push(priceVsMaAt(bars, t, periods.price_vs_ma));
    table.price_vs_high.push(priceVsHighAt(bars, t, periods.price_vs_high));
    table.volume_zscore.push(volumeZScoreAt(bars, t, periods.volume_zscore));
    table.volatility.push(volatilityAt(bars, t, periods.volatility));
  }
  return table;
}

export interface FactorTable {
  momentum: Column;
  breakout: Column;
  score: Column;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** The spec's default factors, written as the spec writes them. Not ready while any input is not. */
export function specMomentum(roc: number | null, priceVsMa: number | null): number | null {
  return roc === null || priceVsMa === null ? null : 0.5 * roc + 0.5 * priceVsMa;
}

export function specBreakout(priceVsHigh: number | null, volumeZScore: number | null): number | null {
  return priceVsHigh === null || volumeZScore === null ? null : 1.0 * priceVsHigh + 0.01 * clamp(volumeZScore, -3, 3);
}

export function specScore(momentum: number | null, breakout: number | null): number | null {
  return momentum === null || breakout === null ? null : 0.5 * momentum + 0.5 * breakout;
}

export function twoPassFactors(features: FeatureTable): FactorTable {
  const momentum = features.roc.map((roc, t) => specMomentum(roc, features.price_vs_ma[t]));
  const breakout = features.price_vs_high.map((pvh, t) => specBreakout(pvh, features.volume_zscore[t]));
  const score = momentum.map((m, t) => specScore(m, breakout[t]));
  return { momentum, breakout, score };
}

// ---------------------------------------------------------------------------------------------
// Tolerances.
//
// The target is |a - b| <= 1e-9 * max(|a|, |b|). Near zero a relative bound means nothing, so
// each feature also gets an absolute floor proportional to the scale of the quantities it is
// computed from, i.e. to how large a rounding error in its inputs can be:
//
// - roc, price_vs_ma, price_vs_high are `ratio - 1` with ratio = value + 1. The ratio is
//   formed from at most n + 2 roundings of relative size 2^-53 (a mean of n <= 250 values and a
//   division), so any double implementation is within about (n + 2) * 1.1e-16 * |ratio|
//   <= 3e-14 * |ratio| of the truth. Floor: 1e-12 * |ratio| (30x margin, still 1e-9
//   relative for any move larger than 0.1%).
// - volume_zscore = (v - mean) / sd. Forming mean(v) in doubles rounds it by ~1.1e-16 * |mean|
//   whatever the algorithm, and z moves by that over sd: the unavoidable error is
//   ~1e-16 * (|v| + |mean|) / sd, which for volumes of 1e9 with a spread of 1 is 1e-7. Floor:
//   1e-12 * (|v| + |mean|) / sd (4 orders of magnitude above one rounding).
// - volatility: the sd of returns r. Every formula for a variance (two-pass included) carries
//   an absolute error of a few roundings of the squares it adds, i.e. ~n * 1.1e-16 * rms(r)^2 on
//   the variance, which in sd is at most sqrt of that near sd = 0. Floor: 1e-9 * rms(r) of the
//   window (rms(r) >= sd, so away from zero this is the relative bound itself).
// Factors are weighted sums (clamp is 1-Lipschitz), so their floor is the weighted sum of their
// inputs' floors plus the rounding of the sum itself (1e-15 * sum of |terms|).
// ---------------------------------------------------------------------------------------------

export const RELATIVE = 1e-9;

export function withinTolerance(a: number, b: number, floor: number): boolean {
  if (Object.is(a, b)) return true;
  return Math.abs(a - b) <= Math.max(RELATIVE * Math.max(Math.abs(a), Math.abs(b)), floor);
}

/** Absolute floor for feature `name` at bar t, from the two-pass reference value and the bars. */
export function featureFloor(name: Name, bars: PlainBars, t: number, n: number, reference: number): number {
  switch (name) {
    case 'roc':
    case 'price_vs_ma':
    case 'price_vs_high':
      return 1e-12 * Math.abs(reference + 1);
    case 'volume_zscore': {
      const window = slice(bars.volume, t - n + 1, t);
      const sd = sampleSd(window);
      if (sd === 0) return 0; // must be exactly 0
      return (1e-12 * (Math.abs(bars.volume[t]) + Math.abs(mean(window)))) / sd;
    }
    case 'volatility': {
      const returns = logReturns(bars, t, n);
      let squares = 0;
      for (const r of returns) squares += r * r;
      return 1e-9 * Math.sqrt(squares / n);
    }
  }
}

/**
 * Floor of a default factor at bar t from its inputs' floors (see above); 0 when an input is
 * not ready (the factor is then not ready either, and must be exactly "not ready").
 */
export function factorFloor(factor: 'momentum' | 'breakout' | 'score', features: FeatureTable, floors: Record<Name, number>, t: number): number {
  const roc = features.roc[t];
  const pvma = features.price_vs_ma[t];
  const pvh = features.price_vs_high[t];
  const z = features.volume_zscore[t];
  let momentum = 0;
  let breakout = 0;
  if (roc !== null && pvma !== null) {
    momentum = 0.5 * floors.roc + 0.5 * floors.price_vs_ma + 1e-15 * (0.5 * Math.abs(roc) + 0.5 * Math.abs(pvma));
  }
  if (pvh !== null && z !== null) {
    breakout = floors.price_vs_high + 0.01 * floors.volume_zscore + 1e-15 * (Math.abs(pvh) + 0.01 * Math.abs(clamp(z, -3, 3)));
  }
  if (factor === 'momentum') return momentum;
  if (factor === 'breakout') return breakout;
  const m = specMomentum(roc, pvma);
  const b = specBreakout(pvh, z);
  if (m === null || b === null) return 0;
  return 0.5 * momentum + 0.5 * breakout + 1e-15 * (0.5 * Math.abs(m) + 0.5 * Math.abs(b));
}

export interface Mismatch {
  column: string;
  t: number;
  actual: number | null;
  expected: number | null;
  floor: number;
}

/**
 * Compares batch columns (NaN = not ready) with the two-pass table (null = not ready): the
 * not-ready cells must be exactly the same, and every ready cell within tolerance. Returns
 * every mismatch (an empty list when all agree).
 */
export function compareWithTwoPass(
  bars: PlainBars,
  periods: Periods,
  actualFeatures: Record<Name, ArrayLike<number>>,
  actualFactors?: { momentum: ArrayLike<number>; breakout: ArrayLike<number>; score: ArrayLike<number> },
): Mismatch[] {
  const expected = twoPassFeatures(bars, periods);
  const expectedFactors = twoPassFactors(expected);
  const mismatches: Mismatch[] = [];
  const count = bars.close.length;
  const check = (column: string, t: number, actualValue: number, expectedValue: number | null, floor: number): void => {
    const actual = Number.isNaN(actualValue) ? null : actualValue;
    const ok = actual === null || expectedValue === null ? actual === expectedValue : withinTolerance(actual, expectedValue, floor);
    if (!ok) mismatches.push({ column, t, actual, expected: expectedValue, floor });
  };
  for (let t = 0; t < count; t++) {
    const floors = {} as Record<Name, number>;
    for (const name of featureOrder) {
      const reference = expected[name][t];
      floors[name] = reference === null ? 0 : featureFloor(name, bars, t, periods[name], reference);
      check(name, t, actualFeatures[name][t], reference, floors[name]);
    }
    if (actualFactors === undefined) continue;
    for (const factor of ['momentum', 'breakout', 'score'] as const) {
      check(factor, t, actualFactors[factor][t], expectedFactors[factor][t], factorFloor(factor, expected, floors, t));
    }
  }
  return mismatches;
}

/** A short human-readable list of the first mismatches, for assertion messages. */
export function describeMismatches(mismatches: readonly Mismatch[], dates?: readonly string[], limit = 8): string {
  return mismatches
    .slice(0, limit)
    .map((m) => `${m.column}[${m.t}${dates ? ` ${dates[m.t]}` : ''}]: actual ${m.actual} expected ${m.expected} (|diff| ${m.actual !== null && m.expected !== null ? Math.abs(m.actual - m.expected) : '-'}, floor ${m.floor})`)
    .join('\n') + (mismatches.length > limit ? `\n... and ${mismatches.length - limit} more` : '');
}
