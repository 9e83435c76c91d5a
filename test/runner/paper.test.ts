import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { BarSeries } from '../../src/data/bars';
import { ConfigError } from '../../src/errors';
import { runBacktest, type BacktestResult } from '../../src/engine/backtest';
import { fixedRisk } from '../../src/sizing/sizing';
import { compareJournalWithBacktest, formatParityReport } from '../../src/runner/parity';
import { openRunner, replayInProcess, type Runner } from '../../src/runner/runner';
import {
  defaultSettings,
  journalDump,
  loadRealBars,
  requireRealData,
  runCli,
  slice,
  temporaryDirectory,
  writeBars,
} from './helpers';

describe('paper runner: replay against the backtest (real data)', function () {
  let bars: BarSeries[];
  let dir: { path: string; remove: () => void };
  let runner: Runner;
  let backtest: BacktestResult;
  const from = '2020-01-02';
  const to = '2023-12-29';

  before(async function () {
    requireRealData(this);
    bars = loadRealBars();
    dir = temporaryDirectory('paper-parity');
    runner = openRunner({ journalPath: join(dir.path, 'replay.db'), bars, settings: defaultSettings() });
    await replayInProcess(runner, from, to);
    backtest = runBacktest(bars, defaultSettings().strategy, { from, to });
  });

  after(() => {
    runner?.journal.close();
    dir?.remove();
  });

  it('runs one cycle per trading day of 2020-2023', () => {
    const cycles = runner.journal.cycles();
    assert.equal(cycles.length, backtest.equityCurve.length);
    assert.equal(cycles[0].date, '2020-01-02');
    assert.equal(cycles[cycles.length - 1].date, '2023-12-29');
    assert.equal(cycles.every((cycle) => cycle.status === 'done'), true);
  });

  it('matches runBacktest trade for trade, fill for fill, decision for decision', () => {
    const report = compareJournalWithBacktest(runner.journal, backtest);
    assert.deepEqual(report.divergences, [], formatParityReport(report));
    // Not vacuous: four years of TrendBreakout on MU, GLD and GOOG trade a lot.
    assert.ok(backtest.trades.length > 50, `\${backtest.trades.length} > 50`);
    const trades = runner.journal.trades();
    assert.equal(trades.length, backtest.trades.length);
    trades.forEach((trade, i) => {
      const expected = backtest.trades[i];
      assert.deepEqual([trade.symbol, trade.entryDate, trade.entryPrice, trade.exitDate, trade.exitPrice, trade.shares, trade.pnl, trade.exitReason],
        [expected.symbol, expected.entryDate, expected.entryPrice, expected.exitDate, expected.exitPrice, expected.shares, expected.pnl, expected.exitReason]);
      assert.deepEqual(trade.pnlByFactor, expected.pnlByFactor);
    });
  });

  it('has the backtest equity, cash and position value at every close, to the bit', () => {
    const cycles = runner.journal.cycles();
    cycles.forEach((cycle, i) => {
      const point = backtest.equityCurve[i];
      assert.deepEqual([cycle.date, cycle.equity, cycle.cash, cycle.positionValue], [point.date, point.equity, point.cash, point.positionValue]);
    });
  });

  it('ends with the backtest open positions and the backtest unfilled orders as pending', () => {
    const positions = [...runner.journal.portfolio().positions.values()].map((p) => [p.symbol, p.shares, p.entryPrice, p.entryDate]);
    assert.deepEqual(positions, backtest.openPositions.map((p) => [p.symbol, p.shares, p.entryPrice, p.entryDate]));
    assert.deepEqual(runner.journal.activeOrders().map((entry) => entry.order.id), backtest.unfilledOrders.map((order) => order.id));
  });

  it('journals every decision with its factor and feature values', () => {
    const decisions = runner.journal.decisions();
    assert.equal(decisions.length, backtest.intents.length);
    const first = decisions[0];
    assert.notEqual(first.features, null);
    assert.deepEqual(Object.keys(first.features ?? {}), ['roc', 'price_vs_ma', 'price_vs_high', 'volume_zscore', 'volatility']);
    assert.equal(typeof first.factors.score, 'number');
  });

  it('the parity report names the first difference first', () => {
    runner.journal.db.prepare('UPDATE fills SET price = price + 0.01 WHERE seq = 3').run();
    runner.journal.db.prepare('UPDATE orders SET shares = shares + 1 WHERE seq = 5').run();
    try {
      const report = compareJournalWithBacktest(runner.journal, backtest);
      assert.equal(report.divergences.length, 2);
      const [firstDivergence, second] = report.divergences;
      assert.equal(firstDivergence.kind, 'fill');
      assert.equal(firstDivergence.date, backtest.fills[2].date);
      assert.deepEqual(firstDivergence.fields, ['price']);
      assert.equal(second.kind, 'order');
      assert.deepEqual(second.fields, ['shares']);
      assert.match(formatParityReport(report), /^parity: 2 divergence\(s\)/);
    } finally {
      runner.journal.db.prepare('UPDATE fills SET price = price - 0.01 WHERE seq = 3').run();
      runner.journal.db.prepare('UPDATE orders SET shares = shares - 1 WHERE seq = 5').run();
    }
  });
});

