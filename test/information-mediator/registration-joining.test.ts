import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { adminApiContracts } from './admin-api/contract';
import { FakeSecurityServer, type FakeState } from './fake-security-server';
import { LocalCronJob } from './local-cron-job';
import { changesIn, succeeded, synthesisedRegistration, UNPACED } from './registration-run';

// A member's security server joining a national instance (Veloria's production): the registration
// CronJob initialises what it can from the anchor the operator put in the cluster.
const { manifests, cronJob, input } = synthesisedRegistration('veloria-production', 'gov-platform');
const PASSWORD = randomBytes(12).toString('hex');
const securityServerApi = adminApiContracts()['security-server'];
const PIN = `${randomBytes(8).toString('hex')}Aa1!`;
const ANCHOR = '<?xml version="1.0" encoding="UTF-8"?><configurationSource/>';
const steps = input.initialise!;

function freshServer(initialisation: FakeState['initialisation'] = {}): FakeState {
  const instance = input.subsystems[0].id.split(':')[0]; // the anchor's instance
  return { instance, admin: { user: input.adminUser, password: PASSWORD }, initialisation, clients: [], global_clients: [], service_descriptions: [], access_rights: {} };
}

describe('a security server joining a national X-Road instance, initialised by the registration CronJob (fake X-Road 7.8 on loopback, TLS)', () => {
  let root: string;
  let fake: FakeSecurityServer;
  const job = (anchorInCluster: boolean) =>
    new LocalCronJob(manifests, cronJob, path.join(root, anchorInCluster ? 'with-anchor' : 'without-anchor'), {
      secrets: { [`ss-gov-platform-credentials`]: { 'admin-password': PASSWORD, 'token-pin': PIN } },
      configMaps: anchorInCluster ? { 'xroad-configuration-anchor': { 'configuration-anchor.xml': ANCHOR } } : {},
      addresses: { [input.adminUrl]: fake.url },
    });

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'govstack-joining-'));
    fake = await FakeSecurityServer.start(root);
  });

  afterAll(() => {
    fake?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  // Each scenario fails on its own if the script sent, or the fake answered, anything X-Road's
  // published admin API definition (at the pinned version) does not have.
  afterEach(async () => expect(securityServerApi.violationsIn(await fake.exchanges())).toEqual([]));

  it('is exercised with the synthesised steps of a member that joins an external instance', () => {
    expect(steps).toMatchObject({ ownerMemberClass: 'GOV', ownerMemberCode: '7000002', serverCode: 'GOV-PLATFORM', anchorSource: expect.stringContaining('ConfigMap') });
  });

  it('until the operator has put the configuration anchor in the cluster, says which object to create and changes nothing', async () => {
    await fake.reset(freshServer());
    const run = succeeded(job(false).run({ ...UNPACED, ...fake.cluster }));
    expect(run.output).toContain(`create ${steps.anchorSource} in this namespace`);
    expect((await fake.requests()).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /login', 'GET /api/v1/initialization/status']);
  });

  it('imports the anchor, initialises owner, server code and token PIN from the mounted files, then applies the catalogue', async () => {
    await fake.reset(freshServer());
    const run = succeeded(job(true).run({ ...UNPACED, ...fake.cluster }));
    expect(run.output).toContain(`register the authentication certificate with address ${steps.address}`);
    const requests = await fake.requests();
    expect(requests.find((r) => r.path === '/api/v1/system/anchor')?.body).toEqual({ bytes: Buffer.byteLength(ANCHOR) });
    expect(requests.find((r) => r.path === '/api/v1/initialization')?.body).toEqual({
      owner_member_class: steps.ownerMemberClass,
      owner_member_code: steps.ownerMemberCode,
      security_server_code: steps.serverCode,
      software_token_pin: PIN,
      ignore_warnings: true,
    });
    expect(changesIn(requests).slice(0, 3)).toEqual(['POST /api/v1/system/anchor', 'POST /api/v1/initialization', 'POST /api/v1/clients']);
    expect((await fake.state()).clients.map((c) => c.id)).toEqual(input.subsystems.map((s) => s.id));
  });

  it('completes a server an earlier run left half-initialised by sending only the missing part (X-Road refuses the others again)', async () => {
    await fake.reset(
      freshServer({ is_anchor_imported: true, is_server_code_initialized: true, is_server_owner_initialized: true, software_token_init_status: 'NOT_INITIALIZED' }),
    );
    succeeded(job(true).run({ ...UNPACED, ...fake.cluster }));
    const requests = await fake.requests();
    expect(requests.filter((r) => r.path === '/api/v1/initialization').map((r) => [r.status, r.body])).toEqual([[201, { software_token_pin: PIN, ignore_warnings: true }]]);
    expect(requests.some((r) => r.path === '/api/v1/system/anchor')).toBe(false);
  });
});
