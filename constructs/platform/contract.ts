/**
 * What components may rely on from the platform layer: where the gateways, monitoring and the
 * secret store are, how their pods are labelled for NetworkPolicies, which upstream releases to
 * require, and which labels make the platform deliver something into a namespace. The platform
 * constructs create exactly these; other layers reference them through this file only.
 */

import type { Environment } from '../environment/schema';

/** Namespace of the Envoy Gateway controller and the proxies it runs for our Gateways. */
export const GATEWAY_NAMESPACE = 'envoy-gateway-system';

/**
 * GovStack requires separate internal and external API gateways (security requirements 8.1.1):
 * public services attach to `external`; admin UIs and operator APIs only to `internal`.
 * Both listen for HTTPS on `*.<domain>`; DNS decides which address a host name resolves to.
 */
export const GATEWAYS = {
  external: { name: 'external', namespace: GATEWAY_NAMESPACE, httpsListener: 'https' },
  internal: { name: 'internal', namespace: GATEWAY_NAMESPACE, httpsListener: 'https' },
} as const;
export type GatewayKind = keyof typeof GATEWAYS;

/** Labels Envoy Gateway puts on the proxy pods of one Gateway. */
export function gatewayProxyPodLabels(gateway: GatewayKind): Record<string, string> {
  return envoyProxyPodLabels(GATEWAYS[gateway].name, GATEWAYS[gateway].namespace);
}

/** Labels of the proxy pods of any Gateway, by name and namespace. */
export function envoyProxyPodLabels(name: string, namespace: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'envoy',
    'gateway.envoyproxy.io/owning-gateway-name': name,
    'gateway.envoyproxy.io/owning-gateway-namespace': namespace,
  };
}

/** Container ports of the proxies: listener ports below 1024 are shifted by 10000; metrics on 19001. */
export const ENVOY_PROXY_PORTS = { https: 10443, http: 10080, metrics: 19001 } as const;

/** Where Prometheus runs; components exposing metrics allow ingress from its pods on their metrics port. */
export const MONITORING = {
  namespace: 'monitoring',
  prometheusPodLabels: { 'app.kubernetes.io/name': 'prometheus' },
  /** Release installing the ServiceMonitor/PodMonitor CRDs; exists only when `platform.observability.enabled`. */
  release: 'kube-prometheus-stack',
} as const;

/** The ClusterSecretStore through which ExternalSecrets read from the kit's secret store (OpenBao, or in-cluster Secrets). */
export const SECRET_STORE = { kind: 'ClusterSecretStore', name: 'govstack-secrets' } as const;

/**
 * The secret store serves only the namespaces whose ExternalSecrets the kit writes and the
 * namespaces labelled so: `new SecureNamespace(…, { labels: SECRET_STORE_READER_LABEL })` for a
 * namespace whose workloads read the country's secrets. Only the platform sets namespace labels
 * (they are cluster-scoped), so a namespace editor cannot give their namespace access.
 */
export const SECRET_STORE_READER_LABEL: Readonly<Record<string, string>> = { 'govstack.dev/secret-store-reader': 'true' };

/**
 * Upstream releases of the platform layer, by role. A KitChart whose objects need their CRDs or
 * webhooks lists them in `requires` (e.g. a chart with a PostgresCluster requires
 * `POSTGRES_OPERATOR_RELEASES`). All exist in every environment except where noted.
 */
