/** Research statistics on top of the engine: factor ICs and quantiles, leave-one-factor-out runs, notebook data. */
export * from './factor-research';
export * from './leave-one-out';
export * from './research-data';
