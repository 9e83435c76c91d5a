import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BarSeries } from '../../data/bars';
import { loadUniverseBars, type Universe } from '../../data/universe';
import { runBacktest, type BacktestOptions, type BacktestResult } from '../../engine/backtest';
import { ConfigError } from '../../errors';
import { defaultFactorModel } from '../../factors/factor-model';
import { checkLookahead, defaultLookaheadCuts, defaultLookaheadSeed } from '../../lookahead';
import { leaveOneFactorOut } from '../../reports/leave-one-out';
import { summarizeLookahead, type LookaheadSummary } from '../../reports/lookahead-summary';
import { createProgress, terminalStream, type Progress } from '../../reports/progress';
import { collectProvenance, displayPath } from '../../reports/provenance';
import { renderReport } from '../../reports/report';
import type { SizingRule } from '../../sizing/sizing';
import type { Strategy } from '../../strategies/strategy';
import type { Command, CommandIo } from '../command';
import { dataOptions, dateOptions, runGroups } from '../options/groups';
import { flag, number, requiredText, text } from '../options/option';
import { commandOptions, group } from '../options/option-set';
import { backtestSettings } from '../options/run-settings';
import { resolveUniverse } from '../universe-option';

const options = commandOptions('report', [
  dataOptions,
  dateOptions,
  ...runGroups,
  group('Research', {
    'leave-one-out': text({ value: 'LIST', default: 'all', help: 'factors to drop one at a time for the comparison table: "all", "none", or names such as momentum,breakout' }),
  }),
  group('Lookahead checks', {
    'skip-lookahead': flag({ help: 'do not run them: the report then says "not run"' }),
    'lookahead-cuts': number({ value: 'K', default: defaultLookaheadCuts, check: (n) => Number.isInteger(n) && n >= 1, expectation: 'an integer >= 1', help: 'cut points per check' }),
    'lookahead-seed': number({ value: 'S', default: defaultLookaheadSeed, check: Number.isInteger, expectation: 'an integer', help: 'seed of the cut points and replacement bars' }),
  }, 'Run by default and shown in the report (see aq lookahead --help), with the same strategy,\ndata, sizing, costs and risk limits, over every bar (--from and --to do not apply: the\nchecks need the whole history).'),
  group('Output', {
    out: requiredText({ value: 'FILE', help: 'the HTML file to write (folders are created)' }),
    title: text({ value: 'TEXT', help: "the report's title (default: strategy on symbols)" }),
  }),
]);

const help = `Usage: aq report --out OUT.html [--universe FILE.yaml | --universe MU,GLD,GOOG --data DIR] [options]

Runs a backtest and writes ONE self-contained HTML research report: summary and
parameters, metrics, equity curve, drawdown, monthly returns heatmap, trade list,
realised PnL by factor and by symbol, leave-one-factor-out runs, the lookahead
check results, and provenance (configuration, sha256 of every data file, library
version, git commit).

The file opens offline in any browser: styles are inline, charts are SVG drawn
when the report is made, and it loads nothing (no script, font, image or CDN).
The same inputs give the same file byte for byte, apart from the one line
"Generated at ...".

${options.help}

Progress bars are drawn on standard error when it is a terminal (not in CI).
Exit codes: 0 written, 1 bad data or configuration, 2 bad options.

Examples:
  aq report --out reports/trend-breakout.html
  aq report --universe MU,GLD,GOOG --data ../shared/data/real/normalized --sizing fixed-risk --out reports/real.html
`;

/** The factors of `--leave-one-out` ("all", "none" or a comma-separated list), checked against the model. */
export function parseLeaveOneOut(value: string | undefined, factors: readonly string[]): string[] {
  const spec = (value ?? 'all').trim();
  if (spec === 'all') return [...factors];
  if (spec === 'none' || spec === '') return [];
  const names = spec.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!factors.includes(name)) throw new ConfigError(`--leave-one-out: unknown factor "${name}" (known: ${factors.join(', ')}; or all, none)`);
  }
  return names;
}

function describeSizing(sizing: SizingRule): string {
  return sizing.kind === 'equal-weight' ? 'equal weight: floor(equity / N / close)' : `fixed risk ${sizing.risk} at ${sizing.stopVolatilities} volatilities, capped at equity / N`;
}

