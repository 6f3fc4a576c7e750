import type { Manifest } from '../../synth/manifest';
import type { PolicyCheck } from '../types';
import { isBarmanObjectStore } from '../../../constructs/data/cloudnative-pg';

type Json = Record<string, any>;

const barmanObjectStores = (manifests: readonly Manifest[]) =>
  manifests.filter(isBarmanObjectStore);
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
  {
    id: 'BAK-04',
    title: 'OpenBao, where installed, unseals without key holders in production and snapshots its Raft storage to an object store on a schedule, off the cluster outside the sandbox',
    severity: 'H',
    sources: 'OpenBao server configuration (`seal` stanza: auto-unseal; without one, Shamir keys typed by people after every restart); openbao-helm snapshotAgent (CronJob with S3_URI, S3_HOST); GS 6.2 req-2',
    evaluate: (context) =>
      openBaoConfigs(context.ofKind('ConfigMap')).map(({ config, hcl }) => {
        const namespace = config.metadata.namespace;
        const violations: string[] = [];
        if (context.env.stage === 'production' && !AUTO_UNSEAL.test(hcl)) {
          violations.push('has no auto-unseal (no seal stanza other than shamir): after any restart in production the secret store waits for key holders');
        }
        // A recovery turns the agent off (it would expire the lost cluster's snapshots while they are
        // restored from); the next synthesis of the environment turns it on again.
        if (context.env.recovery) return { subject: context.subjectOf(config), violations };
        const targets = snapshotTargets(context.ofKind('CronJob'), context.ofKind('ConfigMap'), namespace);
        if (targets.length === 0) violations.push(`has no CronJob in ${namespace} taking Raft snapshots to an object store (S3_URI): losing its volumes loses every secret`);
        else if (context.env.stage !== 'sandbox' && targets.every((target) => endpointProblem(`https://${target.host}`) !== undefined)) {
          violations.push(`snapshots only to ${targets.map((t) => t.host || '(no S3_HOST)').join(', ')}, not to a store off the cluster it protects`);
        }
        return { subject: context.subjectOf(config), violations };
      }),
  },
];

/** `seal "<type>"` with any type but shamir: OpenBao unseals itself at start. */
const AUTO_UNSEAL = /^\s*seal\s+"(?!shamir")[a-z0-9]+"/m;

/** ConfigMaps holding an OpenBao (or Vault) server configuration with integrated Raft storage. */
function openBaoConfigs(configMaps: readonly Manifest[]): { config: Manifest; hcl: string }[] {
  return configMaps.flatMap((config) => {
    const hcl = Object.values(((config as Json).data ?? {}) as Record<string, string>).join('\n');
    return /^\s*storage\s+"raft"/m.test(hcl) ? [{ config, hcl }] : [];
  });
}

/** Object stores that CronJobs of a namespace write snapshots to, from the ConfigMaps their containers read (S3_URI, S3_HOST). */
function snapshotTargets(cronJobs: readonly Manifest[], configMaps: readonly Manifest[], namespace: string | undefined): { host: string }[] {
  const inNamespace = (m: Manifest) => m.metadata.namespace === namespace;
  const settings = new Map(configMaps.filter(inNamespace).map((m) => [m.metadata.name, ((m as Json).data ?? {}) as Record<string, string>]));
  return cronJobs.filter(inNamespace).flatMap((job) => {
    const containers = ((job.spec as Json | undefined)?.jobTemplate?.spec?.template?.spec?.containers ?? []) as Json[];
    return containers.flatMap((container) =>
      ((container.envFrom ?? []) as Json[])
        .map((source) => settings.get(source.configMapRef?.name))
        .filter((data): data is Record<string, string> => Boolean(data?.S3_URI?.startsWith('s3://')))
        .map((data) => ({ host: data.S3_HOST ?? '' })),
    );
  });
}
