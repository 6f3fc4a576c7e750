import { CLUSTER_ISSUERS } from '../../constructs/platform/contract';
import { collectServiceCatalogue, registrationInput, securityServer, XROAD_CLIENT_CERTIFICATE } from '../../constructs/information-mediator';
import { loadEnvironment } from '../../constructs/environment/load';
import type { Manifest } from '../../src/synth/manifest';
import { assembleCountry } from '../../stacks/country';

// Each X-Road client namespace gets its own subsystem's client certificate from the cluster's CA,
// and its member's registration CronJob may read what was issued (never the key).

type Json = Record<string, any>;

describe.each(['sandbox', 'veloria-production'])('%s: every subsystem\'s client certificate', (name) => {
  const env = loadEnvironment(name);
  const manifests = assembleCountry(env).charts.flatMap((chart) => chart.toJson() as Manifest[]) as Json[];
  const catalogue = collectServiceCatalogue(env);
  const subsystems = Object.values(catalogue.subsystems).flat();
  const inNamespace = (kind: string, namespace: string) => manifests.filter((m) => m.kind === kind && m.metadata.namespace === namespace);

  it('is exercised with building blocks and the e-services', () => {
    expect(subsystems.map((s) => s.namespace)).toEqual(expect.arrayContaining(['e-services', 'bb-workflow']));
  });

  it('is a cert-manager Certificate in the subsystem\'s own namespace, for client authentication, from the internal CA, with a new key at each renewal', () => {
    for (const subsystem of subsystems) {
      const [certificate, ...others] = inNamespace('Certificate', subsystem.namespace);
      expect(others).toEqual([]);
      expect(certificate.metadata.name).toBe(XROAD_CLIENT_CERTIFICATE.name);
      expect(certificate.spec).toMatchObject({
        secretName: XROAD_CLIENT_CERTIFICATE.secretName,
        commonName: subsystem.id.replace(/:/g, '/'),
        issuerRef: { name: CLUSTER_ISSUERS.internal.name, kind: 'ClusterIssuer' },
        usages: expect.arrayContaining(['client auth']),
        privateKey: { rotationPolicy: 'Always' },
        // the registration keeps the previous certificate registered while pods still present it
        revisionHistoryLimit: 2,
      });
    }
  });

  it('is what the member\'s registration registers for the subsystem, with connection type HTTPS', () => {
    for (const member of env.xroad.members) {
      const input = registrationInput(securityServer(member), catalogue, 'xroad-admin');
      for (const subsystem of input.subsystems) {
        const namespace = subsystems.find((s) => s.id === subsystem.id)!.namespace;
        expect(subsystem).toMatchObject({ connectionType: 'HTTPS', clientCertificate: { namespace, name: XROAD_CLIENT_CERTIFICATE.name } });
      }
    }
  });

  it('lets only that member\'s registration CronJob read the issued certificates, and nothing else: CertificateRequests hold no key', () => {
    for (const subsystem of subsystems) {
      const account = `ss-${subsystem.member.name}-register-services`;
      const [role, ...otherRoles] = inNamespace('Role', subsystem.namespace).filter((r) => r.metadata.name.startsWith(account));
      expect(otherRoles).toEqual([]);
      expect(role.rules).toEqual([{ apiGroups: ['cert-manager.io'], resources: ['certificaterequests'], verbs: ['list'] }]);
      const binding = inNamespace('RoleBinding', subsystem.namespace).find((b) => b.roleRef.name === role.metadata.name)!;
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: account, namespace: 'xroad' }]);
    }
  });

  it('leaves its key in the cluster: no Secret and no private key in the synthesised output', () => {
    expect(manifests.filter((m) => m.kind === 'Secret' && m.metadata.name === XROAD_CLIENT_CERTIFICATE.secretName)).toEqual([]);
    expect(JSON.stringify(manifests)).not.toMatch(/PRIVATE KEY/);
  });
});
