import type { ParseArgsConfig } from 'node:util';
import { parseOptions } from '../command';
import type { Option, OptionTable, Parsed } from './option';

/** A titled table of options: one section of a command's `--help`. */
export interface OptionGroup<T extends OptionTable = OptionTable> {
  readonly title: string;
  /** Printed under the title, before the options (already wrapped). */
  readonly note?: string;
  readonly options: T;
}

export function group<T extends OptionTable>(title: string, options: T, note?: string): OptionGroup<T> {
  return { title, options, note };
}

/**
 * The same group with some rows' help said for this command (e.g. what `--from` means to a
 * replay): the rows keep their names, types, defaults and checks.
 */
export function describedAs<T extends OptionTable>(
  base: OptionGroup<T>,
  help: { readonly [K in keyof T]?: string },
  title: string = base.title,
  note: string | undefined = base.note,
): OptionGroup<T> {
  const options = Object.fromEntries(Object.entries(base.options).map(([name, row]) => [name, help[name] === undefined ? row : { ...row, help: help[name] }]));
  return { title, note, options: options as unknown as T };
}

type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;

/** The parsed values of every group of a command, by option name. */
export type ParsedGroups<G extends readonly OptionGroup[]> = UnionToIntersection<
  { [I in keyof G]: G[I] extends OptionGroup<infer T> ? Parsed<T> : never }[number]
>;

export interface CommandOptions<V> {
  /** The options part of `--help`: every group, then `-h, --help`. */
  readonly help: string;
  /** Every option's name, without `--`, in help order. */
  readonly names: readonly string[];
  /** Strict parsing (an unknown option or a missing value is a UsageError), then every row's check, in help order. */
  parse(argv: readonly string[]): { readonly values: V; readonly positionals: string[] };
}

const width = 92;
const nameColumn = 26;

/** Words of `text` in lines of at most `room` characters (a word longer than that gets a line of its own). */
function wrap(text: string, room: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((part) => part !== '')) {
    if (line !== '' && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function optionLines(name: string, row: Option): string[] {
  const usage = `  --${name}${row.value === undefined ? '' : ` ${row.value}`}`;
  const text = row.required === true ? `${row.help} (required)` : row.default === undefined ? row.help : `${row.help} (default ${row.default})`;
  const help = wrap(text, width - nameColumn);
  const indent = ' '.repeat(nameColumn);
  // A long `--name VALUE` takes the whole first line; its help starts on the next.
  if (usage.length > nameColumn - 2) return [usage, ...help.map((line) => indent + line)];
  return [usage.padEnd(nameColumn) + (help[0] ?? ''), ...help.slice(1).map((line) => indent + line)];
}

export function groupHelp(option: OptionGroup): string {
  return [
    `${option.title}:`,
    ...(option.note === undefined ? [] : option.note.split('\n').map((line) => `  ${line}`)),
    ...Object.entries(option.options).flatMap(([name, row]) => optionLines(name, row)),
  ].join('\n');
}

/**
 * A command's options from its groups: parseArgs' configuration and the help text both come
 * from the rows, so an option is added, documented and checked in one place.
 */
export function commandOptions<const G extends readonly OptionGroup[]>(
  command: string,
  groups: G,
  settings: { readonly positionals?: boolean } = {},
): CommandOptions<ParsedGroups<G>> {
  const rows = new Map<string, Option>();
  for (const option of groups) {
    for (const [name, row] of Object.entries(option.options)) {
      if (rows.has(name) || name === 'help') throw new Error(`aq ${command}: option --${name} is defined twice`);
      rows.set(name, row);
    }
  }
  const config: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, row] of rows) config[name] = row.multiple === true ? { type: row.type, multiple: true } : { type: row.type };
  const help = `${groups.map(groupHelp).join('\n\n')}\n${'  -h, --help'.padEnd(nameColumn)}show this help`;
  return {
    help,
    names: [...rows.keys()],
    parse(argv) {
      const { values: raw, positionals } = parseOptions(command, argv, config, settings.positionals === true);
      const values: Record<string, unknown> = {};
      for (const [name, row] of rows) {
        values[name] = (row.parse as (value: unknown, context: { command: string; flag: string }) => unknown)(raw[name], { command, flag: `--${name}` });
      }
      return { values: values as ParsedGroups<G>, positionals };
    },
  };
}
