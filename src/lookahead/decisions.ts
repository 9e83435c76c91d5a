import type { BarSeries } from '../data/bars';
import type { DatedIntent } from '../engine/backtest';
import type { Order } from '../orders/order';
import type { LookaheadFinding } from './report';
import { firstDifference, reportedValue } from './values';

/** The decisions a run made: what perturbation compares. Any BacktestResult has them. */
export interface Decisions {
  readonly intents: readonly DatedIntent[];
  readonly orders: readonly Order[];
}

interface Change {
  readonly symbol: string;
  readonly date: string;
  readonly subject: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

interface Keyed<T> {
  readonly key: string;
  readonly date: string;
  readonly entry: T;
}

/** Entries keyed by date, symbol and their rank among that symbol's entries of the day, in list order. */
function keyed<T>(entries: readonly T[], symbol: (entry: T) => string, date: (entry: T) => string): Keyed<T>[] {
  const seen = new Map<string, number>();
  return entries.map((entry) => {
    const base = `${date(entry)}|${symbol(entry)}`;
    const rank = seen.get(base) ?? 0;
    seen.set(base, rank + 1);
    return { key: `${base}|${rank}`, date: date(entry), entry };
  });
}

/**
 * The first decision that differs between two runs: decisions are matched by date, symbol and
 * rank within the day (not by list position, so one extra decision does not misalign the rest),
 * and walked by date, each day in the reference run's order and then the other run's extras.
 */
function firstChange<T>(
  reference: readonly T[],
  other: readonly T[],
  kind: (entry: T) => string,
  symbol: (entry: T) => string,
  date: (entry: T) => string,
  summary: (entry: T) => string,
): Change | null {
  const left = keyed(reference, symbol, date);
  const right = keyed(other, symbol, date);
  const rightByKey = new Map(right.map((item) => [item.key, item]));
  const leftKeys = new Set(left.map((item) => item.key));
  const ordered = [...left, ...right.filter((item) => !leftKeys.has(item.key))];
  // Stable: within a date, reference entries keep their order and come before the other run's extras.
  ordered.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (const item of ordered) {
    const a = leftKeys.has(item.key) ? item.entry : undefined;
    const b = rightByKey.get(item.key)?.entry;
    const present = (a ?? b) as T;
    if (a === undefined || b === undefined) {
      return {
        symbol: symbol(present),
        date: date(present),
        subject: kind(present),
        expected: a === undefined ? 'no decision' : summary(a),
        actual: b === undefined ? 'no decision' : summary(b),
      };
    }
    const difference = firstDifference(a, b);
    if (difference !== null) {
      return { symbol: symbol(a), date: date(a), subject: `${kind(a)} field "${difference.path}"`, expected: difference.a, actual: difference.b };
    }
  }
  return null;
}

/**
 * The first intent or order decided on or before `cutDate` that is not identical (every field,
 * numbers bit for bit) between the reference run and a run whose bars after the cut were
 * replaced. Null when all agree: then nothing after the cut reached those decisions.
 */
export function firstChangedDecision(reference: Decisions, perturbed: Decisions, cutDate: string): LookaheadFinding | null {
  const intentsUpTo = (decisions: Decisions) => decisions.intents.filter((entry) => entry.date <= cutDate);
  const ordersUpTo = (decisions: Decisions) => decisions.orders.filter((order) => order.decisionDate <= cutDate);
  const intent = firstChange(
    intentsUpTo(reference),
    intentsUpTo(perturbed),
    (entry) => `${entry.intent.kind} intent`,
    (entry) => entry.intent.symbol,
    (entry) => entry.date,
    (entry) => `${entry.intent.kind}: ${entry.intent.reason}`,
  );
  const order = firstChange(
    ordersUpTo(reference),
    ordersUpTo(perturbed),
    (entry) => `${entry.side} order`,
    (entry) => entry.symbol,
    (entry) => entry.decisionDate,
    (entry) => `${entry.side} ${entry.shares}: ${entry.reason}`,
  );
  const change = intent !== null && (order === null || intent.date <= order.date) ? intent : order;
  if (change === null) return null;
  return {
    symbol: change.symbol,
    date: change.date,
    subject: change.subject,
    expected: reportedValue(change.expected),
    actual: reportedValue(change.actual),
    explanation: `decided on or before the cut ${cutDate}, it changed when only the bars after the cut were replaced`,
  };
}

/**
 * Guards the perturbation itself: bars up to the cut must be read back bit for bit, and every
 * field of every later bar must differ (else a leak could go unseen). A failure here is a bug
 * in the detector, not in the strategy, so it throws.
 */
export function checkPerturbedBars(original: BarSeries, perturbed: BarSeries, cutDate: string): void {
  const fail = (what: string) => {
    throw new Error(`lookahead: perturbation of ${original.symbol} after ${cutDate} is wrong: ${what} (internal error)`);
  };
  if (perturbed.dates.length !== original.dates.length) fail(`${perturbed.dates.length} bars read back, ${original.dates.length} expected`);
  const columns = ['open', 'high', 'low', 'close', 'volume'] as const;
  for (let i = 0; i < original.dates.length; i++) {
    const kept = original.dates[i] <= cutDate;
    if (kept !== (perturbed.dates[i] === original.dates[i])) fail(`date ${perturbed.dates[i]} at bar ${i} (was ${original.dates[i]})`);
    if (!kept && !(perturbed.dates[i] > cutDate)) fail(`bar ${i} moved to ${perturbed.dates[i]}, not after the cut`);
    for (const column of columns) {
      if (kept !== Object.is(perturbed[column][i], original[column][i])) {
        fail(`${column} at ${original.dates[i]} is ${perturbed[column][i]}, was ${original[column][i]}`);
      }
    }
  }
}
