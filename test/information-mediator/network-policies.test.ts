import { providerMember, xroadClientNamespaceLabels } from '../../constructs/information-mediator';
import type { Environment } from '../../constructs/environment/schema';
import { gatewayProxyPodLabels } from '../../constructs/platform/contract';
import type { Manifest } from '../../src/synth/manifest';
import { NetworkPolicyModel, type Endpoint, type PodEndpoint } from '../../src/validation/network-policy';
import { environmentWithFixtures, informationMediator } from './support';

/**
 * The Information Mediator's isolation, stated as the exact set of allowed flows and checked by
 * evaluating the synthesised NetworkPolicies, with pods of other components standing around.
 */

const PORTS = [22, 53, 80, 443, 4000, 4001, 4002, 5432, 5500, 5577, 6443, 8000, 8080, 8333, 8443, 8888, 8899];

const pod = (workload: string, labels: Record<string, string>, ports: number[] = []): PodEndpoint => ({
  kind: 'pod',
  workload,
  namespace: workload.split('/')[1],
  labels,
  ports: ports.map((port) => ({ port, protocol: 'TCP' })),
});

/**
 * Pods of other components around the xroad namespace: building blocks in namespaces labelled as the
 * provider's clients (as the building-blocks layer labels them), an e-service the country deployed into
 * the kit's e-services namespace, and a stranger in a namespace that is nobody's client.
 */
function surroundings(env: Environment): { pods: Record<string, PodEndpoint>; namespaceLabels: Record<string, Record<string, string>> } {
  const buildingBlockLabels = xroadClientNamespaceLabels(providerMember(env));
  return {
    pods: {
      'bb-registry': pod('Deployment/bb-digital-registries/fixture-registry-api', { app: 'registry' }, [8080]),
      'bb-registration': pod('Deployment/bb-registration/fixture-registration-server', { app: 'registration' }, [8000]),
      eservice: pod('Deployment/e-services/portal', { app: 'portal' }, [8080]),
      'gateway-internal': pod('Deployment/envoy-gateway-system/internal', gatewayProxyPodLabels('internal')),
      'gateway-external': pod('Deployment/envoy-gateway-system/external', gatewayProxyPodLabels('external')),
      'cnpg-operator': pod('Deployment/cnpg-system/cnpg', { 'app.kubernetes.io/name': 'cloudnative-pg' }),
      'object-store': pod('StatefulSet/object-store/seaweedfs', { app: 'seaweedfs' }, [8333]),
      stranger: pod('Deployment/elsewhere/stranger', { app: 'stranger' }, [8080]),
    },
    namespaceLabels: { 'bb-digital-registries': buildingBlockLabels, 'bb-registration': buildingBlockLabels },
  };
}

/** Every allowed flow with an end in the xroad or e-services namespace, as "from -> to:port". */
function allowedFlows(env: Environment, manifests: Manifest[], named: Record<string, string>): string[] {
  const around = surroundings(env);
  const model = new NetworkPolicyModel(manifests, { extraPods: Object.values(around.pods), namespaceLabels: around.namespaceLabels });
  const byPrefix = (prefix: string) => {
    const found = model.pods.filter((p) => p.workload.startsWith(prefix));
    if (found.length !== 1) throw new Error(`expected one pod for ${prefix}, found ${found.map((p) => p.workload)}`);
    return found[0];
  };
  const endpoints: Record<string, Endpoint> = {
    ...Object.fromEntries(Object.entries(named).map(([name, prefix]) => [name, byPrefix(prefix)])),
    ...around.pods,
    internet: { kind: 'external', ip: '203.0.113.10' },
    'api-server': { kind: 'external', ip: env.platform.apiServer.cidrs[0].split('/')[0] },
    // The off-cluster backup store the environment names (production's backups leave the building).
    ...(env.platform.backups.target ? { 'backup-target': { kind: 'external', ip: env.platform.backups.target.cidrs[0].split('/')[0] } } : {}),
  };
  const unnamed = model.pods.filter((p) => p.namespace === 'xroad' && !Object.values(endpoints).includes(p));
  if (unnamed.length > 0) throw new Error(`pods without a name in this test: ${unnamed.map((p) => p.workload)}`);
  const inXroad = (e: Endpoint) => e.kind === 'pod' && ['xroad', 'e-services'].includes(e.namespace);
  const flows: string[] = [];
  for (const [fromName, from] of Object.entries(endpoints)) {
    for (const [toName, to] of Object.entries(endpoints)) {
      if (fromName === toName || !(inXroad(from) || inXroad(to))) continue;
      for (const port of PORTS) if (model.allows({ from, to, port })) flows.push(`${fromName} -> ${toName}:${port}`);
    }
  }
  return flows.sort();
}

const flows = (froms: string[], tos: string[], ports: number[]) =>
  froms.flatMap((from) => tos.filter((to) => to !== from).flatMap((to) => ports.map((port) => `${from} -> ${to}:${port}`)));

