import type Database from 'better-sqlite3';
import type { Fill, Portfolio } from '../portfolio/portfolio';
import { checkpointedTransactions, type CheckpointedTransaction } from '../storage/checkpointed-transaction';
import { statementCache, type StatementCache } from '../storage/statement-cache';
import type { CycleRow, DecisionRow, JournalOrder, JournalRejection, JournalTrade, KernelSnapshot } from './journal-rows';
import * as queries from './journal-queries';
import { openJournalDatabase, checkJournalPath, type JournalOptions } from './journal-schema';
import { acquireLockFile, type HeldLock } from '../storage/lock-file';
import * as writes from './journal-writes';
import * as inputs from './journal-inputs';

export * from './journal-rows';
export type { JournalOptions } from './journal-schema';
export type { DecisionChange, FillsChange } from './journal-writes';

/**
 * The runner's journal: one SQLite file (WAL) holding everything the runner decided and everything
 * the broker reported, so a restart continues exactly where the last run stopped. Every state
 * change is one transaction; nothing is derived from memory across runs.
 *
 * This class is the journal's one door: its tables (journal-schema.ts), its reads
 * (journal-queries.ts) and its writes (journal-writes.ts) sit behind it, so no SQL leaves them.
 */
export class Journal {
  readonly db: Database.Database;
  /** Prepared statements of this database (statement-cache.ts). */
  private readonly statement: StatementCache;
  /** One transaction, with a checkpoint before and after it (checkpointed-transaction.ts). */
  readonly transaction: CheckpointedTransaction;
  private readonly writer: writes.JournalWriter;

  /** The lock file held while this journal is open for writing (one writer per journal). */
  private readonly lock: HeldLock | null;

  private constructor(readonly path: string, db: Database.Database, lock: HeldLock | null) {
    this.db = db;
    this.lock = lock;
    this.statement = statementCache(db);
    this.transaction = checkpointedTransactions(db, 'journal');
    this.writer = { statement: this.statement, transaction: this.transaction };
  }

  /**
   * Opens a journal; for writing (not read-only, not in memory) it first takes the journal's lock
   * file, held until close: a second writer is refused at once (JournalBusyError, exit 4).
   */
  static open(path: string, options: JournalOptions = {}): Journal {
    const writing = options.readonly !== true && path !== ':memory:';
    if (writing) checkJournalPath(path, true);
    const lock = writing ? acquireLockFile(`${path}.lock`, `journal ${path}`) : null;
    try {
      const journal = new Journal(path, openJournalDatabase(path, options), lock);
      if (lock?.takenOver) journal.recordEvent(null, 'lock', lock.takenOver);
      return journal;
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  /** The stale lock this open took over, in words (null: none). */
  get lockTakenOver(): string | null {
    return this.lock?.takenOver ?? null;
  }

  close(): void {
    if (this.db.open) this.db.close();
    this.lock?.release();
  }

  // ------------------------------------------------------------------ meta

  getMeta(key: string): string | null {
    return queries.meta(this.statement, key);
  }

  /** Writes the settings and starting cash of a new journal. */
  initialize(settings: Readonly<Record<string, unknown>>, startingCash: number): void {
    writes.initialize(this.writer, settings, startingCash);
  }

  // ------------------------------------------------------------------ cycles

  cycle(date: string): CycleRow | null {
    return queries.cycle(this.statement, date);
  }

  lastCycle(): CycleRow | null {
    return queries.lastCycle(this.statement);
  }

  cycles(): CycleRow[] {
    return queries.cycles(this.statement);
  }

  startCycle(date: string): void {
    writes.startCycle(this.writer, date);
  }

  skipCycle(date: string, reason: string): void {
    writes.skipCycle(this.writer, date, reason);
  }

  finishCycle(date: string): void {
    writes.finishCycle(this.writer, date);
  }

  // ------------------------------------------------------------------ state

  portfolio(): Portfolio {
    return queries.portfolio(this.statement, this.path);
  }

  /** Equity at the last decided close before `date`: the kernel's previousEquity. */
  previousEquity(date: string): number | null {
    return queries.previousEquity(this.statement, date);
  }

  kernelSnapshot(date: string): KernelSnapshot {
    return queries.kernelSnapshot(this.statement, this.path, date);
  }

  // ------------------------------------------------------------------ orders

  /** Every order ever decided, in the order they were decided. */
  orders(): JournalOrder[] {
    return queries.orders(this.statement);
  }

  order(id: string): JournalOrder | null {
    return queries.order(this.statement, id);
  }

  /** Orders the kernel still counts as pending (new, sending, submitted). */
  activeOrders(): JournalOrder[] {
    return queries.activeOrders(this.statement);
  }

  /** The orders decided at the close of `date`. */
  ordersForDate(date: string): JournalOrder[] {
    return queries.ordersForDate(this.statement, date);
  }

  /** The orders decided at the close of `date` that the broker has not confirmed yet (new or sending). */
  ordersToSendForDate(date: string): JournalOrder[] {
    return queries.ordersToSendForDate(this.statement, date);
  }

  // ------------------------------------------------------------------ the steps of a cycle

  /** The open's fills of one cycle, in the order they were applied, with everything they changed. */
  recordFills(date: string, change: writes.FillsChange): void {
    writes.recordFills(this.writer, date, change);
  }

  /** The close's decisions of one cycle: intents with their factor values, the new orders (status new), the equity. */
  recordDecision(date: string, change: writes.DecisionChange): void {
    writes.recordDecision(this.writer, date, change);
  }

  markSending(id: string): void {
    writes.markSending(this.writer, id);
  }

  markSubmitted(id: string, brokerOrderId: string, brokerStatus: string, note: string | null = null): void {
    writes.markSubmitted(this.writer, id, brokerOrderId, brokerStatus, note);
  }

  markRejected(id: string, rejection: JournalRejection): void {
    writes.markRejected(this.writer, id, rejection);
  }

  /** An order that was never sent and never will be (its open is over). */
  markUnsent(id: string, rejection: JournalRejection): void {
    writes.markUnsent(this.writer, id, rejection);
  }

  recordEvent(date: string | null, kind: string, message: string): void {
    writes.recordEvent(this.writer, date, kind, message);
  }

  // ------------------------------------------------------------------ inputs (inputs.ts)

  lastInputBar(symbol: string): { date: string; chain: string } | null {
    return inputs.lastInputBar(this.statement, symbol);
  }

  inputBars(symbol: string): import('./journal-rows').InputBar[] {
    return inputs.inputBars(this.statement, symbol);
  }

  lastStrategyFingerprint(): string | null {
    return inputs.lastStrategyFingerprint(this.statement);
  }

  recordInputs(date: string, change: inputs.InputsChange): void {
    inputs.recordInputs(this.writer, date, change);
  }

  // ------------------------------------------------------------------ reading back

  decisions(): DecisionRow[] {
    return queries.decisions(this.statement);
  }

  /** Every fill, in the order it was applied. */
  fills(): Fill[] {
    return queries.fills(this.statement);
  }

  /** The fills of the open of `date`. */
  fillsForDate(date: string): Fill[] {
    return queries.fillsForDate(this.statement, date);
  }

  trades(): JournalTrade[] {
    return queries.trades(this.statement);
  }

  rejections(): JournalRejection[] {
    return queries.rejections(this.statement);
  }

  events(): { date: string | null; kind: string; message: string }[] {
    return queries.events(this.statement);
  }
}
