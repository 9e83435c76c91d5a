/**
 * Vega-Lite chart specs for research and reports: plain JSON builders, so a notebook can tweak
 * a spec before rendering it (chart-rendering.ts). Only vega-lite's types are imported here, so
 * building a spec never loads vega.
 * Dates are `YYYY-MM-DD` strings drawn on UTC scales, so the axes do not depend on the time
 * zone of the machine that renders them.
 */
import type { TopLevelSpec } from 'vega-lite';

/**
 * A Vega-Lite spec (https://vega.github.io/vega-lite/docs/) as plain JSON data. Typed loosely in
 * the public API on purpose: vega-lite's own types are large and would slow every notebook's
 * first cell by seconds; the builders below are checked against them inside the library.
 */
export interface ChartSpec {
  readonly [key: string]: unknown;
}

/** Shared look: system fonts only (an offline file cannot load web fonts), no outer frame. */
const baseConfig = {
  font: 'sans-serif',
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' as const, offset: 8 },
};

const utcDate = (title = 'date') => ({ field: 'date', type: 'temporal' as const, title, scale: { type: 'utc' as const }, axis: { format: '%Y-%m', labelAngle: 0 } });

export interface ChartSize {
  readonly width?: number;
  readonly height?: number;
}

/** One point of a multi-series time chart. */
export interface SeriesPoint {
  readonly date: string;
  readonly series: string;
  readonly value: number;
}

/**
 * Several lines over time (e.g. close, moving average and prior high; factor scores per
 * symbol; equity of several runs). Non-finite values are left out, which leaves a gap.
 */
export function lineChart(points: readonly SeriesPoint[], options: ChartSize & { title?: string; yTitle?: string; yFormat?: string; seriesTitle?: string; zero?: boolean } = {}): ChartSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: options.title,
    width: options.width ?? 760,
    height: options.height ?? 260,
    config: baseConfig,
    data: { values: points.filter((point) => Number.isFinite(point.value)).map((point) => ({ ...point })) },
    mark: { type: 'line', strokeWidth: 1.3, clip: true },
    encoding: {
      x: utcDate(),
      y: { field: 'value', type: 'quantitative', title: options.yTitle ?? 'value', scale: { zero: options.zero ?? false }, axis: options.yFormat ? { format: options.yFormat } : {} },
      color: { field: 'series', type: 'nominal', title: options.seriesTitle ?? null, sort: null },
    },
  } satisfies TopLevelSpec;
}

export interface EquityPointLike {
  readonly date: string;
  readonly equity: number;
}

export function equityChart(curve: readonly EquityPointLike[], options: ChartSize & { title?: string } = {}): ChartSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: options.title ?? 'Equity',
    width: options.width ?? 760,
    height: options.height ?? 260,
    config: baseConfig,
    data: { values: curve.map((point) => ({ date: point.date, equity: point.equity })) },
    mark: { type: 'line', strokeWidth: 1.4, color: '#1f5f9e', clip: true },
    encoding: {
      x: utcDate(),
      y: { field: 'equity', type: 'quantitative', title: 'equity', scale: { zero: false }, axis: { format: ',.0f' } },
    },
  } satisfies TopLevelSpec;
}

export interface DrawdownPoint {
  readonly date: string;
  /** 0 at a new high, negative below it (e.g. -0.12 = 12% under the running peak). */
  readonly drawdown: number;
}

export function drawdownChart(points: readonly DrawdownPoint[], options: ChartSize & { title?: string } = {}): ChartSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: options.title ?? 'Drawdown from the running peak',
    width: options.width ?? 760,
    height: options.height ?? 160,
    config: baseConfig,
    data: { values: points.map((point) => ({ date: point.date, drawdown: point.drawdown })) },
    mark: { type: 'area', color: '#c0392b', opacity: 0.75, line: { color: '#8e1f14', strokeWidth: 0.8 }, clip: true },
    encoding: {
      x: utcDate(),
      y: { field: 'drawdown', type: 'quantitative', title: 'drawdown', axis: { format: '.0%' } },
    },
  } satisfies TopLevelSpec;
}

export interface MonthlyReturnCell {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  readonly return: number;
}

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Year x month grid of returns, diverging colours centred on 0, each cell labelled. */
export function monthlyReturnsHeatmap(cells: readonly MonthlyReturnCell[], options: { title?: string; cellSize?: number } = {}): ChartSpec {
  const size = options.cellSize ?? 44;
  const years = [...new Set(cells.map((cell) => cell.year))].sort((a, b) => a - b);
  const largest = Math.max(0.01, ...cells.map((cell) => Math.abs(cell.return)));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: options.title ?? 'Monthly returns',
    width: size * 12,
    height: Math.max(size * 0.6 * years.length, 30),
    config: baseConfig,
    data: { values: cells.map((cell) => ({ year: String(cell.year), month: monthNames[cell.month - 1], return: cell.return })) },
    encoding: {
      x: { field: 'month', type: 'ordinal', sort: monthNames, title: null, axis: { orient: 'top', labelAngle: 0 } },
      y: { field: 'year', type: 'ordinal', sort: years.map(String), title: null },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          color: {
            field: 'return',
            type: 'quantitative',
            title: 'return',
            scale: { scheme: 'redyellowgreen', domain: [-largest, largest], domainMid: 0 },
            legend: { format: '.0%' },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: { text: { field: 'return', type: 'quantitative', format: '.1%' } },
      },
    ],
  } satisfies TopLevelSpec;
}

