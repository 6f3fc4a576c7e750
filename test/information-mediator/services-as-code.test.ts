import { loadEnvironment } from '../../constructs/environment/load';
import { SHIPPED_ENVIRONMENTS } from '../support/shipped';
import { enabledEntries } from '../../constructs/catalogue';
import { buildingBlockServiceEndpoint, collectServiceCatalogue } from '../../constructs/information-mediator';
import type { RegistrationInput } from '../../constructs/information-mediator';
import { environmentWithFixtures, find, FIXTURE_ENTRIES, informationMediator } from './support';

const env = environmentWithFixtures('veloria-production');
const { manifests, documents } = informationMediator(env);
const inputOf = (member: string): RegistrationInput => JSON.parse(find(manifests, 'ConfigMap', `ss-${member}-register-services`).data['input.json']);
const declared = FIXTURE_ENTRIES.flatMap((entry) => entry.apis.map((api) => ({ entry, api })));

describe('services as code: the building blocks\' API declarations become X-Road services', () => {
  it('puts every declared API in the provider\'s registration input, with its OpenAPI 3 description and in-cluster URL', () => {
    const input = inputOf('gov-platform');
    expect(input.services.map((s) => [s.provider, s.serviceCode]).sort()).toEqual(
      declared.map(({ entry, api }) => [`VELORIA:GOV:7000002:${entry.buildingBlock.toUpperCase()}`, api.serviceCode]).sort(),
    );
    expect(input.services.find((s) => s.serviceCode === 'registry-data')).toEqual({
      provider: 'VELORIA:GOV:7000002:DIGITAL-REGISTRIES',
      serviceCode: 'registry-data',
      descriptionType: 'OPENAPI3',
      descriptionUrl: 'http://fixture-registry-api.bb-digital-registries.svc:8080/openapi.json',
      serviceUrl: 'http://fixture-registry-api.bb-digital-registries.svc:8080/api/v1',
      consumers: ['VELORIA:GOV:7000002:REGISTRATION', 'VELORIA:GOV:7000003:E-SERVICES'],
    });
    expect(input.adminUrl).toBe('https://ss-gov-platform-admin.xroad.svc:4000');
  });

  it('grants access to exactly the declared callers that are deployed, and to no one for an API nobody may call', () => {
    const byCode = Object.fromEntries(inputOf('gov-platform').services.map((s) => [s.serviceCode, s.consumers]));
    expect(byCode).toEqual({
      'registry-admin': [],
      'registry-data': ['VELORIA:GOV:7000002:REGISTRATION', 'VELORIA:GOV:7000003:E-SERVICES'],
      applications: ['VELORIA:GOV:7000002:DIGITAL-REGISTRIES', 'VELORIA:GOV:7000003:E-SERVICES'],
    });
    const catalogue = collectServiceCatalogue(env, FIXTURE_ENTRIES);
    expect(catalogue.services.find((s) => s.serviceCode === 'applications')?.absentCallers).toEqual(['workflow']);
  });

  it('hosts each building block\'s subsystem on the provider\'s server and e-services on the consumer\'s', () => {
    expect(inputOf('gov-platform').subsystems.map((s) => s.id)).toEqual(['VELORIA:GOV:7000002:DIGITAL-REGISTRIES', 'VELORIA:GOV:7000002:REGISTRATION']);
    expect(inputOf('eservices')).toMatchObject({ subsystems: [{ id: 'VELORIA:GOV:7000003:E-SERVICES', subsystemCode: 'E-SERVICES' }], services: [] });
  });

  it('writes the catalogue as a reviewable table: provider, service, allowed consumers', () => {
    const table = documents.get('xroad-service-catalogue.md')!;
    expect(table).toContain('| Provider | Service | Description | Allowed consumers |');
    for (const { api } of declared) expect(table).toContain(`| \`${api.serviceCode}\` |`);
    expect(table).toContain(
      '| `VELORIA:GOV:7000002:REGISTRATION` | `applications` | OpenAPI 3: https://docs.registration.example/openapi.yaml | `VELORIA:GOV:7000002:DIGITAL-REGISTRIES`<br>`VELORIA:GOV:7000003:E-SERVICES`<br>not deployed, so not granted: workflow |',
    );
    expect(table).toContain('| `VELORIA:GOV:7000002:DIGITAL-REGISTRIES` | `registry-admin` | REST: http://fixture-registry-api.bb-digital-registries.svc:8080/admin<br>no OpenAPI document: the fixture serves no OpenAPI document for its admin API | (none) |');
  });

  it('registers through a throttled, idempotent CronJob per security server that uses a temporary API key', () => {
    const cronJob = find(manifests, 'CronJob', 'ss-gov-platform-register-services');
    expect(cronJob.spec).toMatchObject({ concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 600 });
    const scripts = find(manifests, 'ConfigMap', 'ss-gov-platform-register-services').data;
    expect(scripts['xroad_api.py']).toContain("MIN_INTERVAL = float(os.environ.get('XROAD_API_MIN_INTERVAL', '0.25'))");
    expect(scripts['xroad_api.py']).toContain("'/api/v1/api-keys'");
    expect(scripts['register_services.py']).toContain("'type': kind");
    expect(scripts['register_services.py']).toContain('revoke_temporary_key');
  });

  it('joining the national instance, imports the anchor the operator put in the cluster and initialises the server', () => {
    expect(inputOf('gov-platform').initialise).toEqual({
      anchorFile: '/anchor/configuration-anchor.xml',
      pinFile: '/credentials/token-pin',
      anchorSource: 'ConfigMap xroad-configuration-anchor (key configuration-anchor.xml)',
      ownerMemberClass: 'GOV',
      ownerMemberCode: '7000002',
      serverCode: 'GOV-PLATFORM',
      address: 'ss-gov-platform.xroad.gov.veloria.example',
    });
    const pod = find(manifests, 'CronJob', 'ss-gov-platform-register-services').spec.jobTemplate.spec.template.spec;
    expect(pod.volumes).toContainEqual({
      name: 'anchor',
      configMap: { name: 'xroad-configuration-anchor', optional: true, items: [{ key: 'configuration-anchor.xml', path: 'configuration-anchor.xml' }] },
    });
    const sandbox = informationMediator(environmentWithFixtures('sandbox')).manifests;
    expect(JSON.parse(find(sandbox, 'ConfigMap', 'ss-provider-register-services').data['input.json']).initialise).toBeUndefined();
  });

  it('logs in with the generated credentials mounted as files, named in its input, never through its environment', () => {
    expect(inputOf('gov-platform')).toMatchObject({ adminUser: 'xroad-admin', passwordFile: '/credentials/admin-password' });
    const pod = find(manifests, 'CronJob', 'ss-gov-platform-register-services').spec.jobTemplate.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'credentials', secret: { secretName: 'ss-gov-platform-credentials' } });
    expect(pod.containers[0].env.map((e: { name: string }) => e.name)).toEqual(['PYTHONDONTWRITEBYTECODE', 'PYTHONPATH']);
  });

  it('refuses an API on a component its product does not have', () => {
    const broken = [{ ...FIXTURE_ENTRIES[0], apis: [{ ...FIXTURE_ENTRIES[0].apis[0], component: 'nope' }] }];
    expect(() => collectServiceCatalogue(env, broken)).toThrow(/fixture-registry has no component "nope"/);
  });

  it('keeps an environment without building blocks valid: an empty catalogue, e-services still registered', () => {
    const catalogue = collectServiceCatalogue(env, []);
    expect(catalogue.services).toEqual([]);
    expect(catalogue.subsystems.eservices.map((s) => s.id)).toEqual(['VELORIA:GOV:7000003:E-SERVICES']);
  });
});

