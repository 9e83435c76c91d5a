/**
 * The public API of aq-research: what notebooks, scripts and user strategies import (`import * as
 * aq from 'aq-research'`). Named exports only, grouped by concept in the order of the data flow,
 * so this file is also the map of what the package offers. Internals (batch kernels, parser
 * helpers, scratch buffers, the HTML escaper, journal SQL) stay in their modules, and a name here
 * is a promise kept across versions.
 *
 * Importing the package loads no Vega module: chart specs are plain data, and vega is loaded by
 * the first `renderChartSvg` / `chartHtml` / `renderReport` call.
 */

// Errors: bad input the user can fix (exit 1 in the CLI)
export { ConfigError, DataError } from './errors';

// Bars: the validated daily series every stage reads
export { barAt, barPrefix, barSeriesFromRows, type Bar, type BarSeries } from './data/bars';

// Loading data: bar CSV files and universe files
export { loadBarsFile, parseBarsCsv, symbolFromFileName, type DroppedRow, type InvalidRowReason, type LoadBarsOptions, type LoadedBars } from './data/load-bars';
export { DEFAULT_UNIVERSE_OPTIONS, loadUniverse, loadUniverseBars, parseUniverse, universeFromSymbols, type Universe, type UniverseOptions } from './data/universe';

// Synthetic data and the trading calendar
export { formatBarsCsv, generateBars, generateUniverse, type GenerateBarsOptions } from './data/generator';
export { tradingDays, tradingDaysBetween, unionCalendar, usMarketHolidays } from './data/calendar';

// Downloading daily bars (stooq, Yahoo, Alpaca)
export { fetchDailyBars, marketDataSources, type FetchBarsRequest, type MarketDataOptions, type MarketDataSource } from './data-sources/market-data';
export { DataSourceError } from './data-sources/data-source-error';

// Features: streaming windows, one value per bar from bars 0..t
export {
  FeatureSet,
  computeFeatures,
  createFeature,
  defaultFeaturePeriods,
  featureNames,
  featureWarmUp,
  maximumPeriod,
  resolveFeaturePeriods,
  type FeatureColumns,
  type FeatureName,
  type FeaturePeriods,
  type FeatureValues,
} from './features/feature-set';
export { runFeature, type BatchFeature, type FeatureBar, type StreamingFeature } from './features/feature';
export { RollingMean } from './features/rolling-mean';
export { RollingVariance } from './features/rolling-variance';
export { RateOfChange } from './features/roc';
export { PriceVsMovingAverage } from './features/price-vs-moving-average';
export { PriceVsHigh } from './features/price-vs-high';
export { VolumeZScore } from './features/volume-zscore';
export { Volatility } from './features/volatility';

// Factors: weighted, clamped features and the score a strategy ranks by
export {
  computeFactors,
  defaultFactorModel,
  dropFactor,
  evaluateFactors,
  validateFactorModel,
  type FactorColumns,
  type FactorModel,
  type FactorTerm,
  type FactorValues,
} from './factors/factor-model';
export { SignalPipeline, computeSignals, type SignalColumns, type SignalSnapshot } from './factors/pipeline';

// Strategies: the port a strategy implements, the shipped ones and loading one by name or path
export type { BarHistory, EnterIntent, ExitIntent, Intent, MarketState, PositionView, Strategy, SymbolView, TargetIntent } from './strategies/strategy';
export { trendBreakout, type TrendBreakoutOptions } from './strategies/trend-breakout';
export { loadStrategy, loadStrategyDefinition, shippedStrategies } from './strategies/registry';
export { trendBreakoutDefinition, trendBreakoutParameters } from './strategies/trend-breakout';
export { defineStrategy, instantiateStrategy, signalSettings, type StrategyDefinition } from './strategies/definition';
export {
  ParameterError,
  describeRange,
  parseParameterAssignments,
  parseParameterValue,
  resolveParameters,
  type ParameterSpec,
  type ParameterValue,
  type ParameterValues,
} from './strategies/parameters';

// Sizing and risk: how many shares, and which orders pass the limits
export { equalWeight, fixedRisk, parseSizingRule, type SizingInput, type SizingRule } from './sizing/sizing';
export { checkOrders, noRiskLimits, validateRiskLimits, type ProposedOrder, type RiskContext, type RiskDecision, type RiskLimits } from './risk/risk-manager';

// Orders, fills and positions (the records a backtest or a session produces)
export { clientOrderId, executionOrder, type Fill, type Order, type Rejection, type Side } from './orders/order';
export { affordableShares, commissionFor, fillPrice, noCosts, validateCosts, type Costs } from './orders/costs';
export { applyFill, emptyPortfolio, positionsValue, type ClosedTrade, type Portfolio, type Position } from './portfolio/portfolio';

// Backtesting: decide at the close, fill at the next open
export { runBacktest, type BacktestOptions, type BacktestResult, type DatedIntent, type EquityPoint, type OpenPosition, type Trade } from './engine/backtest';

// Metrics and attribution
export { computeMetrics, periodsPerYear, type Metrics, type MetricsInput } from './metrics/metrics';
export { summarizeAttribution, type AttributedTrade, type AttributionSummary } from './attribution/attribution';

// The benchmark: equal-weight buy and hold (or one series) and the strategy's figures against it
export { buyAndHold, isBenchmarkAvailable, type BenchmarkCurve, type BenchmarkUnavailable } from './metrics/benchmark';
export { dailyReturns, relativeMetrics, type RelativeMetrics } from './metrics/relative';
export { benchmarkJson, compareWithBenchmark, strategyPsr, type BenchmarkComparison, type BenchmarkMetrics } from './research/benchmark';
export { compareStrategies, contenderLabel, type Comparison, type Contender } from './research/compare';

