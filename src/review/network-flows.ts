import type { UpstreamHelmChartProps } from '../../constructs/releases/upstream-helm-chart';
import type { Manifest } from '../synth/manifest';
import {
  describeSelector,
  isolatingPolicies,
  NamespaceLabels,
  networkPoliciesOf,
  peerSelectsPod,
  pinnedNamespaceNames,
  selectorIsEmpty,
  selectsPodLabels,
  sideRules,
  type ContainerPort,
  type Direction,
  type EffectivePolicy,
  type LabelSelector,
  type Labels,
  type NetworkPolicyPeer,
} from '../validation/network-policy';
import { intersect, portText, union, type PortSet } from './port-set';
import type { Workload } from './workloads';

/**
 * The traffic the NetworkPolicies allow, evaluated as the cluster would: a flow exists when the
 * source's egress policies (if any select it) and the destination's ingress policies (if any select
 * it) both permit it. Endpoints are the kit's workloads, the upstream charts' pods (matched by
 * namespace, since their labels are the chart's), pods that policies name in other namespaces,
 * and address blocks outside the cluster.
 */
export interface FlowEnd {
  readonly id: string;
  readonly label: string;
  /** Undefined for addresses outside the cluster. */
  readonly namespace?: string;
  readonly kind: 'workload' | 'upstream-chart' | 'selected-pods' | 'namespace' | 'addresses';
  /** Pod labels; undefined when unknown (upstream charts, whole namespaces), which any pod selector may match. */
  readonly labels?: Labels;
  readonly ports: readonly ContainerPort[];
  readonly workload?: Workload;
}

export interface FlowRow {
  readonly from: FlowEnd;
  readonly to: FlowEnd;
  /** `TCP 5432`, `UDP 53`, or `any port`. */
  readonly ports: readonly string[];
}

const ANYWHERE_CIDR = '0.0.0.0/0';

export interface NetworkView {
  readonly endpoints: readonly FlowEnd[];
  readonly flows: readonly FlowRow[];
}

export function allowedFlows(manifests: readonly Manifest[], workloads: readonly Workload[], upstreamCharts: readonly UpstreamHelmChartProps[]): NetworkView {
  const policies = networkPoliciesOf(manifests);
  const namespaces = NamespaceLabels.of(manifests);
  const endpoints = collectEndpoints(policies, workloads, upstreamCharts);

  // An address endpoint stands for exactly the block a policy names, so each block is drawn once.
  const peerMatches = (peer: NetworkPolicyPeer, policyNamespace: string, endpoint: FlowEnd): boolean => {
    if (peer.ipBlock) return endpoint.kind === 'addresses' && endpoint.id === addressesId(peer.ipBlock.cidr);
    return endpoint.namespace !== undefined && peerSelectsPod(peer, policyNamespace, { namespace: endpoint.namespace, labels: endpoint.labels }, namespaces);
  };

  const isolatedBy = new Map<string, EffectivePolicy[]>();
  const isolated = (side: Direction, subject: FlowEnd): EffectivePolicy[] => {
    if (subject.namespace === undefined) return [];
    const key = `${side}\0${subject.id}`;
    if (!isolatedBy.has(key)) isolatedBy.set(key, isolatingPolicies(policies, side, { namespace: subject.namespace, labels: subject.labels }));
    return isolatedBy.get(key)!;
  };
  /** Ports one side permits towards `target` (`undefined`: nothing), or every port when no policy isolates the side. */
  const permitted = (side: Direction, subject: FlowEnd, other: FlowEnd, target: FlowEnd): PortSet | undefined => {
    const decided = sideRules(isolated(side, subject), side, (peer, policyNamespace) => peerMatches(peer, policyNamespace, other));
    if (!decided.isolated) return 'all';
    let allowed: PortSet | undefined;
    for (const { rule } of decided.reaching) allowed = union(allowed, rule.ports ? new Set(rule.ports.map((p) => portText(p, target.ports))) : 'all');
    return allowed;
  };

  const flows: FlowRow[] = [];
  for (const from of endpoints) {
    for (const to of endpoints) {
      // Between two endpoints no policy of ours isolates, the kit decides nothing.
      if (isolated('egress', from).length === 0 && isolated('ingress', to).length === 0) continue;
      const egress = permitted('egress', from, to, to);
      if (!egress) continue;
      const ingress = permitted('ingress', to, from, to);
      if (!ingress) continue;
      const ports = intersect(egress, ingress);
      if (ports.length > 0) flows.push({ from, to, ports });
    }
  }
  return { endpoints, flows };
}

