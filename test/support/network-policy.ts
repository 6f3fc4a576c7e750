import type { Manifest } from '../../src/synth/manifest';

/**
 * A minimal NetworkPolicy evaluator for the specifications: would the cluster let a packet from one
 * pod to another on a port, given the policies synthesised? Handles what the kit emits — matchLabels
 * selectors, namespaceSelector by the namespace's name label, numeric and named ports, ipBlock (never
 * matching a pod) — and refuses what it does not understand, so it cannot silently say "allowed".
 * (The Information Mediator work carries a fuller evaluator in src/validation; the two can be unified.)
 */
export interface Pod {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Named container ports, for policies that name a port. */
  readonly ports?: Readonly<Record<string, number>>;
}

interface Selector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: unknown[];
}
interface Peer {
  readonly podSelector?: Selector;
  readonly namespaceSelector?: Selector;
  readonly ipBlock?: unknown;
}
interface Rule {
  readonly from?: Peer[];
  readonly to?: Peer[];
  readonly ports?: { readonly port?: number | string; readonly protocol?: string }[];
}
interface PolicySpec {
  readonly podSelector: Selector;
  readonly policyTypes?: string[];
  readonly ingress?: Rule[];
  readonly egress?: Rule[];
}

function matches(selector: Selector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  if (selector.matchExpressions?.length) throw new Error('the test evaluator does not handle matchExpressions');
  return Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
}

function peerMatches(peer: Peer, policyNamespace: string, other: Pod): boolean {
  if (peer.ipBlock) return false;
  const namespaceOk = peer.namespaceSelector
    ? matches(peer.namespaceSelector, { 'kubernetes.io/metadata.name': other.namespace })
    : other.namespace === policyNamespace;
  return namespaceOk && matches(peer.podSelector, other.labels);
}

function portMatches(rule: Rule, port: number, target: Pod): boolean {
  if (!rule.ports || rule.ports.length === 0) return true;
  return rule.ports.some((candidate) => {
    if ((candidate.protocol ?? 'TCP') !== 'TCP') return false;
    if (candidate.port === undefined) return true;
    if (typeof candidate.port === 'number') return candidate.port === port;
    return target.ports?.[candidate.port] === port;
  });
}

function policiesOf(manifests: readonly Manifest[], namespace: string, pod: Pod, type: 'Ingress' | 'Egress'): PolicySpec[] {
  return manifests
    .filter((m) => m.kind === 'NetworkPolicy' && m.metadata.namespace === namespace)
    .map((m) => m.spec as PolicySpec)
    .filter((spec) => (spec.policyTypes ?? ['Ingress']).includes(type) && matches(spec.podSelector, pod.labels));
}

/** Whether `source` may open a TCP connection to `target` on `port`, checking both ends' policies. */
export function allowsTraffic(manifests: readonly Manifest[], source: Pod, target: Pod, port: number): boolean {
  const ingress = policiesOf(manifests, target.namespace, target, 'Ingress');
  const ingressOk =
    ingress.length === 0 ||
    ingress.some((spec) => (spec.ingress ?? []).some((rule) => (rule.from ?? [{}]).some((peer) => peerMatches(peer, target.namespace, source)) && portMatches(rule, port, target)));
  const egress = policiesOf(manifests, source.namespace, source, 'Egress');
  const egressOk =
    egress.length === 0 ||
    egress.some((spec) => (spec.egress ?? []).some((rule) => (rule.to ?? [{}]).some((peer) => peerMatches(peer, source.namespace, target)) && portMatches(rule, port, target)));
  return ingressOk && egressOk;
}

/** Only the target's ingress side: for sources whose own namespace's policies are not synthesised here. */
export function admits(manifests: readonly Manifest[], source: Pod, target: Pod, port: number): boolean {
  const ingress = policiesOf(manifests, target.namespace, target, 'Ingress');
  return (
    ingress.length === 0 ||
    ingress.some((spec) => (spec.ingress ?? []).some((rule) => (rule.from ?? [{}]).some((peer) => peerMatches(peer, target.namespace, source)) && portMatches(rule, port, target)))
  );
}
