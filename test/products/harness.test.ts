import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import * as path from 'node:path';
import type { ProductDistribution } from '../../src/products/distribution';
import type { StartableContainer, StartableWorkload } from '../../src/products/pod-workloads';
import { startProduct } from '../../src/products/start-product';
import type { Manifest } from '../../src/synth/manifest';

/**
 * The harness itself, against a stand-in product (a small Python server that reports what it sees
 * from inside): the sandbox must give a process exactly what its pod gives it, and every way a
 * product can fail must end in a message that says what to fix, with nothing left running.
 */

const FIXTURE = path.join(__dirname, 'fixture-product');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let inside: Record<string, any> = {};
const fixture: ProductDistribution = {
  product: 'fixture',
  version: '1.0.0',
  source: 'the harness spec\'s fixture product',
  containers: ['server'],
  async install() {
    return { imagePaths: { '/app': FIXTURE, '/usr/local': path.join(FIXTURE, 'usr-local') }, imageEnv: { PATH: '/usr/bin:/bin', FIXTURE_FROM_IMAGE: 'image' }, entrypoint: ['/usr/bin/python3', '/app/server.py'], workingDir: '/app', differences: [] };
  },
  async smoke({ port }) {
    inside = (await (await fetch(`http://127.0.0.1:${port('http')}/inside`)).json()) as Record<string, any>;
    return 'fixture answered';
  },
};

const object = (kind: string, name: string, rest: Record<string, unknown> = {}): Manifest => ({ apiVersion: kind === 'Password' ? 'generators.external-secrets.io/v1alpha1' : kind === 'ExternalSecret' ? 'external-secrets.io/v1' : 'v1', kind, metadata: { name, namespace: 'bb-fixture' }, ...rest });

function workloadWith(port: number, change: Partial<StartableContainer> = {}, progressDeadline = 600): StartableWorkload {
  const container: StartableContainer = {
    name: 'server',
    image: 'example.org/fixture:1.0.0',
    ports: [{ name: 'http', containerPort: port }],
    env: [
      { name: 'FIXTURE_PORT', value: String(port) },
      { name: 'FIXTURE_GREETING', valueFrom: { configMapKeyRef: { name: 'fixture-config', key: 'greeting' } } },
      { name: 'FIXTURE_SECRET', valueFrom: { secretKeyRef: { name: 'fixture-admin', key: 'password' } } },
      { name: 'FIXTURE_EXPANDED', value: 'port $(FIXTURE_PORT)' },
      { name: 'FIXTURE_POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ],
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'config', mountPath: '/etc/fixture', readOnly: true },
      { name: 'admin', mountPath: '/etc/fixture-secret', readOnly: true },
      { name: 'data', mountPath: '/var/data' },
    ],
    securityContext: { readOnlyRootFilesystem: true },
    resources: { limits: { memory: '256Mi', cpu: '500m' } },
    startupProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1, failureThreshold: 30 },
    readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1 },
    ...change,
  };
  return {
    buildingBlock: 'fixture',
    product: 'fixture',
    component: 'server',
    namespace: 'bb-fixture',
    workload: 'Deployment/fixture-server',
    readyWithinSeconds: progressDeadline,
    pod: {
      securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 2000 },
      containers: [container],
      volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'config', configMap: { name: 'fixture-config' } }, { name: 'admin', secret: { secretName: 'fixture-admin', defaultMode: 0o400 } }, { name: 'data', emptyDir: {} }],
    },
    neighbours: [
      object('ConfigMap', 'fixture-config', { data: { greeting: 'hello', 'settings.yaml': 'answer: 42\n' } }),
      object('Password', 'fixture-admin-generator', { spec: { length: 32, digits: 8, symbols: 0, noUpper: false } }),
      object('ExternalSecret', 'fixture-admin', {
        spec: { target: { name: 'fixture-admin' }, dataFrom: [{ rewrite: [{ regexp: { source: '^password$', target: 'password' } }], sourceRef: { generatorRef: { kind: 'Password', name: 'fixture-admin-generator' } } }] },
      }),
      object('Service', 'fixture-server'),
    ],
  };
}

const options = { cacheDir: '/nonexistent', log: () => undefined, settings: {} };

