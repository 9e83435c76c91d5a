import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadUniverseBars } from '../../data/universe';
import { runBacktest, type BacktestOptions, type BacktestResult } from '../../engine/backtest';
import { defaultFactorModel, dropFactor } from '../../factors/factor-model';
import type { Command } from '../command';
import { dataOptions, dateOptions, runGroups } from '../options/groups';
import { flag, list, text } from '../options/option';
import { commandOptions, group } from '../options/option-set';
import { backtestSettings } from '../options/run-settings';
import { resolveUniverse } from '../universe-option';
import { backtestJson, formatSummary, type LeaveOneOut } from './backtest-output';

const options = commandOptions('backtest', [
  dataOptions,
  dateOptions,
  ...runGroups,
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

Exit codes: 0 done, 1 bad data or configuration, 2 bad options.

Examples:
  aq backtest
  aq backtest --universe MU,GLD,GOOG --data ../shared/data/real/normalized --sizing fixed-risk
  aq backtest --strategy ./my-strategy.ts --from 2015-01-02 --json out.json
`;

export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'run a strategy over a universe and report metrics and attribution',
  help,
  optionNames: options.names,
  async run(argv, io) {
    const { values } = options.parse(argv);
    const universe = resolveUniverse('backtest', values.universe, values.data);
    const { strategy, options: backtestOptions } = backtestSettings(values);
    const dropped = values['drop-factor'];
    const variants = dropped.map((name) => ({ name, model: dropFactor(defaultFactorModel, name) }));
    const { bars, dropped: droppedRows } = loadUniverseBars(universe);
    for (const row of droppedRows) io.stderr(`dropped ${row.message}\n`);
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
    if (!values.quiet) io.stdout(formatSummary(result, { universe: universe.path, leaveOneOut }));
    if (values.json !== undefined) {
      mkdirSync(dirname(values.json), { recursive: true });
      writeFileSync(values.json, `${JSON.stringify(backtestJson(result, leaveOneOut), null, 2)}\n`);
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
