import { Construct } from 'constructs';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import type { Environment } from '../environment/schema';
import { registryImageValues as image } from '../images';
import { addresses, AllowTraffic, apiServer, podsIn, type TrafficRule } from '../baseline/allow-traffic';
import { IN_CLUSTER_OBJECT_STORE, OBJECT_STORE_CREDENTIALS, objectStoreLocation, objectStorePort } from '../data/object-store';
import { MONITORING, PLATFORM_RELEASES, SECURITY_LOG_LABEL } from './contract';
import { PINNED_CHARTS } from './pinned-charts';
import { PinnedRelease } from '../releases/pinned-release';
import { disruptionBudget, chartResources, topologySpread } from './workload-defaults';
import { resilience } from '../environment/resilience';
import { restrictedContainerSecurity, restrictedPodSecurity } from '../baseline/restricted-pod';

/** Where logs are stored and queried. */
export const LOKI = {
  namespace: 'logging',
  service: PLATFORM_RELEASES.loki,
  port: 3100,
  podLabels: { 'app.kubernetes.io/name': 'loki', 'app.kubernetes.io/instance': PLATFORM_RELEASES.loki },
} as const;
const ALLOY = { 'app.kubernetes.io/name': 'alloy', 'app.kubernetes.io/instance': PLATFORM_RELEASES.alloy };
const ALLOY_PORT = 12345;
/** Loki replicas talk to each other: gRPC (ingester replication, queries) and memberlist (the ring). */
const LOKI_PEER_PORTS = [9095, 7946];

/**
 * Where Loki keeps logs: replicated on the environment's object store wherever there is one and
 * more than one node (Loki runs more than one replica only on object storage, its chart refuses
 * otherwise), on its own volume in a single-node sandbox.
 */
export function lokiOnObjectStore(env: Pick<Environment, 'ha' | 'platform' | 'stage'>): boolean {
  return env.platform.backups.enabled && resilience(env).spreads;
}

/** Loki's replicas, each log line written to all of them (its replication factor): losing one loses nothing. */
const LOKI_REPLICAS = 3;
/** The Secret in Loki's namespace with the object store's keys (`OBJECT_STORE_CREDENTIALS` keys), delivered by `BackupCredentials`. */
export const LOKI_OBJECT_STORE_SECRET = 'loki-object-store';

/**
 * The bucket Loki keeps chunks and index in, on the store backups go to, beside their bucket: Loki
 * writes object keys of its own choosing (no prefix), so it gets a bucket of its own, and its key
 * (the `logging` namespace's) reaches only that bucket.
 */
export function lokiBucket(env: Pick<Environment, 'name' | 'platform'>): string {
  return `${objectStoreLocation(env).bucket}-logs`;
}

/** Kubernetes turns the pod label `a.b/c-d` into the discovery label `__meta_kubernetes_pod_label_a_b_c_d`. */
const metaLabel = (label: string) => `__meta_kubernetes_pod_label_${label.replace(/[^a-zA-Z0-9]/g, '_')}`;
const [securityLabel, securityValue] = Object.entries(SECURITY_LOG_LABEL)[0];

/**
 * Grafana Alloy's pipeline: pod logs read through the Kubernetes API (no host paths, no DaemonSet,
 * restricted pods), labelled with namespace, pod, container and app, and tagged
 * `log_category="security"` for pods carrying `SECURITY_LOG_LABEL` (GovStack 6.5 req-7).
 */
export function alloyPipeline(lokiUrl: string): string {
  return `discovery.kubernetes "pods" {
  role = "pod"
}

discovery.relabel "pods" {
  targets = discovery.kubernetes.pods.targets
  rule {
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_container_name"]
    target_label  = "container"
  }
  rule {
    source_labels = ["${metaLabel('app.kubernetes.io/name')}"]
    target_label  = "app"
  }
  rule {
    source_labels = ["${metaLabel(securityLabel)}"]
    regex         = "${securityValue}"
    replacement   = "security"
    target_label  = "log_category"
  }
}

loki.source.kubernetes "pods" {
  targets    = discovery.relabel.pods.output
  forward_to = [loki.write.default.receiver]
  clustering {
    enabled = true
  }
}

loki.write "default" {
  endpoint {
    url = "${lokiUrl}"
  }
}
`;
}

export interface LoggingProps {
  readonly env: Pick<Environment, 'cluster' | 'ha' | 'name' | 'platform' | 'registry' | 'stage'>;
}

/**
 * Loki (from the grafana-community chart repository, monolithic, on the data class) and Grafana
 * Alloy collecting every pod's logs (Promtail is end-of-life). Retention follows
 * `platform.observability.logsRetentionDays`.
 */
