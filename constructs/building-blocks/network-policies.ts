import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { NAMESPACE_NAME_LABEL } from '../baseline/secure-namespace';
import { componentServiceName } from '../catalogue/addresses';
import type { CatalogueEntry } from '../catalogue/types';
import type { Environment } from '../environment/schema';
import { CLIENT_PORTS, providerMember, securityServer } from '../information-mediator/contract';
import { GATEWAYS, gatewayProxyPodLabels, MONITORING, type GatewayKind } from '../platform/contract';
import { componentSelector, productLabels } from './labels';

export interface ProductNetworkPoliciesProps {
  readonly env: Environment;
  readonly entry: CatalogueEntry;
  readonly namespace: string;
  /** Pods of the product's data services and the ports they listen on. */
  readonly dataServices: readonly { readonly podLabels: Readonly<Record<string, string>>; readonly port: number }[];
}

const tcp = (port: number | string): k8s.NetworkPolicyPort => ({
  protocol: 'TCP',
  port: typeof port === 'number' ? k8s.IntOrString.fromNumber(port) : k8s.IntOrString.fromString(port),
});

const inNamespace = (namespace: string, podLabels: Readonly<Record<string, string>>): k8s.NetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
  podSelector: { matchLabels: { ...podLabels } },
});

/**
 * What may reach a product and what it may reach, on top of the namespace's default-deny.
 * In, per component: the product's own pods; the gateway proxies where the component is published;
 * its security server where it serves an X-Road API; Prometheus on its metrics port.
 * Out, for the whole product: its own pods, its data services, and its security server when it
 * calls other building blocks. Nothing else, in either direction.
 */
export class ProductNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: ProductNetworkPoliciesProps) {
    super(scope, id);
    const { env, entry, namespace } = props;
    const own = productLabels(entry);
    const server = securityServer(providerMember(env));
    const serverPeer = inNamespace(server.namespace, server.podLabels);

    for (const component of entry.components) {
      const ports = component.containers.flatMap((container) => container.ports ?? []);
      if (ports.length === 0) continue;
      const servicePort = ports[0];
      const rules: k8s.NetworkPolicyIngressRule[] = [{ from: [{ podSelector: { matchLabels: own } }] }];
      const gateways = [...new Set((component.exposures ?? []).map((exposure) => exposure.gateway))].sort() as GatewayKind[];
      if (gateways.length > 0) {
        rules.push({ from: gateways.map((gateway) => inNamespace(GATEWAYS[gateway].namespace, gatewayProxyPodLabels(gateway))), ports: [tcp(servicePort.port)] });
      }
      if (entry.apis.some((api) => api.component === component.name)) {
        rules.push({ from: [serverPeer], ports: [tcp(servicePort.port)] });
      }
      if (component.metrics) {
        const port = ports.find((candidate) => candidate.name === component.metrics?.port);
        if (!port) throw new Error(`${entry.product} ${component.name}: metrics port "${component.metrics.port}" is not declared`);
        rules.push({ from: [inNamespace(MONITORING.namespace, MONITORING.prometheusPodLabels)], ports: [tcp(port.port)] });
      }
      new k8s.KubeNetworkPolicy(this, `Ingress-${component.name}`, {
        metadata: { name: `${componentServiceName(entry, component.name)}-ingress`, namespace },
        spec: { podSelector: { matchLabels: componentSelector(entry, component.name) }, policyTypes: ['Ingress'], ingress: rules },
      });
    }

    const egress: k8s.NetworkPolicyEgressRule[] = [
      { to: [{ podSelector: { matchLabels: own } }] },
      ...props.dataServices.map((service) => ({ to: [{ podSelector: { matchLabels: { ...service.podLabels } } }], ports: [tcp(service.port)] })),
    ];
    if (entry.calls.length > 0) egress.push({ to: [serverPeer], ports: [tcp(CLIENT_PORTS.http)] });
    new k8s.KubeNetworkPolicy(this, 'Egress', {
      metadata: { name: `${entry.product}-egress`, namespace },
      spec: { podSelector: { matchLabels: own }, policyTypes: ['Egress'], egress },
    });
  }
}
