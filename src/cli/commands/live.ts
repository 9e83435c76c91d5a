import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { loadUniverseBars } from '../../data/universe';
import { unionCalendar } from '../../engine/backtest';
import { Journal } from '../../runner/journal';
import { ConfigError } from '../../errors';
import { AlpacaBroker } from '../../brokers/alpaca/alpaca-broker';
import { alpacaLiveUrl, alpacaPaperUrl, createAlpacaClient } from '../../brokers/alpaca/client';
import { environmentSecrets, redact } from '../../brokers/redact';
import { checkLiveSession, journalBrokerName } from '../../runner/live';
import { brokerName, InvalidOriginError, parseTradingOrigin, tradingMode } from '../../brokers/alpaca/origin';
import { openRunner } from '../../runner/runner';
import { UsageError, type Command, type CommandIo } from '../command';
import { dataOptions, journalledRunNote, runGroups, sessionOptions } from '../options/groups';
import { choice, flag, number, text } from '../options/option';
import { commandOptions, describedAs, group } from '../options/option-set';
import { sessionSettings } from '../options/run-settings';
import { resolveUniverse } from '../universe-option';
import { haltExitCode, reportSession } from './paper';

export const liveConfirmation = 'I UNDERSTAND';

const options = commandOptions('live', [
  dataOptions,
  describedAs(sessionOptions, {
    journal: "the live session's journal (SQLite, synced to disk on every commit)",
    'as-of': "the session just closed (default: the data's last date)",
  }),
  group('Broker', {
    live: flag({ help: `trade real money at ${alpacaLiveUrl}` }),
    'confirm-live': text({ value: 'TEXT', help: `"${liveConfirmation}": confirms --live without a terminal` }),
    'base-url': text({ value: 'URL', help: 'another trading host (a local test server)' }),
    'data-url': text({ value: 'URL', help: 'another market data host (default https://data.alpaca.markets)' }),
    'time-in-force': choice({ choices: ['opg', 'day'], default: 'opg', expectation: 'opg or day', help: 'the orders\' time in force' }),
    'timeout-ms': number({ value: 'N', default: 10_000, check: (n) => Number.isInteger(n) && n > 0, expectation: 'an integer > 0', help: 'per HTTP request' }),
    'skip-missed': flag({ help: 'skip the sessions missed since the last cycle' }),
  }),
  ...runGroups,
  group('Output', { quiet: flag({ help: 'print only the summary line of the cycle' }) }),
]);

const help = `Usage: aq live [--universe FILE.yaml | --universe MU,GLD,GOOG --data DIR] --journal FILE.db [options]

Runs the daily cycle of aq paper against Alpaca (trading API v2): after the session's close,
records the fills of the orders sent the evening before, decides at this close with the same
strategy, sizing and risk code as aq backtest, and sends market orders for the next open.

Keys come from the environment: APCA_API_KEY_ID and APCA_API_SECRET_KEY. They are sent only
in request headers and never printed, journalled or put in an error message.

Host: Alpaca's paper trading host (${alpacaPaperUrl}) by default. Real money
(${alpacaLiveUrl}) needs --live AND a confirmation: typed on the terminal, or, when
standard input is not a terminal, --confirm-live "${liveConfirmation}". The host is judged on
the URL's origin (case, default port and path such as /v2 do not matter): any host other than
the paper host and a loopback test server (127.0.0.1, ::1, localhost) counts as real money.
The journal records the mode and origin, and refuses a run against another. Redirects are
never followed (the keys go to this host only).

Before anything is sent:
  - the market must be closed, and the data must end at the last completed session
    (Alpaca's clock and calendar); fetch bars with aq data fetch --source alpaca;
  - reconciliation: every order the journal has as new or sending is looked up at Alpaca by
    its client order id (found: recorded); every open order and position at Alpaca must be the
    journal's. Anything else (a position the journal does not know, a missing order) HALTS the
    run with a report (exit 3) and nothing is sent.

Orders: market, time_in_force opg (the opening auction: the open the strategy was tested on)
by default. Alpaca rejects opg orders sent between 09:28 and 19:00 New York time on a session
day, so run after 19:00 ET; or use --time-in-force day (queued after the close, filled at or
just after the next open). Each order carries the deterministic client order id
STRATEGY-SYMBOL-DECISIONDATE-SIDE; an order whose submission ends in doubt (timeout, reset, 5xx)
is looked up by that id before it is ever sent again. Reads are retried on 429 and 5xx with
exponential backoff and jitter (bounded). An order left partially filled after its open is
cancelled and what filled is recorded.

Missed sessions: orders decided at a past close cannot reach a past open, so a gap since the
last cycle is refused; --skip-missed records the missed sessions as skipped and runs today's.

${journalledRunNote}

${options.help}

Exit codes: 0 done or already processed, 1 bad data, configuration or broker error,
2 bad options (or --live not confirmed), 3 halted by reconciliation.
`;

