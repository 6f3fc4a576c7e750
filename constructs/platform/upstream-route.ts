import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { Environment } from '../environment/schema';
import { AllowTraffic, podsIn } from '../baseline/allow-traffic';
import { GATEWAYS, gatewayProxyPodLabels, type GatewayKind } from './contract';

export interface UpstreamRouteProps {
  readonly env: Pick<Environment, 'domain'>;
  readonly gateway: GatewayKind;
  /** Host name under the environment's domain, e.g. `grafana`. */
  readonly host: string;
  readonly namespace: string;
  /** The Service an upstream chart creates, and its port. */
  readonly service: string;
  readonly servicePort: number;
  /** Labels and container port of the pods behind it (the Service is not in the kit's manifests, so the gateway cannot read them). */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly containerPort: number;
}

/**
 * Publishes a Service of an upstream chart on one of the gateways: the HTTPRoute, and the two
 * NetworkPolicies that let that gateway's proxies, and nothing else, reach the pods behind it.
 */
export class UpstreamRoute extends Construct {
  constructor(scope: Construct, id: string, props: UpstreamRouteProps) {
    super(scope, id);
    const gateway = GATEWAYS[props.gateway];
    new ApiObject(this, 'Resource', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: props.host, namespace: props.namespace },
      spec: {
        parentRefs: [{ name: gateway.name, namespace: gateway.namespace, sectionName: gateway.httpsListener }],
        hostnames: [`${props.host}.${props.env.domain}`],
        rules: [{ backendRefs: [{ name: props.service, port: props.servicePort }] }],
      },
    });
    new AllowTraffic(this, `${props.gateway}Gateway`, {
      namespace: props.namespace,
      pods: props.podLabels,
      ingress: [{ peers: [podsIn(gateway.namespace, gatewayProxyPodLabels(props.gateway))], ports: [props.containerPort] }],
    });
    new AllowTraffic(this, `${props.gateway}To${props.host.replace(/^./, (c) => c.toUpperCase())}`, {
      namespace: gateway.namespace,
      pods: gatewayProxyPodLabels(props.gateway),
      egress: [{ peers: [podsIn(props.namespace, props.podLabels)], ports: [props.containerPort] }],
    });
  }
}
