import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { declarePolicyException } from '../baseline/policy-exception';
import type { Environment } from '../environment/schema';
import { resolveImage } from '../images';
import { AllowTraffic, anyAddress, podsIn } from '../baseline/allow-traffic';
import { ACME_LISTENER } from './certificates';
import { ACME_SOLVER, CLUSTER_ISSUERS, ENVOY_PROXY_PORTS, GATEWAY_NAMESPACE, GATEWAYS, gatewayProxyPodLabels, MONITORING, SECURITY_LOG_LABEL, type GatewayKind } from './contract';
import { GATEWAY_CONTROLLER_PODS, XDS_PORT } from './gateway-controller';
import { routeBackendEgress, routeHostnames, routeNamespaces } from './gateway-routes';
import { PINNED_CHARTS } from './pinned-charts';
import { resilience } from '../environment/resilience';

const GATEWAY_API = 'gateway.networking.k8s.io/v1';
const ENVOY_GATEWAY_API = 'gateway.envoyproxy.io/v1alpha1';

export interface GatewaysProps {
  readonly env: Pick<Environment, 'cluster' | 'domain' | 'ha' | 'platform' | 'registry' | 'stage' | 'tls'>;
}

/**
 * The two Gateways GovStack requires: `external` for public services and `internal` for admin UIs
 * and operator APIs, each with its own proxies, Service and certificate, HTTPS only (TLS 1.3).
 * In ACME mode the external gateway also listens on port 80, only to answer HTTP-01 challenges and
 * redirect everything else to HTTPS.
 */
export class Gateways extends Construct {
  constructor(scope: Construct, id: string, props: GatewaysProps) {
    super(scope, id);
    const { env } = props;
    new ApiObject(this, 'Class', {
      apiVersion: GATEWAY_API,
      kind: 'GatewayClass',
      metadata: { name: env.cluster.ingressClass },
      spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' },
    });
    for (const kind of ['external', 'internal'] as const) this.addGateway(env, kind);

    new ApiObject(this, 'Tls13', {
      apiVersion: ENVOY_GATEWAY_API,
      kind: 'ClientTrafficPolicy',
      metadata: { name: 'tls-1-3', namespace: GATEWAY_NAMESPACE },
      spec: {
        targetRefs: Object.values(GATEWAYS).map((g) => ({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: g.name })),
        // GovStack 5.12 / 6.5 req-1: TLS 1.3 on every endpoint.
        tls: { minVersion: '1.3' },
      },
    });
    new AllowTraffic(this, 'ProxyXds', {
      namespace: GATEWAY_NAMESPACE,
      pods: { 'app.kubernetes.io/name': 'envoy' },
      egress: [{ peers: [podsIn(GATEWAY_NAMESPACE, GATEWAY_CONTROLLER_PODS)], ports: [XDS_PORT] }],
      ...(env.platform.observability.enabled
        ? { ingress: [{ peers: [podsIn(MONITORING.namespace, MONITORING.prometheusPodLabels)], ports: [ENVOY_PROXY_PORTS.metrics] }] }
        : {}),
    });
  }

