/** Summable capacity figures: CPU in millicores, memory and storage in bytes. */
export interface CapacityFigures {
  readonly cpuRequests: number;
  readonly cpuLimits: number;
  readonly memoryRequests: number;
  readonly memoryLimits: number;
  readonly pods: number;
  /** Persistent storage requested, by storage class (`(cluster default)` when a claim names none). */
  readonly storage: Readonly<Record<string, number>>;
  readonly loadBalancers: number;
  /** Pods with a container that has no CPU (memory) limit: their limits are not in the sums. */
  readonly podsWithoutCpuLimit: number;
  readonly podsWithoutMemoryLimit: number;
}

export const ZERO: CapacityFigures = {
  cpuRequests: 0, cpuLimits: 0, memoryRequests: 0, memoryLimits: 0, pods: 0, storage: {}, loadBalancers: 0, podsWithoutCpuLimit: 0, podsWithoutMemoryLimit: 0,
};

export function addFigures(a: CapacityFigures, b: CapacityFigures): CapacityFigures {
  const storage: Record<string, number> = { ...a.storage };
  for (const [storageClass, size] of Object.entries(b.storage)) storage[storageClass] = (storage[storageClass] ?? 0) + size;
  return {
    cpuRequests: a.cpuRequests + b.cpuRequests,
    cpuLimits: a.cpuLimits + b.cpuLimits,
    memoryRequests: a.memoryRequests + b.memoryRequests,
    memoryLimits: a.memoryLimits + b.memoryLimits,
    pods: a.pods + b.pods,
    storage: Object.fromEntries(Object.entries(storage).sort(([x], [y]) => x.localeCompare(y))),
    loadBalancers: a.loadBalancers + b.loadBalancers,
    podsWithoutCpuLimit: a.podsWithoutCpuLimit + b.podsWithoutCpuLimit,
    podsWithoutMemoryLimit: a.podsWithoutMemoryLimit + b.podsWithoutMemoryLimit,
  };
}

export function sumFigures(all: readonly CapacityFigures[]): CapacityFigures {
  return all.reduce(addFigures, ZERO);
}

