/**
 * The streaming-feature contract, checked the same way for every feature (at its default and a
 * few other periods) and for the factor pipeline:
 *
 * - warm-up: `update` returns null for exactly the first `warmUp - 1` bars and a finite number
 *   (never NaN) from then on; `warmUp` is the value the spec implies;
 * - `isReady` is false before the first update and equals "the last update returned a value";
 * - batch (`runFeature` / `computeFeatures` / `computeFactors` / `computeSignals`) equals
 *   streaming bit for bit (Object.is, NaN in batch <=> null in streaming);
 * - reset then rerun gives identical values (also after a reset in the middle of a run);
 * - prefix invariance: the value at t computed from bars 0..t alone (barPrefix) is the value at t
 *   on the whole series, for every t (no look-ahead, no dependence on the series' length).
 */
import assert from 'node:assert/strict';
import { barAt, barPrefix, barSeriesFromRows, type Bar, type BarSeries } from '../../src/data/bars';
import { batchChunk, runFeature, type StreamingFeature } from '../../src/features/feature';
import {
  computeFeatures,
  defaultFeaturePeriods,
  FeatureSet,
  featureNames,
  featureWarmUp,
  resolveFeaturePeriods,
  type FeatureName,
  type FeaturePeriods,
} from '../../src/features/feature-set';
import { PriceVsHigh } from '../../src/features/price-vs-high';
import { PriceVsMovingAverage } from '../../src/features/price-vs-moving-average';
import { RateOfChange } from '../../src/features/roc';
import { Volatility } from '../../src/features/volatility';
import { VolumeZScore } from '../../src/features/volume-zscore';
import { computeFactors, defaultFactorModel, dropFactor, validateFactorModel, type FactorModel } from '../../src/factors/factor-model';
import { computeSignals, SignalPipeline } from '../../src/factors/pipeline';
import { mulberry32 } from '../support/mulberry32';

// ----------------------------------------------------------------------------------------------
// Synthetic series (seeded, so every run sees the same bars).

function isoDate(index: number): string {
  return new Date(Date.UTC(2000, 0, 1) + index * 86_400_000).toISOString().slice(0, 10);
}

interface SeriesShape {
  count: number;
  seed: number;
  start?: number;
  /** Daily log-return sd. */
  sigma?: number;
  /** Bars [from, to) with the close, high and volume frozen (a halted symbol). */
  flat?: readonly [number, number][];
  /** Bars [from, to) with zero volume. */
  zeroVolume?: readonly [number, number][];
}

function syntheticSeries(symbol: string, shape: SeriesShape): BarSeries {
  const random = mulberry32(shape.seed);
  const sigma = shape.sigma ?? 0.02;
  const inside = (ranges: readonly [number, number][] | undefined, i: number) => (ranges ?? []).some(([from, to]) => i >= from && i < to);
  const rows: Bar[] = [];
  let close = shape.start ?? 100;
  let volume = 1e6;
  for (let i = 0; i < shape.count; i++) {
    if (inside(shape.flat, i) && rows.length > 0) {
      const last = rows[rows.length - 1];
      rows.push({ date: isoDate(i), open: last.close, high: last.close, low: last.close, close: last.close, volume: last.volume });
      continue;
    }
    const open = close;
    close = open * Math.exp(sigma * (random() + random() + random() - 1.5) * 2);
    const high = Math.max(open, close) * (1 + 0.01 * random());
    const low = Math.min(open, close) * (1 - 0.01 * random());
    volume = Math.round(volume * Math.exp(0.3 * (random() - 0.5)) + 1000 * random());
    rows.push({ date: isoDate(i), open, high, low, close, volume: inside(shape.zeroVolume, i) ? 0 : volume });
  }
  return barSeriesFromRows(symbol, rows, `synthetic ${symbol}`);
}