  private addGateway(env: Pick<Environment, 'cluster' | 'domain' | 'ha' | 'platform' | 'registry' | 'stage' | 'tls'>, kind: GatewayKind): void {
    const gateway = GATEWAYS[kind];
    const acme = kind === 'external' && env.tls.mode === 'acme';
    const proxy = this.addEnvoyProxy(env, kind);
    const root = this.node.root;
    const listeners: Record<string, unknown>[] = [
      {
        name: gateway.httpsListener,
        protocol: 'HTTPS',
        port: 443,
        hostname: `*.${env.domain}`,
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: this.certificateSecret(env, kind) }] },
        allowedRoutes: { namespaces: Lazy.any({ produce: () => routeNamespaces(root, gateway, gateway.httpsListener) }) },
      },
      ...(acme ? [{ name: ACME_LISTENER, protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'Same' } } }] : []),
    ];
    const resource = new ApiObject(this, `${kind}Gateway`, {
      apiVersion: GATEWAY_API,
      kind: 'Gateway',
      metadata: { name: gateway.name, namespace: gateway.namespace },
      spec: {
        gatewayClassName: env.cluster.ingressClass,
        infrastructure: { parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: proxy.name } },
        listeners,
      },
    });
    if (acme) {
      declarePolicyException(
        resource,
        'NET-04',
        'port 80 answers only ACME HTTP-01 challenges (the CA validates over plain HTTP) and redirects every other request to HTTPS',
      );
      new ApiObject(this, 'HttpsRedirect', {
        apiVersion: GATEWAY_API,
        kind: 'HTTPRoute',
        metadata: { name: 'https-redirect', namespace: gateway.namespace },
        spec: {
          parentRefs: [{ name: gateway.name, sectionName: ACME_LISTENER }],
          rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
        },
      });
    }
    this.addCertificate(env, kind);
    this.addProxyTraffic(env, kind, acme);
  }

  private addEnvoyProxy(env: Pick<Environment, 'cluster' | 'ha' | 'platform' | 'registry' | 'stage'>, kind: GatewayKind): ApiObject {
    const replicas = resilience(env).controllerReplicas;
    const labels = gatewayProxyPodLabels(kind);
    const service: Record<string, unknown> =
      env.cluster.loadBalancer.kind === 'none'
        ? { type: 'ClusterIP' }
        : {
            type: 'LoadBalancer',
            // MetalLB needs no node ports; cloud load balancers usually forward to them.
            ...(env.cluster.loadBalancer.kind === 'metallb' ? { allocateLoadBalancerNodePorts: false } : {}),
            ...(kind === 'internal'
              ? { annotations: { ...env.platform.gateways.internalServiceAnnotations }, loadBalancerSourceRanges: [...env.platform.gateways.internalSourceRanges] }
              : {}),
          };
    const proxy = new ApiObject(this, `${kind}Proxy`, {
      apiVersion: ENVOY_GATEWAY_API,
      kind: 'EnvoyProxy',
      metadata: { name: GATEWAYS[kind].name, namespace: GATEWAY_NAMESPACE },
      spec: {
        provider: {
          type: 'Kubernetes',
          kubernetes: {
            envoyDeployment: {
              replicas,
              // Gateway access logs are security logs (GovStack 6.5 req-7).
              pod: {
                labels: { ...SECURITY_LOG_LABEL },
                ...(replicas > 1
                  ? {
                      topologySpreadConstraints: [
                        {
                          maxSkew: 1,
                          topologyKey: resilience(env).spreadKey,
                          whenUnsatisfiable: resilience(env).spreadIsRequired ? 'DoNotSchedule' : 'ScheduleAnyway',
                          labelSelector: { matchLabels: labels },
                        },
                      ],
                    }
                  : {}),
              },
              container: {
                // Explicit: a Gateway's own EnvoyProxy is not guaranteed to inherit the controller's default image.
                image: resolveImage(env, PINNED_CHARTS.envoyGateway.images.proxy),
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
              },
            },
            ...(replicas > 1 ? { envoyPDB: { minAvailable: 1 } } : {}),
            envoyService: service,
          },
        },
      },
    });
    declarePolicyException(
      proxy,
      'POD-10',
      "Envoy Gateway leaves the proxies' root filesystem writable: Envoy writes its admin socket and logs there and the shutdown manager its drain marker",
    );
    return proxy;
  }

  /** The Secret holding a gateway's certificate. */
  private certificateSecret(env: Pick<Environment, 'tls'>, kind: GatewayKind): string {
    return env.tls.mode === 'provided' && env.tls.provided ? env.tls.provided.secret : `${kind}-gateway-tls`;
  }

  /**
   * Internal-CA mode: both gateways get a wildcard from the internal CA. ACME: the external one
   * gets a certificate for the host names of its routes (HTTP-01 cannot validate wildcards), the
   * internal one a wildcard from the internal CA (its names need not resolve publicly).
   * Provided certificates need no Certificate object.
   */
  private addCertificate(env: Pick<Environment, 'domain' | 'tls'>, kind: GatewayKind): void {
    if (env.tls.mode === 'provided') return;
    const acme = kind === 'external' && env.tls.mode === 'acme';
    const root = this.node.root;
    const gateway = GATEWAYS[kind];
    new ApiObject(this, `${kind}Certificate`, {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: `${kind}-gateway-tls`, namespace: GATEWAY_NAMESPACE },
      spec: {
        secretName: this.certificateSecret(env, kind),
        dnsNames: acme
          ? Lazy.any({ produce: () => [env.domain, ...routeHostnames(root, gateway).filter((name) => name !== env.domain)] })
          : [env.domain, `*.${env.domain}`],
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        issuerRef: acme ? CLUSTER_ISSUERS.acme : CLUSTER_ISSUERS.internal,
      },
    });
  }

  private addProxyTraffic(env: Pick<Environment, 'platform'>, kind: GatewayKind, acme: boolean): void {
    const pods = gatewayProxyPodLabels(kind);
    const clients = kind === 'external' ? [anyAddress()] : env.platform.gateways.internalSourceRanges.map((cidr) => ({ ipBlock: { cidr } }));
    new AllowTraffic(this, `${kind}Clients`, {
      namespace: GATEWAY_NAMESPACE,
      pods,
      ingress: [{ peers: clients, ports: [ENVOY_PROXY_PORTS.https, ...(acme ? [ENVOY_PROXY_PORTS.http] : [])] }],
    });
    const root = this.node.root;
    const gateway = GATEWAYS[kind];
    // Computed when rendering, from the routes every layer attached to this gateway.
    new AllowTraffic(this, `${kind}Backends`, { namespace: GATEWAY_NAMESPACE, pods, egress: () => routeBackendEgress(root, gateway) });
    if (acme) {
      new AllowTraffic(this, 'AcmeSolver', {
        namespace: GATEWAY_NAMESPACE,
        pods: ACME_SOLVER.podLabels,
        ingress: [{ peers: [podsIn(GATEWAY_NAMESPACE, pods)], ports: [ACME_SOLVER.port] }],
      });
      new AllowTraffic(this, 'ProxyToAcmeSolver', {
        namespace: GATEWAY_NAMESPACE,
        pods,
        egress: [{ peers: [podsIn(GATEWAY_NAMESPACE, ACME_SOLVER.podLabels)], ports: [ACME_SOLVER.port] }],
      });
    }
  }
}
