import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IN_CLUSTER_OBJECT_STORE, OBJECT_STORE_CREDENTIALS, usesInClusterObjectStore } from '../data/object-store';
import type { Environment } from '../environment/schema';
import { passwordGenerator } from './generated-password';
import { LOKI, LOKI_OBJECT_STORE_SECRET, lokiOnObjectStore } from './logging';
import { GENERATED_OBJECT_STORE_CREDENTIALS, ObjectStoreSecret, PLATFORM_SECRETS_NAMESPACE } from './platform-secret';

/** Secret in Velero's namespace holding its credentials file. */
export const VELERO_CREDENTIALS_SECRET = 'velero-object-store';
/** Secret in the object store's namespace holding SeaweedFS's S3 identities. */
export const SEAWEEDFS_S3_CONFIG_SECRET = 'seaweedfs-s3-config';
export const VELERO_NAMESPACE = 'velero';

export interface BackupCredentialsProps {
  readonly env: Pick<Environment, 'ha' | 'platform' | 'stage'>;
}

/**
 * The platform's keys to the backup store: Velero's (its credentials file, from its own Secret of
 * the secret store, like every namespace that writes backups), Loki's where it keeps logs there, and, for the sandbox's in-cluster
 * store, the key generated once in the cluster with SeaweedFS's identities built from it. They live
 * apart from the releases that read them, so a release waiting for its pods never waits for a chart
 * that waits for it.
 */
export class BackupCredentials extends Construct {
  constructor(scope: Construct, id: string, props: BackupCredentialsProps) {
    super(scope, id);
    const { env } = props;
    const inCluster = usesInClusterObjectStore(env);
    if (inCluster) this.generate();
    new ObjectStoreSecret(this, 'Velero', {
      env,
      namespace: VELERO_NAMESPACE,
      name: VELERO_CREDENTIALS_SECRET,
      // The AWS plugin reads a credentials file under the key "cloud".
      template: { cloud: '[default]\naws_access_key_id={{ .ACCESS_KEY_ID }}\naws_secret_access_key={{ .ACCESS_SECRET_KEY }}\n' },
    });
    if (env.platform.observability.enabled && lokiOnObjectStore(env)) {
      new ObjectStoreSecret(this, 'Loki', { env, namespace: LOKI.namespace, name: LOKI_OBJECT_STORE_SECRET });
    }
    if (inCluster) {
      const identities = {
        identities: [
          {
            name: 'govstack-backups',
            credentials: [{ accessKey: '{{ .ACCESS_KEY_ID }}', secretKey: '{{ .ACCESS_SECRET_KEY }}' }],
            actions: ['Admin', 'Read', 'Write', 'List', 'Tagging'],
          },
        ],
      };
      new ObjectStoreSecret(this, 'SeaweedFs', {
        env,
        namespace: IN_CLUSTER_OBJECT_STORE.namespace,
        name: SEAWEEDFS_S3_CONFIG_SECRET,
        template: { seaweedfs_s3_config: JSON.stringify(identities) },
      });
    }
  }

  /** Access key and secret key generated once: a new value on every refresh would lock every backup writer out. */
  private generate(): void {
    const accessKey = passwordGenerator(this, 'AccessKey', PLATFORM_SECRETS_NAMESPACE, 'object-store-access-key', 20);
    const secretKey = passwordGenerator(this, 'SecretKey', PLATFORM_SECRETS_NAMESPACE, 'object-store-secret-key', 40);
    const fromGenerator = (password: ApiObject, key: string) => ({
      sourceRef: { generatorRef: { apiVersion: password.apiVersion, kind: password.kind, name: password.name } },
      rewrite: [{ regexp: { source: 'password', target: key } }],
    });
    new ApiObject(this, 'Generated', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: GENERATED_OBJECT_STORE_CREDENTIALS, namespace: PLATFORM_SECRETS_NAMESPACE },
      spec: {
        refreshPolicy: 'CreatedOnce',
        target: { name: GENERATED_OBJECT_STORE_CREDENTIALS, creationPolicy: 'Orphan' },
        dataFrom: [fromGenerator(accessKey, OBJECT_STORE_CREDENTIALS.accessKeyIdKey), fromGenerator(secretKey, OBJECT_STORE_CREDENTIALS.secretAccessKeyKey)],
      },
    });
  }
}
