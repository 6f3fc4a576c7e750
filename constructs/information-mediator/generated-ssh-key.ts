import { Construct } from 'constructs';
import { generateOnce } from '../data/generated-secret';

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
    generateOnce(this, {
      name: props.name,
      namespace: props.namespace,
      generator: { kind: 'SSHKey', spec: { keyType: 'ed25519', comment: props.name } },
    });
  }
}
