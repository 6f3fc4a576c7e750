export * from './types';
export * from './addresses';
export { CATALOGUE, catalogueEntry, enabledEntries } from './catalogue';
export { validateBuildingBlockChoices, type ChoiceProblem } from './validate-choices';