const seriesList: BarSeries[] = [
  syntheticSeries('WALK', { count: 320, seed: 1 }),
  syntheticSeries('HALTS', { count: 300, seed: 2, flat: [[60, 140], [200, 206]], zeroVolume: [[30, 75], [250, 252]] }),
  syntheticSeries('TINY', { count: 260, seed: 3, start: 1e-4, sigma: 0.08 }),
  syntheticSeries('SHORT', { count: 12, seed: 4 }),
  syntheticSeries('EMPTY', { count: 0, seed: 5 }),
  // Longer than the batch paths' chunk (batchChunk bars per call), with halts across a chunk boundary.
  syntheticSeries('LONG', { count: 5000, seed: 6, flat: [[2040, 2060]], zeroVolume: [[4090, 4100]] }),
];

/**
 * The bars t at which prefix invariance is checked: every t on the short series, and on long ones
 * the first 300, both sides of every chunk boundary and every 97th bar.
 */
function prefixPoints(series: BarSeries): number[] {
  const count = series.dates.length;
  if (count <= 400) return Array.from({ length: count }, (_, t) => t);
  const points = new Set<number>();
  for (let t = 0; t < 300; t++) points.add(t);
  for (let boundary = batchChunk; boundary <= count + 1; boundary += batchChunk) {
    for (let t = boundary - 3; t <= boundary + 2; t++) if (t >= 0 && t < count) points.add(t);
  }
  for (let t = 0; t < count; t += 97) points.add(t);
  points.add(count - 1);
  return [...points].sort((a, b) => a - b);
}

// ----------------------------------------------------------------------------------------------
// The feature cases: every feature at its default period and a few others, with the warm-up the
// spec implies (roc / price_vs_high / volatility need n+1 bars; price_vs_ma / volume_zscore n).

interface FeatureCase {
  label: string;
  make: () => StreamingFeature;
  specWarmUp: number;
}

const featureCases: FeatureCase[] = [
  ...[20, 1, 5, 60].map((n) => ({ label: `RateOfChange(${n})`, make: () => new RateOfChange(n), specWarmUp: n + 1 })),
  ...[50, 1, 2, 13].map((n) => ({ label: `PriceVsMovingAverage(${n})`, make: () => new PriceVsMovingAverage(n), specWarmUp: n })),
  ...[20, 1, 3, 55].map((n) => ({ label: `PriceVsHigh(${n})`, make: () => new PriceVsHigh(n), specWarmUp: n + 1 })),
  ...[20, 2, 7, 63].map((n) => ({ label: `VolumeZScore(${n})`, make: () => new VolumeZScore(n), specWarmUp: n })),
  ...[20, 2, 9, 60].map((n) => ({ label: `Volatility(${n})`, make: () => new Volatility(n), specWarmUp: n + 1 })),
];

/** Streams a series through `feature` with a fresh bar object per bar. */
function stream(feature: StreamingFeature, series: BarSeries, from = 0, to = series.dates.length): { values: (number | null)[]; ready: boolean[] } {
  const values: (number | null)[] = [];
  const ready: boolean[] = [];
  for (let i = from; i < to; i++) {
    values.push(feature.update(barAt(series, i)));
    ready.push(feature.isReady);
  }
  return { values, ready };
}

function sameBits(batch: ArrayLike<number>, streamed: readonly (number | null)[], what: string): void {
  assert.equal(batch.length, streamed.length, `${what}: length`);
  for (let i = 0; i < streamed.length; i++) {
    const expected = streamed[i] === null ? Number.NaN : streamed[i];
    if (!Object.is(batch[i], expected)) {
      assert.fail(`${what}: bar ${i}: batch ${Object.is(batch[i], -0) ? '-0' : batch[i]} != streaming ${Object.is(expected, -0) ? '-0' : streamed[i]}`);
    }
  }
}

