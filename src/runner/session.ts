import { ConfigError } from '../errors';
import type { Journal } from './journal';

/**
 * The daily cycle shared by paper and live: after a session's close, record the fills of the
 * orders sent the evening before (they filled at this session's open), let the strategy decide at
 * this close through the kernel's `decideAtClose`, and send the new orders to the broker. The
 * broker and the clock are the only things that differ between paper and live.
 *
 * Restart safety: each step is one journal transaction, and a step already done is not redone.
 * An order is written (status new) before the broker hears of it, marked `sending` just before the
 * call, and `submitted` after; a restart asks the broker about every new/sending order by its
 * deterministic client order id before anything is sent again.
 *
 * The parts: reconcile.ts (start-up, before anything is sent), cycle.ts (one date's three steps),
 * plan.ts (which dates a run must process); context.ts holds what they share.
 */
export { HaltError, type RunnerContext } from './context';
export { reconcile, type ReconcileReport } from './reconcile';
export { runCycle, type CycleOutcome } from './cycle';
export { planSession, sessionCalendar, type SessionPlan } from './plan';

/** Settings a journal is bound to: a later run with other settings would not continue the same session. */
export function checkSettings(journal: Journal, settings: Readonly<Record<string, unknown>>, startingCash: number): void {
  const stored = journal.getMeta('settings');
  if (stored === null) {
    journal.initialize(settings, startingCash);
    return;
  }
  const previous = JSON.parse(stored) as Record<string, unknown>;
  const keys = new Set([...Object.keys(previous), ...Object.keys(settings)]);
  const differences: string[] = [];
  for (const key of keys) {
    const before = JSON.stringify(previous[key]);
    const after = JSON.stringify(settings[key]);
    if (before !== after) differences.push(`${key}: journal has ${before}, this run has ${after}`);
  }
  if (differences.length > 0) {
    throw new ConfigError(`journal ${journal.path} belongs to a session with other settings; use a new journal or the same options:\n  ${differences.join('\n  ')}`);
  }
}
