/**
 * Reference values: hand-computed features and factors on short series, edge cases (today's
 * high excluded, flat volume, flat prices), property tests against the independent two-pass
 * implementation (test/features/two-pass.ts) over random series, and the validation errors of
 * the factor model and the feature periods.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { barSeriesFromRows, type Bar, type BarSeries } from '../../src/data/bars';
import { ConfigError } from '../../src/errors';
import { runFeature } from '../../src/features/feature';
import { computeFeatures, defaultFeaturePeriods, resolveFeaturePeriods, type FeaturePeriods } from '../../src/features/feature-set';
import { PriceVsHigh } from '../../src/features/price-vs-high';
import { PriceVsMovingAverage } from '../../src/features/price-vs-moving-average';
import { RateOfChange } from '../../src/features/roc';
import { Volatility } from '../../src/features/volatility';
import { VolumeZScore } from '../../src/features/volume-zscore';
import { computeFactors, defaultFactorModel, evaluateFactors, validateFactorModel } from '../../src/factors/factor-model';
import { computeSignals } from '../../src/factors/pipeline';
import {
  compareWithTwoPass,
  describeMismatches,
  specBreakout,
  specMomentum,
  specPeriods,
  specScore,
  twoPassFeatures,
  type Periods,
} from './two-pass';

function series(close: readonly number[], high?: readonly number[], volume?: readonly number[]): BarSeries {
  const rows: Bar[] = close.map((c, i) => ({
    date: `2020-01-${String(i + 1).padStart(2, '0')}`,
    open: c,
    high: high ? high[i] : c,
    low: c,
    close: c,
    volume: volume ? volume[i] : 1000,
  }));
  return barSeriesFromRows('HAND', rows);
}

/** Hand-computed values are exact rationals or 30-digit decimals; the code rounds a few times. */
function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-14 * Math.max(1, Math.abs(expected)), `${what}: ${actual} != ${expected}`);
}

