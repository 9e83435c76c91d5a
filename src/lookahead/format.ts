import type { LookaheadCheckResult, LookaheadReport } from './report';
import { showValue } from './values';

function checkLine(check: LookaheadCheckResult): string {
  const name = check.name.padEnd(12);
  const finding = check.finding;
  if (finding === null) return `PASS  ${name}  ${check.coverage}`;
  return [
    `FAIL  ${name}  ${finding.symbol} ${finding.date} ${finding.subject}: expected ${showValue(finding.expected)}, got ${showValue(finding.actual)}`,
    `      ${' '.repeat(12)}  ${finding.explanation}`,
    `      ${' '.repeat(12)}  (${check.coverage})`,
  ].join('\n');
}

/** The report as `aq lookahead` prints it: a header, one PASS/FAIL block per check, the verdict and the time taken. */
export function formatLookaheadReport(report: LookaheadReport): string {
  const failures = report.checks.filter((check) => !check.passed).map((check) => check.name);
  const verdict = failures.length === 0
    ? `all ${report.checks.length} checks passed`
    : `LOOKAHEAD FOUND by ${failures.join(', ')} (${failures.length} of ${report.checks.length} checks failed)`;
  return [
    `lookahead check of ${report.strategy} (${report.strategySource}) on ${report.universe.join(', ')}:`
      + ` ${report.dates} dates ${report.firstDate}..${report.lastDate}, ${report.cuts} cuts, seed ${report.seed}`,
    ...report.checks.map(checkLine),
    `${verdict}; checked in ${report.seconds.toFixed(1)} s`,
    '',
  ].join('\n');
}

/** The report as JSON text; NaN and infinities (JSON has none) are written as strings. */
export function lookaheadReportJson(report: LookaheadReport): string {
  return `${JSON.stringify(report, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value), 2)}\n`;
}
