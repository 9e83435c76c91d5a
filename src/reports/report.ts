/**
 * The self-contained HTML research report of one backtest.
 *
 * One file that opens offline: inline CSS, charts as inline SVG rendered at generation time,
 * no script, no font, image or stylesheet from anywhere else. The same inputs give the same
 * bytes except the single line `<p class="generated-at">…</p>`.
 */
import type { BacktestResult, Trade } from '../engine/backtest';
import type { FactorModel } from '../factors/factor-model';
import type { Metrics } from '../metrics/metrics';
import { barChart, chartHtml, drawdownChart, equityChart, monthlyReturnsHeatmap, type BarDatum } from './charts';
import { escapeHtml, formatMoney, formatNumber, formatPercent, htmlTable, type TableColumn } from './html';
import type { LeaveOneFactorOut } from './leave-one-out';
import { lookaheadPassed, type LookaheadSummary } from './lookahead-summary';
import type { Provenance } from './provenance';
import { drawdownSeries, monthlyReturns } from './series';

export interface ReportOptions {
  readonly title?: string;
  /** Settings shown under "Parameters" (sizing, costs, dates, risk limits, ...), in this order. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Lookahead check results; absent means the checks were not run, and the report says so. */
  readonly lookahead?: LookaheadSummary;
  readonly leaveOneOut?: readonly LeaveOneFactorOut[];
  readonly provenance?: Provenance;
  /** ISO time written on the generated-at line (default: now). */
  readonly generatedAt?: string;
}

/** The one line of a report that changes from run to run; strip it to compare two reports. */
export const generatedAtPattern = /^<p class="generated-at">.*<\/p>$/m;

