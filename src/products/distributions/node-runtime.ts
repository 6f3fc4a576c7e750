import { parseQuantity } from '../../../constructs/baseline/quantity';
import type { ContainerLimits } from '../pod-workloads';

/** How that differs from the pod, for the report. */
export const NODE_LIMITS_DIFFERENCE =
  'Node.js gets a heap limit of half the container\'s memory limit as NODE_OPTIONS (--max-heap-size); in a pod V8 sizes its heap from the cgroup\'s limit (measured: 259 MiB of 512Mi, 560 MiB of 1Gi, 1120 MiB of 2Gi), so the harness is at most 10% stricter';

/**
 * In a pod, Node.js reads the container's memory limit from its cgroup and V8 sizes the heap from
 * it (about half); in the sandbox it would size it from the whole machine and never run out where
 * the pod does. NODE_OPTIONS carries the limit instead; a pod's own NODE_OPTIONS comes after it, so
 * a heap size the pod sets still wins.
 */
export function nodeContainerLimits(limits: ContainerLimits): Record<string, string> {
  if (!limits.memory) return {};
  return { NODE_OPTIONS: `--max-heap-size=${Math.floor(parseQuantity(limits.memory) / 2 / 2 ** 20)}` };
}
