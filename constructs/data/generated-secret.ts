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
    generateOnce(this, {
      name: props.name,
      namespace: props.namespace,
      generator: { kind: 'Password', spec: { length: LENGTH, digits: 8, symbols: 0, noUpper: false, allowRepeat: true } },
      // Each generator reference yields a fresh value under the key "password", renamed to the wanted key.
      values: props.keys.map((key) => ({ rewrite: [{ regexp: { source: '^password$', target: key } }] })),
      neverRotate: props.neverRotate,
    });
  }
}

export interface GenerateOnceProps {
  /** Name of the Secret written, and (with `-generator`) of its generator. */
  readonly name: string;
  readonly namespace: string;
  /** An external-secrets generator (`generators.external-secrets.io/v1alpha1`) and its spec. */
  readonly generator: { readonly kind: 'Password' | 'SSHKey'; readonly spec: Record<string, unknown> };
  /** One entry per generator run, with how its keys are renamed. @default one run, keys as generated */
  readonly values?: readonly { readonly rewrite?: readonly unknown[] }[];
  /** Why the value must never change; recorded on the objects for reviewers. */
  readonly neverRotate?: string;
}

/**
 * Writes a Secret once from an external-secrets generator: an ExternalSecret with
 * `refreshPolicy: CreatedOnce`, both kept by Helm on uninstall. The kit's one way of making a secret
 * value that exists nowhere but in the cluster.
 */
export function generateOnce(scope: Construct, props: GenerateOnceProps): void {
  const annotations: Record<string, string> = { 'helm.sh/resource-policy': 'keep' };
  if (props.neverRotate) annotations['govstack.dev/never-rotate'] = props.neverRotate;
  const generator = new ApiObject(scope, 'Generator', {
    apiVersion: 'generators.external-secrets.io/v1alpha1',
    kind: props.generator.kind,
    metadata: { name: `${props.name}-generator`, namespace: props.namespace, annotations },
    spec: props.generator.spec,
  });
  const generatorRef = { apiVersion: generator.apiVersion, kind: generator.kind, name: generator.name };
  new ApiObject(scope, 'Resource', {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: props.name, namespace: props.namespace, annotations },
    spec: {
      refreshPolicy: 'CreatedOnce',
      target: { name: props.name, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      dataFrom: (props.values ?? [{}]).map((value) => ({ sourceRef: { generatorRef }, ...value })),
    },
  });
}
