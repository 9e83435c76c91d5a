import { barAt, type Bar, type BarSeries } from '../data/bars';
import type { SignalColumns } from '../factors/pipeline';
import type { FeatureValues } from '../features/feature-set';
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
}

const columnCache = new WeakMap<SymbolData, SymbolColumns>();

export function symbolColumns(data: SymbolData): SymbolColumns {
  let columns = columnCache.get(data);
  if (columns === undefined) {
    columns = { factors: Object.entries(data.signals.factors), indicators: Object.entries(data.indicators) };
    columnCache.set(data, columns);
  }
  return columns;
}

export function factorsAt(data: SymbolData, index: number): FactorValues {
  return valuesAt(symbolColumns(data).factors, index);
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
 * The view is immutable; its bar and its history are built only when a strategy asks for them
 * (TrendBreakout reads the bar only while it holds the symbol, and most symbol-days it does not).
 */
class View implements SymbolView {
  private historyView: BarHistory | undefined;
  constructor(
    readonly symbol: string,
    readonly index: number,
    private barView: Bar | undefined,
    readonly features: FeatureValues,
    readonly factors: FactorValues,
    readonly indicators: Readonly<Record<string, number | null>>,
    readonly position: PositionView | null,
    readonly hasPendingOrder: boolean,
    private readonly series: BarSeries,
  ) {}

  get bar(): Bar {
    this.barView ??= barAt(this.series, this.index);
    return this.barView;
  }

  get history(): BarHistory {
    this.historyView ??= historyUpTo(this.series, this.index);
    return this.historyView;
  }
}

export function symbolView(data: SymbolData, index: number, portfolio: Portfolio, hasPendingOrder: boolean, bar?: Bar): SymbolView {
  const columns = symbolColumns(data);
  if (!Number.isInteger(index) || index < 0 || index >= data.series.dates.length) {
    throw new RangeError(`${data.series.symbol}: bar index ${index} is outside 0..${data.series.dates.length - 1}`);
  }
  return new View(
    data.series.symbol,
    index,
    bar,
    featuresAt(data, index),
    valuesAt(columns.factors, index),
    columns.indicators.length === 0 ? noIndicators : valuesAt(columns.indicators, index),
    positionView(portfolio, data.series.symbol),
    hasPendingOrder,
    data.series,
  );
}
