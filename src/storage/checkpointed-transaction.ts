import type Database from 'better-sqlite3';
import { checkpoint } from './checkpoints';

/** Runs `body` as one transaction of the database the runner was made for; `label` names it in the checkpoints. */
export type CheckpointedTransaction = <T>(label: string, body: () => T) => T;

/**
 * Transactions of one database with a checkpoint before and after each (checkpoints.ts), so a
 * crash test can stop the process on either side of every commit. `owner` starts every label
 * ("journal", "paper broker"): the checkpoint log then says whose books the step wrote.
 */
export function checkpointedTransactions(db: Database.Database, owner: string): CheckpointedTransaction {
  return (label, body) => {
    checkpoint(`${owner} ${label}: before`);
    const result = db.transaction(body)();
    checkpoint(`${owner} ${label}: after`);
    return result;
  };
}
