/** The four checks, in the order they are run and printed. */
export const lookaheadCheckNames = ['prefix', 'perturbation', 'fill-audit', 'availability'] as const;
export type LookaheadCheckName = (typeof lookaheadCheckNames)[number];

/** A printable value: numbers keep full precision, NaN and missing values stay distinguishable. */
export type ReportedValue = number | string | boolean | null;

/** The first thing a check found wrong: where, what, both values, and why it is a leak. */
export interface LookaheadFinding {
  readonly symbol: string;
  /** The decision or bar date the leak shows at (the first one found). */
  readonly date: string;
  /** What differed, e.g. `indicator "next_close"` or `enter intent field "reason"`. */
  readonly subject: string;
  /** The value the check expected (the honest one), and the one it got. */
  readonly expected: ReportedValue;
  readonly actual: ReportedValue;
  /** One line for a trader: why this is a lookahead. */
  readonly explanation: string;
}

export interface LookaheadCheckResult {
  readonly name: LookaheadCheckName;
  readonly passed: boolean;
  /** How many things were compared: prefix bars, perturbed runs, fills, symbol views. */
  readonly checked: number;
  /** What was covered, in words (counts of cut points, fills, decisions...). */
  readonly coverage: string;
  /** Null when the check passed. */
  readonly finding: LookaheadFinding | null;
}

export interface LookaheadReport {
  readonly strategy: string;
  /** Where the strategy came from: a shipped name, a module path or "object". */
  readonly strategySource: string;
  readonly universe: readonly string[];
  /** The universe file or label, as given. */
  readonly universePath: string;
  readonly firstDate: string;
  readonly lastDate: string;
  readonly dates: number;
  readonly cuts: number;
  readonly seed: number;
  /** Calendar dates after which the perturbation check replaced the bars, ascending. */
  readonly perturbationCuts: readonly string[];
  readonly checks: readonly LookaheadCheckResult[];
  readonly passed: boolean;
  readonly seconds: number;
}

export function checkResult(name: LookaheadCheckName, checked: number, coverage: string, finding: LookaheadFinding | null): LookaheadCheckResult {
  return { name, passed: finding === null, checked, coverage, finding };
}
