/**
 * What components may rely on from the platform layer: where the gateways, monitoring and the
 * secret store are, and how their pods are labelled for NetworkPolicies. The platform constructs
 * create exactly these; other layers reference them through this file only.
 */

/** Namespace of the Envoy Gateway controller and the proxies it runs for our Gateways. */
export const GATEWAY_NAMESPACE = 'envoy-gateway-system';

/**
 * GovStack requires separate internal and external API gateways (security requirements 8.1.1):
 * public services attach to `external`; admin UIs and operator APIs only to `internal`.
 */
export const GATEWAYS = {
  external: { name: 'external', namespace: GATEWAY_NAMESPACE, httpsListener: 'https' },
  internal: { name: 'internal', namespace: GATEWAY_NAMESPACE, httpsListener: 'https' },
} as const;
export type GatewayKind = keyof typeof GATEWAYS;

/** Labels Envoy Gateway puts on the proxy pods of one Gateway. */
export function gatewayProxyPodLabels(gateway: GatewayKind): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'envoy',
    'gateway.envoyproxy.io/owning-gateway-name': GATEWAYS[gateway].name,
    'gateway.envoyproxy.io/owning-gateway-namespace': GATEWAYS[gateway].namespace,
  };
}

/** Where Prometheus runs; components exposing metrics allow ingress from its pods on their metrics port. */
export const MONITORING = {
  namespace: 'monitoring',
  prometheusPodLabels: { 'app.kubernetes.io/name': 'prometheus' },
} as const;

/** The ClusterSecretStore through which ExternalSecrets read from the kit's secret store (OpenBao). */
export const SECRET_STORE = { kind: 'ClusterSecretStore', name: 'govstack-secrets' } as const;
