import type { Manifest } from '../../synth/manifest';
import type { PolicyCheck } from '../types';

type Json = Record<string, any>;

const barmanObjectStores = (manifests: readonly Manifest[]) =>
  manifests.filter((m) => m.kind === 'ObjectStore' && m.apiVersion.startsWith('barmancloud.cnpg.io/'));
const veleroLocations = (manifests: readonly Manifest[]) =>
  manifests.filter((m) => m.kind === 'BackupStorageLocation' && m.apiVersion.startsWith('velero.io/'));

/** Why an S3 endpoint does not leave the cluster over TLS, or undefined when it does. */
function endpointProblem(endpoint: string | undefined): string | undefined {
  if (!endpoint) return 'names no endpoint (the provider\'s default cannot be reviewed)';
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `has endpoint ${endpoint}, which is not a URL`;
  }
  if (url.protocol !== 'https:') return `writes to ${endpoint} without TLS`;
  if (/(\.svc|\.cluster\.local)$/.test(url.hostname)) return `writes to ${endpoint}, a Service of the cluster it protects`;
  return undefined;
}

/** Remote keys an ExternalSecret reads from its store. */
function remoteKeys(externalSecret: Manifest): string[] {
  const spec = (externalSecret.spec ?? {}) as Json;
  return [
    ...((spec.data ?? []) as Json[]).map((d) => d.remoteRef?.key),
    ...((spec.dataFrom ?? []) as Json[]).map((d) => d.extract?.key ?? d.find?.name?.regexp),
  ].filter((key): key is string => typeof key === 'string');
}

/**
 * Backups that survive the loss of the cluster and of one namespace: outside the sandbox every
 * backup location is off the cluster, over TLS and encrypted at rest, each namespace writes with its
 * own key, and Velero's schedules copy volumes, not only objects.
 */
