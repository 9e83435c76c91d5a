/** Strategy comparison: each row is the ordinary backtest of its contender; the benchmark row is last. */
import assert from 'node:assert/strict';
import { runBacktest } from '../../src/engine/backtest';
import { compareStrategies } from '../../src/research/compare';
import { loadStrategy } from '../../src/strategies/registry';
import { loadRealBars, realDataAvailable } from '../engine/helpers';

const realIt = realDataAvailable() ? it : it.skip;
if (!realDataAvailable()) console.log('    (skipped: real data not found beside the repository)');

describe('strategy comparison', () => {
  realIt('two settings of TrendBreakout on MU, GLD, GOOG: rows equal single backtests, then the benchmark', function () {
    this.timeout(60_000);
    const bars = loadRealBars();
    const spec = loadStrategy('trend-breakout');
    const wide = loadStrategy('trend-breakout', { stop: '3' });
    const comparison = compareStrategies(bars, [{ strategy: spec }, { strategy: wide }]);
    const rows = comparison.table.objects() as Array<Record<string, unknown>>;
    assert.deepEqual(rows.map((row) => row.name), ['trend-breakout', 'trend-breakout (stop=3)', `benchmark: equal-weight buy and hold of MU, GLD, GOOG`]);
    for (const [i, strategy] of [spec, wide].entries()) {
      const single = runBacktest(bars, strategy);
      assert.equal(rows[i].final_equity, single.finalEquity);
      assert.equal(rows[i].sharpe, single.metrics.sharpe);
      assert.equal(rows[i].trades, single.trades.length);
    }
    assert.ok(!('unavailable' in comparison.benchmark));
    assert.equal(rows[2].final_equity, comparison.benchmark.finalEquity);
    assert.equal(rows[2].trades, 0);
  });

  it('no contender is an error', () => {
    assert.throws(() => compareStrategies([], []), /at least one strategy/);
  });
});
