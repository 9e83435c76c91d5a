/**
 * The promise itself: every strategy the project ships (`shippedStrategies`) and every example
 * under examples/ passes all four checks with the default settings (10 cuts,
 * seed 1) on the bundled sample universe and on the real data (MU, GLD, GOOG 2010-2024) when
 * ../shared/data is present. Each check must also have covered something real.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { shippedStrategies } from '../../src/index';
import { checkLookahead, defaultLookaheadCuts, formatLookaheadReport, type LookaheadOptions, type LookaheadReport } from '../../src/lookahead';
import { realDataDir, repositoryRoot, sampleUniverse } from './fixtures';

const examplesDir = join(repositoryRoot, 'examples');
const examples = readdirSync(examplesDir).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')).map((file) => relative(process.cwd(), join(examplesDir, file)));
const strategies = [...Object.keys(shippedStrategies), ...examples];

function assertAllPass(report: LookaheadReport): void {
  assert.equal(report.passed, true, formatLookaheadReport(report));
  const checked = Object.fromEntries(report.checks.map((check) => [check.name, check.checked]));
  assert.ok(checked.prefix >= 3 * 15, `prefix compared at ${checked.prefix} bars`);
  assert.equal(checked.perturbation, defaultLookaheadCuts, 'every perturbation run was made');
  assert.ok(checked['fill-audit'] >= 20, `only ${checked['fill-audit']} fills audited: the strategy barely trades here`);
  // Every run shows each of the 3 symbols on each of its dates to the strategy.
  assert.equal(checked.availability, 3 * report.dates * (1 + defaultLookaheadCuts));
}

function suite(title: string, where: string, options: () => Omit<LookaheadOptions, 'strategy'>): void {
  describe(title, function () {
    before(function () {
      if (!existsSync(where)) {
        console.warn(`    skipped: ${where} not found`);
        this.skip();
      }
    });
    for (const strategy of strategies) {
      it(`${strategy} passes all four checks`, function () {
        assertAllPass(checkLookahead({ strategy, ...options() }));
      });
    }
  });
}

describe('lookahead: every shipped strategy and example passes', function () {
  it('there is at least the shipped TrendBreakout and one example', function () {
    assert.ok(strategies.includes('trend-breakout'));
    assert.ok(examples.some((path) => path.endsWith('mean-reversion.ts')), examples.join(', '));
  });
  suite('on the bundled sample universe (data/universe.yaml)', sampleUniverse, () => ({ universe: sampleUniverse }));
  suite('on the real data (../shared/data/real/normalized, MU GLD GOOG 2010-2024)', realDataDir, () => ({ universe: ['MU', 'GLD', 'GOOG'], dataDir: realDataDir }));
});
