import { declaredExceptions } from '../../constructs/baseline/policy-exception';
import { objectId, type Manifest } from '../synth/manifest';
import { containerPortsOf } from '../validation/network-policy';
import { generatedPods } from './generated-pods';
import { KnownNetwork, type KnownNamespace, type KnownPod } from './known-network';
import type { PolicyInput, Subject, UpstreamChartFacts } from './types';
import { podSources, type PodSource } from './workloads';

/** The input, indexed once for all checks. */
export interface PolicyContext extends PolicyInput {
  ofKind(...kinds: string[]): Manifest[];
  /** Namespace objects the kit creates. */
  readonly namespaces: readonly Manifest[];
  readonly pods: readonly PodSource[];
  readonly network: KnownNetwork;
  subjectOf(manifest: Manifest): Subject;
  /** The subject of an object or upstream release by its id (what `KnownPod.owner` holds). */
  subjectById(id: string): Subject;
  subjectOfChart(chart: UpstreamChartFacts): Subject;
  /** A Terraform resource or block: no exceptions, Terraform checks are never waived. */
  subjectOfTerraform(stack: string, address: string): Subject;
}

export function policyContext(input: PolicyInput): PolicyContext {
  const byKind = new Map<string, Manifest[]>();
  for (const manifest of input.manifests) byKind.set(manifest.kind, [...(byKind.get(manifest.kind) ?? []), manifest]);
  const pods = podSources(input.manifests);
  const namespaces = byKind.get('Namespace') ?? [];
  const subjectOf = (manifest: Manifest): Subject => ({ id: objectId(manifest), exceptions: declaredExceptions(manifest) });
  const subjectOfChart = (chart: UpstreamChartFacts): Subject => ({ id: chartId(chart), exceptions: new Map(Object.entries(chart.exceptions)) });
  const subjects = new Map<string, Subject>([
    ...input.manifests.map((m) => [objectId(m), subjectOf(m)] as const),
    ...input.upstreamCharts.map((c) => [chartId(c), subjectOfChart(c)] as const),
  ]);
  return {
    ...input,
    ofKind: (...kinds) => kinds.flatMap((kind) => byKind.get(kind) ?? []),
    namespaces,
    pods,
    network: networkModel(input, namespaces, pods),
    subjectOf,
    subjectOfChart,
    subjectById: (id) => subjects.get(id) ?? { id, exceptions: new Map() },
    subjectOfTerraform: (stack, address) => ({ id: `terraform/${stack}/${address}`, exceptions: new Map() }),
  };
}

export function chartId(chart: UpstreamChartFacts): string {
  return `HelmRelease/${chart.namespace}/${chart.releaseName}`;
}

function networkModel(input: PolicyInput, namespaces: readonly Manifest[], pods: readonly PodSource[]): KnownNetwork {
  const blind = new Set(input.upstreamCharts.filter((chart) => !chart.workloads).map((chart) => chart.namespace));
  const known: KnownNamespace[] = namespaces.map((namespace) => ({
    name: namespace.metadata.name,
    labels: { ...namespace.metadata.labels, 'kubernetes.io/metadata.name': namespace.metadata.name },
    podsKnown: !blind.has(namespace.metadata.name),
  }));
  const kitPods: KnownPod[] = pods.map((pod) => ({
    origin: objectId(pod.owner),
    owner: objectId(pod.owner),
    namespace: pod.namespace,
    labels: pod.labels,
    hostNetwork: pod.spec.hostNetwork,
    ports: containerPortsOf(pod.spec),
  }));
  const upstreamPods: KnownPod[] = input.upstreamCharts.flatMap((chart) =>
    (chart.workloads ?? []).map((workload) => ({
      origin: `${chartId(chart)} (${workload.name})`,
      owner: chartId(chart),
      namespace: chart.namespace,
      labels: workload.podLabels,
      ports: workload.ports,
      hostNetwork: workload.hostNetwork,
    })),
  );
  return new KnownNetwork(known, [...kitPods, ...generatedPods(input.manifests), ...upstreamPods]);
}
