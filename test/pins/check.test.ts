import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PinConfirmation } from '../../constructs/pins';
import { checkPins } from '../../src/pins/check';
import type { Pin } from '../../src/pins/collect';
import { httpGet, type RegistryUrls } from '../../src/pins/registries';
import { reportPins } from '../../src/pins/report';
import { newerPatch } from '../../src/pins/versions';

/**
 * Registry answers as recorded from each registry (trimmed to the fields the check reads), served
 * from loopback so the specification runs offline and gives the same verdicts every time.
 */
const RECORDED: Readonly<Record<string, { status: number; body: string }>> = {
  '/maven2/org/keycloak/keycloak-quarkus-dist/maven-metadata.xml': {
    status: 200,
    body: `<?xml version="1.0" encoding="UTF-8"?>
<metadata>
  <groupId>org.keycloak</groupId>
  <artifactId>keycloak-quarkus-dist</artifactId>
  <versioning>
    <latest>26.7.3</latest>
    <release>26.7.3</release>
    <versions>
      <version>26.6.1</version>
      <version>26.7.0</version>
      <version>26.7.3</version>
    </versions>
  </versioning>
</metadata>
`,
  },
  '/npm/n8n': { status: 200, body: JSON.stringify({ name: 'n8n', 'dist-tags': { latest: '2.41.3' }, versions: { '2.23.2': {}, '2.23.4': {}, '2.41.3': {} } }) },
  '/npm/@grafana%2fdata': { status: 200, body: JSON.stringify({ name: '@grafana/data', versions: { '13.2.0': {}, '13.2.3': {}, '13.3.0-pre': {} } }) },
  '/go/github.com/cert-manager/cert-manager/@v/v1.21.1.info': { status: 200, body: '{"Version":"v1.21.1","Time":"2026-07-29T10:54:48Z"}' },
  '/go/github.com/cert-manager/cert-manager/@v/list': { status: 200, body: 'v1.21.0\nv1.21.1\nv1.21.2\nv1.22.0-beta.0\n' },
  '/go/github.com/longhorn/longhorn-manager/@v/v1.12.1.info': { status: 403, body: 'This module version is not available.\n' },
  '/go/github.com/!azure/azure-sdk-for-go/sdk/azcore/@v/v1.4.0.info': { status: 200, body: '{"Version":"v1.4.0"}' },
  '/go/github.com/envoyproxy/gateway/@v/v9.9.9.info': { status: 410, body: 'not found: unknown revision v9.9.9\n' },
  '/pypi/example-sidecar/json': { status: 200, body: JSON.stringify({ info: { name: 'example-sidecar' }, releases: { '2.10.0': [], '2.10.1': [] } }) },
  '/maven2/org/camunda/bpm/camunda-bom/maven-metadata.xml': { status: 503, body: 'Service Unavailable' },
};

let server: Server;
let registries: RegistryUrls;
const requested: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requested.push(request.url ?? '');
    const answer = RECORDED[request.url ?? ''] ?? { status: 404, body: 'Not Found' };
    response.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  registries = { maven: `${base}/maven2`, npm: `${base}/npm`, goProxy: `${base}/go`, pypi: `${base}/pypi` };
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const image = (reference: string, confirm: PinConfirmation | undefined, where = 'constructs/catalogue/products/example.ts iam example'): Pin => ({
  kind: 'image',
  reference,
  version: reference.slice(reference.lastIndexOf(':') + 1),
  where: [where],
  confirm,
});

async function check(pins: readonly Pin[], urls: RegistryUrls = registries) {
  return reportPins(await checkPins(pins, { registries: urls, get: httpGet(5_000), concurrency: 2 }));
}