function assertColumn(actual: Float64Array, expected: (number | null)[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  expected.forEach((value, t) => {
    if (value === null) assert.ok(Number.isNaN(actual[t]), `${what}[${t}]: expected not ready, got ${actual[t]}`);
    else assertClose(actual[t], value, `${what}[${t}]`);
  });
}

// Six bars, every period 3.
//   t       0     1     2     3     4     5
//   close  10    11    12    11    13    14
//   high   10.5  11.5  12.5  12    13.5  14.5
//   volume 100   200   300   200   400   300
const close6 = [10, 11, 12, 11, 13, 14];
const high6 = [10.5, 11.5, 12.5, 12, 13.5, 14.5];
const volume6 = [100, 200, 300, 200, 400, 300];
const bars6 = series(close6, high6, volume6);
const periods3: FeaturePeriods = resolveFeaturePeriods({ roc: 3, price_vs_ma: 3, price_vs_high: 3, volume_zscore: 3, volatility: 3 });

describe('features: hand-computed values', () => {
  it('roc(3) = close[t] / close[t-3] - 1, ready from t = 3', () => {
    // t=3: 11/10 - 1 = 1/10;  t=4: 13/11 - 1 = 2/11;  t=5: 14/12 - 1 = 1/6
    assertColumn(runFeature(new RateOfChange(3), bars6), [null, null, null, 1 / 10, 2 / 11, 1 / 6], 'roc(3)');
  });

  it('price_vs_ma(3) = close[t] / mean(close[t-2..t]) - 1, ready from t = 2', () => {
    // t=2: mean(10,11,12) = 11    -> 12/11 - 1 = 1/11
    // t=3: mean(11,12,11) = 34/3  -> 11*3/34 - 1 = -1/34
    // t=4: mean(12,11,13) = 12    -> 13/12 - 1 = 1/12
    // t=5: mean(11,13,14) = 38/3  -> 14*3/38 - 1 = 4/38 = 2/19
    assertColumn(runFeature(new PriceVsMovingAverage(3), bars6), [null, null, 1 / 11, -1 / 34, 1 / 12, 2 / 19], 'price_vs_ma(3)');
  });

  it("price_vs_high(3) = close[t] / max(high[t-3..t-1]) - 1, today's high excluded, ready from t = 3", () => {
    // t=3: max(10.5, 11.5, 12.5) = 12.5  -> 11/12.5 - 1 = -0.12
    // t=4: max(11.5, 12.5, 12)   = 12.5  -> 13/12.5 - 1 = +0.04
    //      (with today's high 13.5 included it would be 13/13.5 - 1 < 0: no breakout could ever fire)
    // t=5: max(12.5, 12, 13.5)   = 13.5  -> 14/13.5 - 1 = 1/27
    const values = runFeature(new PriceVsHigh(3), bars6);
    assertColumn(values, [null, null, null, -0.12, 0.04, 1 / 27], 'price_vs_high(3)');
    assert.ok(values[4] > 0, 'a close above the prior highs is a breakout');
  });

  it('price_vs_high(1) compares with yesterday\'s high only', () => {
    // t=1: 11/10.5 - 1 = 1/21; t=2: 12/11.5 - 1 = 1/23; t=3: 11/12.5 - 1 = -0.12; t=4: 13/12 - 1 = 1/12; t=5: 14/13.5 - 1 = 1/27
    assertColumn(runFeature(new PriceVsHigh(1), bars6), [null, 1 / 21, 1 / 23, -0.12, 1 / 12, 1 / 27], 'price_vs_high(1)');
  });

  it('volume_zscore(3) = (v[t] - mean) / sample sd over v[t-2..t], ready from t = 2', () => {
    // t=2: 100,200,300: mean 200, sd = sqrt((100^2 + 0 + 100^2) / 2) = 100          -> (300-200)/100 = 1
    // t=3: 200,300,200: mean 700/3, deviations -100/3, 200/3, -100/3,
    //      sum of squares 60000/9, / 2 = 10000/3, sd = 100/sqrt(3)                  -> (-100/3)/(100/sqrt 3) = -1/sqrt(3)
    // t=4: 300,200,400: mean 300, sd = sqrt((0 + 100^2 + 100^2) / 2) = 100           -> (400-300)/100 = 1
    // t=5: 200,400,300: mean 300, sd 100                                             -> 0
    assertColumn(runFeature(new VolumeZScore(3), bars6), [null, null, 1, -1 / Math.sqrt(3), 1, 0], 'volume_zscore(3)');
  });

  it('volatility(3) = sample sd of the last 3 log returns, ready from t = 3', () => {
    // r1 = ln(11/10) = 0.0953101798043248600439521232807
    // r2 = ln(12/11) = 0.0870113769896297661677659018737
    // r3 = ln(11/12) = -r2
    // r4 = ln(13/11) = 0.1670540846631661919915438636
    // r5 = ln(14/13) = 0.0741079721537218784690974233361
    // t=3: r1..r3: mean 0.03177005993477495, sum of squared deviations 0.02119797970081810,
    //      sd = sqrt(0.0211979797008181 / 2) = 0.102951395572906395098945943353
    // t=4: r2..r4: mean 0.05568469488772206, ss 0.03374667091969514, sd = 0.129897403591632930134518532245
    // t=5: r3..r5: mean 0.05138355994241943, ss 0.03304922776794795, sd = 0.128548099495768419918869995562
    assertColumn(
      runFeature(new Volatility(3), bars6),
      [null, null, null, 0.102951395572906395098945943353, 0.129897403591632930134518532245, 0.128548099495768419918869995562],
      'volatility(3)',
    );
  });

  it('volume_zscore is exactly 0 on flat volume (any level, even one whose mean does not round-trip)', () => {
    for (const level of [0, 1, 0.1, 1234567, 1e9, 1e9 + 1, 123456789.123]) {
      const values = runFeature(new VolumeZScore(20), series(Array.from({ length: 60 }, (_, i) => 10 + (i % 5)), undefined, Array(60).fill(level)));
      for (let t = 19; t < 60; t++) assert.ok(Object.is(values[t], 0), `volume ${level}, t=${t}: ${values[t]}`);
    }
  });

  it('volume_zscore becomes exactly 0 once a spike has left the window, and is (n-1)/sqrt(n) on the spike', () => {
    // 25 zero volumes, one spike x, then zeros. While the spike is in the window of 20 the window is
    // {x, 0 x 19}: mean x/20, sd = sqrt((x^2 * 19/20) / 19) = x/sqrt(20).
    // On the spike's own bar: z = (x - x/20) / (x/sqrt 20) = 19/sqrt(20) = 4.24852915724960042317742997059.
    // Afterwards z = (0 - x/20) / (x/sqrt 20) = -1/sqrt(20), then exactly 0 when the spike is gone.
    const volume = [...Array(25).fill(0), 5e7, ...Array(40).fill(0)];
    const values = runFeature(new VolumeZScore(20), series(volume.map(() => 10), undefined, volume));
    assertClose(values[25], 4.24852915724960042317742997059, 'z on the spike');
    for (let t = 26; t < 45; t++) assertClose(values[t], -1 / Math.sqrt(20), `z at ${t} with the spike in the window`);
    for (let t = 45; t < volume.length; t++) assert.ok(Object.is(values[t], 0), `z at ${t} after the spike: ${values[t]}`);
  });

  it('volatility of flat prices is exactly 0, also once a move has left the window', () => {
    const flat = runFeature(new Volatility(20), series(Array(50).fill(37.25)));
    for (let t = 20; t < 50; t++) assert.ok(Object.is(flat[t], 0), `flat t=${t}: ${flat[t]}`);
    // One move at t = 30 (a return in the windows ending 30..49), flat otherwise.
    const close = Array.from({ length: 80 }, (_, t) => (t < 30 ? 37.25 : 41.5));
    const values = runFeature(new Volatility(20), series(close));
    // r = ln(41.5/37.25) in a window of 20 otherwise-zero returns: sd = r / sqrt(20).
    const r = Math.log(41.5 / 37.25);
    for (let t = 30; t < 50; t++) assertClose(values[t], r / Math.sqrt(20), `t=${t}`);
    for (let t = 50; t < 80; t++) assert.ok(Object.is(values[t], 0), `after the move, t=${t}: ${values[t]}`);
  });

  it('price_vs_ma(1) is exactly 0 and roc(1) is the simple daily return', () => {
    const s = series([10, 12, 9, 9, 15]);
    assertColumn(runFeature(new PriceVsMovingAverage(1), s), [0, 0, 0, 0, 0], 'price_vs_ma(1)');
    // 12/10 - 1 = 0.2, 9/12 - 1 = -0.25, 9/9 - 1 = 0, 15/9 - 1 = 2/3
    assertColumn(runFeature(new RateOfChange(1), s), [null, 0.2, -0.25, 0, 2 / 3], 'roc(1)');
  });
});

describe('factors: the default model reproduces the spec', () => {
  it('by hand on the six bars with every period 3', () => {
    const { factors } = computeSignals(bars6, periods3, defaultFactorModel);
    // momentum = 0.5 roc + 0.5 price_vs_ma, ready when both are (t >= 3):
    //   t=3: 0.5*(1/10) + 0.5*(-1/34) = 1/20 - 1/68 = (17 - 5)/340 = 12/340 = 3/85
    //   t=4: 0.5*(2/11) + 0.5*(1/12)  = 1/11 + 1/24 = 35/264
    //   t=5: 0.5*(1/6)  + 0.5*(2/19)  = 1/12 + 1/19 = 31/228
    assertColumn(factors.momentum, [null, null, null, 3 / 85, 35 / 264, 31 / 228], 'momentum');
    // breakout = price_vs_high + 0.01 * clamp(volume_zscore, -3, 3), ready when both are (t >= 3):
    //   t=3: -0.12 + 0.01 * (-1/sqrt 3)
    //   t=4:  0.04 + 0.01 * 1    = 0.05
    //   t=5:  1/27 + 0.01 * 0    = 1/27
    assertColumn(factors.breakout, [null, null, null, -0.12 - 0.01 / Math.sqrt(3), 0.05, 1 / 27], 'breakout');
    // score = 0.5 momentum + 0.5 breakout
    //   t=4: 0.5 * 35/264 + 0.5 * 0.05 = 35/528 + 1/40
    assertColumn(factors.score, [null, null, null, 0.5 * (3 / 85) + 0.5 * (-0.12 - 0.01 / Math.sqrt(3)), 35 / 528 + 1 / 40, 0.5 * (31 / 228) + 0.5 * (1 / 27)], 'score');
  });

  it('clamps volume_zscore to [-3, 3] inside breakout', () => {
    // 25 bars of volume 1000 then a spike: z on the spike bar = 19/sqrt(20) = 4.2485 > 3 (see above,
    // the shape does not depend on the base level once the base is flat: the window is {x+b, b x 19}).
    const volume = [...Array(60).fill(1000), 1e6, ...Array(5).fill(1000)];
    const close = volume.map((_, i) => 50 + 0.1 * i);
    const { features, factors } = computeSignals(series(close, close, volume));
    assertClose(features.volume_zscore[60], 19 / Math.sqrt(20), 'z on the spike');
    assert.equal(factors.breakout[60], features.price_vs_high[60] + 0.01 * 3);
    assert.ok(features.volume_zscore[61] < 0 && features.volume_zscore[61] > -3);
    assert.equal(factors.breakout[61], features.price_vs_high[61] + 0.01 * features.volume_zscore[61]);
  });

  it('equals the spec formulas, evaluated independently, bit for bit on the same feature values', () => {
    fc.assert(
      fc.property(seriesArbitrary, (generated) => {
        const bars = buildSeries(generated);
        const { features, factors } = computeSignals(bars);
        for (let t = 0; t < bars.dates.length; t++) {
          const v = (x: number) => (Number.isNaN(x) ? null : x);
          const m = specMomentum(v(features.roc[t]), v(features.price_vs_ma[t]));
          const b = specBreakout(v(features.price_vs_high[t]), v(features.volume_zscore[t]));
          const s = specScore(m, b);
          // Same operations in the same order: identical doubles (=== so that 0 and -0 agree).
          for (const [name, expected] of [['momentum', m], ['breakout', b], ['score', s]] as const) {
            const actual = v(factors[name][t]);
            if (!(actual === expected)) throw new Error(`${name}[${t}]: ${actual} != ${expected}`);
          }
          // The streaming evaluation of the same feature values agrees.
          const snapshot = evaluateFactors(defaultFactorModel, {
            roc: v(features.roc[t]),
            price_vs_ma: v(features.price_vs_ma[t]),
            price_vs_high: v(features.price_vs_high[t]),
            volume_zscore: v(features.volume_zscore[t]),
            volatility: v(features.volatility[t]),
          });
          if (!(snapshot.score === s && snapshot.momentum === m && snapshot.breakout === b)) throw new Error(`evaluateFactors at ${t}`);
        }
      }),
      { numRuns: 60, seed: 20240308 },
    );
  });

  it('the default periods and model are the spec table', () => {
    assert.deepEqual({ ...defaultFeaturePeriods }, { ...specPeriods });
    assert.deepEqual(JSON.parse(JSON.stringify(defaultFactorModel)), {
      factors: {
        momentum: [{ feature: 'roc', weight: 0.5 }, { feature: 'price_vs_ma', weight: 0.5 }],
        breakout: [{ feature: 'price_vs_high', weight: 1 }, { feature: 'volume_zscore', weight: 0.01, clamp: [-3, 3] }],
      },
      score: { momentum: 0.5, breakout: 0.5 },
    });
  });
});

// ----------------------------------------------------------------------------------------------
// Property tests against the two-pass implementation.

interface GeneratedSeries {
  start: number;
  priceMode: 'walk' | 'flat' | 'halts' | 'trend';
  volumeMode: 'random' | 'flat' | 'huge' | 'regimes' | 'zeros';
  steps: { r: number; bump: number; u: number; k: number }[];
}

const seriesArbitrary: fc.Arbitrary<GeneratedSeries> = fc.record({
  start: fc.oneof(
    fc.constant(100),
    fc.double({ min: 1e-6, max: 1e-3, noNaN: true }), // tiny prices
    fc.double({ min: 0.5, max: 5e4, noNaN: true }),
  ),
  priceMode: fc.constantFrom('walk', 'flat', 'halts', 'trend'),
  volumeMode: fc.constantFrom('random', 'flat', 'huge', 'regimes', 'zeros'),
  steps: fc.array(
    fc.record({
      r: fc.double({ min: -0.15, max: 0.15, noNaN: true }),
      bump: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.05, noNaN: true })),
      u: fc.double({ min: 0, max: 1, noNaN: true }),
      k: fc.integer({ min: 0, max: 1_000_000 }),
    }),
    { minLength: 0, maxLength: 200, size: 'max' },
  ),
});

