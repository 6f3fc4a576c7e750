import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { adminApiContracts } from './admin-api/contract';
import { FakeSecurityServer, type CertificateRequest, type FakeState } from './fake-security-server';
import { LocalCronJob } from './local-cron-job';
import { certificateHash, certificateRequest, changesIn, succeeded, synthesisedRegistration, TestClientCa, UNPACED } from './registration-run';

// The sandbox's provider security server, as synthesised: its registration CronJob and the ConfigMap
// with the catalogue and the scripts, run against a fake admin API on loopback.
const { manifests, cronJob, input } = synthesisedRegistration('sandbox', 'provider');
const PASSWORD = randomBytes(12).toString('hex');
const securityServerApi = adminApiContracts()['security-server'];

const [instance, memberClass, memberCode] = input.subsystems[0].id.split(':');
const serviceId = (service: { provider: string; serviceCode: string }) => `${service.provider}:${service.serviceCode}`;
const consumers = [...new Set(input.services.flatMap((s) => s.consumers))].sort();

/** Each subsystem's client certificate, as cert-manager issued it in the subsystem's namespace (revision 1). */
let issued: Record<string, string> = {};

/** cert-manager's CertificateRequests in the client namespaces: revision 1 of each subsystem's certificate. */
function issuedRequests(): Record<string, CertificateRequest[]> {
  return Object.fromEntries(
    input.subsystems.map((s) => [s.clientCertificate.namespace, [certificateRequest(s.clientCertificate.name, 1, issued[s.id])]]),
  );
}

/** A registered, initialised security server that has only its owner member, as the sandbox bootstrap leaves it. */
function initialisedServer(overrides: Partial<FakeState> = {}): FakeState {
  return {
    kubernetes: { token: fake.serviceAccountToken, certificate_requests: issuedRequests() },
    instance,
    admin: { user: input.adminUser, password: PASSWORD },
    initialisation: { is_anchor_imported: true, is_server_code_initialized: true, is_server_owner_initialized: true, software_token_init_status: 'INITIALIZED' },
    clients: [{ id: `${instance}:${memberClass}:${memberCode}`, instance_id: instance, member_class: memberClass, member_code: memberCode, owner: true, status: 'REGISTERED' }],
    global_clients: [...new Set([...input.subsystems.map((s) => s.id), ...consumers])],
    service_descriptions: [],
    access_rights: {},
    tls_certificates: {},
    ...overrides,
  };
}

function registeredCertificates(state: FakeState): Record<string, string[]> {
  return Object.fromEntries(input.subsystems.map((s) => [s.id, (state.tls_certificates?.[s.id] ?? []).map((c) => c.hash)]));
}

function grantedIn(state: FakeState): Record<string, string[]> {
  return Object.fromEntries(input.services.map((s) => [serviceId(s), (state.access_rights[serviceId(s)] ?? []).map((r) => r.id).sort()]));
}

function declaredGrants(except: readonly string[] = []): Record<string, string[]> {
  return Object.fromEntries(input.services.map((s) => [serviceId(s), s.consumers.filter((c) => !except.includes(c)).sort()]));
}

let fake: FakeSecurityServer;
const RUN = () => ({ ...UNPACED, ...fake.cluster });

