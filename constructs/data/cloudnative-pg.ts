/**
 * What the kit knows of CloudNativePG, in one place: the API groups of its resources, the labels and
 * ports of the instance pods the operator starts, the Services it names after a cluster, and the
 * Barman Cloud plugin's name. Constructs write these objects; synthesis, policy, review and the
 * product harness recognise them. Plain data and predicates (no cdk8s), so that every layer can read
 * it without loading the constructs.
 *
 * Facts from CloudNativePG's documentation and API (1.28, chart cloudnative-pg 0.29.0) and the
 * Barman Cloud plugin (0.13).
 */

/** The API group of Cluster, ScheduledBackup and Backup. */
export const CNPG_API_GROUP = 'postgresql.cnpg.io';
export const CNPG_API_VERSION = `${CNPG_API_GROUP}/v1`;

/** The API group of the Barman Cloud plugin's ObjectStore. */
export const BARMAN_CLOUD_API_GROUP = 'barmancloud.cnpg.io';
export const BARMAN_CLOUD_API_VERSION = `${BARMAN_CLOUD_API_GROUP}/v1`;

/** The name a Cluster and a ScheduledBackup give the Barman Cloud plugin (its own registration name). */
export const BARMAN_CLOUD_PLUGIN = 'barman-cloud.cloudnative-pg.io';

/** Ports of every instance pod: PostgreSQL, the instance manager's status endpoint, metrics. */
export const CNPG_INSTANCE_PORTS = { postgres: 5432, status: 8000, metrics: 9187 } as const;

/** The custom resources whose data CloudNativePG recovers itself (from base backups and WAL). */
export const CNPG_DATA_RESOURCES = [
  `clusters.${CNPG_API_GROUP}`,
  `scheduledbackups.${CNPG_API_GROUP}`,
  `backups.${CNPG_API_GROUP}`,
  `objectstores.${BARMAN_CLOUD_API_GROUP}`,
] as const;

interface TypedObject {
  readonly kind: string;
  readonly apiVersion: string;
}

/** Whether an object is a CloudNativePG Cluster (any version of its API). */
export function isCloudNativePgCluster(object: TypedObject): boolean {
  return object.kind === 'Cluster' && object.apiVersion.startsWith(`${CNPG_API_GROUP}/`);
}

/** Whether an object is a Barman Cloud ObjectStore. */
export function isBarmanObjectStore(object: TypedObject): boolean {
  return object.kind === 'ObjectStore' && object.apiVersion.startsWith(`${BARMAN_CLOUD_API_GROUP}/`);
}

/** The label the operator puts on every pod of a cluster (instances and jobs). */
export function cloudNativePgClusterLabels(cluster: string): Readonly<Record<string, string>> {
  return { 'cnpg.io/cluster': cluster };
}

/** The labels of a cluster's instance pods (the operator's `cnpg.io/podRole: instance`). */
export function cloudNativePgInstanceLabels(cluster: string): Readonly<Record<string, string>> {
  return { ...cloudNativePgClusterLabels(cluster), 'cnpg.io/podRole': 'instance' };
}

/** The Services the operator creates for a cluster: read-write (the primary), read-only (replicas), read (any). */
export function cloudNativePgServiceNames(cluster: string): { readonly readWrite: string; readonly readOnly: string; readonly read: string } {
  return { readWrite: `${cluster}-rw`, readOnly: `${cluster}-ro`, read: `${cluster}-r` };
}

/** The Secret the operator generates with the owner's credentials (`username`, `password`, `uri`, …). */
export function cloudNativePgAppSecretName(cluster: string): string {
  return `${cluster}-app`;
}