describe('production (veloria-production): the network allows exactly the X-Road flows', () => {
  const env = environmentWithFixtures('veloria-production');
  const { manifests } = informationMediator(env);
  const servers = ['provider-primary', 'provider-secondary', 'consumer-primary', 'consumer-secondary'];

  it('and nothing else', () => {
    const actual = allowedFlows(
      env,
      manifests,
      {
        'provider-primary': 'StatefulSet/xroad/ss-gov-platform-primary',
        'provider-secondary': 'Deployment/xroad/ss-gov-platform-secondary',
        'provider-db': 'Cluster/xroad/ss-gov-platform-db',
        'provider-registration': 'CronJob/xroad/ss-gov-platform-register-services',
        'consumer-primary': 'StatefulSet/xroad/ss-eservices-primary',
        'consumer-secondary': 'Deployment/xroad/ss-eservices-secondary',
        'consumer-db': 'Cluster/xroad/ss-eservices-db',
        'consumer-registration': 'CronJob/xroad/ss-eservices-register-services',
      },
    );
    const expected = [
      // clients -> their own security server's TLS client port only (never plain 8080): building blocks the
      // provider's, e-services the consumer's. Which subsystem a client calls as, X-Road decides by its certificate.
      ...flows(['bb-registry', 'bb-registration'], ['provider-secondary'], [8443]),
      ...flows(['eservice'], ['consumer-secondary'], [8443]),
      // security server <-> security server, here and across the national instance
      ...flows(servers, ['provider-secondary', 'consumer-secondary'], [5500, 5577]),
      // (peerCidrs and the central server, OCSP and TSA addresses are anywhere, the API server's addresses included)
      ...flows(['internet', 'api-server', 'backup-target'], ['provider-secondary', 'consumer-secondary'], [5500, 5577]),
      ...flows(servers, ['internet', 'api-server', 'backup-target'], [80, 443, 4001, 4002, 5500, 5577]),
      // admin API only from the internal gateway and each server's own registration Job
      ...flows(['gateway-internal'], ['provider-primary', 'consumer-primary'], [4000]),
      ...flows(['provider-registration'], ['provider-primary'], [4000]),
      ...flows(['consumer-registration'], ['consumer-primary'], [4000]),
      // the registration Jobs read the client certificates cert-manager issued
      ...flows(['provider-registration', 'consumer-registration'], ['api-server'], env.platform.apiServer.ports),
      // configuration sync: secondaries to their own primary
      ...flows(['provider-secondary'], ['provider-primary'], [22]),
      ...flows(['consumer-secondary'], ['consumer-primary'], [22]),
      // each server to its own database; the operator, the API server and backups for the databases
      ...flows(['provider-primary', 'provider-secondary'], ['provider-db'], [5432]),
      ...flows(['consumer-primary', 'consumer-secondary'], ['consumer-db'], [5432]),
      ...flows(['cnpg-operator'], ['provider-db', 'consumer-db'], [5432, 8000]),
      ...flows(['provider-db', 'consumer-db'], ['api-server'], [6443]),
      ...flows(['provider-db', 'consumer-db'], ['backup-target'], [443]),
      // the provider's server forwards requests to the building blocks whose services it publishes
      ...flows(['provider-primary', 'provider-secondary'], ['bb-registry'], [8080]),
      ...flows(['provider-primary', 'provider-secondary'], ['bb-registration'], [8000]),
    ].sort();
    expect(actual).toEqual(expected);
  });
});

describe('sandbox: the network allows exactly the flows of the self-contained instance', () => {
  const env = environmentWithFixtures('sandbox');
  const { manifests } = informationMediator(env);

  it('and nothing else', () => {
    const actual = allowedFlows(
      env,
      manifests,
      {
        provider: 'StatefulSet/xroad/ss-provider',
        consumer: 'StatefulSet/xroad/ss-consumer',
        'provider-registration': 'CronJob/xroad/ss-provider-register-services',
        'consumer-registration': 'CronJob/xroad/ss-consumer-register-services',
        'central-server': 'StatefulSet/xroad/xroad-central-server',
        'test-ca': 'StatefulSet/xroad/xroad-test-ca',
        bootstrap: 'Job/xroad/xroad-bootstrap-',
      },
    );
    const expected = [
      ...flows(['bb-registry', 'bb-registration'], ['provider'], [8443]),
      ...flows(['eservice'], ['consumer'], [8443]),
      ...flows(['provider', 'consumer'], ['provider', 'consumer'], [5500, 5577]),
      ...flows(['provider', 'consumer'], ['central-server'], [80, 443, 4001, 4002]),
      ...flows(['provider', 'consumer'], ['test-ca'], [8888, 8899]),
      ...flows(['gateway-internal', 'bootstrap'], ['provider', 'consumer', 'central-server'], [4000]),
      ...flows(['bootstrap'], ['test-ca'], [8888]),
      ...flows(['provider-registration'], ['provider'], [4000]),
      ...flows(['consumer-registration'], ['consumer'], [4000]),
      // (the sandbox names no API-server addresses: anywhere, as for every pod that calls the API)
      ...flows(['provider-registration', 'consumer-registration'], ['api-server', 'internet'], env.platform.apiServer.ports),
      ...flows(['provider'], ['bb-registry'], [8080]),
      ...flows(['provider'], ['bb-registration'], [8000]),
    ].sort();
    expect(actual).toEqual(expected);
  });
});
