import type { App } from 'cdk8s';
import type { Environment } from '../constructs/environment/schema';
import { namespaceBaseline } from '../constructs/baseline/namespace-sizing';
import { SecureNamespace } from '../constructs/baseline/secure-namespace';
import { IN_CLUSTER_OBJECT_STORE, usesInClusterObjectStore } from '../constructs/data/object-store';
import {
  AdmissionPolicies,
  BackupCredentials,
  Backups,
  Certificates,
  CERT_MANAGER_NAMESPACE,
  Databases,
  EXTERNAL_SECRETS_CONTROLLER,
  EXTERNAL_SECRETS_NAMESPACE,
  EXTERNAL_SECRETS_SERVICE_ACCOUNT,
  GATEWAY_NAMESPACE,
  GatewayController,
  Gateways,
  KYVERNO_NAMESPACE,
  LoadBalancer,
  Logging,
  LOKI,
  METALLB_NAMESPACE,
  Monitoring,
  MONITORING,
  OpenBao,
  RecoveryRestore,
  PLATFORM_RELEASES as RELEASES,
  POSTGRES_OPERATOR,
  SeaweedFs,
  SecretStores,
  Storage,
  VELERO_NAMESPACE,
} from '../constructs/platform';
import { UpstreamHelmChart } from '../constructs/releases/upstream-helm-chart';
import { KitChart, type KitChartProps } from './kit-chart';

/** Namespace where the kit keeps its own bookkeeping (Helm release records of cluster-wide charts). */
export const SYSTEM_NAMESPACE = 'govstack-system';

/**
 * The platform layer: what every building block stands on. One component per concern; each
 * declares the upstream releases it installs and requires those whose CRDs its objects use.
 * A component never requires a release that waits for a Secret the component itself creates.
 */
export function addPlatformCharts(app: App, env: Pick<Environment, 'cluster' | 'domain' | 'ha' | 'name' | 'platform' | 'recovery' | 'registry' | 'stage' | 'tls'>): void {
  const charts: KitChart[] = [];
  const chart = (component: string, releaseNamespace: string, requires: string[] = [], installedAfter: string[] = []) => {
    const made = new KitChart(app, { layer: 'platform', component, releaseNamespace, requires, installedAfter } satisfies KitChartProps);
    charts.push(made);
    return made;
  };
  const { platform } = env;

  const storage = chart('storage', SYSTEM_NAMESPACE);
  new SecureNamespace(storage, 'SystemNamespace', { name: SYSTEM_NAMESPACE, ...namespaceBaseline(env, 'small') });
  new Storage(storage, 'Storage', { env });

  if (env.cluster.loadBalancer.kind === 'metallb') {
    new LoadBalancer(chart('load-balancer', METALLB_NAMESPACE, [RELEASES.metallb]), 'LoadBalancer', { env });
  }
  // Envoy Gateway first: it brings the Gateway API CRDs, without which cert-manager's controller
  // does not start (a release can only depend on one declared before it).
  const gateway = chart('gateway', GATEWAY_NAMESPACE, [RELEASES.envoyGateway, RELEASES.certManager]);
  new GatewayController(gateway, 'Controller', { env });
  new Gateways(gateway, 'Gateways', { env });
  new Certificates(chart('certificates', CERT_MANAGER_NAMESPACE, [RELEASES.certManager]), 'Certificates', { env });

  new Databases(chart('databases', POSTGRES_OPERATOR.namespace), 'Databases', { env });

  const secrets = chart('secrets', EXTERNAL_SECRETS_NAMESPACE, [RELEASES.externalSecrets, RELEASES.certManager]);
  new SecretStores(secrets, 'Stores', { env });
  if (platform.secretStore === 'openbao') {
    new OpenBao(secrets, 'OpenBao', {
      env,
      clientPods: EXTERNAL_SECRETS_CONTROLLER,
      clientNamespace: EXTERNAL_SECRETS_NAMESPACE,
      clientServiceAccount: EXTERNAL_SECRETS_SERVICE_ACCOUNT,
    });
  }
  if (platform.backups.enabled) new BackupCredentials(secrets, 'BackupCredentials', { env });

  // The in-cluster store exists for a sandbox's backups: everywhere else they leave the cluster.
  if (usesInClusterObjectStore(env)) {
    new SeaweedFs(chart('object-store', IN_CLUSTER_OBJECT_STORE.namespace), 'SeaweedFs', { env });
  }
  if (platform.observability.enabled) {
    new Monitoring(chart('monitoring', MONITORING.namespace, [RELEASES.envoyGateway, RELEASES.externalSecrets]), 'Monitoring', { env });
    new Logging(chart('logging', LOKI.namespace), 'Logging', { env });
  }
  if (platform.backups.enabled) new Backups(chart('backups', VELERO_NAMESPACE, [RELEASES.velero]), 'Backups', { env });
  if (platform.admissionPolicies) new AdmissionPolicies(chart('admission', KYVERNO_NAMESPACE, [RELEASES.kyverno]), 'Policies', { env });

  // A recovery restores last in its layer, once every platform service stands: the CRDs and
  // operators of what Velero brings back, the secret stores its ExternalSecrets read, OpenBao.
  if (env.recovery) {
    const releases = app.node.findAll().filter(UpstreamHelmChart.isUpstreamHelmChart).map((release) => release.props.releaseName);
    const components = charts.map((made) => made.component);
    new RecoveryRestore(chart(RECOVERY_COMPONENT, VELERO_NAMESPACE, releases, components), 'Restore', { env });
  }
}

/** The platform layer's last chart in a recovery: the Restore of objects and volumes, and OpenBao's snapshot restore. */
export const RECOVERY_COMPONENT = 'restore';
