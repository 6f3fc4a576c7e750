import type { UpstreamHelmChartProps } from '../../constructs/releases/upstream-helm-chart';
import { bytes, millicores } from '../../constructs/baseline/quantity';

/**
 * What an upstream chart will request, as far as its values say: every `resources` block in the
 * values is one container, multiplied by a `replicas`/`replicaCount` next to it (1 when absent).
 * Containers the values do not size run with the chart's own defaults, which only rendering the
 * chart would show; the estimate says which value paths it counted.
 */
export interface UpstreamEstimate {
  readonly release: string;
  readonly chart: string;
  readonly namespace: string;
  readonly cpuRequests: number;
  readonly memoryRequests: number;
  readonly cpuLimits: number;
  readonly memoryLimits: number;
  readonly pods: number;
  /** Value paths of the `resources` blocks counted, e.g. `controller.resources ×2`. */
  readonly basis: readonly string[];
}

const REPLICA_KEYS = ['replicas', 'replicaCount', 'replicasCount'];

export function estimateUpstreamChart(props: UpstreamHelmChartProps): UpstreamEstimate {
  const estimate = { cpuRequests: 0, memoryRequests: 0, cpuLimits: 0, memoryLimits: 0, pods: 0 };
  const basis: string[] = [];
  const visit = (node: unknown, path: string[]) => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, [...path, String(i)]));
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const resources = record.resources as { requests?: Record<string, string>; limits?: Record<string, string> } | undefined;
    if (resources && typeof resources === 'object' && (resources.requests || resources.limits)) {
      const replicaKey = REPLICA_KEYS.find((key) => typeof record[key] === 'number');
      const replicas = replicaKey ? (record[replicaKey] as number) : 1;
      const value = (group: 'requests' | 'limits', resource: 'cpu' | 'memory') => {
        const quantity = resources[group]?.[resource] ?? (group === 'requests' ? resources.limits?.[resource] : undefined);
        if (quantity === undefined) return 0;
        return resource === 'cpu' ? millicores(quantity) : bytes(quantity);
      };
      estimate.cpuRequests += replicas * value('requests', 'cpu');
      estimate.memoryRequests += replicas * value('requests', 'memory');
      estimate.cpuLimits += replicas * value('limits', 'cpu');
      estimate.memoryLimits += replicas * value('limits', 'memory');
      estimate.pods += replicas;
      basis.push(`${[...path, 'resources'].join('.')}${replicas === 1 ? '' : ` ×${replicas}`}`);
    }
    for (const [key, child] of Object.entries(record)) if (key !== 'resources') visit(child, [...path, key]);
  };
  visit(props.values, []);
  return { release: props.releaseName, chart: props.chart, namespace: props.namespace, ...estimate, basis };
}