/**
 * Prices: a random walk; flat (every price equal); 'halts' (the walk frozen every other block of
 * 25 bars, high = close); 'trend' (steady growth of 1% a day with tiny noise: near-zero volatility).
 * Volumes: random in 0..1e6; flat (zero variance); huge (1e9 with a spread of 0..15); regimes
 * (blocks of 37 bars at 1e3, 1e9 and 1e6 plus 0..999: the level jumps with a small spread);
 * zeros (70% of the bars have no volume).
 */
function buildSeries(generated: GeneratedSeries): BarSeries {
  let close = generated.start;
  const rows: Bar[] = generated.steps.map((step, t) => {
    const frozen = generated.priceMode === 'flat' || (generated.priceMode === 'halts' && Math.floor(t / 25) % 2 === 1);
    if (!frozen && t > 0) close *= generated.priceMode === 'trend' ? 1.01 + step.r * 1e-6 : Math.exp(step.r);
    const high = frozen ? close : close * (1 + step.bump);
    let volume: number;
    switch (generated.volumeMode) {
      case 'random': volume = step.k; break;
      case 'flat': volume = 123457; break;
      case 'huge': volume = 1e9 + (step.k % 16); break;
      case 'regimes': volume = [1e3, 1e9, 1e6][Math.floor(t / 37) % 3] + (step.k % 1000); break;
      case 'zeros': volume = step.u < 0.7 ? 0 : step.k; break;
    }
    return { date: `d${t}`, open: close, high, low: close, close, volume };
  });
  return barSeriesFromRows('GEN', rows);
}

