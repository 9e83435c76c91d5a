import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BarSeries } from '../data/bars';
import { loadUniverse, loadUniverseBars, universeFromSymbols, type Universe } from '../data/universe';
import { unionCalendar } from '../data/calendar';
import { runBacktest, type BacktestOptions, type BacktestResult } from '../engine/backtest';
import { ConfigError } from '../errors';
import { defaultFactorModel } from '../factors/factor-model';
import { defaultFeaturePeriods } from '../features/feature-set';
import type { Strategy } from '../strategies/strategy';
import { AvailabilityGuard } from './availability';
import { stratifiedSample } from './cuts';
import { checkPerturbedBars, firstChangedDecision } from './decisions';
import { auditFills } from './fill-audit';
import { encodeBarsText, lastIndexOnOrBefore, perturbBarsText, perturbedBars, readBarsText } from './perturb';
import { checkPrefix } from './prefix';
import { seededRandom } from './random';
import { checkResult, type LookaheadFinding, type LookaheadReport } from './report';
import { strategySource, type StrategySource, type StrategySpec } from './strategy-source';

/** A backtest engine: `runBacktest`, or a variant (the tests feed the checks deliberately broken ones). */
export type BacktestEngine = (bars: readonly BarSeries[], strategy: Strategy, options: BacktestOptions) => BacktestResult;

/** Backtest settings the checked runs use (dates are not: the checks need every bar). */
export type LookaheadBacktestOptions = Omit<BacktestOptions, 'from' | 'to' | 'onProgress'>;

export interface LookaheadOptions {
  /** A shipped strategy name or a module path (as `--strategy` takes it), a Strategy, or a factory. */
  readonly strategy?: StrategySpec;
  /** A strategy module path (the same as giving the path as `strategy`). */
  readonly strategyPath?: string;
  /** A universe: symbols (with `dataDir`), a Universe, or a universe YAML file. */
  readonly universe: readonly string[] | Universe | string;
  /** Folder of SYMBOL.csv files; with a Universe or YAML file it overrides the file's data folder. */
  readonly dataDir?: string;
  /** Cut points per check (default 10): prefix cut points per symbol on long series, perturbation runs. */
  readonly cuts?: number;
  /** Seed of every random choice (cut points, replacement bars); default 1. */
  readonly seed?: number;
  readonly backtest?: LookaheadBacktestOptions;
  /** The engine under test; default `runBacktest`. */
  readonly engine?: BacktestEngine;
  /** Progress lines ("perturbation 3/10 ..."), for a command's standard error. */
  readonly onProgress?: (message: string) => void;
}

export const defaultLookaheadCuts = 10;
export const defaultLookaheadSeed = 1;

/** The environment variable set to the data folder of the run (the original one, then each perturbed copy). */
export const dataDirEnvironmentVariable = 'AQ_DATA_DIR';

function resolveUniverseOption(universe: LookaheadOptions['universe'], dataDir: string | undefined): Universe {
  if (typeof universe === 'string') {
    const loaded = loadUniverse(universe);
    return dataDir === undefined ? loaded : universeFromSymbols(loaded.symbols, dataDir, loaded.options);
  }
  if (Array.isArray(universe)) {
    if (dataDir === undefined) throw new ConfigError('checkLookahead: a symbol list needs dataDir (the folder of SYMBOL.csv files)');
    return universeFromSymbols(universe, dataDir);
  }
  const given = universe as Universe;
  return dataDir === undefined ? given : universeFromSymbols(given.symbols, dataDir, given.options);
}

/** The one folder all the universe's files are in, or null when they are spread out. */
function commonFolder(universe: Universe): string | null {
  const folders = new Set(universe.symbols.map((symbol) => dirname(universe.files[symbol])));
  return folders.size === 1 ? [...folders][0] : null;
}

interface Run {
  readonly bars: BarSeries[];
  readonly result: BacktestResult;
  readonly guard: AvailabilityGuard;
}