export const PLATFORM_RELEASES = {
  certManager: 'cert-manager',
  envoyGateway: 'envoy-gateway',
  externalSecrets: 'external-secrets',
  cloudnativePg: 'cloudnative-pg',
  barmanCloudPlugin: 'plugin-barman-cloud',
  /** Only with `platform.observability.enabled`. */
  monitoring: MONITORING.release,
  /** Only with `platform.observability.enabled`. */
  loki: 'loki',
  /** Only with `platform.observability.enabled`. */
  alloy: 'alloy',
  /** Only with `platform.backups.enabled`. */
  velero: 'velero',
  /** Only with `cluster.loadBalancer.kind: metallb`. */
  metallb: 'metallb',
  /** Only with `platform.storage: longhorn`. */
  longhorn: 'longhorn',
  /** Only with `platform.secretStore: openbao`. */
  openbao: 'openbao',
  /** Only with backups and no `platform.backups.target` (the sandbox). */
  seaweedfs: 'seaweedfs',
  /** Only with `platform.admissionPolicies`. */
  kyverno: 'kyverno',
} as const;

/** What a chart with CloudNativePG `Cluster`, `ScheduledBackup` or Barman `ObjectStore` objects requires. */
export const POSTGRES_OPERATOR_RELEASES: readonly string[] = [PLATFORM_RELEASES.cloudnativePg, PLATFORM_RELEASES.barmanCloudPlugin];

/**
 * A namespace labelled so writes backups (a PostgresCluster's, Velero's): the in-cluster store admits
 * its pods. Each such namespace reads its own key (`OBJECT_STORE_CREDENTIALS` in
 * `constructs/data/object-store.ts`) through its own ExternalSecret; no key is shared between namespaces.
 */
export const BACKUP_CREDENTIALS_LABEL: Readonly<Record<string, string>> = { 'govstack.dev/backup-credentials': 'true' };

/**
 * Pods labelled so have their logs stored as security logs (GovStack 6.5 req-7): the collector adds
 * the stream label `log_category="security"`, and Loki keeps them apart for the security team.
 * Put it on identity providers, security servers, gateways and anything that authenticates.
 */
export const SECURITY_LOG_LABEL: Readonly<Record<string, string>> = { 'govstack.dev/log-category': 'security' };

/**
 * cert-manager issuers every component may use: `internal` issues certificates for in-cluster TLS
 * (the country's CA in `internal-ca` mode, otherwise a CA the kit creates), `gateway` is the one the
 * external gateway's certificate comes from (ACME, the internal CA; absent with provided certificates).
 */
export const CLUSTER_ISSUERS = {
  internal: { name: 'govstack-internal-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
  acme: { name: 'govstack-acme', kind: 'ClusterIssuer', group: 'cert-manager.io' },
} as const;

/**
 * The CloudNativePG operator: every PostgreSQL instance's namespace allows ingress from these pods
 * on 8000 (status) and 5432, and instance pods need egress to the API server (their instance manager
 * watches the Cluster) and to the object store (WAL archive).
 */
export const POSTGRES_OPERATOR = {
  namespace: 'cnpg-system',
  podLabels: { 'app.kubernetes.io/name': 'cloudnative-pg' },
  /** The Barman Cloud plugin, which the operator calls for backups. */
  pluginPodLabels: { 'app.kubernetes.io/name': 'plugin-barman-cloud' },
} as const;

/** The pods cert-manager starts to answer an ACME HTTP-01 challenge, next to the Certificate. */
export const ACME_SOLVER = { podLabels: { 'acme.cert-manager.io/http01-solver': 'true' }, port: 8089 } as const;

/** The CSI provisioner of the Longhorn the kit installs (`platform.storage: longhorn`). */
export const LONGHORN_PROVISIONER = 'driver.longhorn.io';

/**
 * The ReadWriteMany storage class for volumes every replica of a component mounts: the
 * environment's `cluster.storageClasses.shared`, or the data class where Longhorn provides it
 * (any Longhorn volume can be shared, through its share manager); none otherwise.
 */
export function sharedStorageClass(env: Pick<Environment, 'cluster'>): string | undefined {
  return env.cluster.storageClasses.shared ?? (env.cluster.storageProvisioner === LONGHORN_PROVISIONER ? env.cluster.storageClasses.data : undefined);
}

/** The MetalLB address pool (on-prem) that Services of type LoadBalancer take their addresses from. */
export const METALLB_POOL = 'govstack';
