import type { Environment } from '../environment/schema';
import { resilience } from '../environment/resilience';

/**
 * Settings the platform's upstream charts share: resource requests, disruption budgets and spreading
 * (restricted security contexts: `baseline/restricted-pod.ts`; replicas: `environment/resilience.ts`).
 */

/**
 * Writable scratch space outside volumes: logs, which the kubelet keeps at up to 5 × 10Mi per
 * container by default, and a controller's temporary files.
 */
const CONTROLLER_SCRATCH = { request: '64Mi', limit: '1Gi' } as const;

/**
 * Requests (and a memory limit equal to `memoryLimit`, default twice the request) for chart values,
 * with an ephemeral-storage request and limit (`scratch`) so a runaway writer is evicted before it fills the node.
 */
export function chartResources(
  cpu: string,
  memory: string,
  memoryLimit?: string,
  scratch: { readonly request: string; readonly limit: string } = CONTROLLER_SCRATCH,
): Record<string, unknown> {
  const limit = memoryLimit ?? `${Number.parseInt(memory, 10) * 2}${memory.replace(/^\d+/, '')}`;
  return { requests: { cpu, memory, 'ephemeral-storage': scratch.request }, limits: { memory: limit, 'ephemeral-storage': scratch.limit } };
}

/** A PodDisruptionBudget setting for charts: one pod may go when there are several. */
export function disruptionBudget(replicas: number): Record<string, unknown> {
  return replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false };
}

/** Spread a chart's pods over nodes (zones in multi-zone environments). */
export function topologySpread(env: Pick<Environment, 'ha' | 'platform' | 'stage'>, podLabels: Readonly<Record<string, string>>): Record<string, unknown>[] {
  const { spreads, spreadKey, spreadIsRequired } = resilience(env);
  if (!spreads) return [];
  return [
    {
      maxSkew: 1,
      topologyKey: spreadKey,
      whenUnsatisfiable: spreadIsRequired ? 'DoNotSchedule' : 'ScheduleAnyway',
      labelSelector: { matchLabels: { ...podLabels } },
    },
  ];
}
