/**
 * The batch feature kernel (src/features/batch-kernel.ts, behind computeFeatures and computeSignals)
 * against the streaming objects, bit for bit (Object.is), on inputs chosen to reach its every
 * branch: price_vs_high's blocks (ties between +0 and -0, which decide the sign of the maximum;
 * NaN highs, which go to PriceVsHigh itself; monotone and flat highs; block and chunk
 * boundaries), the rolling windows' exact recomputations (after a wrap, and after a variance
 * collapse when the level jumps), flat windows, zero volumes, random series of few distinct
 * values (so that ties are everywhere) with random periods (property test), and factor sums of
 * one, two and three terms.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BarSeries } from '../../src/data/bars';
import { batchChunk, type StreamingFeature } from '../../src/features/feature';
import {
  computeFeatures,
  defaultFeaturePeriods,
  featureNames,
  resolveFeaturePeriods,
  type FeatureName,
  type FeaturePeriods,
} from '../../src/features/feature-set';
import { featureTable } from '../../src/features/feature-table';
import { PriceVsHigh } from '../../src/features/price-vs-high';
import { PriceVsMovingAverage } from '../../src/features/price-vs-moving-average';
import { RateOfChange } from '../../src/features/roc';
import { Volatility } from '../../src/features/volatility';
import { VolumeZScore } from '../../src/features/volume-zscore';
import { defaultFactorModel, validateFactorModel } from '../../src/factors/factor-model';
import { computeSignals, SignalPipeline } from '../../src/factors/pipeline';
import { mulberry32 } from '../support/mulberry32';

const featureClasses: Record<FeatureName, new (period: number) => StreamingFeature> = {
  roc: RateOfChange,
  price_vs_ma: PriceVsMovingAverage,
  price_vs_high: PriceVsHigh,
  volume_zscore: VolumeZScore,
  volatility: Volatility,
};

function seriesOf(symbol: string, high: ArrayLike<number>, close: ArrayLike<number>, volume: ArrayLike<number>): BarSeries {
  const count = close.length;
  return {
    symbol,
    source: `test ${symbol}`,
    dates: Array.from({ length: count }, (_, i) => `d${i}`),
    open: Float64Array.from(close),
    high: Float64Array.from(high),
    low: Float64Array.from(close),
    close: Float64Array.from(close),
    volume: Float64Array.from(volume),
  };
}

function show(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** Every column of computeFeatures equals its streaming object's values (null <=> NaN), bit for bit. */
function assertSameAsStreaming(series: BarSeries, periods: FeaturePeriods): void {
  const batch = computeFeatures(series, periods);
  for (const name of featureNames) {
    const feature = new featureClasses[name](periods[name]);
    const column = batch[name];
    assert.equal(column.length, series.close.length, `${name} length`);
    for (let t = 0; t < series.close.length; t++) {
      const streamed = feature.update({ high: series.high[t], close: series.close[t], volume: series.volume[t] });
      const expected = streamed === null ? Number.NaN : streamed;
      if (!Object.is(column[t], expected)) {
        assert.fail(`${series.symbol} ${name}(${periods[name]}) bar ${t}: batch ${show(column[t])} != streaming ${streamed === null ? 'null' : show(streamed)}`);
      }
    }
  }
}

const periodSets: FeaturePeriods[] = [
  resolveFeaturePeriods({}),
  resolveFeaturePeriods({ roc: 1, price_vs_ma: 1, price_vs_high: 1, volume_zscore: 2, volatility: 2 }),
  resolveFeaturePeriods({ roc: 3, price_vs_ma: 7, price_vs_high: 3, volume_zscore: 5, volatility: 4 }),
  resolveFeaturePeriods({ roc: 63, price_vs_ma: 200, price_vs_high: 55, volume_zscore: 63, volatility: 60 }),
];

/** Periods from each feature's minimum to 30 bars. */
const randomPeriods = fc.record({
  roc: fc.integer({ min: 1, max: 30 }),
  price_vs_ma: fc.integer({ min: 1, max: 30 }),
  price_vs_high: fc.integer({ min: 1, max: 30 }),
  volume_zscore: fc.integer({ min: 2, max: 30 }),
  volatility: fc.integer({ min: 2, max: 30 }),
});

