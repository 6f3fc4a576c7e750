import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { backupPrefixOf, objectStoreLocation, type ObjectStoreLocation } from '../data/object-store';
import type { Environment } from '../environment/schema';
import type { Recovery } from '../environment/recovery';
import { imagePullPolicy, type ImageParts } from '../images';
import { OPENBAO_SETUP, OPENBAO_TLS_DIR } from './openbao-config';
import { chartResources } from './workload-defaults';
import { restrictedContainerSecurity, restrictedPodSecurity } from '../baseline/restricted-pod';

/**
 * OpenBao's namespace key to the backup store (from `<credentialsSecretPrefix>-openbao`) as s3cmd's
 * configuration file `.s3cfg`, mounted as the home of the snapshot agent and the restore Job.
 */
export const OPENBAO_BACKUP_STORE_SECRET = 'openbao-backup-store';
export const S3CMD_CONFIG_TEMPLATE = { '.s3cfg': '[default]\naccess_key = {{ .ACCESS_KEY_ID }}\nsecret_key = {{ .ACCESS_SECRET_KEY }}\n' };
const S3CMD_HOME = '/s3cmd';
/** A short-lived token of the pod's service account, for OpenBao's Kubernetes auth (no automounted token). */
const TOKEN_DIR = '/var/run/secrets/openbao';
const podVolumes = (tlsSecret: string) => [
  { name: 'openbao-ca', secret: { secretName: tlsSecret, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
  { name: 's3cmd', secret: { secretName: OPENBAO_BACKUP_STORE_SECRET, items: [{ key: '.s3cfg', path: '.s3cfg' }] } },
  { name: 'openbao-token', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 600 } }] } },
];
const podMounts = [
  { name: 'openbao-ca', mountPath: OPENBAO_TLS_DIR, readOnly: true },
  { name: 's3cmd', mountPath: S3CMD_HOME, readOnly: true },
  { name: 'openbao-token', mountPath: TOKEN_DIR, readOnly: true },
];
/** Labels of the chart's snapshot agent pods (templates/snapshotagent-cronjob.yaml). */
export const SNAPSHOT_AGENT_PODS = { 'app.kubernetes.io/name': 'openbao', 'app.kubernetes.io/instance': 'openbao', component: 'snapshot-agent' } as const;
export const SNAPSHOT_RESTORE_PODS = { 'app.kubernetes.io/name': 'openbao-restore', 'app.kubernetes.io/instance': 'openbao' } as const;
/** The agent names each snapshot `bao_<date +%F-%H%M>.snapshot` (bao-snapshot.sh), in UTC. */
const SNAPSHOT_FILE_PREFIX = 'bao_';

/** `s3://<bucket>/openbao/raft/`: under OpenBao's own prefix, the only one its key reaches. */
export function snapshotUri(env: Pick<Environment, 'name' | 'platform'>, namespace: string): string {
  return `s3://${objectStoreLocation(env).bucket}/${backupPrefixOf(namespace)}raft/`;
}

/** s3cmd's view of the store: host, bucket addressing, TLS, region and encryption at rest of every object put. */
function s3cmd(location: ObjectStoreLocation): { host: string; hostBucket: string; flags: string[] } {
  const host = new URL(location.endpoint).host;
  return {
    host,
    // s3cmd addresses the bucket by a host template; the store's own host means path-style requests.
    hostBucket: host,
    flags: [
      '--ssl',
      `--region=${location.region}`,
      ...(location.usePathStyle ? [] : [`--host-bucket=%(bucket)s.${host}`]),
      ...(location.serverSideEncryption ? ['--server-side-encryption'] : []),
      ...(location.kmsKeyId ? [`--server-side-encryption-kms-id=${location.kmsKeyId}`] : []),
    ],
  };
}

/**
 * Values of the chart's snapshot agent: a CronJob that logs in with Kubernetes auth (role
 * `raft-snapshot`, read on `sys/storage/raft/snapshot` only), saves a Raft snapshot and puts it,
 * encrypted at rest, under OpenBao's prefix of the off-cluster target, deleting those older than
 * the environment's retention. Off in a recovery: it would expire the lost cluster's snapshots.
 */
