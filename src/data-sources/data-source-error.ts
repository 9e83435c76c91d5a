/**
 * A market-data source that cannot deliver: no answer, an HTTP error, missing keys. Not a
 * broker problem (nothing is traded) and not bad data (a bad row is a DataError naming its line),
 * so it has its own type; `userFacing` makes the CLI print the message and exit 1.
 */
export class DataSourceError extends Error {
  readonly userFacing = true;
  constructor(message: string, readonly source: string) {
    super(message);
    this.name = 'DataSourceError';
  }
}
