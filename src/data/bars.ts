/**
 * Columnar daily bars for one symbol. Dates are ISO `YYYY-MM-DD` strings,
 * strictly ascending; every numeric column has the same length as `dates`.
 */
export interface BarSeries {
  readonly symbol: string;
  /** Where the bars came from (a file path, or a label for generated data); used in error messages. */
  readonly source: string;
  readonly dates: readonly string[];
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** One bar, as a streaming indicator or a strategy sees it. */
export interface Bar {
  readonly date: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export function barAt(series: BarSeries, index: number): Bar {
  if (!Number.isInteger(index) || index < 0 || index >= series.dates.length) {
    throw new RangeError(`${series.symbol}: bar index ${index} is outside 0..${series.dates.length - 1}`);
  }
  return {
    date: series.dates[index],
    open: series.open[index],
    high: series.high[index],
    low: series.low[index],
    close: series.close[index],
    volume: series.volume[index],
  };
}

/** The first `count` bars of a series (a prefix view; the typed arrays share memory). */
export function barPrefix(series: BarSeries, count: number): BarSeries {
  if (!Number.isInteger(count) || count < 0 || count > series.dates.length) {
    throw new RangeError(`${series.symbol}: prefix length ${count} is outside 0..${series.dates.length}`);
  }
  return {
    symbol: series.symbol,
    source: series.source,
    dates: series.dates.slice(0, count),
    open: series.open.subarray(0, count),
    high: series.high.subarray(0, count),
    low: series.low.subarray(0, count),
    close: series.close.subarray(0, count),
    volume: series.volume.subarray(0, count),
  };
}

/** Builds a series from row objects (tests, generators, notebooks). No validation: use the loader for files. */
export function barSeriesFromRows(symbol: string, rows: readonly Bar[], source = `${symbol} (in memory)`): BarSeries {
  const n = rows.length;
  const series = {
    symbol,
    source,
    dates: rows.map((row) => row.date),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  rows.forEach((row, i) => {
    series.open[i] = row.open;
    series.high[i] = row.high;
    series.low[i] = row.low;
    series.close[i] = row.close;
    series.volume[i] = row.volume;
  });
  return series;
}
