import type { FactorValues } from '../factors/factor-model';
import type { FeatureValues } from '../features/feature-set';
import type { Order, Rejection } from '../engine/kernel';
import type { ClosedTrade, Portfolio, Side } from '../portfolio/portfolio';
import type { Intent } from '../strategies/strategy';

/**
 * What the journal holds, as the runner reads and writes it (the tables are in journal-schema.ts).
 *
 * Order life: new (decided, not sent) -> sending (about to call the broker: the write-ahead
 * record) -> submitted (the broker has it) -> filled | canceled | expired | rejected.
 */
export type JournalOrderStatus = 'new' | 'sending' | 'submitted' | 'filled' | 'canceled' | 'expired' | 'rejected';

/** Orders the kernel still counts as pending (waiting for their symbol's next open). */
export const activeOrderStatuses: readonly JournalOrderStatus[] = ['new', 'sending', 'submitted'];

export type CycleStatus = 'started' | 'filled' | 'decided' | 'done' | 'skipped';

const cycleOrder: Record<CycleStatus, number> = { started: 0, filled: 1, decided: 2, done: 3, skipped: 3 };

export function cycleReached(status: CycleStatus, wanted: CycleStatus): boolean {
  return cycleOrder[status] >= cycleOrder[wanted];
}

export interface JournalOrder {
  readonly order: Order;
  readonly seq: number;
  readonly status: JournalOrderStatus;
  readonly brokerOrderId: string | null;
  readonly brokerStatus: string | null;
  readonly filledShares: number;
  /** Sum of price x shares of the fills recorded so far (to turn a broker's average into the next fill's price). */
  readonly filledValue: number;
  readonly note: string | null;
}

export interface CycleRow {
  readonly date: string;
  readonly status: CycleStatus;
  readonly equity: number | null;
  readonly cash: number | null;
  readonly positionValue: number | null;
}

export interface DecisionRow {
  readonly date: string;
  readonly symbol: string;
  readonly kind: Intent['kind'];
  readonly reason: string;
  readonly exitReason: string | null;
  readonly factors: FactorValues;
  readonly features: FeatureValues | null;
}

/** An intent as the journal records it, without the feature values (the parity report compares these). */
export function intentRow(date: string, intent: Intent): Omit<DecisionRow, 'features'> {
  return {
    date,
    symbol: intent.symbol,
    kind: intent.kind,
    reason: intent.reason,
    exitReason: intent.kind === 'exit' ? intent.exitReason : null,
    factors: intent.factors,
  };
}

export interface JournalTrade extends ClosedTrade {
  readonly pnlByFactor: Readonly<Record<string, number>>;
}

export interface JournalRejection {
  readonly date: string;
  readonly symbol: string;
  readonly side: Side | null;
  /** The kernel's stages, plus 'broker' for what the broker refused or left unfilled. */
  readonly stage: Rejection['stage'] | 'broker';
  readonly requestedShares: number;
  readonly shares: number;
  readonly rule: string | null;
  readonly reason: string;
}

export interface OrderUpdate {
  readonly id: string;
  readonly status: JournalOrderStatus;
  readonly brokerStatus: string | null;
  readonly filledShares: number;
  readonly filledValue: number;
  readonly note?: string | null;
}

export interface KernelSnapshot {
  readonly portfolio: Portfolio;
  readonly pending: Order[];
  readonly previousEquity: number | null;
}

/** One bar as a cycle used it, with the rolling hash of the symbol's bars up to it. */
export interface InputBar {
  readonly date: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly chain: string;
}
