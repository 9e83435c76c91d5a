import type { GridRun } from './grid-run';
import { benchmarkJson, type BenchmarkComparison } from '../../research/benchmark';
import { OverfittingAccumulator } from '../../research/overfitting';
import type { OverfittingSummary } from '../../research/overfitting';
import type { Objective } from '../../research/sweep/grid-file';
import type { Ledger } from '../../research/sweep/ledger';
import type { SweepSummary } from '../../research/sweep/summary';
import type { ParameterValues } from '../../strategies/parameters';
import { writeFileAtomicStreamed } from '../../storage/atomic-file';

/**
 * What `aq sweep` prints and writes: the text tables, the `--json` document (streamed from the
 * ledger, trial by trial) and the `--returns-out` matrix. Numbers in JSON and CSV are
 * JavaScript's shortest round-trip form, so a file read back gives the ledger's values exactly.
 */
export interface SweepOverfitting extends Omit<OverfittingSummary, 'best'> {
  readonly best: { readonly trial: number; readonly params: ParameterValues; readonly sharpe: number; readonly psr: number; readonly dsr: number | null };
}

/** The overfitting statistics of every trial in the ledger, streamed (memory O(trials x blocks)). */
export function ledgerOverfitting(ledger: Ledger, blocks?: number): SweepOverfitting {
  const accumulator = new OverfittingAccumulator({ blocks });
  const parameters: ParameterValues[] = [];
  const trialNumbers: number[] = [];
  for (const trial of ledger.trials()) {
    accumulator.add(trial.returns);
    parameters.push(trial.parameters);
    trialNumbers.push(trial.trial);
  }
  const summary = accumulator.summary();
  const { index, ...best } = summary.best;
  return { ...summary, best: { trial: trialNumbers[index], params: parameters[index], ...best } };
}

const formatNumber = (value: number | null | undefined, digits = 3) => (value === null || value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits));
const formatValue = (value: unknown) => String(value);

