import { Construct } from 'constructs';
import { componentServiceName } from '../catalogue/addresses';
import { catalogueEntry, enabledEntries } from '../catalogue/catalogue';
import type { CatalogueEntry, ComponentEntry } from '../catalogue/types';
import type { Environment } from '../environment/schema';
import { buildingBlockNamespace, CLIENT_PORTS, providerMember, securityServer } from '../information-mediator/contract';
import { AllowTraffic, anyAddress, podsIn, type TrafficPeer, type TrafficRule } from '../baseline/allow-traffic';
import { GATEWAYS, gatewayProxyPodLabels, MONITORING, type GatewayKind } from '../platform/contract';
import { componentSelector, productLabels } from './labels';

export interface ProductNetworkPoliciesProps {
  readonly env: Pick<Environment, 'buildingBlocks' | 'ha' | 'name' | 'platform' | 'stage' | 'xroad'>;
  readonly entry: CatalogueEntry;
  readonly namespace: string;
  /** Pods of the product's data services and the ports they listen on. */
  readonly dataServices: readonly { readonly podLabels: Readonly<Record<string, string>>; readonly port: number }[];
}

/** Ports a component's containers listen on, in the order the entry declares them. */
function portsOf(component: ComponentEntry): readonly number[] {
  return [...new Set(component.containers.flatMap((container) => (container.ports ?? []).map((port) => port.port)))];
}

/**
 * What may reach a product and what it may reach, on top of the namespace's default-deny, each on
 * the ports the target listens on.
 * In, per component: the product's own pods on the component's ports; the gateway proxies where the
 * component is published and its security server where it serves an X-Road API, on its service
 * port; Prometheus on its metrics port.
 * Out, for the whole product: its own pods on their ports, its data services on theirs, its
 * security server's TLS client port when it calls other building blocks, and, for a product that
 * delivers outside the cluster (`outbound`), any address on the ports it names, in a policy of its own
 * that carries the reason. Nothing else, in either direction.
 */
export class ProductNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: ProductNetworkPoliciesProps) {
    super(scope, id);
    const { env, entry, namespace } = props;
    const ownPods: TrafficPeer = { podSelector: { matchLabels: productLabels(entry) } };
    const server = securityServer(providerMember(env));
    const serverPods = podsIn(server.namespace, server.podLabels);

    for (const component of entry.components) {
      const ports = portsOf(component);
      if (ports.length === 0) continue;
      const servicePort = ports[0];
      const ingress: TrafficRule[] = [{ peers: [ownPods], ports }];
      const gateways = [...new Set((component.exposures ?? []).map((exposure) => exposure.gateway))].sort() as GatewayKind[];
      if (gateways.length > 0) {
        ingress.push({ peers: gateways.map((gateway) => podsIn(GATEWAYS[gateway].namespace, gatewayProxyPodLabels(gateway))), ports: [servicePort] });
      }
      if (entry.apis.some((api) => api.component === component.name)) ingress.push({ peers: [serverPods], ports: [servicePort] });
      // The IAM server admits the products that call its OIDC and admin endpoints themselves.
      if (entry.buildingBlock === 'iam' && component === entry.components[0]) {
        const relyingParties = enabledEntries(env).flatMap((other) =>
          other.components.filter((c) => c.usesIam).map((c) => podsIn(buildingBlockNamespace(other.buildingBlock), componentSelector(other, c.name))),
        );
        if (relyingParties.length > 0) ingress.push({ peers: relyingParties, ports: [servicePort] });
      }
      if (component.metrics) {
        const port = component.containers.flatMap((container) => container.ports ?? []).find((candidate) => candidate.name === component.metrics?.port);
        if (!port) throw new Error(`${entry.product} ${component.name}: metrics port "${component.metrics.port}" is not declared`);
        ingress.push({ peers: [podsIn(MONITORING.namespace, MONITORING.prometheusPodLabels)], ports: [port.port] });
      }
      new AllowTraffic(this, `${componentServiceName(entry, component.name)}-ingress`, { namespace, pods: componentSelector(entry, component.name), ingress });
    }

    const ownPorts = [...new Set(entry.components.flatMap(portsOf))];
    const egress: TrafficRule[] = [
      ...(ownPorts.length > 0 ? [{ peers: [ownPods], ports: ownPorts }] : []),
      ...props.dataServices.map((service) => ({ peers: [{ podSelector: { matchLabels: { ...service.podLabels } } }], ports: [service.port] })),
      // TLS with its own client certificate (connection type HTTPS); the plain port is closed to clients.
      ...(entry.calls.length > 0 ? [{ peers: [serverPods], ports: [CLIENT_PORTS.https] }] : []),
    ];
    new AllowTraffic(this, `${entry.product}-egress`, { namespace, pods: productLabels(entry), egress });
    if (entry.outbound) {
      const outside = new AllowTraffic(this, `${entry.product}-egress-outside`, {
        namespace,
        pods: productLabels(entry),
        egress: [{ peers: [anyAddress()], ports: entry.outbound.ports }],
      });
      outside.declareEgressAnywhere(env, entry.outbound.reason);
    }
    // Only the components that sign in through IAM reach its server.
    const iamRule = iamServerRule(env);
    for (const component of entry.components.filter((c) => c.usesIam && iamRule.length > 0)) {
      new AllowTraffic(this, `${componentServiceName(entry, component.name)}-to-iam`, { namespace, pods: componentSelector(entry, component.name), egress: iamRule });
    }
  }
}

/** Out to the IAM building block's server on its service port, when IAM is enabled. */
function iamServerRule(env: Pick<Environment, 'buildingBlocks'>): TrafficRule[] {
  const selection = env.buildingBlocks.iam;
  const iam = selection?.enabled ? catalogueEntry('iam', selection.product, selection.version) : undefined;
  const server = iam?.components[0];
  const port = server ? portsOf(server)[0] : undefined;
  if (!iam || !server || port === undefined) return [];
  return [{ peers: [podsIn(buildingBlockNamespace(iam.buildingBlock), componentSelector(iam, server.name))], ports: [port] }];
}
