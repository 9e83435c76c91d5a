/** `aq lookahead` end to end through the CLI dispatcher: output, exit codes, JSON, help, and the example strategy module. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { main } from '../../src/cli/main';
import { leakyDir, repositoryRoot, sampleUniverse, writeSyntheticUniverse, type SyntheticUniverse } from './fixtures';

async function aq(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), interactive: false });
  return { code, stdout, stderr };
}

const example = relative(process.cwd(), join(repositoryRoot, 'examples/mean-reversion.ts'));

describe('aq lookahead', function () {
  let data: SyntheticUniverse;
  let out: string;
  before(function () {
    data = writeSyntheticUniverse(['AAA', 'BBB'], 200, 21);
    out = mkdtempSync(join(tmpdir(), 'aq-lookahead-cli-'));
  });
  after(function () {
    data.remove();
    rmSync(out, { recursive: true, force: true });
  });

  it('is listed in aq --help and has a full --help', async function () {
    assert.match((await aq('--help')).stdout, /^ {2}lookahead +prove that a strategy does not look ahead/m);
    const help = await aq('lookahead', '--help');
    assert.equal(help.code, 0);
    for (const text of ['Usage: aq lookahead', 'prefix', 'perturbation', 'fill-audit', 'availability', '--cuts K', '--seed S', '--json FILE', 'AQ_DATA_DIR', 'Exit codes']) {
      assert.ok(help.stdout.includes(text), `help mentions ${text}`);
    }
  });

  it('prints PASS for each check and the time, exits 0, and writes the JSON report', async function () {
    const json = join(out, 'pass.json');
    const result = await aq('lookahead', '--strategy', 'trend-breakout', '--universe', 'AAA,BBB', '--data', data.dir, '--cuts', '3', '--seed', '2', '--json', json);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    for (const name of ['prefix', 'perturbation', 'fill-audit', 'availability']) assert.match(result.stdout, new RegExp(`^PASS  ${name} `, 'm'));
    assert.match(result.stdout, /all 4 checks passed; checked in \d+\.\d s/);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(report.passed, true);
    assert.deepEqual(report.universe, ['AAA', 'BBB']);
    assert.equal(report.cuts, 3);
    assert.equal(report.seed, 2);
    assert.equal(report.perturbationCuts.length, 3);
  });

  it('prints FAIL with the first symbol, date and values, exits 1, and writes NaN as a string in JSON', async function () {
    const json = join(out, 'fail.json');
    const result = await aq('lookahead', '--strategy', join(leakyDir, 'next-close.ts'), '--universe', 'AAA,BBB', '--data', data.dir, '--cuts', '3', '--json', json);
    assert.equal(result.code, 1);
    const first = data.bars[0];
    assert.ok(result.stdout.includes(`FAIL  prefix        AAA ${first.dates[0]} indicator "next_close": expected NaN, got ${first.close[1]}`), result.stdout);
    assert.match(result.stdout, /LOOKAHEAD FOUND by prefix/);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(report.passed, false);
    assert.equal(report.checks[0].finding.expected, 'NaN');
  });

  it('accepts the example strategy module by path, as aq backtest does', async function () {
    const lookahead = await aq('lookahead', '--strategy', example, '--universe', 'AAA,BBB', '--data', data.dir, '--cuts', '2');
    assert.equal(lookahead.code, 0, lookahead.stdout + lookahead.stderr);
    assert.match(lookahead.stdout, /^lookahead check of mean-reversion /);
    const json = join(out, 'backtest.json');
    const backtest = await aq('backtest', '--strategy', example, '--universe', 'AAA,BBB', '--data', data.dir, '--quiet', '--json', json);
    assert.equal(backtest.code, 0, backtest.stderr);
    assert.equal(JSON.parse(readFileSync(json, 'utf8')).strategy, 'mean-reversion');
  });

  it('runs on the default universe (data/universe.yaml) without options', async function () {
    if (!existsSync(sampleUniverse)) {
      console.warn(`    skipped: ${sampleUniverse} not found`);
      this.skip();
    }
    const result = await aq('lookahead', '--cuts', '2');
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^lookahead check of trend-breakout \(trend-breakout\) on MU, GLD, GOOG:/);
  });

  it('refuses bad options with exit 2 and bad configuration with exit 1, naming the value', async function () {
    const cuts = await aq('lookahead', '--universe', 'AAA,BBB', '--data', data.dir, '--cuts', '0');
    assert.equal(cuts.code, 2);
    assert.match(cuts.stderr, /--cuts must be an integer >= 1, got "0"/);
    assert.equal((await aq('lookahead', '--universe', 'AAA,BBB', '--data', data.dir, '--seed', '1.5')).code, 2);
    assert.equal((await aq('lookahead', '--universe', 'AAA,BBB', '--data', data.dir, '--frobnicate')).code, 2);
    const noData = await aq('lookahead', '--universe', 'AAA,BBB');
    assert.equal(noData.code, 2);
    assert.match(noData.stderr, /--data DIR is required/);
    const unknown = await aq('lookahead', '--strategy', 'no-such-strategy', '--universe', 'AAA,BBB', '--data', data.dir);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown strategy "no-such-strategy"/);
    const missing = await aq('lookahead', '--strategy', './nowhere/strategy.ts', '--universe', 'AAA,BBB', '--data', data.dir);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /strategy module not found: .*nowhere\/strategy\.ts/);
  });
});