export function snapshotAgentValues(env: Pick<Environment, 'name' | 'platform' | 'recovery'>, namespace: string, image: ImageParts, tlsSecret: string, address: string): Record<string, unknown> {
  const s3 = s3cmd(objectStoreLocation(env));
  return {
    enabled: !env.recovery,
    schedule: env.platform.openbao.snapshotSchedule,
    // The kit's account, without an automounted token: the agent logs in with a projected one.
    serviceAccount: { create: false, name: OPENBAO_SETUP.snapshots.serviceAccount },
    image: { repository: image.repository, tag: image.tagAndDigest },
    config: {
      s3Host: s3.host,
      s3Bucket: s3.hostBucket,
      s3Uri: snapshotUri(env, namespace),
      s3ExpireDays: String(env.platform.backups.retentionDays),
      s3cmdExtraFlag: s3.flags.join(' '),
      baoAuthPath: OPENBAO_SETUP.kubernetesAuthMount,
      baoRole: OPENBAO_SETUP.snapshots.role,
      tokenPath: `${TOKEN_DIR}/token`,
    },
    // The Service OpenBao's certificate names (the chart's default, openbao-active, is not on it);
    // a standby forwards the request to the leader.
    extraEnvironmentVars: { BAO_ADDR: address, BAO_CACERT: `${OPENBAO_TLS_DIR}/ca.crt`, HOME: S3CMD_HOME },
    extraVolumes: podVolumes(tlsSecret),
    extraVolumeMounts: podMounts,
    resources: chartResources('50m', '64Mi', '256Mi'),
    securityContext: { pod: restrictedPodSecurity(), container: restrictedContainerSecurity() },
  };
}

export interface OpenBaoSnapshotRestoreProps {
  readonly env: Pick<Environment, 'name' | 'platform'>;
  readonly recovery: Recovery;
  readonly namespace: string;
  /** The snapshot agent's image: the bao CLI and s3cmd. */
  readonly image: string;
  /** `https://openbao.<namespace>.svc:<port>`. */
  readonly address: string;
  readonly tlsSecret: string;
}

/**
 * A recovery's restore of OpenBao's entries: waits until the fresh OpenBao is unsealed (its
 * transit seal unseals it, self-initialisation created the `raft-restore` role), takes the newest
 * snapshot taken at or before the recovery point from the backup target, and installs it with
 * `bao operator raft snapshot restore -force` (the fresh cluster's keys differ; the transit key
 * is the same, so the restored data unseals). The restored data has no `raft-restore` role, so
 * the Job cannot run twice.
 */
export class OpenBaoSnapshotRestore extends Construct {
  constructor(scope: Construct, id: string, props: OpenBaoSnapshotRestoreProps) {
    super(scope, id);
    const { env, recovery, namespace } = props;
    const s3 = s3cmd(objectStoreLocation(env));
    const uri = snapshotUri(env, namespace);
    const s3args = `--host="${s3.host}" --host-bucket="${s3.hostBucket}" ${s3.flags.join(' ')}`;
    // Lexical order of the agent's names is time order; the recovery point in the same form.
    const point = recovery.mark;
    const newest = `${uri}${SNAPSHOT_FILE_PREFIX}${point.slice(0, 4)}-${point.slice(4, 6)}-${point.slice(6, 8)}-${point.slice(8, 12)}.snapshot`;
    const script = [
      'set -eu',
      'until bao status >/dev/null 2>&1; do echo "waiting for OpenBao to be unsealed"; sleep 10; done',
      `BAO_TOKEN=$(bao write -field=token auth/${OPENBAO_SETUP.kubernetesAuthMount}/login role=${OPENBAO_SETUP.restore.role} jwt="$(cat ${TOKEN_DIR}/token)")`,
      'export BAO_TOKEN',
      `snapshot=$(s3cmd ls "${uri}" ${s3args} | awk '{print $4}' | grep '/${SNAPSHOT_FILE_PREFIX}[^/]*\\.snapshot$' | sort | awk -v newest="${newest}" '$0 <= newest' | tail -n 1)`,
      `[ -n "$snapshot" ] || { echo "no OpenBao snapshot at or before ${recovery.targetTime} under ${uri}"; exit 1; }`,
      'echo "restoring $snapshot"',
      `s3cmd get "$snapshot" /work/openbao.snapshot ${s3args}`,
      'bao operator raft snapshot restore -force /work/openbao.snapshot',
    ].join('\n');

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: OPENBAO_SETUP.restore.serviceAccount, namespace }, automountServiceAccountToken: false });
    new ApiObject(this, 'Resource', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: `openbao-restore-${recovery.mark}`, namespace },
      spec: {
        backoffLimit: 3,
        template: {
          metadata: { labels: { ...SNAPSHOT_RESTORE_PODS } },
          spec: {
            serviceAccountName: OPENBAO_SETUP.restore.serviceAccount,
            restartPolicy: 'OnFailure',
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurity(),
            containers: [
              {
                name: 'restore',
                image: props.image,
                imagePullPolicy: imagePullPolicy(props.image),
                command: ['/bin/sh', '-c', script],
                env: [
                  { name: 'BAO_ADDR', value: props.address },
                  { name: 'BAO_CACERT', value: `${OPENBAO_TLS_DIR}/ca.crt` },
                  { name: 'HOME', value: S3CMD_HOME },
                ],
                securityContext: restrictedContainerSecurity(),
                resources: chartResources('50m', '64Mi', '256Mi'),
                volumeMounts: [...podMounts, { name: 'work', mountPath: '/work' }],
              },
            ],
            volumes: [...podVolumes(props.tlsSecret), { name: 'work', emptyDir: {} }],
          },
        },
      },
    });
  }
}