interface RunSettings {
  readonly source: StrategySource;
  readonly engine: BacktestEngine;
  readonly backtest: BacktestOptions;
}

/**
 * One backtest from the files: the strategy fresh from its source, the bars loaded from
 * `universe`'s files, the data folder in AQ_DATA_DIR while it runs, the strategy wrapped in an
 * availability guard.
 */
function runFromFiles(universe: Universe, settings: RunSettings, runLabel: string | undefined): Run {
  return withDataFolder(universe, () => {
    const strategy = settings.source.create();
    const { bars } = loadUniverseBars(universe);
    const guard = new AvailabilityGuard(strategy, bars, {
      featurePeriods: settings.backtest.featurePeriods ?? defaultFeaturePeriods,
      factorModel: settings.backtest.factorModel ?? defaultFactorModel,
      runLabel,
    });
    const result = settings.engine(bars, guard.strategy, settings.backtest);
    return { bars, result, guard };
  });
}

/** Runs `body` with AQ_DATA_DIR set to the universe's data folder (unset when its files are spread out), then restores it. */
function withDataFolder<T>(universe: Universe, body: () => T): T {
  const previous = process.env[dataDirEnvironmentVariable];
  const folder = commonFolder(universe);
  if (folder === null) delete process.env[dataDirEnvironmentVariable];
  else process.env[dataDirEnvironmentVariable] = folder;
  try {
    return body();
  } finally {
    if (previous === undefined) delete process.env[dataDirEnvironmentVariable];
    else process.env[dataDirEnvironmentVariable] = previous;
  }
}

/** Copies of the universe's files in `folder` with every bar after `cutDate` replaced (see perturbedBars). */
function writePerturbedUniverse(universe: Universe, reference: readonly BarSeries[], cutDate: string, seed: number, folder: string): Universe {
  const names = universe.symbols.map((symbol) => basename(universe.files[symbol]));
  // Keep the file names (a strategy may derive them from AQ_DATA_DIR) unless two would collide.
  const flat = commonFolder(universe) !== null && new Set(names).size === names.length;
  const files: Record<string, string> = {};
  universe.symbols.forEach((symbol, i) => {
    const source = universe.files[symbol];
    const series = reference[i];
    const replacements = perturbedBars(series, lastIndexOnOrBefore(series.dates, cutDate), seededRandom(seed, `perturb:${symbol}:${cutDate}`));
    const text = perturbBarsText(readBarsText(readFileSync(source), source), series, cutDate, replacements);
    const target = flat ? join(folder, names[i]) : join(folder, symbol, names[i]);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, encodeBarsText(text, target));
    files[symbol] = target;
  });
  return { ...universe, path: `${universe.path} (perturbed after ${cutDate})`, files };
}

