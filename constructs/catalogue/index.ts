export * from './types';
export { CATALOGUE, catalogueEntry } from './catalogue';
