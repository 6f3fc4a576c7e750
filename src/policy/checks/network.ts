import { CLOUD_METADATA_ADDRESS } from '../../../constructs/baseline/allow-traffic';
import type { Manifest } from '../../synth/manifest';
import type { PolicyContext } from '../types';
import { ipBlockContains, listensOn, selectorIsEmpty, type NetworkPolicyRule, type NetworkPolicySpec } from '../../validation/network-policy';
import type { KnownPod } from '../known-network';
import type { Evaluation, PolicyCheck } from '../types';

const specOf = (policy: Manifest): NetworkPolicySpec => (policy.spec ?? {}) as NetworkPolicySpec;

/** Network isolation (GovStack 6.5 req-8) and TLS on every exposed endpoint (6.5 req-1). */
export const NETWORK_CHECKS: readonly PolicyCheck[] = [
  {
    id: 'NET-01',
    title: 'each Namespace has a default-deny NetworkPolicy for ingress and egress',
    severity: 'H',
    sources: 'CIS 5.3.2; KSC C-0030; GS 6.5 req-8',
    evaluate: (context) => {
      const denying = new Set(
        context
          .ofKind('NetworkPolicy')
          .filter((policy) => {
            const spec = specOf(policy);
            const types = spec.policyTypes ?? [];
            return selectorIsEmpty(spec.podSelector) && types.includes('Ingress') && types.includes('Egress') && !spec.ingress?.length && !spec.egress?.length;
          })
          .map((policy) => policy.metadata.namespace),
      );
      return context.namespaces.map((namespace) => ({
        subject: context.subjectOf(namespace),
        violations: denying.has(namespace.metadata.name) ? [] : ['has no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)'],
      }));
    },
  },
  {
    id: 'NET-02',
    title: 'every pod is selected by an allow policy naming its real peers and ports; every policy selects a pod',
    severity: 'M',
    sources: 'KS; PO; NSA 2.0',
    evaluate: (context) => [...context.ofKind('NetworkPolicy').map((policy) => policyEvaluation(context, policy)), ...podEvaluations(context)],
  },
  {
    id: 'NET-03',
    title: 'no Service of type NodePort (ACME HTTP-01 solvers included)',
    severity: 'L',
    sources: 'KS',
    evaluate: (context) => [
      ...context.ofKind('Service').map((service) => ({
        subject: context.subjectOf(service),
        violations: (service.spec as { type?: string } | undefined)?.type === 'NodePort' ? ['is of type NodePort'] : [],
      })),
      ...context
        .ofKind('ClusterIssuer', 'Issuer')
        .filter((issuer) => issuer.apiVersion.startsWith('cert-manager.io/'))
        .map((issuer) => ({ subject: context.subjectOf(issuer), violations: nodePortSolvers(issuer) })),
    ],
  },
  {
    id: 'NET-04',
    title: 'every Ingress and Gateway listener has TLS; no plaintext endpoint exposed',
    severity: 'H',
    sources: 'PO; KSC C-0263; GS 6.5 req-1',
    evaluate: (context) => [
      ...context.ofKind('Gateway').map((gateway) => ({ subject: context.subjectOf(gateway), violations: plaintextListeners(gateway) })),
      ...context.ofKind('Ingress').map((ingress) => ({ subject: context.subjectOf(ingress), violations: hostsWithoutTls(ingress) })),
    ],
  },
  {
    id: 'NET-05',
    title: 'no egress to the cloud metadata service (169.254.169.254)',
    severity: 'H',
    sources: 'CIS 5.3 (cloud metadata); KSC C-0067; NSA 2.0',
    evaluate: (context) =>
      context.ofKind('NetworkPolicy').map((policy) => ({
        subject: context.subjectOf(policy),
        violations: (specOf(policy).egress ?? []).flatMap((rule, i) => {
          const peers = rule.to ?? [];
          if (peers.length === 0) return [`egress rule ${i} allows every destination, the metadata service ${CLOUD_METADATA_ADDRESS} included`];
          return peers.some((peer) => peer.ipBlock && ipBlockContains(peer.ipBlock, CLOUD_METADATA_ADDRESS))
            ? [`egress rule ${i} reaches the metadata service ${CLOUD_METADATA_ADDRESS} (and the node's cloud credentials): add ${CLOUD_METADATA_ADDRESS}/32 to the block's except`]
            : [];
        }),
      })),
  },
  {
    id: 'NET-06',
    title: 'outside the sandbox, no egress to every address (0.0.0.0/0) unless declared with the reason',
    severity: 'M',
    sources: 'NSA 2.0 (egress filtering); GS 6.5 req-8',
    evaluate: (context) =>
      context.ofKind('NetworkPolicy').map((policy) => ({
        subject: context.subjectOf(policy),
        violations:
          context.env.stage === 'sandbox'
            ? []
            : (specOf(policy).egress ?? []).flatMap((rule, i) => {
                const anywhere = (rule.to ?? []).filter((peer) => peer.ipBlock?.cidr.endsWith('/0')).map((peer) => peer.ipBlock!.cidr);
                const ports = (rule.ports ?? []).map((port) => port.port ?? 'every port').join(', ') || 'every port';
                if ((rule.to ?? []).length === 0) return [`egress rule ${i} sends to every address on ${ports}`];
                return anywhere.length > 0 ? [`egress rule ${i} sends to every address (${anywhere.join(', ')}) on ${ports}: name the destination's addresses`] : [];
              }),
      })),
  },
  {
    id: 'NET-07',
    title: 'every Gateway listener admits routes only from its own or named namespaces',
    severity: 'H',
    sources: 'Gateway API (allowedRoutes; the default is Same); GS 8.1.1 (internal and external gateways)',
    evaluate: (context) =>
      context.ofKind('Gateway').map((gateway) => ({ subject: context.subjectOf(gateway), violations: listenersOpenToAll(gateway) })),
  },
];

