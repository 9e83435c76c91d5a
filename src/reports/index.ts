/** Reports and notebook helpers: charts, tables, research statistics, the HTML report. */
export * from './charts';
export * from './html';
export * from './series';
export * from './factor-research';
export * from './leave-one-out';
export * from './lookahead-summary';
export * from './provenance';
export * from './progress';
export * from './research-data';
export * from './report';
