import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import type { Environment } from '../environment/schema';
import { repositoryImageValues as image } from '../images';
import { AllowTraffic, anyAddress, apiServer, podsIn } from '../baseline/allow-traffic';
import { CLUSTER_ISSUERS, GATEWAYS, MONITORING, PLATFORM_RELEASES } from './contract';
import { PINNED_CHARTS } from './pinned-charts';
import { PinnedRelease } from '../releases/pinned-release';
import { disruptionBudget, chartResources, topologySpread } from './workload-defaults';
import { resilience } from '../environment/resilience';
import { restrictedPodSecurity } from '../baseline/restricted-pod';

export const CERT_MANAGER_NAMESPACE = 'cert-manager';
/** Secret (in cert-manager's namespace) of the CA the kit creates when the country brings none. */
const KIT_CA_SECRET = 'govstack-internal-ca';
const SELF_SIGNED_ISSUER = 'govstack-selfsigned';

const podsOf = (name: string, component: string) => ({
  'app.kubernetes.io/name': name,
  'app.kubernetes.io/instance': PLATFORM_RELEASES.certManager,
  'app.kubernetes.io/component': component,
});
const CONTROLLER = podsOf('cert-manager', 'controller');
const WEBHOOK = podsOf('webhook', 'webhook');
const CAINJECTOR = podsOf('cainjector', 'cainjector');
const WEBHOOK_PORT = 10250;
const METRICS_PORT = 9402;

/**
 * How Prometheus scrapes cert-manager's controller, webhook and cainjector (the metrics Services the
 * chart keeps with `prometheus.enabled`), as an entry of kube-prometheus-stack's
 * `prometheus.additionalServiceMonitors`. cert-manager's own ServiceMonitor cannot be used: its CRD
 * arrives with kube-prometheus-stack, which is installed after cert-manager because it takes its
 * webhook certificates from it.
 */
export const CERT_MANAGER_SERVICE_MONITOR = {
  name: PLATFORM_RELEASES.certManager,
  jobLabel: 'app.kubernetes.io/name',
  namespaceSelector: { matchNames: [CERT_MANAGER_NAMESPACE] },
  selector: {
    matchExpressions: [
      { key: 'app.kubernetes.io/name', operator: 'In', values: [CONTROLLER, WEBHOOK, CAINJECTOR].map((pods) => pods['app.kubernetes.io/name']) },
      { key: 'app.kubernetes.io/instance', operator: 'In', values: [PLATFORM_RELEASES.certManager] },
      { key: 'app.kubernetes.io/component', operator: 'In', values: [CONTROLLER, WEBHOOK, CAINJECTOR].map((pods) => pods['app.kubernetes.io/component']) },
    ],
  },
  endpoints: [{ targetPort: METRICS_PORT, path: '/metrics', interval: '60s', scrapeTimeout: '30s' }],
} as const;

export interface CertificatesProps {
  readonly env: Pick<Environment, 'cluster' | 'ha' | 'name' | 'platform' | 'registry' | 'stage' | 'tls'>;
}

/**
 * cert-manager and the issuers every certificate of the kit comes from, by `tls.mode`:
 * the internal CA issuer always (the country's CA in `internal-ca` mode, otherwise a CA the kit
 * creates in the cluster), and an ACME issuer in `acme` mode whose HTTP-01 challenges are answered
 * on the external gateway through a ClusterIP Service (no NodePort).
 */
