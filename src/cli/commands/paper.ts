import { spawnSync } from 'node:child_process';
import { extname, join } from 'node:path';
import { loadUniverseBars } from '../../data/universe';
import { HaltError, type CycleOutcome } from '../../runner/session';
import { openRunner, replayInProcess, type SessionResult } from '../../runner/runner';
import { requireOption, UsageError, withoutOptions, type Command, type CommandIo } from '../command';
import { dataOptions, dateOptions, journalledRunNote, runGroups, sessionOptions } from '../options/groups';
import { flag } from '../options/option';
import { commandOptions, describedAs, group } from '../options/option-set';
import { sessionSettings } from '../options/run-settings';
import { resolveUniverse } from '../universe-option';
import { shippedStrategies } from '../../strategies/registry';
import { strategyFingerprint } from '../../runner/inputs';

/** The fingerprint of --strategy as the journal records it (a module by its content). */
export function strategyFingerprintOption(strategy: string | undefined): string {
  const name = strategy ?? 'trend-breakout';
  return strategyFingerprint(name, shippedStrategies[name] !== undefined);
}

const options = commandOptions('paper', [
  dataOptions,
  sessionOptions,
  group('Replay', {
    replay: flag({ help: 'run one cycle per trading day from --from to --to (inclusive): the trades are exactly those of aq backtest --from D1 --to D2' }),
    ...describedAs(dateOptions, { from: "the replay's first session", to: "the replay's last session" }).options,
    processes: flag({ help: 'with --replay: a fresh process per day (as a daily cron job would run)' }),
  }),
  ...runGroups,
  group('Revisions', { 'accept-revisions': flag({ help: 'go on when past bars or the strategy module differ from what the journal decided on (recorded as an event); without it such a cycle halts with a report' }) }),
  group('Output', { quiet: flag({ help: 'print only the summary line of each cycle' }) }),
]);

const help = `Usage: aq paper [--universe FILE.yaml | --universe MU,GLD,GOOG --data DIR] --journal FILE.db [--as-of DATE]
       aq paper ... --journal FILE.db --replay --from D1 --to D2 [--processes]

A paper trading session: the same strategy, sizing, risk and fill code as aq backtest,
run one daily cycle at a time after the session's close, with a simulated broker whose
market orders fill at the next open from the data. Each cycle:

  1. reconciles the journal with the paper broker (orders by client order id, positions);
  2. records the fills of the orders sent after the previous close (they filled at this
     session's open);
  3. computes features and factors on the bars up to the as-of date, runs the strategy,
     sizing and risk checks at this close;
  4. sends the new orders to the paper broker, each written to the journal before it is sent.

Everything is journalled in SQLite (WAL, one transaction per state change): decisions with
their factor values, orders with their client order ids, fills, trades, positions, cash and
equity per day. A run killed at any point and started again ends in the same state as an
uninterrupted run.

Dates: cycles run in date order. Running a date that was processed already changes nothing
("already processed", exit 0). Trading days missed since the last cycle are caught up one by
one, in order, before the as-of date (the paper broker fills them from the data). A date before
the journal's last cycle is refused.

${journalledRunNote}

${options.help}

Exit codes: 0 done or already processed, 1 bad data or configuration, 2 bad options,
3 halted: the journal and the broker disagree, or past bars or the strategy changed (the report
says how; nothing was sent), 4 journal busy: another runner holds it (the message names it).

Examples:
  aq paper --universe MU,GLD,GOOG --data data/sample --journal reports/paper.db
  aq paper --universe data/universe.yaml --journal reports/replay.db --replay --from 2020-01-02 --to 2023-12-29
  aq parity --journal reports/replay.db --universe data/universe.yaml --from 2020-01-02 --to 2023-12-29
`;

export function formatCycle(outcome: CycleOutcome): string {
  if (outcome.alreadyProcessed) return `${outcome.date}: already processed\n`;
  const fills = outcome.fills.map((fill) => `${fill.side} ${fill.shares} ${fill.symbol} @ ${fill.price}`).join(', ');
  const orders = outcome.orders.map((order) => `${order.side} ${order.shares} ${order.symbol}`).join(', ');
  const equity = outcome.equity === null ? '' : ` equity ${outcome.equity.toFixed(2)}`;
  return `${outcome.date}:${equity}; filled at the open: ${fills === '' ? 'none' : fills}; orders for the next open: ${orders === '' ? 'none' : orders}\n`;
}

