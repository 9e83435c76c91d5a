import { barAt, type Bar, type BarSeries } from '../data/bars';
import type { FactorModel } from '../factors/factor-model';
import { computeSignals, type SignalColumns } from '../factors/pipeline';
import { featureNames, type FeaturePeriods } from '../features/feature-set';
import type { BarHistory, Intent, MarketState, Strategy, SymbolView } from '../strategies/strategy';
import { lastIndexOnOrBefore } from './perturb';
import type { LookaheadFinding } from './report';
import { nullIfNaN, reportedValue } from './values';

export interface AvailabilityOptions {
  readonly featurePeriods: FeaturePeriods;
  readonly factorModel: FactorModel;
  /** Added to findings' explanations, e.g. "in the run perturbed after 2015-03-02". */
  readonly runLabel?: string;
}

const bar = 'a daily bar is available only after its session close';

/**
 * Wraps a strategy so that, at every decision, nothing dated after the decision's close
 * reaches it. Before passing each state on it checks, for every symbol view:
 * - the view's index is the symbol's last bar dated on or before `state.date`, and that bar is
 *   dated `state.date` (a symbol without a bar that day gets no view);
 * - the view's bar, features, factors and indicators are the symbol's values at that index
 *   (features and factors recomputed here from the bars; indicators as the strategy's own
 *   `indicators` returned them to the engine; the prefix check proves those columns equal
 *   their values on bars 0..t);
 * - its history has index + 1 bars, its last bar is today's, asking for the next bar throws,
 *   and `closes` ends at today's close;
 * - an open position was entered on or before `state.date`.
 * It then records the dates of the bars the strategy reads through `history` while deciding
 * and checks that none is later than the decision date. The first violation is kept.
 */
export class AvailabilityGuard {
  readonly strategy: Strategy;
  decisions = 0;
  views = 0;
  finding: LookaheadFinding | null = null;
  private readonly bySymbol: Map<string, BarSeries>;
  private readonly signals = new Map<string, SignalColumns>();
  private readonly indicators = new Map<string, Record<string, Float64Array>>();

  constructor(
    private readonly inner: Strategy,
    bars: readonly BarSeries[],
    private readonly options: AvailabilityOptions,
  ) {
    this.bySymbol = new Map(bars.map((series) => [series.symbol, series]));
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the wrapped strategy's methods run with their own `this`
    const guard = this;
    const wrapped: { -readonly [K in keyof Strategy]: Strategy[K] } = {
      name: inner.name,
      decide: (state: MarketState): Intent[] => guard.decide(state),
    };
    if (inner.description !== undefined) wrapped.description = inner.description;
    if (inner.indicators !== undefined) {
      const indicators = inner.indicators;
      wrapped.indicators = (series: BarSeries) => {
        const columns = indicators.call(inner, series);
        // A copy: the reference must not change if the strategy writes into its columns later.
        const copy: Record<string, Float64Array> = {};
        for (const [name, column] of Object.entries(columns ?? {})) copy[name] = column instanceof Float64Array ? column.slice() : column;
        guard.indicators.set(series.symbol, copy);
        return columns;
      };
    }
    this.strategy = wrapped;
  }

  private decide(state: MarketState): Intent[] {
    this.decisions++;
    const seen: { symbol: string; date: string }[] = [];
    const views = state.symbols.map((view) => {
      this.views++;
      if (this.finding === null) this.finding = this.checkView(state.date, view);
      return withHistory(view, recordingHistory(view, this.bySymbol.get(view.symbol), seen));
    });
    const intents = this.inner.decide({ ...state, symbols: views });
    if (this.finding === null) {
      const late = seen.find((read) => read.date > state.date);
      if (late !== undefined) {
        this.finding = this.violation(late.symbol, state.date, 'history bar read while deciding', `a bar dated <= ${state.date}`, late.date, `the strategy read a bar from after the decision's close: ${bar}`);
      }
    }
    return intents;
  }

  private violation(symbol: string, date: string, subject: string, expected: unknown, actual: unknown, explanation: string): LookaheadFinding {
    const run = this.options.runLabel === undefined ? '' : ` (${this.options.runLabel})`;
    return { symbol, date, subject, expected: reportedValue(expected), actual: reportedValue(actual), explanation: `${explanation}${run}` };
  }

  private signalsOf(series: BarSeries): SignalColumns {
    let signals = this.signals.get(series.symbol);
    if (signals === undefined) {
      signals = computeSignals(series, this.options.featurePeriods, this.options.factorModel);
      this.signals.set(series.symbol, signals);
    }
    return signals;
  }

