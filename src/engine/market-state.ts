import { barAt, type Bar, type BarSeries } from '../data/bars';
import type { SignalColumns } from '../factors/pipeline';
import { featureNames, type FeatureValues } from '../features/feature-set';
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
  const values = {} as FeatureValues;
  for (const name of featureNames) values[name] = nullable(columns[name][index]);
  return values;
}

export function factorsAt(data: SymbolData, index: number): FactorValues {
  const values: FactorValues = {};
  for (const [name, column] of Object.entries(data.signals.factors)) values[name] = nullable(column[index]);
  return values;
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

export function positionView(portfolio: Portfolio, symbol: string): PositionView | null {
  const position = portfolio.positions[symbol];
  if (position === undefined) return null;
  return {
    symbol,
    shares: position.shares,
    entryPrice: position.entryPrice,
    entryDate: position.entryDate,
    entrySignalDate: position.entrySignalDate,
    memo: position.memo,
  };
}

export function symbolView(data: SymbolData, index: number, portfolio: Portfolio, hasPendingOrder: boolean): SymbolView {
  const indicators: Record<string, number | null> = {};
  for (const [name, column] of Object.entries(data.indicators)) indicators[name] = nullable(column[index]);
  return {
    symbol: data.series.symbol,
    index,
    bar: barAt(data.series, index),
    features: featuresAt(data, index),
    factors: factorsAt(data, index),
    indicators,
    position: positionView(portfolio, data.series.symbol),
    hasPendingOrder,
    history: historyUpTo(data.series, index),
  };
}
