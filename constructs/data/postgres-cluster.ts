import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { KitChart } from '../../charts/kit-chart';
import { AllowTraffic, apiServer, pods, podsIn, type TrafficRule } from '../baseline/allow-traffic';
import type { SecureNamespace } from '../baseline/secure-namespace';
import type { Environment } from '../environment/schema';
import { resolveImage } from '../images';
import type { PinConfirmation } from '../pins';
import { BACKUP_CREDENTIALS_LABEL, MONITORING, POSTGRES_OPERATOR, POSTGRES_OPERATOR_RELEASES } from '../platform/contract';
import { ObjectStoreSecret } from '../platform/platform-secret';
import {
  BARMAN_CLOUD_API_VERSION,
  BARMAN_CLOUD_PLUGIN,
  CNPG_API_VERSION,
  CNPG_INSTANCE_PORTS,
  cloudNativePgAppSecretName,
  cloudNativePgClusterLabels,
  cloudNativePgServiceNames,
} from './cloudnative-pg';
import { backupPrefixOf, IN_CLUSTER_OBJECT_STORE, OBJECT_STORE_CREDENTIALS, objectStoreLocation, objectStorePort } from './object-store';
import { resilience } from '../environment/resilience';

/** PostgreSQL images of CloudNativePG's `minimal` flavour: no in-core barman (backups go through the plugin). */
export const POSTGRES_IMAGES = {
  '16': 'ghcr.io/cloudnative-pg/postgresql:16.15-minimal-trixie',
  /**
   * FerretDB's PostgreSQL 17 with the DocumentDB extension 0.107.0, built for FerretDB 2.7.0 (the tag
   * FerretDB's own docs and build/deps/postgres-documentdb.Dockerfile name at v2.7.0).
   */
  '17-documentdb': 'ghcr.io/ferretdb/postgres-documentdb:17-0.107.0-ferretdb-2.7.0',
} as const;

/**
 * How CloudNativePG runs the DocumentDB image, as FerretDB documents it for CloudNativePG (blog
 * "How to deploy FerretDB with CloudNativePG on Kubernetes", 2025-04-11): the image's postgres user
 * is 999, the extension's background jobs run through pg_cron in the database that holds the
 * documents, and the libraries are preloaded.
 */
const DOCUMENTDB = { uid: 999, preload: ['pg_cron', 'pg_documentdb_core', 'pg_documentdb'] } as const;

/** What the owner needs to use DocumentDB: the extension (created by the superuser) and its admin role, which is NOSUPERUSER. */
export function documentdbInitSql(owner: string): string {
  return ['CREATE EXTENSION IF NOT EXISTS documentdb CASCADE;', `GRANT documentdb_admin_role TO "${owner}";`].join('\n');
}

/** Where each image's PostgreSQL release can be confirmed (`npm run pins`). */
export const POSTGRES_IMAGE_CONFIRMATIONS: Readonly<Record<keyof typeof POSTGRES_IMAGES, PinConfirmation>> = {
  '16': {
    unavailable: 'PostgreSQL (C) is on no package registry this kit reaches: CloudNativePG builds the image from the PostgreSQL project\'s own Debian packages (16.15 for trixie), not Debian\'s',
  },
  // The tag names the FerretDB release it is built for; FerretDB publishes that release as a Go module.
  '17-documentdb': { goModule: 'github.com/FerretDB/FerretDB/v2', version: 'v2.7.0' },
};

/** The name a recovering cluster gives the archive it recovers from. */
const RECOVERY_SOURCE = 'origin';

/** Objects Velero's backups skip (Velero's own label). */
export const VELERO_EXCLUDED: Readonly<Record<string, string>> = { 'velero.io/exclude-from-backup': 'true' };

