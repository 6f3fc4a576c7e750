import { Construct } from 'constructs';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import type { Environment } from '../environment/schema';
import { AllowTraffic, apiServer, podsIn } from '../baseline/allow-traffic';
import { GATEWAY_NAMESPACE, MONITORING, PLATFORM_RELEASES } from './contract';
import { PINNED_CHARTS } from './pinned-charts';
import { PinnedRelease } from '../releases/pinned-release';
import { chartResources, topologySpread } from './workload-defaults';
import { resilience } from '../environment/resilience';

/** Labels of the Envoy Gateway controller pods (chart gateway-helm). */
export const GATEWAY_CONTROLLER_PODS = {
  'app.kubernetes.io/name': 'gateway-helm',
  'app.kubernetes.io/instance': PLATFORM_RELEASES.envoyGateway,
} as const;
/** The controller's xDS port, which every proxy connects to. */
export const XDS_PORT = 18000;
const METRICS_PORT = 19001;
const WEBHOOK_PORT = 9443;

export interface GatewayControllerProps {
  readonly env: Pick<Environment, 'cluster' | 'ha' | 'platform' | 'registry' | 'stage'>;
}

/**
 * Envoy Gateway, the Gateway API implementation (ingress-nginx is retired): its controller
 * renders a proxy fleet per Gateway in its own namespace. Installed with the Gateway API CRDs it
 * bundles (v1.6, whose v1 TLSRoute and ListenerSet the kit can use).
 */
export class GatewayController extends Construct {
  constructor(scope: Construct, id: string, props: GatewayControllerProps) {
    super(scope, id);
    const { env } = props;
    new SecureNamespace(this, 'Namespace', { name: GATEWAY_NAMESPACE, ...namespaceBaseline(env, 'medium') });
    const replicas = resilience(env).controllerReplicas;

    new PinnedRelease(this, 'Release', {
      env,
      chart: PINNED_CHARTS.envoyGateway,
      releaseName: PLATFORM_RELEASES.envoyGateway,
      namespace: GATEWAY_NAMESPACE,
      reason: 'Envoy Gateway implements the Gateway API for both gateways; its chart installs the controller and the Gateway API CRDs',
      providesCrds: true,
      values: (images) => ({
        global: {
          images: {
            envoyGateway: { image: images.controller.reference },
            envoyProxy: { image: images.proxy.reference },
            ratelimit: { image: images.ratelimit.reference },
          },
        },
        deployment: {
          replicas,
          envoyGateway: { resources: chartResources('100m', '256Mi', '1024Mi') },
          pod: { topologySpreadConstraints: topologySpread(env, GATEWAY_CONTROLLER_PODS) },
        },
        // The chart renders a budget only when minAvailable is at least 1.
        podDisruptionBudget: { minAvailable: replicas > 1 ? 1 : 0 },
        certgen: { job: { resources: chartResources('10m', '32Mi', '128Mi') } },
      }),
      exceptions: {
        'RBAC-03': {
          reason: 'Envoy Gateway reads the certificate Secrets that Gateways, BackendTLSPolicies and SecurityPolicies reference, which live in the namespaces of the routes and building blocks',
          objects: [`ClusterRole/${PLATFORM_RELEASES.envoyGateway}-gateway-helm-envoy-gateway-role`],
        },
        'RBAC-04': {
          reason: 'the controller watches Gateway API resources and creates the proxy Deployments; the certgen job writes the controller\'s TLS Secrets through the API',
          objects: [`Deployment/${GATEWAY_NAMESPACE}/envoy-gateway`, `Job/${GATEWAY_NAMESPACE}/${PLATFORM_RELEASES.envoyGateway}-gateway-helm-certgen`],
        },
      },
      workloads: [
        {
          name: 'controller',
          podLabels: GATEWAY_CONTROLLER_PODS,
          ports: [
            { name: 'grpc', port: XDS_PORT },
            { name: 'ratelimit', port: 18001 },
            { name: 'wasm', port: 18002 },
            { name: 'metrics', port: METRICS_PORT },
            { name: 'webhook', port: WEBHOOK_PORT },
          ],
          replicas,
        },
        { name: 'certgen', podLabels: { app: 'certgen' }, ports: [] },
      ],
    });

    new AllowTraffic(this, 'Controller', {
      namespace: GATEWAY_NAMESPACE,
      pods: GATEWAY_CONTROLLER_PODS,
      ingress: [
        { peers: [podsIn(GATEWAY_NAMESPACE, { 'app.kubernetes.io/name': 'envoy' })], ports: [XDS_PORT] },
        // The proxy topology injector is a mutating webhook the API server calls.
        { peers: apiServer(env).peers, ports: [WEBHOOK_PORT] },
        ...(env.platform.observability.enabled ? [{ peers: [podsIn(MONITORING.namespace, MONITORING.prometheusPodLabels)], ports: [METRICS_PORT] }] : []),
      ],
      egress: [apiServer(env)],
    });
    new AllowTraffic(this, 'Certgen', { namespace: GATEWAY_NAMESPACE, pods: { app: 'certgen' }, egress: [apiServer(env)] });
  }
}