/** What the report shows under "Parameters" and records verbatim in the provenance. */
export function reportParameters(strategy: Strategy, universe: Universe, options: BacktestOptions): { parameters: Record<string, string>; config: Record<string, unknown> } {
  const costs = { commissionPerShare: 0, minimumCommission: 0, slippageBps: 0, ...options.costs };
  const risk = options.risk ?? {};
  const parameters: Record<string, string> = {
    strategy: strategy.description === undefined ? strategy.name : `${strategy.name}: ${strategy.description}`,
    universe: `${universe.symbols.join(', ')} (${displayPath(universe.path)})`,
    'starting cash': String(options.startingCash ?? 100_000),
    sizing: describeSizing(options.sizing ?? { kind: 'equal-weight' }),
    costs: `commission ${costs.commissionPerShare}/share (minimum ${costs.minimumCommission}), slippage ${costs.slippageBps} bps`,
    'risk limits': Object.keys(risk).length === 0 ? 'none' : JSON.stringify(risk),
    dates: `${options.from ?? 'first bar'} .. ${options.to ?? 'last bar'}`,
  };
  const config = {
    strategy: strategy.name,
    universe: universe.symbols,
    universeSource: displayPath(universe.path),
    loader: universe.options,
    startingCash: options.startingCash ?? 100_000,
    sizing: options.sizing ?? { kind: 'equal-weight' },
    costs,
    risk,
    from: options.from ?? null,
    to: options.to ?? null,
    featurePeriods: options.featurePeriods ?? 'defaults',
    factorModel: options.factorModel ?? defaultFactorModel,
  };
  return { parameters, config };
}

export interface ReportRun {
  readonly out: string;
  readonly bars: readonly BarSeries[];
  readonly universe: Universe;
  readonly strategy: Strategy;
  readonly backtestOptions: BacktestOptions;
  readonly result: BacktestResult;
  readonly leaveOneOut: readonly string[];
  readonly lookahead?: LookaheadSummary;
  readonly title?: string;
  /** The command line, recorded in the provenance. */
  readonly command: string;
  readonly progress: Progress;
}

/** Leave-one-out runs, provenance, rendering and writing: shared by `aq report` and `aq backtest --report`. */
export async function writeReport(run: ReportRun): Promise<void> {
  const leaveOneOutTask = run.progress.task('leave one factor out', Math.max(1, run.leaveOneOut.length));
  const leaveOneOut = leaveOneFactorOut(run.bars, run.strategy, run.result, run.backtestOptions, run.leaveOneOut, (index) => leaveOneOutTask.update(index));
  leaveOneOutTask.stop();
  const { parameters, config } = reportParameters(run.strategy, run.universe, run.backtestOptions);
  const provenance = collectProvenance({ files: run.universe.files, config, command: run.command });
  const html = await renderReport(run.result, { title: run.title, parameters, lookahead: run.lookahead, leaveOneOut, provenance });
  mkdirSync(dirname(run.out), { recursive: true });
  writeFileSync(run.out, html);
}

/** The four lookahead checks on the report's strategy, data and settings, as the report shows them. */
function runLookahead(strategy: string, universe: Universe, options: BacktestOptions, cuts: number, seed: number, progress: Progress): LookaheadSummary {
  const { from: _from, to: _to, onProgress: _onProgress, ...backtest } = options;
  // Reference run, prefix, one run per cut, fill audit: the detector reports each step by name.
  const task = progress.task('lookahead checks', cuts + 3);
  let steps = 0;
  try {
    return summarizeLookahead(checkLookahead({ strategy, universe, cuts, seed, backtest, onProgress: () => task.update(steps++) }));
  } finally {
    task.stop();
  }
}

export function commandLine(name: string, argv: readonly string[]): string {
  return ['aq', name, ...argv.map((arg) => (/^[\w./,:=@+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`))].join(' ');
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'backtest and write a self-contained HTML research report',
  help,
  optionNames: options.names,
  async run(argv, io: CommandIo) {
    const { values } = options.parse(argv);
    const out = values.out;
    const universe = resolveUniverse('report', values.universe, values.data);
    const { strategy, options: backtestOptions } = backtestSettings(values, 'report');
    const leaveOneOut = parseLeaveOneOut(values['leave-one-out'], Object.keys(defaultFactorModel.factors));
    const lookaheadCuts = values['lookahead-cuts'];
    const lookaheadSeed = values['lookahead-seed'];
    const progress = createProgress({ interactive: io.interactive, stream: terminalStream(io.stderr) });

    const { bars, dropped } = loadUniverseBars(universe);
    for (const row of dropped) io.stderr(`dropped ${row.message}\n`);
    const backtestTask = progress.task('backtest', 100);
    const result = runBacktest(bars, strategy, { ...backtestOptions, onProgress: (done) => backtestTask.update(Math.round(done * 100)) });
    backtestTask.stop();
    const lookahead = values['skip-lookahead']
      ? undefined
      : runLookahead(values.strategy, universe, backtestOptions, lookaheadCuts, lookaheadSeed, progress);
    await writeReport({
      out,
      bars,
      universe,
      strategy,
      backtestOptions,
      result,
      leaveOneOut,
      lookahead,
      title: values.title,
      command: commandLine('report', argv),
      progress,
    });
    io.stdout(`wrote ${out}\n`);
    return 0;
  },
};