/** Calendar dates to cut after: stratified over the dates from the first decision to the second-to-last date. */
function perturbationCuts(calendar: readonly string[], reference: BacktestResult, cuts: number, seed: number): string[] {
  const firstDecision = reference.intents.length > 0 ? calendar.indexOf(reference.intents[0].date) : 0;
  return stratifiedSample(Math.max(0, firstDecision), calendar.length - 2, cuts, seededRandom(seed, 'perturbation')).map((i) => calendar[i]);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * Proves by machine that a strategy (and the engine running it) does not look ahead, with
 * four checks (see docs/lookahead.md): prefix invariance of every column the strategy sees,
 * decisions unchanged when the files' later bars are replaced, fills strictly after their
 * decisions inside the fill bar's range, and nothing dated after a decision reaching it.
 */
export function checkLookahead(options: LookaheadOptions): LookaheadReport {
  const started = performance.now();
  const cuts = options.cuts ?? defaultLookaheadCuts;
  const seed = options.seed ?? defaultLookaheadSeed;
  if (!Number.isInteger(cuts) || cuts < 1) throw new ConfigError(`lookahead: cuts must be an integer >= 1, got ${cuts}`);
  if (!Number.isInteger(seed)) throw new ConfigError(`lookahead: seed must be an integer, got ${seed}`);
  const spec = options.strategyPath ?? options.strategy;
  if (spec === undefined) throw new ConfigError('lookahead: give a strategy (a shipped name, a module path, a Strategy or a factory)');
  if (options.strategyPath !== undefined && options.strategy !== undefined) {
    throw new ConfigError('lookahead: give either strategy or strategyPath, not both');
  }
  const source = strategySource(spec);
  const universe = resolveUniverseOption(options.universe, options.dataDir);
  const settings: RunSettings = { source, engine: options.engine ?? runBacktest, backtest: { ...options.backtest } };
  const progress = options.onProgress ?? (() => undefined);

  progress('reference run');
  const reference = runFromFiles(universe, settings, undefined);
  const calendar = unionCalendar(reference.bars);
  if (calendar.length === 0) throw new ConfigError(`lookahead: ${universe.path} has no bars`);

  progress('prefix');
  const prefix = withDataFolder(universe, () => checkPrefix(reference.bars, source.create(), {
    cuts,
    seed,
    featurePeriods: settings.backtest.featurePeriods ?? defaultFeaturePeriods,
    factorModel: settings.backtest.factorModel ?? defaultFactorModel,
  }));

  const cutDates = perturbationCuts(calendar, reference.result, cuts, seed);
  const guards = [reference.guard];
  let perturbationFinding: LookaheadFinding | null = null;
  let perturbed = 0;
  const folder = mkdtempSync(join(tmpdir(), 'aq-lookahead-'));
  try {
    for (const cutDate of cutDates) {
      progress(`perturbation ${perturbed + 1}/${cutDates.length}: bars after ${cutDate} replaced`);
      const runFolder = join(folder, `after-${cutDate}`);
      const copy = writePerturbedUniverse(universe, reference.bars, cutDate, seed, runFolder);
      const run = runFromFiles(copy, settings, `in the run with the bars after ${cutDate} replaced`);
      reference.bars.forEach((series, i) => checkPerturbedBars(series, run.bars[i], cutDate));
      guards.push(run.guard);
      perturbed++;
      rmSync(runFolder, { recursive: true, force: true });
      perturbationFinding = firstChangedDecision(reference.result, run.result, cutDate);
      if (perturbationFinding !== null) break;
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const perturbationCoverage = cutDates.length === 0
    ? 'no cut point: the data has fewer than 2 dates after the first decision'
    : `${perturbed} of ${plural(cutDates.length, 'run')} from files whose bars after a cut (${cutDates[0]}..${cutDates[cutDates.length - 1]}) were replaced:`
      + ' every intent and order up to the cut identical';
  const perturbation = checkResult('perturbation', perturbed, perturbationCoverage, perturbationFinding);

  progress('fill audit');
  const fillAudit = auditFills(reference.result.fills, reference.bars, reference.result.orders);

  const decisions = guards.reduce((sum, guard) => sum + guard.decisions, 0);
  const views = guards.reduce((sum, guard) => sum + guard.views, 0);
  const availabilityCoverage = `${plural(views, 'symbol view')} in ${plural(decisions, 'decision')} over ${plural(guards.length, 'run')}:`
    + ' bar, features, factors, indicators and history all of the decision date or earlier';
  const availabilityFinding = guards.find((guard) => guard.finding !== null)?.finding ?? null;
  const availability = checkResult('availability', views, availabilityCoverage, availabilityFinding);

  const checks = [prefix, perturbation, fillAudit, availability];
  return {
    strategy: reference.result.strategy,
    strategySource: source.label,
    universe: universe.symbols,
    universePath: universe.path,
    firstDate: calendar[0],
    lastDate: calendar[calendar.length - 1],
    dates: calendar.length,
    cuts,
    seed,
    perturbationCuts: cutDates,
    checks,
    passed: checks.every((check) => check.passed),
    seconds: (performance.now() - started) / 1000,
  };
}
