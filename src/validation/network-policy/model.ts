import type { Manifest } from '../../synth/manifest';
import { ipBlockContains } from './ip-block';
import { NamespaceLabels } from './namespaces';
import { peerSelectsPod } from './peers';
import { podsOf, type PodEndpoint } from './pods';
import { isolatingPolicies, networkPoliciesOf, sideRules, type Direction, type EffectivePolicy } from './policies';
import { portAdmits, protocolOf } from './ports';
import type { Labels, NetworkPolicyPeer } from './types';

/** An address outside the cluster: the internet, a data-centre network, the API server. */
export interface ExternalEndpoint {
  readonly kind: 'external';
  readonly ip: string;
}

export type Endpoint = PodEndpoint | ExternalEndpoint;

export interface Flow {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

export interface NetworkPolicyModelOptions {
  /** Pods that run outside the manifests (upstream charts, other components), e.g. a gateway proxy. */
  readonly extraPods?: readonly PodEndpoint[];
  /** Labels of namespaces not created by the manifests, beyond the automatic `kubernetes.io/metadata.name`. */
  readonly namespaceLabels?: Readonly<Record<string, Labels>>;
}

/** One side of a verdict: whether policies isolate that end, and which of them allow the flow. */
export interface SideVerdict {
  readonly isolated: boolean;
  readonly allowedBy: readonly string[];
}

/** A verdict with the policies that decided it, for readable test failures. */
export interface FlowVerdict {
  readonly allowed: boolean;
  /** Whether the source is isolated for egress, and the policies whose rules allow the flow. */
  readonly egress: SideVerdict;
  readonly ingress: SideVerdict;
}

const NOT_ISOLATED: SideVerdict = { isolated: false, allowedBy: [] };

/**
 * A small evaluator of Kubernetes NetworkPolicies over synthesised manifests, so tests can state
 * which flows are allowed ("a consumer may reach its security server on 8080") rather than count
 * objects. Semantics follow the Kubernetes API (networking.k8s.io/v1):
 * - a pod is isolated for a direction only when a policy selecting it lists that policy type;
 *   a flow must be allowed by the source's egress and by the destination's ingress;
 * - `policyTypes` defaults to Ingress, plus Egress when the policy has egress rules;
 * - a peer with only `podSelector` means pods of the policy's namespace; `namespaceSelector` and
 *   `podSelector` in one peer must both match; an absent `from`/`to` or `ports` matches everything;
 * - named ports resolve against the destination pod's container ports; `endPort` gives a range.
 * Two choices where the API leaves it to the network plugin: `ipBlock` matches only addresses
 * outside the cluster (external endpoints), never pods; traffic from the node (kubelet probes) is
 * not modelled.
 */
export class NetworkPolicyModel {
  readonly pods: readonly PodEndpoint[];
  private readonly policies: readonly EffectivePolicy[];
  private readonly namespaces: NamespaceLabels;

  constructor(manifests: readonly Manifest[], options: NetworkPolicyModelOptions = {}) {
    this.pods = [...podsOf(manifests), ...(options.extraPods ?? [])];
    this.policies = networkPoliciesOf(manifests);
    this.namespaces = NamespaceLabels.of(manifests, options.namespaceLabels);
  }

  /** The pod of a workload, by `Kind/namespace/name`. */
  pod(workload: string): PodEndpoint {
    const found = this.pods.find((p) => p.workload === workload);
    if (!found) throw new Error(`no pod of workload ${workload}; known: ${this.pods.map((p) => p.workload).join(', ')}`);
    return found;
  }

  labelsOfNamespace(namespace: string): Record<string, string> {
    return { ...this.namespaces.of(namespace) };
  }

  allows(flow: Flow): boolean {
    return this.explain(flow).allowed;
  }

  explain(flow: Flow): FlowVerdict {
    const egress = flow.from.kind === 'pod' ? this.verdict(flow.from, 'egress', flow.to, flow) : NOT_ISOLATED;
    const ingress = flow.to.kind === 'pod' ? this.verdict(flow.to, 'ingress', flow.from, flow) : NOT_ISOLATED;
    const passes = (side: SideVerdict) => !side.isolated || side.allowedBy.length > 0;
    return { allowed: passes(egress) && passes(ingress), egress, ingress };
  }

  private verdict(subject: PodEndpoint, direction: Direction, other: Endpoint, flow: Flow): SideVerdict {
    const side = sideRules(isolatingPolicies(this.policies, direction, subject), direction, (peer, policyNamespace) => this.peerMatches(peer, policyNamespace, other));
    const protocol = protocolOf(flow);
    const destinationPorts = flow.to.kind === 'pod' ? flow.to.ports : [];
    const admitting = side.reaching.filter(({ rule }) => !rule.ports || rule.ports.some((port) => portAdmits(port, flow.port, protocol, destinationPorts)));
    return { isolated: side.isolated, allowedBy: [...new Set(admitting.map(({ policy }) => `${policy.namespace}/${policy.name}`))] };
  }

  private peerMatches(peer: NetworkPolicyPeer, policyNamespace: string, endpoint: Endpoint): boolean {
    if (endpoint.kind === 'external') return peer.ipBlock !== undefined && ipBlockContains(peer.ipBlock, endpoint.ip);
    return peerSelectsPod(peer, policyNamespace, endpoint, this.namespaces);
  }
}