export class Certificates extends Construct {
  constructor(scope: Construct, id: string, props: CertificatesProps) {
    super(scope, id);
    const { env } = props;
    new SecureNamespace(this, 'Namespace', { name: CERT_MANAGER_NAMESPACE, ...namespaceBaseline(env, 'small') });
    const replicas = resilience(env).controllerReplicas;
    const monitored = env.platform.observability.enabled;

    new PinnedRelease(this, 'Release', {
      env,
      chart: PINNED_CHARTS.certManager,
      releaseName: PLATFORM_RELEASES.certManager,
      namespace: CERT_MANAGER_NAMESPACE,
      reason: 'cert-manager issues and renews every certificate of the platform (gateways, OpenBao, webhooks); its own chart is the supported install',
      providesCrds: true,
      // With Gateway API support on, the controller refuses to start until the Gateway API CRDs
      // exist; Envoy Gateway's chart installs them.
      dependsOn: [PLATFORM_RELEASES.envoyGateway],
      values: (images) => ({
        crds: { enabled: true, keep: true },
        // Leases in its own namespace rather than kube-system: nothing of the kit writes there.
        global: { leaderElection: { namespace: CERT_MANAGER_NAMESPACE } },
        image: image(images.controller),
        replicaCount: replicas,
        podDisruptionBudget: disruptionBudget(replicas),
        topologySpreadConstraints: topologySpread(env, CONTROLLER),
        resources: chartResources('50m', '128Mi', '512Mi'),
        // cert-manager's binaries are static and own no files: any unprivileged uid runs them.
        securityContext: restrictedPodSecurity(),
        config: {
          apiVersion: 'controller.config.cert-manager.io/v1alpha1',
          kind: 'ControllerConfiguration',
          gatewayAPI: { enabled: true },
        },
        webhook: {
          image: image(images.webhook),
          replicaCount: replicas,
          podDisruptionBudget: disruptionBudget(replicas),
          topologySpreadConstraints: topologySpread(env, WEBHOOK),
          resources: chartResources('20m', '64Mi', '256Mi'),
          securityContext: restrictedPodSecurity(),
        },
        cainjector: {
          image: image(images.cainjector),
          replicaCount: replicas,
          podDisruptionBudget: disruptionBudget(replicas),
          topologySpreadConstraints: topologySpread(env, CAINJECTOR),
          resources: chartResources('20m', '128Mi', '512Mi'),
          securityContext: restrictedPodSecurity(),
        },
        // Named in the controller's arguments in every TLS mode, so always mirrored; pulled only to answer ACME challenges.
        acmesolver: { image: image(images.acmesolver) },
        startupapicheck: { image: image(images.startupapicheck), resources: chartResources('10m', '32Mi', '128Mi'), securityContext: restrictedPodSecurity() },
        // The metrics Services only (the chart's own ServiceMonitor stays off): kube-prometheus-stack
        // scrapes them (CERT_MANAGER_SERVICE_MONITOR).
        prometheus: { enabled: monitored },
      }),
      exceptions: {
        'RBAC-03': {
          reason:
            'cert-manager writes the Secret of every Certificate and reads the CA and ACME account Secrets of its issuers, in every namespace that has one; the CA injector reads the CA Secrets it copies into webhook configurations',
          objects: [
            'ClusterRole/cert-manager-controller-certificates',
            'ClusterRole/cert-manager-controller-challenges',
            'ClusterRole/cert-manager-controller-clusterissuers',
            'ClusterRole/cert-manager-controller-issuers',
            'ClusterRole/cert-manager-controller-orders',
            'ClusterRole/cert-manager-cainjector',
          ],
        },
        'RBAC-04': {
          reason: 'the controller, webhook and CA injector watch the API (the webhook its own TLS Secret and CRDs) and the startup check asks the API whether the webhook answers',
          objects: [
            'Deployment/cert-manager/cert-manager',
            'Deployment/cert-manager/cert-manager-cainjector',
            'Deployment/cert-manager/cert-manager-webhook',
            'Job/cert-manager/cert-manager-startupapicheck',
          ],
        },
        'PRB-01': [
          {
            reason: 'chart v1.21.1 gives the controller a liveness probe (clock-skew check) and offers no setting for a readiness probe (templates/deployment.yaml); the controller serves no traffic a readiness probe could hold back',
            objects: ['Deployment/cert-manager/cert-manager'],
          },
          {
            reason: 'chart v1.21.1 offers no setting for probes on the CA injector (templates/cainjector-deployment.yaml renders none); it serves no traffic, only patches CA bundles',
            objects: ['Deployment/cert-manager/cert-manager-cainjector'],
          },
        ],
      },
      workloads: [
        { name: 'controller', podLabels: CONTROLLER, ports: [{ name: 'http-metrics', port: METRICS_PORT }, { name: 'http-healthz', port: 9403 }], replicas },
        { name: 'webhook', podLabels: WEBHOOK, ports: [{ name: 'https', port: WEBHOOK_PORT }, { name: 'healthcheck', port: 6080 }, { name: 'http-metrics', port: METRICS_PORT }], replicas },
        { name: 'cainjector', podLabels: CAINJECTOR, ports: [{ name: 'http-metrics', port: METRICS_PORT }], replicas },
        { name: 'startupapicheck', podLabels: podsOf('startupapicheck', 'startupapicheck'), ports: [] },
      ],
    });

    new AllowTraffic(this, 'ApiServer', { namespace: CERT_MANAGER_NAMESPACE, pods: {}, egress: [apiServer(env)] });
    new AllowTraffic(this, 'Webhook', { namespace: CERT_MANAGER_NAMESPACE, pods: WEBHOOK, ingress: [{ peers: apiServer(env).peers, ports: [WEBHOOK_PORT] }] });
    if (monitored) {
      new AllowTraffic(this, 'Metrics', {
        namespace: CERT_MANAGER_NAMESPACE,
        pods: { 'app.kubernetes.io/instance': PLATFORM_RELEASES.certManager },
        ingress: [{ peers: [podsIn(MONITORING.namespace, MONITORING.prometheusPodLabels)], ports: [METRICS_PORT] }],
      });
    }
    if (env.tls.mode === 'acme') {
      // The ACME server and the self-check of each HTTP-01 challenge through the public address.
      const acme = new AllowTraffic(this, 'Acme', { namespace: CERT_MANAGER_NAMESPACE, pods: CONTROLLER, egress: [{ peers: [anyAddress()], ports: [80, 443] }] });
      acme.declareEgressAnywhere(
        env,
        'the ACME server and the public addresses the HTTP-01 self-check connects to have no addresses the environment can name (ACME servers publish none); only ports 80 and 443, never the metadata service',
      );
    }

    this.addIssuers(env);
  }