describe('npm run pins', () => {
  it('confirms a pin whose release the registry lists, and names the registry and version it asked', async () => {
    const report = await check([
      image('quay.io/keycloak/keycloak:26.7.3', { maven: 'org.keycloak:keycloak-quarkus-dist' }),
      image('docker.n8n.io/n8nio/n8n:2.23.4', { npm: 'n8n' }),
      image('quay.io/example/sidecar:2.10.1', { pypi: 'example-sidecar' }),
      image('mcr.example/azure-thing:v1.4.0', { goModule: 'github.com/Azure/azure-sdk-for-go/sdk/azcore' }),
    ]);
    expect(report.lines).toEqual([
      'image docker.n8n.io/n8nio/n8n:2.23.4: confirmed (npm n8n@2.23.4)',
      'image mcr.example/azure-thing:v1.4.0: confirmed (Go module github.com/Azure/azure-sdk-for-go/sdk/azcore@v1.4.0)',
      'image quay.io/example/sidecar:2.10.1: confirmed (PyPI example-sidecar 2.10.1)',
      'image quay.io/keycloak/keycloak:26.7.3: confirmed (Maven Central org.keycloak:keycloak-quarkus-dist 26.7.3)',
      'pins: 4 checked, 4 confirmed, 0 with a newer patch, 0 cannot be checked here, 0 missing, 0 registry error(s), 0 without a confirmation',
    ]);
    expect(report.exitCode).toBe(0);
  });

  it('reports a newer patch release (security lag) without failing, ignoring pre-releases and newer minors', async () => {
    const report = await check([
      image('quay.io/jetstack/cert-manager-controller:v1.21.1', { goModule: 'github.com/cert-manager/cert-manager' }),
      image('docker.io/grafana/grafana:13.2.0', { npm: '@grafana/data' }),
    ]);
    expect(report.lines).toContain('image quay.io/jetstack/cert-manager-controller:v1.21.1: newer patch available: v1.21.2 (Go module github.com/cert-manager/cert-manager@v1.21.1)');
    expect(report.lines).toContain('image docker.io/grafana/grafana:13.2.0: newer patch available: 13.2.3 (npm @grafana/data@13.2.0)');
    expect(report.exitCode).toBe(0);
  });

  it('fails on a pin the registry shows does not exist, naming the pin, the file that pins it and the registry', async () => {
    const report = await check([
      image('quay.io/keycloak/keycloak:26.8.2', { maven: 'org.keycloak:keycloak-quarkus-dist' }, 'constructs/catalogue/products/keycloak.ts iam keycloak 26.8.2 server/keycloak'),
      image('docker.io/envoyproxy/gateway:v9.9.9', { goModule: 'github.com/envoyproxy/gateway' }),
      image('docker.io/example/nothing:1.0.0', { npm: 'no-such-package' }),
    ]);
    expect(report.exitCode).toBe(1);
    const keycloak = report.lines.find((line) => line.startsWith('image quay.io/keycloak/keycloak:26.8.2: MISSING'));
    expect(keycloak).toContain(`MISSING: Maven Central org.keycloak:keycloak-quarkus-dist 26.8.2 does not exist (${registries.maven}: its metadata lists 3 version(s), not 26.8.2; newest release 26.7.3)`);
    expect(keycloak).toContain('pinned in constructs/catalogue/products/keycloak.ts');
    expect(report.lines.find((line) => line.startsWith('image docker.io/envoyproxy/gateway:v9.9.9'))).toMatch(/MISSING: Go module github.com\/envoyproxy\/gateway@v9.9.9 does not exist \(http:.* answered 410/);
    expect(report.lines.find((line) => line.startsWith('image docker.io/example/nothing:1.0.0'))).toMatch(/MISSING: npm no-such-package@1.0.0 does not exist \(http:.*no package no-such-package/);
    expect(report.lines.at(-1)).toContain('3 missing');
  });

  it('lists a pin that declares no reachable registry with its reason, and one the registry will not show this machine, without failing', async () => {
    const report = await check([
      image('docker.io/baserow/backend:1.35.3', { unavailable: 'Baserow publishes its releases as images only' }),
      image('docker.io/longhornio/longhorn-manager:v1.12.1', { goModule: 'github.com/longhorn/longhorn-manager' }),
    ]);
    expect(report.lines).toContain('image docker.io/baserow/backend:1.35.3: cannot check: Baserow publishes its releases as images only');
    expect(report.lines.find((line) => line.startsWith('image docker.io/longhornio/longhorn-manager:v1.12.1'))).toMatch(
      /cannot check: the Go module proxy .* does not serve Go module github.com\/longhorn\/longhorn-manager@v1.12.1 to this machine .*answered 403/,
    );
    expect(report.exitCode).toBe(0);
  });

  it('says of a chart no registry carries whether the chart mirror holds it, labelled as no registry', async () => {
    const chart = (name: string, version: string): Pin => ({
      kind: 'chart',
      reference: `${name} ${version} (https://charts.example)`,
      version,
      chart: name,
      where: ['constructs/platform/pinned-charts.ts PINNED_CHARTS.example'],
      confirm: { unavailable: 'versioned on its own in a Helm repository' },
    });
    const results = await checkPins([chart('loki', '18.11.0'), chart('loki', '18.12.0')], {
      registries,
      get: httpGet(5_000),
      concurrency: 2,
      chartMirror: { where: '/mirror', versions: new Map([['loki', new Set(['18.11.0'])]]) },
    });
    expect(reportPins(results).lines.slice(0, 2)).toEqual([
      "chart loki 18.11.0 (https://charts.example): cannot check: versioned on its own in a Helm repository; loki 18.11.0 is in the chart mirror's index (/mirror), a copy, not a registry",
      "chart loki 18.12.0 (https://charts.example): cannot check: versioned on its own in a Helm repository; loki 18.12.0 is not in the chart mirror's index (/mirror) either",
    ]);
  });

  it('fails when a registry gives no usable answer (a server error, or nothing listening), saying which registry', async () => {
    const unavailable = await check([image('docker.io/camunda/camunda-bpm-platform:run-7.24.0', { maven: 'org.camunda.bpm:camunda-bom', version: '7.24.0' })]);
    expect(unavailable.exitCode).toBe(1);
    expect(unavailable.lines[0]).toMatch(/^image docker.io\/camunda\/camunda-bpm-platform:run-7.24.0: REGISTRY ERROR: Maven Central \(http:\/\/127.0.0.1:\d+\/maven2\) gave no usable answer .* answered 503/);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down = await check([image('docker.n8n.io/n8nio/n8n:2.23.4', { npm: 'n8n' })], { ...registries, npm: `http://127.0.0.1:${port}` });
    expect(down.exitCode).toBe(1);
    expect(down.lines[0]).toMatch(new RegExp(`REGISTRY ERROR: the npm registry \\(http://127.0.0.1:${port}\\) gave no usable answer for npm n8n@2.23.4: no answer \\(.*ECONNREFUSED`));
    expect(down.lines.at(-1)).toContain('1 registry error(s)');
  });

  it('gives up on a registry that accepts the connection but never answers, and fails naming it', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const report = reportPins(await checkPins([image('quay.io/keycloak/keycloak:26.7.3', { maven: 'org.keycloak:keycloak-quarkus-dist' })], {
        registries: { ...registries, maven: base },
        get: httpGet(200),
        concurrency: 1,
      }));
      expect(report.exitCode).toBe(1);
      expect(report.lines[0]).toMatch(/REGISTRY ERROR: Maven Central \(http:\/\/127.0.0.1:\d+\) gave no usable answer .*no answer \(.*time/i);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('fails on a pin that declares no confirmation at all', async () => {
    const report = await check([image('docker.io/example/undeclared:1.0.0', undefined)]);
    expect(report.exitCode).toBe(1);
    expect(report.lines[0]).toMatch(/^image docker.io\/example\/undeclared:1.0.0: NO CONFIRMATION: .* pinned in constructs\/catalogue\/products\/example.ts/);
  });

  it('asks the registry once per release, however many pins share it', async () => {
    requested.length = 0;
    const confirm = { goModule: 'github.com/cert-manager/cert-manager' } as const;
    await check(['controller', 'webhook', 'cainjector'].map((role) => image(`quay.io/jetstack/cert-manager-${role}:v1.21.1`, confirm)));
    expect(requested.filter((url) => url.endsWith('v1.21.1.info'))).toHaveLength(1);
  });
});

describe('a newer patch', () => {
  it.each([
    ['26.7.0', ['26.7.3', '26.8.0', '26.7.4-rc1'], '26.7.3'],
    ['v1.21.1', ['v1.21.0', 'v1.21.1'], undefined],
    ['1.2.0.1', ['1.2.0.1', '1.2.1.0', '1.3.0'], '1.2.1.0'],
    ['1.2.0.1-B1', ['1.2.0.1'], '1.2.0.1'],
    ['v0.42.4', ['v0.42.5', 'v0.43.0', 'v0.0.0-20260101000000-abcdef123456'], 'v0.42.5'],
    ['v2.5.0', ['v2.5.1+incompatible'], undefined],
    ['17b1956c', ['v1.4.1'], undefined],
  ])('of %s among %j is %s', (pinned, candidates, expected) => {
    expect(newerPatch(pinned, candidates)).toBe(expected);
  });
});
