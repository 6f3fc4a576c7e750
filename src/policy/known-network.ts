import {
  NamespaceLabels,
  peerNamespaces,
  pinnedNamespaceNames,
  selectorMatches,
  type ContainerPort,
  type LabelSelector,
  type Labels,
  type NetworkPolicyPeer,
} from '../validation/network-policy';

/**
 * What the kit knows will run, so NET-02 can check statically that policies name real peers and
 * ports. Namespaces outside the kit (kube-system, …) and pods the kit cannot see are "unverifiable":
 * a peer there is taken on trust, a peer that matches nothing the kit knows is reported.
 */

/** A pod the kit knows will run: rendered by the kit, generated from its custom resources, or declared for an upstream chart. */
export interface KnownPod {
  /** Where it comes from, for messages: `Deployment/ns/name`, `HelmRelease/ns/release (controller)`. */
  readonly origin: string;
  /** Id of the object or upstream release it comes from, where exceptions for it are declared. */
  readonly owner: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  /** On the host network: NetworkPolicies do not apply. */
  readonly hostNetwork?: boolean;
}

export interface KnownNamespace {
  readonly name: string;
  /** Its labels, including `kubernetes.io/metadata.name` which Kubernetes sets. */
  readonly labels: Labels;
  /** False when something runs there whose pods the kit cannot see (an upstream chart without declared workloads). */
  readonly podsKnown: boolean;
}

export interface ResolvedPeer {
  /** Known pods the peer means (empty for an ipBlock or an unverifiable namespace). */
  readonly pods: readonly KnownPod[];
  /** False when the peer cannot be checked: an address block, or namespaces outside the kit's knowledge. */
  readonly verifiable: boolean;
  /** Why the peer is not real, if it is not. */
  readonly problem?: string;
}

export class KnownNetwork {
  private readonly podsKnown: ReadonlyMap<string, boolean>;
  private readonly namespaces: NamespaceLabels;

  constructor(
    namespaces: readonly KnownNamespace[],
    readonly pods: readonly KnownPod[],
  ) {
    this.podsKnown = new Map(namespaces.map((namespace) => [namespace.name, namespace.podsKnown]));
    this.namespaces = new NamespaceLabels(namespaces.map((namespace) => [namespace.name, namespace.labels]));
  }

  isKitNamespace(name: string): boolean {
    return this.namespaces.has(name);
  }

  podsKnownIn(namespace: string): boolean {
    return this.podsKnown.get(namespace) ?? false;
  }

  /** Pods in `namespace` a policy's podSelector selects. */
  selectedPods(namespace: string, selector: LabelSelector | undefined): KnownPod[] {
    return this.pods.filter((pod) => pod.namespace === namespace && selectorMatches(selector, pod.labels));
  }

  /** What a peer of a policy in `policyNamespace` means. */
  resolvePeer(peer: NetworkPolicyPeer, policyNamespace: string): ResolvedPeer {
    if (peer.ipBlock) return { pods: [], verifiable: false };
    const namespaces = peerNamespaces(peer, policyNamespace, this.namespaces);
    if (peer.namespaceSelector && namespaces.length === 0) {
      const pinned = pinnedNamespaceNames(peer.namespaceSelector);
      // A namespace the kit does not create (kube-system for DNS): trusted, not checkable.
      if (pinned && pinned.every((name) => !this.namespaces.has(name))) return { pods: [], verifiable: false };
      return { pods: [], verifiable: true, problem: `namespaceSelector ${JSON.stringify(peer.namespaceSelector)} matches no namespace` };
    }
    if (!namespaces.every((name) => this.podsKnownIn(name))) return { pods: [], verifiable: false };
    const pods = this.pods.filter((pod) => namespaces.includes(pod.namespace) && selectorMatches(peer.podSelector, pod.labels));
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
