/**
 * The example user strategy declares its parameters like the shipped one: the CLI sets them by
 * name with the same checks, the run equals the factory called with the same values, and a
 * user module whose declarations are wrong is refused naming the module.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { meanReversion } from '../../examples/mean-reversion';
import type { CommandIo } from '../../src/cli/command';
import { main } from '../../src/cli/main';
import { loadUniverse, loadUniverseBars } from '../../src/data/universe';
import { runBacktest } from '../../src/engine/backtest';
import { loadStrategy, loadStrategyDefinition } from '../../src/strategies/registry';

const example = resolve('examples/mean-reversion.ts');

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = { stdout: (text) => out.push(text), stderr: (text) => err.push(text), interactive: false };
  const code = await main(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

describe('examples/mean-reversion.ts: declared parameters', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'aq-example-'));
  const { bars } = loadUniverseBars(loadUniverse('data/universe.yaml'));

  it('declares period, entry_z and max_holding with the factory defaults', () => {
    const definition = loadStrategyDefinition(example);
    assert.deepEqual(definition.parameters.map((p) => [p.name, p.default]), [['period', 20], ['entry_z', 1.5], ['max_holding', 10]]);
    const byDefault = runBacktest(bars, loadStrategy(example), {});
    const byFactory = runBacktest(bars, meanReversion(), {});
    assert.equal(byDefault.finalEquity, byFactory.finalEquity);
    assert.deepEqual(byDefault.trades, byFactory.trades);
  });

  it('--param sets them: the JSON equals the factory with the same values and records them', async () => {
    const json = join(dir, 'run.json');
    const result = await run(['backtest', '--strategy', example, '--param', 'period=30', '--param', 'entry_z=1', '--json', json, '--quiet']);
    assert.equal(result.code, 0, result.err);
    const document = JSON.parse(readFileSync(json, 'utf8'));
    const expected = runBacktest(bars, meanReversion({ period: 30, entryZ: 1 }), {});
    const defaults = runBacktest(bars, meanReversion(), {});
    assert.notEqual(expected.finalEquity, defaults.finalEquity, 'the settings must change the run for this test to mean anything');
    assert.equal(document.final_equity, expected.finalEquity);
    assert.deepEqual(document.parameters, { period: 30, entry_z: 1, max_holding: 10 });
  });

  it('an out-of-range or unknown parameter is a usage error naming it and its range', async () => {
    const low = await run(['backtest', '--strategy', example, '--param', 'entry_z=0', '--quiet']);
    assert.equal(low.code, 2);
    assert.match(low.err, /entry_z/);
    assert.match(low.err, /0\.01\.\.10/);
    const unknown = await run(['backtest', '--strategy', example, '--param', 'stop=3', '--quiet']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /stop/);
  });

  it('a plain-object definition with a bad declaration is refused naming the module', () => {
    const file = join(dir, 'bad-declaration.js');
    writeFileSync(file, `module.exports = { name: 'bad', parameters: [{ kind: 'integer', name: 'n', min: 5, max: 1, default: 3, help: 'x' }], create: () => ({ name: 'bad', decide: () => [] }) };\n`);
    assert.throws(() => loadStrategyDefinition(file), (error: Error) => error.message.includes(file) && /min.*max/.test(error.message));
  });
});
