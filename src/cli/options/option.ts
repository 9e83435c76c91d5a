import { parseDateOption, parseNumberOption, UsageError } from '../command';

/** Which option of which command a value came from: every error names both. */
export interface OptionContext {
  /** `backtest`, `data sample`: as in "aq backtest: ...". */
  readonly command: string;
  /** `--cash`. */
  readonly flag: string;
}

interface Described {
  /** What the option does, one sentence or two; the help wraps it. */
  readonly help: string;
}

interface OptionRow<Raw, T> extends Described {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  /** The value's name in the help: `X` in `--cash X`. Flags have none. */
  readonly value?: string;
  /** The default as the help shows it, "(default 100000)"; absent when there is none to show. */
  readonly default?: string;
  /** Shown as "(required)"; `parse` refuses an absent value. */
  readonly required?: boolean;
  /** Checks what was typed and turns it into the run's value; a bad value is a UsageError naming the flag. */
  readonly parse: (raw: Raw, context: OptionContext) => T;
}

export interface StringOption<T> extends OptionRow<string | undefined, T> {
  readonly type: 'string';
  readonly multiple?: false;
  readonly value: string;
}

export interface ListOption<T> extends OptionRow<string[] | undefined, T> {
  readonly type: 'string';
  readonly multiple: true;
  readonly value: string;
}

export interface FlagOption extends OptionRow<boolean | undefined, boolean> {
  readonly type: 'boolean';
}

export type Option = StringOption<unknown> | ListOption<unknown> | FlagOption;

/** One option group: the option name as typed (without `--`) to its row. */
export type OptionTable = Readonly<Record<string, Option>>;

/** What a table's rows give once parsed, by option name. */
export type Parsed<T extends OptionTable> = { -readonly [K in keyof T]: ReturnType<T[K]['parse']> };

/** `--name VALUE`, returned as typed; with a default, never undefined. */
export function text(row: Described & { readonly value: string; readonly default: string }): StringOption<string>;
export function text(row: Described & { readonly value: string }): StringOption<string | undefined>;
export function text(row: Described & { readonly value: string; readonly default?: string }): StringOption<string | undefined> {
  return { type: 'string', value: row.value, help: row.help, default: row.default, parse: (raw) => raw ?? row.default };
}

/** `--name VALUE`, required: absent or empty is a UsageError. */
export function requiredText(row: Described & { readonly value: string }): StringOption<string> {
  return {
    type: 'string',
    value: row.value,
    help: row.help,
    required: true,
    parse: (raw, { command, flag }) => {
      if (raw === undefined || raw === '') throw new UsageError(`aq ${command}: ${flag} is required (see 'aq ${command} --help')`);
      return raw;
    },
  };
}

interface NumberRow extends Described {
  readonly value?: string;
  /** Whether a finite number is allowed (finiteness is always checked). */
  readonly check?: (value: number) => boolean;
  /** What `check` allows, for the error: "a number > 0". */
  readonly expectation?: string;
}

/** `--name X`, a finite number passing `check`; with a default, never undefined. */
export function number(row: NumberRow & { readonly default: number }): StringOption<number>;
export function number(row: NumberRow): StringOption<number | undefined>;
export function number(row: NumberRow & { readonly default?: number }): StringOption<number | undefined> {
  return {
    type: 'string',
    value: row.value ?? 'X',
    help: row.help,
    default: row.default === undefined ? undefined : String(row.default),
    parse: (raw, { command, flag }) => (raw === undefined
      ? row.default
      : parseNumberOption(command, flag, raw, Number.NaN, row.check, row.expectation)),
  };
}

/** `--name DATE` (YYYY-MM-DD, a real calendar date) or undefined. */
export function date(row: Described & { readonly value?: string }): StringOption<string | undefined> {
  return { type: 'string', value: row.value ?? 'DATE', help: row.help, parse: (raw, { command, flag }) => parseDateOption(command, flag, raw) };
}

/** `--name A|B`: one of `choices` (an alias may be accepted without being shown in `value`). */
export function choice<const C extends string>(row: Described & {
  readonly choices: readonly C[];
  readonly default: C;
  readonly value?: string;
  /** What the error says is allowed, if not the choices in quotes. */
  readonly expectation?: string;
}): StringOption<C> {
  const expectation = row.expectation ?? row.choices.map((name) => `"${name}"`).join(' or ');
  return {
    type: 'string',
    value: row.value ?? row.choices.join('|'),
    help: row.help,
    default: row.default,
    parse: (raw, { command, flag }) => {
      if (raw === undefined) return row.default;
      if (!(row.choices as readonly string[]).includes(raw)) throw new UsageError(`aq ${command}: ${flag} must be ${expectation}, got "${raw}"`);
      return raw as C;
    },
  };
}

/** `--name VALUE`, repeatable; every value in order, none when absent. */
export function list(row: Described & { readonly value: string }): ListOption<string[]> {
  return { type: 'string', multiple: true, value: row.value, help: `${row.help}; repeatable`, parse: (raw) => raw ?? [] };
}

/** `--name`: true when given. */
export function flag(row: Described): FlagOption {
  return { type: 'boolean', help: row.help, parse: (raw) => raw === true };
}
