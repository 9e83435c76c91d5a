import type { Bar, BarSeries } from '../data/bars';
import type { FactorModel, FactorValues } from '../factors/factor-model';
import type { FeatureName, FeaturePeriods, FeatureValues } from '../features/feature-set';
import type { ParameterValues } from './parameters';

/** An open position as a strategy sees it. `memo` is what the strategy attached to its enter intent. */
export interface PositionView {
  readonly symbol: string;
  readonly shares: number;
  /** Average fill price of the shares held (commission excluded). */
  readonly entryPrice: number;
  readonly entryDate: string;
  readonly entrySignalDate: string;
  readonly memo: Readonly<Record<string, number>>;
}

/** Read-only access to one symbol's bars 0..t; asking for a later bar throws (no lookahead by accident). */
export interface BarHistory {
  /** Bars available: t + 1. */
  readonly length: number;
  at(index: number): Bar;
  closes(count: number): number[];
}

/** One symbol at the close of the bar that has just closed. */
export interface SymbolView {
  readonly symbol: string;
  /** Index of the bar that has just closed in this symbol's own series (t). */
  readonly index: number;
  readonly bar: Bar;
  readonly features: FeatureValues;
  /** True when every feature has a value at t: the spec's "tradable" bar. */
  readonly featuresReady: boolean;
  /** Factor values and `score`; null while not ready. */
  readonly factors: FactorValues;
  /** The strategy's own indicator columns at t (see `Strategy.indicators`); null while NaN. */
  readonly indicators: Readonly<Record<string, number | null>>;
  readonly position: PositionView | null;
  /**
   * One feature's value at t (null while not ready), without building the `features` object:
   * a strategy that looks at one value of every symbol every day stays allocation-free.
   */
  featureValue(name: FeatureName): number | null;
  /** One factor's value (or `score`) at t, null while not ready; see `featureValue`. */
  factorValue(name: string): number | null;
  /** An order for this symbol waits for the next open. */
  readonly hasPendingOrder: boolean;
  readonly history: BarHistory;
}

/** What a strategy may know at the close of `date`: nothing later. */
export interface MarketState {
  readonly date: string;
  /** Symbols with a bar on `date`, in universe order. A symbol without a bar is not traded that day. */
  readonly symbols: readonly SymbolView[];
  readonly universe: readonly string[];
  readonly equity: number;
  readonly cash: number;
  readonly factorModel: FactorModel;
}

interface IntentBase {
  readonly symbol: string;
  /** Why, in words a trader reads in a report (e.g. "score 0.031 > 0 and close above the 20-day high"). */
  readonly reason: string;
  /** Factor values behind the decision (attribution splits the trade's PnL with them). */
  readonly factors: FactorValues;
}

export interface EnterIntent extends IntentBase {
  readonly kind: 'enter';
  /** Numbers the strategy wants back on the position (e.g. the volatility its stop uses). */
  readonly memo?: Readonly<Record<string, number>>;
}

export interface ExitIntent extends IntentBase {
  readonly kind: 'exit';
  /** A short machine-readable cause for reports and the trade list, e.g. "stop" or "score". */
  readonly exitReason: string;
}

/** Hold `weight` of equity in the symbol; the engine turns it into a buy or sell of the difference. */
export interface TargetIntent extends IntentBase {
  readonly kind: 'target';
  readonly weight: number;
}

export type Intent = EnterIntent | ExitIntent | TargetIntent;

/**
 * A strategy is pure: from the market state up to the bar that has just closed to intents.
 * It never holds a broker, a clock or a file; the same object runs in backtest, paper and live.
 */
export interface Strategy {
  readonly name: string;
  readonly description?: string;
  /** The parameter values it was built with (see `StrategyDefinition`), recorded in every output. */
  readonly parameters?: ParameterValues;
  /**
   * The feature periods and factor model its decisions are written for. The engine, the runner
   * and the lookahead check compute features with them unless a run sets its own explicitly.
   */
  readonly featurePeriods?: FeaturePeriods;
  readonly factorModel?: FactorModel;
  /**
   * Optional columns the strategy computes over a symbol's bars. The value at t must depend
   * on bars 0..t only; the lookahead check proves it by recomputing on prefixes.
   */
  indicators?(bars: BarSeries): Record<string, Float64Array>;
  decide(state: MarketState): Intent[];
}
