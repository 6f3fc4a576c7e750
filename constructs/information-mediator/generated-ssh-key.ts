import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

export interface GeneratedSshKeyProps {
  /** Name of the Secret; it holds `privateKey` and `publicKey`. */
  readonly name: string;
  readonly namespace: string;
}

/**
 * An ssh key pair generated in the cluster, once, by external-secrets' `SSHKey` generator (ed25519)
 * and an ExternalSecret with `refreshPolicy: CreatedOnce`, like the kit's `GeneratedSecret` for
 * passwords. Kept by Helm on uninstall: a primary and its secondaries must keep agreeing on it.
 */
export class GeneratedSshKey extends Construct {
  readonly secretName: string;

  constructor(scope: Construct, id: string, props: GeneratedSshKeyProps) {
    super(scope, id);
    this.secretName = props.name;
    const annotations = { 'helm.sh/resource-policy': 'keep' };
    const generator = new ApiObject(this, 'Generator', {
      apiVersion: 'generators.external-secrets.io/v1alpha1',
      kind: 'SSHKey',
      metadata: { name: `${props.name}-generator`, namespace: props.namespace, annotations },
      spec: { keyType: 'ed25519', comment: props.name },
    });
    new ApiObject(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: props.name, namespace: props.namespace, annotations },
      spec: {
        refreshPolicy: 'CreatedOnce',
        target: { name: props.name, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
        dataFrom: [{ sourceRef: { generatorRef: { apiVersion: generator.apiVersion, kind: generator.kind, name: generator.name } } }],
      },
    });
  }
}
