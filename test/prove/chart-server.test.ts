import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ChartServer } from '../../src/prove/chart-server';

describe('the chart mirror served on loopback', () => {
  const parent = mkdtempSync(path.join(tmpdir(), 'chart-server-'));
  const folder = path.join(parent, 'mirror');
  require('node:fs').mkdirSync(folder);
  writeFileSync(path.join(folder, 'index.yaml'), 'apiVersion: v1\nentries: {}\n');
  writeFileSync(path.join(parent, 'secret.txt'), 'not for the cluster');
  let server: ChartServer;
  beforeAll(async () => (server = await ChartServer.start(folder)));
  afterAll(() => server.stop());

  it('listens on 127.0.0.1 only, at an http URL the environment schema accepts for registry.charts', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves the files of the mirror folder', async () => {
    const response = await fetch(`${server.url}/index.yaml`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('entries');
  });

  it('serves nothing outside it', async () => {
    expect((await fetch(`${server.url}/..%2fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${server.url}/missing-1.0.0.tgz`)).status).toBe(404);
  });
});
