import type { BarSeries } from '../data/bars';
import { ConfigError } from '../errors';
import { unionCalendar } from '../engine/backtest';
import { cycleReached, type Journal } from './journal';

export interface SessionPlan {
  /** Dates to run, in order (an interrupted cycle first). */
  readonly dates: string[];
  /** Trading days between the last cycle and the as-of date that the plan skips (live). */
  readonly missed: string[];
  readonly alreadyProcessed: boolean;
}

/**
 * Which cycles a run for `asOf` must run. Cycles go in date order: an earlier date than the
 * journal's last cycle is refused, and the trading days missed since the last cycle are caught up
 * one by one (`gaps: 'catch-up'`, paper) or refused (`'refuse'`), or skipped (`'skip'`, live with
 * --skip-missed: orders decided on a past close cannot be filled at a past open).
 */
export function planSession(journal: Journal, calendar: readonly string[], asOf: string, gaps: 'catch-up' | 'refuse' | 'skip'): SessionPlan {
  if (!calendar.includes(asOf)) throw new ConfigError(`${asOf} is not a trading day in the data (no symbol has a bar on it)`);
  const last = journal.lastCycle();
  if (last === null) return { dates: [asOf], missed: [], alreadyProcessed: false };
  if (asOf < last.date || (asOf === last.date && cycleReached(last.status, 'done'))) {
    const existing = journal.cycle(asOf);
    if (existing !== null && cycleReached(existing.status, 'done')) return { dates: [], missed: [], alreadyProcessed: true };
    throw new ConfigError(`cycles run in date order: the journal is at ${last.date}, so ${asOf} cannot be processed now`);
  }
  const dates: string[] = [];
  if (!cycleReached(last.status, 'done')) dates.push(last.date);
  const between = calendar.filter((date) => date > last.date && date < asOf);
  if (between.length > 0 && gaps === 'refuse') {
    throw new ConfigError(`the journal's last cycle is ${last.date} and ${asOf} is ${between.length + 1} trading days later; `
      + `missed: ${between.join(', ')}. Orders decided on a past close cannot reach a past open: run with --skip-missed to skip them`);
  }
  if (gaps === 'catch-up') dates.push(...between);
  if (!dates.includes(asOf)) dates.push(asOf);
  return { dates, missed: gaps === 'skip' ? between : [], alreadyProcessed: false };
}

export function sessionCalendar(bars: readonly BarSeries[]): string[] {
  return unionCalendar(bars);
}
