import type { Environment } from '../environment/schema';

/**
 * Where backups go. On-prem, the platform runs an S3-compatible store (SeaweedFS) in-cluster;
 * on a cloud, the environment names the cloud's S3 endpoint. Either way consumers see one endpoint,
 * one bucket per environment, and credentials in a Secret they reference by name.
 */
export interface ObjectStoreLocation {
  /** S3 endpoint URL. */
  readonly endpoint: string;
  readonly region: string;
  /** Bucket holding this environment's backups. */
  readonly bucket: string;
}

/** Namespace and Service of the in-cluster S3 store (on-prem profile). */
export const IN_CLUSTER_OBJECT_STORE = { namespace: 'object-store', service: 'seaweedfs-s3', port: 8333 } as const;

/**
 * Name of the Secret, in each namespace that writes backups, holding the store's credentials under
 * the keys `ACCESS_KEY_ID` and `ACCESS_SECRET_KEY`. The platform layer delivers it (from the secret
 * store) into every namespace that needs it; constructs only reference it.
 */
export const OBJECT_STORE_CREDENTIALS = {
  secretName: 'backup-object-store',
  accessKeyIdKey: 'ACCESS_KEY_ID',
  secretAccessKeyKey: 'ACCESS_SECRET_KEY',
} as const;

export function objectStoreLocation(env: Environment): ObjectStoreLocation {
  const store = env.platform.objectStore;
  const endpoint =
    store.kind === 'external' && store.endpoint
      ? store.endpoint
      : `http://${IN_CLUSTER_OBJECT_STORE.service}.${IN_CLUSTER_OBJECT_STORE.namespace}.svc:${IN_CLUSTER_OBJECT_STORE.port}`;
  return { endpoint, region: store.region, bucket: `${store.bucketPrefix}-${env.name}-backups` };
}
