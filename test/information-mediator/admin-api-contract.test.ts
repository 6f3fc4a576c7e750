import { shippedEnvironments } from '../support/shipped';
import { adminApiContracts, PINNED_XROAD_VERSION, recordedAdminApis } from './admin-api/contract';
import { API_OF, callViolations, scriptCalls, type ScriptCall } from './admin-api/script-calls';
import { DEFINITIONS, KIT_OPERATIONS, SOURCE_DESCRIBED } from './admin-api/selection';

// The X-Road scripts are held to X-Road's own published admin API definitions, recorded from
// nordic-institute/X-Road at the pinned tag (admin-api/extract.ts), not to the kit's belief about
// them. The scenarios that run the scripts (registration-script, registration-joining,
// bootstrap-script) check every request and answer against the same recording.
const recorded = recordedAdminApis(PINNED_XROAD_VERSION);
const contracts = adminApiContracts();
const { calls, defaultAccept } = scriptCalls();

describe('the recorded X-Road admin API definitions', () => {
  it('are those of the X-Road version the kit pins, from a named commit of nordic-institute/X-Road, under its MIT licence', () => {
    expect(recorded.source).toMatchObject({ repository: 'https://github.com/nordic-institute/X-Road', tag: PINNED_XROAD_VERSION, licence: 'MIT' });
    expect(recorded.source.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(recorded.source.files).toEqual(expect.arrayContaining(Object.values(DEFINITIONS)));
  });

  it('exist for every X-Road version a shipped environment runs', () => {
    const versions = new Set(shippedEnvironments().map((env) => env.xroad.securityServer.version));
    for (const version of versions) expect(() => recordedAdminApis(version)).not.toThrow();
  });

  it('hold exactly the operations admin-api/selection.ts names (regenerate with admin-api/extract.ts after changing it)', () => {
    for (const api of ['security-server', 'central-server'] as const) {
      const described = SOURCE_DESCRIBED.filter((d) => (d.apis as readonly string[]).includes(api)).map((d) => `${d.method} ${d.path}`);
      expect(Object.keys(recorded.apis[api].operations).sort()).toEqual([...KIT_OPERATIONS[api], ...described].sort());
    }
  });
});

describe('every admin API call the Information Mediator\'s scripts can make, read from their source', () => {
  it('is found: the form login and temporary API key of XRoadApi, and the calls of each script', () => {
    expect(new Set(calls.map((c) => c.file))).toEqual(new Set(['register_services.py', 'bootstrap_sandbox.py', 'xroad_api.py']));
    expect(calls.filter((c) => c.path === '/login').map((c) => c.receiver).sort()).toEqual(['api', 'cs', 'ss']);
    expect(calls.some((c) => c.path === '/api/v1/api-keys' && c.receiver === 'api')).toBe(true);
    expect(defaultAccept).toBe('application/json');
  });

  it('is an operation of the recorded definition, with declared query parameters, content type, an Accept X-Road can answer, and only fields X-Road defines', () => {
    expect(calls.flatMap((call) => callViolations(contracts[API_OF[call.receiver]], call, defaultAccept))).toEqual([]);
  });

  it('together the calls use every recorded operation: the recording holds nothing the kit does not need', () => {
    const used = new Set(calls.map((call) => `${API_OF[call.receiver]} ${contracts[API_OF[call.receiver]].match(call.method, call.path.split('?')[0].replace(/\{\}/g, 'value'))?.key}`));
    const recordedOperations = (['security-server', 'central-server'] as const).flatMap((api) => Object.keys(recorded.apis[api].operations).map((key) => `${api} ${key}`));
    expect(recordedOperations.filter((operation) => !used.has(operation))).toEqual([]);
  });

  it('downloads ask for what X-Road answers (the anchor as XML, a CSR as bytes): asked for as JSON, X-Road answers 406', () => {
    const downloads = calls.filter((c) => c.path.includes('/anchor/download') || c.path.includes('/csrs/'));
    expect(downloads.map((c) => [c.path.split('?')[0], c.accept])).toEqual([
      ['/api/v1/configuration-sources/INTERNAL/anchor/download', 'application/xml'],
      ['/api/v1/keys/{}/csrs/{}', 'application/octet-stream'],
    ]);
  });
});

describe('the contract check fails what X-Road does not have', () => {
  const securityServer = contracts['security-server'];
  const centralServer = contracts['central-server'];
  const subsystem = { member_class: 'GOV', member_code: 'ACME', subsystem_code: 'REGISTRATION', connection_type: 'HTTP' };

  it('a request field X-Road does not define (a misspelt connection type would be dropped in silence)', () => {
    const { connection_type: _type, ...misspelt } = subsystem;
    expect(securityServer.violations({ method: 'POST', path: '/api/v1/clients', contentType: 'application/json', body: { client: { ...misspelt, conection_type: 'HTTP' } } })).toEqual([
      'POST /api/v1/clients (addClient): the request body at /client has "conection_type", which X-Road does not define',
    ]);
  });

  it('an answer shaped otherwise: a central server\'s configuration signing key whose label is a string, not a KeyLabel', () => {
    const key = { id: '11', label: 'INTERNAL signing key', created_at: '2026-01-12T00:00:00.001Z', active: true, available: true, possible_actions: [] };
    const token = { id: '0', name: 'softToken-0', status: 'OK', logged_in: true, active: true, available: true, configuration_signing_keys: [key] };
    expect(centralServer.violations({ method: 'GET', path: '/api/v1/tokens', status: 200, answer: [token] })).toEqual([
      'GET /api/v1/tokens (getTokens): the 200 answer at /0/configuration_signing_keys/0/label must be object',
    ]);
  });

  it('an answer field X-Road does not have, and a date-time without X-Road\'s milliseconds', () => {
    const client = { id: 'DEV:GOV:ACME:REGISTRATION', ...subsystem, status: 'SAVED', registered_at: '2026-01-01T00:00:00Z' };
    expect(securityServer.violations({ method: 'GET', path: '/api/v1/clients', status: 200, answer: [client] })).toEqual([
      'GET /api/v1/clients (findClients): the 200 answer at /0 has "registered_at", which X-Road does not define',
    ]);
    const description = { id: '1', url: 'http://x.example/openapi.json', type: 'OPENAPI3', disabled: false, disabled_notice: '', refreshed_at: '2026-01-01T00:00:00Z', services: [], client_id: client.id };
    expect(securityServer.violations({ method: 'GET', path: '/api/v1/clients/DEV%3AGOV%3AACME%3AREGISTRATION/service-descriptions', status: 200, answer: [description] })).toEqual([
      'GET /api/v1/clients/DEV%3AGOV%3AACME%3AREGISTRATION/service-descriptions (getClientServiceDescriptions): the 200 answer at /0/refreshed_at must NOT have fewer than 24 characters',
    ]);
  });

  it('an identifier in the path that is not percent-encoded as X-Road\'s own UIs encode it', () => {
    expect(securityServer.violations({ method: 'PUT', path: '/api/v1/clients/DEV:GOV:ACME:REGISTRATION/register' })).toEqual([
      'PUT /api/v1/clients/DEV:GOV:ACME:REGISTRATION/register (registerClient): path parameter id "DEV:GOV:ACME:REGISTRATION" is not percent-encoded as X-Road\'s UIs encode it (encodeURIComponent)',
    ]);
  });

  it('an undeclared query parameter, an operation X-Road does not have, a body where none is taken', () => {
    expect(centralServer.violations({ method: 'GET', path: '/api/v1/management-requests?state=WAITING' })).toEqual([
      expect.stringContaining('query parameter state is not declared'),
    ]);
    expect(securityServer.violations({ method: 'PUT', path: '/api/v1/clients/DEV%3AGOV%3AACME/services' })).toEqual([
      'PUT /api/v1/clients/DEV%3AGOV%3AACME/services: the security-server admin API has no such operation',
    ]);
    expect(securityServer.violations({ method: 'PUT', path: '/api/v1/service-descriptions/1/enable', contentType: 'application/json', body: {} })).toEqual([
      'PUT /api/v1/service-descriptions/1/enable (enableServiceDescription): sends a body; the operation takes none',
    ]);
  });

  it('a status X-Road does not answer: where its code answers otherwise than its definition, the code decides', () => {
    const grant = { method: 'POST', path: '/api/v1/services/DEV%3AGOV%3AACME%3AREGISTRATION%3Aregister/service-clients', contentType: 'application/json', body: { items: [{ id: 'DEV:GOV:ACME:E-SERVICES', service_client_type: 'SUBSYSTEM' }] } };
    expect(securityServer.violations({ ...grant, status: 200, answer: [] })).toEqual([]);
    expect(securityServer.violations({ ...grant, status: 201, answer: [] })).toEqual([expect.stringContaining("answered 201; X-Road's code answers 200 here")]);
    expect(securityServer.violations({ method: 'PUT', path: '/api/v1/clients/DEV%3AGOV%3AACME/register', status: 409 })).toEqual([expect.stringContaining('answered 409; X-Road declares 204, 400')]);
  });

  it('but not the central server\'s form login as "xrd", as NIIS\'s own setup logs in, though openapi-authentication.yaml asks for 4 characters', () => {
    expect(centralServer.violations({ method: 'POST', path: '/login', contentType: 'application/x-www-form-urlencoded', body: { username: 'xrd', password: '******' }, status: 200, answer: 'OK\n' })).toEqual([]);
  });

  it('a download asked for as JSON, and the form login sent as JSON', () => {
    expect(securityServer.violations({ method: 'GET', path: '/api/v1/keys/A1/csrs/C1?csr_format=PEM', accept: 'application/json' })).toEqual([
      expect.stringContaining('Accept: application/json admits none of what it answers (application/octet-stream): X-Road would answer 406'),
    ]);
    expect(securityServer.violations({ method: 'POST', path: '/login', contentType: 'application/json', body: { username: 'xroad-admin', password: '********' } })).toEqual([
      'POST /login (formLogin): sends application/json; the operation takes application/x-www-form-urlencoded',
    ]);
  });

  it('a call in a script whose body lacks a required field or has one X-Road does not define', () => {
    const call: ScriptCall = {
      file: 'example.py', line: 1, receiver: 'cs', method: 'POST', path: '/api/v1/members', contentType: 'application/json', accept: null,
      body: { object: { member_id: { object: { member_class: { const: 'GOV' } }, open: false }, name: { unknown: 'member' } }, open: false },
    };
    expect(callViolations(centralServer, call, 'application/json')).toEqual([
      'example.py:1 POST /api/v1/members: the body.member_id lacks "member_code", which X-Road requires',
      'example.py:1 POST /api/v1/members: the body has "name", which X-Road does not define (it has member_id, member_name)',
    ]);
  });
});
