import type { ComponentEntry } from '../catalogue/types';
import type { Environment, Size } from '../environment/schema';

/**
 * Replicas of a component: one where the environment runs single replicas or the product cannot
 * scale out; otherwise two, three for a large building block, so losing a node loses one replica.
 */
export function replicasFor(env: Environment, size: Size, component: ComponentEntry): number {
  if (component.scaling !== 'horizontal' || env.ha.level === 'single') return 1;
  return size === 'large' ? 3 : 2;
}
