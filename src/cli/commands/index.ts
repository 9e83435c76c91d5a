import type { Command } from '../command';
import { backtestCommand } from './backtest';
import { dataCommand } from './data';
import { featuresCommand } from './features';
import { lookaheadCommand } from './lookahead';
import { liveCommand } from './live';
import { paperCommand } from './paper';
import { parityCommand } from './parity';
import { reportCommand } from './report';

/** Every `aq` subcommand, in the order `aq --help` lists them. Each lives in its own file. */
export const commands: readonly Command[] = [
  featuresCommand,
  backtestCommand,
  lookaheadCommand,
  dataCommand,
  reportCommand,
  paperCommand,
  parityCommand,
  liveCommand,
];
