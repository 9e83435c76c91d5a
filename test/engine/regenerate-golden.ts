/**
 * Regenerates test/engine/golden/*.json:
 *
 *   npx ts-node test/engine/regenerate-golden.ts            (every case)
 *   npx ts-node test/engine/regenerate-golden.ts NAME...    (some cases, e.g. real-equal-weight)
 *
 * run from the repository root. For each case it runs the engine AND the naive reference loop
 * (reference-backtest.ts) and refuses to write anything unless they agree on every trade,
 * order, fill and equity point (1e-9 relative), and unless the engine's metrics equal
 * computeMetrics over the reference's curve, trades and fills. A case whose data is missing
 * (../shared/data absent) is skipped with a warning and its golden file left as it is.
 * Exit code: 0 written, 1 refused (nothing written for that case).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { computeMetrics, type Metrics } from '../../src/metrics/metrics';
import { goldenCases, goldenDir, goldenOf, goldenPath, loadCaseData, missingData } from './golden-cases';
import { close, differences, engineRun, referenceRun } from './helpers';
import type { ReferenceResult } from './reference-backtest';

function referenceMetrics(reference: ReferenceResult, startingCash: number): Metrics {
  let tradedValue = 0;
  for (const fill of reference.fills) tradedValue += fill.shares * fill.price;
  return computeMetrics({
    startingEquity: startingCash,
    equity: reference.equityCurve.map((point) => point.equity),
    positionValue: reference.equityCurve.map((point) => point.equity - point.cash),
    tradePnls: reference.trades.map((trade) => trade.pnl),
    tradedValue,
  });
}

function metricDifferences(engine: Metrics, reference: Metrics): string[] {
  const out: string[] = [];
  for (const key of Object.keys(engine) as (keyof Metrics)[]) {
    const a = engine[key];
    const b = reference[key];
    const same = a === null || b === null ? a === b : close(a, b, 1e-9, 1e-9);
    if (!same) out.push(`metric ${key}: engine ${a}, from the reference ${b}`);
  }
  return out;
}

function main(names: readonly string[]): number {
  const unknown = names.filter((name) => !goldenCases.some((goldenCase) => goldenCase.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown golden case(s): ${unknown.join(', ')} (known: ${goldenCases.map((c) => c.name).join(', ')})\n`);
    return 2;
  }
  const chosen = names.length === 0 ? goldenCases : goldenCases.filter((goldenCase) => names.includes(goldenCase.name));
  mkdirSync(goldenDir, { recursive: true });
  let refused = 0;
  for (const goldenCase of chosen) {
    const missing = missingData(goldenCase.data);
    if (missing !== null) {
      process.stderr.write(`skipped ${goldenCase.name}: ${missing}\n`);
      continue;
    }
    const data = loadCaseData(goldenCase.data);
    const engine = engineRun(data.bars, goldenCase.scenario);
    const reference = referenceRun(data.bars, goldenCase.scenario);
    const found = [
      ...differences(engine, reference),
      ...metricDifferences(engine.metrics, referenceMetrics(reference, goldenCase.scenario.startingCash ?? 100_000)),
    ];
    if (found.length > 0) {
      process.stderr.write(`REFUSED ${goldenCase.name}: the engine disagrees with the reference loop:\n  ${found.join('\n  ')}\n`);
      refused++;
      continue;
    }
    if (engine.trades.length <= 20) {
      process.stderr.write(`REFUSED ${goldenCase.name}: only ${engine.trades.length} trades, too few to pin anything\n`);
      refused++;
      continue;
    }
    const golden = goldenOf(goldenCase, data, engine);
    writeFileSync(goldenPath(goldenCase.name), `${JSON.stringify(golden, null, 2)}\n`);
    process.stdout.write(`wrote ${goldenPath(goldenCase.name)}: ${golden.tradeCount} trades, final equity ${golden.finalEquity.toFixed(2)}\n`);
  }
  return refused > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
