import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkLookahead, defaultLookaheadCuts, defaultLookaheadSeed } from '../../lookahead/check';
import { formatLookaheadReport, lookaheadReportJson } from '../../lookahead/format';
import { parseSizingRule } from '../../sizing/sizing';
import type { Command } from '../command';
import { dataOptions, sizingOptions, strategyOptions } from '../options/groups';
import { number, text } from '../options/option';
import { commandOptions, describedAs, group } from '../options/option-set';
import { resolveUniverse } from '../universe-option';

const options = commandOptions('lookahead', [
  strategyOptions,
  dataOptions,
  group('Checks', {
    cuts: number({ value: 'K', default: defaultLookaheadCuts, check: (n) => Number.isInteger(n) && n >= 1, expectation: 'an integer >= 1', help: 'cut points per check' }),
    seed: number({ value: 'S', default: defaultLookaheadSeed, check: Number.isSafeInteger, expectation: 'an integer', help: 'seed of the cut points and replacement bars' }),
  }),
  describedAs(sizingOptions, { sizing: 'sizing of the checked backtests: equal weight or fixed fractional risk' }),
  group('Output', { json: text({ value: 'FILE', help: 'also write the report as JSON' }) }),
]);

const help = `Usage: aq lookahead [--strategy NAME|PATH] [--universe FILE.yaml | --universe MU,GLD,GOOG --data DIR] [options]

Proves by machine that a strategy does not look ahead, and prints PASS or FAIL
for each of four checks; a FAIL names the first offending symbol and date, the
value expected and the value found, and why it is a lookahead.

  prefix        every feature, factor and strategy indicator computed on bars
                0..t alone equals, bit for bit, its value at t on the whole
                series (every bar of a series of up to 300 bars; else K
                sampled bars, the first ready bar and the last 5)
  perturbation  K runs from copies of the data files whose bars after a cut
                date are replaced by different plausible ones (every field
                differs; each move goes the other way to the original's): every
                intent and order decided on or before the cut must be identical
  fill-audit    every fill is on the symbol's next bar after its decision, at
                a price inside that bar's low..high
  availability  at every decision, each symbol's bar, features, factors,
                indicators and history are those of the decision date; the
                history refuses later bars; no bar the strategy reads is dated
                after the decision

A strategy module is loaded afresh for every run (module-level caches do not
survive), and AQ_DATA_DIR is set to the data folder of each run (the original,
then each perturbed copy), so a strategy that reads the files itself is caught.

${options.help}

Exit codes: 0 all checks passed, 1 a check failed (or bad data or
configuration), 2 bad options.

Examples:
  aq lookahead
  aq lookahead --strategy ./my-strategy.ts --universe MU,GLD,GOOG --data ../shared/data/real/normalized
  aq lookahead --strategy trend-breakout --cuts 30 --seed 7 --json reports/lookahead.json
`;

export const lookaheadCommand: Command = {
  name: 'lookahead',
  summary: 'prove that a strategy does not look ahead (four checks, PASS/FAIL)',
  help,
  optionNames: options.names,
  async run(argv, io) {
    const { values } = options.parse(argv);
    const { cuts, seed } = values;
    const sizing = parseSizingRule(values.sizing, values.risk);
    const universe = resolveUniverse('lookahead', values.universe, values.data);
    const report = checkLookahead({
      strategy: values.strategy,
      universe,
      cuts,
      seed,
      backtest: { sizing },
      onProgress: io.interactive ? (message) => io.stderr(`lookahead: ${message}\n`) : undefined,
    });
    io.stdout(formatLookaheadReport(report));
    if (values.json !== undefined) {
      mkdirSync(dirname(values.json), { recursive: true });
      writeFileSync(values.json, lookaheadReportJson(report));
      io.stdout(`wrote ${values.json}\n`);
    }
    return report.passed ? 0 : 1;
  },
};