function ruleProblems(context: PolicyContext, policy: Manifest, direction: 'ingress' | 'egress', rule: NetworkPolicyRule, index: number, selected: readonly KnownPod[]): string[] {
  const where = `${direction} rule ${index}`;
  const peers = (direction === 'ingress' ? rule.from : rule.to) ?? [];
  const ports = rule.ports ?? [];
  const problems: string[] = [];
  if (peers.length === 0) problems.push(`${where} allows every ${direction === 'ingress' ? 'source' : 'destination'}: name the peers`);
  if (ports.length === 0 || ports.some((port) => port.port === undefined)) problems.push(`${where} allows every port: name the ports`);
  const namespace = policy.metadata.namespace ?? 'default';
  for (const peer of peers) {
    const resolved = context.network.resolvePeer(peer, namespace);
    if (resolved.problem) problems.push(`${where}: ${resolved.problem}`);
    // Egress must go to a port the peer listens on; ingress to a port of the selected pods.
    const targets = direction === 'egress' ? (resolved.verifiable ? resolved.pods : []) : selected;
    if (targets.length === 0) continue;
    for (const port of ports) {
      if (port.port !== undefined && !targets.some((pod) => listensOn(pod.ports, port))) {
        problems.push(`${where}: no ${direction === 'egress' ? 'peer' : 'selected pod'} listens on port ${port.port}`);
      }
    }
  }
  return problems;
}

function policyEvaluation(context: PolicyContext, policy: Manifest): Evaluation {
  const spec = specOf(policy);
  const namespace = policy.metadata.namespace ?? 'default';
  const selected = context.network.podsKnownIn(namespace) ? context.network.selectedPods(namespace, spec.podSelector) : [];
  const problems: string[] = [];
  if (!selectorIsEmpty(spec.podSelector) && context.network.podsKnownIn(namespace) && selected.length === 0) {
    problems.push(`podSelector ${JSON.stringify(spec.podSelector)} selects no pod in ${namespace}`);
  }
  (spec.ingress ?? []).forEach((rule, i) => problems.push(...ruleProblems(context, policy, 'ingress', rule, i, selected)));
  (spec.egress ?? []).forEach((rule, i) => problems.push(...ruleProblems(context, policy, 'egress', rule, i, selected)));
  return { subject: context.subjectOf(policy), violations: problems };
}

