/** Walk-forward: folds by hand, and every fold's test window equal to the plain backtest it stands for. */
import assert from 'node:assert/strict';
import { generateUniverse } from '../../src/data/generator';
import { runBacktest } from '../../src/engine/backtest';
import { ConfigError } from '../../src/errors';
import type { SearchSpace } from '../../src/research/sweep/grid';
import { parseBarLength, planFolds } from '../../src/research/walk-forward/folds';
import { walkForward } from '../../src/research/walk-forward/walk-forward';
import { loadStrategy, shippedStrategies } from '../../src/strategies/registry';

const days = Array.from({ length: 10 }, (_, i) => `2020-01-${String(i + 1).padStart(2, '0')}`);

describe('walk-forward', function () {
  this.timeout(120_000);

  it('lengths: bars or d/w/m/y in trading days', () => {
    assert.equal(parseBarLength('30', '--train'), 30);
    assert.equal(parseBarLength('3y', '--train'), 756);
    assert.equal(parseBarLength('6m', '--test'), 126);
    assert.equal(parseBarLength('2w', '--test'), 10);
    for (const bad of ['0', '-3', '1.5y', 'y', '3 years']) assert.throws(() => parseBarLength(bad, '--test'), ConfigError);
  });

  it('rolling and anchored folds by hand: 10 bars, train 4, test 3', () => {
    // Rolling: train 0-3 test 4-6; train 3-6 test 7-9.
    assert.deepEqual(planFolds(days, 4, 3, false).map((f) => [f.trainFrom, f.trainTo, f.testFrom, f.testTo]), [
      ['2020-01-01', '2020-01-04', '2020-01-05', '2020-01-07'],
      ['2020-01-04', '2020-01-07', '2020-01-08', '2020-01-10'],
    ]);
    // Anchored, test 4: train 0-3 test 4-7; train 0-7 test 8-9 (the last one shorter).
    assert.deepEqual(planFolds(days, 4, 4, true).map((f) => [f.trainFrom, f.trainTo, f.testFrom, f.testTo]), [
      ['2020-01-01', '2020-01-04', '2020-01-05', '2020-01-08'],
      ['2020-01-01', '2020-01-08', '2020-01-09', '2020-01-10'],
    ]);
    assert.throws(() => planFolds(days, 10, 2, false), /not enough/);
  });

  it('each fold tests the training winner as a plain backtest with the previous final equity as cash', () => {
    const bars = generateUniverse(['AAA', 'BBB', 'CCC'], 6, 5);
    const definition = shippedStrategies['trend-breakout'];
    const space: SearchSpace = {
      axes: [{ name: 'roc', values: [10, 30] }, { name: 'stop', values: [1.5, 3] }],
      fixed: {},
      constraints: [],
      search: { kind: 'grid' },
    };
    const result = walkForward({ bars, definition, space, train: 504, test: 252, backtest: { startingCash: 50_000 } });
    assert.ok(result.folds.length >= 3, `${result.folds.length} folds`);
    let cash = 50_000;
    for (const fold of result.folds) {
      assert.equal(fold.startingCash, cash);
      const plain = runBacktest(bars, loadStrategy('trend-breakout', Object.fromEntries(Object.entries(fold.parameters).map(([k, v]) => [k, String(v)]))), {
        from: fold.testFrom,
        to: fold.testTo,
        startingCash: cash,
      });
      assert.equal(fold.finalEquity, plain.finalEquity);
      assert.deepEqual(fold.test.trades, plain.trades);
      // The chosen trial is the training sweep's best: no other setting beats it in its window.
      for (const roc of [10, 30]) for (const stop of [1.5, 3]) {
        const other = runBacktest(bars, loadStrategy('trend-breakout', { roc: String(roc), stop: String(stop) }), { from: fold.trainFrom, to: fold.trainTo, startingCash: 50_000 });
        assert.ok((other.metrics.sharpe ?? -Infinity) <= (fold.trainMetrics.sharpe as number));
      }
      cash = fold.finalEquity;
    }
    assert.equal(result.metrics.finalEquity, cash);
    assert.equal(result.equityCurve.length, result.folds.reduce((n, f) => n + f.test.equityCurve.length, 0));
    const profitable = result.folds.filter((f) => f.finalEquity > f.startingCash).length / result.folds.length;
    assert.equal(result.profitableFolds, profitable);
  });
});
