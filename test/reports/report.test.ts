import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runBacktest, type BacktestResult } from '../../src/engine/backtest';
import { leaveOneFactorOut } from '../../src/research/leave-one-out';
import type { LookaheadReport } from '../../src/lookahead/report';
import { summarizeLookahead } from '../../src/reports/lookahead-summary';
import { collectProvenance, gitCommit, libraryVersion } from '../../src/reports/provenance';
import { generatedAtPattern, renderReport, type ReportOptions } from '../../src/reports/report';
import { trendBreakout } from '../../src/strategies/trend-breakout';
import { sampleData } from './fixtures';

/** The text of one `<section id="...">`. */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  assert.ok(start >= 0, `section ${id} is missing`);
  return html.slice(start, html.indexOf('</section>', start));
}

describe('reports/report (sample universe)', function () {
  let result: BacktestResult;
  let options: ReportOptions;
  let html: string;

  before(async function () {
    const { universe, bars } = sampleData();
    const strategy = trendBreakout();
    result = runBacktest(bars, strategy);
    options = {
      parameters: { sizing: 'equal weight <floor>' },
      leaveOneOut: leaveOneFactorOut(bars, strategy, result),
      provenance: collectProvenance({ files: universe.files, config: { strategy: 'trend-breakout', universe: universe.symbols } }),
      generatedAt: '2030-01-01T00:00:00.000Z',
    };
    html = await renderReport(result, options);
  });

  it('is one HTML document with every section', () => {
    assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
    assert.ok(html.endsWith('</html>\n'));
    for (const id of ['summary', 'metrics', 'equity', 'monthly', 'trades', 'attribution', 'lookahead', 'provenance']) section(html, id);
    for (const chart of ['equity', 'drawdown', 'monthly-returns', 'pnl-by-factor', 'pnl-by-symbol']) {
      assert.match(html, new RegExp(`<figure class="aq-chart" id="chart-${chart}">\\n<svg `), chart);
    }
  });

  it('loads nothing: no script, stylesheet link, image, font, frame or remote URL', () => {
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|<object|<embed|@import|@font-face/i);
    assert.doesNotMatch(html, /\s(src|srcset|action|formaction|poster|background)=/i);
    assert.doesNotMatch(html, /url\((?!#)/i, 'only url(#id) references');
    // The only absolute URLs are the SVG namespaces, which browsers never fetch.
    const urls = new Set(html.match(/https?:\/\/[^\s"'<>)]+/g) ?? []);
    assert.deepEqual([...urls].sort(), ['http://www.w3.org/1999/xlink', 'http://www.w3.org/2000/svg']);
    for (const match of html.matchAll(/href="([^"]*)"/g)) assert.match(match[1], /^#/, `href ${match[1]}`);
  });

  it('lists every trade and the metrics, and the attribution adds up', () => {
    const trades = section(html, 'trades');
    const rows = trades.slice(trades.indexOf('<tbody>'), trades.indexOf('</tbody>')).match(/<tr>/g) ?? [];
    assert.equal(rows.length, result.trades.length);
    assert.ok(result.trades.length > 50, 'the sample backtest trades');
    const first = result.trades[0];
    assert.ok(trades.includes(`<td>${first.symbol}</td><td>${first.signalDate}</td><td>${first.entryDate}</td>`));
    const metrics = section(html, 'metrics');
    assert.ok(metrics.includes(`<td>Sharpe</td><td>${result.metrics.sharpe?.toFixed(2)}</td>`));
    assert.ok(metrics.includes(`<td>trades</td><td>${result.trades.length}</td>`));
    const factorSum = Object.values(result.attribution.byFactor).reduce((sum, value) => sum + value, 0);
    assert.ok(Math.abs(factorSum - result.attribution.totalPnl) < 1e-6);
    assert.ok(section(html, 'attribution').includes('without momentum') && section(html, 'attribution').includes('without breakout'));
  });

  it('escapes parameters and records provenance: sha256 of each file, version, commit', () => {
    assert.ok(html.includes('<td>equal weight &lt;floor&gt;</td>'));
    const provenance = section(html, 'provenance');
    for (const [symbol, file] of Object.entries(sampleData().universe.files)) {
      const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
      assert.ok(provenance.includes(`<td>${symbol}</td>`) && provenance.includes(`<td class="hash">${sha256}</td>`), `${symbol} ${sha256}`);
    }
    assert.ok(provenance.includes(`aq-research ${libraryVersion()}`));
    const commit = gitCommit();
    assert.match(commit, /^([0-9a-f]{40}|unknown)$/);
    assert.ok(provenance.includes(`<td>${commit}</td>`));
  });

  it('says plainly when the lookahead checks were not run', () => {
    assert.match(section(html, 'lookahead'), /Lookahead checks: not run\./);
    assert.ok(section(html, 'summary').includes('<div class="label">lookahead</div><div class="value">not run</div>'));
  });

  it('shows lookahead results, failures first-class', async () => {
    const failing = await renderReport(result, {
      ...options,
      lookahead: {
        strategy: 'trend-breakout',
        checks: [
          { name: 'prefix', passed: true, detail: '3 symbols, every bar' },
          { name: 'perturbation', passed: false, detail: 'MU 2015-03-02: enter intent "reason" differs <after> the cut' },
        ],
      },
    });
    const lookahead = section(failing, 'lookahead');
    assert.match(lookahead, /Lookahead checks FAILED/);
    assert.ok(lookahead.includes('<td>prefix</td><td class="pass">PASS</td><td class="detail">3 symbols, every bar</td>'));
    assert.ok(lookahead.includes('<td class="fail">FAIL</td><td class="detail">MU 2015-03-02: enter intent &quot;reason&quot; differs &lt;after&gt; the cut</td>'));
    assert.ok(section(failing, 'summary').includes('<div class="value">FAILED</div>'));
  });

  it('summarizes the detector report: coverage when passed, the first finding when failed', () => {
    // Only the fields the summary reads; the detector's report type has more and may grow.
    const summary = summarizeLookahead({
      strategy: 'leaky', strategySource: 'object', universe: ['MU'], universePath: 'x', firstDate: '2020-01-02', lastDate: '2020-12-31',
      dates: 250, cuts: 3, seed: 1, perturbationCuts: [], passed: false, seconds: 1.5,
      checks: [
        { name: 'prefix', passed: false, coverage: '5 columns', finding: { symbol: 'MU', date: '2020-03-02', subject: 'indicator "next"', expected: Number.NaN, actual: 12.5, explanation: 'it reads the next bar.' } },
        { name: 'fill-audit', passed: true, coverage: '12 fills', finding: null },
      ],
    } as unknown as LookaheadReport);
    assert.deepEqual(summary, {
      strategy: 'leaky',
      seconds: 1.5,
      checks: [
        { name: 'prefix', passed: false, detail: 'MU 2020-03-02 indicator "next": expected NaN, got 12.5. it reads the next bar. (5 columns)' },
        { name: 'fill-audit', passed: true, detail: '12 fills' },
      ],
    });
  });

  it('the same inputs give the same bytes apart from the generated-at line', async () => {
    const again = await renderReport(result, { ...options, generatedAt: '2031-06-15T12:34:56.789Z' });
    assert.notEqual(again, html);
    const strip = (text: string) => text.replace(generatedAtPattern, '');
    assert.equal(strip(again), strip(html));
    // Exactly one line differs.
    const before = html.split('\n');
    const after = again.split('\n');
    assert.equal(before.length, after.length);
    assert.deepEqual(before.map((line, i) => (line === after[i] ? null : i)).filter((i) => i !== null).length, 1);
  });
});