  private addIssuers(env: Pick<Environment, 'name' | 'tls'>): void {
    const issuerRef = (name: string) => ({ name, kind: 'ClusterIssuer', group: 'cert-manager.io' });
    let caSecret: string;
    if (env.tls.mode === 'internal-ca' && env.tls.internalCa) {
      caSecret = env.tls.internalCa.caSecret;
    } else {
      caSecret = KIT_CA_SECRET;
      new ApiObject(this, 'SelfSignedIssuer', {
        apiVersion: 'cert-manager.io/v1',
        kind: 'ClusterIssuer',
        metadata: { name: SELF_SIGNED_ISSUER },
        spec: { selfSigned: {} },
      });
      new ApiObject(this, 'KitCa', {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: KIT_CA_SECRET, namespace: CERT_MANAGER_NAMESPACE },
        spec: {
          isCA: true,
          commonName: `GovStack internal CA (${env.name})`,
          secretName: KIT_CA_SECRET,
          duration: '87600h',
          privateKey: { algorithm: 'ECDSA', size: 256 },
          issuerRef: issuerRef(SELF_SIGNED_ISSUER),
        },
      });
    }
    new ApiObject(this, 'InternalIssuer', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: CLUSTER_ISSUERS.internal.name },
      spec: { ca: { secretName: caSecret } },
    });
    if (env.tls.mode === 'acme' && env.tls.acme) {
      new ApiObject(this, 'AcmeIssuer', {
        apiVersion: 'cert-manager.io/v1',
        kind: 'ClusterIssuer',
        metadata: { name: CLUSTER_ISSUERS.acme.name },
        spec: {
          acme: {
            server: env.tls.acme.server,
            email: env.tls.acme.email,
            privateKeySecretRef: { name: 'govstack-acme-account' },
            solvers: [
              {
                http01: {
                  gatewayHTTPRoute: {
                    parentRefs: [
                      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: GATEWAYS.external.name, namespace: GATEWAYS.external.namespace, sectionName: ACME_LISTENER },
                    ],
                    // The default is NodePort (NET-03): the gateway reaches the solver inside the cluster.
                    serviceType: 'ClusterIP',
                  },
                },
              },
            ],
          },
        },
      });
    }
  }
}

/** The external gateway's plaintext listener that serves ACME HTTP-01 challenges (and redirects everything else). */
export const ACME_LISTENER = 'http';
