import type { Manifest } from '../../synth/manifest';
import { selectsPodLabels } from './label-selector';
import type { LabelSelector, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec, PodIdentity } from './types';

export type Direction = 'ingress' | 'egress';

/** A rule as it takes effect: undefined `peers` or `ports` (absent or empty in the manifest) mean all. */
export interface EffectiveRule {
  readonly peers?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

/** A NetworkPolicy as it takes effect, for evaluating flows (checks of the written text read the manifest). */
export interface EffectivePolicy {
  readonly name: string;
  readonly namespace: string;
  readonly podSelector: LabelSelector;
  /**
   * The rules of each direction the policy isolates, undefined for a direction it leaves alone.
   * `policyTypes` defaults to Ingress, plus Egress when the policy has egress rules.
   */
  readonly ingress?: readonly EffectiveRule[];
  readonly egress?: readonly EffectiveRule[];
}

/** The networking.k8s.io NetworkPolicies among the manifests (not a CNI's own kinds of the same name). */
export function networkPoliciesOf(manifests: readonly Manifest[]): EffectivePolicy[] {
  return manifests.filter((m) => m.kind === 'NetworkPolicy' && m.apiVersion.startsWith('networking.k8s.io/')).map(effectivePolicy);
}

function effectivePolicy(manifest: Manifest): EffectivePolicy {
  const spec = (manifest.spec ?? {}) as NetworkPolicySpec;
  const types = spec.policyTypes ?? ['Ingress', ...(spec.egress ? ['Egress'] : [])];
  const rule = (peers: readonly NetworkPolicyPeer[] | undefined, ports: readonly NetworkPolicyPort[] | undefined): EffectiveRule => ({
    peers: peers && peers.length > 0 ? peers : undefined,
    ports: ports && ports.length > 0 ? ports : undefined,
  });
  return {
    name: manifest.metadata.name,
    namespace: manifest.metadata.namespace ?? 'default',
    podSelector: spec.podSelector ?? {},
    ingress: types.includes('Ingress') ? (spec.ingress ?? []).map((r) => rule(r.from, r.ports)) : undefined,
    egress: types.includes('Egress') ? (spec.egress ?? []).map((r) => rule(r.to, r.ports)) : undefined,
  };
}

/** The policies that isolate `pod` in `direction`: in its namespace, selecting it, of that policy type. */
export function isolatingPolicies(policies: readonly EffectivePolicy[], direction: Direction, pod: PodIdentity): EffectivePolicy[] {
  return policies.filter((p) => p[direction] !== undefined && p.namespace === pod.namespace && selectsPodLabels(p.podSelector, pod.labels));
}

/** The rules of `policy` in `direction` that reach the other end of a flow: all peers, or one `peerMatches`. */
function rulesReaching(policy: EffectivePolicy, direction: Direction, peerMatches: (peer: NetworkPolicyPeer) => boolean): EffectiveRule[] {
  return (policy[direction] ?? []).filter((rule) => !rule.peers || rule.peers.some(peerMatches));
}

/** What one end's policies decide about a flow: whether they isolate that end, and the rules (each with its policy) that reach the other end. */
export interface SideRules {
  readonly isolated: boolean;
  readonly reaching: readonly { readonly policy: EffectivePolicy; readonly rule: EffectiveRule }[];
}

/**
 * One side of a flow as Kubernetes evaluates it, the one place both readers of flows decide it (the
 * model's verdicts for the specs, the review's table of allowed flows): given the policies that
 * isolate the subject in `direction` (`isolatingPolicies`, which a caller may keep between flows),
 * the rules that reach the other end, which `peerMatches` recognises as seen from a policy's namespace.
 * A side no policy isolates allows everything; an isolated side allows what its reaching rules' ports allow.
 */
export function sideRules(isolating: readonly EffectivePolicy[], direction: Direction, peerMatches: (peer: NetworkPolicyPeer, policyNamespace: string) => boolean): SideRules {
  return {
    isolated: isolating.length > 0,
    reaching: isolating.flatMap((policy) => rulesReaching(policy, direction, (peer) => peerMatches(peer, policy.namespace)).map((rule) => ({ policy, rule }))),
  };
}
