import { declaredExceptions } from '../../constructs/baseline/policy-exception';
import { providerMember, xroadClientNamespaceLabel, xroadClientNamespaceLabels } from '../../constructs/information-mediator';
import { loadEnvironment } from '../../constructs/environment/load';
import type { Manifest } from '../../src/synth/manifest';
import { assembleCountry } from '../../stacks/country';
import { environmentWithFixtures, find, informationMediator } from './support';

/** Which namespaces may call a member's security server: those labelled as its clients, and only those. */

describe('the e-services namespace, where a country deploys the consumer members\' clients', () => {
  const env = environmentWithFixtures('marenland-staging');
  const { manifests } = informationMediator(env);
  const inEServices = manifests.filter((m) => m.metadata.namespace === 'e-services' || (m.kind === 'Namespace' && m.metadata.name === 'e-services'));

  it('is a restricted namespace labelled as a client of each consumer member, with the environment\'s medium quota', () => {
    const namespace = find(manifests, 'Namespace', 'e-services');
    expect(namespace.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      [xroadClientNamespaceLabel(env.xroad.members.find((m) => m.role === 'consumer')!)]: 'true',
    });
    expect(Object.keys(namespace.metadata.labels ?? {}).filter((key) => key.startsWith('govstack.dev/xroad-client-of-'))).toEqual([
      'govstack.dev/xroad-client-of-citizen-portal',
    ]);
    const quota = env.platform.namespaceQuotas.medium;
    expect(find(inEServices, 'ResourceQuota', 'quota').spec.hard).toMatchObject({ pods: quota.pods, 'requests.cpu': String(quota.cpu) });
  });

  it('holds no workload of the kit, only the baseline, the E-SERVICES subsystem\'s client certificate and the allow to the consumer\'s security server TLS client port', () => {
    expect(inEServices.map((m: Manifest) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'Certificate/xroad-client',
      'LimitRange/container-defaults',
      'Namespace/e-services',
      'NetworkPolicy/allow-dns',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/xroad-security-servers',
      'ResourceQuota/quota',
      'Role/ss-citizen-portal-register-services-certificate-reader',
      'RoleBinding/ss-citizen-portal-register-services-certificate-reader',
    ]);
    expect(find(inEServices, 'NetworkPolicy', 'xroad-security-servers').spec).toEqual({
      podSelector: { matchLabels: {} },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'xroad' } },
              podSelector: {
                matchLabels: { 'app.kubernetes.io/name': 'xroad-security-server', 'govstack.dev/xroad-member': 'citizen-portal', 'govstack.dev/xroad-node': 'secondary' },
              },
            },
          ],
          ports: [{ protocol: 'TCP', port: 8443 }],
        },
      ],
    });
  });

  it('the consumer\'s security server admits exactly the namespaces labelled as its clients, and says why none of their pods is in the output', () => {
    const clients = find(manifests, 'NetworkPolicy', 'ss-citizen-portal-clients');
    expect(clients.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'govstack.dev/xroad-client-of-citizen-portal': 'true' } } }]);
    expect(declaredExceptions(clients).get('NET-02')).toMatch(/e-services.*deploys nothing into it/);
  });
});

describe('building-block namespaces', () => {
  it('carry the provider member\'s client label, so building blocks reach the security server they call through', () => {
    const env = loadEnvironment('sandbox');
    const namespaces = assembleCountry(env)
      .charts.flatMap((chart) => chart.toJson() as Manifest[])
      .filter((m) => m.kind === 'Namespace' && m.metadata.name.startsWith('bb-'));
    expect(namespaces.length).toBeGreaterThan(0);
    for (const namespace of namespaces) expect(namespace.metadata.labels).toMatchObject(xroadClientNamespaceLabels(providerMember(env)));
  });
});
