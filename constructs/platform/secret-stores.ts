import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import type { Environment } from '../environment/schema';
import { repositoryImageValues } from '../images';
import { AllowTraffic, apiServer, podsIn } from '../baseline/allow-traffic';
import { PLATFORM_RELEASES, SECRET_STORE } from './contract';
import { OPENBAO, openBaoAddress } from './openbao';
import { PINNED_CHARTS } from './pinned-charts';
import { PLATFORM_SECRETS_NAMESPACE, PLATFORM_STORE } from './platform-secret';
import { PlatformRelease } from './platform-release';
import { controllerReplicas, disruptionBudget, resources } from './workload-defaults';

export const EXTERNAL_SECRETS_NAMESPACE = 'external-secrets';
const podsOf = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': PLATFORM_RELEASES.externalSecrets });
export const EXTERNAL_SECRETS_CONTROLLER = podsOf('external-secrets');
const WEBHOOK = podsOf('external-secrets-webhook');
const READER = 'secret-reader';

export interface SecretStoresProps {
  readonly env: Environment;
}

/**
 * external-secrets and the stores every Secret of the kit comes from: `govstack-secrets` (the
 * contract's store: OpenBao, or in-cluster Secrets) and `govstack-platform` (Secrets the platform
 * generates or the operator provides in `govstack-secrets`). No value passes through Terraform or manifests.
 */
export class SecretStores extends Construct {
  constructor(scope: Construct, id: string, props: SecretStoresProps) {
    super(scope, id);
    const { env } = props;
    new SecureNamespace(this, 'Namespace', { name: EXTERNAL_SECRETS_NAMESPACE, ...namespaceBaseline(env, 'small') });
    new SecureNamespace(this, 'SourceNamespace', { name: PLATFORM_SECRETS_NAMESPACE, ...namespaceBaseline(env, 'small') });
    const replicas = controllerReplicas(env);
    new PlatformRelease(this, 'Release', {
      env,
      chart: PINNED_CHARTS.externalSecrets,
      releaseName: PLATFORM_RELEASES.externalSecrets,
      namespace: EXTERNAL_SECRETS_NAMESPACE,
      reason: 'external-secrets copies secrets from the secret store into the namespaces that need them and generates passwords in the cluster',
      providesCrds: true,
      values: (images) => {
        const image = repositoryImageValues(images.controller);
        return {
          installCRDs: true,
          image,
          replicaCount: replicas,
          leaderElect: replicas > 1,
          podDisruptionBudget: disruptionBudget(replicas),
          resources: resources('50m', '128Mi', '512Mi'),
          webhook: { image, replicaCount: replicas, podDisruptionBudget: disruptionBudget(replicas), resources: resources('20m', '64Mi', '256Mi') },
          certController: { image, resources: resources('20m', '64Mi', '256Mi') },
        };
      },
      workloads: [
        { name: 'controller', podLabels: EXTERNAL_SECRETS_CONTROLLER, ports: [{ name: 'metrics', port: 8080 }], replicas },
        { name: 'webhook', podLabels: WEBHOOK, ports: [{ name: 'webhook', port: 10250 }, { name: 'metrics', port: 8080 }, { name: 'ready', port: 8081 }], replicas },
        { name: 'cert-controller', podLabels: podsOf('external-secrets-cert-controller'), ports: [{ name: 'metrics', port: 8080 }, { name: 'ready', port: 8081 }] },
      ],
    });
    new AllowTraffic(this, 'ApiServer', { namespace: EXTERNAL_SECRETS_NAMESPACE, pods: {}, egress: [apiServer(env)] });
    new AllowTraffic(this, 'Webhook', { namespace: EXTERNAL_SECRETS_NAMESPACE, pods: WEBHOOK, ingress: [{ peers: apiServer(env).peers, ports: [10250] }] });
    if (env.platform.secretStore === 'openbao') {
      new AllowTraffic(this, 'OpenBao', {
        namespace: EXTERNAL_SECRETS_NAMESPACE,
        pods: EXTERNAL_SECRETS_CONTROLLER,
        egress: [{ peers: [podsIn(OPENBAO.namespace, OPENBAO.podLabels)], ports: [OPENBAO.port] }],
      });
    }

    this.addPlatformStore();
    this.addSecretStore(env);
  }

  /** A store over the Secrets in `govstack-secrets`, read with a service account that can read nothing else. */
  private addPlatformStore(): void {
    new k8s.KubeServiceAccount(this, 'Reader', {
      metadata: { name: READER, namespace: PLATFORM_SECRETS_NAMESPACE },
      automountServiceAccountToken: false,
    });
    new k8s.KubeRole(this, 'ReaderRole', {
      metadata: { name: READER, namespace: PLATFORM_SECRETS_NAMESPACE },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }],
    });
    new k8s.KubeRoleBinding(this, 'ReaderBinding', {
      metadata: { name: READER, namespace: PLATFORM_SECRETS_NAMESPACE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: READER },
      subjects: [{ kind: 'ServiceAccount', name: READER, namespace: PLATFORM_SECRETS_NAMESPACE }],
    });
    new ApiObject(this, 'PlatformStore', { apiVersion: 'external-secrets.io/v1', kind: PLATFORM_STORE.kind, metadata: { name: PLATFORM_STORE.name }, spec: inClusterProvider() });
  }

  private addSecretStore(env: Environment): void {
    const provider =
      env.platform.secretStore === 'openbao'
        ? {
            provider: {
              vault: {
                server: openBaoAddress(),
                path: 'secret',
                version: 'v2',
                caProvider: { type: 'Secret', name: OPENBAO.tlsSecret, namespace: OPENBAO.namespace, key: 'ca.crt' },
                // OpenBao's Kubernetes auth method, role and KV mount are set up once by the operator (README).
                auth: {
                  kubernetes: {
                    mountPath: 'kubernetes',
                    role: 'external-secrets',
                    serviceAccountRef: { name: 'external-secrets', namespace: EXTERNAL_SECRETS_NAMESPACE },
                  },
                },
              },
            },
          }
        : inClusterProvider();
    new ApiObject(this, 'SecretStore', { apiVersion: 'external-secrets.io/v1', kind: SECRET_STORE.kind, metadata: { name: SECRET_STORE.name }, spec: provider });
  }
}

function inClusterProvider(): Record<string, unknown> {
  return {
    provider: {
      kubernetes: {
        remoteNamespace: PLATFORM_SECRETS_NAMESPACE,
        server: { caProvider: { type: 'ConfigMap', name: 'kube-root-ca.crt', key: 'ca.crt', namespace: PLATFORM_SECRETS_NAMESPACE } },
        auth: { serviceAccount: { name: READER, namespace: PLATFORM_SECRETS_NAMESPACE } },
      },
    },
  };
}
