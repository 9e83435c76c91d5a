/**
 * Feature bench: 1,000,000 synthetic bars (a seeded random walk built here, in Float64Arrays),
 * ns per bar for each feature alone (batch `runFeature`), all five features plus the factors
 * (`computeSignals`, and its kernel alone into reused columns), and trading-signals' streaming
 * SMA(50) on the same closes as a yardstick.
 */
import { SMA } from 'trading-signals';
import type { BarSeries } from '../src/data/bars';
import { runFeature, type StreamingFeature } from '../src/features/feature';
import { computeFeatures, defaultFeaturePeriods } from '../src/features/feature-set';
import { allocateFeatureColumns, foldFeatures } from '../src/features/batch-kernel';
import { PriceVsHigh } from '../src/features/price-vs-high';
import { PriceVsMovingAverage } from '../src/features/price-vs-moving-average';
import { RateOfChange } from '../src/features/roc';
import { Volatility } from '../src/features/volatility';
import { VolumeZScore } from '../src/features/volume-zscore';
import { computeFactors, defaultFactorModel } from '../src/factors/factor-model';
import { fillFactorRows, planFactorFill } from '../src/factors/factor-rows';
import { computeSignals, SignalPipeline } from '../src/factors/pipeline';
import { Rng } from '../src/common/random';
import { allocateFloorColumns, floorSignals } from './feature-floor';
import { measure, type BenchRow, type Measurement } from './table';

export const featureBenchBars = 1_000_000;

/** Seeded random walk: 2% daily log-return sd, highs above the close, lognormal-ish volumes. */
export function syntheticBars(count: number, seed = 12345): BarSeries {
  const rng = new Rng(seed);
  const random = () => rng.uniform();
  const open = new Float64Array(count);
  const high = new Float64Array(count);
  const low = new Float64Array(count);
  const close = new Float64Array(count);
  const volume = new Float64Array(count);
  let price = 100;
  let level = 1e6;
  for (let i = 0; i < count; i++) {
    open[i] = price;
    price *= Math.exp(0.04 * (random() + random() + random() - 1.5));
    close[i] = price;
    high[i] = Math.max(open[i], price) * (1 + 0.01 * random());
    low[i] = Math.min(open[i], price) * (1 - 0.01 * random());
    level *= Math.exp(0.2 * (random() - 0.5));
    level = Math.min(Math.max(level, 1e4), 1e8);
    volume[i] = Math.round(level * (0.5 + random()));
  }
  // Dates are not read by the features; one shared string keeps the series cheap to build.
  const dates = new Array<string>(count).fill('2000-01-03');
  return { symbol: 'BENCH', source: 'bench random walk', dates, open, high, low, close, volume };
}

export async function benchFeatures(bars = featureBenchBars): Promise<BenchRow[]> {
  const series = syntheticBars(bars);
  const closes = series.close;

  // trading-signals 8 has no separate "Faster" classes any more: SMA is its plain-number
  // streaming simple moving average (update(price, replace) -> number | null).
  const smaRun = () => {
    const sma = new SMA(50);
    let last: number | null = null;
    for (let i = 0; i < closes.length; i++) last = sma.update(closes[i], false);
    return last;
  };
  const sma = measure(bars, smaRun, 5, 2);

  const rows: BenchRow[] = [];
  const relative = (ns: number) => `${(ns / sma.median).toFixed(2)}x SMA`;
  const add = (name: string, result: Measurement, note?: string) =>
    rows.push({ name, nsPerUnit: result.median, cpuNsPerUnit: result.cpu, unit: 'bar', minNs: result.min, maxNs: result.max, relative: relative(result.median), note });

  const features: [string, () => StreamingFeature][] = [
    ['roc(20)', () => new RateOfChange(20)],
    ['price_vs_ma(50)', () => new PriceVsMovingAverage(50)],
    ['price_vs_high(20)', () => new PriceVsHigh(20)],
    ['volume_zscore(20)', () => new VolumeZScore(20)],
    ['volatility(20)', () => new Volatility(20)],
  ];
  let sum = 0;
  let sumCpu = 0;
  for (const [name, make] of features) {
    const feature = make();
    const result = measure(bars, () => runFeature(feature, series));
    sum += result.median;
    sumCpu += result.cpu;
    add(`${name} alone (runFeature)`, result);
  }
  rows.push({ name: 'sum of the five alone', nsPerUnit: sum, cpuNsPerUnit: sumCpu, unit: 'bar', relative: relative(sum) });
  add('5 features (computeFeatures)', measure(bars, () => computeFeatures(series)));
  const columns = computeFeatures(series);
  add('factors only (computeFactors)', measure(bars, () => computeFactors(defaultFactorModel, columns)), '3 output columns');
  add('5 features + factors (computeSignals)', measure(bars, () => computeSignals(series)), 'target <= 50 ns/bar; 8 output columns');
  // The same computation into columns allocated once: what is left is the arithmetic, without the
  // page faults of 8 fresh 8 MB columns and the garbage collections their external memory triggers.
  const reusedFeatures = allocateFeatureColumns(bars);
  const reusedFactors = planFactorFill(defaultFactorModel, reusedFeatures, bars);
  add(
    '5 features + factors into reused columns (kernel alone)',
    measure(bars, () => foldFeatures(series, defaultFeaturePeriods, reusedFeatures, (from, to) => fillFactorRows(reusedFactors, from, to))),
    'computeSignals minus allocation and GC',
  );
  const streamed = Math.min(bars, 200_000);
  const pipelineRun = () => {
    const pipeline = new SignalPipeline();
    let last: unknown;
    for (let i = 0; i < streamed; i++) last = pipeline.update({ high: series.high[i], close: closes[i], volume: series.volume[i] });
    return last;
  };
  add('5 features + factors streaming (SignalPipeline.update)', measure(streamed, pipelineRun, 5, 2), `first ${streamed.toLocaleString('en-US')} bars`);
  add('trading-signals SMA(50).update (yardstick)', sma, 'streaming, plain numbers');

  // Machine calibration: what one fresh output column costs (allocation + first touch of 8 bytes
  // a bar), and a trivial loop over a column that is reused.
  add('calibration: new Float64Array(n) + fill', measure(bars, () => new Float64Array(bars).fill(1)), 'per output column');
  add('calibration: eight such columns per call', measure(bars, () => allocateFloorColumns(bars).map((column) => column.fill(1))), 'what fresh output costs, before any arithmetic');
  // The floor under computeSignals on this machine: the same outputs with the least arithmetic
  // and none of the accuracy guards (bench/feature-floor.ts; its values are not usable).
  add('calibration: floor, 5 features + factors without accuracy guards', measure(bars, () => floorSignals(series)), '8 fresh columns, as computeSignals');
  const floorColumns = allocateFloorColumns(bars);
  add('calibration: the same floor into reused columns', measure(bars, () => floorSignals(series, floorColumns)), 'as the kernel alone');
  const reused = new Float64Array(bars);
  add('calibration: out[i] = 0.5 * close[i] (reused out)', measure(bars, () => {
    for (let i = 0; i < bars; i++) reused[i] = 0.5 * closes[i];
    return reused;
  }));
  return rows;
}
