/** Overfitting statistics over a ledger of trials' daily returns: pure functions, no engine. */
export { normalCdf, normalQuantile } from './normal-distribution';
export { returnMoments, sharpeOf, type ReturnMoments } from './sharpe-moments';
export { probabilisticSharpe, type SharpeEstimate } from './probabilistic-sharpe';
export { deflatedSharpe, eulerMascheroni, expectedMaximumOfNormals, expectedMaximumSharpe } from './deflated-sharpe';
export { minimumBacktestLength, minimumTrackRecordLength } from './min-track-record';
export { haircutSharpes, type HaircutSharpe, type HaircutSharpes } from './haircut-sharpe';
export { backtestOverfitting, defaultBlocks, type BacktestOverfitting, type BacktestOverfittingOptions } from './backtest-overfitting';
export { overfittingSummary, type OverfittingSummary, type OverfittingSummaryOptions } from './overfitting-summary';
export { OverfittingAccumulator } from './overfitting-accumulator';