const styles = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 0; color: #1d2430; background: #f6f7f9; }
main { max-width: 980px; margin: 0 auto; padding: 24px 28px 48px; background: white; }
h1 { font-size: 1.6rem; margin: 0.2rem 0 0.4rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 1px solid #dde1e7; }
h3 { font-size: 1rem; margin: 1.2rem 0 0.4rem; }
p, li { line-height: 1.45; }
nav { font-size: 0.85rem; margin: 0.6rem 0 1rem; }
nav a { margin-right: 0.8rem; color: #1f5f9e; text-decoration: none; }
.subtitle { color: #5a6472; margin: 0; }
.generated-at { color: #5a6472; font-size: 0.85rem; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 1rem 0; }
.card { border: 1px solid #dde1e7; border-radius: 6px; padding: 8px 12px; min-width: 120px; }
.card .label { font-size: 0.75rem; color: #5a6472; text-transform: uppercase; letter-spacing: 0.03em; }
.card .value { font-size: 1.15rem; font-weight: 600; margin-top: 2px; }
table.aq-table { border-collapse: collapse; font-size: 0.85rem; margin: 0.4rem 0 1rem; }
table.aq-table th, table.aq-table td { border-bottom: 1px solid #e6e9ee; padding: 3px 9px; text-align: left; white-space: nowrap; }
table.aq-table th { background: #f0f2f5; font-weight: 600; position: sticky; top: 0; }
table.aq-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.aq-table caption { caption-side: top; text-align: left; font-weight: 600; padding: 4px 0; }
td.gain { color: #1e7a45; } td.loss { color: #b03022; }
td.pass { color: #1e7a45; font-weight: 600; } td.fail { color: #b03022; font-weight: 600; }
.scroll { max-height: 520px; overflow: auto; border: 1px solid #e6e9ee; }
.scroll table.aq-table { margin: 0; }
.wide { overflow-x: auto; }
table.aq-table td.detail { white-space: normal; min-width: 360px; }
table.aq-table td.hash { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.72rem; }
figure.aq-chart { margin: 0.6rem 0 1.2rem; }
figure.aq-chart svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.8rem; color: #5a6472; }
.not-run { border-left: 4px solid #d9a400; background: #fff8e1; padding: 8px 12px; }
.verdict-pass { border-left: 4px solid #1e7a45; background: #edf7f0; padding: 8px 12px; }
.verdict-fail { border-left: 4px solid #b03022; background: #fbeeee; padding: 8px 12px; }
pre { background: #f6f7f9; border: 1px solid #e6e9ee; padding: 8px 10px; font-size: 0.8rem; overflow: auto; }
code { font-size: 0.85em; }
`;

function price(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toFixed(4))) : 'n/a';
}

const gainLoss = (value: number) => (value > 0 ? 'gain' : value < 0 ? 'loss' : undefined);

export function metricsTableRows(metrics: Metrics): { metric: string; value: string }[] {
  const rows: [string, string][] = [
    ['starting equity', formatMoney(metrics.startingEquity)],
    ['final equity', formatMoney(metrics.finalEquity)],
    ['total return', formatPercent(metrics.totalReturn)],
    ['CAGR', formatPercent(metrics.cagr)],
    ['annual volatility', formatPercent(metrics.annualVolatility)],
    ['Sharpe', formatNumber(metrics.sharpe)],
    ['Sortino', formatNumber(metrics.sortino)],
    ['max drawdown', formatPercent(metrics.maxDrawdown)],
    ['longest drawdown', `${metrics.maxDrawdownDays} bars`],
    ['Calmar', formatNumber(metrics.calmar)],
    ['trades', String(metrics.trades)],
    ['win rate', formatPercent(metrics.winRate)],
    ['profit factor', formatNumber(metrics.profitFactor)],
    ['average win', metrics.averageWin === null ? 'n/a' : formatMoney(metrics.averageWin)],
    ['average loss', metrics.averageLoss === null ? 'n/a' : formatMoney(metrics.averageLoss)],
    ['exposure', formatPercent(metrics.exposure)],
    ['turnover (per year)', formatNumber(metrics.turnover)],
  ];
  return rows.map(([metric, value]) => ({ metric, value }));
}

function card(label: string, value: string): string {
  return `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div></div>`;
}

function describeModel(model: FactorModel): string {
  const factors = Object.entries(model.factors).map(([name, terms]) => {
    const sum = terms.map((term) => `${term.weight} × ${term.clamp ? `clamp(${term.feature}, ${term.clamp[0]}, ${term.clamp[1]})` : term.feature}`).join(' + ');
    return `${name} = ${sum}`;
  });
  const score = Object.entries(model.score).map(([name, weight]) => `${weight} × ${name}`).join(' + ');
  return [...factors, `score = ${score}`].join('\n');
}

function tradeColumns(factors: readonly string[]): TableColumn<Trade>[] {
  return [
    { header: 'symbol', value: (trade) => trade.symbol },
    { header: 'signal', value: (trade) => trade.signalDate },
    { header: 'entry', value: (trade) => trade.entryDate },
    { header: 'entry price', value: (trade) => trade.entryPrice, format: price },
    { header: 'exit signal', value: (trade) => trade.exitSignalDate },
    { header: 'exit', value: (trade) => trade.exitDate },
    { header: 'exit price', value: (trade) => trade.exitPrice, format: price },
    { header: 'reason', value: (trade) => trade.exitReason },
    { header: 'shares', value: (trade) => trade.shares, format: (value) => String(value) },
    { header: 'PnL', value: (trade) => trade.pnl, format: (value) => formatMoney(value), cellClass: (trade) => gainLoss(trade.pnl) },
    { header: 'return', value: (trade) => trade.exitPrice / trade.entryPrice - 1, format: (value) => formatPercent(value) },
    ...factors.map((factor): TableColumn<Trade> => ({
      header: `${factor} PnL`,
      value: (trade) => trade.pnlByFactor[factor] ?? 0,
      format: (value) => formatMoney(value),
    })),
  ];
}

/**
 * The lookahead section: a verdict and one PASS/FAIL row per check, or a clearly marked "not run"
 * when there are no results (so a report never implies checks that did not happen).
 */
export function lookaheadHtml(lookahead: LookaheadSummary | undefined): string {
  if (lookahead === undefined) {
    return `<div class="not-run" id="lookahead-not-run"><strong>Lookahead checks: not run.</strong> This report was made without the
lookahead detector, so nothing here proves the strategy only used data available at each decision. Run
<code>aq lookahead</code> on the same strategy and data, or make the report with the checks enabled.</div>`;
  }
  const passed = lookaheadPassed(lookahead);
  const verdict = passed
    ? `<div class="verdict-pass">All ${lookahead.checks.length} lookahead checks passed for <code>${escapeHtml(lookahead.strategy)}</code>.</div>`
    : `<div class="verdict-fail">Lookahead checks FAILED for <code>${escapeHtml(lookahead.strategy)}</code>: the results above may use future data.</div>`;
  const table = htmlTable(lookahead.checks, [
    { header: 'check', value: (check) => check.name },
    { header: 'result', value: (check) => (check.passed ? 'PASS' : 'FAIL'), cellClass: (check) => (check.passed ? 'pass' : 'fail') },
    { header: 'detail', value: (check) => check.detail, cellClass: () => 'detail' },
  ]);
  return `${verdict}\n<div class="wide">${table}</div>`;
}

function provenanceSection(provenance: Provenance | undefined): string {
  if (provenance === undefined) return '<p class="not-run">No provenance was recorded for this report.</p>';
  const facts = htmlTable(
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
  const files = htmlTable(provenance.dataFiles, [
    { header: 'symbol', value: (file) => file.symbol },
    { header: 'file', value: (file) => file.path },
    { header: 'bytes', value: (file) => file.bytes, format: (value) => String(value) },
    { header: 'sha256', value: (file) => file.sha256, cellClass: () => 'hash' },
  ], { caption: 'Data files' });
  return `${facts}\n<div class="wide">${files}</div>\n<h3>Configuration</h3>\n<pre>${escapeHtml(JSON.stringify(provenance.config, null, 2))}</pre>`;
}

function leaveOneOutSection(runs: readonly LeaveOneFactorOut[] | undefined, result: BacktestResult): string {
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
  const table = htmlTable<Row>(rows, [
    { header: 'run', value: (row) => row.run },
    { header: 'attributed to it', value: (row) => row.attributed },
    { header: 'realised PnL', value: (row) => row.realized, format: (value) => formatMoney(value) },
    { header: 'final equity', value: (row) => row.finalEquity, format: (value) => formatMoney(value) },
    { header: 'total return', value: (row) => row.totalReturn, format: (value) => formatPercent(value) },
    { header: 'Sharpe', value: (row) => formatNumber(row.sharpe) },
    { header: 'max drawdown', value: (row) => row.maxDrawdown, format: (value) => formatPercent(value) },
    { header: 'trades', value: (row) => row.trades, format: (value) => String(value) },
  ]);
  return `<h3 id="leave-one-out">Leave one factor out</h3>
<p>The same backtest with one factor's score weight set to 0. Attribution splits each trade's PnL by the factors' shares at entry;
this comparison shows what the strategy does without the factor at all.</p>
<div class="wide">${table}</div>`;
}

/**
 * Renders the report of a backtest as one HTML document (a string; write it to a `.html` file).
 * Async only because the charts are rendered by vega, whose SVG renderer is asynchronous.
 */
export async function renderReport(result: BacktestResult, options: ReportOptions = {}): Promise<string> {
  const curve = result.equityCurve;
  const first = curve[0]?.date ?? 'n/a';
  const last = curve[curve.length - 1]?.date ?? 'n/a';
  const factors = Object.keys(result.factorModel.factors);
  const title = options.title ?? `${result.strategy} on ${result.universe.join(', ')}`;
  const metrics = result.metrics;

  const charts = {
    equity: await chartHtml(equityChart(curve), { id: 'equity', caption: `Cash plus positions at each close, from ${formatMoney(result.startingCash)}.` }),
    drawdown: await chartHtml(drawdownChart(drawdownSeries(curve, result.startingCash)), { id: 'drawdown', caption: `Deepest: ${formatPercent(metrics.maxDrawdown)}; longest: ${metrics.maxDrawdownDays} bars under a previous peak.` }),
    monthly: await chartHtml(monthlyReturnsHeatmap(monthlyReturns(curve, result.startingCash)), { id: 'monthly-returns', caption: 'Month-end equity over the previous month-end equity (the starting cash for the first month).' }),
    byFactor: await chartHtml(
      barChart(factors.map((factor): BarDatum => ({ label: factor, value: result.attribution.byFactor[factor] ?? 0 })), { title: 'Realised PnL by factor', valueTitle: 'PnL' }),
      { id: 'pnl-by-factor' },
    ),
    bySymbol: await chartHtml(
      barChart(result.universe.flatMap((symbol) => factors.map((factor): BarDatum => ({ label: symbol, group: factor, value: result.attribution.bySymbolAndFactor[symbol]?.[factor] ?? 0 }))), { title: 'Realised PnL by symbol and factor', valueTitle: 'PnL' }),
      { id: 'pnl-by-symbol' },
    ),
  };

  const parameters = Object.entries(options.parameters ?? {});
  const parameterTable = parameters.length === 0
    ? ''
    : htmlTable(parameters, [
      { header: 'parameter', value: (row) => row[0] },
      { header: 'value', value: (row) => row[1] },
    ]);
  const attributionRows = [
    ...result.universe.map((symbol) => ({ symbol, byFactor: result.attribution.bySymbolAndFactor[symbol] ?? {}, total: result.attribution.bySymbol[symbol] ?? 0 })),
    { symbol: 'all', byFactor: result.attribution.byFactor, total: result.attribution.totalPnl },
  ];
  type AttributionRow = (typeof attributionRows)[number];
  const attributionTable = htmlTable<AttributionRow>(attributionRows, [
    { header: 'symbol', value: (row) => row.symbol },
    ...factors.map((factor): TableColumn<AttributionRow> => ({ header: factor, value: (row) => row.byFactor[factor] ?? 0, format: (value) => formatMoney(value), cellClass: (row) => gainLoss(row.byFactor[factor] ?? 0) })),
    { header: 'total', value: (row) => row.total, format: (value) => formatMoney(value), cellClass: (row) => gainLoss(row.total) },
  ]);
  const openPositions = result.openPositions.length === 0
    ? '<p>No position open at the end.</p>'
    : htmlTable(result.openPositions, [
      { header: 'symbol', value: (position) => position.symbol },
      { header: 'entry', value: (position) => position.entryDate },
      { header: 'entry price', value: (position) => position.entryPrice, format: price },
      { header: 'shares', value: (position) => position.shares, format: (value) => String(value) },
      { header: 'last close', value: (position) => position.lastClose, format: price },
      { header: 'unrealised PnL', value: (position) => position.unrealizedPnl, format: (value) => formatMoney(value), cellClass: (position) => gainLoss(position.unrealizedPnl) },
    ], { caption: 'Open at the end (not in the trade list or the attribution)' });
  const cut = result.rejected.filter((rejection) => rejection.shares > 0).length;
  const lookaheadBadge = options.lookahead === undefined ? 'not run' : lookaheadPassed(options.lookahead) ? 'passed' : 'FAILED';

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="subtitle">${escapeHtml(`${first} .. ${last}, ${curve.length} trading days, ${result.universe.length} symbols`)}</p>
<p class="generated-at">Generated at ${escapeHtml(options.generatedAt ?? new Date().toISOString())}</p>
<nav><a href="#summary">Summary</a><a href="#metrics">Metrics</a><a href="#equity">Equity</a><a href="#monthly">Monthly returns</a><a href="#trades">Trades</a><a href="#attribution">Attribution</a><a href="#lookahead">Lookahead</a><a href="#provenance">Provenance</a></nav>

<section id="summary">
<h2>Summary</h2>
<div class="cards">
${card('final equity', formatMoney(result.finalEquity))}
${card('total return', formatPercent(metrics.totalReturn))}
${card('CAGR', formatPercent(metrics.cagr))}
${card('Sharpe', formatNumber(metrics.sharpe))}
${card('max drawdown', formatPercent(metrics.maxDrawdown))}
${card('trades', String(metrics.trades))}
${card('lookahead', lookaheadBadge)}
</div>
<p>Strategy <code>${escapeHtml(result.strategy)}</code> on ${escapeHtml(result.universe.join(', '))}, starting with ${escapeHtml(formatMoney(result.startingCash))}.
Decisions at each close, market orders filled at the next open. ${escapeHtml(`${result.orders.length} orders, ${result.fills.length} fills; ${cut} orders cut and ${result.rejected.length - cut} rejected by sizing, risk or cash; ${result.unfilledOrders.length} unfilled at the end.`)}</p>
<h3 id="parameters">Parameters</h3>
${parameterTable}
<pre>${escapeHtml(describeModel(result.factorModel))}</pre>
</section>

<section id="metrics">
<h2>Metrics</h2>
${htmlTable(metricsTableRows(metrics), [
  { header: 'metric', value: (row) => row.metric },
  { header: 'value', value: (row) => row.value },
])}
</section>

<section id="equity">
<h2>Equity and drawdown</h2>
${charts.equity}
${charts.drawdown}
</section>

<section id="monthly">
<h2>Monthly returns</h2>
${charts.monthly}
</section>

<section id="trades">
<h2>Trades</h2>
<p>${escapeHtml(`${result.trades.length} closed round trips. PnL is after commissions; the factor columns split it by the factors' shares at the entry signal.`)}</p>
<div class="scroll">
${htmlTable(result.trades, tradeColumns(factors))}
</div>
${openPositions}
</section>

<section id="attribution">
<h2>Attribution</h2>
${charts.byFactor}
${charts.bySymbol}
${attributionTable}
${leaveOneOutSection(options.leaveOneOut, result)}
</section>

<section id="lookahead">
<h2>Lookahead checks</h2>
${lookaheadHtml(options.lookahead)}
</section>

<section id="provenance">
<h2>Provenance</h2>
${provenanceSection(options.provenance)}
</section>
</main>
</body>
</html>
`;
}
