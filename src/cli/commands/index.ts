import type { Command } from '../command';

/** What `aq --help` lists; the command's module is loaded only when it runs. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Command;
}

/*
 * Every `aq` subcommand, in the order `aq --help` lists them. Each lives in its own file and is
 * required on demand: `aq paper` must not pay for loading the report's chart libraries.
 * A test checks that each entry's summary is its command's own.
 */
export const commands: readonly CommandEntry[] = [
  { name: 'features', summary: 'compute features and factors for one CSV file', load: () => require('./features').featuresCommand },
  { name: 'backtest', summary: 'run a strategy over a universe and report metrics and attribution', load: () => require('./backtest').backtestCommand },
  { name: 'sweep', summary: 'run a parameter grid as backtests into a resumable ledger; heatmaps, sensitivity, PBO and DSR', load: () => require('./sweep').sweepCommand },
  { name: 'walk-forward', summary: 'walk forward: pick parameters by sweeping each training window, test them on the next', load: () => require('./walk-forward').walkForwardCommand },
  { name: 'lookahead', summary: 'prove that a strategy does not look ahead (four checks, PASS/FAIL)', load: () => require('./lookahead').lookaheadCommand },
  { name: 'data', summary: 'manage bar data files (sample: write synthetic sample bars)', load: () => require('./data').dataCommand },
  { name: 'report', summary: 'backtest and write a self-contained HTML research report', load: () => require('./report').reportCommand },
  { name: 'paper', summary: 'paper trading: one daily cycle (or a replay) with a simulated broker and a SQLite journal', load: () => require('./paper').paperCommand },
  { name: 'parity', summary: 'compare a paper/live journal with a backtest over the same dates, decision by decision', load: () => require('./parity').parityCommand },
  { name: 'live', summary: 'live trading through Alpaca: one daily cycle after the close, restart-safe', load: () => require('./live').liveCommand },
];
