import { openLedger } from '../../research/sweep/ledger';
import { objectives, type Objective } from '../../research/sweep/grid-file';
import { runSweepInto } from '../../research/sweep/parallel-sweep';
import { sweepFingerprint } from '../../research/sweep/sweep';
import { parseBarLength } from '../../research/walk-forward/folds';
import { walkForwardWith, type WalkForwardResult } from '../../research/walk-forward/walk-forward';
import { ConfigError } from '../../errors';
import { UsageError, type Command } from '../command';
import { choice, flag, requiredText, text } from '../options/option';
import { commandOptions, group } from '../options/option-set';
import { writeFileAtomicStreamed } from '../../storage/atomic-file';
import { loadGridRun } from './grid-run';
import { trialPool, workerOption } from './sweep';
import { ledgerOverfitting, type SweepOverfitting } from './sweep-output';
import { sweepProgress } from './sweep-progress';

const options = commandOptions('walk-forward', [
  group('Walk-forward', {
    grid: requiredText({ value: 'FILE.yaml', help: 'the grid file (as aq sweep reads it): strategy, parameter values, data, dates and run options' }),
    train: requiredText({ value: 'N', help: 'training window: bars, or a length such as 3y, 6m, 10w (y = 252, m = 21, w = 5 bars)' }),
    test: requiredText({ value: 'M', help: 'test window, as --train' }),
    anchored: flag({ help: 'every training window starts at the first bar (default: rolling, the window slides by the test length)' }),
    objective: choice({ choices: ['grid', ...objectives], default: 'grid', value: objectives.join('|'), help: "what the training sweeps maximise (default: the grid file's objective)" }),
    workers: workerOption,
  }),
  group('Output', {
    json: text({ value: 'FILE', help: 'write the folds, the stitched out-of-sample equity curve and metrics, the efficiency and the whole search\'s DSR and PBO as JSON' }),
  }),
]);

const wholeSearchNote = 'the DSR and PBO of the whole search are those of the sweep of the grid over the whole period (the trials aq sweep would run on the same grid file): the folds\' training sweeps cover different windows, so their trials have no common returns to compare; a parameter set that overfits the whole period shows there.';

const help = `Usage: aq walk-forward --grid FILE.yaml --train N --test M [--anchored] [--objective sharpe] [--json OUT] [--workers N]

Walks forward through the grid file's dates: for each fold, a sweep of the grid over the
training window picks the parameters with the best objective; the test window right after
it is then an ordinary backtest with them, starting flat with the previous fold's final
equity as cash (its features warm up on the bars before it). Each fold's test is exactly
'aq backtest --from TEST_FROM --to TEST_TO --cash <previous final equity> --param ...'.

Prints the folds, the metrics of the stitched out-of-sample equity curve, the walk-forward
efficiency (annualised OOS return / mean annualised IS return of the chosen trials; undefined,
with the reason, when the IS return is not positive), the share of profitable folds and the
largest fold's share of the profit. The DSR and PBO of the whole search: ${wholeSearchNote}

${options.help}

Exit codes: 0 done, 1 bad data or grid file, 2 bad options.

Examples:
  aq walk-forward --grid research/trend.yaml --train 3y --test 6m
  aq walk-forward --grid research/trend.yaml --train 504 --test 126 --anchored --json reports/wf.json
`;

function barLength(text: string, option: string): number {
  try {
    return parseBarLength(text, option);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`aq walk-forward: ${error.message}`);
    throw error;
  }
}

const format = (value: number | null | undefined, digits = 3) => (value === null || value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits));

