import { resolve } from 'node:path';
import { ConfigError } from '../errors';
import { fixedDefinition, instantiateStrategy, isStrategyDefinition, type StrategyDefinition } from './definition';
import { validateParameterSpecs } from './parameters';
import type { Strategy } from './strategy';
import { trendBreakoutDefinition } from './trend-breakout';

/** Strategies the project ships, by the name `--strategy` takes. */
export const shippedStrategies: Readonly<Record<string, StrategyDefinition>> = Object.freeze({
  'trend-breakout': trendBreakoutDefinition,
});

function isStrategy(value: unknown): value is Strategy {
  return typeof value === 'object' && value !== null
    && typeof (value as Strategy).name === 'string'
    && typeof (value as Strategy).decide === 'function';
}

let typeScriptRegistered = false;

/** True when `--strategy` names a module file rather than a shipped strategy. */
export function looksLikeModulePath(nameOrPath: string): boolean {
  return /[\\/]/.test(nameOrPath) || /\.(ts|js|cjs|mjs)$/.test(nameOrPath);
}

function requireModule(file: string): unknown {
  if (file.endsWith('.ts') && !typeScriptRegistered) {
    // A user's strategy is TypeScript more often than not: compile it on load, types unchecked for speed.
    require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
    typeScriptRegistered = true;
  }
  try {
    return require(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND' && (error as Error).message.includes(file)) {
      throw new ConfigError(`strategy module not found: ${file}`);
    }
    throw new ConfigError(`strategy module ${file} failed to load: ${(error as Error).message}`);
  }
}

/**
 * A strategy's definition by registry name, or from a module path (`./my-strategy.ts` or `.js`)
 * whose default export is a `StrategyDefinition` (see `defineStrategy`: parameters declared),
 * a Strategy, or a function returning one (both without parameters).
 */
export function loadStrategyDefinition(nameOrPath: string): StrategyDefinition {
  const shipped = shippedStrategies[nameOrPath];
  if (shipped !== undefined) return shipped;
  if (!looksLikeModulePath(nameOrPath)) {
    throw new ConfigError(`unknown strategy "${nameOrPath}" (shipped: ${Object.keys(shippedStrategies).join(', ')}; or give a module path such as ./my-strategy.ts)`);
  }
  const file = resolve(nameOrPath);
  const loaded = requireModule(file);
  const exported = (loaded as { default?: unknown }).default ?? loaded;
  if (isStrategyDefinition(exported)) {
    // A plain object (not made by defineStrategy) gets the same checks, so a bad declaration names the module.
    validateParameterSpecs(exported.parameters, `strategy module ${file}`);
    return exported;
  }
  if (isStrategy(exported)) return fixedDefinition(exported);
  if (typeof exported === 'function') {
    return fixedDefinition(() => {
      const strategy = (exported as () => unknown)();
      if (!isStrategy(strategy)) {
        throw new ConfigError(`strategy module ${file}: its default export must return a Strategy ({ name, decide(state) })`);
      }
      return strategy;
    }, file);
  }
  throw new ConfigError(`strategy module ${file} must default-export a strategy definition (defineStrategy), a Strategy ({ name, decide(state) }) or a function returning one`);
}

/** The strategy by name or module path, with its parameters set (unknown names and bad values are errors). */
export function loadStrategy(nameOrPath: string, parameters: Readonly<Record<string, unknown>> = {}): Strategy {
  const definition = loadStrategyDefinition(nameOrPath);
  return instantiateStrategy(definition, parameters, `--strategy ${nameOrPath}`);
}
