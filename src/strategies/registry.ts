import { resolve } from 'node:path';
import { ConfigError } from '../errors';
import type { Strategy } from './strategy';
import { trendBreakout } from './trend-breakout';

/** Strategies the project ships, by the name `--strategy` takes. */
export const shippedStrategies: Readonly<Record<string, () => Strategy>> = Object.freeze({
  'trend-breakout': () => trendBreakout(),
});

function isStrategy(value: unknown): value is Strategy {
  return typeof value === 'object' && value !== null
    && typeof (value as Strategy).name === 'string'
    && typeof (value as Strategy).decide === 'function';
}

let typeScriptRegistered = false;

/**
 * A strategy by registry name, or from a module path (`./my-strategy.ts` or `.js`) whose
 * default export is a Strategy or a function returning one.
 */
export function loadStrategy(nameOrPath: string): Strategy {
  const shipped = shippedStrategies[nameOrPath];
  if (shipped !== undefined) return shipped();
  const looksLikePath = /[\\/]/.test(nameOrPath) || /\.(ts|js|cjs|mjs)$/.test(nameOrPath);
  if (!looksLikePath) {
    throw new ConfigError(`unknown strategy "${nameOrPath}" (shipped: ${Object.keys(shippedStrategies).join(', ')}; or give a module path such as ./my-strategy.ts)`);
  }
  const file = resolve(nameOrPath);
  if (file.endsWith('.ts') && !typeScriptRegistered) {
    // A user's strategy is TypeScript more often than not: compile it on load, types unchecked for speed.
    require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
    typeScriptRegistered = true;
  }
  let loaded: unknown;
  try {
    loaded = require(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND' && (error as Error).message.includes(file)) {
      throw new ConfigError(`strategy module not found: ${file}`);
    }
    throw new ConfigError(`strategy module ${file} failed to load: ${(error as Error).message}`);
  }
  const exported = (loaded as { default?: unknown }).default ?? loaded;
  const strategy = typeof exported === 'function' && !isStrategy(exported) ? (exported as () => unknown)() : exported;
  if (!isStrategy(strategy)) {
    throw new ConfigError(`strategy module ${file} must default-export a Strategy ({ name, decide(state) }) or a function returning one`);
  }
  return strategy;
}
