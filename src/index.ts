/** The public API: notebooks, the CLI and user strategies import from here. */
export * from './errors';
export * from './data/bars';
export * from './features';
export * from './factors';
