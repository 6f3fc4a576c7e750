import type { IConstruct } from 'constructs';

/**
 * What an upstream chart runs, as far as NetworkPolicies care: the labels of its pods and the
 * ports they listen on, with the values the kit gives the chart. Declared next to the chart so the
 * kit's NetworkPolicies for those pods can be checked (NET-02) without rendering the chart.
 */
export interface UpstreamWorkload {
  /** A short name, e.g. `controller`. */
  readonly name: string;
  /** Labels on its pods (a subset is enough, as long as policies select by these). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Ports its containers listen on. */
  readonly ports: readonly { readonly name?: string; readonly port: number }[];
  /**
   * Pods on the host network: NetworkPolicies do not apply to them.
   * @default false
   */
  readonly hostNetwork?: boolean;
  /**
   * Replicas it runs with these values.
   * @default 1
   */
  readonly replicas?: number;
}

const UPSTREAM_WORKLOADS = 'govstack:upstream-workloads';

export function declareUpstreamWorkloads(chart: IConstruct, workloads: readonly UpstreamWorkload[]): void {
  chart.node.addMetadata(UPSTREAM_WORKLOADS, workloads);
}

/** The workloads declared for an upstream chart, or undefined when nobody declared them. */
export function declaredUpstreamWorkloads(chart: IConstruct): readonly UpstreamWorkload[] | undefined {
  const entries = chart.node.metadata.filter((entry) => entry.type === UPSTREAM_WORKLOADS);
  return entries.length === 0 ? undefined : entries.flatMap((entry) => entry.data as UpstreamWorkload[]);
}