function formatWalkForward(result: WalkForwardResult, names: readonly string[], whole: SweepOverfitting): string {
  const rows = [['fold', 'train', 'test', ...names, 'IS sharpe', 'OOS sharpe', 'OOS return', 'final equity']];
  for (const fold of result.folds) {
    rows.push([String(fold.index + 1), `${fold.trainFrom}..${fold.trainTo}`, `${fold.testFrom}..${fold.testTo}`, ...names.map((name) => String(fold.parameters[name])),
      format(fold.trainMetrics.sharpe), format(fold.testMetrics.sharpe), format(fold.finalEquity / fold.startingCash - 1), fold.finalEquity.toFixed(2)]);
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) => row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  '));
  const m = result.metrics;
  return [
    ...lines,
    '',
    `Out of sample (stitched): total return ${format(m.totalReturn)}, CAGR ${format(m.cagr)}, Sharpe ${format(m.sharpe)}, max drawdown ${format(m.maxDrawdown)}, trades ${m.trades}`,
    `Walk-forward efficiency: ${result.efficiency === null ? result.efficiencyNote : format(result.efficiency)}`,
    `Profitable folds: ${format(result.profitableFolds)}; largest fold's share of the profit: ${format(result.largestFoldProfitShare)}`,
    `Whole search (${whole.trials} trials over the whole period): DSR ${format(whole.best.dsr)}, PBO ${format(whole.pbo)}, best Sharpe ${format(whole.best.sharpe)}`,
    '',
  ].join('\n');
}

export function walkForwardJson(grid: string, strategy: string, objective: Objective, settings: { train: number; test: number; anchored: boolean }, result: WalkForwardResult, whole: SweepOverfitting) {
  return {
    grid,
    strategy,
    objective,
    train_bars: settings.train,
    test_bars: settings.test,
    anchored: settings.anchored,
    folds: result.folds.map((fold) => ({
      fold: fold.index + 1,
      train_from: fold.trainFrom,
      train_to: fold.trainTo,
      test_from: fold.testFrom,
      test_to: fold.testTo,
      params: fold.parameters,
      trials: fold.trials,
      train_metrics: fold.trainMetrics,
      test_metrics: fold.testMetrics,
      starting_cash: fold.startingCash,
      final_equity: fold.finalEquity,
      trades: fold.test.trades.length,
    })),
    out_of_sample: { metrics: result.metrics, equity_curve: result.equityCurve.map((point) => ({ date: point.date, equity: point.equity })) },
    efficiency: result.efficiency,
    efficiency_note: result.efficiencyNote,
    profitable_folds: result.profitableFolds,
    largest_fold_profit_share: result.largestFoldProfitShare,
    whole_search: { definition: wholeSearchNote, ...whole },
  };
}

export const walkForwardCommand: Command = {
  name: 'walk-forward',
  summary: 'walk forward: pick parameters by sweeping each training window, test them on the next',
  help,
  optionNames: options.names,
  async run(argv, io) {
    const { values } = options.parse(argv);
    const train = barLength(values.train, '--train');
    const test = barLength(values.test, '--test');
    const run = loadGridRun(values.grid);
    for (const row of run.dropped) io.stderr(`dropped ${row.message}\n`);
    const objective: Objective = values.objective === 'grid' ? run.grid.objective : values.objective;
    const progress = sweepProgress('walk-forward', io.interactive, io.stderr);
    const pool = trialPool(run, values.workers);
    let result: WalkForwardResult;
    let whole: SweepOverfitting;
    try {
      result = await walkForwardWith(
        { bars: run.bars, definition: run.definition, space: run.space, backtest: run.backtest, objective, train, test, anchored: values.anchored },
        (ledger, sweep) => runSweepInto(ledger, { ...sweep, onProgress: (done, total) => progress.update(done, total) }, pool),
      );
      const settings = { bars: run.bars, definition: run.definition, space: run.space, backtest: run.backtest, objective, inputs: run.inputs };
      const ledger = openLedger(':memory:', sweepFingerprint(settings));
      try {
        await runSweepInto(ledger, settings, pool);
        whole = ledgerOverfitting(ledger);
      } finally {
        ledger.close();
      }
    } finally {
      progress.stop();
      await pool?.close();
    }
    io.stdout(formatWalkForward(result, run.space.axes.map((axis) => axis.name), whole));
    if (values.json !== undefined) {
      const document = walkForwardJson(run.grid.path, run.definition.name, objective, { train, test, anchored: values.anchored }, result, whole);
      writeFileAtomicStreamed(values.json, (write) => write(`${JSON.stringify(document, null, 2)}\n`));
      io.stdout(`wrote ${values.json}\n`);
    }
    return 0;
  },
};
