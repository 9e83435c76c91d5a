import type { BarSeries } from '../data/bars';
import type { FeatureBar } from '../features/feature';
import { allocateFeatureColumns, foldFeatures } from '../features/batch-kernel';
import {
  defaultFeaturePeriods,
  FeatureSet,
  type FeatureColumns,
  type FeaturePeriods,
  type FeatureValues,
} from '../features/feature-set';
import { defaultFactorModel, evaluateFactors, type FactorColumns, type FactorModel, type FactorValues } from './factor-model';
import { fillFactorRows, planFactorFill } from './factor-rows';

export interface SignalSnapshot {
  readonly features: FeatureValues;
  readonly factors: FactorValues;
}

/** Features then factors, one bar at a time (the live runner's view). */
export class SignalPipeline {
  private readonly features: FeatureSet;

  constructor(
    readonly periods: FeaturePeriods = defaultFeaturePeriods,
    readonly model: FactorModel = defaultFactorModel,
  ) {
    this.features = new FeatureSet(periods);
  }

  get warmUp(): number {
    return this.features.warmUp;
  }

  update(bar: FeatureBar): SignalSnapshot {
    const features = this.features.update(bar);
    return { features, factors: evaluateFactors(this.model, features) };
  }

  reset(): void {
    this.features.reset();
  }
}

export interface SignalColumns {
  readonly features: FeatureColumns;
  readonly factors: FactorColumns;
}

/** Features then factors over a whole series (batch convention: NaN while not ready). */
export function computeSignals(
  series: BarSeries,
  periods: FeaturePeriods = defaultFeaturePeriods,
  model: FactorModel = defaultFactorModel,
): SignalColumns {
  // One pass: each chunk of bars gets its features, then (still in cache) its factors.
  const count = series.dates.length;
  const features: FeatureColumns = allocateFeatureColumns(count);
  const fill = planFactorFill(model, features, count);
  foldFeatures(series, periods, features, (from, to) => fillFactorRows(fill, from, to));
  return { features, factors: fill.out };
}
