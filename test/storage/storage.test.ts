import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { setCheckpointHook } from '../../src/storage/checkpoints';
import { checkpointedTransactions } from '../../src/storage/checkpointed-transaction';
import { statementCache } from '../../src/storage/statement-cache';

/**
 * The storage room on an in-memory database: the checkpoints a transaction passes (the crash
 * tests stop the runner at them by number), what a throwing body or a throwing hook leaves behind,
 * and that a SQL text is prepared once.
 */
describe('storage: checkpointed transactions and the statement cache', () => {
  let db: Database.Database;
  let seen: string[];

  beforeEach(() => {
    db = new Database(':memory:');
    db.exec('CREATE TABLE t (x INTEGER NOT NULL)');
    seen = [];
    setCheckpointHook((step, label) => seen.push(`${step} ${label}`));
  });

  afterEach(() => {
    setCheckpointHook(null);
    db.close();
  });

  const count = () => (db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n;

  it('commits the body between a numbered checkpoint before and after, labelled with its owner', () => {
    const transaction = checkpointedTransactions(db, 'books');
    const result = transaction('insert two', () => {
      db.prepare('INSERT INTO t (x) VALUES (1), (2)').run();
      return 'done';
    });
    transaction('insert one', () => db.prepare('INSERT INTO t (x) VALUES (3)').run());
    assert.equal(result, 'done');
    assert.equal(count(), 3);
    assert.deepEqual(seen, ['1 books insert two: before', '2 books insert two: after', '3 books insert one: before', '4 books insert one: after']);
  });

  it('rolls back a body that throws and passes no after checkpoint', () => {
    const transaction = checkpointedTransactions(db, 'books');
    assert.throws(() => transaction('half', () => {
      db.prepare('INSERT INTO t (x) VALUES (1)').run();
      throw new Error('stopped halfway');
    }), /stopped halfway/);
    assert.equal(count(), 0);
    assert.deepEqual(seen, ['1 books half: before']);
  });

  it('a hook throwing at the after checkpoint leaves the transaction committed (as a kill after the commit would)', () => {
    setCheckpointHook((step) => {
      if (step === 2) throw new Error('killed after the commit');
    });
    const transaction = checkpointedTransactions(db, 'books');
    assert.throws(() => transaction('one', () => db.prepare('INSERT INTO t (x) VALUES (1)').run()), /killed after the commit/);
    assert.equal(count(), 1);
  });

  it('prepares each SQL text once', () => {
    const statement = statementCache(db);
    const sql = 'SELECT COUNT(*) AS n FROM t';
    assert.equal(statement(sql), statement(sql));
    assert.notEqual(statement(sql), statement('SELECT x FROM t'));
  });
});
