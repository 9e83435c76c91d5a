import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadUniverseBars } from '../../data/universe';
import { runBacktest, type BacktestOptions, type BacktestResult } from '../../engine/backtest';
import { defaultFactorModel, dropFactor } from '../../factors/factor-model';
import type { Command } from '../command';
import { benchmarkJson, compareWithBenchmark } from '../../research/benchmark';
import { compareStrategies } from '../../research/compare';
import { resolveBenchmark } from '../benchmark-option';
import { benchmarkOptions, comparedStrategyOptions, costOptions, dataOptions, dateOptions, riskOptions, sizingOptions, trendBreakoutParametersHelp } from '../options/groups';
import { runConfiguration } from '../run-record';
import { flag, list, text } from '../options/option';
import { commandOptions, group } from '../options/option-set';
import { backtestSettings } from '../options/run-settings';
import { resolveUniverse } from '../universe-option';
import { backtestJson, formatComparison, formatSummary, type LeaveOneOut } from './backtest-output';

const options = commandOptions('backtest', [
  dataOptions,
  dateOptions,
  comparedStrategyOptions,
  sizingOptions,
  costOptions,
  riskOptions,
  benchmarkOptions,
  group('Research', {
    'drop-factor': list({ value: 'NAME', help: 'also run without factor NAME (its score weight set to 0) and show the result beside the attribution' }),
  }),
  group('Output', {
    json: text({ value: 'FILE', help: 'write the full result as JSON (trades, open positions, attribution, metrics, equity curve, rejected orders)' }),
    report: text({ value: 'FILE', help: "also write the self-contained HTML report (see 'aq report --help'; the lookahead checks are run by aq report only)" }),
    quiet: flag({ help: 'print nothing but errors' }),
  }),
]);

const help = `Usage: aq backtest [--universe FILE.yaml | --universe MU,GLD,GOOG --data DIR] [options]

Runs a strategy over a universe of daily bars: decide at each close, fill market
orders at the next open (the rules of shared/trend-breakout-spec.md), then prints
the metrics, the attribution of realised PnL by factor and by symbol, and the
rejected or cut orders.

${options.help}

${trendBreakoutParametersHelp}

Every result is shown beside the benchmark: the equal-weight buy and hold of the universe
(bought at the close of the first date on which every symbol has a bar, fractional shares, no
costs), or of --benchmark's one series. --json records the whole configuration, data file
hashes and the command line that repeats the run.

Exit codes: 0 done, 1 bad data or configuration, 2 bad options.

Examples:
  aq backtest
  aq backtest --universe MU,GLD,GOOG --data ../shared/data/real/normalized --sizing fixed-risk
  aq backtest --strategy ./my-strategy.ts --from 2015-01-02 --json out.json
  aq backtest --param stop=3 --param roc=10
  aq backtest --strategy trend-breakout --strategy trend-breakout:stop=3,momentum=0.8
`;

export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'run a strategy over a universe and report metrics and attribution',
  help,
  optionNames: options.names,
  async run(argv, io) {
    const { values } = options.parse(argv);
    const universe = resolveUniverse('backtest', values.universe, values.data);
    const { strategy, strategies, options: backtestOptions } = backtestSettings(values);
    const dropped = values['drop-factor'];
    const variants = dropped.map((name) => ({ name, model: dropFactor(strategy.factorModel ?? defaultFactorModel, name) }));
    const { bars, dropped: droppedRows } = loadUniverseBars(universe);
    for (const row of droppedRows) io.stderr(`dropped ${row.message}\n`);
    const benchmarkSeries = resolveBenchmark('backtest', values.benchmark, universe, bars);
    // A bar per run on a terminal (a 500-symbol universe takes seconds); nothing in CI or a pipe.
    const progress = io.interactive
      ? (require('../../reports/progress') as typeof import('../../reports/progress')).createProgress({ interactive: true, stream: process.stderr })
      : undefined;
    const tracked = (label: string, options: BacktestOptions): BacktestResult => {
      const task = progress?.task(label, 100);
      try {
        return runBacktest(bars, strategy, task === undefined ? options : { ...options, onProgress: (done) => task.update(Math.round(done * 100)) });
      } finally {
        task?.stop();
      }
    };
    const result: BacktestResult = tracked('backtest', backtestOptions);
    const leaveOneOut: LeaveOneOut[] = variants.map(({ name, model }) => {
      const variant = tracked(`without ${name}`, { ...backtestOptions, factorModel: model });
      return { dropped: name, finalEquity: variant.finalEquity, realizedPnl: variant.attribution.totalPnl, trades: variant.trades.length, sharpe: variant.metrics.sharpe };
    });
    const benchmark = compareWithBenchmark(result, bars, benchmarkSeries);
    if (!values.quiet) io.stdout(formatSummary(result, { universe: universe.path, leaveOneOut, benchmark }));
    const comparison = strategies.length > 1
      ? compareStrategies(bars, strategies.map((one) => ({ strategy: one, options: backtestOptions })), benchmarkSeries)
      : undefined;
    if (comparison !== undefined && !values.quiet) io.stdout(`\nComparison over the same data\n${formatComparison(comparison)}`);
    if (values.json !== undefined) {
      mkdirSync(dirname(values.json), { recursive: true });
      const configuration = runConfiguration({ universe, strategySpec: values.strategy[0] ?? 'trend-breakout', strategy, options: backtestOptions, benchmark: values.benchmark });
      const document = {
        ...backtestJson(result, leaveOneOut, { benchmark: benchmarkJson(benchmark), configuration }),
        comparison: comparison?.table.objects(),
      };
      writeFileSync(values.json, `${JSON.stringify(document, null, 2)}\n`);
      if (!values.quiet) io.stdout(`wrote ${values.json}\n`);
    }
    if (values.report !== undefined) {
      // The report pulls in the chart renderer (vega): load it only when a report is asked for.
      const { commandLine, writeReport } = require('./report') as typeof import('./report');
      const { createProgress, terminalStream } = require('../../reports/progress') as typeof import('../../reports/progress');
      await writeReport({ out: values.report, bars, universe, strategy, backtestOptions, result, leaveOneOut: dropped, command: commandLine('backtest', argv), progress: createProgress({ interactive: io.interactive, stream: terminalStream(io.stderr) }) });
      if (!values.quiet) io.stdout(`wrote ${values.report}\n`);
    }
    return 0;
  },
};