const periodsArbitrary: fc.Arbitrary<Periods> = fc.oneof(
  fc.constant({ ...specPeriods }),
  fc.record({
    roc: fc.integer({ min: 1, max: 30 }),
    price_vs_ma: fc.integer({ min: 1, max: 30 }),
    price_vs_high: fc.integer({ min: 1, max: 30 }),
    volume_zscore: fc.integer({ min: 2, max: 30 }),
    volatility: fc.integer({ min: 2, max: 30 }),
  }),
);

describe('features and factors against the two-pass implementation (fast-check)', () => {
  it('agree to 1e-9 relative (absolute floors near 0), with the same not-ready cells', () => {
    fc.assert(
      fc.property(seriesArbitrary, periodsArbitrary, (generated, periods) => {
        const bars = buildSeries(generated);
        const { features, factors } = computeSignals(bars, resolveFeaturePeriods({ ...periods }));
        const mismatches = compareWithTwoPass(bars, periods, features, {
          momentum: factors.momentum,
          breakout: factors.breakout,
          score: factors.score,
        });
        if (mismatches.length > 0) throw new Error(`${generated.priceMode}/${generated.volumeMode}: ${describeMismatches(mismatches)}`);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('the feature columns alone agree with the two-pass table (direct check of the not-ready cells)', () => {
    fc.assert(
      fc.property(seriesArbitrary, (generated) => {
        const bars = buildSeries(generated);
        const columns = computeFeatures(bars);
        const table = twoPassFeatures(bars);
        for (const name of Object.keys(table) as (keyof typeof table)[]) {
          table[name].forEach((value, t) => {
            if ((value === null) !== Number.isNaN(columns[name][t])) throw new Error(`${name}[${t}]: ${columns[name][t]} vs ${value}`);
          });
        }
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('stays within tolerance after a volume regime change with a small spread (anchored running sums)', () => {
    // 45 bars around 1e6 with a spread of 1e5, then 1e9 + (0, 1, 2): once the old volumes have
    // left the window, sd is about 0.8 against a mean of 1e9. Running sums anchored near 1e6 lose
    // every digit of that variance unless they are recomputed.
    const volume = [...Array.from({ length: 45 }, (_, i) => 1e6 + (i % 7) * 1e5), ...Array.from({ length: 60 }, (_, i) => 1e9 + (i % 3))];
    const close = volume.map((_, i) => 100 + Math.sin(i));
    const bars = series(close, close, volume);
    const mismatches = compareWithTwoPass(bars, specPeriods, computeFeatures(bars));
    assert.equal(mismatches.length, 0, describeMismatches(mismatches));
  });

  it('stays within tolerance when a volatile stretch is followed by a near-constant trend (volatility near 0)', () => {
    const close = [100];
    for (let i = 1; i < 45; i++) close.push(close[i - 1] * (i % 2 ? 1.2 : 0.85));
    for (let i = 0; i < 60; i++) close.push(close[close.length - 1] * (1.01 + (i % 2) * 1e-7));
    const bars = series(close);
    const mismatches = compareWithTwoPass(bars, specPeriods, computeFeatures(bars));
    assert.equal(mismatches.length, 0, describeMismatches(mismatches));
  });
});

// ----------------------------------------------------------------------------------------------
// Validation errors.

function assertConfigError(run: () => unknown, ...fragments: string[]): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), `message "${error.message}" should contain "${fragment}"`);
    return true;
  });
}

const goodTerms = [{ feature: 'roc', weight: 1 }];

describe('validateFactorModel', () => {
  it('accepts the default model as plain data and returns an equal model', () => {
    const plain = JSON.parse(JSON.stringify(defaultFactorModel));
    assert.deepEqual(JSON.parse(JSON.stringify(validateFactorModel(plain))), plain);
  });

  it('rejects an unknown feature, naming the term and the feature', () => {
    assertConfigError(() => validateFactorModel({ factors: { momentum: [{ feature: 'rsi', weight: 1 }] }, score: { momentum: 1 } }), 'factors.momentum[0]', 'unknown feature "rsi"');
  });

  it('rejects a bad weight, naming the term and the value', () => {
    assertConfigError(() => validateFactorModel({ factors: { m: [goodTerms[0], { feature: 'roc', weight: 'heavy' }] }, score: { m: 1 } }), 'factors.m[1]', 'weight', '"heavy"');
    assertConfigError(() => validateFactorModel({ factors: { m: [{ feature: 'roc' }] }, score: { m: 1 } }), 'factors.m[0]', 'weight');
    assertConfigError(() => validateFactorModel({ factors: { m: [{ feature: 'roc', weight: Number.POSITIVE_INFINITY }] }, score: { m: 1 } }), 'factors.m[0]', 'weight', 'Infinity');
    assertConfigError(() => validateFactorModel({ factors: { m: [{ feature: 'roc', weight: Number.NaN }] }, score: { m: 1 } }), 'factors.m[0]', 'weight', 'NaN');
  });

  it('rejects a bad score weight, naming the factor and the value', () => {
    assertConfigError(() => validateFactorModel({ factors: { m: goodTerms }, score: { m: '1' } }), 'score.m', '"1"');
    assertConfigError(() => validateFactorModel({ factors: { m: goodTerms }, score: { m: Number.NaN } }), 'score.m', 'NaN');
  });

  it('rejects a bad clamp, naming the term and the value', () => {
    assertConfigError(() => validateFactorModel({ factors: { b: [{ feature: 'volume_zscore', weight: 0.01, clamp: [3, -3] }] }, score: { b: 1 } }), 'factors.b[0]', 'clamp', '[3,-3]');
    assertConfigError(() => validateFactorModel({ factors: { b: [{ feature: 'volume_zscore', weight: 0.01, clamp: [3] }] }, score: { b: 1 } }), 'factors.b[0]', 'clamp', '[3]');
    assertConfigError(() => validateFactorModel({ factors: { b: [{ feature: 'volume_zscore', weight: 0.01, clamp: 3 }] }, score: { b: 1 } }), 'factors.b[0]', 'clamp', '3');
    assertConfigError(() => validateFactorModel({ factors: { b: [{ feature: 'volume_zscore', weight: 0.01, clamp: [Number.NaN, 3] }] }, score: { b: 1 } }), 'factors.b[0]', 'clamp', 'NaN');
  });

  it('rejects unknown keys at every level, naming the key', () => {
    assertConfigError(() => validateFactorModel({ factors: { m: goodTerms }, score: { m: 1 }, extra: 1 }), 'unknown key "extra"');
    assertConfigError(() => validateFactorModel({ factors: { m: [{ feature: 'roc', weight: 1, wieght: 2 }] }, score: { m: 1 } }), 'factors.m[0]', 'unknown key "wieght"');
    assertConfigError(() => validateFactorModel({ factors: { m: goodTerms }, score: { n: 1 } }), 'unknown factor "n"');
  });

  it('asks for an explicit score weight for every factor (0 leaves one out)', () => {
    assertConfigError(() => validateFactorModel({ factors: { m: goodTerms, b: goodTerms }, score: { m: 1 } }), 'no weight for factor "b"', 'b: 0');
    assertConfigError(() => validateFactorModel({ factors: { m: goodTerms }, score: {} }), 'no weight for factor "m"');
    assert.deepEqual(validateFactorModel({ factors: { m: goodTerms, b: goodTerms }, score: { m: 1, b: 0 } }).score, { m: 1, b: 0 });
  });

  it('rejects structural problems', () => {
    assertConfigError(() => validateFactorModel(null), 'factor model');
    assertConfigError(() => validateFactorModel([]), 'factor model');
    assertConfigError(() => validateFactorModel({ factors: {}, score: {} }), '"factors"');
    assertConfigError(() => validateFactorModel({ factors: { m: [] }, score: {} }), 'factors.m');
    assertConfigError(() => validateFactorModel({ factors: { score: goodTerms }, score: {} }), '"score" is reserved');
    assertConfigError(() => validateFactorModel({ factors: { m: goodTerms } }), '"score"');
    assertConfigError(() => validateFactorModel({ factors: { m: ['roc'] }, score: { m: 1 } }), 'factors.m[0]');
    assertConfigError(() => validateFactorModel({ factors: { m: goodTerms }, score: { m: 'x' } }, 'config.yaml factors'), 'config.yaml factors', 'score.m');
  });

  it('factor names that are Object.prototype members are plain names (no NaN score, no phantom factor)', () => {
    // A factor called "constructor" with a score weight of 0 weighs 0, like any other factor.
    const model = validateFactorModel({ factors: { constructor: goodTerms, m: goodTerms }, score: { m: 1, constructor: 0 } });
    const values = evaluateFactors(model, { roc: 0.5, price_vs_ma: 0, price_vs_high: 0, volume_zscore: 0, volatility: 0 });
    assert.equal(values.score, 0.5);
    const features = computeFeatures(bars6, periods3);
    const columns = computeFactors(model, features);
    assert.ok(Number.isNaN(columns.score[2]), 'not ready at t=2');
    assert.equal(columns.score[5], features.roc[5]);
    // A score weight for "toString" names a factor that does not exist.
    assertConfigError(() => validateFactorModel({ factors: { m: goodTerms }, score: { toString: 1 } }), 'unknown factor "toString"');
  });
});

describe('resolveFeaturePeriods', () => {
  it('fills in the defaults and keeps given periods', () => {
    assert.deepEqual(resolveFeaturePeriods(), { ...specPeriods });
    assert.deepEqual(resolveFeaturePeriods({ roc: 5 }), { ...specPeriods, roc: 5 });
  });

  it('rejects an unknown feature, naming it', () => {
    assertConfigError(() => resolveFeaturePeriods({ rsi: 14 }), 'unknown feature "rsi"');
    assertConfigError(() => resolveFeaturePeriods({ rsi: 14 }, 'universe.yaml periods'), 'universe.yaml periods');
  });

  it('rejects non-integer, too small and non-numeric periods, naming the feature and the value', () => {
    assertConfigError(() => resolveFeaturePeriods({ roc: 0 }), 'roc', '>= 1', 'got 0');
    assertConfigError(() => resolveFeaturePeriods({ price_vs_ma: 2.5 }), 'price_vs_ma', 'got 2.5');
    assertConfigError(() => resolveFeaturePeriods({ volume_zscore: 1 }), 'volume_zscore', '>= 2', 'got 1');
    assertConfigError(() => resolveFeaturePeriods({ roc: 2e9 }), 'roc', '<= 100000', 'got 2000000000');
    assertConfigError(() => resolveFeaturePeriods({ volatility: 1 }), 'volatility', '>= 2', 'got 1');
    assertConfigError(() => resolveFeaturePeriods({ price_vs_high: '20' }), 'price_vs_high', 'got "20"');
    assertConfigError(() => resolveFeaturePeriods({ roc: Number.NaN }), 'roc', 'got NaN');
    assertConfigError(() => resolveFeaturePeriods({ roc: Number.POSITIVE_INFINITY }), 'roc', 'got Infinity');
  });

  it('the feature constructors reject bad periods too', () => {
    assert.throws(() => new RateOfChange(0), /roc.*got 0/);
    assert.throws(() => new PriceVsMovingAverage(1.5), /price_vs_ma.*got 1.5/);
    assert.throws(() => new PriceVsHigh(-1), /price_vs_high.*got -1/);
    assert.throws(() => new VolumeZScore(1), /volume_zscore.*got 1/);
    assert.throws(() => new Volatility(1), /volatility.*got 1/);
  });
});
