/** The option tables: one row gives the parser, the check and the help line; commands document every option they take. */
import { expect } from 'chai';
import { UsageError } from '../../src/cli/command';
import { commands } from '../../src/cli/commands';
import { comparedStrategyOptions, costOptions, riskOptions, runGroups, sizingOptions, strategyOptions } from '../../src/cli/options/groups';
import { choice, date, flag, list, number, requiredText, text } from '../../src/cli/options/option';
import { commandOptions, describedAs, group, groupHelp } from '../../src/cli/options/option-set';
import { runSettings } from '../../src/cli/options/run-settings';

function usageError(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('cli: option tables', () => {
  const table = group('Things', {
    name: requiredText({ value: 'NAME', help: 'what to call it' }),
    count: number({ value: 'N', default: 3, check: (n) => Number.isInteger(n) && n >= 1, expectation: 'an integer >= 1', help: 'how many' }),
    limit: number({ help: 'an upper bound' }),
    on: date({ help: 'the day' }),
    mode: choice({ choices: ['fast', 'slow'], default: 'fast', help: 'how' }),
    tag: list({ value: 'TAG', help: 'a label' }),
    loud: flag({ help: 'say it' }),
    note: text({ value: 'TEXT', help: 'a long explanation that goes on for long enough to need a second line in the help, and then some more words' }),
  });
  const options = commandOptions('thing', [table]);

  it('parses every row with its default and check', () => {
    expect(options.parse(['--name', 'x']).values).to.deep.equal({ name: 'x', count: 3, limit: undefined, on: undefined, mode: 'fast', tag: [], loud: false, note: undefined });
    expect(options.parse(['--name=x', '--count', '7', '--limit=-2.5', '--on', '2024-02-29', '--mode', 'slow', '--tag', 'a', '--tag', 'b', '--loud', '--note', 'n']).values)
      .to.deep.equal({ name: 'x', count: 7, limit: -2.5, on: '2024-02-29', mode: 'slow', tag: ['a', 'b'], loud: true, note: 'n' });
  });

  it('names the command, the option and the value in every usage error', () => {
    expect(usageError(() => options.parse([]))).to.equal("aq thing: --name is required (see 'aq thing --help')");
    expect(usageError(() => options.parse(['--name', 'x', '--count', '0']))).to.equal('aq thing: --count must be an integer >= 1, got "0"');
    expect(usageError(() => options.parse(['--name', 'x', '--limit', 'Infinity']))).to.equal('aq thing: --limit must be a finite number, got "Infinity"');
    expect(usageError(() => options.parse(['--name', 'x', '--on', '2023-02-29']))).to.equal('aq thing: --on must be a date YYYY-MM-DD, got "2023-02-29"');
    expect(usageError(() => options.parse(['--name', 'x', '--mode', 'medium']))).to.equal('aq thing: --mode must be "fast" or "slow", got "medium"');
    expect(usageError(() => options.parse(['--name', 'x', '--bogus']))).to.match(/^aq thing: Unknown option '--bogus'.*\(see 'aq thing --help'\)$/);
    expect(usageError(() => options.parse(['--name', 'x', 'stray']))).to.match(/^aq thing: Unexpected argument 'stray'/);
  });

  it('renders the help from the rows: value, help, default, wrapped in the help column', () => {
    expect(options.help).to.equal([
      'Things:',
      '  --name NAME             what to call it (required)',
      '  --count N               how many (default 3)',
      '  --limit X               an upper bound',
      '  --on DATE               the day',
      '  --mode fast|slow        how (default fast)',
      '  --tag TAG               a label; repeatable',
      '  --loud                  say it',
      '  --note TEXT             a long explanation that goes on for long enough to need a second',
      '                          line in the help, and then some more words',
      '  -h, --help              show this help',
    ].join('\n'));
    for (const line of options.help.split('\n')) expect(line.length, line).to.be.at.most(92);
  });

  it('puts the help of a long option on the next line, and keeps a row\'s check when its help is said another way', () => {
    const long = group('Long', { 'a-very-long-option-name': text({ value: 'VALUE', help: 'x' }) });
    expect(groupHelp(long)).to.equal('Long:\n  --a-very-long-option-name VALUE\n                          x');
    const said = describedAs(costOptions, { cash: 'money at the start' }, 'Money');
    expect(groupHelp(said).split('\n').slice(0, 2)).to.deep.equal(['Money:', '  --cash X                money at the start (default 100000)']);
    expect(usageError(() => commandOptions('m', [said]).parse(['--cash', '0']))).to.equal('aq m: --cash must be a number > 0, got "0"');
  });

  it('refuses an option defined twice (adding a row that exists already is a programming error)', () => {
    expect(() => commandOptions('twice', [strategyOptions, group('Again', { strategy: text({ value: 'S', help: 'x' }) })])).to.throw(/--strategy is defined twice/);
  });

  it('turns the run groups into the settings of a run: defaults, then only the risk limits given', () => {
    const run = commandOptions('run', runGroups);
    const defaults = runSettings(run.parse([]).values);
    expect(defaults.strategy.name).to.equal('trend-breakout');
    expect(defaults.startingCash).to.equal(100_000);
    expect(defaults.sizing).to.deep.equal({ kind: 'equal-weight' });
    expect(defaults.costs).to.deep.equal({ commissionPerShare: 0, minimumCommission: 0, slippageBps: 0 });
    expect(defaults.risk).to.deep.equal({});
    const given = runSettings(run.parse(['--sizing', 'fixed-risk', '--risk', '0.02', '--cash', '5000', '--commission', '0.005', '--min-commission', '1', '--slippage-bps', '3', '--max-orders-per-day', '0', '--kill-switch']).values);
    expect(given.sizing).to.deep.equal({ kind: 'fixed-risk', risk: 0.02, stopVolatilities: 2 });
    expect(given.startingCash).to.equal(5000);
    expect(given.costs).to.deep.equal({ commissionPerShare: 0.005, minimumCommission: 1, slippageBps: 3 });
    expect(given.risk).to.deep.equal({ maxOrdersPerDay: 0, killSwitch: true });
    expect(runSettings(run.parse(['--sizing', 'fixed-risk']).values).sizing).to.deep.equal({ kind: 'fixed-risk', risk: 0.01, stopVolatilities: 2 });
    expect(usageError(() => run.parse(['--sizing', 'kelly']))).to.equal('aq run: --sizing must be "equal" or "fixed-risk", got "kelly"');
    expect(usageError(() => run.parse(['--daily-loss-limit', '1.5']))).to.equal('aq run: --daily-loss-limit must be in (0, 1], got "1.5"');
  });

  it('documents every option each command accepts, and the run options the same way in every command that takes them', () => {
    const runLines = runGroups.flatMap((runGroup) => groupHelp(runGroup).split('\n').slice(1));
    const runNames = runGroups.flatMap((runGroup) => Object.keys(runGroup.options));
    let withRunOptions = 0;
    for (const entry of commands) {
      const command = entry.load();
      if (command.optionNames === undefined) continue;
      expect(command.optionNames.length, entry.name).to.be.greaterThan(0);
      for (const name of command.optionNames) expect(command.help, `${entry.name} --${name}`).to.match(new RegExp(`^  --${name}\\b`, 'm'));
      if (runNames.every((name) => command.optionNames?.includes(name))) {
        withRunOptions++;
        // aq backtest compares strategies: its strategy group takes --strategy more than once.
        const lines = entry.name === 'backtest'
          ? [...runGroups.slice(1).flatMap((runGroup) => groupHelp(runGroup).split('\n').slice(1)), ...groupHelp(comparedStrategyOptions).split('\n').slice(1)]
          : runLines;
        for (const line of lines) expect(command.help.split('\n'), `${entry.name}: ${line}`).to.include(line);
      }
    }
    // backtest, report, paper, live and parity take the whole run.
    expect(withRunOptions).to.equal(5);
    expect(Object.keys(sizingOptions.options)).to.deep.equal(['sizing', 'risk']);
    expect(Object.keys(riskOptions.options)).to.have.length(5);
  });
});
