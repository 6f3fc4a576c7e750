import type { LabelSelector, Labels } from './types';

/**
 * Whether `labels` satisfy `selector`, as Kubernetes evaluates it: every matchLabels entry and every
 * expression must hold; an absent or empty selector selects everything. An operator Kubernetes does
 * not know selects nothing (the API server would refuse the object).
 */
export function selectorMatches(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, key);
    const holds =
      operator === 'In' ? has && values.includes(labels[key])
      : operator === 'NotIn' ? !has || !values.includes(labels[key])
      : operator === 'Exists' ? has
      : operator === 'DoesNotExist' ? !has
      : false;
    if (!holds) return false;
  }
  return true;
}

/** Whether `selector` selects a pod whose labels may be unknown (then it is taken to). */
export function selectsPodLabels(selector: LabelSelector | undefined, labels: Labels | undefined): boolean {
  return labels === undefined || selectorMatches(selector, labels);
}

export function selectorIsEmpty(selector: LabelSelector | undefined): boolean {
  return !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}

/** `app=api,tier=db`: how reviewers read a selector. */
export function describeSelector(selector: LabelSelector): string {
  const labels = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  const expressions = (selector.matchExpressions ?? []).map((e) => `${e.key} ${e.operator} ${(e.values ?? []).join('|')}`.trim());
  return [...labels, ...expressions].join(',') || 'all pods';
}
