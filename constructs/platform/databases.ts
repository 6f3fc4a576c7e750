import { ApiObject } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import type { Environment } from '../environment/schema';
import { registryImageValues, repositoryImageValues } from '../images';
import { AllowTraffic, apiServer, podsIn, type TrafficRule } from '../baseline/allow-traffic';
import { MONITORING, PLATFORM_RELEASES, POSTGRES_OPERATOR } from './contract';
import { PINNED_CHARTS } from './pinned-charts';
import { PinnedRelease } from '../releases/pinned-release';
import { chartResources, topologySpread } from './workload-defaults';
import { CNPG_INSTANCE_PORTS, cloudNativePgClusterLabels, isCloudNativePgCluster } from '../data/cloudnative-pg';
import { resilience } from '../environment/resilience';

const NAMESPACE = POSTGRES_OPERATOR.namespace;
const OPERATOR = { ...POSTGRES_OPERATOR.podLabels, 'app.kubernetes.io/instance': PLATFORM_RELEASES.cloudnativePg };
const PLUGIN = { ...POSTGRES_OPERATOR.pluginPodLabels, 'app.kubernetes.io/instance': PLATFORM_RELEASES.barmanCloudPlugin };
const WEBHOOK_PORT = 9443;
const METRICS_PORT = 8080;
const PLUGIN_PORT = 9090;

export interface DatabasesProps {
  readonly env: Pick<Environment, 'cluster' | 'ha' | 'platform' | 'registry' | 'stage'>;
}

/**
 * The CloudNativePG operator, which runs every building block's private PostgreSQL, and its
 * Barman Cloud plugin for WAL archiving and base backups to the object store (the operator's
 * built-in object-store backup is deprecated). The plugin needs cert-manager for its mTLS.
 */
