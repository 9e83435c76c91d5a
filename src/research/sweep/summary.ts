import type { ParameterValue, ParameterValues } from '../../strategies/parameters';
import type { SearchSpace } from './grid';
import type { Objective } from './grid-file';
import type { Ledger } from './ledger';
import { objectiveValue } from './sweep';

/**
 * What a sweep's output shows beside the statistics: the best trials, a heatmap of the
 * objective over each pair of swept parameters with the others held at the best trial's values,
 * and each parameter's sensitivity: the objective along its axis (others at the best), and the
 * mean objective over every trial with that value (the marginal, which random search fills too).
 */
export interface TrialSummary {
  readonly trial: number;
  readonly parameters: ParameterValues;
  readonly objective: number;
  readonly metrics: Readonly<Record<string, number | null>>;
  readonly finalEquity: number;
}

export interface Heatmap {
  readonly x: string;
  readonly y: string;
  readonly xValues: readonly ParameterValue[];
  readonly yValues: readonly ParameterValue[];
  /** cells[yi][xi]: the objective, null where no trial has those values (constraints, random search). */
  readonly cells: readonly (readonly (number | null)[])[];
}

export interface Sensitivity {
  readonly parameter: string;
  readonly values: readonly ParameterValue[];
  /** Objective along this axis with every other parameter at the best trial's value. */
  readonly slice: readonly (number | null)[];
  /** Mean objective over all trials with each value (null where none). */
  readonly marginal: readonly (number | null)[];
  /** max - min of the marginal means: how much this parameter moves the objective on average. */
  readonly spread: number | null;
}

export interface SweepSummary {
  readonly objective: Objective;
  readonly trials: number;
  readonly best: readonly TrialSummary[];
  readonly heatmaps: readonly Heatmap[];
  readonly sensitivity: readonly Sensitivity[];
}

const key = (parameters: ParameterValues, names: readonly string[]) => JSON.stringify(names.map((name) => parameters[name]));
const finiteOrNull = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? null : value);

export function summarizeSweep(ledger: Ledger, space: SearchSpace, objective: Objective, bestCount = 10): SweepSummary {
  const names = space.axes.map((axis) => axis.name);
  const byPoint = new Map<string, number>();
  const marginalSums = space.axes.map((axis) => axis.values.map(() => ({ sum: 0, count: 0 })));
  let best: TrialSummary[] = [];
  let trials = 0;
  for (const trial of ledger.trials()) {
    trials++;
    const value = objectiveValue(trial.metrics, objective);
    byPoint.set(key(trial.parameters, names), value);
    space.axes.forEach((axis, a) => {
      const index = axis.values.indexOf(trial.parameters[axis.name]);
      if (index >= 0 && Number.isFinite(value)) {
        marginalSums[a][index].sum += value;
        marginalSums[a][index].count++;
      }
    });
    // Keep the top `bestCount` only: a ledger of 100,000 trials is streamed, not sorted whole.
    if (best.length < bestCount || value > best[best.length - 1].objective) {
      best.push({ trial: trial.trial, parameters: trial.parameters, objective: value, metrics: trial.metrics, finalEquity: trial.finalEquity });
      best.sort((p, q) => q.objective - p.objective || p.trial - q.trial);
      best = best.slice(0, bestCount);
    }
  }
  const top = best[0]?.parameters;
  const at = (overrides: Record<string, ParameterValue>) => (top === undefined ? null : finiteOrNull(byPoint.get(key({ ...top, ...overrides }, names))));
  const heatmaps: Heatmap[] = [];
  for (let i = 0; i < space.axes.length; i++) {
    for (let j = i + 1; j < space.axes.length; j++) {
      const x = space.axes[i];
      const y = space.axes[j];
      heatmaps.push({
        x: x.name,
        y: y.name,
        xValues: x.values,
        yValues: y.values,
        cells: y.values.map((yv) => x.values.map((xv) => at({ [x.name]: xv, [y.name]: yv }))),
      });
    }
  }
  const sensitivity = space.axes.map((axis, a): Sensitivity => {
    const marginal = marginalSums[a].map(({ sum, count }) => (count === 0 ? null : sum / count));
    const present = marginal.filter((value): value is number => value !== null);
    return {
      parameter: axis.name,
      values: axis.values,
      slice: axis.values.map((value) => at({ [axis.name]: value })),
      marginal,
      spread: present.length === 0 ? null : Math.max(...present) - Math.min(...present),
    };
  });
  return { objective, trials, best, heatmaps, sensitivity };
}
