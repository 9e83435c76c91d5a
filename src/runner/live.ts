import { ConfigError } from '../errors';
import type { TimeInForce } from '../brokers/broker';
import type { AlpacaClient } from '../brokers/alpaca/client';
import { recordedOrigin } from '../brokers/alpaca/origin';
import type { Journal } from './journal';

/**
 * Checks before a live cycle, against Alpaca's clock and calendar: the market is closed, the data
 * ends at the last completed session (a cycle on stale bars would trade yesterday's signals), and
 * opg orders can still reach the next opening auction.
 */
const newYorkClock = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

/** Date (YYYY-MM-DD) and time (HH:MM) in New York of a timestamp. */
export function newYorkTime(timestamp: string): { date: string; time: string } {
  const parts = Object.fromEntries(newYorkClock.formatToParts(new Date(timestamp)).map((part) => [part.type, part.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** Alpaca rejects opg orders sent in this window of a session day (New York time). */
export const opgClosedWindow = { from: '09:28', to: '19:00' } as const;

export interface LiveSessionCheck {
  readonly now: { date: string; time: string };
  readonly lastCompletedSession: string;
}

export async function checkLiveSession(client: AlpacaClient, asOf: string, timeInForce: TimeInForce): Promise<LiveSessionCheck> {
  const clock = await client.getClock();
  const now = newYorkTime(clock.timestamp);
  if (clock.is_open) {
    throw new ConfigError(`the market is open (${now.date} ${now.time} New York): aq live runs after the session's close`);
  }
  const start = asOf < now.date ? asOf : now.date;
  const sessions = await client.getCalendar(start, now.date);
  const completed = sessions.filter((session) => session.date < now.date || (session.date === now.date && now.time >= session.close));
  const last = completed.length === 0 ? null : completed[completed.length - 1].date;
  if (last === null) throw new ConfigError(`Alpaca's calendar has no completed session between ${start} and ${now.date}`);
  if (last !== asOf) {
    throw new ConfigError(asOf < last
      ? `the data ends at ${asOf} but the last completed session is ${last}: fetch the latest bars first (aq data fetch ... --source alpaca)`
      : `the data has a bar on ${asOf}, after the last completed session ${last}: the data is ahead of the market`);
  }
  const sessionToday = sessions.some((session) => session.date === now.date);
  if (timeInForce === 'opg' && sessionToday && now.time >= opgClosedWindow.from && now.time < opgClosedWindow.to) {
    throw new ConfigError(`it is ${now.time} in New York: Alpaca rejects opg orders sent between ${opgClosedWindow.from} and ${opgClosedWindow.to} ET on a session day; `
      + 'run after 19:00 ET (or before 09:28 of the next session), or use --time-in-force day');
  }
  return { now, lastCompletedSession: last };
}

/**
 * The broker name to run a journal with, checked against the one it recorded before anything is
 * sent: another origin or mode is refused naming both; the same origin spelled otherwise (or the
 * bare "alpaca-paper" of older journals) matches and keeps the recorded name.
 */
export function journalBrokerName(journal: Journal, name: string): string {
  const stored = journal.getMeta('settings');
  if (stored === null) return name;
  const recorded = (JSON.parse(stored) as { broker?: unknown }).broker;
  if (typeof recorded !== 'string') return name;
  const before = recordedOrigin(recorded);
  const after = recordedOrigin(name);
  if (before.origin !== null && before.mode === after.mode && before.origin === after.origin) return recorded;
  throw new ConfigError(`journal ${journal.path} was made against another host; use a new journal or the same host and mode:\n`
    + `  broker: journal has ${JSON.stringify(recorded)}, this run has ${JSON.stringify(name)}`);
}