// Lookahead detection: prefix, perturbation, fill-audit and availability checks
export {
  AvailabilityGuard,
  auditFills,
  checkLookahead,
  checkPerturbedBars,
  checkPrefix,
  defaultLookaheadCuts,
  defaultLookaheadSeed,
  firstChangedDecision,
  formatLookaheadReport,
  lookaheadCheckNames,
  lookaheadReportJson,
  perturbedBars,
  type AuditedFill,
  type AvailabilityOptions,
  type BacktestEngine,
  type Decisions,
  type LookaheadBacktestOptions,
  type LookaheadCheckName,
  type LookaheadCheckResult,
  type LookaheadFinding,
  type LookaheadOptions,
  type LookaheadReport,
  type PrefixCheckOptions,
  type ReportedValue,
  type StrategySource,
  type StrategySpec,
} from './lookahead';

// Research: factor information coefficients and quantiles, leave-one-factor-out, notebook data
export {
  crossSectionalIc,
  factorPanel,
  forwardReturns,
  quantileReturns,
  spearmanCorrelation,
  summarizeCrossSectionalIc,
  timeSeriesIc,
  type DatedIc,
  type FactorPanelOptions,
  type IcSummary,
  type QuantileReturn,
  type SymbolFactorPanel,
} from './research/factor-research';
export { leaveOneFactorOut, type LeaveOneFactorOut } from './research/leave-one-out';
export { loadResearchData, type ResearchData } from './research/research-data';

// Parameter research: sweeps on a resumable ledger, walk-forward, overfitting statistics
export { countPoints, gridPoint, gridSize, searchPoints, type Axis, type Search, type SearchPoint, type SearchSpace } from './research/sweep/grid';
export { objectives, readGridFile, searchSpace, type GridFile, type Objective } from './research/sweep/grid-file';
export { openLedger, type Ledger, type TrialRecord } from './research/sweep/ledger';
export { bestTrial, objectiveValue, runTrial, sweep, sweepInto, type SweepResult, type SweepSettings } from './research/sweep/sweep';
export { summarizeSweep, type Heatmap, type Sensitivity, type SweepSummary, type TrialSummary } from './research/sweep/summary';
export { parseBarLength, planFolds, type Fold } from './research/walk-forward/folds';
export { walkForward, type FoldResult, type WalkForwardResult, type WalkForwardSettings } from './research/walk-forward/walk-forward';
export * from './research/overfitting';

// Chart specs: plain Vega-Lite JSON, to tweak before rendering
export {
  barChart,
  drawdownChart,
  equityChart,
  histogramBins,
  histogramGrid,
  lineChart,
  monthlyReturnsHeatmap,
  quantileReturnsChart,
  type BarDatum,
  type ChartSize,
  type ChartSpec,
  type DrawdownPoint,
  type EquityPointLike,
  type HistogramBin,
  type MonthlyReturnCell,
  type SeriesPoint,
} from './reports/chart-specs';

// Chart rendering: spec to inline SVG (loads vega on first use)
export { chartHtml, renderChartSvg, type FigureOptions, type RenderOptions } from './reports/chart-rendering';

// Series for charts: drawdowns, monthly returns, price overlays
export { drawdownSeries, monthlyReturns, movingAverage, priceOverlay, priorHigh, type EquityLike } from './reports/series';

// HTML: tables, number formats, and the escaping template for your own markup
export { formatMoney, formatNumber, formatPercent, htmlTable, objectsTable, type CellValue, type TableColumn } from './reports/html';
export { SafeHtml, html, rawHtml, type HtmlValue } from './reports/html-template';

// The HTML report of a backtest
export { generatedAtPattern, renderReport, type ReportOptions } from './reports/report';
export { metricsTableRows } from './reports/report-sections';
export { lookaheadHtml } from './reports/report-evidence-sections';
export { lookaheadPassed, summarizeLookahead, type LookaheadCheckSummary, type LookaheadSummary } from './reports/lookahead-summary';
export { collectProvenance, type DataFileProvenance, type Provenance } from './reports/provenance';

// Brokers: the port, the simulated paper broker and Alpaca
export {
  BrokerUnavailableError,
  DuplicateClientOrderIdError,
  OrderRejectedError,
  isTerminal,
  terminalOrderStatuses,
  type Broker,
  type BrokerAccount,
  type BrokerOrder,
  type BrokerOrderStatus,
  type BrokerPosition,
  type OrderRequest,
  type TimeInForce,
} from './brokers/broker';
export { PaperBroker, type PaperBrokerOptions } from './brokers/paper-broker';
export { AlpacaBroker, type AlpacaBrokerOptions } from './brokers/alpaca/alpaca-broker';
export {
  AlpacaHttpError,
  AlpacaTransportError,
  alpacaDataUrl,
  alpacaLiveUrl,
  alpacaPaperUrl,
  createAlpacaClient,
  type AlpacaClient,
  type AlpacaClientOptions,
  type AlpacaCredentials,
} from './brokers/alpaca/client';

// Runner: paper and live sessions over a broker, recorded in a journal
export { Runner, openRunner, replayInProcess, type OpenRunnerOptions, type RunnerSettings, type SessionResult } from './runner/runner';
export { HaltError } from './runner/session';
export {
  Journal,
  type CycleRow,
  type CycleStatus,
  type DecisionRow,
  type JournalOptions,
  type JournalOrder,
  type JournalOrderStatus,
  type JournalRejection,
  type JournalTrade,
} from './runner/journal';
export { checkLiveSession, type LiveSessionCheck } from './runner/live';
export { compareJournalWithBacktest, formatParityReport, type Divergence, type ParityKind, type ParityReport } from './runner/parity';