function checkWarmUp(values: readonly (number | null)[], ready: readonly boolean[], warmUp: number, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i < warmUp - 1) {
      if (value !== null) assert.fail(`${what}: bar ${i} (< warmUp - 1 = ${warmUp - 1}) returned ${value}, expected null`);
    } else if (value === null || !Number.isFinite(value)) {
      assert.fail(`${what}: bar ${i} (>= warmUp - 1 = ${warmUp - 1}) returned ${value}, expected a finite number`);
    }
    if (ready[i] !== (value !== null)) assert.fail(`${what}: bar ${i}: isReady ${ready[i]} but value ${value}`);
  }
}

describe('feature contract', () => {
  for (const featureCase of featureCases) {
    describe(featureCase.label, () => {
      it('declares the warm-up the spec implies, and is not ready before the first bar', () => {
        const feature = featureCase.make();
        assert.equal(feature.warmUp, featureCase.specWarmUp);
        assert.equal(feature.isReady, false);
      });

      it('returns null exactly until warmUp, then finite values; isReady agrees', () => {
        for (const series of seriesList) {
          const { values, ready } = stream(featureCase.make(), series);
          checkWarmUp(values, ready, featureCase.specWarmUp, `${featureCase.label} on ${series.symbol}`);
        }
      });

      it('batch (runFeature) equals streaming bit for bit', () => {
        for (const series of seriesList) {
          const streamed = stream(featureCase.make(), series).values;
          sameBits(runFeature(featureCase.make(), series), streamed, `${featureCase.label} on ${series.symbol}`);
          // runFeature on an object that has already seen bars resets it first.
          const used = featureCase.make();
          stream(used, seriesList[0], 0, 37);
          sameBits(runFeature(used, series), streamed, `${featureCase.label} on ${series.symbol} (reused object)`);
        }
      });

      it('after runFeature the object streams on as if it had seen every bar (batch hands over its state)', () => {
        // Split points around multiples of the period (the windows recompute exactly every n
        // pushes, and the batch path rebuilds the streaming state from such a point on).
        const series = seriesList.find((candidate) => candidate.symbol === 'HALTS') as BarSeries;
        const count = series.dates.length;
        const streamed = stream(featureCase.make(), series).values;
        const period = featureCase.make().warmUp;
        const splits = new Set([0, 1, period - 2, period - 1, period, period + 1, 2 * period - 1, 2 * period, 2 * period + 3, count - 1, count]);
        for (const split of [...splits].filter((value) => value >= 0 && value <= count)) {
          const feature = featureCase.make();
          runFeature(feature, barPrefix(series, split));
          const rest = stream(feature, series, split).values;
          sameBits(Float64Array.from(rest, (v) => (v === null ? Number.NaN : v)), streamed.slice(split), `${featureCase.label}: streaming after runFeature of the first ${split} bars`);
        }
      });

      it('reset then rerun gives identical values, also after a reset mid-run', () => {
        for (const series of seriesList) {
          const feature = featureCase.make();
          const first = stream(feature, series).values;
          feature.reset();
          assert.equal(feature.isReady, false, 'isReady after reset');
          sameBits(Float64Array.from(stream(feature, series).values, (v) => (v === null ? Number.NaN : v)), first, `${featureCase.label} rerun on ${series.symbol}`);
          const half = Math.floor(series.dates.length / 2);
          feature.reset();
          stream(feature, series, half);
          feature.reset();
          sameBits(Float64Array.from(stream(feature, series).values, (v) => (v === null ? Number.NaN : v)), first, `${featureCase.label} rerun after a partial run on ${series.symbol}`);
        }
      });

      it('prefix invariance: the value at t from bars 0..t alone equals the value on the whole series', () => {
        for (const series of seriesList) {
          const whole = runFeature(featureCase.make(), series);
          const feature = featureCase.make();
          for (const t of prefixPoints(series)) {
            const prefix = runFeature(feature, barPrefix(series, t + 1));
            if (!Object.is(prefix[t], whole[t])) {
              assert.fail(`${featureCase.label} on ${series.symbol}: bar ${t}: from bars 0..${t} ${prefix[t]}, on the whole series ${whole[t]}`);
            }
          }
        }
      });
    });
  }
});