export const BACKUP_CHECKS: readonly PolicyCheck[] = [
  {
    id: 'BAK-01',
    title: 'outside the sandbox every backup location is off the cluster, over TLS, with server-side encryption',
    severity: 'H',
    sources: 'GS 6.2 req-2 (off-site backups); Barman Cloud plugin ObjectStore (endpointURL, wal/data.encryption); Velero AWS plugin (s3Url, serverSideEncryption, kmsKeyId, insecureSkipTLSVerify)',
    evaluate: (context) => {
      if (context.env.stage === 'sandbox') return [];
      const stores = barmanObjectStores(context.manifests).map((store) => {
        const configuration = ((store.spec as Json | undefined)?.configuration ?? {}) as Json;
        const violations = [endpointProblem(configuration.endpointURL)].filter((v): v is string => v !== undefined);
        if (!configuration.wal?.encryption) violations.push('archives WAL without server-side encryption (wal.encryption)');
        if (!configuration.data?.encryption) violations.push('writes base backups without server-side encryption (data.encryption)');
        return { subject: context.subjectOf(store), violations };
      });
      const locations = veleroLocations(context.manifests).map((location) => {
        const config = ((location.spec as Json | undefined)?.config ?? {}) as Json;
        const violations = [endpointProblem(config.s3Url)].filter((v): v is string => v !== undefined);
        if (String(config.insecureSkipTLSVerify) === 'true') violations.push('skips verifying the store\'s certificate (insecureSkipTLSVerify)');
        if (!config.serverSideEncryption && !config.kmsKeyId) violations.push('writes without server-side encryption (serverSideEncryption or kmsKeyId)');
        return { subject: context.subjectOf(location), violations };
      });
      return [...stores, ...locations];
    },
  },
  {
    id: 'BAK-02',
    title: 'outside the sandbox each namespace writes backups with its own key, from its own ExternalSecret',
    severity: 'H',
    sources: 'least privilege: one compromised namespace must not read or delete every backup',
    evaluate: (context) => {
      if (context.env.stage === 'sandbox') return [];
      const externalSecrets = context.ofKind('ExternalSecret').filter((m) => m.apiVersion.startsWith('external-secrets.io/'));
      const clusterDelivered = new Set(
        context.ofKind('ClusterExternalSecret').map((m) => ((m.spec as Json | undefined)?.externalSecretSpec?.target?.name ?? (m.spec as Json | undefined)?.externalSecretName) as string),
      );
      // The ExternalSecrets whose Secret a backup writer reads, by namespace.
      const writers = new Map<string, { owner: Manifest; secrets: Manifest[]; problems: string[] }>();
      const producing = (namespace: string, name: string) =>
        externalSecrets.filter((s) => s.metadata.namespace === namespace && ((s.spec as Json | undefined)?.target?.name ?? s.metadata.name) === name);
      for (const store of barmanObjectStores(context.manifests)) {
        const namespace = store.metadata.namespace ?? '';
        const credentials = ((store.spec as Json | undefined)?.configuration?.s3Credentials ?? {}) as Json;
        const name = credentials.accessKeyId?.name as string | undefined;
        const problems: string[] = [];
        const secrets = name ? producing(namespace, name) : [];
        if (name && clusterDelivered.has(name)) problems.push(`reads Secret ${name}, which a ClusterExternalSecret copies into many namespaces`);
        else if (name && secrets.length === 0) problems.push(`reads Secret ${name}, which no ExternalSecret of its namespace fills from the secret store`);
        writers.set(`${store.kind}/${namespace}/${store.metadata.name}`, { owner: store, secrets, problems });
      }
      for (const location of veleroLocations(context.manifests)) {
        const namespace = location.metadata.namespace ?? '';
        writers.set(`${location.kind}/${namespace}/${location.metadata.name}`, {
          owner: location,
          secrets: externalSecrets.filter((s) => s.metadata.namespace === namespace),
          problems: [],
        });
      }
      const namespacesByKey = new Map<string, Set<string>>();
      for (const { owner, secrets } of writers.values()) {
        for (const key of secrets.flatMap(remoteKeys)) namespacesByKey.set(key, new Set([...(namespacesByKey.get(key) ?? []), owner.metadata.namespace ?? '']));
      }
      return [...writers.values()].map(({ owner, secrets, problems }) => {
        const shared = [...new Set(secrets.flatMap(remoteKeys))].flatMap((key) => {
          const others = [...(namespacesByKey.get(key) ?? [])].filter((ns) => ns !== owner.metadata.namespace);
          return others.length > 0 ? [`writes with key ${key}, which namespace(s) ${others.sort().join(', ')} use as well`] : [];
        });
        return { subject: context.subjectOf(owner), violations: [...problems, ...shared] };
      });
    },
  },
  {
    id: 'BAK-03',
    title: 'every Velero schedule backs up volume contents (file-system backup, or CSI snapshots moved to the store)',
    severity: 'H',
    sources: 'Velero: a schedule without defaultVolumesToFsBackup or snapshotVolumes copies object definitions only; snapshotMoveData takes snapshot data off the cluster',
    evaluate: (context) =>
      context
        .ofKind('Schedule')
        .filter((m) => m.apiVersion.startsWith('velero.io/'))
        .map((schedule) => {
          const template = ((schedule.spec as Json | undefined)?.template ?? {}) as Json;
          const fileSystem = template.defaultVolumesToFsBackup === true;
          const snapshots = template.snapshotVolumes === true;
          const violations: string[] = [];
          if (!fileSystem && !snapshots) violations.push('backs up no volumes (neither defaultVolumesToFsBackup nor snapshotVolumes): volume data would be lost');
          else if (!fileSystem && template.snapshotMoveData !== true) violations.push('keeps CSI snapshots on the cluster\'s own storage (no snapshotMoveData): they are lost with it');
          return { subject: context.subjectOf(schedule), violations };
        }),
  },
];