export interface PostgresClusterProps {
  readonly env: Pick<Environment, 'cluster' | 'ha' | 'name' | 'platform' | 'recovery' | 'registry' | 'stage'>;
  /** Cluster name; the operator derives `<name>-rw` (Service) and `<name>-app` (credentials) from it. */
  readonly name: string;
  /** The cluster's namespace, which it labels as writing backups when it is backed up. */
  readonly namespace: SecureNamespace;
  readonly database: string;
  readonly owner: string;
  /** e.g. `10Gi`. */
  readonly storageSize: string;
  /** @default '16' */
  readonly postgresVersion?: keyof typeof POSTGRES_IMAGES;
  /**
   * Run PostgreSQL with the DocumentDB extension (FerretDB's image, PostgreSQL 17), the extension
   * created in the database and its admin role granted to the owner before `initSql`.
   * @default false
   */
  readonly documentdb?: boolean;
  /**
   * Generate a superuser Secret (`<name>-superuser`); only for products that create their own
   * databases and roles (X-Road's security server does).
   * @default false
   */
  readonly superuserAccess?: boolean;
  readonly resources: { readonly cpu: string; readonly memory: string };
  /**
   * SQL run once by the operator, as the superuser inside the new database, right after it is
   * created (schemas, seed rows). Never a secret.
   * @default none
   */
  readonly initSql?: string;
  /**
   * Pods (in the cluster's namespace) allowed to connect on 5432.
   * @default every pod of the namespace
   */
  readonly clientPodLabels?: Readonly<Record<string, string>>;
  /**
   * Whether any client may connect; false for the database of a retired building block, which keeps
   * its data with no pod left to use it (the operator, the instances and Prometheus still reach it).
   * @default true
   */
  readonly acceptsClients?: boolean;
}

/**
 * A PostgreSQL cluster private to one building block, run by the CloudNativePG operator.
 * Instances follow the HA level (1 with `single`, 3 otherwise; see `resilience`), storage uses the
 * environment's data class (reclaim policy Retain), and outside the sandbox every cluster archives
 * WAL continuously and takes a daily base backup to the environment's object store through the
 * Barman Cloud plugin. Credentials are generated by the operator and referenced by name.
 */
export class PostgresCluster extends Construct {
  /** Host of the read-write Service. */
  readonly host: string;
  readonly port = CNPG_INSTANCE_PORTS.postgres;
  /** Secret with `username`, `password`, `dbname`, `host`, `port`, `uri`, `jdbc-uri` (operator-generated). */
  readonly appSecretName: string;
  readonly superuserSecretName?: string;
  /** Labels of the instance pods, for NetworkPolicies. */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly instances: number;
  readonly backedUp: boolean;