describe('building blocks get their X-Road endpoint from the contract, not hand-written strings', () => {
  it('a building block calls another through the provider\'s security server as its own subsystem, over TLS on the client port 8443', () => {
    expect(buildingBlockServiceEndpoint(env, 'registration', 'digital-registries', 'registry-data')).toEqual({
      url: 'https://ss-gov-platform.xroad.svc:8443/r1/VELORIA/GOV/7000002/DIGITAL-REGISTRIES/registry-data',
      xroadClient: 'VELORIA/GOV/7000002/REGISTRATION',
    });
  });

  it('e-services call through the consumer member\'s security server', () => {
    expect(buildingBlockServiceEndpoint(env, 'e-services', 'registration', 'applications')).toEqual({
      url: 'https://ss-eservices.xroad.svc:8443/r1/VELORIA/GOV/7000002/REGISTRATION/applications',
      xroadClient: 'VELORIA/GOV/7000003/E-SERVICES',
    });
  });
});

describe('the shipped environments register every API their enabled products declare', () => {
  it.each(SHIPPED_ENVIRONMENTS)('%s', (name) => {
    const shipped = loadEnvironment(name);
    const entries = enabledEntries(shipped);
    const output = informationMediator(shipped, entries);
    const table = output.documents.get('xroad-service-catalogue.md')!;
    const registered = output.manifests
      .filter((m) => m.kind === 'ConfigMap' && m.metadata.name.endsWith('-register-services'))
      .flatMap((m) => (JSON.parse((m as unknown as { data: Record<string, string> }).data['input.json']) as RegistrationInput).services);
    for (const entry of entries) {
      for (const api of entry.apis) {
        const service = registered.find((s) => s.provider.endsWith(`:${entry.buildingBlock.toUpperCase()}`) && s.serviceCode === api.serviceCode);
        expect(service).toBeDefined();
        expect(table).toContain(`| \`${service!.provider}\` | \`${api.serviceCode}\` |`);
      }
    }
    expect(registered).toHaveLength(entries.flatMap((entry) => entry.apis).length);
  });
});
