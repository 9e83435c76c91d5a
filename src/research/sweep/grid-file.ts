import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ConfigError } from '../../errors';
import type { StrategyDefinition } from '../../strategies/definition';
import { parseParameterValue, type ParameterSpec, type ParameterValue } from '../../strategies/parameters';
import { gridSize, type Axis, type Search, type SearchSpace } from './grid';

/**
 * A sweep's grid file (YAML). Every key but `parameters` is optional:
 *
 *   strategy: trend-breakout          # shipped name or module path (relative to this file)
 *   parameters:                       # each: a list, a range, or one value (held fixed)
 *     roc: [10, 20, 30]
 *     price_vs_ma: { from: 20, to: 100, step: 20 }
 *     stop: 2
 *   search: grid                      # grid (default) | random
 *   samples: 200                      # random: how many accepted points
 *   seed: 1                           # random: the generator's seed (default 1)
 *   constraints: [ "roc < price_vs_ma" ]
 *   objective: sharpe                 # what "best" means (see objectives)
 *   universe: ../data/universe.yaml   # a universe file, or symbols with `data`
 *   data: ../data/sample
 *   from: 2012-01-03
 *   to: 2020-12-31
 *   options: { cash: 100000, sizing: equal, commission: 0.005 }   # the CLI's run options
 *
 * Parameters not named keep their defaults. Errors name the file, the line and the value.
 */
export interface GridFile {
  readonly path: string;
  /** Strategy name or absolute module path. */
  readonly strategy: string;
  /** Raw parameter entries, checked against the strategy by `searchSpace`. */
  readonly parameters: Readonly<Record<string, RawAxis>>;
  readonly search: Search;
  readonly constraints: readonly string[];
  readonly objective: Objective;
  readonly universe?: string;
  readonly data?: string;
  readonly from?: string;
  readonly to?: string;
  /** Run options by their CLI names (`cash`, `sizing`, ...), as text; the CLI parses them. */
  readonly options: Readonly<Record<string, string>>;
  /** `file:line` of a key, for errors raised later (e.g. by the option parser). */
  where(key: string): string;
}

export type RawAxis =
  | { readonly kind: 'list'; readonly values: readonly unknown[]; readonly line: number }
  | { readonly kind: 'range'; readonly from: number; readonly to: number; readonly step: number; readonly line: number }
  | { readonly kind: 'value'; readonly value: unknown; readonly line: number };

/** Objectives a sweep ranks trials by (higher is better; drawdown is ranked by its negative). */
export const objectives = ['sharpe', 'sortino', 'cagr', 'total_return', 'calmar', 'max_drawdown'] as const;
export type Objective = (typeof objectives)[number];

const topLevelKeys = ['strategy', 'parameters', 'search', 'samples', 'seed', 'constraints', 'objective', 'universe', 'data', 'from', 'to', 'options'];
/** A range longer than this is a typo (a step of 0.0001 over 0..100), not a grid axis. */
const maximumAxisLength = 100_000;

function plain(node: unknown): unknown {
  return isScalar(node) ? node.value : (node as { toJSON?: () => unknown })?.toJSON?.() ?? node;
}

