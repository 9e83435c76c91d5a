import { ConfigError } from '../errors';
import { defaultFactorModel, type FactorModel } from '../factors/factor-model';
import { defaultFeaturePeriods, type FeaturePeriods } from '../features/feature-set';
import { resolveParameters, validateParameterSpecs, type ParameterSpec, type ParameterValues } from './parameters';
import type { Strategy } from './strategy';

/**
 * A strategy with declared parameters: what `--strategy NAME` and a user module's default
 * export name. `create` gets every parameter resolved (given or default) and returns the
 * strategy for those values; the definition never runs anything itself.
 */
export interface StrategyDefinition {
  readonly name: string;
  readonly description?: string;
  readonly parameters: readonly ParameterSpec[];
  create(values: ParameterValues): Strategy;
}

/** Checks the declarations once, when the module is loaded, so a mistake names the module. */
export function defineStrategy(definition: StrategyDefinition): StrategyDefinition {
  if (typeof definition !== 'object' || definition === null || typeof definition.name !== 'string' || typeof definition.create !== 'function') {
    throw new ConfigError('defineStrategy: give { name, parameters, create(values) }');
  }
  const parameters = validateParameterSpecs(definition.parameters, `strategy "${definition.name}"`);
  return Object.freeze({ ...definition, parameters: Object.freeze([...parameters]) });
}

export function isStrategyDefinition(value: unknown): value is StrategyDefinition {
  return typeof value === 'object' && value !== null
    && typeof (value as StrategyDefinition).name === 'string'
    && Array.isArray((value as StrategyDefinition).parameters)
    && typeof (value as StrategyDefinition).create === 'function';
}

/** A strategy without parameters, as a definition: every strategy is then loaded one way. */
export function fixedDefinition(strategy: Strategy | (() => Strategy), name?: string): StrategyDefinition {
  const create = typeof strategy === 'function' ? strategy : () => strategy;
  return { name: name ?? (typeof strategy === 'function' ? 'factory' : strategy.name), parameters: [], create: () => create() };
}

/**
 * The strategy for the given values (checked against the declarations, defaults filled in),
 * carrying the resolved values so every output can record exactly what ran.
 */
export function instantiateStrategy(
  definition: StrategyDefinition,
  given: Readonly<Record<string, unknown>> = {},
  where = `strategy "${definition.name}"`,
): Strategy {
  const values = resolveParameters(definition.parameters, given, where);
  const strategy = definition.create(values);
  if (typeof strategy !== 'object' || strategy === null || typeof strategy.decide !== 'function' || typeof strategy.name !== 'string') {
    throw new ConfigError(`${where}: create() must return a Strategy ({ name, decide(state) })`);
  }
  if (strategy.parameters !== undefined) return strategy;
  // A wrapper, not a copy: a strategy written as a class keeps its methods and its `this`.
  return Object.create(strategy, { parameters: { value: values, enumerable: true } }) as Strategy;
}

/**
 * The feature periods and factor model a run computes: what the run sets explicitly, else what
 * the strategy was built for, else the spec's defaults. One rule for backtest, runner and lookahead.
 */
export function signalSettings(
  strategy: Strategy,
  run: { readonly featurePeriods?: FeaturePeriods; readonly factorModel?: FactorModel } = {},
): { readonly featurePeriods: FeaturePeriods; readonly factorModel: FactorModel } {
  return {
    featurePeriods: run.featurePeriods ?? strategy.featurePeriods ?? defaultFeaturePeriods,
    factorModel: run.factorModel ?? strategy.factorModel ?? defaultFactorModel,
  };
}
