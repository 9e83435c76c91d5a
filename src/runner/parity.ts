import type { BacktestResult } from '../engine/backtest';
import { intentRow, type Journal } from './journal';

/**
 * Parity between a journal (paper replay or live) and a backtest over the same data and dates:
 * every decision, order, fill and closed trade must be the same, field for field and bit for bit
 * (prices, shares, factor values). Differences are listed in date order, the first one first.
 */
export type ParityKind = 'fill' | 'trade' | 'decision' | 'order';

export interface Divergence {
  readonly date: string;
  readonly kind: ParityKind;
  readonly key: string;
  /** What the backtest has (null: nothing). */
  readonly backtest: Readonly<Record<string, unknown>> | null;
  /** What the journal has (null: nothing). */
  readonly journal: Readonly<Record<string, unknown>> | null;
  /** Fields that differ, when both sides have the record. */
  readonly fields: readonly string[];
}

export interface ParityReport {
  readonly divergences: readonly Divergence[];
  readonly counts: Readonly<Record<ParityKind, { backtest: number; journal: number }>>;
}

type Row = Readonly<Record<string, unknown>>;

// Within one date: fills happen at the open, trades close with them, decisions and orders at the close.
const kindOrder: Record<ParityKind, number> = { fill: 0, trade: 1, decision: 2, order: 3 };

function compareRows(kind: ParityKind, expected: readonly Row[], actual: readonly Row[], dateOf: (row: Row) => string, keyOf: (row: Row) => string): Divergence[] {
  const divergences: Divergence[] = [];
  const index = (rows: readonly Row[]) => {
    const map = new Map<string, Row[]>();
    for (const row of rows) {
      const key = `${dateOf(row)}|${keyOf(row)}`;
      const list = map.get(key) ?? [];
      list.push(row);
      map.set(key, list);
    }
    return map;
  };
  const left = index(expected);
  const right = index(actual);
  const keys = [...new Set([...left.keys(), ...right.keys()])];
  for (const composite of keys) {
    const [date, key] = [composite.slice(0, composite.indexOf('|')), composite.slice(composite.indexOf('|') + 1)];
    const a = left.get(composite) ?? [];
    const b = right.get(composite) ?? [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const x = a[i] ?? null;
      const y = b[i] ?? null;
      if (x !== null && y !== null) {
        const fields = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((field) => JSON.stringify(x[field]) !== JSON.stringify(y[field]));
        if (fields.length > 0) divergences.push({ date, kind, key, backtest: x, journal: y, fields });
      } else {
        divergences.push({ date, kind, key, backtest: x, journal: y, fields: [] });
      }
    }
  }
  return divergences;
}

function undefinedToNull(value: unknown): unknown {
  return value === undefined ? null : value;
}

export function compareJournalWithBacktest(journal: Journal, backtest: BacktestResult): ParityReport {
  const expectedDecisions: Row[] = backtest.intents.map(({ date, intent }) => intentRow(date, intent));
  const actualDecisions: Row[] = journal.decisions().map((d) => ({
    date: d.date, symbol: d.symbol, kind: d.kind, reason: d.reason, exitReason: d.exitReason, factors: d.factors,
  }));
  const orderRow = (o: { id: string; symbol: string; side: string; shares: number; decisionDate: string; intent: string; reason: string; exitReason?: string; factors: unknown; memo?: unknown }): Row => ({
    id: o.id, symbol: o.symbol, side: o.side, shares: o.shares, decisionDate: o.decisionDate, intent: o.intent,
    reason: o.reason, exitReason: undefinedToNull(o.exitReason), factors: o.factors, memo: undefinedToNull(o.memo),
  });
  const fillRow = (f: { orderId: string; symbol: string; side: string; shares: number; price: number; commission: number; date: string; decisionDate: string }): Row => ({
    orderId: f.orderId, symbol: f.symbol, side: f.side, shares: f.shares, price: f.price, commission: f.commission, date: f.date, decisionDate: f.decisionDate,
  });
  const tradeRow = (t: BacktestResult['trades'][number] | ReturnType<Journal['trades']>[number]): Row => ({
    symbol: t.symbol, signalDate: t.signalDate, entryDate: t.entryDate, entryPrice: t.entryPrice, exitSignalDate: t.exitSignalDate,
    exitDate: t.exitDate, exitPrice: t.exitPrice, exitReason: t.exitReason, shares: t.shares, pnl: t.pnl, commission: t.commission,
  });
  const journalOrders = journal.orders().map((entry) => entry.order);
  const journalFills = journal.fills();
  const journalTrades = journal.trades();
  const divergences = [
    ...compareRows('decision', expectedDecisions, actualDecisions, (r) => r.date as string, (r) => `${r.symbol} ${r.kind}`),
    ...compareRows('order', backtest.orders.map(orderRow), journalOrders.map(orderRow), (r) => r.decisionDate as string, (r) => r.id as string),
    ...compareRows('fill', backtest.fills.map(fillRow), journalFills.map(fillRow), (r) => r.date as string, (r) => r.orderId as string),
    ...compareRows('trade', backtest.trades.map(tradeRow), journalTrades.map(tradeRow), (r) => r.exitDate as string, (r) => `${r.symbol} entered ${r.entryDate}`),
  ].sort((a, b) => (a.date === b.date ? kindOrder[a.kind] - kindOrder[b.kind] || a.key.localeCompare(b.key) : a.date < b.date ? -1 : 1));
  return {
    divergences,
    counts: {
      decision: { backtest: expectedDecisions.length, journal: actualDecisions.length },
      order: { backtest: backtest.orders.length, journal: journalOrders.length },
      fill: { backtest: backtest.fills.length, journal: journalFills.length },
      trade: { backtest: backtest.trades.length, journal: journalTrades.length },
    },
  };
}

function show(row: Readonly<Record<string, unknown>> | null, fields: readonly string[]): string {
  if (row === null) return 'nothing';
  const shown = fields.length > 0 ? fields : Object.keys(row);
  return shown.map((field) => `${field}=${JSON.stringify(row[field])}`).join(' ');
}

export function formatParityReport(report: ParityReport, limit = 20): string {
  const lines: string[] = [];
  const counts = Object.entries(report.counts).map(([kind, c]) => `${kind}s ${c.backtest}/${c.journal}`).join(', ');
  if (report.divergences.length === 0) {
    lines.push(`parity: the journal matches the backtest (backtest/journal: ${counts})`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`parity: ${report.divergences.length} divergence(s) (backtest/journal: ${counts}); first difference first:`);
  for (const d of report.divergences.slice(0, limit)) {
    lines.push(`  ${d.date} ${d.kind} ${d.key}${d.fields.length > 0 ? ` differs in ${d.fields.join(', ')}` : ''}`);
    lines.push(`    backtest: ${show(d.backtest, d.fields)}`);
    lines.push(`    journal:  ${show(d.journal, d.fields)}`);
  }
  if (report.divergences.length > limit) lines.push(`  ... and ${report.divergences.length - limit} more`);
  return `${lines.join('\n')}\n`;
}
