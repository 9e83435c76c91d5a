import { defaultUniversePath } from '../universe-option';
import { parametersHelp } from '../../strategies/parameters';
import { trendBreakoutParameters } from '../../strategies/trend-breakout';
import { choice, date, flag, list, number, requiredText, text } from './option';
import { group } from './option-set';

/*
 * The option groups several commands share, one row per option: its name, value, default,
 * help and check. A command lists the groups it takes (`commandOptions`), so `aq backtest`,
 * `aq report`, `aq paper`, `aq live` and `aq parity` mean the same thing by the same option,
 * and adding an option to all of them is adding one row here.
 */

const positive = (value: number) => value > 0;
const nonNegative = (value: number) => value >= 0;
const fraction = (value: number) => value > 0 && value <= 1;
const count = (value: number) => Number.isInteger(value) && value >= 0;

export const dataOptions = group('Data', {
  universe: text({ value: 'SPEC', default: defaultUniversePath, help: 'a universe YAML file, or a comma-separated symbol list used with --data' }),
  data: text({ value: 'DIR', help: "folder holding SYMBOL.csv or SYMBOL.csv.gz (overrides the universe file's data folder)" }),
});

export const dateOptions = group('Dates', {
  from: date({ help: 'first decision date (YYYY-MM-DD); earlier bars only warm the features up' }),
  to: date({ help: 'last date used; later bars are not read' }),
});

const strategyHelp = 'a shipped strategy (trend-breakout) or a module path whose default export is a strategy definition (defineStrategy), a Strategy, or a function returning one, e.g. ./my-strategy.ts';
const parameterRow = list({
  value: 'NAME=VALUE',
  help: 'set a parameter of the strategy (unknown names and out-of-range values are errors; trend-breakout takes roc, price_vs_ma, price_vs_high, volume_zscore, volatility, stop, momentum, breakout)',
});

export const strategyOptions = group('Strategy', {
  strategy: text({ value: 'NAME|PATH', default: 'trend-breakout', help: strategyHelp }),
  param: parameterRow,
});

/** `aq backtest` compares strategies: `--strategy` repeats, each optionally with its own `:NAME=VALUE,...`. */
export const comparedStrategyOptions = group('Strategy', {
  strategy: list({ value: 'NAME|PATH[:P=V,...]', help: `${strategyHelp}; several compare them in one table (e.g. --strategy trend-breakout --strategy trend-breakout:stop=3)` }),
  param: parameterRow,
});

/** The parameters of the shipped strategy, for `--help`. */
export const trendBreakoutParametersHelp = `Parameters of trend-breakout (--param NAME=VALUE):\n${parametersHelp(trendBreakoutParameters)}`;

export const benchmarkOptions = group('Benchmark', {
  benchmark: text({
    value: 'FILE.csv|SYMBOL',
    help: "compare with the buy and hold of one series (a bars file, or a symbol found in the data folder) instead of the universe's equal-weight buy and hold",
  }),
});

export const sizingOptions = group('Sizing', {
  sizing: choice({
    choices: ['equal', 'equal-weight', 'fixed-risk'],
    value: 'equal|fixed-risk',
    default: 'equal',
    expectation: '"equal" or "fixed-risk"',
    help: 'equal weight: floor(equity / N / close); fixed-risk: floor(equity * risk / (2 * volatility * close)), capped at equity / N',
  }),
  risk: number({ default: 0.01, check: fraction, expectation: 'in (0, 1]', help: 'risk per trade for fixed-risk sizing' }),
});

export const costOptions = group('Cash and costs', {
  cash: number({ default: 100_000, check: positive, expectation: 'a number > 0', help: 'starting cash' }),
  commission: number({ default: 0, check: nonNegative, expectation: 'a number >= 0', help: 'commission per share' }),
  'min-commission': number({ default: 0, check: nonNegative, expectation: 'a number >= 0', help: 'minimum commission per order' }),
  'slippage-bps': number({ value: 'BPS', default: 0, check: nonNegative, expectation: 'a number >= 0', help: "slippage in basis points against the trade; fills stay inside the bar's low..high" }),
});

export const riskOptions = group('Risk limits (all off by default)', {
  'max-position-weight': number({ check: fraction, expectation: 'in (0, 1]', help: 'largest position as a fraction of equity' }),
  'max-gross-exposure': number({ check: positive, expectation: 'a number > 0', help: 'largest sum of positions as a fraction of equity' }),
  'max-orders-per-day': number({ value: 'N', check: count, expectation: 'an integer >= 0', help: 'most new orders per decision date' }),
  'daily-loss-limit': number({ check: fraction, expectation: 'in (0, 1]', help: 'halt new entries after a one-day loss beyond X (a fraction of equity)' }),
  'kill-switch': flag({ help: 'reject every new entry (exits still go through)' }),
});

/** The options that define a run of a strategy, in help order. */
export const runGroups = [strategyOptions, sizingOptions, costOptions, riskOptions] as const;

/** The journal and session date of `aq paper` and `aq live`. */
export const sessionOptions = group('Session', {
  journal: requiredText({ value: 'FILE.db', help: "the session's journal (SQLite; created on the first run)" }),
  'as-of': date({ help: "the session whose close was just seen (default: the data's last date)" }),
});

/** What paper, live and parity say about the run groups: the journal keeps them. */
export const journalledRunNote = 'The strategy, sizing, cost and risk options are those of aq backtest; the journal remembers\nthem and refuses a later run with different ones.';
