import assert from 'node:assert/strict';
import fc from 'fast-check';
import { computeSignals } from '../../src/factors/pipeline';
import { computeMetrics } from '../../src/metrics/metrics';
import { drawdownSeries, monthlyReturns, movingAverage, priceOverlay, priorHigh } from '../../src/reports/series';
import { sampleData } from './fixtures';

const sameArray = (actual: ArrayLike<number>, expected: readonly number[]) =>
  assert.deepEqual(Array.from(actual), expected);

describe('reports/series', () => {
  it('drawdown is the distance below the running peak, starting from the starting equity', () => {
    const curve = [
      { date: '2020-01-02', equity: 110 },
      { date: '2020-01-03', equity: 99 },
      { date: '2020-01-06', equity: 121 },
      { date: '2020-01-07', equity: 108.9 },
    ];
    const drawdown = drawdownSeries(curve, 100).map((point) => point.drawdown);
    assert.equal(drawdown[0], 0);
    assert.ok(Math.abs(drawdown[1] - -0.1) < 1e-15);
    assert.equal(drawdown[2], 0);
    assert.ok(Math.abs(drawdown[3] - -0.1) < 1e-15);
    // Below the starting equity before any new high counts as a drawdown too.
    assert.deepEqual(drawdownSeries([{ date: '2020-01-02', equity: 90 }], 100), [{ date: '2020-01-02', drawdown: 90 / 100 - 1 }]);
    assert.throws(() => drawdownSeries(curve, 0), /starting equity must be > 0/);
  });

  it('the deepest drawdown is the max drawdown of computeMetrics (property)', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }), (equity) => {
      const curve = equity.map((value, i) => ({ date: `d${String(i).padStart(3, '0')}`, equity: value }));
      const metrics = computeMetrics({ startingEquity: 1000, equity, positionValue: equity.map(() => 0), tradePnls: [], tradedValue: 0 });
      const deepest = Math.min(0, ...drawdownSeries(curve, 1000).map((point) => point.drawdown));
      return Math.abs(-deepest - metrics.maxDrawdown) <= 1e-12;
    }));
  });

  it('monthly returns chain month-end equities, the first month from the starting equity', () => {
    const cells = monthlyReturns([
      { date: '2021-01-29', equity: 101_000 },
      { date: '2021-01-31', equity: 102_000 },
      { date: '2021-02-26', equity: 99_960 },
      { date: '2021-03-01', equity: 104_958 },
    ], 100_000);
    assert.deepEqual(cells.map((cell) => [cell.year, cell.month]), [[2021, 1], [2021, 2], [2021, 3]]);
    const expected = [0.02, -0.02, 0.05];
    cells.forEach((cell, i) => assert.ok(Math.abs(cell.return - expected[i]) < 1e-12, `${cell.month}: ${cell.return}`));
  });

  it('compounding the monthly returns gives the total return (property)', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 50, max: 200, noNaN: true }), { minLength: 1, maxLength: 80 }), (equity) => {
      // Points every 9 days from 2020-01-01: several per month, some months skipped never.
      const curve = equity.map((value, i) => ({ date: new Date(Date.UTC(2020, 0, 1 + 9 * i)).toISOString().slice(0, 10), equity: value }));
      const product = monthlyReturns(curve, 100).reduce((total, cell) => total * (1 + cell.return), 1);
      return Math.abs(product - equity[equity.length - 1] / 100) <= 1e-9 * product;
    }));
  });

  it('moving average and prior high by hand', () => {
    sameArray(movingAverage([1, 2, 3, 4], 2), [Number.NaN, 1.5, 2.5, 3.5]);
    sameArray(movingAverage([4], 1), [4]);
    sameArray(priorHigh([5, 3, 4, 6], 2), [Number.NaN, Number.NaN, 5, 4]);
    assert.throws(() => movingAverage([1], 0), /period must be an integer >= 1/);
    assert.throws(() => priorHigh([1], 1.5), /period must be an integer >= 1/);
  });

  it('the price overlay rebuilds price_vs_ma and price_vs_high of the features (sample universe)', () => {
    for (const series of sampleData().bars) {
      const { features } = computeSignals(series);
      const average = movingAverage(series.close, 50);
      const high = priorHigh(series.high, 20);
      for (let t = 0; t < series.close.length; t++) {
        assert.equal(Number.isNaN(average[t]), Number.isNaN(features.price_vs_ma[t]), `${series.symbol} t=${t}: moving average readiness`);
        assert.equal(Number.isNaN(high[t]), Number.isNaN(features.price_vs_high[t]), `${series.symbol} t=${t}: prior high readiness`);
        if (!Number.isNaN(average[t])) assert.ok(Math.abs(series.close[t] / average[t] - 1 - features.price_vs_ma[t]) <= 1e-9, `${series.symbol} t=${t}`);
        if (!Number.isNaN(high[t])) assert.ok(Math.abs(series.close[t] / high[t] - 1 - features.price_vs_high[t]) <= 1e-9, `${series.symbol} t=${t}`);
      }
      const overlay = priceOverlay(series, { from: series.dates[100], to: series.dates[101] });
      assert.deepEqual(overlay.map((point) => point.series), ['close', '50-day moving average', 'prior 20-day high', 'close', '50-day moving average', 'prior 20-day high']);
      assert.deepEqual(overlay.map((point) => point.value), [series.close[100], average[100], high[100], series.close[101], average[101], high[101]]);
    }
  });
});
