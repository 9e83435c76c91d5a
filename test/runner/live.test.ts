/**
 * `aq live` against the local fake Alpaca server: the daily cycle, parity with the backtest over
 * a few sessions, ambiguous submissions, restarts, reconciliation halts, and the keys never
 * appearing anywhere (outputs, errors, journal files).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BarSeries } from '../../src/data/bars';
import { runBacktest } from '../../src/engine/backtest';
import { setCheckpointHook } from '../../src/storage/checkpoints';
import { Journal } from '../../src/runner/journal';
import { compareJournalWithBacktest, formatParityReport } from '../../src/runner/parity';
import { FakeAlpacaServer } from '../brokers/fake-alpaca-server';
import { defaultSettings, loadRealBars, requireRealData, runCli, slice, temporaryDirectory, writeBars, type CapturedRun } from './helpers';

const keyId = 'PKLIVETESTKEY987654321';
const secretKey = 'live/Secret+Value=0123456789abcdefghijklmn';

describe('aq live against a local Alpaca server', function () {
  let dir: { path: string; remove: () => void };
  let dataDir: string;
  let bars: BarSeries[];
  let server: FakeAlpacaServer;
  let outputs: string[];
  let journalCount = 0;
  const saved = { id: process.env.APCA_API_KEY_ID, secret: process.env.APCA_API_SECRET_KEY };

  before(function () {
    requireRealData(this);
    dir = temporaryDirectory('live');
    dataDir = join(dir.path, 'data');
    mkdirSync(dataDir);
    bars = loadRealBars().map((series) => slice(series, '2018-09-04', '2019-06-28'));
    for (const series of bars) writeBars(dataDir, series);
    outputs = [];
    process.env.APCA_API_KEY_ID = keyId;
    process.env.APCA_API_SECRET_KEY = secretKey;
  });

  after(() => {
    if (saved.id === undefined) delete process.env.APCA_API_KEY_ID;
    else process.env.APCA_API_KEY_ID = saved.id;
    if (saved.secret === undefined) delete process.env.APCA_API_SECRET_KEY;
    else process.env.APCA_API_SECRET_KEY = saved.secret;
    setCheckpointHook(null);
    dir?.remove();
  });

  beforeEach(async () => {
    server = new FakeAlpacaServer(keyId, secretKey);
    await server.start();
    const dates = [...new Set(bars.flatMap((series) => series.dates))].sort();
    server.calendar = dates.map((date) => ({ date, open: '09:30', close: '16:00', session_open: '0400', session_close: '2000', settlement_date: date }));
  });

  afterEach(async () => {
    setCheckpointHook(null);
    await server.stop();
  });

  /** The evening of a session, after 19:00 New York: the market is closed and opg orders are accepted. */
  function evening(date: string, time = '20:15'): void {
    server.clock = { timestamp: `${date}T${time}:00.000000000-04:00`, is_open: false, next_open: `${date}T09:30:00-04:00`, next_close: `${date}T16:00:00-04:00` };
  }

  function opens(date: string): Record<string, number> {
    const result: Record<string, number> = {};
    for (const series of bars) {
      const i = series.dates.indexOf(date);
      if (i >= 0) result[series.symbol] = series.open[i];
    }
    return result;
  }

  function newJournal(): string {
    journalCount++;
    return join(dir.path, `live-${journalCount}.db`);
  }

  async function live(journal: string, asOf: string, extra: string[] = []): Promise<CapturedRun> {
    const run = await runCli(['live', '--universe', 'MU,GLD,GOOG', '--data', dataDir, '--journal', journal, '--base-url', server.url,
      '--as-of', asOf, '--timeout-ms', '400', ...extra]);
    outputs.push(run.stdout, run.stderr);
    return run;
  }

  const gldEntry = 'trend-breakout-GLD-2019-05-13-buy';

  it('runs daily cycles that trade exactly like the backtest (2019-05-13..2019-05-20)', async () => {
    const journal = newJournal();
    const sessions = ['2019-05-13', '2019-05-14', '2019-05-15', '2019-05-16', '2019-05-17', '2019-05-20'];
    for (const [i, date] of sessions.entries()) {
      if (i > 0) server.openMarket(date, opens(date));
      evening(date);
      const run = await live(journal, date);
      assert.equal(run.code, 0, run.stderr);
      if (date === '2019-05-13') assert.match(run.stdout, /2019-05-13: equity 100000\.00; filled at the open: none; orders for the next open: buy 271 GLD/);
      if (date === '2019-05-14') assert.match(run.stdout, /filled at the open: buy 271 GLD @ 122\.5999984741211/);
    }
    const [order] = [...server.orders.values()];
    assert.deepEqual([order.client_order_id, order.qty, order.side, order.type, order.time_in_force], [gldEntry, '271', 'buy', 'market', 'opg']);
    assert.equal(server.orders.size, 2);
    const reader = Journal.open(journal, { readonly: true });
    try {
      const backtest = runBacktest(bars, defaultSettings().strategy, { from: '2019-05-13', to: '2019-05-20' });
      const report = compareJournalWithBacktest(reader, backtest);
      assert.deepEqual(report.divergences, [], formatParityReport(report));
      assert.equal(reader.trades().length, 1);
      assert.equal(reader.trades()[0].pnl, backtest.trades[0].pnl);
    } finally {
      reader.close();
    }
    const again = await live(journal, '2019-05-20');
    assert.deepEqual([again.code, again.stdout], [0, '2019-05-20: already processed (nothing changed)\n']);
  });

  it('an order accepted but not acknowledged (timeout) is not sent twice', async () => {
    const journal = newJournal();
    server.inject({ kind: 'timeout-after-accept', route: 'POST /v2/orders' });
    evening('2019-05-13');
    const run = await live(journal, '2019-05-13');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(server.submissions(gldEntry), 1);
    assert.equal(server.orders.size, 1);
    const db = new Database(journal, { readonly: true });
    try {
      assert.deepEqual(db.prepare('SELECT status, broker_status FROM orders WHERE client_order_id = ?').get(gldEntry), { status: 'submitted', broker_status: 'accepted' });
    } finally {
      db.close();
    }
  });

  it('a restart after a crash between the broker accepting the order and the journal recording it reconciles (no second order)', async () => {
    const journal = newJournal();
    evening('2019-05-13');
    setCheckpointHook((_step, label) => {
      if (label === `broker submit ${gldEntry}: after`) throw new Error('simulated crash');
    });
    await assert.rejects(live(journal, '2019-05-13'), /simulated crash/);
    setCheckpointHook(null);
    const db = new Database(journal, { readonly: true });
    assert.equal((db.prepare('SELECT status FROM orders WHERE client_order_id = ?').get(gldEntry) as { status: string }).status, 'sending');
    db.close();
    assert.equal(server.orders.size, 1);
    const restart = await live(journal, '2019-05-13');
    assert.equal(restart.code, 0, restart.stderr);
    assert.match(restart.stdout, new RegExp(`repaired: ${gldEntry}: the journal had it as sending, the broker has it \\(accepted\\): recorded as submitted`));
    assert.equal(server.submissions(gldEntry), 1);
    // And the session goes on: the fill is recorded on the next evening.
    server.openMarket('2019-05-14', opens('2019-05-14'));
    evening('2019-05-14');
    const next = await live(journal, '2019-05-14');
    assert.equal(next.code, 0, next.stderr);
    assert.match(next.stdout, /filled at the open: buy 271 GLD/);
  });

  it('a restart with an order open at the broker (sent, not filled yet) reconciles and sends nothing again', async () => {
    const journal = newJournal();
    evening('2019-05-13');
    assert.equal((await live(journal, '2019-05-13')).code, 0);
    // The next cycle is interrupted after its fills were recorded (none: the open has not come
    // for GLD in this scenario) and run again.
    evening('2019-05-14');
    setCheckpointHook((_step, label) => {
      if (label.startsWith('journal decide 2019-05-14: before')) throw new Error('simulated crash');
    });
    await assert.rejects(live(journal, '2019-05-14'), /simulated crash/);
    setCheckpointHook(null);
    const again = await live(journal, '2019-05-14');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(server.submissions(gldEntry), 1);
    assert.equal(server.orders.size, 1);
  });

  it('a cycle interrupted before sending and resumed after the next open expires its orders instead of sending them late', async () => {
    const journal = newJournal();
    evening('2019-05-13');
    setCheckpointHook((_step, label) => {
      if (label === `journal sending ${gldEntry}: before`) throw new Error('simulated crash');
    });
    await assert.rejects(live(journal, '2019-05-13'), /simulated crash/);
    setCheckpointHook(null);
    // The machine comes back the next evening: the 05-13 order was meant for the 05-14 open.
    evening('2019-05-14');
    const run = await live(journal, '2019-05-14');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`2019-05-13 EXPIRED unsent: buy 271 GLD \\(${gldEntry}\\)`));
    assert.equal(server.submissions(gldEntry), 0);
    const reader = Journal.open(journal, { readonly: true });
    try {
      assert.equal(reader.order(gldEntry)?.status, 'expired');
      assert.deepEqual(reader.cycles().map((cycle) => [cycle.date, cycle.status]), [['2019-05-13', 'done'], ['2019-05-14', 'done']]);
    } finally {
      reader.close();
    }
  });

  it('halts with a report on a position at the broker that the journal does not know; nothing is sent', async () => {
    const journal = newJournal();
    server.addPosition('AAPL', 10, 180.5);
    evening('2019-05-13');
    const run = await live(journal, '2019-05-13');
    assert.equal(run.code, 3);
    assert.equal(run.stderr, 'HALT: the journal and the broker disagree; nothing was sent.\n  - position at the broker the journal does not know: 10 AAPL\n');
    assert.equal(server.requests.filter((r) => r.method === 'POST').length, 0);
  });

  it('halts when a known position differs from the journal (with the fills not yet recorded)', async () => {
    const journal = newJournal();
    evening('2019-05-13');
    assert.equal((await live(journal, '2019-05-13')).code, 0);
    server.openMarket('2019-05-14', opens('2019-05-14'));
    server.addPosition('GLD', 300, 122.6);
    evening('2019-05-14');
    const run = await live(journal, '2019-05-14');
    assert.equal(run.code, 3);
    assert.match(run.stderr, /position GLD: the broker has 300 shares, the journal \(with the fills not yet recorded\) expects 271/);
  });

  it('records a partial fill at the open and a rejected order', async () => {
    const journal = newJournal();
    server.partialFills.set(gldEntry, 0.4);
    evening('2019-05-13');
    assert.equal((await live(journal, '2019-05-13')).code, 0);
    server.openMarket('2019-05-14', opens('2019-05-14'));
    evening('2019-05-14');
    const run = await live(journal, '2019-05-14');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /filled at the open: buy 108 GLD @ 122\.5999984741211/);
    const reader = Journal.open(journal, { readonly: true });
    try {
      assert.equal(reader.portfolio().positions.get('GLD')?.shares, 108);
      assert.deepEqual(reader.rejections().map((r) => [r.stage, r.requestedShares, r.shares]), [['broker', 271, 108]]);
      assert.equal(reader.order(gldEntry)?.status, 'canceled');
    } finally {
      reader.close();
    }
    const rejected = newJournal();
    const other = new FakeAlpacaServer(keyId, secretKey);
    await other.start();
    try {
      other.calendar = server.calendar;
      other.clock = server.clock;
      other.inject({ kind: 'reject-buying-power', route: 'POST /v2/orders' });
      other.clock = { ...server.clock, timestamp: '2019-05-13T20:15:00.000000000-04:00' };
      const refused = await runCli(['live', '--universe', 'MU,GLD,GOOG', '--data', dataDir, '--journal', rejected, '--base-url', other.url, '--as-of', '2019-05-13']);
      outputs.push(refused.stdout, refused.stderr);
      assert.equal(refused.code, 0, refused.stderr);
      assert.match(refused.stdout, /REJECTED by the broker: buy 271 GLD \(trend-breakout-GLD-2019-05-13-buy\): HTTP 403 code 40310000: insufficient buying power/);
      const reader2 = Journal.open(rejected, { readonly: true });
      assert.equal(reader2.order(gldEntry)?.status, 'rejected');
      reader2.close();
    } finally {
      await other.stop();
    }
  });

  it('refuses: an open market, stale data, opg in the closed window, a gap; --skip-missed skips it', async () => {
    const journal = newJournal();
    server.clock = { timestamp: '2019-05-13T11:00:00.000000000-04:00', is_open: true, next_open: '2019-05-14T09:30:00-04:00', next_close: '2019-05-13T16:00:00-04:00' };
    const open = await live(journal, '2019-05-13');
    assert.deepEqual([open.code, open.stderr], [1, "aq live: the market is open (2019-05-13 11:00 New York): aq live runs after the session's close\n"]);
    evening('2019-05-14');
    const stale = await live(journal, '2019-05-13');
    assert.deepEqual([stale.code, stale.stderr], [1, 'aq live: the data ends at 2019-05-13 but the last completed session is 2019-05-14: fetch the latest bars first (aq data fetch ... --source alpaca)\n']);
    evening('2019-05-13', '17:30');
    const window = await live(journal, '2019-05-13');
    assert.equal(window.code, 1);
    assert.match(window.stderr, /it is 17:30 in New York: Alpaca rejects opg orders sent between 09:28 and 19:00 ET/);
    assert.equal(server.requests.filter((r) => r.method === 'POST').length, 0);
    const day = await live(journal, '2019-05-13', ['--time-in-force', 'day']);
    assert.equal(day.code, 0, day.stderr);
    assert.equal([...server.orders.values()][0].time_in_force, 'day');
    evening('2019-05-16');
    const gap = await live(journal, '2019-05-16', ['--time-in-force', 'day']);
    assert.equal(gap.code, 1);
    assert.match(gap.stderr, /missed: 2019-05-14, 2019-05-15\. Orders decided on a past close cannot reach a past open: run with --skip-missed/);
    const skipped = await live(journal, '2019-05-16', ['--time-in-force', 'day', '--skip-missed']);
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.match(skipped.stdout, /2019-05-14: skipped \(missed\)\n2019-05-15: skipped \(missed\)\n/);
  });

  it('--live needs a confirmation: refused without a terminal, accepted with --confirm-live', async () => {
    const journal = newJournal();
    evening('2019-05-13');
    const refused = await live(journal, '2019-05-13', ['--live']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--live trades real money at http:\/\/127\.0\.0\.1:\d+; standard input is not a terminal, so confirm with --confirm-live "I UNDERSTAND"/);
    assert.equal(server.requests.length, 0);
    const wrong = await live(journal, '2019-05-13', ['--live', '--confirm-live', 'yes']);
    assert.equal(wrong.code, 2);
    const confirmed = await live(journal, '2019-05-13', ['--live', '--confirm-live', 'I UNDERSTAND']);
    assert.equal(confirmed.code, 0, confirmed.stderr);
    const db = new Database(journal, { readonly: true });
    const settings = JSON.parse((db.prepare("SELECT value FROM meta WHERE key = 'settings'").get() as { value: string }).value);
    db.close();
    assert.equal(settings.broker, `alpaca-live ${server.url}`);
    // The same journal cannot go on against the paper host.
    evening('2019-05-14');
    const mixed = await live(journal, '2019-05-14');
    assert.equal(mixed.code, 1);
    assert.match(mixed.stderr, /broker: journal has "alpaca-live http:\/\/127\.0\.0\.1:\d+", this run has "alpaca-paper http:\/\/127\.0\.0\.1:\d+"/);
  });

  it('the real-money host in any spelling is refused without --live and the confirmation, before any request', async () => {
    const spellings = ['https://api.alpaca.markets', 'https://api.alpaca.markets/', 'https://api.alpaca.markets:443', 'https://api.alpaca.markets/v2',
      'https://API.Alpaca.Markets', 'HTTPS://API.ALPACA.MARKETS:443/v2/', 'https://api.alpaca.markets./', 'https://example.com'];
    const realFetch = globalThis.fetch;
    const fetched: string[] = [];
    globalThis.fetch = (async (input: string | URL | Request) => {
      fetched.push(String(input));
      throw new Error('no request may leave this test');
    }) as typeof fetch;
    try {
      evening('2019-05-13');
      for (const url of spellings) {
        const journal = newJournal();
        const base = ['live', '--universe', 'MU,GLD,GOOG', '--data', dataDir, '--journal', journal, '--base-url', url, '--as-of', '2019-05-13'];
        const plain = await runCli(base);
        assert.equal(plain.code, 2, `${url}: ${plain.stderr}`);
        assert.match(plain.stderr, /a real-money host: it needs --live and the confirmation/);
        const unconfirmed = await runCli([...base, '--live']);
        assert.equal(unconfirmed.code, 2, `${url}: ${unconfirmed.stderr}`);
        assert.match(unconfirmed.stderr, /--live trades real money at https:\/\/[a-z.]+;/);
        const wrong = await runCli([...base, '--live', '--confirm-live', 'i understand']);
        assert.equal(wrong.code, 2);
        assert.equal(existsSync(journal), false, `${url}: a refused run leaves no journal`);
      }
      // The paper host with --live is a contradiction, and keys are not sent in clear text.
      const paperLive = await runCli(['live', '--universe', 'MU,GLD,GOOG', '--data', dataDir, '--journal', newJournal(), '--base-url', 'https://PAPER-API.alpaca.markets/v2', '--live', '--confirm-live', 'I UNDERSTAND']);
      assert.equal(paperLive.code, 2);
      assert.match(paperLive.stderr, /is https:\/\/paper-api\.alpaca\.markets, Alpaca's paper host: --live goes with the real-money host/);
      const clear = await runCli(['live', '--universe', 'MU,GLD,GOOG', '--data', dataDir, '--journal', newJournal(), '--base-url', 'http://paper-api.alpaca.markets']);
      assert.equal(clear.code, 2);
      assert.match(clear.stderr, /must be https for a host other than loopback/);
    } finally {
      globalThis.fetch = realFetch;
    }
    assert.deepEqual(fetched, []);
    assert.equal(server.requests.length, 0);
  });

  it('a journal records the normalised origin; the same origin spelled otherwise goes on, another origin is refused naming both', async () => {
    const journal = newJournal();
    evening('2019-05-13');
    const port = new URL(server.url).port;
    const first = await runCli(['live', '--universe', 'MU,GLD,GOOG', '--data', dataDir, '--journal', journal, '--base-url', `HTTP://LOCALHOST:${port}/v2/`, '--as-of', '2019-05-13']);
    assert.equal(first.code, 0, first.stderr);
    const db = new Database(journal, { readonly: true });
    const settings = JSON.parse((db.prepare("SELECT value FROM meta WHERE key = 'settings'").get() as { value: string }).value);
    db.close();
    assert.equal(settings.broker, `alpaca-paper http://localhost:${port}`);
    server.openMarket('2019-05-14', opens('2019-05-14'));
    evening('2019-05-14');
    const again = await runCli(['live', '--universe', 'MU,GLD,GOOG', '--data', dataDir, '--journal', journal, '--base-url', `http://localhost:${port}`, '--as-of', '2019-05-14']);
    assert.equal(again.code, 0, again.stderr);
    const before = server.requests.length;
    evening('2019-05-15');
    const other = await runCli(['live', '--universe', 'MU,GLD,GOOG', '--data', dataDir, '--journal', journal, '--base-url', server.url, '--as-of', '2019-05-15']);
    assert.equal(other.code, 1);
    assert.match(other.stderr, new RegExp(`broker: journal has "alpaca-paper http://localhost:${port}", this run has "alpaca-paper http://127\\.0\\.0\\.1:${port}"`));
    assert.equal(server.requests.length, before, 'refused before any request');
  });

  it('reports wrong keys without showing them, and a missing key by name only', async () => {
    const journal = newJournal();
    evening('2019-05-13');
    process.env.APCA_API_SECRET_KEY = 'definitely-wrong-secret-999';
    try {
      const run = await live(journal, '2019-05-13');
      assert.equal(run.code, 1);
      assert.match(run.stderr, /HTTP 401 .*request is not authorized \(check APCA_API_KEY_ID and APCA_API_SECRET_KEY/);
      assert.equal(run.stderr.includes('definitely-wrong-secret-999'), false);
      delete process.env.APCA_API_SECRET_KEY;
      const missing = await live(journal, '2019-05-13');
      assert.deepEqual([missing.code, missing.stderr], [1, 'aq live: set APCA_API_KEY_ID and APCA_API_SECRET_KEY in the environment (Alpaca dashboard: API keys)\n']);
    } finally {
      process.env.APCA_API_SECRET_KEY = secretKey;
    }
  });

  it('the keys appear in no output, no error and no journal file of any scenario above', () => {
    assert.ok(outputs.length > 20);
    const files = readdirSync(dir.path).filter((name) => name.startsWith('live-')).map((name) => join(dir.path, name));
    assert.ok(files.some((file) => file.endsWith('.db')) && files.some((file) => file.endsWith('-wal') || file.endsWith('.db')));
    const texts = [...outputs, ...files.map((file) => readFileSync(file).toString('latin1'))];
    for (const text of texts) {
      for (const secret of [keyId, secretKey, 'definitely-wrong-secret-999']) assert.equal(text.includes(secret), false);
    }
  });
});
