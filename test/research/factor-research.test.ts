import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  averageRanks,
  crossSectionalIc,
  factorPanel,
  forwardReturns,
  quantileReturns,
  spearmanCorrelation,
  summarizeCrossSectionalIc,
  timeSeriesIc,
  type SymbolFactorPanel,
} from '../../src/research/factor-research';
import { sampleData } from '../reports/fixtures';

function panelOf(symbol: string, dates: string[], factor: number[], forward: number[]): SymbolFactorPanel {
  return { symbol, dates, columns: { f: Float64Array.from(factor) }, forward: Float64Array.from(forward) };
}

describe('research/factor-research', () => {
  it('ranks with ties averaged', () => {
    assert.deepEqual(averageRanks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
    assert.deepEqual(averageRanks([]), []);
    assert.deepEqual(averageRanks([7, 7, 7]), [2, 2, 2]);
  });

  it('Spearman correlation by hand', () => {
    // No ties: 1 - 6 * sum(d^2) / (n (n^2 - 1)) = 1 - 6 * 4 / 120 = 0.8
    assert.ok(Math.abs((spearmanCorrelation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) as number) - 0.8) < 1e-15);
    // Ties: Pearson of the average ranks [1, 2.5, 2.5, 4] and [1, 2, 3, 4] = 4.5 / sqrt(4.5 * 5) = 3 / sqrt(10)
    assert.ok(Math.abs((spearmanCorrelation([1, 2, 2, 3], [10, 20, 30, 40]) as number) - 3 / Math.sqrt(10)) < 1e-15);
    assert.equal(spearmanCorrelation([1, 2, 3], [30, 20, 10]), -1);
    // Monotone but not linear: still 1.
    assert.equal(spearmanCorrelation([1, 2, 3, 4], [1, 8, 27, 1000]), 1);
  });

  it('Spearman skips non-finite pairs and is null when undefined', () => {
    assert.equal(spearmanCorrelation([1, Number.NaN, 3, 4], [1, 5, Number.NaN, 2]), null, 'two pairs left');
    assert.equal(spearmanCorrelation([1, 1, 1], [1, 2, 3]), null, 'constant side');
    assert.equal(spearmanCorrelation([1, 2, 3, Number.POSITIVE_INFINITY], [3, 2, 1, 0]), -1);
    assert.throws(() => spearmanCorrelation([1], [1, 2]), /differ in length/);
  });

  it('Spearman is invariant under monotone transforms and bounded (property)', () => {
    // Integers and an exactly representable strictly increasing transform (v^3 + 7v), so no two
    // values collapse into one by rounding.
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 })), { minLength: 3, maxLength: 40 }), (pairs) => {
      const x = pairs.map((pair) => pair[0]);
      const y = pairs.map((pair) => pair[1]);
      const rho = spearmanCorrelation(x, y);
      if (rho === null) return true;
      const transformed = spearmanCorrelation(x.map((value) => value ** 3 + 7 * value), y);
      return rho >= -1 - 1e-12 && rho <= 1 + 1e-12 && transformed !== null && Math.abs(transformed - rho) < 1e-12;
    }));
  });

  it('forward returns by hand, NaN where the future is unknown', () => {
    const forward = forwardReturns([100, 110, 99, 121], 2);
    assert.ok(Math.abs(forward[0] - -0.01) < 1e-15);
    assert.ok(Math.abs(forward[1] - 0.1) < 1e-15);
    assert.ok(Number.isNaN(forward[2]) && Number.isNaN(forward[3]));
    assert.throws(() => forwardReturns([1, 2], 0), /horizon must be an integer >= 1/);
  });

  it('cross-sectional IC per date over the symbols with both values', () => {
    const dates = ['2020-01-02', '2020-01-03', '2020-01-06'];
    const panel = [
      panelOf('A', dates, [1, 1, 1], [0.1, 0.3, 0.5]),
      panelOf('B', dates, [2, 2, 2], [0.2, 0.1, 0.6]),
      panelOf('C', dates, [3, 3, Number.NaN], [0.3, 0.2, 0.7]),
    ];
    const ics = crossSectionalIc(panel, { minimumSymbols: 3 });
    // Day 1: ranks agree, 1. Day 2: y ranks [3, 1, 2]: 1 - 6 * 6 / 24 = -0.5. Day 3: only 2 symbols, skipped.
    assert.deepEqual(ics, [
      { date: '2020-01-02', factor: 'f', ic: 1, symbols: 3 },
      { date: '2020-01-03', factor: 'f', ic: -0.5, symbols: 3 },
    ]);
    assert.deepEqual(summarizeCrossSectionalIc(ics), [{ factor: 'f', scope: 'all', ic: 0.25, observations: 2 }]);
    const twoFactors = [{ date: 'd1', factor: 'late', ic: 0.5, symbols: 3 }, { date: 'd1', factor: 'early', ic: -1, symbols: 3 }, { date: 'd2', factor: 'early', ic: 0, symbols: 3 }];
    assert.deepEqual(summarizeCrossSectionalIc(twoFactors).map((entry) => entry.factor), ['late', 'early']);
    assert.deepEqual(summarizeCrossSectionalIc(twoFactors, ['early', 'late', 'absent']), [
      { factor: 'early', scope: 'all', ic: -0.5, observations: 2 },
      { factor: 'late', scope: 'all', ic: 0.5, observations: 1 },
    ]);
  });

  it('time-series IC per symbol is the Spearman of its columns', () => {
    const panel = [panelOf('A', ['d1', 'd2', 'd3', 'd4'], [1, 2, 3, 4], [0.1, 0.3, 0.2, Number.NaN])];
    // Pairs (1, .1), (2, .3), (3, .2): ranks y [1, 3, 2], d = [0, -1, 1]: 1 - 6 * 2 / 24 = 0.5
    assert.deepEqual(timeSeriesIc(panel), [{ factor: 'f', scope: 'A', ic: 0.5, observations: 3 }]);
    assert.throws(() => timeSeriesIc(panel, ['g']), /unknown factor "g"/);
  });

  it('quantile returns: equal-count buckets by factor value, pooled over symbols', () => {
    const panel = [
      panelOf('A', ['1', '2', '3', '4', '5'], [5, 1, 9, 3, 7], [0.05, 0.01, 0.09, 0.03, 0.07]),
      panelOf('B', ['1', '2', '3', '4', '5', '6'], [2, 10, 6, 4, 8, Number.NaN], [0.02, 0.1, 0.06, 0.04, 0.08, 1]),
    ];
    const buckets = quantileReturns(panel, 'f', 5);
    assert.deepEqual(buckets.map((bucket) => bucket.observations), [2, 2, 2, 2, 2]);
    const expected = [0.015, 0.035, 0.055, 0.075, 0.095];
    buckets.forEach((bucket, i) => assert.ok(Math.abs(bucket.meanReturn - expected[i]) < 1e-15, `Q${bucket.quantile}`));
    assert.deepEqual(quantileReturns([panelOf('A', ['1'], [1], [0.1])], 'f', 5), []);
    assert.throws(() => quantileReturns(panel, 'f', 1), /quantiles must be an integer >= 2/);
  });

  it('the sample panel has every factor and feature, and forward returns match the closes', () => {
    const { bars } = sampleData();
    const panel = factorPanel(bars, { horizon: 5 });
    assert.deepEqual(Object.keys(panel[0].columns).sort(), ['breakout', 'momentum', 'price_vs_high', 'price_vs_ma', 'roc', 'score', 'volatility', 'volume_zscore']);
    const series = bars[1];
    assert.equal(panel[1].forward[10], series.close[15] / series.close[10] - 1);
    const ics = timeSeriesIc(panel, ['score']);
    assert.equal(ics.length, bars.length);
    for (const entry of ics) assert.ok(entry.ic !== null && entry.ic > -1 && entry.ic < 1);
  });
});