/** A rule allowing only DNS (port 53): every namespace's allow-dns policy, not an allow naming the pod's own peers. */
function isDnsOnly(rule: NetworkPolicyRule): boolean {
  const ports = rule.ports ?? [];
  return ports.length > 0 && ports.every((port) => port.port === 53);
}

/** Each pod the kit knows of must be selected by a policy allowing something beyond DNS. */
function podEvaluations(context: PolicyContext): Evaluation[] {
  const policies = context.ofKind('NetworkPolicy');
  return context.network.pods
    .filter((pod) => !pod.hostNetwork && context.network.isKitNamespace(pod.namespace))
    .map((pod) => {
      const allowed = policies.some((policy) => {
        const spec = specOf(policy);
        if (policy.metadata.namespace !== pod.namespace) return false;
        if (!context.network.selectedPods(pod.namespace, spec.podSelector).includes(pod)) return false;
        return [...(spec.ingress ?? []), ...(spec.egress ?? []).filter((rule) => !isDnsOnly(rule))].length > 0;
      });
      return {
        subject: context.subjectById(pod.owner),
        violations: allowed ? [] : [`no NetworkPolicy allows ${pod.origin} any traffic beyond DNS: name its peers and ports`],
      };
    });
}

interface Solver {
  readonly http01?: {
    readonly gatewayHTTPRoute?: { readonly serviceType?: string };
    readonly ingress?: { readonly serviceType?: string };
  };
}

function nodePortSolvers(issuer: Manifest): string[] {
  const solvers = ((issuer.spec as { acme?: { solvers?: Solver[] } } | undefined)?.acme?.solvers ?? []);
  return solvers.flatMap((solver, i) => {
    const http01 = solver.http01?.gatewayHTTPRoute ?? solver.http01?.ingress;
    // cert-manager's default solver Service type is NodePort.
    return http01 && (http01.serviceType ?? 'NodePort') === 'NodePort' ? [`ACME solver ${i} exposes its challenge through a NodePort Service`] : [];
  });
}

interface Listener {
  readonly name: string;
  readonly protocol: string;
  readonly tls?: { readonly mode?: string; readonly certificateRefs?: readonly unknown[] };
}

function plaintextListeners(gateway: Manifest): string[] {
  const listeners = (gateway.spec as { listeners?: Listener[] } | undefined)?.listeners ?? [];
  return listeners.flatMap((listener) => {
    if (!['HTTPS', 'TLS'].includes(listener.protocol)) return [`listener ${listener.name} speaks plaintext ${listener.protocol}`];
    const passthrough = listener.tls?.mode === 'Passthrough';
    return passthrough || (listener.tls?.certificateRefs ?? []).length > 0 ? [] : [`listener ${listener.name} has no certificate`];
  });
}

interface AllowedRoutes {
  readonly namespaces?: { readonly from?: string; readonly selector?: { readonly matchLabels?: object; readonly matchExpressions?: readonly unknown[] } };
}

/** Listeners any namespace may attach a route to: then any namespace editor publishes on the gateway. */
function listenersOpenToAll(gateway: Manifest): string[] {
  const listeners = (gateway.spec as { listeners?: (Listener & { allowedRoutes?: AllowedRoutes })[] } | undefined)?.listeners ?? [];
  return listeners.flatMap((listener) => {
    const namespaces = listener.allowedRoutes?.namespaces;
    const selector = namespaces?.selector;
    const emptySelector = Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0;
    if (namespaces?.from === 'All') return [`listener ${listener.name} admits routes from every namespace`];
    if (namespaces?.from === 'Selector' && emptySelector) return [`listener ${listener.name} admits routes from every namespace (an empty selector)`];
    return [];
  });
}

function hostsWithoutTls(ingress: Manifest): string[] {
  const spec = (ingress.spec ?? {}) as { rules?: { host?: string }[]; tls?: { hosts?: string[] }[] };
  const covered = new Set((spec.tls ?? []).flatMap((entry) => entry.hosts ?? []));
  if ((spec.tls ?? []).length === 0) return ['has no TLS'];
  return (spec.rules ?? []).filter((rule) => !rule.host || !covered.has(rule.host)).map((rule) => `host ${rule.host ?? '(any)'} is served without TLS`);
}
