/**
 * Strategy parameters: declarations, resolution, the CLI's NAME=VALUE pairs, and TrendBreakout's
 * parameters reaching the features, the score and the stop. Every expected value is derived in
 * the test from the definitions it checks.
 */
import assert from 'node:assert/strict';
import { runBacktest } from '../../src/engine/backtest';
import { ConfigError } from '../../src/errors';
import { defaultFactorModel } from '../../src/factors/factor-model';
import { defaultFeaturePeriods } from '../../src/features/feature-set';
import { defineStrategy, instantiateStrategy, signalSettings } from '../../src/strategies/definition';
import {
  ParameterError,
  parseParameterAssignments,
  parseParameterValue,
  resolveParameters,
  validateParameterSpecs,
  type ParameterSpec,
} from '../../src/strategies/parameters';
import { loadStrategy, shippedStrategies } from '../../src/strategies/registry';
import { trendBreakout, trendBreakoutParameters } from '../../src/strategies/trend-breakout';
import { loadRealBars, realDataAvailable } from '../engine/helpers';

const specs: readonly ParameterSpec[] = [
  { kind: 'integer', name: 'period', min: 2, max: 100, default: 20, help: 'window' },
  { kind: 'number', name: 'threshold', min: -1, max: 1, default: 0.5, help: 'cut-off' },
  { kind: 'choice', name: 'mode', choices: ['fast', 'slow'], default: 'fast', help: 'mode' },
  { kind: 'boolean', name: 'short', default: false, help: 'allow shorts' },
];

function assertParameterError(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ParameterError, `expected a ParameterError, got ${String(error)}`);
    assert.match((error as Error).message, pattern);
    return true;
  });
}