/** Asks on the terminal; resolves to what was typed. */
function ask(question: string): Promise<string> {
  const reader = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => reader.question(question, (answer) => {
    reader.close();
    resolve(answer);
  }));
}

async function confirmLive(confirmFlag: string | undefined, host: string): Promise<void> {
  if (confirmFlag !== undefined) {
    if (confirmFlag !== liveConfirmation) throw new UsageError(`aq live: --confirm-live must be exactly "${liveConfirmation}"`);
    return;
  }
  if (!process.stdin.isTTY) {
    throw new UsageError(`aq live: --live trades real money at ${host}; standard input is not a terminal, so confirm with --confirm-live "${liveConfirmation}"`);
  }
  const answer = await ask(`This run trades REAL MONEY at ${host}. Type ${liveConfirmation} to go on: `);
  if (answer.trim() !== liveConfirmation) throw new UsageError('aq live: not confirmed; nothing was done');
}

/** The host of --base-url, parsed and normalised, and the mode it allows (origin.ts). */
function tradingHost(url: string, live: boolean) {
  try {
    const host = parseTradingOrigin(url);
    return { host, mode: tradingMode(host, live) };
  } catch (error) {
    if (error instanceof InvalidOriginError) throw new UsageError(`aq live: --base-url ${error.message}`);
    throw error;
  }
}

/** Output with the keys taken out, whatever produced it. */
function redactingIo(io: CommandIo, secrets: readonly string[]): CommandIo {
  return { stdout: (text) => io.stdout(redact(text, secrets)), stderr: (text) => io.stderr(redact(text, secrets)), interactive: io.interactive };
}

export const liveCommand: Command = {
  name: 'live',
  summary: 'live trading through Alpaca: one daily cycle after the close, restart-safe',
  help,
  optionNames: options.names,
  async run(argv, outerIo) {
    const secrets = environmentSecrets();
    const io = redactingIo(outerIo, secrets);
    try {
      return await runLive(argv, io);
    } catch (error) {
      // Whatever the error says, it leaves without the keys.
      if (error instanceof Error) error.message = redact(error.message, secrets);
      if (error instanceof Error && error.stack !== undefined) error.stack = redact(error.stack, secrets);
      throw error;
    }
  },
};

async function runLive(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values } = options.parse(argv);
  const { journal: journalPath, 'as-of': asOfOption, 'time-in-force': timeInForce, 'timeout-ms': timeoutMs } = values;
  if (values['confirm-live'] !== undefined && !values.live) throw new UsageError('aq live: --confirm-live goes with --live');
  const live = values.live === true;
  const { host, mode } = tradingHost(values['base-url'] ?? (live ? alpacaLiveUrl : alpacaPaperUrl), live);
  const baseUrl = host.origin;
  if (live) await confirmLive(values['confirm-live'], baseUrl);

  const keyId = process.env.APCA_API_KEY_ID ?? '';
  const secretKey = process.env.APCA_API_SECRET_KEY ?? '';
  if (keyId === '' || secretKey === '') {
    throw new ConfigError('set APCA_API_KEY_ID and APCA_API_SECRET_KEY in the environment (Alpaca dashboard: API keys)');
  }
  const settings = sessionSettings(values, timeInForce);
  const universe = resolveUniverse('live', values.universe, values.data);
  const { bars, dropped } = loadUniverseBars(universe);
  for (const row of dropped) io.stderr(`dropped ${row.message}\n`);

  let name = brokerName(mode, host);
  const client = createAlpacaClient({ baseUrl, dataUrl: values['data-url'], credentials: { keyId, secretKey }, timeoutMs });
  const asOf = asOfOption ?? unionCalendar(bars)[unionCalendar(bars).length - 1];
  if (existsSync(journalPath)) {
    const journal = Journal.open(journalPath, { readonly: true });
    let existing;
    try {
      name = journalBrokerName(journal, name);
      existing = journal.cycle(asOf);
    } finally {
      journal.close();
    }
    if (existing !== null && (existing.status === 'done' || existing.status === 'skipped')) {
      io.stdout(`${asOf}: already processed (nothing changed)\n`);
      return 0;
    }
  }
  // Before the journal is touched: a refused run leaves no trace.
  await checkLiveSession(client, asOf, timeInForce);
  const log = values.quiet ? () => {} : (line: string) => io.stdout(`  ${line}\n`);
  const runner = openRunner({
    journalPath,
    bars,
    settings,
    mode: 'live',
    durability: 'full',
    broker: () => new AlpacaBroker(client, { name }),
    log,
  });
  try {
    const result = await runner.runAsOf(asOf, values['skip-missed'] ? 'skip' : 'refuse');
    reportSession(result, io, asOf);
    return 0;
  } catch (error) {
    return haltExitCode(error, io);
  } finally {
    runner.journal.close();
  }
}
