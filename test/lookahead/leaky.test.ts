/**
 * Every deliberately leaky strategy (test/lookahead/leaky-strategies) is flagged by the check
 * that is meant to catch it, with a finding naming the first leaking symbol and date, worked
 * out here by hand from the bars. The data: two synthetic symbols of 260 bars (short enough
 * for the prefix check to try every bar) written as CSV files, so the perturbation check
 * reruns from files.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runBacktest, trendBreakout } from '../../src/index';
import { checkLookahead, formatLookaheadReport } from '../../src/lookahead';
import { assertFinding, assertOutcome, findingOf } from './assertions';
import fillAtSignalClose from './leaky-strategies/fill-at-signal-close';
import { leakyDir, writeSyntheticUniverse, type SyntheticUniverse } from './fixtures';

describe('lookahead: leaky strategies are caught by the right check', function () {
  let data: SyntheticUniverse;
  const run = (strategyPath: string, extra: object = {}) =>
    checkLookahead({ strategyPath: join(leakyDir, strategyPath), universe: data.symbols, dataDir: data.dir, cuts: 6, seed: 3, ...extra });

  before(function () {
    data = writeSyntheticUniverse(['AAA', 'BBB'], 260, 7);
  });
  after(function () {
    data.remove();
  });

  it('the honest TrendBreakout passes all four on the same data, and trades there', function () {
    const report = checkLookahead({ strategy: 'trend-breakout', universe: data.symbols, dataDir: data.dir, cuts: 6, seed: 3 });
    assertOutcome(report, { prefix: true, perturbation: true, 'fill-audit': true, availability: true });
    assert.ok(runBacktest(data.bars, trendBreakout()).fills.length > 4, 'TrendBreakout should trade on the fixture');
  });

  it('(a) close[t+1] through an indicator: prefix, at the first bar, NaN on bars 0..0 vs the next close', function () {
    const report = run('next-close.ts');
    const finding = findingOf(report, 'prefix');
    const [first] = data.bars;
    assertFinding(finding, { symbol: 'AAA', date: first.dates[0], subject: 'indicator "next_close"', actual: first.close[1] });
    assert.ok(Number.isNaN(finding.expected), `expected NaN on the prefix, got ${finding.expected}`);
    assertOutcome(report, { prefix: false, 'fill-audit': true, availability: true });
    assert.match(formatLookaheadReport(report), new RegExp(`FAIL  prefix +AAA ${first.dates[0]} indicator "next_close": expected NaN, got ${first.close[1]}`));
  });

  it('(b) a centred moving average: prefix, at the third bar (t = 2), the first where the whole series has a value', function () {
    const report = run('centred-moving-average.ts');
    const finding = findingOf(report, 'prefix');
    const [first] = data.bars;
    const mean = (first.close[0] + first.close[1] + first.close[2] + first.close[3] + first.close[4]) / 5;
    assertFinding(finding, { symbol: 'AAA', date: first.dates[2], subject: 'indicator "centred_ma"' });
    assert.ok(Number.isNaN(finding.expected), `expected NaN on the prefix, got ${finding.expected}`);
    assert.ok(Math.abs((finding.actual as number) - mean) < 1e-12, `centred mean ${mean} vs ${finding.actual}`);
    assertOutcome(report, { prefix: false, 'fill-audit': true, availability: true });
  });

  it('(c) normalising by the whole series\' maximum: prefix, at the first bar whose running maximum is below it', function () {
    const report = run('whole-series-max.ts');
    const finding = findingOf(report, 'prefix');
    // Independently: the earliest bar over both symbols where max(close[0..t]) < max(close), AAA first on a tie.
    const firstLeak = data.bars.map((series) => {
      const overall = Math.max(...series.close);
      let running = -Infinity;
      for (let t = 0; t < series.close.length; t++) {
        running = Math.max(running, series.close[t]);
        if (running < overall) return { symbol: series.symbol, t, expected: series.close[t] / running, actual: series.close[t] / overall, date: series.dates[t] };
      }
      throw new Error('no leak in the data');
    }).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))[0];
    assertFinding(finding, { symbol: firstLeak.symbol, date: firstLeak.date, subject: 'indicator "close_vs_max"', expected: firstLeak.expected, actual: firstLeak.actual });
    assertOutcome(report, { prefix: false, 'fill-audit': true, availability: true });
  });

  it('(d) filling at the signal bar\'s close: the fill audit, at the first fill\'s decision date', function () {
    const report = checkLookahead({ strategy: 'trend-breakout', engine: fillAtSignalClose, universe: data.symbols, dataDir: data.dir, cuts: 6, seed: 3 });
    const firstFill = runBacktest(data.bars, trendBreakout()).fills[0];
    const finding = findingOf(report, 'fill-audit');
    assertFinding(finding, {
      symbol: firstFill.symbol,
      date: firstFill.decisionDate,
      subject: `buy ${firstFill.orderId} fill date`,
      expected: `after ${firstFill.decisionDate}`,
      actual: firstFill.decisionDate,
    });
    assertOutcome(report, { prefix: true, perturbation: true, 'fill-audit': false, availability: true });
  });

  it('(e) tomorrow\'s volume kept from indicators(): perturbation, at the first cut, where the target weight flips', function () {
    const report = run('next-day-volume.ts');
    const finding = findingOf(report, 'perturbation');
    const cut = report.perturbationCuts[0];
    const t = data.bars[0].dates.indexOf(cut);
    const rising = data.bars[0].volume[t + 1] > data.bars[0].volume[t];
    assertFinding(finding, {
      symbol: 'AAA',
      date: cut,
      subject: 'target intent field "intent.weight"',
      expected: rising ? 0.4 : 0,
      actual: rising ? 0 : 0.4,
    });
    assertOutcome(report, { prefix: true, perturbation: false, 'fill-audit': true, availability: true });
  });

  it('(f) reading the CSV file itself (folder from module-level config, closes cached): perturbation, at the first cut', function () {
    const report = run('reads-csv.ts');
    const finding = findingOf(report, 'perturbation');
    const cut = report.perturbationCuts[0];
    const t = data.bars[0].dates.indexOf(cut);
    const rising = data.bars[0].close[t + 1] > data.bars[0].close[t];
    assertFinding(finding, { symbol: 'AAA', date: cut, subject: 'target intent field "intent.weight"', expected: rising ? 0.4 : 0, actual: rising ? 0 : 0.4 });
    assertOutcome(report, { prefix: true, perturbation: false, 'fill-audit': true, availability: true });
  });

  it('(f) escapes when the module is NOT reloaded (a Strategy object reused across runs): why the check reloads it', function () {
    // The same module, loaded once and passed as an object: its folder and cache stay those of the
    // original data, so every run sees the real future and the decisions agree.
    process.env.AQ_DATA_DIR = data.dir;
    try {
      delete require.cache[require.resolve('./leaky-strategies/reads-csv')];
      const once = require('./leaky-strategies/reads-csv').default;
      const report = checkLookahead({ strategy: once, universe: data.symbols, dataDir: data.dir, cuts: 6, seed: 3 });
      assertOutcome(report, { perturbation: true });
    } finally {
      delete process.env.AQ_DATA_DIR;
    }
  });
});
