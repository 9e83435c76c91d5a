/** The public API: notebooks, the CLI and user strategies import from here. */
export * from './errors';
export * from './data';
export * from './features';
export * from './factors';
export * from './strategies/strategy';
export * from './strategies/trend-breakout';
export * from './strategies/registry';
export * from './sizing/sizing';
export * from './risk/risk-manager';
export * from './portfolio/portfolio';
export * from './engine/costs';
export * from './engine/kernel';
export * from './engine/market-state';
export * from './engine/backtest';
export * from './metrics/metrics';
export * from './attribution/attribution';
export * from './lookahead';
