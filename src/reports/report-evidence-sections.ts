/**
 * The report's sections that explain and back up the result: attribution (with the
 * leave-one-factor-out runs), the lookahead checks and the provenance. Same rules as
 * report-sections.ts: one function per section, all text through the html`` template.
 */
import type { BacktestResult } from '../engine/backtest';
import type { LeaveOneFactorOut } from '../research/leave-one-out';
import { chartHtml } from './chart-rendering';
import { barChart, type BarDatum } from './chart-specs';
import { formatMoney, formatNumber, formatPercent, tableHtml, type TableColumn } from './html';
import { html, rawHtml, type SafeHtml } from './html-template';
import { lookaheadPassed, type LookaheadSummary } from './lookahead-summary';
import type { Provenance } from './provenance';

const gainLoss = (value: number) => (value > 0 ? 'gain' : value < 0 ? 'loss' : undefined);

function leaveOneOutTable(runs: readonly LeaveOneFactorOut[] | undefined, result: BacktestResult): SafeHtml | '' {
  if (runs === undefined || runs.length === 0) return '';
  const rows = [
    { run: 'all factors', attributed: '', realized: result.attribution.totalPnl, finalEquity: result.finalEquity, totalReturn: result.metrics.totalReturn, sharpe: result.metrics.sharpe, maxDrawdown: result.metrics.maxDrawdown, trades: result.trades.length },
    ...runs.map((run) => ({
      run: `without ${run.dropped}`,
      attributed: formatMoney(run.attributedPnl),
      realized: run.realizedPnl,
      finalEquity: run.finalEquity,
      totalReturn: run.totalReturn,
      sharpe: run.sharpe,
      maxDrawdown: run.maxDrawdown,
      trades: run.trades,
    })),
  ];
  type Row = (typeof rows)[number];
  const table = tableHtml<Row>(rows, [
    { header: 'run', value: (row) => row.run },
    { header: 'attributed to it', value: (row) => row.attributed },
    { header: 'realised PnL', value: (row) => row.realized, format: (value) => formatMoney(value) },
    { header: 'final equity', value: (row) => row.finalEquity, format: (value) => formatMoney(value) },
    { header: 'total return', value: (row) => row.totalReturn, format: (value) => formatPercent(value) },
    { header: 'Sharpe', value: (row) => formatNumber(row.sharpe) },
    { header: 'max drawdown', value: (row) => row.maxDrawdown, format: (value) => formatPercent(value) },
    { header: 'trades', value: (row) => row.trades, format: (value) => String(value) },
  ]);
  return html`<h3 id="leave-one-out">Leave one factor out</h3>
<p>The same backtest with one factor's score weight set to 0. Attribution splits each trade's PnL by the factors' shares at entry;
this comparison shows what the strategy does without the factor at all.</p>
<div class="wide">${table}</div>`;
}

/** Realised PnL by factor and by symbol (charts and table), then the leave-one-factor-out runs if any. */
export async function attributionSection(result: BacktestResult, leaveOneOut: readonly LeaveOneFactorOut[] | undefined): Promise<SafeHtml> {
  const factors = Object.keys(result.factorModel.factors);
  const attribution = result.attribution;
  const byFactor = rawHtml(await chartHtml(
    barChart(factors.map((factor): BarDatum => ({ label: factor, value: attribution.byFactor[factor] ?? 0 })), { title: 'Realised PnL by factor', valueTitle: 'PnL' }),
    { id: 'pnl-by-factor' },
  ));
  const bySymbol = rawHtml(await chartHtml(
    barChart(result.universe.flatMap((symbol) => factors.map((factor): BarDatum => ({ label: symbol, group: factor, value: attribution.bySymbolAndFactor[symbol]?.[factor] ?? 0 }))), { title: 'Realised PnL by symbol and factor', valueTitle: 'PnL' }),
    { id: 'pnl-by-symbol' },
  ));
  const rows = [
    ...result.universe.map((symbol) => ({ symbol, byFactor: attribution.bySymbolAndFactor[symbol] ?? {}, total: attribution.bySymbol[symbol] ?? 0 })),
    { symbol: 'all', byFactor: attribution.byFactor, total: attribution.totalPnl },
  ];
  type Row = (typeof rows)[number];
  const table = tableHtml<Row>(rows, [
    { header: 'symbol', value: (row) => row.symbol },
    ...factors.map((factor): TableColumn<Row> => ({ header: factor, value: (row) => row.byFactor[factor] ?? 0, format: (value) => formatMoney(value), cellClass: (row) => gainLoss(row.byFactor[factor] ?? 0) })),
    { header: 'total', value: (row) => row.total, format: (value) => formatMoney(value), cellClass: (row) => gainLoss(row.total) },
  ]);
  return html`<section id="attribution">
<h2>Attribution</h2>
${byFactor}
${bySymbol}
${table}
${leaveOneOutTable(leaveOneOut, result)}
</section>`;
}