describe('strategy parameters', () => {
  describe('resolution', () => {
    it('fills every default and keeps the declaration order', () => {
      assert.deepEqual(Object.entries(resolveParameters(specs)), [['period', 20], ['threshold', 0.5], ['mode', 'fast'], ['short', false]]);
    });

    it('parses text as the command line gives it', () => {
      const values = resolveParameters(specs, { period: '30', threshold: '-0.25', mode: 'slow', short: 'true' });
      assert.deepEqual(values, { period: 30, threshold: -0.25, mode: 'slow', short: true });
    });

    it('an unknown name lists the known ones', () => {
      assertParameterError(() => resolveParameters(specs, { perod: '3' }), /unknown parameter "perod" \(known: period, threshold, mode, short\)/);
    });

    it('out-of-range, non-integer, non-decimal and wrong-choice values name the parameter and its range', () => {
      assertParameterError(() => resolveParameters(specs, { period: '101' }), /"period" must be an integer in 2\.\.100, got "101"/);
      assertParameterError(() => resolveParameters(specs, { period: '1' }), /integer in 2\.\.100/);
      assertParameterError(() => resolveParameters(specs, { period: '20.5' }), /integer in 2\.\.100/);
      assertParameterError(() => resolveParameters(specs, { period: '0x10' }), /got "0x10"/);
      assertParameterError(() => resolveParameters(specs, { period: '' }), /got ""/);
      assertParameterError(() => resolveParameters(specs, { threshold: 'NaN' }), /a number in -1\.\.1/);
      assertParameterError(() => resolveParameters(specs, { threshold: 'Infinity' }), /a number in -1\.\.1/);
      assertParameterError(() => resolveParameters(specs, { mode: 'medium' }), /one of fast, slow, got "medium"/);
      assertParameterError(() => resolveParameters(specs, { short: 'yes' }), /true or false/);
    });

    it('numbers from a parsed file are taken as they are; -0 becomes 0', () => {
      assert.equal(parseParameterValue(specs[0], 42, 'grid'), 42);
      assert.ok(Object.is(parseParameterValue(specs[1], -0, 'grid'), 0));
      assert.equal(parseParameterValue(specs[1], '1e-1', 'grid'), 0.1);
    });
  });

  describe('NAME=VALUE pairs', () => {
    it('splits at the first "=", so a value may contain one', () => {
      assert.deepEqual(parseParameterAssignments(['period=30', 'mode=a=b']), { period: '30', mode: 'a=b' });
    });

    it('a missing name, a missing "=" and a repeated name are errors', () => {
      assertParameterError(() => parseParameterAssignments(['=3']), /expected NAME=VALUE, got "=3"/);
      assertParameterError(() => parseParameterAssignments(['period']), /expected NAME=VALUE/);
      assertParameterError(() => parseParameterAssignments(['period=3', 'period=4']), /"period" given twice/);
    });
  });

  describe('declarations', () => {
    it('a default outside its own range, a duplicate name or a bad kind is caught at load time', () => {
      assert.throws(() => validateParameterSpecs([{ ...specs[0], default: 500 }], 'm'), (e: unknown) => e instanceof ConfigError && /default is invalid/.test((e as Error).message));
      assert.throws(() => validateParameterSpecs([specs[0], specs[0]], 'm'), /declared twice/);
      assert.throws(() => validateParameterSpecs([{ ...specs[0], kind: 'float' }], 'm'), /"kind" must be integer, number, choice or boolean/);
      assert.throws(() => validateParameterSpecs([{ ...specs[0], min: 5, max: 1 }], 'm'), /min <= max/);
    });

    it('a defined strategy gets its resolved values attached, class methods kept', () => {
      class Holder {
        readonly name = 'holder';
        constructor(readonly period: number) {}
        decide() {
          return [];
        }
      }
      const definition = defineStrategy({ name: 'holder', parameters: [specs[0]], create: (values) => new Holder(values.period as number) });
      const strategy = instantiateStrategy(definition, { period: '7' });
      assert.deepEqual(strategy.parameters, { period: 7 });
      assert.equal((strategy as unknown as Holder).period, 7);
      assert.deepEqual(strategy.decide({} as never), []);
    });
  });

  describe('trend-breakout', () => {
    it('declares the feature periods, the stop and the two score weights with the spec defaults', () => {
      const defaults = Object.fromEntries(trendBreakoutParameters.map((spec) => [spec.name, spec.default]));
      assert.deepEqual(defaults, { ...defaultFeaturePeriods, stop: 2, momentum: 0.5, breakout: 0.5 });
      assert.equal(shippedStrategies['trend-breakout'].parameters, shippedStrategies['trend-breakout'].parameters);
    });

    it('with no parameters it is the spec: the default periods and the very default factor model', () => {
      const strategy = loadStrategy('trend-breakout');
      assert.deepEqual(strategy.featurePeriods, defaultFeaturePeriods);
      assert.equal(strategy.factorModel, defaultFactorModel);
      assert.deepEqual(strategy.parameters, { ...defaultFeaturePeriods, stop: 2, momentum: 0.5, breakout: 0.5 });
    });

    it('the parameters reach the features and the score', () => {
      const strategy = loadStrategy('trend-breakout', { roc: '10', volatility: '30', momentum: '0.8', breakout: '0.2' });
      assert.deepEqual(strategy.featurePeriods, { ...defaultFeaturePeriods, roc: 10, volatility: 30 });
      assert.deepEqual(strategy.factorModel?.score, { momentum: 0.8, breakout: 0.2 });
      assert.equal(strategy.factorModel?.factors, defaultFactorModel.factors);
      // An explicit run setting wins over what the strategy was built for.
      const explicit = { ...defaultFeaturePeriods, roc: 5 };
      assert.equal(signalSettings(strategy, { featurePeriods: explicit }).featurePeriods, explicit);
      assert.equal(signalSettings(trendBreakout()).factorModel, defaultFactorModel);
    });

    it('a volatility period below 2 is refused with the range', () => {
      assertParameterError(() => loadStrategy('trend-breakout', { volatility: '1' }), /"volatility" must be an integer in 2\.\.100000/);
      assertParameterError(() => loadStrategy('trend-breakout', { stop: '-1' }), /"stop" must be a number in 0\.\.100/);
    });

    const realIt = realDataAvailable() ? it : it.skip;
    if (!realDataAvailable()) console.log('    (skipped: real data not found beside the repository)');

    realIt('on real data: --param stop=3 equals trendBreakout({ stopVolatilities: 3 }) and differs from the default', function () {
      this.timeout(60_000);
      const bars = loadRealBars();
      const viaParameters = runBacktest(bars, loadStrategy('trend-breakout', { stop: '3' }));
      const viaCode = runBacktest(bars, trendBreakout({ stopVolatilities: 3 }));
      const spec = runBacktest(bars, trendBreakout());
      assert.deepEqual(viaParameters.trades, viaCode.trades);
      assert.equal(viaParameters.finalEquity, viaCode.finalEquity);
      assert.notDeepEqual(viaParameters.trades, spec.trades);
      // A wider stop never exits by stop earlier: fewer or equal stop exits.
      const stops = (trades: typeof spec.trades) => trades.filter((trade) => trade.exitReason === 'stop').length;
      assert.ok(stops(viaParameters.trades) <= stops(spec.trades));
    });

    realIt('on real data: --param roc=10 equals a run with featurePeriods.roc = 10', function () {
      this.timeout(60_000);
      const bars = loadRealBars();
      const viaParameters = runBacktest(bars, loadStrategy('trend-breakout', { roc: '10' }));
      const viaOptions = runBacktest(bars, trendBreakout(), { featurePeriods: { ...defaultFeaturePeriods, roc: 10 } });
      assert.deepEqual(viaParameters.trades, viaOptions.trades);
      assert.deepEqual(viaParameters.orders, viaOptions.orders);
    });
  });
});