describe('paper runner: cycles, dates and idempotence', function () {
  let bars: BarSeries[];
  let dir: { path: string; remove: () => void };

  before(function () {
    requireRealData(this);
    bars = loadRealBars().map((series) => slice(series, '2019-01-02', '2019-12-31'));
    dir = temporaryDirectory('paper-cycles');
  });

  after(() => dir?.remove());

  it('running the same as-of date twice changes nothing', async () => {
    const runner = openRunner({ journalPath: join(dir.path, 'twice.db'), bars, settings: defaultSettings() });
    try {
      await replayInProcess(runner, '2019-04-01', '2019-06-28');
      const before = journalDump(runner.journal.db);
      const events = runner.journal.events().length;
      const again = await runner.runAsOf('2019-06-28');
      assert.equal(again.alreadyProcessed, true);
      const earlier = await runner.runAsOf('2019-05-15');
      assert.equal(earlier.alreadyProcessed, true);
      assert.deepEqual(journalDump(runner.journal.db), before);
      assert.equal(runner.journal.events().length, events);
    } finally {
      runner.journal.close();
    }
  });

  it('catches up missed trading days one by one, exactly as if each had run', async () => {
    const daily = openRunner({ journalPath: join(dir.path, 'daily.db'), bars, settings: defaultSettings() });
    const gappy = openRunner({ journalPath: join(dir.path, 'gappy.db'), bars, settings: defaultSettings() });
    try {
      await replayInProcess(daily, '2019-04-01', '2019-09-30');
      await gappy.runAsOf('2019-04-01');
      const caughtUp = await gappy.runAsOf('2019-06-03');
      assert.deepEqual(caughtUp.cycles.map((cycle) => cycle.date), gappy.tradingDays('2019-04-02', '2019-06-03'));
      await gappy.runAsOf('2019-09-30');
      assert.deepEqual(journalDump(gappy.journal.db), journalDump(daily.journal.db));
      assert.ok(daily.journal.fills().length > 4, `\${daily.journal.fills().length} > 4`);
    } finally {
      daily.journal.close();
      gappy.journal.close();
    }
  });

  it('refuses a date before the last cycle, a non-trading day, and a catch-up when gaps are refused', async () => {
    const runner = openRunner({ journalPath: join(dir.path, 'order.db'), bars, settings: defaultSettings() });
    try {
      // The session starts on 2019-05-03: the day before was never part of it.
      await runner.runAsOf('2019-05-03');
      let error: unknown = null;
      try {
        await runner.runAsOf('2019-05-02');
      } catch (caught) {
        error = caught;
      }
      assert.ok(error instanceof ConfigError, String(error));
      assert.equal((error as Error).message, 'cycles run in date order: the journal is at 2019-05-03, so 2019-05-02 cannot be processed now');
      const weekend = await runner.runAsOf('2019-05-04').then(() => null, (caught: Error) => caught.message);
      assert.equal(weekend, '2019-05-04 is not a trading day in the data (no symbol has a bar on it)');
      const refused = await runner.runAsOf('2019-05-08', 'refuse').then(() => null, (caught: Error) => caught.message);
      assert.match(String(refused), /^the journal's last cycle is 2019-05-03 and 2019-05-08 is 3 trading days later; missed: 2019-05-06, 2019-05-07\./);
    } finally {
      runner.journal.close();
    }
  });

  it('refuses to continue a journal with other settings, naming what differs', async () => {
    const path = join(dir.path, 'settings.db');
    openRunner({ journalPath: path, bars, settings: defaultSettings() }).journal.close();
    const attempt = () => openRunner({ journalPath: path, bars, settings: defaultSettings({ sizing: fixedRisk(0.01), startingCash: 50_000 }) });
    assert.throws(attempt, (error: Error) => error instanceof ConfigError && /startingCash: journal has 100000, this run has 50000\n\s+sizing: journal has \{"kind":"equal-weight"\}/.test(error.message));
  });
});

describe('aq paper and aq parity (CLI)', function () {
  let dir: { path: string; remove: () => void };
  let dataDir: string;

  before(function () {
    requireRealData(this);
    dir = temporaryDirectory('paper-cli');
    dataDir = join(dir.path, 'data');
    require('node:fs').mkdirSync(dataDir);
    for (const series of loadRealBars()) writeBars(dataDir, slice(series, '2018-06-01', '2019-12-31'));
  });

  after(() => dir?.remove());

  it('runs one cycle for the last date in the data, then says already processed', async () => {
    const journal = join(dir.path, 'cli.db');
    const first = await runCli(['paper', '--universe', 'MU,GLD,GOOG', '--data', dataDir, '--journal', journal]);
    assert.equal(first.stderr, '');
    assert.equal(first.code, 0);
    assert.match(first.stdout, /^2019-12-31: equity 100000\.00; filled at the open: none; orders for the next open: /m);
    const second = await runCli(['paper', '--universe', 'MU,GLD,GOOG', '--data', dataDir, '--journal', journal]);
    assert.deepEqual(second, { code: 0, stdout: '2019-12-31: already processed (nothing changed)\n', stderr: '' });
  });

  it('replays, then aq parity finds no divergence; a tampered fill makes it exit 1', async () => {
    const journal = join(dir.path, 'replay.db');
    const common = ['--universe', 'MU,GLD,GOOG', '--data', dataDir];
    const replay = await runCli(['paper', ...common, '--journal', journal, '--replay', '--from', '2019-03-01', '--to', '2019-12-31', '--quiet']);
    assert.equal(replay.code, 0, replay.stderr);
    assert.match(replay.stdout, /replayed 212 trading days 2019-03-01\.\.2019-12-31/);
    const parity = await runCli(['parity', ...common, '--journal', journal, '--from', '2019-03-01', '--to', '2019-12-31']);
    assert.equal(parity.code, 0, parity.stdout);
    assert.match(parity.stdout, /^parity: the journal matches the backtest \(backtest\/journal: decisions (\d+)\/\1, orders (\d+)\/\2, fills (\d+)\/\3, trades (\d+)\/\4\)\n$/);
    const Database = require('better-sqlite3');
    const db = new Database(journal);
    const tampered = db.prepare('SELECT client_order_id, date FROM fills ORDER BY seq LIMIT 1').get();
    db.prepare('UPDATE fills SET shares = shares - 1 WHERE seq = 1').run();
    db.close();
    const broken = await runCli(['parity', ...common, '--journal', journal, '--from', '2019-03-01', '--to', '2019-12-31']);
    assert.equal(broken.code, 1);
    assert.deepEqual(broken.stdout.split('\n').slice(0, 2), [
      broken.stdout.split('\n')[0],
      `  ${tampered.date} fill ${tampered.client_order_id} differs in shares`,
    ]);
    assert.match(broken.stdout, /^parity: 1 divergence\(s\)/);
  });

  it('refuses --as-of with --replay, and --from without --replay (exit 2)', async () => {
    const journal = join(dir.path, 'usage.db');
    const both = await runCli(['paper', '--universe', 'MU,GLD,GOOG', '--data', dataDir, '--journal', journal, '--replay', '--as-of', '2019-05-01']);
    assert.equal(both.code, 2);
    const loose = await runCli(['paper', '--universe', 'MU,GLD,GOOG', '--data', dataDir, '--journal', journal, '--from', '2019-05-01']);
    assert.deepEqual(loose, { code: 2, stdout: '', stderr: "aq paper: --from, --to and --processes go with --replay (see 'aq paper --help')\n" });
  });
});

describe('paper runner: parity with costs, fixed-risk sizing and risk limits (real data)', function () {
  it('matches runBacktest with commission, slippage, fixed-risk sizing and a position limit', async function () {
    requireRealData(this);
    const bars = loadRealBars().map((series) => slice(series, '2020-06-01', '2021-12-31'));
    const dir = temporaryDirectory('paper-costs');
    const settings = defaultSettings({
      startingCash: 30_000,
      sizing: fixedRisk(0.02),
      costs: { commissionPerShare: 0.005, minimumCommission: 1, slippageBps: 5 },
      risk: { maxPositionWeight: 0.3, maxGrossExposure: 0.9 },
    });
    const runner = openRunner({ journalPath: join(dir.path, 'costs.db'), bars, settings });
    try {
      await replayInProcess(runner, '2020-09-01', '2021-12-31');
      const backtest = runBacktest(bars, settings.strategy, {
        from: '2020-09-01', to: '2021-12-31', startingCash: 30_000, sizing: settings.sizing, costs: settings.costs, risk: settings.risk,
      });
      const report = compareJournalWithBacktest(runner.journal, backtest);
      assert.deepEqual(report.divergences, [], formatParityReport(report));
      assert.ok(backtest.fills.length > 20, `${backtest.fills.length} fills`);
      // Costs were charged: every fill pays at least the minimum commission.
      assert.ok(runner.journal.fills().every((fill) => fill.commission >= 1));
      // The risk limits cut some orders, in the journal as in the backtest.
      const cuts = (stage: string) => runner.journal.rejections().filter((r) => r.stage === stage).length;
      assert.equal(cuts('risk'), backtest.rejected.filter((r) => r.stage === 'risk').length);
      assert.equal(runner.journal.cycles().at(-1)?.equity, backtest.finalEquity);
    } finally {
      runner.journal.close();
      dir.remove();
    }
  });
});