export interface BarDatum {
  readonly label: string;
  readonly value: number;
  /** Optional second key: bars of the same label side by side, coloured by group. */
  readonly group?: string;
}

/** Horizontal bars (e.g. realised PnL by factor or by symbol); green for gains, red for losses unless grouped. */
export function barChart(bars: readonly BarDatum[], options: ChartSize & { title?: string; valueTitle?: string; valueFormat?: string } = {}): ChartSpec {
  const grouped = bars.some((bar) => bar.group !== undefined);
  const labels = [...new Set(bars.map((bar) => bar.label))];
  const groups = [...new Set(bars.map((bar) => bar.group ?? ''))];
  const rowHeight = grouped ? 14 * groups.length : 22;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: options.title,
    width: options.width ?? 560,
    height: grouped ? undefined : options.height ?? Math.max(rowHeight * labels.length, 40),
    config: baseConfig,
    data: { values: bars.map((bar) => ({ label: bar.label, value: bar.value, group: bar.group ?? '', sign: bar.value < 0 ? 'loss' : 'gain' })) },
    mark: { type: 'bar' },
    encoding: {
      y: grouped
        ? { field: 'group', type: 'nominal', title: null, axis: null, sort: groups }
        : { field: 'label', type: 'nominal', title: null, sort: labels },
      ...(grouped ? { row: { field: 'label', type: 'nominal', title: null, sort: labels, header: { labelAngle: 0, labelAlign: 'left' } } } : {}),
      x: { field: 'value', type: 'quantitative', title: options.valueTitle ?? 'value', axis: { format: options.valueFormat ?? ',.0f' } },
      color: grouped
        ? { field: 'group', type: 'nominal', title: null, sort: groups }
        : { field: 'sign', type: 'nominal', legend: null, scale: { domain: ['gain', 'loss'], range: ['#2e8b57', '#c0392b'] } },
    },
  } satisfies TopLevelSpec;
}

export interface HistogramBin {
  readonly start: number;
  readonly end: number;
  readonly count: number;
}

/**
 * Equal-width bins over the finite values (NaN and infinities are left out). All values equal
 * give one bin of width 0 holding them all; no finite value gives no bin.
 */
export function histogramBins(values: readonly number[], bins = 40): HistogramBin[] {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`histogram: bins must be an integer >= 1, got ${bins}`);
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return [];
  let low = Infinity;
  let high = -Infinity;
  for (const value of finite) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (low === high) return [{ start: low, end: high, count: finite.length }];
  const width = (high - low) / bins;
  const counts = new Array<number>(bins).fill(0);
  // The top edge belongs to the last bin, so the maximum is counted.
  for (const value of finite) counts[Math.min(bins - 1, Math.floor((value - low) / width))]++;
  return counts.map((count, i) => ({ start: low + i * width, end: i === bins - 1 ? high : low + (i + 1) * width, count }));
}

/**
 * Distribution of each named variable (e.g. the five features): one small histogram per name,
 * in the order the names first appear, each with its own bins and axes.
 */
export function histogramGrid(values: readonly { readonly name: string; readonly value: number }[], options: { title?: string; columns?: number; bins?: number; width?: number; height?: number } = {}): ChartSpec {
  const names = [...new Set(values.map((entry) => entry.name))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: options.title,
    config: baseConfig,
    columns: options.columns ?? 3,
    concat: names.map((name) => ({
      title: { text: name, fontSize: 12 },
      width: options.width ?? 220,
      height: options.height ?? 130,
      data: { values: histogramBins(values.filter((entry) => entry.name === name).map((entry) => entry.value), options.bins ?? 40).map((bin) => ({ ...bin })) },
      mark: { type: 'bar', color: '#4c78a8', binSpacing: 0 },
      encoding: {
        x: { field: 'start', type: 'quantitative', bin: { binned: true }, title: null },
        x2: { field: 'end' },
        y: { field: 'count', type: 'quantitative', title: 'bars' },
      },
    })),
  } satisfies TopLevelSpec;
}

/** Mean forward return per quantile bucket of a factor, one panel per factor (in order of appearance). */
export function quantileReturnsChart(rows: readonly { readonly factor: string; readonly quantile: number; readonly meanReturn: number }[], options: { title?: string; valueTitle?: string } = {}): ChartSpec {
  const factors = [...new Set(rows.map((row) => row.factor))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: options.title,
    config: baseConfig,
    columns: Math.min(3, factors.length),
    concat: factors.map((factor) => ({
      title: { text: factor, fontSize: 12 },
      width: 200,
      height: 150,
      data: { values: rows.filter((row) => row.factor === factor).map((row) => ({ quantile: `Q${row.quantile}`, meanReturn: row.meanReturn, sign: row.meanReturn < 0 ? 'loss' : 'gain' })) },
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'quantile', type: 'ordinal', title: 'quantile (Q1 = lowest)', axis: { labelAngle: 0 } },
        y: { field: 'meanReturn', type: 'quantitative', title: options.valueTitle ?? 'mean forward return', axis: { format: '.2%' } },
        color: { field: 'sign', type: 'nominal', legend: null, scale: { domain: ['gain', 'loss'], range: ['#2e8b57', '#c0392b'] } },
      },
    })),
  } satisfies TopLevelSpec;
}