  private checkView(date: string, view: SymbolView): LookaheadFinding | null {
    const series = this.bySymbol.get(view.symbol);
    const fail = (subject: string, expected: unknown, actual: unknown, explanation: string) =>
      this.violation(view.symbol, date, subject, expected, actual, explanation);
    if (series === undefined) return fail('view symbol', 'a universe symbol', view.symbol, 'the strategy was shown a symbol the run has no bars for');
    const index = lastIndexOnOrBefore(series.dates, date);
    if (view.index !== index) {
      return fail('view.index', index, view.index, `the view must point at the symbol's last bar dated on or before ${date}`);
    }
    if (series.dates[index] !== date) {
      return fail('view.bar.date', date, series.dates[index] ?? null, 'a symbol without a bar on the decision date must not be shown');
    }
    const expectedBar = barAt(series, index);
    for (const field of ['date', 'open', 'high', 'low', 'close', 'volume'] as const) {
      if (!Object.is(view.bar[field], expectedBar[field])) {
        return fail(`view.bar.${field}`, expectedBar[field], view.bar[field], `the view's bar is not the bar that closed on ${date}: ${bar}`);
      }
    }
    const signals = this.signalsOf(series);
    for (const name of featureNames) {
      const expected = nullIfNaN(signals.features[name][index]);
      if (!Object.is(view.features[name], expected)) {
        return fail(`feature "${name}"`, expected, view.features[name], `the feature shown is not its value at the bar that closed on ${date}`);
      }
      if (!Object.is(view.featureValue(name), expected)) {
        return fail(`featureValue("${name}")`, expected, view.featureValue(name), `the feature shown is not its value at the bar that closed on ${date}`);
      }
    }
    for (const [name, column] of Object.entries(signals.factors)) {
      const expected = nullIfNaN(column[index]);
      if (!Object.is(view.factors[name], expected)) {
        return fail(`factor "${name}"`, expected, view.factors[name], `the factor shown is not its value at the bar that closed on ${date}`);
      }
      if (!Object.is(view.factorValue(name), expected)) {
        return fail(`factorValue("${name}")`, expected, view.factorValue(name), `the factor shown is not its value at the bar that closed on ${date}`);
      }
    }
    const indicators = this.indicators.get(view.symbol) ?? {};
    for (const name of new Set([...Object.keys(indicators), ...Object.keys(view.indicators)])) {
      const column = indicators[name];
      const expected = column === undefined ? undefined : nullIfNaN(column[index]);
      if (!Object.is(view.indicators[name], expected)) {
        return fail(`indicator "${name}"`, expected, view.indicators[name], `the indicator shown is not the strategy's own column at the bar that closed on ${date}`);
      }
    }
    const history = view.history;
    if (history.length !== index + 1) {
      return fail('history.length', index + 1, history.length, `the history must hold bars 0..t and nothing after ${date}`);
    }
    let next: Bar | null = null;
    // The probe throws on every view of an honest run: skip the stack traces, they are most of its cost.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      next = history.at(index + 1);
    } catch {
      // Expected: the next bar does not exist yet at this close.
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    if (next !== null) {
      return fail('history.at(t + 1)', 'an error', next?.date ?? null, `the history handed out the bar after ${date}: ${bar}`);
    }
    const today = history.at(index);
    if (today.date !== date) return fail('history.at(t).date', date, today.date, 'the history\'s last bar is not the decision bar');
    // Two closes are enough to see a later one: the last must be today's.
    const closes = history.closes(2);
    if (closes.length !== Math.min(2, index + 1) || !Object.is(closes[closes.length - 1], series.close[index])) {
      return fail('history.closes(2)', `${Math.min(2, index + 1)} closes ending at ${series.close[index]}`, `${closes.length} closes ending at ${closes[closes.length - 1]}`,
        `the closes handed out do not end at the close of ${date}`);
    }
    const position = view.position;
    if (position !== null && !(position.entryDate <= date && position.entrySignalDate < position.entryDate)) {
      return fail('position.entryDate', `<= ${date} and after the entry signal ${position.entrySignalDate}`, position.entryDate,
        'a position must be entered after its signal and no later than today');
    }
    return null;
  }
}

/**
 * The same view with another history. Field by field, not a spread: the engine may keep fields
 * in getters (lazily built bars and histories), which a spread would drop.
 */
function withHistory(view: SymbolView, history: BarHistory): SymbolView {
  return {
    symbol: view.symbol,
    index: view.index,
    bar: view.bar,
    features: view.features,
    featuresReady: view.featuresReady,
    factors: view.factors,
    indicators: view.indicators,
    position: view.position,
    hasPendingOrder: view.hasPendingOrder,
    featureValue: (name) => view.featureValue(name),
    factorValue: (name) => view.factorValue(name),
    history,
  };
}

/** The view's history, noting the date of every bar the strategy reads through it. */
function recordingHistory(view: SymbolView, series: BarSeries | undefined, seen: { symbol: string; date: string }[]): BarHistory {
  const history = view.history;
  return {
    get length() {
      return history.length;
    },
    at(index: number): Bar {
      const read = history.at(index);
      seen.push({ symbol: view.symbol, date: read.date });
      return read;
    },
    closes(count: number): number[] {
      const closes = history.closes(count);
      // Closes carry no dates: the last one handed out is the history's last bar.
      const last = series?.dates[history.length - 1];
      if (closes.length > 0 && last !== undefined) seen.push({ symbol: view.symbol, date: last });
      return closes;
    },
  };
}
