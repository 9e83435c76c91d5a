/**
 * Factor research: does a factor's value at the close of t rank the returns that follow?
 *
 * - Forward return at t over `horizon` bars: `close[t + horizon] / close[t] - 1` (NaN for the
 *   last `horizon` bars). A factor at t uses bars 0..t, so the pair never overlaps in information.
 * - Information coefficient (IC): Spearman rank correlation between factor values and forward
 *   returns (ties get their average rank).
 *   - cross-sectional IC: one correlation per date across the symbols that have both values
 *     that day; with few symbols (3 by default) it is noisy, so
 *   - time-series IC: one correlation per symbol across its dates.
 * - Quantile returns: the (factor, forward return) pairs pooled over symbols and dates, cut
 *   into `quantiles` buckets by factor rank (Q1 = lowest), mean forward return per bucket.
 * Forward returns over h > 1 bars sampled every bar overlap, so neighbouring pairs are not
 * independent: read ICs as effect sizes, not as significance tests.
 */
import type { BarSeries } from '../data/bars';
import { defaultFactorModel, type FactorModel } from '../factors/factor-model';
import { computeSignals } from '../factors/pipeline';
import { defaultFeaturePeriods, featureNames, type FeaturePeriods } from '../features/feature-set';

/** Ranks 1..n, ties sharing their average rank. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].value === order[start].value) end++;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) ranks[order[i].index] = rank;
    start = end + 1;
  }
  return ranks;
}

function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i];
    meanY += y[i];
  }
  meanX /= n;
  meanY /= n;
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - meanX;
    const dy = y[i] - meanY;
    covariance += dx * dy;
    varianceX += dx * dx;
    varianceY += dy * dy;
  }
  if (varianceX === 0 || varianceY === 0) return null;
  return covariance / Math.sqrt(varianceX * varianceY);
}

/**
 * Spearman rank correlation of the pairs where both values are finite; null with fewer than
 * `minimumPairs` such pairs or when either side is constant (the correlation is undefined).
 */
export function spearmanCorrelation(x: ArrayLike<number>, y: ArrayLike<number>, minimumPairs = 3): number | null {
  if (x.length !== y.length) throw new RangeError(`spearman: the two series differ in length (${x.length} and ${y.length})`);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      xs.push(x[i]);
      ys.push(y[i]);
    }
  }
  if (xs.length < Math.max(2, minimumPairs)) return null;
  return pearson(averageRanks(xs), averageRanks(ys));
}

/** `close[t + horizon] / close[t] - 1`, NaN where t + horizon is past the end. */
export function forwardReturns(close: ArrayLike<number>, horizon: number): Float64Array {
  if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`forward returns: horizon must be an integer >= 1, got ${horizon}`);
  const out = new Float64Array(close.length).fill(Number.NaN);
  for (let t = 0; t + horizon < close.length; t++) out[t] = close[t + horizon] / close[t] - 1;
  return out;
}

/** One symbol's factor columns (features, factors and score; NaN while not ready) and forward returns. */
export interface SymbolFactorPanel {
  readonly symbol: string;
  readonly dates: readonly string[];
  readonly columns: Readonly<Record<string, Float64Array>>;
  readonly forward: Float64Array;
}

export interface FactorPanelOptions {
  readonly horizon?: number;
  readonly periods?: FeaturePeriods;
  readonly model?: FactorModel;
  /** Also study the five features themselves (default true). */
  readonly includeFeatures?: boolean;
}

/** Factor (and feature) columns and forward returns of every symbol: the input of the IC functions. */
export function factorPanel(bars: readonly BarSeries[], options: FactorPanelOptions = {}): SymbolFactorPanel[] {
  const horizon = options.horizon ?? 20;
  return bars.map((series) => {
    const signals = computeSignals(series, options.periods ?? defaultFeaturePeriods, options.model ?? defaultFactorModel);
    const columns: Record<string, Float64Array> = { ...signals.factors };
    if (options.includeFeatures ?? true) for (const name of featureNames) columns[name] = signals.features[name];
    return { symbol: series.symbol, dates: series.dates, columns, forward: forwardReturns(series.close, horizon) };
  });
}

export interface IcSummary {
  readonly factor: string;
  /** Symbol for a time-series IC, `all` for the cross-sectional summary. */
  readonly scope: string;
  /** Mean IC (the IC itself for a time-series IC). */
  readonly ic: number | null;
  /** Number of correlations averaged (cross-sectional) or of pairs (time-series). */
  readonly observations: number;
}

