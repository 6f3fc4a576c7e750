import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import { backupPrefixOf, IN_CLUSTER_OBJECT_STORE, objectStoreLocation, objectStorePort } from '../data/object-store';
import type { Environment } from '../environment/schema';
import type { ObjectStoreLocation } from '../data/object-store';
import { imagePullPolicy, repositoryImageValues } from '../images';
import { addresses, AllowTraffic, apiServer, podsIn } from '../baseline/allow-traffic';
import { BACKUP_CREDENTIALS_LABEL, MONITORING, PLATFORM_RELEASES } from './contract';
import { PINNED_CHARTS } from './pinned-charts';
import { VELERO_CREDENTIALS_SECRET, VELERO_NAMESPACE } from './backup-credentials';
import { PinnedRelease, type ScopedException } from '../releases/pinned-release';
import { chartResources } from './workload-defaults';
import { CNPG_DATA_RESOURCES } from '../data/cloudnative-pg';
import { resilience } from '../environment/resilience';
import { restrictedContainerSecurity, restrictedPodSecurity } from '../baseline/restricted-pod';

const VELERO = { 'app.kubernetes.io/name': 'velero', 'app.kubernetes.io/instance': PLATFORM_RELEASES.velero };
const METRICS_PORT = 8085;
/** Velero's schedule; its backups are named `cluster-daily-<YYYYMMDDHHMMSS>`. */
const DAILY_SCHEDULE = 'cluster-daily';

export interface BackupsProps {
  readonly env: Pick<Environment, 'cluster' | 'ha' | 'name' | 'platform' | 'recovery' | 'registry' | 'stage'>;
}

/**
 * Velero backs up the cluster's objects and the contents of every volume that keeps state to the
 * environment's backup store on the stage's schedule (databases back themselves up through
 * CloudNativePG, and Velero leaves their volumes alone). Volume contents go by file-system backup
 * (Kopia, by the node agent) or as CSI snapshots whose data the node agent moves to the store, so
 * either way they leave the cluster. The node agent needs root and host paths, which makes
 * Velero's namespace privileged (Velero runs its agent only beside its server). Schedules keep
 * `useOwnerReferencesInBackup: false`, so deleting a schedule never deletes its backups.
 */
