import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { Environment } from '../environment/schema';
import { OBJECT_STORE_CREDENTIALS } from '../data/object-store';

/** The store of Secrets the platform itself generates or the operator provides, in `PLATFORM_SECRETS_NAMESPACE`. */
export const PLATFORM_STORE = { kind: 'ClusterSecretStore', name: 'govstack-platform' } as const;
/** Namespace holding the platform's source Secrets; nothing runs there. */
export const PLATFORM_SECRETS_NAMESPACE = 'govstack-secrets';

/** Where one namespace's key to the backup store comes from, in `PLATFORM_SECRETS_NAMESPACE`. */
export interface CredentialSource {
  readonly secret: string;
  readonly accessKeyIdProperty: string;
  readonly secretAccessKeyProperty: string;
}

/** The Secret the kit generates for the in-cluster object store (the sandbox's). */
export const GENERATED_OBJECT_STORE_CREDENTIALS = 'object-store-credentials';

/**
 * The key of one namespace: for the off-cluster target its own Secret `<credentialsSecretPrefix>-<namespace>`,
 * which the operators create with a key the store limits to that namespace's prefix, so one namespace
 * can neither read nor delete another's backups; for the sandbox's in-cluster store the generated one.
 */
export function objectStoreCredentialSource(env: Pick<Environment, 'platform'>, namespace: string): CredentialSource {
  const target = env.platform.backups.target;
  if (target) {
    return { secret: `${target.credentialsSecretPrefix}-${namespace}`, accessKeyIdProperty: 'AWS_ACCESS_KEY_ID', secretAccessKeyProperty: 'AWS_SECRET_ACCESS_KEY' };
  }
  return {
    secret: GENERATED_OBJECT_STORE_CREDENTIALS,
    accessKeyIdProperty: OBJECT_STORE_CREDENTIALS.accessKeyIdKey,
    secretAccessKeyProperty: OBJECT_STORE_CREDENTIALS.secretAccessKeyKey,
  };
}

export interface ObjectStoreSecretProps {
  readonly env: Pick<Environment, 'platform'>;
  readonly namespace: string;
  /** Name of the Secret created in `namespace`. */
  readonly name: string;
  /**
   * Templates of the Secret's keys, reading `{{ .ACCESS_KEY_ID }}` and `{{ .ACCESS_SECRET_KEY }}`.
   * @default the two keys as they are
   */
  readonly template?: Readonly<Record<string, string>>;
}

/**
 * One namespace's key to the backup store, in that namespace, shaped as its consumer reads it
 * (Barman Cloud's keys, Velero's credentials file, SeaweedFS's identities), kept in sync by
 * external-secrets from the secret store: the values never appear in the output.
 */
export class ObjectStoreSecret extends Construct {
  constructor(scope: Construct, id: string, props: ObjectStoreSecretProps) {
    super(scope, id);
    const source = objectStoreCredentialSource(props.env, props.namespace);
    new ApiObject(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        secretStoreRef: { ...PLATFORM_STORE },
        refreshInterval: '1h',
        target: {
          name: props.name,
          ...(props.template ? { template: { engineVersion: 'v2', data: { ...props.template } } } : {}),
        },
        data: [
          { secretKey: OBJECT_STORE_CREDENTIALS.accessKeyIdKey, remoteRef: { key: source.secret, property: source.accessKeyIdProperty } },
          { secretKey: OBJECT_STORE_CREDENTIALS.secretAccessKeyKey, remoteRef: { key: source.secret, property: source.secretAccessKeyProperty } },
        ],
      },
    });
  }
}
