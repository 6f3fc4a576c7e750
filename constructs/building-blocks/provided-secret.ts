import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ProvidedSecret } from '../catalogue/types';
import { SECRET_STORE } from '../platform/contract';

export interface ProvidedSecretCopyProps {
  /** Name of the Secret written in the namespace. */
  readonly name: string;
  readonly namespace: string;
  readonly secret: ProvidedSecret;
}

/**
 * A secret the country provides, copied from the kit's secret store (`govstack-secrets`: OpenBao, or
 * the in-cluster store) into the building block's namespace by an ExternalSecret. Naming the store
 * is what lets this namespace read it: the store serves exactly the namespaces whose ExternalSecrets
 * name it. The value changes when the operator changes it in the store (hourly refresh).
 */
export class ProvidedSecretCopy extends Construct {
  constructor(scope: Construct, id: string, props: ProvidedSecretCopyProps) {
    super(scope, id);
    const { secret } = props;
    if (secret.keys.length === 0) throw new Error(`provided secret ${props.name} needs at least one key`);
    new ApiObject(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: props.name, namespace: props.namespace, annotations: { 'govstack.dev/provided-by-operator': secret.provision } },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: SECRET_STORE.kind, name: SECRET_STORE.name },
        target: { name: props.name, creationPolicy: 'Owner' },
        // Every property of the store's entry, which the operator makes for this purpose alone (`keys` names what the product reads).
        dataFrom: [{ extract: { key: secret.remoteKey } }],
      },
    });
  }
}
