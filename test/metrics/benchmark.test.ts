/**
 * The benchmark: an equal-weight buy and hold computed here independently (share counts from the
 * start date's closes, valued with the last close on or before each date) and compared with the
 * library's, by hand on a small universe and on the real MU/GLD/GOOG data; and the relative
 * metrics against formulas written out in the test.
 */
import assert from 'node:assert/strict';
import { barSeriesFromRows, type BarSeries } from '../../src/data/bars';
import { runBacktest } from '../../src/engine/backtest';
import { buyAndHold, isBenchmarkAvailable } from '../../src/metrics/benchmark';
import { dailyReturns, relativeMetrics } from '../../src/metrics/relative';
import { compareWithBenchmark } from '../../src/research/benchmark';
import { trendBreakout } from '../../src/strategies/trend-breakout';
import { loadRealBars, realDataAvailable } from '../engine/helpers';

function series(symbol: string, rows: ReadonlyArray<readonly [string, number]>): BarSeries {
  return barSeriesFromRows(symbol, rows.map(([date, close]) => ({ date, open: close, high: close, low: close, close, volume: 1000 })));
}

/** Written from the definition, not from the library: shares at the first common date, last closes after. */
function independentBuyAndHold(bars: readonly BarSeries[], dates: readonly string[], cash: number): number[] {
  const start = dates.find((date) => bars.every((one) => one.dates.includes(date)));
  if (start === undefined) throw new Error('no common date');
  const shares = bars.map((one) => cash / bars.length / one.close[one.dates.indexOf(start)]);
  return dates.map((date) => {
    if (date < start) return cash;
    return bars.reduce((sum, one, s) => {
      let last = -1;
      for (let i = 0; i < one.dates.length && one.dates[i] <= date; i++) last = i;
      return sum + shares[s] * one.close[last];
    }, 0);
  });
}

describe('benchmark', () => {
  it('equal weight by hand: B starts later, A misses a day and keeps its last close', () => {
    const a = series('A', [['2020-01-01', 10], ['2020-01-02', 11], ['2020-01-06', 12]]);
    const b = series('B', [['2020-01-02', 50], ['2020-01-03', 40], ['2020-01-06', 60]]);
    const dates = ['2020-01-01', '2020-01-02', '2020-01-03', '2020-01-06'];
    const curve = buyAndHold([a, b], dates, 1000);
    assert.ok(isBenchmarkAvailable(curve));
    assert.equal(curve.startDate, '2020-01-02');
    // 500 / 11 shares of A, 500 / 50 = 10 shares of B bought at the 2020-01-02 closes.
    // 01-03: A has no bar, keeps 11: 500 + 10 * 40 = 900; 01-06: 500/11*12 + 600 = 1145.4545...
    assert.deepEqual(Array.from(curve.equity), [1000, 1000, 900, (500 / 11) * 12 + 600]);
  });

  it('no common date: a reason, not a number', () => {
    const a = series('A', [['2020-01-01', 10]]);
    const b = series('B', [['2020-01-02', 10]]);
    const curve = buyAndHold([a, b], ['2020-01-01', '2020-01-02'], 1000);
    assert.ok(!isBenchmarkAvailable(curve));
    assert.match(curve.unavailable, /no date between 2020-01-01 and 2020-01-02/);
  });

  it('relative metrics against the formulas', () => {
    const s = [0.01, -0.02, 0.015, 0.003, -0.004, 0.02];
    const b = [0.008, -0.01, 0.01, 0.001, -0.006, 0.012];
    const n = s.length;
    const mean = (x: number[]) => x.reduce((p, v) => p + v, 0) / x.length;
    const ms = mean(s);
    const mb = mean(b);
    const cov = s.reduce((p, v, i) => p + (v - ms) * (b[i] - mb), 0) / (n - 1);
    const varB = b.reduce((p, v) => p + (v - mb) ** 2, 0) / (n - 1);
    const varS = s.reduce((p, v) => p + (v - ms) ** 2, 0) / (n - 1);
    const active = s.map((v, i) => v - b[i]);
    const ma = mean(active);
    const sdActive = Math.sqrt(active.reduce((p, v) => p + (v - ma) ** 2, 0) / (n - 1));
    const got = relativeMetrics(s, b);
    const near = (x: number | null, y: number) => assert.ok(x !== null && Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(y)), `${x} vs ${y}`);
    near(got.beta, cov / varB);
    near(got.alpha, (ms - (cov / varB) * mb) * 252);
    near(got.correlation, cov / Math.sqrt(varS * varB));
    near(got.trackingError, sdActive * Math.sqrt(252));
    near(got.informationRatio, (ma / sdActive) * Math.sqrt(252));
    // Against itself: beta 1, alpha 0, correlation 1, no tracking error, no information ratio.
    const self = relativeMetrics(b, b);
    near(self.beta, 1);
    near(self.alpha, 0);
    near(self.correlation, 1);
    assert.equal(self.trackingError, 0);
    assert.equal(self.informationRatio, null);
  });

  const realIt = realDataAvailable() ? it : it.skip;
  if (!realDataAvailable()) console.log('    (skipped: real data not found beside the repository)');

  realIt('MU, GLD, GOOG 2010-2024: the comparison equals an independent buy and hold', function () {
    this.timeout(60_000);
    const bars = loadRealBars();
    for (const from of [undefined, '2015-06-01']) {
      const result = runBacktest(bars, trendBreakout(), { from });
      const comparison = compareWithBenchmark(result, bars);
      assert.ok(!('unavailable' in comparison));
      const dates = result.equityCurve.map((point) => point.date);
      const expected = independentBuyAndHold(bars, dates, result.startingCash);
      for (let i = 0; i < dates.length; i++) {
        assert.ok(Math.abs(comparison.curve.equity[i] - expected[i]) <= 1e-9 * expected[i], `${dates[i]}: ${comparison.curve.equity[i]} vs ${expected[i]}`);
      }
      const final = expected[expected.length - 1];
      assert.ok(Math.abs(comparison.metrics.totalReturn - (final / result.startingCash - 1)) < 1e-12);
      const years = dates.length / 252;
      assert.ok(Math.abs((comparison.metrics.cagr as number) - ((final / result.startingCash) ** (1 / years) - 1)) < 1e-12);
      // Max drawdown of the independent curve.
      let peak = result.startingCash;
      let worst = 0;
      for (const value of expected) {
        peak = Math.max(peak, value);
        worst = Math.max(worst, 1 - value / peak);
      }
      assert.ok(Math.abs(comparison.metrics.maxDrawdown - worst) < 1e-12);
      const beta = relativeMetrics(dailyReturns(result.startingCash, dates.map((_, i) => result.equityCurve[i].equity)), dailyReturns(result.startingCash, expected)).beta;
      assert.ok(Math.abs((comparison.relative.beta as number) - (beta as number)) < 1e-9);
      if (from === undefined) {
        // The observation: holding the three makes about 14% a year over 2010-2024.
        assert.ok((comparison.metrics.cagr as number) > 0.10 && (comparison.metrics.cagr as number) < 0.18, `CAGR ${comparison.metrics.cagr}`);
      }
    }
  });
});