describe('the sandbox provider\'s service registration CronJob against a Security Server admin API (a fake X-Road 7.8 on loopback, TLS)', () => {
  let root: string;
  let job: LocalCronJob;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'govstack-registration-'));
    fake = await FakeSecurityServer.start(root);
    const ca = new TestClientCa(path.join(root, 'ca'));
    issued = Object.fromEntries(input.subsystems.map((s) => [s.id, ca.issue(s.subsystemCode)]));
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
    succeeded(job.run(RUN()));
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
    succeeded(job.run(RUN()));

    const state = await fake.state();
    expect(state.clients.filter((c) => c.id.split(':').length === 4).map((c) => [c.id, c.status, c.connection_type])).toEqual(
      input.subsystems.map((s) => [s.id, 'REGISTRATION_IN_PROGRESS', 'HTTPS']),
    );
    expect(registeredCertificates(state)).toEqual(Object.fromEntries(input.subsystems.map((s) => [s.id, [certificateHash(issued[s.id])]])));
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
    succeeded(job.run(RUN()));
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
    const run = succeeded(job.run(RUN()));
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
    succeeded(job.run(RUN()));
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
    const run = succeeded(job.run(RUN()));
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
    succeeded(job.run(RUN()));
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
    succeeded(job.run(RUN()));
    const waiting = input.services.filter((s) => s.consumers.includes(late));
    expect(waiting.length).toBeGreaterThan(0);
    expect(changesIn(await fake.requests())).toEqual(waiting.map((s) => `POST /api/v1/services/${serviceId(s)}/service-clients`));
    expect(grantedIn(await fake.state())).toEqual(declaredGrants());
  });

  it('authenticates each subsystem\'s callers: a subsystem left with connection type HTTP (as earlier kit versions registered them) becomes HTTPS, and a certificate cert-manager did not issue for it is removed', async () => {
    const [subsystem] = input.subsystems;
    const { namespace, name } = subsystem.clientCertificate;
    const byHand = new TestClientCa(path.join(root, 'by-hand')).issue('somebody else');
    const start = initialisedServer();
    // A server where another certificate was registered for the subsystem, and its connection type set back to HTTP.
    const tampered = await converged({ ...start, kubernetes: { ...start.kubernetes!, certificate_requests: { ...start.kubernetes!.certificate_requests, [namespace]: [certificateRequest(name, 1, byHand)] } } });
    await fake.reset({ ...tampered, kubernetes: start.kubernetes, clients: tampered.clients.map((c) => (c.id === subsystem.id ? { ...c, connection_type: 'HTTP' } : c)) });
    succeeded(job.run(RUN()));
    expect(changesIn(await fake.requests())).toEqual([
      `PATCH /api/v1/clients/${subsystem.id}`,
      `POST /api/v1/clients/${subsystem.id}/tls-certificates`,
      `DELETE /api/v1/clients/${subsystem.id}/tls-certificates/${certificateHash(byHand)}`,
    ]);
    const after = await fake.state();
    expect(after.clients.find((c) => c.id === subsystem.id)?.connection_type).toBe('HTTPS');
    expect(registeredCertificates(after)[subsystem.id]).toEqual([certificateHash(issued[subsystem.id])]);
  });

  it('after a renewal registers the new certificate and keeps the previous one, which pods started before still present; the one before that goes', async () => {
    const state = await converged();
    const [subsystem] = input.subsystems;
    const ca = new TestClientCa(path.join(root, 'renewals'));
    const [second, third] = [ca.issue(subsystem.subsystemCode), ca.issue(subsystem.subsystemCode)];
    const { namespace, name } = subsystem.clientCertificate;
    const renewed = (requests: CertificateRequest[]) => ({ ...state, kubernetes: { ...state.kubernetes!, certificate_requests: { ...state.kubernetes!.certificate_requests, [namespace]: requests } } });

    await fake.reset(renewed([certificateRequest(name, 1, issued[subsystem.id]), certificateRequest(name, 2, second)]));
    succeeded(job.run(RUN()));
    expect(changesIn(await fake.requests())).toEqual([`POST /api/v1/clients/${subsystem.id}/tls-certificates`]);
    expect(registeredCertificates(await fake.state())[subsystem.id]).toEqual([certificateHash(issued[subsystem.id]), certificateHash(second)]);

    // cert-manager keeps two revisions (revisionHistoryLimit: 2): after the next renewal the first is gone from the cluster.
    const { api_keys: _keys, ...afterSecond } = await fake.state();
    await fake.reset({ ...afterSecond, kubernetes: renewed([certificateRequest(name, 2, second), certificateRequest(name, 3, third)]).kubernetes });
    succeeded(job.run(RUN()));
    expect(changesIn(await fake.requests())).toEqual([
      `POST /api/v1/clients/${subsystem.id}/tls-certificates`,
      `DELETE /api/v1/clients/${subsystem.id}/tls-certificates/${certificateHash(issued[subsystem.id])}`,
    ]);
    expect(registeredCertificates(await fake.state())[subsystem.id]).toEqual([certificateHash(second), certificateHash(third)]);
  });

  it('sets HTTPS before any certificate is issued, so that until one is nobody can call as the subsystem; it registers the certificate on the run after cert-manager issued it', async () => {
    const [subsystem] = input.subsystems;
    const { namespace, name } = subsystem.clientCertificate;
    const start = initialisedServer();
    await fake.reset({ ...start, kubernetes: { ...start.kubernetes!, certificate_requests: { ...start.kubernetes!.certificate_requests, [namespace]: [certificateRequest(name, 1)] } } });
    const run = succeeded(job.run(RUN()));
    expect(run.output).toContain(`no client certificate issued yet for ${subsystem.id} (Certificate ${name} in namespace ${namespace})`);
    const state = await fake.state();
    expect(state.clients.find((c) => c.id === subsystem.id)?.connection_type).toBe('HTTPS');
    expect(registeredCertificates(state)[subsystem.id]).toEqual([]);
  });

  it('reads only cert-manager\'s CertificateRequests of the subsystems\' own namespaces, and when the Kubernetes API refuses it leaves the registered certificates as they are', async () => {
    const state = await converged();
    succeeded(job.run(RUN()));
    expect((await fake.kubernetesRequests()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(
      input.subsystems.map((s) => `GET /apis/cert-manager.io/v1/namespaces/${s.clientCertificate.namespace}/certificaterequests 200`),
    );

    await fake.reset({ ...state, kubernetes: { ...state.kubernetes!, token: 'another token' } });
    const run = succeeded(job.run(RUN()));
    expect(run.output).toContain(`cannot read the client certificates of ${input.subsystems[0].id}`);
    expect(changesIn(await fake.requests())).toEqual([]);
  });

  it('on a security server not initialised yet, exits 0 after reading the status: no API key, no change', async () => {
    const notInitialised = initialisedServer({ initialisation: { is_anchor_imported: true } });
    await fake.reset(notInitialised);
    const run = succeeded(job.run(RUN()));
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
