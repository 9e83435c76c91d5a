/**
 * The self-contained HTML research report of one backtest.
 *
 * One file that opens offline: inline CSS, charts as inline SVG rendered at generation time,
 * no script, no font, image or stylesheet from anywhere else. The same inputs give the same
 * bytes except the single line `<p class="generated-at">…</p>`. The sections are in
 * report-sections.ts and report-evidence-sections.ts.
 */
import type { BacktestResult } from '../engine/backtest';
import type { LeaveOneFactorOut } from '../research/leave-one-out';
import { html, rawHtml } from './html-template';
import type { LookaheadSummary } from './lookahead-summary';
import type { Provenance } from './provenance';
import { attributionSection, lookaheadSection, provenanceSection } from './report-evidence-sections';
import { equitySection, headerSection, metricsSection, monthlySection, summarySection, tradesSection } from './report-sections';
import { reportStyles } from './report-style';

export interface ReportOptions {
  readonly title?: string;
  /** Settings shown under "Parameters" (sizing, costs, dates, risk limits, ...), in this order. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Lookahead check results; absent means the checks were not run, and the report says so. */
  readonly lookahead?: LookaheadSummary;
  readonly leaveOneOut?: readonly LeaveOneFactorOut[];
  readonly provenance?: Provenance;
  /** ISO time written on the generated-at line (default: now). */
  readonly generatedAt?: string;
}

/** The one line of a report that changes from run to run; strip it to compare two reports. */
export const generatedAtPattern = /^<p class="generated-at">.*<\/p>$/m;

/**
 * Renders the report of a backtest as one HTML document (a string; write it to a `.html` file).
 * Async only because the charts are rendered by vega, whose SVG renderer is asynchronous.
 */
export async function renderReport(result: BacktestResult, options: ReportOptions = {}): Promise<string> {
  const title = options.title ?? `${result.strategy} on ${result.universe.join(', ')}`;
  // Charts are rendered in page order, so any vega warnings come out in that order too.
  const equity = await equitySection(result);
  const monthly = await monthlySection(result);
  const attribution = await attributionSection(result, options.leaveOneOut);
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${rawHtml(reportStyles)}</style>
</head>
<body>
<main>
${headerSection(result, title, options.generatedAt ?? new Date().toISOString())}

${summarySection(result, options.parameters ?? {}, options.lookahead)}

${metricsSection(result.metrics)}

${equity}

${monthly}

${tradesSection(result)}

${attribution}

${lookaheadSection(options.lookahead)}

${provenanceSection(options.provenance)}
</main>
</body>
</html>
`.toString();
}
