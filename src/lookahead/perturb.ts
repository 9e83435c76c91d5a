import { gunzipSync, gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { Bar, BarSeries } from '../data/bars';
import type { Random } from './random';

/**
 * Replacement bars for a perturbation run. After the cut every bar is replaced by a
 * different, plausible one:
 * - closes follow a random walk from the last close before the cut whose every day-over-day
 *   move goes the other way to the original's (same typical size: the volatility of the 60
 *   returns before the cut), so a decision that depends on where a later close went flips;
 * - the open gaps the other way to the original's gap, the high and low wrap the open and
 *   close (low <= min(open, close) <= max(open, close) <= high, low > 0);
 * - volume is an AR(1) in logs around the median volume before the cut, whose first move
 *   goes the other way to the original's;
 * - each date moves to the next weekday (the mapping is increasing, so dates stay in order and
 *   symbols that shared a date still share it);
 * - every field of every replaced bar differs from the original (redrawn until it does).
 */
export function perturbedBars(series: BarSeries, lastKept: number, random: Random): Bar[] {
  const count = series.dates.length;
  const { open, close, volume } = series;
  if (lastKept >= count - 1) return [];
  const sigma = recentVolatility(close, lastKept);
  let previousClose = lastKept >= 0 ? close[lastKept] : open[0];
  const decimals = Math.min(10, Math.max(2, 6 - Math.floor(Math.log10(previousClose))));
  const round = (value: number) => Number(value.toFixed(decimals));
  const smallest = 10 ** -decimals;
  const baseVolume = Math.max(1, medianVolume(volume, lastKept));
  let logVolume = Math.log(lastKept >= 0 ? Math.max(1, volume[lastKept]) : baseVolume) - Math.log(baseVolume);
  const out: Bar[] = [];
  for (let i = lastKept + 1; i < count; i++) {
    const previousOriginal = i > 0 ? close[i - 1] : open[i];
    const against = (originalMove: number) => (originalMove > 0 ? -1 : originalMove < 0 ? 1 : random.uniform() < 0.5 ? -1 : 1);
    const closeSign = against(Math.log(close[i] / previousOriginal));
    const gapSign = against(Math.log(open[i] / previousOriginal));
    const volumeSign = against(i > 0 ? volume[i] - volume[i - 1] : 0);
    let bar: Bar | null = null;
    for (let attempt = 0; attempt < 100 && bar === null; attempt++) {
      const c = round(previousClose * Math.exp(closeSign * sigma * (0.25 + Math.abs(random.normal()))));
      const o = round(previousClose * Math.exp(gapSign * sigma * 0.3 * (0.1 + Math.abs(random.normal()))));
      const h = Math.max(round(Math.max(o, c) * Math.exp(sigma * 0.5 * (0.05 + Math.abs(random.normal())))), o, c);
      const l = Math.max(smallest, Math.min(round(Math.min(o, c) * Math.exp(-sigma * 0.5 * (0.05 + Math.abs(random.normal())))), o, c));
      // The first move is forced the other way; later ones mean-revert like real volume.
      const nextLogVolume = i === lastKept + 1
        ? logVolume + volumeSign * (0.2 + 0.3 * Math.abs(random.normal()))
        : 0.7 * logVolume + 0.3 * random.normal();
      const v = Math.max(1, Math.round(baseVolume * Math.exp(nextLogVolume)));
      const candidate = { date: nextWeekday(series.dates[i]), open: o, high: h, low: l, close: c, volume: v };
      if (c > 0 && o > 0 && differsEverywhere(candidate, series, i)) {
        bar = candidate;
        logVolume = nextLogVolume;
      }
    }
    if (bar === null) throw new Error(`lookahead: could not draw a bar different from ${series.symbol} ${series.dates[i]} (internal error)`);
    out.push(bar);
    previousClose = bar.close;
  }
  return out;
}

function differsEverywhere(bar: Bar, series: BarSeries, i: number): boolean {
  return bar.date !== series.dates[i]
    && !Object.is(bar.open, series.open[i])
    && !Object.is(bar.high, series.high[i])
    && !Object.is(bar.low, series.low[i])
    && !Object.is(bar.close, series.close[i])
    && !Object.is(bar.volume, series.volume[i]);
}

/** Sample sd of the last (up to) 60 daily log returns up to `last`, held in 0.5%..8%; 2% with too few. */
function recentVolatility(close: Float64Array, last: number): number {
  const returns: number[] = [];
  for (let i = Math.max(1, last - 59); i <= last; i++) returns.push(Math.log(close[i] / close[i - 1]));
  if (returns.length < 5) return 0.02;
  const mean = returns.reduce((sum, r) => sum + r, 0) / returns.length;
  const variance = returns.reduce((sum, r) => sum + (r - mean) ** 2, 0) / (returns.length - 1);
  return Math.min(0.08, Math.max(0.005, Math.sqrt(variance)));
}

function medianVolume(volume: Float64Array, last: number): number {
  const window = Array.from(volume.subarray(Math.max(0, last - 59), last + 1)).sort((a, b) => a - b);
  if (window.length === 0) return 1_000_000;
  return window[Math.floor(window.length / 2)];
}

/** The next Monday-to-Friday date after an ISO date. */
export function nextWeekday(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  do day.setUTCDate(day.getUTCDate() + 1);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
  return day.toISOString().slice(0, 10);
}

/** Index of the last bar dated on or before `date`, or -1. */
export function lastIndexOnOrBefore(dates: readonly string[], date: string): number {
  let low = 0;
  let high = dates.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (dates[middle] <= date) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

type Field = 'date' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'adjclose';

/** The loader's header rules (src/data/load-bars.ts): any case, `N. ` prefix, spaces and underscores ignored. */
function fieldOf(name: string): Field | undefined {
  const key = name.trim().toLowerCase().replace(/^\d+\.\s*/, '').replace(/[\s_]+/g, '');
  return (['date', 'open', 'high', 'low', 'close', 'volume', 'adjclose'] as const).find((field) => field === key);
}

function splitLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  return (parse(line, { relax_quotes: true }) as string[][])[0] ?? [];
}

function joinLine(fields: readonly string[]): string {
  return fields.map((field) => (/[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field)).join(',');
}

/**
 * The text of a bars file with every row dated after `cutDate` replaced by `replacements`
 * (one per loaded bar after the cut, in order). Rows up to the cut are kept byte for byte, so
 * the perturbed run reads exactly the same bars there; other columns (a Name, say) are kept;
 * an Adj Close column is set to the new close so an adjusting load leaves the new prices as
 * they are. Rows after the cut that the loader dropped (invalid, duplicate) are removed, so
 * they cannot come back as valid bars once dates move.
 */
export function perturbBarsText(text: string, original: BarSeries, cutDate: string, replacements: readonly Bar[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const header = splitLine(lines[0] ?? '');
  const column = new Map<Field, number>();
  header.forEach((name, index) => {
    const field = fieldOf(name);
    if (field !== undefined && !column.has(field)) column.set(field, index);
  });
  const dateColumn = column.get('date');
  if (dateColumn === undefined) throw new Error(`lookahead: ${original.source} has no date column to perturb`);
  const firstReplaced = original.dates.length - replacements.length;
  const replacementOf = new Map<string, Bar>();
  for (let k = 0; k < replacements.length; k++) replacementOf.set(original.dates[firstReplaced + k], replacements[k]);
  // Fixed notation (the loader reads no exponents), trailing zeros trimmed.
  const digits = (value: number) => value.toFixed(10).replace(/0+$/, '').replace(/\.$/, '');
  const out: string[] = [lines[0]];
  let pastCut = false;
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n];
    const fields = line === '' ? [] : splitLine(line);
    const date = (fields[dateColumn] ?? '').trim();
    const replacement = replacementOf.get(date);
    if (replacement === undefined || date <= cutDate) {
      if (!pastCut || line === '') out.push(line);
      continue;
    }
    pastCut = true;
    replacementOf.delete(date);
    const rewritten = [...fields];
    const set = (field: Field, value: string) => {
      const index = column.get(field);
      if (index !== undefined) rewritten[index] = value;
    };
    set('date', replacement.date);
    set('open', digits(replacement.open));
    set('high', digits(replacement.high));
    set('low', digits(replacement.low));
    set('close', digits(replacement.close));
    set('adjclose', digits(replacement.close));
    set('volume', String(replacement.volume));
    out.push(joinLine(rewritten));
  }
  if (replacementOf.size > 0) {
    throw new Error(`lookahead: ${original.source}: ${replacementOf.size} bars after ${cutDate} were not found in the file to perturb (internal error)`);
  }
  return out.join(eol);
}

/** Reads a bars file as text (gunzipping `.gz`), and writes text back in the same form. */
export function readBarsText(bytes: Buffer, file: string): string {
  return (/\.gz$/i.test(file) ? gunzipSync(bytes) : bytes).toString('utf8');
}

export function encodeBarsText(text: string, file: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return /\.gz$/i.test(file) ? gzipSync(bytes) : bytes;
}
