/**
 * Just enough of Kubernetes NetworkPolicy semantics to check statically that policies name real
 * peers and ports (NET-02): label selectors, which pods a policy selects, which pods a peer means.
 * Namespaces outside the kit (kube-system, …) and pods the kit cannot see are "unverifiable":
 * a peer there is taken on trust, a peer that matches nothing the kit knows is reported.
 */

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

export interface NetworkPolicyPort {
  readonly port?: number | string;
  readonly endPort?: number;
  readonly protocol?: string;
}

export interface NetworkPolicyRule {
  readonly from?: readonly NetworkPolicyPeer[];
  readonly to?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

export interface NetworkPolicySpec {
  readonly podSelector?: LabelSelector;
  readonly policyTypes?: readonly string[];
  readonly ingress?: readonly NetworkPolicyRule[];
  readonly egress?: readonly NetworkPolicyRule[];
}

/** A pod the kit knows will run: rendered by the kit, generated from its custom resources, or declared for an upstream chart. */
export interface KnownPod {
  /** Where it comes from, for messages: `Deployment/ns/name`, `HelmRelease/ns/release (controller)`. */
  readonly origin: string;
  /** Id of the object or upstream release it comes from, where exceptions for it are declared. */
  readonly owner: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly name?: string; readonly port: number }[];
  /** On the host network: NetworkPolicies do not apply. */
  readonly hostNetwork?: boolean;
}

export interface KnownNamespace {
  readonly name: string;
  /** Its labels, including `kubernetes.io/metadata.name` which Kubernetes sets. */
  readonly labels: Readonly<Record<string, string>>;
  /** False when something runs there whose pods the kit cannot see (an upstream chart without declared workloads). */
  readonly podsKnown: boolean;
}

export function selectorIsEmpty(selector: LabelSelector | undefined): boolean {
  return !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}

export function matchesSelector(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, key);
    if (operator === 'In' && !(has && values.includes(labels[key]))) return false;
    if (operator === 'NotIn' && has && values.includes(labels[key])) return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** The namespace names a selector pins by `kubernetes.io/metadata.name`, if it does. */
function pinnedNamespaceNames(selector: LabelSelector): readonly string[] | undefined {
  const name = selector.matchLabels?.['kubernetes.io/metadata.name'];
  if (name) return [name];
  const expression = selector.matchExpressions?.find((e) => e.key === 'kubernetes.io/metadata.name' && e.operator === 'In');
  return expression?.values;
}

export interface ResolvedPeer {
  /** Known pods the peer means (empty for an ipBlock or an unverifiable namespace). */
  readonly pods: readonly KnownPod[];
  /** False when the peer cannot be checked: an address block, or namespaces outside the kit's knowledge. */
  readonly verifiable: boolean;
  /** Why the peer is not real, if it is not. */
  readonly problem?: string;
}

export class NetworkModel {
  private readonly namespaces: Map<string, KnownNamespace>;

  constructor(
    namespaces: readonly KnownNamespace[],
    readonly pods: readonly KnownPod[],
  ) {
    this.namespaces = new Map(namespaces.map((namespace) => [namespace.name, namespace]));
  }

  isKitNamespace(name: string): boolean {
    return this.namespaces.has(name);
  }

  podsKnownIn(namespace: string): boolean {
    return this.namespaces.get(namespace)?.podsKnown ?? false;
  }

  /** Pods in `namespace` a policy's podSelector selects. */
  selectedPods(namespace: string, selector: LabelSelector | undefined): KnownPod[] {
    return this.pods.filter((pod) => pod.namespace === namespace && matchesSelector(selector, pod.labels));
  }

  /** What a peer of a policy in `policyNamespace` means. */
  resolvePeer(peer: NetworkPolicyPeer, policyNamespace: string): ResolvedPeer {
    if (peer.ipBlock) return { pods: [], verifiable: false };
    let namespaces: string[];
    if (!peer.namespaceSelector) {
      namespaces = [policyNamespace];
    } else {
      namespaces = [...this.namespaces.values()].filter((n) => matchesSelector(peer.namespaceSelector, n.labels)).map((n) => n.name);
      if (namespaces.length === 0) {
        const pinned = pinnedNamespaceNames(peer.namespaceSelector);
        // A namespace the kit does not create (kube-system for DNS): trusted, not checkable.
        if (pinned && pinned.every((name) => !this.namespaces.has(name))) return { pods: [], verifiable: false };
        return { pods: [], verifiable: true, problem: `namespaceSelector ${JSON.stringify(peer.namespaceSelector)} matches no namespace` };
      }
    }
    if (!namespaces.every((name) => this.podsKnownIn(name))) return { pods: [], verifiable: false };
    const pods = this.pods.filter((pod) => namespaces.includes(pod.namespace) && matchesSelector(peer.podSelector, pod.labels));
    if (pods.length === 0) {
      return {
        pods,
        verifiable: true,
        problem: `podSelector ${JSON.stringify(peer.podSelector ?? {})} matches no pod in ${namespaces.join(', ')}`,
      };
    }
    return { pods, verifiable: true };
  }
}

/** Whether `pod` listens on a policy port (by number, range or name). */
export function podListensOn(pod: KnownPod, port: NetworkPolicyPort): boolean {
  if (port.port === undefined) return true;
  if (typeof port.port === 'string') return pod.ports.some((p) => p.name === port.port);
  const low = port.port;
  const high = port.endPort ?? port.port;
  return pod.ports.some((p) => p.port >= low && p.port <= high);
}

/** A rule allowing only DNS (port 53): every namespace's allow-dns policy, not an allow naming the pod's own peers. */
export function isDnsOnly(rule: NetworkPolicyRule): boolean {
  const ports = rule.ports ?? [];
  return ports.length > 0 && ports.every((port) => port.port === 53);
}
