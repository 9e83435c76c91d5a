import type { BarSeries } from '../data/bars';
import type { KernelConfig } from '../engine/kernel';
import type { FactorModel } from '../factors/factor-model';
import type { FeaturePeriods } from '../features/feature-set';
import type { Broker, TimeInForce } from '../brokers/broker';
import { checkpoint } from '../storage/checkpoints';
import type { Journal } from './journal';

/** What every step of a session works with (session.ts): the journal, the broker, the strategy's configuration and the data. */
export interface RunnerContext {
  readonly journal: Journal;
  readonly broker: Broker;
  readonly config: KernelConfig;
  readonly factorModel: FactorModel;
  readonly featurePeriods: FeaturePeriods;
  /** Every symbol's bars (universe order), possibly past the cycle date: a cycle reads up to its date only. */
  readonly bars: readonly BarSeries[];
  readonly timeInForce: TimeInForce;
  readonly log: (line: string) => void;
}

/** Reconciliation (or the inputs check, inputs.ts) found something the runner must not repair by itself. */
export class HaltError extends Error {
  constructor(readonly problems: readonly string[], headline = 'HALT: the journal and the broker disagree; nothing was sent.') {
    super(`${headline}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'HaltError';
  }
}

/** A broker call between two checkpoints, so a crash test can stop the runner on either side of it. */
export async function brokerCall<T>(label: string, call: () => Promise<T>): Promise<T> {
  checkpoint(`broker ${label}: before`);
  const result = await call();
  checkpoint(`broker ${label}: after`);
  return result;
}
