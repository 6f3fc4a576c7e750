import type { ComponentEntry } from '../catalogue/types';
import type { Environment, Size } from '../environment/schema';
import { sharedStorageClass } from '../platform/contract';
import { sharedVolumes } from './shared-volumes';
import { resilience } from '../environment/resilience';

/**
 * Why a component runs a single replica wherever replicas are asked for: its entry says so, or it
 * keeps files all its replicas share and the environment has no ReadWriteMany storage class.
 */
export function singleReplicaReason(env: Pick<Environment, 'cluster'>, component: ComponentEntry): string | undefined {
  if (component.scaling !== 'horizontal') return component.scaling.single;
  const shared = sharedVolumes(component);
  if (shared.length > 0 && !sharedStorageClass(env)) {
    return `its replicas share the volume ${shared.join(', ')}, and the environment names no ReadWriteMany storage class (cluster.storageClasses.shared)`;
  }
  return undefined;
}

/**
 * Replicas of a component: one where the environment runs single replicas or the product cannot
 * scale out; otherwise two, three for a large building block, so losing a node loses one replica.
 */
export function replicasFor(env: Pick<Environment, 'cluster' | 'ha' | 'platform' | 'stage'>, size: Size, component: ComponentEntry): number {
  if (singleReplicaReason(env, component) || !resilience(env).spreads) return 1;
  return size === 'large' ? 3 : 2;
}
