export * from './types';
export { POLICY_CHECKS, CHECK_IDS } from './catalogue';
export { evaluatePolicies } from './evaluate';
export { policyInputOf, upstreamChartFacts } from './input';
export { formatPolicyReport, type TableOptions } from './table';
