import type { LookaheadReport } from '../lookahead/report';
import { showValue } from '../lookahead/values';

/**
 * What a report shows of the lookahead checks: one line per check, passed or not, and the
 * first offence in words. Kept independent of the detector's own report type so a report can
 * also say "not run".
 */
export interface LookaheadCheckSummary {
  /** prefix, perturbation, fill-audit, availability */
  readonly name: string;
  readonly passed: boolean;
  /** One line: what was checked, or the first offending symbol, date and values. */
  readonly detail: string;
}

export interface LookaheadSummary {
  readonly strategy: string;
  readonly checks: readonly LookaheadCheckSummary[];
  /** Wall time of the checks, when measured. Not shown in reports (it would break byte-identical output). */
  readonly seconds?: number;
}

export function lookaheadPassed(summary: LookaheadSummary): boolean {
  return summary.checks.length > 0 && summary.checks.every((check) => check.passed);
}

/**
 * The detector's report (`checkLookahead`) as a report section: a passed check shows what it
 * covered; a failed one the first finding, as `aq lookahead` prints it, then what was covered.
 */
export function summarizeLookahead(report: LookaheadReport): LookaheadSummary {
  return {
    strategy: report.strategy,
    seconds: report.seconds,
    checks: report.checks.map((check) => {
      const finding = check.finding;
      if (finding === null) return { name: check.name, passed: true, detail: check.coverage };
      return {
        name: check.name,
        passed: false,
        detail: `${finding.symbol} ${finding.date} ${finding.subject}: expected ${showValue(finding.expected)}, got ${showValue(finding.actual)}. `
          + `${finding.explanation} (${check.coverage})`,
      };
    }),
  };
}
