import { ConfigError } from '../errors';

/**
 * A strategy's parameters, declared once: the CLI's `--param NAME=VALUE`, sweep grids, the
 * JSON, the report and the paper journal all read the same declarations, so a value is checked
 * the same way wherever it comes from and a run can be repeated from what was recorded.
 */
export type ParameterSpec = IntegerParameter | NumberParameter | ChoiceParameter | BooleanParameter;

interface ParameterBase {
  readonly name: string;
  /** One line for `--help` and the report. */
  readonly help: string;
}

export interface IntegerParameter extends ParameterBase {
  readonly kind: 'integer';
  readonly min: number;
  readonly max: number;
  readonly default: number;
}

export interface NumberParameter extends ParameterBase {
  readonly kind: 'number';
  readonly min: number;
  readonly max: number;
  readonly default: number;
}

export interface ChoiceParameter extends ParameterBase {
  readonly kind: 'choice';
  readonly choices: readonly string[];
  readonly default: string;
}

export interface BooleanParameter extends ParameterBase {
  readonly kind: 'boolean';
  readonly default: boolean;
}

export type ParameterValue = number | string | boolean;
/** Every declared parameter with its value, in declaration order. */
export type ParameterValues = Readonly<Record<string, ParameterValue>>;

/**
 * A parameter the user got wrong: names the parameter and what it accepts. The CLI maps it to
 * a usage error (exit 2); `userFacing` keeps the stack trace out of the message.
 */
export class ParameterError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'ParameterError';
  }
}

/** What a parameter accepts, as error messages and `--help` show it. */
export function describeRange(spec: ParameterSpec): string {
  switch (spec.kind) {
    case 'integer':
      return `an integer in ${spec.min}..${spec.max}`;
    case 'number':
      return `a number in ${spec.min}..${spec.max}`;
    case 'choice':
      return `one of ${spec.choices.join(', ')}`;
    case 'boolean':
      return 'true or false';
  }
}

// Decimal only: `0x10`, `1e3` for an integer, ` 5` or `5abc` are typos, not values.
const decimalPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** One value from text (the command line) or from a parsed file (YAML numbers, booleans). */
export function parseParameterValue(spec: ParameterSpec, raw: unknown, where: string): ParameterValue {
  const wrong = () =>
    new ParameterError(`${where}: parameter "${spec.name}" must be ${describeRange(spec)}, got ${JSON.stringify(raw) ?? String(raw)}`);
  switch (spec.kind) {
    case 'integer':
    case 'number': {
      let value: number;
      if (typeof raw === 'number') value = raw;
      else if (typeof raw === 'string' && decimalPattern.test(raw.trim())) value = Number(raw.trim());
      else throw wrong();
      if (!Number.isFinite(value) || value < spec.min || value > spec.max) throw wrong();
      if (spec.kind === 'integer' && !Number.isInteger(value)) throw wrong();
      // -0 and 0 must be one setting: they would otherwise print and hash differently.
      return value === 0 ? 0 : value;
    }
    case 'choice': {
      if (typeof raw !== 'string' || !spec.choices.includes(raw)) throw wrong();
      return raw;
    }
    case 'boolean': {
      if (raw === true || raw === 'true') return true;
      if (raw === false || raw === 'false') return false;
      throw wrong();
    }
  }
}

/**
 * The full set of values: every given one checked against its declaration, every other at its
 * default. An unknown name is an error that lists the known ones (a typo must not run the
 * default silently).
 */
export function resolveParameters(
  specs: readonly ParameterSpec[],
  given: Readonly<Record<string, unknown>> = {},
  where = 'parameters',
): ParameterValues {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  for (const name of Object.keys(given)) {
    if (!byName.has(name)) {
      const known = specs.length === 0 ? 'this strategy declares no parameters' : `known: ${specs.map((spec) => spec.name).join(', ')}`;
      throw new ParameterError(`${where}: unknown parameter "${name}" (${known})`);
    }
  }
  const values: Record<string, ParameterValue> = {};
  for (const spec of specs) {
    values[spec.name] = Object.hasOwn(given, spec.name) ? parseParameterValue(spec, given[spec.name], where) : spec.default;
  }
  return Object.freeze(values);
}

/** `NAME=VALUE` pairs from repeated `--param` options; a repeated name is an error, not "last wins". */
export function parseParameterAssignments(assignments: readonly string[], where = '--param'): Record<string, string> {
  const given: Record<string, string> = {};
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw new ParameterError(`${where}: expected NAME=VALUE, got "${assignment}"`);
    const name = assignment.slice(0, equals).trim();
    if (Object.hasOwn(given, name)) throw new ParameterError(`${where}: parameter "${name}" given twice`);
    given[name] = assignment.slice(equals + 1);
  }
  return given;
}

/** Checks a strategy module's own declarations, so its author hears of a mistake at load time. */
export function validateParameterSpecs(specs: unknown, where: string): readonly ParameterSpec[] {
  if (!Array.isArray(specs)) throw new ConfigError(`${where}: "parameters" must be a list of declarations`);
  const seen = new Set<string>();
  return specs.map((spec: unknown, index) => {
    const at = `${where}: parameters[${index}]`;
    if (typeof spec !== 'object' || spec === null) throw new ConfigError(`${at} must be an object`);
    const candidate = spec as Partial<ParameterSpec> & Record<string, unknown>;
    if (typeof candidate.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(candidate.name)) {
      throw new ConfigError(`${at}: "name" must be a word of letters, digits and _ , got ${JSON.stringify(candidate.name)}`);
    }
    if (seen.has(candidate.name)) throw new ConfigError(`${at}: parameter "${candidate.name}" declared twice`);
    seen.add(candidate.name);
    if (typeof candidate.help !== 'string') throw new ConfigError(`${at} (${candidate.name}): "help" must be a line of text`);
    const checked = spec as ParameterSpec;
    switch (checked.kind) {
      case 'integer':
      case 'number':
        if (!Number.isFinite(checked.min) || !Number.isFinite(checked.max) || checked.min > checked.max) {
          throw new ConfigError(`${at} (${checked.name}): "min" and "max" must be finite numbers with min <= max`);
        }
        break;
      case 'choice':
        if (!Array.isArray(checked.choices) || checked.choices.length === 0 || !checked.choices.every((c) => typeof c === 'string')) {
          throw new ConfigError(`${at} (${checked.name}): "choices" must be a non-empty list of strings`);
        }
        break;
      case 'boolean':
        break;
      default:
        throw new ConfigError(`${at} (${candidate.name}): "kind" must be integer, number, choice or boolean, got ${JSON.stringify(candidate.kind)}`);
    }
    // The default must itself be a valid value: a declaration that cannot run its own default is a bug.
    try {
      parseParameterValue(checked, checked.default, at);
    } catch (error) {
      throw new ConfigError(`${at} (${checked.name}): the default is invalid: ${(error as Error).message}`);
    }
    return checked;
  });
}

/** `--help` lines for a strategy's parameters. */
export function parametersHelp(specs: readonly ParameterSpec[]): string {
  if (specs.length === 0) return '  (no parameters)';
  const width = Math.max(...specs.map((spec) => spec.name.length));
  return specs
    .map((spec) => `  ${spec.name.padEnd(width)}  ${spec.help} (${describeRange(spec)}; default ${String(spec.default)})`)
    .join('\n');
}