export class Databases extends Construct {
  constructor(scope: Construct, id: string, props: DatabasesProps) {
    super(scope, id);
    const { env } = props;
    new SecureNamespace(this, 'Namespace', { name: NAMESPACE, ...namespaceBaseline(env, 'small') });
    const replicas = resilience(env).controllerReplicas;
    new PinnedRelease(this, 'CloudNativePg', {
      env,
      chart: PINNED_CHARTS.cloudnativePg,
      releaseName: PLATFORM_RELEASES.cloudnativePg,
      namespace: NAMESPACE,
      reason: 'CloudNativePG runs each building block\'s PostgreSQL with failover and backups; its chart installs the operator and CRDs',
      providesCrds: true,
      values: (images) => ({
        image: repositoryImageValues(images.operator),
        crds: { create: true },
        replicaCount: replicas,
        topologySpreadConstraints: topologySpread(env, OPERATOR),
        resources: chartResources('100m', '256Mi', '512Mi'),
        monitoring: { podMonitorEnabled: false },
      }),
      exceptions: {
        'PRB-01': {
          reason: 'chart 0.29.0 renders both probes as GET /readyz on the webhook port and lets only their initial delay be set (templates/deployment.yaml)',
          objects: [`Deployment/${NAMESPACE}/${PLATFORM_RELEASES.cloudnativePg}`],
        },
        'RBAC-03': {
          reason:
            'the operator writes and reads the superuser, application, TLS and backup Secrets of every PostgreSQL cluster in the building blocks\' namespaces, and the chart\'s ClusterRole (templates/rbac.yaml) grants pods/exec on its instance pods with no narrower setting',
          objects: [`ClusterRole/${PLATFORM_RELEASES.cloudnativePg}`],
        },
        'RBAC-04': {
          reason: 'the operator reconciles PostgreSQL clusters, their pods, services and Secrets through the API',
          objects: [`Deployment/${NAMESPACE}/${PLATFORM_RELEASES.cloudnativePg}`],
        },
      },
      workloads: [
        { name: 'operator', podLabels: OPERATOR, ports: [{ name: 'metrics', port: METRICS_PORT }, { name: 'webhook-server', port: WEBHOOK_PORT }], replicas },
      ],
    });
    new PinnedRelease(this, 'BarmanCloud', {
      env,
      chart: PINNED_CHARTS.barmanCloudPlugin,
      releaseName: PLATFORM_RELEASES.barmanCloudPlugin,
      namespace: NAMESPACE,
      reason: 'the Barman Cloud plugin archives WAL and base backups of every PostgreSQL cluster to the object store; it must share the operator\'s namespace',
      providesCrds: true,
      dependsOn: [PLATFORM_RELEASES.cloudnativePg, PLATFORM_RELEASES.certManager],
      values: (images) => ({
        image: registryImageValues(images.plugin),
        sidecarImage: registryImageValues(images.sidecar),
        // Leader election keeps one of them active.
        replicaCount: replicas,
        topologySpreadConstraints: topologySpread(env, PLUGIN),
        resources: chartResources('50m', '64Mi', '256Mi'),
      }),
      exceptions: {
        'PRB-01': {
          reason: 'chart 0.7.0 renders only a readiness probe (TCP on the gRPC port) for the plugin and offers no probe settings (templates/deployment.yaml)',
          objects: [`Deployment/${NAMESPACE}/${PLATFORM_RELEASES.barmanCloudPlugin}`],
        },
        'RBAC-03': {
          reason: 'the plugin reads the object-store credential Secrets that each cluster\'s ObjectStore names, in the building blocks\' namespaces',
          objects: [`ClusterRole/${PLATFORM_RELEASES.barmanCloudPlugin}`],
        },
        'RBAC-04': {
          reason: 'the plugin reads ObjectStores and their Secrets and writes its status through the API',
          objects: [`Deployment/${NAMESPACE}/${PLATFORM_RELEASES.barmanCloudPlugin}`],
        },
      },
      workloads: [{ name: 'plugin', podLabels: PLUGIN, ports: [{ name: 'grpc', port: PLUGIN_PORT }], replicas }],
    });
    // Neither chart renders a PodDisruptionBudget: one of each may go during a drain, the standby takes over.
    if (replicas > 1) {
      for (const [name, pods] of [[PLATFORM_RELEASES.cloudnativePg, OPERATOR], [PLATFORM_RELEASES.barmanCloudPlugin, PLUGIN]] as const) {
        new k8s.KubePodDisruptionBudget(this, `${name}-budget`, {
          metadata: { name, namespace: NAMESPACE },
          spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...pods } } },
        });
      }
    }

    new AllowTraffic(this, 'Operator', {
      namespace: NAMESPACE,
      pods: OPERATOR,
      ingress: [
        { peers: apiServer(env).peers, ports: [WEBHOOK_PORT] },
        ...(env.platform.observability.enabled ? [{ peers: [podsIn(MONITORING.namespace, MONITORING.prometheusPodLabels)], ports: [METRICS_PORT] }] : []),
      ],
      egress: [apiServer(env), { peers: [podsIn(NAMESPACE, PLUGIN)], ports: [PLUGIN_PORT] }],
    });
    const root = this.node.root;
    // The status endpoint and PostgreSQL port of every cluster the other layers declare, where they run.
    new AllowTraffic(this, 'OperatorToInstances', { namespace: NAMESPACE, pods: OPERATOR, egress: () => instanceRules(root) });
    new AllowTraffic(this, 'Plugin', {
      namespace: NAMESPACE,
      pods: PLUGIN,
      ingress: [{ peers: [podsIn(NAMESPACE, OPERATOR)], ports: [PLUGIN_PORT] }],
      egress: [apiServer(env)],
    });
  }
}

function instanceRules(root: IConstruct): TrafficRule[] {
  return root.node
    .findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && isCloudNativePgCluster(c))
    .map((cluster) => ({ peers: [podsIn(cluster.metadata.namespace ?? 'default', cloudNativePgClusterLabels(cluster.name))], ports: [CNPG_INSTANCE_PORTS.status, CNPG_INSTANCE_PORTS.postgres] }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
