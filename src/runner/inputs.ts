import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { BarSeries } from '../data/bars';
import { HaltError } from './context';
import type { Journal } from './journal';
import type { InputBar } from './journal-rows';

export type { InputBar } from './journal-rows';

/**
 * The journal tied to its inputs: each cycle records the bars it decided on (every bar of each
 * symbol up to the cycle date, as a hash chain whose link at a date covers all bars before it)
 * and the strategy's fingerprint. A later cycle whose past bars or strategy differ from what the
 * journal recorded halts with the first difference (symbol, date, old and new value), unless
 * revisions are accepted, which is recorded as an event.
 */
const fields = ['open', 'high', 'low', 'close', 'volume'] as const;
const chains = new WeakMap<BarSeries, string[]>();

/** The chain of a series: link i = sha256(link i-1, bar i), computed once per series. */
function chainOf(series: BarSeries): string[] {
  let chain = chains.get(series);
  if (chain !== undefined) return chain;
  chain = [];
  let previous = '';
  for (let i = 0; i < series.dates.length; i++) {
    previous = createHash('sha256')
      .update(`${previous}|${series.dates[i]},${series.open[i]},${series.high[i]},${series.low[i]},${series.close[i]},${series.volume[i]}`)
      .digest('hex').slice(0, 32);
    chain.push(previous);
  }
  chains.set(series, chain);
  return chain;
}

function barAt(series: BarSeries, i: number, chain: readonly string[]): InputBar {
  return { date: series.dates[i], open: series.open[i], high: series.high[i], low: series.low[i], close: series.close[i], volume: series.volume[i], chain: chain[i] };
}

function lastIndexOnOrBefore(dates: readonly string[], date: string): number {
  let low = 0;
  let high = dates.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (dates[middle] <= date) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

function valuesOf(bar: Omit<InputBar, 'chain'>): string {
  return fields.map((field) => `${field} ${bar[field]}`).join(', ');
}

/** The first bar where the recorded bars and the new ones differ, in words, and its date. */
function firstDifference(symbol: string, recorded: readonly InputBar[], series: BarSeries, chain: readonly string[]): { date: string; report: string } {
  const lastRecorded = recorded[recorded.length - 1].date;
  const end = lastIndexOnOrBefore(series.dates, lastRecorded);
  let i = 0;
  let j = 0;
  while (i < recorded.length || j <= end) {
    const old = recorded[i];
    const now = j <= end ? barAt(series, j, chain) : undefined;
    if (old !== undefined && now !== undefined && old.date === now.date) {
      const changed = fields.filter((field) => !Object.is(old[field], now[field]));
      if (changed.length > 0) {
        return { date: old.date, report: `${symbol} ${old.date}: ${changed.map((field) => `${field} was ${old[field]}, now ${now[field]}`).join('; ')}` };
      }
      i++;
      j++;
    } else if (now === undefined || (old !== undefined && old.date < now.date)) {
      return { date: old.date, report: `${symbol} ${old.date}: the bar is gone from the data (it was ${valuesOf(old)})` };
    } else {
      return { date: now.date, report: `${symbol} ${now.date}: a bar the journal's data did not have (${valuesOf(now)})` };
    }
  }
  return { date: lastRecorded, report: `${symbol}: the bars up to ${lastRecorded} differ from the journal's` };
}

export interface InputCheck {
  readonly acceptRevisions: boolean;
  readonly strategyFingerprint: string;
}

/**
 * Checks the inputs of the cycle of `date` against the journal, then records them (one
 * transaction). Differences halt (HaltError) unless `acceptRevisions`; accepted ones are an event.
 */
export function checkAndRecordInputs(journal: Journal, bars: readonly BarSeries[], date: string, check: InputCheck): string[] {
  const differences: { symbol: string; from: string; report: string }[] = [];
  const previousStrategy = journal.lastStrategyFingerprint();
  const strategyChanged = previousStrategy !== null && previousStrategy !== check.strategyFingerprint;
  for (const series of bars) {
    const last = journal.lastInputBar(series.symbol);
    if (last === null) continue;
    const chain = chainOf(series);
    const i = series.dates.indexOf(last.date);
    if (i >= 0 && chain[i] === last.chain) continue;
    const found = firstDifference(series.symbol, journal.inputBars(series.symbol), series, chain);
    differences.push({ symbol: series.symbol, from: found.date, report: found.report });
  }
  const reports = [
    ...(strategyChanged ? [`the strategy changed: the journal's cycles ran ${previousStrategy}, this run has ${check.strategyFingerprint}`] : []),
    ...differences.map((difference) => difference.report),
  ];
  if (reports.length > 0 && !check.acceptRevisions) {
    journal.recordEvent(date, 'halt', `inputs revised:\n${reports.join('\n')}`);
    throw new HaltError(reports, `HALT: the inputs of the cycle of ${date} differ from those the journal decided on; nothing was sent. `
      + 'Restore the data or the strategy, or run with --accept-revisions to go on with the new ones (recorded in the journal).');
  }
  const newBars = bars.map((series) => {
    const chain = chainOf(series);
    const end = lastIndexOnOrBefore(series.dates, date);
    const revised = differences.find((difference) => difference.symbol === series.symbol);
    const last = journal.lastInputBar(series.symbol);
    const fromDate = revised !== undefined ? revised.from : last === null ? '' : last.date;
    const rows: InputBar[] = [];
    for (let i = 0; i <= end; i++) {
      if (revised !== undefined ? series.dates[i] >= fromDate : series.dates[i] > fromDate) rows.push(barAt(series, i, chain));
    }
    return { symbol: series.symbol, replaceFrom: revised?.from ?? null, rows, chain: end >= 0 ? chain[end] : null };
  });
  journal.recordInputs(date, { strategy: check.strategyFingerprint, bars: newBars, accepted: reports });
  return reports;
}

function packageVersion(): string {
  for (let folder = __dirname; ; folder = dirname(folder)) {
    const file = join(folder, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'aq-research') return manifest.version ?? 'unknown';
    }
    if (dirname(folder) === folder) return 'unknown';
  }
}

/**
 * A strategy's fingerprint: a shipped one by its name and the package version (its code is the
 * package's), a module by the sha256 of its file.
 */
export function strategyFingerprint(nameOrPath: string, shipped: boolean): string {
  if (shipped) return `${nameOrPath} (aq-research ${packageVersion()})`;
  const file = resolve(nameOrPath);
  return `${file} (sha256 ${createHash('sha256').update(readFileSync(file)).digest('hex')})`;
}
