/** Where the prefix check recomputes, and that it passes honest columns and fails on a single changed bit. */
import assert from 'node:assert/strict';
import { defaultFactorModel, defaultFeaturePeriods, featureWarmUp, trendBreakout, type BarSeries, type Strategy } from '../../src/index';
import { checkPrefix } from '../../src/lookahead';
import { exhaustivePrefixLength, prefixCutIndices, stratifiedSample } from '../../src/lookahead/cuts';
import { seededRandom } from '../../src/lookahead/random';
import { rollingZScore } from '../../examples/mean-reversion';
import { syntheticSeries } from './fixtures';

const options = { cuts: 10, seed: 1, featurePeriods: defaultFeaturePeriods, factorModel: defaultFactorModel };

describe('lookahead: prefix check', function () {
  it('stratified samples: one per stratum, ascending, in range, the whole range when it is small', function () {
    const picked = stratifiedSample(100, 1099, 10, seededRandom(1, 'x'));
    assert.equal(picked.length, 10);
    picked.forEach((index, stratum) => assert.ok(index >= 100 + stratum * 100 && index < 200 + stratum * 100, `${index} in stratum ${stratum}`));
    assert.deepEqual(stratifiedSample(5, 8, 10, seededRandom(1, 'x')), [5, 6, 7, 8]);
    assert.deepEqual(stratifiedSample(5, 4, 10, seededRandom(1, 'x')), []);
  });

  it('cut indices: every bar of a short series; on a long one the samples, the first ready bar and the last 5', function () {
    assert.deepEqual(prefixCutIndices(exhaustivePrefixLength, 3, seededRandom(1, 'x'), 50), Array.from({ length: exhaustivePrefixLength }, (_, i) => i));
    const long = prefixCutIndices(3000, 10, seededRandom(1, 'x'), featureWarmUp());
    assert.ok(long.includes(49), 'the first bar with every default feature ready (t = 49)');
    for (let i = 2995; i < 3000; i++) assert.ok(long.includes(i));
    assert.ok(long.length >= 15 && long.length <= 16);
    assert.deepEqual(long, [...long].sort((a, b) => a - b));
  });

  it('passes TrendBreakout and an honest rolling z-score at every bar of a short series', function () {
    const bars = [syntheticSeries('AAA', 200, 1), syntheticSeries('BBB', 150, 2)];
    const result = checkPrefix(bars, trendBreakout(), options);
    assert.equal(result.passed, true, JSON.stringify(result.finding));
    assert.match(result.coverage, /^8 columns .* at 350 bars of 2 symbols \(every bar\)/);
    const honest: Strategy = { name: 'z', indicators: (series: BarSeries) => ({ z: rollingZScore(series.close, 20) }), decide: () => [] };
    assert.equal(checkPrefix(bars, honest, options).passed, true);
  });

  it('fails on a column that differs by one bit at one bar, only when the series reaches past it', function () {
    const bars = [syntheticSeries('AAA', 120, 3)];
    // Honest except that the value at bar 70 changes in its last bit once bar 100 exists.
    const subtle: Strategy = {
      name: 'subtle',
      indicators: (series: BarSeries) => {
        const column = Float64Array.from(series.close);
        if (series.dates.length > 100) column[70] = column[70] * (1 + Number.EPSILON);
        return { subtle: column };
      },
      decide: () => [],
    };
    const result = checkPrefix(bars, subtle, options);
    assert.equal(result.passed, false);
    assert.equal(result.finding?.date, bars[0].dates[70]);
    assert.equal(result.finding?.expected, bars[0].close[70]);
    assert.notEqual(result.finding?.actual, bars[0].close[70]);
  });

  it('reports indicators that throw on a short prefix', function () {
    const fragile: Strategy = {
      name: 'fragile',
      indicators: (series: BarSeries) => {
        if (series.dates.length < 10) throw new Error('needs 10 bars');
        return { x: Float64Array.from(series.close) };
      },
      decide: () => [],
    };
    const result = checkPrefix([syntheticSeries('AAA', 40, 1)], fragile, options);
    assert.equal(result.finding?.subject, 'indicators()');
    assert.equal(result.finding?.actual, 'indicators() threw: needs 10 bars');
    assert.equal(result.finding?.date, syntheticSeries('AAA', 40, 1).dates[0]);
  });
});
