import type { Manifest } from '../../synth/manifest';
import type { PolicyCheck } from '../types';

type Json = Record<string, any>;

/** Labels every X-Road security server pod carries (`securityServer(member).podLabels`). */
const SECURITY_SERVER = { key: 'app.kubernetes.io/name', value: 'xroad-security-server' };
/** The security server's plain HTTP client port: a client there sends no certificate. */
const PLAIN_CLIENT_PORT = 8080;

/** The registration input a ConfigMap carries (`input.json` with `subsystems`), if it is one. */
function registrationInput(configMap: Manifest): { subsystems: Json[] } | undefined {
  const text = ((configMap as Json).data ?? {})['input.json'];
  if (typeof text !== 'string') return undefined;
  try {
    const parsed = JSON.parse(text) as Json;
    return Array.isArray(parsed.subsystems) ? (parsed as { subsystems: Json[] }) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a NetworkPolicy's pod selector takes in security server pods. */
function selectsSecurityServers(policy: Manifest): boolean {
  const selector = ((policy.spec as Json | undefined)?.podSelector ?? {}) as Json;
  const labels = (selector.matchLabels ?? {}) as Record<string, string>;
  if (Object.keys(labels).length === 0 && (selector.matchExpressions ?? []).length === 0) return policy.metadata.namespace === 'xroad';
  return labels[SECURITY_SERVER.key] === SECURITY_SERVER.value;
}

/** Whether an ingress rule lets peers outside the policy's namespace in on `port` (a rule without ports admits every port). */
function admitsOtherNamespacesOn(rule: Json, port: number): boolean {
  const peers = (rule.from ?? []) as Json[];
  const fromElsewhere = peers.length === 0 || peers.some((peer) => peer.namespaceSelector !== undefined || peer.ipBlock !== undefined);
  const ports = (rule.ports ?? []) as Json[];
  const onPort = ports.length === 0 || ports.some((p) => p.port === undefined || p.port === port || (typeof p.endPort === 'number' && p.port <= port && port <= p.endPort));
  return fromElsewhere && onPort;
}

/**
 * X-Road callers are authenticated: a building block can call only as its own subsystem. X-Road
 * decides which subsystem a client information system is by its TLS client certificate when the
 * subsystem's connection type is HTTPS; with HTTP it believes the `X-Road-Client` header, so any pod
 * a NetworkPolicy lets reach the client port can call as any subsystem of that server.
 */
export const XROAD_CHECKS: readonly PolicyCheck[] = [
  {
    id: 'XRD-01',
    title: 'every X-Road subsystem the kit registers has connection type HTTPS and a client certificate',
    severity: 'H',
    sources: 'X-Road 7.8 Security Server user guide §9.1 (HTTPS, the default for new clients, "to protect against unauthorised communication") and §9.3; MessageProcessorBase.verifyClientAuthentication',
    evaluate: (context) =>
      context.ofKind('ConfigMap').flatMap((configMap) => {
        const input = registrationInput(configMap);
        if (!input) return [];
        const violations = input.subsystems.flatMap((subsystem) => [
          ...(subsystem.connectionType !== 'HTTPS'
            ? [`registers ${subsystem.id} with connection type ${subsystem.connectionType ?? '(none)'}, not HTTPS: X-Road then accepts any caller that names it in the X-Road-Client header`]
            : []),
          ...(subsystem.clientCertificate?.namespace && subsystem.clientCertificate?.name ? [] : [`registers no client certificate for ${subsystem.id}: nobody could call as it over HTTPS`]),
        ]);
        return [{ subject: context.subjectOf(configMap), violations }];
      }),
  },
  {
    id: 'XRD-02',
    title: 'no NetworkPolicy admits other namespaces to a security server\'s plain HTTP client port 8080',
    severity: 'H',
    sources: 'X-Road 7.8 Security Server user guide §9.1 (with HTTP a connection is accepted without verifying the client); NIIS sidecar user guide (8080/8443 client ports); PO',
    evaluate: (context) =>
      context.ofKind('NetworkPolicy').map((policy) => {
          const ingress = selectsSecurityServers(policy) ? (((policy.spec as Json | undefined)?.ingress ?? []) as Json[]) : [];
          const open = ingress.map((rule, i) => [rule, i] as const).filter(([rule]) => admitsOtherNamespacesOn(rule, PLAIN_CLIENT_PORT));
          return {
            subject: context.subjectOf(policy),
            violations: open.map(
              ([, i]) => `ingress rule ${i} admits other namespaces to the plain HTTP client port ${PLAIN_CLIENT_PORT}: clients there present no certificate, so only the TLS client port 8443 may be open to them`,
            ),
          };
        }),
  },
];
