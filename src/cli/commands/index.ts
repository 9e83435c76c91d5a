import type { Command } from '../command';

/** Every `aq` subcommand, in the order `aq --help` lists them. Each lives in its own file. */
export const commands: readonly Command[] = [
];
