import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

export interface GeneratedSecretProps {
  /** Name of the Secret the keys end up in. */
  readonly name: string;
  readonly namespace: string;
  /** One random value per key. */
  readonly keys: readonly string[];
  /**
   * Why the value must never change (it encrypts data): recorded on the objects for reviewers.
   * @default the value may be rotated by deleting the Secret and its ExternalSecret
   */
  readonly neverRotate?: string;
}

/** Length of every generated value: letters and digits only, so values survive URLs, JDBC strings and shells. */
const LENGTH = 32;

/**
 * A Secret of random values generated in the cluster, so no value ever exists in the repository,
 * the manifests or Terraform state: external-secrets' `Password` generator produces one value per key,
 * and an ExternalSecret with `refreshPolicy: CreatedOnce` writes them once and never again. Both are
 * kept by Helm on uninstall, so removing a release cannot destroy a key that encrypts data.
 * Needs the external-secrets controller (installed by the platform layer in every profile); the
 * generator needs no secret store.
 */
export class GeneratedSecret extends Construct {
  readonly secretName: string;

  constructor(scope: Construct, id: string, props: GeneratedSecretProps) {
    super(scope, id);
    if (props.keys.length === 0) throw new Error(`generated secret ${props.name} needs at least one key`);
    this.secretName = props.name;
    const annotations: Record<string, string> = { 'helm.sh/resource-policy': 'keep' };
    if (props.neverRotate) annotations['govstack.dev/never-rotate'] = props.neverRotate;

    const generator = new ApiObject(this, 'Generator', {
      apiVersion: 'generators.external-secrets.io/v1alpha1',
      kind: 'Password',
      metadata: { name: `${props.name}-generator`, namespace: props.namespace, annotations },
      spec: { length: LENGTH, digits: 8, symbols: 0, noUpper: false, allowRepeat: true },
    });

    new ApiObject(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: props.name, namespace: props.namespace, annotations },
      spec: {
        refreshPolicy: 'CreatedOnce',
        target: { name: props.name, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
        // Each generator reference yields a fresh value under the key "password", renamed to the wanted key.
        dataFrom: props.keys.map((key) => ({
          sourceRef: { generatorRef: { apiVersion: generator.apiVersion, kind: generator.kind, name: generator.name } },
          rewrite: [{ regexp: { source: '^password$', target: key } }],
        })),
      },
    });
  }
}