function check(series: BarSeries): void {
  for (const periods of periodSets) assertSameAsStreaming(series, periods);
}

describe('batch feature kernel equals the streaming objects bit for bit', () => {
  it('price_vs_high: ties between +0 and -0 keep the newer zero, as the deque does', () => {
    // Highs of +0 and -0 in every order: the maximum of a window of zeros is the newest zero,
    // so close / max is +Infinity or -Infinity depending on it.
    const high = [0, -0, 0, 0, -0, -0, 0, -0, 1, -0, 0, -0, -0, 0, 0, -0, 0, -0, -0, -0, 0, 0, 0, -0, 0, -0];
    const close = high.map((_, i) => (i % 3 === 0 ? 2 : -3));
    const volume = high.map((_, i) => 100 + (i % 4));
    const series = seriesOf('ZEROS', high, close, volume);
    check(series);
    // Hand-checked: n = 1 divides by the previous high alone; with n = 2 the newest of two zeros
    // is the maximum (a Math.max would give +0 at bar 2 and -Infinity there).
    const one = computeFeatures(series, resolveFeaturePeriods({ price_vs_high: 1 })).price_vs_high;
    assert.equal(one[1], Number.NEGATIVE_INFINITY); // close -3 / high[0] = +0
    assert.equal(one[2], Number.POSITIVE_INFINITY); // close -3 / high[1] = -0
    assert.equal(one[3], Number.POSITIVE_INFINITY); // close 2 / high[2] = +0
    const two = computeFeatures(series, resolveFeaturePeriods({ price_vs_high: 2 })).price_vs_high;
    assert.equal(two[2], Number.POSITIVE_INFINITY); // max(+0, -0) -> the newer -0; -3 / -0
    assert.equal(two[3], Number.POSITIVE_INFINITY); // max(-0, +0) -> +0; 2 / +0
    assert.equal(two[6], Number.NEGATIVE_INFINITY); // max(-0, -0) -> -0; 2 / -0
  });

  it('price_vs_high: NaN highs (the deque lets a NaN evict older highs) give the deque\'s values', () => {
    const count = 300;
    const high = Array.from({ length: count }, (_, i) => (i === 40 || i === 41 || i === 170 ? Number.NaN : 100 + 10 * Math.sin(i / 7)));
    const close = high.map((value, i) => (Number.isNaN(value) ? 95 : value - 1 - (i % 3)));
    const volume = high.map((_, i) => 1000 + i);
    check(seriesOf('NANHIGH', high, close, volume));
  });

  it('price_vs_high: rising, falling and flat highs across block and chunk boundaries', () => {
    const count = batchChunk * 2 + 137;
    const shapes: [string, (i: number) => number][] = [
      ['RISING', (i) => 10 + i],
      ['FALLING', (i) => 1e6 - i],
      ['FLAT', () => 42],
      ['SAWTOOTH', (i) => 100 + (i % 23) - (i % 7)],
      ['INFINITE', (i) => (i % 50 === 7 ? Number.POSITIVE_INFINITY : 100 + (i % 11))],
    ];
    for (const [name, highAt] of shapes) {
      const high = Array.from({ length: count }, (_, i) => highAt(i));
      const close = Array.from({ length: count }, (_, i) => 50 + (i % 13));
      const volume = Array.from({ length: count }, (_, i) => 1000 + (i % 17) * 10);
      check(seriesOf(name, high, close, volume));
    }
  });

  it('rolling windows: level jumps (variance collapse, exact recomputation mid-wrap), flat and zero stretches', () => {
    const count = batchChunk + 700;
    const high: number[] = [];
    const close: number[] = [];
    const volume: number[] = [];
    for (let i = 0; i < count; i++) {
      // Volumes jump from about 1e6 to 1e12 with a spread of a few units, then back; a stretch of
      // zero volume and one of equal volumes; closes jump by 1e8 and stay flat for a while.
      const phase = Math.floor(i / 97) % 4;
      const level = phase === 1 ? 1e12 : phase === 3 ? 0 : 1e6;
      volume.push(i % 401 < 30 ? 5e5 : level + (phase === 2 ? 0 : i % 5));
      const price = (Math.floor(i / 151) % 2 === 0 ? 1e8 : 1) + (i % 301 < 40 ? 0 : (i % 9) * 0.01);
      close.push(price);
      high.push(price * 1.01);
    }
    check(seriesOf('JUMPS', high, close, volume));
  });

  it('periods longer than a chunk: warm-ups and windows that span several chunks', () => {
    // The batch folds carry their windows from chunk to chunk; volatility keeps the last
    // `period` returns of earlier chunks in front of the current one.
    const count = batchChunk * 5 + 311;
    const random = mulberry32(77);
    let price = 50;
    const close: number[] = [];
    const volume: number[] = [];
    for (let i = 0; i < count; i++) {
      price *= Math.exp(0.03 * (random() - 0.5));
      close.push(i % 1500 < 40 ? close[i - 1] ?? price : price);
      volume.push(i % 2100 < 30 ? 7e5 : Math.round(1e6 * (0.5 + random())));
    }
    const high = close.map((value, i) => value * (1 + 0.01 * ((i * 7) % 5)));
    const series = seriesOf('LONGPERIODS', high, close, volume);
    for (const periods of [
      resolveFeaturePeriods({ roc: batchChunk + 5, price_vs_ma: batchChunk * 2 + 1, price_vs_high: batchChunk + 3, volume_zscore: batchChunk * 2 - 1, volatility: batchChunk + 1 }),
      resolveFeaturePeriods({ roc: 3000, price_vs_ma: 2500, price_vs_high: 4097, volume_zscore: 3001, volatility: 4096 }),
    ]) {
      assertSameAsStreaming(series, periods);
    }
  });

  it('series shorter than every warm-up, of one bar and empty', () => {
    for (const count of [0, 1, 2, 5]) {
      const values = Array.from({ length: count }, (_, i) => 10 + i);
      check(seriesOf(`LEN${count}`, values, values, values));
    }
  });

  it('property: random series of few distinct values (ties everywhere), random periods', () => {
    const value = fc.constantFrom(1, 2, 2.5, 3, 1e-3, 1e6, 0, -0);
    const price = fc.constantFrom(1, 2, 2.5, 3, 100, 100.5, 1e-3);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, price, value), { minLength: 0, maxLength: 400 }),
        randomPeriods,
        (rows, periods) => {
          const series = seriesOf('PROPERTY', rows.map((row) => row[0]), rows.map((row) => row[1]), rows.map((row) => Math.abs(row[2])));
          assertSameAsStreaming(series, periods);
        },
      ),
      { numRuns: 300, seed: 20240611 },
    );
  });

  it('property: NaN, infinities, signed zeros and extreme values anywhere (unvalidated series) still give the streaming values', () => {
    // The loader never lets these through, but computeFeatures takes any BarSeries: whatever the
    // values make of the sums, batch and streaming must make the same of them.
    const special = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, 1e300, 1e-300);
    const plain = fc.double({ min: 40, max: 60, noNaN: true });
    const value = fc.oneof({ arbitrary: plain, weight: 30 }, { arbitrary: special, weight: 1 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, value, value), { minLength: 0, maxLength: 600 }),
        randomPeriods,
        (rows, periods) => {
          const series = seriesOf('SPECIAL', rows.map((row) => row[0]), rows.map((row) => row[1]), rows.map((row) => row[2]));
          assertSameAsStreaming(series, periods);
        },
      ),
      { numRuns: 200, seed: 20261130 },
    );
  });

  it('computeSignals equals SignalPipeline on the jump series (features, factors and score)', () => {
    const count = 3000;
    const close = Array.from({ length: count }, (_, i) => (Math.floor(i / 500) % 2 === 0 ? 100 : 1e7) + Math.sin(i) * 3);
    const high = close.map((value) => value + 1);
    const volume = Array.from({ length: count }, (_, i) => (Math.floor(i / 300) % 2 === 0 ? 1e6 : 1e11) + (i % 7));
    const series = seriesOf('SIGNALS', high, close, volume);
    const batch = computeSignals(series);
    const pipeline = new SignalPipeline();
    for (let t = 0; t < count; t++) {
      const { features, factors } = pipeline.update({ high: high[t], close: close[t], volume: volume[t] });
      for (const name of featureNames) {
        const expected = features[name] ?? Number.NaN;
        if (!Object.is(batch.features[name][t], expected)) assert.fail(`${name} bar ${t}: ${batch.features[name][t]} != ${expected}`);
      }
      for (const name of [...Object.keys(defaultFactorModel.factors), 'score']) {
        const expected = factors[name] ?? Number.NaN;
        if (!Object.is(batch.factors[name][t], expected)) assert.fail(`factor ${name} bar ${t}: ${batch.factors[name][t]} != ${expected}`);
      }
    }
  });

  it('computeSignals equals SignalPipeline for factors of one and of three terms and a score of three factors', () => {
    // The factor rows run the first two terms of a sum in one loop and add the others one by one.
    const model = validateFactorModel({
      factors: {
        wide: [
          { feature: 'roc', weight: 0.3 },
          { feature: 'volatility', weight: -2, clamp: [0, 0.015] },
          { feature: 'volume_zscore', weight: 0.05, clamp: [-1, 1] },
        ],
        single: [{ feature: 'price_vs_high', weight: 1 }],
        both: [{ feature: 'price_vs_ma', weight: -0.7 }, { feature: 'roc', weight: 0.1, clamp: [-0.01, 0.01] }],
      },
      score: { wide: 0.2, single: 1, both: -0.4 },
    });
    const count = 2 * batchChunk + 300;
    const close = Array.from({ length: count }, (_, i) => 100 * Math.exp(0.3 * Math.sin(i / 40) + 0.02 * Math.sin(i * 1.7)));
    const high = close.map((value, i) => value * (1 + 0.005 * (i % 3)));
    const volume = Array.from({ length: count }, (_, i) => 1e6 + 1e5 * Math.sin(i * 0.9) + (i % 11) * 1000);
    const series = seriesOf('MODEL', high, close, volume);
    const batch = computeSignals(series, resolveFeaturePeriods({}), model);
    const pipeline = new SignalPipeline(resolveFeaturePeriods({}), model);
    for (let t = 0; t < count; t++) {
      const { factors } = pipeline.update({ high: high[t], close: close[t], volume: volume[t] });
      for (const name of ['wide', 'single', 'both', 'score']) {
        const expected = factors[name] ?? Number.NaN;
        if (!Object.is(batch.factors[name][t], expected)) assert.fail(`factor ${name} bar ${t}: ${batch.factors[name][t]} != ${expected}`);
      }
    }
    // Hand-checked at one bar: the single-term factor is 0 + 1 * price_vs_high.
    const last = count - 1;
    assert.equal(batch.factors.single[last], 0 + batch.features.price_vs_high[last]);
  });

  it('the feature table: each row is the class of its name, with the spec\'s default and minimum period', () => {
    assert.deepEqual(featureNames, ['roc', 'price_vs_ma', 'price_vs_high', 'volume_zscore', 'volatility']);
    assert.deepEqual({ ...defaultFeaturePeriods }, { roc: 20, price_vs_ma: 50, price_vs_high: 20, volume_zscore: 20, volatility: 20 });
    const minimum: Record<FeatureName, number> = { roc: 1, price_vs_ma: 1, price_vs_high: 1, volume_zscore: 2, volatility: 2 };
    for (const name of featureNames) {
      const { feature } = featureTable[name];
      assert.equal(feature, featureClasses[name], name);
      assert.equal(new feature(7).name, name);
      assert.equal(feature.minimumPeriod, minimum[name], name);
      assert.equal(new feature(minimum[name]).warmUp >= minimum[name], true, name);
      assert.throws(() => new feature(minimum[name] - 1), new RegExp(`^RangeError: ${name}: period must be an integer >= ${minimum[name]}, got ${minimum[name] - 1}$`));
    }
    assert.ok(Object.isFrozen(featureTable) && Object.isFrozen(featureNames) && Object.isFrozen(defaultFeaturePeriods));
  });

  it('rejects bad periods with the feature classes\' errors', () => {
    const series = seriesOf('P', [1, 2], [1, 2], [1, 2]);
    assert.throws(() => computeFeatures(series, { ...resolveFeaturePeriods({}), volatility: 1 }), /volatility: period must be an integer >= 2, got 1/);
    assert.throws(() => computeFeatures(series, { ...resolveFeaturePeriods({}), roc: 2.5 }), /roc: period must be an integer >= 1, got 2.5/);
  });
});
