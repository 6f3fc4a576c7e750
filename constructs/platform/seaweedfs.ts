import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import { IN_CLUSTER_OBJECT_STORE, objectStoreLocation } from '../data/object-store';
import type { Environment } from '../environment/schema';
import { AllowTraffic, podsIn, podsInNamespacesLabelled } from '../baseline/allow-traffic';
import { BACKUP_CREDENTIALS_LABEL, MONITORING, PLATFORM_RELEASES } from './contract';
import { SEAWEEDFS_S3_CONFIG_SECRET } from './backup-credentials';
import { LOKI, lokiBucket, lokiOnObjectStore } from './logging';
import { PINNED_CHARTS } from './pinned-charts';
import { PinnedRelease } from '../releases/pinned-release';
import { chartResources, topologySpread } from './workload-defaults';
import { resilience } from '../environment/resilience';
import { restrictedContainerSecurity, restrictedPodSecurity } from '../baseline/restricted-pod';

const NAMESPACE = IN_CLUSTER_OBJECT_STORE.namespace;
const podsOf = (component: string) => ({ 'app.kubernetes.io/name': 'seaweedfs', 'app.kubernetes.io/instance': PLATFORM_RELEASES.seaweedfs, 'app.kubernetes.io/component': component });
const SEAWEEDFS = { 'app.kubernetes.io/name': 'seaweedfs', 'app.kubernetes.io/instance': PLATFORM_RELEASES.seaweedfs };
const PORTS = { master: [9333, 19333], volume: [8080, 18080], filer: [8888, 18888], s3: [IN_CLUSTER_OBJECT_STORE.port] } as const;
const METRICS_PORT = 9327;

export interface SeaweedFsProps {
  readonly env: Pick<Environment, 'cluster' | 'ha' | 'name' | 'platform' | 'registry' | 'stage'>;
}

/**
 * The in-cluster S3-compatible store for backups (on-prem): SeaweedFS (Apache-2.0; MinIO's
 * community edition is unmaintained). Every directory on claims of the data class (the chart's
 * default is hostPath), restricted security contexts, S3 authentication with the identities
 * `BackupCredentials` delivers, the backup bucket created on install.
 */
