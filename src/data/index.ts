/** Public API of src/data: bar types, the CSV loader, universes, calendars and the synthetic bar generator. */
export * from './bars';
export * from './load-bars';
export { isIsoDate, parseDecimal } from './scan-fields';
export * from './universe';
export * from './calendar';
export * from './generator';
export { hashSeed, Rng } from '../common/random';
