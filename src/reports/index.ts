/** Reports and notebook helpers: chart specs and their rendering, tables, the HTML report. */
export * from './chart-specs';
export * from './chart-rendering';
export * from './html';
export * from './html-template';
export * from './series';
export * from './lookahead-summary';
export * from './provenance';
export * from './progress';
export * from './report';
export { metricsTableRows } from './report-sections';
export { lookaheadHtml } from './report-evidence-sections';