// ----------------------------------------------------------------------------------------------
// The feature set and the factors.

const periodCases: { label: string; periods: FeaturePeriods }[] = [
  { label: 'default periods', periods: defaultFeaturePeriods },
  { label: 'short periods', periods: resolveFeaturePeriods({ roc: 1, price_vs_ma: 1, price_vs_high: 1, volume_zscore: 2, volatility: 2 }) },
  { label: 'mixed periods', periods: resolveFeaturePeriods({ roc: 63, price_vs_ma: 10, price_vs_high: 55, volume_zscore: 5, volatility: 30 }) },
];

const modelCases: { label: string; model: FactorModel }[] = [
  { label: 'default model', model: defaultFactorModel },
  { label: 'momentum dropped', model: dropFactor(defaultFactorModel, 'momentum') },
  {
    label: 'custom model (volatility, two clamps, negative weights)',
    model: validateFactorModel({
      factors: {
        calm: [{ feature: 'volatility', weight: -3 }, { feature: 'roc', weight: 0.25, clamp: [-0.05, 0.05] }],
        surge: [{ feature: 'volume_zscore', weight: 0.1, clamp: [-1, 1] }],
      },
      score: { calm: 0.7, surge: -0.3 },
    }),
  },
];

/** The spec's warm-up of one feature: n + 1 bars for roc, price_vs_high and volatility, n for the others. */
function specWarmUp(name: FeatureName, n: number): number {
  return name === 'price_vs_ma' || name === 'volume_zscore' ? n : n + 1;
}

/** The bar count from which a factor (or the score) is ready: the largest warm-up among its features. */
function factorWarmUp(model: FactorModel, periods: FeaturePeriods, factor: string): number {
  const terms = factor === 'score' ? Object.values(model.factors).flat() : model.factors[factor];
  return Math.max(...terms.map((term) => specWarmUp(term.feature, periods[term.feature])));
}

const featureClasses: Record<FeatureName, new (period: number) => StreamingFeature> = {
  roc: RateOfChange,
  price_vs_ma: PriceVsMovingAverage,
  price_vs_high: PriceVsHigh,
  volume_zscore: VolumeZScore,
  volatility: Volatility,
};

