import { barAt, type Bar, type BarSeries } from '../data/bars';
import type { SignalColumns } from '../factors/pipeline';
import type { FeatureName, FeatureValues } from '../features/feature-set';
import type { FactorValues } from '../factors/factor-model';
import type { Portfolio } from '../portfolio/portfolio';
import type { BarHistory, PositionView, SymbolView } from '../strategies/strategy';

/** Everything precomputed for one symbol: its bars, features and factors, and the strategy's own columns. */
export interface SymbolData {
  readonly series: BarSeries;
  readonly signals: SignalColumns;
  readonly indicators: Readonly<Record<string, Float64Array>>;
}

function nullable(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

export function featuresAt(data: SymbolData, index: number): FeatureValues {
  const columns = data.signals.features;
  return {
    roc: nullable(columns.roc[index]),
    price_vs_ma: nullable(columns.price_vs_ma[index]),
    price_vs_high: nullable(columns.price_vs_high[index]),
    volume_zscore: nullable(columns.volume_zscore[index]),
    volatility: nullable(columns.volatility[index]),
  };
}

type Columns = readonly (readonly [string, Float64Array])[];

/**
 * Values of the columns at `index`, as a plain object keyed in column order. This runs for every
 * symbol on every bar. One store site per position sees one key per model, so the stores stay
 * monomorphic; a loop's single store site sees every key, goes megamorphic and was the largest
 * single cost of a backtest's daily loop (about 100 ns against 40 ns per call for three factors).
 */
function valuesAt(columns: Columns, index: number): Record<string, number | null> {
  const values: Record<string, number | null> = {};
  const count = columns.length;
  if (count > 0) values[columns[0][0]] = nullable(columns[0][1][index]);
  if (count > 1) values[columns[1][0]] = nullable(columns[1][1][index]);
  if (count > 2) values[columns[2][0]] = nullable(columns[2][1][index]);
  if (count > 3) values[columns[3][0]] = nullable(columns[3][1][index]);
  for (let i = 4; i < count; i++) values[columns[i][0]] = nullable(columns[i][1][index]);
  return values;
}

/** Column lists resolved once per symbol, so the daily loop does no key enumeration. */
export interface SymbolColumns {
  readonly factors: readonly (readonly [string, Float64Array])[];
  readonly indicators: readonly (readonly [string, Float64Array])[];
  /** First index at which every feature has a value (features stay ready once they are). */
  readonly readyFrom: number;
}

const columnCache = new WeakMap<SymbolData, SymbolColumns>();

function firstReadyIndex(data: SymbolData): number {
  const columns = Object.values(data.signals.features);
  const count = data.series.dates.length;
  let ready = 0;
  for (const column of columns) {
    while (ready < count && Number.isNaN(column[ready])) ready++;
  }
  // A later NaN would break "ready from here on"; features never produce one, but check once.
  for (const column of columns) {
    for (let i = ready; i < count; i++) if (Number.isNaN(column[i])) return count;
  }
  return ready;
}

export function symbolColumns(data: SymbolData): SymbolColumns {
  let columns = columnCache.get(data);
  if (columns === undefined) {
    columns = {
      factors: Object.entries(data.signals.factors),
      indicators: Object.entries(data.indicators),
      readyFrom: firstReadyIndex(data),
    };
    columnCache.set(data, columns);
  }
  return columns;
}

/** Bars 0..t of a series; anything later throws, so a strategy cannot peek by accident. */
export function historyUpTo(series: BarSeries, t: number): BarHistory {
  return {
    length: t + 1,
    at(index: number): Bar {
      if (index > t) throw new RangeError(`${series.symbol}: bar ${index} is in the future at bar ${t} (${series.dates[t]})`);
      return barAt(series, index);
    },
    closes(count: number): number[] {
      const from = Math.max(0, t + 1 - count);
      return Array.from(series.close.subarray(from, t + 1));
    },
  };
}

/** A position is immutable and already has every field a strategy may see. */
export function positionView(portfolio: Portfolio, symbol: string): PositionView | null {
  return portfolio.positions.get(symbol) ?? null;
}

const noIndicators: Readonly<Record<string, number | null>> = Object.freeze({});

/**
 * The view is immutable. Its bar, features, factors, indicators and history are built on first
 * read: a strategy that skips most symbols most days (TrendBreakout reads the features only of
 * a flat symbol with a positive score) allocates nothing for them. They are getters, so copy a
 * view field by field, not with `{...view}`.
 */
class View implements SymbolView {
  private barView: Bar | undefined;
  private featureValues: FeatureValues | undefined;
  private factorValues: FactorValues | undefined;
  private indicatorValues: Readonly<Record<string, number | null>> | undefined;
  private historyView: BarHistory | undefined;
  readonly featuresReady: boolean;
  constructor(
    private readonly data: SymbolData,
    private readonly columns: SymbolColumns,
    readonly symbol: string,
    readonly index: number,
    readonly position: PositionView | null,
    readonly hasPendingOrder: boolean,
  ) {
    this.featuresReady = index >= columns.readyFrom;
  }

  get bar(): Bar {
    this.barView ??= barAt(this.data.series, this.index);
    return this.barView;
  }

  get features(): FeatureValues {
    this.featureValues ??= featuresAt(this.data, this.index);
    return this.featureValues;
  }

  get factors(): FactorValues {
    this.factorValues ??= valuesAt(this.columns.factors, this.index);
    return this.factorValues;
  }

  get indicators(): Readonly<Record<string, number | null>> {
    this.indicatorValues ??= this.columns.indicators.length === 0 ? noIndicators : valuesAt(this.columns.indicators, this.index);
    return this.indicatorValues;
  }

  get history(): BarHistory {
    this.historyView ??= historyUpTo(this.data.series, this.index);
    return this.historyView;
  }

  featureValue(name: FeatureName): number | null {
    const column = this.data.signals.features[name];
    if (column === undefined) throw new RangeError(`unknown feature "${name}"`);
    return nullable(column[this.index]);
  }

  factorValue(name: string): number | null {
    const column = Object.hasOwn(this.data.signals.factors, name) ? this.data.signals.factors[name] : undefined;
    if (column === undefined) throw new RangeError(`unknown factor "${name}" (known: ${Object.keys(this.data.signals.factors).join(', ')})`);
    return nullable(column[this.index]);
  }
}

export function symbolView(data: SymbolData, index: number, portfolio: Portfolio, hasPendingOrder: boolean): SymbolView {
  if (!Number.isInteger(index) || index < 0 || index >= data.series.dates.length) {
    throw new RangeError(`${data.series.symbol}: bar index ${index} is outside 0..${data.series.dates.length - 1}`);
  }
  return new View(data, symbolColumns(data), data.series.symbol, index, positionView(portfolio, data.series.symbol), hasPendingOrder);
}
