/**
 * An example of a strategy written as a user would write one: a module of its own whose
 * default export is a strategy definition (its parameters declared, as trend-breakout's are),
 * importing only types from the package by name (`aq-research`). Check and run it with
 *
 *   aq lookahead --strategy examples/mean-reversion.ts --universe data/universe.yaml
 *   aq backtest  --strategy examples/mean-reversion.ts --param period=30 --param entry_z=2
 *
 * The rules (long only, decided at the close, filled at the next open by the engine):
 * - its own indicator `zscore`: (close - mean) / sd of the last `period` closes (sample sd),
 *   computed from bars 0..t only, NaN until `period` bars exist or when the closes are flat;
 * - flat, zscore < -entryZ and the close above its 50-day mean (price_vs_ma > 0: buy dips in
 *   an uptrend, not falling knives): enter;
 * - long, and zscore > 0 (back to the mean) or held `maxHoldingBars` bars: exit.
 */
import type { BarSeries, Intent, MarketState, ParameterSpec, Strategy, StrategyDefinition } from 'aq-research';

export interface MeanReversionOptions {
  /** Closes in the z-score window (default 20). */
  readonly period?: number;
  /** Enter below minus this many standard deviations (default 1.5). */
  readonly entryZ?: number;
  /** Exit after this many bars at the latest (default 10). */
  readonly maxHoldingBars?: number;
}

/** Rolling z-score of the close; each value reads only its own window, which ends at t. */
export function rollingZScore(close: ArrayLike<number>, period: number): Float64Array {
  const out = new Float64Array(close.length).fill(Number.NaN);
  for (let t = period - 1; t < close.length; t++) {
    let sum = 0;
    for (let i = t - period + 1; i <= t; i++) sum += close[i];
    const mean = sum / period;
    let squares = 0;
    for (let i = t - period + 1; i <= t; i++) squares += (close[i] - mean) ** 2;
    const sd = Math.sqrt(squares / (period - 1));
    if (sd > 0) out[t] = (close[t] - mean) / sd;
  }
  return out;
}

function shown(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

export function meanReversion(options: MeanReversionOptions = {}): Strategy {
  const period = options.period ?? 20;
  const entryZ = options.entryZ ?? 1.5;
  const maxHoldingBars = options.maxHoldingBars ?? 10;
  if (!Number.isInteger(period) || period < 2) throw new RangeError(`mean-reversion: period must be an integer >= 2, got ${period}`);
  if (!(entryZ > 0)) throw new RangeError(`mean-reversion: entryZ must be > 0, got ${entryZ}`);
  if (!Number.isInteger(maxHoldingBars) || maxHoldingBars < 1) {
    throw new RangeError(`mean-reversion: maxHoldingBars must be an integer >= 1, got ${maxHoldingBars}`);
  }
  return {
    name: 'mean-reversion',
    description: `Buy a close ${entryZ} standard deviations below its ${period}-day mean in an uptrend; sell back at the mean or after ${maxHoldingBars} bars.`,
    indicators(bars: BarSeries) {
      return { zscore: rollingZScore(bars.close, period) };
    },
    decide(state: MarketState): Intent[] {
      const intents: Intent[] = [];
      for (const view of state.symbols) {
        const zscore = view.indicators.zscore;
        if (zscore === null || zscore === undefined) continue;
        const position = view.position;
        if (position === null) {
          const trend = view.features.price_vs_ma;
          if (view.hasPendingOrder || trend === null || trend <= 0 || zscore >= -entryZ) continue;
          intents.push({
            kind: 'enter',
            symbol: view.symbol,
            reason: `z-score ${shown(zscore)} < -${entryZ} with the close ${shown(trend * 100)}% above its moving average`,
            factors: view.factors,
            // The signal bar's index: the holding period is counted from it.
            memo: { signalIndex: view.index },
          });
          continue;
        }
        const held = view.index - position.memo.signalIndex;
        if (zscore > 0) {
          intents.push({ kind: 'exit', symbol: view.symbol, exitReason: 'mean', reason: `z-score ${shown(zscore)} > 0`, factors: view.factors });
        } else if (held >= maxHoldingBars) {
          intents.push({ kind: 'exit', symbol: view.symbol, exitReason: 'time', reason: `held ${held} bars`, factors: view.factors });
        }
      }
      return intents;
    },
  };
}

/** The names `--param` and sweep grids take; the defaults are meanReversion()'s. */
export const meanReversionParameters: readonly ParameterSpec[] = [
  { kind: 'integer', name: 'period', min: 2, max: 1000, default: 20, help: 'closes in the z-score window, bars' },
  { kind: 'number', name: 'entry_z', min: 0.01, max: 10, default: 1.5, help: 'enter below minus this many standard deviations' },
  { kind: 'integer', name: 'max_holding', min: 1, max: 1000, default: 10, help: 'exit after this many bars at the latest' },
];

/*
 * A plain object rather than a defineStrategy() call: the module then needs no value from the
 * package, and the loader checks the declarations the same way when it loads the file.
 */
const definition: StrategyDefinition = {
  name: 'mean-reversion',
  description: 'Buy a dip of a few standard deviations below the mean in an uptrend; sell back at the mean or after a few bars.',
  parameters: meanReversionParameters,
  create: (values) => meanReversion({
    period: values.period as number,
    entryZ: values.entry_z as number,
    maxHoldingBars: values.max_holding as number,
  }),
};

export default definition;
