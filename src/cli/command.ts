import { parseArgs, type ParseArgsConfig } from 'node:util';

/** An error the user caused (bad option, bad file): printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when stderr is an interactive terminal: progress bars only then. */
  readonly interactive: boolean;
}

export interface Command {
  readonly name: string;
  /** One line for `aq --help`. */
  readonly summary: string;
  /** Full text for `aq NAME --help`. */
  readonly help: string;
  /** The options the command accepts, by name without `--` (a test checks that the help documents each). */
  readonly optionNames?: readonly string[];
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Strict option parsing shared by every command: an unknown option or a missing value
 * is a UsageError that names the option, never silently ignored.
 */
export function parseOptions<T extends Options>(
  commandName: string,
  argv: readonly string[],
  options: T,
  allowPositionals = false,
): { values: { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : T[K]['multiple'] extends true ? string[] : string }; positionals: string[] } {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals }) as never;
  } catch (error) {
    throw new UsageError(`aq ${commandName}: ${(error as Error).message} (see 'aq ${commandName} --help')`);
  }
}

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

export function requireOption(commandName: string, value: string | undefined, option: string): string {
  if (value === undefined || value === '') {
    throw new UsageError(`aq ${commandName}: ${option} is required (see 'aq ${commandName} --help')`);
  }
  return value;
}

export function parseNumberOption(
  commandName: string,
  option: string,
  value: string | undefined,
  fallback: number,
  check: (n: number) => boolean = Number.isFinite,
  expectation = 'a finite number',
): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || !check(parsed)) {
    throw new UsageError(`aq ${commandName}: ${option} must be ${expectation}, got "${value}"`);
  }
  return parsed;
}

export function parseDateOption(commandName: string, option: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))
    || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new UsageError(`aq ${commandName}: ${option} must be a date YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

/** argv without the named options (and their values), to hand the rest to a child process. */
export function withoutOptions(argv: readonly string[], flags: readonly string[], valued: readonly string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    const name = token.split('=')[0];
    if (flags.includes(name)) continue;
    if (valued.includes(name)) {
      if (!token.includes('=')) i++;
      continue;
    }
    rest.push(token);
  }
  return rest;
}
