import assert from 'node:assert/strict';
import { commands } from '../../src/cli/commands';
import { main } from '../../src/cli/main';
import type { CommandIo } from '../../src/cli/command';

function capture(): CommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (text) => out.push(text), stderr: (text) => err.push(text), interactive: false };
}

describe('cli: the command list', () => {
  it('lists every command under the name and summary its module gives', () => {
    for (const entry of commands) {
      const command = entry.load();
      assert.equal(command.name, entry.name);
      assert.equal(command.summary, entry.summary, `summary of ${entry.name}`);
    }
  });

  it('prints --help for aq and for every command, with the command usage line', async () => {
    const io = capture();
    assert.equal(await main(['--help'], io), 0);
    for (const entry of commands) assert.match(io.out.join(''), new RegExp(`\\b${entry.name}\\b`));
    for (const entry of commands) {
      const one = capture();
      assert.equal(await main([entry.name, '--help'], one), 0, entry.name);
      assert.match(one.out.join(''), new RegExp(`Usage: aq ${entry.name}`), entry.name);
    }
  });

  it('names an unknown command and exits 2', async () => {
    const io = capture();
    assert.equal(await main(['backtset'], io), 2);
    assert.match(io.err.join(''), /unknown command "backtset"/);
  });
});
