/**
 * The sections of the backtest report (report.ts), one function each, in the order they appear.
 * Every piece of text goes through the html`` template, so nothing here escapes by hand.
 */
import type { BacktestResult, Trade } from '../engine/backtest';
import type { FactorModel } from '../factors/factor-model';
import type { Metrics } from '../metrics/metrics';
import { chartHtml } from './chart-rendering';
import { drawdownChart, equityChart, monthlyReturnsHeatmap } from './chart-specs';
import { formatMoney, formatNumber, formatPercent, tableHtml, type TableColumn } from './html';
import { html, rawHtml, type SafeHtml } from './html-template';
import { lookaheadPassed, type LookaheadSummary } from './lookahead-summary';
import { drawdownSeries, monthlyReturns } from './series';

function price(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toFixed(4))) : 'n/a';
}

const gainLoss = (value: number) => (value > 0 ? 'gain' : value < 0 ? 'loss' : undefined);

/** A rendered chart (already HTML) as markup for a section. */
async function chart(...args: Parameters<typeof chartHtml>): Promise<SafeHtml> {
  return rawHtml(await chartHtml(...args));
}

function factorNames(result: BacktestResult): string[] {
  return Object.keys(result.factorModel.factors);
}

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

function card(label: string, value: string): SafeHtml {
  return html`<div class="card"><div class="label">${label}</div><div class="value">${value}</div></div>`;
}

function describeModel(model: FactorModel): string {
  const factors = Object.entries(model.factors).map(([name, terms]) => {
    const sum = terms.map((term) => `${term.weight} × ${term.clamp ? `clamp(${term.feature}, ${term.clamp[0]}, ${term.clamp[1]})` : term.feature}`).join(' + ');
    return `${name} = ${sum}`;
  });
  const score = Object.entries(model.score).map(([name, weight]) => `${weight} × ${name}`).join(' + ');
  return [...factors, `score = ${score}`].join('\n');
}

/** Title, period, the generated-at line (the one line that changes between runs) and the section links. */
export function headerSection(result: BacktestResult, title: string, generatedAt: string): SafeHtml {
  const curve = result.equityCurve;
  const first = curve[0]?.date ?? 'n/a';
  const last = curve[curve.length - 1]?.date ?? 'n/a';
  return html`<h1>${title}</h1>
<p class="subtitle">${`${first} .. ${last}, ${curve.length} trading days, ${result.universe.length} symbols`}</p>
<p class="generated-at">Generated at ${generatedAt}</p>
<nav><a href="#summary">Summary</a><a href="#metrics">Metrics</a><a href="#equity">Equity</a><a href="#monthly">Monthly returns</a><a href="#trades">Trades</a><a href="#attribution">Attribution</a><a href="#lookahead">Lookahead</a><a href="#provenance">Provenance</a></nav>`;
}

/** Headline cards, what was run, the parameters and the factor model's formulas. */
export function summarySection(result: BacktestResult, parameters: Readonly<Record<string, string>>, lookahead: LookaheadSummary | undefined): SafeHtml {
  const metrics = result.metrics;
  const parameterRows = Object.entries(parameters);
  const parameterTable = parameterRows.length === 0
    ? ''
    : tableHtml(parameterRows, [
      { header: 'parameter', value: (row) => row[0] },
      { header: 'value', value: (row) => row[1] },
    ]);
  const cut = result.rejected.filter((rejection) => rejection.shares > 0).length;
  const lookaheadBadge = lookahead === undefined ? 'not run' : lookaheadPassed(lookahead) ? 'passed' : 'FAILED';
  return html`<section id="summary">
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
<p>Strategy <code>${result.strategy}</code> on ${result.universe.join(', ')}, starting with ${formatMoney(result.startingCash)}.
Decisions at each close, market orders filled at the next open. ${`${result.orders.length} orders, ${result.fills.length} fills; ${cut} orders cut and ${result.rejected.length - cut} rejected by sizing, risk or cash; ${result.unfilledOrders.length} unfilled at the end.`}</p>
<h3 id="parameters">Parameters</h3>
${parameterTable}
<pre>${describeModel(result.factorModel)}</pre>
</section>`;
}

export function metricsSection(metrics: Metrics): SafeHtml {
  return html`<section id="metrics">
<h2>Metrics</h2>
${tableHtml(metricsTableRows(metrics), [
  { header: 'metric', value: (row) => row.metric },
  { header: 'value', value: (row) => row.value },
])}
</section>`;
}

export async function equitySection(result: BacktestResult): Promise<SafeHtml> {
  const curve = result.equityCurve;
  const metrics = result.metrics;
  const equity = await chart(equityChart(curve), { id: 'equity', caption: `Cash plus positions at each close, from ${formatMoney(result.startingCash)}.` });
  const drawdown = await chart(drawdownChart(drawdownSeries(curve, result.startingCash)), { id: 'drawdown', caption: `Deepest: ${formatPercent(metrics.maxDrawdown)}; longest: ${metrics.maxDrawdownDays} bars under a previous peak.` });
  return html`<section id="equity">
<h2>Equity and drawdown</h2>
${equity}
${drawdown}
</section>`;
}

export async function monthlySection(result: BacktestResult): Promise<SafeHtml> {
  const monthly = await chart(monthlyReturnsHeatmap(monthlyReturns(result.equityCurve, result.startingCash)), { id: 'monthly-returns', caption: 'Month-end equity over the previous month-end equity (the starting cash for the first month).' });
  return html`<section id="monthly">
<h2>Monthly returns</h2>
${monthly}
</section>`;
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

/** Closed round trips, then the positions still open at the end. */
export function tradesSection(result: BacktestResult): SafeHtml {
  const openPositions = result.openPositions.length === 0
    ? html`<p>No position open at the end.</p>`
    : tableHtml(result.openPositions, [
      { header: 'symbol', value: (position) => position.symbol },
      { header: 'entry', value: (position) => position.entryDate },
      { header: 'entry price', value: (position) => position.entryPrice, format: price },
      { header: 'shares', value: (position) => position.shares, format: (value) => String(value) },
      { header: 'last close', value: (position) => position.lastClose, format: price },
      { header: 'unrealised PnL', value: (position) => position.unrealizedPnl, format: (value) => formatMoney(value), cellClass: (position) => gainLoss(position.unrealizedPnl) },
    ], { caption: 'Open at the end (not in the trade list or the attribution)' });
  return html`<section id="trades">
<h2>Trades</h2>
<p>${`${result.trades.length} closed round trips. PnL is after commissions; the factor columns split it by the factors' shares at the entry signal.`}</p>
<div class="scroll">
${tableHtml(result.trades, tradeColumns(factorNames(result)))}
</div>
${openPositions}
</section>`;
}
