import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { adminApiContracts } from './admin-api/contract';
import { FakeSecurityServer, type FakeState } from './fake-security-server';
import { LocalCronJob } from './local-cron-job';
import { changesIn, succeeded, synthesisedRegistration, UNPACED } from './registration-run';

// The sandbox's provider security server, as synthesised: its registration CronJob and the ConfigMap
// with the catalogue and the scripts, run against a fake admin API on loopback.
const { manifests, cronJob, input } = synthesisedRegistration('sandbox', 'provider');
const PASSWORD = randomBytes(12).toString('hex');
const securityServerApi = adminApiContracts()['security-server'];

const [instance, memberClass, memberCode] = input.subsystems[0].id.split(':');
const serviceId = (service: { provider: string; serviceCode: string }) => `${service.provider}:${service.serviceCode}`;
const consumers = [...new Set(input.services.flatMap((s) => s.consumers))].sort();

/** A registered, initialised security server that has only its owner member, as the sandbox bootstrap leaves it. */
function initialisedServer(overrides: Partial<FakeState> = {}): FakeState {
  return {
    instance,
    admin: { user: input.adminUser, password: PASSWORD },
    initialisation: { is_anchor_imported: true, is_server_code_initialized: true, is_server_owner_initialized: true, software_token_init_status: 'INITIALIZED' },
    clients: [{ id: `${instance}:${memberClass}:${memberCode}`, instance_id: instance, member_class: memberClass, member_code: memberCode, owner: true, status: 'REGISTERED' }],
    global_clients: [...new Set([...input.subsystems.map((s) => s.id), ...consumers])],
    service_descriptions: [],
    access_rights: {},
    ...overrides,
  };
}

function grantedIn(state: FakeState): Record<string, string[]> {
  return Object.fromEntries(input.services.map((s) => [serviceId(s), (state.access_rights[serviceId(s)] ?? []).map((r) => r.id).sort()]));
}

function declaredGrants(except: readonly string[] = []): Record<string, string[]> {
  return Object.fromEntries(input.services.map((s) => [serviceId(s), s.consumers.filter((c) => !except.includes(c)).sort()]));
}

