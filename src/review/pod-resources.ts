import { bytes, millicores } from '../../constructs/baseline/quantity';
import type { ContainerDefaults } from '../policy/limit-range';

/** Pod-level resources: CPU in millicores, memory in bytes; limits that some container leaves open are not summed. */
export interface PodResources {
  readonly cpuRequests: number;
  readonly memoryRequests: number;
  readonly cpuLimits: number;
  readonly memoryLimits: number;
  /** True when a container has no CPU (memory) limit, even after the namespace's LimitRange defaults. */
  readonly cpuUnlimited: boolean;
  readonly memoryUnlimited: boolean;
}

export interface ContainerSpec {
  readonly image?: string;
  readonly resources?: { readonly requests?: Record<string, string | number>; readonly limits?: Record<string, string | number> };
  readonly ports?: readonly { readonly name?: string; readonly containerPort: number; readonly protocol?: string }[];
  readonly restartPolicy?: string;
}

interface ContainerFigures {
  readonly cpuRequest: number;
  readonly memoryRequest: number;
  readonly cpuLimit?: number;
  readonly memoryLimit?: number;
}

/** One container's requests and limits after API defaulting (request = limit) and the LimitRange's defaults. */
function containerFigures(container: ContainerSpec, defaults: ContainerDefaults | undefined): ContainerFigures {
  const figure = (resource: 'cpu' | 'memory') => {
    const parse = resource === 'cpu' ? millicores : bytes;
    const limit = container.resources?.limits?.[resource] ?? defaults?.default[resource];
    const request = container.resources?.requests?.[resource] ?? container.resources?.limits?.[resource] ?? defaults?.defaultRequest[resource] ?? defaults?.default[resource];
    return { request: request === undefined ? 0 : parse(request), limit: limit === undefined ? undefined : parse(limit) };
  };
  const cpu = figure('cpu');
  const memory = figure('memory');
  return { cpuRequest: cpu.request, memoryRequest: memory.request, cpuLimit: cpu.limit, memoryLimit: memory.limit };
}

/**
 * What the scheduler reserves for a pod: the larger of what its app containers and sidecars use
 * together and what any one init container needs next to the sidecars started before it.
 */
export function podResources(containers: readonly ContainerSpec[], initContainers: readonly ContainerSpec[], defaults?: ContainerDefaults): PodResources {
  const app = containers.map((c) => containerFigures(c, defaults));
  const steps: ContainerFigures[][] = [];
  const sidecars: ContainerFigures[] = [];
  for (const init of initContainers) {
    const figures = containerFigures(init, defaults);
    if (init.restartPolicy === 'Always') sidecars.push(figures);
    else steps.push([...sidecars, figures]);
  }
  steps.push([...app, ...sidecars]);
  const peak = (select: (f: ContainerFigures) => number | undefined) => Math.max(...steps.map((step) => step.reduce((sum, f) => sum + (select(f) ?? 0), 0)));
  const unlimited = (select: (f: ContainerFigures) => number | undefined) => steps.some((step) => step.some((f) => select(f) === undefined));
  return {
    cpuRequests: peak((f) => f.cpuRequest),
    memoryRequests: peak((f) => f.memoryRequest),
    cpuLimits: peak((f) => f.cpuLimit),
    memoryLimits: peak((f) => f.memoryLimit),
    cpuUnlimited: unlimited((f) => f.cpuLimit),
    memoryUnlimited: unlimited((f) => f.memoryLimit),
  };
}