describe('the product harness (npm run products) runs a product as its pod would', () => {
  beforeAll(() => {
    // What these specs need that npm does not install, said once instead of as each spec's failure.
    const missing = [
      ...(process.getuid?.() === 0 ? [] : ['root (the sandbox starts the product as its pod\'s user and group)']),
      ...(existsSync('/usr/bin/bwrap') ? [] : ['Debian\'s bubblewrap (apt-get install bubblewrap)']),
      ...(existsSync('/usr/bin/python3') ? [] : ['/usr/bin/python3 (the stand-in product)']),
    ];
    if (missing.length > 0) throw new Error(`the product harness specs need ${missing.join(', ')}; .ci/run installs the packages and CI runs as root`);
  });

  afterEach(() => {
    // Nothing of a sandbox outlives its run: no bubblewrap, no product process.
    expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.toContain('/app/server.py');
  });

  it('gives the process its pod\'s user, groups, environment, files and writable volumes, on a read-only root, and passes its probes and smoke step', async () => {
    const port = await freePort();
    const run = await startProduct(workloadWith(port), fixture, options);
    expect(run.failure).toBeUndefined();
    expect(run.passed).toBe(true);
    expect(run.steps.join('\n')).toMatch(/startup probe passed[\s\S]*readiness probe passed[\s\S]*smoke: fixture answered/);
    // The pod's runAsUser/runAsGroup, with its fsGroup as a supplementary group.
    expect(inside).toMatchObject({ uid: 1000, gid: 1000, groups: [2000] });
    // Read-only root and image; only the pod's emptyDirs are writable.
    expect(inside.writable).toEqual({ '/': false, '/app': false, '/tmp': true, '/etc': false, '/var/data': true });
    expect(inside.files).toEqual({ '/etc/fixture/greeting': 'hello', '/etc/fixture/settings.yaml': 'answer: 42\n', '/etc/fixture-secret/password': inside.env.FIXTURE_SECRET });
    // Files as the kubelet writes them: root's, ConfigMap files 0644 by default; the Secret's 0400
    // made group-readable for the fsGroup, so the pod's user reads it through its group.
    expect(inside.modes['/etc/fixture/greeting']).toEqual(['0o644', 0, 2000]);
    expect(inside.modes['/etc/fixture-secret/password']).toEqual(['0o440', 0, 2000]);
    expect(inside.env.FIXTURE_FROM_IMAGE).toBe('image');
    expect(inside.env.FIXTURE_GREETING).toBe('hello');
    expect(inside.env.FIXTURE_EXPANDED).toBe(`port ${port}`);
    expect(inside.env.FIXTURE_POD).toBe('fixture-server-harness');
    // A generated password of the generator's shape: 32 characters, 8 digits, no symbols.
    expect(inside.env.FIXTURE_SECRET).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(inside.env.FIXTURE_SECRET.replace(/\D/g, '')).toHaveLength(8);
    expect(inside.argv).toEqual(['/app/server.py']);
    expect(inside.cwd).toBe('/app');
    // An image folder inside a system folder replaces the host's, whatever the host has there (n8n's image keeps node and n8n in /usr/local).
    expect(inside.usr_local).toEqual(['image-only']);
    // The pod's Services resolve to loopback, under every name cluster DNS answers.
    expect(inside.hosts).toContain('fixture-server.bb-fixture.svc.cluster.local');
    // The container's memory, held against its limit.
    expect(run.steps.join('\n')).toMatch(/peak memory [\d.]+ MiB within the container's limit of 256Mi/);
    await expect(portIsFree(port)).resolves.toBe(true);
  });

  it('runs an exec probe as the kubelet does, in the container\'s files, user and environment, with the pod\'s name as HOSTNAME', async () => {
    const port = await freePort();
    const inContainer = ['/bin/sh', '-c', `test "$HOSTNAME" = fixture-server-harness && test "$FIXTURE_PORT" = ${port} && test "$(id -u)" = 1000 && test -w /tmp && test -f /app/server.py`];
    const run = await startProduct(workloadWith(port, { readinessProbe: { exec: { command: inContainer }, periodSeconds: 1 } }), fixture, options);
    expect(run.failure).toBeUndefined();
    expect(run.steps.join('\n')).toMatch(/readiness probe passed after \d+ s \(exec \/bin\/sh -c test "\$HOSTNAME" = fixture-server-harness .* exited 0\)/);
  });

  it('fails a pod whose exec probe fails, with the command and its exit code', async () => {
    const port = await freePort();
    const run = await startProduct(workloadWith(port, { readinessProbe: { exec: { command: ['/bin/sh', '-c', 'echo not ready; exit 3'] }, periodSeconds: 1 } }, 5), fixture, options);
    expect(run.passed).toBe(false);
    expect(run.failure).toMatch(/readiness probe did not pass .*exec \/bin\/sh -c echo not ready; exit 3 exited 3 \(not ready\)/);
  });

  it('fetches the OpenAPI document of each API the catalogue registers with X-Road from the pod, as the security server does', async () => {
    const port = await freePort();
    const served = await startProduct(workloadWith(port), fixture, { ...options, apis: [{ serviceCode: 'fixture-api', openApiPath: '/openapi.json', port }] });
    expect(served.steps).toContain('X-Road service fixture-api: OpenAPI 3.0.3 document served at /openapi.json (1 paths)');
    const missing = await startProduct(workloadWith(port), fixture, { ...options, apis: [{ serviceCode: 'fixture-api', openApiPath: '/swaggerui/openapi.json', port }] });
    expect(missing.passed).toBe(false);
    expect(missing.failure).toContain('X-Road service fixture-api: GET /swaggerui/openapi.json answered 404, so the registration Job cannot add the service');
  });

  it('fails a product whose memory passes its container\'s limit, as the kubelet would kill it', async () => {
    const port = await freePort();
    const env = [...workloadWith(port).pod.containers[0].env!, { name: 'FIXTURE_HOLD_MIB', value: '300' }];
    const run = await startProduct(workloadWith(port, { env }), fixture, options);
    expect(run.passed).toBe(false);
    expect(run.failure).toMatch(/peak memory [\d.]+ MiB passed the container's memory limit of 256Mi, so the kubelet would kill it \(OOMKilled\)/);
    await expect(portIsFree(port)).resolves.toBe(true);
  });

  it('fails a probe that points at a path the product does not serve, naming the path and the answer, and shows the product\'s log', async () => {
    const port = await freePort();
    const run = await startProduct(workloadWith(port, { startupProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold: 3 } }), fixture, options);
    expect(run.passed).toBe(false);
    expect(run.failure).toContain(`startup probe failed 3 times in a row, so the kubelet would kill the container (last: GET http://127.0.0.1:${port}/healthz answered 404`);
    expect(run.failure).toContain('fixture: listening');
    await expect(portIsFree(port)).resolves.toBe(true);
  });

  it('says so when the product exits before it is ready, with its last log lines', async () => {
    const port = await freePort();
    const run = await startProduct(workloadWith(port, { env: [{ name: 'FIXTURE_EXIT', value: '1' }, { name: 'FIXTURE_PORT', value: String(port) }] }), fixture, options);
    expect(run.passed).toBe(false);
    expect(run.failure).toMatch(/server exited \(3\) before its startup probe passed/);
    expect(run.failure).toContain('fixture: told to exit at start');
  });

  it('fails a product that never becomes ready within its rollout\'s progress deadline', async () => {
    const port = await freePort();
    const run = await startProduct(workloadWith(port, { startupProbe: undefined, readinessProbe: { httpGet: { path: '/never', port: 'http' }, periodSeconds: 1 } }, 3), fixture, options);
    expect(run.passed).toBe(false);
    expect(run.failure).toContain('readiness probe did not pass within the rollout\'s 3 s progress deadline');
    await expect(portIsFree(port)).resolves.toBe(true);
  });

  it('refuses to start on a port something else already listens on, naming the port and the container', async () => {
    const port = await freePort();
    const blocker: Server = await new Promise((resolve) => {
      const server = createServer().listen(port, '127.0.0.1', () => resolve(server));
    });
    try {
      const run = await startProduct(workloadWith(port), fixture, options);
      expect(run.passed).toBe(false);
      expect(run.failure).toContain(`port ${port} (container port http of Deployment/fixture-server) is in use on this machine`);
    } finally {
      blocker.close();
    }
  });

  it('refuses a Secret the pod reads that nothing in its namespace creates', async () => {
    const port = await freePort();
    const run = await startProduct(workloadWith(port, { env: [{ name: 'FIXTURE_X', valueFrom: { secretKeyRef: { name: 'forgotten', key: 'token' } } }] }), fixture, options);
    expect(run.passed).toBe(false);
    expect(run.failure).toContain('Secret forgotten has no key "token" that anything in the namespace creates (no such object)');
  });
});

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
