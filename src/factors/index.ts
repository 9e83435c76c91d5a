export * from './factor-model';
export * from './pipeline';
