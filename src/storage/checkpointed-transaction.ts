import type Database from 'better-sqlite3';
import { checkpoint } from './checkpoints';
import { explainSqliteError } from './storage-errors';

/** Runs `body` as one transaction of the database the runner was made for; `label` names it in the checkpoints. */
export type CheckpointedTransaction = <T>(label: string, body: () => T) => T;

/**
 * Transactions of one database with a checkpoint before and after each (checkpoints.ts), so a
 * crash test can stop the process on either side of every commit. `owner` starts every label
 * ("journal", "paper broker"): the checkpoint log then says whose books the step wrote.
 *
 * Each one is `BEGIN IMMEDIATE`: the write lock is taken before the body reads, so what it reads
 * cannot change before it writes (a deferred transaction would read, then fail to upgrade or
 * write over another writer's change). SQLite's errors about the file come out in words.
 */
export function checkpointedTransactions(db: Database.Database, owner: string): CheckpointedTransaction {
  return (label, body) => {
    checkpoint(`${owner} ${label}: before`);
    let result;
    try {
      result = db.transaction(body).immediate();
    } catch (error) {
      throw explainSqliteError(error, db.name);
    }
    checkpoint(`${owner} ${label}: after`);
    return result;
  };
}
