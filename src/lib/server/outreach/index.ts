export * from './types';
export * from './talks';
