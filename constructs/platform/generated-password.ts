import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

export interface GeneratedPasswordProps {
  readonly namespace: string;
  /** Name of the Secret created. */
  readonly name: string;
  /** The Secret's key holding the password. */
  readonly key: string;
  /**
   * Further keys with fixed, non-secret values (e.g. a user name).
   * @default none
   */
  readonly fixed?: Readonly<Record<string, string>>;
  /** @default 32 */
  readonly length?: number;
}

/**
 * A password generated once in the cluster by external-secrets' Password generator: it never
 * appears in the manifests or Terraform, and does not change on refresh.
 */
export class GeneratedPassword extends Construct {
  constructor(scope: Construct, id: string, props: GeneratedPasswordProps) {
    super(scope, id);
    const generator = passwordGenerator(this, 'Generator', props.namespace, props.name, props.length ?? 32);
    new ApiObject(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        refreshPolicy: 'CreatedOnce',
        target: {
          name: props.name,
          creationPolicy: 'Orphan',
          template: { engineVersion: 'v2', data: { ...props.fixed, [props.key]: '{{ .password }}' } },
        },
        dataFrom: [{ sourceRef: { generatorRef: { apiVersion: generator.apiVersion, kind: generator.kind, name: generator.name } } }],
      },
    });
  }
}

/** An external-secrets Password generator: letters and digits only, so values survive any config format. */
export function passwordGenerator(scope: Construct, id: string, namespace: string, name: string, length: number): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: 'generators.external-secrets.io/v1alpha1',
    kind: 'Password',
    metadata: { name, namespace },
    spec: { length, digits: Math.floor(length / 4), symbols: 0, noUpper: false, allowRepeat: true },
  });
}
