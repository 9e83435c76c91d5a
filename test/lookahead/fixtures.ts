import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { barSeriesFromRows, type Bar, type BarSeries } from '../../src/data/bars';
import { mulberry32 } from '../support/mulberry32';

export const repositoryRoot = resolve(__dirname, '../..');
export const sharedDataDir = resolve(repositoryRoot, '../shared/data');
export const realDataDir = join(sharedDataDir, 'real/normalized');
export const sampleUniverse = join(repositoryRoot, 'data/universe.yaml');
export const leakyDir = join(__dirname, 'leaky-strategies');

/** Weekdays from 2021-01-04 on. */
export function weekdays(count: number, start = '2021-01-04'): string[] {
  const out: string[] = [];
  const day = new Date(`${start}T00:00:00Z`);
  while (out.length < count) {
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) out.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return out;
}

/**
 * A random-walk series with consistent OHLC, 4-decimal prices and distinct integer volumes;
 * trending up then down so that trend strategies trade.
 */
export function syntheticSeries(symbol: string, count: number, seed: number): BarSeries {
  const random = mulberry32(seed);
  const dates = weekdays(count);
  const rows: Bar[] = [];
  let close = 50 + 50 * random();
  for (let i = 0; i < count; i++) {
    const drift = i < count / 2 ? 0.003 : -0.003;
    const open = Number((close * (1 + 0.01 * (random() - 0.5))).toFixed(4));
    close = Number((open * (1 + drift + 0.04 * (random() - 0.5))).toFixed(4));
    const high = Number((Math.max(open, close) * (1 + 0.01 * random())).toFixed(4));
    const low = Number((Math.min(open, close) * (1 - 0.01 * random())).toFixed(4));
    rows.push({ date: dates[i], open, high, low, close, volume: 100_000 + Math.floor(900_000 * random()) * 2 + (i % 2) });
  }
  return barSeriesFromRows(symbol, rows, `synthetic ${symbol}`);
}

export function csvText(series: BarSeries): string {
  const lines = ['date,open,high,low,close,volume'];
  for (let i = 0; i < series.dates.length; i++) {
    lines.push(`${series.dates[i]},${series.open[i]},${series.high[i]},${series.low[i]},${series.close[i]},${series.volume[i]}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface SyntheticUniverse {
  readonly dir: string;
  readonly symbols: string[];
  readonly bars: BarSeries[];
  remove(): void;
}

/** SYMBOL.csv files of synthetic bars in a fresh temporary folder. */
export function writeSyntheticUniverse(symbols: readonly string[], count: number, seed: number): SyntheticUniverse {
  const dir = mkdtempSync(join(tmpdir(), 'aq-lookahead-test-'));
  mkdirSync(dir, { recursive: true });
  const bars = symbols.map((symbol, i) => syntheticSeries(symbol, count, seed * 100 + i));
  bars.forEach((series) => writeFileSync(join(dir, `${series.symbol}.csv`), csvText(series)));
  return { dir, symbols: [...symbols], bars, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
