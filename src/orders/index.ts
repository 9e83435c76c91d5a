/** Orders, fills and their costs: the vocabulary below portfolio, risk, engine and brokers. */
export * from './order';
export * from './costs';