describe('the sandbox provider\'s service registration CronJob against a Security Server admin API (a fake X-Road 7.8 on loopback, TLS)', () => {
  let root: string;
  let fake: FakeSecurityServer;
  let job: LocalCronJob;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'govstack-registration-'));
    fake = await FakeSecurityServer.start(root);
    job = new LocalCronJob(manifests, cronJob, path.join(root, 'pod'), {
      secrets: { 'ss-provider-credentials': { 'admin-password': PASSWORD } },
      addresses: { [input.adminUrl]: fake.url },
    });
  });

  afterAll(() => {
    fake?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  // Each scenario fails on its own if the script sent, or the fake answered, anything X-Road's
  // published admin API definition (at the pinned version) does not have.
  afterEach(async () => expect(securityServerApi.violationsIn(await fake.exchanges())).toEqual([]));

  /** The server after one run from `start`, with the request log cleared. */
  async function converged(start: FakeState = initialisedServer()): Promise<FakeState> {
    await fake.reset(start);
    succeeded(job.run(UNPACED));
    const { api_keys: _keys, ...state } = await fake.state();
    await fake.reset(state);
    return state;
  }

  it('is exercised with a catalogue that has subsystems, services and consumers', () => {
    expect(input.subsystems.length).toBeGreaterThan(1);
    expect(input.services.length).toBeGreaterThan(1);
    expect(consumers.length).toBeGreaterThan(1);
  });

  it('a first run adds and registers the subsystems, adds each API as an enabled OpenAPI 3 service pointed at its building block, grants exactly the declared consumers and revokes its API key', async () => {
    await fake.reset(initialisedServer());
    succeeded(job.run(UNPACED));

    const state = await fake.state();
    expect(state.clients.filter((c) => c.id.split(':').length === 4).map((c) => [c.id, c.status, c.connection_type])).toEqual(
      input.subsystems.map((s) => [s.id, 'REGISTRATION_IN_PROGRESS', 'HTTP']),
    );
    const described = (d: FakeState['service_descriptions'][number]) => ({
      client: d.client_id,
      type: d.type,
      url: d.url,
      disabled: d.disabled,
      services: d.services.map((s) => [s.service_code, s.url]),
    });
    expect(state.service_descriptions.map(described)).toEqual(
      input.services.map((s) => ({ client: s.provider, type: s.descriptionType, url: s.descriptionUrl, disabled: false, services: [[s.serviceCode, s.serviceUrl]] })),
    );
    expect(grantedIn(state)).toEqual(declaredGrants());
    expect(state.api_keys).toEqual([]);
  });

  it('does the catalogue\'s work with a temporary API key holding only its three roles, never with the admin session', async () => {
    await fake.reset(initialisedServer());
    succeeded(job.run(UNPACED));
    const requests = await fake.requests();
    const keyAt = requests.findIndex((r) => r.method === 'POST' && r.path === '/api/v1/api-keys');
    expect(requests.slice(0, keyAt + 1).map((r) => [r.method, r.path, r.principal])).toEqual([
      ['POST', '/login', 'session:xroad-admin'],
      ['GET', '/api/v1/initialization/status', 'session:xroad-admin'],
      ['POST', '/api/v1/api-keys', 'session:xroad-admin'],
    ]);
    expect(requests[keyAt].body).toEqual(['XROAD_SERVICE_ADMINISTRATOR', 'XROAD_REGISTRATION_OFFICER', 'XROAD_SECURITYSERVER_OBSERVER']);
    const catalogueWork = requests.slice(keyAt + 1, -1);
    expect(catalogueWork.length).toBeGreaterThan(input.services.length);
    expect(new Set(catalogueWork.map((r) => r.principal))).toEqual(new Set(['api-key:1']));
    expect(requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/v1/api-keys/1', principal: 'session:xroad-admin' });
    expect(requests.filter((r) => r.status >= 300)).toEqual([]);
  });

  it('a second run changes nothing: it writes only its login and its own temporary API key', async () => {
    const before = await converged();
    const run = succeeded(job.run(UNPACED));
    expect(run.output).toContain('0 changes; the security server matches the catalogue');
    const requests = await fake.requests();
    expect(requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /login',
      'POST /api/v1/api-keys',
      'DELETE /api/v1/api-keys/1',
    ]);
    const { api_keys: keys, ...after } = await fake.state();
    expect(after).toEqual(before);
    expect(keys).toEqual([]);
  });

  it('revokes access rights on a kit service that the catalogue does not declare, and keeps the declared ones', async () => {
    const state = await converged();
    const service = input.services[0];
    const undeclared = input.subsystems.map((s) => s.id).find((id) => id !== service.provider && !service.consumers.includes(id))!;
    await fake.reset({
      ...state,
      access_rights: {
        ...state.access_rights,
        [serviceId(service)]: [
          ...state.access_rights[serviceId(service)],
          { id: undeclared, service_client_type: 'SUBSYSTEM' },
          { id: `${instance}:security-server-owners`, service_client_type: 'GLOBALGROUP' },
        ],
      },
    });
    succeeded(job.run(UNPACED));
    expect(changesIn(await fake.requests())).toEqual([`POST /api/v1/services/${serviceId(service)}/service-clients/delete`]);
    expect(grantedIn(await fake.state())).toEqual(declaredGrants());
  });

  it('registers an API without an OpenAPI document as a REST service by its base URL, and changes a description of the other type by adding it again with its access rights', async () => {
    const rest = input.services.find((s) => s.descriptionType === 'REST')!;
    expect(rest.descriptionUrl).toBe(rest.serviceUrl);
    const state = await converged();
    const described = state.service_descriptions.find((d) => d.services.some((s) => s.service_code === rest.serviceCode))!;
    expect(described).toMatchObject({ type: 'REST', url: rest.serviceUrl, services: [{ service_code: rest.serviceCode, url: rest.serviceUrl }] });

    // The same service left as an OPENAPI3 description (as the kit registered Camunda's before 7.24).
    await fake.reset({ ...state, service_descriptions: state.service_descriptions.map((d) => (d === described ? { ...d, type: 'OPENAPI3', url: `${rest.serviceUrl}/openapi.json` } : d)) });
    const run = succeeded(job.run(UNPACED));
    expect(run.output).toContain(`removed the OpenAPI 3 description of ${rest.serviceCode} to add it as REST base URL`);
    const { api_keys: _keys, ...after } = await fake.state();
    expect(after.service_descriptions.find((d) => d.services.some((s) => s.service_code === rest.serviceCode))).toMatchObject({ type: 'REST', url: rest.serviceUrl, disabled: false });
    expect(grantedIn(after)).toEqual(declaredGrants());
  });

  it('puts back what was changed by hand: a service URL, a disabled description, an OpenAPI 3 description the catalogue lacks', async () => {
    const state = await converged();
    const [moved, disabled] = state.service_descriptions;
    const owner = input.services[0].provider;
    await fake.reset({
      ...state,
      service_descriptions: [
        { ...moved, services: [{ ...moved.services[0], url: 'http://elsewhere.example/api' }] },
        { ...disabled, disabled: true },
        ...state.service_descriptions.slice(2),
        { id: '99', client_id: owner, url: 'http://by-hand.example/openapi.json', type: 'OPENAPI3', disabled: false, disabled_notice: 'Out of order', services: [{ service_code: 'by-hand', url: 'http://by-hand.example', timeout: 60 }] },
      ],
    });
    succeeded(job.run(UNPACED));
    expect(changesIn(await fake.requests())).toEqual([
      `PATCH /api/v1/services/${moved.client_id}:${moved.services[0].service_code}`,
      `PUT /api/v1/service-descriptions/${disabled.id}/enable`,
      'DELETE /api/v1/service-descriptions/99',
    ]);
    const { api_keys: _keys, ...after } = await fake.state();
    expect(after).toEqual(state);
  });

  it('grants the consumers the global configuration knows at once, and each other one on a later run once it is registered', async () => {
    const late = consumers.find((c) => !input.subsystems.some((s) => s.id === c))!;
    expect(late).toBeDefined();
    const start = initialisedServer();
    const first = await converged({ ...start, global_clients: start.global_clients.filter((c) => c !== late) });
    expect(grantedIn(first)).toEqual(declaredGrants([late]));

    await fake.reset({ ...first, global_clients: start.global_clients });
    succeeded(job.run(UNPACED));
    const waiting = input.services.filter((s) => s.consumers.includes(late));
    expect(waiting.length).toBeGreaterThan(0);
    expect(changesIn(await fake.requests())).toEqual(waiting.map((s) => `POST /api/v1/services/${serviceId(s)}/service-clients`));
    expect(grantedIn(await fake.state())).toEqual(declaredGrants());
  });

  it('on a security server not initialised yet, exits 0 after reading the status: no API key, no change', async () => {
    const notInitialised = initialisedServer({ initialisation: { is_anchor_imported: true } });
    await fake.reset(notInitialised);
    const run = succeeded(job.run(UNPACED));
    expect(run.output).toContain('the security server is not initialised yet');
    expect((await fake.requests()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /login 200', 'GET /api/v1/initialization/status 200']);
    const { api_keys: keys, ...after } = await fake.state();
    expect(after).toEqual(notInitialised);
    expect(keys).toEqual([]);
  });

  it('paces its requests to X-Road\'s rate limits unless told otherwise', async () => {
    await fake.reset(initialisedServer({ initialisation: {} }));
    succeeded(job.run());
    const [login, status] = await fake.requests();
    // The script starts a request at least 0.25 s after the previous one started; the server sees
    // their arrivals, each late by however long the loaded machine took to deliver it.
    expect(status.at - login.at).toBeGreaterThanOrEqual(0.2);
  });
});