function addressesId(cidr: string): string {
  return `addresses:${cidr}`;
}

function collectEndpoints(
  policies: readonly EffectivePolicy[],
  workloads: readonly Workload[],
  upstreamCharts: readonly UpstreamHelmChartProps[],
): FlowEnd[] {
  const endpoints = new Map<string, FlowEnd>();
  for (const workload of workloads) {
    const id = `${workload.namespace}/${workload.kind}/${workload.name}`;
    endpoints.set(id, { id, label: workload.name, namespace: workload.namespace, kind: 'workload', labels: workload.podLabels, ports: workload.ports, workload });
  }
  for (const chart of upstreamCharts) {
    const id = `${chart.namespace}/chart/${chart.releaseName}`;
    endpoints.set(id, { id, label: `${chart.releaseName} (upstream chart)`, namespace: chart.namespace, kind: 'upstream-chart', ports: [] });
  }
  const known = [...endpoints.values()];
  const anyKnownIn = (namespace: string, selector: LabelSelector | undefined) => known.some((e) => e.namespace === namespace && selectsPodLabels(selector, e.labels));

  for (const policy of policies) {
    for (const rule of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) {
      if (!rule.peers) {
        endpoints.set(addressesId(ANYWHERE_CIDR), addressEndpoint(ANYWHERE_CIDR));
        continue;
      }
      for (const peer of rule.peers) {
        if (peer.ipBlock) {
          endpoints.set(addressesId(peer.ipBlock.cidr), addressEndpoint(peer.ipBlock.cidr));
          continue;
        }
        // Namespaces a selector names outright are drawn even when the kit knows nothing there (kube-system).
        const namespaces = peer.namespaceSelector ? (pinnedNamespaceNames(peer.namespaceSelector) ?? []) : [policy.namespace];
        for (const namespace of namespaces) {
          if (anyKnownIn(namespace, peer.podSelector)) continue;
          if (selectorIsEmpty(peer.podSelector)) {
            const id = `${namespace}/namespace`;
            endpoints.set(id, { id, label: `all pods in ${namespace}`, namespace, kind: 'namespace', ports: [] });
          } else {
            const selector = peer.podSelector!;
            const id = `${namespace}/pods/${describeSelector(selector)}`;
            endpoints.set(id, { id, label: selectedPodsLabel(selector), namespace, kind: 'selected-pods', labels: selector.matchLabels ?? {}, ports: [] });
          }
        }
      }
    }
  }
  return [...endpoints.values()].sort((a, b) => a.id.localeCompare(b.id));
}

function addressEndpoint(cidr: string): FlowEnd {
  return { id: addressesId(cidr), label: cidr === ANYWHERE_CIDR ? `any address (${cidr})` : `addresses ${cidr}`, kind: 'addresses', ports: [] };
}

/** Pods named by a selector, labelled by the label that says most (`k8s-app=kube-dns` → `kube-dns`). */
function selectedPodsLabel(selector: LabelSelector): string {
  const labels = selector.matchLabels ?? {};
  const telling = labels['gateway.envoyproxy.io/owning-gateway-name'] ? `gateway ${labels['gateway.envoyproxy.io/owning-gateway-name']}` : undefined;
  const name = telling ?? labels['app.kubernetes.io/name'] ?? labels['k8s-app'] ?? labels.app ?? describeSelector(selector);
  return `${name} pods`;
}