/** A session that halted (HaltError: the runner stopped on purpose, with a report) exits 3; anything else is rethrown. */
export function haltExitCode(error: unknown, io: CommandIo): number {
  if (!(error instanceof HaltError)) throw error;
  io.stderr(`${error.message}\n`);
  return 3;
}

export function reportSession(result: SessionResult, io: CommandIo, asOf: string): void {
  if (result.alreadyProcessed) {
    io.stdout(`${asOf}: already processed (nothing changed)\n`);
    return;
  }
  for (const line of result.repaired) io.stdout(`repaired: ${line}\n`);
  for (const date of result.skipped) io.stdout(`${date}: skipped (missed)\n`);
  for (const cycle of result.cycles) io.stdout(formatCycle(cycle));
}

/** How to start this CLI again: the compiled main.js, or main.ts through ts-node when running from source. */
function cliEntry(): string[] {
  const main = join(__dirname, '..', `main${extname(__filename)}`);
  return extname(__filename) === '.ts' ? ['-r', 'ts-node/register/transpile-only', main] : [main];
}

function replayInProcesses(argv: readonly string[], days: readonly string[], io: CommandIo): number {
  const base = withoutOptions(argv, ['--replay', '--processes'], ['--from', '--to', '--as-of']);
  for (const date of days) {
    const child = spawnSync(process.execPath, [...cliEntry(), 'paper', ...base, '--as-of', date], { encoding: 'utf8', env: process.env });
    if (child.stdout) io.stdout(child.stdout);
    if (child.stderr) io.stderr(child.stderr);
    if (child.status !== 0) {
      io.stderr(`aq paper: the cycle of ${date} ${child.signal !== null ? `was killed by ${child.signal}` : `exited with code ${child.status}`}; run the replay again to continue\n`);
      return child.status ?? 1;
    }
  }
  return 0;
}

export const paperCommand: Command = {
  name: 'paper',
  summary: 'paper trading: one daily cycle (or a replay) with a simulated broker and a SQLite journal',
  help,
  optionNames: options.names,
  async run(argv, io) {
    const { values } = options.parse(argv);
    const { journal: journalPath, 'as-of': asOfOption, from, to } = values;
    if (!values.replay && (from !== undefined || to !== undefined || values.processes)) {
      throw new UsageError('aq paper: --from, --to and --processes go with --replay (see \'aq paper --help\')');
    }
    if (values.replay && asOfOption !== undefined) throw new UsageError('aq paper: --as-of does not go with --replay; use --from and --to');
    const settings = { ...sessionSettings(values), strategyFingerprint: strategyFingerprintOption(values.strategy) };
    const universe = resolveUniverse('paper', values.universe, values.data);
    const { bars, dropped } = loadUniverseBars(universe);
    for (const row of dropped) io.stderr(`dropped ${row.message}\n`);
    const log = values.quiet ? () => {} : (line: string) => io.stdout(`  ${line}\n`);
    const runner = openRunner({
      journalPath, bars, settings, mode: 'paper', log, acceptRevisions: values['accept-revisions'] === true, warn: (line) => io.stderr(`aq paper: ${line}\n`),
    });
    try {
      if (values.replay) {
        const first = requireOption('paper', from, '--from');
        const last = requireOption('paper', to, '--to');
        if (first > last) throw new UsageError(`aq paper: --from ${first} is after --to ${last}`);
        const days = runner.tradingDays(first, last);
        if (values.processes) {
          runner.journal.close();
          return replayInProcesses(argv, days, io);
        }
        await replayInProcess(runner, first, last, (result, date) => reportSession(result, io, date));
        io.stdout(`replayed ${days.length} trading days ${first}..${last} into ${journalPath}\n`);
        return 0;
      }
      const asOf = asOfOption ?? runner.lastDate();
      const result = await runner.runAsOf(asOf, 'catch-up');
      reportSession(result, io, asOf);
      return 0;
    } catch (error) {
      return haltExitCode(error, io);
    } finally {
      if (runner.journal.db.open) runner.journal.close();
    }
  },
};
