/** Public API of src/data: bar types, the CSV loader, universes, the calendar and the synthetic bar generator. */
export * from './bars';
export * from './load-bars';
export { isIsoDate, parseDecimal } from './scan-fields';
export * from './universe';
export * from './generator';
