import type { Environment, Size } from '../environment/schema';
import type { ContainerCeiling, NamespaceQuota, SecureNamespaceProps } from './secure-namespace';

/**
 * The environment-dependent part of every SecureNamespace, the one way the kit sizes a namespace:
 * its quota, one container's ceiling from the node size (a container larger than a node would never
 * be scheduled, so the LimitRange `max` refuses it at admission instead), and the Pod Security version.
 * The quota is either a size of the environment's `platform.namespaceQuotas` (sandbox profiles are
 * small) or one computed from what the namespace runs (building blocks, the Information Mediator,
 * an upstream product's entry); the ceiling is the same either way.
 * Spread it into the props: `new SecureNamespace(this, 'Namespace', { name, ...namespaceBaseline(env, 'medium') })`.
 */
export function namespaceBaseline(
  env: Environment,
  quota: Size | NamespaceQuota,
): Pick<SecureNamespaceProps, 'quota' | 'containerLimits' | 'kubernetesVersion'> {
  return {
    quota: typeof quota === 'string' ? configuredNamespaceQuota(env, quota) : quota,
    containerLimits: containerLimits(env),
    kubernetesVersion: env.cluster.kubernetesVersion,
  };
}

export function configuredNamespaceQuota(env: Environment, size: Size): NamespaceQuota {
  const quota = env.platform.namespaceQuotas[size];
  return { cpu: String(quota.cpu), memory: `${quota.memoryGiB}Gi`, storage: `${quota.storageGiB}Gi`, pods: quota.pods };
}

export function containerLimits(env: Environment): ContainerCeiling {
  return { maxCpu: String(env.cluster.nodeSize.cpu), maxMemory: `${env.cluster.nodeSize.memoryGiB}Gi` };
}
