import type { Manifest } from '../../src/synth/manifest';
import { NetworkPolicyModel, type PodEndpoint } from '../../src/validation/network-policy';

/**
 * Shorthands over the kit's NetworkPolicy evaluator (`src/validation/network-policy/`) for
 * specifications that name pods by namespace and labels rather than by workload.
 */
export interface Pod {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Named container ports, for policies that name a port. */
  readonly ports?: Readonly<Record<string, number>>;
}

function endpoint(pod: Pod): PodEndpoint {
  return {
    kind: 'pod',
    workload: `Pod/${pod.namespace}/${JSON.stringify(pod.labels)}`,
    namespace: pod.namespace,
    labels: pod.labels,
    ports: Object.entries(pod.ports ?? {}).map(([name, port]) => ({ name, port, protocol: 'TCP' })),
  };
}

/** Whether `source` may open a TCP connection to `target` on `port`, checking both ends' policies. */
export function allowsTraffic(manifests: readonly Manifest[], source: Pod, target: Pod, port: number): boolean {
  return new NetworkPolicyModel(manifests).allows({ from: endpoint(source), to: endpoint(target), port });
}

/** Only the target's ingress side: for sources whose own namespace's policies are not synthesised here. */
export function admits(manifests: readonly Manifest[], source: Pod, target: Pod, port: number): boolean {
  const { ingress } = new NetworkPolicyModel(manifests).explain({ from: endpoint(source), to: endpoint(target), port });
  return !ingress.isolated || ingress.allowedBy.length > 0;
}
