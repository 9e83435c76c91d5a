import assert from 'node:assert/strict';
import { formatLookaheadReport, type LookaheadCheckName, type LookaheadFinding, type LookaheadReport } from '../../src/lookahead';

export function outcome(report: LookaheadReport): Record<LookaheadCheckName, boolean> {
  return Object.fromEntries(report.checks.map((check) => [check.name, check.passed])) as Record<LookaheadCheckName, boolean>;
}

export function findingOf(report: LookaheadReport, name: LookaheadCheckName): LookaheadFinding {
  const check = report.checks.find((candidate) => candidate.name === name);
  if (check === undefined || check.finding === null) assert.fail(`${name} found nothing:\n${formatLookaheadReport(report)}`);
  return check.finding;
}

/** The finding's fields named in `expected` equal them (Object.is for numbers, so NaN works). */
export function assertFinding(finding: LookaheadFinding, expected: Partial<LookaheadFinding>): void {
  const picked = Object.fromEntries(Object.keys(expected).map((key) => [key, finding[key as keyof LookaheadFinding]]));
  assert.deepStrictEqual(picked, expected);
}

export function assertOutcome(report: LookaheadReport, expected: Partial<Record<LookaheadCheckName, boolean>>): void {
  const all = outcome(report);
  const picked = Object.fromEntries(Object.keys(expected).map((key) => [key, all[key as LookaheadCheckName]]));
  assert.deepStrictEqual(picked, expected, formatLookaheadReport(report));
}
