import { declaredExceptions } from '../../constructs/baseline/policy-exception';
import { objectId, type Manifest } from '../synth/manifest';
import { renderedReleaseOf } from '../upstream/render';
import { containerPortsOf } from '../validation/network-policy';
import { generatedPods } from './generated-pods';
import { KnownNetwork, type KnownNamespace, type KnownPod } from './known-network';
import type { PolicyContext, PolicyInput, Subject, UpstreamChartFacts } from './types';
import { podSources, type PodSource } from './workloads';

/** The input, indexed once for all checks. */
export function policyContext(input: PolicyInput): PolicyContext {
  const releaseOf = new Map<Manifest, UpstreamChartFacts>();
  for (const release of input.rendered) {
    const chart = renderedReleaseOf(input.upstreamCharts, release);
    if (!chart) throw new Error(`rendered release ${release.releaseName} in ${release.namespace} has no upstream chart declared in the construct tree`);
    for (const object of release.objects) releaseOf.set(object, chart);
  }
  const manifests = [...input.manifests, ...releaseOf.keys()];
  const byKind = new Map<string, Manifest[]>();
  for (const manifest of manifests) {
    const ofKind = byKind.get(manifest.kind);
    if (ofKind) ofKind.push(manifest);
    else byKind.set(manifest.kind, [manifest]);
  }
  const pods = podSources(manifests);
  const namespaces = (byKind.get('Namespace') ?? []).filter((namespace) => !releaseOf.has(namespace));
  const subjectOfChart = (chart: UpstreamChartFacts): Subject => ({ id: chartId(chart), exceptions: new Map(Object.entries(chart.exceptions)) });
  // Each object's subject is made once: every check asks for it.
  const subjectOfObject = new Map<Manifest, Subject>();
  const subjectOf = (manifest: Manifest): Subject => {
    let subject = subjectOfObject.get(manifest);
    if (!subject) {
      subject = newSubjectOf(manifest);
      subjectOfObject.set(manifest, subject);
    }
    return subject;
  };
  const newSubjectOf = (manifest: Manifest): Subject => {
    const chart = releaseOf.get(manifest);
    if (!chart) return { id: objectId(manifest), exceptions: declaredExceptions(manifest) };
    // Helm renders the object; the kit can only declare exceptions on the release it configures.
    const id = objectId(manifest);
    const exceptions = new Map(Object.entries(chart.exceptions));
    for (const scoped of chart.scopedExceptions ?? []) if (scoped.objects.includes(id)) exceptions.set(scoped.check, scoped.reason);
    return { id: `${id} (${chartId(chart)})`, exceptions, declaredOn: chartId(chart) };
  };
  const subjects = new Map<string, Subject>([
    ...manifests.map((m) => [subjectOf(m).id, subjectOf(m)] as const),
    ...input.upstreamCharts.map((c) => [chartId(c), subjectOfChart(c)] as const),
  ]);
  const renderedInput = { ...input, manifests };
  const unrenderedCharts = input.upstreamCharts.filter((chart) => {
    const release = renderedReleaseOf(input.rendered, chart);
    return !release || Boolean(release.error);
  });
  return {
    ...renderedInput,
    unrenderedCharts,
    upstreamReleaseOf: (manifest) => releaseOf.get(manifest),
    ofKind: (...kinds) => kinds.flatMap((kind) => byKind.get(kind) ?? []),
    namespaces,
    pods,
    network: networkModel(renderedInput, unrenderedCharts, namespaces, pods, (pod) => subjectOf(pod.owner).id),
    subjectOf,
    subjectOfChart,
    subjectById: (id) => subjects.get(id) ?? { id, exceptions: new Map() },
    subjectOfTerraform: (stack, address) => ({ id: `terraform/${stack}/${address}`, exceptions: new Map() }),
  };
}

export function chartId(chart: UpstreamChartFacts): string {
  return `HelmRelease/${chart.namespace}/${chart.releaseName}`;
}

function networkModel(
  input: PolicyInput,
  unrendered: readonly UpstreamChartFacts[],
  namespaces: readonly Manifest[],
  pods: readonly PodSource[],
  ownerId: (pod: PodSource) => string,
): KnownNetwork {
  // A chart Helm rendered shows its pods; one that did not render is only known by its declared workloads.
  const blind = new Set(unrendered.filter((chart) => !chart.workloads).map((chart) => chart.namespace));
  const known: KnownNamespace[] = namespaces.map((namespace) => ({
    name: namespace.metadata.name,
    labels: { ...namespace.metadata.labels, 'kubernetes.io/metadata.name': namespace.metadata.name },
    podsKnown: !blind.has(namespace.metadata.name),
  }));
  const kitPods: KnownPod[] = pods.map((pod) => ({
    origin: ownerId(pod),
    owner: ownerId(pod),
    namespace: pod.namespace,
    labels: pod.labels,
    hostNetwork: pod.spec.hostNetwork,
    ports: containerPortsOf(pod.spec),
  }));
  const upstreamPods: KnownPod[] = unrendered.flatMap((chart) =>
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