  constructor(scope: Construct, id: string, props: PostgresClusterProps) {
    super(scope, id);
    const { env } = props;
    const namespace = props.namespace.name;
    this.instances = resilience(env).databaseInstances;
    this.backedUp = resilience(env).databaseBackups;
    this.host = `${cloudNativePgServiceNames(props.name).readWrite}.${namespace}.svc`;
    this.appSecretName = cloudNativePgAppSecretName(props.name);
    this.superuserSecretName = props.superuserAccess ? `${props.name}-superuser` : undefined;
    this.podLabels = cloudNativePgClusterLabels(props.name);
    const objectStoreName = `${props.name}-backups`;
    // Only a backed-up cluster has an archive to recover from (the restore command refuses the rest).
    const recovery = this.backedUp ? env.recovery : undefined;
    // A recovered cluster archives its new timeline beside the one it came from, never into it
    // (barman refuses to archive into a server folder that already holds WAL).
    const archiveServer = recovery ? { serverName: `${props.name}-${recovery.mark}` } : {};
    if (props.documentdb && props.postgresVersion) throw new Error(`PostgreSQL cluster ${props.name}: documentdb chooses its own image; leave out postgresVersion ${props.postgresVersion}`);
    const initSql = [props.documentdb ? documentdbInitSql(props.owner) : undefined, props.initSql].filter((sql) => sql !== undefined).join('\n');
    const initSqlMap = initSql ? `${props.name}-init-sql` : undefined;
    if (initSqlMap) {
      new k8s.KubeConfigMap(this, 'InitSql', {
        metadata: { name: initSqlMap, namespace },
        data: { 'init.sql': `${initSql}\n` },
      });
    }
    const image = POSTGRES_IMAGES[props.documentdb ? '17-documentdb' : (props.postgresVersion ?? '16')];

    new ApiObject(this, 'Resource', {
      apiVersion: CNPG_API_VERSION,
      kind: 'Cluster',
      metadata: { name: props.name, namespace },
      spec: {
        instances: this.instances,
        imageName: resolveImage(env, image),
        ...(props.documentdb
          ? {
              postgresUID: DOCUMENTDB.uid,
              postgresGID: DOCUMENTDB.uid,
              postgresql: { shared_preload_libraries: [...DOCUMENTDB.preload], parameters: { 'cron.database_name': props.database } },
            }
          : {}),
        enableSuperuserAccess: props.superuserAccess ?? false,
        // A PDB over a single instance would block every node drain; with three it keeps a quorum.
        enablePDB: this.instances > 1,
        bootstrap: recovery
          ? {
              // A clean cluster: the database comes back from its base backup and WAL, to the point asked.
              recovery: {
                source: RECOVERY_SOURCE,
                database: props.database,
                owner: props.owner,
                recoveryTarget: { targetTime: recovery.targetTime },
              },
            }
          : {
              initdb: {
                database: props.database,
                owner: props.owner,
                ...(initSqlMap ? { postInitApplicationSQLRefs: { configMapRefs: [{ name: initSqlMap, key: 'init.sql' }] } } : {}),
              },
            },
        ...(recovery
          ? { externalClusters: [{ name: RECOVERY_SOURCE, plugin: { name: BARMAN_CLOUD_PLUGIN, parameters: { barmanObjectName: objectStoreName, serverName: props.name } } }] }
          : {}),
        storage: { size: props.storageSize, storageClass: env.cluster.storageClasses.data },
        resources: {
          requests: { cpu: props.resources.cpu, memory: props.resources.memory, 'ephemeral-storage': '1Gi' },
          limits: { memory: props.resources.memory, 'ephemeral-storage': '2Gi' },
        },
        affinity: {
          enablePodAntiAffinity: true,
          // Production loses at most one instance with a node: replicas must not share one.
          podAntiAffinityType: resilience(env).spreadIsRequired ? 'required' : 'preferred',
          topologyKey: resilience(env).spreadKey,
        },
        ...(this.backedUp
          ? {
              plugins: [{ name: BARMAN_CLOUD_PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: objectStoreName, ...archiveServer } }],
              // Velero leaves the instances' pods and volumes alone: a copy of a running database's
              // files is not a backup, and the WAL archive above is.
              inheritedMetadata: { labels: { ...VELERO_EXCLUDED } },
            }
          : {}),
      },
    });

