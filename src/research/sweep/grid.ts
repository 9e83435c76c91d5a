import { compileExpression } from 'filtrex';
import { Rng } from '../../common/random';
import { ConfigError } from '../../errors';
import type { ParameterValue, ParameterValues } from '../../strategies/parameters';

/**
 * The points of a parameter search, enumerated lazily: a point is computed from its index in
 * the grid (mixed radix, the last axis fastest), so a sweep over a million points holds one
 * point at a time, never the list. Random search draws grid indices with a seeded generator and
 * keeps only the indices drawn (memory grows with `samples`, not with the grid).
 */
export interface Axis {
  readonly name: string;
  readonly values: readonly ParameterValue[];
}

export type Search =
  | { readonly kind: 'grid' }
  | { readonly kind: 'random'; readonly samples: number; readonly seed: number };

export interface SearchSpace {
  readonly axes: readonly Axis[];
  /** Parameters held at one value for every trial (declared but not swept). */
  readonly fixed: ParameterValues;
  /** filtrex expressions over parameter names; a point is a trial only if every one holds. */
  readonly constraints: readonly string[];
  readonly search: Search;
}

/** A point of the search with the index it has among the accepted points: the trial number. */
export interface SearchPoint {
  readonly trial: number;
  /** Index in the full grid (before constraints), stable across runs: the ledger's key. */
  readonly gridIndex: number;
  readonly parameters: ParameterValues;
}

/** Number of grid points (before constraints). */
export function gridSize(axes: readonly Axis[]): number {
  let size = 1;
  for (const axis of axes) size *= axis.values.length;
  if (!Number.isSafeInteger(size)) throw new ConfigError(`grid: ${axes.map((axis) => axis.values.length).join(' x ')} points is more than a sweep can number`);
  return size;
}

/** The point at `index` of the grid: mixed radix, last axis fastest. */
export function gridPoint(space: Pick<SearchSpace, 'axes' | 'fixed'>, index: number): ParameterValues {
  const values: Record<string, ParameterValue> = { ...space.fixed };
  let rest = index;
  for (let a = space.axes.length - 1; a >= 0; a--) {
    const axis = space.axes[a];
    values[axis.name] = axis.values[rest % axis.values.length];
    rest = Math.floor(rest / axis.values.length);
  }
  return values;
}

type Check = (point: ParameterValues) => boolean;

/** Compiles the constraints once; an unknown name or a syntax error names the constraint. */
export function compileConstraints(constraints: readonly string[], names: readonly string[], where = 'constraints'): Check {
  const checks = constraints.map((text, index) => {
    let compiled: (point: object) => unknown;
    try {
      compiled = compileExpression(text);
    } catch (error) {
      throw new ConfigError(`${where}[${index}] "${text}": ${(error as Error).message.split('\n')[0]}`);
    }
    // filtrex returns (not throws) an error for an unknown name: probe once with every name set.
    const probe = compiled(Object.fromEntries(names.map((name) => [name, 1])));
    if (probe instanceof Error) {
      throw new ConfigError(`${where}[${index}] "${text}": ${probe.message} (parameters: ${names.join(', ')})`);
    }
    return compiled;
  });
  return (point) => checks.every((check) => {
    const value = check(point);
    return value !== 0 && value !== false && !(value instanceof Error);
  });
}

/**
 * Grid indices in search order: all of them in order, or distinct ones drawn with the seed
 * until the caller has enough (it stops pulling) or the grid is exhausted.
 */
function* searchIndices(size: number, search: Search): Generator<number> {
  if (search.kind === 'grid') {
    for (let index = 0; index < size; index++) yield index;
    return;
  }
  const rng = new Rng(search.seed);
  const drawn = new Set<number>();
  // Drawing with rejection is fast until the sample nears the grid; past half, walk the rest in order.
  while (drawn.size < size / 2) {
    const index = Math.floor(rng.uniform() * size);
    if (drawn.has(index)) continue;
    drawn.add(index);
    yield index;
  }
  for (let index = 0; index < size; index++) {
    if (drawn.has(index)) continue;
    drawn.add(index);
    yield index;
  }
}

/**
 * The accepted points in trial order. A constraint that rejects every point is an error, not
 * an empty sweep. Random search counts accepted points toward `samples`.
 */
export function* searchPoints(space: SearchSpace): Generator<SearchPoint> {
  const size = gridSize(space.axes);
  const names = [...Object.keys(space.fixed), ...space.axes.map((axis) => axis.name)];
  const accepts = compileConstraints(space.constraints, names);
  const wanted = space.search.kind === 'random' ? space.search.samples : Number.POSITIVE_INFINITY;
  let trial = 0;
  // Random search samples among accepted points: draw with the seed, skip rejected ones, until enough.
  for (const gridIndex of searchIndices(size, space.search)) {
    if (trial >= wanted) return;
    const parameters = gridPoint(space, gridIndex);
    if (!accepts(parameters)) continue;
    yield { trial, gridIndex, parameters };
    trial++;
  }
  if (trial === 0) throw new ConfigError(`grid: the constraints (${space.constraints.join('; ')}) reject every one of the ${size} points`);
}

/** Counts the accepted points without holding them (for progress bars and the plan line). */
export function countPoints(space: SearchSpace): number {
  // Without constraints every grid point is a trial: the count is arithmetic, even for a grid
  // too large to walk.
  if (space.constraints.length === 0) {
    const size = gridSize(space.axes);
    return space.search.kind === 'random' ? Math.min(space.search.samples, size) : size;
  }
  let count = 0;
  for (const point of searchPoints(space)) count = point.trial + 1;
  return count;
}
