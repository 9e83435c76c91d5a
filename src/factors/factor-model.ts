import { ConfigError } from '../errors';
import { batchChunk } from '../features/feature';
import { featureNames, formatConfigValue, type FeatureColumns, type FeatureName, type FeatureValues } from '../features/feature-set';
import { fillFactorRows, planFactorFill, scoreWeight } from './factor-rows';
import type { FactorColumns, FactorModel, FactorTerm, FactorValues } from './factor-types';

export type { FactorColumns, FactorModel, FactorTerm, FactorValues } from './factor-types';

/** The spec's factors and weights. */
export const defaultFactorModel: FactorModel = Object.freeze({
  factors: Object.freeze({
    momentum: Object.freeze([
      { feature: 'roc', weight: 0.5 },
      { feature: 'price_vs_ma', weight: 0.5 },
    ] as FactorTerm[]),
    breakout: Object.freeze([
      { feature: 'price_vs_high', weight: 1.0 },
      { feature: 'volume_zscore', weight: 0.01, clamp: [-3, 3] },
    ] as FactorTerm[]),
  }),
  score: Object.freeze({ momentum: 0.5, breakout: 0.5 }),
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a factor model from a config file or options; errors name the key and value. */
export function validateFactorModel(input: unknown, where = 'factor model'): FactorModel {
  if (!isRecord(input)) throw new ConfigError(`${where}: must be an object with "factors" and "score"`);
  for (const key of Object.keys(input)) {
    if (key !== 'factors' && key !== 'score') throw new ConfigError(`${where}: unknown key "${key}"`);
  }
  const { factors, score } = input;
  if (!isRecord(factors) || Object.keys(factors).length === 0) {
    throw new ConfigError(`${where}: "factors" must map factor names to lists of terms`);
  }
  const checkedFactors: Record<string, FactorTerm[]> = {};
  for (const [factorName, terms] of Object.entries(factors)) {
    if (factorName === 'score') throw new ConfigError(`${where}: "score" is reserved for the composite`);
    if (!Array.isArray(terms) || terms.length === 0) {
      throw new ConfigError(`${where}: factors.${factorName} must be a non-empty list of terms`);
    }
    checkedFactors[factorName] = terms.map((term: unknown, index) => {
      const at = `${where}: factors.${factorName}[${index}]`;
      if (!isRecord(term)) throw new ConfigError(`${at} must be {feature, weight, clamp?}`);
      for (const key of Object.keys(term)) {
        if (!['feature', 'weight', 'clamp'].includes(key)) throw new ConfigError(`${at}: unknown key "${key}"`);
      }
      if (!(featureNames as readonly unknown[]).includes(term.feature)) {
        throw new ConfigError(`${at}: unknown feature ${formatConfigValue(term.feature)} (known: ${featureNames.join(', ')})`);
      }
      if (typeof term.weight !== 'number' || !Number.isFinite(term.weight)) {
        throw new ConfigError(`${at}: weight must be a finite number, got ${formatConfigValue(term.weight)}`);
      }
      const clamp = term.clamp;
      if (clamp !== undefined) {
        if (!Array.isArray(clamp) || clamp.length !== 2 || !clamp.every((bound) => typeof bound === 'number' && !Number.isNaN(bound)) || clamp[0] > clamp[1]) {
          throw new ConfigError(`${at}: clamp must be [low, high] with low <= high, got ${formatConfigValue(clamp)}`);
        }
        return { feature: term.feature as FeatureName, weight: term.weight, clamp: [clamp[0], clamp[1]] as const };
      }
      return { feature: term.feature as FeatureName, weight: term.weight };
    });
  }
  if (!isRecord(score)) throw new ConfigError(`${where}: "score" must map factor names to weights`);
  const checkedScore: Record<string, number> = {};
  for (const [factorName, weight] of Object.entries(score)) {
    if (!Object.hasOwn(checkedFactors, factorName)) {
      throw new ConfigError(`${where}: score weight for unknown factor "${factorName}" (known: ${Object.keys(checkedFactors).join(', ')})`);
    }
    if (typeof weight !== 'number' || !Number.isFinite(weight)) {
      throw new ConfigError(`${where}: score.${factorName} must be a finite number, got ${formatConfigValue(weight)}`);
    }
    checkedScore[factorName] = weight;
  }
  // A forgotten weight would silently drop a factor from the score: ask for an explicit 0.
  for (const factorName of Object.keys(checkedFactors)) {
    if (!Object.hasOwn(checkedScore, factorName)) {
      throw new ConfigError(`${where}: score has no weight for factor "${factorName}" (write ${factorName}: 0 to leave it out of the score)`);
    }
  }
  return { factors: checkedFactors, score: checkedScore };
}

/** The same model without one factor (its score weight set to 0): the leave-one-factor-out run. */
export function dropFactor(model: FactorModel, factorName: string): FactorModel {
  if (!Object.hasOwn(model.factors, factorName)) {
    throw new ConfigError(`--drop-factor: unknown factor "${factorName}" (known: ${Object.keys(model.factors).join(', ')})`);
  }
  return { factors: model.factors, score: { ...model.score, [factorName]: 0 } };
}

function termValue(term: FactorTerm, value: number): number {
  if (term.clamp === undefined) return term.weight * value;
  const [low, high] = term.clamp;
  return term.weight * (value < low ? low : value > high ? high : value);
}

/** Factor values and score at one bar from the features at that bar (streaming). */
export function evaluateFactors(model: FactorModel, features: FeatureValues): FactorValues {
  const out: FactorValues = {};
  let score: number | null = 0;
  for (const [factorName, terms] of Object.entries(model.factors)) {
    let sum: number | null = 0;
    for (const term of terms) {
      const value = features[term.feature];
      if (value === null) {
        sum = null;
        break;
      }
      sum += termValue(term, value);
    }
    out[factorName] = sum;
    const weight = scoreWeight(model, factorName);
    if (score !== null) score = sum === null ? null : score + weight * sum;
  }
  out.score = score;
  return out;
}

/** Factor columns and score over a series (batch: NaN while not ready), bit-identical to `evaluateFactors`. */
export function computeFactors(model: FactorModel, features: FeatureColumns): FactorColumns {
  const count = features.roc.length;
  const fill = planFactorFill(model, features, count);
  for (let from = 0; from < count; from += batchChunk) fillFactorRows(fill, from, Math.min(count, from + batchChunk));
  return fill.out;
}
