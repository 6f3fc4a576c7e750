import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import { IN_CLUSTER_OBJECT_STORE, objectStoreLocation } from '../data/object-store';
import type { Environment } from '../environment/schema';
import { imagePullPolicy, repositoryImageValues } from '../images';
import { AllowTraffic, anyAddress, apiServer, podsIn } from '../baseline/allow-traffic';
import { BACKUP_CREDENTIALS_LABEL, MONITORING, PLATFORM_RELEASES } from './contract';
import { PINNED_CHARTS } from './pinned-charts';
import { VELERO_CREDENTIALS_SECRET, VELERO_NAMESPACE } from './backup-credentials';
import { PlatformRelease, type ScopedException } from './platform-release';
import { resources, restrictedContainerSecurity, restrictedPodSecurity } from './workload-defaults';

const VELERO = { 'app.kubernetes.io/name': 'velero', 'app.kubernetes.io/instance': PLATFORM_RELEASES.velero };
const METRICS_PORT = 8085;

export interface BackupsProps {
  readonly env: Environment;
}

/**
 * Velero backs up the cluster's objects to the environment's object store on the environment's
 * schedule (databases back themselves up through CloudNativePG). Schedules keep
 * `useOwnerReferencesInBackup: false`, so deleting a schedule never deletes its backups. With
 * `platform.backups.fileSystemBackup` the node agent also copies volume contents; it needs root
 * and host paths, which makes Velero's namespace privileged (Velero runs its agent only beside its server).
 */
export class Backups extends Construct {
  constructor(scope: Construct, id: string, props: BackupsProps) {
    super(scope, id);
    const { env } = props;
    const nodeAgent = env.platform.backups.fileSystemBackup;
    new SecureNamespace(this, 'Namespace', {
      name: VELERO_NAMESPACE,
      ...namespaceBaseline(env, 'small'),
      labels: BACKUP_CREDENTIALS_LABEL,
      ...(nodeAgent
        ? {
            podSecurity: 'privileged' as const,
            podSecurityExceptionReason: 'Velero\'s node agent reads every pod\'s volumes from the node: root and host paths; Velero runs it only in its own namespace',
          }
        : {}),
    });
    const location = objectStoreLocation(env);
    const inCluster = env.platform.objectStore.kind === 'in-cluster';

    const exceptions: Record<string, string | ScopedException> = {
      'RBAC-02':
        'Velero backs up and restores every kind of object, CRDs and RBAC included; a narrower role would still need "*" (the chart binds cluster-admin to its own service account only)',
    };
    if (nodeAgent) {
      exceptions['POD-08'] = 'the node agent reads pod volumes through host paths, alone in the privileged velero namespace';
    }
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
        objects: [server, `Job/${VELERO_NAMESPACE}/${PLATFORM_RELEASES.velero}-upgrade-crds`],
      },
      // Production only: REL-01 asks for a second replica there.
      ...(env.stage === 'production' ? { 'REL-01': {
        reason: 'the Velero server runs no leader election, so a second replica would process the same backups, restores and schedules at the same time; a backup server down for minutes loses no data',
        objects: [server],
      } } : {}),
      'SEC-01': {
        reason: 'GOOGLE_APPLICATION_CREDENTIALS holds the path of the mounted credentials file (/credentials/cloud, templates/deployment.yaml), not a credential',
        objects: [server],
      },
    });
    new PlatformRelease(this, 'Release', {
      env,
      chart: PINNED_CHARTS.velero,
      releaseName: PLATFORM_RELEASES.velero,
      namespace: VELERO_NAMESPACE,
      reason: 'Velero backs up the cluster\'s objects to the object store and restores them into a clean cluster',
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
            resources: resources('10m', '32Mi', '128Mi'),
          },
        ],
        podSecurityContext: restrictedPodSecurity(65532),
        containerSecurityContext: restrictedContainerSecurity(),
        resources: resources('100m', '128Mi', '512Mi'),
        // The chart's liveness probe (restart after 2.5 minutes without metrics); taken out of service after one minute.
        readinessProbe: { periodSeconds: 15, failureThreshold: 4 },
        upgradeJobResources: resources('50m', '64Mi', '256Mi'),
        credentials: { useSecret: true, existingSecret: VELERO_CREDENTIALS_SECRET },
        snapshotsEnabled: false,
        deployNodeAgent: nodeAgent,
        configuration: {
          backupStorageLocation: [
            {
              name: 'default',
              provider: 'aws',
              bucket: location.bucket,
              prefix: 'velero',
              default: true,
              config: {
                region: location.region,
                s3Url: location.endpoint,
                s3ForcePathStyle: 'true',
                // SeaweedFS does not verify the aws-sdk-go-v2 default checksums.
                ...(inCluster ? { checksumAlgorithm: '' } : {}),
              },
            },
          ],
          defaultBackupTTL: `${env.platform.backups.retentionDays * 24}h`,
          uploaderType: 'kopia',
          defaultVolumesToFsBackup: nodeAgent,
        },
        rbac: { clusterAdministrator: true },
      }),
      workloads: [
        { name: 'server', podLabels: VELERO, ports: [{ name: 'http-monitoring', port: METRICS_PORT }] },
        ...(nodeAgent ? [{ name: 'node-agent', podLabels: { name: 'node-agent' }, ports: [] }] : []),
      ],
      exceptions,
    });

    new ApiObject(this, 'Schedule', {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: 'cluster-daily', namespace: VELERO_NAMESPACE },
      spec: {
        schedule: env.platform.backups.schedule,
        // True would delete every backup together with this schedule.
        useOwnerReferencesInBackup: false,
        template: {
          ttl: `${env.platform.backups.retentionDays * 24}h0m0s`,
          includedNamespaces: ['*'],
          storageLocation: 'default',
          snapshotVolumes: false,
          defaultVolumesToFsBackup: nodeAgent,
        },
      },
    });

    const store = inCluster
      ? { peers: [podsIn(IN_CLUSTER_OBJECT_STORE.namespace, { 'app.kubernetes.io/name': 'seaweedfs', 'app.kubernetes.io/component': 's3' })], ports: [IN_CLUSTER_OBJECT_STORE.port] }
      : { peers: [anyAddress()], ports: [Number(new URL(location.endpoint).port || 443)] };
    const traffic = new AllowTraffic(this, 'Velero', {
      namespace: VELERO_NAMESPACE,
      pods: {},
      egress: [apiServer(env), store],
      ...(env.platform.observability.enabled
        ? { ingress: [{ peers: [podsIn(MONITORING.namespace, MONITORING.prometheusPodLabels)], ports: [METRICS_PORT] }] }
        : {}),
    });
    if (!inCluster) {
      traffic.declareEgressAnywhere(env, `the cloud object store is named by its host name (${location.endpoint}), whose addresses are the cloud's to change; only its port, never the metadata service`);
    }
  }
}
