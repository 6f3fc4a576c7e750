import type { Environment, Size } from '../environment/schema';
import type { ContainerCeiling, NamespaceQuota, SecureNamespaceProps } from './secure-namespace';

/**
 * The environment-dependent part of every SecureNamespace, the one way the kit sizes a namespace:
 * its quota, one container's ceiling from the node size (a container larger than a node would never
 * be scheduled, so the LimitRange `max` refuses it at admission instead), and the Pod Security version.
 * The quota is a size of the environment's `platform.namespaceQuotas` (sandbox profiles are small),
 * the footprint of what the namespace runs (building blocks, the Information Mediator) through
 * `quotaForFootprint`, or an upstream product's quota from its entry (whose charts' requests the kit
 * does not render); the ceiling is the same either way.
 * Spread it into the props: `new SecureNamespace(this, 'Namespace', { name, ...namespaceBaseline(env, 'medium') })`.
 */
export function namespaceBaseline(
  env: Pick<Environment, 'cluster' | 'platform'>,
  quota: Size | NamespaceFootprint | NamespaceQuota,
): Pick<SecureNamespaceProps, 'quota' | 'containerLimits' | 'kubernetesVersion'> {
  return {
    quota: typeof quota === 'string' ? configuredNamespaceQuota(env, quota) : 'cpuMillicores' in quota ? quotaForFootprint(quota) : quota,
    containerLimits: containerLimits(env),
    kubernetesVersion: env.cluster.kubernetesVersion,
  };
}

/** What a namespace runs at its busiest, summed: requests, claims and pods. */
export interface NamespaceFootprint {
  readonly cpuMillicores: number;
  readonly memoryMiB: number;
  /** Persistent claims, MiB. */
  readonly storageMiB: number;
  readonly pods: number;
}

/** Headroom over the footprint: a rolling update's surge pod, an operator's init jobs, restarts. */
const HEADROOM = 1.25;

/**
 * The quota of a namespace sized from what it runs (a building block, the Information Mediator):
 * the footprint plus headroom, CPU rounded up to 100m, memory to 256Mi, storage to whole GiB.
 */
export function quotaForFootprint(footprint: NamespaceFootprint): NamespaceQuota {
  return {
    cpu: `${Math.ceil((footprint.cpuMillicores * HEADROOM) / 100) * 100}m`,
    memory: `${Math.ceil((footprint.memoryMiB * HEADROOM) / 256) * 256}Mi`,
    storage: `${Math.ceil(footprint.storageMiB / 1024)}Gi`,
    pods: Math.ceil(footprint.pods * HEADROOM) + 2,
  };
}

export function configuredNamespaceQuota(env: Pick<Environment, 'platform'>, size: Size): NamespaceQuota {
  const quota = env.platform.namespaceQuotas[size];
  return { cpu: String(quota.cpu), memory: `${quota.memoryGiB}Gi`, storage: `${quota.storageGiB}Gi`, pods: quota.pods };
}

export function containerLimits(env: Pick<Environment, 'cluster'>): ContainerCeiling {
  return { maxCpu: String(env.cluster.nodeSize.cpu), maxMemory: `${env.cluster.nodeSize.memoryGiB}Gi` };
}
