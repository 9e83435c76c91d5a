/** Public API of src/data: bar types, the CSV loader, universes and the synthetic bar generator. */
export * from './bars';
export * from './load-bars';
export * from './universe';
export * from './generator';
