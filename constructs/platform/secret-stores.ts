import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import type { Environment } from '../environment/schema';
import { repositoryImageValues } from '../images';
import { AllowTraffic, apiServer, podsIn } from '../baseline/allow-traffic';
import { PLATFORM_RELEASES, SECRET_STORE, SECRET_STORE_READER_LABEL } from './contract';
import { OPENBAO, openBaoAddress } from './openbao';
import { OPENBAO_SETUP } from './openbao-config';
import { PINNED_CHARTS } from './pinned-charts';
import { PLATFORM_SECRETS_NAMESPACE, PLATFORM_STORE } from './platform-secret';
import { PinnedRelease } from '../releases/pinned-release';
import { storeConditions, type StoreReaders, type StoreRef } from './store-conditions';
import { disruptionBudget, chartResources, topologySpread } from './workload-defaults';
import { resilience } from '../environment/resilience';

export const EXTERNAL_SECRETS_NAMESPACE = 'external-secrets';
const podsOf = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': PLATFORM_RELEASES.externalSecrets });
export const EXTERNAL_SECRETS_CONTROLLER = podsOf('external-secrets');
/** The controller's service account (the chart's default name for release `external-secrets`). */
export const EXTERNAL_SECRETS_SERVICE_ACCOUNT = 'external-secrets';
const WEBHOOK = podsOf('external-secrets-webhook');
const CERT_CONTROLLER = podsOf('external-secrets-cert-controller');
const READER = 'secret-reader';

export interface SecretStoresProps {
  readonly env: Pick<Environment, 'cluster' | 'ha' | 'platform' | 'registry' | 'stage'>;
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
    const replicas = resilience(env).controllerReplicas;
    new PinnedRelease(this, 'Release', {
      env,
      chart: PINNED_CHARTS.externalSecrets,
      releaseName: PLATFORM_RELEASES.externalSecrets,
      namespace: EXTERNAL_SECRETS_NAMESPACE,
      reason: 'external-secrets copies secrets from the secret store into the namespaces that need them and generates passwords in the cluster',
      providesCrds: true,
      values: (images) => {
        const image = repositoryImageValues(images.controller);
        // The chart's restricted context with an unprivileged uid above 10000 instead of 1000: the
        // binary is static and owns no files.
        const securityContext = { runAsUser: 65532, runAsGroup: 65532 };
        // The chart's liveness probe (restart after 50 s without an answer) next to its readiness probe.
        const livenessProbe = { enabled: true };
        return {
          installCRDs: true,
          image,
          replicaCount: replicas,
          leaderElect: replicas > 1,
          podDisruptionBudget: disruptionBudget(replicas),
          topologySpreadConstraints: topologySpread(env, EXTERNAL_SECRETS_CONTROLLER),
          resources: chartResources('50m', '128Mi', '512Mi'),
          securityContext,
          // The health server (--live-addr) both probes ask.
          livenessProbe,
          readinessProbe: { enabled: true, spec: { periodSeconds: 5, failureThreshold: 3 } },
          webhook: {
            image,
            replicaCount: replicas,
            podDisruptionBudget: disruptionBudget(replicas),
            topologySpreadConstraints: topologySpread(env, WEBHOOK),
            resources: chartResources('20m', '64Mi', '256Mi'),
            securityContext,
            livenessProbe,
          },
          certController: {
            image,
            // Leader election (leaderElect) keeps one of them active.
            replicaCount: replicas,
            podDisruptionBudget: disruptionBudget(replicas),
            topologySpreadConstraints: topologySpread(env, CERT_CONTROLLER),
            resources: chartResources('20m', '64Mi', '256Mi'),
            securityContext,
            livenessProbe,
          },
        };
      },
      exceptions: {
        'RBAC-03': {
          reason:
            'the controller writes the Secret of every ExternalSecret and reads the Secrets that stores name for credentials, in every namespace; the cert controller writes the webhook\'s certificate Secret and reads it back',
          objects: ['ClusterRole/external-secrets-controller', 'ClusterRole/external-secrets-cert-controller'],
        },
        'RBAC-06': {
          reason:
            'the Kubernetes store (govstack-platform) and OpenBao\'s Kubernetes auth (govstack-secrets) authenticate as the service account each store names, with a token the controller requests for it; the stores serve only their own namespaces (SEC-05)',
          objects: ['ClusterRole/external-secrets-controller'],
        },
        'RBAC-04': {
          reason: 'the controller reconciles ExternalSecrets through the API, the webhook reads stores to validate them, and the cert controller patches the webhook configurations and CRDs with its CA',
          objects: [
            'Deployment/external-secrets/external-secrets',
            'Deployment/external-secrets/external-secrets-cert-controller',
            'Deployment/external-secrets/external-secrets-webhook',
          ],
        },
      },
      workloads: [
        { name: 'controller', podLabels: EXTERNAL_SECRETS_CONTROLLER, ports: [{ name: 'metrics', port: 8080 }], replicas },
        { name: 'webhook', podLabels: WEBHOOK, ports: [{ name: 'webhook', port: 10250 }, { name: 'metrics', port: 8080 }, { name: 'ready', port: 8081 }], replicas },
        { name: 'cert-controller', podLabels: CERT_CONTROLLER, ports: [{ name: 'metrics', port: 8080 }, { name: 'ready', port: 8081 }], replicas },
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
    this.addStore('PlatformStore', PLATFORM_STORE, inClusterProvider(), { namespaces: [PLATFORM_SECRETS_NAMESPACE] });
  }

  private addSecretStore(env: Pick<Environment, 'platform'>): void {
    const provider =
      env.platform.secretStore === 'openbao'
        ? {
            provider: {
              vault: {
                server: openBaoAddress(),
                path: OPENBAO_SETUP.kvMount,
                version: 'v2',
                caProvider: { type: 'Secret', name: OPENBAO.tlsSecret, namespace: OPENBAO.namespace, key: 'ca.crt' },
                // OpenBao's configuration sets up the mount, the auth method and the read-only role (README, "OpenBao").
                auth: {
                  kubernetes: {
                    mountPath: OPENBAO_SETUP.kubernetesAuthMount,
                    role: OPENBAO_SETUP.externalSecrets.role,
                    serviceAccountRef: { name: EXTERNAL_SECRETS_SERVICE_ACCOUNT, namespace: EXTERNAL_SECRETS_NAMESPACE },
                  },
                },
              },
            },
          }
        : inClusterProvider();
    this.addStore('SecretStore', SECRET_STORE, provider, { selectors: [{ matchLabels: { ...SECRET_STORE_READER_LABEL } }] });
  }

  /** A ClusterSecretStore serving only the namespaces that use it (computed when rendering) and its `readers`. */
  private addStore(id: string, store: StoreRef, provider: Record<string, unknown>, readers: StoreReaders): void {
    const root = this.node.root;
    new ApiObject(this, id, {
      apiVersion: 'external-secrets.io/v1',
      kind: store.kind,
      metadata: { name: store.name },
      spec: { ...provider, conditions: Lazy.any({ produce: () => storeConditions(root, store, readers) }) },
    });
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
