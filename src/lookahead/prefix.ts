import { barPrefix, type BarSeries } from '../data/bars';
import type { FactorModel } from '../factors/factor-model';
import { computeSignals, type SignalColumns } from '../factors/pipeline';
import { featureNames, featureWarmUp, type FeaturePeriods } from '../features/feature-set';
import type { Strategy } from '../strategies/strategy';
import { exhaustivePrefixLength, prefixCutIndices } from './cuts';
import { seededRandom } from './random';
import { checkResult, type LookaheadCheckResult, type LookaheadFinding } from './report';

export interface PrefixCheckOptions {
  readonly cuts: number;
  readonly seed: number;
  readonly featurePeriods: FeaturePeriods;
  readonly factorModel: FactorModel;
}

interface Columns {
  readonly named: ReadonlyMap<string, ArrayLike<number>>;
  /** Set when the strategy's `indicators` threw or returned something the engine would refuse. */
  readonly problem: string | null;
}

/** Every column the strategy sees, by the name the report uses: features, factors, then its own indicators. */
function columnsOf(series: BarSeries, strategy: Strategy, options: PrefixCheckOptions): Columns {
  const signals: SignalColumns = computeSignals(series, options.featurePeriods, options.factorModel);
  const named = new Map<string, ArrayLike<number>>();
  for (const name of featureNames) named.set(`feature "${name}"`, signals.features[name]);
  for (const [name, column] of Object.entries(signals.factors)) named.set(`factor "${name}"`, column);
  if (strategy.indicators === undefined) return { named, problem: null };
  let indicators: Record<string, Float64Array>;
  try {
    indicators = strategy.indicators(series);
  } catch (error) {
    return { named, problem: `indicators() threw: ${(error as Error).message}` };
  }
  for (const [name, column] of Object.entries(indicators)) {
    if (!(column instanceof Float64Array) || column.length !== series.dates.length) {
      return { named, problem: `indicator "${name}" is not a Float64Array of ${series.dates.length} values` };
    }
    named.set(`indicator "${name}"`, column);
  }
  return { named, problem: null };
}

const explanation = 'its value at t changes when bars after t exist, so it reads later bars';

/** The first column whose value at `t` differs between the prefix and the whole series, or null. */
function compareAt(series: BarSeries, t: number, whole: Columns, prefix: Columns): LookaheadFinding | null {
  const date = series.dates[t];
  if (prefix.problem !== null) {
    return {
      symbol: series.symbol,
      date,
      subject: 'indicators()',
      expected: 'columns on bars 0..t',
      actual: prefix.problem,
      explanation: 'a strategy\'s indicators must be computable from bars 0..t alone',
    };
  }
  for (const [name, column] of whole.named) {
    const onPrefix = prefix.named.get(name);
    if (onPrefix === undefined) {
      return { symbol: series.symbol, date, subject: name, expected: 'a column', actual: 'missing on bars 0..t', explanation };
    }
    if (!Object.is(onPrefix[t], column[t])) {
      return { symbol: series.symbol, date, subject: name, expected: onPrefix[t], actual: column[t], explanation };
    }
  }
  for (const name of prefix.named.keys()) {
    if (!whole.named.has(name)) {
      return { symbol: series.symbol, date, subject: name, expected: 'a column', actual: 'missing on the whole series', explanation };
    }
  }
  return null;
}

/**
 * Prefix invariance: every feature, factor and strategy indicator computed on bars 0..t alone
 * (barPrefix) equals, bit for bit (Object.is), its value at t on the whole series. Every bar of
 * a series of at most 300 bars; on longer ones `cuts` seeded stratified bars, the first bar
 * with every feature ready and the last 5. Reports the earliest mismatching date over all
 * symbols (ties: universe order).
 */
export function checkPrefix(bars: readonly BarSeries[], strategy: Strategy, options: PrefixCheckOptions): LookaheadCheckResult {
  const warmUp = featureWarmUp(options.featurePeriods);
  let first: LookaheadFinding | null = null;
  let checkedBars = 0;
  let columnCount = 0;
  let exhaustive = true;
  for (const series of bars) {
    const whole = columnsOf(series, strategy, options);
    columnCount = Math.max(columnCount, whole.named.size);
    if (whole.problem !== null) {
      throw new Error(`${strategy.name}: ${whole.problem} (${series.symbol}, ${series.source})`);
    }
    const length = series.dates.length;
    if (length > exhaustivePrefixLength) exhaustive = false;
    const indices = prefixCutIndices(length, options.cuts, seededRandom(options.seed, `prefix:${series.symbol}`), warmUp);
    for (const t of indices) {
      // Nothing at a later date can be the first finding any more.
      if (first !== null && series.dates[t] >= first.date) break;
      checkedBars++;
      const finding = compareAt(series, t, whole, columnsOf(barPrefix(series, t + 1), strategy, options));
      if (finding !== null) {
        if (first === null || finding.date < first.date) first = finding;
        break;
      }
    }
  }
  const indicatorCount = columnCount - featureNames.length - (Object.keys(options.factorModel.factors).length + 1);
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const coverage = `${plural(columnCount, 'column')} (features, factors, ${plural(indicatorCount, 'indicator')}) at ${plural(checkedBars, 'bar')}`
    + ` of ${plural(bars.length, 'symbol')} (${exhaustive ? 'every bar' : `${options.cuts} sampled cuts, the first ready bar and the last 5 per symbol`}), recomputed on bars 0..t`;
  return checkResult('prefix', checkedBars, coverage, first);
}
