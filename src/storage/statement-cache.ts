import type Database from 'better-sqlite3';

/** Prepares a SQL text on first use and returns the same prepared statement after that. */
export type StatementCache = (sql: string) => Database.Statement;

/**
 * `statement(sql)` for one database: each SQL text is prepared once and then reused, since
 * preparing is most of the cost of a small query. The journal and the paper broker share it.
 */
export function statementCache(db: Database.Database): StatementCache {
  const statements = new Map<string, Database.Statement>();
  return (sql) => {
    let prepared = statements.get(sql);
    if (prepared === undefined) {
      prepared = db.prepare(sql);
      statements.set(sql, prepared);
    }
    return prepared;
  };
}
