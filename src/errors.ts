/**
 * Bad input data: always names where it is (file, line, column) and the offending value,
 * so a user can open the file at the right line. `userFacing` makes the CLI print the
 * message without a stack trace.
 */
export class DataError extends Error {
  readonly userFacing = true;
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: string,
    readonly value?: string,
  ) {
    super(DataError.format(message, file, line, column, value));
    this.name = 'DataError';
  }

  static format(message: string, file: string, line?: number, column?: string, value?: string): string {
    const where = line === undefined ? file : `${file}:${line}`;
    const what = column === undefined ? '' : ` column "${column}"`;
    const shown = value === undefined ? '' : ` value "${value}"`;
    return `${where}:${what}${shown} ${message}`.replace(/: +/, ': ');
  }
}

/** A configuration problem (universe file, weights, options): names the file or option and the value. */
export class ConfigError extends Error {
  readonly userFacing = true;
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