/** Reads and checks a grid file's shape; parameter values are checked against the strategy later. */
export function readGridFile(path: string): GridFile {
  const file = resolve(path);
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new ConfigError(`grid file ${file}: not a regular file`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`grid file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const lineOf = (node: unknown): number => {
    const range = (node as Node | undefined)?.range;
    return range === undefined || range === null ? 1 : lines.linePos(range[0]).line;
  };
  const at = (node: unknown) => `${file}:${lineOf(node)}`;
  if (document.errors.length > 0) {
    const first = document.errors[0];
    throw new ConfigError(`${file}:${first.linePos?.[0].line ?? 1}: ${first.message.split('\n')[0]}`);
  }
  try {
    // A hundred aliases are plenty for a grid; more is a "billion laughs" file.
    document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new ConfigError(`${file}: ${(error as Error).message}`);
  }
  const root = document.contents;
  if (!isMap(root)) throw new ConfigError(`${file}: a grid file is a mapping with at least "parameters"`);
  const nodes = new Map<string, { key: unknown; value: unknown }>();
  for (const pair of root.items) {
    const key = String(plain(pair.key));
    if (!topLevelKeys.includes(key)) throw new ConfigError(`${at(pair.key)}: unknown key "${key}" (known: ${topLevelKeys.join(', ')})`);
    nodes.set(key, { key: pair.key, value: pair.value });
  }
  const where = (key: string) => at(nodes.get(key)?.value ?? nodes.get(key)?.key ?? root);
  const text_ = (key: string): string | undefined => {
    const node = nodes.get(key)?.value;
    if (node === undefined) return undefined;
    const value = plain(node);
    if (typeof value !== 'string' && typeof value !== 'number') throw new ConfigError(`${where(key)}: "${key}" must be text, got ${JSON.stringify(value)}`);
    return String(value);
  };
  const integer = (key: string, fallback: number, min: number): number => {
    const node = nodes.get(key)?.value;
    if (node === undefined) return fallback;
    const value = plain(node);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      throw new ConfigError(`${where(key)}: "${key}" must be an integer >= ${min}, got ${JSON.stringify(value)}`);
    }
    return value;
  };

  const parametersNode = nodes.get('parameters')?.value;
  if (!isMap(parametersNode) || parametersNode.items.length === 0) {
    throw new ConfigError(`${where('parameters')}: "parameters" must map parameter names to a list, a range {from, to, step} or one value`);
  }
  const parameters: Record<string, RawAxis> = {};
  for (const pair of parametersNode.items) {
    const name = String(plain(pair.key));
    const node = pair.value;
    const line = lineOf(node ?? pair.key);
    if (isSeq(node)) {
      const values = node.items.map(plain);
      if (values.length === 0) throw new ConfigError(`${file}:${line}: parameter "${name}": an empty list`);
      parameters[name] = { kind: 'list', values, line };
    } else if (isMap(node)) {
      const range = plain(node) as Record<string, unknown>;
      const keys = Object.keys(range).sort().join(',');
      if (keys !== 'from,step,to') throw new ConfigError(`${file}:${line}: parameter "${name}": a range is { from, to, step }, got ${JSON.stringify(range)}`);
      const { from, to, step } = range as { from: unknown; to: unknown; step: unknown };
      if (![from, to, step].every((v) => typeof v === 'number' && Number.isFinite(v)) || !((step as number) > 0) || (from as number) > (to as number)) {
        throw new ConfigError(`${file}:${line}: parameter "${name}": a range needs finite numbers with from <= to and step > 0, got ${JSON.stringify(range)}`);
      }
      if (((to as number) - (from as number)) / (step as number) >= maximumAxisLength) {
        throw new ConfigError(`${file}:${line}: parameter "${name}": the range has more than ${maximumAxisLength} values`);
      }
      parameters[name] = { kind: 'range', from: from as number, to: to as number, step: step as number, line };
    } else {
      parameters[name] = { kind: 'value', value: plain(node), line };
    }
  }

  const searchKind = text_('search') ?? 'grid';
  if (searchKind !== 'grid' && searchKind !== 'random') throw new ConfigError(`${where('search')}: "search" must be grid or random, got "${searchKind}"`);
  if (searchKind === 'grid' && (nodes.has('samples') || nodes.has('seed'))) {
    throw new ConfigError(`${where(nodes.has('samples') ? 'samples' : 'seed')}: "samples" and "seed" are for search: random`);
  }
  const search: Search = searchKind === 'grid'
    ? { kind: 'grid' }
    : { kind: 'random', samples: integer('samples', Number.NaN, 1), seed: integer('seed', 1, 0) };
  if (search.kind === 'random' && Number.isNaN(search.samples)) throw new ConfigError(`${where('search')}: search: random needs "samples"`);

  const constraintsNode = nodes.get('constraints')?.value;
  const constraintsValue = constraintsNode === undefined ? [] : plain(constraintsNode);
  const constraintList = typeof constraintsValue === 'string' ? [constraintsValue] : constraintsValue;
  if (!Array.isArray(constraintList) || !constraintList.every((c) => typeof c === 'string')) {
    throw new ConfigError(`${where('constraints')}: "constraints" must be a list of expressions such as "roc < price_vs_ma"`);
  }

  const objective = text_('objective') ?? 'sharpe';
  if (!(objectives as readonly string[]).includes(objective)) {
    throw new ConfigError(`${where('objective')}: "objective" must be one of ${objectives.join(', ')}, got "${objective}"`);
  }

  const optionsNode = nodes.get('options')?.value;
  const options: Record<string, string> = {};
  if (optionsNode !== undefined) {
    if (!isMap(optionsNode)) throw new ConfigError(`${where('options')}: "options" must map run option names (cash, sizing, ...) to values`);
    for (const pair of optionsNode.items) {
      const value = plain(pair.value);
      if (typeof value === 'object' && value !== null) throw new ConfigError(`${at(pair.value)}: option "${String(plain(pair.key))}" must be one value`);
      options[String(plain(pair.key))] = String(value);
      nodes.set(`options.${String(plain(pair.key))}`, { key: pair.key, value: pair.value });
    }
  }
  const relative = (value: string | undefined) => (value === undefined ? undefined : resolve(dirname(file), value));
  const strategy = text_('strategy') ?? 'trend-breakout';
  const looksLikePath = /[\\/]/.test(strategy) || /\.(ts|js|cjs|mjs)$/.test(strategy);
  const universe = text_('universe');
  return {
    path: file,
    strategy: looksLikePath ? resolve(dirname(file), strategy) : strategy,
    parameters,
    search,
    constraints: constraintList as string[],
    objective: objective as Objective,
    // A universe given as a symbol list stays a list; a file is relative to the grid file.
    universe: universe === undefined ? undefined : universe.includes(',') || !/[./\\]/.test(universe) ? universe : relative(universe),
    data: relative(text_('data')),
    from: text_('from'),
    to: text_('to'),
    options,
    where,
  };
}

/** Values of a range, computed by index (no accumulated rounding), rounded to 12 significant digits. */
function rangeValues(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let i = 0; ; i++) {
    const value = Number((from + i * step).toPrecision(12));
    if (value > to + Math.abs(step) * 1e-9) break;
    values.push(value);
  }
  return values;
}

/** The grid file's axes checked against the strategy's declarations: each value as `--param` would check it. */
export function searchSpace(grid: GridFile, definition: StrategyDefinition): SearchSpace {
  const specs = new Map<string, ParameterSpec>(definition.parameters.map((spec) => [spec.name, spec]));
  const axes: Axis[] = [];
  const fixed: Record<string, ParameterValue> = {};
  for (const spec of definition.parameters) fixed[spec.name] = spec.default;
  for (const [name, raw] of Object.entries(grid.parameters)) {
    const spec = specs.get(name);
    const where = `${grid.path}:${raw.line}`;
    if (spec === undefined) {
      const known = definition.parameters.map((one) => one.name).join(', ') || 'none';
      throw new ConfigError(`${where}: strategy "${definition.name}" has no parameter "${name}" (known: ${known})`);
    }
    const rawValues = raw.kind === 'list' ? raw.values : raw.kind === 'range' ? rangeValues(raw.from, raw.to, raw.step) : [raw.value];
    const values = rawValues.map((value) => parseParameterValue(spec, value, where));
    if (new Set(values).size !== values.length) throw new ConfigError(`${where}: parameter "${name}" lists a value twice`);
    if (values.length === 1) {
      fixed[name] = values[0];
    } else {
      delete fixed[name];
      axes.push({ name, values });
    }
  }
  const space: SearchSpace = { axes, fixed, constraints: grid.constraints, search: grid.search };
  gridSize(axes);
  return space;
}