export class SeaweedFs extends Construct {
  constructor(scope: Construct, id: string, props: SeaweedFsProps) {
    super(scope, id);
    const { env } = props;
    new SecureNamespace(this, 'Namespace', { name: NAMESPACE, ...namespaceBaseline(env, 'large') });

    const replicas = resilience(env).quorumReplicas;
    const dataClass = env.cluster.storageClasses.data;
    // Volume servers hold the data: most of the namespace's storage quota, shared between them.
    const volumeGiB = Math.max(1, Math.floor((env.platform.namespaceQuotas.large.storageGiB * 0.8) / replicas));
    const security = { podSecurityContext: { enabled: true, ...restrictedPodSecurity(10001) }, containerSecurityContext: { enabled: true, ...restrictedContainerSecurity() } };
    const claim = (size: string) => ({ type: 'persistentVolumeClaim', size, storageClass: dataClass });
    const emptyDir = { type: 'emptyDir' };
    const location = objectStoreLocation(env);
    const s3Replicas = replicas > 1 ? 2 : 1;
    const lokiKeepsLogsHere = env.platform.observability.enabled && lokiOnObjectStore(env);

    new PinnedRelease(this, 'Release', {
      holdsData: true, // the backups of every database live here
      env,
      chart: PINNED_CHARTS.seaweedfs,
      releaseName: PLATFORM_RELEASES.seaweedfs,
      namespace: NAMESPACE,
      reason: 'SeaweedFS is the in-cluster S3 store for backups where there is no cloud object store; its chart is the supported install',
      values: (images) => ({
        // SeaweedFS's servers never call the Kubernetes API: no token in their pods.
        global: { seaweedfs: { enableReplication: replicas > 1, replicationPlacement: '001', automountServiceAccountToken: false } },
        master: {
          imageOverride: images.server.reference,
          replicas,
          // Read only without global replication (then replicationPlacement decides).
          ...(replicas > 1 ? {} : { defaultReplication: '000' }),
          data: claim('1Gi'),
          logs: emptyDir,
          resources: chartResources('50m', '128Mi', '512Mi'),
          ...security,
        },
        volume: {
          imageOverride: images.server.reference,
          replicas,
          dataDirs: [{ name: 'data', ...claim(`${volumeGiB}Gi`), maxVolumes: 0 }],
          // The index on a claim of its own: the chart refuses an ephemeral index (lost on every
          // restart while the data persists). An init container moves the index files there and
          // rebuilds a missing one from the data.
          idx: claim('1Gi'),
          idxVolMoveResources: chartResources('50m', '64Mi', '512Mi'),
          logs: emptyDir,
          resources: chartResources('100m', '256Mi', '1Gi'),
          ...security,
        },
        // Each filer keeps the metadata (buckets, objects) in its own LevelDB store on its claim and
        // replays every change its peers make (SeaweedFS aggregates metadata between filers whose
        // stores differ), so the S3 gateways keep working through any one of them. The chart's
        // default anti-affinity puts each on its own node.
        filer: { imageOverride: images.server.reference, replicas, data: claim('5Gi'), logs: emptyDir, resources: chartResources('50m', '128Mi', '512Mi'), ...security },
        s3: {
          enabled: true,
          imageOverride: images.server.reference,
          replicas: s3Replicas,
          // The chart's own service account (no token) instead of the namespace's default one.
          serviceAccountName: 'seaweedfs',
          // The chart renders this value as a template string.
          topologySpreadConstraints: JSON.stringify(topologySpread(env, podsOf('s3'))),
          createBucketsHook: { resources: chartResources('10m', '64Mi', '256Mi') },
          port: IN_CLUSTER_OBJECT_STORE.port,
          enableAuth: true,
          existingConfigSecret: SEAWEEDFS_S3_CONFIG_SECRET,
          createBuckets: [{ name: location.bucket }, ...(lokiKeepsLogsHere ? [{ name: lokiBucket(env) }] : [])],
          logs: emptyDir,
          resources: chartResources('50m', '128Mi', '512Mi'),
          ...security,
        },
      }),
      exceptions: {
        'RBAC-04': {
          reason: 'the chart offers no service account setting for its bucket hook (templates/shared/post-install-bucket-hook.yaml), so it runs as the namespace\'s default account; it only calls the master and filer with curl and weed shell',
          objects: [`Job/${NAMESPACE}/${PLATFORM_RELEASES.seaweedfs}-bucket-hook`],
        },
        'RBAC-05': {
          reason: 'the chart offers no service account setting for its bucket hook (templates/shared/post-install-bucket-hook.yaml); it holds no role and only calls the master and filer',
          objects: [`Job/${NAMESPACE}/${PLATFORM_RELEASES.seaweedfs}-bucket-hook`],
        },
      },
      workloads: [
        { name: 'master', podLabels: podsOf('master'), ports: [...PORTS.master, METRICS_PORT].map((port) => ({ port })), replicas },
        { name: 'volume', podLabels: podsOf('volume'), ports: [...PORTS.volume, METRICS_PORT].map((port) => ({ port })), replicas },
        { name: 'filer', podLabels: podsOf('filer'), ports: [...PORTS.filer, METRICS_PORT].map((port) => ({ port })), replicas },
        { name: 's3', podLabels: podsOf('s3'), ports: [...PORTS.s3, METRICS_PORT].map((port) => ({ port })) },
        { name: 'bucket-hook', podLabels: podsOf('bucket-hook'), ports: [] },
      ],
    });

    // The chart renders no PodDisruptionBudget: one master (of a quorum of three), one volume server
    // (each volume is replicated to another, '001'), one filer and one S3 gateway may go at a time.
    for (const [component, count] of [['master', replicas], ['volume', replicas], ['filer', replicas], ['s3', s3Replicas]] as const) {
      if (count < 2) continue;
      new k8s.KubePodDisruptionBudget(this, `${component}-budget`, {
        metadata: { name: `${PLATFORM_RELEASES.seaweedfs}-${component}`, namespace: NAMESPACE },
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: podsOf(component) } },
      });
    }

    const all = [...PORTS.master, ...PORTS.volume, ...PORTS.filer];
    new AllowTraffic(this, 'Cluster', {
      namespace: NAMESPACE,
      pods: SEAWEEDFS,
      ingress: [{ peers: [podsIn(NAMESPACE, SEAWEEDFS)], ports: all }],
      egress: [{ peers: [podsIn(NAMESPACE, SEAWEEDFS)], ports: all }],
    });
    new AllowTraffic(this, 'S3Clients', {
      namespace: NAMESPACE,
      pods: podsOf('s3'),
      ingress: [
        // Whatever writes backups: namespaces labelled for backup credentials (PostgreSQL, Velero).
        { peers: [podsInNamespacesLabelled(BACKUP_CREDENTIALS_LABEL)], ports: [...PORTS.s3] },
        // Loki, which keeps its chunks and index in its own bucket here.
        ...(lokiKeepsLogsHere ? [{ peers: [podsIn(LOKI.namespace, LOKI.podLabels)], ports: [...PORTS.s3] }] : []),
        ...(env.platform.observability.enabled ? [{ peers: [podsIn(MONITORING.namespace, MONITORING.prometheusPodLabels)], ports: [METRICS_PORT] }] : []),
      ],
    });
  }
}
