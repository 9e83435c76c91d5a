import { expect } from 'chai';
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
      expect(command.name).to.equal(entry.name);
      expect(command.summary, `summary of ${entry.name}`).to.equal(entry.summary);
    }
  });

  it('prints --help for aq and for every command, with the command usage line', async () => {
    const io = capture();
    expect(await main(['--help'], io)).to.equal(0);
    for (const entry of commands) expect(io.out.join('')).to.match(new RegExp(`\\b${entry.name}\\b`));
    for (const entry of commands) {
      const one = capture();
      expect(await main([entry.name, '--help'], one), entry.name).to.equal(0);
      expect(one.out.join(''), entry.name).to.match(new RegExp(`Usage: aq ${entry.name}`));
    }
  });

  it('names an unknown command and exits 2', async () => {
    const io = capture();
    expect(await main(['backtset'], io)).to.equal(2);
    expect(io.err.join('')).to.match(/unknown command "backtset"/);
  });
});
