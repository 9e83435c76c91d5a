import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { compareWithBenchmark } from '../../research/benchmark';
import { countPoints } from '../../research/sweep/grid';
import { openLedger } from '../../research/sweep/ledger';
import { runSweepInto } from '../../research/sweep/parallel-sweep';
import { summarizeSweep } from '../../research/sweep/summary';
import { runTrial, sweepFingerprint } from '../../research/sweep/sweep';
import { TrialPool } from '../../research/sweep/worker-pool';
import { resolveBenchmark } from '../benchmark-option';
import type { Command } from '../command';
import { number, requiredText, text } from '../options/option';
import { commandOptions, group } from '../options/option-set';
import { loadGridRun, type GridRun } from './grid-run';
import { formatSweep, ledgerOverfitting, planLine, writeReturnsCsv, writeSweepJson } from './sweep-output';
import { sweepProgress } from './sweep-progress';

export const workerOption = number({
  value: 'N',
  default: availableParallelism(),
  check: (n) => Number.isInteger(n) && n >= 1 && n <= 256,
  expectation: 'an integer from 1 to 256',
  help: 'worker threads running trials (1: all in this process); the results are the same for any N',
});

const options = commandOptions('sweep', [
  group('Sweep', {
    grid: requiredText({ value: 'FILE.yaml', help: 'the grid file: strategy, parameter values, search, constraints, objective, data, dates and run options' }),
    ledger: text({ value: 'FILE.db', help: 'the ledger of trials (SQLite; resumed if it exists) (default: FILE.yaml.ledger.db beside the grid file)' }),
    workers: workerOption,
  }),
  group('Output', {
    json: text({ value: 'FILE', help: 'write every trial, the overfitting statistics, the best trials, heatmaps, sensitivity and the benchmark as JSON' }),
    'returns-out': text({ value: 'FILE.csv', help: "write the trials' daily returns: a date column, then trial_0, trial_1, ... in trial order" }),
  }),
]);

const help = `Usage: aq sweep --grid FILE.yaml [--json OUT] [--returns-out FILE.csv] [--ledger FILE.db] [--workers N]

Runs every point of a parameter grid (or a seeded random sample of it) as an ordinary
backtest: each trial is exactly 'aq backtest --param NAME=VALUE ...' with the grid file's
data, dates and run options. Trials go into a ledger (SQLite) as they finish; a killed
sweep started again resumes from it without redoing a finished trial.

Prints the plan, the best trials, a heatmap of the objective over each pair of swept
parameters (the others at the best trial's values), the sensitivity of the objective to
each parameter, and the overfitting statistics of the whole ledger: PSR and DSR of the
best trial by Sharpe, PBO by CSCV (16 blocks), the IS-vs-OOS degradation slope, the
probability of an out-of-sample loss, MinBTL and the Harvey-Liu haircut Sharpes.

The grid file (YAML; errors name the file and line):
  strategy: trend-breakout
  parameters: { roc: [10, 20, 30], stop: { from: 1.5, to: 3, step: 0.5 }, momentum: 0.5 }
  search: grid                  # or random, with samples: N and seed: S
  constraints: [ "roc < price_vs_ma" ]
  objective: sharpe             # sharpe, sortino, cagr, total_return, calmar, max_drawdown
  universe: ../data/universe.yaml    # or a symbol list with data: DIR (paths relative to the file)
  from: 2014-01-02
  to: 2019-12-31
  options: { cash: 100000, sizing: fixed-risk, commission: 0.005 }   # aq backtest's run options

${options.help}

Exit codes: 0 done, 1 bad data, grid file or ledger, 2 bad options.

Examples:
  aq sweep --grid research/trend.yaml
  aq sweep --grid research/trend.yaml --workers 2 --json reports/sweep.json --returns-out reports/returns.csv
`;

export function defaultLedgerPath(gridPath: string): string {
  return join(dirname(gridPath), `${basename(gridPath)}.ledger.db`);
}

/** The pool for a run: none with one worker (trials run in this thread). */
export function trialPool(run: GridRun, workers: number): TrialPool | undefined {
  if (workers <= 1) return undefined;
  return new TrialPool({ setupModule: require.resolve('./grid-run'), setupArgument: run.grid.path }, workers);
}

export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'run a parameter grid as backtests into a resumable ledger; heatmaps, sensitivity, PBO and DSR',
  help,
  optionNames: options.names,
  async run(argv, io) {
    const { values } = options.parse(argv);
    const run = loadGridRun(values.grid);
    for (const row of run.dropped) io.stderr(`dropped ${row.message}\n`);
    const total = countPoints(run.space);
    const workers = Math.min(values.workers, total);
    io.stdout(planLine(run, total, workers));
    const settings = { bars: run.bars, definition: run.definition, space: run.space, backtest: run.backtest, objective: run.grid.objective, inputs: run.inputs };
    const ledger = openLedger(values.ledger ?? defaultLedgerPath(run.grid.path), sweepFingerprint(settings));
    try {
      const progress = sweepProgress('sweep', io.interactive, io.stderr);
      const pool = trialPool(run, workers);
      try {
        await runSweepInto(ledger, { ...settings, onProgress: (done, all) => progress.update(done, all) }, pool);
      } finally {
        progress.stop();
        await pool?.close();
      }
      const summary = summarizeSweep(ledger, run.space, run.grid.objective);
      const overfitting = ledgerOverfitting(ledger);
      io.stdout(formatSweep(summary, overfitting, run.space.axes.map((axis) => axis.name)));
      if (values.json !== undefined) {
        // The benchmark is beside the best trial: its one backtest is run again for the curve.
        const best = summary.best[0];
        const benchmarkSeries = resolveBenchmark('sweep', run.benchmark, run.universe, run.bars);
        const benchmark = best === undefined ? null : compareWithBenchmark(runTrial(run.bars, run.definition, best.parameters, run.backtest), run.bars, benchmarkSeries);
        writeSweepJson(values.json, ledger, { grid: run.grid.path, strategy: run.definition.name, objective: run.grid.objective, overfitting, summary, benchmark });
        io.stdout(`wrote ${values.json}\n`);
      }
      if (values['returns-out'] !== undefined) {
        writeReturnsCsv(values['returns-out'], ledger);
        io.stdout(`wrote ${values['returns-out']}\n`);
      }
    } finally {
      ledger.close();
    }
    return 0;
  },
};
