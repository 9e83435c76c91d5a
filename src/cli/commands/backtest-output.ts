import type { BacktestResult } from '../../engine/backtest';
import type { Metrics } from '../../metrics/metrics';
import type { BenchmarkComparison } from '../../research/benchmark';
import type { Comparison } from '../../research/compare';

/** Result of a run with one factor's score weight set to 0, shown beside the attribution. */
export interface LeaveOneOut {
  readonly dropped: string;
  readonly finalEquity: number;
  readonly realizedPnl: number;
  readonly trades: number;
  readonly sharpe: number | null;
}

const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(2)}%`);
const number = (value: number | null, digits = 2) => (value === null ? 'n/a' : value.toFixed(digits));
const money = (value: number) => value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')).join('\n');
}

export function metricRows(metrics: Metrics): string[][] {
  return [
    ['final equity', money(metrics.finalEquity)],
    ['total return', percent(metrics.totalReturn)],
    ['CAGR', percent(metrics.cagr)],
    ['annual volatility', percent(metrics.annualVolatility)],
    ['Sharpe', number(metrics.sharpe)],
    ['Sortino', number(metrics.sortino)],
    ['max drawdown', percent(metrics.maxDrawdown)],
    ['max drawdown duration', `${metrics.maxDrawdownDays} bars`],
    ['Calmar', number(metrics.calmar)],
    ['trades', String(metrics.trades)],
    ['win rate', percent(metrics.winRate)],
    ['profit factor', number(metrics.profitFactor)],
    ['average win', metrics.averageWin === null ? 'n/a' : money(metrics.averageWin)],
    ['average loss', metrics.averageLoss === null ? 'n/a' : money(metrics.averageLoss)],
    ['exposure', percent(metrics.exposure)],
    ['turnover (per year)', number(metrics.turnover)],
  ];
}

/** The metrics table with the benchmark's column where it has the figure, then the relative figures. */
export function metricTable(metrics: Metrics, benchmark: BenchmarkComparison | undefined): string {
  const rows = metricRows(metrics);
  if (benchmark === undefined) return table([['metric', 'value'], ...rows]);
  if ('unavailable' in benchmark) return `${table([['metric', 'value'], ...rows])}\n\nbenchmark (${benchmark.label}): ${benchmark.unavailable}`;
  const b = benchmark.metrics;
  const beside: Record<string, string> = {
    'final equity': money(benchmark.finalEquity),
    'total return': percent(b.totalReturn),
    CAGR: percent(b.cagr),
    'annual volatility': percent(b.annualVolatility),
    Sharpe: number(b.sharpe),
    'max drawdown': percent(b.maxDrawdown),
  };
  const r = benchmark.relative;
  return [
    `benchmark: ${benchmark.label}, bought ${benchmark.startDate}`,
    table([['metric', 'strategy', 'benchmark'], ...rows.map(([name, value]) => [name, value, beside[name] ?? ''])]),
    '',
    table([
      ['against the benchmark', 'value'],
      ['alpha (annualised)', percent(r.alpha)],
      ['beta', number(r.beta)],
      ['correlation', number(r.correlation)],
      ['tracking error', percent(r.trackingError)],
      ['information ratio', number(r.informationRatio)],
      ['probabilistic Sharpe (vs 0)', number(benchmark.strategyPsr, 3)],
    ]),
  ].join('\n');
}

/** Strategies side by side (`aq backtest --strategy A --strategy B`), the benchmark last. */
export function formatComparison(comparison: Comparison): string {
  const rows = comparison.table.objects() as Array<Record<string, number | string | null>>;
  return `${table([
    ['strategy', 'total return', 'CAGR', 'volatility', 'Sharpe', 'max drawdown', 'trades', 'final equity'],
    ...rows.map((row) => [
      String(row.name),
      percent(row.total_return as number),
      percent(row.cagr as number | null),
      percent(row.volatility as number | null),
      number(row.sharpe as number | null),
      percent(row.max_drawdown as number),
      String(row.trades),
      money(row.final_equity as number),
    ]),
  ])}\n`;
}

export function formatSummary(result: BacktestResult, context: { universe: string; leaveOneOut: readonly LeaveOneOut[]; benchmark?: BenchmarkComparison }): string {
  const first = result.equityCurve[0]?.date ?? 'n/a';
  const last = result.equityCurve[result.equityCurve.length - 1]?.date ?? 'n/a';
  const factors = Object.keys(result.attribution.byFactor);
  const parameters = Object.entries(result.parameters ?? {}).map(([name, value]) => `${name}=${String(value)}`).join(' ');
  const lines: string[] = [
    `${result.strategy} on ${describeUniverse(result.universe)} (${context.universe}), ${first} .. ${last}`,
    ...(parameters === '' ? [] : [`parameters: ${parameters}`]),
    '',
    metricTable(result.metrics, context.benchmark),
    '',
    'Realised PnL by factor and symbol',
    table([
      ['symbol', ...factors, 'total'],
      ...result.universe.map((symbol) => [
        symbol,
        ...factors.map((factor) => money(result.attribution.bySymbolAndFactor[symbol]?.[factor] ?? 0)),
        money(result.attribution.bySymbol[symbol] ?? 0),
      ]),
      ['all', ...factors.map((factor) => money(result.attribution.byFactor[factor])), money(result.attribution.totalPnl)],
    ]),
  ];
  if (context.leaveOneOut.length > 0) {
    lines.push('', 'Leave one factor out (the same run with that factor\'s score weight at 0)');
    lines.push(table([
      ['run', 'realised PnL', 'attributed', 'final equity', 'trades', 'Sharpe'],
      ['all factors', money(result.attribution.totalPnl), '', money(result.finalEquity), String(result.trades.length), number(result.metrics.sharpe)],
      ...context.leaveOneOut.map((run) => [
        `without ${run.dropped}`,
        money(run.realizedPnl),
        `${run.dropped}: ${money(result.attribution.byFactor[run.dropped] ?? 0)}`,
        money(run.finalEquity),
        String(run.trades),
        number(run.sharpe),
      ]),
    ]));
  }
  if (result.openPositions.length > 0) {
    lines.push('', `Open at the end: ${result.openPositions.map((position) => `${position.symbol} ${position.shares} sh (unrealised ${money(position.unrealizedPnl)})`).join(', ')}`);
  }
  const cut = result.rejected.filter((rejection) => rejection.shares > 0).length;
  if (result.rejected.length > 0) {
    lines.push('', `Orders cut: ${cut}, rejected: ${result.rejected.length - cut} (listed under "rejected" in --json)`);
  }
  return `${lines.join('\n')}\n`;
}

/** "MU, GLD, GOOG" for a few symbols; "101 symbols (AAPL, ABBV, ... ZTS)" for many. */
export function describeUniverse(symbols: readonly string[]): string {
  if (symbols.length <= 8) return symbols.join(', ');
  return `${symbols.length} symbols (${symbols.slice(0, 3).join(', ')}, ... ${symbols[symbols.length - 1]})`;
}

/** The `--json` document, with the field names the issue tracker's users expect (snake_case). */
export function backtestJson(
  result: BacktestResult,
  leaveOneOut: readonly LeaveOneOut[],
  extra: { readonly benchmark?: Record<string, unknown>; readonly configuration?: Record<string, unknown> } = {},
) {
  return {
    strategy: result.strategy,
    parameters: result.parameters ?? {},
    configuration: extra.configuration,
    benchmark: extra.benchmark,
    universe: result.universe,
    starting_cash: result.startingCash,
    final_equity: result.finalEquity,
    trades: result.trades.map((trade) => ({
      symbol: trade.symbol,
      signal_date: trade.signalDate,
      entry_date: trade.entryDate,
      entry_price: trade.entryPrice,
      exit_signal_date: trade.exitSignalDate,
      exit_date: trade.exitDate,
      exit_price: trade.exitPrice,
      exit_reason: trade.exitReason,
      shares: trade.shares,
      pnl: trade.pnl,
      commission: trade.commission,
      entry_factors: trade.entryFactors,
      pnl_by_factor: trade.pnlByFactor,
    })),
    open_positions: result.openPositions.map((position) => ({
      symbol: position.symbol,
      shares: position.shares,
      signal_date: position.signalDate,
      entry_date: position.entryDate,
      entry_price: position.entryPrice,
      last_close: position.lastClose,
      unrealized_pnl: position.unrealizedPnl,
    })),
    attribution: {
      total_pnl: result.attribution.totalPnl,
      by_factor: result.attribution.byFactor,
      by_symbol: result.attribution.bySymbol,
      by_symbol_and_factor: result.attribution.bySymbolAndFactor,
      leave_one_factor_out: leaveOneOut.map((run) => ({
        dropped: run.dropped,
        realized_pnl: run.realizedPnl,
        final_equity: run.finalEquity,
        trades: run.trades,
        sharpe: run.sharpe,
      })),
    },
    metrics: result.metrics,
    equity_curve: result.equityCurve.map((point) => ({ date: point.date, equity: point.equity })),
    rejected: result.rejected,
    unfilled_orders: result.unfilledOrders,
  };
}
