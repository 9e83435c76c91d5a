import type { BarSeries } from '../data/bars';
import { ConfigError } from '../errors';
import { validateCosts, type Costs } from '../engine/costs';
import type { KernelConfig } from '../engine/kernel';
import type { FactorModel } from '../factors/factor-model';
import type { FeaturePeriods } from '../features/feature-set';
import { signalSettings } from '../strategies/definition';
import { validateRiskLimits, type RiskLimits } from '../risk/risk-manager';
import type { SizingRule } from '../sizing/sizing';
import type { Strategy } from '../strategies/strategy';
import type { Broker, TimeInForce } from '../brokers/broker';
import { PaperBroker } from '../brokers/paper-broker';
import { Journal } from './journal';
import { checkAndRecordInputs, strategyFingerprint } from './inputs';
import {
  checkSettings,
  planSession,
  reconcile,
  runCycle,
  sessionCalendar,
  type CycleOutcome,
  type RunnerContext,
} from './session';

/** Everything that defines a trading session; a journal is bound to one (see checkSettings). */
export interface RunnerSettings {
  readonly strategy: Strategy;
  readonly startingCash: number;
  readonly sizing: SizingRule;
  readonly risk: RiskLimits;
  readonly costs: Costs;
  readonly featurePeriods?: FeaturePeriods;
  readonly factorModel?: FactorModel;
  readonly timeInForce?: TimeInForce;
  /** The strategy's fingerprint for the journal (inputs.ts strategyFingerprint); default: its name and the package version. */
  readonly strategyFingerprint?: string;
}

export interface SessionResult {
  /** Cycles run by this call, in date order (empty when the date was already processed). */
  readonly cycles: readonly CycleOutcome[];
  readonly alreadyProcessed: boolean;
  readonly repaired: readonly string[];
  readonly skipped: readonly string[];
}

function fingerprint(mode: string, brokerName: string, universe: readonly string[], settings: RunnerSettings): Record<string, unknown> {
  return {
    mode,
    broker: brokerName,
    strategy: settings.strategy.name,
    // The parameter values the session runs with: the journal refuses a later run with others.
    parameters: settings.strategy.parameters ?? {},
    universe,
    startingCash: settings.startingCash,
    sizing: settings.sizing,
    risk: settings.risk,
    costs: settings.costs,
    ...signalSettings(settings.strategy, settings),
    timeInForce: settings.timeInForce ?? 'opg',
  };
}

/** A runner over one journal: the paper broker (or any broker given) and a movable session clock. */
export class Runner {
  private clockDate = '';
  private readonly acceptRevisions: boolean;
  readonly context: RunnerContext;
  readonly calendar: string[];

  constructor(
    readonly journal: Journal,
    readonly bars: readonly BarSeries[],
    readonly settings: RunnerSettings,
    options: { mode: 'paper' | 'live'; broker?: (clock: () => string) => Broker; log?: (line: string) => void; acceptRevisions?: boolean },
  ) {
    this.acceptRevisions = options.acceptRevisions === true;
    if (bars.length === 0) throw new ConfigError('the universe is empty');
    const universe = bars.map((series) => series.symbol);
    const config: KernelConfig = {
      strategy: settings.strategy,
      universe,
      sizing: settings.sizing,
      risk: validateRiskLimits(settings.risk),
      costs: validateCosts(settings.costs),
    };
    const clock = () => {
      if (this.clockDate === '') throw new Error('runner: the session clock was read before a cycle date was set');
      return this.clockDate;
    };
    const broker = options.broker?.(clock) ?? new PaperBroker(journal.db, {
      universe,
      costs: config.costs,
      startingCash: settings.startingCash,
      bars,
      clock,
    });
    this.calendar = sessionCalendar(bars);
    this.context = {
      journal,
      broker,
      config,
      ...signalSettings(settings.strategy, settings),
      bars,
      timeInForce: settings.timeInForce ?? 'opg',
      log: options.log ?? (() => {}),
    };
    checkSettings(journal, fingerprint(options.mode, broker.name, universe, settings), settings.startingCash);
  }