export class Logging extends Construct {
  constructor(scope: Construct, id: string, props: LoggingProps) {
    super(scope, id);
    const { env } = props;
    new SecureNamespace(this, 'Namespace', { name: LOKI.namespace, ...namespaceBaseline(env, 'medium') });
    const replicated = lokiOnObjectStore(env);
    const lokiReplicas = replicated ? LOKI_REPLICAS : 1;
    const store = replicated ? 's3' : 'filesystem';

    new PinnedRelease(this, 'LokiRelease', {
      holdsData: true, // the logs, security logs included
      env,
      chart: PINNED_CHARTS.loki,
      releaseName: PLATFORM_RELEASES.loki,
      namespace: LOKI.namespace,
      reason: 'Loki stores the platform\'s logs for Grafana; its community chart is the supported install',
      values: (images) => ({
        deploymentMode: 'Monolithic',
        loki: {
          image: image(images.loki),
          // One tenant: the platform's operators.
          auth_enabled: false,
          commonConfig: { replication_factor: lokiReplicas },
          storage: replicated ? objectStorage(env) : { type: 'filesystem' },
          schemaConfig: { configs: [{ from: '2026-01-01', store: 'tsdb', object_store: store, schema: 'v13', index: { prefix: 'index_', period: '24h' } }] },
          limits_config: { retention_period: `${env.platform.observability.logsRetentionDays * 24}h` },
          compactor: { retention_enabled: true, delete_request_store: store },
        },
        // Monolithic replicas only, no simple-scalable targets beside them: the chart's defaults give
        // backend, read and write three replicas each, which its validation refuses next to them.
        backend: { replicas: 0 },
        read: { replicas: 0 },
        write: { replicas: 0 },
        singleBinary: {
          // The chart's hard anti-affinity puts each replica on its own node.
          replicas: lokiReplicas,
          // On object storage the claim holds only the write-ahead log and the index being built.
          persistence: { enabled: true, size: replicated ? '10Gi' : resilience(env).observabilityVolume, storageClass: env.cluster.storageClasses.data },
          resources: chartResources('100m', '256Mi', '1Gi'),
          // The object store's keys, which the configuration reads as ${ACCESS_KEY_ID} and ${ACCESS_SECRET_KEY};
          // one replica at a time may go, the other two still make the write quorum.
          ...(replicated ? { extraEnvFrom: [{ secretRef: { name: LOKI_OBJECT_STORE_SECRET } }], podDisruptionBudget: { maxUnavailable: 1 } } : {}),
        },
        // Loki stores on its own volume and never calls the Kubernetes API (the rules sidecar is off).
        serviceAccount: { automountServiceAccountToken: false },
        defaults: { automountServiceAccountToken: false },
        gateway: { enabled: false },
        lokiCanary: { enabled: false },
        test: { enabled: false },
        chunksCache: { enabled: false },
        resultsCache: { enabled: false },
        sidecar: { rules: { enabled: false } },
        minio: { enabled: false },
      }),
      workloads: [
        { name: 'loki', podLabels: LOKI.podLabels, ports: [{ name: 'http-metrics', port: LOKI.port }, { name: 'grpc', port: 9095 }, { name: 'http-memberlist', port: 7946 }], replicas: lokiReplicas },
      ],
      ...(replicated
        ? {
            exceptions: {
              'SEC-02': {
                reason:
                  'Loki takes its object store keys only from its configuration file (s3 access_key_id, secret_access_key; an empty pair means anonymous requests, not the AWS credential chain), which the chart has Loki expand from environment variables (-config.expand-env=true)',
                objects: [`StatefulSet/${LOKI.namespace}/${PLATFORM_RELEASES.loki}`],
              },
            },
          }
        : {}),
    });

    const replicas = resilience(env).controllerReplicas;
    new PinnedRelease(this, 'AlloyRelease', {
      env,
      chart: PINNED_CHARTS.alloy,
      releaseName: PLATFORM_RELEASES.alloy,
      namespace: LOKI.namespace,
      reason: 'Grafana Alloy collects every pod\'s logs through the Kubernetes API and tags security logs; its chart is the supported install',
      values: (images) => ({
        image: image(images.alloy),
        configReloader: { image: { ...image(images.configReloader), digest: images.configReloader.digest ?? '' }, resources: chartResources('10m', '50Mi', '128Mi') },
        controller: {
          type: 'deployment',
          replicas,
          podDisruptionBudget: disruptionBudget(replicas),
          topologySpreadConstraints: topologySpread(env, ALLOY),
          volumes: { extra: [{ name: 'tmp', emptyDir: {} }] },
        },
        // Alloy keeps its state under --storage.path (/tmp/alloy, an emptyDir), so it needs no file
        // of its image's own uid (473) and runs as any unprivileged one.
        global: { podSecurityContext: restrictedPodSecurity(10473) },
        // Only what the pipeline reads: pods and their logs (the chart's default adds Secrets,
        // ConfigMaps and more for components the kit does not use).
        rbac: { rules: [{ apiGroups: [''], resources: ['pods', 'pods/log', 'namespaces'], verbs: ['get', 'list', 'watch'] }] },
        alloy: {
          configMap: { create: true, content: alloyPipeline(`http://${LOKI.service}.${LOKI.namespace}.svc:${LOKI.port}/loki/api/v1/push`) },
          clustering: { enabled: replicas > 1 },
          securityContext: restrictedContainerSecurity(),
          mounts: { varlog: false, dockercontainers: false, extra: [{ name: 'tmp', mountPath: '/tmp' }] },
          resources: chartResources('50m', '128Mi', '512Mi'),
          // The chart's readiness probe takes a pod out at once; this restarts it after a minute not ready.
          livenessProbe: { httpGet: { path: '/-/ready', port: ALLOY_PORT }, initialDelaySeconds: 30, periodSeconds: 20, failureThreshold: 3 },
        },
      }),
      exceptions: {
        'PRB-01': {
          reason: 'the chart renders no probes for its config-reloader sidecar and offers no setting for them (templates/containers/_watch.yaml at 1.11.1); it serves no traffic',
          objects: [`Deployment/${LOKI.namespace}/alloy`],
        },
        'RBAC-04': {
          reason: 'Alloy discovers pods (discovery.kubernetes) and reads their logs (loki.source.kubernetes) through the API',
          objects: [`Deployment/${LOKI.namespace}/alloy`],
        },
      },
      workloads: [{ name: 'alloy', podLabels: ALLOY, ports: [{ name: 'http-metrics', port: ALLOY_PORT }], replicas }],
    });

    new AllowTraffic(this, 'Loki', {
      namespace: LOKI.namespace,
      pods: LOKI.podLabels,
      ingress: [
        { peers: [podsIn(LOKI.namespace, ALLOY)], ports: [LOKI.port] },
        { peers: [podsIn(MONITORING.namespace, { 'app.kubernetes.io/name': 'grafana' })], ports: [LOKI.port] },
        { peers: [podsIn(MONITORING.namespace, MONITORING.prometheusPodLabels)], ports: [LOKI.port] },
        ...(replicated ? [{ peers: [podsIn(LOKI.namespace, LOKI.podLabels)], ports: [LOKI.port, ...LOKI_PEER_PORTS] }] : []),
      ],
      ...(replicated ? { egress: [{ peers: [podsIn(LOKI.namespace, LOKI.podLabels)], ports: [LOKI.port, ...LOKI_PEER_PORTS] }, objectStoreEgress(env)] } : {}),
    });

    new AllowTraffic(this, 'Alloy', {
      namespace: LOKI.namespace,
      pods: ALLOY,
      ingress: [
        { peers: [podsIn(LOKI.namespace, ALLOY)], ports: [ALLOY_PORT] },
        { peers: [podsIn(MONITORING.namespace, MONITORING.prometheusPodLabels)], ports: [ALLOY_PORT] },
      ],
      egress: [
        apiServer(env),
        { peers: [podsIn(LOKI.namespace, LOKI.podLabels)], ports: [LOKI.port] },
        { peers: [podsIn(LOKI.namespace, ALLOY)], ports: [ALLOY_PORT] },
      ],
    });
  }
}