describe('feature set and factor contract', () => {
  for (const { label, periods } of periodCases) {
    describe(label, () => {
      it('featureWarmUp and FeatureSet.warmUp are the largest feature warm-up', () => {
        const expected = Math.max(...featureNames.map((name) => specWarmUp(name, periods[name])));
        assert.equal(featureWarmUp(periods), expected);
        assert.equal(new FeatureSet(periods).warmUp, expected);
        assert.equal(new SignalPipeline(periods).warmUp, expected);
      });

      it('computeFeatures equals FeatureSet streaming bit for bit; FeatureSet.isReady <=> every feature ready', () => {
        for (const series of seriesList) {
          const batch = computeFeatures(series, periods);
          const set = new FeatureSet(periods);
          assert.equal(set.isReady, false);
          const streamed = Object.fromEntries(featureNames.map((name) => [name, [] as (number | null)[]])) as Record<string, (number | null)[]>;
          for (let i = 0; i < series.dates.length; i++) {
            const values = set.update(barAt(series, i));
            for (const name of featureNames) streamed[name].push(values[name]);
            const allReady = featureNames.every((name) => values[name] !== null);
            if (set.isReady !== allReady) assert.fail(`${series.symbol} bar ${i}: FeatureSet.isReady ${set.isReady}, all features ready ${allReady}`);
            if (allReady !== i >= set.warmUp - 1) assert.fail(`${series.symbol} bar ${i}: all ready ${allReady} with warmUp ${set.warmUp}`);
          }
          for (const name of featureNames) {
            sameBits(batch[name], streamed[name], `${name} (${label}) on ${series.symbol}`);
            // ... and each column is that feature run on its own.
            sameBits(runFeature(new featureClasses[name](periods[name]), series), streamed[name], `${name} alone (${label}) on ${series.symbol}`);
          }
        }
      });

      for (const { label: modelLabel, model } of modelCases) {
        describe(modelLabel, () => {
          it('computeSignals equals SignalPipeline streaming bit for bit, with each factor null exactly until its inputs are ready', () => {
            for (const series of seriesList) {
              const batch = computeSignals(series, periods, model);
              const pipeline = new SignalPipeline(periods, model);
              const factorNames = [...Object.keys(model.factors), 'score'];
              assert.deepEqual(Object.keys(batch.factors).sort(), [...factorNames].sort());
              const streamed: Record<string, (number | null)[]> = {};
              for (const name of [...featureNames, ...factorNames]) streamed[name] = [];
              for (let i = 0; i < series.dates.length; i++) {
                const snapshot = pipeline.update(barAt(series, i));
                for (const name of featureNames) streamed[name].push(snapshot.features[name]);
                for (const name of factorNames) streamed[name].push(snapshot.factors[name]);
              }
              for (const name of featureNames) sameBits(batch.features[name], streamed[name], `${name} (${label}, ${modelLabel}) on ${series.symbol}`);
              for (const name of factorNames) {
                const what = `factor ${name} (${label}, ${modelLabel}) on ${series.symbol}`;
                sameBits(batch.factors[name], streamed[name], what);
                const warmUp = factorWarmUp(model, periods, name);
                checkWarmUp(streamed[name], streamed[name].map((v) => v !== null), warmUp, what);
              }
              // computeFactors on the feature columns is the same thing.
              const direct = computeFactors(model, computeFeatures(series, periods));
              for (const name of factorNames) sameBits(direct[name], streamed[name], `computeFactors ${name} (${label}, ${modelLabel}) on ${series.symbol}`);
            }
          });

          it('reset then rerun of the pipeline gives identical values', () => {
            for (const series of seriesList) {
              const pipeline = new SignalPipeline(periods, model);
              const run = () => {
                const out: (number | null)[] = [];
                for (let i = 0; i < series.dates.length; i++) {
                  const { features, factors } = pipeline.update(barAt(series, i));
                  out.push(...featureNames.map((name) => features[name]), ...Object.values(factors));
                }
                return out;
              };
              const first = run();
              pipeline.reset();
              const second = run();
              sameBits(Float64Array.from(second, (v) => (v === null ? Number.NaN : v)), first, `pipeline rerun (${label}, ${modelLabel}) on ${series.symbol}`);
            }
          });

          it('prefix invariance of computeSignals (features and factors)', () => {
            for (const series of [seriesList[0], seriesList[1], seriesList[seriesList.length - 1]]) {
              const whole = computeSignals(series, periods, model);
              for (const t of prefixPoints(series).filter((point) => point < 400 || point % 4 === 0)) {
                const prefix = computeSignals(barPrefix(series, t + 1), periods, model);
                for (const name of featureNames) {
                  if (!Object.is(prefix.features[name][t], whole.features[name][t])) {
                    assert.fail(`${name} (${label}, ${modelLabel}) on ${series.symbol}: bar ${t}: prefix ${prefix.features[name][t]} whole ${whole.features[name][t]}`);
                  }
                }
                for (const name of Object.keys(whole.factors)) {
                  if (!Object.is(prefix.factors[name][t], whole.factors[name][t])) {
                    assert.fail(`factor ${name} (${label}, ${modelLabel}) on ${series.symbol}: bar ${t}: prefix ${prefix.factors[name][t]} whole ${whole.factors[name][t]}`);
                  }
                }
              }
            }
          });
        });
      }
    });
  }
});
