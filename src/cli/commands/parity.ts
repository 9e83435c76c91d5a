import { existsSync } from 'node:fs';
import { loadUniverseBars } from '../../data/universe';
import { ConfigError } from '../../errors';
import { runBacktest } from '../../engine/backtest';
import { Journal } from '../../runner/journal';
import { compareJournalWithBacktest, formatParityReport } from '../../runner/parity';
import { requireOption, type Command } from '../command';
import { dataOptions, dateOptions, journalledRunNote, runGroups, sessionOptions } from '../options/groups';
import { number } from '../options/option';
import { commandOptions, describedAs, group } from '../options/option-set';
import { sessionSettings } from '../options/run-settings';
import { resolveUniverse } from '../universe-option';

const options = commandOptions('parity', [
  group('Journal', {
    journal: { ...sessionOptions.options.journal, help: 'the journal of aq paper or aq live' },
    ...describedAs(dateOptions, {
      from: "the first date the journal covers (the replay's --from; required)",
      to: "the last date the journal covers (the replay's --to; required)",
    }).options,
    limit: number({ value: 'N', default: 20, check: (n) => Number.isInteger(n) && n > 0, expectation: 'an integer > 0', help: 'divergences to print' }),
  }),
  dataOptions,
  ...runGroups,
]);

const help = `Usage: aq parity --journal FILE.db [--universe FILE.yaml | --universe MU,GLD,GOOG --data DIR] --from D1 --to D2

Checks that a paper (or live) journal did exactly what aq backtest does over the same data
and dates: runs the backtest with --from D1 --to D2 and the journal's own settings, then
compares every decision (intent and factor values), order (client order id, side, shares),
fill (date, price, shares, commission) and closed trade, bit for bit.

Prints "the journal matches the backtest", or every divergence in date order, the first
difference first (what the backtest has, what the journal has, which fields differ).

${journalledRunNote}

${options.help}

Exit codes: 0 the journal matches, 1 divergence (or bad data/configuration), 2 bad options.
`;

export const parityCommand: Command = {
  name: 'parity',
  summary: 'compare a paper/live journal with a backtest over the same dates, decision by decision',
  help,
  optionNames: options.names,
  async run(argv, io) {
    const { values } = options.parse(argv);
    const { journal: journalPath, limit } = values;
    const from = requireOption('parity', values.from, '--from');
    const to = requireOption('parity', values.to, '--to');
    if (!existsSync(journalPath)) throw new ConfigError(`journal not found: ${journalPath}`);
    const settings = sessionSettings(values);
    const universe = resolveUniverse('parity', values.universe, values.data);
    const { bars } = loadUniverseBars(universe);
    const journal = Journal.open(journalPath, { readonly: true });
    try {
      const stored = journal.getMeta('settings');
      if (stored !== null) {
        const recorded = JSON.parse(stored) as { universe?: string[]; startingCash?: number; strategy?: string };
        const symbols = bars.map((series) => series.symbol);
        if (JSON.stringify(recorded.universe) !== JSON.stringify(symbols)) {
          throw new ConfigError(`the journal's universe is ${JSON.stringify(recorded.universe)}, this run's is ${JSON.stringify(symbols)}`);
        }
        if (recorded.strategy !== settings.strategy.name) {
          throw new ConfigError(`the journal ran strategy "${recorded.strategy}", this run "${settings.strategy.name}"`);
        }
      }
      const backtest = runBacktest(bars, settings.strategy, {
        from,
        to,
        startingCash: settings.startingCash,
        sizing: settings.sizing,
        risk: settings.risk,
        costs: settings.costs,
      });
      const report = compareJournalWithBacktest(journal, backtest);
      io.stdout(formatParityReport(report, limit));
      return report.divergences.length === 0 ? 0 : 1;
    } finally {
      journal.close();
    }
  },
};
