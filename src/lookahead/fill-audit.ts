import type { BarSeries } from '../data/bars';
import type { Fill, Order } from '../orders/order';
import { checkResult, type LookaheadCheckResult, type LookaheadFinding } from './report';

/** The fields of a fill the audit reads: any BacktestResult's fills, or a hand-made list. */
export type AuditedFill = Pick<Fill, 'symbol' | 'date' | 'decisionDate' | 'price'> & Partial<Pick<Fill, 'orderId' | 'side'>>;

function finding(fill: AuditedFill, subject: string, expected: string | number, actual: string | number, explanation: string): LookaheadFinding {
  return { symbol: fill.symbol, date: fill.decisionDate, subject, expected, actual, explanation };
}

function describe(fill: AuditedFill): string {
  return `${fill.side ?? 'fill'}${fill.orderId === undefined ? '' : ` ${fill.orderId}`}`;
}

/** Index of `date` in ascending `dates`, or -1. */
function indexOfDate(dates: readonly string[], date: string): number {
  let low = 0;
  let high = dates.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (dates[middle] === date) return middle;
    if (dates[middle] < date) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** The first problem with one fill, or null. */
function auditFill(fill: AuditedFill, series: BarSeries | undefined, order: Order | undefined): LookaheadFinding | null {
  if (series === undefined) {
    return finding(fill, `${describe(fill)} symbol`, 'a universe symbol', fill.symbol, 'a fill for a symbol without bars cannot be checked against any bar');
  }
  if (order !== undefined && order.decisionDate !== fill.decisionDate) {
    return finding(fill, `${describe(fill)} decision date`, order.decisionDate, fill.decisionDate, 'the fill claims another decision date than its order');
  }
  const decided = indexOfDate(series.dates, fill.decisionDate);
  if (decided < 0) {
    return finding(fill, `${describe(fill)} decision date`, 'a bar date of the symbol', fill.decisionDate, 'an order can only be decided at the close of one of the symbol\'s bars');
  }
  if (!(fill.date > fill.decisionDate)) {
    return finding(fill, `${describe(fill)} fill date`, `after ${fill.decisionDate}`, fill.date,
      'filled on or before the bar it was decided at: the trade used a price known only after the decision was due');
  }
  const next = series.dates[decided + 1];
  if (next === undefined || fill.date !== next) {
    return finding(fill, `${describe(fill)} fill date`, next ?? 'none (the decision bar is the last)', fill.date,
      'a market order decided at a close fills at the symbol\'s next bar, not later and not on a bar that does not exist');
  }
  const low = series.low[decided + 1];
  const high = series.high[decided + 1];
  if (!(fill.price >= low && fill.price <= high)) {
    return finding(fill, `${describe(fill)} price on ${fill.date}`, `${low}..${high}`, fill.price,
      'the price was never traded on the fill bar (outside its low..high)');
  }
  return null;
}

/**
 * Every fill happens on the symbol's next bar after its decision (so strictly later) at a
 * price inside that bar's low..high; with `orders`, each fill's decision date is its order's.
 * A function over plain lists so it can audit any engine's or broker's fills, including a
 * deliberately wrong list in the tests. Reports the first bad fill in list order.
 */
export function auditFills(fills: readonly AuditedFill[], bars: readonly BarSeries[], orders: readonly Order[] = []): LookaheadCheckResult {
  const bySymbol = new Map(bars.map((series) => [series.symbol, series]));
  const orderById = new Map(orders.map((order) => [order.id, order]));
  const coverage = `${fills.length} fill${fills.length === 1 ? '' : 's'}: each on the symbol's next bar after its decision, inside that bar's low..high`;
  for (const fill of fills) {
    const order = fill.orderId === undefined ? undefined : orderById.get(fill.orderId);
    const problem = auditFill(fill, bySymbol.get(fill.symbol), order);
    if (problem !== null) return checkResult('fill-audit', fills.length, coverage, problem);
  }
  return checkResult('fill-audit', fills.length, coverage, null);
}
