import type { Environment } from '../environment/schema';

/**
 * Where backups go. Outside the sandbox they leave the cluster for the environment's
 * `platform.backups.target` (another site's S3-compatible store or the cloud's), over TLS and
 * encrypted at rest by that store; a sandbox without a target keeps them in the in-cluster
 * SeaweedFS, which is lost with the cluster. Consumers see one endpoint and one bucket per
 * environment, each namespace its own prefix of it (`<namespace>/`) and its own key in a Secret it
 * references by name.
 */
export interface ObjectStoreLocation {
  /** S3 endpoint URL. */
  readonly endpoint: string;
  readonly region: string;
  /** Bucket holding this environment's backups. */
  readonly bucket: string;
  readonly usePathStyle: boolean;
  /** True for the environment's off-cluster target, false for the in-cluster store. */
  readonly offCluster: boolean;
  /** Encryption at rest the store applies to every object (off-cluster only). */
  readonly serverSideEncryption?: 'AES256' | 'aws:kms';
  readonly kmsKeyId?: string;
}

/** Namespace and Service of the in-cluster S3 store (the sandbox's). */
export const IN_CLUSTER_OBJECT_STORE = { namespace: 'object-store', service: 'seaweedfs-s3', port: 8333 } as const;

/**
 * Keys of the Secrets, in each namespace that writes backups, holding that namespace's own key to the
 * store (and the bucket's region under `REGION`). An ExternalSecret of that namespace fills each from
 * the secret store; constructs only reference it.
 */
export const OBJECT_STORE_CREDENTIALS = {
  accessKeyIdKey: 'ACCESS_KEY_ID',
  secretAccessKeyKey: 'ACCESS_SECRET_KEY',
  regionKey: 'REGION',
} as const;

/** Whether the environment runs the in-cluster store: backups on and no off-cluster target (the sandbox). */
export function usesInClusterObjectStore(env: Pick<Environment, 'platform'>): boolean {
  return env.platform.backups.enabled && !env.platform.backups.target;
}

export function objectStoreLocation(env: Pick<Environment, 'name' | 'platform'>): ObjectStoreLocation {
  const target = env.platform.backups.target;
  if (target) {
    return {
      endpoint: target.endpoint,
      region: target.region,
      bucket: target.bucket,
      usePathStyle: target.usePathStyle,
      offCluster: true,
      serverSideEncryption: target.serverSideEncryption,
      ...(target.kmsKeyId ? { kmsKeyId: target.kmsKeyId } : {}),
    };
  }
  const store = env.platform.objectStore;
  return {
    endpoint: `http://${IN_CLUSTER_OBJECT_STORE.service}.${IN_CLUSTER_OBJECT_STORE.namespace}.svc:${IN_CLUSTER_OBJECT_STORE.port}`,
    region: store.region,
    bucket: `${store.bucketPrefix}-${env.name}-backups`,
    usePathStyle: true,
    offCluster: false,
  };
}

/**
 * The prefix of the bucket a namespace writes its backups under, and the only one its key may
 * reach: `<namespace>/`. Velero's namespace (`velero`) writes under `velero/`.
 */
export function backupPrefixOf(namespace: string): string {
  return `${namespace}/`;
}

/** Port the store's endpoint listens on, for NetworkPolicies. */
export function objectStorePort(location: ObjectStoreLocation): number {
  const url = new URL(location.endpoint);
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}
