import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { commandLine, parseLeaveOneOut } from '../../src/cli/commands/report';
import { generatedAtPattern } from '../../src/reports/report';
import { sampleUniversePath } from './fixtures';

async function run(argv: string[], interactive = false): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, interactive });
  return { code, stdout, stderr };
}

describe('aq report', function () {
  let folder: string;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'aq-report-'));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('has a full --help', async () => {
    const { code, stdout } = await run(['report', '--help']);
    assert.equal(code, 0);
    for (const option of ['--out', '--universe', '--data', '--strategy', '--sizing', '--leave-one-out', '--from', '--to', '--commission', '--slippage-bps', '--title', '--skip-lookahead', '--lookahead-cuts']) {
      assert.ok(stdout.includes(option), `help mentions ${option}`);
    }
  });

  it('writes one self-contained report of the sample universe, quietly when not interactive', async () => {
    const out = join(folder, 'nested', 'report.html');
    const { code, stdout, stderr } = await run(['report', '--universe', sampleUniversePath, '--out', out, '--title', 'Sample <report>', '--lookahead-cuts', '2']);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, `wrote ${out}\n`);
    assert.equal(stderr, '', 'no progress bars outside a terminal');
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<title>Sample &lt;report&gt;<\/title>/);
    assert.match(html, /without momentum/);
    assert.ok(html.includes(`aq report --universe ${sampleUniversePath} --out ${out} --title &#39;Sample &lt;report&gt;&#39;`), 'the command line is in the provenance');
    assert.match(html, generatedAtPattern);
    // The lookahead checks ran on the same strategy and data, and passed.
    assert.match(html, /All 4 lookahead checks passed for <code>trend-breakout<\/code>/);
    for (const check of ['prefix', 'perturbation', 'fill-audit', 'availability']) assert.ok(html.includes(`<td>${check}</td><td class="pass">PASS</td>`), check);
  });

  it('--skip-lookahead leaves the section marked "not run"', async () => {
    const out = join(folder, 'skipped.html');
    const { code } = await run(['report', '--universe', sampleUniversePath, '--out', out, '--skip-lookahead', '--leave-one-out', 'none']);
    assert.equal(code, 0);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /Lookahead checks: not run\./);
    assert.doesNotMatch(html, /without momentum/);
  });

  it('draws progress on an interactive terminal', async () => {
    const out = join(folder, 'interactive.html');
    const { code, stderr } = await run(['report', '--universe', sampleUniversePath, '--out', out, '--leave-one-out', 'momentum', '--lookahead-cuts', '1'], true);
    assert.equal(code, 0);
    assert.match(stderr, /backtest .*100%/);
    assert.match(stderr, /lookahead checks .*100% \| 4\/4/);
    assert.match(stderr, /leave one factor out .*100%/);
  });

  it('rejects bad usage with exit 2 and bad configuration with exit 1, writing nothing', async () => {
    const out = join(folder, 'never.html');
    let result = await run(['report', '--universe', sampleUniversePath]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--out is required/);
    result = await run(['report', '--universe', sampleUniversePath, '--out', out, '--from', '2020-13-01']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--from must be a date/);
    result = await run(['report', '--universe', sampleUniversePath, '--out', out, '--leave-one-out', 'momentum,value']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /unknown factor "value"/);
    result = await run(['report', '--universe', sampleUniversePath, '--out', out, '--lookahead-cuts', '0']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--lookahead-cuts must be an integer >= 1, got "0"/);
    result = await run(['report', '--universe', sampleUniversePath, '--out', out, '--strategy', 'no-such-strategy']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /unknown strategy "no-such-strategy"/);
    assert.equal(existsSync(out), false);
  });

  it('aq backtest --report writes the same report as aq report (lookahead not run)', async () => {
    const fromBacktest = join(folder, 'from-backtest.html');
    const fromReport = join(folder, 'from-report.html');
    const backtest = await run(['backtest', '--universe', sampleUniversePath, '--drop-factor', 'breakout', '--report', fromBacktest, '--quiet']);
    assert.equal(backtest.code, 0, backtest.stderr);
    assert.equal(backtest.stdout, '');
    const report = await run(['report', '--universe', sampleUniversePath, '--leave-one-out', 'breakout', '--skip-lookahead', '--out', fromReport]);
    assert.equal(report.code, 0, report.stderr);
    // Everything but the time and the recorded command line is identical.
    const normalise = (file: string) => readFileSync(file, 'utf8').replace(generatedAtPattern, '').replace(/<tr><td>command<\/td><td>[^<]*<\/td><\/tr>/, '');
    const html = normalise(fromBacktest);
    assert.equal(html, normalise(fromReport));
    assert.match(html, /without breakout/);
    assert.match(html, /Lookahead checks: not run\./);
    assert.match(readFileSync(fromBacktest, 'utf8'), /<td>command<\/td><td>aq backtest --universe /);
  });

  it('parses --leave-one-out and quotes command lines', () => {
    assert.deepEqual(parseLeaveOneOut(undefined, ['momentum', 'breakout']), ['momentum', 'breakout']);
    assert.deepEqual(parseLeaveOneOut('none', ['momentum']), []);
    assert.deepEqual(parseLeaveOneOut(' breakout ', ['momentum', 'breakout']), ['breakout']);
    assert.equal(commandLine('report', ['--title', "it's", '--out', 'a b.html']), `aq report --title 'it'\\''s' --out 'a b.html'`);
  });
});
