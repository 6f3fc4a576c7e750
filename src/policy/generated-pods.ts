import { ACME_SOLVER, envoyProxyPodLabels, ENVOY_PROXY_PORTS, GATEWAY_NAMESPACE } from '../../constructs/platform/contract';
import { objectId, type Manifest } from '../synth/manifest';
import { isCloudNativePgCluster } from '../../constructs/data/cloudnative-pg';
import { cloudNativePgInstancePod } from '../validation/network-policy';
import type { KnownPod } from './known-network';

/**
 * Pods that operators create from the kit's custom resources. They never appear in the manifests,
 * but NetworkPolicies must name them as peers, so their labels and ports are derived here from the
 * documented behaviour of each operator.
 */
export function generatedPods(manifests: readonly Manifest[]): KnownPod[] {
  return [...postgresInstances(manifests), ...envoyProxies(manifests), ...acmeSolvers(manifests), ...monitoringServers(manifests)];
}

/**
 * Prometheus and Alertmanager pods the Prometheus operator runs for its custom resources, labelled
 * `app.kubernetes.io/name: prometheus|alertmanager` and `app.kubernetes.io/instance: <name>` (what
 * kube-prometheus-stack's own NetworkPolicies select them by), plus the resource's `podMetadata` labels.
 */
function monitoringServers(manifests: readonly Manifest[]): KnownPod[] {
  const servers: Record<string, readonly { name: string; port: number }[]> = {
    Prometheus: [{ name: 'web', port: 9090 }, { name: 'reloader-web', port: 8080 }],
    Alertmanager: [{ name: 'web', port: 9093 }, { name: 'mesh-tcp', port: 9094 }, { name: 'reloader-web', port: 8080 }],
  };
  return manifests
    .filter((m) => m.apiVersion.startsWith('monitoring.coreos.com/') && servers[m.kind])
    .map((server) => ({
      origin: objectId(server),
      owner: objectId(server),
      namespace: server.metadata.namespace ?? 'default',
      labels: {
        ...((server.spec as { podMetadata?: { labels?: Record<string, string> } } | undefined)?.podMetadata?.labels ?? {}),
        'app.kubernetes.io/name': server.kind.toLowerCase(),
        'app.kubernetes.io/instance': server.metadata.name,
      },
      ports: servers[server.kind],
    }));
}

/** CloudNativePG instance pods, as the operator labels them. */
function postgresInstances(manifests: readonly Manifest[]): KnownPod[] {
  return manifests.filter(isCloudNativePgCluster).map((cluster) => ({
    origin: objectId(cluster),
    owner: objectId(cluster),
    namespace: cluster.metadata.namespace ?? 'default',
    ...cloudNativePgInstancePod(cluster),
  }));
}

interface Listener {
  readonly port: number;
}

/**
 * Envoy Gateway runs each Gateway's proxies in its own namespace; ports below 1024 listen
 * 10000 higher in the container (no NET_BIND_SERVICE needed).
 */
function envoyProxies(manifests: readonly Manifest[]): KnownPod[] {
  return manifests
    .filter((m) => m.kind === 'Gateway' && m.apiVersion.startsWith('gateway.networking.k8s.io/'))
    .map((gateway) => {
      const listeners = ((gateway.spec as { listeners?: Listener[] } | undefined)?.listeners ?? []).map((l) => ({
        port: l.port < 1024 ? l.port + 10000 : l.port,
      }));
      return {
        origin: objectId(gateway),
        owner: objectId(gateway),
        namespace: GATEWAY_NAMESPACE,
        labels: envoyProxyPodLabels(gateway.metadata.name, gateway.metadata.namespace ?? 'default'),
        ports: [...listeners, { name: 'metrics', port: ENVOY_PROXY_PORTS.metrics }],
      };
    });
}

interface Issuer {
  readonly acme?: { readonly solvers?: readonly { readonly http01?: unknown }[] };
}

/** cert-manager's HTTP-01 solver pods run next to each Certificate issued by an ACME issuer with an HTTP-01 solver. */
function acmeSolvers(manifests: readonly Manifest[]): KnownPod[] {
  const http01Issuers = new Set(
    manifests
      .filter((m) => (m.kind === 'ClusterIssuer' || m.kind === 'Issuer') && m.apiVersion.startsWith('cert-manager.io/'))
      .filter((issuer) => ((issuer.spec as Issuer | undefined)?.acme?.solvers ?? []).some((solver) => solver.http01))
      .map((issuer) => `${issuer.kind}/${issuer.metadata.namespace ?? ''}/${issuer.metadata.name}`),
  );
  return manifests
    .filter((m) => m.kind === 'Certificate' && m.apiVersion.startsWith('cert-manager.io/'))
    .filter((certificate) => {
      const ref = (certificate.spec as { issuerRef?: { name: string; kind?: string } }).issuerRef;
      const kind = ref?.kind ?? 'Issuer';
      return http01Issuers.has(`${kind}/${kind === 'Issuer' ? certificate.metadata.namespace : ''}/${ref?.name}`);
    })
    .map((certificate) => ({
      origin: `${objectId(certificate)} (ACME HTTP-01 solver)`,
      owner: objectId(certificate),
      namespace: certificate.metadata.namespace ?? 'default',
      labels: ACME_SOLVER.podLabels,
      ports: [{ name: 'http', port: ACME_SOLVER.port }],
    }));
}