/**
 * Chunks and index in the store backups go to, encrypted at rest as the backups are, with the keys
 * the pods get from `LOKI_OBJECT_STORE_SECRET`.
 */
function objectStorage(env: Pick<Environment, 'name' | 'platform'>): Record<string, unknown> {
  const location = objectStoreLocation(env);
  const bucket = lokiBucket(env);
  const sse =
    location.serverSideEncryption === 'aws:kms'
      ? { type: 'SSE-KMS', ...(location.kmsKeyId ? { kms_key_id: location.kmsKeyId } : {}) }
      : location.serverSideEncryption === 'AES256'
        ? { type: 'SSE-S3' }
        : undefined;
  return {
    type: 's3',
    bucketNames: { chunks: bucket, ruler: bucket },
    s3: {
      endpoint: location.endpoint,
      region: location.region,
      insecure: new URL(location.endpoint).protocol === 'http:',
      s3ForcePathStyle: location.usePathStyle,
      accessKeyId: `\${${OBJECT_STORE_CREDENTIALS.accessKeyIdKey}}`,
      secretAccessKey: `\${${OBJECT_STORE_CREDENTIALS.secretAccessKeyKey}}`,
      ...(sse ? { sse } : {}),
    },
  };
}

/** Loki's egress to the store: the off-cluster target's addresses on its port, or the in-cluster S3 gateways. */
function objectStoreEgress(env: Pick<Environment, 'name' | 'platform'>): TrafficRule {
  const target = env.platform.backups.target;
  if (target) return { peers: target.cidrs.map(addresses), ports: [objectStorePort(objectStoreLocation(env))] };
  return { peers: [podsIn(IN_CLUSTER_OBJECT_STORE.namespace, { 'app.kubernetes.io/name': 'seaweedfs', 'app.kubernetes.io/component': 's3' })], ports: [IN_CLUSTER_OBJECT_STORE.port] };
}
