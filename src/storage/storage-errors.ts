/**
 * Errors of the storage room that a user can act on. They are `userFacing` (the CLI prints the
 * message, no stack trace); `exitCode` is the CLI's exit code for them (main.ts).
 */

/** Another process (or another runner in this one) writes this journal now. */
export class JournalBusyError extends Error {
  readonly userFacing = true;
  readonly exitCode = 4;
  constructor(message: string) {
    super(message);
    this.name = 'JournalBusyError';
  }
}

/** A database file that cannot be used as it is: damaged, read-only, not ours, the disk full. */
export class StorageError extends Error {
  readonly userFacing = true;
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'StorageError';
  }
}

/**
 * SQLite's error for `path` in words a user can act on, or the error itself when it is not one of
 * the file's problems (a constraint failing is a bug, not the user's).
 */
export function explainSqliteError(error: unknown, path: string): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
  const message = (error as Error).message;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new JournalBusyError(`${path} is being written by another process (SQLite: ${message}); nothing was changed by this run`);
  }
  if (code.startsWith('SQLITE_READONLY')) return new StorageError(`${path} is read-only (SQLite: ${message}): give write permission to the file and its folder, or use another path`);
  if (code.startsWith('SQLITE_FULL')) return new StorageError(`${path}: the disk is full (SQLite: ${message}); the last change was not recorded`);
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) return new StorageError(`${path} is damaged or not a SQLite database (SQLite: ${message})`);
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_PERM')) {
    return new StorageError(`${path} cannot be read or written (SQLite: ${message})`);
  }
  return error;
}
