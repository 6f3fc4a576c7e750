import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { declarePolicyException } from '../baseline/policy-exception';
import {
  contentHash,
  port,
  quantity,
  resources,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  XROAD_IMAGE_UID,
} from './pod-security';
import { script } from './script-files';

/** One Secret the generator creates: random values under `keys`, or an ssh key pair (`private-key`, `public-key`). */
export type GeneratedSecretSpec =
  | { readonly kind: 'credentials'; readonly name: string; readonly keys: readonly string[] }
  | { readonly kind: 'ssh-key'; readonly name: string };

export interface GeneratedSecretsProps {
  readonly namespace: string;
  /** Base name of the Job, its ServiceAccount and Role. */
  readonly name: string;
  readonly secrets: readonly GeneratedSecretSpec[];
  /** An image with bash, curl, openssl and (for ssh keys) ssh-keygen, and a passwd entry for uid 999. */
  readonly image: string;
}

/** Labels of the generator's pod, for NetworkPolicies. */
export const SECRET_GENERATOR_POD_LABELS = { 'app.kubernetes.io/name': 'xroad-secret-generator' } as const;

/**
 * Secrets generated inside the cluster, once: a Job creates each listed Secret that does not exist
 * yet and never touches an existing one, so no value is in any output and a re-run changes nothing.
 * Its Role may create Secrets and read only the ones listed. The Job's name carries a hash of its
 * input, so a new list gives a new Job rather than an update Kubernetes would refuse.
 */
export class GeneratedSecrets extends Construct {
  constructor(scope: Construct, id: string, props: GeneratedSecretsProps) {
    super(scope, id);
    const { namespace, name } = props;
    const list = props.secrets
      .map((secret) => (secret.kind === 'credentials' ? ['credentials', secret.name, ...secret.keys] : ['ssh-key', secret.name]).join(' '))
      .join('\n');
    const generator = script('generate-secrets.sh');
    const configMapName = `${name}-input`;

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name, namespace },
      automountServiceAccountToken: false,
    });
    new k8s.KubeRole(this, 'Role', {
      metadata: { name, namespace },
      rules: [
        // Kubernetes cannot restrict `create` by name; `get` is limited to the Secrets listed.
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: props.secrets.map((s) => s.name) },
      ],
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    });
    new k8s.KubeConfigMap(this, 'Input', {
      metadata: { name: configMapName, namespace },
      data: { 'generate-secrets.sh': generator, 'secrets.list': `${list}\n` },
    });

    const job = new k8s.KubeJob(this, 'Resource', {
      metadata: { name: `${name}-${contentHash(list + generator)}`, namespace },
      spec: {
        backoffLimit: 6,
        activeDeadlineSeconds: 1800,
        template: {
          metadata: { labels: { ...SECRET_GENERATOR_POD_LABELS } },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: true,
            restartPolicy: 'Never',
            securityContext: restrictedPodSecurityContext(XROAD_IMAGE_UID),
            containers: [
              {
                name: 'generate',
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                command: ['/bin/bash', '/input/generate-secrets.sh', '/input/secrets.list'],
                env: [{ name: 'TMPDIR', value: '/tmp' }],
                securityContext: restrictedContainerSecurityContext(),
                resources: resources('50m', '64Mi', '256Mi'),
                volumeMounts: [
                  { name: 'input', mountPath: '/input', readOnly: true },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'input', configMap: { name: configMapName } },
              { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: quantity('16Mi') } },
            ],
          },
        },
      },
    });
    declarePolicyException(job, 'POD-05', 'ssh-keygen refuses to run as a uid without a passwd entry; uid 999 is the xroad user of the X-Road image this Job runs in');
    declarePolicyException(job, 'RBAC-04', 'the generator creates Secrets through the Kubernetes API, so it needs its service account token');

    new k8s.KubeNetworkPolicy(this, 'ApiServerAccess', {
      metadata: { name: `${name}-to-api-server`, namespace },
      spec: {
        podSelector: { matchLabels: { ...SECRET_GENERATOR_POD_LABELS } },
        policyTypes: ['Egress'],
        // The API server runs outside the pod network, so only an address block can name it.
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [443, 6443].map((p) => ({ protocol: 'TCP', port: port(p) })) }],
      },
    });
  }
}