function lookaheadMarkup(lookahead: LookaheadSummary | undefined): SafeHtml {
  if (lookahead === undefined) {
    return html`<div class="not-run" id="lookahead-not-run"><strong>Lookahead checks: not run.</strong> This report was made without the
lookahead detector, so nothing here proves the strategy only used data available at each decision. Run
<code>aq lookahead</code> on the same strategy and data, or make the report with the checks enabled.</div>`;
  }
  const verdict = lookaheadPassed(lookahead)
    ? html`<div class="verdict-pass">All ${lookahead.checks.length} lookahead checks passed for <code>${lookahead.strategy}</code>.</div>`
    : html`<div class="verdict-fail">Lookahead checks FAILED for <code>${lookahead.strategy}</code>: the results above may use future data.</div>`;
  const table = tableHtml(lookahead.checks, [
    { header: 'check', value: (check) => check.name },
    { header: 'result', value: (check) => (check.passed ? 'PASS' : 'FAIL'), cellClass: (check) => (check.passed ? 'pass' : 'fail') },
    { header: 'detail', value: (check) => check.detail, cellClass: () => 'detail' },
  ]);
  return html`${verdict}\n<div class="wide">${table}</div>`;
}

/**
 * The lookahead results: a verdict and one PASS/FAIL row per check, or a clearly marked "not run"
 * when there are no results (so a report never implies checks that did not happen).
 */
export function lookaheadHtml(lookahead: LookaheadSummary | undefined): string {
  return lookaheadMarkup(lookahead).toString();
}

export function lookaheadSection(lookahead: LookaheadSummary | undefined): SafeHtml {
  return html`<section id="lookahead">
<h2>Lookahead checks</h2>
${lookaheadMarkup(lookahead)}
</section>`;
}

function provenanceMarkup(provenance: Provenance | undefined): SafeHtml {
  if (provenance === undefined) return html`<p class="not-run">No provenance was recorded for this report.</p>`;
  const facts = tableHtml(
    [
      ['library', `aq-research ${provenance.libraryVersion}`],
      ['git commit', provenance.gitCommit],
      ['node', provenance.nodeVersion],
      ...(provenance.command === undefined ? [] : [['command', provenance.command]]),
    ],
    [
      { header: 'item', value: (row) => row[0] },
      { header: 'value', value: (row) => row[1] },
    ],
  );
  const files = tableHtml(provenance.dataFiles, [
    { header: 'symbol', value: (file) => file.symbol },
    { header: 'file', value: (file) => file.path },
    { header: 'bytes', value: (file) => file.bytes, format: (value) => String(value) },
    { header: 'sha256', value: (file) => file.sha256, cellClass: () => 'hash' },
  ], { caption: 'Data files' });
  return html`${facts}\n<div class="wide">${files}</div>\n<h3>Configuration</h3>\n<pre>${JSON.stringify(provenance.config, null, 2)}</pre>`;
}

/** Library version, git commit, node, the command, every data file's sha256 and the configuration. */
export function provenanceSection(provenance: Provenance | undefined): SafeHtml {
  return html`<section id="provenance">
<h2>Provenance</h2>
${provenanceMarkup(provenance)}
</section>`;
}
