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
  /**
   * The password policy the product checks each value against (shown to reviewers): each value then
   * holds lowercase and uppercase letters, digits and symbols of `POLICY_SYMBOLS`, whatever the
   * generator draws.
   * @default letters and digits only
   */
  readonly passwordPolicy?: string;
}

/** Length of every generated value: letters and digits only, so values survive URLs, JDBC strings and shells. */
const LENGTH = 32;

/**
 * Symbols of values that must pass a password policy: punctuation that means nothing in the
 * configuration formats such values pass through (no `$`, braces or backslash, which Spring reads as
 * placeholders or escapes; no quotes, spaces, `:` or `&`, which YAML, shells and URLs read).
 */
export const POLICY_SYMBOLS = '-_.~!#%*+=@^';

/**
 * One value that passes a password policy, from two generator runs: each of lowercase letters,
 * digits and symbols (the generator draws each class in the count its spec gives), the second
 * upper-cased. The external-secrets generator alone guarantees neither case.
 */
const POLICY_HALF = { length: LENGTH / 2, digits: 4, symbols: 2, symbolCharacters: POLICY_SYMBOLS, noUpper: true, allowRepeat: true };

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
    if (props.passwordPolicy) {
      const part = (key: string, half: 'lower' | 'upper') => `${key}-${half}`;
      generateOnce(this, {
        name: props.name,
        namespace: props.namespace,
        generator: { kind: 'Password', spec: POLICY_HALF },
        values: props.keys.flatMap((key) =>
          (['lower', 'upper'] as const).map((half) => ({ rewrite: [{ regexp: { source: '^password$', target: part(key, half) } }] })),
        ),
        template: Object.fromEntries(
          props.keys.map((key) => [key, `{{ index . "${part(key, 'lower')}" }}{{ index . "${part(key, 'upper')}" | upper }}`]),
        ),
        neverRotate: props.neverRotate,
        passwordPolicy: props.passwordPolicy,
      });
      return;
    }
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
  readonly values?: readonly {
    /** @default the run's keys are not renamed */
    readonly rewrite?: readonly unknown[];
  }[];
  /**
   * Why the value must never change; recorded on the objects for reviewers.
   * @default no never-rotate annotation: the value may be rotated
   */
  readonly neverRotate?: string;
  /**
   * The Secret's keys as Go templates (external-secrets engine v2) over the generated keys.
   * @default the generated keys, as they are
   */
  readonly template?: Readonly<Record<string, string>>;
  /**
   * The password policy the values are made for; recorded on the objects for reviewers.
   * @default no password-policy annotation
   */
  readonly passwordPolicy?: string;
}

/**
 * Writes a Secret once from an external-secrets generator: an ExternalSecret with
 * `refreshPolicy: CreatedOnce`, both kept by Helm on uninstall. The kit's one way of making a secret
 * value that exists nowhere but in the cluster.
 */
export function generateOnce(scope: Construct, props: GenerateOnceProps): void {
  const annotations: Record<string, string> = { 'helm.sh/resource-policy': 'keep' };
  if (props.neverRotate) annotations['govstack.dev/never-rotate'] = props.neverRotate;
  if (props.passwordPolicy) annotations['govstack.dev/password-policy'] = props.passwordPolicy;
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
      target: {
        name: props.name,
        creationPolicy: 'Owner',
        deletionPolicy: 'Retain',
        ...(props.template ? { template: { engineVersion: 'v2', data: props.template } } : {}),
      },
      dataFrom: (props.values ?? [{}]).map((value) => ({ sourceRef: { generatorRef }, ...value })),
    },
  });
}