    if (this.backedUp) {
      const location = objectStoreLocation(env);
      // Each cluster fills its own copy of its namespace's key: two clusters of one namespace may live in different charts.
      const credentialsSecret = `${props.name}-backup-store`;
      const credential = (key: string) => ({ name: credentialsSecret, key });
      // The store encrypts what it is given; with a key of its key service, barman names that key.
      const kmsKey = location.kmsKeyId ? [`--sse-kms-key-id=${location.kmsKeyId}`] : undefined;
      new ApiObject(this, 'ObjectStore', {
        apiVersion: BARMAN_CLOUD_API_VERSION,
        kind: 'ObjectStore',
        metadata: { name: objectStoreName, namespace },
        spec: {
          retentionPolicy: `${env.platform.backups.retentionDays}d`,
          configuration: {
            destinationPath: `s3://${location.bucket}/${backupPrefixOf(namespace)}postgres/`,
            endpointURL: location.endpoint,
            s3Credentials: {
              accessKeyId: credential(OBJECT_STORE_CREDENTIALS.accessKeyIdKey),
              secretAccessKey: credential(OBJECT_STORE_CREDENTIALS.secretAccessKeyKey),
              region: credential(OBJECT_STORE_CREDENTIALS.regionKey),
            },
            wal: {
              compression: 'gzip',
              ...(location.serverSideEncryption ? { encryption: location.serverSideEncryption } : {}),
              ...(kmsKey ? { archiveAdditionalCommandArgs: kmsKey } : {}),
            },
            data: {
              compression: 'gzip',
              ...(location.serverSideEncryption ? { encryption: location.serverSideEncryption } : {}),
              ...(kmsKey ? { additionalCommandArgs: kmsKey } : {}),
            },
          },
          instanceSidecarConfiguration: {
            resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
          },
        },
      });
      new ObjectStoreSecret(this, 'BackupCredentials', {
        env,
        namespace,
        name: credentialsSecret,
        template: {
          [OBJECT_STORE_CREDENTIALS.accessKeyIdKey]: `{{ .${OBJECT_STORE_CREDENTIALS.accessKeyIdKey} }}`,
          [OBJECT_STORE_CREDENTIALS.secretAccessKeyKey]: `{{ .${OBJECT_STORE_CREDENTIALS.secretAccessKeyKey} }}`,
          [OBJECT_STORE_CREDENTIALS.regionKey]: location.region,
        },
      });
      new ApiObject(this, 'ScheduledBackup', {
        apiVersion: CNPG_API_VERSION,
        kind: 'ScheduledBackup',
        metadata: { name: `${props.name}-daily`, namespace },
        spec: {
          // Six fields: CloudNativePG's cron has seconds.
          schedule: '0 30 1 * * *',
          backupOwnerReference: 'self',
          cluster: { name: props.name },
          method: 'plugin',
          pluginConfiguration: { name: BARMAN_CLOUD_PLUGIN },
        },
      });
    }
    this.addNetworkPolicy(props, env);
    // The operator's CRDs must exist before this chart installs; backups need the credentials delivered here.
    KitChart.of(this).require(...POSTGRES_OPERATOR_RELEASES);
    if (this.backedUp) {
      // The label marks the namespaces that write backups (the in-cluster store admits only them).
      props.namespace.addLabels(BACKUP_CREDENTIALS_LABEL);
    }
  }

  /**
   * The instance pods live in a default-deny namespace: the operator reaches them on 5432 and the
   * status port, instances replicate to each other, the named clients connect, Prometheus scrapes.
   * Out: other instances, the Kubernetes API (the instance manager is a controller), and the backup store.
   */
  private addNetworkPolicy(props: PostgresClusterProps, env: Pick<Environment, 'name' | 'platform'>): void {
    const { postgres, status, metrics } = CNPG_INSTANCE_PORTS;
    const instances = pods(this.podLabels);
    const clients: TrafficRule[] =
      props.acceptsClients === false ? [] : [{ peers: [pods(props.clientPodLabels ?? {})], ports: [postgres] }];
    new AllowTraffic(this, 'Traffic', {
      name: `${props.name}-postgres`,
      namespace: props.namespace.name,
      pods: this.podLabels,
      ingress: [
        { peers: [podsIn(POSTGRES_OPERATOR.namespace, POSTGRES_OPERATOR.podLabels), instances], ports: [postgres, status] },
        ...clients,
        { peers: [podsIn(MONITORING.namespace, MONITORING.prometheusPodLabels)], ports: [metrics] },
      ],
      egress: [
        { peers: [instances], ports: [postgres, status] },
        // The instance manager is a controller: it talks to the Kubernetes API, at the addresses the environment names.
        apiServer(env),
        ...(this.backedUp ? [objectStoreEgress(env)] : []),
      ],
    });
  }
}

/** Egress to the backup store: the in-cluster S3 Service, or the off-cluster target's addresses on its port. */
function objectStoreEgress(env: Pick<Environment, 'name' | 'platform'>): TrafficRule {
  const target = env.platform.backups.target;
  if (!target) return { peers: [podsIn(IN_CLUSTER_OBJECT_STORE.namespace)], ports: [IN_CLUSTER_OBJECT_STORE.port] };
  return { peers: target.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [objectStorePort(objectStoreLocation(env))] };
}