export class Backups extends Construct {
  constructor(scope: Construct, id: string, props: BackupsProps) {
    super(scope, id);
    const { env } = props;
    const { volumes } = env.platform.backups;
    new SecureNamespace(this, 'Namespace', {
      name: VELERO_NAMESPACE,
      ...namespaceBaseline(env, 'small'),
      labels: BACKUP_CREDENTIALS_LABEL,
      podSecurity: 'privileged',
      podSecurityExceptionReason: 'Velero\'s node agent reads every pod\'s volumes from the node: root and host paths; Velero runs it only in its own namespace',
    });
    const location = objectStoreLocation(env);

    const exceptions: Record<string, string | ScopedException> = {
      'RBAC-02':
        'Velero backs up and restores every kind of object, CRDs and RBAC included; a narrower role would still need "*" (the chart binds cluster-admin to its own service account only)',
    };
    const nodeAgent = `DaemonSet/${VELERO_NAMESPACE}/node-agent`;
    const onlyNodeAgent = (reason: string) => ({ reason, objects: [nodeAgent] });
    Object.assign(exceptions, {
      'POD-08': onlyNodeAgent('the node agent reads pod volumes through host paths (/var/lib/kubelet/pods), alone in the privileged velero namespace'),
      'POD-04': onlyNodeAgent('the node agent reads and restores files of every pod, whatever uid owns them: it runs as root'),
      'POD-05': onlyNodeAgent('the node agent reads and restores files of every pod, whatever uid owns them: it runs as root'),
      'POD-07': onlyNodeAgent('reading and restoring files of any owner takes DAC_READ_SEARCH, DAC_OVERRIDE, CHOWN, FOWNER and FSETID; every other capability is dropped'),
      'POD-10': onlyNodeAgent('Kopia keeps its cache and logs under the node agent\'s home directory in the image'),
      'PRB-01': onlyNodeAgent('the chart offers no probe settings for the node agent (templates/node-agent-daemonset.yaml)'),
    });
    const server = `Deployment/${VELERO_NAMESPACE}/${PLATFORM_RELEASES.velero}`;
    Object.assign(exceptions, {
      'RBAC-01': {
        reason: 'Velero restores every kind of object into its namespace; the chart gives its server "*" on everything there (templates/role.yaml) besides the cluster-wide role',
        objects: [`Role/${VELERO_NAMESPACE}/${PLATFORM_RELEASES.velero}-server`],
      },
      'RBAC-06': {
        reason: 'the same "*" on everything in its namespace (templates/role.yaml) covers creating tokens for the service accounts there; cluster-admin grants it everywhere anyway (RBAC-02)',
        objects: [`Role/${VELERO_NAMESPACE}/${PLATFORM_RELEASES.velero}-server`],
      },
      'RBAC-04': {
        reason: 'the server reads and writes every object it backs up and restores, and the upgrade job applies Velero\'s CRDs, through the API',
        objects: [server, nodeAgent, `Job/${VELERO_NAMESPACE}/${PLATFORM_RELEASES.velero}-upgrade-crds`],
      },
      // Production only: REL-01 asks for a second replica there.
      ...(resilience(env).singleReplicaIsException ? { 'REL-01': {
        reason: 'the Velero server runs no leader election, so a second replica would process the same backups, restores and schedules at the same time; a backup server down for minutes loses no data',
        objects: [server],
      } } : {}),
      'SEC-01': {
        reason: 'GOOGLE_APPLICATION_CREDENTIALS holds the path of the mounted credentials file (/credentials/cloud, templates/deployment.yaml and node-agent-daemonset.yaml), not a credential',
        objects: [server, nodeAgent],
      },
    });
    new PinnedRelease(this, 'Release', {
      env,
      chart: PINNED_CHARTS.velero,
      releaseName: PLATFORM_RELEASES.velero,
      namespace: VELERO_NAMESPACE,
      reason: 'Velero backs up the cluster\'s objects and volumes to the backup store and restores them into a clean cluster',
      providesCrds: true,
      values: (images) => ({
        image: repositoryImageValues(images.server),
        initContainers: [
          {
            name: 'velero-plugin-for-aws',
            image: images.awsPlugin.reference,
            imagePullPolicy: imagePullPolicy(images.awsPlugin.reference),
            volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
            securityContext: restrictedContainerSecurity(),
            resources: chartResources('10m', '32Mi', '128Mi'),
          },
        ],
        podSecurityContext: restrictedPodSecurity(65532),
        containerSecurityContext: restrictedContainerSecurity(),
        resources: chartResources('100m', '128Mi', '512Mi'),
        // The chart's liveness probe (restart after 2.5 minutes without metrics); taken out of service after one minute.
        readinessProbe: { periodSeconds: 15, failureThreshold: 4 },
        upgradeJobResources: chartResources('50m', '64Mi', '256Mi'),
        credentials: { useSecret: true, existingSecret: VELERO_CREDENTIALS_SECRET },
        // CSI snapshots are Velero's built-in CSI support, not a VolumeSnapshotLocation of a provider.
        snapshotsEnabled: false,
        deployNodeAgent: true,
        nodeAgent: {
          podSecurityContext: { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
          containerSecurityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'], add: ['CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID'] },
            seccompProfile: { type: 'RuntimeDefault' },
          },
          // Kopia hashes and compresses what it uploads: memory grows with the largest volume's file count.
          resources: chartResources('100m', '256Mi', '2Gi', { request: '1Gi', limit: '10Gi' }),
        },
        configuration: {
          backupStorageLocation: [
            {
              name: 'default',
              provider: 'aws',
              bucket: location.bucket,
              prefix: backupPrefixOf(VELERO_NAMESPACE).replace(/\/$/, ''),
              default: true,
              // A recovery reads the lost cluster's backups and must never prune or overwrite them.
              ...(env.recovery ? { accessMode: 'ReadOnly' } : {}),
              config: backupStorageConfig(location),
            },
          ],
          defaultBackupTTL: `${env.platform.backups.retentionDays * 24}h`,
          uploaderType: 'kopia',
          defaultVolumesToFsBackup: volumes === 'file-system',
          ...(volumes === 'csi-snapshots' ? { features: 'EnableCSI', defaultSnapshotMoveData: true } : {}),
        },
        rbac: { clusterAdministrator: true },
      }),
      workloads: [
        { name: 'server', podLabels: VELERO, ports: [{ name: 'http-monitoring', port: METRICS_PORT }] },
        { name: 'node-agent', podLabels: { name: 'node-agent' }, ports: [] },
      ],
      exceptions,
    });

    new ApiObject(this, 'Schedule', {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: DAILY_SCHEDULE, namespace: VELERO_NAMESPACE },
      spec: {
        schedule: env.platform.backups.schedule,
        // A recovered cluster starts backing up once the drill is verified and it is synthesised normally.
        ...(env.recovery ? { paused: true } : {}),
        // True would delete every backup together with this schedule.
        useOwnerReferencesInBackup: false,
        template: {
          ttl: `${env.platform.backups.retentionDays * 24}h0m0s`,
          includedNamespaces: ['*'],
          storageLocation: 'default',
          ...volumeBackup(volumes),
        },
      },
    });

