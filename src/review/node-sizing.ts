import type { Environment } from '../../constructs/environment/schema';
import type { CapacityFigures } from './capacity-figures';
import type { Workload } from './workloads';

export interface NodeSizing {
  readonly nodeSize: Environment['cluster']['nodeSize'];
  /** Share of a node's allocatable resources planned for pods; the rest absorbs bin-packing and system pods. */
  readonly schedulableFraction: number;
  /** What per-node workloads (DaemonSets) take from every node. */
  readonly perNode: { readonly cpuRequests: number; readonly memoryRequests: number; readonly pods: number };
  /** Nodes needed by CPU requests, by memory requests, by pod count, and by replicas that must not share a node. */
  readonly byCpu: number;
  readonly byMemory: number;
  readonly byPods: number;
  readonly byDistinctNodes: number;
  readonly needed: number;
  /** Spare nodes so that the loss of one node leaves enough capacity (1 in production). */
  readonly failureHeadroom: number;
  /** The number to buy. */
  readonly total: number;
}

/** Planned share of allocatable node resources: 20 % stays free for bin-packing losses and cluster add-ons. */
export const SCHEDULABLE_FRACTION = 0.8;

/**
 * Worker nodes of the environment's size that carry the demand: by CPU, memory and pods (less what
 * DaemonSets take on every node), at least as many as replicas that must not share a node, and in
 * production one spare so that losing a node loses no capacity.
 */
export function sizeNodes(
  env: Environment,
  demand: CapacityFigures,
  perNode: NodeSizing['perNode'],
  largestJob: Workload | undefined,
  workloads: readonly Workload[],
): NodeSizing {
  const size = env.cluster.nodeSize;
  const usable = (allocatable: number, reserved: number) => Math.max(allocatable * SCHEDULABLE_FRACTION - reserved, 1);
  const cpu = demand.cpuRequests + (largestJob?.perPod.cpuRequests ?? 0);
  const memory = demand.memoryRequests + (largestJob?.perPod.memoryRequests ?? 0);
  const byCpu = Math.ceil(cpu / usable(size.cpu * 1000, perNode.cpuRequests));
  const byMemory = Math.ceil(memory / usable(size.memoryGiB * 2 ** 30, perNode.memoryRequests));
  const byPods = Math.ceil((demand.pods + (largestJob ? largestJob.replicas : 0)) / Math.max(size.maxPods - perNode.pods, 1));
  const byDistinctNodes = Math.max(0, ...workloads.filter((w) => w.requiresDistinctNodes).map((w) => w.replicas));
  const needed = Math.max(1, byCpu, byMemory, byPods, byDistinctNodes);
  const failureHeadroom = env.stage === 'production' ? 1 : 0;
  return { nodeSize: size, schedulableFraction: SCHEDULABLE_FRACTION, perNode, byCpu, byMemory, byPods, byDistinctNodes, needed, failureHeadroom, total: needed + failureHeadroom };
}
