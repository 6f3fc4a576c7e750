import { selectorMatches, selectsPodLabels } from './label-selector';
import type { NamespaceLabels } from './namespaces';
import type { NetworkPolicyPeer, PodIdentity } from './types';

/**
 * Whether a peer of a policy in `policyNamespace` selects `pod`. Without a namespaceSelector the peer
 * means the policy's own namespace; with both selectors, both must match. An ipBlock never selects
 * a pod: which pod addresses a block covers is left to the network plugin, so the kit does not count on it.
 */
export function peerSelectsPod(peer: NetworkPolicyPeer, policyNamespace: string, pod: PodIdentity, namespaces: NamespaceLabels): boolean {
  if (peer.ipBlock) return false;
  const namespaceOk = peer.namespaceSelector ? selectorMatches(peer.namespaceSelector, namespaces.of(pod.namespace)) : pod.namespace === policyNamespace;
  return namespaceOk && selectsPodLabels(peer.podSelector, pod.labels);
}

/** The known namespaces a peer of a policy in `policyNamespace` means. */
export function peerNamespaces(peer: NetworkPolicyPeer, policyNamespace: string, namespaces: NamespaceLabels): string[] {
  return peer.namespaceSelector ? namespaces.matching(peer.namespaceSelector) : [policyNamespace];
}
