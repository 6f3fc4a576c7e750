import type { Environment, Size } from '../environment/schema';
import type { ContainerLimits, NamespaceQuota, SecureNamespaceProps } from './secure-namespace';

/**
 * The environment-dependent part of a SecureNamespace: its quota by size (`platform.namespaceQuotas`
 * of the environment, sandbox profiles are small), one container's ceiling from the node size
 * (a container larger than a node would never be scheduled), and the Pod Security version.
 * Spread it into the props: `new SecureNamespace(this, 'Namespace', { name, ...namespaceBaseline(env, 'medium') })`.
 */
export function namespaceBaseline(
  env: Environment,
  size: Size,
): Pick<SecureNamespaceProps, 'quota' | 'containerLimits' | 'kubernetesVersion'> {
  return { quota: namespaceQuota(env, size), containerLimits: containerLimits(env), kubernetesVersion: env.cluster.kubernetesVersion };
}

export function namespaceQuota(env: Environment, size: Size): NamespaceQuota {
  const quota = env.platform.namespaceQuotas[size];
  return { cpu: String(quota.cpu), memory: `${quota.memoryGiB}Gi`, storage: `${quota.storageGiB}Gi`, pods: quota.pods };
}

export function containerLimits(env: Environment): ContainerLimits {
  return { maxCpu: String(env.cluster.nodeSize.cpu), maxMemory: `${env.cluster.nodeSize.memoryGiB}Gi` };
}