/** Columns padded to their widest cell: the first (labels) left-aligned, numbers right-aligned. */
function table(rows: readonly (readonly string[])[], alignRight = true): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  return rows.map((row) => row.map((cell, column) => (column === 0 || !alignRight ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd()).join('\n');
}

export function planLine(run: GridRun, total: number, workers: number): string {
  const gridPoints = run.space.axes.reduce((product, axis) => product * axis.values.length, 1);
  const search = run.space.search.kind === 'grid' ? 'grid' : `random (${run.space.search.samples} samples, seed ${run.space.search.seed})`;
  const constraints = run.space.constraints.length === 0 ? 'no constraints' : `constraints: ${run.space.constraints.join('; ')}`;
  const axes = run.space.axes.map((axis) => `${axis.name} (${axis.values.length})`).join(' x ');
  return `sweep ${run.definition.name}: ${search} over ${axes} = ${gridPoints} points, ${total} trials, ${constraints}, ${workers} worker${workers === 1 ? '' : 's'}\n`;
}

export function formatSweep(summary: SweepSummary, overfitting: SweepOverfitting, names: readonly string[]): string {
  const out: string[] = [];
  out.push(`\nBest trials by ${summary.objective} (${summary.trials} trials):`);
  out.push(table([
    ['trial', ...names, ...(summary.objective === 'sharpe' ? [] : [summary.objective]), 'sharpe', 'cagr', 'max dd', 'trades', 'final equity'],
    ...summary.best.map((trial) => [String(trial.trial), ...names.map((name) => formatValue(trial.parameters[name])),
      ...(summary.objective === 'sharpe' ? [] : [formatNumber(trial.objective)]),
      formatNumber(trial.metrics.sharpe), formatNumber(trial.metrics.cagr), formatNumber(trial.metrics.maxDrawdown), formatNumber(trial.metrics.trades, 0), trial.finalEquity.toFixed(2)]),
  ]));
  for (const heatmap of summary.heatmaps) {
    out.push(`\nHeatmap of ${summary.objective}: ${heatmap.y} (rows) x ${heatmap.x} (columns), other parameters at the best trial's values:`);
    out.push(table([
      [`${heatmap.y} \\ ${heatmap.x}`, ...heatmap.xValues.map(formatValue)],
      ...heatmap.yValues.map((y, row) => [formatValue(y), ...heatmap.cells[row].map((cell) => formatNumber(cell))]),
    ]));
  }
  if (summary.sensitivity.length > 0) {
    out.push(`\nSensitivity of ${summary.objective} (slice: others at the best; mean: over every trial with the value):`);
    for (const one of summary.sensitivity) {
      out.push(`${one.parameter} (spread of the means ${formatNumber(one.spread)}):`);
      out.push(table([
        ['value', ...one.values.map(formatValue)],
        ['slice', ...one.slice.map((value) => formatNumber(value))],
        ['mean', ...one.marginal.map((value) => formatNumber(value))],
      ]).split('\n').map((line) => `  ${line}`).join('\n'));
    }
  }
  const bestParams = names.map((name) => `${name}=${formatValue(overfitting.best.params[name])}`).join(' ');
  out.push(`\nOverfitting (${overfitting.trials} trials; Sharpes annualised):`);
  out.push(table([
    ['best by Sharpe', `trial ${overfitting.best.trial}${bestParams === '' ? '' : ` (${bestParams})`}`],
    ['Sharpe', formatNumber(overfitting.best.sharpe)],
    ['PSR (SR* = 0)', formatNumber(overfitting.best.psr)],
    ['DSR', formatNumber(overfitting.best.dsr)],
    ['PBO (CSCV)', formatNumber(overfitting.pbo)],
    ['degradation slope', formatNumber(overfitting.degradation_slope)],
    ['P(OOS loss)', formatNumber(overfitting.probability_oos_loss)],
    ['MinBTL (years)', formatNumber(overfitting.min_btl_years)],
    ['haircut Sharpe', `Bonferroni ${formatNumber(overfitting.haircut_sharpe.bonferroni)}, Holm ${formatNumber(overfitting.haircut_sharpe.holm)}, BHY ${formatNumber(overfitting.haircut_sharpe.bhy)}`],
  ], false));
  return `${out.join('\n')}\n`;
}

export interface SweepJsonContext {
  readonly grid: string;
  readonly strategy: string;
  readonly objective: Objective;
  readonly overfitting: SweepOverfitting;
  readonly summary: SweepSummary;
  readonly benchmark: BenchmarkComparison | null;
}

/** `--json`: the document, with `trials` streamed from the ledger in trial order. */
export function writeSweepJson(path: string, ledger: Ledger, context: SweepJsonContext): void {
  writeFileAtomicStreamed(path, (write) => {
    write(`{\n  "grid": ${JSON.stringify(context.grid)},\n  "strategy": ${JSON.stringify(context.strategy)},\n  "objective": ${JSON.stringify(context.objective)},\n  "trials": [`);
    let first = true;
    for (const trial of ledger.trials()) {
      write(`${first ? '\n' : ',\n'}    ${JSON.stringify({ trial: trial.trial, params: trial.parameters, metrics: trial.metrics, final_equity: trial.finalEquity })}`);
      first = false;
    }
    const rest = {
      overfitting: context.overfitting,
      best: context.summary.best.map((trial) => ({ trial: trial.trial, params: trial.parameters, objective: finiteOrNull(trial.objective), metrics: trial.metrics, final_equity: trial.finalEquity })),
      heatmaps: context.summary.heatmaps.map((heatmap) => ({ x: heatmap.x, y: heatmap.y, x_values: heatmap.xValues, y_values: heatmap.yValues, cells: heatmap.cells })),
      sensitivity: context.summary.sensitivity,
      benchmark: context.benchmark === null ? null : benchmarkJson(context.benchmark),
    };
    const body = JSON.stringify(rest, null, 2);
    // `rest` pretty-printed without its braces continues the object after "trials".
    write(`\n  ],\n${body.slice(2, -2)}\n}\n`);
  });
}

const finiteOrNull = (value: number) => (Number.isFinite(value) ? value : null);

/**
 * `--returns-out`: `date`, then `trial_0`, `trial_1`, ... A CSV is row-major and the ledger is
 * by trial, so the dates are written in bands, one streamed pass over the ledger per band, with
 * a band sized to hold at most about four million returns in memory.
 */
export function writeReturnsCsv(path: string, ledger: Ledger): void {
  const dates = ledger.dates() ?? [];
  const count = ledger.count();
  const band = Math.max(1, Math.floor(4_000_000 / Math.max(1, count)));
  writeFileAtomicStreamed(path, (write) => {
    let header = 'date';
    for (const trial of ledger.trials()) header += `,trial_${trial.trial}`;
    write(`${header}\n`);
    for (let start = 0; start < dates.length; start += band) {
      const end = Math.min(dates.length, start + band);
      const columns: Float64Array[] = [];
      for (const trial of ledger.trials()) columns.push(trial.returns.slice(start, end));
      for (let day = start; day < end; day++) {
        let line = dates[day];
        for (const column of columns) line += `,${column[day - start]}`;
        write(`${line}\n`);
      }
    }
  });
}