    const target = env.platform.backups.target;
    const store = target
      ? { peers: target.cidrs.map(addresses), ports: [objectStorePort(location)] }
      : { peers: [podsIn(IN_CLUSTER_OBJECT_STORE.namespace, { 'app.kubernetes.io/name': 'seaweedfs', 'app.kubernetes.io/component': 's3' })], ports: [IN_CLUSTER_OBJECT_STORE.port] };
    new AllowTraffic(this, 'Velero', {
      namespace: VELERO_NAMESPACE,
      pods: {},
      egress: [apiServer(env), store],
      ...(env.platform.observability.enabled
        ? { ingress: [{ peers: [podsIn(MONITORING.namespace, MONITORING.prometheusPodLabels)], ports: [METRICS_PORT] }] }
        : {}),
    });
  }
}

/**
 * The AWS plugin's settings for the store: TLS verified (insecureSkipTLSVerify is never set), and
 * for the off-cluster target every object written with the store's encryption at rest.
 */
function backupStorageConfig(location: ObjectStoreLocation): Record<string, string> {
  return {
    region: location.region,
    s3Url: location.endpoint,
    s3ForcePathStyle: String(location.usePathStyle),
    ...(location.serverSideEncryption === 'AES256' ? { serverSideEncryption: 'AES256' } : {}),
    // The plugin writes with aws:kms whenever it is given the key.
    ...(location.kmsKeyId ? { kmsKeyId: location.kmsKeyId } : {}),
    // SeaweedFS does not verify the aws-sdk-go-v2 default checksums.
    ...(location.offCluster ? {} : { checksumAlgorithm: '' }),
  };
}

/** How a backup copies volume contents: every pod volume by Kopia, or CSI snapshots whose data is moved to the store. */
export function volumeBackup(volumes: Environment['platform']['backups']['volumes']): Record<string, boolean> {
  return volumes === 'file-system'
    ? { snapshotVolumes: false, defaultVolumesToFsBackup: true }
    : { snapshotVolumes: true, snapshotMoveData: true, defaultVolumesToFsBackup: false };
}

/** Namespaces a recovery never restores: Velero's own, and the cluster's system namespaces, which the clean cluster has. */
const NOT_RESTORED_NAMESPACES = [VELERO_NAMESPACE, 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * What CloudNativePG recovers itself, from its base backups and WAL: Velero restores none of it
 * (its pods and volumes are also left out of every backup).
 */
const RECOVERED_BY_THE_DATABASE_OPERATOR = CNPG_DATA_RESOURCES;

export interface VolumeRestoreProps {
  readonly recovery: NonNullable<Environment['recovery']>;
}

/**
 * The Velero Restore of a recovery: every object and volume of the chosen backup (or of the
 * schedule's newest) into the clean cluster, after every platform service (the recovery chart is
 * installed last in its layer) and before the information mediator and building blocks are
 * installed over them. Existing objects are kept (the platform layer just created them),
 * Helm's release records are left behind (Terraform installs each release afresh, and Helm adopts
 * the restored objects that carry its annotations), and what CloudNativePG recovers is left to it.
 */
export class VolumeRestore extends Construct {
  constructor(scope: Construct, id: string, props: VolumeRestoreProps) {
    super(scope, id);
    const { recovery } = props;
    new ApiObject(this, 'Resource', {
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: { name: `recover-${recovery.mark}`, namespace: VELERO_NAMESPACE },
      spec: {
        ...(recovery.backupName ? { backupName: recovery.backupName } : { scheduleName: DAILY_SCHEDULE }),
        includedNamespaces: ['*'],
        excludedNamespaces: NOT_RESTORED_NAMESPACES,
        excludedResources: RECOVERED_BY_THE_DATABASE_OPERATOR,
        labelSelector: { matchExpressions: [{ key: 'owner', operator: 'NotIn', values: ['helm'] }] },
        includeClusterResources: false,
        restorePVs: true,
        existingResourcePolicy: 'none',
      },
    });
  }
}
