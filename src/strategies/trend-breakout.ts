import { defaultFactorModel, type FactorModel } from '../factors/factor-model';
import { defaultFeaturePeriods, featureNames, maximumPeriod, minimumPeriod, resolveFeaturePeriods, type FeaturePeriods } from '../features/feature-set';
import { defineStrategy } from './definition';
import type { ParameterSpec } from './parameters';
import type { Intent, MarketState, Strategy } from './strategy';

export interface TrendBreakoutOptions {
  /** Stop distance in units of entry-signal volatility times entry price (spec: 2). */
  readonly stopVolatilities?: number;
  /** Feature periods (spec: 20, 50, 20, 20, 20); the features are computed with them. */
  readonly featurePeriods?: Partial<FeaturePeriods>;
  /** Score weights of the two factors (spec: 0.5 each). */
  readonly momentumWeight?: number;
  readonly breakoutWeight?: number;
}

const featureHelp: Record<(typeof featureNames)[number], string> = {
  roc: 'rate-of-change look-back, bars',
  price_vs_ma: 'moving-average length, bars',
  price_vs_high: 'prior-high look-back, bars',
  volume_zscore: 'volume z-score window, bars',
  volatility: 'volatility window (log returns), bars',
};

/** Score weights are free in sign; beyond +-10 a weight is a typo, not a setting. */
const weightLimit = 10;

/** TrendBreakout's parameters: the names `--param` and sweep grids take. */
export const trendBreakoutParameters: readonly ParameterSpec[] = [
  ...featureNames.map((name): ParameterSpec => ({
    kind: 'integer', name, min: minimumPeriod[name], max: maximumPeriod, default: defaultFeaturePeriods[name], help: featureHelp[name],
  })),
  { kind: 'number', name: 'stop', min: 0, max: 100, default: 2, help: 'stop distance in entry volatilities times entry price' },
  { kind: 'number', name: 'momentum', min: -weightLimit, max: weightLimit, default: 0.5, help: 'score weight of the momentum factor' },
  { kind: 'number', name: 'breakout', min: -weightLimit, max: weightLimit, default: 0.5, help: 'score weight of the breakout factor' },
];

/** The factor model for given score weights; the spec's own object when they are the spec's. */
function scoreModel(momentum: number, breakout: number): FactorModel {
  const spec = defaultFactorModel.score;
  if (momentum === spec.momentum && breakout === spec.breakout) return defaultFactorModel;
  return { factors: defaultFactorModel.factors, score: { momentum, breakout } };
}

/** Four significant digits for reason texts; toPrecision is slow enough to show in large backtests. */
function format(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const exponent = 3 - Math.floor(Math.log10(Math.abs(value)));
  // Divide by or multiply with an exact power of ten, never by an inexact 10^-k.
  return exponent >= 0
    ? String(Math.round(value * 10 ** exponent) / 10 ** exponent)
    : String(Math.round(value / 10 ** -exponent) * 10 ** -exponent);
}

/**
 * The spec's TrendBreakout (shared/trend-breakout-spec.md), long only, decided at the close:
 * - flat, score > 0 and price_vs_high > 0: enter;
 * - long, and score < 0 or close < stop: exit, where
 *   stop = entry_price - k * volatility_at_entry_signal * entry_price (k = 2), fixed at entry.
 * A bar is tradable only when every feature is ready.
 */
export function trendBreakout(options: TrendBreakoutOptions = {}): Strategy {
  const stopVolatilities = options.stopVolatilities ?? 2;
  if (!Number.isFinite(stopVolatilities) || stopVolatilities < 0) {
    throw new RangeError(`trend-breakout: stopVolatilities must be a finite number >= 0, got ${stopVolatilities}`);
  }
  const featurePeriods = resolveFeaturePeriods(options.featurePeriods, 'trend-breakout');
  const factorModel = scoreModel(options.momentumWeight ?? defaultFactorModel.score.momentum, options.breakoutWeight ?? defaultFactorModel.score.breakout);
  return {
    name: 'trend-breakout',
    description: 'Long on a positive score above the prior N-day high; exit on a negative score or a volatility stop.',
    featurePeriods,
    factorModel,
    // Built in code or from --param, the same values are recorded: a journal compares them.
    parameters: Object.freeze({ ...featurePeriods, stop: stopVolatilities, momentum: factorModel.score.momentum, breakout: factorModel.score.breakout }),
    decide(state: MarketState): Intent[] {
      const intents: Intent[] = [];
      for (const view of state.symbols) {
        // A bar is tradable only when every feature is ready (spec). The features are read only
        // when needed: views build them on first access.
        if (!view.featuresReady) continue;
        const score = view.factorValue('score');
        if (score === null) continue;
        const position = view.position;
        if (position === null) {
          if (view.hasPendingOrder || !(score > 0)) continue;
          const priceVsHigh = view.featureValue('price_vs_high');
          const volatility = view.featureValue('volatility');
          if (priceVsHigh !== null && volatility !== null && priceVsHigh > 0) {
            intents.push({
              kind: 'enter',
              symbol: view.symbol,
              reason: `score ${format(score)} > 0 and close ${format(priceVsHigh * 100)}% above the prior high`,
              factors: view.factors,
              memo: { volatility },
            });
          }
          continue;
        }
        const stop = position.entryPrice - stopVolatilities * position.memo.volatility * position.entryPrice;
        if (score < 0) {
          intents.push({ kind: 'exit', symbol: view.symbol, exitReason: 'score', reason: `score ${format(score)} < 0`, factors: view.factors });
        } else if (view.bar.close < stop) {
          intents.push({
            kind: 'exit',
            symbol: view.symbol,
            exitReason: 'stop',
            reason: `close ${format(view.bar.close)} < stop ${format(stop)}`,
            factors: view.factors,
          });
        }
      }
      return intents;
    },
  };
}

/** TrendBreakout with its parameters declared: what `--strategy trend-breakout --param ...` builds. */
export const trendBreakoutDefinition = defineStrategy({
  name: 'trend-breakout',
  description: 'Long on a positive score above the prior N-day high; exit on a negative score or a volatility stop.',
  parameters: trendBreakoutParameters,
  create: (values) => trendBreakout({
    stopVolatilities: values.stop as number,
    featurePeriods: Object.fromEntries(featureNames.map((name) => [name, values[name] as number])),
    momentumWeight: values.momentum as number,
    breakoutWeight: values.breakout as number,
  }),
});
