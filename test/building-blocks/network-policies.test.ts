import { enabledEntries } from '../../constructs/catalogue/catalogue';
import { componentSelector, productLabels } from '../../constructs/building-blocks/labels';
import type { CatalogueEntry, ComponentEntry } from '../../constructs/catalogue/types';
import type { Environment } from '../../constructs/environment/schema';
import { buildingBlockNamespace, consumerMember, providerMember, securityServer, CLIENT_PORTS } from '../../constructs/information-mediator/contract';
import { GATEWAYS, gatewayProxyPodLabels, MONITORING } from '../../constructs/platform/contract';
import { shippedEnvironments } from '../support/shipped';
import { admits, allowsTraffic, type Pod } from '../support/network-policy';
import { buildingBlockManifests } from '../support/building-blocks';

/** Everyone who might knock on a building block's door, by a name the expectations use. */
function candidates(env: Environment, entry: CatalogueEntry, component: ComponentEntry): Record<string, Pod> {
  const namespace = buildingBlockNamespace(entry.buildingBlock);
  const provider = securityServer(providerMember(env));
  const consumer = securityServer(consumerMember(env));
  const sibling = entry.components.find((other) => other.name !== component.name) ?? component;
  return {
    'own pods': { namespace, labels: { ...productLabels(entry), ...componentSelector(entry, sibling.name) } },
    'its security server': { namespace: provider.namespace, labels: provider.podLabels },
    'the consumer security server': { namespace: consumer.namespace, labels: consumer.podLabels },
    'external gateway': { namespace: GATEWAYS.external.namespace, labels: gatewayProxyPodLabels('external') },
    'internal gateway': { namespace: GATEWAYS.internal.namespace, labels: gatewayProxyPodLabels('internal') },
    prometheus: { namespace: MONITORING.namespace, labels: MONITORING.prometheusPodLabels },
    'another pod in its namespace': { namespace, labels: { app: 'intruder' } },
    'another building block': { namespace: 'bb-elsewhere', labels: { 'govstack.dev/product': entry.product } },
    'a pod in default': { namespace: 'default', labels: {} },
  };
}

/** Who may reach a component's service port, from its entry alone. */
function expectedAt(entry: CatalogueEntry, component: ComponentEntry, servicePort: number): string[] {
  const expected = ['own pods'];
  for (const gateway of new Set((component.exposures ?? []).map((exposure) => exposure.gateway))) expected.push(`${gateway} gateway`);
  if (entry.apis.some((api) => api.component === component.name)) expected.push('its security server');
  const metricsPort = component.containers.flatMap((c) => c.ports ?? []).find((port) => port.name === component.metrics?.port);
  if (metricsPort?.port === servicePort) expected.push('prometheus');
  return expected.sort();
}

const cases = shippedEnvironments().flatMap((env) =>
  enabledEntries(env)
    .filter((entry) => entry.deployment.kind === 'manifests')
    .map((entry) => ({ label: `${env.name}: ${entry.buildingBlock} (${entry.product})`, env, entry, manifests: buildingBlockManifests(env, entry.buildingBlock) })),
);

describe.each(cases)('$label', ({ env, entry, manifests }) => {
  const namespace = buildingBlockNamespace(entry.buildingBlock);

  it('lets in exactly its security server, its gateways, Prometheus where it has metrics, and its own pods', () => {
    for (const component of entry.components) {
      const ports = component.containers.flatMap((container) => container.ports ?? []);
      if (ports.length === 0) continue;
      const target: Pod = { namespace, labels: { ...productLabels(entry), ...componentSelector(entry, component.name) } };
      const allowed = Object.entries(candidates(env, entry, component))
        .filter(([, source]) => admits(manifests, source, target, ports[0].port))
        .map(([name]) => name)
        .sort();
      expect([component.name, allowed]).toEqual([component.name, expectedAt(entry, component, ports[0].port)]);
    }
  });

  it('names the ports of every rule: its own pods reach a component only on the ports it listens on', () => {
    for (const policy of manifests.filter((m) => m.kind === 'NetworkPolicy')) {
      const spec = policy.spec as { ingress?: { ports?: unknown[] }[]; egress?: { ports?: unknown[] }[] };
      for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) expect([policy.metadata.name, rule.ports?.length ?? 0]).not.toEqual([policy.metadata.name, 0]);
    }
    const source: Pod = { namespace, labels: { ...productLabels(entry), ...componentSelector(entry, entry.components[0].name) } };
    for (const component of entry.components) {
      const target: Pod = { namespace, labels: { ...productLabels(entry), ...componentSelector(entry, component.name) } };
      for (const port of component.containers.flatMap((container) => container.ports ?? [])) expect(allowsTraffic(manifests, source, target, port.port)).toBe(true);
      expect(allowsTraffic(manifests, source, target, 2222)).toBe(false);
    }
  });

  it('reaches its own data services, and nothing of another building block', () => {
    const source: Pod = { namespace, labels: { ...productLabels(entry), ...componentSelector(entry, entry.components[0].name) } };
    if (entry.dataServices.postgres) {
      expect(allowsTraffic(manifests, source, { namespace, labels: { 'cnpg.io/cluster': `${entry.product}-db` } }, 5432)).toBe(true);
      expect(allowsTraffic(manifests, { namespace, labels: { app: 'intruder' } }, { namespace, labels: { 'cnpg.io/cluster': `${entry.product}-db` } }, 5432)).toBe(false);
    }
    if (entry.dataServices.cache) {
      expect(allowsTraffic(manifests, source, { namespace, labels: { 'app.kubernetes.io/name': 'valkey', 'app.kubernetes.io/instance': `${entry.product}-cache` } }, 6379)).toBe(true);
    }
    expect(allowsTraffic(manifests, source, { namespace: 'bb-elsewhere', labels: {} }, 5432)).toBe(false);
    expect(allowsTraffic(manifests, source, { namespace: 'default', labels: {} }, 443)).toBe(false);
  });

  it('reaches its security server only when it calls other building blocks, and then only on the TLS client port', () => {
    const source: Pod = { namespace, labels: { ...productLabels(entry), ...componentSelector(entry, entry.components[0].name) } };
    const server = securityServer(providerMember(env));
    expect(allowsTraffic(manifests, source, { namespace: server.namespace, labels: server.podLabels }, CLIENT_PORTS.https)).toBe(entry.calls.length > 0);
    expect(allowsTraffic(manifests, source, { namespace: server.namespace, labels: server.podLabels }, CLIENT_PORTS.http)).toBe(false);
  });
});
