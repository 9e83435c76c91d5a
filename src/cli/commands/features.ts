import { writeFileSync } from 'node:fs';
import { loadBarsFile } from '../../data/load-bars';
import { computeSignals } from '../../factors/pipeline';
import { featureNames } from '../../features/feature-set';
import type { Command } from '../command';
import { flag, requiredText, text } from '../options/option';
import { commandOptions, group } from '../options/option-set';

const options = commandOptions('features', [
  group('Options', {
    data: requiredText({ value: 'FILE', help: 'bars as CSV or CSV.gz (date, open, high, low, close, volume)' }),
    out: text({ value: 'FILE', help: 'write here instead of standard output' }),
    adjust: flag({ help: 'scale OHLC by Adj Close / Close (needs an Adj Close column)' }),
    'drop-invalid': flag({ help: 'drop invalid rows instead of stopping at the first one; every dropped row is listed on standard error' }),
  }),
]);

const help = `Usage: aq features --data FILE.csv [--out OUT.csv] [--adjust] [--drop-invalid]

Computes the five features and the factors for every bar of one symbol with the
spec's default periods and weights, and writes

  date,roc,price_vs_ma,price_vs_high,volume_zscore,volatility,momentum,breakout,score

one row per bar. A cell is empty while its value is not ready. Numbers are written
in their shortest round-trip form (full precision).

${options.help}
`;

export function formatCell(value: number): string {
  return Number.isNaN(value) ? '' : String(value);
}

export const featuresCommand: Command = {
  name: 'features',
  summary: 'compute features and factors for one CSV file',
  help,
  optionNames: options.names,
  async run(argv, io) {
    const { values } = options.parse(argv);
    const { bars, dropped } = loadBarsFile(values.data, {
      adjust: values.adjust,
      invalidRows: values['drop-invalid'] ? 'drop' : 'error',
    });
    for (const row of dropped) io.stderr(`dropped ${row.message}\n`);
    const { features, factors } = computeSignals(bars);
    const factorNames = Object.keys(factors).filter((name) => name !== 'score');
    const columns = [...featureNames.map((name) => features[name]), ...factorNames.map((name) => factors[name]), factors.score];
    const lines = [['date', ...featureNames, ...factorNames, 'score'].join(',')];
    for (let i = 0; i < bars.dates.length; i++) {
      let line = bars.dates[i];
      for (const column of columns) line += `,${formatCell(column[i])}`;
      lines.push(line);
    }
    const text = `${lines.join('\n')}\n`;
    if (values.out === undefined) io.stdout(text);
    else writeFileSync(values.out, text);
    return 0;
  },
};