  /** The last trading day in the data: the default as-of date. */
  lastDate(): string {
    return this.calendar[this.calendar.length - 1];
  }

  /**
   * Runs what an as-of date needs: nothing when it was processed already, else reconciliation
   * then the cycles of `planSession` in date order.
   */
  async runAsOf(asOf: string, gaps: 'catch-up' | 'refuse' | 'skip' = 'catch-up'): Promise<SessionResult> {
    const plan = planSession(this.journal, this.calendar, asOf, gaps);
    if (plan.alreadyProcessed) return { cycles: [], alreadyProcessed: true, repaired: [], skipped: [] };
    this.clockDate = plan.dates[0];
    const repaired: string[] = [];
    for (const date of plan.missed) this.journal.skipCycle(date, `missed: no cycle ran after the close of ${date}`);
    const cycles: CycleOutcome[] = [];
    const strategy = this.settings.strategyFingerprint ?? strategyFingerprint(this.settings.strategy.name, true);
    for (const date of plan.dates) {
      this.clockDate = date;
      // Every cycle, not once per run: what it reads must be what the journal decided on, and
      // the broker must agree with the journal before anything is sent.
      for (const line of checkAndRecordInputs(this.journal, this.bars, date, { acceptRevisions: this.acceptRevisions, strategyFingerprint: strategy })) {
        this.context.log(`revision accepted: ${line}`);
      }
      repaired.push(...(await reconcile(this.context)).repaired);
      // Catching up (paper) sends each day's orders on that day's clock; otherwise an interrupted
      // earlier cycle must not send orders for an open that has passed.
      cycles.push(await runCycle(this.context, date, gaps === 'catch-up' || date === asOf));
    }
    return { cycles, alreadyProcessed: false, repaired, skipped: plan.missed };
  }

  /** Trading days of the data within [from, to]. */
  tradingDays(from: string, to: string): string[] {
    return this.calendar.filter((date) => date >= from && date <= to);
  }
}

export interface OpenRunnerOptions {
  readonly journalPath: string;
  readonly bars: readonly BarSeries[];
  readonly settings: RunnerSettings;
  readonly mode?: 'paper' | 'live';
  readonly broker?: (clock: () => string) => Broker;
  readonly durability?: 'full' | 'normal';
  readonly log?: (line: string) => void;
  /** Go on when past bars or the strategy differ from the journal's, recording an event (--accept-revisions). */
  readonly acceptRevisions?: boolean;
  /** Warnings (a stale lock taken over). */
  readonly warn?: (line: string) => void;
}

export function openRunner(options: OpenRunnerOptions): Runner {
  const journal = Journal.open(options.journalPath, { durability: options.durability ?? 'normal' });
  if (journal.lockTakenOver !== null) options.warn?.(journal.lockTakenOver);
  try {
    return new Runner(journal, options.bars, options.settings, {
      mode: options.mode ?? 'paper', broker: options.broker, log: options.log, acceptRevisions: options.acceptRevisions,
    });
  } catch (error) {
    journal.close();
    throw error;
  }
}

/** Replays [from, to] one cycle per trading day in this process; days already done are skipped. */
export async function replayInProcess(runner: Runner, from: string, to: string, onDay?: (result: SessionResult, date: string) => void): Promise<void> {
  const days = runner.tradingDays(from, to);
  if (days.length === 0) throw new ConfigError(`no trading day in the data between ${from} and ${to}`);
  for (const date of days) {
    const existing = runner.journal.cycle(date);
    if (existing !== null && (existing.status === 'done' || existing.status === 'skipped')) continue;
    const result = await runner.runAsOf(date, 'catch-up');
    onDay?.(result, date);
  }
}
