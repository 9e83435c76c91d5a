import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { ConfigError } from '../errors';
import { instantiateStrategy } from '../strategies/definition';
import { loadStrategy, shippedStrategies } from '../strategies/registry';
import type { Strategy } from '../strategies/strategy';

/** Where a checked strategy comes from, and how to get a fresh one for each run. */
export interface StrategySource {
  /** A shipped name, a module path, or "object" / "factory" for one given in code. */
  readonly label: string;
  /** Absolute module path when loaded from a file. */
  readonly modulePath: string | null;
  create(): Strategy;
}

export type StrategySpec = string | Strategy | (() => Strategy);

/** The folder holding this package's package.json: its own modules are never reloaded. */
function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * Loads a strategy module afresh on every call. Before each load it drops from `require.cache`
 * the module itself and every module that loading it brought in (outside node_modules and
 * outside this library), so nothing a module keeps at module level (a cache of bars, a file it
 * read, a config captured from the environment at load time) survives from one run to the next.
 */
function freshModuleLoader(modulePath: string): () => Strategy {
  const root = packageRoot();
  const library = [join(root, 'src') + sep, join(root, 'dist') + sep];
  const moduleDir = dirname(modulePath) + sep;
  const reloadable = (key: string) => key === modulePath || key.startsWith(moduleDir)
    || (!key.includes(`${sep}node_modules${sep}`) && !library.some((dir) => key.startsWith(dir)));
  let owned: string[] = [];
  return () => {
    for (const key of owned) delete require.cache[key];
    // Also when someone else (a test, a notebook) loaded it before the first run.
    delete require.cache[modulePath];
    const before = new Set(Object.keys(require.cache));
    const strategy = loadStrategy(modulePath);
    owned = Object.keys(require.cache).filter((key) => !before.has(key) && reloadable(key));
    return strategy;
  };
}

function isStrategy(value: unknown): value is Strategy {
  return typeof value === 'object' && value !== null && typeof (value as Strategy).decide === 'function';
}

/**
 * A strategy by shipped name or module path (as `--strategy` takes it), a Strategy object (one
 * object serves every run: give a factory if it keeps state between calls), or a factory.
 */
export function strategySource(spec: StrategySpec): StrategySource {
  if (typeof spec === 'string') {
    const shipped = shippedStrategies[spec];
    if (shipped !== undefined) return { label: spec, modulePath: null, create: () => instantiateStrategy(shipped) };
    const looksLikePath = /[\\/]/.test(spec) || /\.(ts|js|cjs|mjs)$/.test(spec);
    if (!looksLikePath) {
      throw new ConfigError(`unknown strategy "${spec}" (shipped: ${Object.keys(shippedStrategies).join(', ')}; or give a module path such as ./my-strategy.ts)`);
    }
    const modulePath = resolve(spec);
    if (!existsSync(modulePath)) throw new ConfigError(`strategy module not found: ${modulePath} (give the file name with its extension, e.g. ./my-strategy.ts)`);
    return { label: spec, modulePath, create: freshModuleLoader(modulePath) };
  }
  if (isStrategy(spec)) return { label: 'object', modulePath: null, create: () => spec };
  if (typeof spec === 'function') {
    return {
      label: 'factory',
      modulePath: null,
      create: () => {
        const strategy = spec();
        if (!isStrategy(strategy)) throw new ConfigError('the strategy factory must return a Strategy ({ name, decide(state) })');
        return strategy;
      },
    };
  }
  throw new ConfigError('strategy must be a shipped name, a module path, a Strategy or a function returning one');
}