/** Spearman IC of each factor against forward returns, per symbol over its dates. */
export function timeSeriesIc(panel: readonly SymbolFactorPanel[], factors?: readonly string[]): IcSummary[] {
  const out: IcSummary[] = [];
  for (const symbolPanel of panel) {
    for (const factor of factors ?? Object.keys(symbolPanel.columns)) {
      const column = symbolPanel.columns[factor];
      if (column === undefined) throw new RangeError(`time-series IC: unknown factor "${factor}" (known: ${Object.keys(symbolPanel.columns).join(', ')})`);
      let pairs = 0;
      for (let t = 0; t < column.length; t++) if (Number.isFinite(column[t]) && Number.isFinite(symbolPanel.forward[t])) pairs++;
      out.push({ factor, scope: symbolPanel.symbol, ic: spearmanCorrelation(column, symbolPanel.forward), observations: pairs });
    }
  }
  return out;
}

export interface DatedIc {
  readonly date: string;
  readonly factor: string;
  readonly ic: number;
  /** Symbols that had both values that day. */
  readonly symbols: number;
}

/**
 * Cross-sectional Spearman IC per date and factor, over the symbols that have both a factor
 * value and a forward return that day (dates with fewer than `minimumSymbols` are skipped).
 */
export function crossSectionalIc(panel: readonly SymbolFactorPanel[], options: { factors?: readonly string[]; minimumSymbols?: number } = {}): DatedIc[] {
  const minimumSymbols = options.minimumSymbols ?? 3;
  const factors = options.factors ?? (panel.length > 0 ? Object.keys(panel[0].columns) : []);
  const dates = [...new Set(panel.flatMap((symbolPanel) => symbolPanel.dates))].sort();
  const indexes = panel.map((symbolPanel) => new Map(symbolPanel.dates.map((date, index) => [date, index])));
  const out: DatedIc[] = [];
  for (const date of dates) {
    for (const factor of factors) {
      const x: number[] = [];
      const y: number[] = [];
      panel.forEach((symbolPanel, s) => {
        const index = indexes[s].get(date);
        if (index === undefined) return;
        const value = symbolPanel.columns[factor]?.[index];
        const forward = symbolPanel.forward[index];
        if (value !== undefined && Number.isFinite(value) && Number.isFinite(forward)) {
          x.push(value);
          y.push(forward);
        }
      });
      if (x.length < minimumSymbols) continue;
      const ic = spearmanCorrelation(x, y, minimumSymbols);
      if (ic !== null) out.push({ date, factor, ic, symbols: x.length });
    }
  }
  return out;
}

/** Mean of the dated ICs per factor, in the order of `factors` (default: the order they first appear). */
export function summarizeCrossSectionalIc(ics: readonly DatedIc[], factors?: readonly string[]): IcSummary[] {
  const sums = new Map<string, { sum: number; count: number }>();
  for (const entry of ics) {
    const total = sums.get(entry.factor) ?? { sum: 0, count: 0 };
    total.sum += entry.ic;
    total.count++;
    sums.set(entry.factor, total);
  }
  const order = factors ?? [...sums.keys()];
  return order.filter((factor) => sums.has(factor)).map((factor) => {
    const { sum, count } = sums.get(factor) as { sum: number; count: number };
    return { factor, scope: 'all', ic: sum / count, observations: count };
  });
}

export interface QuantileReturn {
  readonly factor: string;
  /** 1 = lowest factor values. */
  readonly quantile: number;
  readonly meanReturn: number;
  readonly observations: number;
}

/**
 * Pools every (factor value, forward return) pair of the panel, sorts by factor value and cuts
 * the sorted pairs into `quantiles` buckets of (nearly) equal size; pairs with equal factor
 * values may straddle a boundary. Returns the mean forward return of each bucket.
 */
export function quantileReturns(panel: readonly SymbolFactorPanel[], factor: string, quantiles = 5): QuantileReturn[] {
  if (!Number.isInteger(quantiles) || quantiles < 2) throw new RangeError(`quantile returns: quantiles must be an integer >= 2, got ${quantiles}`);
  const pairs: [number, number][] = [];
  for (const symbolPanel of panel) {
    const column = symbolPanel.columns[factor];
    if (column === undefined) throw new RangeError(`quantile returns: unknown factor "${factor}" for ${symbolPanel.symbol}`);
    for (let t = 0; t < column.length; t++) {
      if (Number.isFinite(column[t]) && Number.isFinite(symbolPanel.forward[t])) pairs.push([column[t], symbolPanel.forward[t]]);
    }
  }
  if (pairs.length < quantiles) return [];
  pairs.sort((a, b) => a[0] - b[0]);
  const out: QuantileReturn[] = [];
  for (let q = 0; q < quantiles; q++) {
    const from = Math.floor((q * pairs.length) / quantiles);
    const to = Math.floor(((q + 1) * pairs.length) / quantiles);
    let sum = 0;
    for (let i = from; i < to; i++) sum += pairs[i][1];
    out.push({ factor, quantile: q + 1, meanReturn: sum / (to - from), observations: to - from });
  }
  return out;
}
